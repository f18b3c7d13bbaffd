"""Answers across several plans as Views: every sheet gets a 计划 column, every JSON row a "plan".

Built from the one-plan views (render.queries), so that each cell and key means what it means
for one plan; only the plan's name is added (README, "多个计划").
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from ..core.events import Calendar
from ..core.ledger import HEADERS, Ledger
from ..core.plans import PlanDueRow, ReportAcross, UnitAcross
from ..core.report import Report
from ..errors import UsageError
from .ics import calendar_ics
from .jsonforms import report_json, report_row_json
from .ledger import ledger_md
from .queries import light_last, overdue_view, report_view, unit_view, upcoming_view
from .sheets import Column, Sheet, View, csv_text

PLAN_HEADER = "计划"


def _with_plans(sheet: Sheet, keys: Sequence[str], title: str | None = None) -> Sheet:
    """The sheet with a first column naming each row's plan."""
    return Sheet(
        (Column(PLAN_HEADER, wrap="none"), *sheet.columns),
        [(key, *row) for key, row in zip(keys, sheet.rows, strict=True)],
        sheet.title if title is None else title,
        sheet.empty,
        sheet.title_style,
    )


def _due_across(view: View, rows: Sequence[PlanDueRow]) -> View:
    keys = [r.plan for r in rows]
    # A measure is one per plan: 措施 1 of two plans is two measures.
    measures = len({(r.plan, r.row.measure) for r in rows})
    summary = re.sub(r"涉及措施 \d+ 项", f"涉及措施 {measures} 项", view.summary, count=1)
    return View(
        sheets=tuple(_with_plans(s, keys) for s in view.sheets),
        data=[{"plan": r.plan, **d} for r, d in zip(rows, view.data, strict=True)],
        summary=summary,
        csv=None if view.csv is None else _with_plans(view.csv, keys),
        terms=view.terms,
    )


def overdue_across_view(
    rows: list[PlanDueRow], on: dt.date, unit: str | None, area: int | None, count: int
) -> View:
    return _due_across(overdue_view([r.row for r in rows], on, unit, area), rows)


def upcoming_across_view(
    rows: list[PlanDueRow], on: dt.date, days: int, unit: str | None, area: int | None, count: int
) -> View:
    view = upcoming_view([r.row for r in rows], on, days, unit, area)
    return _due_across(view, rows)


def unit_across_view(result: UnitAcross, count: int) -> View:
    """One table: the rows of every plan that knows the unit, each naming its plan."""
    views = [(key, duties, unit_view(duties)) for key, duties in result.parts]
    group = any(d.is_group for _, d, _ in views)
    columns = next(v.sheets[0].columns for _, d, v in views if d.is_group == group)
    width = len(columns)
    keys = [key for key, _, v in views for _ in v.sheets[0].rows]
    body = [tuple(row) + ("",) * (width - len(row)) for _, _, v in views for row in v.sheets[0].rows]
    sheet = _with_plans(
        Sheet(columns, body), keys, f"{result.identity} 应承担的措施（{len(views)} 个计划）"
    )
    duties = [d for _, u, _ in views for d in u.duties]
    summary = (
        f"{result.identity}（截至 {result.on}，{len(views)}/{count} 个计划）：承担措施 {len(duties)} 项，"
        f"逾期 {sum(d.overdue for d in duties)} 项，"
        + "；".join(f"{key} {len(u.duties)} 项" for key, u, _ in views)
    )
    data: dict[str, Any] = {
        "unit": result.identity,
        "date": result.on.isoformat(),
        "plans": [],
        "measures": [],
    }
    for key, _, v in views:
        one = dict(v.data)
        measures = one.pop("measures")
        one.pop("date")
        data["plans"].append({"plan": key, **one})
        data["measures"] += [{"plan": key, **m} for m in measures]
    return View((sheet,), data, summary, csv=light_last(sheet))


def report_across_view(result: ReportAcross, count: int) -> View:
    """Each plan's rows (its own 合计 left out), then the total over every plan."""
    views = [(key, r, report_view(r)) for key, r in result.parts]
    ranked = any(r.ranked for _, r, _ in views)
    total_view = report_view(Report(result.on, result.by, (), result.total, ranked=ranked))

    def joined(pick: Callable[[View], Sheet]) -> Sheet:
        """One plan's sheet after another (each without its 合计), then the total of all."""
        first = pick(views[0][2])
        keys: list[str] = []
        body: list[Sequence[str]] = []
        for key, _, v in views:
            rows = pick(v).rows[:-1]  # the last row is the plan's own total
            keys += [key] * len(rows)
            body += rows
        keys.append("")
        body.append(tuple(pick(total_view).rows[-1]))
        title = first.title.replace("）", f"，{count} 个计划）") if first.title else None
        return _with_plans(Sheet(first.columns, body), keys, title)

    sheet = joined(lambda v: v.sheets[0])
    csv = joined(lambda v: v.csv or v.sheets[0])
    data = {
        "date": result.on.isoformat(),
        "by": result.by,
        "plans": [key for key, _, _ in views],
        "rows": [{"plan": key, **row} for key, r, _ in views for row in report_json(r)["rows"]],
        "total": report_row_json(result.total),
        "rank": ranked,
    }
    return View((sheet,), data, total_view.summary, csv=csv)



# --------------------------------------------------------------------------- exports


def ledgers_csv(parts: Sequence[tuple[str, Ledger]]) -> str:
    """Every plan's 台账 rows in one CSV, a 计划 column first."""
    rows = [(key, *row.cells) for key, ledger in parts for row in ledger.rows]
    headers = {ledger.headers for _, ledger in parts}
    if len(headers) > 1:  # plans with different levels or columns cannot share one table
        shown = "；".join(f"{key}：{'｜'.join(ledger.headers)}" for key, ledger in parts)
        raise UsageError(
            f"各计划台账的栏目不同，不能合并为一个 CSV（{shown}）",
            hint="请每次只用一个 --plan 分别导出，或改用 --format md（每个计划一节）",
        )
    return csv_text((PLAN_HEADER, *(headers.pop() if headers else HEADERS)), rows)


def ledgers_md(parts: Sequence[tuple[str, Ledger]]) -> str:
    """One section per plan (its heading, 文号 and date), each table with a 计划 column."""
    return "\n".join(ledger_md(ledger, plan=key) for key, ledger in parts)


def calendars_ics(parts: Sequence[tuple[str, Calendar]]) -> str:
    """One VCALENDAR with every plan's events, each title starting with its plan's name.

    UIDs stay what each plan's own calendar has (re-importing updates the same events), except
    for plans sharing a UID domain (the same 文号): their UIDs take the plan's name as well.
    """
    domains: dict[str, int] = {}
    for _, cal in parts:
        for host in {e.uid.partition("@")[2] for e in cal.events}:
            domains[host] = domains.get(host, 0) + 1
    events = []
    for key, cal in parts:
        for event in cal.events:
            uid = event.uid
            if domains[uid.partition("@")[2]] > 1:
                uid = uid.replace("kpzf-", f"kpzf-{key}-", 1)
            events.append(replace(event, uid=uid, summary=f"【{key}】{event.summary}"))
    events.sort(key=lambda e: e.due)  # stable: plan order within a day
    names = "、".join(key for key, _ in parts)
    return calendar_ics(Calendar(f"{len(parts)} 个计划的任务节点（{names}）", parts[0][1].stamp, tuple(events)))


def plans_json(parts: Sequence[tuple[str, dict[str, Any]]]) -> str:
    """{"plans": [{"plan": key, …that plan's export --format json…}]}."""
    data = {"plans": [{"plan": key, **one} for key, one in parts]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
