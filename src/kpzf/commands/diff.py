"""`kpzf diff`: what changed in substance between two plan files, or two revisions of one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer

from ..app import PLAN_OPTION, app, choose, err, out, parse_date, source
from ..checks import completed, run_checks
from ..errors import EXIT_INVALID, EXIT_OK, EXIT_UNUSABLE, PlanError, UsageError
from ..plan import LoadedPlan, build_plan, load_plan


@app.command(
    help="""比较两份计划的实质性变化（不是逐行文本比较）：措施的增删与文字改动，
措施责任单位的增减，每个节点的完成时限推后或提前了多少天（推后的列在最前），
节点的增删，单位组成员的变化，单位名录的增删，新增（以及被删除）的进度记录。
注释、排版、引号的改动不算变化。

两份计划都须有效；无效的那份会列出它的问题（文件:行:列）。

退出码：0 没有实质性变化，1 有变化，2 无法比较（文件或版本不存在、计划无效）。

示例：

  kpzf diff 旧/plan.yaml plan.yaml

  kpzf diff --git HEAD~1                  （上一次提交 → 工作区中的 plan.yaml）

  kpzf diff --git v1.0..HEAD --format md  （两个版本之间，Markdown，可贴进合并请求）

  kpzf diff --git origin/main...HEAD --format json
"""
)
def diff(
    ctx: typer.Context,
    files: list[Path] | None = typer.Argument(
        None,
        metavar="OLD NEW | FILE",
        help="旧、新两个计划文件；用 --git 时为一个（可省略）",
        show_default=False,
    ),
    git: str | None = typer.Option(
        None,
        "--git",
        metavar="REV[..REV]",
        help="与 git 历史比较：REV（该版本 → 工作区的文件）、A..B（版本 A → 版本 B）、"
        "A...B（A 与 B 的共同祖先 → B）",
    ),
    format: str = typer.Option("table", "--format", "-f", help="输出格式：table、md、json"),
    plan_path: str | None = PLAN_OPTION,
) -> None:
    from ..diff import diff_plans
    from ..render.diff import DIFF_FORMATS, summary

    render = DIFF_FORMATS[choose(format, tuple(DIFF_FORMATS), "--format")]
    old, new = _load_both(ctx, files or [], git)
    result = diff_plans(old, new)
    shown = render(result)
    if isinstance(shown, str):
        out(shown)
    else:
        from rich.console import Console

        Console(highlight=False).print(shown)
    err(summary(result))
    raise typer.Exit(EXIT_INVALID if result.changed else EXIT_OK)


def _load_both(ctx: typer.Context, files: list[Path], git: str | None) -> tuple[LoadedPlan, LoadedPlan]:
    if git is None:
        if len(files) != 2:
            raise UsageError(
                f"需要两个计划文件（旧、新），这里给了 {len(files)} 个",
                hint="例如 kpzf diff 旧/plan.yaml plan.yaml；或用 --git 与仓库历史比较",
            )
        return _valid(lambda: load_plan(files[0])), _valid(lambda: load_plan(files[1]))
    from ..gitrev import parse_range, show
    from ..read import document_from_bytes

    if len(files) > 1:
        raise UsageError("用 --git 时最多指定一个计划文件", hint="例如 kpzf diff --git HEAD~1 plan.yaml")
    if files:
        path, shown = files[0], str(files[0])
    else:
        located = source(ctx)
        if located.embedded:
            raise UsageError(
                "--git 需要仓库中的计划文件，当前目录没有 plan.yaml",
                hint="请在计划仓库中运行，或指定文件：kpzf diff --git HEAD~1 路径/plan.yaml",
            )
        path, shown = located.path, located.shown
    revisions = parse_range(git, path.resolve().parent)

    def at(rev: str | None) -> LoadedPlan:
        if rev is None:
            return _valid(lambda: load_plan(path, shown))
        raw, name = show(rev, path)
        return _valid(lambda: build_plan(document_from_bytes(raw, name)))

    return at(revisions.old), at(revisions.new)


def _valid(load: Callable[[], LoadedPlan]) -> LoadedPlan:
    """Only valid plans are compared (an unresolved name would read as a dropped unit).

    An invalid plan is reported with its problems and exit code 2, not 1: for diff, 1 means
    "something changed", which CI may treat as success.
    """
    try:
        plan = load()
    except PlanError as exc:
        raise PlanError(completed(exc, parse_date(None)).problems, exit_code=EXIT_UNUSABLE) from None
    problems = run_checks(plan, parse_date(None))
    if problems:
        raise PlanError(problems, exit_code=EXIT_UNUSABLE)
    return plan
