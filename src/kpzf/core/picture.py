"""The leaders' picture of a plan as of a date (`kpzf report --format html`): what the page shows.

Nothing here is a new rule. Figures are `core.report`'s rows; every light, category and day
count is `core.lights.standing`'s; this module only gathers them per unit, per unit × area
and per milestone, within the --unit scope.
"""

from __future__ import annotations

import datetime as dt

from .. import __version__
from ..model.plan import LoadedPlan
from ..model.progress import current_extensions, current_progress
from ..model.resolve import Milestone, ResolvedMeasure, levels, outline
from ..records import record
from .labels import IMPLEMENTATION
from .lights import GREEN, LIGHTS, RED, YELLOW, Standing, standing, warn_window, worst
from .names import Scope, scope
from .report import Assessment, ReportRow, report, report_cells


@record
class Area:
    """A heat-map column: a first-level heading (key = report --by area's row key)."""

    key: int | None  # None: the implementation items (组织实施)
    label: str  # as written: （一）; "" for 组织实施
    title: str


@record
class Point:
    """One dated milestone on the timeline, standing for the units in scope that owe it."""

    measure: int
    measure_id: str
    milestone: int  # its 1-based index in the measure
    due: dt.date | None
    what: str
    units: int  # units in scope that owe it
    light: str | None  # the worst of theirs (core.lights.worst)
    lights: dict[str, int]  # how many units have each light
    open_on_time: bool  # green, yet not every unit has closed it: on track, not done
    until: dt.date | None = None  # the latest approved new date (延期) of its units, if any


@record
class Lane:
    """A timeline row: an area (whole plan or a group) or a measure (one unit's page)."""

    label: str
    title: str
    points: tuple[Point, ...]


@record
class Flag:
    """One (milestone, unit) with its standing, and what the page says about the milestone."""

    standing: Standing
    measure_id: str
    text: str  # the measure's text (the 台账's 主要措施)
    what: str  # what the milestone asks: 形成阶段性成果, 完成 …
    area: int | None


@record
class Picture:
    title: str
    doc_number: str | None
    period: tuple[dt.date, dt.date]
    on: dt.date
    scope: str | None  # --unit as canonical name (a unit or a group), None: the whole plan
    single: bool  # the scope is one unit: its own page
    warn_days: int
    area_level: str  # the first level's name: 重点任务, 部分 …
    total: ReportRow  # the scope's figures (report --unit …'s total)
    assessments: tuple[Assessment, ...]  # the evaluation items' totals (report's assessments)
    units: tuple[ReportRow, ...]  # per unit in scope, in 通报 order (report --rank)
    ranked: bool
    areas: tuple[Area, ...]
    cells: tuple[tuple[str, tuple[ReportRow, ...]], ...]  # unit → its rows of report --by area
    lanes: tuple[Lane, ...]
    flags: tuple[tuple[str, tuple[Flag, ...]], ...]  # per unit, its red then yellow items
    duties: tuple[Flag, ...]  # a single unit's every dated milestone (its own page)
    source: str
    version: str = __version__


def picture(
    plan: LoadedPlan,
    on: dt.date,
    unit: str | Scope | None = None,
    warn_days: int | None = None,
    source: str = "",
) -> Picture:
    """What the page shows for the plan (or the --unit scope: a unit, or a group's members).

    `source` is how the page names the plan file (the command layer's words for it).
    """
    within = scope(plan, unit)
    window = warn_window(plan, warn_days)
    single = within is not None and not plan.registry.is_group(within.name)
    by_unit = report(plan, on, "unit", rank=True, warn_days=window, unit=within)
    units = tuple(r for r in by_unit.rows if r.obligations or r.not_applicable)
    areas = _areas(plan)
    cells_by = report_cells(plan, on, window, within)  # the same rows as report --by area --unit
    # Rows in the registry's order (where a reader looks for a unit), not the ranking's.
    cells = tuple(
        (name, tuple(cells_by[name, a.key] for a in areas))
        for name in plan.registry.in_order([r.label for r in units])
    )
    standings = _standings(plan, on, window, within)
    lanes = _lanes(plan, standings, single)
    flags = _flags(plan, standings, [r.label for r in units])
    duties = tuple(f for f, _ in standings) if single else ()
    return Picture(
        title=plan.model.meta.title,
        doc_number=plan.model.meta.doc_number,
        period=plan.period,
        on=on,
        scope=None if within is None else within.name,
        single=single,
        warn_days=window,
        area_level=next(iter(lv.name for lv in levels(plan.model)), "重点任务"),
        total=by_unit.total,
        assessments=by_unit.assessments,
        units=units,
        ranked=True,
        areas=areas,
        cells=cells,
        lanes=lanes,
        flags=flags,
        duties=duties,
        source=source or plan.path,
    )


def _areas(plan: LoadedPlan) -> tuple[Area, ...]:
    """The first-level headings in plan order, then 组织实施 if the plan has dated items there."""
    found = [Area(n.heading.ordinal, n.heading.label or "", n.heading.title) for n in outline(plan.measures)]
    if any(m.area is None and m.milestones for m in plan.measures.values()):
        found.append(Area(None, "", IMPLEMENTATION))
    return tuple(found)


def _standings(
    plan: LoadedPlan, on: dt.date, window: int, within: Scope | None
) -> list[tuple[Flag, tuple[ResolvedMeasure, Milestone]]]:
    """Every (dated milestone, owing unit in scope), in plan order, with its standing."""
    latest = current_progress(plan, on)
    extensions = current_extensions(plan, on)
    found = []
    for measure in plan.measures.values():
        for milestone in measure.milestones:
            if milestone.due is None:
                continue
            for unit in plan.registry.in_order(milestone.owed_by):
                if within is not None and unit not in within.units:
                    continue
                st = standing(latest, extensions, milestone, unit, on, window)
                flag = Flag(st, measure.id, measure.text, milestone.what, measure.area)
                found.append((flag, (measure, milestone)))
    return found


def _lanes(
    plan: LoadedPlan, standings: list[tuple[Flag, tuple[ResolvedMeasure, Milestone]]], single: bool
) -> tuple[Lane, ...]:
    per: dict[tuple[int, int], list[Standing]] = {}
    where: dict[tuple[int, int], tuple[ResolvedMeasure, Milestone]] = {}
    for flag, (measure, milestone) in standings:
        key = (measure.number, milestone.index)
        per.setdefault(key, []).append(flag.standing)
        where[key] = (measure, milestone)
    points: dict[str | int | None, list[Point]] = {}
    for key, stands in per.items():
        measure, milestone = where[key]
        counts = {light: sum(s.light == light for s in stands) for light in LIGHTS}
        light = worst(s.light for s in stands)
        lane_key: str | int | None = measure.number if single else measure.area
        points.setdefault(lane_key, []).append(
            Point(
                measure.number,
                measure.id,
                milestone.index,
                milestone.due,
                milestone.what,
                len(stands),
                light,
                counts,
                light == GREEN and not all(s.closed for s in stands),
                max((s.until for s in stands if s.until is not None), default=None),
            )
        )
    lanes = []
    if single:
        for measure in plan.measures.values():
            if measure.number in points:
                label = f"{measure.label or measure.id} {measure.text}"
                lanes.append(Lane(label, label, tuple(points[measure.number])))
        return tuple(lanes)
    for area in _areas(plan):
        if area.key in points:
            title = f"{area.label}{area.title}"
            lanes.append(Lane(title, title, tuple(points[area.key])))
    return tuple(lanes)


def _flags(
    plan: LoadedPlan,
    standings: list[tuple[Flag, tuple[ResolvedMeasure, Milestone]]],
    order: list[str],
) -> tuple[tuple[str, tuple[Flag, ...]], ...]:
    """Each unit's red items (most overdue first), then its yellow ones (soonest first)."""
    per: dict[str, list[Flag]] = {}
    for flag, _ in standings:
        if flag.standing.light in (RED, YELLOW):
            per.setdefault(flag.standing.unit, []).append(flag)

    def urgency(flag: Flag) -> tuple[int, int]:
        s = flag.standing
        if s.light == RED:
            return (0, -(s.days_overdue or 0))
        return (1, s.days_left or 0)

    return tuple((u, tuple(sorted(per[u], key=urgency))) for u in order if u in per)
