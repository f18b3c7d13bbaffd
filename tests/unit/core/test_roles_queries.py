"""Queries that know unit roles: lead and responsible units owe, assisting units are 配合.

Small plans built here; every expected answer is worked out by hand from the plan text:
due 2024-06-30 queried on 2024-07-01 is 1 day overdue, due 2024-03-31 is 92 days overdue
(April 30 + May 31 + June 30 + 1).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from unit.model.test_roles import _measure, _plan

from kpzf.core import queries as q
from kpzf.core.report import report
from kpzf.errors import InvalidQuery
from kpzf.model.plan import LoadedPlan, load_plan

ON = dt.date(2024, 7, 1)

MEASURES = (
    # the bug: a lead and two assisting units; the lead has finished
    _measure(1, "牵头单位：县财政局；配合单位：县人社局、县税务局", "县财政局, 县人社局, 县税务局")
    + _measure(2, "县司法局牵头，县公安局配合", "县司法局, 县公安局", "2024年3月底前")
    + _measure(3, "县司法局、县公安局按职责分工分别负责", "县司法局, 县公安局", "2024年3月底前")
)
PROGRESS = """\
progress:
  - {measure: 1, unit: 县财政局, status: 已完成, date: "2024-06-20", note: 见某财〔2024〕1号}
  - {measure: 1, unit: 县人社局, status: 推进中, date: "2024-06-25"}
"""


def _load(tmp_path: Path, extra: str = "") -> LoadedPlan:
    path = _plan(tmp_path, MEASURES, extra)
    path.write_text(path.read_text(encoding="utf-8") + PROGRESS, encoding="utf-8")
    return load_plan(path)


@pytest.fixture
def plan(tmp_path: Path) -> LoadedPlan:
    return _load(tmp_path)


def test_after_the_lead_finished_nothing_of_the_measure_is_overdue(plan: LoadedPlan) -> None:
    rows = q.overdue(plan, ON)
    assert [(r.measure, r.units, r.days) for r in rows] == [
        (2, ("县司法局",), 92),  # the lead owes; 县公安局 assists
        (3, ("县司法局", "县公安局"), 92),  # both responsible
    ]
    assert rows[0].roles == ("lead",) and rows[0].assist == ("县公安局",)
    assert rows[1].roles == ("responsible", "responsible") and rows[1].assist == ()
    assert 1 not in {r.measure for r in rows}  # before roles: 县人社局 and 县税务局 were overdue


def test_role_filters(plan: LoadedPlan) -> None:
    lead = q.overdue(plan, ON, role="lead")
    assert [(r.measure, r.units) for r in lead] == [(2, ("县司法局",))]
    assist = q.overdue(plan, ON, role="assist")
    # 县人社局 is 推进中 (not closed), 县税务局 never reported
    assert [(r.measure, r.units, r.units_total) for r in assist] == [
        (2, ("县公安局",), 1),
        (1, ("县人社局", "县税务局"), 2),
    ]
    everyone = q.overdue(plan, ON, role="all")
    assert [(r.measure, r.units, r.units_total) for r in everyone] == [
        (2, ("县司法局", "县公安局"), 2),
        (3, ("县司法局", "县公安局"), 2),
        (1, ("县人社局", "县税务局"), 3),
    ]
    responsible = q.overdue(plan, ON, role="responsible")
    assert [(r.measure, r.units) for r in responsible] == [(3, ("县司法局", "县公安局"))]
    with pytest.raises(InvalidQuery):
        q.overdue(plan, ON, role="boss")


def test_assist_owes_counts_assisting_units(tmp_path: Path) -> None:
    plan = _load(tmp_path, "assist_owes: true\n")
    rows = q.overdue(plan, ON)
    assert [(r.measure, r.units) for r in rows] == [
        (2, ("县司法局", "县公安局")),
        (3, ("县司法局", "县公安局")),
        (1, ("县人社局", "县税务局")),
    ]


def test_unit_shows_the_role_of_each_duty(plan: LoadedPlan) -> None:
    police = q.unit_duties(plan, "县公安局", ON)
    assert [(d.measure, d.role, d.overdue, d.status) for d in police.duties] == [
        (2, "assist", False, "未开始"),  # assisting: open, never overdue
        (3, "responsible", True, "逾期"),
    ]
    justice = q.unit_duties(plan, "县司法局", ON)
    assert [(d.measure, d.role, d.overdue) for d in justice.duties] == [
        (2, "lead", True),
        (3, "responsible", True),
    ]
    hr = q.unit_duties(plan, "人社局", ON)
    assert [(d.measure, d.role, d.overdue, d.status) for d in hr.duties] == [(1, "assist", False, "推进中")]


def test_the_report_counts_owners_obligations_only(plan: LoadedPlan) -> None:
    rows = {r.key: r for r in report(plan, ON).rows}
    # 县人社局 and 县税务局 only assist: no obligations; 县财政局 owes one and closed it
    assert rows["县人社局"].obligations == 0 and rows["县税务局"].obligations == 0
    assert (rows["县财政局"].obligations, rows["县财政局"].completed) == (1, 1)
    # 县司法局: measure 2 (lead) and 3; 县公安局: measure 3 only
    assert (rows["县司法局"].obligations, rows["县司法局"].overdue) == (2, 2)
    assert (rows["县公安局"].obligations, rows["县公安局"].overdue) == (1, 1)


JIAYU_HEAD_UNITS = """\
version: 1
meta:
  title: 县《政府工作报告》确定的2021年重点工作责任分解
  doc_number: 嘉政办发〔2021〕5号
  issuer: 嘉鱼县人民政府办公室
  issued: "2021-05-12"
  period: {start: "2021-01-01", end: "2021-12-31"}
units:
  - name: 县发改局(粮食局)
  - name: 县财政局
  - name: 县科经局
  - name: 县税务局
  - name: 嘉鱼经济开发区
  - name: 某镇
groups:
  - name: 各镇人民政府
    members: [某镇]  # 成员未在存档部分列出（待确认）；此处只放一个示意成员
areas:
  - number: 1
    title: 2021年经济社会发展主要目标
    tasks:
      - number: 1
        title: 主要目标
        measures:
"""
# 嘉鱼's items with their units as published; 原文无完成时限 — the test plan takes the choice
# docs/sources/jiayu-2021/expected.md works through: 2021年底前 for every item.
JIAYU_ITEMS = [
    (1, "地区生产总值增长11%", "县发改局(粮食局)", "各镇人民政府,嘉鱼经济开发区"),
    (2, "地方公共预算收入增长32%", "县财政局", "县税务局,各镇人民政府,嘉鱼经济开发区"),
    (3, "规模以上工业增加值增长11.5%", "县科经局", "各镇人民政府,嘉鱼经济开发区"),
    (4, "固定资产投资增长12%", "县发改局(粮食局)", "各镇人民政府,嘉鱼经济开发区"),
    (5, "社会消费品零售总额增长16%、外贸进出口总额增长16%", "县科经局", "各镇人民政府,嘉鱼经济开发区"),
]


@pytest.fixture
def jiayu(tmp_path: Path) -> LoadedPlan:
    body = JIAYU_HEAD_UNITS
    for number, text, lead, resp in JIAYU_ITEMS:
        body += (
            f"          - number: {number}\n            text: {text}\n"
            f"            units: \"牵头单位:{lead};责任单位:{resp}\"\n"
            f"            unit_refs: [\"{lead}\", {', '.join(resp.split(','))}]\n"
            f"            deadline: 2021年底前\n"
        )
    path = tmp_path / "jiayu.yaml"
    path.write_text(body, encoding="utf-8")
    return load_plan(path)


def test_jiayu_roles_read_from_the_published_unit_text(jiayu: LoadedPlan) -> None:
    assert jiayu.measures[2].ref_roles == {
        "县财政局": "lead", "县税务局": "responsible", "各镇人民政府": "responsible",
        "嘉鱼经济开发区": "responsible",
    }


def test_jiayu_overdue_as_worked_out_in_expected_md(jiayu: LoadedPlan) -> None:
    on = dt.date(2022, 1, 10)
    rows = q.overdue(jiayu, on)
    # lead and responsible units both owe (expected.md: 牵头（欠）and 责任（欠）)
    assert [(r.measure, r.units_grouped) for r in rows] == [
        (1, ("县发改局(粮食局)", "嘉鱼经济开发区", "各镇人民政府")),
        (2, ("县财政局", "县税务局", "嘉鱼经济开发区", "各镇人民政府")),
        (3, ("县科经局", "嘉鱼经济开发区", "各镇人民政府")),
        (4, ("县发改局(粮食局)", "嘉鱼经济开发区", "各镇人民政府")),
        (5, ("县科经局", "嘉鱼经济开发区", "各镇人民政府")),
    ]
    lead = q.overdue(jiayu, on, role="lead")
    assert [(r.measure, r.units) for r in lead] == [
        (1, ("县发改局(粮食局)",)), (2, ("县财政局",)), (3, ("县科经局",)),
        (4, ("县发改局(粮食局)",)), (5, ("县科经局",)),
    ]
    assert q.overdue(jiayu, dt.date(2021, 12, 31)) == []  # strictly after the due date


def test_jiayu_unit_duties_of_a_lead_and_of_a_group(jiayu: LoadedPlan) -> None:
    sci = q.unit_duties(jiayu, "县科经局", dt.date(2021, 6, 1))
    assert [(d.measure, d.role) for d in sci.duties] == [(3, "lead"), (5, "lead")]
    towns = q.unit_duties(jiayu, "各镇人民政府", dt.date(2021, 6, 1))
    assert [(d.measure, d.role) for d in towns.duties] == [(n, "responsible") for n in range(1, 6)]


def test_show_counts_completion_by_the_owners(plan: LoadedPlan) -> None:
    from kpzf.core.show import show

    [milestone] = show(plan, 1, ON).milestones
    # 县财政局 (lead) closed it: complete, though 县人社局 is 推进中 and 县税务局 never reported
    assert milestone.complete and not milestone.overdue
    assert milestone.owed == ("县财政局",) and milestone.owing == ()
    assert [(s.unit, s.status, s.role) for s in milestone.statuses] == [
        ("县财政局", "已完成", "lead"), ("县人社局", "推进中", "assist"), ("县税务局", "未开始", "assist"),
    ]
