"""Forms of the annex pages (GOV.UK Design System through crispy-forms-gds)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.html import escape

from decisions.forms import GovukForm
from finance.mapping import IGNORE, ColumnMatch, Target
from finance.models import TableKind, Unit

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class AnnexForm(GovukForm):
    title = forms.CharField(
        max_length=250,
        help_text="For example “Quarterly Performance Update Report”.",
        error_messages={"required": "Enter a title"},
    )
    reporting_period = forms.CharField(max_length=100, help_text="For example “Quarter 1 2017/18”.")
    unit = forms.ChoiceField(choices=Unit.choices, initial=Unit.MILLIONS)


class UploadForm(GovukForm):
    file = forms.FileField(
        label="Spreadsheet (CSV or XLSX)",
        help_text="Laid out like the published tables: a header row, then one line per row, "
        "total rows included. At most 5 MB.",
    )
    kind = forms.ChoiceField(
        required=False,
        label="Kind of table",
        help_text="Leave as “Recognise from the columns” unless it is recognised wrongly.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = cast(forms.ChoiceField, self.fields["kind"])
        kind_field.choices = [("", "Recognise from the columns"), *TableKind.choices]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is 5 MB."
            )
        return upload


class RowForm(GovukForm):
    """One text box per figure of a row; values are checked by the service like an import."""

    def __init__(self, *args: Any, columns: list[str], values: list[str | None], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for index, (column, value) in enumerate(zip(columns, values, strict=True)):
            self.fields[f"cell_{index}"] = forms.CharField(
                # The GOV.UK template pack prints labels and hints as they are (they may hold
                # markup): a header from someone's file is escaped first.
                label=escape(column),
                required=False,
                initial=value or "",
            )

    def changed_cells(self) -> list[tuple[int, str]]:
        return [
            (int(name.removeprefix("cell_")), str(self.cleaned_data[name]).strip())
            for name in self.changed_data
        ]


class ExplanationForm(GovukForm):
    row_label = forms.CharField(widget=forms.HiddenInput)
    column = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Explanation",
        help_text="Why the figure is right as it stands, or why it differs.",
    )


class TitleForm(GovukForm):
    title = forms.CharField(
        max_length=250,
        label="Table title",
        help_text="As it is published, for example “Revenue position 2010-11”.",
        error_messages={"required": "Enter the table’s title"},
    )


class ColumnMatchForm(GovukForm):
    """For each of a finance team's columns: which of the kind's columns it is (or "Ignore this
    column"), and the unit of its figures, first as its header says."""

    def __init__(
        self,
        *args: Any,
        header: Sequence[str],
        targets: Sequence[Target],
        initial_match: ColumnMatch,
        samples: Sequence[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.header = list(header)
        options = [(IGNORE, "Ignore this column"), *((t.key, t.shown) for t in targets)]
        for index, name in enumerate(header):
            shown = name or f"Column {index + 1} (no name)"
            example = f" For example: {samples[index]}." if samples[index] else ""
            self.fields[f"column_{index}"] = forms.ChoiceField(
                # Escaped: the template pack prints labels and hints unescaped (see RowForm).
                label=escape(shown),
                choices=options,
                initial=initial_match.choices[index],
                help_text=escape(f"Column {index + 1} of your file.{example}"),
                error_messages={"invalid_choice": f"Choose what “{shown}” is, or ignore it"},
            )
            self.fields[f"unit_{index}"] = forms.ChoiceField(
                label=escape(f"Unit of “{shown}”"),
                choices=Unit.choices,
                initial=initial_match.units[index] or Unit.MILLIONS,
                help_text="For a column of figures: as its header says, where it does.",
            )

    def match(self, kind: str) -> ColumnMatch:
        count = len(self.header)
        choices = tuple(str(self.cleaned_data[f"column_{i}"]) for i in range(count))
        units = tuple(
            str(self.cleaned_data[f"unit_{i}"]) if choices[i] != IGNORE else None
            for i in range(count)
        )
        return ColumnMatch(kind=kind, header=tuple(self.header), choices=choices, units=units)
