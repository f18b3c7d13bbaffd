"""The one JSON form of each domain object; every command's --format json is built from these.

The keys are the documented interface (README, "## 命令"): add keys, never rename. Where a
command has always named a field differently (a measure is `id` in the export, `measure` in a
query row; its 责任单位 text is `units` in the export and diff, `units_text` in show, whose
`units` are the expanded units), the alias is spelled here, next to the canonical name, so the
value is computed in one place.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..errors import Problem
from ..model.plan import LoadedPlan
from ..model.progress import ProgressRow, progress_rows
from ..model.resolve import SECTION_LEDGER, Milestone, ResolvedMeasure, outline

if TYPE_CHECKING:  # only named in signatures: each query's module is imported by its command
    from ..core.diff import MilestoneState, PlanDiff
    from ..core.queries import (
        DueRow,
        Duty,
        DutyMilestone,
        GroupInfo,
        UnitDuties,
        UnitInfo,
        UnitListing,
    )
    from ..core.report import Assessment, Report, ReportRow
    from ..core.show import HistoryEntry, MeasureDetail, MilestoneDetail, UnitStatus


def date_json(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# --------------------------------------------------------------------------- the plan itself


def measure_ref(number: int, measure_id: str) -> int | str:
    """How JSON names a measure: its number where the plan numbers measures globally (17, as
    before version 2), else the stable id progress refers to ("1.1.2")."""
    return number if not measure_id or measure_id == str(number) else measure_id


def milestone_json(plan: LoadedPlan, milestone: Milestone) -> dict[str, Any]:
    explicit = milestone.unit_refs is not None
    return {
        "due": milestone.key,
        "what": milestone.what,
        "units": plan.registry.in_order(milestone.units) if explicit else None,
        "unit_refs": list(milestone.unit_refs) if milestone.unit_refs is not None else None,
        "recurrence": milestone.recurrence,
        "source": milestone.source,
    }


def measure_json(plan: LoadedPlan, measure: ResolvedMeasure) -> dict[str, Any]:
    """A measure in full, as `export --format json` lists it."""
    return {
        "id": measure_ref(measure.number, measure.id),
        **_placement(measure),
        "text": measure.text,
        "units": measure.units_text,
        "unit_refs": list(measure.unit_refs),
        "responsible": plan.registry.in_order(measure.responsible),
        "deadline": measure.deadline,
        "milestones": [milestone_json(plan, m) for m in measure.milestones],
        "ongoing": measure.ongoing,
        "undated": measure.undated,
        "roles": {u: measure.role_of(u) for u in plan.registry.in_order(measure.responsible)},
    }


def measure_brief_json(measure: ResolvedMeasure) -> dict[str, Any]:
    """A measure as a change report names it: its number and the four verbatim fields."""
    return {
        "measure": measure_ref(measure.number, measure.id),
        "text": measure.text,
        "units": measure.units_text,
        "unit_refs": list(measure.unit_refs),
        "deadline": measure.deadline,
    }


def _placement(measure: ResolvedMeasure) -> dict[str, Any]:
    return {
        "section": measure.section,
        "area": measure.area,
        "area_title": measure.area_title,
        "task": measure.task,
        "task_title": measure.task_title,
    }


def unit_json(unit: UnitInfo) -> dict[str, Any]:
    return {
        "name": unit.name,
        "aliases": list(unit.aliases),
        "code": unit.code,
        "groups": list(unit.groups),
        "measures": unit.measures,
    }


def group_json(group: GroupInfo, *, measures: bool = True) -> dict[str, Any]:
    """A group; `measures` (how many measures name it) is in `units`' form, not the export's."""
    data: dict[str, Any] = {
        "name": group.name,
        "aliases": list(group.aliases),
        "members": list(group.members),
        "exclude": list(group.exclude),
        "units": list(group.units),
    }
    if measures:
        data["measures"] = group.measures
    return data


def progress_json(row: ProgressRow) -> dict[str, Any]:
    return {
        "measure": row.measure,
        "unit": row.unit,
        "milestone": row.milestone,
        "status": row.status,
        "date": row.date,
        "note": row.note,
        "until": row.until,
        "approved_late": row.approved_late,
    }


def plan_json(plan: LoadedPlan, listing: UnitListing) -> dict[str, Any]:
    """Everything a machine needs to answer the plan's questions without kpzf (`export`)."""
    meta = plan.model.meta
    measures = list(plan.measures.values())
    start, end = plan.period
    return {
        "meta": {
            "title": meta.title,
            "doc_number": meta.doc_number,
            "issuer": meta.issuer,
            "issued": meta.issued.isoformat() if meta.issued else None,
            "period": {"start": start.isoformat(), "end": end.isoformat()},
            "parents": [
                {
                    "title": p.title,
                    "doc_number": p.doc_number,
                    "issuer": p.issuer,
                    "issued": p.issued.isoformat(),
                }
                for p in meta.parents
            ],
        },
        "areas": [
            {
                "number": area.heading.ordinal,
                "title": area.heading.title,
                "tasks": [
                    {
                        "number": task.heading.ordinal,
                        "title": task.heading.title,
                        "measures": list(task.measures),
                    }
                    for task in area.children
                ],
            }
            for area in outline(plan.measures)
        ],
        "measures": [measure_json(plan, m) for m in measures if m.section == SECTION_LEDGER],
        "implementation": [measure_json(plan, m) for m in measures if m.section != SECTION_LEDGER],
        "units": [unit_json(u) for u in listing.units],
        "groups": [group_json(g, measures=False) for g in listing.groups],
        "progress": [progress_json(row) for row in progress_rows(plan)],
    }


def listing_json(listing: UnitListing) -> dict[str, Any]:
    """`kpzf units`."""
    return {
        "units": [unit_json(u) for u in listing.units],
        "groups": [group_json(g) for g in listing.groups],
    }


# --------------------------------------------------------------------------- query answers


def due_row_json(row: DueRow, days_key: str) -> dict[str, Any]:
    """One overdue (`days_overdue`) or upcoming (`days_left`) milestone."""
    return {
        "measure": measure_ref(row.measure, row.measure_id),
        "due": row.due.isoformat(),
        "what": row.what,
        "units": list(row.units),
        days_key: row.days,
        "milestone": row.milestone,
        "recurrence": row.recurrence,
        "area": row.area,
        "task": row.task,
        "units_total": row.units_total,
        "units_grouped": list(row.units_grouped),
        "source": row.source,
        "roles": list(row.roles),
        "assist": list(row.assist),
        "light": row.light,
        "until": date_json(row.until),
    }


def duty_milestone_json(m: DutyMilestone, group: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "due": date_json(m.due),
        "what": m.what,
        "recurrence": m.recurrence,
        "status": m.status,
        "overdue": m.overdue,
        "days_overdue": m.days_overdue,
        "days_left": m.days_left,
        "source": m.source,
        "light": m.light,
    }
    if group:
        data["units"] = list(m.units)
        data["owing"] = list(m.owing)
    else:
        data["date"] = date_json(m.recorded)
        data["note"] = m.note
        data["category"] = m.category
        data["until"] = date_json(m.until)
    return data


def duty_json(d: Duty, group: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "measure": measure_ref(d.measure, d.measure_id),
        "via": d.via,
        "milestones": [duty_milestone_json(m, group) for m in d.milestones],
        "status": d.status,
        "overdue": d.overdue,
        "next": None if d.next is None else duty_milestone_json(d.next, group),
        "area": d.area,
        "task": d.task,
        "text": d.text,
        "deadline": d.deadline,
        "ongoing": d.ongoing,
        "role": d.role,
        "light": d.light,
    }
    if group:
        data["units"] = list(d.units)
    return data


def unit_duties_json(result: UnitDuties) -> dict[str, Any]:
    """`kpzf unit NAME`."""
    return {
        "unit": result.unit,
        "group": result.is_group,
        "members": list(result.members),
        "groups": list(result.groups),
        "date": result.on.isoformat(),
        "measures": [duty_json(d, result.is_group) for d in result.duties],
    }


def _unit_status_json(s: UnitStatus) -> dict[str, Any]:
    return {
        "unit": s.unit, "status": s.status, "date": date_json(s.date), "note": s.note, "role": s.role,
        "light": s.light, "category": s.category, "until": date_json(s.until),
        "days_overdue": s.days_overdue,
    }


def _milestone_detail_json(d: MilestoneDetail) -> dict[str, Any]:
    return {
        "due": date_json(d.due),
        "what": d.what,
        "recurrence": d.recurrence,
        "units": list(d.units),
        "owing": list(d.owing),
        "complete": d.complete,
        "overdue": d.overdue,
        "days_overdue": d.days_overdue,
        "source": d.source,
        "statuses": [_unit_status_json(s) for s in d.statuses],
        "light": d.light,
    }


def _history_json(h: HistoryEntry) -> dict[str, Any]:
    return {
        "index": h.index,
        "unit": h.unit,
        "milestone": h.milestone,
        "status": h.status,
        "date": h.date.isoformat(),
        "note": h.note,
        "current": h.current,
        "until": date_json(h.until),
        "approved_late": h.approved_late,
    }


def measure_detail_json(detail: MeasureDetail) -> dict[str, Any]:
    """`kpzf show N`: `units` are the expanded units here, so the 责任单位 text is `units_text`."""
    m = detail.measure
    return {
        "measure": measure_ref(m.number, m.id),
        **_placement(m),
        "text": m.text,
        "units_text": m.units_text,
        "deadline": m.deadline,
        "ongoing": m.ongoing,
        "undated": m.undated,
        "date": detail.on.isoformat(),
        "units": [
            {"unit": u, "via": via, "role": detail.measure.role_of(u)} for u, via in detail.units
        ],
        "milestones": [_milestone_detail_json(d) for d in detail.milestones],
        "history": [_history_json(h) for h in detail.history],
        "notices": [
            {"index": c.index, "unit": c.unit, "date": c.date.isoformat(), "note": c.note}
            for c in detail.notices
        ],
    }


def report_row_json(row: ReportRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": row.label,
        "obligations": row.obligations,
        "due": row.due,
        "completed": row.completed,
        "completed_due": row.completed_due,
        "in_progress": row.in_progress,
        "overdue": row.overdue,
        "not_due": row.not_due,
        "not_applicable": row.not_applicable,
        "rate": None if row.rate is None else round(row.rate, 4),
        "assessed": row.assessed,
        "on_time": row.on_time,
        "on_time_rate": None if row.on_time_rate is None else round(row.on_time_rate, 4),
        "extended": row.extended,
        "extended_done": row.extended_done,
        "late_done": row.late_done,
        "longest_overdue": row.longest_overdue,
        "red": row.red,
        "yellow": row.yellow,
        "green": row.green,
        "rank": row.rank,
    }


def assessment_json(a: Assessment) -> dict[str, Any]:
    """An evaluation item's totals as of its due date (`report`'s `assessments`)."""
    return {
        "measure": measure_ref(a.measure, a.measure_id),
        "what": a.what,
        "due": a.due.isoformat(),
        "date": a.on.isoformat(),
        "total": report_row_json(a.total),
    }


def report_json(result: Report) -> dict[str, Any]:
    """`kpzf report`; `"unit"` only when --unit narrowed it (the unit or group, canonical)."""
    found = {
        "date": result.on.isoformat(),
        "by": result.by,
        "rows": [report_row_json(r) for r in result.rows],
        "total": report_row_json(result.total),
        "rank": result.ranked,
        "warn_days": result.warn_days,
        "assessments": [assessment_json(a) for a in result.assessments],
    }
    if result.unit is not None:
        found["unit"] = result.unit
    return found


# --------------------------------------------------------------------------- problems and changes


def problem_json(p: Problem) -> dict[str, Any]:
    return {
        "file": p.file,
        "line": p.line,
        "column": p.column,
        "code": p.code,
        "message": p.message,
        "hint": p.hint,
        "severity": p.severity,
    }


def _state_json(state: MilestoneState | None) -> dict[str, Any] | None:
    if state is None:
        return None
    return {
        "due": date_json(state.due),
        "what": state.what,
        "units": list(state.units) if state.units is not None else None,
    }


def _pair(value: tuple[str, str] | None) -> dict[str, str] | None:
    return None if value is None else {"old": value[0], "new": value[1]}


def diff_json(d: PlanDiff) -> dict[str, Any]:
    """`kpzf diff --format json`."""
    return {
        "old": d.old,
        "new": d.new,
        "changed": d.changed,
        "milestones": [
            {
                "measure": c.measure,
                "change": c.kind,
                "days": c.days,
                "old": _state_json(c.old),
                "new": _state_json(c.new),
            }
            for c in d.milestones
        ],
        "measures_added": [measure_brief_json(m) for m in d.measures_added],
        "measures_removed": [measure_brief_json(m) for m in d.measures_removed],
        "measures_changed": [
            {
                "measure": c.number,
                "text": _pair(c.text),
                "units": _pair(c.units_text),
                "units_added": list(c.units_added),
                "units_removed": list(c.units_removed),
                "deadline": _pair(c.deadline),
            }
            for c in d.measures_changed
        ],
        "units_added": d.units_added,
        "units_removed": d.units_removed,
        "groups_added": d.groups_added,
        "groups_removed": d.groups_removed,
        "groups_changed": [
            {"group": g.name, "added": list(g.added), "removed": list(g.removed)}
            for g in d.groups_changed
        ],
        "progress_added": [progress_json(r) for r in d.progress_added],
        "progress_removed": [progress_json(r) for r in d.progress_removed],
        "meta": [{"field": m.field, "old": m.old, "new": m.new} for m in d.meta],
    }
