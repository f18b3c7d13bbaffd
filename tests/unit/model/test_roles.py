"""Unit roles read from unit text (model/roles.py, the one rule) and resolved onto measures.

Expected roles are read off the phrases by hand: a role label (牵头单位：/配合单位：/责任单位：)
gives its role to the units after it; "…牵头"/"…配合"/"…按职责分工（分别）负责" to the units
of its clause; a unit with no role word is responsible.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kpzf.model.plan import load_plan
from kpzf.model.roles import ASSIST, LEAD, RESPONSIBLE, read_roles

L, A, R = LEAD, ASSIST, RESPONSIBLE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("县司法局牵头", [("县司法局", L)]),
        ("县人社局配合", [("县人社局", A)]),
        ("牵头单位：县财政局；配合单位：县人社局、县税务局", [("县财政局", L), ("县人社局", A), ("县税务局", A)]),
        # 嘉鱼 2021 (docs/sources/jiayu-2021): half-width punctuation, a bracket inside a unit name
        (
            "牵头单位:县发改局(粮食局);责任单位:各镇人民政府,嘉鱼经济开发区",
            [("县发改局(粮食局)", L), ("各镇人民政府", R), ("嘉鱼经济开发区", R)],
        ),
        (
            "[牵头单位:县发改局(粮食局);责任单位:各镇人民政府,嘉鱼经济开发区]",
            [("县发改局(粮食局)", L), ("各镇人民政府", R), ("嘉鱼经济开发区", R)],
        ),
        ("县司法局牵头，县人社局配合", [("县司法局", L), ("县人社局", A)]),
        ("县司法局、县公安局按职责分工负责", [("县司法局", R), ("县公安局", R)]),
        ("县司法局、县公安局按职责分工分别负责", [("县司法局", R), ("县公安局", R)]),
        ("县司法局（牵头）、县公安局", [("县司法局", L), ("县公安局", R)]),
        # Kaiping: no role words at all — every unit responsible, brackets kept in names
        ("市司法局，各镇（街）、市直行政执法部门", [("市司法局", R), ("各镇（街）", R), ("市直行政执法部门", R)]),
    ],
)
def test_read_roles(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.name, m.role) for m in read_roles(text).mentions] == expected


def test_read_roles_says_whether_any_role_word_was_found() -> None:
    assert read_roles("县司法局牵头").worded
    assert not read_roles("市司法局，各镇（街）").worded


def test_the_importer_reads_roles_with_the_same_rule() -> None:
    from kpzf.importer.units import read_unit_cell

    cell = read_unit_cell("牵头单位:县发改局(粮食局);责任单位:各镇人民政府,嘉鱼经济开发区")
    # the importer tidies names (full-width brackets) and says roles in Chinese
    assert [(m.name, m.role) for m in cell.mentions] == [
        ("县发改局（粮食局）", "牵头"), ("各镇人民政府", "责任"), ("嘉鱼经济开发区", "责任"),
    ]


HEAD = """\
version: 1
meta:
  title: 某县工作方案
  doc_number: 某政办〔2024〕1号
  issuer: 某县人民政府办公室
  issued: "2024-02-01"
  period: {start: "2024-01-01", end: "2025-12-31"}
units:
  - name: 县司法局
  - name: 县财政局
  - name: 县人社局
    aliases: [人社局]
  - name: 县税务局
  - name: 县公安局
  - name: 甲镇
  - name: 乙镇
groups:
  - name: 各乡镇
    members: [甲镇, 乙镇]
"""


def _plan(tmp_path: Path, measures: str, extra: str = "") -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(
        HEAD + extra + "areas:\n  - number: 1\n    title: 一\n    tasks:\n      - number: 1\n"
        "        title: 一\n        measures:\n" + measures,
        encoding="utf-8",
    )
    return path


def _measure(number: int, units: str, refs: str, deadline: str = "2024年6月底前", more: str = "") -> str:
    return (
        f"          - number: {number}\n            text: 措施{number}。\n            units: {units}\n"
        f"            unit_refs: [{refs}]\n            deadline: {deadline}\n{more}"
    )


def test_roles_from_text_fields_and_groups(tmp_path: Path) -> None:
    measures = (
        _measure(1, "牵头单位：县财政局；配合单位：县人社局、县税务局", "县财政局, 县人社局, 县税务局")
        + _measure(2, "县司法局牵头，各乡镇配合", "县司法局, 各乡镇")
        + _measure(3, "县司法局、县公安局", "县司法局, 县公安局",
                   more="            lead: [县公安局]\n            assist: [县司法局]\n")
        # the fields decide; a unit_ref not in them is responsible
        + _measure(4, "县司法局牵头，县公安局", "县司法局, 县公安局", more="            lead: [县司法局]\n")
        # role words in unit_refs themselves: 县人社局配合 is 县人社局 assisting
        + _measure(5, "县财政局牵头，人社局配合", "县财政局牵头, 人社局配合")
    )
    plan = load_plan(_plan(tmp_path, measures))
    m = plan.measures
    assert m[1].roles == {"县财政局": L, "县人社局": A, "县税务局": A}
    assert m[1].owners == {"县财政局"}
    assert m[1].responsible == {"县财政局", "县人社局", "县税务局"}  # all record progress
    assert m[2].roles == {"县司法局": L, "甲镇": A, "乙镇": A}
    assert m[2].ref_roles == {"县司法局": L, "各乡镇": A}
    assert m[3].roles == {"县公安局": L, "县司法局": A}
    assert m[4].roles == {"县司法局": L, "县公安局": R}
    assert m[4].owners == {"县司法局", "县公安局"}
    assert m[5].roles == {"县财政局": L, "县人社局": A}
    assert m[5].milestones[0].owed_by == {"县财政局"}
    assert m[5].milestones[0].units == {"县财政局", "县人社局"}


def test_a_unit_named_directly_keeps_its_own_role_over_its_groups(tmp_path: Path) -> None:
    # 甲镇 assists by name; through 各乡镇 it would be responsible: the direct mention decides
    measures = _measure(1, "县司法局牵头，甲镇配合，各乡镇按职责分工负责", "县司法局, 甲镇, 各乡镇")
    plan = load_plan(_plan(tmp_path, measures))
    assert plan.measures[1].roles == {"县司法局": L, "甲镇": A, "乙镇": R}


def test_assist_owes_makes_assisting_units_owners(tmp_path: Path) -> None:
    measures = _measure(1, "县财政局牵头，县人社局配合", "县财政局, 县人社局")
    plan = load_plan(_plan(tmp_path, measures, "assist_owes: true\n"))
    assert plan.measures[1].owners == {"县财政局", "县人社局"}


def test_a_milestone_naming_only_assisting_units_is_theirs(tmp_path: Path) -> None:
    # "（县人社局）" assigns the first milestone to the assisting unit: it owes that one only
    deadline = "2024年3月底前报送方案（县人社局），2024年6月底前完成"
    measures = _measure(1, "县财政局牵头，县人社局配合", "县财政局, 县人社局", deadline)
    plan = load_plan(_plan(tmp_path, measures))
    first, second = plan.measures[1].milestones
    assert first.owed_by == {"县人社局"}
    assert second.owed_by == {"县财政局"}


def test_kaiping_has_no_roles_every_unit_is_responsible_and_owes() -> None:
    from conftest import PLAN

    plan = load_plan(PLAN)
    for measure in plan.measures.values():
        assert set(measure.roles.values()) == {R}
        assert measure.owners == measure.responsible
        for milestone in measure.milestones:
            assert milestone.owed_by == milestone.units
