"""`kpzf export` formats by name: what each one is made from (a core builder) and how it is written.

Building the subject (the plan and its registry, the calendar, the 台账) is the core's job and
printing it the command's; each format here only names its builder and renders the result.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from ..model.plan import LoadedPlan
from ..records import record


@record
class Exporter:
    # core: what the file shows, from (plan, --date, --unit, --warn-days)
    subject: Callable[[LoadedPlan, dt.date, str | None, int | None], Any]
    render: Callable[[Any], str | bytes]  # the subject as the file's text or bytes
    binary: bool = False  # refuses standard output: needs --output
    per_unit: bool = True  # takes --date and --unit
    prepare: Callable[[], None] | None = None  # fails early if an optional package is missing
    lights: bool = False  # shows 督办 lights, so takes --warn-days


def _plan(
    plan: LoadedPlan, on: dt.date, unit: str | None, warn_days: int | None
) -> tuple[LoadedPlan, Any]:
    from ..core.queries import unit_listing

    return plan, unit_listing(plan)


def _plan_json(subject: tuple[LoadedPlan, Any]) -> str:
    from .jsonforms import plan_json

    return json.dumps(plan_json(*subject), ensure_ascii=False, indent=2) + "\n"


def _calendar(plan: LoadedPlan, on: dt.date, unit: str | None, warn_days: int | None) -> Any:
    from ..core.events import calendar_to_export

    return calendar_to_export(plan, on, unit)


def _ics(subject: Any) -> str:
    from .ics import calendar_ics

    return calendar_ics(subject)


def _ledger(plan: LoadedPlan, on: dt.date, unit: str | None, warn_days: int | None) -> Any:
    from ..core.ledger import ledger

    return ledger(plan, on, unit, warn_days)


def _xlsx(subject: Any) -> bytes:
    from .xlsx import ledger_xlsx

    return ledger_xlsx(subject)


def _require_openpyxl() -> None:
    from .xlsx import require_openpyxl

    require_openpyxl()


def _csv(subject: Any) -> str:
    from .ledger import ledger_csv

    return ledger_csv(subject)


def _md(subject: Any) -> str:
    from .ledger import ledger_md

    return ledger_md(subject)


def _feedback(plan: LoadedPlan, on: dt.date, unit: str | None, warn_days: int | None) -> Any:
    from ..core.feedback import feedback_sheet

    assert unit is not None  # the command requires --unit (or --all) for this format
    return feedback_sheet(plan, on, unit, warn_days)


def _feedback_xlsx(subject: Any) -> bytes:
    from .feedback import feedback_xlsx

    return feedback_xlsx(subject)


def feedback_csv(subject: Any) -> str:
    """The same sheet as CSV: `--output F.csv`, or standard output."""
    from .feedback import feedback_csv as render

    return render(subject)


EXPORTERS: dict[str, Exporter] = {
    "json": Exporter(_plan, _plan_json, per_unit=False),
    "ics": Exporter(_calendar, _ics),
    "xlsx": Exporter(_ledger, _xlsx, binary=True, prepare=_require_openpyxl, lights=True),
    "csv": Exporter(_ledger, _csv),
    "md": Exporter(_ledger, _md),
    # 进度反馈表: one unit's rows to fill in (xlsx; csv when --output ends in .csv or is omitted)
    "feedback": Exporter(_feedback, _feedback_xlsx, prepare=_require_openpyxl, lights=True),
}
