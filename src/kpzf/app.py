"""The Typer application, its global options, and what every command shares (thin helpers only)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Collection
from dataclasses import dataclass

import typer

from .checks import run_checks
from .errors import PlanError, UsageError
from .plan import LoadedPlan, PlanSource, load_plan, locate_plan

HELP = """开平市提升行政执法质量三年行动任务台账工具（开府办〔2024〕6号）。

查询逾期事项和各单位任务，校验、维护 plan.yaml。

计划文件依次取自：--plan 参数、环境变量 KPZF_PLAN、当前目录的 plan.yaml、安装包内置副本。

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


@dataclass
class Options:
    plan: str | None = None
    debug: bool = False


def _show_version(value: bool) -> None:
    # An eager option's callback runs while parsing, before Click insists on a command.
    if value:
        from . import __version__

        typer.echo(f"kpzf {__version__}")
        raise typer.Exit(0)


@app.callback()
def global_options(
    ctx: typer.Context,
    plan: str | None = typer.Option(
        None,
        "--plan",
        metavar="PATH",
        help="计划文件路径（默认：环境变量 KPZF_PLAN，其次 ./plan.yaml，最后是内置副本）",
    ),
    debug: bool = typer.Option(False, "--debug", help="内部错误时显示完整的调用栈"),
    version: bool = typer.Option(
        False, "--version", help="显示版本号并退出", is_eager=True, callback=_show_version
    ),
) -> None:
    ctx.obj = Options(plan=plan, debug=debug)


def options(ctx: typer.Context) -> Options:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Options) else Options()


def today() -> dt.date:
    """The only place kpzf reads the clock; queries always receive the date as an argument."""
    return dt.date.today()


def parse_date(value: str | None, option: str = "--date") -> dt.date:
    if value is None:
        return today()
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"{option} 的值“{value}”不是有效日期", hint="日期格式为 YYYY-MM-DD，例如 2024-07-01"
        ) from None


def choose(value: str, choices: Collection[str], option: str) -> str:
    if value not in choices:
        raise UsageError(f"{option} 的值“{value}”无效", hint=f"可选：{'、'.join(choices)}")
    return value


def source(ctx: typer.Context) -> PlanSource:
    return locate_plan(options(ctx).plan)


def open_plan(ctx: typer.Context, on: dt.date | None = None) -> LoadedPlan:
    """Load the chosen plan and refuse to answer questions about an invalid one."""
    src = source(ctx)
    plan = load_plan(src.path, src.shown)
    problems = run_checks(plan, on or today())
    if problems:
        raise PlanError(problems)
    return plan


def out(text: str) -> None:
    sys.stdout.write(text)


def err(text: str) -> None:
    """A message or summary for the person at the terminal: data in it is made literal."""
    from .render.terminal import literal

    sys.stderr.write(literal(text if text.endswith("\n") else text + "\n"))
