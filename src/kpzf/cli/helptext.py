"""Chinese for the parts of the help screen that Typer and Click write in English.

Typer's panel titles and Click's usage prefix and help option are fixed English strings. They
are replaced only when help is about to be shown (`cli.main` asks `wants_help` first), so that
ordinary invocations neither import Rich's help renderer nor pay for the patching.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Any

HELP_OPTIONS = ("-h", "--help")
HELP_OPTION_TEXT = "显示本帮助并退出"

_USAGE_WORDS = (("Usage: ", "用法："), ("[OPTIONS]", "[选项]"), ("COMMAND [ARGS]...", "命令 [参数]..."))
_TYPE_WORDS = {
    "str": "文本",
    "int": "整数",
    "float": "数值",
    "path": "路径",
    "Path": "路径",
    "file": "文件",
    "directory": "目录",
    "datetime": "日期时间",
}
_TYPE_LABEL = re.compile(r"^<(?:list\[(?P<item>[^\]]+)\]|(?P<one>[^>]+))>(?P<more>\.\.\.)?$")


def wants_help(args: Sequence[str]) -> bool:
    """Whether this command line will show a help screen (no arguments shows the top-level help)."""
    if not args:
        return True
    for arg in args:
        if arg == "--":
            return False
        if arg in HELP_OPTIONS:
            return True
    return False


@functools.cache  # once per process
def localize() -> None:
    """Say the help screen's fixed words in Chinese; safe to call more than once."""
    from .typer_compat import click_command_class, typer_rich_utils

    rich_utils = typer_rich_utils()
    from typer import core

    rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
    rich_utils.OPTIONS_PANEL_TITLE = "选项"
    rich_utils.COMMANDS_PANEL_TITLE = "命令"
    rich_utils.ERRORS_PANEL_TITLE = "错误"
    rich_utils.DEFAULT_STRING = "[默认：{}]"
    rich_utils.ENVVAR_STRING = "[环境变量：{}]"
    rich_utils.REQUIRED_LONG_STRING = "[必填]"
    rich_utils.DEPRECATED_STRING = "（已停用）"
    rich_utils.ABORTED_TEXT = "已中断"
    rich_utils.RICH_HELP = "运行 [blue]'{command_path} {help_option}'[/] 查看帮助"

    command = click_command_class()
    command.get_help_option = _with_chinese_help(command.get_help_option)
    command.get_usage = _chinese_usage(command.get_usage)
    for parameter in (core.TyperOption, core.TyperArgument):
        parameter.display_type_rich = _chinese_type(parameter.display_type_rich)  # type: ignore[method-assign]


def _with_chinese_help(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option

    return get_help_option


def _chinese_usage(original: Callable[..., str]) -> Callable[..., str]:
    def get_usage(self: Any, ctx: Any) -> str:
        usage = original(self, ctx)
        for english, chinese in _USAGE_WORDS:
            usage = usage.replace(english, chinese)
        return usage

    return get_usage


def _chinese_type(original: Callable[..., str | None]) -> Callable[..., str | None]:
    def display_type_rich(self: Any, ctx: Any) -> str | None:
        if getattr(self, "is_flag", False):
            return None  # a switch takes no value; "<bool>" only puzzles
        shown = original(self, ctx)
        return translate_type(shown) if shown is not None else None

    return display_type_rich


def translate_type(label: str) -> str:
    """"<str>" → "<文本>", "<list[Path]>" → "<路径>..."; metavars and choices stay as written."""
    match = _TYPE_LABEL.match(label)
    if match is None:
        return label
    word = match["item"] or match["one"]
    many = bool(match["item"] or match["more"])
    return f"<{_TYPE_WORDS.get(word, word)}>" + ("..." if many else "")
