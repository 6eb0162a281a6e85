"""Form versions governance can manage: a new version copied from the one in force, changed
(sections, declaration items, the opening line, guidance), while requests already drafted keep
their own."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from decisions import services
from decisions.dates import london_today
from decisions.errors import ActionRefused
from decisions.models import FormTemplate
from tests.factories import make_complete_draft, sign_in
from tests.pages.helpers import text_of

pytestmark = pytest.mark.django_db


def test_governance_makes_a_new_version_and_old_requests_keep_theirs(
    client: Any, officer: Any, governance: Any
) -> None:
    old_request = make_complete_draft(officer)
    current = old_request.template

    new = services.form_template_new_version(
        template=current, user=governance, effective_from=london_today()
    )

    assert new.version == current.version + 1
    assert [s.title for s in new.sections.all()] == [s.title for s in current.sections.all()]
    assert list(new.sections.filter(required=True).values_list("number", flat=True)) == [3, 4, 5]
    assert new.declaration_items.count() == current.declaration_items.count()
    new.recommendations_intro = "The DMPC is asked to note:"
    new.save()
    new.sections.filter(number=6).update(
        title="Supporting papers", guidance="List each appendix with its date."
    )

    fresh_request = services.decision_create(user=officer, title="Domestic abuse services")
    assert fresh_request.template == new
    client.force_login(officer)
    new_page = text_of(client.get(reverse("staff:decision", args=[fresh_request.pk])))
    assert "The DMPC is asked to note:" in new_page
    assert "Part I, 6. Supporting papers" in new_page
    section = text_of(client.get(reverse("staff:edit_section", args=[fresh_request.pk, 6])))
    assert "List each appendix with its date." in section

    old_page = text_of(client.get(reverse("staff:decision", args=[old_request.pk])))
    assert "The DMPC is asked to:" in old_page
    assert "Part I, 6. Background/supporting papers" in old_page


def test_a_new_version_is_a_draft_until_governance_sets_its_date(governance: Any) -> None:
    current = FormTemplate.objects.first()
    assert current is not None
    new = services.form_template_new_version(template=current, user=governance)
    assert new.effective_from is None
    assert services.current_template() == current
    assert FormTemplate.objects.first() == current  # drafts come last


def test_only_governance_makes_form_versions(officer: Any) -> None:
    current = FormTemplate.objects.first()
    assert current is not None
    with pytest.raises(ActionRefused):
        services.form_template_new_version(template=current, user=officer)


def test_the_admin_shows_the_versions_and_changes_none_of_them(
    client: Any, governance_admin: Any
) -> None:
    """Changes go through the staff pages, where they are recorded and need the second factor."""
    current = FormTemplate.objects.first()
    assert current is not None
    sign_in(client, governance_admin)
    listing = client.get(reverse("admin:decisions_formtemplate_changelist"))
    assert listing.status_code == 200
    assert "new_version" not in listing.content.decode()

    change = reverse("admin:decisions_formtemplate_change", args=[current.pk])
    assert client.get(change).status_code == 200  # shown, read-only
    refused = client.post(change, {"name": "Changed", "version": current.version})
    assert refused.status_code == 403
    assert client.get(reverse("admin:decisions_formtemplate_add")).status_code == 403
    current.refresh_from_db()
    assert current.name != "Changed"
