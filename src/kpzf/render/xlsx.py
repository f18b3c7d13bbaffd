"""The 台账 as an Excel workbook in its official layout (needs the optional `openpyxl`)."""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

from ..errors import UsageError
from ..ledger import HEADERS, Ledger, spans
from ..plan import SECTION_IMPLEMENTATION
from .terminal import literal

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

# Widths in Excel character units (a CJK character is about 2): 主要措施 carries the long text.
COLUMN_WIDTHS = (18, 20, 60, 26, 24, 36)
TITLE_ROW, SUBTITLE_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1
FONT = "宋体"  # what the official 台账 uses; WPS and Excel substitute where it is missing


def _openpyxl() -> Any:
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError:
        raise UsageError(
            "导出 xlsx 需要 openpyxl，当前环境没有安装",
            hint="请运行：pip install 'kpzf[xlsx]'",
        ) from None
    return openpyxl


def _display_width(text: str) -> int:
    """Columns a line takes in Excel's units: wide (CJK, full-width) characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _row_height(cells: tuple[str, ...]) -> float:
    """Points for a row whose wrapped text fits: Excel does not grow rows written by openpyxl,
    and WPS shows one line per row until someone double-clicks every row border."""
    lines = 1
    for text, width in zip(cells, COLUMN_WIDTHS[2:], strict=False):
        usable = max(width - 2, 1)
        wrapped = sum(-(-_display_width(line) // usable) or 1 for line in text.split("\n"))
        lines = max(lines, wrapped)
    return round(lines * 14.5 + 4, 1)


def require_openpyxl() -> None:
    """Fail with the install hint before any work is done."""
    _openpyxl()


def ledger_xlsx(ledger: Ledger) -> bytes:
    """Title, header and one row per measure; areas and tasks merged down their measures."""
    openpyxl = _openpyxl()
    from openpyxl.styles import (  # type: ignore[import-untyped]
        Alignment,
        Border,
        Font,
        PatternFill,
        Side,
    )

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    # Excel's limit on sheet names is 31 characters, none of []:*?/\ (a unit name may hold them).
    sheet.title = _SHEET_NAME_FORBIDDEN.sub("_", literal(ledger.unit or "任务台账"))[:31] or "任务台账"
    workbook.properties.title = literal(ledger.heading)
    workbook.properties.creator = "kpzf"

    columns = len(HEADERS)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    wrap_center = Alignment(wrap_text=True, vertical="center", horizontal="center")

    sheet.cell(TITLE_ROW, 1, literal(ledger.heading)).font = Font(name=FONT, bold=True, size=16)
    sheet.cell(TITLE_ROW, 1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=columns)
    sheet.row_dimensions[TITLE_ROW].height = 30
    sheet.cell(SUBTITLE_ROW, 1, literal(ledger.subheading)).font = Font(name=FONT, size=11)
    sheet.cell(SUBTITLE_ROW, 1).alignment = Alignment(horizontal="center")
    sheet.merge_cells(
        start_row=SUBTITLE_ROW, start_column=1, end_row=SUBTITLE_ROW, end_column=columns
    )

    header_fill = PatternFill("solid", fgColor="D9D9D9")
    for column, title in enumerate(HEADERS, start=1):
        cell = sheet.cell(HEADER_ROW, column, title)
        cell.font = Font(name=FONT, bold=True, size=12)
        cell.alignment = wrap_center
        cell.border = border
        cell.fill = header_fill

    body = Font(name=FONT, size=11)
    for offset, row in enumerate(ledger.rows):
        for column, value in enumerate(row.cells, start=1):
            # XML 1.0 cannot hold most control characters (openpyxl refuses them): shown escaped.
            cell = sheet.cell(FIRST_DATA_ROW + offset, column, literal(value) or None)
            if cell.data_type == "f":
                cell.data_type = "s"  # text beginning with "=" is data, never a formula
            cell.font = body
            cell.border = border
            cell.alignment = wrap_center if column in (1, 2, 5) else wrap_top
        sheet.row_dimensions[FIRST_DATA_ROW + offset].height = _row_height(row.cells[2:])

    for span in spans(ledger.rows, "area"):
        first, last = FIRST_DATA_ROW + span.first, FIRST_DATA_ROW + span.last
        if ledger.rows[span.first].section == SECTION_IMPLEMENTATION:
            # 组织实施 has no 具体任务: one block over both label columns.
            sheet.merge_cells(start_row=first, start_column=1, end_row=last, end_column=2)
        elif last > first:
            sheet.merge_cells(start_row=first, start_column=1, end_row=last, end_column=1)
    for span in spans(ledger.rows, "task"):
        first, last = FIRST_DATA_ROW + span.first, FIRST_DATA_ROW + span.last
        if ledger.rows[span.first].section != SECTION_IMPLEMENTATION and last > first:
            sheet.merge_cells(start_row=first, start_column=2, end_row=last, end_column=2)

    letters = "ABCDEF"
    for letter, width in zip(letters, COLUMN_WIDTHS, strict=False):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
