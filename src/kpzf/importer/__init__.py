"""Reading a published 任务台账 (docx, xlsx, csv, PDF/web text) for drafting a plan.yaml.

read → `Table` (source.read_table) → `LedgerRow`s (ledger.build_rows) → `Analysis`
(analyse.analyse_table: units, roles, groups, aliases, deadlines, and the `Report` of what
was inferred and what needs a person's confirmation).
"""

from __future__ import annotations

from .analyse import AnalysedRow, Analysis, UnitEntry, analyse, analyse_table
from .columns import ColumnMap, ColumnSpec, Role, parse_columns
from .errors import SourceError
from .extras import require_extra
from .ledger import Heading, LedgerRow, build_rows
from .report import Finding, Report, Subject
from .source import read_table
from .table import Cell, Origin, Row, Table

__all__ = [
    "Analysis",
    "AnalysedRow",
    "Cell",
    "ColumnMap",
    "ColumnSpec",
    "Finding",
    "Heading",
    "LedgerRow",
    "Origin",
    "Report",
    "Role",
    "Row",
    "SourceError",
    "Subject",
    "Table",
    "UnitEntry",
    "analyse",
    "analyse_table",
    "build_rows",
    "parse_columns",
    "read_table",
    "require_extra",
]
