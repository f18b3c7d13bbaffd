"""Unit cells: separators, roles, groups and alias proposals, on hand-written examples."""

from __future__ import annotations

import pytest

from kpzf.importer.units import group_kind, propose_aliases, read_unit_cell, short_forms, tidy_units


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("市司法局，各镇（街）、市直行政执法部门", [("市司法局", "责任"), ("各镇（街）", "责任"), ("市直行政执法部门", "责任")]),
        # brackets are not split, half-width brackets become full-width
        ("各县(市、区)、市直有关单位", [("各县（市、区）", "责任"), ("市直有关单位", "责任")]),
        # whitespace between whole names separates; inside a name it is a defect
        ("市司法局 市公安局  市生态环境局开平分局", [("市司法局", "责任"), ("市公安局", "责任"), ("市生态环境局开平分局", "责任")]),
        ("市公安局、市 直行政执法部门、各镇(街)", [("市公安局", "责任"), ("市直行政执法部门", "责任"), ("各镇（街）", "责任")]),
        ("各镇(街)、市直行政执法部 门", [("各镇（街）", "责任"), ("市直行政执法部门", "责任")]),
        # roles
        ("牵头单位：县司法局；配合单位：县财政局、县人社局", [("县司法局", "牵头"), ("县财政局", "配合"), ("县人社局", "配合")]),
        ("牵头单位:县司法局;配合单位:县财政局", [("县司法局", "牵头"), ("县财政局", "配合")]),
        ("县司法局牵头，县财政局、县人社局配合", [("县司法局", "牵头"), ("县财政局", "配合"), ("县人社局", "配合")]),
        ("县发改局、县财政局按职责分工分别负责", [("县发改局", "责任"), ("县财政局", "责任")]),
        ("县发改局、县财政局按职责分工负责", [("县发改局", "责任"), ("县财政局", "责任")]),
        ("县司法局（牵头）、县财政局", [("县司法局", "牵头"), ("县财政局", "责任")]),
        ("县司法局；县财政局", [("县司法局", "责任"), ("县财政局", "责任")]),
    ],
)
def test_read_unit_cell(cell: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.name, m.role) for m in read_unit_cell(cell).mentions] == expected


def test_column_role_is_the_default() -> None:
    assert [(m.name, m.role) for m in read_unit_cell("县财政局、县人社局", "配合").mentions] == [
        ("县财政局", "配合"), ("县人社局", "配合"),
    ]


def test_tidy_units_reports_space_separators() -> None:
    assert tidy_units("市司法局 市公安局") == ("市司法局、市公安局", True)
    assert tidy_units("市 交通运输局") == ("市交通运输局", False)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("各镇（街）", "镇街"), ("各镇(街)", "镇街"), ("乡镇（街道）", "镇街"), ("各乡镇（街道）", "镇街"),
        ("各乡镇人民政府", "镇街"), ("各镇（街道）人民政府（办事处）", "镇街"),
        ("市直行政执法部门", "部门"), ("县直各行政执法部门", "部门"), ("市行政执法部门", "部门"),
        ("涉及执法职权下放的市直行政执法部门", "部门"), ("各有关单位", "部门"), ("各成员单位", "部门"),
        ("其他行政执法单位", "其他"), ("各县（市、区）", "各"),
        ("赤坎镇", None), ("市公安局", None), ("市委机构编制委员会办公室", None), ("长沙街道", None),
    ],
)
def test_group_kind(name: str, kind: str | None) -> None:
    assert group_kind(name) == kind


def test_alias_proposals() -> None:
    names = ["市司法局", "开平市公安局", "市公安局", "市发展和改革局", "市发展和改革委员会", "市人社局",
             "市人力资源和社会保障局", "市行政执法部门", "市直行政执法部门", "市财政局", "市水利局"]
    got = {(p.alias, p.canonical) for p in propose_aliases(names, ["公安、水利、市场监管等部门"])}
    assert got == {
        ("开平市公安局", "市公安局"),
        ("市发展和改革委员会", "市发展和改革局"),
        ("市人社局", "市人力资源和社会保障局"),
        ("市行政执法部门", "市直行政执法部门"),
        ("水利", "市水利局"),
        # 公安 would match 市公安局 and 开平市公安局 — but the latter is an alias already
        ("公安", "市公安局"),
        # 市场监管 has no unit here: no proposal
    }


def test_no_false_pairs_among_distinct_units() -> None:
    names = ["市人民政府", "市人民政府办公室", "市财政局", "市公安局", "市交通运输局", "赤坎镇", "赤水镇"]
    assert propose_aliases(names) == []


def test_short_forms() -> None:
    assert short_forms(["实施制度，公安、生态环境、市场监管等部门要在6月底前完成。"]) == ["公安", "生态环境", "市场监管"]
