"""Semantic differences between two plans: what a reviewer of a change to plan.yaml needs to see.

Not a text diff: comments, layout, quoting and the order of keys do not count. Measures are
matched by number, units and groups by canonical name, progress entries by their content.
Milestones of a measure are matched by what is due and for whom, so that a moved deadline shows
as one milestone moving by so many days (extensions first: they are what a supervisor looks for).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import field

from ..model.plan import LoadedPlan
from ..model.progress import ProgressRow, progress_rows
from ..model.resolve import Milestone, ResolvedMeasure
from ..records import record

LATER, EARLIER, REWORDED, REMOVED, ADDED = "later", "earlier", "changed", "removed", "added"
MILESTONE_KINDS = (LATER, EARLIER, REWORDED, REMOVED, ADDED)  # the order of the report


@record
class MilestoneState:
    """A milestone as a reviewer sees it: when, what, and for whom (None: every responsible unit)."""

    due: dt.date | None
    what: str
    units: tuple[str, ...] | None


@record
class MilestoneChange:
    measure: int
    old: MilestoneState | None  # None: added
    new: MilestoneState | None  # None: removed

    @property
    def days(self) -> int | None:
        """How far the due date moved (positive: later), when both sides have one."""
        if self.old is None or self.new is None or self.old.due is None or self.new.due is None:
            return None
        return (self.new.due - self.old.due).days

    @property
    def kind(self) -> str:
        if self.old is None:
            return ADDED
        if self.new is None:
            return REMOVED
        days = self.days
        if days:
            return LATER if days > 0 else EARLIER
        return REWORDED  # same date (or none); what is due or for whom changed


@record
class MeasureChange:
    """What changed in a measure present in both plans (milestones are reported separately)."""

    number: int
    text: tuple[str, str] | None = None  # (old, new) when reworded
    units_text: tuple[str, str] | None = None  # the verbatim 责任单位
    units_added: tuple[str, ...] = ()  # canonical names of the references
    units_removed: tuple[str, ...] = ()
    deadline: tuple[str, str] | None = None  # the verbatim 完成时限


@record
class GroupChange:
    name: str
    added: tuple[str, ...]  # single units the group now stands for and did not before
    removed: tuple[str, ...]


@record
class MetaChange:
    field: str  # e.g. "period.end"
    old: str
    new: str


@record(frozen=False)
class PlanDiff:
    old: str  # how the two plans are named in the report
    new: str
    meta: list[MetaChange] = field(default_factory=list)
    milestones: list[MilestoneChange] = field(default_factory=list)  # in MILESTONE_KINDS order
    measures_added: list[ResolvedMeasure] = field(default_factory=list)
    measures_removed: list[ResolvedMeasure] = field(default_factory=list)
    measures_changed: list[MeasureChange] = field(default_factory=list)
    units_added: list[str] = field(default_factory=list)
    units_removed: list[str] = field(default_factory=list)
    groups_added: list[str] = field(default_factory=list)
    groups_removed: list[str] = field(default_factory=list)
    groups_changed: list[GroupChange] = field(default_factory=list)
    progress_added: list[ProgressRow] = field(default_factory=list)
    progress_removed: list[ProgressRow] = field(default_factory=list)  # the log is append-only

    @property
    def changed(self) -> bool:
        return any(
            (
                self.meta, self.milestones, self.measures_added, self.measures_removed,
                self.measures_changed, self.units_added, self.units_removed, self.groups_added,
                self.groups_removed, self.groups_changed, self.progress_added, self.progress_removed,
            )
        )

    def milestones_of(self, kind: str) -> list[MilestoneChange]:
        return [m for m in self.milestones if m.kind == kind]


def diff_plans(old: LoadedPlan, new: LoadedPlan) -> PlanDiff:
    """Every semantic difference between two loaded plans."""
    result = PlanDiff(old.path, new.path, meta=_meta_changes(old, new))
    for number in sorted(old.measures.keys() | new.measures.keys()):
        before, after = old.measures.get(number), new.measures.get(number)
        if before is None and after is not None:
            result.measures_added.append(after)
        elif after is None and before is not None:
            result.measures_removed.append(before)
        elif before is not None and after is not None:
            change = _measure_change(before, after)
            if change is not None:
                result.measures_changed.append(change)
            result.milestones.extend(_milestone_changes(number, before.milestones, after.milestones))
    result.milestones.sort(key=_milestone_order)

    old_units, new_units = old.registry.units, new.registry.units
    result.units_added = [u for u in new_units if u not in old_units]
    result.units_removed = [u for u in old_units if u not in new_units]
    old_groups, new_groups = old.registry.groups, new.registry.groups
    result.groups_added = [g for g in new_groups if g not in old_groups]
    result.groups_removed = [g for g in old_groups if g not in new_groups]
    for name in new_groups:
        if name in old_groups:
            before_units, after_units = old.registry.expand(name), new.registry.expand(name)
            if before_units != after_units:
                result.groups_changed.append(
                    GroupChange(
                        name,
                        tuple(new.registry.in_order(after_units - before_units)),
                        tuple(old.registry.in_order(before_units - after_units)),
                    )
                )
    result.progress_added, result.progress_removed = _progress_changes(old, new)
    return result


def _measure_change(old: ResolvedMeasure, new: ResolvedMeasure) -> MeasureChange | None:
    def pair(a: str, b: str) -> tuple[str, str] | None:
        return None if a == b else (a, b)

    change = MeasureChange(
        number=new.number,
        text=pair(old.text, new.text),
        units_text=pair(old.units_text, new.units_text),
        units_added=tuple(u for u in new.unit_refs if u not in old.unit_refs),
        units_removed=tuple(u for u in old.unit_refs if u not in new.unit_refs),
        deadline=pair(old.deadline, new.deadline),
    )
    return None if change == MeasureChange(new.number) else change


def _state(milestone: Milestone) -> MilestoneState:
    return MilestoneState(milestone.due, milestone.what, milestone.unit_refs)


# How leftover milestones pair up, most telling first: the same thing due for the same units
# (only the date moved); the same thing for other units; and, when a deadline was rewritten
# one-for-one, simply the next dated milestone (date and wording both changed).
def _same_work_same_units(a: MilestoneState, b: MilestoneState) -> bool:
    return a.what == b.what and a.units == b.units


def _same_work(a: MilestoneState, b: MilestoneState) -> bool:
    return a.what == b.what


def _both_dated(a: MilestoneState, b: MilestoneState) -> bool:
    return a.due is not None and b.due is not None


def _milestone_changes(
    number: int, old: Sequence[Milestone], new: Sequence[Milestone]
) -> list[MilestoneChange]:
    """Match one measure's milestones (each side in due order) and report the ones that differ."""
    unmatched_new: list[MilestoneState] = []
    unmatched_old = [_state(m) for m in old]
    for state in map(_state, new):
        if state in unmatched_old:
            unmatched_old.remove(state)  # unchanged
        else:
            unmatched_new.append(state)
    changes: list[MilestoneChange] = []
    for same in (_same_work_same_units, _same_work, _both_dated):
        if same is _both_dated and len(unmatched_old) != len(unmatched_new):
            break
        for before in list(unmatched_old):
            after = next((a for a in unmatched_new if same(before, a)), None)
            if after is not None:
                changes.append(MilestoneChange(number, before, after))
                unmatched_old.remove(before)
                unmatched_new.remove(after)
    changes.extend(MilestoneChange(number, before, None) for before in unmatched_old)
    changes.extend(MilestoneChange(number, None, after) for after in unmatched_new)
    return changes


def _milestone_order(change: MilestoneChange) -> tuple[int, int, int, str]:
    days = change.days or 0
    state = change.new or change.old
    due = state.due.isoformat() if state and state.due else "9999"
    # Biggest moves first within "later" and "earlier"; then by measure and date.
    return (MILESTONE_KINDS.index(change.kind), -abs(days), change.measure, due)


def _meta_changes(old: LoadedPlan, new: LoadedPlan) -> list[MetaChange]:
    def fields(plan: LoadedPlan) -> dict[str, str]:
        meta = plan.model.meta
        return {
            "title": meta.title,
            "doc_number": meta.doc_number or "",
            "issuer": meta.issuer or "",
            "issued": meta.issued.isoformat() if meta.issued else "",
            "published": meta.published.isoformat() if meta.published else "",
            "period.start": plan.period[0].isoformat(),
            "period.end": plan.period[1].isoformat(),
            "parents": "；".join(f"{p.title}（{p.doc_number}，{p.issued}）" for p in meta.parents),
        }

    before, after = fields(old), fields(new)
    return [MetaChange(name, before[name], after[name]) for name in before if before[name] != after[name]]


def _progress_changes(old: LoadedPlan, new: LoadedPlan) -> tuple[list[ProgressRow], list[ProgressRow]]:
    """Entries only in the new log, and entries gone from it (edited entries show as both)."""
    before, after = progress_rows(old), progress_rows(new)
    return _minus(after, Counter(before)), _minus(before, Counter(after))


def _minus(rows: Iterable[ProgressRow], other: Counter[ProgressRow]) -> list[ProgressRow]:
    remaining = Counter(other)
    kept = []
    for row in rows:
        if remaining[row]:
            remaining[row] -= 1
        else:
            kept.append(row)
    return kept
