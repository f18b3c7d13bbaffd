"""Column detection by header words, and the --columns mapping with its errors."""

from __future__ import annotations

import pytest

from kpzf.errors import UsageError
from kpzf.importer import Role, SourceError, parse_columns
from kpzf.importer.columns import column_letter, match_header, resolve_columns

R = Role


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # Kaiping
        (["重点任务", "具体任务", "主要措施", "责任单位", "完成时限", "进度情况"],
         {R.AREA: 0, R.TASK: 1, R.MEASURE: 2, R.UNITS: 3, R.DEADLINE: 4, R.PROGRESS: 5}),
        # 方城县-style: two levels
        (["重点任务", "具体工作措施", "责任单位", "完成时限"], {R.AREA: 0, R.MEASURE: 1, R.UNITS: 2, R.DEADLINE: 3}),
        # 序号｜任务｜牵头单位｜配合单位｜完成时限
        (["序号", "任务", "牵头单位", "配合单位", "完成时限"],
         {R.NUMBER: 0, R.MEASURE: 1, R.LEAD: 2, R.ASSIST: 3, R.DEADLINE: 4}),
        # decorated and wrapped header cells, 时间节点, 备注
        (["序 号", "工作\n措施", "责任单位（第一个为牵头单位）", "时间节点", "备注"],
         {R.NUMBER: 0, R.MEASURE: 1, R.UNITS: 2, R.DEADLINE: 3, R.PROGRESS: 4}),
        # no measure header: the finest level is the item
        (["序号", "重点任务", "责任单位", "完成时间"], {R.NUMBER: 0, R.MEASURE: 1, R.UNITS: 2, R.DEADLINE: 3}),
    ],
)
def test_match_header(header: list[str], expected: dict[Role, int]) -> None:
    assert match_header(header) == expected


def test_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701)] == ["A", "Z", "AA", "AB", "ZZ"]


def test_parse_and_resolve() -> None:
    header = ["序号", "内容", "单位", "时间", "备注"]
    spec = parse_columns("主要措施=B，责任单位=单位,完成时限=4, 进度情况=-")
    cols = resolve_columns(header, 5, spec, "x.xlsx:Sheet1:3")
    # 序号 is still found by its header; 备注 is declared absent
    assert dict(cols.by_role) == {R.MEASURE: 1, R.UNITS: 2, R.DEADLINE: 3, R.NUMBER: 0}
    assert cols.explicit == {R.MEASURE, R.UNITS, R.DEADLINE}
    assert cols.describe(header) == "序号=A、主要措施=B（内容）、责任单位=C（单位）、完成时限=D（时间）"


def test_role_synonyms_and_english_names() -> None:
    spec = parse_columns("具体工作措施=C,units=D")
    assert spec.entries == ((R.MEASURE, "C"), (R.UNITS, "D"))
    assert spec.positional


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("措施C", "--columns 中的“措施C”应写成“列名=列”"),
        ("内容=C", "--columns 中的“内容”不是可识别的列名"),
        ("主要措施=C,工作措施=D", "--columns 中“主要措施”出现了两次"),
        ("", "--columns 为空"),
    ],
)
def test_bad_specs(spec: str, message: str) -> None:
    with pytest.raises(UsageError) as exc:
        parse_columns(spec)
    assert exc.value.message == message
    assert exc.value.exit_code == 2


def test_references_outside_the_table() -> None:
    header = ["序号", "措施", "单位"]
    with pytest.raises(UsageError) as exc:
        resolve_columns(header, 3, parse_columns("主要措施=F"), "a.csv:1")
    assert exc.value.message == "a.csv:1: --columns 中的列“F”超出表格范围（共 3 列，A–C）"
    with pytest.raises(UsageError) as exc:
        resolve_columns(header, 3, parse_columns("责任单位=牵头部门"), "a.csv:1")
    assert exc.value.message == "a.csv:1: --columns 中的表头“牵头部门”找不到"
    assert exc.value.hint == "表头各列：A“序号”、B“措施”、C“单位”"


def test_required_columns() -> None:
    with pytest.raises(SourceError) as exc:
        resolve_columns(["序号", "责任单位"], 2, None, "b.xlsx:清单:2")
    assert exc.value.message.startswith("b.xlsx:清单:2: 表头中没有措施列")
    cols = resolve_columns(["序号", "备注", "单位"], 3, parse_columns("主要措施=2,责任单位=3"), "b.xlsx:清单:2")
    # a column given by --columns is not also taken by a header word (备注 → 进度情况)
    assert R.PROGRESS not in cols and cols.get(R.MEASURE) == 1
