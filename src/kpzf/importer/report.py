"""What the importer inferred and what a person must confirm, as plain data.

The drafter turns `Finding`s with `confirm=True` into `# 待确认：…` comments at their subject
in the draft, and lists every finding in its stderr summary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Finding", "Report", "Subject"]


@dataclass(frozen=True)
class Subject:
    """What a finding is about, so the drafter can put its comment at that place.

    kind: "source" (the file as a whole), "column", "measure" (key: the row's source
    position, e.g. "台账.xlsx:Sheet1:5", and `number` when known), "unit", "group", "alias".
    """

    kind: str
    key: str = ""
    number: str = ""  # measure number or path as printed ("27", "2.3"), when known


@dataclass(frozen=True)
class Finding:
    code: str  # stable machine-readable class, e.g. "late-task-label", "group-members"
    message: str  # Chinese, one sentence, names the place
    subject: Subject
    confirm: bool  # True: needs a person's decision; False: inferred and stated
    where: str = ""  # file:sheet:row of the evidence, when there is one
    detail: tuple[str, ...] = ()  # values involved (unit names, the phrase …)

    @property
    def comment(self) -> str:
        """The text of the draft comment for this finding (without the leading "# ")."""
        return f"待确认：{self.message}" if self.confirm else f"推断：{self.message}"


@dataclass(frozen=True)
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
