"""The 台账 table as CSV (for Excel/WPS) and as a Markdown table (for issues and wikis)."""

from __future__ import annotations

from ..core.ledger import Ledger
from .sheets import csv_text, md_table
from .terminal import literal


def ledger_csv(ledger: Ledger) -> str:
    """Every row with its area and task repeated, so that Excel's filters work on them."""
    return csv_text(ledger.headers, (row.cells for row in ledger.rows))


def ledger_md(ledger: Ledger, plan: str | None = None) -> str:
    """A heading, the 文号 and date, and the table; an area or task is named on its first row
    only, as the merged cells of the sheet show it (the CSV repeats them, for filtering)."""
    lines = [
        f"## {literal(ledger.heading)}",
        "",
        literal(ledger.subheading),
        "",
    ]
    cells = []
    previous = None
    for row in ledger.rows:
        row_cells = list(row.cells)
        for level in range(len(row.heads)):  # blank while every heading down to it repeats
            if previous is None or previous.section != row.section:
                break
            if previous.heads[: level + 1] != row.heads[: level + 1]:
                break
            row_cells[level] = ""
        cells.append(row_cells)
        previous = row
    if plan is not None:
        return "\n".join(lines + md_table(("计划", *ledger.headers), [[plan, *c] for c in cells])) + "\n"
    return "\n".join(lines + md_table(ledger.headers, cells)) + "\n"
