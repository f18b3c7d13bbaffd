"""The less common findings, each on a small input written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpzf.importer import analyse
from kpzf.importer.report import CONFIRM, Finding, Subject


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _txt(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_new_area_without_a_task_label(tmp_path: Path) -> None:
    a = analyse(_csv(tmp_path, (
        "序号,重点任务,具体任务,工作措施,责任单位,完成时限\n"
        "1,一、甲,（一）子甲,措施一。,县司法局,2024年6月底前\n"
        "2,二、乙,,措施二。,县司法局,2024年6月底前\n"
    )))
    (f,) = a.report.by_code("missing-inner-label")
    assert f.where.endswith("t.csv:3") and "（一）子甲" in f.message and f.confirm


def test_deadline_naming_a_unit_the_measure_does_not_list(tmp_path: Path) -> None:
    a = analyse(_csv(tmp_path, (
        "序号,工作措施,责任单位,完成时限\n"
        "1,措施一。,县司法局、县财政局,2024年6月底前完成（县公安局），2024年12月底前完成（县财政局）\n"
    )))
    (f,) = a.report.by_code("deadline-unit")
    assert f.detail == ("县公安局",) and f.subject.number == "1"


def test_no_deadline_column_and_irregular_numbers(tmp_path: Path) -> None:
    a = analyse(_csv(tmp_path, "序号,工作措施,牵头单位\n1,措施一。,县司法局\n3,措施二。,县财政局\n2,措施三。,县司法局\n"))
    assert len(a.report.by_code("no-deadline-column")) == 1
    assert a.report.by_code("no-deadline") == ()  # said once for the table, not per row
    assert a.numbering == "irregular" and len(a.report.by_code("numbering")) == 1
    assert [r.mentions for r in a.rows][0] == (("县司法局", "牵头"),)


def test_unit_roles_are_stated(tmp_path: Path) -> None:
    a = analyse(_csv(tmp_path, "序号,工作措施,责任单位,完成时限\n1,措施一。,县司法局牵头，县财政局配合,2024年底前\n"))
    (f,) = a.report.by_code("unit-roles")
    assert "“牵头”：牵头" in f.message and "“配合”：配合" in f.message and not f.confirm


def test_text_lines_that_do_not_fit(tmp_path: Path) -> None:
    a = analyse(_txt(tmp_path, (
        "主要措施\t责任单位\t完成时限\n"
        "说明文字\t\t\n"                      # line 2: before the first measure
        "(1) 措施一\t县司法局\t2024年6月底前\n"  # line 3
        "的后半句。\n"                         # line 4: no tab at all
        "(2) 措施二。\t县司法局\t2024年6月底前\t多余\t又多\n"  # line 5: two cells too many
    )))
    (skipped,) = a.report.by_code("lines-skipped")
    assert "第 2 行" in skipped.message
    (cont,) = a.report.by_code("continuation-line")
    assert cont.where.endswith(":4")
    assert a.rows[0].row.deadline == "2024年6月底前的后半句。"  # the last non-empty cell: to confirm
    (extra,) = a.report.by_code("extra-cells")
    assert extra.where.endswith(":5")
    assert a.rows[1].row.deadline == "2024年6月底前多余又多"


def test_a_later_docx_table_with_other_columns_is_not_joined(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    t = doc.add_table(rows=2, cols=3)
    for c, v in enumerate(("工作措施", "责任单位", "完成时限")):
        t.cell(0, c).text = v
    for c, v in enumerate(("（1）措施一。", "县司法局", "2024年底前")):
        t.cell(1, c).text = v
    doc.add_table(rows=1, cols=2).cell(0, 0).text = "签发人"
    path = tmp_path / "t.docx"
    doc.save(str(path))
    a = analyse(path)
    assert len(a.rows) == 1
    (f,) = a.report.by_code("table-not-joined")
    assert f.where.endswith("表格2") and f.confirm


def test_every_code_has_a_confirm_flag() -> None:
    with pytest.raises(ValueError):
        Finding("no-such-code", "x", Subject("source"))
    assert Finding("alias", "x", Subject("alias", "y")).comment == "待确认：x"
    assert Finding("columns", "x", Subject("source")).comment == "推断：x"
    assert all(isinstance(v, bool) for v in CONFIRM.values())


def test_a_unit_cell_glued_to_its_deadline_is_questioned(tmp_path: Path) -> None:
    # 方城县's row 2 (docs/sources/fangcheng): the extraction ran 责任单位 and 完成时限 together
    a = analyse(_csv(tmp_path, (
        "序号,具体工作措施,责任单位,完成时限\n"
        "1,措施一。,各乡镇（街道）、各行政执法部门2024年度培训计划要于2024年3月底前报送,\n"
    )))
    (f,) = a.report.by_code("unit-suspect")
    assert f.detail == ("各行政执法部门2024年度培训计划要于2024年3月底前报送",)


def test_townships_named_in_the_ledger_are_offered_as_members(tmp_path: Path) -> None:
    a = analyse(_csv(tmp_path, (
        "序号,工作措施,责任单位,完成时限\n"
        "1,措施一。,各镇（街）,2024年底前\n"
        "2,措施二。,赤坎镇、长沙街道,2024年底前\n"
    )))
    (f,) = a.report.by_code("group-members")
    assert f.subject.key == "各镇（街）" and "赤坎镇、长沙街道" in f.message
