"""What the importer inferred and what a person must confirm, as plain data.

The drafter turns `Finding`s with `confirm=True` into `# 待确认：…` comments at their subject
in the draft, and lists every finding in its stderr summary.

Whether a finding needs confirmation is a property of its code (CONFIRM below), so that
the same kind of finding never asks in one place and only informs in another.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..records import record

__all__ = ["CONFIRM", "Finding", "Report", "Subject"]

# code -> needs a person's confirmation (True) or is inferred and stated (False)
CONFIRM: dict[str, bool] = {
    # the source as a whole
    "encoding": False,  # which encoding a csv/text file was read in
    "title-skipped": False,  # rows above the header taken as title (detail: the lines)
    "sheet-chosen": False,
    "date-cells": False,  # xlsx date cells read as YYYY年M月D日
    "rows-cut": True,  # a sheet longer than the importer reads
    "tables-joined": False,  # docx tables joined as one 台账 split across pages
    "table-not-joined": True,  # a later docx table with other columns, not read
    "two-row-header": False,
    "realigned": False,  # text rows whose cells were shifted, aligned on the measure label
    "continuation-line": True,  # a text line without tabs, appended to the row above
    "lines-skipped": True,  # text lines between header and first measure
    "extra-cells": True,  # more cells after the measure than the header has columns
    "note-row": False,  # a remark merged across the table, not a measure
    "columns": False,  # the column map
    "levels": False,  # levels, labels and numbering found
    "numbering": True,  # numbering neither global nor per parent
    "period": True,  # the plan period inferred from the years
    "no-deadline-column": True,
    "first-unit-leads": True,  # the document says the first unit named is the lead
    "body-membership": False,  # how many memberships the body text confirmed
    # one measure (subject.kind == "measure")
    "late-task-label": False,  # moved to the task the body text puts it in (detail: from, to)
    "missing-inner-label": True,  # a new outer level without an inner label
    "continuation-row": True,  # a row without a number merged into the one above
    "latin-word": True,  # Latin words in Chinese text, e.g. "and" for 和 (detail: the words)
    "space-separated-units": False,
    "unit-roles": False,  # roles read from the words of a unit cell
    "unit-role-guess": True,
    "unit-suspect": True,  # a "unit" that looks like more than a name (a date, a sentence)  # a reading of roles the words imply but do not state ("X会同Y")
    "embedded-units": False,  # units taken from a bracket at the end of the measure's text
    "no-units": True,
    "no-deadline": True,
    "deadline-unreadable": True,  # detail: (the phrase,)
    "deadline-unit": True,  # a deadline names a unit the measure does not list
    "deadline-other-units": True,  # "其他…" read as the measure's other units (detail: name, *units)
    # registry
    "group-members": True,  # subject: ("group", name)
    "alias": True,  # subject: ("alias", canonical); detail: (alias, canonical)
}


@record
class Subject:
    """What a finding is about, so the drafter can put its comment at that place.

    kind: "source" (the file as a whole), "column", "measure" (key: the row's source
    position, e.g. "台账.xlsx:Sheet1:5", and `number` when known), "unit", "group", "alias".
    """

    kind: str
    key: str = ""
    number: str = ""  # measure number or path as printed ("27", "2.3"), when known


@record
class Finding:
    code: str  # stable machine-readable class, e.g. "late-task-label", "group-members"
    message: str  # Chinese, one sentence, names the place
    subject: Subject
    where: str = ""  # file:sheet:row of the evidence, when there is one
    detail: tuple[str, ...] = ()  # values involved (unit names, the phrase …)

    def __post_init__(self) -> None:
        if self.code not in CONFIRM:
            raise ValueError(f"unknown finding code {self.code!r}")

    @property
    def confirm(self) -> bool:
        """True: needs a person's decision; False: inferred and stated."""
        return CONFIRM[self.code]

    @property
    def comment(self) -> str:
        """The text of the draft comment for this finding (without the leading "# ")."""
        return f"待确认：{self.message}" if self.confirm else f"推断：{self.message}"


@record
class Report:
    findings: tuple[Finding, ...]

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Report:
        seen: set[tuple[str, str, str, str]] = set()
        unique: list[Finding] = []
        for f in findings:
            key = (f.code, f.subject.kind, f.subject.key, f.message)
            if key not in seen:
                seen.add(key)
                unique.append(f)
        return cls(tuple(unique))

    @property
    def to_confirm(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.confirm)

    @property
    def inferred(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.confirm)

    def by_code(self, code: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.code == code)

    def about(self, kind: str, key: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.subject.kind == kind and f.subject.key == key)
