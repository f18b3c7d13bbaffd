"""The 督办通知 (催办单) to one unit as of a date: its red and yellow items, reply-by, signature.

What the notice says is decided here, once; render/notice.py only lays it out (md, txt, docx).
Red and yellow are not judged here: a red item is a milestone the unit owes that `overdue`
lists, a yellow one a milestone `upcoming` lists within the plan's warning window
(supervision.warn_days). No I/O, no clock: the date is an argument.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import UsageError
from ..model.plan import LoadedPlan
from ..model.resolve import FROM_DEADLINE, ResolvedMeasure
from .events import short_name
from .labels import IMPLEMENTATION, is_implementation
from .names import find_single_unit
from .queries import DueRow, overdue, shift, upcoming

RED, YELLOW = "red", "yellow"

# Where the 落款 came from: the plan's supervision.coordinator, or (absent) its meta.issuer.
FROM_SUPERVISION, FROM_ISSUER = "supervision", "issuer"


@dataclass(frozen=True)
class NoticeItem:
    """One milestone the unit owes, as a row of the notice's table."""

    measure: int
    measure_id: str  # the stable id as the plan writes it ("17", "1.1.2")
    label: str  # the measure as the 台账 numbers it: （30）, or 组织实施（65）
    name: str  # the measure's short name (what it does, 14 characters at most)
    milestone: int  # 1-based index within the measure
    due: dt.date
    what: str  # what is due by then
    recurrence: str | None
    source: str  # 完成时限 or 措施原文
    light: str  # RED or YELLOW
    days: int  # RED: days overdue; YELLOW: days left (0 = due today)


@dataclass(frozen=True)
class Notice:
    """Everything one 督办通知 says; the renderers add nothing but layout."""

    unit: str  # 主送: the canonical unit name
    on: dt.date  # the notice's date, and the date items are judged at
    plan_title: str
    doc_number: str | None
    red: tuple[NoticeItem, ...]  # most overdue first
    yellow: tuple[NoticeItem, ...]  # soonest first
    warn_days: int
    reply_by: dt.date  # on + supervision.reply_days
    coordinator: str  # 落款
    coordinator_from: str  # FROM_SUPERVISION or FROM_ISSUER
    contact: str | None

    @property
    def items(self) -> tuple[NoticeItem, ...]:
        return self.red + self.yellow

    @property
    def measures(self) -> tuple[str, ...]:
        """The ids of the measures the notice lists (red or yellow), in plan order, once each."""
        ordered = sorted(self.items, key=lambda i: i.measure)
        return tuple(dict.fromkeys(i.measure_id for i in ordered))

    def count(self, light: str) -> tuple[int, int]:
        """(measures, milestones) of one light: 赤坎镇 at 2024-07-01 has (13, 14) red."""
        items = self.red if light == RED else self.yellow
        return len({i.measure for i in items}), len(items)


def coordinator_of(plan: LoadedPlan) -> tuple[str, str]:
    """Who signs the notice: supervision.coordinator, else meta.issuer; refused if neither."""
    supervision = plan.model.supervision
    if supervision.coordinator:
        return supervision.coordinator, FROM_SUPERVISION
    issuer = plan.model.meta.issuer
    if issuer:
        return issuer, FROM_ISSUER
    raise UsageError(
        "计划文件没有写督办单位（supervision.coordinator），也没有发文机关（meta.issuer），督办通知无人落款",
        hint="请在 plan.yaml 中写明，例如：\nsupervision:\n  coordinator: 某某市司法局\n  contact: 张三 0750-0000000",
    )


def _label(measure: ResolvedMeasure) -> str:
    if is_implementation(measure):
        return f"{IMPLEMENTATION}（{measure.id}）"
    return measure.label or f"措施{measure.id}"


def _item(plan: LoadedPlan, row: DueRow, light: str) -> NoticeItem:
    measure = plan.measures[row.measure]
    return NoticeItem(
        measure=row.measure,
        measure_id=row.measure_id or measure.id,
        label=_label(measure),
        name=short_name(measure.text),
        milestone=row.milestone,
        due=row.due,
        what=row.what,
        recurrence=row.recurrence,
        source=row.source or FROM_DEADLINE,
        light=light,
        days=row.days,
    )


def _unit_items(plan: LoadedPlan, unit: str, on: dt.date, warn_days: int) -> tuple[
    tuple[NoticeItem, ...], tuple[NoticeItem, ...]
]:
    # The unit's own obligations only: overdue/upcoming list the units that owe (lead and
    # responsible), never assisting units, so a 配合 unit is not chased for what it helps with.
    red = tuple(_item(plan, r, RED) for r in overdue(plan, on, unit))
    yellow = tuple(_item(plan, r, YELLOW) for r in upcoming(plan, on, warn_days, unit))
    return red, yellow


def notice(plan: LoadedPlan, unit: str, on: dt.date) -> Notice:
    """The notice to `unit` (a single unit, as typed: 赤坎, 公安) as of `on`.

    A group is refused (NotInPlan): a notice is addressed to one unit; `notices` writes one per
    unit. The notice may list nothing (the unit owes nothing red or yellow); callers decide.
    """
    canonical = find_single_unit(plan, unit)
    return _notice(plan, canonical, on)


def _notice(plan: LoadedPlan, unit: str, on: dt.date) -> Notice:
    supervision = plan.model.supervision
    coordinator, source = coordinator_of(plan)
    red, yellow = _unit_items(plan, unit, on, supervision.warn_days)
    meta = plan.model.meta
    return Notice(
        unit=unit,
        on=on,
        plan_title=meta.title,
        doc_number=meta.doc_number,
        red=red,
        yellow=yellow,
        warn_days=supervision.warn_days,
        reply_by=shift(on, supervision.reply_days),
        coordinator=coordinator,
        coordinator_from=source,
        contact=supervision.contact,
    )


def notices(plan: LoadedPlan, on: dt.date) -> tuple[tuple[Notice, ...], tuple[str, ...]]:
    """`--all`: a notice for every single unit with a red or yellow item (registry order), and
    the units that have none (no notice is written for them)."""
    coordinator_of(plan)  # refuse before any work if nobody can sign
    registry = plan.registry
    sent: list[Notice] = []
    quiet: list[str] = []
    for unit in registry.in_order(registry.units):
        one = _notice(plan, unit, on)
        if one.items:
            sent.append(one)
        else:
            quiet.append(unit)
    return tuple(sent), tuple(quiet)
