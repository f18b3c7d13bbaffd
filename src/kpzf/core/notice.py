"""The 督办通知 (催办单) to one unit as of a date: its red and yellow items, reply-by, signature.

What the notice lists is decided here, once; render/notice.py words it and lays it out (md,
txt, docx). The lights are not judged here but by core/lights.py, through the rows `overdue`
and `upcoming` give: red items are the unit's overdue rows, yellow ones its rows whose light
is yellow (due within the warning window, or 延期 reported without an approved new date). An
approved extension (延期 with `until`) therefore moves an item from red to yellow by itself.
No I/O, no clock: the date is an argument.
"""

from __future__ import annotations

import datetime as dt

from ..errors import UsageError
from ..model.plan import LoadedPlan
from ..model.progress import DELAYED, NOT_STARTED, Latest, current_progress, recorded
from ..model.resolve import FROM_DEADLINE, ResolvedMeasure
from ..records import record
from .events import short_name
from .labels import IMPLEMENTATION, is_implementation
from .lights import RED, YELLOW, warn_window
from .names import find_single_unit
from .queries import MAX_DAYS, DueRow, overdue, shift, upcoming

# Where the 落款 came from: the plan's supervision.coordinator, or (absent) its meta.issuer.
FROM_SUPERVISION, FROM_ISSUER = "supervision", "issuer"


@record
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
    days: int  # RED: days overdue; YELLOW: days left (0 = due today), to the effective date
    until: dt.date | None = None  # an approved new date (延期) the unit is judged against
    status: str = NOT_STARTED  # the unit's recorded status in force on the notice's date

    @property
    def delayed(self) -> bool:
        """Reported 延期 with no approved new date: yellow however far ahead its date is."""
        return self.status == DELAYED and self.until is None

    @property
    def effective(self) -> dt.date:
        return self.until or self.due


@record
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


def _item(plan: LoadedPlan, latest: Latest, unit: str, row: DueRow, light: str) -> NoticeItem:
    measure = plan.measures[row.measure]
    found = recorded(latest, row.measure, unit, row.due.isoformat())
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
        until=row.until,
        status=found.entry.status if found else NOT_STARTED,
    )


def _unit_items(plan: LoadedPlan, unit: str, on: dt.date, warn_days: int) -> tuple[
    tuple[NoticeItem, ...], tuple[NoticeItem, ...]
]:
    # The unit's own obligations only: overdue/upcoming list the units that owe (lead and
    # responsible), never assisting units, so a 配合 unit is not chased for what it helps with.
    latest = current_progress(plan, on)
    late = overdue(plan, on, unit, warn_days=warn_days)
    red = tuple(_item(plan, latest, unit, r, RED) for r in late)
    # Every open dated row ahead, kept where the light rule says yellow: within the window, or
    # reported 延期 without an approved new date (behind by its own word), however far ahead.
    ahead = upcoming(plan, on, MAX_DAYS, unit, warn_days=warn_days)
    yellow = tuple(_item(plan, latest, unit, r, YELLOW) for r in ahead if r.light == YELLOW)
    return red, yellow


def notice(plan: LoadedPlan, unit: str, on: dt.date, warn_days: int | None = None) -> Notice:
    """The notice to `unit` (a single unit, as typed: 赤坎, 公安) as of `on`; `warn_days`
    (--warn-days) overrides the plan's supervision.warn_days.

    A group is refused (NotInPlan): a notice is addressed to one unit; `notices` writes one per
    unit. The notice may list nothing (the unit owes nothing red or yellow); callers decide.
    """
    canonical = find_single_unit(plan, unit)
    return _notice(plan, canonical, on, warn_window(plan, warn_days))


def _notice(plan: LoadedPlan, unit: str, on: dt.date, window: int) -> Notice:
    supervision = plan.model.supervision
    coordinator, source = coordinator_of(plan)
    red, yellow = _unit_items(plan, unit, on, window)
    meta = plan.model.meta
    return Notice(
        unit=unit,
        on=on,
        plan_title=meta.title,
        doc_number=meta.doc_number,
        red=red,
        yellow=yellow,
        warn_days=window,
        reply_by=shift(on, supervision.reply_days),
        coordinator=coordinator,
        coordinator_from=source,
        contact=supervision.contact,
    )


@record
class NoticeRun:
    """`--all`: the notices to write, and the units that get none (and why)."""

    sent: tuple[Notice, ...]  # every single unit with a red or yellow item, registry order
    quiet: tuple[str, ...]  # units with nothing red or yellow
    coordinator: str | None  # the coordinator's own unit, if it is one of the plan's: not sent
    # a notice to itself (its items are in the others' and in `kpzf unit`)


def notices(plan: LoadedPlan, on: dt.date, warn_days: int | None = None) -> NoticeRun:
    """A notice for every single unit with a red or yellow item but the coordinator itself."""
    signer, _ = coordinator_of(plan)  # refuse before any work if nobody can sign
    window = warn_window(plan, warn_days)
    registry = plan.registry
    own = registry.resolve(signer)
    own = own if own in registry.units else None
    sent: list[Notice] = []
    quiet: list[str] = []
    for unit in registry.in_order(registry.units):
        if unit == own:
            continue
        one = _notice(plan, unit, on, window)
        if one.items:
            sent.append(one)
        else:
            quiet.append(unit)
    return NoticeRun(tuple(sent), tuple(quiet), own)
