"""Forms of the staff pages, rendered with the GOV.UK Design System (crispy-forms-gds)."""

from __future__ import annotations

import datetime
from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field, Layout, Size
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.forms import HiddenInput

from decisions.dates import london_today
from decisions.document import paragraph_numbers
from decisions.errors import ActionRefused
from decisions.models import Decision, Paragraph, TemplateSection
from decisions.text import LONG_TEXT_MAX, is_blank


def _prints_something(value: str) -> None:
    # Raised as "required", so the field's own message shows ("Enter a title").
    if is_blank(value):
        raise ValidationError("This field is required.", code="required")


def _guard_text(field: forms.CharField, name: str) -> None:
    label = str(field.label or name.replace("_", " ").capitalize())
    if field.max_length is None:
        field.max_length = LONG_TEXT_MAX
        field.validators.append(validators.MaxLengthValidator(LONG_TEXT_MAX))
    field.error_messages["max_length"] = f"{label} must be {field.max_length:,} characters or fewer"
    field.error_messages["null_characters_not_allowed"] = (
        f"{label} must not contain a null character"
    )
    if field.required:
        field.validators.append(_prints_something)


def _messages(required: str, too_long: str = "") -> dict[str, str]:
    """A field's own error messages, in the Design System's words: never "This field is
    required."."""
    found = {"required": required}
    if too_long:
        found["max_length"] = too_long
    return found


class GovukForm(forms.Form):
    """A form laid out by the GOV.UK template pack; the page supplies the <form> and buttons.

    Every text box refuses, with a message naming it: a NUL character (PostgreSQL cannot store
    one), more than LONG_TEXT_MAX characters where the field sets no lower limit, and, where an
    answer is required, text that prints nothing (zero-width characters only).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, HiddenInput):
                _guard_text(field, name)
            # A browser's maxlength cuts a pasted text silently; the form says what is too long
            # instead (the Design System's character count shows the limit as the person types).
            field.widget.attrs.pop("maxlength", None)

    def refused(self, error: ActionRefused) -> None:
        """Show a service's refusal at the top of the form's error summary."""
        for message in error.messages:
            self.add_error(None, message)


TITLE_MESSAGES = _messages("Enter a title", "Title must be 250 characters or fewer")


def title_layout(*more: str) -> Layout:
    """The title with the Design System's character count (its limit shown as one types)."""
    return Layout(Field.textarea("title", rows=2, max_characters=250), *more)


class CreateDecisionForm(GovukForm):
    title = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=250,
        help_text="For example, “Financial Reporting 2017/18 – Quarter 1”.",
        error_messages=TITLE_MESSAGES,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = title_layout()


class SummaryForm(GovukForm):
    title = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=250,
        error_messages=TITLE_MESSAGES,
        help_text="As it will appear in the register of decisions.",
    )
    executive_summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text="Leave a blank line between paragraphs.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = title_layout("executive_summary")


class ParagraphForm(GovukForm):
    heading = forms.CharField(
        max_length=200,
        required=False,
        label="Sub-heading (optional)",
        help_text="Shown above the paragraph, for example “Budget Movements”.",
        error_messages={"max_length": "Sub-heading must be 200 characters or fewer"},
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Paragraph",
        error_messages=_messages("Enter the text of the paragraph"),
        help_text="Start a line with “- ” to make a bullet point.",
    )


class SectionTextForm(GovukForm):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 20}),
        required=False,
        label="The whole section",
        help_text="Leave a blank line between paragraphs; they are numbered in this order. "
        "Start a line with “- ” for a bullet point, or with (a), i. or 1. for a numbered list. "
        "A line “## Heading” gives the next paragraph a sub-heading.",
    )

    def __init__(self, *args: Any, section_number: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # assets/js/paragraph-numbers.mjs numbers the paragraphs as they are typed.
        self.fields["text"].widget.attrs["data-paragraph-numbers"] = str(section_number)


class NewParagraphForm(ParagraphForm):
    before = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label="Where should it go?",
    )

    def __init__(self, *args: Any, paragraphs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["before"]).choices = [
            ("", "At the end of the section")
        ] + [(pk, f"Before paragraph {number}") for pk, number in paragraphs]


class RecommendationForm(GovukForm):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="The DMPC is asked to",
        error_messages=_messages("Enter what the DMPC is asked to do"),
        help_text=(
            "Write {paragraphs} where the paragraph numbers should appear, for example "
            "“Approve the budget movements set out in {paragraphs}.” Without it, they go at the "
            "end, before the full stop: “Approve the budget (see paragraph 2.6).”"
        ),
    )
    paragraphs = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Paragraphs this recommendation refers to",
        help_text="The numbers are always the current ones, however the paragraphs move.",
    )

    annex_rows = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Annex lines this recommendation asks the DMPC to approve",
        help_text="Budget movements of £500,000 or more and transfers to or from reserves need "
        "the DMPC's approval (Scheme of Delegation).",
    )

    def __init__(
        self,
        *args: Any,
        paragraphs: list[tuple[int, str]],
        annex_rows: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if paragraphs:
            cast(forms.ChoiceField, self.fields["paragraphs"]).choices = paragraphs
        else:
            # Before Part I is written there is nothing to cite: no empty group of checkboxes.
            del self.fields["paragraphs"]
        if annex_rows:
            cast(forms.ChoiceField, self.fields["annex_rows"]).choices = annex_rows
        else:
            del self.fields["annex_rows"]


YES_NO = [("yes", "Yes"), ("no", "No")]


class GovukDateField(forms.MultiValueField):
    """The Design System's date input (day, month, year) with its error messages: "… must
    include a month", "… must be a real date". `name` starts each message ("Date until which
    publication is deferred")."""

    widget = DateInputWidget

    def __init__(self, *, name: str, **kwargs: Any) -> None:
        self.name = name
        parts = [forms.CharField(required=False) for _ in range(3)]
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def clean(self, value: Any) -> datetime.date | None:
        values = [str(v or "").strip() for v in (value or ["", "", ""])]
        if not any(values):
            if self.required:
                raise ValidationError(f"Enter the {self.name[0].lower()}{self.name[1:]}")
            return None
        missing = [part for part, v in zip(("day", "month", "year"), values, strict=True) if not v]
        if missing:
            raise ValidationError(f"{self.name} must include a {' and a '.join(missing)}")
        if not all(v.isdigit() for v in values) or len(values[2]) != 4:
            raise ValidationError(f"{self.name} must be a real date")
        day, month, year = (int(v) for v in values)
        try:
            return datetime.date(year, month, day)
        except ValueError as error:
            raise ValidationError(f"{self.name} must be a real date") from error

    def compress(self, data_list: list[Any]) -> Any:  # clean() does the work
        return data_list


class PublicAccessForm(GovukForm):
    publication_deferred = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        label="Is the publication of Part 1 of this approval to be deferred?",
        error_messages=_messages("Select whether publication of Part 1 is to be deferred"),
    )
    deferral_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="For what reason",
    )
    deferred_until = GovukDateField(
        name="Date until which publication is deferred",
        required=False,
        label="Until what date",
        help_text="For example, 31 3 2027",
    )
    has_part_two = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        label="Is there a Part 2 form?",
        error_messages=_messages("Select whether there is a Part 2 form"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The reason and the date are asked only of a "Yes" (the Design System's conditional
        # reveal; without JavaScript they show under it).
        self.helper.layout = Layout(
            ConditionalRadios(
                "publication_deferred",
                ConditionalQuestion("Yes", "deferral_reason", "deferred_until"),
                "No",
            ),
            Field.radios("has_part_two"),
        )

    @classmethod
    def initial_for(cls, decision: Decision) -> dict[str, Any]:
        until = decision.deferred_until
        return {
            "publication_deferred": "yes" if decision.publication_deferred else "no",
            "deferral_reason": decision.deferral_reason,
            "deferred_until": [until.day, until.month, until.year] if until else None,
            "has_part_two": "yes" if decision.has_part_two else "no",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("publication_deferred") == "yes":
            if not (data.get("deferral_reason") or "").strip():
                self.add_error("deferral_reason", "Enter the reason for deferring publication")
            until = data.get("deferred_until")
            if "deferred_until" in self.errors:
                pass
            elif not until:
                self.add_error(
                    "deferred_until", "Enter the date until which publication is deferred"
                )
            elif until <= london_today():
                self.add_error(
                    "deferred_until",
                    "Date until which publication is deferred must be in the future",
                )
        return data


class PartTwoForm(GovukForm):
    facts_and_advice = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        label="Confidential facts and advice to the DMPC",
        error_messages=_messages("Enter the confidential facts and advice"),
    )
    exemption_rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Legal rationale for not publishing",
        error_messages=_messages("Enter the legal rationale for not publishing"),
        help_text="The Freedom of Information Act exemption relied on, and why it applies.",
    )


class DeclarationForm(GovukForm):
    items = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Tick to confirm each statement",
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["items"]).choices = choices


class SubmitForm(GovukForm):
    """Submission asks nothing more; the form carries the error summary for a refusal."""


class CommentForm(GovukForm):
    """Return, reject, withdraw: the reason is required (the service says so too)."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Reason")


class ApproveForm(GovukForm):
    confirmed = forms.BooleanField(
        label="I confirm the statement above",
        error_messages=_messages("Confirm the statement to approve"),
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Comment (optional)"
    )


class SignOffForm(GovukForm):
    has_interests = forms.ChoiceField(
        choices=[("no", "No, I have no interest to declare"), ("yes", "Yes")],
        widget=forms.RadioSelect,
        label="Do you have any personal or prejudicial interest in this matter?",
        error_messages=_messages("Select whether you have an interest"),
    )
    interests = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Record the interests",
    )
    confirmed = forms.BooleanField(
        label="The above request has my approval",
        error_messages=_messages("Confirm that the request has your approval"),
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Comment (optional)"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            ConditionalRadios(
                "has_interests",
                "No, I have no interest to declare",
                ConditionalQuestion("Yes", "interests"),
            ),
            "confirmed",
            "comment",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("has_interests") == "yes" and not (data.get("interests") or "").strip():
            self.add_error("interests", "Enter the interests you declare")
        return data

    def declared_interests(self) -> str:
        if self.cleaned_data["has_interests"] == "no":
            return "None"
        return str(self.cleaned_data["interests"]).strip()


def paragraph_choices(
    decision: Decision, section: TemplateSection | None = None
) -> list[tuple[int, str]]:
    numbers = paragraph_numbers(decision)
    paragraphs = Paragraph.objects.filter(decision=decision).order_by("section__number", "position")
    if section is not None:
        paragraphs = paragraphs.filter(section=section)
    return [
        (p.pk, f"{numbers[p.pk]} {p.text[:90]}{'…' if len(p.text) > 90 else ''}")
        if section is None
        else (p.pk, numbers[p.pk])
        for p in paragraphs
    ]


class RescheduleForm(GovukForm):
    """A governance officer's new publication date for a deferred decision, and why."""

    publish_on = forms.DateField(
        label="New publication date",
        help_text="Published at the start of this day (UK time). For example, 31/03/2027.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": "Enter the new publication date",
            "invalid": "Publication date must be a real date",
        },
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Why is the date changing?",
        error_messages={"required": "Give the reason for changing the publication date"},
    )
