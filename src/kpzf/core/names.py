"""What a person types, resolved against the plan: a unit or group, a measure, an area."""

from __future__ import annotations

import re
import unicodedata

from ..errors import NotInPlan
from ..model.models import Group, Unit
from ..model.plan import LoadedPlan
from ..model.registry import normalize_name
from ..model.resolve import ResolvedMeasure, outline
from ..records import record

MAX_CANDIDATES = 10


@record
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


def unit_terms(plan: LoadedPlan) -> frozenset[str]:
    """Every name and alias of the registry: words a table must never break across lines."""
    registry = plan.registry
    entries: list[Unit | Group] = [*registry.units.values(), *registry.groups.values()]
    return frozenset(n for e in entries for n in (e.name, *e.aliases) if len(n) > 1)


def scope(plan: LoadedPlan, unit: str | Scope | None) -> Scope | None:
    """A --unit filter as typed (or already resolved) → its Scope; None means everyone."""
    if unit is None or isinstance(unit, Scope):
        return unit
    canonical = find_unit(plan, unit)
    return Scope(canonical, plan.registry.expand(canonical))


def check_area(plan: LoadedPlan, area: int | None) -> None:
    if area is None:
        return
    numbers = [a.heading.ordinal for a in outline(plan.measures)]
    if area not in numbers:
        raise NotInPlan(
            f"没有重点任务 {area}",
            hint=f"重点任务序号为 {min(numbers, default=0)} 至 {max(numbers, default=0)}",
        )


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


def parse_measure_number(value: str, last: int | None = None) -> int:
    """A measure number as people write it: 30, （30）, (30), 措施30, 第30项, 三十, 措施三十."""
    from ..io.yaml_rules import clip  # (imports PyYAML: only when a number is refused)

    text = unicodedata.normalize("NFKC", value).strip()
    match = _MEASURE_WORDS.fullmatch(text)  # NFKC made （３０） into (30)
    if match and match["n"].isdigit() and len(match["n"].lstrip("0")) > 9:
        # Python will not even convert a number of 4,300 digits; no plan has a billion measures.
        raise NotInPlan(
            f"措施序号“{clip(value)}”过大，没有这项措施",
            hint=f"措施序号为 1 至 {last}" if last else "",
        )
    number = _chinese_number(match["n"]) if match else None
    if number is None:
        span = f"措施序号为 1 至 {last}，" if last else ""
        raise NotInPlan(
            f"措施序号“{clip(value)}”不是整数，也不是“措施30”“（30）”这样的写法",
            hint=f"{span}可以写成 30、措施30、（30）或 三十",
        )
    return number


def find_measure(plan: LoadedPlan, number: int | str) -> ResolvedMeasure:
    """The measure a person named: a number, or text such as 措施30 or （30）."""
    if isinstance(number, str) and plan.number_of(number.strip()) is not None:
        number = plan.number_of(number.strip()) or 0
    elif isinstance(number, str):
        number = parse_measure_number(number, max(plan.measures, default=0))
    measure = plan.measures.get(number)
    if measure is None:
        raise NotInPlan(
            f"没有措施 {number}",
            hint=_measure_range(plan),
        )
    return measure


def _measure_range(plan: LoadedPlan) -> str:
    """措施编号为 1 至 66, or the first and last ids of a plan with dotted ids."""
    ids = [m.id for m in plan.measures.values()]
    if not ids:
        return ""
    return f"措施编号为 {ids[0]} 至 {ids[-1]}"
