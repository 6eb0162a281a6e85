"""The task list of a draft (the GOV.UK task list pattern): each part of the request, in the order
of the form (Part I before the recommendations that cite it), with its status: Not started,
In progress or Completed."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from decisions.document import Document
from decisions.models import Decision, Problem

NOT_STARTED = "Not started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"


@dataclass(frozen=True)
class Task:
    slug: str  # for the ids of its hint and status
    name: str
    url: str
    status: str
    hint: str = ""

    @property
    def completed(self) -> bool:
        return self.status == COMPLETED


def _status(done: bool, started: bool) -> str:
    return COMPLETED if done else IN_PROGRESS if started else NOT_STARTED


def _section_hint(count: int, *, required: bool) -> str:
    if count:
        return f"{count} paragraph{'s' if count != 1 else ''}"
    return "Required: write it or choose “No comments”" if required else "Optional"


def task_list(decision: Decision, doc: Document, problems: list[Problem]) -> list[Task]:
    parts = {problem.part for problem in problems}
    pk = decision.pk
    tasks = [
        Task(
            "summary",
            "Title and executive summary",
            reverse("staff:edit_summary", args=[pk]),
            _status("summary" not in parts, bool(decision.executive_summary.strip())),
        )
    ]
    for section in doc.sections:
        count = len(section.paragraphs)
        written = count > 0
        tasks.append(
            Task(
                f"section-{section.number}",
                f"Part I, {section.number}. {section.title}",
                reverse("staff:edit_section", args=[pk, section.number]),
                # An optional section left empty is as complete as it will be once the others are.
                COMPLETED if written or not section.required else NOT_STARTED,
                _section_hint(count, required=section.required),
            )
        )
    recommendations = len(doc.recommendations)
    tasks.append(
        Task(
            "recommendations",
            "Recommendations",
            reverse("staff:edit_recommendations", args=[pk]),
            _status("recommendations" not in parts, recommendations > 0),
        )
    )
    tasks.append(
        Task(
            "annexes",
            "Finance annexes",
            reverse("finance:annexes", args=[pk]),
            IN_PROGRESS if "annexes" in parts else COMPLETED,
            "Import spreadsheets; see the checks",
        )
    )
    tasks.append(
        Task(
            "public-access",
            "Public access to information",
            reverse("staff:edit_public_access", args=[pk]),
            IN_PROGRESS if "public_access" in parts else COMPLETED,
        )
    )
    if decision.has_part_two:
        tasks.append(
            Task(
                "part-two",
                "Part 2 (confidential)",
                reverse("staff:edit_part_two", args=[pk]),
                IN_PROGRESS if "part_two" in parts else COMPLETED,
            )
        )
    ticked = sum(1 for item in doc.declarations if item["ticked"])
    tasks.append(
        Task(
            "declaration",
            "Originating officer declaration",
            reverse("staff:edit_declaration", args=[pk]),
            _status(ticked == len(doc.declarations), ticked > 0),
        )
    )
    return tasks
