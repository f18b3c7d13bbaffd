"""The roll-up report: each (dated milestone, unit) obligation counted once, per unit, area or task."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from ..errors import InvalidQuery
from ..model.plan import LoadedPlan
from ..model.progress import (
    DELAYED,
    DONE,
    IN_PROGRESS,
    NOT_APPLICABLE,
    current_extensions,
    current_progress,
)
from ..model.resolve import SECTION_IMPLEMENTATION, ResolvedMeasure, due_passed, levels, outline
from ..records import record
from .labels import IMPLEMENTATION
from .lights import (
    EXTENDED_DONE,
    GREEN,
    LATE_DONE,
    ON_TIME,
    RED,
    YELLOW,
    Standing,
    standing,
    warn_window,
)
from .names import Scope, scope

REPORT_BY = ("unit", "area", "task")
# --by also takes the words of the table headings (单位, 重点任务, 具体任务).
REPORT_BY_WORDS = {"单位": "unit", "重点任务": "area", "具体任务": "task"}


@record
class ReportRow:
    """Counts of (milestone, unit) obligations; see README "kpzf report" for the definitions."""

    key: str | int | None  # unit name, area or task number; None: 组织实施 (65/66)
    label: str
    obligations: int  # dated obligations, 不适用 excluded
    due: int  # of those, due strictly before the date
    completed: int  # 已完成 (whenever due)
    completed_due: int  # 已完成 among the due ones
    in_progress: int  # not due yet, 推进中 or 延期 recorded
    overdue: int  # due and not closed
    not_due: int  # not due yet, nothing (or 未开始) recorded
    not_applicable: int  # 不适用 recorded: not an obligation
    # 督办 (core/lights.py; README "kpzf report"). `due` and `overdue` judge an extended
    # obligation against its approved new date; the assessment keeps the original date:
    assessed: int = 0  # obligations whose ORIGINAL date is strictly before the date (due so far)
    on_time: int = 0  # of those, 按期完成: 已完成 on or before the original date
    extended_done: int = 0  # 延期完成: 已完成 after the original date, by the approved new date
    late_done: int = 0  # 逾期完成: 已完成 after the date it was judged against
    extended: int = 0  # obligations with an approved new date (延期) in force
    longest_overdue: int | None = None  # the most days any open obligation is overdue
    red: int = 0  # obligations by light
    yellow: int = 0
    green: int = 0
    rank: int | None = None  # --rank: the row's place in the 通报 order (1 = first named)

    @property
    def rate(self) -> float | None:
        """Completion rate: 已完成 among the obligations already due; None when nothing is due."""
        return None if self.due == 0 else self.completed_due / self.due

    @property
    def on_time_rate(self) -> float | None:
        """按期完成率 = on_time / assessed: of the obligations whose original date has passed,
        those finished by it; None when none has passed (不适用 excluded from both)."""
        return None if self.assessed == 0 else self.on_time / self.assessed


@record
class Assessment:
    """The totals an evaluation item of the plan (中期评估, 终期评估: Kaiping's 65 and 66)
    needs, as of its due date (or the report's date, if that is earlier)."""

    measure: int
    measure_id: str
    what: str
    due: dt.date  # the item's due date
    on: dt.date  # the date the totals are as of: min(due, the report's date)
    total: ReportRow


@record
class Report:
    on: dt.date
    by: str
    rows: tuple[ReportRow, ...]
    total: ReportRow
    heading: str = ""  # what a row is, in the plan's words: 单位, or its level's name (部分 …)
    ranked: bool = False  # --rank: rows in 通报 order (rank_rows), each with its `rank`
    assessments: tuple[Assessment, ...] = ()
    warn_days: int = 15  # the yellow window the light counts used
    unit: str | None = None  # --unit: the unit or group whose obligations alone are counted


_COUNTS = (
    "obligations",
    "due",
    "completed",
    "completed_due",
    "in_progress",
    "overdue",
    "not_due",
    "not_applicable",
    "assessed",
    "on_time",
    "extended_done",
    "late_done",
    "extended",
    "red",
    "yellow",
    "green",
)


def total_of(rows: tuple[ReportRow, ...] | list[ReportRow], label: str = "合计") -> ReportRow:
    """The row adding up `rows` (the longest overdue is the longest of theirs)."""
    longest = [r.longest_overdue for r in rows if r.longest_overdue is not None]
    return ReportRow(
        None,
        label,
        **{f: sum(getattr(r, f) for r in rows) for f in _COUNTS},
        longest_overdue=max(longest) if longest else None,
    )


def rank_rows(rows: tuple[ReportRow, ...]) -> tuple[ReportRow, ...]:
    """The rows in 通报 order, each with its `rank` (1, 2, …): most overdue obligations first;
    ties by 按期完成率, lower first (a row with nothing assessed yet after every rate); then the
    rows' own order (the registry's unit order, or the plan's order of areas and tasks)."""
    order = sorted(
        enumerate(rows),
        key=lambda item: (
            -item[1].overdue,
            item[1].on_time_rate is None,
            item[1].on_time_rate or 0.0,
            item[0],
        ),
    )
    return tuple(replace(row, rank=place) for place, (_, row) in enumerate(order, 1))


def report(
    plan: LoadedPlan,
    on: dt.date,
    by: str = "unit",
    rank: bool = False,
    warn_days: int | None = None,
    unit: str | Scope | None = None,
) -> Report:
    """Completed / in progress / overdue / not yet due obligations per unit, 重点任务 or 具体任务.

    An obligation is one (dated milestone, unit that owes it: lead or responsible, not an
    assisting unit unless the plan says assist_owes); undated (长期推进) measures
    have none. Each obligation falls in exactly one of 已完成, 推进中, 逾期, 未到期 (or is
    dropped as 不适用), so rows add up to the total whatever `by` is.

    `rank` orders the rows for a 通报 (`rank_rows`); the plan's evaluation items (its
    implementation section's dated milestones) get their totals as of their due dates.
    `unit` (a unit or group) counts only the obligations of the units it means (by unit: only
    their rows), evaluation totals included: one unit's or one group's report.
    """
    within = scope(plan, unit)
    window = warn_window(plan, warn_days)
    rows, heading, by = _rows(plan, on, by, window, within)
    if rank:
        rows = rank_rows(rows)
    return Report(
        on,
        by,
        rows,
        total_of(rows),
        heading,
        ranked=rank,
        assessments=_assessments(plan, on, window, within),
        warn_days=window,
        unit=None if within is None else within.name,
    )


def _assessments(
    plan: LoadedPlan, on: dt.date, window: int, within: Scope | None = None
) -> tuple[Assessment, ...]:
    """Each evaluation item's totals (every obligation of the plan) as of its due date."""
    found = []
    for measure in plan.measures.values():
        if measure.section != SECTION_IMPLEMENTATION:
            continue
        for milestone in measure.milestones:
            if milestone.due is None:
                continue
            day = min(milestone.due, on)
            rows, _, _ = _rows(plan, day, "unit", window, within)
            found.append(
                Assessment(
                    measure.number, measure.id, milestone.what, milestone.due, day, total_of(rows)
                )
            )
    return tuple(found)


def _rows(
    plan: LoadedPlan, on: dt.date, by: str, window: int, within: Scope | None = None
) -> tuple[tuple[ReportRow, ...], str, str]:
    """The report's rows as of `on`, what a row is (its heading), and `by` as understood."""
    # The plan's own level names (部分, 任务 …) are words for --by too, beside Kaiping's.
    names = [level.name for level in levels(plan.model)][:-1]
    words = {**REPORT_BY_WORDS, **dict(zip(names, ("area", "task"), strict=False))}
    by = words.get(by.strip(), by.strip())
    if by not in REPORT_BY:
        choices = "、".join(f"{en}（{cn}）" for cn, en in words.items())
        raise InvalidQuery(f"--by 的值“{by}”无效", hint=f"可选：{choices}")
    heading = {"unit": "单位", **dict(zip(("area", "task"), names, strict=False))}.get(by, "")
    counts: dict[str | int | None, dict[str, int]] = {}
    longest: dict[str | int | None, int] = {}
    labels: dict[str | int | None, str] = {}
    dotted = False
    if by == "unit":
        for name in plan.registry.units:
            if within is None or name in within.units:
                counts[name], labels[name] = dict.fromkeys(_COUNTS, 0), name
    else:
        tree = outline(plan.measures)
        task_ordinals = [task.heading.ordinal for area in tree for task in area.children]
        # Plans that number tasks per area (（一） under each 一、) name a task by both ordinals.
        dotted = len(set(task_ordinals)) < len(task_ordinals)
        for area in tree:
            if by == "area":
                counts[area.heading.ordinal] = dict.fromkeys(_COUNTS, 0)
                labels[area.heading.ordinal] = area.heading.title
            for task in area.children if by == "task" else ():
                key = _task_key(area.heading.ordinal, task.heading.ordinal, dotted)
                counts[key] = dict.fromkeys(_COUNTS, 0)
                labels[key] = task.heading.title
        if by == "area" and within is not None and _dated_implementation(plan):
            # One unit's report lists every area, 组织实施 too, with zeros where it owes nothing.
            counts[None], labels[None] = dict.fromkeys(_COUNTS, 0), IMPLEMENTATION

    def key_of(measure: ResolvedMeasure, unit: str) -> str | int | None:
        if by == "unit":
            return unit
        return measure.area if by == "area" else _task_key(measure.area, measure.task, dotted)

    _tally(plan, on, window, within, key_of, counts, longest)
    rows = tuple(
        ReportRow(
            key,
            labels.get(key, IMPLEMENTATION if key is None else str(key)),
            **c,
            longest_overdue=longest.get(key),
        )
        for key, c in counts.items()
    )
    return rows, heading, by


_Key = TypeVar("_Key")


def _tally(
    plan: LoadedPlan,
    on: dt.date,
    window: int,
    within: Scope | None,
    key_of: Callable[[ResolvedMeasure, str], _Key],
    counts: dict[_Key, dict[str, int]],
    longest: dict[_Key, int],
) -> None:
    """Count every obligation (of the units `within`) into the row `key_of` names, in one pass."""
    latest = current_progress(plan, on)
    extensions = current_extensions(plan, on)
    for measure in plan.measures.values():
        for milestone in measure.milestones:
            if milestone.due is None:
                continue
            for unit in milestone.owed_by:  # obligations are the owners'; 配合 units help
                if within is not None and unit not in within.units:
                    continue
                key = key_of(measure, unit)
                if key not in counts:
                    counts[key] = dict.fromkeys(_COUNTS, 0)
                st = standing(latest, extensions, milestone, unit, on, window)
                _count(counts[key], st, on)
                if st.days_overdue is not None:
                    longest[key] = max(longest.get(key, 0), st.days_overdue)


def report_cells(
    plan: LoadedPlan, on: dt.date, warn_days: int | None = None, unit: str | Scope | None = None
) -> dict[tuple[str, int | None], ReportRow]:
    """`report --by area --unit U` for every unit U at once, in one pass over the obligations:
    (unit, area key) → that row (None: the implementation items). Pairs with no obligation are
    absent; the HTML report's heat-map is made of these rows."""
    within = scope(plan, unit)
    window = warn_window(plan, warn_days)
    counts: dict[tuple[str, int | None], dict[str, int]] = {}
    longest: dict[tuple[str, int | None], int] = {}
    _tally(plan, on, window, within, lambda m, u: (u, m.area), counts, longest)
    areas: list[int | None] = [area.heading.ordinal for area in outline(plan.measures)]
    if _dated_implementation(plan):
        areas.append(None)
    for unit_name in {u for u, _ in counts}:
        for area_key in areas:
            counts.setdefault((unit_name, area_key), dict.fromkeys(_COUNTS, 0))
    return {
        key: ReportRow(key[1], "", **c, longest_overdue=longest.get(key))
        for key, c in counts.items()
    }


def _dated_implementation(plan: LoadedPlan) -> bool:
    """Whether the plan's implementation items (组织实施: 65, 66) have a due date to count."""
    return any(
        m.section == SECTION_IMPLEMENTATION and any(ms.due for ms in m.milestones)
        for m in plan.measures.values()
    )


def _task_key(area: int | None, task: int | None, dotted: bool) -> str | int | None:
    """A 具体任务's row key: its number, or "area.task" where numbers restart in each area."""
    if task is None or not dotted:
        return task
    return f"{area}.{task}"


def _count(row: dict[str, int], st: Standing, on: dt.date) -> None:
    """One obligation into its row: exactly one of 已完成, 推进中, 逾期, 未到期 (or 不适用)."""
    status = st.status
    if status == NOT_APPLICABLE:
        row["not_applicable"] += 1
        return
    passed = due_passed(st.effective, on)  # judged against the approved new date, if any
    original_passed = due_passed(st.due, on)  # the assessment keeps the original date
    row["obligations"] += 1
    row["due"] += passed
    row["assessed"] += original_passed
    row["extended"] += st.extended
    if st.light == RED:
        row["red"] += 1
    elif st.light == YELLOW:
        row["yellow"] += 1
    elif st.light == GREEN:
        row["green"] += 1
    if status == DONE:
        row["completed"] += 1
        row["completed_due"] += passed
        row["on_time"] += st.category == ON_TIME and original_passed
        row["extended_done"] += st.category == EXTENDED_DONE
        row["late_done"] += st.category == LATE_DONE
    elif passed:
        row["overdue"] += 1
    elif status in (IN_PROGRESS, DELAYED):
        row["in_progress"] += 1
    else:
        row["not_due"] += 1
