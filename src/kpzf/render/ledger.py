"""The 台账 table as CSV (for Excel/WPS) and as a Markdown table (for issues and wikis)."""

from __future__ import annotations

import csv
import io

from ..ledger import HEADERS, Ledger
from .terminal import literal

BOM = "\ufeff"  # without it Excel and WPS read UTF-8 CSV as the local code page (GBK)


def ledger_csv(ledger: Ledger) -> str:
    """RFC 4180 CSV: CRLF rows, fields with commas, quotes or line breaks quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in ledger.rows:
        writer.writerow(row.cells)
    return BOM + buffer.getvalue()


def _md_cell(text: str) -> str:
    """A GitHub table cell: pipes escaped, line breaks as <br> (a raw newline ends the row)."""
    text = literal(text.replace("\r\n", "\n")).replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(line.strip() for line in text.replace("\r\n", "\n").split("\n"))


def ledger_md(ledger: Ledger) -> str:
    """A heading, the 文号 and date, and the table; an area or task is named on its first row
    only, as the merged cells of the sheet show it (the CSV repeats them, for filtering)."""
    lines = [
        f"## {literal(ledger.heading)}",
        "",
        literal(ledger.subheading),
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "---|" * len(HEADERS),
    ]
    previous = None
    for row in ledger.rows:
        cells = list(row.cells)
        if previous is not None and (previous.section, previous.area) == (row.section, row.area):
            cells[0] = ""
            if previous.task == row.task:
                cells[1] = ""
        lines.append("| " + " | ".join(_md_cell(cell) for cell in cells) + " |")
        previous = row
    return "\n".join(lines) + "\n"
