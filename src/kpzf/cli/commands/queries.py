"""Query commands: overdue, unit, units, show, upcoming, report (parse, call, render; exit 0)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

# core.queries, core.lights, core.names and render.queries are imported inside the commands
# that use them: every kpzf run imports this module (to register the commands), and
# `validate`, `export` … need none of them.
from ...errors import UsageError
from ...model.plan import LoadedPlan
from ...render.sheets import FORMATS, FORMATS_HELP, View, emit
from ..app import (
    PLAN_OPTION,
    app,
    choose,
    err,
    open_plan,
    open_plans,
    parse_date,
    source,
    summary,
    summary_across,
)
from ..completion import complete_measure, complete_unit

DATE_HELP = "查询日期，如 2024-07-01、2024/7/1、2024年7月1日（默认：今天）"
UNIT_HELP = "只看这个单位或单位组（名称、别名或简称均可，如 公安、城关、各镇(街)）"
AREA_HELP = "只看第一级的这一项（如重点任务 2）；组织实施中的事项不属于任何一项，因此不列出"


# The options several commands share, declared once.
def _format_option() -> Any:
    return typer.Option("table", "--format", "-f", help=FORMATS_HELP)


def _date_option() -> Any:
    return typer.Option(None, "--date", metavar="YYYY-MM-DD", help=DATE_HELP)


def _unit_option() -> Any:
    return typer.Option(None, "--unit", metavar="NAME", help=UNIT_HELP, autocompletion=complete_unit)


def _area_option() -> Any:
    return typer.Option(None, "--area", metavar="N", help=AREA_HELP)


ROLE_HELP = (
    "按角色列出：lead（牵头单位）、assist（配合单位）、responsible（责任单位）、all（全部单位）；"
    "默认只列欠办单位，即牵头和责任单位（方案写明 assist_owes: true 时也含配合单位）"
)


WARN_HELP = (
    "黄灯提前天数：截止日期前 N 天内（含当天）仍未完成的亮黄灯（默认取 plan.yaml 的 "
    "supervision.warn_days，未写时为 15）"
)


def _warn_option() -> Any:
    return typer.Option(None, "--warn-days", metavar="N", help=WARN_HELP)


def _role_option() -> Any:
    return typer.Option(None, "--role", metavar="ROLE", help=ROLE_HELP)


REPORT_FORMATS_HELP = (
    FORMATS_HELP + "、html（给领导看的一页网页报告：热力图、时间轴、红黄灯事项；离线打开，可打印）"
)


def _renderer(format: str) -> Callable[[View], Any]:
    return FORMATS[choose(format, tuple(FORMATS), "--format")]


def _begin(
    ctx: typer.Context, format: str, date: str | None
) -> tuple[Callable[[View], Any], dt.date, LoadedPlan]:
    """What every query command does first, in this order: the format and the date are checked
    before the plan is read, so a typo costs nothing."""
    render = _renderer(format)
    on = parse_date(date)
    return render, on, open_plan(ctx)


def _begin_across(
    ctx: typer.Context, format: str, date: str | None
) -> tuple[Callable[[View], Any], dt.date, list[LoadedPlan]]:
    """`_begin` for the commands that answer across several plans (README, 多个计划)."""
    render = _renderer(format)
    on = parse_date(date)
    return render, on, open_plans(ctx)


def _print_across(
    ctx: typer.Context,
    render: Callable[[View], Any],
    view: View,
    plans: list[LoadedPlan],
    on: dt.date,
    typed: bool,
) -> None:
    from ...core.names import unit_terms

    terms = frozenset().union(*(unit_terms(p) for p in plans))
    emit(render(dataclasses.replace(view, terms=terms)))
    summary_across(ctx, plans, view.summary, on, typed)


def _print(
    ctx: typer.Context,
    render: Callable[[View], Any],
    view: View,
    plan: LoadedPlan,
    on: dt.date | None = None,
    typed: bool = False,
) -> None:
    """The report to stdout; the one-line summary, naming the plan, to stderr (json/csv stay clean).

    `on` and `typed` (whether --date was given) let the summary note a date outside the plan's
    period. Unit names of the plan are never broken across lines in tables (render.layout).
    """
    from ...core.names import unit_terms

    emit(render(dataclasses.replace(view, terms=unit_terms(plan))))
    summary(ctx, plan, view.summary, on, typed)


@app.command(
    help="""列出截至某日已逾期的节点，以及仍未完成的单位（逾期最久的在前）。

节点在截止日期之后（严格晚于）仍有适用单位没有记为“已完成”或“不适用”，即为逾期；
“每年5月底、11月底前”这类时限每次各占一行；长期推进的措施永不逾期。
有牵头、配合单位的措施，只有牵头和责任单位算欠办，配合单位另列一栏；--role 改按角色列出。
获批延期（record --until）的单位按新日期判断，另占一行。“亮灯”一栏：逾期为红灯。
有逾期事项时退出码仍为 0（这是查询，不是校验）。

示例：

  kpzf overdue --date 2024-07-01

  kpzf overdue --date 2025-01-01 --unit 城关 --format csv > 城关镇逾期.csv

  kpzf overdue --area 3 --format json

  kpzf overdue --role assist
"""
)
def overdue(
    ctx: typer.Context,
    date: str | None = _date_option(),
    unit: str | None = _unit_option(),
    area: int | None = _area_option(),
    role: str | None = _role_option(),
    warn_days: int | None = _warn_option(),
    format: str = _format_option(),
    plan_path: list[str] | None = PLAN_OPTION,
) -> None:
    from ...core import queries as q
    from ...core.lights import check_warn_days
    from ...core.names import scope
    from ...render import queries as views

    q.check_role(role)
    check_warn_days(warn_days)
    render, on, plans = _begin_across(ctx, format, date)
    if len(plans) > 1:
        from ...core import plans as across
        from ...render import plans as across_views

        named = across.name_plans(plans)
        rows = across.overdue(named, on, unit, area, role, warn_days)
        view = across_views.overdue_across_view(rows, on, unit, area, len(plans))
        _print_across(ctx, render, view, plans, on, date is not None)
        return
    plan = plans[0]
    within = scope(plan, unit)
    name = within.name if within else None
    view = views.overdue_view(q.overdue(plan, on, within, area, role, warn_days), on, name, area)
    _print(ctx, render, view, plan, on, date is not None)


@app.command(
    help="""列出某个单位（或单位组）承担的全部措施：经由哪个单位组、待完成的节点、状态、是否逾期。

NAME 可以是规范名称、别名或简称，全角半角括号均可，如 市公安局、公安、市场监管、城关、各镇(街)。
名称不存在或不唯一时退出码为 2，并列出最接近的候选。
NAME 是单位组时，列出组内任一单位承担的措施，以及各节点尚未完成的成员。

示例：

  kpzf unit 市公安局 --date 2024-07-01

  kpzf unit 城关 --format json

  kpzf unit 各镇(街) --format md
"""
)
def unit(
    ctx: typer.Context,
    name: str = typer.Argument(
        ..., metavar="NAME", help="单位或单位组的名称、别名或简称", autocompletion=complete_unit
    ),
    date: str | None = _date_option(),
    warn_days: int | None = _warn_option(),
    format: str = _format_option(),
    plan_path: list[str] | None = PLAN_OPTION,
) -> None:
    from ...core import queries as q
    from ...core.lights import check_warn_days
    from ...render import queries as views

    check_warn_days(warn_days)
    render, on, plans = _begin_across(ctx, format, date)
    if len(plans) > 1:
        from ...core import plans as across
        from ...render import plans as across_views

        result = across.unit_duties(across.name_plans(plans), name, on, warn_days)
        view = across_views.unit_across_view(result, len(plans))
        _print_across(ctx, render, view, plans, on, date is not None)
        return
    plan = plans[0]
    duties = q.unit_duties(plan, name, on, warn_days)
    _print(ctx, render, views.unit_view(duties), plan, on, date is not None)


@app.command(
    help="""列出单位名录：每个单位的别名、所属单位组和承担的措施数；每个单位组的成员。

--format csv 只输出单位表（一个 CSV 只能放一张表）；单位组见 table、md 或 json。

示例：

  kpzf units

  kpzf units --format json
"""
)
def units(
    ctx: typer.Context, format: str = _format_option(), plan_path: list[str] | None = PLAN_OPTION
) -> None:
    from ...core import queries as q
    from ...render import queries as views

    render = _renderer(format)
    plan = open_plan(ctx)
    _print(ctx, render, views.units_view(q.unit_listing(plan)), plan)


@app.command(
    help="""显示一项措施的全部信息和各单位进度。

包括重点任务、具体任务、原文、责任单位（展开单位组）、节点及完成情况、
各单位在各节点的现行状态，以及全部进度记录（含已被后一条取代的记录）。

N 为措施的编号：全方案统一编号时是序号（如 39，也可写 措施39、（39）），按层级编号时是路径（如 1.1.2）。
--format csv 输出“各单位进度”表（单位 × 节点）。

示例：

  kpzf show 39

  kpzf show 1.1.2 --plan 方城县台账.yaml

  kpzf show 18 --date 2024-12-01 --format md
"""
)
def show(
    ctx: typer.Context,
    number: str = typer.Argument(
        ..., metavar="N", help="措施序号：30、措施30、（30）均可", autocompletion=complete_measure
    ),
    date: str | None = _date_option(),
    warn_days: int | None = _warn_option(),
    format: str = _format_option(),
    plan_path: list[str] | None = PLAN_OPTION,
) -> None:
    from ...core.lights import check_warn_days
    from ...render import queries as views

    check_warn_days(warn_days)
    render, on, plan = _begin(ctx, format, date)
    from ...core.show import show as show_query

    detail = show_query(plan, number, on, warn_days)
    _print(ctx, render, views.show_view(detail), plan, on, date is not None)


@app.command(
    help="""日程：从查询日期（含当天）起若干天内到期、仍有单位未完成的节点，最近的在前。

当天到期的节点尚未逾期，列在日程中；已全部完成的节点不列出。
“亮灯”一栏：--warn-days 天内（默认取 plan.yaml 的 supervision.warn_days，未写时 15 天）到期的为黄灯，其余为绿灯。

示例：

  kpzf upcoming --date 2024-06-01

  kpzf upcoming --date 2024-11-15 --days 60 --unit 市公安局
"""
)
def upcoming(
    ctx: typer.Context,
    date: str | None = _date_option(),
    days: int = typer.Option(30, "--days", metavar="N", help="往后看多少天（默认 30）"),
    unit: str | None = _unit_option(),
    area: int | None = _area_option(),
    role: str | None = _role_option(),
    warn_days: int | None = _warn_option(),
    format: str = _format_option(),
    plan_path: list[str] | None = PLAN_OPTION,
) -> None:
    from ...core import queries as q
    from ...core.lights import check_warn_days
    from ...core.names import scope
    from ...render import queries as views

    q.check_role(role)
    check_warn_days(warn_days)
    render, on, plans = _begin_across(ctx, format, date)
    if len(plans) > 1:
        from ...core import plans as across
        from ...render import plans as across_views

        named = across.name_plans(plans)
        found = across.upcoming(named, on, days, unit, area, role, warn_days)
        view = across_views.upcoming_across_view(found, on, days, unit, area, len(plans))
        _print_across(ctx, render, view, plans, on, date is not None)
        return
    plan = plans[0]
    within = scope(plan, unit)
    name = within.name if within else None
    rows = q.upcoming(plan, on, days, within, area, role, warn_days)
    _print(
        ctx, render, views.upcoming_view(rows, on, days, name, area), plan, on, date is not None
    )


@app.command(
    help="""进度统计：按单位、重点任务或具体任务汇总节点义务的完成情况和完成率（向上报送用）。

一项“节点义务”是一个带日期的节点对一个适用单位的要求（长期推进的措施没有节点义务）。
每项义务截至查询日期恰好属于一类：已完成、推进中（未到期，已报推进中或延期）、
逾期（已到期未完成）、未到期（未到期，无进度）；记为“不适用”的不计入。
完成率 = 已到期义务中已完成的 ÷ 已到期义务（截止日期早于查询日期）；没有到期义务时为“—”。
--unit 只统计一个单位（或单位组各成员）的义务。--format html 写出给领导看的一页报告
（主要数字、节点时间轴、各单位各项任务热力图、红灯黄灯事项；离线打开，可打印成 A4 横向）。

督办统计另列一表：按期完成率 = 按原截止日期已到期的义务中、在原日期前完成的 ÷ 这些义务
（获批延期的仍在分母中，按新日期完成的算“延期完成”；不适用的不计）；延期项次；最久逾期天数。
--rank 按通报顺序排列（逾期项次多的在前，相同时按期完成率低的在前，再按名录顺序）。
方案“组织实施”中的评估事项（如中期、终期评估）另列截至其截止日期的合计。

示例：

  kpzf report --date 2024-07-01

  kpzf report --date 2025-01-01 --by area --format csv > 进度统计.csv

  kpzf report --date 2025-01-01 --rank

  kpzf report --format html --date 2024-07-01 --output 督办情况.html

  kpzf report --format html --unit 赤坎 --output 赤坎镇.html
"""
)
def report(
    ctx: typer.Context,
    date: str | None = _date_option(),
    by: str = typer.Option(
        "unit",
        "--by",
        help="汇总方式：unit 或 单位（默认）、area 或 重点任务、task 或 具体任务；也可写计划自己的层级名称（如 部分）",
    ),
    rank: bool = typer.Option(
        False,
        "--rank",
        help="按通报顺序排列：逾期项次最多的在前，相同时按期完成率低的在前，再按名录顺序",
    ),
    unit: str | None = typer.Option(
        None,
        "--unit",
        metavar="NAME",
        help="只统计这个单位（或单位组各成员）的节点义务；html 格式则生成该单位的专页",
        autocompletion=complete_unit,
    ),
    warn_days: int | None = _warn_option(),
    format: str = typer.Option("table", "--format", "-f", help=REPORT_FORMATS_HELP),
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="html 格式写入此文件（默认输出到标准输出）"
    ),
    plan_path: list[str] | None = PLAN_OPTION,
) -> None:
    from ...core.lights import check_warn_days
    from ...render import queries as views

    check_warn_days(warn_days)
    if format == "html":
        _report_html(ctx, parse_date(date), unit, warn_days, output, date is not None)
        return
    if output is not None:
        raise UsageError(
            "--output 只用于 --format html", hint="其他格式请重定向标准输出，例如 > 进度统计.csv"
        )
    render = _renderer(format)
    on = parse_date(date)
    plans = open_plans(ctx)
    if len(plans) > 1 and unit is not None:
        raise UsageError(
            f"report --unit 一次只统计一个计划，现在指定了 {len(plans)} 个",
            hint="请用一个 --plan 指定其中一个计划文件",
        )
    if len(plans) > 1:
        from ...core.report import REPORT_BY, REPORT_BY_WORDS  # the roll-up only for `kpzf report`

        by = REPORT_BY_WORDS.get(by.strip(), by.strip())
        choose(by, REPORT_BY, "--by")
        from ...core import plans as across
        from ...render import plans as across_views

        result = across.report(across.name_plans(plans), on, by, rank, warn_days)
        view = across_views.report_across_view(result, len(plans))
        _print_across(ctx, render, view, plans, on, date is not None)
        return
    plan = plans[0]
    from ...core.report import report as report_query

    answer = report_query(plan, on, by, rank, warn_days, unit)
    _print(ctx, render, views.report_view(answer), plan, on, date is not None)


def _report_html(
    ctx: typer.Context,
    on: dt.date,
    unit: str | None,
    warn_days: int | None,
    output: Path | None,
    typed: bool,
) -> None:
    """`report --format html`: the page for the plan or one unit, to --output or stdout."""
    from ...core.picture import picture
    from ...io.output import check_target, write_file, write_stdout
    from ...render.html import report_html

    located = source(ctx)  # one plan: a page is about one plan
    if output is not None:
        check_target(output, located.path)
    plan = open_plan(ctx)
    page = picture(plan, on, unit, warn_days, source=located.shown)
    data = report_html(page).encode("utf-8")
    scope_words = f"，单位：{page.scope}" if page.scope else ""
    if output is None:
        write_stdout(data)
        summary(ctx, plan, f"已输出 html 报告（截至 {on}{scope_words}）", on, typed)
        return
    warning = write_file(output, data)
    t = page.total
    summary(
        ctx,
        plan,
        f"已写入 {output}（截至 {on}{scope_words}：到期义务 {t.assessed} 项次，按期完成 {t.on_time}，"
        f"逾期未完成 {t.overdue}）",
        on,
        typed,
    )
    if warning:
        err(f"注意：文件已写入，但{warning}")
