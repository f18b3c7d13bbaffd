"""What a person types, resolved against the plan: a unit or group, a measure, an area."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import NotInPlan
from ..model.plan import LoadedPlan
from ..model.registry import normalize_name
from ..model.resolve import ResolvedMeasure

MAX_CANDIDATES = 10


@dataclass(frozen=True)
class Scope:
    """A unit or group filter, resolved once: its canonical name and the single units it means."""

    name: str
    units: frozenset[str]


def find_unit(plan: LoadedPlan, name: str) -> str:
    """The canonical unit or group a person typed (赤坎, 市场监管, 各镇(街)); NotInPlan otherwise."""
    registry = plan.registry
    canonical, candidates = registry.find(name)
    if canonical is not None:
        return canonical
    shown = "、".join(candidates[:MAX_CANDIDATES])
    if len(candidates) > MAX_CANDIDATES:
        shown += f" 等 {len(candidates)} 个"
    key = normalize_name(name)
    if candidates and key and any(key in alias for alias in registry.lookup):
        raise NotInPlan(
            f"单位名称“{name}”不唯一，可能是：{shown}",
            hint="请写出更完整的名称；运行 kpzf units 查看全部单位和单位组",
        )
    raise NotInPlan(
        f"找不到单位“{name}”" + (f"，是否指：{shown}？" if candidates else ""),
        hint="运行 kpzf units 查看全部单位、单位组及其别名",
    )


def find_single_unit(plan: LoadedPlan, name: str, option: str = "--unit") -> str:
    """Like `find_unit`, but a group is refused: progress and per-unit sheets need one unit."""
    canonical = find_unit(plan, name)
    if plan.registry.is_group(canonical):
        members = plan.registry.in_order(plan.registry.expand(canonical))
        raise NotInPlan(
            f"“{canonical}”是单位组，{option} 需要一个具体单位",
            hint=f"例如：{'、'.join(members[:3])}",
        )
    return canonical


def scope(plan: LoadedPlan, unit: str | Scope | None) -> Scope | None:
    """A --unit filter as typed (or already resolved) → its Scope; None means everyone."""
    if unit is None or isinstance(unit, Scope):
        return unit
    canonical = find_unit(plan, unit)
    return Scope(canonical, plan.registry.expand(canonical))


def check_area(plan: LoadedPlan, area: int | None) -> None:
    if area is None:
        return
    numbers = [a.number for a in plan.model.areas]
    if area not in numbers:
        raise NotInPlan(
            f"没有重点任务 {area}",
            hint=f"重点任务序号为 {min(numbers, default=0)} 至 {max(numbers, default=0)}",
        )


def find_measure(plan: LoadedPlan, number: int) -> ResolvedMeasure:
    measure = plan.measures.get(number)
    if measure is None:
        raise NotInPlan(
            f"没有措施 {number}",
            hint=f"措施序号为 {min(plan.measures, default=0)} 至 {max(plan.measures, default=0)}"
            "（65、66 为组织实施中的中期、终期评估）",
        )
    return measure
