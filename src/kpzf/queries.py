"""Pure queries over a loaded plan: overdue, a unit's duties, agenda, roll-up report (no I/O, no clock)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import UsageError
from .export import sorted_units
from .models import Group, Unit
from .plan import FROM_DEADLINE, LoadedPlan, Milestone, ResolvedMeasure
from .progress import (
    DELAYED,
    DONE,
    IN_PROGRESS,
    NOT_APPLICABLE,
    NOT_STARTED,
    ProgressKey,
    Recorded,
    current_progress,
    milestone_key_for,
    owing,
    status_of,
)
from .registry import normalize_name

# Derived statuses (besides the recorded ones in progress.STATUSES) that queries report.
OVERDUE = "逾期"  # a dated milestone passed (strictly before the query date) and not closed
ONGOING = "长期推进"  # a measure without any due date and nothing recorded for it
IMPLEMENTATION = "组织实施"  # the label of items 65/66, which belong to no 重点任务

REPORT_BY = ("unit", "area", "task")
# --by also takes the words of the table headings (单位, 重点任务, 具体任务).
REPORT_BY_WORDS = {"单位": "unit", "重点任务": "area", "具体任务": "task"}
MAX_CANDIDATES = 10

Latest = dict[ProgressKey, Recorded]


# --------------------------------------------------------------------------- names and scope


def find_unit(plan: LoadedPlan, name: str) -> str:
    """The canonical unit or group a person typed (赤坎, 市场监管, 各镇(街)); UsageError otherwise."""
    registry = plan.registry
    canonical, candidates = registry.find(name)
    if canonical is not None:
        return canonical
    shown = "、".join(candidates[:MAX_CANDIDATES])
    if len(candidates) > MAX_CANDIDATES:
        shown += f" 等 {len(candidates)} 个"
    key = normalize_name(name)
    if candidates and key and any(key in alias for alias in registry.lookup):
        raise UsageError(
            f"单位名称“{name}”不唯一，可能是：{shown}",
            hint="请写出更完整的名称；运行 kpzf units 查看全部单位和单位组",
        )
    raise UsageError(
        f"找不到单位“{name}”" + (f"，是否指：{shown}？" if candidates else ""),
        hint="运行 kpzf units 查看全部单位、单位组及其别名",
    )


def find_single_unit(plan: LoadedPlan, name: str, option: str = "--unit") -> str:
    """Like `find_unit`, but a group is refused: progress and per-unit sheets need one unit."""
    canonical = find_unit(plan, name)
    if plan.registry.is_group(canonical):
        members = sorted_units(plan, plan.registry.expand(canonical))
        raise UsageError(
            f"“{canonical}”是单位组，{option} 需要一个具体单位",
            hint=f"例如：{'、'.join(members[:3])}",
        )
    return canonical


def unit_terms(plan: LoadedPlan) -> frozenset[str]:
    """Every name and alias of the registry: words a table must never break across lines."""
    registry = plan.registry
    entries: list[Unit | Group] = [*registry.units.values(), *registry.groups.values()]
    return frozenset(n for e in entries for n in (e.name, *e.aliases) if len(n) > 1)


def _scope(plan: LoadedPlan, name: str | None) -> frozenset[str] | None:
    """The single units a --unit filter stands for (a group: its members); None = everyone."""
    if name is None:
        return None
    return plan.registry.expand(find_unit(plan, name))


def check_area(plan: LoadedPlan, area: int | None) -> None:
    if area is None:
        return
    numbers = [a.number for a in plan.model.areas]
    if area not in numbers:
        raise UsageError(
            f"没有重点任务 {area}",
            hint=f"重点任务序号为 {min(numbers, default=0)} 至 {max(numbers, default=0)}",
        )


def _measures(plan: LoadedPlan, area: int | None) -> Iterable[ResolvedMeasure]:
    """Measures in plan order; --area keeps that 重点任务 only, so 65/66 (no area) drop out."""
    for measure in plan.measures.values():
        if area is None or measure.area == area:
            yield measure


def _owing(
    plan: LoadedPlan, latest: Latest, milestone: Milestone, units: Iterable[str]
) -> list[str]:
    """Of `units`, those that have not closed `milestone`, in registry order."""
    return sorted_units(plan, owing(latest, milestone, units))


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
    return tuple(sorted_units(plan, remaining)) + tuple(names)


# --------------------------------------------------------------------------- overdue / upcoming


@dataclass(frozen=True)
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


def _due_rows(
    plan: LoadedPlan,
    on: dt.date,
    scope: frozenset[str] | None,
    area: int | None,
    window: tuple[dt.date, dt.date],
    overdue: bool,
) -> list[DueRow]:
    latest = current_progress(plan, on)
    first, last = window
    rows = []
    for measure in _measures(plan, area):
        for milestone in measure.milestones:
            due = milestone.due
            if due is None or not first <= due <= last:
                continue
            applies = milestone.units if scope is None else milestone.units & scope
            owing = _owing(plan, latest, milestone, applies)
            if not owing:
                continue
            rows.append(
                DueRow(
                    measure=measure.number,
                    area=measure.area,
                    task=measure.task,
                    milestone=milestone.index,
                    due=due,
                    what=milestone.what,
                    recurrence=milestone.recurrence,
                    units=tuple(owing),
                    units_grouped=grouped(plan, owing, measure, milestone),
                    units_total=len(applies),
                    days=(on - due).days if overdue else (due - on).days,
                    source=milestone.source,
                )
            )
    return rows


MAX_DAYS = 36600  # --days: a hundred years is past any plan's end


def shift(day: dt.date, days: int) -> dt.date:
    """`day` moved by `days`, held within the calendar (0001-01-01 … 9999-12-31)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def overdue(
    plan: LoadedPlan, on: dt.date, unit: str | None = None, area: int | None = None
) -> list[DueRow]:
    """Milestones due strictly before `on` that some unit they apply to has not closed by `on`.

    Most overdue first, then by measure. `unit` (a unit or group name) keeps the rows that
    unit (or a member) still owes and lists only those units; `area` keeps one 重点任务.
    """
    scope = _scope(plan, unit)
    check_area(plan, area)
    rows = _due_rows(plan, on, scope, area, (dt.date.min, shift(on, -1)), True)
    return sorted(rows, key=lambda r: (-r.days, r.measure, r.milestone))


def upcoming(
    plan: LoadedPlan,
    on: dt.date,
    days: int = 30,
    unit: str | None = None,
    area: int | None = None,
) -> list[DueRow]:
    """Milestones due in [on, on + days] still owed by some unit: the agenda, soonest first.

    The query date itself is included: a milestone due today is not overdue yet but is the
    most urgent thing on the agenda.
    """
    if not 0 <= days <= MAX_DAYS:
        raise UsageError(
            f"--days 的值 {days} 无效", hint=f"天数应为 0 至 {MAX_DAYS} 的整数，例如 --days 30"
        )
    scope = _scope(plan, unit)
    check_area(plan, area)
    rows = _due_rows(plan, on, scope, area, (on, shift(on, days)), False)
    return sorted(rows, key=lambda r: (r.due, r.measure, r.milestone))


# --------------------------------------------------------------------------- a unit's duties


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Duty:
    measure: int
    area: int | None
    task: int | None
    text: str
    deadline: str
    via: str | None  # the group through which the unit owes the measure; None: named directly
    units: tuple[str, ...]  # the units in scope that owe the measure
    milestones: tuple[DutyMilestone, ...]
    next: DutyMilestone | None  # the first milestone still open (outstanding or next)
    status: str
    overdue: bool
    ongoing: bool


@dataclass(frozen=True)
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
) -> DutyMilestone:
    applies = milestone.units & units
    owing = _owing(plan, latest, milestone, applies)
    recorded = None
    if single is not None:
        found = latest.get((milestone.measure, single, milestone.key))
        recorded = found.entry if found else None
        status = recorded.status if recorded else NOT_STARTED
    else:
        status = _group_status(latest, milestone, applies, owing)
    late = bool(owing) and milestone.due is not None and milestone.due < on
    return DutyMilestone(
        index=milestone.index,
        due=milestone.due,
        what=milestone.what,
        recurrence=milestone.recurrence,
        units=tuple(sorted_units(plan, applies)),
        owing=tuple(owing),
        owing_grouped=grouped(plan, owing, measure, milestone),
        status=status,
        recorded=recorded.date if recorded else None,
        note=recorded.note if recorded else "",
        overdue=late,
        days_overdue=(on - milestone.due).days if late and milestone.due else None,
        days_left=(milestone.due - on).days
        if owing and milestone.due is not None and milestone.due >= on
        else None,
        source=milestone.source,
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
        found = latest.get((measure.number, single, None)) if single else None
        return found.entry.status if found else ONGOING
    if nxt is None:
        return NOT_APPLICABLE if all(m.status == NOT_APPLICABLE for m in milestones) else DONE
    return nxt.status


def unit_duties(plan: LoadedPlan, unit: str, on: dt.date) -> UnitDuties:
    """Everything a unit owes as of `on`: each measure naming it (directly or via a group).

    For a group name, the measures any member owes, with per-milestone the members still
    owing; `via` is then the group itself where the measure names it, else None.
    """
    canonical = find_unit(plan, unit)
    registry = plan.registry
    is_group = registry.is_group(canonical)
    members = registry.expand(canonical)
    single = None if is_group else canonical
    latest = current_progress(plan, on)
    duties = []
    for measure in plan.measures.values():
        owing_units = measure.responsible & members
        if not owing_units:
            continue
        milestones = [
            _duty_milestone(plan, latest, measure, m, members, single, on)
            for m in measure.milestones
            if m.units & members
        ]
        nxt = next((m for m in milestones if m.owing), None)
        if is_group:
            via = canonical if canonical in measure.unit_refs else None
        else:
            via = measure.via.get(canonical)
        duties.append(
            Duty(
                measure=measure.number,
                area=measure.area,
                task=measure.task,
                text=measure.text,
                deadline=measure.deadline,
                via=via,
                units=tuple(sorted_units(plan, owing_units)),
                milestones=tuple(milestones),
                next=nxt,
                status=_measure_status(latest, measure, milestones, nxt, single),
                overdue=any(m.overdue for m in milestones),
                ongoing=measure.ongoing,
            )
        )
    return UnitDuties(
        unit=canonical,
        is_group=is_group,
        members=tuple(sorted_units(plan, members)),
        groups=() if is_group else registry.groups_containing(canonical),
        on=on,
        duties=tuple(duties),
    )


# --------------------------------------------------------------------------- the registry


@dataclass(frozen=True)
class UnitInfo:
    name: str
    aliases: tuple[str, ...]
    code: str | None
    groups: tuple[str, ...]
    measures: int  # measures the unit owes, directly or through a group


@dataclass(frozen=True)
class GroupInfo:
    name: str
    aliases: tuple[str, ...]
    members: tuple[str, ...]  # as written (units or groups)
    exclude: tuple[str, ...]
    units: tuple[str, ...]  # the single units it stands for, registry order
    measures: int  # measures that name the group itself as a responsible unit


@dataclass(frozen=True)
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
                tuple(sorted_units(plan, registry.expand(g.name))),
                named.get(g.name, 0),
            )
            for g in registry.groups.values()
        ),
    )


# --------------------------------------------------------------------------- one measure


@dataclass(frozen=True)
class UnitStatus:
    unit: str
    status: str
    date: dt.date | None  # of the entry in force
    note: str


@dataclass(frozen=True)
class MilestoneDetail:
    index: int  # 0 for the single undated row of a 长期推进 measure
    due: dt.date | None
    what: str
    recurrence: str | None
    units: tuple[str, ...]
    owing: tuple[str, ...]
    owing_grouped: tuple[str, ...]
    complete: bool  # every unit it applies to has closed it
    overdue: bool
    days_overdue: int | None
    statuses: tuple[UnitStatus, ...]  # every unit it applies to, registry order
    source: str = FROM_DEADLINE


@dataclass(frozen=True)
class HistoryEntry:
    index: int  # position in the progress log (0-based)
    unit: str
    milestone: str | None
    status: str
    date: dt.date
    note: str
    current: bool  # the entry in force for its (unit, milestone); False: superseded


@dataclass(frozen=True)
class MeasureDetail:
    measure: ResolvedMeasure
    on: dt.date
    units: tuple[tuple[str, str | None], ...]  # (unit, via) in registry order
    milestones: tuple[MilestoneDetail, ...]
    history: tuple[HistoryEntry, ...]


_MEASURE_WORDS = re.compile(r"^(?:措施|第)?\s*[(（]?\s*(?P<n>[0-9]+|[零〇一二两三四五六七八九十百]+)\s*[)）]?\s*(?:项|条)?$")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _chinese_number(text: str) -> int | None:
    """三十 → 30, 十六 → 16, 六十四 → 64, 一百 → 100; None for anything else."""
    if text.isdigit():
        return int(text)
    if "百" in text:
        hundreds, _, rest = text.partition("百")
        head = _CN_DIGITS.get(hundreds or "一")
        tail = _chinese_number(rest) if rest else 0
        return None if head is None or tail is None else head * 100 + tail
    if "十" in text:
        tens, _, ones = text.partition("十")
        head = _CN_DIGITS.get(tens) if tens else 1
        tail = _CN_DIGITS.get(ones) if ones else 0
        return None if head is None or tail is None else head * 10 + tail
    if len(text) == 1:
        return _CN_DIGITS.get(text)
    return None


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def parse_measure_number(value: str, last: int | None = None) -> int:
    """A measure number as people write it: 30, （30）, (30), 措施30, 第30项, 三十, 措施三十."""
    text = unicodedata.normalize("NFKC", value).strip()
    match = _MEASURE_WORDS.fullmatch(text)  # NFKC made （３０） into (30)
    if match and match["n"].isdigit() and len(match["n"].lstrip("0")) > 9:
        # Python will not even convert a number of 4,300 digits; no plan has a billion measures.
        raise UsageError(
            f"措施序号“{_clip(value)}”过大，没有这项措施",
            hint=f"措施序号为 1 至 {last}" if last else "",
        )
    number = _chinese_number(match["n"]) if match else None
    if number is None:
        span = f"措施序号为 1 至 {last}，" if last else ""
        raise UsageError(
            f"措施序号“{_clip(value)}”不是整数，也不是“措施30”“（30）”这样的写法",
            hint=f"{span}可以写成 30、措施30、（30）或 三十",
        )
    return number


def find_measure(plan: LoadedPlan, number: int | str) -> ResolvedMeasure:
    """The measure a person named: a number, or text such as 措施30 or （30）."""
    if isinstance(number, str):
        number = parse_measure_number(number, max(plan.measures, default=0))
    measure = plan.measures.get(number)
    if measure is None:
        raise UsageError(
            f"没有措施 {number}",
            hint=f"措施序号为 {min(plan.measures, default=0)} 至 {max(plan.measures, default=0)}"
            "（65、66 为组织实施中的中期、终期评估）",
        )
    return measure


def show(plan: LoadedPlan, number: int | str, on: dt.date) -> MeasureDetail:
    """One measure in full as of `on`: units with their group, milestones, statuses, history."""
    measure = find_measure(plan, number)
    number = measure.number
    latest = current_progress(plan, on)
    details = []
    milestones: list[Milestone] = list(measure.milestones)
    if not milestones:  # 长期推进: one undated row, so the statuses recorded for it show
        milestones = [
            Milestone(measure.number, 0, None, measure.deadline, measure.responsible, None)
        ]
    for m in milestones:
        units = sorted_units(plan, m.units)
        owing = _owing(plan, latest, m, units)
        statuses = []
        for unit in units:
            found = latest.get((measure.number, unit, m.key))
            statuses.append(
                UnitStatus(unit, found.entry.status, found.entry.date, found.entry.note)
                if found
                else UnitStatus(unit, NOT_STARTED, None, "")
            )
        late = bool(owing) and m.due is not None and m.due < on
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
                overdue=late,
                days_overdue=(on - m.due).days if late and m.due else None,
                statuses=tuple(statuses),
                source=m.source,
            )
        )
    current = {r.index for r in latest.values()}
    resolve = plan.registry.resolve
    history = []
    for index, entry in enumerate(plan.model.progress):
        if entry.measure != number or entry.date > on:
            continue
        key = milestone_key_for(entry, measure)
        history.append(
            HistoryEntry(
                index,
                resolve(entry.unit) or entry.unit,
                key,
                entry.status,
                entry.date,
                entry.note,
                index in current,
            )
        )
    return MeasureDetail(
        measure=measure,
        on=on,
        units=tuple((u, measure.via.get(u)) for u in sorted_units(plan, measure.responsible)),
        milestones=tuple(details),
        history=tuple(history),
    )


# --------------------------------------------------------------------------- roll-up report


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

    An obligation is one (dated milestone, unit it applies to); undated (长期推进) measures
    have none. Each obligation falls in exactly one of 已完成, 推进中, 逾期, 未到期 (or is
    dropped as 不适用), so rows add up to the total whatever `by` is.
    """
    by = REPORT_BY_WORDS.get(by.strip(), by.strip())
    if by not in REPORT_BY:
        choices = "、".join(f"{en}（{cn}）" for cn, en in REPORT_BY_WORDS.items())
        raise UsageError(f"--by 的值“{by}”无效", hint=f"可选：{choices}")
    latest = current_progress(plan, on)
    counts: dict[str | int | None, dict[str, int]] = {}
    labels: dict[str | int | None, str] = {}
    if by == "unit":
        for name in plan.registry.units:
            counts[name], labels[name] = dict.fromkeys(_COUNTS, 0), name
    else:
        for area in plan.model.areas:
            if by == "area":
                counts[area.number] = dict.fromkeys(_COUNTS, 0)
                labels[area.number] = area.title
            for task in area.tasks if by == "task" else ():
                counts[task.number] = dict.fromkeys(_COUNTS, 0)
                labels[task.number] = task.title
    for measure in plan.measures.values():
        group_key: str | int | None = measure.area if by == "area" else measure.task
        for milestone in measure.milestones:
            if milestone.due is None:
                continue
            for unit in milestone.units:
                key = unit if by == "unit" else group_key
                if key not in counts:
                    counts[key] = dict.fromkeys(_COUNTS, 0)
                    labels[key] = IMPLEMENTATION if key is None else str(key)
                _count(counts[key], status_of(latest, milestone, unit), milestone.due, on)
    rows = tuple(ReportRow(key, labels[key], **c) for key, c in counts.items())
    total = ReportRow(None, "合计", **{f: sum(getattr(r, f) for r in rows) for f in _COUNTS})
    return Report(on, by, rows, total)


def _count(row: dict[str, int], status: str, due: dt.date, on: dt.date) -> None:
    if status == NOT_APPLICABLE:
        row["not_applicable"] += 1
        return
    row["obligations"] += 1
    passed = due < on
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


def summarize_due(rows: list[DueRow]) -> tuple[int, int, int]:
    """(milestones, measures, unit-obligations) in a list of due rows, for one-line summaries."""
    return len(rows), len({r.measure for r in rows}), sum(len(r.units) for r in rows)
