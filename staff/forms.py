"""The forms of the form-version pages (governance changes a draft version of the PCD form), laid
out by the GOV.UK template pack as the request's forms are (decisions.forms.GovukForm): each
field's own message in the Design System's words, a character count where a field has a limit,
the date input for the day a version comes into force."""

from __future__ import annotations

import datetime
from typing import Any, cast

from crispy_forms_gds.layout import Field, Layout
from django import forms

from decisions.dates import london_today
from decisions.forms import YES_NO, GovukDateField, GovukForm
from decisions.models import DeclarationItem, TemplateSection
from decisions.services.formversions import (
    FORM_TEXTS,
    ITEM_HEADING_MAX,
    SECTION_TITLE_MAX,
    text_label,
    text_max_length,
)

# What each of the version's texts is for, under its label.
TEXT_HINTS = {
    "recommendations_intro": "The line above the recommendations, for example “The DMPC is "
    "asked to:” or “The DMPC is asked to note:”.",
    "foia_statement": "Shown above the public access questions. Leave a blank line between "
    "paragraphs.",
    "deferral_guidance": "What the officer is told about deferring the publication of Part 1.",
    "part_two_guidance": "Shown to the officer on the Part 2 page.",
    "officer_approval_declaration": "What the Chief Executive confirms when they approve a "
    "request. It is printed with their signature.",
    "dmpc_declaration": "What the DMPC confirms about their interests when they sign off.",
    "dmpc_approval_statement": "The last line the DMPC signs, for example “The above request has "
    "my approval.”.",
}


def _layout(form: GovukForm, counted: dict[str, int]) -> Layout:
    """Every field in order; those in `counted` with the Design System's character count (the
    limit shown as one types)."""
    return Layout(
        *(
            Field.textarea(name, rows=2, max_characters=counted[name]) if name in counted else name
            for name in form.fields
        )
    )


class _TextForm(GovukForm):
    field_name = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = text_max_length(self.field_name)
        self.helper.layout = _layout(self, {"text": limit} if limit else {})


def text_form(field: str, *args: Any, **kwargs: Any) -> GovukForm:
    """The form of one of the version's texts (decisions.services.formversions.FORM_TEXTS)."""
    name = FORM_TEXTS[field]
    limit = text_max_length(field)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2 if limit else 6}),
        max_length=limit,
        label=text_label(field),
        help_text=TEXT_HINTS[field],
        error_messages={"required": f"Enter the {name}"},
    )
    form_class = type(f"TextForm_{field}", (_TextForm,), {"text": text, "field_name": field})
    return cast(GovukForm, form_class(*args, **kwargs))


class EffectiveFromForm(GovukForm):
    effective_from = GovukDateField(
        name="The date it comes into force",
        required=False,
        label="Date it comes into force",
        help_text="New requests use this version from the start of this day (UK time). For "
        "example, 27 3 2027",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day: datetime.date | None = data.get("effective_from")
        if "effective_from" in self.errors:
            pass
        elif day is None:
            self.add_error("effective_from", "Enter a date the version comes into force")
        elif day <= london_today():
            self.add_error("effective_from", "The date it comes into force must be in the future")
        return data


class _SectionFields(GovukForm):
    title = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=SECTION_TITLE_MAX,
        label="Section title",
        help_text="For example, “Commercial issues”.",
        error_messages={"required": "Enter a section title"},
    )
    guidance = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Guidance for the officer (optional)",
        help_text="Shown above the section while the officer writes it.",
    )
    required = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        label="Must the officer write this section?",
        help_text="If yes, the officer writes it or records “No comments”, as for the Financial, "
        "Legal and Equality comments.",
        error_messages={"required": "Select whether the officer must write this section"},
    )
    place = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = _layout(self, {"title": SECTION_TITLE_MAX})

    @staticmethod
    def initial_for(section: TemplateSection) -> dict[str, Any]:
        return {
            "title": section.title,
            "guidance": section.guidance,
            "required": "yes" if section.required else "no",
            "place": section.number,
        }


class NewSectionForm(_SectionFields):
    """A new section: `place` is the section it goes before (a primary key), or the end."""

    def __init__(self, *args: Any, sections: list[TemplateSection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = cast(forms.TypedChoiceField, self.fields["place"])
        place.label = "Where should it go?"
        place.choices = [("", "At the end")] + [
            (s.pk, f"Before section {s.number}, {s.title}") for s in sections
        ]


class SectionForm(_SectionFields):
    """A section as it is: `place` is its number (the others close up around it)."""

    def __init__(self, *args: Any, count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = cast(forms.TypedChoiceField, self.fields["place"])
        place.label = "Section number"
        place.help_text = "The sections after it are numbered on, with no gaps."
        place.required = True
        place.error_messages["required"] = "Select the section number"
        place.choices = [(n, str(n)) for n in range(1, count + 1)]


class _ItemFields(GovukForm):
    heading = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=ITEM_HEADING_MAX,
        label="Heading",
        help_text="For example, “Legal Advice”.",
        error_messages={"required": "Enter a heading"},
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Statement the officer confirms",
        help_text="The officer ticks it to confirm it before submitting a request.",
        error_messages={"required": "Enter the statement the officer confirms"},
    )
    place = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = _layout(self, {"heading": ITEM_HEADING_MAX})

    @staticmethod
    def initial_for(item: DeclarationItem) -> dict[str, Any]:
        return {"heading": item.heading, "text": item.text, "place": item.position}


class NewItemForm(_ItemFields):
    def __init__(self, *args: Any, items: list[DeclarationItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = cast(forms.TypedChoiceField, self.fields["place"])
        place.label = "Where should it go?"
        place.choices = [("", "At the end")] + [
            (item.pk, f"Before {item.heading}") for item in items
        ]


class ItemForm(_ItemFields):
    def __init__(self, *args: Any, count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = cast(forms.TypedChoiceField, self.fields["place"])
        place.label = "Position"
        place.help_text = "Where it comes in the officer's declaration, from the top."
        place.required = True
        place.error_messages["required"] = "Select the position"
        place.choices = [(n, str(n)) for n in range(1, count + 1)]
