"""`kpzf export` formats by name: each turns (plan, as-of date, unit) into text or bytes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import NothingToExport
from ..model.plan import LoadedPlan
from .jsonforms import plan_data


@dataclass(frozen=True)
class Exporter:
    render: Callable[[LoadedPlan, dt.date, str | None], str | bytes]
    binary: bool = False  # refuses standard output: needs --output
    per_unit: bool = True  # takes --date and --unit
    prepare: Callable[[], None] | None = None  # fails early if an optional package is missing


def _json(plan: LoadedPlan, on: dt.date, unit: str | None) -> str:
    return json.dumps(plan_data(plan), ensure_ascii=False, indent=2) + "\n"


def _ics(plan: LoadedPlan, on: dt.date, unit: str | None) -> str:
    from ..core.events import calendar
    from .ics import calendar_ics

    events = calendar(plan, on, unit)
    if not events.events:
        # RFC 5545 requires at least one component: an empty VCALENDAR is not a calendar.
        raise NothingToExport(
            f"{unit or '计划'}没有带截止日期的节点，无法生成日历",
            hint="没有日期的措施（如“长期推进”）不生成日程；可用 --format md 查看承担的措施",
        )
    return calendar_ics(events)


def _xlsx(plan: LoadedPlan, on: dt.date, unit: str | None) -> bytes:
    from ..core.ledger import ledger
    from .xlsx import ledger_xlsx

    return ledger_xlsx(ledger(plan, on, unit))


def _require_openpyxl() -> None:
    from .xlsx import require_openpyxl

    require_openpyxl()


def _csv(plan: LoadedPlan, on: dt.date, unit: str | None) -> str:
    from ..core.ledger import ledger
    from .ledger import ledger_csv

    return ledger_csv(ledger(plan, on, unit))


def _md(plan: LoadedPlan, on: dt.date, unit: str | None) -> str:
    from ..core.ledger import ledger
    from .ledger import ledger_md

    return ledger_md(ledger(plan, on, unit))


EXPORTERS: dict[str, Exporter] = {
    "json": Exporter(_json, per_unit=False),
    "ics": Exporter(_ics),
    "xlsx": Exporter(_xlsx, binary=True, prepare=_require_openpyxl),
    "csv": Exporter(_csv),
    "md": Exporter(_md),
}
