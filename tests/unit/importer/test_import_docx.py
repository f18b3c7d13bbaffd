"""A Word 台账 of another plan, built here with python-docx: a title row spanning the table
(gridSpan), 重点任务 merged vertically (vMerge), and the table split by page breaks into three
— the second repeats the header, the third does not, continues a vMerge from the second, and
starts with the rest of a row the page break cut."""

from __future__ import annotations

from pathlib import Path

import pytest

docx = pytest.importorskip("docx")
from docx.oxml import OxmlElement  # noqa: E402

from kpzf.importer import Origin, Role, SourceError, analyse, read_table  # noqa: E402

HEADER = ("序号", "重点任务", "具体工作措施", "牵头单位", "配合单位", "完成时限")
TITLE = "示范县提升行政执法质量三年行动重点任务清单"
AREA_1 = "一、提升行政执法队伍素质"
AREA_2 = "二、规范行政执法行为"


def _fill(table, r: int, values: tuple[str, ...]) -> None:
    for c, v in enumerate(values):
        if v:
            table.cell(r, c).text = v


def _continue_vmerge(table, r: int, c: int) -> None:
    """Marks a cell as continuing the vertical merge of the cell above (across tables too)."""
    tc_pr = table._tbl.tr_lst[r].tc_lst[c].get_or_add_tcPr()
    tc_pr.append(OxmlElement("w:vMerge"))


def build(path: Path) -> Path:
    doc = docx.Document()
    doc.add_paragraph("附件")
    # table 1: title row (gridSpan 6), header, three rows under area 一 (vMerge)
    t1 = doc.add_table(rows=5, cols=6)
    t1.cell(0, 0).text = TITLE
    t1.cell(0, 0).merge(t1.cell(0, 5))
    _fill(t1, 1, HEADER)
    _fill(t1, 2, ("1", AREA_1, "开展全员轮训，每人每年不少于60学时。", "县司法局", "县直各行政执法部门、各乡镇（街道）", "2024年6月底前"))
    _fill(t1, 3, ("2", "", "建立行政执法人员资格管理制度。", "县司法局", "县人社局", "2024年12月底前"))
    _fill(t1, 4, ("3", "", "推行行政执法“导师制”培训。", "县司法局", "", "2025年6月底前"))
    t1.cell(2, 1).merge(t1.cell(4, 1))
    doc.add_page_break()
    # table 2: the header repeated, area 二 starts (vMerge restart), row 5 cut by the page
    t2 = doc.add_table(rows=3, cols=6)
    _fill(t2, 0, HEADER)
    _fill(t2, 1, ("4", AREA_2, "全面落实行政执法“三项制度”。", "县直各行政执法部门", "县司法局", "长期坚持"))
    _fill(t2, 2, ("5", "", "动态调整行政裁量权基准，", "县发展和改革局", "县市场监督管理局", "2025年年底前完成并长期推进"))
    t2.cell(1, 1).merge(t2.cell(2, 1))
    doc.add_page_break()
    # table 3: no header; row 5's rest, then row 6, both still under area 二 (vMerge continue)
    t3 = doc.add_table(rows=2, cols=6)
    _fill(t3, 0, ("", "", "并及时向社会公布。", "", "", ""))
    _fill(t3, 1, ("6", "", "开展涉企行政执法专项监督。", "县司法局", "县发展和改革委员会", "视工作进展确定"))
    _continue_vmerge(t3, 0, 1)
    _continue_vmerge(t3, 1, 1)
    doc.add_paragraph("注：本清单由县司法局负责解释。")
    doc.save(str(path))
    return path


# (number, area, text, lead, assist, deadline) — worked out from the table built above
EXPECTED = [
    ("1", AREA_1, "开展全员轮训，每人每年不少于60学时。", "县司法局", "县直各行政执法部门、各乡镇（街道）", "2024年6月底前"),
    ("2", AREA_1, "建立行政执法人员资格管理制度。", "县司法局", "县人社局", "2024年12月底前"),
    ("3", AREA_1, "推行行政执法“导师制”培训。", "县司法局", "", "2025年6月底前"),
    ("4", AREA_2, "全面落实行政执法“三项制度”。", "县直各行政执法部门", "县司法局", "长期坚持"),
    ("5", AREA_2, "动态调整行政裁量权基准，并及时向社会公布。", "县发展和改革局", "县市场监督管理局", "2025年年底前完成并长期推进"),
    ("6", AREA_2, "开展涉企行政执法专项监督。", "县司法局", "县发展和改革委员会", "视工作进展确定"),
]


def test_rows_read_back(tmp_path: Path) -> None:
    a = analyse(build(tmp_path / "清单.docx"))
    got = [
        (r.row.number, r.row.levels[0].label + r.row.levels[0].title, r.row.text, r.row.lead, r.row.assist, r.row.deadline)
        for r in a.rows
    ]
    assert got == EXPECTED
    assert a.table.columns.get(Role.MEASURE) == 2 and a.table.columns.get(Role.LEAD) == 3
    assert a.table.preamble == (TITLE,)
    assert a.numbering == "global"


def test_merged_cells_keep_their_provenance(tmp_path: Path) -> None:
    path = build(tmp_path / "清单.docx")
    table = read_table(path)
    rows = table.rows
    file = str(path)
    # table 1: rows 3–5 (title row 1, header row 2); the area cell of rows 4 and 5 is row 3's
    assert rows[0].origin == Origin(file, "表格1", 3)
    assert rows[0].cells[1].merged_from is None
    assert rows[1].cells[1].merged_from == Origin(file, "表格1", 3, 2)
    assert rows[2].cells[1].merged_from == Origin(file, "表格1", 3, 2)
    # table 2's header is dropped; its vMerge runs into table 3, whose rows point back to it
    assert [r.origin for r in rows[3:]] == [
        Origin(file, "表格2", 2), Origin(file, "表格2", 3), Origin(file, "表格3", 1), Origin(file, "表格3", 2),
    ]
    assert rows[5].cells[1].text == AREA_2
    assert rows[5].cells[1].merged_from == Origin(file, "表格2", 2, 2)


def test_what_was_joined_and_inferred_is_reported(tmp_path: Path) -> None:
    report = analyse(build(tmp_path / "清单.docx")).report
    joined = report.by_code("tables-joined")
    assert [f.where.rsplit(":", 1)[1] for f in joined] == ["表格2", "表格3"]
    assert "重复的表头已去掉" in joined[0].message and "没有重复表头" in joined[1].message
    (cut,) = report.by_code("continuation-row")
    assert cut.subject.number == "5" and cut.where.endswith("表格3:1")
    (alias,) = report.by_code("alias")
    assert alias.detail == ("县发展和改革委员会", "县发展和改革局")
    assert {f.subject.key for f in report.by_code("group-members")} == {"县直各行政执法部门", "各乡镇（街道）"}
    (unreadable,) = report.by_code("deadline-unreadable")
    assert unreadable.detail == ("视工作进展确定",) and unreadable.subject.number == "6"
    assert unreadable.comment.startswith("待确认：")


def test_roles_come_from_the_lead_and_assist_columns(tmp_path: Path) -> None:
    a = analyse(build(tmp_path / "清单.docx"))
    assert a.rows[0].mentions == (("县司法局", "牵头"), ("县直各行政执法部门", "配合"), ("各乡镇（街道）", "配合"))
    roles = {e.name: e.roles for e in a.units}
    assert roles["县司法局"] == ("牵头", "配合")  # lead in 1–3 and 6, assisting in 4


def test_a_document_without_a_table_header_is_refused_with_its_place(tmp_path: Path) -> None:
    doc = docx.Document()
    t = doc.add_table(rows=2, cols=3)
    _fill(t, 0, ("甲", "乙", "丙"))
    _fill(t, 1, ("1", "2", "3"))
    path = tmp_path / "无表头.docx"
    doc.save(str(path))
    with pytest.raises(SourceError) as exc:
        read_table(path)
    assert exc.value.exit_code == 2
    assert str(path) in exc.value.message and "找不到表头" in exc.value.message


def test_columns_option_maps_a_table_without_a_recognisable_header(tmp_path: Path) -> None:
    from kpzf.importer import parse_columns

    doc = docx.Document()
    t = doc.add_table(rows=2, cols=3)
    _fill(t, 0, ("内容", "单位", "时间"))
    _fill(t, 1, ("（1）建立台账。", "县司法局", "2024年6月底前"))
    path = tmp_path / "自定义.docx"
    doc.save(str(path))
    table = read_table(path, columns=parse_columns("主要措施=内容,责任单位=B,完成时限=3"))
    assert table.columns.get(Role.MEASURE) == 0 and table.columns.get(Role.UNITS) == 1
    assert table.columns.explicit == {Role.MEASURE, Role.UNITS, Role.DEADLINE}
    assert [c.text for c in table.rows[0].cells] == ["（1）建立台账。", "县司法局", "2024年6月底前"]


def build_heading_rows(path: Path) -> Path:
    """重点任务 as rows spanning the table (gridSpan), a two-row header (责任单位 over
    牵头单位｜配合单位) repeated on the second page."""
    doc = docx.Document()

    def header(t) -> None:
        _fill(t, 0, ("序号", "工作措施", "责任单位", "", "完成时限"))
        _fill(t, 1, ("", "", "牵头单位", "配合单位", ""))
        t.cell(0, 2).merge(t.cell(0, 3))
        for c in (0, 1, 4):
            t.cell(0, c).merge(t.cell(1, c))

    t1 = doc.add_table(rows=5, cols=5)
    header(t1)
    _fill(t1, 2, ("（一）加强执法队伍建设",))
    t1.cell(2, 0).merge(t1.cell(2, 4))
    _fill(t1, 3, ("1", "开展执法人员轮训。", "区司法局", "区直各行政执法部门", "2024年12月底前"))
    _fill(t1, 4, ("2", "建立执法证件年审制度。", "区司法局", "", "2024年9月底前"))
    doc.add_page_break()
    t2 = doc.add_table(rows=4, cols=5)
    header(t2)
    _fill(t2, 2, ("（二）规范执法程序",))
    t2.cell(2, 0).merge(t2.cell(2, 4))
    _fill(t2, 3, ("3", "推行执法全过程记录。", "区直各行政执法部门", "区司法局", "长期坚持"))
    doc.save(str(path))
    return path


def test_heading_rows_and_a_repeated_two_row_header(tmp_path: Path) -> None:
    a = analyse(build_heading_rows(tmp_path / "区.docx"))
    got = [(r.row.number, tuple(h.label + h.title for h in r.row.levels), r.row.text, r.mentions, r.row.deadline) for r in a.rows]
    assert got == [
        ("1", ("（一）加强执法队伍建设",), "开展执法人员轮训。", (("区司法局", "牵头"), ("区直各行政执法部门", "配合")), "2024年12月底前"),
        ("2", ("（一）加强执法队伍建设",), "建立执法证件年审制度。", (("区司法局", "牵头"),), "2024年9月底前"),
        ("3", ("（二）规范执法程序",), "推行执法全过程记录。", (("区直各行政执法部门", "牵头"), ("区司法局", "配合")), "长期坚持"),
    ]
    (joined,) = a.report.by_code("tables-joined")
    assert "重复的表头已去掉" in joined.message
    assert a.report.by_code("continuation-row") == ()
    assert a.report.by_code("deadline-unreadable") == ()
    assert len(a.report.by_code("two-row-header")) == 1
