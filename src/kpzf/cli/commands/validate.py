"""`kpzf validate`: every problem of one or more plan files, for people and CI."""

from __future__ import annotations

from pathlib import Path

import typer

from ...checked import validate_file
from ...errors import count_problems
from ...io.locate import plan_files
from ..app import PLAN_OPTION, app, choose, err, out, parse_date, sources


@app.command(
    help="""校验计划文件：一次报告全部问题，每条带 文件:行:列 和修改建议。

PATH 可以是文件夹：校验其中的 *.yaml、*.yml（不含子文件夹和以 . 开头的文件）。

警告（如节点点名了本措施以外的单位、责任单位不在任何节点中、组不含任何单位）照常列出，
但不使文件无效；--strict 把警告也算作问题（CI 中使用）。

退出码：0 有效（可能有警告），1 有问题（或 --strict 时有警告），2 文件无法使用（不存在、不是 UTF-8、不是 YAML）。

示例：

  kpzf validate plan.yaml

  kpzf validate --format github plan.yaml   （GitHub Actions 注释）

  kpzf validate --strict plan.yaml   （有警告也返回 1）
"""
)
def validate(
    ctx: typer.Context,
    paths: list[Path] | None = typer.Argument(
        None, metavar="PATH", help="要校验的文件或文件夹；省略时校验当前使用的计划文件"
    ),
    format: str = typer.Option("text", "--format", "-f", help="输出格式：text、json、github"),
    strict: bool = typer.Option(False, "--strict", help="警告也算作问题：有警告时退出码为 1"),
    plan_path: list[str] | None = PLAN_OPTION,
) -> None:
    from ...render.problems import PROBLEM_FORMATS, problems_summary, valid_summary

    render = PROBLEM_FORMATS[choose(format, PROBLEM_FORMATS, "--format")]
    # Per-file problem counts in the new forms (a folder, several --plan); listed files keep
    # the output they always had (tests/golden).
    per_file = bool(paths and any(p.is_dir() for p in paths)) or not paths
    targets = (
        [t for p in paths for t in (plan_files(p, str(p)) if p.is_dir() else [(p, str(p))])]
        if paths
        else [(s.path, s.shown) for s in sources(ctx)]
    )
    today = parse_date(None)  # progress may not be dated in the future
    verdicts = [validate_file(path, shown, today, strict) for path, shown in targets]
    for verdict in verdicts:
        if verdict.plan is not None:
            err(valid_summary(verdict.plan, verdict.shown))
        elif per_file and len(verdicts) > 1:
            err(f"{verdict.shown}：{count_problems(verdict.problems)} 个问题")
    problems = [p for v in verdicts for p in v.problems]
    if problems or format == "json":
        out(render(problems))
    if problems:
        err(problems_summary(problems))
    raise typer.Exit(max(v.exit_code for v in verdicts))
