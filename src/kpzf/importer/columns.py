"""Which column of a 台账 holds what: detection by header text, and the `--columns` mapping.

`--columns` syntax: comma-separated `角色=列`, where 角色 is one of the role names below (or
a header word that means it, e.g. 具体工作措施) and 列 is a spreadsheet letter (C), a 1-based
number (3) or the header text of that column (责任单位（牵头）).  `角色=-` says the table has
no such column even if a header looks like one.  Example: `主要措施=C,责任单位=D,进度情况=-`.
Roles not named are still found by their headers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import Enum

from ..errors import UsageError
from ..records import record
from .text import fold

__all__ = [
    "ColumnMap",
    "ColumnSpec",
    "Role",
    "column_letter",
    "match_header",
    "parse_columns",
    "resolve_columns",
]


class Role(str, Enum):
    NUMBER = "序号"
    AREA = "重点任务"
    TASK = "具体任务"
    MEASURE = "主要措施"
    UNITS = "责任单位"
    LEAD = "牵头单位"
    ASSIST = "配合单位"
    DEADLINE = "完成时限"
    PROGRESS = "进度情况"


# Header words per role, compared after fold().  Exact matches first; a header that only
# contains one of these words (e.g. "完成时限（时间节点）") is matched in a second pass.
HEADER_WORDS: Mapping[Role, tuple[str, ...]] = {
    Role.NUMBER: ("序号", "编号", "序"),
    Role.AREA: ("重点任务", "重点工作", "任务类别", "类别", "部分", "工作类别", "项目"),
    Role.TASK: ("具体任务", "工作任务", "任务名称", "事项名称"),
    Role.MEASURE: (
        "主要措施", "具体工作措施", "工作措施", "具体措施", "措施", "任务", "任务内容",
        "工作内容", "主要内容", "具体内容", "工作举措", "具体举措", "事项", "工作事项",
        "重点工作任务", "任务举措",
    ),
    Role.UNITS: ("责任单位", "责任部门", "承办单位", "落实单位", "责任主体", "主体单位"),
    Role.LEAD: ("牵头单位", "牵头部门", "主责单位", "牵头"),
    Role.ASSIST: ("配合单位", "配合部门", "协办单位", "协同单位", "参与单位", "配合"),
    Role.DEADLINE: (
        "完成时限", "时间节点", "完成时间", "时限", "完成期限", "时间安排", "完成时限要求",
        "时间要求", "进度安排",
    ),
    Role.PROGRESS: ("进度情况", "备注", "完成情况", "进展情况", "落实情况", "工作进展"),
}
# Roles that hold units: a 台账 needs at least one of them.
UNIT_ROLES = (Role.UNITS, Role.LEAD, Role.ASSIST)
_ROLE_BY_NAME: dict[str, Role] = {r.value: r for r in Role}
_ROLE_BY_NAME.update({r.name.lower(): r for r in Role})
_LETTERS = re.compile(r"[A-Za-z]{1,3}")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def _letter_index(letters: str) -> int:
    n = 0
    for c in letters.upper():
        n = n * 26 + ord(c) - ord("A") + 1
    return n - 1


def match_header(cells: Sequence[str]) -> dict[Role, int]:
    """Roles recognised in a candidate header row: {role: column index}.

    Each column gets at most one role and each role at most one column (the leftmost).
    When a table has no measure column under that name, its finest level column is the
    measure (序号｜重点任务｜责任单位 lists 重点任务 as its items).
    """
    keys = [fold(c) for c in cells]
    found: dict[Role, int] = {}
    taken: set[int] = set()
    for exact in (True, False):
        for role, words in HEADER_WORDS.items():
            if role in found:
                continue
            for j, key in enumerate(keys):
                if j in taken or not key or len(key) > 20:
                    continue
                hit = key in words if exact else any(
                    len(w) >= 2 and (key.startswith(w) or key.endswith(w)) for w in words
                )
                if hit:
                    found[role] = j
                    taken.add(j)
                    break
    if Role.MEASURE not in found:
        for level in (Role.TASK, Role.AREA):
            if level in found:
                found[Role.MEASURE] = found.pop(level)
                break
    return found


def header_score(cells: Sequence[str]) -> int:
    """How much a row looks like a 台账 header: the number of roles it names, 0 unless one of
    them is the measure column."""
    if len({fold(c) for c in cells if fold(c)}) < 2:
        return 0  # one text repeated across the row is a merged title, not a header
    found = match_header(cells)
    return len(found) if Role.MEASURE in found else 0


@record
class ColumnSpec:
    """A parsed `--columns` option: (role, reference) pairs; reference None means "none"."""

    entries: tuple[tuple[Role, str | None], ...]

    @property
    def positional(self) -> bool:
        """Every reference is a letter or a number, so no header row is needed."""
        return bool(self.entries) and all(
            ref is None or ref.isdigit() or _LETTERS.fullmatch(ref) for _, ref in self.entries
        )


def _role(name: str) -> Role:
    key = fold(name)
    if key in _ROLE_BY_NAME:
        return _ROLE_BY_NAME[key]
    if key.lower() in _ROLE_BY_NAME:
        return _ROLE_BY_NAME[key.lower()]
    for role, words in HEADER_WORDS.items():
        if key in words:
            return role
    raise UsageError(
        f"--columns 中的“{name}”不是可识别的列名",
        hint="可用的列名：" + "、".join(r.value for r in Role) + "；如 --columns 主要措施=C,责任单位=D",
    )


def parse_columns(spec: str) -> ColumnSpec:
    """Parses the `--columns` option (see the module docstring); raises UsageError."""
    entries: list[tuple[Role, str | None]] = []
    seen: set[Role] = set()
    for item in re.split(r"[,，;；]", spec):
        item = item.strip()
        if not item:
            continue
        name, eq, ref = (part.strip() for part in re.split(r"([=＝])", item, maxsplit=1)) if (
            "=" in item or "＝" in item
        ) else (item, "", "")
        if not eq or not name or not ref:
            raise UsageError(
                f"--columns 中的“{item}”应写成“列名=列”",
                hint="如 --columns 主要措施=C,责任单位=D（列可写字母、从 1 起的序数或表头文字）",
            )
        role = _role(name)
        if role in seen:
            raise UsageError(f"--columns 中“{role.value}”出现了两次")
        seen.add(role)
        entries.append((role, None if ref in ("-", "－", "无") else ref))
    if not entries:
        raise UsageError("--columns 为空", hint="如 --columns 主要措施=C,责任单位=D")
    return ColumnSpec(tuple(entries))


@record
class ColumnMap:
    """The column index of each role present in the table."""

    by_role: Mapping[Role, int]
    explicit: frozenset[Role] = frozenset()  # roles placed by --columns
    width: int = 0

    def get(self, role: Role) -> int | None:
        return self.by_role.get(role)

    def __contains__(self, role: object) -> bool:
        return role in self.by_role

    def describe(self, header: Sequence[str]) -> str:
        """"主要措施=C（具体工作措施）、责任单位=D" — for messages and the report."""
        parts = []
        for role, j in sorted(self.by_role.items(), key=lambda item: item[1]):
            text = header[j] if j < len(header) else ""
            shown = f"（{fold(text)}）" if text and fold(text) != role.value else ""
            parts.append(f"{role.value}={column_letter(j)}{shown}")
        return "、".join(parts)


def _reference_index(ref: str, header: Sequence[str] | None, width: int, where: str) -> int:
    if ref.isdigit():
        index = int(ref) - 1
    elif _LETTERS.fullmatch(ref) and not (header and fold(ref) in {fold(h) for h in header}):
        index = _letter_index(ref)
    else:
        if header is None:
            raise UsageError(f"{where}: 没有表头行，--columns 只能用列字母或序数（如 C 或 3）")
        key = fold(ref)
        exact = [j for j, h in enumerate(header) if fold(h) == key]
        partial = [j for j, h in enumerate(header) if key in fold(h)]
        hits = exact or partial
        if len(hits) != 1:
            shown = "、".join(f"{column_letter(j)}“{fold(h)}”" for j, h in enumerate(header) if fold(h))
            problem = "找不到" if not hits else "对应多列"
            raise UsageError(f"{where}: --columns 中的表头“{ref}”{problem}", hint=f"表头各列：{shown}")
        return hits[0]
    if not 0 <= index < width:
        raise UsageError(
            f"{where}: --columns 中的列“{ref}”超出表格范围（共 {width} 列，A–{column_letter(width - 1)}）"
        )
    return index


def resolve_columns(
    header: Sequence[str] | None, width: int, spec: ColumnSpec | None, where: str
) -> ColumnMap:
    """The column map for a table: --columns entries first, headers for the rest.

    Raises SourceError naming `where` (file:sheet:row of the header) when the measure column
    is missing.  A table without unit columns is refused later (ledger.build_rows) unless its
    measures carry their units in brackets ("……（牵头单位：X；责任单位：Y）").
    """
    from .errors import SourceError  # late: errors imports nothing from here, but keep it local

    explicit: dict[Role, int] = {}
    absent: set[Role] = set()
    for role, ref in spec.entries if spec else ():
        if ref is None:
            absent.add(role)
            continue
        explicit[role] = _reference_index(ref, header, width, where)
    detected = match_header(header) if header is not None else {}
    by_role: dict[Role, int] = dict(explicit)
    used = set(explicit.values())
    for role, j in detected.items():
        if role in by_role or role in absent or j in used:
            continue
        by_role[role] = j
        used.add(j)
    if Role.MEASURE not in by_role:
        shown = "、".join(fold(h) for h in header if fold(h)) if header is not None else ""
        raise SourceError(
            where,
            "表头中没有措施列（主要措施/具体工作措施/工作措施/任务）" + (f"；表头为：{shown}" if shown else ""),
            hint="可用 --columns 指定，如 --columns 主要措施=C",
        )
    return ColumnMap(by_role, frozenset(explicit), width)
