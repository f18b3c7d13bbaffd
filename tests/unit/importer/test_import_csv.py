"""CSV 台账 in UTF-8 with BOM (Excel's "CSV UTF-8") and in GB18030 (Excel's default "CSV" on
a Chinese Windows), detected without a guessing library."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpzf.importer import SourceError, analyse, read_table

CSV = (
    "序号,重点任务,工作措施,责任单位,完成时限,备注\n"
    '1,一、优化营商环境,"推行“一网通办”，\n实现全流程网上办理。",县政务服务和数据管理局,2024年底前,\n'
    "2,,清理涉企收费项目。,县发展改革局、县财政局,2024年9月30日前,\n"
    "3,二、加强执法监督,开展执法案卷评查。,县司法局（牵头）、县直各行政执法部门,每半年,已启动\n"
)
EXPECTED = [
    ("1", "一、优化营商环境", "推行“一网通办”，实现全流程网上办理。", "县政务服务和数据管理局", "2024年底前", ""),
    ("2", "一、优化营商环境", "清理涉企收费项目。", "县发展改革局、县财政局", "2024年9月30日前", ""),
    ("3", "二、加强执法监督", "开展执法案卷评查。", "县司法局（牵头）、县直各行政执法部门", "每半年", "已启动"),
]


def _rows(path: Path) -> list[tuple[str, ...]]:
    a = analyse(path)
    return [
        (r.row.number, r.row.levels[0].label + r.row.levels[0].title, r.row.text, r.row.units, r.row.deadline, r.row.progress)
        for r in a.rows
    ]


@pytest.mark.parametrize(
    ("encoding", "reported"), [("utf-8-sig", "UTF-8（带 BOM）"), ("utf-8", "UTF-8"), ("gb18030", "GB18030")]
)
def test_encodings(tmp_path: Path, encoding: str, reported: str) -> None:
    path = tmp_path / "台账.csv"
    path.write_bytes(CSV.encode(encoding))
    assert _rows(path) == EXPECTED
    (note,) = analyse(path).report.by_code("encoding")
    assert note.message.startswith(f"按 {reported} 编码读取")


def test_a_quoted_cell_across_lines_keeps_its_start_line(tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_bytes(CSV.encode("gb18030"))
    rows = read_table(path).rows
    # record 1 spans lines 2–3, so record 2 starts on line 4
    assert [r.origin.row for r in rows] == [2, 4, 5]


def test_roles_in_the_units_cell(tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_bytes(CSV.encode("utf-8"))
    a = analyse(path)
    assert a.rows[2].mentions == (("县司法局", "牵头"), ("县直各行政执法部门", "责任"))


def test_neither_utf8_nor_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "坏.csv"
    # 0x80 alone is invalid in UTF-8 and a lead byte with no trail in GB18030
    path.write_bytes("序号,工作措施,责任单位\n".encode() + b"1,\x80\xff,x\n")
    with pytest.raises(SourceError) as exc:
        read_table(path)
    assert exc.value.message.startswith(f"{path}:2: 无法识别文件编码")
    assert exc.value.exit_code == 2


def test_missing_unit_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "缺列.csv"
    path.write_text("序号,工作措施,完成时限\n1,开展培训。,2024年底前\n", encoding="utf-8")
    with pytest.raises(SourceError) as exc:
        analyse(path)
    assert exc.value.message == (
        f"{path}:1: 表头中没有单位列（责任单位/牵头单位/配合单位），"
        "措施末尾也没有“（牵头单位：…；责任单位：…）”；表头为：序号、工作措施、完成时限"
    )
    assert "--columns" in exc.value.hint


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as exc:
        read_table(tmp_path / "无.csv")
    assert exc.value.message.endswith("无.csv: 文件不存在")


def test_heading_rows_of_two_levels(tmp_path: Path) -> None:
    path = tmp_path / "标题行.csv"
    path.write_text(
        "序号,工作措施,责任单位,完成时限\n"
        "一、制度建设,,,\n"
        "（一）监督制度,,,\n"
        "1,制定办法。,区司法局,2024年9月底前\n"
        "（二）裁量基准,,,\n"
        "2,修订基准。,区司法局,2024年12月底前\n"
        "二、能力建设,,,\n"
        "3,组织轮训。,区司法局,每年12月底前\n",
        encoding="utf-8",
    )
    got = [(r.row.number, tuple(h.label + h.title for h in r.row.levels)) for r in analyse(path).rows]
    assert got == [
        ("1", ("一、制度建设", "（一）监督制度")),
        ("2", ("一、制度建设", "（二）裁量基准")),
        ("3", ("二、能力建设",)),
    ]


def test_units_at_the_end_of_the_measure_text(tmp_path: Path) -> None:
    """A two-level 责任分解 without a unit column (as 嘉鱼县's, docs/sources/jiayu-2021): each
    item ends with its units in brackets, square ones when a unit name has parentheses."""
    path = tmp_path / "分解.csv"
    path.write_text(
        "序号,工作内容\n"
        "一、主要目标,\n"
        '（一）,"地区生产总值增长8%。[牵头单位:县发改局(粮食局);责任单位:各镇人民政府,县经济开发区]"\n'
        '（二）,"一般公共预算收入增长6%。(牵头单位:县财政局;责任单位:县税务局,各镇人民政府)"\n',
        encoding="utf-8",
    )
    a = analyse(path)
    got = [(r.row.number, r.row.levels[0].title, r.row.text, r.mentions) for r in a.rows]
    assert got == [
        ("1", "主要目标", "地区生产总值增长8%。",
         (("县发改局（粮食局）", "牵头"), ("各镇人民政府", "责任"), ("县经济开发区", "责任"))),
        ("2", "主要目标", "一般公共预算收入增长6%。",
         (("县财政局", "牵头"), ("县税务局", "责任"), ("各镇人民政府", "责任"))),
    ]
    assert len(a.report.by_code("embedded-units")) == 1
    assert len(a.report.by_code("no-deadline-column")) == 1
    (alias,) = a.report.by_code("alias")
    assert alias.detail == ("县粮食局", "县发改局（粮食局）")
    assert {f.subject.key for f in a.report.by_code("group-members")} == {"各镇人民政府"}
