"""The 进度反馈表 as an Excel workbook (protected, with dropdowns) and as CSV.

The plan's and the log's columns are locked (sheet protection without a password: anyone can
lift it, but nobody changes them by accident), the columns to fill are unlocked, 状态 is a
dropdown of the status vocabulary, the two date columns accept dates only, and a hidden last
column carries each row's key (core/feedback.py). Printing: A4 landscape, fit to one page wide,
the header row repeated on every page, row heights computed for the wrapped Chinese text.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ..core import feedback as fb
from ..core.feedback import FeedbackRow, FeedbackSheet
from ..core.lights import RED, YELLOW
from ..model.progress import STATUSES
from .sheets import csv_text
from .terminal import literal
from .xlsx import FONT, LIGHT_FILLS, OVERDUE_FILL, OVERDUE_FONT, _openpyxl, row_height

# Widths in Excel character units (a CJK character is about 2).
WIDTHS = {
    fb.MEASURE: 6,
    fb.TEXT: 38,
    fb.WHAT: 13,
    fb.DUE: 11,
    fb.CURRENT: 18,
    fb.LAST_NOTE: 16,
    fb.STATUS: 9,
    fb.DONE_ON: 11,
    fb.PROGRESS: 26,
    fb.EVIDENCE: 16,
    fb.NEW_DUE: 11,
    fb.REASON: 16,
    fb.KEY: 30,
}
TITLE_ROW, SUBTITLE_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3, 4
FIRST_DATA_ROW = HEADER_ROW + 1
BODY_SIZE = 10.5
LOCKED_FILL = "F2F2F2"  # light grey: kpzf's columns
HEADER_FILL = "D9D9D9"
FILL_HEADER_FILL = "FFF2CC"  # light yellow: the columns to fill in
SOON_FILL, SOON_FONT = LIGHT_FILLS[YELLOW]  # the 台账's 黄灯 (Excel's "Neutral" style)
DATE_FORMAT = "yyyy-mm-dd"
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

INSTRUCTIONS = (
    "填写说明：灰色各栏由 kpzf 生成，已锁定，请勿修改；请在右侧白色各栏填写本单位的进展："
    "“状态”从下拉列表中选择；已完成的填“完成日期”（如 2024-06-20）；延期的填“申请延期至”和“延期原因”；"
    "“进展情况”“佐证材料/文号”写明做了什么、依据哪个文件。没有变化的行留空即可。"
    "请勿增删行、调换行序，也不要修改隐藏的最后一栏（行键）。"
)


def subtitle(sheet: FeedbackSheet) -> str:
    number = f"（{sheet.doc_number}）" if sheet.doc_number else ""
    return (
        f"{sheet.title}{number}　填报单位：{sheet.unit}　"
        f"当前状态截至 {sheet.on.isoformat()}　计划修订 {sheet.revision}"
    )


def _cells(row: FeedbackRow) -> tuple[str, ...]:
    return tuple(literal(c) for c in row.locked_cells)


def feedback_csv(sheet: FeedbackSheet) -> str:
    """Header and one line per row: the locked cells, empty cells to fill, the key last."""
    blank = ("",) * len(fb.FILLED)
    return csv_text(fb.COLUMNS, ((*_cells(r), *blank, r.key(_cells(r))) for r in sheet.rows))


def sheet_name(unit: str) -> str:
    """Excel's limit: 31 characters, none of []:*?/\\ (a unit name may hold them)."""
    return _SHEET_NAME_FORBIDDEN.sub("_", literal(unit))[:31] or "进度反馈表"


def feedback_xlsx(sheet: FeedbackSheet) -> bytes:
    openpyxl = _openpyxl()
    from openpyxl.styles import (  # type: ignore[import-untyped]
        Alignment,
        Border,
        Font,
        PatternFill,
        Protection,
        Side,
    )
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet_name(sheet.unit)
    workbook.properties.title = literal(f"{sheet.title}进度反馈表（{sheet.unit}）")
    workbook.properties.creator = "kpzf"

    columns = fb.COLUMNS
    visible = len(columns) - 1  # the key column is hidden
    letter = {name: get_column_letter(i) for i, name in enumerate(columns, start=1)}
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_left = Alignment(wrap_text=True, vertical="center")
    centred = Alignment(wrap_text=True, vertical="center", horizontal="center")
    body = Font(name=FONT, size=BODY_SIZE)
    grey = PatternFill("solid", fgColor=LOCKED_FILL)
    unlocked = Protection(locked=False)

    def banner(row: int, text: str, font: Any, height: float, align: Any) -> None:
        cell = ws.cell(row, 1, literal(text))
        cell.font = font
        cell.alignment = align
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=visible)
        ws.row_dimensions[row].height = height

    banner(
        TITLE_ROW,
        f"进度反馈表（{sheet.unit}）",
        Font(name=FONT, bold=True, size=16),
        30.0,
        Alignment(horizontal="center", vertical="center"),
    )
    banner(SUBTITLE_ROW, subtitle(sheet), Font(name=FONT, size=BODY_SIZE), 18.0, centred)
    total_width = sum(WIDTHS[c] for c in columns[:visible])
    banner(
        NOTE_ROW,
        INSTRUCTIONS,
        Font(name=FONT, size=BODY_SIZE),
        row_height([(INSTRUCTIONS, total_width)]),
        Alignment(wrap_text=True, vertical="center"),
    )

    for column, title in enumerate(columns, start=1):
        cell = ws.cell(HEADER_ROW, column, title)
        cell.font = Font(name=FONT, bold=True, size=11)
        cell.alignment = centred
        cell.border = border
        cell.fill = PatternFill(
            "solid", fgColor=FILL_HEADER_FILL if title in fb.FILLED else HEADER_FILL
        )
    ws.row_dimensions[HEADER_ROW].height = 30.0

    late_fill = PatternFill("solid", fgColor=OVERDUE_FILL)
    late_font = Font(name=FONT, size=BODY_SIZE, bold=True, color=OVERDUE_FONT)
    soon_fill = PatternFill("solid", fgColor=SOON_FILL)
    soon_font = Font(name=FONT, size=BODY_SIZE, bold=True, color=SOON_FONT)
    short = {fb.MEASURE, fb.DUE, fb.STATUS, fb.DONE_ON, fb.NEW_DUE}
    for offset, row in enumerate(sheet.rows):
        number = FIRST_DATA_ROW + offset
        written = _cells(row)
        values: list[Any] = [*written, *([None] * len(fb.FILLED)), row.key(written)]
        if row.numeric:
            values[0] = int(row.measure_id)  # 17, not "17" (no "number stored as text" marks)
        for column, (name, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = ws.cell(number, column, value if value != "" else None)
            if cell.data_type == "f":
                cell.data_type = "s"  # text beginning with "=" is data, never a formula
            cell.font = body
            cell.border = border
            cell.alignment = centred if name in short else wrap_left
            if name in fb.FILLED:
                cell.protection = unlocked
                if name in (fb.DONE_ON, fb.NEW_DUE):
                    cell.number_format = DATE_FORMAT
            else:
                cell.fill = grey
        if row.light in (RED, YELLOW):  # the cell a liaison (and the coordinator) scans for
            current = ws.cell(number, columns.index(fb.CURRENT) + 1)
            current.fill = late_fill if row.light == RED else soon_fill
            current.font = late_font if row.light == RED else soon_font
        ws.row_dimensions[number].height = row_height(
            [(text, WIDTHS[name]) for name, text in zip(columns, written, strict=False)]
        )

    last = FIRST_DATA_ROW + max(len(sheet.rows), 1) - 1
    statuses = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="状态",
        error="请从下拉列表中选择：" + "、".join(STATUSES),
        showInputMessage=True,
        promptTitle="状态",
        prompt="从下拉列表中选择；没有变化的行留空",
    )
    statuses.add(f"{letter[fb.STATUS]}{FIRST_DATA_ROW}:{letter[fb.STATUS]}{last}")
    ws.add_data_validation(statuses)
    for name, prompt in (
        (fb.DONE_ON, "已完成的填完成日期，如 2024-06-20"),
        (fb.NEW_DUE, "延期的填申请的新截止日期，如 2025-03-31"),
    ):
        dates = DataValidation(
            type="date",
            operator="greaterThan",
            formula1="DATE(1900,1,1)",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=name,
            error="请填写日期，如 2024-06-20",
            showInputMessage=True,
            promptTitle=name,
            prompt=prompt,
        )
        dates.add(f"{letter[name]}{FIRST_DATA_ROW}:{letter[name]}{last}")
        ws.add_data_validation(dates)

    for name in columns:
        ws.column_dimensions[letter[name]].width = WIDTHS[name]
    ws.column_dimensions[letter[fb.KEY]].hidden = True
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{letter[columns[visible - 1]]}{last}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    margins = ws.page_margins
    margins.left = margins.right = 0.4
    margins.top, margins.bottom = 0.6, 0.7
    margins.header = margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    ws.oddFooter.left.text = literal(sheet.unit)
    ws.oddFooter.left.size = 9
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9
    ws.oddFooter.right.text = f"截至 {sheet.on.isoformat()}"
    ws.oddFooter.right.size = 9

    # Locked cells stay selectable (copying the text is fine); rows and columns may be resized
    # so a long note can be read; nothing else. No password: protection prevents accidents.
    protection = ws.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
