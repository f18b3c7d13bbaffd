"""The warnings `validate` shows (checks.WARNINGS): small plans, expected warnings read off by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from unit.model.test_roles import _measure, _plan

from kpzf.checks import run_checks, run_warnings, validate_file
from kpzf.errors import EXIT_INVALID, EXIT_OK, WARNING
from kpzf.model.plan import load_plan

TODAY = dt.date(2024, 7, 1)


def test_milestone_units_outside_the_measure_and_a_unit_left_out(tmp_path: Path) -> None:
    # units 县财政局、县司法局; the first milestone names 县人社局 (not a unit of the measure)
    # and the second 县财政局 only: 县司法局 is in no milestone and would owe nothing
    deadline = "2024年3月底前报送（县财政局、县人社局），2024年6月底前完成（县财政局）"
    path = _plan(tmp_path, _measure(1, "县财政局、县司法局", "县财政局, 县司法局", deadline))
    plan = load_plan(path)
    assert run_checks(plan, TODAY) == []  # no errors: queries and record accept the plan
    warnings = sorted(run_warnings(plan, TODAY), key=lambda w: w.code)
    assert [(w.code, w.severity) for w in warnings] == [
        ("milestone-unit-outside", WARNING),
        ("unit-without-milestone", WARNING),
    ]
    assert "“县人社局”不是本措施的单位" in warnings[0].message
    assert "县司法局不在任何节点中" in warnings[1].message
    # both at the deadline's value: HEAD is 19 lines, the area/task/measures keys 7 more, the
    # measure's number, text, units, unit_refs lines 27–30: deadline on line 31, after 22 characters
    assert {(w.line, w.column) for w in warnings} == {(31, 23)}
    assert validate_file(path, "plan.yaml", TODAY).exit_code == EXIT_OK
    assert validate_file(path, "plan.yaml", TODAY, strict=True).exit_code == EXIT_INVALID


def test_an_unknown_unit_in_a_milestone_is_a_warning_not_silence(tmp_path: Path) -> None:
    deadline = "2024年3月底前报送（县财政局、县某某局），2024年6月底前完成"
    plan = load_plan(_plan(tmp_path, _measure(1, "县财政局、县司法局", "县财政局, 县司法局", deadline)))
    [warning] = run_warnings(plan, TODAY)
    assert warning.code == "milestone-unit-outside" and "“县某某局”不在单位名录中" in warning.message


def test_a_plan_whose_milestones_cover_every_unit_has_no_warnings(tmp_path: Path) -> None:
    deadline = "2024年3月底前报送（县财政局），2024年6月底前完成（县司法局）"
    plan = load_plan(_plan(tmp_path, _measure(1, "县财政局、县司法局", "县财政局, 县司法局", deadline)))
    assert run_warnings(plan, TODAY) == []


def test_an_assisting_unit_left_out_of_per_unit_milestones_is_not_warned(tmp_path: Path) -> None:
    # 县人社局 assists: it owes nothing anyway, so leaving it out of the milestones is normal
    deadline = "2024年6月底前完成（县财政局）"
    plan = load_plan(_plan(tmp_path, _measure(1, "县财政局牵头，县人社局配合", "县财政局, 县人社局", deadline)))
    assert run_warnings(plan, TODAY) == []


def test_kaiping_has_no_warnings() -> None:
    from conftest import PLAN

    assert run_warnings(load_plan(PLAN), TODAY) == []
