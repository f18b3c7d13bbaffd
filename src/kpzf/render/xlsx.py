"""The 台账 as an Excel workbook in its official layout (needs the optional `openpyxl`)."""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from ..core.ledger import Ledger, Span, spans
from ..errors import UsageError
from ..model.resolve import SECTION_IMPLEMENTATION
from .terminal import literal

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

# Widths in Excel character units (a CJK character is about 2): 主要措施 carries the long text.
HEADING_WIDTHS = (18, 20, 20)  # one per level above the measures
MEASURE_WIDTH, UNITS_WIDTH, DEADLINE_WIDTH, PROGRESS_WIDTH = 60, 26, 24, 36


def column_widths(ledger: Ledger) -> tuple[int, ...]:
    """Widths of the plan's columns: its heading levels, then the measure's own columns."""
    deadline = (DEADLINE_WIDTH,) if ledger.with_deadline else ()
    return (*HEADING_WIDTHS[: ledger.depth], MEASURE_WIDTH, UNITS_WIDTH, *deadline, PROGRESS_WIDTH)
TITLE_ROW, SUBTITLE_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1
FONT = "宋体"  # what the official 台账 uses; WPS and Excel substitute where it is missing
BODY_SIZE = 11  # points
TITLE_HEIGHT, SUBTITLE_HEIGHT, HEADER_HEIGHT = 30.0, 18.0, 22.0

# Printing: A4 landscape at a fixed scale, so that kpzf knows where each page ends and can put
# the page breaks itself (a merged 重点任务/具体任务 cell is split there and labelled again on the
# next page: Excel, WPS and LibreOffice print a merged cell's text only once, at its top).
PAGE_WIDTH, PAGE_HEIGHT = 842.0, 595.0  # points, A4 landscape
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = 0.4, 0.6, 0.7  # inches
HEADER_MARGIN, FOOTER_MARGIN = 0.3, 0.3  # inches
PRINT_SCALE = 60  # percent: the six columns are ≈ 1,240 pt wide in LibreOffice (≈ 990 in Excel); 784 pt fit
PAGE_SLACK = 0.92  # of the printable height: row heights are estimates, fonts differ per program
CONTINUED = "（续）"

# Line height and glyph widths of the body font, generous enough for 宋体 in Excel/WPS and for
# the Noto CJK fonts LibreOffice substitutes (their line height is about 1.45 em).
LINE_HEIGHT = 16.0  # points per line at BODY_SIZE
ROW_PADDING = 6.0  # points above and below the text
CELL_PADDING_PX = 8  # pixels of a column's width that text cannot use

OVERDUE_FILL = "FFC7CE"  # the light red of Excel's "Bad" cell style
OVERDUE_FONT = "9C0006"
# The other 督办 lights of a row (core.ledger.LedgerRow.light), as (fill, font) in the colours
# of Excel's "Neutral" and "Good" cell styles; red is the overdue style above.
LIGHT_FILLS = {"yellow": ("FFEB9C", "9C5700"), "green": ("C6EFCE", "006100")}


def _openpyxl() -> Any:
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError:
        raise UsageError(
            "导出 xlsx 需要 openpyxl，当前环境没有安装",
            hint="请运行：pip install 'kpzf[xlsx]'",
        ) from None
    return openpyxl


def _em_width(text: str) -> float:
    """Width of a line in ems of the body font: wide (CJK, full-width) characters 1, others 0.55."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)


def _column_ems(width: float) -> float:
    """How many ems of body text fit on one line of a column `width` character units wide."""
    pixels = width * 7 + 5 - CELL_PADDING_PX  # Excel's column width → pixels (default font)
    return max(pixels / (BODY_SIZE * 96 / 72) - 0.5, 1.0)  # half an em lost to line breaking


def wrapped_lines(text: str, width: float) -> int:
    """Lines a cell's text takes when wrapped in a column `width` character units wide."""
    usable = _column_ems(width)
    return sum(max(math.ceil(_em_width(line) / usable), 1) for line in text.split("\n"))


def row_height(cells: Sequence[tuple[str, float]]) -> float:
    """Points for a row whose wrapped text fits: Excel does not grow rows written by openpyxl,
    and WPS shows one line per row until someone double-clicks every row border."""
    lines = max((wrapped_lines(text, width) for text, width in cells if text), default=1)
    return round(lines * LINE_HEIGHT + ROW_PADDING, 1)


def page_body_height() -> float:
    """Points of rows that fit on one printed page (at PRINT_SCALE, with slack)."""
    printable = PAGE_HEIGHT - (MARGIN_TOP + MARGIN_BOTTOM) * 72
    return printable / (PRINT_SCALE / 100) * PAGE_SLACK


def page_breaks(heights: Sequence[float], first_page_used: float, repeated: float) -> list[int]:
    """Indices (into `heights`) of the rows that start a new page."""
    budget = page_body_height()
    breaks = []
    used = first_page_used
    for index, height in enumerate(heights):
        if index and used + height > budget:
            breaks.append(index)
            used = repeated
        used += height
    return breaks


def _segments(span: Span, breaks: Sequence[int]) -> list[tuple[int, int]]:
    """A span of rows cut at the page breaks: (first, last) per page."""
    cuts = [b for b in breaks if span.first < b <= span.last]
    starts = [span.first, *cuts]
    ends = [c - 1 for c in cuts] + [span.last]
    return list(zip(starts, ends, strict=True))


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
    from openpyxl.worksheet.pagebreak import Break  # type: ignore[import-untyped]

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    # Excel's limit on sheet names is 31 characters, none of []:*?/\ (a unit name may hold them).
    sheet.title = _SHEET_NAME_FORBIDDEN.sub("_", literal(ledger.unit or "任务台账"))[:31] or "任务台账"
    workbook.properties.title = literal(ledger.heading)
    workbook.properties.creator = "kpzf"

    headers = ledger.headers
    columns = len(headers)
    depth = ledger.depth
    widths = column_widths(ledger)
    centred = {*range(1, depth + 1), *((depth + 3,) if ledger.with_deadline else ())}
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    wrap_center = Alignment(wrap_text=True, vertical="center", horizontal="center")

    sheet.cell(TITLE_ROW, 1, literal(ledger.heading)).font = Font(name=FONT, bold=True, size=16)
    sheet.cell(TITLE_ROW, 1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=columns)
    sheet.row_dimensions[TITLE_ROW].height = TITLE_HEIGHT
    sheet.cell(SUBTITLE_ROW, 1, literal(ledger.subheading)).font = Font(name=FONT, size=BODY_SIZE)
    sheet.cell(SUBTITLE_ROW, 1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(
        start_row=SUBTITLE_ROW, start_column=1, end_row=SUBTITLE_ROW, end_column=columns
    )
    sheet.row_dimensions[SUBTITLE_ROW].height = SUBTITLE_HEIGHT

    header_fill = PatternFill("solid", fgColor="D9D9D9")
    for column, title in enumerate(headers, start=1):
        cell = sheet.cell(HEADER_ROW, column, title)
        cell.font = Font(name=FONT, bold=True, size=12)
        cell.alignment = wrap_center
        cell.border = border
        cell.fill = header_fill
    sheet.row_dimensions[HEADER_ROW].height = HEADER_HEIGHT

    rows = ledger.rows
    level_spans = [spans(rows, level) for level in range(depth)]
    # A heading label in a single row makes that row as tall as the label needs.
    alone = [{s.first for s in found if s.first == s.last} for found in level_spans]
    heights = []
    for index, row in enumerate(rows):
        cells = list(zip(row.cells[depth:], widths[depth:], strict=True))
        if row.section != SECTION_IMPLEMENTATION:
            cells.extend(
                (row.heads[level], widths[level])
                for level in range(depth)
                if index in alone[level]
            )
        heights.append(row_height(cells))
    breaks = page_breaks(heights, TITLE_HEIGHT + SUBTITLE_HEIGHT + HEADER_HEIGHT, HEADER_HEIGHT)

    body = Font(name=FONT, size=BODY_SIZE)
    late_fill = PatternFill("solid", fgColor=OVERDUE_FILL)
    late_font = Font(name=FONT, size=BODY_SIZE, bold=True, color=OVERDUE_FONT)
    light_styles = {
        light: (PatternFill("solid", fgColor=fill), Font(name=FONT, size=BODY_SIZE, color=font))
        for light, (fill, font) in LIGHT_FILLS.items()
    }
    for offset, row in enumerate(rows):
        for column, value in enumerate(row.cells, start=1):
            # XML 1.0 cannot hold most control characters (openpyxl refuses them): shown escaped.
            cell = sheet.cell(FIRST_DATA_ROW + offset, column, literal(value) or None)
            if cell.data_type == "f":
                cell.data_type = "s"  # text beginning with "=" is data, never a formula
            cell.font = body
            cell.border = border
            cell.alignment = wrap_center if column in centred else wrap_top
        progress = sheet.cell(FIRST_DATA_ROW + offset, columns)
        if row.overdue:  # 逾期 as of the sheet's date: the cell a coordinator scans for
            progress.fill = late_fill
            progress.font = late_font
        elif row.light in light_styles:  # 督办 lights: yellow (due soon), green (done, on track)
            progress.fill, progress.font = light_styles[row.light]
        sheet.row_dimensions[FIRST_DATA_ROW + offset].height = heights[offset]

    def merge(span: Span, first_column: int, last_column: int) -> None:
        for part, (first, last) in enumerate(_segments(span, breaks)):
            top = sheet.cell(FIRST_DATA_ROW + first, first_column)
            top.value = span.label + (CONTINUED if part else "")
            for column in range(first_column, last_column + 1):  # borders of merged cells
                for index in range(first, last + 1):
                    sheet.cell(FIRST_DATA_ROW + index, column).border = border
            if last > first or last_column > first_column:
                sheet.merge_cells(
                    start_row=FIRST_DATA_ROW + first,
                    start_column=first_column,
                    end_row=FIRST_DATA_ROW + last,
                    end_column=last_column,
                )

    for level, found in enumerate(level_spans):
        for span in found:
            if rows[span.first].section == SECTION_IMPLEMENTATION:
                if level == 0:  # 组织实施 has no lower headings: one block over all of them
                    merge(span, 1, depth)
            else:
                merge(span, level + 1, level + 1)
    for index in breaks:  # a manual break after the last row of each page
        sheet.row_breaks.append(Break(id=FIRST_DATA_ROW + index - 1))

    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.scale = PRINT_SCALE
    sheet.sheet_properties.pageSetUpPr.fitToPage = False
    margins = sheet.page_margins
    margins.left = margins.right = MARGIN_SIDE
    margins.top, margins.bottom = MARGIN_TOP, MARGIN_BOTTOM
    margins.header, margins.footer = HEADER_MARGIN, FOOTER_MARGIN
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.left.text = ledger.doc_number
    sheet.oddFooter.left.size = 9
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddFooter.center.size = 9
    sheet.oddFooter.right.text = ledger.as_of
    sheet.oddFooter.right.size = 9

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
