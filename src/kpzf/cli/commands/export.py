"""`kpzf export`: the resolved plan for other programs, calendars and the 台账 spreadsheet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from ...core.names import find_single_unit
from ...errors import UsageError
from ...io.output import check_target, write_file, write_stdout
from ..app import (
    PLAN_OPTION,
    app,
    choose,
    err,
    open_plan,
    open_plans,
    parse_date,
    sources,
    summary,
    summary_across,
)
from ..completion import complete_unit


@app.command(
    help="""导出计划：json（完整数据）、ics（日历）、xlsx（任务台账表格）、csv、md。

ics：每个带日期的节点一个全天日程，提前 7 天提醒；可用 --unit 只导出某单位的节点。
xlsx、csv、md：台账原格式（重点任务｜具体任务｜主要措施｜责任单位｜完成时限｜进度情况），
进度情况取自截至 --date 的进度记录；--unit 只列该单位承担的措施及其进度（报送牵头单位用）。
xlsx 须用 --output 指定文件，并需安装可选依赖：pip install 'kpzf\\[xlsx]'。

示例：

  kpzf export --format json > plan.json

  kpzf export --format ics --unit 城关镇 --output 城关镇.ics

  kpzf export --format xlsx --unit 公安 --date 2024-12-31 --output 市公安局台账.xlsx

  kpzf export --format md --date 2024-07-01
"""
)
def export(
    ctx: typer.Context,
    format: str = typer.Option("json", "--format", "-f", help="导出格式：json、ics、xlsx、csv、md"),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help="写入此文件（默认输出到标准输出；xlsx 必须指定）",
    ),
    date: str | None = typer.Option(
        None, "--date", metavar="YYYY-MM-DD", help="进度截至此日，如 2024-12-31、2024年12月31日（默认今天；json 不适用）"
    ),
    unit: str | None = typer.Option(
        None,
        "--unit",
        "-u",
        metavar="UNIT",
        help="只导出此单位的节点或措施（可用简称；json 不适用）",
        autocompletion=complete_unit,
    ),
    plan_path: list[str] | None = PLAN_OPTION,
) -> None:
    from ...render.exports import EXPORTERS  # the exporters only for `kpzf export`

    exporter = EXPORTERS[choose(format, tuple(EXPORTERS), "--format")]
    if not exporter.per_unit and (date is not None or unit is not None):
        raise UsageError(
            f"--date 和 --unit 不适用于 {format} 格式（它导出完整计划）",
            hint="按日期或单位导出请用 ics、xlsx、csv 或 md",
        )
    if exporter.binary and output is None:
        raise UsageError(
            f"{format} 是二进制文件，不能输出到终端或标准输出",
            hint=f"请用 --output 指定文件，例如 --output 台账.{format}",
        )
    if exporter.prepare is not None:
        exporter.prepare()
    on = parse_date(date)
    located = sources(ctx)
    if len(located) > 1 and format == "xlsx":
        raise UsageError(
            f"xlsx 台账一次只导出一个计划，现在指定了 {len(located)} 个：{'、'.join(s.shown for s in located)}",
            hint="请逐个计划导出（kpzf --plan 计划文件 export --format xlsx …），或用 csv、md 导出全部计划",
        )
    if output is not None:
        for located_plan in located:
            check_target(output, located_plan.path)
    if len(located) > 1:
        _export_across(ctx, format, output, on, unit, date is not None)
        return
    plan = open_plan(ctx)
    single = None if unit is None else find_single_unit(plan, unit)
    data = exporter.render(exporter.subject(plan, on, single))
    encoded = data if isinstance(data, bytes) else data.encode("utf-8")
    done, warning = _deliver(encoded, output, format)
    if exporter.per_unit:
        done += f"（进度截至 {on}" + (f"，单位：{single}" if single else "") + "）"
    summary(ctx, plan, done, on if exporter.per_unit else None, date is not None)
    if warning:
        err(f"注意：文件已写入，但{warning}")



def _export_across(
    ctx: typer.Context, format: str, output: Path | None, on: dt.date, unit: str | None, typed: bool
) -> None:
    """Several plans in one file (README, 多个计划): each plan's own export, its rows named."""
    from ...core.plans import find_across, name_plans
    from ...render import plans as across
    from ...render.exports import EXPORTERS

    exporter = EXPORTERS[format]
    loaded = open_plans(ctx)
    named = name_plans(loaded)
    chosen: dict[str, str | None]
    if unit is None:
        chosen = {n.key: None for n in named}
    else:
        found = find_across(named, unit)
        chosen = {n.key: find_single_unit(n.plan, found[n.key]) for n in named if n.key in found}
    parts = [(n.key, exporter.subject(n.plan, on, chosen[n.key])) for n in named if n.key in chosen]
    if format == "json":
        from ...render.jsonforms import plan_json

        text = across.plans_json([(key, plan_json(*subject)) for key, subject in parts])
    else:
        renderers: dict[str, Callable[[list[tuple[str, Any]]], str]] = {
            "ics": across.calendars_ics,
            "csv": across.ledgers_csv,
            "md": across.ledgers_md,
        }
        text = renderers[format](parts)
    encoded = text.encode("utf-8")
    done, warning = _deliver(encoded, output, format)
    if exporter.per_unit:
        done += f"（进度截至 {on}" + (f"，单位：{unit}" if unit else "") + "）"
    summary_across(ctx, loaded, done, on if exporter.per_unit else None, typed)
    if warning:
        err(f"注意：文件已写入，但{warning}")


def _deliver(encoded: bytes, output: Path | None, format: str) -> tuple[str, str | None]:
    """Send an export where it was asked for: (what the summary says, a warning or None)."""
    if output is None:
        write_stdout(encoded)
        return f"已导出 {format}", None
    return f"已写入 {output}", write_file(output, encoded)
