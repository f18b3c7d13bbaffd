"""The progress log (the 台账's 进度情况 column as data): vocabulary, supersession, completion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..records import record
from .models import ProgressEntry
from .plan import LoadedPlan
from .resolve import Milestone, ResolvedMeasure, due_passed

NOT_STARTED = "未开始"
IN_PROGRESS = "推进中"
DONE = "已完成"
DELAYED = "延期"  # behind schedule, with a reason in the note
NOT_APPLICABLE = "不适用"  # the unit has nothing to do here (e.g. no devolved powers); counts as closed

STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, DELAYED, NOT_APPLICABLE)
CLOSED = frozenset((DONE, NOT_APPLICABLE))


@record
class Recorded:
    """The entry currently in force for one (measure, unit, milestone), and its place in the log."""

    entry: ProgressEntry
    index: int  # position in plan.progress


ProgressKey = tuple[int, str, str | None]  # (measure, canonical unit, milestone key)
Latest = dict[ProgressKey, "Recorded"]  # a current_progress snapshot


@record
class ProgressRow:
    """A log entry as plain values, its unit canonical where the name resolves (export, diff)."""

    measure: int | str  # the entry's measure id as written (17, or "1.2.3")
    unit: str
    milestone: str | None  # as written: None when the entry omits it
    status: str
    date: str
    note: str
    until: str | None = None  # 延期: the approved new due date
    approved_late: bool = False


def progress_rows(plan: LoadedPlan) -> list[ProgressRow]:
    """The whole log in order, as rows."""
    resolve = plan.registry.resolve
    return [
        ProgressRow(
            e.measure,
            resolve(e.unit) or e.unit,
            e.milestone.isoformat() if e.milestone else None,
            e.status,
            e.date.isoformat(),
            e.note,
            e.until.isoformat() if e.until else None,
            e.approved_late,
        )
        for e in plan.model.progress
    ]


def milestone_key_for(entry: ProgressEntry, measure: ResolvedMeasure | None) -> str | None:
    """The milestone an entry speaks of; an entry may omit it when the measure has only one."""
    if entry.milestone is not None:
        return entry.milestone.isoformat()
    if measure is not None and len(measure.milestones) == 1:
        return measure.milestones[0].key
    return None


def current_progress(plan: LoadedPlan, on: dt.date | None = None) -> Latest:
    """The latest entry per (measure, unit, milestone) as of `on`: later lines supersede earlier.

    Entries dated after `on` are not yet known on that day. One pass over the log with a dict,
    so a province-scale log stays linear.
    """
    latest: Latest = {}
    resolve = plan.registry.resolve
    for index, entry in enumerate(plan.model.progress):
        if on is not None and entry.date > on:
            continue
        unit = resolve(entry.unit) or entry.unit
        number = plan.number_of(entry.measure)
        if number is None:
            continue  # an unknown measure: the checks report it
        key = (number, unit, milestone_key_for(entry, plan.measures.get(number)))
        latest[key] = Recorded(entry, index)
    return latest


def history(plan: LoadedPlan, measure: int) -> list[tuple[int, ProgressEntry]]:
    """Every entry ever recorded for a measure, oldest first, with its index in the log."""
    return [
        (i, e) for i, e in enumerate(plan.model.progress) if plan.number_of(e.measure) == measure
    ]


def recorded(
    latest: Latest, measure: int, unit: str, key: str | None
) -> Recorded | None:
    """The entry in force for a unit on one milestone (by its key; None: an undated measure)."""
    return latest.get((measure, unit, key))


def status_of(latest: Latest, milestone: Milestone, unit: str) -> str:
    """A unit's status for a milestone in a `current_progress` snapshot."""
    found = recorded(latest, milestone.measure, unit, milestone.key)
    return NOT_STARTED if found is None else found.entry.status


def owing(
    latest: Latest, milestone: Milestone, units: Iterable[str] | None = None
) -> set[str]:
    """Of `units` (default: all the milestone applies to), those that have not closed it."""
    candidates = milestone.units if units is None else units
    return {u for u in candidates if status_of(latest, milestone, u) not in CLOSED}


# --------------------------------------------------------------------------- extensions (延期)
# An entry with status 延期 may carry `until`, the approved new due date. From the day it is
# recorded, the unit's milestone is judged against that date (overdue, lights, agenda, report);
# the milestone's own date is kept for assessment (按期完成 is by the original date). The
# extension in force is the LATEST entry carrying `until` for (measure, unit, milestone): later
# entries without `until` (推进中, 已完成, a 延期 saying only why) leave it standing, a later
# `until` replaces it.


def current_extensions(plan: LoadedPlan, on: dt.date | None = None) -> Latest:
    """The extension in force per (measure, unit, milestone) as of `on` (entries with `until`).

    Keyed like `current_progress`; most plans have none, so the pass is one attribute test per
    entry.
    """
    found: Latest = {}
    resolve = plan.registry.resolve
    for index, entry in enumerate(plan.model.progress):
        if entry.until is None or (on is not None and entry.date > on):
            continue
        number = plan.number_of(entry.measure)
        if number is None:
            continue
        unit = resolve(entry.unit) or entry.unit
        found[(number, unit, milestone_key_for(entry, plan.measures.get(number)))] = Recorded(
            entry, index
        )
    return found


def extension_of(extensions: Latest, milestone: Milestone, unit: str) -> Recorded | None:
    """The approved extension in force for a unit on a milestone, if any."""
    if milestone.due is None:
        return None  # nothing to extend: checks report an `until` on an undated milestone
    return extensions.get((milestone.measure, unit, milestone.key))


def effective_due(extensions: Latest, milestone: Milestone, unit: str) -> dt.date | None:
    """THE date a unit's milestone is judged against: its approved new date, else the
    milestone's own. Every view that says overdue, yellow or due so far asks this."""
    found = extension_of(extensions, milestone, unit)
    if found is not None and found.entry.until is not None:
        return found.entry.until
    return milestone.due


def passed_for(extensions: Latest, milestone: Milestone, unit: str, on: dt.date) -> bool:
    """Whether the unit's (effective) date for the milestone is strictly before `on`."""
    return due_passed(effective_due(extensions, milestone, unit), on)
