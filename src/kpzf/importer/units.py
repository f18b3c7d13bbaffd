"""Reading 责任单位 cells: split into units, roles (牵头/配合/责任), groups, alias proposals.

General rules only (no place's list of units):
- units are separated by 、，,；; and — where every piece is plainly a whole unit name —
  whitespace; never inside brackets (各镇（街）, 各县（市、区）);
- roles come from the words: "X牵头", "牵头单位：X；配合单位：Y", "X（牵头）", "X配合",
  "X、Y按职责分工（分别）负责"; a 牵头单位/配合单位 column gives its role to all its units;
- a group is a name for several units: 各… (各镇（街）, 各有关单位), township words only
  (乡镇（街道）, 镇街), names ending in 部门/单位/机关/机构 (市直行政执法部门), 其他…
  (the measure's other units).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..model import roles
from ..model.roles import matching_open as _matching_open
from ..model.roles import unwrap
from ..records import record
from .text import fold, tidy

__all__ = [
    "AliasProposal",
    "split_embedded_units",
    "unwrap",
    "UnitCell",
    "UnitMention",
    "group_kind",
    "propose_aliases",
    "read_unit_cell",
    "short_forms",
    "tidy_units",
]

LEAD, ASSIST, RESPONSIBLE = (roles.ROLE_WORD[r] for r in (roles.LEAD, roles.ASSIST, roles.RESPONSIBLE))
_ROLE_OF_WORD = {word: role for role, word in roles.ROLE_WORD.items()}

# Ends of a whole unit name (for telling "市公安局 市交通运输局" from "市 直行政执法部门").
_UNIT_END = re.compile(
    r"(局|委|办|室|会|院|部|部门|单位|机关|机构|所|队|站|中心|镇|乡|街道|街|处|府|厅|司|行|社|团|馆|分局|支队|大队)$"
)
_TOWNSHIP_WORDS = set("乡镇街道")
_PLACE_PREFIX = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,6}?)(?P<level>[省市县区])(?P<rest>.+)$")
_RENAMED_SUFFIX = re.compile(r"(委员会|局|委)$")


@record
class UnitMention:
    name: str  # display form: full-width brackets, no whitespace
    role: str  # 牵头 | 配合 | 责任
    group: str | None  # group kind, None for a single unit


@record
class UnitCell:
    text: str  # the cell as tidied (whitespace separators shown as 、)
    mentions: tuple[UnitMention, ...]
    notes: tuple[str, ...]  # what was read into it, in Chinese
    questions: tuple[str, ...] = ()  # readings that need a person's confirmation


def _bare(name: str) -> str:
    """The name without bracketed parts: 各镇（街） → 各镇."""
    return re.sub(r"[（(][^（()）]*[)）]", "", name)


def _whole_name(piece: str) -> bool:
    bare = _bare(piece)
    return len(bare) >= 2 and _UNIT_END.search(bare) is not None or group_kind(piece) is not None


def tidy_units(text: str) -> tuple[str, bool]:
    """The cell tidied; whitespace between whole unit names becomes 、, other whitespace is an
    extraction defect and goes.  Returns (text, whether a space was read as a separator)."""
    from .text import strip_markup

    raw = strip_markup(text).strip()
    changed = False
    segments = []
    for segment in re.split(r"([、，,；;])", raw):
        pieces = segment.split()
        if len(pieces) > 1 and all(_whole_name(tidy(p)) for p in pieces):
            segment = "、".join(pieces)
            changed = True
        segments.append(segment)
    return tidy("".join(segments)), changed


def group_kind(name: str) -> str | None:
    """"镇街" (townships), "部门" (departments/units), "其他" (the measure's other units),
    "各" (any other plural), or None for a single unit."""
    bare = _bare(fold(name)).replace("人民政府", "").replace("政府", "").replace("办事处", "")
    key = re.sub(r"^(各|全市|全县|全区|所有|有关|相关)", "", bare)
    if key and set(key) <= _TOWNSHIP_WORDS | {"、"}:
        return "镇街"
    if bare.startswith("其他") or bare.startswith("其它"):
        return "其他"
    if re.search(r"(部门|单位|机关|机构)$", bare):
        return "部门"
    if bare.startswith("各"):
        return "各"
    return None


def split_embedded_units(text: str) -> tuple[str, str] | None:
    """(text, units) when a measure's text ends with its units in brackets under role labels:
    "……增长8%。（牵头单位：县发改局（粮食局）；责任单位：各镇人民政府）"."""
    body = text.rstrip().rstrip("。；;")
    start = _matching_open(body)
    if start is None:
        return None
    inner = body[start + 1 : -1]
    if not roles.starts_with_label(inner):
        return None
    return body[:start].rstrip(), inner.strip()


def read_unit_cell(text: str, default_role: str = RESPONSIBLE) -> UnitCell:
    """The units of one cell with their roles (model/roles.py's one rule).  `default_role` is the
    column's role (牵头/配合/责任)."""
    tidied, spaced = tidy_units(text)
    tidied = unwrap(tidied)
    reading = roles.read_roles(tidied, _ROLE_OF_WORD[default_role], clean=tidy)
    notes = ["空格分隔的单位已改用“、”分隔"] if spaced else []
    mentions = tuple(
        UnitMention(m.name, roles.ROLE_WORD[m.role], group_kind(m.name)) for m in reading.mentions
    )
    return UnitCell(tidied, mentions, (*notes, *reading.notes), reading.questions)


# --- alias proposals -------------------------------------------------------------------------


@record
class AliasProposal:
    alias: str
    canonical: str
    reason: str  # Chinese


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def short_forms(texts: Iterable[str]) -> list[str]:
    """Short forms listed in prose: "公安、生态环境、交通运输等部门" → 公安, 生态环境, 交通运输."""
    found: list[str] = []
    pattern = re.compile(r"((?:[\u4e00-\u9fff]{2,12}、)+[\u4e00-\u9fff]{2,12})等(?:部门|单位|领域|行业)")
    for text in texts:
        for m in pattern.finditer(fold(text)):
            items = m.group(1).split("、")
            # the first item runs back to the start of the clause; keep its last 2–8 characters
            # only if it is not a whole sentence ("…业务培训学习备案登记制度，公安")
            for item in items:
                if item not in found and len(item) <= 10:
                    found.append(item)
    return found


def propose_aliases(names: Sequence[str], prose: Iterable[str] = ()) -> list[AliasProposal]:
    """Pairs that may be one unit written two ways, as (alias, proposed canonical name).

    - a place prefix: 开平市公安局 / 市公安局 (the plan's own short form is canonical);
    - 局 / 委员会 / 委 for the same stem: 市发展和改革局 / 市发展和改革委员会 (the form named
      first in the 台账 is proposed canonical);
    - an abbreviation, same first and last character: 市人社局 / 市人力资源和社会保障局,
      市行政执法部门 / 市直行政执法部门 (the full form is proposed canonical);
    - a short form in the prose ("公安、生态环境…等部门") found in exactly one single unit.
    """
    order = {n: i for i, n in enumerate(dict.fromkeys(names))}
    unique = list(order)
    proposals: list[AliasProposal] = []
    paired: set[frozenset[str]] = set()

    def add(alias: str, canonical: str, reason: str) -> None:
        pair = frozenset((alias, canonical))
        if alias != canonical and pair not in paired:
            paired.add(pair)
            proposals.append(AliasProposal(alias, canonical, reason))

    for name in unique:
        m = _PLACE_PREFIX.match(name)
        if m:
            local = m.group("level") + m.group("rest")
            if local in order and local != name:
                add(name, local, f"“{name}”去掉地名“{m.group('place')}”即“{local}”")
    for a in unique:
        for b in unique:
            if order[a] >= order[b] or frozenset((a, b)) in paired:
                continue
            sa, sb = _RENAMED_SUFFIX.sub("", a), _RENAMED_SUFFIX.sub("", b)
            if sa == sb and len(sa) >= 3 and a != b and _RENAMED_SUFFIX.search(a) and _RENAMED_SUFFIX.search(b):
                add(b, a, f"“{a}”与“{b}”只差机构名称的“局/委员会”，可能是同一单位")
                continue
            short, long_ = (a, b) if len(a) < len(b) else (b, a)
            if (
                len(short) >= 3
                and short[0] == long_[0]
                and short[-1] == long_[-1]
                and _is_subsequence(short, long_)
                and (group_kind(short) is None) == (group_kind(long_) is None)
            ):
                add(short, long_, f"“{short}”可能是“{long_}”的简称")
    for name in unique:
        # "县发改局（粮食局）": a department that also bears a second name (加挂牌子)
        m = re.fullmatch(r"(?P<level>[省市县区]?)(?P<main>[^（(]+)[（(](?P<second>[^（()）]{2,12}(?:局|委|办|中心))[)）]", name)
        if m and group_kind(name) is None:
            second = m.group("level") + m.group("second")
            add(second, name, f"“{name}”括号中的“{m.group('second')}”可能是加挂的牌子，“{second}”即同一单位")
    aliased = {p.alias for p in proposals}
    singles = [n for n in unique if group_kind(n) is None and n not in aliased]
    for form in short_forms(prose):
        if form in order:
            continue
        hits = [
            n for n in singles
            if form in n or (_is_subsequence(form, n) and form[0] in n[:2])
        ]
        if len(hits) == 1:
            add(form, hits[0], f"正文中的简称“{form}”只对应“{hits[0]}”")
    return proposals
