"""Unit roles (牵头 lead, 配合 assist, 责任 responsible): the one rule reading them from unit text.

Both the model (a measure without `lead`/`assist`/`responsible` fields) and the importer (a
published 责任单位 cell) read roles with `read_roles`:
- "牵头单位：X；配合单位：Y", "牵头单位:X;责任单位:Y" — a role label before its units;
- "X牵头", "X配合", "X、Y按职责分工（分别）负责" — role words after the units of a clause;
- "X（牵头）" — a role in brackets after one unit;
- "X会同Y" — X leads, Y assists (a reading that needs a person's confirmation);
- units are separated by 、，,；;。 but never inside brackets (县发改局(粮食局) is one unit).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..records import record

__all__ = [
    "ASSIST",
    "LEAD",
    "RESPONSIBLE",
    "ROLES",
    "ROLE_WORD",
    "RoleMention",
    "RoleReading",
    "read_roles",
    "stronger",
    "unwrap",
]

LEAD, ASSIST, RESPONSIBLE = "lead", "assist", "responsible"
ROLES = (LEAD, ASSIST, RESPONSIBLE)
ROLE_WORD = {LEAD: "牵头", ASSIST: "配合", RESPONSIBLE: "责任"}  # how the plan and the tables say it
# A unit met twice in one measure (directly and through a group, or in two clauses) keeps the
# role that answers for most: the lead answers for the whole item, a responsible unit for its share.
_STRENGTH = {LEAD: 3, RESPONSIBLE: 2, ASSIST: 1}

OPEN, CLOSE = "（(〔[【", "）)〕]】"
_ROLE_LABEL = re.compile(
    r"(牵头单位|牵头部门|主责单位|配合单位|配合部门|协办单位|参与单位|责任单位|责任部门)\s*[:：]"
)
_LABEL_ROLE = {"牵头单位": LEAD, "牵头部门": LEAD, "主责单位": LEAD, "配合单位": ASSIST,
               "配合部门": ASSIST, "协办单位": ASSIST, "参与单位": ASSIST, "责任单位": RESPONSIBLE,
               "责任部门": RESPONSIBLE}
_ROLE_SUFFIX = re.compile(
    r"(?P<lead>牵头(?:负责|落实|抓总)?)$|(?P<assist>(?:配合|协助|参与)(?:落实|实施)?)$"
    r"|(?P<resp>(?:按|根据)?(?:职责|职能)?(?:分工)?(?:分别|共同)?负责(?:落实)?)$"
)
_ROLE_BRACKET = re.compile(r"[（(](牵头|牵头单位|配合|配合单位|协办)[)）]$")
_TOGETHER = re.compile(r"会同|联合")


def stronger(a: str, b: str) -> str:
    """The role a unit keeps when a measure gives it two."""
    return a if _STRENGTH[a] >= _STRENGTH[b] else b


@record
class RoleMention:
    name: str  # as written (after `clean`)
    role: str  # LEAD | ASSIST | RESPONSIBLE


@record
class RoleReading:
    mentions: tuple[RoleMention, ...]
    notes: tuple[str, ...]  # what was read into the text, in Chinese
    questions: tuple[str, ...]  # readings that need a person's confirmation
    worded: bool  # whether any role word or label was found at all


def bracket_depths(text: str) -> list[int]:
    depth, out = 0, []
    for c in text:
        if c in OPEN:
            depth += 1
        out.append(depth)
        if c in CLOSE and depth:
            depth -= 1
    return out


def split_outside(text: str, seps: str) -> list[str]:
    """`text` split at `seps` outside brackets, pieces stripped, empty pieces dropped."""
    parts, start = [], 0
    for i, (c, d) in enumerate(zip(text, bracket_depths(text), strict=True)):
        if c in seps and d == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p for p in (p.strip() for p in parts) if p]


def matching_open(text: str) -> int | None:
    """Index of the bracket that the last character of `text` closes, if it is a closing one."""
    if not text or text[-1] not in CLOSE:
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] in CLOSE:
            depth += 1
        elif text[i] in OPEN:
            depth -= 1
            if depth == 0:
                return i
    return None


def unwrap(text: str) -> str:
    """"[牵头单位：X；责任单位：Y]" → "牵头单位：X；责任单位：Y": a bracket around the whole text."""
    text = text.strip()
    while matching_open(text) == 0:
        text = text[1:-1].strip()
    return text


def starts_with_label(text: str) -> bool:
    return _ROLE_LABEL.match(text.strip()) is not None


def _clause_role(clause: str) -> tuple[str, str | None, str]:
    """(units part, role or None, note) of one clause."""
    m = _ROLE_SUFFIX.search(clause)
    if m and m.start() > 0:
        units = clause[: m.start()].rstrip("、，,")
        if m.group("lead"):
            return units, LEAD, f"“{m.group(0)}”：{ROLE_WORD[LEAD]}"
        if m.group("assist"):
            return units, ASSIST, f"“{m.group(0)}”：{ROLE_WORD[ASSIST]}"
        return units, RESPONSIBLE, f"“{m.group(0)}”：各自{ROLE_WORD[RESPONSIBLE]}"
    return clause, None, ""


def read_roles(
    text: str, default_role: str = RESPONSIBLE, clean: Callable[[str], str] = str.strip
) -> RoleReading:
    """The units named in `text` with their roles; a unit without a role word gets
    `default_role`. `clean` tidies each name (the importer normalises punctuation)."""
    text = unwrap(text)
    notes: list[str] = []
    questions: list[str] = []
    mentions: list[RoleMention] = []
    worded = False
    segments: list[tuple[str, str]] = []
    pos, role = 0, default_role
    for m in _ROLE_LABEL.finditer(text):
        if m.start() > pos:
            segments.append((role, text[pos : m.start()]))
        role = _LABEL_ROLE[m.group(1)]
        pos = m.end()
        worded = True
        notes.append(f"“{m.group(1)}：”：{ROLE_WORD[role]}")
    segments.append((role, text[pos:]))
    for segment_role, segment in segments:
        for clause in split_outside(segment, "，,；;。"):
            units_text, clause_role, note = _clause_role(clause)
            if note:
                notes.append(note)
                worded = True
            together = _TOGETHER.search(units_text)
            if together and 0 < together.start() and bracket_depths(units_text)[together.start()] == 0:
                # "X会同Y": X leads, Y assists — the usual reading, but the words do not say so
                before, after = units_text[: together.start()], units_text[together.end() :]
                for part, part_role in ((before, LEAD), (after, ASSIST)):
                    for piece in split_outside(part, "、"):
                        name = clean(piece)
                        if name:
                            mentions.append(RoleMention(name, part_role))
                worded = True
                questions.append(
                    f"“{clause}”读作{clean(before)}{ROLE_WORD[LEAD]}、{clean(after)}{ROLE_WORD[ASSIST]}，是否如此"
                )
                continue
            for piece in split_outside(units_text, "、"):
                role = clause_role or segment_role
                bracket = _ROLE_BRACKET.search(piece)
                if bracket is not None:
                    piece = piece[: bracket.start()]
                    role = LEAD if bracket.group(1).startswith("牵头") else ASSIST
                    worded = True
                    notes.append(f"“{piece}（{bracket.group(1)}）”：{ROLE_WORD[role]}")
                name = clean(piece)
                if name:
                    mentions.append(RoleMention(name, role))
    return RoleReading(tuple(mentions), tuple(notes), tuple(questions), worded)
