"""`kpzf validate`: every problem of one or more plan files, for people and CI."""

from __future__ import annotations

from pathlib import Path

import typer

from ..app import PLAN_OPTION, app, choose, err, out, parse_date, source
from ..checks import completed, run_checks
from ..errors import EXIT_INVALID, EXIT_OK, PlanError, Problem, count_problems
from ..plan import load_plan
from ..render.problems import PROBLEM_FORMATS


@app.command(
    help="""校验计划文件：一次报告全部问题，每条带 文件:行:列 和修改建议。

退出码：0 有效，1 有问题，2 文件无法使用（不存在、不是 UTF-8、不是 YAML）。

示例：

  kpzf validate plan.yaml

  kpzf validate --format github plan.yaml   （GitHub Actions 注释）
"""
)
def validate(
    ctx: typer.Context,
    paths: list[Path] | None = typer.Argument(
        None, metavar="PATH", help="要校验的文件；省略时校验当前使用的计划文件"
    ),
    format: str = typer.Option("text", "--format", "-f", help="输出格式：text、json、github"),
    plan_path: str | None = PLAN_OPTION,
) -> None:
    render = PROBLEM_FORMATS[choose(format, PROBLEM_FORMATS, "--format")]
    targets = [(p, str(p)) for p in paths] if paths else [(source(ctx).path, source(ctx).shown)]
    problems: list[Problem] = []
    code = EXIT_OK
    on = parse_date(None)  # progress may not be dated in the future
    for path, shown in targets:
        try:
            plan = load_plan(path, shown)
        except PlanError as exc:
            exc = completed(exc, on)  # bad progress entries: the rest is checked all the same
            problems.extend(exc.problems)
            code = max(code, exc.exit_code)
            continue
        found = run_checks(plan, on)
        problems.extend(found)
        if found:
            code = max(code, EXIT_INVALID)
        else:
            err(
                f"{shown}：有效（{len(plan.model.areas)} 项重点任务，"
                f"{sum(len(a.tasks) for a in plan.model.areas)} 项具体任务，"
                f"{sum(1 for m in plan.measures.values() if m.area is not None)} 项主要措施，"
                f"{len(plan.registry.units)} 个单位，{len(plan.registry.groups)} 个单位组，"
                f"{len(plan.model.progress)} 条进度记录）"
            )
    if problems or format == "json":
        out(render(problems))
    if problems:
        files = len({p.file for p in problems})
        err(f"发现 {count_problems(problems)} 个问题（{files} 个文件）")
    raise typer.Exit(code)
