"""Reading filled 进度反馈表 back: xlsx (openpyxl) or csv, into rows of cells named by header.

Only reading happens here; what the rows mean is record/feedback.py's business. A sheet is
one of ours if a row near its top holds the key column's header (core/feedback.KEY); columns
are found by their headers, so a csv from a form that orders them differently still reads.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import field
from pathlib import Path
from typing import Any

from ..core import feedback as fb
from ..errors import UsageError
from ..io.files import UTF8_BOM
from ..records import record

HEADER_SEARCH_ROWS = 20
MAX_ROWS = 20000  # a sheet formatted down to row 1048576 is not read that far
MAX_BYTES = 64 * 1024 * 1024  # as for plan files


@record
class SheetRow:
    sheet: str | None  # the worksheet's name; None for csv
    row: int  # 1-based, as Excel/WPS number it (csv: the line's record number)
    cells: dict[str, Any]  # header → value as read (str, int, float, datetime, None)


@record(frozen=False)
class FeedbackFile:
    shown: str
    rows: list[SheetRow] = field(default_factory=list)
    error: str | None = None  # why the file cannot be read at all (then rows is empty)
    hint: str = ""


def text_of(value: Any) -> str:
    """A cell as text: numbers without a spurious .0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header_at(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [text_of(v).strip() for v in row]
        if fb.KEY in names:
            return index, {name: i for i, name in enumerate(names) if name in fb.COLUMNS}
    return None


def _rows(sheet: str | None, grid: list[list[Any]]) -> list[SheetRow] | None:
    found = _header_at(grid)
    if found is None:
        return None
    header, columns = found
    rows = []
    for index in range(header + 1, len(grid)):
        values = grid[index]
        cells = {name: values[i] if i < len(values) else None for name, i in columns.items()}
        if all(text_of(v).strip() == "" for v in cells.values()):
            continue  # blank rows below the table
        rows.append(SheetRow(sheet, index + 1, cells))
    return rows


def read_feedback(path: Path, shown: str) -> FeedbackFile:
    """The rows of every sheet of ours in the file, or why it cannot be read."""
    result = FeedbackFile(shown)
    try:
        size = path.stat().st_size
        if not path.is_file():
            result.error = "不是普通文件"
            return result
        if size > MAX_BYTES:
            result.error = f"文件过大（{size // (1024 * 1024)} MB）"
            return result
        data = path.read_bytes()
    except FileNotFoundError:
        result.error, result.hint = "文件不存在", "请检查路径"
        return result
    except OSError as exc:
        result.error = f"无法读取：{exc.strerror or exc}"
        return result
    if data.startswith(b"PK"):
        return _read_xlsx(data, result)
    return _read_csv(data, result)


def _read_xlsx(data: bytes, result: FeedbackFile) -> FeedbackFile:
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError:
        raise UsageError(
            "读取 xlsx 进度反馈表需要 openpyxl，当前环境没有安装",
            hint="请运行：pip install 'kpzf[xlsx]'；或把表格另存为 csv 再导入",
        ) from None
    from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        result.error = f"不是有效的 Excel 工作簿（.xlsx）：{exc}"
        result.hint = "WPS 中请另存为 .xlsx（Excel 工作簿）；旧版 .xls 不能读取"
        return result
    ours = False
    for ws in workbook.worksheets:
        grid = [list(r) for r in ws.iter_rows(values_only=True, max_row=MAX_ROWS)]
        rows = _rows(ws.title, grid)
        if rows is not None:
            ours = True
            result.rows.extend(rows)
    workbook.close()
    if not ours:
        result.error = f"不是 kpzf 的进度反馈表（没有一个工作表有“{fb.KEY}”一栏）"
        result.hint = "请用 kpzf export --format feedback 导出的表格填写"
    return result


def _read_csv(data: bytes, result: FeedbackFile) -> FeedbackFile:
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")  # WPS and Excel on Chinese Windows save csv as GBK
        except UnicodeDecodeError:
            result.error = "既不是 xlsx，也不是 UTF-8 或 GB18030 编码的 csv"
            return result
    try:
        grid: list[list[Any]] = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        result.error = f"csv 格式有误：{exc}"
        return result
    rows = _rows(None, grid[:MAX_ROWS])
    if rows is None:
        result.error = f"不是 kpzf 的进度反馈表（前 {HEADER_SEARCH_ROWS} 行中没有“{fb.KEY}”一栏）"
        result.hint = "csv 的表头须与 kpzf export --format feedback 导出的相同"
        return result
    result.rows = rows
    return result
