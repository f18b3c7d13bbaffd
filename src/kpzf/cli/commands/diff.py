"""`kpzf diff`: what changed in substance between two plan files, or two revisions of one."""

from __future__ import annotations

from pathlib import Path

import typer

from ...errors import EXIT_INVALID, EXIT_OK
from ...render.sheets import emit
from ..app import PLAN_OPTION, app, choose, err, parse_date, source


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
    plan_path: list[str] | None = PLAN_OPTION,
) -> None:
    from ...core.diff import diff_plans
    from ...render.diff import DIFF_FORMATS, summary
    from ..compare import plans_to_compare

    render = DIFF_FORMATS[choose(format, tuple(DIFF_FORMATS), "--format")]
    old, new = plans_to_compare(files or [], git, lambda: source(ctx), parse_date(None))
    result = diff_plans(old, new)
    emit(render(result))
    err(summary(result))
    raise typer.Exit(EXIT_INVALID if result.changed else EXIT_OK)
