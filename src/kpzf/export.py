"""The resolved plan as plain data with stable keys (what `kpzf export --format json` prints)."""

from __future__ import annotations

from typing import Any

from .plan import LoadedPlan, Milestone, ResolvedMeasure


def sorted_units(plan: LoadedPlan, units: frozenset[str] | set[str]) -> list[str]:
    """Registry order, so lists of units read as the plan lists them (departments, then towns)."""
    return plan.registry.in_order(units)


def milestone_data(plan: LoadedPlan, milestone: Milestone) -> dict[str, Any]:
    return {
        "due": milestone.key,
        "what": milestone.what,
        "units": None
        if milestone.unit_refs is None
        else sorted_units(plan, milestone.units),
        "unit_refs": None if milestone.unit_refs is None else list(milestone.unit_refs),
        "recurrence": milestone.recurrence,
        "source": milestone.source,
    }


def measure_data(plan: LoadedPlan, measure: ResolvedMeasure) -> dict[str, Any]:
    return {
        "id": measure.number,
        "section": measure.section,
        "area": measure.area,
        "area_title": measure.area_title,
        "task": measure.task,
        "task_title": measure.task_title,
        "text": measure.text,
        "units": measure.units_text,
        "unit_refs": list(measure.unit_refs),
        "responsible": sorted_units(plan, measure.responsible),
        "deadline": measure.deadline,
        "milestones": [milestone_data(plan, m) for m in measure.milestones],
        "ongoing": measure.ongoing,
        "undated": measure.undated,
    }


def plan_data(plan: LoadedPlan) -> dict[str, Any]:
    """Everything a machine needs to answer the plan's questions without kpzf."""
    model, registry = plan.model, plan.registry
    measures = [m for m in plan.measures.values()]
    owed: dict[str, int] = {}
    for measure in measures:
        for unit in measure.responsible:
            owed[unit] = owed.get(unit, 0) + 1
    meta = model.meta
    return {
        "meta": {
            "title": meta.title,
            "doc_number": meta.doc_number,
            "issuer": meta.issuer,
            "issued": meta.issued.isoformat(),
            "period": {"start": meta.period.start.isoformat(), "end": meta.period.end.isoformat()},
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
                "number": area.number,
                "title": area.title,
                "tasks": [
                    {
                        "number": task.number,
                        "title": task.title,
                        "measures": [m.number for m in task.measures],
                    }
                    for task in area.tasks
                ],
            }
            for area in model.areas
        ],
        "measures": [measure_data(plan, m) for m in measures if m.area is not None],
        "implementation": [measure_data(plan, m) for m in measures if m.area is None],
        "units": [
            {
                "name": unit.name,
                "aliases": list(unit.aliases),
                "code": unit.code,
                "groups": list(registry.groups_containing(unit.name)),
                "measures": owed.get(unit.name, 0),
            }
            for unit in registry.units.values()
        ],
        "groups": [
            {
                "name": group.name,
                "aliases": list(group.aliases),
                "members": list(group.members),
                "exclude": list(group.exclude),
                "units": sorted_units(plan, registry.expand(group.name)),
            }
            for group in registry.groups.values()
        ],
        "progress": [
            {
                "measure": e.measure,
                "unit": registry.resolve(e.unit) or e.unit,
                "milestone": e.milestone.isoformat() if e.milestone else None,
                "status": e.status,
                "date": e.date.isoformat(),
                "note": e.note,
            }
            for e in model.progress
        ],
    }
