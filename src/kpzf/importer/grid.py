"""From a reader's grid of cells to a Table: find the header row, skip the title above it,
apply the column map.  Shared by the docx, xlsx and csv readers (text has its own aligner)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .columns import ColumnMap, ColumnSpec, Role, header_score, resolve_columns
from .errors import SourceError
from .report import Finding, Subject
from .table import Cell, Origin, Row
from .text import fold, squeeze

__all__ = ["HEADER_SEARCH_ROWS", "find_header", "locate", "no_header_error"]

# A title, a 文号 line, a date and an empty row or two sit above the header; a header further
# down than this is not a 台账's.
HEADER_SEARCH_ROWS = 30


def find_header(rows: Sequence[Sequence[Cell]], limit: int = HEADER_SEARCH_ROWS) -> int | None:
    """Index of the first row among the first `limit` that looks like a 台账 header."""
    for i, row in enumerate(rows[:limit]):
        if header_score([c.text for c in row]) >= 2:
            return i
    return None


def _header_named_by(rows: Sequence[Sequence[Cell]], spec: ColumnSpec) -> int | None:
    """The first row holding every header text that --columns names (主要措施=内容)."""
    wanted = [
        fold(ref) for _, ref in spec.entries
        if ref is not None and not ref.isdigit() and not re.fullmatch(r"[A-Za-z]{1,3}", ref)
    ]
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = {fold(c.text) for c in row}
        if wanted and all(w in keys for w in wanted):
            return i
    return None


def header_row(rows: Sequence[Sequence[Cell]], spec: ColumnSpec | None) -> int | None:
    """The header: a row that looks like one, or the row holding the header texts --columns
    names."""
    h = find_header(rows)
    if h is None and spec is not None and not spec.positional:
        h = _header_named_by(rows, spec)
    return h


def usable(rows: Sequence[Sequence[Cell]], spec: ColumnSpec | None) -> bool:
    """Whether a grid can be read as the 台账: it has a header, or --columns needs none."""
    return header_row(rows, spec) is not None or (spec is not None and spec.positional)


def no_header_error(where: str, limit: int = HEADER_SEARCH_ROWS) -> SourceError:
    return SourceError(
        where,
        f"前 {limit} 行中找不到表头：需要措施列（主要措施/具体工作措施/工作措施/任务）"
        "和单位列（责任单位/牵头单位/配合单位）或完成时限列的列名",
        hint="如表头文字不同，可用 --columns 指定各列，如 --columns 主要措施=C,责任单位=D",
    )


def _preamble(rows: Sequence[Sequence[Cell]]) -> tuple[str, ...]:
    lines: list[str] = []
    for row in rows:
        texts: list[str] = []
        for c in row:
            t = squeeze(c.text)
            if t and t not in texts:  # a merged title repeats across its columns
                texts.append(t)
        if texts:
            lines.append(" ".join(texts))
    return tuple(lines)


def locate(
    grid: Sequence[Sequence[Cell]],
    origins: Sequence[Origin],
    spec: ColumnSpec | None,
    where: str,
) -> tuple[int | None, int, ColumnMap, tuple[str, ...], list[Finding]]:
    """(header row index or None, first data row index, column map, preamble, notes).

    With no recognisable header and a positional --columns, the data starts at the first row
    that has text in the measure column; the rows above are preamble.
    """
    width = max((len(r) for r in grid), default=0)
    notes: list[Finding] = []
    h = header_row(grid, spec)
    if h is None and (spec is None or not spec.positional):
        raise no_header_error(where)
    if h is not None:
        header = [c.text for c in grid[h]]
        header += [""] * (width - len(header))
        columns = resolve_columns(header, width, spec, origins[h].where)
        preamble = _preamble(grid[:h])
        if preamble:
            notes.append(
                Finding(
                    "title-skipped",
                    f"表头（第 {origins[h].row} 行）上方的 {len(preamble)} 行视为标题，未作为数据："
                    + "；".join(f"“{p}”" for p in preamble),
                    Subject("source", where),
                    confirm=False,
                    where=origins[h].where,
                    detail=preamble,
                )
            )
        return h, h + 1, columns, preamble, notes
    columns = resolve_columns(None, width, spec, where)
    measure = columns.get(Role.MEASURE)
    first = next(
        (i for i, r in enumerate(grid) if measure is not None and measure < len(r) and fold(r[measure].text)),
        len(grid),
    )
    return None, first, columns, _preamble(grid[:first]), notes


def to_rows(
    grid: Sequence[Sequence[Cell]], origins: Sequence[Origin], width: int
) -> tuple[Row, ...]:
    """Non-empty rows, padded to `width` cells."""
    rows: list[Row] = []
    for cells, origin in zip(grid, origins, strict=True):
        if not any(fold(c.text) for c in cells):
            continue
        padded = tuple(cells[:width]) + (Cell(""),) * (width - len(cells))
        rows.append(Row(origin, padded))
    return tuple(rows)
