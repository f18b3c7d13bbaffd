"""Generic output formats for query results: Rich table, JSON, CSV (Excel/WPS) and Markdown."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from ..io.files import UTF8_BOM
from ..records import record
from .terminal import literal

FORMATS_HELP = (
    "输出格式：table（表格，默认）、json、csv（Excel/WPS 可直接打开）、md（Markdown 表格）"
)


@record
class Column:
    header: str
    justify: str = "left"  # "left" or "right" (numbers: never wrapped, see render.layout)
    max_width: int | None = None  # table only: longer text is cut with "…" (csv/md keep it whole)
    # How a table may break the column's cells: "text" (between words, names, numbers),
    # "list" (only after "、": unit lists), "none" (never: dates, statuses, short words).
    wrap: str = "text"
    # Table only: cells a wrapping column keeps at least (so that short phrases such as
    # 形成阶段性成果 stay on one line); the layout gives up a table before going below it.
    min_width: int = 0


@record
class Sheet:
    """One table of a result: headings and rows of text, ready for any format."""

    columns: tuple[Column, ...]
    rows: Sequence[Sequence[str]]
    title: str | None = None
    empty: str = "（无）"
    title_style: str = "bold"  # table only: "bold red" draws the eye to what needs it


@record
class View:
    """A query result prepared for output: its sheets, its JSON data and a one-line summary.

    CSV has room for one table only: `csv`, or else the first sheet.
    """

    sheets: tuple[Sheet, ...]
    data: Any
    summary: str
    csv: Sheet | None = None
    terms: frozenset[str] = frozenset()  # names (units, groups) a table never breaks across lines


# 督办 lights in tables: the words (core.lights.LIGHT_WORDS) in their colour. Without colour
# (a pipe, a file, NO_COLOR) Rich drops the styles and the words read the same.
LIGHT_COLOURS = {"red": "bold red", "yellow": "bold yellow", "green": "bold green"}


def _light_styles() -> dict[str, str]:
    from ..core.lights import LIGHT_WORDS  # at print time: start-up stays as light as before

    return {LIGHT_WORDS[light]: colour for light, colour in LIGHT_COLOURS.items()}


class TableOutput:
    """Query sheets for a terminal, laid out when printed, at the width of the console.

    render.layout does the layout (pure text); this only styles its lines for Rich.
    """

    def __init__(self, view: View) -> None:
        self.view = view

    def lines(self, width: int) -> list[tuple[str, str]]:
        """(text, style) of every line for a window `width` cells wide."""
        from .layout import sheet_lines

        out: list[tuple[str, str]] = []
        terms = frozenset(literal(term) for term in self.view.terms)
        for index, sheet in enumerate(self.view.sheets):
            if index:
                out.append(("", ""))
            # Made literal before the layout, so that widths count the escapes a person sees.
            out += [(line.text, line.style) for line in sheet_lines(literal_sheet(sheet), width, terms)]
        return out

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.text import Text

        styles = {"title": "bold", "header": "bold", "label": "bold"}
        lights = _light_styles()
        for text, style in self.lines(options.max_width):
            # Text, not markup: "[" in data stays "["; lines already fit, so never re-wrapped.
            line = Text(text, style=styles.get(style, ""), no_wrap=True, overflow="ignore")
            if style not in ("title", "header"):
                for word, colour in lights.items():
                    if word in text:
                        line.highlight_words([word], colour)
            yield line


def literal_sheet(sheet: Sheet) -> Sheet:
    """The sheet with every text made literal for a terminal (render.terminal)."""
    return Sheet(
        tuple(replace(c, header=literal(c.header)) for c in sheet.columns),
        [[literal(cell) for cell in row] for row in sheet.rows],
        None if sheet.title is None else literal(sheet.title),
        literal(sheet.empty),
    )


def as_table(view: View) -> Any:
    """Terminal tables; laid out by `emit`'s Console at its width (see render.layout)."""
    return TableOutput(view)


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


# Without it Excel and WPS read UTF-8 CSV as the local code page (GBK).
CSV_BOM = UTF8_BOM.decode("utf-8")


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """RFC 4180 CSV for Excel and WPS: a BOM, CRLF rows, fields with , " or line breaks quoted."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if sys.version_info < (3, 11):  # csv there cannot write NUL ("need to escape"); 3.11 can
        return CSV_BOM + _csv_with_nul(writer, buffer, headers, rows)
    writer.writerow(headers)
    writer.writerows(rows)
    return CSV_BOM + buffer.getvalue()


def _csv_with_nul(
    writer: Any, buffer: io.StringIO, headers: Sequence[str], rows: Iterable[Sequence[str]]
) -> str:
    """What Python 3.11's csv writes, on 3.10: NUL is an ordinary character to it (never quoted,
    written as it is), so a stand-in the text does not contain is written and put back."""
    table = [list(headers), *(list(row) for row in rows)]
    text = "".join(cell for row in table for cell in row if isinstance(cell, str))
    if "\x00" not in text:
        writer.writerows(table)
        return buffer.getvalue()
    stand_in = next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)  # private use
    writer.writerows(
        [[c.replace("\x00", stand_in) if isinstance(c, str) else c for c in row] for row in table]
    )
    return buffer.getvalue().replace(stand_in, "\x00")


def as_csv(view: View) -> str:
    """The primary sheet as CSV."""
    sheet = view.csv or view.sheets[0]
    return csv_text([c.header for c in sheet.columns], sheet.rows)


def md_cell(text: str) -> str:
    """The one Markdown escaper: backslash and `|` escaped, each line trimmed and the lines
    joined by <br> (a raw line break would end the table row); text is made literal first
    (render.terminal: control characters and escapes shown, never acted on)."""
    text = literal(text.replace("\r\n", "\n")).replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(line.strip() for line in _LINE_BREAKS.split(text))


_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


def md_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    right: Sequence[bool] = (),
    blank: str = "",
) -> list[str]:
    """The lines of a Markdown table; `right` marks the columns aligned right (numbers), and
    `blank` is what an empty cell shows (diff writes a space: "no old value", visibly)."""
    aligned = list(right) + [False] * (len(headers) - len(right))
    lines = ["| " + " | ".join(md_cell(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---:" if r else "---" for r in aligned) + "|")
    lines += ["| " + " | ".join(md_cell(cell) or blank for cell in row) + " |" for row in rows]
    return lines


def as_md(view: View) -> str:
    """GitHub-flavoured Markdown: one table per sheet, titled by a ### heading."""
    parts = []
    for sheet in view.sheets:
        lines = []
        if sheet.title:
            lines += [f"### {md_cell(sheet.title)}", ""]
        rows = sheet.rows or [[sheet.empty] + [""] * (len(sheet.columns) - 1)]
        right = [c.justify == "right" for c in sheet.columns]
        lines += md_table([c.header for c in sheet.columns], rows, right)
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
    if isinstance(output, TableOutput) and _print_plain(output):
        return
    from rich.console import Console

    Console(file=sys.stdout, highlight=False, emoji=False).print(output)


# Rich's own switches for "this output is a terminal" (rich.console.Console.is_terminal/size).
_RICH_TERMINAL_VARIABLES = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS")


def _plain_width() -> int | None:
    """The width Rich's Console would lay tables out at, when it would print them as plain text.

    None whenever Rich might do anything but write the lines as they are (a terminal, colour
    forced, Windows, an odd COLUMNS): then `emit` leaves the printing to Rich.
    """
    if sys.platform == "win32" or any(name in os.environ for name in _RICH_TERMINAL_VARIABLES):
        return None
    isatty = getattr(sys.stdout, "isatty", None)
    try:
        if isatty is None or isatty():
            return None
    except ValueError:
        return None
    columns = os.environ.get("COLUMNS")
    if columns is not None:
        return int(columns) if columns.isdigit() and int(columns) > 0 else None
    for descriptor in (0, 1, 2):  # as Rich: the first standard stream that is a terminal
        try:
            return os.get_terminal_size(descriptor).columns or 80
        except (AttributeError, ValueError, OSError):
            continue
    return 80


# What Rich's Text would not print as is: tabs (expanded), line breaks, the control codes it strips.
_RICH_CHANGES = re.compile("[\t\n\x07\x08\x0b\x0c\r]")


def _print_plain(output: TableOutput) -> bool:
    """Print the table's lines without importing Rich, when that gives Rich's bytes exactly.

    Off a terminal Rich writes each laid-out line followed by a newline, with no styles; it
    would also expand tabs, drop control codes and crop lines wider than the console, so those
    go through Rich.
    tests/unit/render/test_plain_tables.py compares the two.
    """
    width = _plain_width()
    if width is None:
        return False
    from .layout import cell_len

    lines = [text for text, _ in output.lines(width)]
    if any(_RICH_CHANGES.search(text) or cell_len(text) > width for text in lines):
        return False
    sys.stdout.write("".join(text + "\n" for text in lines))
    sys.stdout.flush()
    return True
