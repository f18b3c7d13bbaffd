"""The 台账's labels and the names a person types, each resolved in one place."""

from __future__ import annotations

import pytest
from conftest import PLAN

from kpzf.core.labels import IMPLEMENTATION, area_label, chinese_numeral, task_label
from kpzf.core.names import Scope, find_measure, find_single_unit, scope
from kpzf.errors import NotInPlan, UsageError
from kpzf.model.plan import LoadedPlan, load_plan


@pytest.fixture(scope="module")
def plan() -> LoadedPlan:
    return load_plan(PLAN)


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (6, "六"), (10, "十"), (16, "十六"), (23, "二十三")])
def test_chinese_numerals(n: int, text: str) -> None:
    assert chinese_numeral(n) == text


def test_labels_of_a_measure_and_of_an_implementation_item(plan: LoadedPlan) -> None:
    first, evaluation = plan.measures[1], plan.measures[65]
    assert area_label(first) == "（一）全面提升行政执法人员能力素质"
    assert task_label(first) == "1. 坚持党建引领"
    assert (area_label(evaluation), task_label(evaluation)) == (IMPLEMENTATION, "")
    assert IMPLEMENTATION == "组织实施"


def test_scope_resolves_a_typed_name_once(plan: LoadedPlan) -> None:
    town = scope(plan, "赤坎")
    assert town == Scope("赤坎镇", frozenset({"赤坎镇"}))
    assert scope(plan, town) is town and scope(plan, None) is None
    towns = scope(plan, "各镇(街)")
    assert towns is not None and towns.name == "各镇（街）" and len(towns.units) == 15


def test_unknown_names_are_not_in_the_plan_and_exit_2(plan: LoadedPlan) -> None:
    with pytest.raises(NotInPlan, match="找不到单位") as raised:
        scope(plan, "火星局")
    assert isinstance(raised.value, UsageError) and raised.value.exit_code == 2
    with pytest.raises(NotInPlan, match="是单位组"):
        find_single_unit(plan, "各镇（街）")
    with pytest.raises(NotInPlan, match="没有措施 67"):
        find_measure(plan, 67)
