"""The Typer application, its global options, and what every command shares (thin helpers only)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Collection
from typing import Any

import typer

from ..checked import check_file, validate_file
from ..errors import EXIT_UNUSABLE, PlanError, UnusableInput, UsageError
from ..io.locate import PLAN_ENV, PlanSource, locate_plans
from ..model.models import typed_date
from ..model.plan import LoadedPlan
from ..records import record
from . import typer_compat  # noqa: F401  (refuses an incompatible Typer before it is used)

HELP = """工作方案任务台账（任务分工、任务清单）工具。

查询逾期事项和各单位任务，校验、维护 plan.yaml（方案的层级、单位、完成时限都写在其中）。

计划文件依次取自：--plan 参数、环境变量 KPZF_PLAN、当前目录的 plan.yaml、安装包内置副本。
--plan 可写多次或指向存放计划文件的文件夹：overdue、unit、upcoming、report、export 跨计划回答。

示例：

  kpzf validate plan.yaml

  kpzf export --format json
"""

app = typer.Typer(
    name="kpzf",
    help=HELP,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


@record(frozen=False)
class Options:
    plan: list[str] | None = None  # every --plan, before and after the command
    debug: bool = False


def _show_version(value: bool) -> None:
    # An eager option's callback runs while parsing, before Click insists on a command.
    if value:
        from .. import __version__

        typer.echo(f"kpzf {__version__}")
        raise typer.Exit(0)


@app.callback()
def global_options(
    ctx: typer.Context,
    plan: list[str] | None = typer.Option(
        None,
        "--plan",
        metavar="PATH",
        help="计划文件或存放计划文件的文件夹，可写多次（默认：环境变量 KPZF_PLAN，其次 ./plan.yaml，最后是内置副本）",
    ),
    debug: bool = typer.Option(False, "--debug", help="内部错误时显示完整的调用栈"),
    version: bool = typer.Option(
        False, "--version", help="显示版本号并退出", is_eager=True, callback=_show_version
    ),
    no_cache: bool = typer.Option(
        False,
        "--no-cache",
        help="不用已校验计划的缓存，重新读取校验（同 KPZF_NO_CACHE=1）",
    ),
) -> None:
    if no_cache:
        from ..io import cache

        cache.disable()
    ctx.obj = Options(plan=list(plan) if plan else None, debug=debug)


def options(ctx: typer.Context) -> Options:
    root = ctx.find_root()
    if not isinstance(root.obj, Options):
        root.obj = Options()
    obj: Options = root.obj
    return obj


def _plan_after_command(ctx: typer.Context, value: list[str] | None) -> None:
    # `kpzf unit 水口 --plan new.yaml`: the same global option, written after the command.
    if value:
        opts = options(ctx)
        opts.plan = [*(opts.plan or ()), *([value] if isinstance(value, str) else value)]


# Every command that reads a plan declares this, so --plan works before or after the command.
PLAN_OPTION: Any = typer.Option(
    None,
    "--plan",
    metavar="PATH",
    help="计划文件或文件夹，可写多次（写在命令前后均可；默认：KPZF_PLAN、./plan.yaml、内置副本）",
    expose_value=False,
    callback=_plan_after_command,
)

# A day-by-day query long after the plan ended is almost always a question about the plan's end.
LATE_NOTE_DAYS = 30


def today() -> dt.date:
    """The only place kpzf reads the clock; queries always receive the date as an argument."""
    return dt.date.today()


def parse_date(value: str | None, option: str = "--date") -> dt.date:
    if value is None:
        return today()
    parsed = typed_date(value)
    if parsed is None:
        raise UsageError(
            f"{option} 的值“{value}”不是有效日期",
            hint="可以写成 2024-07-01、2024-7-1、2024/7/1、2024.7.1 或 2024年7月1日",
        )
    return parsed


def choose(value: str, choices: Collection[str], option: str) -> str:
    if value not in choices:
        raise UsageError(f"{option} 的值“{value}”无效", hint=f"可选：{'、'.join(choices)}")
    return value


def sources(ctx: typer.Context) -> list[PlanSource]:
    """Every plan the command was given (see io.locate.locate_plans)."""
    return locate_plans(options(ctx).plan)


def source(ctx: typer.Context) -> PlanSource:
    """The one plan of a command that needs exactly one (record, show, diff …)."""
    found = sources(ctx)
    if len(found) > 1:
        names = "、".join(s.shown for s in found)
        raise UsageError(
            f"kpzf {ctx.info_name or ''} 一次只能用一个计划，现在指定了 {len(found)} 个：{names}",
            hint="请用一个 --plan 指定其中一个计划文件",
        )
    return found[0]


def open_plans(ctx: typer.Context, on: dt.date | None = None) -> list[LoadedPlan]:
    """Every plan given, each loaded and checked; one plan goes the way `open_plan` goes.

    With several, every file is read and checked before any answer: one unusable or invalid
    file refuses the query with every problem of every file (as `validate` lists them), exit 2
    if any file could not be read, else 1.
    """
    found = sources(ctx)
    if len(found) == 1:
        return [open_plan(ctx, on)]
    verdicts = [(src, validate_file(src.path, src.shown, on or today())) for src in found]
    problems = [p for _, v in verdicts for p in v.problems]
    if problems:
        unusable = any(v.exit_code == EXIT_UNUSABLE for _, v in verdicts)
        raise (UnusableInput if unusable else PlanError)(problems)
    plans = []
    for src, verdict in verdicts:
        assert verdict.plan is not None
        verdict.plan.source = src
        plans.append(verdict.plan)
    return plans


def open_plan(ctx: typer.Context, on: dt.date | None = None) -> LoadedPlan:
    """Load the chosen plan and refuse to answer questions about an invalid one."""
    src = source(ctx)
    checked = check_file(src.path, src.shown, on or today())
    if checked.error is not None:
        raise checked.error
    if checked.errors or checked.plan is None:
        raise PlanError(checked.errors)
    plan = checked.plan
    plan.source = src
    return plan


def plan_label(src: PlanSource) -> str:
    """Which plan an answer came from, for the summary line on stderr."""
    if src.embedded:
        return f"计划：kpzf 内置的副本 {src.path}，不是您的 plan.yaml，可用 --plan 指定"
    if src.origin == "env":
        return f"计划：{src.shown}（环境变量 {PLAN_ENV}）"
    return f"计划：{src.shown}"


def period_note(plan: LoadedPlan, on: dt.date, typed: bool, now: dt.date | None = None) -> str | None:
    """One line when the date asked about lies outside the plan's period (see README)."""
    start, end = plan.period
    span = f"方案实施期（{start} 至 {end}）"
    if typed and not start <= on <= end:
        return f"注意：查询日期 {on} 不在{span}之内"
    now = now or on
    if not typed and now < start:
        return f"注意：今天（{now}）还在{span}开始之前"
    if not typed and (now - end).days > LATE_NOTE_DAYS:
        return (
            f"注意：方案实施期已于 {end} 结束（{(now - end).days} 天前），以上按今天（{now}）计算；"
            f"要看期末情况请加 --date {end}"
        )
    return None


def summary(ctx: typer.Context, plan: LoadedPlan, line: str, on: dt.date | None, typed: bool) -> None:
    """The one-line summary on stderr, naming the plan; a note after it if the date is odd."""
    src = plan.source or source(ctx)
    err(f"{line}（{plan_label(src)}）" if line else plan_label(src))
    if on is not None:
        note = period_note(plan, on, typed)
        if note:
            err(note)


def summary_across(
    ctx: typer.Context, plans: list[LoadedPlan], line: str, on: dt.date | None, typed: bool
) -> None:
    """The summary of an answer across several plans, naming them all; a note per odd period."""
    names = "、".join(p.source.shown if p.source else p.path for p in plans)
    err(f"{line}（{len(plans)} 个计划：{names}）")
    if on is not None:
        for plan in plans:
            note = period_note(plan, on, typed)
            if note:
                err(f"{plan.source.shown if plan.source else plan.path}：{note}")


def out(text: str) -> None:
    sys.stdout.write(text)


def err(text: str) -> None:
    """A message or summary for the person at the terminal: data in it is made literal."""
    from ..render.terminal import literal

    sys.stderr.write(literal(text if text.endswith("\n") else text + "\n"))
