"""Generic output formats for query results: Rich table, JSON, CSV (Excel/WPS) and Markdown."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .terminal import literal, literal_text

FORMATS_HELP = (
    "输出格式：table（表格，默认）、json、csv（Excel/WPS 可直接打开）、md（Markdown 表格）"
)


@dataclass(frozen=True)
class Column:
    header: str
    justify: str = "left"  # "left" or "right" (numbers)
    max_width: int | None = None  # table only: longer text is cut with "…" (csv/md keep it whole)


@dataclass(frozen=True)
class Sheet:
    """One table of a result: headings and rows of text, ready for any format."""

    columns: tuple[Column, ...]
    rows: Sequence[Sequence[str]]
    title: str | None = None
    empty: str = "（无）"


@dataclass(frozen=True)
class View:
    """A query result prepared for output: its sheets, its JSON data and a one-line summary.

    CSV has room for one table only: `csv`, or else the first sheet.
    """

    sheets: tuple[Sheet, ...]
    data: Any
    summary: str
    csv: Sheet | None = None


def as_table(view: View) -> Any:
    """Rich tables (CJK width handled by Rich); printed by `emit`, which owns the Console."""
    from rich import box
    from rich.console import Group
    from rich.table import Table

    tables = []
    for sheet in view.sheets:
        table = Table(
            title=None if sheet.title is None else literal_text(sheet.title),
            box=box.SIMPLE_HEAD,
            title_justify="left",
            header_style="bold",
            pad_edge=False,
        )
        for column in sheet.columns:
            table.add_column(
                literal_text(column.header),
                justify="right" if column.justify == "right" else "left",
                max_width=column.max_width,
                no_wrap=column.max_width is not None,
                overflow="ellipsis" if column.max_width is not None else "fold",
            )
        for row in sheet.rows:
            table.add_row(*(literal_text(cell) for cell in row))  # "[" in data is not markup
        if not sheet.rows:
            table.caption, table.caption_justify = literal_text(sheet.empty), "left"
        tables.append(table)
    return Group(*tables)


def as_json(view: View) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=2)`, byte for byte, plus a newline.

    Indented output goes through json's pure-Python encoder, whose `dumps` joins a list of
    millions of small chunks (~6× the text at 100× scale); writing the same chunks into one
    growing buffer keeps the peak near the size of the text.
    """
    buffer = io.StringIO()
    for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(view.data):
        buffer.write(chunk)
    buffer.write("\n")
    return buffer.getvalue()


def as_csv(view: View) -> str:
    """The primary sheet as CSV: UTF-8 with a BOM so that Excel and WPS detect the encoding."""
    import csv
    import io

    sheet = view.csv or view.sheets[0]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in sheet.columns])
    writer.writerows(sheet.rows)
    return "\ufeff" + buffer.getvalue()


def md_cell(text: str) -> str:
    """A Markdown table cell: `|` escaped, line breaks as <br>, so the row stays one row."""
    text = literal(text).replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(text.splitlines()) if "\n" in text or "\r" in text else text


def as_md(view: View) -> str:
    """GitHub-flavoured Markdown: one table per sheet, titled by a ### heading."""
    parts = []
    for sheet in view.sheets:
        lines = []
        if sheet.title:
            lines += [f"### {md_cell(sheet.title)}", ""]
        lines.append("| " + " | ".join(md_cell(c.header) for c in sheet.columns) + " |")
        lines.append(
            "|" + "|".join("---:" if c.justify == "right" else "---" for c in sheet.columns) + "|"
        )
        rows = sheet.rows or [[sheet.empty] + [""] * (len(sheet.columns) - 1)]
        lines += ["| " + " | ".join(md_cell(cell) for cell in row) + " |" for row in rows]
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


FORMATS: dict[str, Callable[[View], Any]] = {
    "table": as_table,
    "json": as_json,
    "csv": as_csv,
    "md": as_md,
}


_SLICE = 1 << 16


def emit(output: Any) -> None:
    """Write a formatter's result to stdout: text as is, Rich renderables through a Console.

    The Console is made here, at print time, on the current sys.stdout, so it sees whether
    stdout is a terminal and NO_COLOR (no colour for pipes, files or NO_COLOR=1).
    """
    if isinstance(output, str):
        # In slices: stdout encodes what it is given in one piece, a second copy of a large
        # report (~6 MB for `overdue --format json` at 100×) for nothing.
        for start in range(0, len(output), _SLICE):
            sys.stdout.write(output[start : start + _SLICE])
        return
    from rich.console import Console

    Console(file=sys.stdout, highlight=False, emoji=False).print(output)
