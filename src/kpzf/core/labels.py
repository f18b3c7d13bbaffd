"""How the 台账 names things: （一）for an area, "1." for a task, 组织实施 for section 三, 长期推进."""

from __future__ import annotations

from ..model.resolve import SECTION_IMPLEMENTATION, ResolvedMeasure

IMPLEMENTATION = SECTION_IMPLEMENTATION  # what items 65/66, which belong to no 重点任务, are filed under
ONGOING = "长期推进"  # a measure without any due date (and nothing recorded for it)
UNDATED = "无具体时限"  # no due date and not ongoing either: the plan gives no 完成时限 at all

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 16 → 十六, 23 → 二十三 (areas are numbered （一）（二）… in the 台账)."""
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)


def is_implementation(measure: ResolvedMeasure) -> bool:
    """Items of section 三 (65, 66): no 重点任务, no 具体任务."""
    return measure.section == SECTION_IMPLEMENTATION


def heading_labels(measure: ResolvedMeasure, depth: int) -> tuple[str, ...]:
    """The labelled headings above a measure, one per level above the measures (`depth` of
    them): （一）全面提升…, 1. 坚持党建引领 — as the plan writes them; 组织实施 then blanks for
    an implementation item."""
    if is_implementation(measure):
        return (IMPLEMENTATION, *([""] * (depth - 1)))[:depth]
    texts = [h.text for h in measure.trail[:depth]]
    return (*texts, *([""] * (depth - len(texts))))


def area_label(measure: ResolvedMeasure) -> str:
    """（一）全面提升行政执法人员能力素质, or 组织实施."""
    if is_implementation(measure):
        return IMPLEMENTATION
    return measure.trail[0].text if measure.trail else ""


def task_label(measure: ResolvedMeasure) -> str:
    """1. 坚持党建引领, or "" for an implementation item."""
    if is_implementation(measure) or len(measure.trail) < 2:
        return ""
    return measure.trail[1].text
