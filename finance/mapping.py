"""A finance team's own columns matched to a kind of table's: each of their columns is one of
ours (a label column, a figure column) or ignored, and each figure column has the unit its
header names ("Full Year Budget (B07) £000" is in £ thousands). Applied to the rows of a file, a
`ColumnMatch` gives rows laid out as ours, every figure converted into the table's unit, so the
ordinary import reads them; columns of ours that they do not have are left empty.

Pure: nothing here knows the database; finance.models.ColumnMapping keeps a match for next time.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from finance import figures, kinds
from finance.figures import UNIT_IN_POUNDS, Unit
from finance.spreadsheets import Bad, ImportRefused, SheetRow

IGNORE = "ignore"


@dataclass(frozen=True)
class Target:
    """A column of ours that a column of theirs may become."""

    key: str  # "label:0", "figure:budget"
    shown: str
    figure: kinds.Figure | None = None


def targets(spec: kinds.KindSpec) -> list[Target]:
    found = [
        Target(f"label:{index}", name[:1].upper() + name[1:])
        for index, name in enumerate(spec.label_names)
    ]
    for figure in spec.figures:
        shown = figure.shown[:1].upper() + figure.shown[1:]
        if figure.repeats:
            shown = f"{shown} (one of several, named as in your file)"
        found.append(Target(f"figure:{figure.role}", shown, figure))
    return found


def header_key(header: Sequence[str]) -> str:
    """The same layout, whatever its case or spacing, has the same key."""
    joined = "\x1f".join(figures.normalise(h) for h in header)
    return hashlib.sha256(joined.encode()).hexdigest()


@dataclass(frozen=True)
class ColumnMatch:
    """For each column of their header: the key of one of our columns or IGNORE, and the unit of
    its figures (None for a label column or one ignored)."""

    kind: str
    header: tuple[str, ...]
    choices: tuple[str, ...]
    units: tuple[str | None, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "header": list(self.header),
            "choices": list(self.choices),
            "units": list(self.units),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ColumnMatch:
        return cls(
            kind=str(data["kind"]),
            header=tuple(str(h) for h in data["header"]),
            choices=tuple(str(c) for c in data["choices"]),
            units=tuple(None if u is None else str(u) for u in data["units"]),
        )

    @property
    def key(self) -> str:
        return header_key(self.header)

    def problems(self) -> list[str]:
        """What stops this match from making a table of its kind, in the officer's words."""
        if self.kind not in kinds.SPECS or kinds.spec_for(self.kind).open_columns:
            return ["Choose a kind of table."]
        if not len(self.header) == len(self.choices) == len(self.units):
            return ["The file's columns are not those that were matched; choose the file again."]
        spec = kinds.spec_for(self.kind)
        allowed = {t.key: t for t in targets(spec)}
        problems = []
        seen: dict[str, str] = {}
        for name, choice, unit in zip(self.header, self.choices, self.units, strict=True):
            target = allowed.get(choice)
            if choice != IGNORE and target is None:
                problems.append(f"Choose what “{name}” is, or ignore it.")
            elif target is not None and target.figure is None and choice in seen:
                problems.append(f"“{seen[choice]}” and “{name}” are both the {target.shown}.")
            elif target is not None and target.figure is not None:
                if not target.figure.repeats and choice in seen:
                    problems.append(f"“{seen[choice]}” and “{name}” are both “{target.shown}”.")
                if unit not in Unit.values:
                    problems.append(f"Choose the unit of the figures in “{name}”.")
            seen.setdefault(choice, name)
        line = f"label:{len(spec.label_names) - 1}"
        if line not in self.choices:
            problems.append(f"Choose which column holds the {allowed[line].shown.lower()}.")
        if not any(c.startswith("figure:") for c in self.choices):
            problems.append("Choose at least one column of figures.")
        return problems

    def apply(self, rows: Sequence[SheetRow], table_unit: str) -> list[SheetRow]:
        """Their rows laid out as ours, figures converted into `table_unit`."""
        if not rows or header_key(header_texts(rows[0].cells)) != self.key:
            raise ImportRefused(
                "The file's columns are not those that were matched; choose the file again."
            )
        problems = self.problems()
        if problems:
            raise ImportRefused(*problems)
        spec = kinds.spec_for(self.kind)
        # Each of our columns: its header, the column of theirs it comes from (or None) and the
        # power of ten that converts their unit into the table's.
        columns: list[tuple[str, int | None, int]] = []
        for index, name in enumerate(spec.label_names):
            source = _source(self.choices, f"label:{index}")
            columns.append((name, source, 0))
        for figure in spec.figures:
            key = f"figure:{figure.role}"
            sources = [i for i, c in enumerate(self.choices) if c == key]
            if not figure.repeats:
                name = f"{figure.shown} ({table_unit})"
                source = sources[0] if sources else None
                columns.append((name, source, self._shift(source, table_unit)))
                continue
            for source in sources:
                own = figures.split_unit(self.header[source])[0]
                fits = re.fullmatch(figure.names, figures.normalise(own))
                name = own if fits else f"{figure.shown} {own}"
                columns.append((f"{name} ({table_unit})", source, self._shift(source, table_unit)))
        laid_out = [SheetRow(rows[0].number, [name for name, _, _ in columns])]
        label_count = len(spec.label_names)
        for row in rows[1:]:
            cells: list[str | Bad] = []
            for position, (_, source, shift) in enumerate(columns):
                cell = row.cells[source] if source is not None and source < len(row.cells) else ""
                if position >= label_count and shift and isinstance(cell, str):
                    cell = _converted(cell, shift)
                cells.append(cell)
            # Named by our columns' names: their cell letters would not be ours.
            laid_out.append(SheetRow(row.number, cells))
        return laid_out

    def _shift(self, source: int | None, table_unit: str) -> int:
        if source is None:
            return 0
        theirs = UNIT_IN_POUNDS[Unit(self.units[source] or table_unit)]
        ours = UNIT_IN_POUNDS[Unit(table_unit)]
        # Units are powers of ten apart, so converting is moving the decimal point: exact.
        return int(theirs.log10() - ours.log10())


def _source(choices: Sequence[str], key: str) -> int | None:
    return next((i for i, c in enumerate(choices) if c == key), None)


def header_texts(cells: Sequence[str | Bad]) -> list[str]:
    """A header row as the names of its columns (a cell that is not text has no name)."""
    texts = [c if isinstance(c, str) else "" for c in cells]
    while texts and texts[-1] == "":
        texts.pop()
    return texts


def _converted(text: str, shift: int) -> str:
    """A figure's text in the table's unit ("16,777.6" £k → "16.7776" £m); text that is not a
    figure is left for the import to refuse."""
    number = figures.parse_number(text)
    if number is None:
        return text
    return figures.figure_text(number.scaleb(shift))


def _name_without_notes(name: str) -> str:
    """ "Full Year Budget (B07)" → "full year budget": the notes a team adds in brackets."""
    return figures.normalise(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", name))


def guess(spec: kinds.KindSpec, header: Sequence[str], table_unit: str) -> ColumnMatch:
    """A first match to offer: each column of theirs whose name (without its unit and notes in
    brackets) is one of ours, the rest ignored; each unit as its header says, else the table's."""
    choices: list[str] = []
    units: list[str | None] = []
    for index, text in enumerate(header):
        name, unit = figures.split_unit(text)
        plain = _name_without_notes(name)
        choice = IGNORE
        if index < len(spec.labels) and re.fullmatch(spec.labels[index], plain):
            choice = f"label:{index}"
        else:
            for figure in spec.figures:
                key = f"figure:{figure.role}"
                taken = key in choices and not figure.repeats
                if figure.names != r".+" and not taken and re.fullmatch(figure.names, plain):
                    choice = key
                    break
        choices.append(choice)
        units.append(str((unit or Unit(table_unit)).value))
    return ColumnMatch(spec.kind.value, tuple(header), tuple(choices), tuple(units))
