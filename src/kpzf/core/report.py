"""The roll-up report: each (dated milestone, unit) obligation counted once, per unit, area or task."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import InvalidQuery
from ..model.plan import LoadedPlan
from ..model.progress import DELAYED, DONE, IN_PROGRESS, NOT_APPLICABLE, current_progress, status_of
from ..model.resolve import levels, outline
from .labels import IMPLEMENTATION

REPORT_BY = ("unit", "area", "task")
# --by also takes the words of the table headings (单位, 重点任务, 具体任务).
REPORT_BY_WORDS = {"单位": "unit", "重点任务": "area", "具体任务": "task"}


@dataclass(frozen=True)
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

    @property
    def rate(self) -> float | None:
        """Completion rate: 已完成 among the obligations already due; None when nothing is due."""
        return None if self.due == 0 else self.completed_due / self.due


@dataclass(frozen=True)
class Report:
    on: dt.date
    by: str
    rows: tuple[ReportRow, ...]
    total: ReportRow
    heading: str = ""  # what a row is, in the plan's words: 单位, or its level's name (部分 …)


_COUNTS = (
    "obligations",
    "due",
    "completed",
    "completed_due",
    "in_progress",
    "overdue",
    "not_due",
    "not_applicable",
)


def report(plan: LoadedPlan, on: dt.date, by: str = "unit") -> Report:
    """Completed / in progress / overdue / not yet due obligations per unit, 重点任务 or 具体任务.

    An obligation is one (dated milestone, unit that owes it: lead or responsible, not an
    assisting unit unless the plan says assist_owes); undated (长期推进) measures
    have none. Each obligation falls in exactly one of 已完成, 推进中, 逾期, 未到期 (or is
    dropped as 不适用), so rows add up to the total whatever `by` is.
    """
    # The plan's own level names (部分, 任务 …) are words for --by too, beside Kaiping's.
    names = [level.name for level in levels(plan.model)][:-1]
    words = {**REPORT_BY_WORDS, **dict(zip(names, ("area", "task"), strict=False))}
    by = words.get(by.strip(), by.strip())
    if by not in REPORT_BY:
        choices = "、".join(f"{en}（{cn}）" for cn, en in words.items())
        raise InvalidQuery(f"--by 的值“{by}”无效", hint=f"可选：{choices}")
    heading = {"unit": "单位", **dict(zip(("area", "task"), names, strict=False))}.get(by, "")
    latest = current_progress(plan, on)
    counts: dict[str | int | None, dict[str, int]] = {}
    labels: dict[str | int | None, str] = {}
    dotted = False
    if by == "unit":
        for name in plan.registry.units:
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
    for measure in plan.measures.values():
        group_key: str | int | None = (
            measure.area if by == "area" else _task_key(measure.area, measure.task, dotted)
        )
        for milestone in measure.milestones:
            if milestone.due is None:
                continue
            for unit in milestone.owed_by:  # obligations are the owners'; 配合 units help
                key = unit if by == "unit" else group_key
                if key not in counts:
                    counts[key] = dict.fromkeys(_COUNTS, 0)
                    labels[key] = IMPLEMENTATION if key is None else str(key)
                _count(counts[key], status_of(latest, milestone, unit), milestone.passed(on))
    rows = tuple(ReportRow(key, labels[key], **c) for key, c in counts.items())
    total = ReportRow(None, "合计", **{f: sum(getattr(r, f) for r in rows) for f in _COUNTS})
    return Report(on, by, rows, total, heading)


def _task_key(area: int | None, task: int | None, dotted: bool) -> str | int | None:
    """A 具体任务's row key: its number, or "area.task" where numbers restart in each area."""
    if task is None or not dotted:
        return task
    return f"{area}.{task}"


def _count(row: dict[str, int], status: str, passed: bool) -> None:
    if status == NOT_APPLICABLE:
        row["not_applicable"] += 1
        return
    row["obligations"] += 1
    row["due"] += passed
    if status == DONE:
        row["completed"] += 1
        row["completed_due"] += passed
    elif passed:
        row["overdue"] += 1
    elif status in (IN_PROGRESS, DELAYED):
        row["in_progress"] += 1
    else:
        row["not_due"] += 1
