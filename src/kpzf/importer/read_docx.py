"""Word 台账 (.docx, python-docx): vertical merges filled down, gridSpan spread, tables that a
page break split in two (header repeated or not) joined into one."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from .columns import ColumnSpec, header_score
from .errors import SourceError
from .extras import require_extra
from .grid import COLUMNS_HINT, HEADER_NEEDED, locate, to_rows, usable
from .report import Finding, Subject
from .table import Cell, Origin, Row, Table
from .text import fold

__all__ = ["read_docx"]


def _open(path: Path) -> Any:
    require_extra("import")
    import docx  # type: ignore[import-untyped, unused-ignore]
    from docx.opc.exceptions import PackageNotFoundError  # type: ignore[import-untyped, unused-ignore]

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SourceError(
            str(path), f"不是有效的 Word 文档（.docx）：{exc}", hint="旧版 .doc 请先在 Word/WPS 中另存为 .docx"
        ) from None


Above = tuple[list[Cell], Origin]


def _grid(table: Any, file: str, part: str, above: Above | None) -> tuple[list[list[Cell]], list[Origin]]:
    """The table's cells on its layout grid.  `above` is the last row (and its origin) of the
    table this one continues, so that a vMerge running across the page break is filled too."""
    from docx.table import _Cell  # type: ignore[import-untyped, unused-ignore]

    grid: list[list[Cell]] = []
    origins: list[Origin] = []
    for r, tr in enumerate(table._tbl.tr_lst, start=1):
        origin = Origin(file, part, r)
        previous = (grid[-1], origins[-1]) if grid else above
        cells: list[Cell] = [Cell("")] * int(tr.grid_before or 0)
        for tc in tr.tc_lst:
            col = len(cells)
            span = max(int(tc.grid_span or 1), 1)
            if tc.vMerge == "continue" and previous is not None and col < len(previous[0]):
                source = previous[0][col]
                first = Cell(source.text, source.merged_from or previous[1].at(col + 1))
            else:
                first = Cell(_Cell(tc, table).text)
            cells.append(first)
            for _ in range(span - 1):  # a horizontal merge: the same text in every column it covers
                cells.append(Cell(first.text, first.merged_from or origin.at(col + 1)))
        grid.append(cells)
        origins.append(origin)
    return grid, origins


def _is_repeated_header(row: list[Cell], header_rows: list[list[Cell]]) -> bool:
    """The first table's header row(s) printed again on the next page."""
    if header_score([c.text for c in row]) >= 2:
        return True
    keys = [fold(c.text) for c in row]
    if not any(keys):
        return False
    for j, key in enumerate(keys):
        if key and key not in {fold(r[j].text) for r in header_rows if j < len(r)}:
            return False
    return True


def _paragraphs_before(document: Any, first_table: Any) -> list[str]:
    """The document's paragraphs in order up to `first_table` (the body, then the title)."""
    from docx.table import Table as DocxTable  # type: ignore[import-untyped, unused-ignore]

    texts: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, DocxTable):
            if item._tbl is first_table._tbl:
                break
            continue
        texts.append(item.text)
    return texts


def read_docx(path: Path, columns: ColumnSpec | None = None) -> Table:
    document = _open(path)
    file = str(path)
    tables = list(document.tables)
    if not tables:
        raise SourceError(file, "文档中没有表格", hint="台账应是 Word 表格；如是文本，请另存为 .txt 再导入")
    notes: list[Finding] = []
    # The 台账 is the first table with a header (an earlier table may be a form or a cover).
    start = None
    for t, table in enumerate(tables):
        grid, origins = _grid(table, file, f"表格{t + 1}", None)
        if usable(grid, columns):
            start = t
            break
    if start is None:
        raise SourceError(
            file,
            f"{len(tables)} 个表格中都找不到表头：{HEADER_NEEDED}",
            hint=COLUMNS_HINT,
        )
    part = f"表格{start + 1}"
    found = locate(grid, origins, columns, f"{file}:{part}")
    notes.extend(found.notes)
    h, column_map, preamble, header = found.header_index, found.columns, found.preamble, list(found.header)
    width = column_map.width
    header_rows = grid[h : found.start] if h is not None else []
    rows: list[Row] = list(to_rows(grid[found.start:], origins[found.start:], width))
    last: Above | None = (grid[-1], origins[-1]) if grid else None
    # Tables after it with the same number of columns are the same 台账 split by a page break.
    for t in range(start + 1, len(tables)):
        name = f"表格{t + 1}"
        more, more_origins = _grid(tables[t], file, name, last)
        more_width = max((len(r) for r in more), default=0)
        if more_width != width:
            notes.append(
                Finding(
                    "table-not-joined",
                    f"{name} 有 {more_width} 列，与台账（{width} 列）不同，未读取",
                    Subject("source", file),
                    where=f"{file}:{name}",
                )
            )
            continue
        skip = 0
        while skip < len(more) and skip < 3 and _is_repeated_header(more[skip], header_rows):
            skip += 1
        notes.append(
            Finding(
                "tables-joined",
                f"{name} 与 {part} 列数相同，视为同一台账跨页续表"
                + ("，重复的表头已去掉" if skip else "（没有重复表头）"),
                Subject("source", file),
                where=f"{file}:{name}",
            )
        )
        rows.extend(to_rows(more[skip:], more_origins[skip:], width))
        last = (more[-1], more_origins[-1]) if more else last
    paragraphs = _paragraphs_before(document, tables[start])
    body = "\n".join(paragraphs)
    if not preamble:
        titles = [p.strip() for p in paragraphs if p.strip()][-3:]
        preamble = tuple(titles)
    return Table(
        file=file,
        part=part,
        kind="docx",
        header=tuple(header),
        header_origin=origins[h] if h is not None else None,
        columns=column_map,
        rows=tuple(rows),
        preamble=preamble,
        body_text=body,
        notes=tuple(notes),
    )
