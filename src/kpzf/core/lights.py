"""督办 lights and assessment categories: how one (milestone, unit) stands as of a date.

The one place these rules live; every view (overdue, upcoming, unit, show, report, the 台账)
asks `standing` or `light`, never re-derives them.

Lights (红黄绿灯), for a dated milestone and one unit, as of `on`:
- green  (绿): the unit has closed it (已完成 or 不适用) — or it is on track: not closed, not
               due within the warning window, and the unit has not reported itself behind;
- yellow (黄): not closed and due within the warning window (0 to `warn_days` days left,
               the due date itself included), or the unit reports 延期 without an approved new
               date (behind, by its own word) while not yet overdue;
- red    (红): not closed and overdue: the date it is judged against is strictly before `on`;
- None       : the milestone has no due date (长期推进 …): there is nothing to be late for.
The date judged against is the unit's approved new date where it has one
(`model.progress.effective_due`), else the milestone's.

Categories (for the coordinator's assessment; the original date is kept for it):
- 按期完成   已完成 on or before the milestone's own date;
- 延期完成   已完成 after the own date, on or before the approved new date;
- 逾期完成   已完成 after the date it was judged against;
- 逾期未完成 not closed and overdue (against the new date where there is one);
- 推进中     not closed, not overdue, 推进中 or 延期 recorded;
- 未到期     not closed, not overdue, nothing (or 未开始) recorded;
- 不适用     recorded 不适用 (not an obligation);
- None       undated milestones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..errors import InvalidQuery
from ..model.plan import LoadedPlan
from ..model.progress import (
    CLOSED,
    DELAYED,
    DONE,
    IN_PROGRESS,
    NOT_APPLICABLE,
    NOT_STARTED,
    Latest,
    extension_of,
    recorded,
)
from ..model.resolve import Milestone, due_passed
from ..records import record

RED = "red"
YELLOW = "yellow"
GREEN = "green"
LIGHTS = (RED, YELLOW, GREEN)
LIGHT_WORDS = {RED: "红灯", YELLOW: "黄灯", GREEN: "绿灯"}  # tables, csv, md, xlsx
_SEVERITY = {None: 0, GREEN: 1, YELLOW: 2, RED: 3}

ON_TIME = "按期完成"
EXTENDED_DONE = "延期完成"
LATE_DONE = "逾期完成"
LATE_OPEN = "逾期未完成"
OPEN = "推进中"
NOT_DUE = "未到期"
CATEGORIES = (ON_TIME, EXTENDED_DONE, LATE_DONE, LATE_OPEN, OPEN, NOT_DUE, NOT_APPLICABLE)

MAX_WARN_DAYS = 366  # as the schema's supervision.warn_days


def warn_window(plan: LoadedPlan, warn_days: int | None = None) -> int:
    """The yellow window in days: `--warn-days` where given, else the plan's
    supervision.warn_days (default 15)."""
    if warn_days is None:
        return plan.model.supervision.warn_days
    check_warn_days(warn_days)
    return warn_days


def check_warn_days(warn_days: int | None) -> None:
    """--warn-days is 0 to 366 (as the schema's supervision.warn_days); checked before the plan
    is read, so a typo costs nothing."""
    if warn_days is not None and not 0 <= warn_days <= MAX_WARN_DAYS:
        raise InvalidQuery(
            f"--warn-days 的值 {warn_days} 无效",
            hint=f"天数应为 0 至 {MAX_WARN_DAYS} 的整数，例如 --warn-days 15（截止前 15 天内亮黄灯）",
        )


def light(
    status: str, due: dt.date | None, on: dt.date, warn_days: int, extended: bool = False
) -> str | None:
    """The light of one unit's milestone: `due` is the date it is judged against (the approved
    new date where `extended`), `status` the unit's recorded status as of `on`."""
    if due is None:
        return None
    if status in CLOSED:
        return GREEN
    if due_passed(due, on):
        return RED
    if (due - on).days <= warn_days:
        return YELLOW
    if status == DELAYED and not extended:
        return YELLOW  # the unit says it is behind and has no new date: a warning, not on track
    return GREEN


def category(
    status: str,
    done_on: dt.date | None,
    due: dt.date | None,
    until: dt.date | None,
    on: dt.date,
) -> str | None:
    """The assessment category (module docstring) of one unit's milestone as of `on`.

    `due` is the milestone's own date, `until` the approved new date in force (or None),
    `done_on` the date of the entry in force (its completion date when `status` is 已完成).
    """
    if due is None:
        return None
    if status == NOT_APPLICABLE:
        return NOT_APPLICABLE
    if status == DONE:
        finished = done_on or on
        if finished <= due:
            return ON_TIME
        if until is not None and finished <= until:
            return EXTENDED_DONE
        return LATE_DONE
    if due_passed(until or due, on):
        return LATE_OPEN
    if status in (IN_PROGRESS, DELAYED):
        return OPEN
    return NOT_DUE


def worst(lights: Iterable[str | None]) -> str | None:
    """A row's light where it speaks for several units: the worst of theirs (red > yellow >
    green > none)."""
    result: str | None = None
    for value in lights:
        if _SEVERITY[value] > _SEVERITY[result]:
            result = value
    return result


@record
class Standing:
    """One (milestone, unit) as of a date: the facts every 督办 view is built from."""

    measure: int
    milestone: int  # the milestone's 1-based index in its measure
    unit: str
    due: dt.date | None  # the milestone's own date (kept for assessment)
    until: dt.date | None  # the approved new date in force (延期), else None
    status: str  # the recorded status in force (未开始 without a record)
    recorded: dt.date | None  # the date of the entry in force
    light: str | None  # RED | YELLOW | GREEN | None (undated)
    category: str | None  # one of CATEGORIES, None for undated milestones
    days_overdue: int | None  # not closed and overdue: days past the date judged against
    days_left: int | None  # not closed and not overdue: days to the date judged against

    @property
    def effective(self) -> dt.date | None:
        """The date the unit is judged against (= model.progress.effective_due)."""
        return self.until or self.due

    @property
    def extended(self) -> bool:
        return self.until is not None

    @property
    def closed(self) -> bool:
        return self.status in CLOSED


def standing(
    latest: Latest,
    extensions: Latest,
    milestone: Milestone,
    unit: str,
    on: dt.date,
    warn_days: int,
    owes: bool = True,
) -> Standing:
    """How `unit` stands on `milestone` as of `on`, from the two snapshots of the log
    (`current_progress`, `current_extensions`, both as of `on`).

    `owes`: whether the unit answers for the milestone (`Milestone.owed_by`). An assisting
    unit (配合) that does not has no light and no category: it is never late, and its
    record is not assessed; its status and days are still given.
    """
    found = recorded(latest, milestone.measure, unit, milestone.key)
    status = found.entry.status if found else NOT_STARTED
    ext = extension_of(extensions, milestone, unit)
    until = ext.entry.until if ext is not None else None
    due = until or milestone.due
    open_ = status not in CLOSED and due is not None
    late = open_ and due_passed(due, on)
    return Standing(
        measure=milestone.measure,
        milestone=milestone.index,
        unit=unit,
        due=milestone.due,
        until=until,
        status=status,
        recorded=found.entry.date if found else None,
        light=light(status, due, on, warn_days, until is not None) if owes else None,
        category=category(status, found.entry.date if found else None, milestone.due, until, on)
        if owes
        else None,
        days_overdue=(on - due).days if late and due is not None and owes else None,
        days_left=(due - on).days if open_ and not late and due is not None else None,
    )
