"""Choosing the reader for a 台账 file: by its content (zip packages), then by its suffix."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .columns import ColumnSpec
from .errors import SourceError
from .table import Table

__all__ = ["read_table"]

_UNSUPPORTED = {
    ".xls": "旧版 Excel 格式（.xls）不能直接读取，请在 Excel/WPS 中另存为 .xlsx",
    ".doc": "旧版 Word 格式（.doc）不能直接读取，请在 Word/WPS 中另存为 .docx",
    ".et": "WPS 表格格式不能直接读取，请另存为 .xlsx",
    ".wps": "WPS 文字格式不能直接读取，请另存为 .docx",
    ".pdf": "PDF 不能直接读取：请把台账表格复制为文本（制表符分隔）保存为 .txt，或另存为 .docx",
}


def _package_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def read_table(path: Path, *, sheet: str | None = None, columns: ColumnSpec | None = None) -> Table:
    """The 台账 in `path` as a neutral Table (raises SourceError or UsageError, exit 2)."""
    suffix = path.suffix.lower()
    if suffix in _UNSUPPORTED:
        raise SourceError(str(path), _UNSUPPORTED[suffix])
    if not path.exists():
        raise SourceError(str(path), "文件不存在")
    kind = _package_kind(path) if path.is_file() else None
    if kind == "zip":
        raise SourceError(str(path), "是压缩包，但既不是 .docx 也不是 .xlsx")
    if sheet is not None and kind != "xlsx":
        raise SourceError(str(path), "--sheet 只适用于 .xlsx 工作簿")
    if kind == "docx":
        from .read_docx import read_docx

        return read_docx(path, columns)
    if kind == "xlsx":
        from .read_xlsx import read_xlsx

        return read_xlsx(path, sheet, columns)
    if suffix in (".docx", ".xlsx", ".xlsm"):
        raise SourceError(str(path), f"扩展名是 {suffix}，但内容不是有效的 Office 文件")
    if suffix == ".csv":
        from .read_csv import read_csv

        return read_csv(path, columns)
    from .read_text import read_text

    return read_text(path, columns)
