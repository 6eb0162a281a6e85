"""The annex pages as the officer, the approvers and an outsider use them: upload, preview,
confirm; a bad file refused with nothing kept; corrections and explanations; links from
recommendations to the lines the Scheme of Delegation reserves to the DMPC."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from decisions import services as decision_services
from decisions.models import Decision
from decisions.states import Status
from finance.models import Annex, AnnexRow, AnnexTable, FindingExplanation
from tests.factories import sign_in
from tests.finance.conftest import change_figure, seed_bytes
from tests.pages.helpers import use_plain_static_storage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static(settings: Any) -> None:
    use_plain_static_storage(settings)


def _upload(client: Any, annex: Annex, name: str, data: bytes) -> Any:
    return client.post(
        reverse("finance:upload", args=[annex.decision_id, annex.pk]),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv"), "kind": ""},
    )


def test_an_upload_is_previewed_with_its_checks_and_stored_only_on_confirmation(
    client: Any, officer: Any, annex: Annex
) -> None:
    sign_in(client, officer)

    preview = _upload(client, annex, "savings.csv", seed_bytes("savings.csv"))

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Check the table before importing it" in page
    assert "Recognised as <strong>Savings</strong>" in page
    assert "-82.1" in page and "Rounding" in page
    assert not AnnexTable.objects.filter(annex=annex).exists()

    token = preview.context["token"]
    done = client.post(
        reverse("finance:confirm", args=[annex.decision_id, annex.pk]),
        {"token": token},
        follow=True,
    )

    table = AnnexTable.objects.get(annex=annex)
    assert table.kind == "savings" and table.rows.count() == 4
    assert "Imported “" in done.content.decode()
    # The same token cannot import twice.
    again = client.post(
        reverse("finance:confirm", args=[annex.decision_id, annex.pk]),
        {"token": token},
        follow=True,
    )
    assert "That upload has expired" in again.content.decode()
    assert AnnexTable.objects.filter(annex=annex).count() == 1


def test_a_bad_file_is_refused_with_row_and_column_and_nothing_is_kept(
    client: Any, officer: Any, annex: Annex
) -> None:
    sign_in(client, officer)
    bad = seed_bytes("savings.csv").replace(b"-61.3,-61.3", b"-61.3,sixty", 1)

    response = _upload(client, annex, "savings.csv", bad)

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The file cannot be imported" in page
    assert "sixty" in page and "Row 2" in page
    assert not AnnexTable.objects.filter(annex=annex).exists()


def test_an_error_blocks_submission_until_the_officer_explains_it(
    client: Any, officer: Any, annex: Annex, import_file: Any
) -> None:
    import_file("revenue_position.csv", seed_bytes("revenue_position.csv"))
    wrong = change_figure("savings.csv", "Total - MPS Savings 2017/18", "Planned Saving (£m)", 1)
    table = import_file("savings.csv", wrong)
    sign_in(client, officer)

    page = client.get(reverse("staff:decision", args=[annex.decision_id])).content.decode()
    assert "Planned Saving (£m)" in page and "Error" in page
    refused = client.post(
        reverse("staff:act", args=[annex.decision_id, "submit"]), {"expected_status": "draft"}
    )
    # The submit page links the finding to the annexes page that fixes it.
    assert "You cannot submit this request yet" in refused.content.decode()
    assert "Correct it, or record why it differs." in refused.content.decode()
    assert reverse("finance:annexes", args=[annex.decision_id]) in refused.content.decode()
    assert Decision.objects.get(pk=annex.decision_id).status == Status.DRAFT

    table_page = client.get(reverse("finance:table", args=[annex.decision_id, table.pk]))
    errors = [(f, form) for f, form in table_page.context["findings"] if f.kind == "error"]
    # The changed total is wrong against its lines, and the variation derived from it too.
    assert {(f.row, f.column) for f, _ in errors} == {
        ("Total - MPS Savings 2017/18", "Planned Saving (£m)"),
        ("Total - MPS Savings 2017/18", "Variation (£m)"),
    }
    for finding, form in errors:
        client.post(
            reverse("finance:explain", args=[annex.decision_id, table.pk]),
            {
                "prefix": form.prefix,
                f"{form.prefix}-row_label": finding.row,
                f"{form.prefix}-column": finding.column,
                f"{form.prefix}-text": "The plan was revised after the figures were drawn up.",
            },
        )
    assert FindingExplanation.objects.filter(table=table).count() == 2

    submitted = client.post(
        reverse("staff:act", args=[annex.decision_id, "submit"]),
        {"expected_status": "draft"},
        follow=True,
    )
    assert "Submitted as PCD" in submitted.content.decode()


def test_budget_movements_must_be_approved_by_a_recommendation(
    client: Any, officer: Any, annex: Annex, import_file: Any
) -> None:
    import_file("budget_movements.csv", seed_bytes("budget_movements.csv"))
    sign_in(client, officer)
    decision = Decision.objects.get(pk=annex.decision_id)

    page = client.get(reverse("finance:annexes", args=[decision.pk])).content.decode()
    assert "Not yet in a recommendation" in page
    assert "Back Office transformation" in page

    rows = [item for item in AnnexRow.objects.filter(table__annex=annex) if item.label]
    form_page = client.get(reverse("staff:edit_recommendations", args=[decision.pk]))
    choices = dict(form_page.context["form"].fields["annex_rows"].choices)
    assert any("Back Office transformation" in label for label in choices.values())
    client.post(
        reverse("staff:edit_recommendations", args=[decision.pk]),
        {"text": "Approve the budget movements in the annex.", "annex_rows": list(choices)},
    )

    linked = AnnexRow.objects.filter(recommendations__decision=decision)
    assert set(linked.values_list("pk", flat=True)) == set(choices)
    assert all(r.pk in choices for r in linked) and len(rows) > len(choices)
    assert (
        "Not yet in a recommendation"
        not in client.get(reverse("finance:annexes", args=[decision.pk])).content.decode()
    )


def test_a_cell_is_corrected_in_the_browser_and_the_checks_run_again(
    client: Any, officer: Any, annex: Annex, import_file: Any
) -> None:
    table = import_file("savings.csv", seed_bytes("savings.csv"))
    row = table.rows.get(label__startswith="Savings with structural")
    sign_in(client, officer)
    url = reverse("finance:row_edit", args=[annex.decision_id, table.pk, row.pk])

    bad = client.post(url, {"cell_0": "-5.1", "cell_1": "nil", "cell_2": "5.1"})
    assert "There is a problem" in bad.content.decode()
    row.refresh_from_db()
    assert row.cells[1] == "0.0"

    client.post(url, {"cell_0": "-5.1", "cell_1": "-1.0", "cell_2": "4.1"})
    row.refresh_from_db()
    assert row.cells == ["-5.1", "-1.0", "4.1"]
    page = client.get(reverse("finance:table", args=[annex.decision_id, table.pk]))
    assert any(f.kind == "error" for f, _ in page.context["findings"])


def test_annexes_cannot_change_after_submission_through_the_pages(
    client: Any, officer: Any, annex: Annex, import_file: Any
) -> None:
    table = import_file("savings.csv", seed_bytes("savings.csv"))
    decision_services.decision_submit(decision=annex.decision, user=officer)
    sign_in(client, officer)
    row = table.rows.first()
    assert row is not None

    responses = [
        _upload(client, annex, "reserves.csv", seed_bytes("reserves.csv")),
        client.post(reverse("finance:row_edit", args=[annex.decision_id, table.pk, row.pk]), {}),
        client.post(reverse("finance:table_delete", args=[annex.decision_id, table.pk])),
        client.post(reverse("finance:annexes", args=[annex.decision_id]), {"title": "x"}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert AnnexTable.objects.filter(annex=annex).count() == 1
    assert Annex.objects.filter(decision_id=annex.decision_id).count() == 1


def test_an_outsider_gets_404_on_every_annex_address(
    client: Any, outsider: Any, other_officer: Any, annex: Annex, import_file: Any
) -> None:
    table = import_file("savings.csv", seed_bytes("savings.csv"))
    row = table.rows.first()
    assert row is not None
    d = annex.decision_id
    urls = [
        reverse("finance:annexes", args=[d]),
        reverse("finance:upload", args=[d, annex.pk]),
        reverse("finance:confirm", args=[d, annex.pk]),
        reverse("finance:table", args=[d, table.pk]),
        reverse("finance:explain", args=[d, table.pk]),
        reverse("finance:table_delete", args=[d, table.pk]),
        reverse("finance:row_edit", args=[d, table.pk, row.pk]),
    ]
    for user in (outsider, other_officer):
        sign_in(client, user)
        for url in urls:
            assert client.post(url, {"x": "1"}).status_code == 404, url
            assert client.get(url).status_code in (404, 405), url
    assert AnnexTable.objects.filter(annex=annex).count() == 1


def test_the_approvers_see_the_findings_and_explanations(
    client: Any, officer: Any, chief_executive: Any, dmpc: Any, annex: Annex, import_file: Any
) -> None:
    wrong = change_figure(
        "savings.csv", "Savings with structural delivery problems", "Forecast Saving (£m)", 1
    )
    table = import_file("savings.csv", wrong)
    from finance import selectors, services

    for finding in selectors.unexplained_errors(annex):
        services.explanation_record(
            table=table,
            user=officer,
            row_label=finding.row,
            column=finding.column,
            text="CANDID-EXPLANATION: a late saving was booked.",
        )
    sign_in(client, chief_executive)
    assert client.get(reverse("finance:annexes", args=[annex.decision_id])).status_code == 404

    decision_services.decision_submit(decision=annex.decision, user=officer)

    for person in (chief_executive, dmpc):
        sign_in(client, person)
        page = client.get(reverse("staff:decision", args=[annex.decision_id])).content.decode()
        assert "Findings of the arithmetic checks" in page
        assert "Savings with structural delivery problems" in page
        assert "CANDID-EXPLANATION: a late saving was booked." in page
        table_page = client.get(reverse("finance:table", args=[annex.decision_id, table.pk]))
        assert "CANDID-EXPLANATION" in table_page.content.decode()
        assert "Save explanation" not in table_page.content.decode()
