"""Tab-separated text of another plan, written here with the defects of a PDF or web-page
extraction: HTML fragments, stray spaces, half-width punctuation, a cell continued on a
later line, and a 具体任务 label printed one row late (the body text says where (3) belongs)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpzf.errors import KpzfError
from kpzf.importer import SourceError, analyse, read_table

BODY = """某县依法行政工作方案

一、主要任务
1. 加强队伍建设。开展全员培训，建立培训档案。[县司法局]
2. 规范执法行为。推行说理式执法，开展案卷评查。[县直各行政执法部门]

附件
某县依法行政工作任务清单
"""
TABLE = (
    "重点任务\t具体任务\t主要措施\t责任单位\t完成时限\n"
    "（一）加强 队伍建设\t1. 加强队伍建设\t<p>(1) 开展全员培训。</p>\t县司法局\t2024 年 6 月底前\n"
    "\t\t(2) 建立培训档案。\t县司法局\t2024年12月底前\n"
    "\t\t(3) 推行说理式执法。\t县直各行政执法部门\t长期坚持\n"
    "\t2. 规范执法行为\t(4) 开展案卷评查,并通报\t县直各行政执法部门, 县司法局\t每年11月底前\n"
    "\t\t结果。\t\t\n"
    "\n"
    "公开方式：主动公开\n"
)
AREA = "（一）加强队伍建设"
T1, T2 = "1.加强队伍建设", "2.规范执法行为"


def _rows(path: Path) -> list[tuple[str, ...]]:
    return [
        (r.row.number, *(h.label + h.title for h in r.row.levels), r.row.text, r.row.units, r.row.deadline)
        for r in analyse(path).rows
    ]


def test_rows_with_the_body_deciding_membership(tmp_path: Path) -> None:
    path = tmp_path / "方案.txt"
    path.write_text(BODY + TABLE, encoding="utf-8")
    assert _rows(path) == [
        ("1", AREA, T1, "开展全员培训。", "县司法局", "2024年6月底前"),
        ("2", AREA, T1, "建立培训档案。", "县司法局", "2024年12月底前"),
        ("3", AREA, T2, "推行说理式执法。", "县直各行政执法部门", "长期坚持"),
        ("4", AREA, T2, "开展案卷评查，并通报结果。", "县直各行政执法部门，县司法局", "每年11月底前"),
    ]
    report = analyse(path).report
    (late,) = report.by_code("late-task-label")
    assert late.subject.number == "3" and late.detail == ("1", "2")
    # BODY has 8 lines, so the header is line 9; (4) is on line 13 and continues on line 14
    table = read_table(path)
    assert table.header_origin is not None and table.header_origin.row == 9
    assert [r.origin.row for r in table.rows] == [10, 11, 12, 13]
    assert [o.row for o in table.rows[3].joined] == [14]
    assert table.preamble == ("附件", "某县依法行政工作任务清单")


def test_without_a_body_the_table_labels_stand(tmp_path: Path) -> None:
    path = tmp_path / "清单.txt"
    path.write_text(TABLE, encoding="utf-8")
    rows = _rows(path)
    assert rows[2][2] == T1  # the late label cannot be detected from the table alone
    assert analyse(path).report.by_code("late-task-label") == ()


def test_gb18030_text(tmp_path: Path) -> None:
    path = tmp_path / "清单.txt"
    path.write_bytes((BODY + TABLE).encode("gb18030"))
    assert len(_rows(path)) == 4
    (enc,) = analyse(path).report.by_code("encoding")
    assert enc.message.startswith("按 GB18030 编码读取")


def test_text_without_a_tab_separated_header(tmp_path: Path) -> None:
    path = tmp_path / "正文.txt"
    path.write_text(BODY, encoding="utf-8")
    with pytest.raises(SourceError) as exc:
        read_table(path)
    assert exc.value.message.startswith(f"{path}: 找不到制表符分隔的表头行")
    assert exc.value.exit_code == 2


_ALPHABET = st.sampled_from(list("\t\n (（)）1２.、，,；主要措施责任单位完成时限重点任务具体市局镇街各<p>") + ["(1)", "1.", "（一）"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_any_text_gives_a_table_or_a_clean_error(body: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.txt"
        path.write_text("主要措施\t责任单位\t完成时限\n" + body, encoding="utf-8")
        try:
            analyse(path)
        except KpzfError as exc:
            assert exc.exit_code == 2 and exc.message


def test_a_clean_tab_separated_export_keeps_cells_in_place(tmp_path: Path) -> None:
    """Excel's "文本文件(制表符分隔)": a 序号 column, merged cells exported as empty cells."""
    path = tmp_path / "导出.txt"
    path.write_text(
        "序号\t重点任务\t工作措施\t责任单位\t完成时限\n"
        "1\t一、健全制度\t制定监督办法。\t县司法局\t2024年9月底前\n"
        "2\t\t修订裁量基准。\t\t2024年12月底前\n"
        "3\t二、强化保障\t落实经费保障。\t县财政局\t\n",
        encoding="utf-8",
    )
    rows = [(r.row.number, r.row.levels[0].title, r.row.text, r.row.units, r.row.deadline) for r in analyse(path).rows]
    # row 2 has no unit: its deadline stays in the 完成时限 column; row 3 has no deadline
    assert rows == [
        ("1", "健全制度", "制定监督办法。", "县司法局", "2024年9月底前"),
        ("2", "健全制度", "修订裁量基准。", "", "2024年12月底前"),
        ("3", "强化保障", "落实经费保障。", "县财政局", ""),
    ]
    report = analyse(path).report
    assert [f.subject.number for f in report.by_code("no-units")] == ["2"]
    assert [f.subject.number for f in report.by_code("no-deadline")] == ["3"]
    assert report.by_code("realigned") == ()


def test_lines_without_any_numbering_are_rows_by_position(tmp_path: Path) -> None:
    path = tmp_path / "网页.txt"
    path.write_text(
        "工作任务\t责任单位\t时间节点\n"
        "建立联席会议制度\t县司法局\t2024年6月底前\n"
        "开展专项检查\t县市场监管局\t每半年\n",
        encoding="utf-8",
    )
    a = analyse(path)
    assert [(r.row.number, r.row.text, r.row.units) for r in a.rows] == [
        ("", "建立联席会议制度", "县司法局"),
        ("", "开展专项检查", "县市场监管局"),
    ]
    assert a.numbering == "none"
