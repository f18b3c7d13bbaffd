"""Resolving measures: unit references expanded, 完成时限 parsed, milestones in due order."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .deadline import Deadline, DeadlineError, parse_deadline
from .models import Measure, Plan
from .registry import Registry
from .roles import ASSIST, LEAD, RESPONSIBLE, read_roles, stronger

SECTION_LEDGER = "任务台账"
SECTION_IMPLEMENTATION = "组织实施"  # section 三 of the plan: its deadlines are measures 65, 66
# Where a milestone's date is written: the 完成时限 column (or explicit milestones standing in for
# it), or the measure's own text (text_deadlines).
FROM_DEADLINE = "完成时限"
FROM_TEXT = "措施原文"


@dataclass(frozen=True)
class Milestone:
    """One dated (or undated) thing a measure owes, and the single units that owe it."""

    measure: int
    index: int  # 1-based within the measure, in due order
    due: dt.date | None
    what: str
    units: frozenset[str]  # single units it applies to
    unit_refs: tuple[str, ...] | None  # canonical names as written; None = all responsible units
    recurrence: str | None = None
    source: str = FROM_DEADLINE  # FROM_DEADLINE or FROM_TEXT (the measure's text states it)
    # The units that owe it (lead and responsible units; assisting units only where the plan
    # says assist_owes, or where the milestone names them alone); None: all of `units`.
    owners: frozenset[str] | None = None
    named: tuple[str, ...] | None = None  # the unit names as written for this milestone, if any

    @property
    def owed_by(self) -> frozenset[str]:
        """The units that answer for this milestone: overdue counts these, not assisting units."""
        return self.units if self.owners is None else self.owners

    @property
    def key(self) -> str | None:
        """How progress entries and the command line name this milestone: its due date."""
        return self.due.isoformat() if self.due else None

    def passed(self, on: dt.date) -> bool:
        """Due strictly before `on`: a unit that has not closed it by `on` is overdue on `on`.

        The one place the rule lives ("overdue means strictly after the due date"): 年底前
        is still on time on 12-31 and overdue from the next day.
        """
        return self.due is not None and self.due < on


@dataclass(frozen=True)
class ResolvedMeasure:
    number: int
    section: str  # SECTION_LEDGER or SECTION_IMPLEMENTATION
    area: int | None
    area_title: str | None
    task: int | None
    task_title: str | None
    text: str
    units_text: str
    unit_refs: tuple[str, ...]  # canonical names of the references that resolve
    responsible: frozenset[str]  # every single unit that owes this measure
    via: dict[str, str | None]  # unit → the group it owes the measure through (None: named directly)
    deadline: str
    milestones: tuple[Milestone, ...]
    ongoing: bool
    undated: bool  # no due date at all (长期推进 …)
    deadline_error: DeadlineError | None
    text_deadline_errors: tuple[tuple[int, DeadlineError], ...]  # (index in text_deadlines, error)
    explicit: bool  # milestones spelled out in the YAML
    path: tuple[str | int, ...]  # where the measure sits in the YAML, for messages
    model: Measure = field(repr=False)
    # Roles (model/roles.py): each single unit's role, each canonical reference's role, and the
    # units that owe the measure's milestones. `responsible` above is every unit of the measure,
    # whatever its role (an assisting unit records progress too).
    roles: dict[str, str] = field(default_factory=dict)
    ref_roles: dict[str, str] = field(default_factory=dict)
    owners: frozenset[str] = frozenset()

    def role_of(self, unit: str) -> str:
        return self.roles.get(unit, RESPONSIBLE)

    def milestone(self, key: str | None) -> Milestone | None:
        for milestone in self.milestones:
            if milestone.key == key:
                return milestone
        return None


# A three-year plan is typical, a ten-year one rare; a longer period is a typing mistake
# (0001–9999 with 每月 would expand to 120,000 milestones per measure). The checks report it;
# recurring deadlines are expanded over at most this many years anyway.
MAX_PERIOD_YEARS = 20
EARLIEST_YEAR, LATEST_YEAR = 1900, 2199  # plan dates outside these are typing mistakes


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (28 February for 29 February), or the calendar's end."""
    year = day.year + years
    if year > dt.date.max.year:
        return dt.date.max
    return day.replace(year=year, day=min(day.day, 28) if day.month == 2 else day.day)


def expansion_end(start: dt.date, end: dt.date) -> dt.date:
    """How far recurring deadlines are expanded: the period's end, within MAX_PERIOD_YEARS."""
    return min(end, years_after(start, MAX_PERIOD_YEARS))


def resolve_measures(plan: Plan, registry: Registry) -> dict[int, ResolvedMeasure]:
    start, end = plan.meta.period.start, plan.meta.period.end
    end = expansion_end(start, end)
    cache: dict[str, Deadline | DeadlineError] = {}
    measures: dict[int, ResolvedMeasure] = {}

    def parse(phrase: str) -> Deadline | DeadlineError:
        if phrase not in cache:  # 64 measures share ~25 phrases
            try:
                cache[phrase] = parse_deadline(phrase, start, end)
            except DeadlineError as error:
                cache[phrase] = error
        return cache[phrase]

    def add(measure: Measure, path: tuple[str | int, ...], section: str, **where: Any) -> None:
        parsed = parse(measure.deadline)
        stated = [parse(t.phrase) for t in measure.text_deadlines]
        resolved = _resolve_measure(
            measure, parsed, stated, registry, path, section, where, plan.assist_owes
        )
        measures.setdefault(measure.number, resolved)  # duplicates are reported by the checks

    for ai, area in enumerate(plan.areas):
        for ti, task in enumerate(area.tasks):
            for mi, measure in enumerate(task.measures):
                path = ("areas", ai, "tasks", ti, "measures", mi)
                add(
                    measure,
                    path,
                    SECTION_LEDGER,
                    area=area.number,
                    area_title=area.title,
                    task=task.number,
                    task_title=task.title,
                )
    for ii, item in enumerate(plan.implementation):
        add(item, ("implementation", ii), SECTION_IMPLEMENTATION, area=None, area_title=None,
            task=None, task_title=None)
    return measures


def _resolve_measure(
    measure: Measure,
    parsed: Deadline | DeadlineError,
    stated: list[Deadline | DeadlineError],
    registry: Registry,
    path: tuple[str | int, ...],
    section: str,
    where: dict[str, Any],
    assist_owes: bool = False,
) -> ResolvedMeasure:
    refs: list[str] = []
    via: dict[str, str | None] = {}
    roles: dict[str, str] = {}
    ref_roles: dict[str, str] = {}
    for canonical, role in measure_roles(measure, registry):
        if canonical not in ref_roles:
            refs.append(canonical)
        ref_roles[canonical] = stronger(role, ref_roles.get(canonical, role))
    for canonical in refs:
        if registry.is_group(canonical):
            for unit in registry.expand(canonical):
                via.setdefault(unit, canonical)
    for canonical in refs:
        if not registry.is_group(canonical):
            via[canonical] = None  # a direct mention beats any group
    for unit, group in via.items():
        if group is None:  # named directly: its own role, whatever its groups' roles
            roles[unit] = ref_roles[unit]
        else:
            role = ref_roles[group]
            for other in refs:
                if registry.is_group(other) and unit in registry.expand(other):
                    role = stronger(role, ref_roles[other])
            roles[unit] = role
    responsible = frozenset(via)
    owing_roles = {LEAD, RESPONSIBLE, ASSIST} if assist_owes else {LEAD, RESPONSIBLE}
    owners = frozenset(u for u, r in roles.items() if r in owing_roles)

    error = parsed if isinstance(parsed, DeadlineError) else None
    raw: list[tuple[dt.date | None, str, tuple[str, ...] | None, str | None, str]] = []
    if measure.milestones is not None:
        raw = [
            (m.due, m.what, tuple(m.units) if m.units else None, None, FROM_DEADLINE)
            for m in measure.milestones
        ]
        ongoing = measure.ongoing if measure.ongoing is not None else False
        undated = all(m.due is None for m in measure.milestones)
    elif isinstance(parsed, Deadline):
        raw = [(m.due, m.what, m.units, m.recurrence, FROM_DEADLINE) for m in parsed.milestones]
        ongoing = parsed.ongoing if measure.ongoing is None else measure.ongoing
        undated = parsed.undated
    else:
        ongoing, undated = bool(measure.ongoing), False
    text_errors = []
    for i, (spec, phrase) in enumerate(zip(measure.text_deadlines, stated, strict=True)):
        if isinstance(phrase, DeadlineError):
            text_errors.append((i, phrase))
            continue
        for m in phrase.milestones:
            if m.due is None:
                continue  # an undated phrase in the text adds nothing to track
            names = tuple(spec.units) if spec.units else m.units
            raw.append((m.due, m.what, names, m.recurrence, FROM_TEXT))

    milestones = []
    for index, (due, what, unit_names, recurrence, origin) in enumerate(
        sorted(raw, key=lambda r: (r[0] is None, r[0] or dt.date.min, r[4] != FROM_DEADLINE)),
        start=1,
    ):
        if unit_names is None:
            applies, canon_refs = responsible, None
            owed = owners
        else:
            canon = [c for c in (registry.resolve(n) for n in unit_names) if c is not None]
            canon_refs = tuple(canon)
            applies = frozenset().union(*(registry.expand(c) for c in canon)) & responsible
            # a milestone that names assisting units alone assigns it to them: they owe it
            owed = (applies & owners) or applies
        milestones.append(
            Milestone(
                measure.number, index, due, what, applies, canon_refs, recurrence, origin,
                owners=owed,
                named=unit_names,
            )
        )
    return ResolvedMeasure(
        number=measure.number,
        section=section,
        text=measure.text,
        units_text=measure.units,
        unit_refs=tuple(refs),
        responsible=responsible,
        via=via,
        deadline=measure.deadline,
        milestones=tuple(milestones),
        ongoing=ongoing,
        undated=undated and not any(m.due for m in milestones),
        deadline_error=None if measure.milestones is not None else error,
        text_deadline_errors=tuple(text_errors),
        explicit=measure.milestones is not None,
        path=path,
        model=measure,
        roles=roles,
        ref_roles=ref_roles,
        owners=owners,
        **where,
    )


_WHITESPACE = re.compile(r"\s+")


def text_roles(text: str) -> list[tuple[str, str]]:
    """(name, role) for each unit a 责任单位 text names, by model/roles.py's one rule; in plan
    files whitespace also separates units (measure 27 lists its departments with spaces)."""
    reading = read_roles(_WHITESPACE.sub("、", text.strip()))
    return [(m.name, m.role) for m in reading.mentions]


def ref_role_names(ref: str, registry: Registry) -> list[tuple[str, str]]:
    """(canonical, role) a `unit_refs` entry stands for: a known name (responsible), or a name
    with role words ("县司法局牵头", "牵头单位：县财政局") whose units are known; [] if unknown."""
    canonical = registry.resolve(ref)
    if canonical is not None:
        return [(canonical, RESPONSIBLE)]
    found = [(registry.resolve(name), role) for name, role in text_roles(ref)]
    if not found or any(c is None for c, _ in found):
        return []
    return [(c, role) for c, role in found if c is not None]


def measure_roles(measure: Measure, registry: Registry) -> list[tuple[str, str]]:
    """(canonical, role) for each unit or group of a measure, in the order written.

    The fields lead/assist/responsible decide where any is written (unit_refs not in them are
    responsible); otherwise roles are read from the 责任单位 text and the unit_refs themselves,
    and a unit with no role word is responsible (Kaiping's plan: every unit).
    """
    explicit = [
        (name, role)
        for names, role in ((measure.lead, LEAD), (measure.assist, ASSIST), (measure.responsible, RESPONSIBLE))
        for name in names or ()
    ]
    pairs: list[tuple[str, str]] = []
    if any(f is not None for f in (measure.lead, measure.assist, measure.responsible)):
        for name, role in explicit:
            canonical = registry.resolve(name)
            if canonical is not None:
                pairs.append((canonical, role))
        named = {c for c, _ in pairs}
        for ref in measure.unit_refs:
            pairs += [(c, r) for c, r in ref_role_names(ref, registry) if c not in named]
        return pairs
    from_text: dict[str, str] = {}
    for name, role in text_roles(measure.units):
        canonical = registry.resolve(name)
        if canonical is not None:
            from_text[canonical] = stronger(role, from_text.get(canonical, role))
    for ref in measure.unit_refs:
        for canonical, role in ref_role_names(ref, registry):
            if role == RESPONSIBLE:  # no role word in the reference: the text's word, if any
                role = from_text.get(canonical, RESPONSIBLE)
            pairs.append((canonical, role))
    return pairs
