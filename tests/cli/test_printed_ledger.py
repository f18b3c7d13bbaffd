"""The xlsx 台账 as printed: converted to PDF by LibreOffice and read back page by page.

Checked on the printed pages (not on the workbook's cells): every page has its number in the
footer ("第 N 页，共 M 页"); every page names the 重点任务 and 具体任务 of the rows it shows, also
where a merged label cell continues from the page before ("（续）"); overdue items say 逾期; and
no cell's text runs past its row: read top to bottom, the lines of the 主要措施 column give back
each measure's text whole and in order (LibreOffice keeps the text of a cell that is too short,
drawing it over the next row, so too small a row shows up as lines out of order).

Skipped only when LibreOffice (`soffice`) is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

pytestmark = pytest.mark.slow

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
if SOFFICE is None:
    pytest.skip("LibreOffice (soffice) is not installed", allow_module_level=True)

import pypdf  # noqa: E402  (a test dependency: reads the PDF back)

TODAY = "2025-01-15"
PROGRESS = """progress:
  - {measure: 1, unit: 市公安局, milestone: "2024-12-31", status: 已完成, date: "2024-12-20", note: 开公〔2024〕12号}
  - {measure: 30, unit: 公安, milestone: "2024-04-30", status: 已完成, date: "2024-04-28", note: 已在省系统公布}
  - {measure: 35, unit: 市公安局, status: 已完成, date: "2024-01-20"}
"""
MARK = re.compile(r"（(\d+)）")


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def to_pdf(xlsx: Path, tmp_path: Path) -> Path:
    profile = tmp_path / "lo-profile"  # its own profile: other soffice runs cannot interfere
    done = subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(xlsx),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    pdf = tmp_path / (xlsx.stem + ".pdf")
    assert done.returncode == 0 and pdf.is_file(), done.stdout + done.stderr
    return pdf


def fragments(page: Any) -> list[tuple[float, float, str]]:
    """(x, y, text) of every piece of text on a page, y growing upwards (PDF space)."""
    found: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, text))

    page.extract_text(visitor_text=visit)
    return found


def column_text(parts: list[tuple[float, float, str]], left: float, right: float) -> str:
    """The body text between two x positions (below the header row, above the footer), line by
    line from the top of the page."""
    top = min(y for _, y, t in parts if t == "主要措施")
    bottom = max(y for _, y, t in parts if "页，共" in t)
    lines: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in parts:
        if left - 1 <= x < right - 1 and bottom < y < top:
            lines.setdefault(round(y, 0), []).append((x, text))
    return "".join(
        "".join(t for _, t in sorted(lines[y])) for y in sorted(lines, reverse=True)
    )


def measure_column(parts: list[tuple[float, float, str]]) -> tuple[float, float]:
    """Left edges of the 主要措施 and 责任单位 columns: where "（N）" and the units start."""
    marks = sorted(parts, key=lambda p: (-p[1], p[0]))
    lefts = [x for (x, y, t), nxt in zip(marks, marks[1:], strict=False) if t == "（" and nxt[2].isdigit() and abs(nxt[1] - y) < 1]
    assert lefts, "no measure marks on the page"
    left = min(lefts)
    # 责任单位's lines all start at its left edge, between the centres of the two headings.
    heading = {t: x for x, _, t in parts if t in ("主要措施", "责任单位")}
    starts = Counter(
        round(x, 1) for x, _, _ in parts if heading["主要措施"] < x < heading["责任单位"]
    )
    return left, starts.most_common(1)[0][0]


def printed(run: Run, plan: Path, tmp_path: Path, *args: str) -> tuple[list[Any], Any]:
    from openpyxl import load_workbook

    target = tmp_path / "台账.xlsx"
    result = run("--plan", str(plan), "export", "--format", "xlsx", *args, "--output", str(target), today=TODAY)
    assert result.code == 0, result.err
    pdf = to_pdf(target, tmp_path)
    return pypdf.PdfReader(str(pdf)).pages, load_workbook(target).active


@pytest.fixture
def tracked(plan_copy: Path) -> Path:
    text = plan_copy.read_text(encoding="utf-8")
    at = text.rindex("progress: []")
    plan_copy.write_text(text[:at] + PROGRESS + text[at + len("progress: []\n") :], encoding="utf-8")
    return plan_copy


def check_pages(pages: list[Any], sheet: Any) -> dict[int, int]:
    """The checks every printed 台账 must pass; returns {measure: page number}."""
    from kpzf.core.ledger import HEADERS

    texts = [norm(p.extract_text()) for p in pages]
    total = len(pages)
    assert total >= 2
    rows = {}
    for row in range(4, sheet.max_row + 1):
        match = MARK.match(sheet.cell(row, 3).value or "")
        if match:
            rows[int(match.group(1))] = row
    on_page: dict[int, int] = {}
    for number, (page, text) in enumerate(zip(pages, texts, strict=True), start=1):
        assert f"第{number}页,共{total}页" in text, f"page {number}: no page number in the footer"
        assert norm("".join(HEADERS)) in text, f"page {number}: the header row is not repeated"
        parts = fragments(page)
        left, right = measure_column(parts)
        column = norm(column_text(parts, left, right))
        shown = [int(n) for n in re.findall(r"\((\d+)\)", column)]
        assert shown, f"page {number}: no measures"
        # Whole and in order: each measure's full text, then the next one's.
        expected = "".join(norm(sheet.cell(rows[n], 3).value) for n in shown)
        assert column == expected, f"page {number}: a cell's text runs past its row"
        for n in shown:
            assert n not in on_page, f"measure {n} printed twice"
            on_page[n] = number
            # The labels of the row's 重点任务 and 具体任务 are on the same page.
            area, task = sheet.cell(rows[n], 1), sheet.cell(rows[n], 2)
            for cell in (area, task):
                label = _label(sheet, cell)
                if label:
                    assert norm(label) in text or norm(label + "（续）") in text, (
                        f"page {number}: measure {n} without its label {label!r}"
                    )
    assert sorted(on_page) == sorted(rows)
    return on_page


def _label(sheet: Any, cell: Any) -> str:
    """The label shown for a cell: its own value, or that of the merged range it is in."""
    for merged in sheet.merged_cells.ranges:
        if cell.coordinate in merged:
            return str(sheet.cell(merged.min_row, merged.min_col).value or "").removesuffix("（续）")
    return str(cell.value or "").removesuffix("（续）")


def test_printed_ledger_of_the_whole_plan(run: Run, tracked: Path, tmp_path: Path) -> None:
    pages, sheet = printed(run, tracked, tmp_path, "--date", "2024-12-31")
    on_page = check_pages(pages, sheet)
    texts = [norm(p.extract_text()) for p in pages]
    # The long 重点任务 (一) (measures 1-16) crosses a page: its label is repeated, marked 续.
    first, last = on_page[1], on_page[16]
    assert last > first
    assert all(norm("（一）全面提升行政执法人员能力素质（续）") in texts[p - 1] for p in range(first + 1, last + 1))
    # As of 2024-12-31 measure 30's two milestones (04-30, 05-15) are past due and open: 逾期,
    # in red; measure 1 (due 12-31, not yet overdue) and 21 (长期推进) are not.
    rows = {int(MARK.match(sheet.cell(r, 3).value).group(1)): r for r in range(4, sheet.max_row + 1) if MARK.match(sheet.cell(r, 3).value or "")}
    m30 = sheet.cell(rows[30], 6)
    assert m30.value.splitlines()[0] == "2024-04-30 完成权责清单事项认领及公布：逾期，已完成 1/30"
    assert m30.fill.fgColor.rgb.endswith("FFC7CE")
    assert norm("2024-05-15报送市司法局：逾期，已完成0/30") in texts[on_page[30] - 1]
    for n in (1, 21):
        assert "逾期" not in (sheet.cell(rows[n], 6).value or "")
        assert not sheet.cell(rows[n], 6).fill.fgColor.rgb.endswith("FFC7CE")
    # 35 (2024-01-31) was closed by 市公安局 only: still overdue for the other 13.
    assert sheet.cell(rows[35], 6).value.startswith("逾期，已完成 1/14")


def test_printed_ledger_of_one_unit(run: Run, tracked: Path, tmp_path: Path) -> None:
    pages, sheet = printed(run, tracked, tmp_path, "--unit", "公安", "--date", "2025-01-01")
    check_pages(pages, sheet)
    rows = {int(MARK.match(sheet.cell(r, 3).value).group(1)): r for r in range(4, sheet.max_row + 1) if MARK.match(sheet.cell(r, 3).value or "")}
    assert sheet.cell(rows[1], 6).value == "已完成（2024-12-20，开公〔2024〕12号）"
    assert sheet.cell(rows[2], 6).value == "逾期，未开始"  # due 2024-12-31, 公安 never reported
    assert sheet.cell(rows[2], 6).fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(rows[35], 6).value == "已完成（2024-01-20）"
