"""The 台账 rows and the plan difference, straight from core (the commands are tested in tests/cli)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PLAN

from kpzf.core.diff import diff_plans
from kpzf.core.ledger import HEADERS, ledger, spans
from kpzf.model.plan import LoadedPlan, load_plan


@pytest.fixture(scope="module")
def plan() -> LoadedPlan:
    return load_plan(PLAN)


def test_the_ledger_has_every_measure_in_the_annex_layout(plan: LoadedPlan) -> None:
    sheet = ledger(plan, dt.date(2024, 7, 1))
    assert HEADERS == ("重点任务", "具体任务", "主要措施", "责任单位", "完成时限", "进度情况")
    assert len(sheet.rows) == 66  # 64 measures and the two evaluations of section 三
    assert sheet.rows[0].area_label.startswith("（一）") and sheet.rows[0].task_label.startswith("1. ")
    assert sheet.rows[-1].area_label == "组织实施" and sheet.rows[-1].task_label == ""
    # Nothing recorded: only milestones past due speak (measure 20: due 2024-01-31, 14 units).
    row20 = next(row for row in sheet.rows if row.measure == 20)
    assert row20.progress == "逾期，已完成 0/14" and row20.overdue
    before = ledger(plan, dt.date(2024, 1, 1))  # before any due date: the blank official form
    assert all(row.progress == "" and not row.overdue for row in before.rows)
    # 6 重点任务 and one block for 组织实施; 19 具体任务 and the same block.
    assert len(spans(sheet.rows, 0)) == 7
    assert len(spans(sheet.rows, 1)) == 20


def test_a_unit_sheet_lists_only_its_measures(plan: LoadedPlan) -> None:
    sheet = ledger(plan, dt.date(2024, 7, 1), "市公安局")
    assert sheet.unit == "市公安局"
    assert all("市公安局" in plan.measures[row.measure].responsible for row in sheet.rows)
    assert 39 in [row.measure for row in sheet.rows]


def test_a_plan_compared_with_itself_has_no_changes(plan: LoadedPlan) -> None:
    result = diff_plans(plan, load_plan(PLAN))
    assert not result.changed and result.milestones == [] and result.progress_added == []
