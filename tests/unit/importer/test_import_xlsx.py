"""An Excel 台账 of another plan, built here with openpyxl: a title and a 文号 line merged
across the sheet above the header, 重点任务/具体任务 merged down, a date-formatted deadline,
a remark merged across the last row, and a first sheet that is not the 台账."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")

from kpzf.importer import Origin, Role, SourceError, analyse, read_table  # noqa: E402

TITLE = "示范市2025年法治政府建设重点任务清单"
DOCNO = "示范府办〔2025〕3号 2025年3月1日印发"
HEADER = ("序号", "重点任务", "具体任务", "任务", "责任单位", "时间节点", "备注")
AREA_1, AREA_2 = "一、深化行政执法改革", "二、强化执法监督"
TASK_1, TASK_2, TASK_3 = "（一）推进综合执法", "（二）规范执法行为", "（三）完善监督机制"


def build(path: Path) -> Path:
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "说明"
    notes["A1"] = "本工作簿第二个工作表为任务清单。"
    ws = wb.create_sheet("任务清单")
    ws["A1"] = TITLE
    ws.merge_cells("A1:G1")
    ws["A2"] = DOCNO
    ws.merge_cells("A2:G2")
    ws.append(HEADER)
    ws.append((1, AREA_1, TASK_1, "整合执法队伍。", "市司法局牵头，市委编办配合", "2025年6月底前", None))
    ws.append((2, None, None, "下放执法事项到镇街。", "牵头单位：市司法局；配合单位：各镇（街道）", dt.datetime(2025, 9, 30), None))
    ws.append((3, None, TASK_2, "推行说理式执法。", "市直各行政执法部门", "每季度", None))
    ws.append((4, None, None, "开展案卷评查。", "市司法局、示范市公安局", "2025年6月底前", None))
    ws.append((5, AREA_2, TASK_3, "建立执法监督员制度。", "市公安局、市市场监督管理局按职责分工分别负责", "2025年12月31日前", None))
    ws.merge_cells("B4:B7")
    ws.merge_cells("C4:C5")
    ws.merge_cells("C6:C7")
    ws["A10"] = "注：本清单由市司法局负责解释。"
    ws.merge_cells("A10:G10")
    wb.save(str(path))
    return path


# (number, area, task, text, units as (name, role), deadline) — from the sheet built above
EXPECTED = [
    ("1", AREA_1, TASK_1, "整合执法队伍。", (("市司法局", "牵头"), ("市委编办", "配合")), "2025年6月底前"),
    ("2", AREA_1, TASK_1, "下放执法事项到镇街。", (("市司法局", "牵头"), ("各镇（街道）", "配合")), "2025年9月30日"),
    ("3", AREA_1, TASK_2, "推行说理式执法。", (("市直各行政执法部门", "责任"),), "每季度"),
    ("4", AREA_1, TASK_2, "开展案卷评查。", (("市司法局", "责任"), ("示范市公安局", "责任")), "2025年6月底前"),
    ("5", AREA_2, TASK_3, "建立执法监督员制度。", (("市公安局", "责任"), ("市市场监督管理局", "责任")), "2025年12月31日前"),
]


def _rows(a):
    return [
        (
            r.row.number,
            r.row.levels[0].label + r.row.levels[0].title,
            r.row.levels[1].label + r.row.levels[1].title,
            r.row.text,
            r.mentions,
            r.row.deadline,
        )
        for r in a.rows
    ]


def test_rows_read_back_from_the_first_sheet_with_a_header(tmp_path: Path) -> None:
    a = analyse(build(tmp_path / "清单.xlsx"))
    assert a.table.part == "任务清单"
    assert _rows(a) == EXPECTED
    cols = a.table.columns
    assert [cols.get(r) for r in (Role.NUMBER, Role.AREA, Role.TASK, Role.MEASURE, Role.UNITS, Role.DEADLINE, Role.PROGRESS)] == [0, 1, 2, 3, 4, 5, 6]
    assert a.table.preamble == (TITLE, DOCNO)


def test_sheet_option(tmp_path: Path) -> None:
    path = build(tmp_path / "清单.xlsx")
    assert _rows(analyse(path, sheet="任务清单")) == EXPECTED
    with pytest.raises(SourceError) as exc:
        read_table(path, sheet="说明")
    assert exc.value.message.startswith(f"{path}:说明: 前 30 行中找不到表头")
    with pytest.raises(SourceError) as exc:
        read_table(path, sheet="清单")
    assert "没有名为“清单”的工作表" in exc.value.message and exc.value.hint == "工作表：说明、任务清单"


def test_merged_cells_keep_their_provenance(tmp_path: Path) -> None:
    path = build(tmp_path / "清单.xlsx")
    rows = read_table(path).rows
    file = str(path)
    assert [r.origin.row for r in rows] == [4, 5, 6, 7, 8, 10]
    assert rows[0].cells[1].merged_from is None
    assert rows[3].cells[1] .merged_from == Origin(file, "任务清单", 4, 2)  # B7 from B4
    assert rows[3].cells[2].merged_from == Origin(file, "任务清单", 6, 3)  # C7 from C6
    assert rows[4].cells[1].merged_from is None


def test_report(tmp_path: Path) -> None:
    a = analyse(build(tmp_path / "清单.xlsx"))
    report = a.report
    (title,) = report.by_code("title-skipped")
    assert title.detail == (TITLE, DOCNO)
    (sheet,) = report.by_code("sheet-chosen")
    assert "任务清单" in sheet.message and "说明" in sheet.message
    (dates,) = report.by_code("date-cells")
    assert "1 个日期格式" in dates.message
    (note,) = report.by_code("note-row")
    assert note.where.endswith("任务清单:10")
    (alias,) = report.by_code("alias")
    assert alias.detail == ("示范市公安局", "市公安局")
    assert {f.subject.key for f in report.by_code("group-members")} == {"市直各行政执法部门", "各镇（街道）"}
    assert report.by_code("deadline-unreadable") == ()
    # 每季度 within the period read from the deadlines' years (2025): four quarter ends
    assert a.period == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    quarterly = a.rows[2].deadline
    assert quarterly is not None
    assert [m.due for m in quarterly.milestones] == [
        dt.date(2025, 3, 31), dt.date(2025, 6, 30), dt.date(2025, 9, 30), dt.date(2025, 12, 31),
    ]


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SourceError) as exc:
        read_table(path)
    assert exc.value.exit_code == 2 and str(path) in exc.value.message


def build_two_level(path: Path) -> Path:
    """部分 as rows merged across the sheet, 责任单位 over 牵头单位｜配合单位 in two header rows,
    and a remark saying the first unit leads."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(("序号", "事项", "责任单位", None, "完成时限"))
    ws.append((None, None, "牵头单位", "配合单位", None))
    ws.merge_cells("C1:D1")
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.merge_cells("E1:E2")
    ws.append(("一、制度建设",))
    ws.merge_cells("A3:E3")
    ws.append((1, "制定行政执法监督办法。", "区司法局", "区政府办", "2024年9月底前"))
    ws.append((2, "修订行政裁量权基准。", "区直各行政执法部门", None, "2024年12月底前"))
    ws.append(("二、能力建设",))
    ws.merge_cells("A6:E6")
    ws.append((1, "组织执法人员轮训。", "区司法局", "各街道办事处", "每年12月底前"))
    ws.append(("说明：责任单位排在首位的为牵头单位。",))
    ws.merge_cells("A8:E8")
    wb.save(str(path))
    return path


def test_two_row_header_and_heading_rows(tmp_path: Path) -> None:
    a = analyse(build_two_level(tmp_path / "两级.xlsx"))
    cols = a.table.columns
    assert [cols.get(r) for r in (Role.NUMBER, Role.MEASURE, Role.LEAD, Role.ASSIST, Role.DEADLINE)] == [0, 1, 2, 3, 4]
    assert Role.UNITS not in cols
    got = [(r.row.number, tuple(h.label + h.title for h in r.row.levels), r.row.text, r.mentions) for r in a.rows]
    assert got == [
        ("1", ("一、制度建设",), "制定行政执法监督办法。", (("区司法局", "牵头"), ("区政府办", "配合"))),
        ("2", ("一、制度建设",), "修订行政裁量权基准。", (("区直各行政执法部门", "牵头"),)),
        ("1", ("二、能力建设",), "组织执法人员轮训。", (("区司法局", "牵头"), ("各街道办事处", "配合"))),
    ]
    assert a.numbering == "per-parent"
    report = a.report
    assert len(report.by_code("two-row-header")) == 1
    (lead,) = report.by_code("first-unit-leads")
    assert lead.detail == ("责任单位排在首位的为牵头单位",)
    assert {f.subject.key for f in report.by_code("group-members")} == {"区直各行政执法部门", "各街道办事处"}
