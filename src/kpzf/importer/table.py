"""The neutral table every reader produces: header, rows of cell texts, and where each came from."""

from __future__ import annotations

from dataclasses import field

from ..records import record
from .columns import ColumnMap
from .report import Finding

__all__ = ["Cell", "Origin", "Row", "Table"]


@record
class Origin:
    """A place in the source: file, sheet or table ("" for csv and text), 1-based row."""

    file: str
    part: str = ""
    row: int = 0
    column: int | None = None  # 1-based, when one cell is meant

    @property
    def where(self) -> str:
        parts = [self.file]
        if self.part:
            parts.append(self.part)
        if self.row:
            parts.append(str(self.row))
        return ":".join(parts)

    def at(self, column: int) -> Origin:
        return Origin(self.file, self.part, self.row, column)


@record
class Cell:
    """One cell's text as the source has it; `merged_from` is set when the text was copied
    from the first cell of a merged range (a vMerge, a merged xlsx range, a gridSpan)."""

    text: str
    merged_from: Origin | None = None


@record
class Row:
    origin: Origin
    cells: tuple[Cell, ...]  # one per header column
    joined: tuple[Origin, ...] = ()  # continuation lines or rows merged into this one

    def text(self, index: int | None) -> str:
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index].text

    def cell(self, index: int | None) -> Cell | None:
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]


@record
class Table:
    """A 台账 read from one source, before any interpretation of its cells."""

    file: str
    part: str  # sheet name, "表格1" (tables joined: the first), "" for csv/text
    kind: str  # "docx" | "xlsx" | "csv" | "text"
    header: tuple[str, ...]
    header_origin: Origin | None  # None when the columns were given by position only
    columns: ColumnMap
    rows: tuple[Row, ...]
    preamble: tuple[str, ...] = ()  # lines above the header: title, 文号, date
    body_text: str = ""  # the document's text before the table (text and docx sources)
    notes: tuple[Finding, ...] = field(default=())  # what the reader did on its own
