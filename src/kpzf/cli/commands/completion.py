"""`kpzf completion SHELL`: the shell script that makes Tab complete kpzf's commands, units and measures."""

from __future__ import annotations

import typer

from ..app import app, choose, out
from ..completion import SHELLS, complete_shell, completion_script


@app.command(
    help="""输出 shell 补全脚本：按 Tab 键补全命令、选项、单位名称（规范名称和别名）和措施序号。

单位和措施取自命令将要使用的计划文件（--plan、KPZF_PLAN、./plan.yaml 或内置副本）；
计划文件无法读取时不提供候选，也不报错。

示例：

  eval "$(kpzf completion bash)"        （写入 ~/.bashrc 即长期生效）

  kpzf completion zsh > ~/.zfunc/_kpzf  （zsh：~/.zfunc 须在 fpath 中，再执行 compinit）

  kpzf completion fish > ~/.config/fish/completions/kpzf.fish
"""
)
def completion(
    shell: str = typer.Argument(
        ..., metavar="SHELL", help="bash、zsh 或 fish", autocompletion=complete_shell
    ),
) -> None:
    choose(shell, SHELLS, "SHELL")
    out(completion_script(shell) + "\n")
