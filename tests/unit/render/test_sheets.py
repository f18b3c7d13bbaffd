"""The one Markdown escaper, CSV writer and table builder that every format shares."""

from __future__ import annotations

import csv
import io

from kpzf.render.sheets import CSV_BOM, Column, Sheet, View, as_md, csv_text, md_cell, md_table


def test_md_cell_escapes_pipes_and_backslashes_and_keeps_one_row() -> None:
    assert md_cell("a|b") == "a\\|b"
    assert md_cell("C:\\dir") == "C:\\\\dir"
    assert md_cell(" 第一行 \r\n第二行\n第三行\n") == "第一行<br>第二行<br>第三行<br>"
    assert md_cell("") == ""


def test_md_table_aligns_numbers_right_and_fills_blank_cells() -> None:
    lines = md_table(["措施", "单位"], [["1", ""]], right=[True], blank=" ")
    assert lines == ["| 措施 | 单位 |", "|---:|---|", "| 1 |   |"]


def test_csv_text_has_a_bom_crlf_rows_and_quotes_what_needs_it() -> None:
    text = csv_text(["措施", "说明"], [["1", "甲,乙"], ["2", '引"号\n换行']])
    assert text.startswith(CSV_BOM) and CSV_BOM == "\ufeff"
    assert text.count("\r\n") == 3  # header and two rows; the line break inside stays quoted
    rows = list(csv.reader(io.StringIO(text.removeprefix(CSV_BOM), newline="")))
    assert rows == [["措施", "说明"], ["1", "甲,乙"], ["2", '引"号\n换行']]


def test_as_md_titles_each_sheet_and_says_when_it_is_empty() -> None:
    sheet = Sheet((Column("措施", "right"), Column("内容")), [], title="节点", empty="（无）")
    assert as_md(View((sheet,), None, "")) == "### 节点\n\n| 措施 | 内容 |\n|---:|---|\n| （无） |  |\n"


NUL_ROWS = [["x\x00y", "1,2"], ["", None], ['q"\x00', "\ue000"]]
# As Python 3.11's csv writes it: NUL is an ordinary character (not quoted, written as it is);
# the other fields quoted as RFC 4180 says; None an empty field.
NUL_CSV = '\ufeffa,b\r\nx\x00y,"1,2"\r\n,\r\n"q""\x00",\ue000\r\n'


def test_csv_with_nul_is_written_the_same_on_every_python() -> None:
    assert csv_text(["a", "b"], NUL_ROWS) == NUL_CSV  # type: ignore[list-item]
    # The 3.10 path (a stand-in for NUL, here also avoiding the U+E000 the data holds), on
    # whichever Python runs the tests:
    from kpzf.render.sheets import _csv_with_nul

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    shimmed = _csv_with_nul(writer, buffer, ["a", "b"], NUL_ROWS)  # type: ignore[arg-type]
    assert CSV_BOM + shimmed == NUL_CSV
