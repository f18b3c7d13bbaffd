"""Parse a 完成时限 phrase of the task ledger into dated milestones and ongoing/undated flags."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

__all__ = ["Deadline", "DeadlineError", "DueMilestone", "parse_deadline"]


@dataclass(frozen=True)
class DueMilestone:
    """One thing due by the end of one day, for some or all responsible units."""

    due: date | None
    what: str
    units: tuple[str, ...] | None
    recurrence: str | None


@dataclass(frozen=True)
class Deadline:
    """A parsed 完成时限 phrase."""

    phrase: str
    milestones: tuple[DueMilestone, ...]
    ongoing: bool
    undated: bool


class DeadlineError(ValueError):
    """A 完成时限 phrase that cannot be understood; `column` is a 0-based offset in the phrase."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


_ACCEPTED_FORMS = (
    "可接受的写法：“2024年6月底前”“2024年5月15日前”“2024年底前”“2024年上半年”“到2024年6月”"
    "“2023—2025年”“每年5月底、11月底前”“每季度”“每半年”“每月”，"
    "或“持续推进”“长期推进”“长期坚持”“常态化”“适时”；"
    "多项之间用“，”或“；”分隔，只涉及部分单位的一项在其后用括号注明单位，"
    "如“2024年12月底前完成（市公安局、市交通运输局）”。"
)

# All patterns run on NFKC text, so "，" "（" "２" have already become "," "(" "2".
# Digits are [0-9]+ rather than fixed widths so that "013月" is reported as a bad month
# instead of being read as something else.
_YEAR = re.compile(r"([0-9]+)(?:[-‐‑‒–—―~〜至]([0-9]+))?年")
_MONTH = re.compile(r"([0-9]+)月份?")
_DAY = re.compile(r"([0-9]+)[日号]")
_EVERY = re.compile(r"每(季度|半年|年|月)")
_KEYWORD = re.compile(r"并?(持续推进|长期推进|长期坚持|常态化|适时)")

_ONGOING_WORDS = ("持续推进", "长期推进", "长期坚持", "常态化")
_BEFORE_WORDS = ("以前", "之前", "前")
_CLAUSE_SEPARATORS = frozenset(",;。")
_UNIT_SEPARATORS = frozenset("、,;")

# Users read what/units in Chinese typography; NFKC turned these into ASCII.
_FULL_WIDTH = str.maketrans(
    {"(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
)

# Whitespace inside a unit group is usually an extraction defect ("市 交通运输局",
# "其他行政 执法单位"), so it separates units only in a group without 、 or "," and only
# when every piece is plainly a whole unit name ("市公安局 市交通运输局").
_UNIT_PREFIXES = ("市", "各", "省", "县", "区", "镇", "乡", "其他", "涉及", "开平", "江门", "广东")
_UNIT_ENDINGS = frozenset("局委办室会院部门位所队站心镇街道处府司厅)")


class _Normalised(NamedTuple):
    """The phrase after NFKC and whitespace removal, mapped back to the original offsets."""

    phrase: str
    text: str
    origin: list[int]  # origin[i] = offset in phrase of text[i]; one extra entry = len(phrase)
    gaps: frozenset[int]  # indices of text preceded by removed whitespace

    def column(self, index: int) -> int:
        return self.origin[min(index, len(self.text))]

    def original(self, start: int, end: int) -> str:
        if end <= start:
            return ""
        return self.phrase[self.origin[start] : self.origin[end - 1] + 1]


class _When(NamedTuple):
    """One date of a clause; year None means the same day of every year."""

    year: int | None
    month: int
    day: int | None  # None: the last day of the month


class _Recurring(NamedTuple):
    label: str
    months: tuple[int, ...]
    day: int | None  # None: the last day of the month; clamped in shorter months


class _DatedClause(NamedTuple):
    one_offs: list[date]
    recurring: list[_Recurring]
    what: str
    ongoing: bool


def _normalise(phrase: str) -> _Normalised:
    # Character by character, so that every normalised character knows where it came from.
    chars: list[str] = []
    origin: list[int] = []
    gaps: set[int] = set()
    pending_gap = False
    for index, char in enumerate(phrase):
        folded = char if char.isascii() else unicodedata.normalize("NFKC", char)
        for piece in folded:
            if piece.isspace() or unicodedata.category(piece) == "Cf":
                pending_gap = True
                continue
            if pending_gap:
                gaps.add(len(chars))
                pending_gap = False
            chars.append(piece)
            origin.append(index)
    origin.append(len(phrase))
    return _Normalised(phrase, "".join(chars), origin, frozenset(gaps))


class _Cursor:
    """Reads one clause of the normalised phrase from left to right."""

    def __init__(self, source: _Normalised, start: int, end: int) -> None:
        self.source = source
        self.start = start
        self.end = end
        self.pos = start

    @property
    def done(self) -> bool:
        return self.pos >= self.end

    def at(self, pattern: re.Pattern[str]) -> bool:
        return pattern.match(self.source.text, self.pos, self.end) is not None

    def match(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        found = pattern.match(self.source.text, self.pos, self.end)
        if found is not None:
            self.pos = found.end()
        return found

    def starts_with(self, *words: str) -> bool:
        return any(self.source.text.startswith(word, self.pos, self.end) for word in words)

    def take(self, *words: str) -> str | None:
        """Consume the first of `words` found here; list longer words first."""
        for word in words:
            if self.source.text.startswith(word, self.pos, self.end):
                self.pos += len(word)
                return word
        return None

    def rest(self) -> str:
        text = self.source.text[self.pos : self.end]
        self.pos = self.end
        return text

    def original(self, start: int, end: int | None = None) -> str:
        return self.source.original(start, self.pos if end is None else end)

    def error(self, message: str, at: int) -> DeadlineError:
        return DeadlineError(message, self.source.column(at))


def _display(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_FULL_WIDTH)


def _check_parentheses(source: _Normalised) -> None:
    open_at: list[int] = []
    for index, char in enumerate(source.text):
        if char == "(":
            open_at.append(index)
        elif char == ")":
            if not open_at:
                raise DeadlineError("括号不配对：“）”前面没有对应的“（”。", source.column(index))
            open_at.pop()
    if open_at:
        raise DeadlineError("括号不配对：“（”没有对应的“）”。", source.column(open_at[0]))


def _clauses(text: str) -> list[tuple[int, int]]:
    """Split at clause separators outside parentheses; a unit list may contain commas."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char in _CLAUSE_SEPARATORS and depth == 0:
            spans.append((start, index))
            start = index + 1
    spans.append((start, len(text)))
    return spans


def _looks_like_unit(word: str) -> bool:
    return len(word) >= 3 and word[-1] in _UNIT_ENDINGS and word.startswith(_UNIT_PREFIXES)


def _take_units(cur: _Cursor) -> tuple[str, ...] | None:
    """Remove a trailing "(…)" unit group from the clause and return its unit names."""
    source = cur.source
    text = source.text
    close = cur.end - 1
    if close < cur.start or text[close] != ")":
        return None
    depth = 0
    opening = close
    while opening >= cur.start:
        if text[opening] == ")":
            depth += 1
        elif text[opening] == "(":
            depth -= 1
            if depth == 0:
                break
        opening -= 1
    cur.end = opening

    pieces: list[list[str]] = [[""]]  # each piece is a list of whitespace-separated words
    explicit_separator = False
    depth = 0
    for index in range(opening + 1, close):
        char = text[index]
        if char in _UNIT_SEPARATORS and depth == 0:
            explicit_separator = True
            pieces.append([""])
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if index in source.gaps and pieces[-1][-1]:
            pieces[-1].append("")
        pieces[-1][-1] += char

    names: list[str] = []
    for words in pieces:
        words = [word for word in words if word]
        if len(words) > 1 and not explicit_separator and all(map(_looks_like_unit, words)):
            names.extend(_display(word) for word in words)
        elif words:
            names.append(_display("".join(words)))
    if not names:
        raise cur.error("括号中没有写单位。", opening)
    return tuple(names)


def _year(cur: _Cursor, digits: str, start: int) -> int:
    if len(digits) != 4 or digits.startswith("0"):
        raise cur.error(
            f"“{cur.original(start)}”中的年份“{digits}”无效，年份应写四位数字，如“2024年”。", start
        )
    return int(digits)


def _small_number(digits: str) -> int:
    # Guards int() against absurdly long digit strings; anything this long is invalid anyway.
    return int(digits) if len(digits) <= 4 else 10_000


def _parse_month(cur: _Cursor, start: int, year: int | None) -> _When:
    found = cur.match(_MONTH)
    assert found is not None  # callers check cur.at(_MONTH) first
    month = _small_number(found.group(1))
    if not 1 <= month <= 12:
        raise cur.error(
            f"“{cur.original(start)}”中的月份不存在：没有{found.group(1)}月，月份应为1至12。", start
        )
    day: int | None = None
    if cur.take("上旬"):
        day = 10
    elif cur.take("中旬"):
        day = 20
    elif cur.take("底", "末", "下旬") is None:
        found_day = cur.match(_DAY)
        if found_day is not None:
            day = _small_number(found_day.group(1))
            # A year-less date must exist in some year, so 2月29日 is allowed there.
            last = calendar.monthrange(2000 if year is None else year, month)[1]
            if not 1 <= day <= last:
                where = f"{month}月" if year is None else f"{year}年{month}月"
                raise cur.error(
                    f"“{cur.original(start)}”中的日期不存在：{where}没有{found_day.group(1)}日。",
                    start,
                )
    return _When(year, month, day)


def _parse_when(cur: _Cursor, default_year: int | None) -> _When | None:
    """Read one date; a date without a year takes `default_year` (None: every year)."""
    start = cur.pos
    found = cur.match(_YEAR)
    if found is None:
        if not cur.at(_MONTH):
            return None
        return _parse_month(cur, start, default_year)
    year = _year(cur, found.group(1), start)
    if found.group(2) is not None:
        # The campaign period "2023—2025年" is due when the period ends.
        last_year = _year(cur, found.group(2), start)
        if last_year < year:
            raise cur.error(f"年份范围“{cur.original(start)}”的起止颠倒。", start)
        cur.take("年底", "年末", "底", "末", "内")
        if cur.at(_MONTH):
            raise cur.error(f"年份范围“{cur.original(start)}”之后不能再写月份。", start)
        return _When(last_year, 12, None)
    if cur.at(_MONTH):
        return _parse_month(cur, start, year)
    part = cur.take("年底", "年末", "底", "末", "上半年", "下半年", "内")
    if part == "上半年":
        return _When(year, 6, None)
    if part is not None or cur.done or cur.starts_with("、", *_BEFORE_WORDS):
        return _When(year, 12, None)
    # "2024年第一季度" and the like: refuse rather than guess a year end.
    raise cur.error(
        f"无法识别“{cur.original(start, cur.end)}”中年份之后的写法。{_ACCEPTED_FORMS}", cur.pos
    )


def _parse_when_list(cur: _Cursor, every_year: bool) -> list[_When] | None:
    """Read dates joined by "、" ("5月底、11月底前"); later dates inherit the year before."""
    whens: list[_When] = []
    year: int | None = None
    while True:
        start = cur.pos
        if every_year and cur.at(_YEAR):
            raise cur.error("“每年”之后不应再写年份，如“每年5月底前”。", start)
        when = _parse_when(cur, year)
        if when is None:
            if not whens:
                return None
            raise cur.error("“、”之后应为日期，如“5月底、11月底前”。", start)
        whens.append(when)
        year = when.year
        mark = cur.pos
        cur.take(*_BEFORE_WORDS)
        if cur.take("、") is None:
            cur.pos = mark
            return whens


def _parse_every(cur: _Cursor, period: str, start: int) -> list[_Recurring]:
    if period == "季度":
        cur.take("末", "底")
        return [_Recurring("每季度", (3, 6, 9, 12), None)]
    if period == "半年":
        cur.take("末", "底")
        return [_Recurring("每半年", (6, 12), None)]
    if period == "月":
        found = cur.match(_DAY)
        if found is None:
            cur.take("底", "末")
            return [_Recurring("每月", tuple(range(1, 13)), None)]
        day = _small_number(found.group(1))
        if not 1 <= day <= 31:
            raise cur.error(
                f"“{cur.original(start)}”中的日期不存在：没有{found.group(1)}日。", start
            )
        return [_Recurring("每月", tuple(range(1, 13)), day)]
    if cur.take("年底", "年末", "底", "末"):
        return [_Recurring("每年", (12,), None)]
    whens = _parse_when_list(cur, every_year=True)
    if whens is None:
        raise cur.error("“每年”之后应写月份，如“每年5月底前”“每年年底前”。", start)
    return [_Recurring("每年", (when.month,), when.day) for when in whens]


def _split_ongoing(tail: str) -> tuple[str, bool]:
    """Split "完成并长期推进" into ("完成", True); "实现常态化" stays what is due."""
    for word in _ONGOING_WORDS:
        if tail == word:
            return "", True
        if tail.endswith("并" + word):
            return tail[: -len(word) - 1], True
    return tail, False


def _parse_dated(cur: _Cursor) -> _DatedClause | None:
    begin = cur.pos
    cur.take("到", "于", "在")
    one_offs: list[date] = []
    recurring: list[_Recurring] = []
    every = cur.match(_EVERY)
    if every is not None:
        recurring = _parse_every(cur, every.group(1), every.start())
    else:
        whens = _parse_when_list(cur, every_year=False)
        if whens is None:
            cur.pos = begin
            return None
        for when in whens:
            if when.year is None:
                # A date written without a year recurs every year ("3月25日、6月25日前").
                recurring.append(_Recurring("每年", (when.month,), when.day))
            else:
                last = calendar.monthrange(when.year, when.month)[1]
                one_offs.append(date(when.year, when.month, when.day or last))
    # "YYYY年M月前" is taken as the end of month M, like "M月底前" (documented choice).
    cur.take(*_BEFORE_WORDS)
    what, ongoing = _split_ongoing(cur.rest())
    return _DatedClause(one_offs, recurring, what, ongoing)


def _occurrences(recurring: _Recurring, start: date, end: date) -> list[date]:
    dues: list[date] = []
    for year in range(start.year, end.year + 1):
        for month in recurring.months:
            last = calendar.monthrange(year, month)[1]
            due = date(year, month, last if recurring.day is None else min(recurring.day, last))
            if start <= due <= end:
                dues.append(due)
    return dues


def parse_deadline(phrase: str, period_start: date, period_end: date) -> Deadline:
    """Parse `phrase`; recurring dates are expanded within period_start..period_end inclusive."""
    source = _normalise(phrase)
    if not source.text:
        raise DeadlineError(f"完成时限为空。{_ACCEPTED_FORMS}", 0)
    _check_parentheses(source)

    found: list[tuple[date, str, tuple[str, ...] | None, str | None]] = []
    recognised = dated = ongoing = False
    for start, end in _clauses(source.text):
        cur = _Cursor(source, start, end)
        units = _take_units(cur)
        if cur.done:
            if units is not None:
                raise cur.error(
                    "括号中的单位之前缺少日期，如“2024年12月底前完成（市公安局）”。", start
                )
            continue  # an empty clause, e.g. a trailing comma
        keyword = _KEYWORD.fullmatch(source.text, cur.pos, cur.end)
        if keyword is not None:
            if units is not None:
                raise cur.error(
                    "单位只能写在带日期的一项之后，如“2024年12月底前完成（其他行政执法单位）”。",
                    cur.end,
                )
            recognised = True
            ongoing = ongoing or keyword.group(1) in _ONGOING_WORDS
            continue
        clause = _parse_dated(cur)
        if clause is None:
            raise DeadlineError(
                f"无法识别“{source.original(start, end)}”。{_ACCEPTED_FORMS}", source.column(start)
            )
        recognised = dated = True
        ongoing = ongoing or clause.ongoing
        what = _display(clause.what or "完成")
        found.extend((due, what, units, None) for due in clause.one_offs)
        for recurring in clause.recurring:
            found.extend(
                (due, what, units, recurring.label)
                for due in _occurrences(recurring, period_start, period_end)
            )
    if not recognised:
        raise DeadlineError(f"完成时限中没有日期或关键词。{_ACCEPTED_FORMS}", 0)

    found.sort(key=lambda item: (item[0], item[1]))
    milestones = tuple(DueMilestone(due, what, units, label) for due, what, units, label in found)
    return Deadline(phrase=phrase, milestones=milestones, ongoing=ongoing, undated=not dated)
