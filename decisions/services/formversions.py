"""Form versions: governance makes a new version of the PCD form from the one in force (its
sections, declaration items, opening line and guidance), edits the copy, and sets the date it
comes into force. Requests already drafted keep the version they were drafted on."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max

from decisions.dates import london_today
from decisions.errors import ActionRefused
from decisions.models import DeclarationItem, FormTemplate, TemplateSection
from decisions.types import User


@transaction.atomic
def form_template_new_version(
    *, template: FormTemplate, user: User, effective_from: datetime.date | None = None
) -> FormTemplate:
    """A copy of `template` as the next version of its form, in force from `effective_from`
    (tomorrow by default, so nobody drafting today finds their form changed under them)."""
    if not user.has_perm("decisions.add_formtemplate"):
        raise ActionRefused("Only governance officers can make a new version of the form.")
    latest = FormTemplate.objects.filter(name=template.name).aggregate(Max("version"))
    copy = FormTemplate.objects.create(
        name=template.name,
        version=(latest["version__max"] or 0) + 1,
        effective_from=effective_from or london_today() + datetime.timedelta(days=1),
        foia_statement=template.foia_statement,
        deferral_guidance=template.deferral_guidance,
        part_two_guidance=template.part_two_guidance,
        officer_approval_declaration=template.officer_approval_declaration,
        dmpc_declaration=template.dmpc_declaration,
        dmpc_approval_statement=template.dmpc_approval_statement,
        recommendations_intro=template.recommendations_intro,
    )
    TemplateSection.objects.bulk_create(
        TemplateSection(
            template=copy,
            number=section.number,
            title=section.title,
            guidance=section.guidance,
            required=section.required,
        )
        for section in template.sections.order_by("number")
    )
    DeclarationItem.objects.bulk_create(
        DeclarationItem(template=copy, position=item.position, heading=item.heading, text=item.text)
        for item in template.declaration_items.order_by("position")
    )
    return copy
