"""The MOPAC "Request for DMPC Decision" form as used for PCD 279 (2017), as version 1, and the
reference series. The wording of the declarations is the form's; later versions of the form are
added as new rows, never by editing this one."""

import datetime

from django.db import migrations

FORM = {
    "name": "Request for DMPC Decision",
    "version": 1,
    "effective_from": datetime.date(2017, 1, 1),
    "foia_statement": (
        "Information in this form (Part 1) is subject to the Freedom of Information Act 2000 "
        "(FOIA) and will be made available on the MOPAC website following approval.\n\n"
        "If immediate publication risks compromising the implementation of the decision it can "
        "be deferred until a specific date. Deferral periods should be kept to the shortest "
        "length strictly necessary."
    ),
    "deferral_guidance": (
        "Deferral periods should be kept to the shortest length strictly necessary."
    ),
    "part_two_guidance": (
        "Only the facts or advice considered as likely to be exempt from disclosure under the "
        "FOIA should be in the separate Part 2 form, together with the legal rationale for "
        "non-publication."
    ),
    "officer_approval_declaration": (
        "I have been consulted about the proposal and confirm that financial, legal and "
        "equalities advice has been taken into account in the preparation of this report. I am "
        "satisfied that this is an appropriate request to be submitted to the Deputy Mayor for "
        "Policing and Crime."
    ),
    "dmpc_declaration": (
        "I confirm I have considered whether or not I have any personal or prejudicial interest "
        "in this matter and take the proposed decision in compliance with the Code of Conduct. "
        "Any such interests are recorded below."
    ),
    "dmpc_approval_statement": "The above request has my approval.",
}

SECTIONS = [
    (1, "Introduction and background"),
    (2, "Issues for consideration"),
    (3, "Financial comments"),
    (4, "Legal comments"),
    (5, "Equality comments"),
    (6, "Background/supporting papers"),
]

DECLARATION_ITEMS = [
    (
        "Head of Unit",
        "The head of the originating unit has reviewed the request and is satisfied it is "
        "correct and consistent with MOPAC's plans and priorities.",
    ),
    (
        "Financial Advice",
        "The Strategic Finance and Resource Management Team has been consulted on this proposal.",
    ),
    ("Legal Advice", "The MOPAC legal team has been consulted on the proposal."),
    ("Equalities Advice", "Equality and diversity issues are covered in the body of the report."),
]


def create(apps, schema_editor):
    FormTemplate = apps.get_model("decisions", "FormTemplate")
    TemplateSection = apps.get_model("decisions", "TemplateSection")
    DeclarationItem = apps.get_model("decisions", "DeclarationItem")
    ReferenceCounter = apps.get_model("decisions", "ReferenceCounter")
    template = FormTemplate.objects.create(**FORM)
    for number, title in SECTIONS:
        TemplateSection.objects.create(template=template, number=number, title=title)
    for position, (heading, text) in enumerate(DECLARATION_ITEMS, start=1):
        DeclarationItem.objects.create(
            template=template, position=position, heading=heading, text=text
        )
    ReferenceCounter.objects.get_or_create(prefix="PCD")


def remove(apps, schema_editor):
    apps.get_model("decisions", "FormTemplate").objects.filter(
        name=FORM["name"], version=FORM["version"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("decisions", "0002_append_only_triggers")]
    operations = [migrations.RunPython(create, remove)]
