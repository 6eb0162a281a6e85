"""What must hold before a request can be submitted (DESIGN §4, "submit"), each with a message
the officer can act on."""

from __future__ import annotations

from decisions.models import Decision, london_today


def submission_problems(decision: Decision) -> list[str]:
    problems: list[str] = []
    if not decision.title.strip():
        problems.append("Enter a title.")
    if not decision.executive_summary.strip():
        problems.append("Write the executive summary.")
    if not decision.recommendations.exists():
        problems.append("Add at least one recommendation for the DMPC.")
    if not decision.paragraphs.exists():
        problems.append("Write Part I: it has no paragraphs yet.")
    if decision.publication_deferred:
        if not decision.deferral_reason.strip():
            problems.append("Give the reason for deferring publication of Part 1.")
        if decision.deferred_until is None:
            problems.append("Give the date until which publication of Part 1 is deferred.")
        elif decision.deferred_until <= london_today():
            problems.append("The deferral date must be in the future.")
    if decision.has_part_two:
        part_two = getattr(decision, "part_two", None)
        if part_two is None or not part_two.facts_and_advice.strip():
            problems.append("Write Part 2, or answer “No” to “Is there a Part 2 form?”.")
        elif not part_two.exemption_rationale.strip():
            problems.append("Give the legal rationale for not publishing Part 2.")
    ticked = set(decision.declarations.values_list("item_id", flat=True))
    missing = decision.template.declaration_items.exclude(pk__in=ticked)
    if missing.exists():
        headings = ", ".join(item.heading for item in missing)
        problems.append(f"Tick every item of the originating officer declaration ({headings}).")
    # The finance annexes: errors in the arithmetic need an explanation, and every line the
    # Scheme of Delegation reserves to the DMPC needs a recommendation that approves it.
    from finance.selectors import submission_problems as annex_problems

    problems.extend(annex_problems(decision))
    return problems
