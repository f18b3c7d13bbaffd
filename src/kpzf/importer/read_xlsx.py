"""Excel 台账 (.xlsx, openpyxl): merged ranges filled, title rows above the header skipped,
the sheet chosen by name or as the first with a recognisable header."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from .columns import ColumnSpec
from .errors import SourceError
from .extras import require_extra
from .grid import HEADER_NEEDED, HEADER_SEARCH_ROWS, locate, no_header_error, table_of, usable
from .report import Finding, Subject
from .table import Cell, Origin, Table

__all__ = ["read_xlsx"]


def _open(path: Path) -> Any:
    require_extra("xlsx")
    import openpyxl  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped, unused-ignore]

    try:
        # Not read_only: merged ranges are only known to a fully loaded sheet.
        return openpyxl.load_workbook(str(path), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SourceError(
            str(path), f"不是有效的 Excel 工作簿（.xlsx）：{exc}", hint="旧版 .xls 请先另存为 .xlsx"
        ) from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# A 台账 has tens or hundreds of rows; a sheet formatted down to row 1048576 is not read that far.
MAX_ROWS = 20000


def _grid(ws: Any, file: str) -> tuple[list[list[Cell]], list[Origin], int]:
    """The sheet's cells (up to MAX_ROWS rows), merged ranges filled from their first cell;
    and how many date cells were turned into text."""
    values = [list(row) for row in ws.iter_rows(values_only=True, max_row=min(ws.max_row, MAX_ROWS))]
    grid = [[Cell(_text(v)) for v in row] for row in values]
    dates = sum(isinstance(v, dt.date) for row in values for v in row)
    for rng in ws.merged_cells.ranges:
        top, left = rng.min_row - 1, rng.min_col - 1
        if top >= len(grid) or left >= len(grid[top]):
            continue
        first = grid[top][left]
        source = Origin(file, ws.title, rng.min_row, rng.min_col)
        for r in range(top, min(rng.max_row, len(grid))):
            for c in range(left, min(rng.max_col, len(grid[r]))):
                if (r, c) != (top, left):
                    grid[r][c] = Cell(first.text, source)
    origins = [Origin(file, ws.title, r + 1) for r in range(len(grid))]
    return grid, origins, dates


def read_xlsx(path: Path, sheet: str | None = None, columns: ColumnSpec | None = None) -> Table:
    book = _open(path)
    file = str(path)
    names = list(book.sheetnames)
    if sheet is not None:
        if sheet not in names:
            raise SourceError(file, f"没有名为“{sheet}”的工作表", hint="工作表：" + "、".join(names))
        candidates = [book[sheet]]
    else:
        candidates = [ws for ws in book.worksheets if ws.sheet_state == "visible"] or list(book.worksheets)
    notes: list[Finding] = []
    for ws in candidates:
        grid, origins, dates = _grid(ws, file)
        if sheet is None and not usable(grid, columns):
            continue
        where = f"{file}:{ws.title}"
        found = locate(grid, origins, columns, where)
        notes.extend(found.notes)
        if sheet is None and len(names) > 1:
            notes.append(
                Finding(
                    "sheet-chosen",
                    f"读取工作表“{ws.title}”（第一个有表头的工作表）；其他工作表："
                    + "、".join(n for n in names if n != ws.title)
                    + "，可用 --sheet 选择",
                    Subject("source", file),
                    where=where,
                )
            )
        if ws.max_row > MAX_ROWS:
            notes.append(
                Finding(
                    "rows-cut",
                    f"工作表“{ws.title}”共 {ws.max_row} 行，只读取了前 {MAX_ROWS} 行",
                    Subject("source", file),
                    where=where,
                )
            )
        if dates:
            notes.append(
                Finding(
                    "date-cells",
                    f"工作表“{ws.title}”中有 {dates} 个日期格式的单元格，已按“YYYY年M月D日”读出",
                    Subject("source", file),
                    where=where,
                )
            )
        return table_of(found, grid, origins, file=file, part=ws.title, kind="xlsx", notes=notes)
    if sheet is not None:  # pragma: no cover - locate() raised already
        raise no_header_error(f"{file}:{sheet}")
    raise SourceError(
        file,
        f"{len(names)} 个工作表（{'、'.join(names)}）的前 {HEADER_SEARCH_ROWS} 行中都找不到表头：{HEADER_NEEDED}",
        hint="可用 --sheet 选择工作表，用 --columns 指定各列，如 --columns 主要措施=C,责任单位=D",
    )
