"""CSV 台账 and the byte decoding shared with the text reader: UTF-8 (with or without BOM),
UTF-16 with BOM (Excel's "Unicode 文本"), else GB18030 — tried strictly, in that order."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from .columns import ColumnSpec
from .errors import SourceError
from .grid import locate, no_header_error, table_of, usable
from .report import Finding, Subject
from .table import Cell, Origin, Table

__all__ = ["decode", "encoding_note", "read_bytes", "read_csv"]

# Larger than any 台账; a bigger file is not one (and would only cost memory).
MAX_BYTES = 50 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise SourceError(str(path), "文件不存在") from None
    except IsADirectoryError:
        raise SourceError(str(path), "这是一个目录，不是台账文件") from None
    except OSError as exc:
        raise SourceError(str(path), f"无法读取：{exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise SourceError(str(path), f"文件超过 {MAX_BYTES // 1024 // 1024} MB，不像是任务台账")
    return data


def decode(data: bytes, file: str) -> tuple[str, str]:
    """(text, encoding name as reported to the user)."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", "UTF-8（带 BOM）")]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "UTF-16")]
    else:
        candidates = [("utf-8", "UTF-8"), ("gb18030", "GB18030")]
    first_error: UnicodeDecodeError | None = None
    for codec, name in candidates:
        try:
            return data.decode(codec), name
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    assert first_error is not None
    line = data.count(b"\n", 0, first_error.start) + 1
    raise SourceError(
        f"{file}:{line}",
        f"无法识别文件编码：既不是 UTF-8 也不是 GB18030（第 {first_error.start + 1} 字节）",
        hint="请在 Excel/WPS 中另存为“CSV UTF-8”",
    )


def encoding_note(encoding: str, file: str) -> Finding:
    return Finding(
        "encoding",
        f"按 {encoding} 编码读取" + ("（UTF-8 解码失败）" if encoding == "GB18030" else ""),
        Subject("source", file),
        where=file,
    )


def _records(text: str, delimiter: str) -> tuple[list[list[Cell]], list[int]]:
    """Cells of each record and the line it starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid: list[list[Cell]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            grid.append([Cell(v) for v in record])
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise SourceError(f"?:{reader.line_num}", f"CSV 格式错误：{exc}") from None
    return grid, lines


def read_csv(path: Path, columns: ColumnSpec | None = None) -> Table:
    file = str(path)
    text, encoding = decode(read_bytes(path), file)
    if "\x00" in text:
        raise SourceError(file, "文件含有 NUL 字符，不是文本 CSV", hint="请从 Excel/WPS 另存为“CSV UTF-8”")
    # Excel writes ',' (and ';' in some locales); a tab-separated export is saved as .csv too.
    first_line = text.split("\n", 1)[0]
    delimiters = sorted(",;\t", key=lambda d: -first_line.count(d))
    last_error: SourceError | None = None
    for delimiter in delimiters:
        try:
            grid, lines = _records(text, delimiter)
        except SourceError as exc:
            last_error = SourceError(exc.where.replace("?", file, 1), exc.message.split(": ", 1)[-1])
            continue
        origins = [Origin(file, "", n) for n in lines]
        if not usable(grid, columns):
            last_error = last_error or no_header_error(file)
            continue
        found = locate(grid, origins, columns, file)
        notes = [*found.notes, encoding_note(encoding, file)]
        return table_of(found, grid, origins, file=file, part="", kind="csv", notes=notes)
    assert last_error is not None
    raise last_error
