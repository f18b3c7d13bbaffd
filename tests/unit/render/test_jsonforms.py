"""One JSON form per domain object: the keys users script against, in their documented order."""

from __future__ import annotations

import pytest
from conftest import PLAN
from handworked import DEPARTMENTS, TOWNS

from kpzf.core.queries import unit_listing
from kpzf.model.plan import LoadedPlan, load_plan
from kpzf.render.jsonforms import group_json, measure_brief_json, measure_json, plan_json


@pytest.fixture(scope="module")
def plan() -> LoadedPlan:
    return load_plan(PLAN)


def test_a_measure_in_full_and_in_brief(plan: LoadedPlan) -> None:
    measure = plan.measures[39]
    full = measure_json(plan, measure)
    assert list(full) == [
        "id", "section", "area", "area_title", "task", "task_title", "text", "units",
        "unit_refs", "responsible", "deadline", "milestones", "ongoing", "undated", "roles",
    ]  # fmt: skip
    assert full["responsible"] == DEPARTMENTS + TOWNS  # 28 units, in registry order
    assert full["milestones"][0]["units"] == ["市公安局", "市交通运输局"]
    brief = measure_brief_json(measure)
    assert brief == {
        "measure": 39,
        "text": full["text"],
        "units": full["units"],
        "unit_refs": full["unit_refs"],
        "deadline": full["deadline"],
    }


def test_groups_count_their_measures_except_in_the_export(plan: LoadedPlan) -> None:
    listing = unit_listing(plan)
    towns = next(g for g in listing.groups if g.name == "各镇（街）")
    assert "measures" in group_json(towns) and "measures" not in group_json(towns, measures=False)
    exported = plan_json(plan, listing)
    assert [g["name"] for g in exported["groups"]] == [g.name for g in listing.groups]
    assert list(exported) == ["meta", "areas", "measures", "implementation", "units", "groups", "progress"]
