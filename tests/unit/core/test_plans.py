"""core.plans: a plan's name and a unit's identity across plans (README, 多个计划)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PLAN

from kpzf.core.plans import name_plans, plan_key, unit_identity
from kpzf.errors import UsageError
from kpzf.model.plan import load_plan


def test_identity_is_the_full_name_with_the_place() -> None:
    plan = load_plan(PLAN)  # issuer 开平市人民政府办公室 → place 开平市
    assert unit_identity(plan, "市公安局") == "开平市公安局"  # the level 市 becomes 开平市
    assert unit_identity(plan, "赤坎镇") == "开平市赤坎镇"
    assert unit_identity(plan, "各镇（街）") == "开平市各镇（街）"
    assert unit_identity(plan, "开平市某局") == "开平市某局"  # already with the place


def test_county_identity(tmp_path: Path) -> None:
    text = PLAN.read_text(encoding="utf-8").replace("issuer: 开平市人民政府办公室", "issuer: 方城县人民政府办公室")
    county = tmp_path / "fangcheng.yaml"
    county.write_text(text, encoding="utf-8")
    plan = load_plan(county)
    assert unit_identity(plan, "县司法局") == "方城县司法局"
    assert plan_key(plan) == "fangcheng"


def test_same_name_twice_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "plan.yaml").write_bytes(PLAN.read_bytes())
    plans = [load_plan(tmp_path / f / "plan.yaml", f"{f}/plan.yaml") for f in ("a", "b")]
    with pytest.raises(UsageError, match="两个计划同名“plan”：a/plan.yaml 与 b/plan.yaml"):
        name_plans(plans)
