"""Pure queries over a loaded plan: overdue, the agenda, a unit's duties, the registry (no I/O, no clock)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..errors import InvalidQuery
from ..model.plan import LoadedPlan
from ..model.progress import (
    DONE,
    IN_PROGRESS,
    NOT_APPLICABLE,
    NOT_STARTED,
    Latest,
    current_extensions,
    current_progress,
    effective_due,
    extension_of,
    owing,
    recorded,
    status_of,
)
from ..model.resolve import FROM_DEADLINE, Milestone, ResolvedMeasure, due_passed
from ..model.roles import ASSIST, LEAD, RESPONSIBLE, stronger
from ..records import record
from .labels import ONGOING, UNDATED
from .lights import Standing, standing, warn_window, worst
from .names import Scope, check_area, find_unit, scope

OVERDUE = "逾期"
MAX_DAYS = 36600  # --days: a hundred years is past any plan's end  # a dated milestone passed (strictly before the query date) and not closed

def _measures(plan: LoadedPlan, area: int | None) -> Iterable[ResolvedMeasure]:
    """Measures in plan order; --area keeps that 重点任务 only, so 65/66 (no area) drop out."""
    for measure in plan.measures.values():
        if area is None or measure.area == area:
            yield measure


# --role: whose obligations a due list shows. None (the default) is the owners: lead and
# responsible units (and assisting units where the plan says assist_owes).
ROLE_FILTERS = (LEAD, ASSIST, RESPONSIBLE, "all")


def role_units(measure: ResolvedMeasure, milestone: Milestone, role: str | None) -> frozenset[str]:
    """The units of `milestone` a --role filter keeps (None: the units that owe it)."""
    if role is None:
        return milestone.owed_by
    if role == "all":
        return milestone.units
    return frozenset(u for u in milestone.units if measure.role_of(u) == role)


def check_role(role: str | None) -> None:
    if role is not None and role not in ROLE_FILTERS:
        raise InvalidQuery(
            f"--role 的值“{role}”无效",
            hint="可选：lead（牵头）、assist（配合）、responsible（责任）、all（全部）；省略时为欠办单位（牵头和责任单位）",
        )


def owing_units(
    plan: LoadedPlan, latest: Latest, milestone: Milestone, units: Iterable[str]
) -> list[str]:
    """Of `units`, those that have not closed `milestone`, in registry order."""
    return plan.registry.in_order(owing(latest, milestone, units))


def days_overdue(milestone: Milestone, owing: Iterable[str], on: dt.date) -> int | None:
    """How many days `milestone` is overdue on `on` while anyone still owes it; None if not.

    Against the milestone's own date: a unit granted a new date (延期) is judged by
    `core.lights.standing` (model.progress.effective_due), which every view now uses.
    """
    if milestone.due is None or not milestone.passed(on) or not any(True for _ in owing):
        return None
    return (on - milestone.due).days


def shift(day: dt.date, days: int) -> dt.date:
    """`day` moved by `days`, held within the calendar (0001-01-01 … 9999-12-31)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def grouped(
    plan: LoadedPlan,
    units: Iterable[str],
    measure: ResolvedMeasure,
    milestone: Milestone | None = None,
) -> tuple[str, ...]:
    """`units` with every group the measure names, and wholly contained, said by its name.

    "各镇（街）" reads better than fifteen town names; only groups the measure (or the
    milestone) itself names are used, so the answer reads like the 台账.
    """
    remaining = set(units)
    names: list[str] = []
    refs = list(milestone.unit_refs or ()) if milestone is not None else []
    refs += [r for r in measure.unit_refs if r not in refs]
    registry = plan.registry
    for ref in refs:
        if not registry.is_group(ref):
            continue
        members = registry.expand(ref)
        if members and members <= remaining:
            names.append(ref)
            remaining -= members
    return tuple(registry.in_order(remaining)) + tuple(names)


# --------------------------------------------------------------------------- overdue / upcoming


@record
class DueRow:
    """One dated milestone and the units (within the filter) still owing it."""

    measure: int
    area: int | None
    task: int | None
    milestone: int  # 1-based index within the measure
    due: dt.date
    what: str
    recurrence: str | None
    units: tuple[str, ...]  # still owing, canonical, registry order
    units_grouped: tuple[str, ...]  # the same, whole named groups said by their name
    units_total: int  # how many units (within the filter) the milestone applies to
    days: int  # days overdue (overdue) or days left (upcoming)
    source: str = FROM_DEADLINE  # where the date is written: 完成时限, or 措施原文
    roles: tuple[str, ...] = ()  # the role of each of `units`, in the same order
    assist: tuple[str, ...] = ()  # the milestone's assisting units (within the filter): 配合
    measure_id: str = ""  # the stable id as the plan writes it ("17", "1.1.2")
    # 督办 (core/lights.py): the row's units were granted this new date (延期) and are judged
    # against it (`days` counts to it); `due` stays the milestone's own date. None: no extension.
    until: dt.date | None = None
    light: str | None = None  # the worst light of `units`: red (overdue), yellow, green

    @property
    def effective(self) -> dt.date:
        """The date the row's units are judged against."""
        return self.until or self.due


def _due_rows(
    plan: LoadedPlan,
    on: dt.date,
    within: Scope | None,
    area: int | None,
    last: dt.date | None,
    role: str | None = None,
    warn_days: int | None = None,
) -> list[DueRow]:
    """Overdue rows (last=None: every milestone passed by `on`) or the agenda [on, last].

    A milestone's owing units are judged each against its effective date (its approved new
    date, or the milestone's): units granted the same new date share a row of their own.
    """
    latest = current_progress(plan, on)
    extensions = current_extensions(plan, on)
    window = warn_window(plan, warn_days)
    overdue = last is None
    rows = []
    for measure in _measures(plan, area):
        for milestone in measure.milestones:
            if milestone.due is None:
                continue
            if not extensions:  # the common case: one date for every unit, test it first
                if last is None:
                    if not milestone.passed(on):
                        continue
                elif not on <= milestone.due <= last:
                    continue
            selected = role_units(measure, milestone, role)
            applies = selected if within is None else selected & within.units
            all_owing = owing_units(plan, latest, milestone, applies)
            if not all_owing:
                continue
            assisting = [u for u in milestone.units if measure.role_of(u) == ASSIST]
            if within is not None:
                assisting = [u for u in assisting if u in within.units]
            for due, until, units in _by_effective_date(extensions, milestone, all_owing):
                if last is None:
                    if not due_passed(due, on):
                        continue
                elif not on <= due <= last:
                    continue
                owes = milestone.owed_by
                lights = [
                    standing(latest, extensions, milestone, u, on, window, u in owes).light
                    for u in units
                ]
                rows.append(
                    DueRow(
                        measure=measure.number,
                        measure_id=measure.id,
                        area=measure.area,
                        task=measure.task,
                        milestone=milestone.index,
                        due=milestone.due,
                        what=milestone.what,
                        recurrence=milestone.recurrence,
                        units=tuple(units),
                        units_grouped=grouped(plan, units, measure, milestone),
                        units_total=len(applies),
                        days=(on - due).days if overdue else (due - on).days,
                        source=milestone.source,
                        roles=tuple(measure.role_of(u) for u in units),
                        assist=tuple(plan.registry.in_order(assisting)),
                        until=until,
                        light=worst(lights),
                    )
                )
    return rows


def _by_effective_date(
    extensions: Latest, milestone: Milestone, owing: list[str]
) -> list[tuple[dt.date, dt.date | None, list[str]]]:
    """`owing` split by the date each is judged against: (date, the new date or None, units),
    the milestone's own date first, then the new dates in order; units keep their order."""
    assert milestone.due is not None
    if not extensions:
        return [(milestone.due, None, owing)]
    groups: dict[dt.date | None, list[str]] = {}
    for unit in owing:
        found = extension_of(extensions, milestone, unit)
        groups.setdefault(None if found is None else effective_due(extensions, milestone, unit), []).append(unit)
    parts: list[tuple[dt.date, dt.date | None, list[str]]] = []
    if None in groups:
        parts.append((milestone.due, None, groups.pop(None)))
    for until in sorted(d for d in groups if d is not None):
        parts.append((until, until, groups[until]))
    return parts


def overdue(
    plan: LoadedPlan,
    on: dt.date,
    unit: str | Scope | None = None,
    area: int | None = None,
    role: str | None = None,
    warn_days: int | None = None,
) -> list[DueRow]:
    """Milestones due strictly before `on` that some unit owing them has not closed by `on`.

    Most overdue first, then by measure. `unit` (a unit or group name) keeps the rows that
    unit (or a member) still owes and lists only those units; `area` keeps one 重点任务;
    `role` (ROLE_FILTERS) lists the units of that role instead of the owners (lead and
    responsible units): assisting units are never overdue owners unless asked for.
    """
    check_role(role)
    within = scope(plan, unit)
    check_area(plan, area)
    rows = _due_rows(plan, on, within, area, None, role, warn_days)
    return sorted(rows, key=lambda r: (-r.days, r.measure, r.milestone, r.effective))


def upcoming(
    plan: LoadedPlan,
    on: dt.date,
    days: int = 30,
    unit: str | Scope | None = None,
    area: int | None = None,
    role: str | None = None,
    warn_days: int | None = None,
) -> list[DueRow]:
    """Milestones due in [on, on + days] still owed by some unit: the agenda, soonest first.

    The query date itself is included: a milestone due today is not overdue yet but is the
    most urgent thing on the agenda.
    """
    if not 0 <= days <= MAX_DAYS:
        raise InvalidQuery(
            f"--days 的值 {days} 无效", hint=f"天数应为 0 至 {MAX_DAYS} 的整数，例如 --days 30"
        )
    check_role(role)
    within = scope(plan, unit)
    check_area(plan, area)
    rows = _due_rows(plan, on, within, area, shift(on, days), role, warn_days)
    return sorted(rows, key=lambda r: (r.effective, r.measure, r.milestone))


# --------------------------------------------------------------------------- a unit's duties


@record
class DutyMilestone:
    """One milestone of a measure as it stands for one unit (or the members of one group)."""

    index: int
    due: dt.date | None
    what: str
    recurrence: str | None
    units: tuple[str, ...]  # the units in scope it applies to
    owing: tuple[str, ...]  # of those, the ones that have not closed it
    owing_grouped: tuple[str, ...]  # the same, whole named groups said by their name
    status: str  # a unit: its recorded status; a group: 已完成 / 推进中 / 未开始 (see README)
    recorded: dt.date | None  # a unit: the date of the entry in force
    note: str  # a unit: the note of the entry in force
    overdue: bool
    days_overdue: int | None
    days_left: int | None
    source: str = FROM_DEADLINE
    # 督办 (core/lights.py). A unit: its own light and category, and its approved new date (延期)
    # if any, which `overdue`/`days_*` are judged against. A group: the worst light of the
    # members in scope that owe it; `until` None (see each member with `kpzf show`).
    light: str | None = None
    category: str | None = None
    until: dt.date | None = None


@record
class Duty:
    measure: int
    area: int | None
    task: int | None
    text: str
    deadline: str
    via: str | None  # the group through which the unit owes the measure; None: named directly
    units: tuple[str, ...]  # the units in scope that owe the measure (any role)
    milestones: tuple[DutyMilestone, ...]
    next: DutyMilestone | None  # the first milestone still open (outstanding or next)
    status: str
    overdue: bool
    ongoing: bool
    role: str = RESPONSIBLE  # LEAD | ASSIST | RESPONSIBLE: the unit's (a group's) role in the measure
    measure_id: str = ""  # the stable id as the plan writes it ("17", "1.1.2")
    light: str | None = None  # the worst light of its milestones (None: none is dated)


@record
class UnitDuties:
    unit: str  # canonical
    is_group: bool
    members: tuple[str, ...]  # a group: its single units; a unit: itself
    groups: tuple[str, ...]  # a unit: the groups it belongs to
    on: dt.date
    duties: tuple[Duty, ...]


def _group_status(
    latest: Latest, milestone: Milestone, units: Iterable[str], owing: list[str]
) -> str:
    statuses = [status_of(latest, milestone, u) for u in units]
    if not owing:
        return NOT_APPLICABLE if statuses and all(s == NOT_APPLICABLE for s in statuses) else DONE
    if any(s != NOT_STARTED for s in statuses):
        return IN_PROGRESS
    return NOT_STARTED


def _duty_milestone(
    plan: LoadedPlan,
    latest: Latest,
    measure: ResolvedMeasure,
    milestone: Milestone,
    units: frozenset[str],
    single: str | None,
    on: dt.date,
    extensions: Latest,
    window: int,
) -> DutyMilestone:
    applies = milestone.units & units
    owing = owing_units(plan, latest, milestone, applies)
    owes = milestone.owed_by  # an assisting unit that has not closed it is open, never overdue
    entry = None
    stands = [standing(latest, extensions, milestone, u, on, window, u in owes) for u in applies]
    if single is not None:
        found = recorded(latest, milestone.measure, single, milestone.key)
        entry = found.entry if found else None
        status = entry.status if entry else NOT_STARTED
    else:
        status = _group_status(latest, milestone, applies, owing)
    lates = [s.days_overdue for s in stands if s.days_overdue is not None]
    late = max(lates) if lates else None
    lefts = [s.days_left for s in stands if s.days_left is not None and s.unit in owing]
    one: Standing | None = stands[0] if single is not None and stands else None
    return DutyMilestone(
        index=milestone.index,
        due=milestone.due,
        what=milestone.what,
        recurrence=milestone.recurrence,
        units=tuple(plan.registry.in_order(applies)),
        owing=tuple(owing),
        owing_grouped=grouped(plan, owing, measure, milestone),
        status=status,
        recorded=entry.date if entry else None,
        note=entry.note if entry else "",
        overdue=late is not None,
        days_overdue=late,
        days_left=min(lefts) if lefts and late is None else None,
        source=milestone.source,
        light=worst(s.light for s in stands),
        category=one.category if one is not None else None,
        until=one.until if one is not None else None,
    )


def _measure_status(
    latest: Latest,
    measure: ResolvedMeasure,
    milestones: list[DutyMilestone],
    nxt: DutyMilestone | None,
    single: str | None,
) -> str:
    if any(m.overdue for m in milestones):
        return OVERDUE
    if not milestones:  # 长期推进: whatever the unit last said, else the standing label
        found = recorded(latest, measure.number, single, None) if single else None
        return found.entry.status if found else (ONGOING if measure.ongoing else UNDATED)
    if nxt is None:
        return NOT_APPLICABLE if all(m.status == NOT_APPLICABLE for m in milestones) else DONE
    return nxt.status


def _strongest(measure: ResolvedMeasure, units: Iterable[str]) -> str:
    """A group's role where the measure does not name it: the strongest of its members'."""
    role = ASSIST
    for unit in units:
        role = stronger(measure.role_of(unit), role)
    return role


def unit_duties(
    plan: LoadedPlan, unit: str | Scope, on: dt.date, warn_days: int | None = None
) -> UnitDuties:
    """Everything a unit owes as of `on`: each measure naming it (directly or via a group).

    For a group name, the measures any member owes, with per-milestone the members still
    owing; `via` is then the group itself where the measure names it, else None.
    """
    canonical = unit.name if isinstance(unit, Scope) else find_unit(plan, unit)
    registry = plan.registry
    is_group = registry.is_group(canonical)
    members = registry.expand(canonical)
    single = None if is_group else canonical
    latest = current_progress(plan, on)
    extensions = current_extensions(plan, on)
    window = warn_window(plan, warn_days)
    duties = []
    for measure in plan.measures.values():
        owing_units = measure.responsible & members
        if not owing_units:
            continue
        milestones = [
            _duty_milestone(plan, latest, measure, m, members, single, on, extensions, window)
            for m in measure.milestones
            if m.units & members
        ]
        nxt = next((m for m in milestones if m.owing), None)
        if is_group:
            via = canonical if canonical in measure.unit_refs else None
            role = measure.ref_roles.get(canonical) or _strongest(measure, owing_units)
        else:
            via = measure.via.get(canonical)
            role = measure.role_of(canonical)
        duties.append(
            Duty(
                measure=measure.number,
                measure_id=measure.id,
                area=measure.area,
                task=measure.task,
                text=measure.text,
                deadline=measure.deadline,
                via=via,
                units=tuple(registry.in_order(owing_units)),
                milestones=tuple(milestones),
                next=nxt,
                status=_measure_status(latest, measure, milestones, nxt, single),
                overdue=any(m.overdue for m in milestones),
                ongoing=measure.ongoing,
                role=role,
                light=worst(m.light for m in milestones),
            )
        )
    return UnitDuties(
        unit=canonical,
        is_group=is_group,
        members=tuple(registry.in_order(members)),
        groups=() if is_group else registry.groups_containing(canonical),
        on=on,
        duties=tuple(duties),
    )


# --------------------------------------------------------------------------- the registry


@record
class UnitInfo:
    name: str
    aliases: tuple[str, ...]
    code: str | None
    groups: tuple[str, ...]
    measures: int  # measures the unit owes, directly or through a group


@record
class GroupInfo:
    name: str
    aliases: tuple[str, ...]
    members: tuple[str, ...]  # as written (units or groups)
    exclude: tuple[str, ...]
    units: tuple[str, ...]  # the single units it stands for, registry order
    measures: int  # measures that name the group itself as a responsible unit


@record
class UnitListing:
    units: tuple[UnitInfo, ...]
    groups: tuple[GroupInfo, ...]


def unit_listing(plan: LoadedPlan) -> UnitListing:
    """The registry: each unit with its groups and measure count, each group with its members."""
    registry = plan.registry
    owed: dict[str, int] = {}
    named: dict[str, int] = {}
    for measure in plan.measures.values():
        for unit in measure.responsible:
            owed[unit] = owed.get(unit, 0) + 1
        for ref in set(measure.unit_refs):
            named[ref] = named.get(ref, 0) + 1
    return UnitListing(
        units=tuple(
            UnitInfo(
                u.name,
                tuple(u.aliases),
                u.code,
                registry.groups_containing(u.name),
                owed.get(u.name, 0),
            )
            for u in registry.units.values()
        ),
        groups=tuple(
            GroupInfo(
                g.name,
                tuple(g.aliases),
                tuple(g.members),
                tuple(g.exclude),
                tuple(registry.in_order(registry.expand(g.name))),
                named.get(g.name, 0),
            )
            for g in registry.groups.values()
        ),
    )


def summarize_due(rows: list[DueRow]) -> tuple[int, int, int]:
    """(milestones, measures, unit-obligations) in a list of due rows, for one-line summaries."""
    return len(rows), len({r.measure for r in rows}), sum(len(r.units) for r in rows)
