"""`kpzf export`: the resolved plan for other programs."""

from __future__ import annotations

import json

import typer

from ..app import app, choose, open_plan, out
from ..export import plan_data

EXPORT_FORMATS = ("json",)


@app.command(
    help="""导出解析后的完整计划（措施、节点、单位、组、进度）。

示例：

  kpzf export --format json > plan.json
"""
)
def export(
    ctx: typer.Context,
    format: str = typer.Option("json", "--format", "-f", help="导出格式：json"),
) -> None:
    choose(format, EXPORT_FORMATS, "--format")
    plan = open_plan(ctx)
    out(json.dumps(plan_data(plan), ensure_ascii=False, indent=2) + "\n")
