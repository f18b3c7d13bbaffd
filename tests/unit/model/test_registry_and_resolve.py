"""The unit registry and resolved measures, checked against the shipped plan.yaml by hand.

Measure 39 (plan.yaml): 市公安局、市交通运输局、市直行政执法部门、各镇（街）; 2024年6月底前 for
市公安局、市交通运输局, 2024年12月底前 for 其他行政执法单位. 市直行政执法部门 has 13 departments
(市公安局 and 市交通运输局 among them) and 各镇（街） 15 towns, so 28 units owe it: 2 the first
milestone, 26 the second.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PLAN

from kpzf.model.plan import LoadedPlan, load_plan
from kpzf.model.registry import normalize_name


@pytest.fixture(scope="module")
def plan() -> LoadedPlan:
    return load_plan(PLAN)


def test_names_match_across_widths_and_spaces() -> None:
    assert normalize_name("各镇 (街)") == normalize_name("各镇（街）")


def test_registry_finds_typed_names_and_expands_groups(plan: LoadedPlan) -> None:
    registry = plan.registry
    assert registry.find("赤坎") == ("赤坎镇", [])
    assert registry.resolve("公安") == "市公安局"
    assert len(registry.expand("各镇（街）")) == 15
    assert len(registry.expand("市直行政执法部门")) == 13
    assert registry.in_order({"赤坎镇", "市公安局"}) == ["市公安局", "赤坎镇"]  # departments first


def test_measure_39_milestones_apply_to_their_own_units(plan: LoadedPlan) -> None:
    measure = plan.measures[39]
    assert len(measure.responsible) == 28
    first, second = measure.milestones
    assert (first.key, first.units) == ("2024-06-30", frozenset({"市公安局", "市交通运输局"}))
    assert second.key == "2024-12-31" and len(second.units) == 26
    assert measure.via["市公安局"] is None and measure.via["赤坎镇"] == "各镇（街）"


def test_a_milestone_is_passed_only_after_its_due_date(plan: LoadedPlan) -> None:
    first = plan.measures[39].milestones[0]
    assert not first.passed(dt.date(2024, 6, 30))
    assert first.passed(dt.date(2024, 7, 1))
    undated = plan.measures[21]  # 长期推进
    assert undated.milestones == () and undated.undated
