"""One measure in full as of a date: its units, milestones, each unit's status, its progress log."""

from __future__ import annotations

import datetime as dt

from ..model.plan import LoadedPlan
from ..model.progress import (
    NOT_STARTED,
    current_extensions,
    current_progress,
    history,
    milestone_key_for,
    recorded,
)
from ..model.resolve import FROM_DEADLINE, Milestone, ResolvedMeasure
from ..model.roles import RESPONSIBLE
from ..records import record
from .lights import standing, warn_window, worst
from .names import find_measure
from .queries import grouped, owing_units


@record
class UnitStatus:
    unit: str
    status: str
    date: dt.date | None  # of the entry in force
    note: str
    role: str = RESPONSIBLE  # the unit's role in the measure (model/roles.py)
    # 督办 (core/lights.py): the unit's light and category on this milestone, its approved new
    # date (延期) if any, and its days overdue against the date it is judged by.
    light: str | None = None
    category: str | None = None
    until: dt.date | None = None
    days_overdue: int | None = None


@record
class MilestoneDetail:
    index: int  # 0 for the single undated row of a 长期推进 measure
    due: dt.date | None
    what: str
    recurrence: str | None
    units: tuple[str, ...]
    owing: tuple[str, ...]  # the units that owe it (lead, responsible) and have not closed it
    owing_grouped: tuple[str, ...]
    complete: bool  # every unit that owes it has closed it (assisting units' entries do not count)
    overdue: bool
    days_overdue: int | None
    statuses: tuple[UnitStatus, ...]  # every unit it applies to, registry order
    source: str = FROM_DEADLINE
    owed: tuple[str, ...] = ()  # the units that owe it (not assisting units), registry order
    light: str | None = None  # the worst light of the units that owe it


@record
class HistoryEntry:
    index: int  # position in the progress log (0-based)
    unit: str
    milestone: str | None
    status: str
    date: dt.date
    note: str
    current: bool  # the entry in force for its (unit, milestone); False: superseded
    until: dt.date | None = None  # 延期: the approved new date the entry carries
    approved_late: bool = False


@record
class ChaseEntry:
    """One 催办 of a unit that listed this measure (plan.yaml's `notices`)."""

    index: int  # position in the notices log (0-based)
    unit: str
    date: dt.date
    note: str


@record
class MeasureDetail:
    measure: ResolvedMeasure
    on: dt.date
    units: tuple[tuple[str, str | None], ...]  # (unit, via) in registry order
    milestones: tuple[MilestoneDetail, ...]
    history: tuple[HistoryEntry, ...]
    notices: tuple[ChaseEntry, ...] = ()  # when each unit was chased for it, in log order


def show(
    plan: LoadedPlan, number: int | str, on: dt.date, warn_days: int | None = None
) -> MeasureDetail:
    """One measure in full as of `on`: units with their group, milestones, statuses, history."""
    measure = find_measure(plan, number)
    number = measure.number
    latest = current_progress(plan, on)
    extensions = current_extensions(plan, on)
    window = warn_window(plan, warn_days)
    details = []
    milestones: list[Milestone] = list(measure.milestones)
    if not milestones:  # 长期推进: one undated row, so the statuses recorded for it show
        milestones = [
            Milestone(measure.number, 0, None, measure.deadline, measure.responsible, None)
        ]
    for m in milestones:
        units = plan.registry.in_order(m.units)
        owes = m.owed_by if m.index else measure.owners
        owed = [u for u in units if u in owes]
        owing = owing_units(plan, latest, m, owed)
        statuses = []
        for unit in units:
            found = recorded(latest, measure.number, unit, m.key)
            role = measure.role_of(unit)
            st = standing(latest, extensions, m, unit, on, window, unit in owes)
            statuses.append(
                UnitStatus(
                    unit,
                    found.entry.status if found else NOT_STARTED,
                    found.entry.date if found else None,
                    found.entry.note if found else "",
                    role,
                    light=st.light,
                    category=st.category,
                    until=st.until,
                    days_overdue=st.days_overdue,
                )
            )
        lates = [s.days_overdue for s in statuses if s.days_overdue is not None]
        late = max(lates) if lates else None
        details.append(
            MilestoneDetail(
                index=m.index,
                due=m.due,
                what=m.what,
                recurrence=m.recurrence,
                units=tuple(units),
                owing=tuple(owing),
                owing_grouped=grouped(plan, owing, measure, m if m.index else None),
                complete=m.due is not None and not owing,
                overdue=late is not None,
                days_overdue=late,
                statuses=tuple(statuses),
                source=m.source,
                owed=tuple(owed),
                light=worst(s.light for s in statuses),
            )
        )
    current = {r.index for r in latest.values()}
    resolve = plan.registry.resolve
    log = []
    for index, entry in history(plan, number):
        if entry.date > on:
            continue  # not yet known on that day
        key = milestone_key_for(entry, measure)
        log.append(
            HistoryEntry(
                index,
                resolve(entry.unit) or entry.unit,
                key,
                entry.status,
                entry.date,
                entry.note,
                index in current,
                entry.until,
                entry.approved_late,
            )
        )
    return MeasureDetail(
        measure=measure,
        on=on,
        units=tuple((u, measure.via.get(u)) for u in plan.registry.in_order(measure.responsible)),
        milestones=tuple(details),
        history=tuple(log),
        notices=chased(plan, measure, on),
    )


def chased(plan: LoadedPlan, measure: ResolvedMeasure, on: dt.date) -> tuple[ChaseEntry, ...]:
    """The 催办 entries that list `measure`, known by `on` (sent on or before it), in log order."""
    resolve = plan.registry.resolve
    return tuple(
        ChaseEntry(i, resolve(entry.unit) or entry.unit, entry.date, entry.note)
        for i, entry in enumerate(plan.model.notices)
        if entry.date <= on and any(plan.number_of(m) == measure.number for m in entry.measures)
    )
