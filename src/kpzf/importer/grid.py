"""From a reader's grid of cells to a Table: find the header row, skip the title above it,
apply the column map.  Shared by the docx, xlsx and csv readers (text has its own aligner)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..records import record
from .columns import ColumnMap, ColumnSpec, Role, header_score, match_header, resolve_columns
from .errors import SourceError
from .report import Finding, Subject
from .table import Cell, Origin, Row, Table
from .text import fold, squeeze

__all__ = ["COLUMNS_HINT", "HEADER_NEEDED", "HEADER_SEARCH_ROWS", "Located", "find_header", "header_row", "locate", "no_header_error", "table_of", "to_rows", "usable"]

# A title, a 文号 line, a date and an empty row or two sit above the header; a header further
# down than this is not a 台账's.
HEADER_SEARCH_ROWS = 30


def find_header(rows: Sequence[Sequence[Cell]], limit: int = HEADER_SEARCH_ROWS) -> int | None:
    """Index of the first row among the first `limit` that looks like a 台账 header."""
    for i, row in enumerate(rows[:limit]):
        if header_score([c.text for c in row]) >= 2:
            return i
    return None


# What a header must name, and how to name columns when it does not: for every "no header" error.
HEADER_NEEDED = (
    "需要措施列（主要措施/具体工作措施/工作措施/任务）和至少一个其他列"
    "（序号/重点任务/责任单位/牵头单位/完成时限等）的列名"
)
COLUMNS_HINT = "如表头文字不同，可用 --columns 指定各列，如 --columns 主要措施=C,责任单位=D"


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
        f"前 {limit} 行中找不到表头：{HEADER_NEEDED}",
        hint=COLUMNS_HINT,
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


@record
class Located:
    header_index: int | None  # None: no header row (positional --columns)
    start: int  # first data row
    header: tuple[str, ...]  # one text per column ("" where none); two header rows combined
    columns: ColumnMap
    preamble: tuple[str, ...]
    notes: tuple[Finding, ...]


def _spans(row: Sequence[Cell], j: int) -> bool:
    """Whether cell j is part of a horizontal merge (C1:D1 gives C and D the same text)."""
    text = fold(row[j].text)
    return any(
        fold(row[k].text) == text and (row[k].merged_from is not None or row[j].merged_from is not None)
        for k in (j - 1, j + 1)
        if 0 <= k < len(row)
    )


def _sub_header(grid: Sequence[Sequence[Cell]], h: int, width: int) -> list[str] | None:
    """The header when it takes two rows (责任单位 over 牵头单位｜配合单位): where the lower
    row differs from the upper one, it names a role under a merged or empty upper cell, and it
    holds no other text."""
    if h + 1 >= len(grid):
        return None
    top = list(grid[h]) + [Cell("")] * (width - len(grid[h]))
    sub = list(grid[h + 1]) + [Cell("")] * (width - len(grid[h + 1]))
    new = [j for j in range(width) if fold(sub[j].text) and fold(sub[j].text) != fold(top[j].text)]
    if not new:
        return None
    roles = match_header([sub[j].text if j in new else "" for j in range(width)])
    if set(roles.values()) != set(new) or Role.MEASURE in roles:
        return None  # the lower row holds other text: it is data
    for j in new:
        if fold(top[j].text) and not _spans(top, j):
            return None  # an upper cell of its own over a role word: the lower row is data
    return [sub[j].text if j in new else top[j].text for j in range(width)]


def locate(
    grid: Sequence[Sequence[Cell]],
    origins: Sequence[Origin],
    spec: ColumnSpec | None,
    where: str,
) -> Located:
    """Where the 台账 starts in a grid, and its columns.

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
        start = h + 1
        combined = _sub_header(grid, h, width)
        if combined is not None:
            header, start = combined, h + 2
            notes.append(
                Finding(
                    "two-row-header",
                    f"表头占第 {origins[h].row}、{origins[h + 1].row} 两行，已合并："
                    + "｜".join(fold(t) for t in header if fold(t)),
                    Subject("source", where),
                    where=origins[h].where,
                )
            )
        columns = resolve_columns(header, width, spec, origins[h].where)
        preamble = _preamble(grid[:h])
        if preamble:
            notes.append(
                Finding(
                    "title-skipped",
                    f"表头（第 {origins[h].row} 行）上方的 {len(preamble)} 行视为标题，未作为数据："
                    + "；".join(f"“{p}”" for p in preamble),
                    Subject("source", where),
                    where=origins[h].where,
                    detail=preamble,
                )
            )
        return Located(h, start, tuple(header), columns, preamble, tuple(notes))
    columns = resolve_columns(None, width, spec, where)
    measure = columns.get(Role.MEASURE)
    first = next(
        (i for i, r in enumerate(grid) if measure is not None and measure < len(r) and fold(r[measure].text)),
        len(grid),
    )
    return Located(None, first, ("",) * width, columns, _preamble(grid[:first]), tuple(notes))


def table_of(
    found: Located,
    grid: Sequence[Sequence[Cell]],
    origins: Sequence[Origin],
    *,
    file: str,
    part: str,
    kind: str,
    notes: Sequence[Finding],
) -> Table:
    """The Table of a located grid (csv, one xlsx sheet)."""
    h = found.header_index
    return Table(
        file=file,
        part=part,
        kind=kind,
        header=found.header,
        header_origin=origins[h] if h is not None else None,
        columns=found.columns,
        rows=to_rows(grid[found.start :], origins[found.start :], found.columns.width),
        preamble=found.preamble,
        notes=tuple(notes),
    )


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
