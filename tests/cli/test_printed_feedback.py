"""The 进度反馈表 as printed: converted to PDF by LibreOffice and read back page by page.

A4 landscape, one page wide (every column of the form on every page, the hidden key on none),
the header row repeated on every page, the footer numbering the pages, every row printed.
Skipped only when LibreOffice (`soffice`) is not installed.
"""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import Run

pytestmark = pytest.mark.slow

if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
    pytest.skip("LibreOffice (soffice) is not installed", allow_module_level=True)

import pypdf  # noqa: E402
from test_printed_ledger import to_pdf  # noqa: E402  (the one LibreOffice conversion of the tests)

HEADERS = ("措施", "措施内容", "节点", "截止日期", "当前状态", "最近说明", "状态", "完成日期",
           "进展情况", "申请延期至", "延期原因")  # fmt: skip


def test_feedback_sheet_prints_on_a4_landscape_one_page_wide(run: Run, plan_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "赤坎镇.xlsx"
    r = run("--plan", str(plan_copy), "export", "--format", "feedback", "--unit", "赤坎镇",
            "--date", "2024-07-01", "--output", str(target), today="2024-07-10")  # fmt: skip
    assert r.code == 0, r.err
    pages = pypdf.PdfReader(str(to_pdf(target, tmp_path))).pages
    assert len(pages) >= 2
    printed_rows: list[str] = []
    for number, page in enumerate(pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (842, 595), number  # A4 landscape
        text = page.extract_text()
        squeezed = re.sub(r"\s+", "", text)
        for header in HEADERS:  # the header row on every page, every column on it
            assert header in squeezed, (number, header)
        assert f"第{number}页，共{len(pages)}页" in squeezed
        assert "kpzf1|" not in text  # the key column is hidden, not printed
        printed_rows += re.findall(r"（(\d+)）", text)
    # Every measure the sheet has is printed (as its label （N） in 措施内容): 赤坎镇 owes 3, 17, 54.
    for measure in ("3", "17", "54", "64"):
        assert measure in printed_rows
