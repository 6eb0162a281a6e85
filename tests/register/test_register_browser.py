"""The register in a real browser: accessible and reflowing at 320 px, and the "Done when" of
the public register (issue 7) as far as the register reaches: a deferred decision stays out of
sight until its day, and the beat task publishes it."""

from __future__ import annotations

import datetime
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from decisions.dates import LONDON, london_today
from decisions.models import Decision
from decisions.roles import Role
from decisions.states import Status
from register.tasks import publish_due_decisions
from tests.a11y import axe_violations, format_violations, overflowing
from tests.finance.conftest import seed_bytes
from tests.pages.helpers import use_plain_static_storage
from tests.test_browser import (
    DEMO_BACKUP_CODES,
    TIMEOUT_MS,
    back_to_request,
    evidence_on_failure,
    open_task,
    pass_second_factor,
    sign_in,
    sign_out,
    success,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _plain_static(settings: Any) -> None:
    use_plain_static_storage(settings)


LONG_WORD = "Supercalifragilisticexpialidociousandevenlongerwordsthatdonotwrap"


def _back_catalogue(tmp_path: Path, count: int) -> None:
    rows = [
        f"{n},{LONG_WORD} financial monitoring report {n},2016-01-{1 + n % 28:02d},"
        f"2016-02-{1 + n % 28:02d},The financial position of the quarter {n}.,"
        for n in range(1, count + 1)
    ]
    path = tmp_path / "export.csv"
    path.write_text(
        "reference,title,date_signed,date_published,summary,decision_maker\n" + "\n".join(rows),
        encoding="utf-8",
    )
    call_command("import_decisions", str(path), stdout=StringIO(), verbosity=0)


@pytest.mark.parametrize("width", [1280, 320])
def test_the_register_passes_axe_and_fits_the_viewport(
    page: Any, demo: dict[Role, Any], tmp_path: Path, width: int
) -> None:
    _back_catalogue(tmp_path, 25)
    page.set_viewport_size({"width": width, "height": 900})
    for address in ("/decisions/", "/decisions/?q=financial&annex=no", "/decisions/?q=nothing"):
        with evidence_on_failure(page, f"register-{width}"):
            page.goto(address)
            violations = axe_violations(page)
            assert not violations, f"{address}: {format_violations(violations)}"
            assert not overflowing(page), f"{address}: {overflowing(page)}"
    # Without JavaScript's help: the form is a GET form, the pages are links.
    page.goto("/decisions/")
    page.get_by_label("Search decisions").fill("financial")
    page.get_by_role("button", name="Search").click()
    assert page.locator("mark").first.inner_text().lower() == "financial"
    page.get_by_role("link", name="Next page").click()
    page.get_by_role("link", name="Previous page").wait_for()


def _tomorrow_start() -> datetime.datetime:
    day = london_today() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(0, 1), tzinfo=LONDON)


def test_a_deferred_decision_is_hidden_until_its_day_then_published_by_the_beat_task(
    page: Any, demo: dict[Role, Any]
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    title = "Knife crime community fund 2019/20"
    tomorrow = london_today() + datetime.timedelta(days=1)
    public = Client()

    with evidence_on_failure(page, "browser-deferred-publication"):
        # The officer drafts the request, deferring its publication to tomorrow.
        sign_in(page, "officer")
        page.get_by_role("button", name="Draft a new request").click()
        page.get_by_label("Title", exact=True).fill(title)
        page.get_by_role("button", name="Create draft").click()
        success(page, "Draft created.")
        open_task(page, "Title and executive summary")
        page.get_by_label("Executive summary").fill(
            "The DMPC is asked to approve a community fund against knife crime."
        )
        page.get_by_role("button", name="Save").click()
        success(page, "Title and executive summary saved.")
        for section, text in (
            ("Part I, 1. Introduction and background", "Knife crime fell in 2018/19."),
            ("Part I, 2. Issues for consideration", "Community groups may bid for grants."),
        ):
            open_task(page, section)
            page.get_by_label("Paragraph", exact=True).fill(text)
            page.get_by_role("button", name="Add paragraph").click()
            success(page, "Paragraph added.")
            back_to_request(page)
        open_task(page, "Recommendations")
        page.get_by_label("The DMPC is asked to").fill("Approve the community fund.")
        page.get_by_role("button", name="Add recommendation").click()
        success(page, "Recommendation added.")
        back_to_request(page)
        open_task(page, "Public access to information")
        deferred = page.get_by_role(
            "group", name="Is the publication of Part 1 of this approval to be deferred?"
        )
        deferred.get_by_label("Yes", exact=True).check()
        page.get_by_label("For what reason").fill("The grants are announced tomorrow.")
        page.get_by_label("Day").fill(str(tomorrow.day))
        page.get_by_label("Month").fill(str(tomorrow.month))
        page.get_by_label("Year").fill(str(tomorrow.year))
        page.get_by_role("group", name="Is there a Part 2 form?").get_by_label(
            "No", exact=True
        ).check()
        page.get_by_role("button", name="Save").click()
        success(page, "Public access answers saved.")
        for number, name in ((3, "Financial"), (4, "Legal"), (5, "Equality")):
            open_task(page, f"Part I, {number}. {name} comments")
            page.get_by_role("button", name="No comments").click()
            success(page, "“No comments” recorded.")
        open_task(page, "Originating officer declaration")
        boxes = page.get_by_role("group", name="Tick to confirm each statement").get_by_role(
            "checkbox"
        )
        for index in range(boxes.count()):
            boxes.nth(index).check()
        page.get_by_role("button", name="Save").click()
        success(page, "Declaration saved.")
        draft = Decision.objects.get(title=title)

        # The officer imports the seed's savings table and submits.
        page.goto(f"/staff/requests/{draft.pk}/")
        page.get_by_role("link", name="Finance annexes").first.click()
        page.get_by_label("Title").fill("Savings update")
        page.get_by_label("Reporting period").fill("Quarter 1 2017/18")
        page.get_by_role("button", name="Add annex").click()
        savings = {"name": "savings.csv", "mimeType": "text/csv"}
        savings["buffer"] = seed_bytes("savings.csv")
        page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(files=[savings])
        page.get_by_role("button", name="Preview").click()
        page.get_by_role("button", name="Confirm import").click()
        page.get_by_text("Imported “").first.wait_for()
        page.goto(f"/staff/requests/{draft.pk}/")
        page.get_by_role("button", name="Submit for approval").click()
        page.get_by_role("button", name="Submit for approval").click()
        success(page, "The Chief Executive has been told.")
        sign_out(page)
        decision = Decision.objects.get(pk=draft.pk)
        reference = decision.reference

        # The Chief Executive approves it.
        sign_in(page, "chief-executive")
        page.get_by_role("link", name=f"{reference}: {title}").first.click()
        page.get_by_role("button", name="Approve").click()
        pass_second_factor(page, DEMO_BACKUP_CODES[0])
        page.get_by_label("I confirm the statement above").check()
        page.get_by_role("button", name="Approve").click()
        success(page, f"Approved. {reference} now awaits the DMPC's sign-off.")
        sign_out(page)

        # The DMPC signs it off; publication is deferred to tomorrow.
        sign_in(page, "dmpc")
        page.get_by_role("link", name=f"{reference}: {title}").first.click()
        page.get_by_role("button", name="Sign off").click()
        pass_second_factor(page, DEMO_BACKUP_CODES[0])
        page.get_by_label("No, I have no interest to declare").check()
        page.get_by_label("The above request has my approval").check()
        page.get_by_role("button", name="Sign off").click()
        success(page, f"{reference} is signed off. Publication is deferred until")
        sign_out(page)

        # The public cannot find it: register, search, page, PDF.
        number = decision.reference_number
        page.goto("/decisions/")
        expect(page.get_by_role("link", name=re.compile(f"^{reference}: "))).to_have_count(0)
        page.get_by_label("Search decisions").fill("knife crime community")
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_text("No decisions match your search")).to_be_visible()
        assert public.get(f"/decisions/pcd-{number}/").status_code == 404
        assert public.get(f"/decisions/pcd-{number}.pdf").status_code == 404
        assert reference not in public.get("/decisions/feed/").content.decode()
        listed = [d["reference"] for d in public.get("/api/decisions/").json()["items"]]
        assert reference not in listed
        assert public.get(f"/api/decisions/pcd-{number}/").status_code == 404

        # The clock reaches tomorrow and the beat task runs.
        with time_machine.travel(_tomorrow_start(), tick=True):
            assert publish_due_decisions() == 1
            assert publish_due_decisions() == 0

            page.goto("/decisions/")
            expect(page.get_by_role("link", name=f"{reference}: {title}")).to_be_visible()
            page.get_by_label("Search decisions").fill("knife crime community")
            page.get_by_role("button", name="Search").click()
            found = page.get_by_role("link", name=f"{reference}: {title}")
            expect(found).to_be_visible()
            found.click()
            expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
            expect(page.get_by_text(f"{tomorrow:%-d %B %Y}").first).to_be_visible()
            pdf = public.get(f"/decisions/pcd-{number}.pdf")
            assert pdf.status_code == 200
            assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content])[:5] == (
                b"%PDF-"
            )
            assert f"{reference}: {title}" in public.get("/decisions/feed/").content.decode()
            listed = [d["reference"] for d in public.get("/api/decisions/").json()["items"]]
            assert reference in listed
            detail = public.get(f"/api/decisions/pcd-{number}/").json()
            assert [t["title"] for a in detail["annexes"] for t in a["tables"]]
            # Its savings table is on its page, as a table with its caption.
            expect(page.locator("caption", has_text="Table 1.")).to_be_visible()

    assert Decision.objects.get(pk=draft.pk).status == Status.PUBLISHED
