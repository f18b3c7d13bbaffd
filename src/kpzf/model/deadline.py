"""Parse a 完成时限 phrase of the task ledger into dated milestones and ongoing/undated flags.

API
---
``parse_deadline(phrase, period_start, period_end, *, effective_start=None, vocabulary=None,
yearless="every-year") -> Deadline`` is pure and total: any string gives a ``Deadline`` or
raises ``DeadlineError`` (message in Chinese, ``column`` a 0-based offset into ``phrase``).

- ``period_start``/``period_end``: the plan's period; recurring deadlines ("每季度",
  "每年5月底前") are expanded only inside it.
- ``effective_start``: the day the plan takes effect (its issue or publication date, or a
  declared start). Recurrences are expanded from ``max(period_start, effective_start)`` (or
  from the phrase's own "…起" if later) and never before it, so a 台账 published in April 2024 for the period 2023—2025 owes no
  quarterly report for 2023. It is also the due date of words that mean "at once"
  (立即执行, 立行立改) and the start of a "为期一年" without its own start. ``None`` means
  ``period_start`` (the behaviour before this parameter existed).
- ``vocabulary``: a plan's own words (``Vocabulary.of({"长期": "ongoing", ...})``), consulted
  before ``BUILTIN_VOCABULARY`` and able to override it. A word means ``"ongoing"`` (持续推进,
  长期推进, 长期坚持, 长期, 常态化, 常态化推进: no date; only as a whole clause or after 并),
  ``"undated"`` (适时, 及时, 按上级要求: due without a date; text after the word goes to
  ``undated_what``), ``"start"`` (立即执行, 立行立改: due on the effective start) or ``"end"``
  (due on ``period_end``). ``Vocabulary.of`` raises ``ValueError`` for an empty word, a word with
  a separator or parenthesis, or an unknown meaning — a problem of the plan file, not of a phrase.
- ``yearless``: how a date written without a year ("5月底前", "一季度", "年底前") is read.
  ``"every-year"`` (the default, today's reading of Kaiping-style report dates such as
  "3月25日、6月25日、9月25日前"): it recurs every year of the period. ``"plan-year"``: it is
  one deadline in the plan's year, which is the calendar year of the effective start (of
  ``period_start`` when no effective start is given) — even when that date falls before the
  effective start, because the drafter wrote the ledger for that year (a checker may warn).
  Any other value raises ``ValueError``.

Called as before, ``parse_deadline(phrase, period_start, period_end)`` gives the answers it
gave before these parameters existed for every phrase it read then (all of Kaiping's plan and
every earlier test); phrases it refused or misread ("2024年第一季度"; "2023年12月中旬起", which
became a milestone "起" due 2023-12-20) are read now.

The result: ``Deadline.milestones`` (sorted by due date, then text), each a ``DueMilestone``
with a due day (the end of that day), what is due, the units it is limited to ("（市公安局）"
after the clause) and a recurrence label; ``ongoing`` (持续推进 …); ``undated`` (nothing has a
date); ``start`` (from "…起", a start and never a deadline: "2023年12月中旬起" → 2023-12-11);
``undated_what`` (things due with no date: "适时开展评估" → "开展评估").

Readings (documented choices):
- "YYYY年M月底前", "YYYY年M月前", "到YYYY年M月", "YYYY.M" → the last day of month M;
  "上旬/中旬" → the 10th/20th; "YYYY年底前", "YYYY年内" → 31 December.
- Quarters "YYYY年第一季度", "一季度" → the quarter's last day; half-years likewise.
- A year range "2023—2025年", "2024年—2025年" → due at the end of its last year.
- "…起" gives the first day of what it names as ``start`` (中旬起 → the 11th, 2024年起 →
  1 January; a year-less "6月起" is in the year of the effective start, whatever ``yearless``
  says, since a start happens once); alone it means ongoing from then. Recurrences in the same
  phrase start there. A phrase has at most one start.
- "为期一年" / "为期6个月" / "为期半年" → due the day before the same date that long after the
  phrase's start (or the effective start).
- "每年至少1次" (and "每年至少举办1期…") → once a year, due 31 December of each year.
- "2025年持续推进" (a bare year and an ongoing word) → ongoing, no milestone.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Literal, NamedTuple, cast

from ..records import record

__all__ = [
    "BUILTIN_VOCABULARY",
    "Deadline",
    "DeadlineError",
    "DueMilestone",
    "Meaning",
    "Vocabulary",
    "Yearless",
    "parse_deadline",
]

# What a word of the vocabulary means:
#   ongoing — work that continues, no due date (持续推进, 长期);
#   undated — something due without a date (适时, 及时, 按上级要求); text after the word is kept
#             in Deadline.undated_what;
#   start   — due on the effective start (立即执行, 立行立改);
#   end     — due on the last day of the period (e.g. a plan's "三年内完成").
Meaning = Literal["ongoing", "undated", "start", "end"]
Yearless = Literal["every-year", "plan-year"]
_MEANINGS: frozenset[str] = frozenset(("ongoing", "undated", "start", "end"))


@record
class DueMilestone:
    """One thing due by the end of one day, for some or all responsible units."""

    due: date | None
    what: str
    units: tuple[str, ...] | None
    recurrence: str | None


@record
class Deadline:
    """A parsed 完成时限 phrase."""

    phrase: str
    milestones: tuple[DueMilestone, ...]
    ongoing: bool
    undated: bool
    start: date | None = None  # "…起": when the work starts; never a deadline
    undated_what: tuple[str, ...] = ()  # due with no date: "适时开展评估" → ("开展评估",)


class DeadlineError(ValueError):
    """A 完成时限 phrase that cannot be understood; `column` is a 0-based offset in the phrase."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


@record
class Vocabulary:
    """Deadline words and what they mean; immutable, built with `Vocabulary.of`."""

    words: tuple[tuple[str, Meaning], ...] = ()  # normalised words, longest first

    @classmethod
    def of(cls, mapping: Mapping[str, str]) -> Vocabulary:
        """Build from {word: meaning}; raises ValueError naming a bad word or meaning."""
        seen: dict[str, Meaning] = {}
        for word, meaning in mapping.items():
            key = _normalise(word).text if isinstance(word, str) else ""
            if not key:
                raise ValueError(f"期限用语“{word}”为空或只有空白。")
            if any(char in _CLAUSE_SEPARATORS or char in "()" for char in key):
                raise ValueError(f"期限用语“{word}”不能含有逗号、分号、句号或括号。")
            if meaning not in _MEANINGS:
                raise ValueError(
                    f"期限用语“{word}”的含义“{meaning}”无效，应为 ongoing（持续推进）、"
                    "undated（无具体日期）、start（生效之日即到期）或 end（实施期末到期）。"
                )
            seen[key] = cast(Meaning, meaning)  # checked against _MEANINGS above
        ordered = sorted(seen.items(), key=lambda item: (-len(item[0]), item[0]))
        return cls(tuple(ordered))

    def merged_over(self, base: Vocabulary) -> Vocabulary:
        """These words, then `base`'s words that these do not redefine."""
        mine = dict(self.words)
        combined = {**dict(base.words), **mine}
        return Vocabulary(tuple(sorted(combined.items(), key=lambda kv: (-len(kv[0]), kv[0]))))

    def meaning(self, word: str) -> Meaning | None:
        return dict(self.words).get(word)


_ACCEPTED_FORMS = (
    "可接受的写法：“2024年6月底前”“2024年5月15日前”“2024年底前”“2024年上半年”"
    "“2024年第一季度”“2024.12”“到2024年6月”“2023—2025年”“每年5月底、11月底前”“每季度末”"
    "“每半年”“每月”“每年至少1次”“2023年12月中旬起”“为期一年”，"
    "或“持续推进”“长期推进”“长期坚持”“长期”“常态化”“适时”“及时”“按上级要求”“立即执行”"
    "“立行立改”；多项之间用“，”或“；”分隔，只涉及部分单位的一项在其后用括号注明单位，"
    "如“2024年12月底前完成（市公安局、市交通运输局）”。"
)

# All patterns run on NFKC text, so "，" "（" "２" "．" have already become "," "(" "2" ".".
# Digits are [0-9]+ rather than fixed widths so that "013月" is reported as a bad month
# instead of being read as something else.
_DASHES = "-‐‑‒–—―~〜至"
_YEAR = re.compile(rf"([0-9]+)(?:年?[{_DASHES}]([0-9]+))?年")
_DOTTED = re.compile(r"([0-9]+)\.([0-9]+)(?:\.([0-9]+))?")
_MONTH = re.compile(r"([0-9]+)月份?")
_DAY = re.compile(r"([0-9]+)[日号]")
_QUARTER = re.compile(r"第?([0-9]+|[一二三四五六七八九十]+)季度")
_EVERY = re.compile(r"每(季度|半年|年|月)")
_NUMERAL = r"[0-9]+|[一二两三四五六七八九十]+"
_FREQUENCY = re.compile(
    rf"(?:至少|不少于|最少|不低于)?(?:要|应)?[^0-9,;]{{0,8}}?(?:{_NUMERAL})[次期轮场回]"
)
_DURATION = re.compile(rf"为期(?:(半)年|({_NUMERAL})(年|个月|月))")
_STARTING = ("起", "开始")
_START_VERBS = ("实施", "施行", "执行", "开展", "启动")

_BEFORE_WORDS = ("以前", "之前", "前")
_CLAUSE_SEPARATORS = frozenset(",;。")
_UNIT_SEPARATORS = frozenset("、,;")
_CHINESE_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

# Users read what/units in Chinese typography; NFKC turned these into ASCII.
_FULL_WIDTH = str.maketrans(
    {"(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
)

# Whitespace inside a unit group is usually an extraction defect ("市 交通运输局",
# "其他行政 执法单位"), so it separates units only in a group without 、 or "," and only
# when every piece is plainly a whole unit name ("市公安局 市交通运输局").
_UNIT_PREFIXES = ("市", "各", "省", "县", "区", "镇", "乡", "其他", "涉及")
# Or a unit under its full name, a place first: 开平市…, 方城县…, 广东省… (2–4 characters and
# the level of the place), so that no plan's own place names live in code.
_PLACE_HEAD = re.compile(r"[\u4e00-\u9fff]{2,4}[省市县区州旗盟]")
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
    """One date span of a clause: due at its end, starting at its beginning.

    year None means the same span of every year (or of the plan's year, by context).
    """

    year: int | None
    month: int
    day: int | None  # None: the last day of the month; clamped in shorter months
    first_month: int = 1
    first_day: int | None = 1  # None: the last day of first_month
    first_year: int | None = None  # a year range starts in another year; None: `year`
    whole_year: bool = False  # "2025年" or "2024—2025年" with nothing after the year


class _Recurring(NamedTuple):
    label: str
    months: tuple[int, ...]
    day: int | None  # None: the last day of the month; clamped in shorter months


class _Context(NamedTuple):
    period_start: date
    period_end: date
    effective: date  # effective start, never None here
    vocabulary: Vocabulary
    plan_year: int | None  # year for year-less dates; None: they recur every year


class _Clause(NamedTuple):
    """What one clause contributes before recurrences and durations are expanded."""

    one_offs: list[tuple[date, str]]
    recurring: list[tuple[_Recurring, str]]
    durations: list[tuple[int, str]]  # (months, what) counted from the phrase's start
    start: date | None
    ongoing: bool
    dated: bool


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


# The words every plan may use; a plan's own vocabulary is consulted first.
BUILTIN_VOCABULARY = Vocabulary.of(
    {
        "持续推进": "ongoing",
        "长期推进": "ongoing",
        "长期坚持": "ongoing",
        "长期": "ongoing",
        "常态化": "ongoing",
        "常态化推进": "ongoing",
        "适时": "undated",
        "及时": "undated",
        "按上级要求": "undated",
        "立即执行": "start",
        "立行立改": "start",
    }
)


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

    def peek_rest(self) -> str:
        return self.source.text[self.pos : self.end]

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
    return (
        len(word) >= 3
        and word[-1] in _UNIT_ENDINGS
        and (word.startswith(_UNIT_PREFIXES) or _PLACE_HEAD.match(word) is not None)
    )


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


def _numeral(text: str) -> int:
    """A count written in digits or as a Chinese numeral up to 九十九 (0 if not a count)."""
    if text.isdigit():
        return _small_number(text)
    if not text or len(text) > 3 or any(c not in _CHINESE_DIGITS and c != "十" for c in text):
        return 0
    if "十" not in text:
        return _CHINESE_DIGITS[text] if len(text) == 1 else 0
    tens, _, units = text.partition("十")
    if (
        "十" in units
        or (tens and tens not in _CHINESE_DIGITS)
        or (units and units not in _CHINESE_DIGITS)
    ):
        return 0
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[units] if units else 0)


def _last_day(year: int | None, month: int) -> int:
    return calendar.monthrange(2000 if year is None else year, month)[1]


def _check_day(cur: _Cursor, start: int, year: int | None, month: int, digits: str) -> int:
    day = _small_number(digits)
    # A year-less date must exist in some year, so 2月29日 is allowed there.
    if not 1 <= day <= _last_day(year, month):
        where = f"{month}月" if year is None else f"{year}年{month}月"
        raise cur.error(f"“{cur.original(start)}”中的日期不存在：{where}没有{digits}日。", start)
    return day


def _check_month(cur: _Cursor, start: int, digits: str) -> int:
    month = _small_number(digits)
    if not 1 <= month <= 12:
        raise cur.error(
            f"“{cur.original(start)}”中的月份不存在：没有{digits}月，月份应为1至12。", start
        )
    return month


def _parse_month(cur: _Cursor, start: int, year: int | None) -> _When:
    found = cur.match(_MONTH)
    assert found is not None  # callers check cur.at(_MONTH) first
    month = _check_month(cur, start, found.group(1))
    if cur.take("上旬"):
        return _When(year, month, 10, month, 1)
    if cur.take("中旬"):
        return _When(year, month, 20, month, 11)
    if cur.take("下旬"):
        return _When(year, month, None, month, 21)
    if cur.take("底", "末"):
        return _When(year, month, None, month, None)
    found_day = cur.match(_DAY)
    if found_day is not None:
        day = _check_day(cur, start, year, month, found_day.group(1))
        return _When(year, month, day, month, day)
    return _When(year, month, None, month, 1)


def _parse_year_part(cur: _Cursor, start: int, year: int | None) -> _When | None:
    """A quarter, a half-year, or the year's end, after "YYYY年" or without a year."""
    quarter_at = cur.pos
    found = cur.match(_QUARTER)
    if found is not None:
        quarter = _numeral(found.group(1))
        if not 1 <= quarter <= 4:
            raise cur.error(
                f"“{cur.original(start)}”中的季度不存在：没有第{found.group(1)}季度，"
                "季度应为第一至第四季度。",
                quarter_at,
            )
        cur.take("末", "底", "内")
        return _When(year, quarter * 3, None, quarter * 3 - 2, 1)
    part = cur.take("上半年", "下半年")
    if part is not None:
        cur.take("末", "底", "内")
        return _When(year, 6, None, 1, 1) if part == "上半年" else _When(year, 12, None, 7, 1)
    if cur.take("年底", "年末"):
        return _When(year, 12, None, 12, None)
    if cur.take("年内"):
        return _When(year, 12, None, 1, 1)
    return None


def _parse_when(cur: _Cursor, default_year: int | None, ctx: _Context) -> _When | None:
    """Read one date; a date without a year takes `default_year` (None: every year)."""
    start = cur.pos
    dotted = cur.match(_DOTTED)
    if dotted is not None:
        year = _year(cur, dotted.group(1), start)
        month = _check_month(cur, start, dotted.group(2))
        if dotted.group(3) is not None:
            day = _check_day(cur, start, year, month, dotted.group(3))
            return _When(year, month, day, month, day)
        cur.take("月底", "月末", "月", "底", "末")
        return _When(year, month, None, month, 1)
    found = cur.match(_YEAR)
    if found is None:
        if cur.at(_MONTH):
            return _parse_month(cur, start, default_year)
        return _parse_year_part(cur, start, default_year)
    year = _year(cur, found.group(1), start)
    if found.group(2) is not None:
        # The campaign period "2023—2025年" is due when the period ends.
        last_year = _year(cur, found.group(2), start)
        if last_year < year:
            raise cur.error(f"年份范围“{cur.original(start)}”的起止颠倒。", start)
        part = cur.take("年底", "年末", "底", "末", "内")
        if cur.at(_MONTH):
            raise cur.error(f"年份范围“{cur.original(start)}”之后不能再写月份。", start)
        return _When(last_year, 12, None, 1, 1, first_year=year, whole_year=part is None)
    if cur.at(_MONTH):
        return _parse_month(cur, start, year)
    when = _parse_year_part(cur, start, year)
    if when is not None:
        return when
    part = cur.take("底", "末", "内")
    if part is not None:
        return _When(year, 12, None, 12, None) if part != "内" else _When(year, 12, None, 1, 1)
    if (
        cur.done
        or cur.starts_with("、", *_BEFORE_WORDS, *_STARTING)
        or _vocabulary_word(cur, ctx.vocabulary, "ongoing", whole=True) is not None
    ):
        return _When(year, 12, None, 1, 1, whole_year=True)
    raise cur.error(
        f"无法识别“{cur.original(start, cur.end)}”中年份之后的写法。{_ACCEPTED_FORMS}", cur.pos
    )


def _parse_when_list(
    cur: _Cursor, every_year: bool, default_year: int | None, ctx: _Context
) -> list[_When] | None:
    """Read dates joined by "、" ("5月底、11月底前"); later dates inherit the year before."""
    whens: list[_When] = []
    year = default_year
    while True:
        start = cur.pos
        if every_year and (cur.at(_YEAR) or cur.at(_DOTTED)):
            raise cur.error("“每年”之后不应再写年份，如“每年5月底前”。", start)
        when = _parse_when(cur, year, ctx)
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


def _parse_every(
    cur: _Cursor, period: str, start: int, ctx: _Context
) -> tuple[list[_Recurring], str | None]:
    """Read what follows 每…; the second item, if any, is what is due (a frequency)."""
    if period == "季度":
        cur.take("末", "底")
        return [_Recurring("每季度", (3, 6, 9, 12), None)], None
    if period == "半年":
        cur.take("末", "底")
        return [_Recurring("每半年", (6, 12), None)], None
    if period == "月":
        found = cur.match(_DAY)
        if found is None:
            cur.take("底", "末")
            return [_Recurring("每月", tuple(range(1, 13)), None)], None
        day = _small_number(found.group(1))
        if not 1 <= day <= 31:
            raise cur.error(
                f"“{cur.original(start)}”中的日期不存在：没有{found.group(1)}日。", start
            )
        return [_Recurring("每月", tuple(range(1, 13)), day)], None
    if cur.take("年底", "年末", "底", "末"):
        return [_Recurring("每年", (12,), None)], None
    if cur.at(_FREQUENCY):
        # "每年至少1次": once a year, so by the end of each year; the count is what is due.
        return [_Recurring("每年", (12,), None)], cur.peek_rest()
    whens = _parse_when_list(cur, every_year=True, default_year=None, ctx=ctx)
    if whens is None:
        raise cur.error(
            "“每年”之后应写月份或次数，如“每年5月底前”“每年年底前”“每年至少1次”。", start
        )
    return [_Recurring("每年", (when.month,), when.day) for when in whens], None


def _vocabulary_word(
    cur: _Cursor, vocabulary: Vocabulary, meaning: Meaning | None = None, *, whole: bool = False
) -> tuple[str, Meaning] | None:
    """The longest vocabulary word at the cursor (the whole rest if `whole`), not consumed."""
    text = cur.source.text
    for word, what in vocabulary.words:
        if meaning is not None and what != meaning:
            continue
        if whole:
            if text[cur.pos : cur.end] in (word, "并" + word):
                return word, what
        elif text.startswith(word, cur.pos, cur.end):
            return word, what
    return None


def _clause_word(cur: _Cursor, vocabulary: Vocabulary) -> tuple[str, Meaning] | None:
    """A word opening the clause; an ongoing word only as the whole clause ("并持续推进" too),
    so that "长期坚持开展培训" is not silently cut to "长期坚持"."""
    word = _vocabulary_word(cur, vocabulary)
    if word is not None and word[1] != "ongoing":
        return word
    return _vocabulary_word(cur, vocabulary, "ongoing", whole=True)


def _split_ongoing(tail: str, vocabulary: Vocabulary) -> tuple[str, bool]:
    """Split "完成并长期推进" into ("完成", True); "实现常态化" stays what is due."""
    for word, meaning in vocabulary.words:
        if meaning != "ongoing":
            continue
        if tail == word:
            return "", True
        if tail.endswith("并" + word):
            return tail[: -len(word) - 1], True
    return tail, False


def _first_day(when: _When, ctx: _Context) -> date:
    year = when.first_year or when.year or ctx.plan_year or ctx.effective.year
    day = when.first_day or _last_day(year, when.first_month)
    return date(year, when.first_month, day)


def _due_day(year: int, when: _When) -> date:
    return date(year, when.month, min(when.day or 31, _last_day(year, when.month)))


def _parse_dated(cur: _Cursor, ctx: _Context) -> _Clause | None:
    begin = cur.pos
    cur.take("自", "从", "到", "于", "在")
    every = cur.match(_EVERY)
    if every is not None:
        rules, frequency = _parse_every(cur, every.group(1), every.start(), ctx)
        cur.take(*_BEFORE_WORDS)
        what, ongoing = _split_ongoing(
            frequency if frequency is not None else cur.peek_rest(), ctx.vocabulary
        )
        cur.pos = cur.end
        return _Clause([], [(rule, what) for rule in rules], [], None, ongoing, True)
    whens = _parse_when_list(cur, every_year=False, default_year=ctx.plan_year, ctx=ctx)
    if whens is None:
        cur.pos = begin
        return None
    if cur.starts_with(*_STARTING):
        return _parse_started(cur, whens, begin, ctx)
    if len(whens) == 1 and whens[0].whole_year and not cur.starts_with(*_BEFORE_WORDS):
        # "2025年持续推进": the work goes on through that year; nothing falls due.
        if _vocabulary_word(cur, ctx.vocabulary, "ongoing", whole=True) is not None:
            cur.pos = cur.end
            return _Clause([], [], [], None, True, False)
    one_offs: list[date] = []
    recurring: list[_Recurring] = []
    for when in whens:
        if when.year is None:
            # A date written without a year recurs every year ("3月25日、6月25日前").
            recurring.append(_Recurring("每年", (when.month,), when.day))
        else:
            one_offs.append(_due_day(when.year, when))
    # "YYYY年M月前" is taken as the end of month M, like "M月底前" (documented choice).
    cur.take(*_BEFORE_WORDS)
    what, ongoing = _split_ongoing(cur.rest(), ctx.vocabulary)
    return _Clause(
        [(due, what) for due in one_offs], [(r, what) for r in recurring], [], None, ongoing, True
    )


def _parse_started(cur: _Cursor, whens: list[_When], begin: int, ctx: _Context) -> _Clause:
    """ "2023年12月中旬起…": a start, then nothing, an ongoing word, 为期…, or a 每… clause."""
    if len(whens) != 1:
        raise cur.error("“起”之前只能写一个日期，如“2024年6月起”。", begin)
    start = _first_day(whens[0], ctx)
    cur.take(*_STARTING)
    cur.take(*_START_VERBS)
    if cur.done:
        return _Clause([], [], [], start, False, False)
    if _vocabulary_word(cur, ctx.vocabulary, "ongoing", whole=True) is not None:
        cur.pos = cur.end
        return _Clause([], [], [], start, True, False)
    duration = _parse_duration(cur)
    if duration is not None:
        return _Clause([], [], [duration], start, False, True)
    rest_at = cur.pos
    body = _parse_dated(cur, ctx) if cur.at(_EVERY) else None
    if body is None or not body.recurring:
        raise cur.error(
            f"无法识别“{cur.original(rest_at, cur.end)}”：“起”之后可写“持续推进”、"
            "“为期一年”或“每季度报送”等，也可不写。",
            rest_at,
        )
    return body._replace(start=start)


def _parse_duration(cur: _Cursor) -> tuple[int, str] | None:
    at = cur.pos
    found = cur.match(_DURATION)
    if found is None:
        return None
    if found.group(1):
        months = 6
    else:
        count = _numeral(found.group(2))
        if count < 1 or count > 50:
            raise cur.error(f"“{cur.original(at)}”中的期限无效。", at)
        months = count * 12 if found.group(3) == "年" else count
    cur.take("的")
    what = cur.rest()
    return months, what


def _add_months(start: date, months: int) -> date:
    """The day before the same date `months` later ("为期一年" from 2023-12-11 → 2024-12-10)."""
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    if year > date.max.year:
        return date.max
    day = min(start.day, _last_day(year, month))
    return date(year, month, day) - timedelta(days=1)


def _occurrences(recurring: _Recurring, start: date, end: date) -> list[date]:
    dues: list[date] = []
    for year in range(start.year, end.year + 1):
        for month in recurring.months:
            last = _last_day(year, month)
            due = date(year, month, last if recurring.day is None else min(recurring.day, last))
            if start <= due <= end:
                dues.append(due)
    return dues


def parse_deadline(
    phrase: str,
    period_start: date,
    period_end: date,
    *,
    effective_start: date | None = None,
    vocabulary: Vocabulary | None = None,
    yearless: Yearless = "every-year",
) -> Deadline:
    """Parse `phrase`; see the module docstring for the parameters and the readings."""
    if yearless not in ("every-year", "plan-year"):
        raise ValueError(f"yearless must be 'every-year' or 'plan-year', not {yearless!r}")
    effective = effective_start or period_start
    words = BUILTIN_VOCABULARY if vocabulary is None else vocabulary.merged_over(BUILTIN_VOCABULARY)
    ctx = _Context(
        period_start,
        period_end,
        effective,
        words,
        effective.year if yearless == "plan-year" else None,
    )
    source = _normalise(phrase)
    if not source.text:
        raise DeadlineError(f"完成时限为空。{_ACCEPTED_FORMS}", 0)
    _check_parentheses(source)

    found: list[tuple[date, str, tuple[str, ...] | None, str | None]] = []
    recurring: list[tuple[_Recurring, str, tuple[str, ...] | None]] = []
    durations: list[tuple[int, str, tuple[str, ...] | None]] = []
    undated_what: list[str] = []
    start: date | None = None
    recognised = dated = ongoing = False
    for clause_start, clause_end in _clauses(source.text):
        cur = _Cursor(source, clause_start, clause_end)
        units = _take_units(cur)
        if cur.done:
            if units is not None:
                raise cur.error(
                    "括号中的单位之前缺少日期，如“2024年12月底前完成（市公安局）”。", clause_start
                )
            continue  # an empty clause, e.g. a trailing comma
        word = _clause_word(cur, words)
        if word is not None:
            text, meaning = word
            recognised = True
            if meaning in ("ongoing", "undated") and units is not None:
                raise cur.error(
                    "单位只能写在带日期的一项之后，如“2024年12月底前完成（其他行政执法单位）”。",
                    cur.end,
                )
            if meaning == "ongoing":
                ongoing = True
                continue
            whole = _display(source.text[cur.pos : cur.end])
            cur.pos += len(text)
            tail = _display(cur.rest())
            if meaning == "undated":
                if tail:
                    undated_what.append(tail)
                continue
            dated = True
            due = effective if meaning == "start" else period_end
            found.append((due, whole if meaning == "start" else tail or "完成", units, None))
            continue
        duration = _parse_duration(cur)
        if duration is not None:
            recognised = dated = True
            durations.append((duration[0], duration[1], units))
            continue
        clause = _parse_dated(cur, ctx)
        if clause is None:
            raise DeadlineError(
                f"无法识别“{source.original(clause_start, clause_end)}”。{_ACCEPTED_FORMS}",
                source.column(clause_start),
            )
        recognised = True
        dated = dated or clause.dated
        ongoing = ongoing or clause.ongoing
        if clause.start is not None:
            if start is not None:
                raise DeadlineError(
                    "完成时限中只能写一个起始时间（“…起”）。", source.column(clause_start)
                )
            start = clause.start
        if units is not None and not (clause.one_offs or clause.recurring or clause.durations):
            raise cur.error(
                "单位只能写在带日期的一项之后，如“2024年12月底前完成（其他行政执法单位）”。",
                cur.end,
            )
        found.extend((due, _display(what or "完成"), units, None) for due, what in clause.one_offs)
        recurring.extend((r, what, units) for r, what in clause.recurring)
        durations.extend((months, what, units) for months, what in clause.durations)
    if not recognised:
        raise DeadlineError(f"完成时限中没有日期或关键词。{_ACCEPTED_FORMS}", 0)

    # Recurrences fall due from the latest of the period start, the effective start and the
    # phrase's own start ("2024年7月起，每季度报送"), never before.
    lower = max(period_start, effective, start or period_start)
    for rule, what, units in recurring:
        found.extend(
            (due, _display(what or "完成"), units, rule.label)
            for due in _occurrences(rule, lower, period_end)
        )
    for months, what, units in durations:
        found.append(
            (_add_months(start or effective, months), _display(what or "完成"), units, None)
        )

    if start is not None and not (found or recurring or durations):
        ongoing = True  # "2023年起": under way from then, with nothing that ends it
    found.sort(key=lambda item: (item[0], item[1]))
    milestones = tuple(DueMilestone(due, what, units, label) for due, what, units, label in found)
    return Deadline(
        phrase=phrase,
        milestones=milestones,
        ongoing=ongoing,
        undated=not dated,
        start=start,
        undated_what=tuple(undated_what),
    )
