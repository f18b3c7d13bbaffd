"""Several plans at once: each plan named, a unit matched across plans, the queries across them.

Pure like the other core modules: loaded plans and the date in, rows out. A plan's name is its
`meta.key` when the format has one, else its file's stem; a unit's identity across plans is its
full name with the issuing place (`unit_identity`), so two plans of 开平市 share 市公安局 while
the 县司法局 of two counties stay two offices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import PurePath
from typing import TypeVar

from ..errors import NotInPlan, UsageError
from ..model.plan import LoadedPlan
from ..model.registry import _LEVELS as LEVELS  # the level words 市县区, one rule
from ..records import record
from . import queries as q
from .names import MAX_CANDIDATES, Scope
from .report import Report, ReportRow, total_of
from .report import report as report_query

T = TypeVar("T")


@record
class NamedPlan:
    key: str  # how rows name the plan (计划 column, "plan" in JSON)
    plan: LoadedPlan


def plan_key(plan: LoadedPlan) -> str:
    """meta.key if the plan declares one, else the stem of its file (kaiping-2024.yaml → kaiping-2024)."""
    declared = getattr(plan.model.meta, "key", None)
    if declared:
        return str(declared)
    return PurePath(plan.source.shown if plan.source else plan.path).stem


def name_plans(plans: Sequence[LoadedPlan]) -> list[NamedPlan]:
    """Each plan with its name; two plans of one name are an error naming both files."""
    seen: dict[str, LoadedPlan] = {}
    for plan in plans:
        key = plan_key(plan)
        other = seen.setdefault(key, plan)
        if other is not plan:
            raise UsageError(
                f"两个计划同名“{key}”：{other.path} 与 {plan.path}（计划名称取自 meta.key，没有时取文件名）",
                hint="请改用不同的文件名（或在 meta 中写不同的 key），以便每一行写明是哪个计划",
            )
    return [NamedPlan(plan_key(p), p) for p in plans]


def unit_identity(plan: LoadedPlan, canonical: str) -> str:
    """A unit's (or group's) name across plans: the full name with the issuing place.

    市公安局 of 开平市 → 开平市公安局 (the level 市 becomes the place), 赤坎镇 → 开平市赤坎镇,
    a name already starting with the place stays as it is; a plan with no place keeps the name.
    """
    place = getattr(plan.model.meta, "place", None) or plan.registry.place
    if not place or canonical.startswith(place):
        return canonical
    if place[-1] in LEVELS and canonical.startswith(place[-1]):
        return place + canonical[1:]
    return place + canonical


def find_across(plans: Sequence[NamedPlan], name: str) -> dict[str, str]:
    """Plan key → canonical name in that plan, for every plan that knows `name`.

    Plans that do not know it are left out (the unit owes nothing there); none knowing it, or
    the plans knowing it as different offices (县司法局 of two counties), is NotInPlan (exit 2).
    """
    found: dict[str, str] = {}
    candidates: list[str] = []
    for named in plans:
        canonical, near = named.plan.registry.find(name)
        if canonical is None:
            candidates += [c for c in near if c not in candidates]
        else:
            found[named.key] = canonical
    if not found:
        shown = "、".join(candidates[:MAX_CANDIDATES])
        raise NotInPlan(
            f"{len(plans)} 个计划中都找不到单位“{name}”" + (f"，是否指：{shown}？" if shown else ""),
            hint="运行 kpzf --plan 计划文件 units 查看一个计划的全部单位",
        )
    plan_of = {n.key: n.plan for n in plans}
    identities: dict[str, list[str]] = {}
    for key, canonical in found.items():
        identities.setdefault(unit_identity(plan_of[key], canonical), []).append(key)
    if len(identities) > 1:
        which = "；".join(f"{ident}（{'、'.join(keys)}）" for ident, keys in identities.items())
        raise NotInPlan(
            f"单位名称“{name}”在几个计划中指不同的单位：{which}",
            hint=f"请写出带地名的全称，如 {next(iter(identities))}",
        )
    return found


def _scopes(plans: Sequence[NamedPlan], unit: str | None) -> dict[str, Scope] | None:
    if unit is None:
        return None
    plan_of = {n.key: n.plan for n in plans}
    return {
        key: Scope(canonical, plan_of[key].registry.expand(canonical))
        for key, canonical in find_across(plans, unit).items()
    }


def _each(
    plans: Sequence[NamedPlan], scopes: dict[str, Scope] | None, answer: Callable[[NamedPlan, Scope | None], T]
) -> list[tuple[int, str, T]]:
    """`answer` for each plan in scope; a --area a plan does not have leaves that plan out,
    unless no plan has it."""
    results: list[tuple[int, str, T]] = []
    refused: NotInPlan | None = None
    for index, named in enumerate(plans):
        if scopes is not None and named.key not in scopes:
            continue
        try:
            results.append((index, named.key, answer(named, None if scopes is None else scopes[named.key])))
        except NotInPlan as exc:
            refused = refused or exc
    if refused is not None and not results:
        raise NotInPlan(
            f"{refused.message}（{len(plans)} 个计划中都没有）",
            hint="各计划的序号不同：可用 kpzf --plan 计划文件 export --format md 查看一个计划",
        )
    return results


# --------------------------------------------------------------------------- overdue / upcoming


@record
class PlanDueRow:
    plan: str
    row: q.DueRow


def overdue(
    plans: Sequence[NamedPlan],
    on: dt.date,
    unit: str | None = None,
    area: int | None = None,
    role: str | None = None,
    warn_days: int | None = None,
) -> list[PlanDueRow]:
    """`queries.overdue` of every plan, most overdue first, then in plan order."""
    scopes = _scopes(plans, unit)
    parts = _each(plans, scopes, lambda n, s: q.overdue(n.plan, on, s, area, role, warn_days))
    rows = [(i, key, r) for i, key, part in parts for r in part]
    rows.sort(key=lambda e: (-e[2].days, e[0], e[2].measure, e[2].milestone))
    return [PlanDueRow(key, r) for _, key, r in rows]


def upcoming(
    plans: Sequence[NamedPlan],
    on: dt.date,
    days: int = 30,
    unit: str | None = None,
    area: int | None = None,
    role: str | None = None,
    warn_days: int | None = None,
) -> list[PlanDueRow]:
    """`queries.upcoming` of every plan, soonest first, then in plan order."""
    scopes = _scopes(plans, unit)
    parts = _each(
        plans, scopes, lambda n, s: q.upcoming(n.plan, on, days, s, area, role, warn_days)
    )
    rows = [(i, key, r) for i, key, part in parts for r in part]
    rows.sort(key=lambda e: (e[2].effective, e[0], e[2].measure, e[2].milestone))
    return [PlanDueRow(key, r) for _, key, r in rows]


# --------------------------------------------------------------------------- a unit's duties


@record
class UnitAcross:
    identity: str  # the unit's full name (unit_identity), the same in every plan listed
    on: dt.date
    parts: tuple[tuple[str, q.UnitDuties], ...]  # (plan key, its duties) in plan order


def unit_duties(
    plans: Sequence[NamedPlan], name: str, on: dt.date, warn_days: int | None = None
) -> UnitAcross:
    """One unit's duties in every plan that knows it (the same office: see `find_across`)."""
    found = find_across(plans, name)
    parts = tuple(
        (n.key, q.unit_duties(n.plan, found[n.key], on, warn_days))
        for n in plans
        if n.key in found
    )
    first = next(n for n in plans if n.key in found)
    return UnitAcross(unit_identity(first.plan, found[first.key]), on, parts)


# --------------------------------------------------------------------------- the roll-up


@record
class ReportAcross:
    on: dt.date
    by: str
    parts: tuple[tuple[str, Report], ...]  # (plan key, its report) in plan order
    total: ReportRow  # every plan's obligations together


def report(
    plans: Sequence[NamedPlan],
    on: dt.date,
    by: str = "unit",
    rank: bool = False,
    warn_days: int | None = None,
) -> ReportAcross:
    """Each plan's report (its rows keep their plan; --rank orders each plan's rows) and one
    total over all of them."""
    parts = tuple((n.key, report_query(n.plan, on, by, rank, warn_days)) for n in plans)
    by = parts[0][1].by
    return ReportAcross(on, by, parts, total_of([r.total for _, r in parts]))
