"""Resolving measures: unit references expanded, 完成时限 parsed, milestones in due order."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import field
from typing import TYPE_CHECKING, Any, Literal

from ..records import record
from .models import Level, Measure, Meta, Plan, Section
from .registry import Registry
from .roles import ASSIST, LEAD, RESPONSIBLE, read_roles, stronger

if TYPE_CHECKING:  # the deadline parser is imported where phrases are parsed, not by a cached plan
    from .deadline import Deadline, DeadlineError, Vocabulary

SECTION_LEDGER = "任务台账"
SECTION_IMPLEMENTATION = "组织实施"  # section 三 of the plan: its deadlines are measures 65, 66
# Where a milestone's date is written: the 完成时限 column (or explicit milestones standing in for
# it), or the measure's own text (text_deadlines).
FROM_DEADLINE = "完成时限"
FROM_TEXT = "措施原文"


@record
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
        is still on time on 12-31 and overdue from the next day. A unit granted a new date
        (延期 with `until`) is judged by the same rule against that date: `due_passed`.
        """
        return due_passed(self.due, on)


def due_passed(due: dt.date | None, on: dt.date) -> bool:
    """The overdue rule for any due date (a milestone's, or a unit's approved new date):
    strictly before `on`. Undated: never."""
    return due is not None and due < on


@record
class Heading:
    """A level above a measure as the plan writes it: （一）全面提升…, 1. 坚持党建引领, 一、…"""

    level: str  # the level's name (重点任务, 部分 …), a column header of the ledger
    label: str | None  # as written: 一、 （一） 1. ; None when the plan gives none
    title: str
    ordinal: int  # from the label (一 → 1, ① → 1, 1.2 → 2), else the position under its parent

    @property
    def text(self) -> str:
        """Label and title as the ledger prints them: （一）全面…, 1. 坚持…, 一、…"""
        if not self.label:
            return self.title
        gap = " " if self.label[-1].isascii() else ""  # "1. 坚持", but "一、全面", "（一）全面"
        return f"{self.label}{gap}{self.title}"


@record
class ResolvedMeasure:
    number: int  # internal key: the id when every id is an integer (Kaiping), else the position
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
    id: str = ""  # the stable id progress refers to: "17", or "1.2.3"
    label: str | None = None  # the measure's own label as written: （17）, 1., ①
    trail: tuple[Heading, ...] = ()  # the levels above it, outermost first

    @property
    def labelled_text(self) -> str:
        """（17）始终坚持…: the measure with its label, as the ledger prints it."""
        return Heading("", self.label, self.text, 0).text

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


# Levels of a version-1 file (areas → tasks → measures): Kaiping's 台账, numbered globally.
V1_LEVELS = (Level(name="重点任务"), Level(name="具体任务"), Level(name="主要措施"))


def levels(plan: Plan) -> tuple[Level, ...]:
    """The plan's levels, outermost first; the last one is the tracked measure."""
    if plan.structure is not None:
        return tuple(plan.structure.levels)
    return V1_LEVELS


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CHINESE = {c: i for i, c in enumerate("零一二三四五六七八九")}
_LABEL_NOISE = "（）()、.．,，:：;；第条项 \t"


def label_ordinal(label: str | None) -> int | None:
    """The number a label stands for: 一、 → 1, （十二） → 12, 3. → 3, ① → 1, 1.2 → 2, 第3条 → 3."""
    if not label:
        return None
    text = label.strip()
    if text and text[0] in _CIRCLED:
        return _CIRCLED.index(text[0]) + 1
    parts = [p for p in text.replace("．", ".").split(".") if p.strip(_LABEL_NOISE)]
    core = (parts[-1] if parts else "").strip(_LABEL_NOISE)
    if core.isascii() and core.isdigit():
        return int(core)
    return _chinese_ordinal(core)


def _chinese_ordinal(text: str) -> int | None:
    if not text or any(c not in _CHINESE and c not in "十百" for c in text):
        return None
    if "百" in text or len(text) > 3:
        return None
    if "十" not in text:
        return _CHINESE[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CHINESE[tens] if tens else 1) * 10 + (_CHINESE[ones] if ones else 0)


@record
class Placed:
    """A measure where it sits: the headings above it, its YAML path, its section, its ordinal."""

    measure: Measure
    trail: tuple[Heading, ...]
    path: tuple[str | int, ...]
    section: str
    ordinal: int  # from its label (or number), else its position under its parent
    position_path: tuple[int, ...]  # ordinals from the outermost level down, for a dotted id


def _chinese_numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    return str(n)


def placed_measures(plan: Plan) -> Iterator[Placed]:
    """Every measure in document order, version 1 and version 2 alike, implementation last."""
    if plan.areas is not None:  # version 1: labels as Kaiping's 台账 prints them
        names = [level.name for level in V1_LEVELS]
        for ai, area in enumerate(plan.areas):
            head = Heading(names[0], f"（{_chinese_numeral(area.number)}）", area.title, area.number)
            for ti, task in enumerate(area.tasks):
                sub = Heading(names[1], f"{task.number}.", task.title, task.number)
                for mi, m in enumerate(task.measures):
                    n = m.number or mi + 1
                    yield Placed(m, (head, sub), ("areas", ai, "tasks", ti, "measures", mi),
                                 SECTION_LEDGER, n, (area.number, task.number, n))
    else:
        names = [level.name for level in levels(plan)]
        yield from _placed_v2(plan.items or [], plan.measures or [], (), (), (), names)
    for ii, item in enumerate(plan.implementation):
        n = label_ordinal(item.label) or item.number or ii + 1
        yield Placed(item, (), ("implementation", ii), SECTION_IMPLEMENTATION, n, (n,))


def _placed_v2(
    sections: list[Section],
    measures: list[Measure],
    trail: tuple[Heading, ...],
    ordinals: tuple[int, ...],
    base: tuple[str | int, ...],
    names: list[str],
) -> Iterator[Placed]:
    """The measures under one node (the file's top level: base ()), sections first."""
    depth = len(trail)
    level = names[depth] if depth < len(names) else ""
    for si, section in enumerate(sections):
        ordinal = label_ordinal(section.label) or si + 1
        heading = Heading(level, section.label, section.title, ordinal)
        yield from _placed_v2(
            section.items,
            section.measures,
            (*trail, heading),
            (*ordinals, ordinal),
            (*base, "items", si),
            names,
        )
    for mi, m in enumerate(measures):
        ordinal = m.number or label_ordinal(m.label) or mi + 1
        yield Placed(m, trail, (*base, "measures", mi), SECTION_LEDGER, ordinal, (*ordinals, ordinal))


def measure_ids(plan: Plan, placed: list[Placed]) -> list[str]:
    """Each measure's stable id: as written; else its global number (a plan numbering measures
    globally); else the dotted path of ordinals (2.3.1)."""
    last = levels(plan)[-1]
    ids = []
    for p in placed:
        if p.measure.id is not None:
            ids.append(p.measure.id)
        elif p.measure.number is not None:
            ids.append(str(p.measure.number))
        elif last.numbering == "global" or p.section == SECTION_IMPLEMENTATION:
            ids.append(str(p.ordinal))
        else:
            ids.append(".".join(str(n) for n in p.position_path))
    return ids


def effective_start(meta: Meta) -> dt.date | None:
    """The day the plan takes effect: declared, else the earlier of issued and published, else
    the period's start; never before the period's start. None for a plan without any date."""
    declared = meta.effective or min(
        (d for d in (meta.issued, meta.published) if d is not None), default=None
    )
    start = meta.period.start if meta.period is not None else None
    if declared is None:
        return start
    return declared if start is None else max(declared, start)


# A plan that states no date at all: its period is this, so that nothing is ever out of it
# (the checks say once that recurring deadlines need a date).
UNDATED_PERIOD = (dt.date(EARLIEST_YEAR, 1, 1), dt.date(EARLIEST_YEAR, 12, 31))


def plan_period(meta: Meta) -> tuple[dt.date, dt.date]:
    """The period as declared, else the calendar year of the effective start."""
    if meta.period is not None:
        return meta.period.start, meta.period.end
    start = effective_start(meta)
    if start is None:
        return UNDATED_PERIOD
    return dt.date(start.year, 1, 1), dt.date(start.year, 12, 31)


def vocabulary_entries(plan: Plan) -> list[tuple[str, str, int]]:
    """The plan's own deadline words as (word, meaning, index in its list)."""
    words = plan.deadlines.words
    return [
        (word, meaning, i)
        for meaning in ("ongoing", "undated", "start", "end")
        for i, word in enumerate(getattr(words, meaning))
    ]


def plan_vocabulary(plan: Plan) -> Vocabulary | None:
    """The plan's words as the parser's Vocabulary; bad words are left out (the checks name them)."""
    from .deadline import Vocabulary

    good: dict[str, str] = {}
    for word, meaning, _ in vocabulary_entries(plan):
        try:
            Vocabulary.of({word: meaning})
        except ValueError:
            continue
        good[word] = meaning
    return Vocabulary.of(good) if good else None


def yearless_reading(plan: Plan) -> Literal["every-year", "plan-year"]:
    """Version 2 reads "5月底前" as once in the plan's year; version 1 as every year (Kaiping has
    no year-less 完成时限, so both read it alike)."""
    if plan.deadlines.yearless is not None:
        return plan.deadlines.yearless
    return "every-year" if plan.version == 1 else "plan-year"


def resolve_measures(plan: Plan, registry: Registry) -> dict[int, ResolvedMeasure]:
    from .deadline import BUILTIN_VOCABULARY, Deadline, DeadlineError, parse_deadline

    start, end = plan_period(plan.meta)
    effective = effective_start(plan.meta)
    # Recurrences are owed from the effective start: bound their expansion from there.
    end = expansion_end(effective or start, end)
    vocabulary = plan_vocabulary(plan)
    yearless = yearless_reading(plan)
    default = plan.deadlines.default
    cache: dict[str, Deadline | DeadlineError] = {}
    measures: dict[int, ResolvedMeasure] = {}
    _ = BUILTIN_VOCABULARY  # the parser merges the plan's words over it

    def parse(phrase: str) -> Deadline | DeadlineError:
        if phrase not in cache:  # 64 measures share ~25 phrases
            try:
                cache[phrase] = parse_deadline(
                    phrase,
                    start,
                    end,
                    effective_start=effective,
                    vocabulary=vocabulary,
                    yearless=yearless,
                )
            except DeadlineError as error:
                cache[phrase] = error
        return cache[phrase]

    placed = list(placed_measures(plan))
    ids = measure_ids(plan, placed)
    numeric = all(i.isdigit() and not i.startswith("0") for i in ids) and len(set(ids)) == len(ids)
    for position, (p, measure_id) in enumerate(zip(placed, ids, strict=True), start=1):
        measure = p.measure
        number = int(measure_id) if numeric else position
        phrase = measure.deadline if measure.deadline is not None else default
        parsed: Deadline | DeadlineError = (
            parse(phrase) if phrase is not None else Deadline("", (), False, True)
        )
        stated = [parse(t.phrase) for t in measure.text_deadlines]
        trail = p.trail
        where: dict[str, Any] = {
            "area": trail[0].ordinal if trail else None,
            "area_title": trail[0].title if trail else None,
            "task": trail[1].ordinal if len(trail) > 1 else None,
            "task_title": trail[1].title if len(trail) > 1 else None,
        }
        resolved = _resolve_measure(
            measure, number, parsed, stated, registry, p.path, p.section, where,
            plan.assist_owes,
        )
        label = measure.label
        if label is None and plan.areas is not None:
            label = f"（{number}）"  # Kaiping's 台账 prints （1）…（64）
        resolved = _with(resolved, id=measure_id, label=label, trail=trail)
        measures.setdefault(number, resolved)  # duplicates are reported by the checks
    return measures


def _with(measure: ResolvedMeasure, **changes: Any) -> ResolvedMeasure:
    from dataclasses import replace

    return replace(measure, **changes)


def _resolve_measure(
    measure: Measure,
    number: int,
    parsed: Deadline | DeadlineError,
    stated: list[Deadline | DeadlineError],
    registry: Registry,
    path: tuple[str | int, ...],
    section: str,
    where: dict[str, Any],
    assist_owes: bool = False,
) -> ResolvedMeasure:
    from .deadline import Deadline, DeadlineError

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
                number, index, due, what, applies, canon_refs, recurrence, origin,
                owners=owed,
                named=unit_names,
            )
        )
    return ResolvedMeasure(
        number=number,
        section=section,
        text=measure.text,
        units_text=measure.units,
        unit_refs=tuple(refs),
        responsible=responsible,
        via=via,
        deadline=measure.deadline or "",
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


@record
class OutlineNode:
    """A heading of the plan with the headings and measures (by number) below it."""

    heading: Heading
    children: tuple[OutlineNode, ...]
    measures: tuple[int, ...]


def outline(measures: dict[int, ResolvedMeasure]) -> tuple[OutlineNode, ...]:
    """The tree of headings above the ledger measures, in plan order (from their trails)."""

    def build(items: list[ResolvedMeasure], depth: int) -> tuple[OutlineNode, ...]:
        order: dict[tuple[str | None, str, int], list[ResolvedMeasure]] = {}
        heads: dict[tuple[str | None, str, int], Heading] = {}
        for m in items:
            if len(m.trail) <= depth:
                continue
            h = m.trail[depth]
            key = (h.label, h.title, h.ordinal)
            order.setdefault(key, []).append(m)
            heads.setdefault(key, h)
        return tuple(
            OutlineNode(
                heads[key],
                build(group, depth + 1),
                tuple(m.number for m in group if len(m.trail) == depth + 1),
            )
            for key, group in order.items()
        )

    return build([m for m in measures.values() if m.section == SECTION_LEDGER], 0)


def level_counts(plan: Plan, measures: dict[int, ResolvedMeasure]) -> list[tuple[str, int]]:
    """How many items each level has: [(重点任务, 6), (具体任务, 19), (主要措施, 64)]."""
    names = [level.name for level in levels(plan)]
    counts = [0] * len(names)

    def count(nodes: tuple[OutlineNode, ...], depth: int) -> None:
        for node in nodes:
            if depth < len(counts) - 1:
                counts[depth] += 1
            count(node.children, depth + 1)

    count(outline(measures), 0)
    counts[-1] = sum(1 for m in measures.values() if m.section == SECTION_LEDGER)
    return list(zip(names, counts, strict=True))


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
