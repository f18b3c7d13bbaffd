"""Item labels as plans print them: 一、（一）、1.、（1）、①、1.1 — style, number and title."""

from __future__ import annotations

import re

from ..records import record

__all__ = ["Label", "LabelStyle", "chinese_number", "split_label"]


class LabelStyle:
    """Names of the label styles (stable strings, used as keys by the readers)."""

    CN_COMMA = "一、"
    CN_PAREN = "（一）"
    ARABIC_DOT = "1."
    ARABIC_PAREN = "（1）"
    CIRCLED = "①"
    DOTTED = "1.1"
    PLAIN = "1"  # a bare number, as in a 序号 column


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "零〇一二两三四五六七八九十百"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Order matters: the dotted form before the single dot, so that "1.1" is not read as "1.".
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (LabelStyle.CN_PAREN, re.compile(rf"[（(]\s*([{_CN}]+)\s*[)）]\s*")),
    (LabelStyle.CN_COMMA, re.compile(rf"([{_CN}]+)\s*[、.．]\s*")),
    (LabelStyle.ARABIC_PAREN, re.compile(r"[（(]\s*([0-9０-９]+)\s*[)）]\s*")),
    (LabelStyle.DOTTED, re.compile(r"([0-9]+(?:[.．][0-9]+)+)[.．、]?\s*")),
    (LabelStyle.ARABIC_DOT, re.compile(r"([0-9０-９]+)\s*[.．、](?![0-9])\s*")),
    (LabelStyle.CIRCLED, re.compile(rf"([{_CIRCLED}])\s*")),
)
_PLAIN = re.compile(r"\s*([0-9０-９]+)(?:\.0)?\s*")


@record
class Label:
    style: str
    label: str  # as printed, e.g. "（一）", "1.", "(1)"
    number: int | None  # None for a dotted label
    path: str  # "1", "2.3" — the number as text (dotted labels keep their dots)
    rest: str  # the text after the label


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23, 一百零五 → 105; None when it is not a numeral."""
    if not text or any(c not in _CN for c in text):
        return None
    total, current = 0, 0
    for c in text:
        if c == "百":
            total += (current or 1) * 100
            current = 0
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _CN_DIGITS[c] if current else _CN_DIGITS[c]
    return total + current


def _arabic(text: str) -> int:
    return int(text.translate({c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}))


def split_label(text: str, *, plain: bool = False) -> Label | None:
    """The label at the start of `text`, or None.  `plain` also accepts a bare number (序号)."""
    stripped = text.lstrip()
    if plain and (m := _PLAIN.fullmatch(stripped)):
        n = _arabic(m.group(1))
        return Label(LabelStyle.PLAIN, m.group(1), n, str(n), "")
    for style, pattern in _PATTERNS:
        m = pattern.match(stripped)
        if m is None:
            continue
        digits = m.group(1)
        rest = stripped[m.end():]
        if style in (LabelStyle.CN_PAREN, LabelStyle.CN_COMMA):
            number = chinese_number(digits)
            if number is None or (style == LabelStyle.CN_COMMA and not rest):
                continue
            path = str(number)
        elif style == LabelStyle.CIRCLED:
            number = _CIRCLED.index(digits) + 1
            path = str(number)
        elif style == LabelStyle.DOTTED:
            path = digits.replace("．", ".")
            number = None
            if int(path.split(".")[0]) > 999:  # "2024.12" is a date, not a label
                return None
        else:
            number = _arabic(digits)
            path = str(number)
            # "2024年…" has no dot, but "2024.12" would look like a dotted label; years are
            # never labels.
            if number > 999:
                return None
        return Label(style, m.group(0).strip(), number, path, rest)
    return None
