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
    help="""导出计划：json（完整数据）、ics（日历）、xlsx（任务台账表格）、csv、md、feedback（进度反馈表）。

ics：每个带日期的节点一个全天日程，提前 7 天提醒；可用 --unit 只导出某单位的节点。
xlsx、csv、md：台账原格式（重点任务｜具体任务｜主要措施｜责任单位｜完成时限｜进度情况），
进度情况取自截至 --date 的进度记录；--unit 只列该单位承担的措施及其进度（报送牵头单位用）。
xlsx 须用 --output 指定文件，并需安装可选依赖：pip install 'kpzf\\[xlsx]'。

feedback：发给单位填写的进度反馈表，每个（措施、节点）一行，计划内容和当前状态锁定，
状态、完成日期、进展情况、佐证材料/文号、申请延期至、延期原因由单位填写，填好后用
kpzf import-progress 读回。须写 --unit（一个单位，写入 --output 的 xlsx；--output 以 .csv 结尾或省略时为 csv）
或 --all（每个单位一个 xlsx，写入 --output 指定的目录）。
xlsx、feedback 中的亮灯（红、黄、绿）与 overdue 等查询同一规则，--warn-days 改黄灯提前天数。

示例：

  kpzf export --format json > plan.json

  kpzf export --format ics --unit 城关镇 --output 城关镇.ics

  kpzf export --format xlsx --unit 公安 --date 2024-12-31 --output 市公安局台账.xlsx

  kpzf export --format md --date 2024-07-01

  kpzf export --format feedback --unit 赤坎镇 --date 2024-07-01 --output 赤坎镇.xlsx

  kpzf export --format feedback --all --output 反馈表/

  kpzf export --format feedback --unit 市司法局 --date 2024-11-20 --warn-days 30 > 市司法局.csv
"""
)
def export(
    ctx: typer.Context,
    format: str = typer.Option(
        "json", "--format", "-f", help="导出格式：json、ics、xlsx、csv、md、feedback"
    ),
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
    every: bool = typer.Option(
        False, "--all", help="feedback：为每个单位各导出一个进度反馈表，--output 为目录"
    ),
    # (Its own wording of queries.WARN_HELP: importing that module here would register the
    # query commands before export's and reorder the top-level help.)
    warn_days: int | None = typer.Option(
        None,
        "--warn-days",
        metavar="N",
        help="xlsx、feedback 的黄灯提前天数：截止日期前 N 天内（含当天）仍未完成的亮黄灯"
        "（默认取 plan.yaml 的 supervision.warn_days，未写时为 15）",
    ),
    plan_path: list[str] | None = PLAN_OPTION,
) -> None:
    from ...core.lights import check_warn_days
    from ...render.exports import EXPORTERS  # the exporters only for `kpzf export`

    exporter = EXPORTERS[choose(format, tuple(EXPORTERS), "--format")]
    if warn_days is not None and not exporter.lights:
        lit = "、".join(name for name, e in EXPORTERS.items() if e.lights)
        raise UsageError(
            f"--warn-days 只用于有亮灯的格式（{lit}），{format} 中没有亮灯",
            hint="亮灯的查询请用 kpzf overdue、upcoming、unit、report 的 --warn-days",
        )
    check_warn_days(warn_days)
    if format == "feedback":
        _export_feedback(ctx, output, date, unit, every, warn_days)
        return
    if every:
        raise UsageError("--all 只用于 --format feedback（每个单位一个进度反馈表）")
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
    data = exporter.render(exporter.subject(plan, on, single, warn_days))
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
    # Not xlsx (one plan per file) nor feedback (one plan): no lights, so no --warn-days here.
    parts = [(n.key, exporter.subject(n.plan, on, chosen[n.key], None)) for n in named if n.key in chosen]
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


def _export_feedback(
    ctx: typer.Context,
    output: Path | None,
    date: str | None,
    unit: str | None,
    every: bool,
    warn_days: int | None,
) -> None:
    """进度反馈表: one unit's (xlsx, or csv), or every unit's into a directory (--all)."""
    from ...core.feedback import feedback_sheet, feedback_units
    from ...render.exports import feedback_csv
    from ...render.feedback import feedback_xlsx, sheet_name

    if every == (unit is not None):
        raise UsageError(
            "--format feedback 须写 --unit 单位（一个单位）或 --all（每个单位一个文件），二者选一",
            hint="例如 kpzf export --format feedback --unit 赤坎镇 --output 赤坎镇.xlsx",
        )
    located = sources(ctx)
    if len(located) > 1:
        raise UsageError(
            f"进度反馈表一次只用一个计划，现在指定了 {len(located)} 个：{'、'.join(s.shown for s in located)}",
            hint="请用 --plan 指定一个计划文件",
        )
    from ...render.exports import EXPORTERS  # the exporters only for `kpzf export`

    on = parse_date(date)
    if every:
        if output is None:
            raise UsageError(
                "--all 须用 --output 指定存放进度反馈表的目录", hint="例如 --all --output 反馈表/"
            )
        EXPORTERS["feedback"].prepare()  # type: ignore[misc]
        plan = open_plan(ctx)
        if output.exists() and not output.is_dir():
            raise UsageError(f"--output 的“{output}”不是目录", hint="--all 时 --output 是目录")
        if not output.exists():
            if not output.parent.is_dir():
                raise UsageError(
                    f"--output 所在的目录“{output.parent}”不存在",
                    hint="kpzf 只创建最后一级目录；请先创建上级目录",
                )
            output.mkdir()
        units = feedback_units(plan)
        warnings = []
        for name in units:
            target = output / f"{sheet_name(name)}-进度反馈表.xlsx"
            check_target(target, located[0].path)
            warning = write_file(target, feedback_xlsx(feedback_sheet(plan, on, name, warn_days)))
            if warning:
                warnings.append(warning)
        summary(ctx, plan, f"已写入 {len(units)} 个进度反馈表到 {output}（当前状态截至 {on}）", on, date is not None)
        for warning in warnings:
            err(f"注意：文件已写入，但{warning}")
        return
    as_csv = output is None or output.suffix.lower() == ".csv"
    if not as_csv:
        EXPORTERS["feedback"].prepare()  # type: ignore[misc]
    if output is not None:
        check_target(output, located[0].path)
    plan = open_plan(ctx)
    single = find_single_unit(plan, unit or "")
    sheet = feedback_sheet(plan, on, single, warn_days)
    data = feedback_csv(sheet).encode("utf-8") if as_csv else feedback_xlsx(sheet)
    done, warning = _deliver(data, output, "csv" if as_csv else "xlsx")
    summary(
        ctx,
        plan,
        f"{done}：{single} 的进度反馈表，{len(sheet.rows)} 行（当前状态截至 {on}）",
        on,
        date is not None,
    )
    if warning:
        err(f"注意：文件已写入，但{warning}")


def _deliver(encoded: bytes, output: Path | None, format: str) -> tuple[str, str | None]:
    """Send an export where it was asked for: (what the summary says, a warning or None)."""
    if output is None:
        write_stdout(encoded)
        return f"已导出 {format}", None
    return f"已写入 {output}", write_file(output, encoded)
