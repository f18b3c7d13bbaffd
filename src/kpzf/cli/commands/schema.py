"""`kpzf schema`: the JSON Schema of plan.yaml, for editors and other validators."""

from __future__ import annotations

from ..app import app, out


@app.command(
    help="""输出 plan.yaml 的 JSON Schema（由 kpzf 的数据模型生成，带中文说明）。

编辑器（如装有 YAML 插件的 VS Code）据此在输入时补全字段、提示说明、标出错误。
plan.yaml 第一行的 "# yaml-language-server: $schema=./plan.schema.json" 指向仓库中的副本；
升级 kpzf 后请重新生成该副本。

示例：

  kpzf schema > plan.schema.json
"""
)
def schema() -> None:
    from ...model.jsonschema import schema_text

    out(schema_text())
