"""Entry point: registers the commands and turns every failure into a Chinese message and exit code."""

from __future__ import annotations

import contextlib
import copy
import os
import sys
from collections.abc import Sequence
from typing import Any

import typer

from .. import errors
from ..io import cache
from ..io.output import OUTPUT_ERRNOS, guard_stdio
from ..io.write import Terminated, describe, termination_unwinds
from ..render.terminal import literal
from .app import app
from .commands import completion, diff, export, imports, schema, validate  # noqa: F401  (importing registers the commands)
from .commands import notice as _notice  # noqa: F401  (notice)
from .commands import queries as _queries  # noqa: F401  (overdue, unit, units, show, upcoming, report)
from .commands import record as _record  # noqa: F401  (record)
from .completion import COMPLETE_VAR
from .helptext import HELP_OPTIONS, wants_help
from .typer_compat import click_exceptions as click_exc
from .typer_compat import parameter_kind


def _usage_message(exc: click_exc.UsageError) -> str:
    """Click's English usage errors, said in Chinese."""
    if isinstance(exc, click_exc.NoSuchOption):
        text = f"没有这个选项：{exc.option_name}"
        if exc.possibilities:
            text += f"（是否指：{'、'.join(sorted(exc.possibilities))}？）"
        return text
    if isinstance(exc, click_exc.MissingParameter):
        name = exc.param.opts[0] if exc.param is not None and exc.param.opts else ""
        if exc.param is not None and exc.param.param_type_name == "argument":
            name = (exc.param.metavar or exc.param.name or "").upper()
        return f"缺少参数：{name}"
    if isinstance(exc, click_exc.BadParameter):
        name = exc.param.opts[0] if exc.param is not None and exc.param.opts else ""
        return f"参数 {name} 的值无效：{_reason(exc)}"
    if isinstance(exc, click_exc.BadOptionUsage):
        if "requires an argument" in exc.message or "requires" in exc.message:
            return f"选项 {exc.option_name} 后面缺少值"
        return f"选项 {exc.option_name} 用法错误" + (
            f"：{exc.message}" if _chinese(exc.message) else ""
        )
    message = exc.message
    if message.startswith("No such command"):
        return f"没有这个命令：{message.split(chr(39))[1] if chr(39) in message else message}"
    if message.startswith("Got unexpected extra argument"):
        return f"多余的参数：{message.split('(')[-1].rstrip(')')}"
    return message if _chinese(message) else "命令行的写法不对"


def _chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


# Click's and Typer's type names → what the value should have been (their messages are English).
_TYPE_REASONS = {"int": "应为整数", "integer": "应为整数", "float": "应为数值",
                 "bool": "应为 true 或 false", "boolean": "应为 true 或 false"}


def _reason(exc: click_exc.BadParameter) -> str:
    """Why a value was refused, in Chinese: never Click's or pydantic's English text."""
    if _chinese(exc.message):
        return exc.message  # kpzf's own callbacks already speak Chinese
    return _TYPE_REASONS.get(parameter_kind(exc.param), "格式不对")


MAX_COLUMNS = 400  # no terminal is wider; COLUMNS=1000000 made --help take 22 s


def _sane_terminal_size() -> None:
    """Hold COLUMNS and LINES to sizes a terminal can have, before Rich reads them."""
    for name, limit in (("COLUMNS", MAX_COLUMNS), ("LINES", 1000)):
        value = os.environ.get(name)
        if value is None:
            continue
        try:
            number = int(value)
        except ValueError:
            del os.environ[name]
            continue
        if not 1 <= number <= limit:
            os.environ[name] = str(min(max(number, 20), limit))


def main(argv: Sequence[str] | None = None) -> int:
    """Run kpzf; return the exit code (see README, 退出码).

    The one place failures become messages: a user's mistake gets its Chinese message and
    documented code, Ctrl-C gets 130, SIGTERM/SIGHUP 128+N (temporary files removed on the
    way out), a closed output pipe ends quietly, output that cannot be written exits 2, and
    anything else is a kpzf bug (exit 3) whose traceback is shown only with --debug.
    """
    guard_stdio()
    _sane_terminal_size()
    with termination_unwinds():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    cache.disable(False)  # as the environment says, until --no-cache (one process, many runs in tests)
    if COMPLETE_VAR in os.environ:  # a shell asking for completions (see `kpzf completion`)
        from .completion import enable

        enable()
    elif wants_help(args):
        from .helptext import localize

        localize()
    try:
        result = _app_for(args)(args=args, prog_name="kpzf", standalone_mode=False)
        sys.stdout.flush()  # short output reaches a closed pipe only here
        code = result if isinstance(result, int) else errors.EXIT_OK
        if code == errors.EXIT_INTERRUPTED:  # Typer turns Ctrl-C inside a command into Exit(130)
            sys.stderr.write("\n已中断\n")
        return code
    except errors.PlanError as exc:
        from ..render.problems import problems_text

        sys.stderr.write(problems_text(exc.problems))
        if isinstance(exc, errors.UnusableInput):
            sys.stderr.write("无法读取计划文件，请先处理上述问题\n")
        else:
            sys.stderr.write(
                f"计划文件有 {errors.count_problems(exc.problems)} 个问题，请先修正（可运行 kpzf validate 查看）\n"
            )
        return exc.exit_code
    except errors.KpzfError as exc:
        sys.stderr.write(literal(f"错误：{exc.message}\n"))
        if exc.hint:
            sys.stderr.write(literal(f"提示：{exc.hint}\n"))
        return exc.exit_code
    except click_exc.NoArgsIsHelpError:
        return errors.EXIT_UNUSABLE  # `kpzf` alone: the help has been shown; nothing to add
    except click_exc.UsageError as exc:
        sys.stderr.write(literal(f"错误：{_usage_message(exc)}\n") + "提示：运行 kpzf --help 查看用法\n")
        return errors.EXIT_UNUSABLE
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except (KeyboardInterrupt, typer.Abort):
        sys.stderr.write("\n已中断\n")
        return errors.EXIT_INTERRUPTED
    except Terminated as exc:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"\n已中断（信号 {exc.signum}）\n")
        return 128 + exc.signum
    except BrokenPipeError:
        return _output_closed()
    except SystemExit as exc:
        # Typer answers a closed pipe with sys.exit(1) while handling the BrokenPipeError.
        if isinstance(exc.__context__, BrokenPipeError):
            return _output_closed()
        raise
    except UnicodeEncodeError as exc:
        encoding = getattr(sys.stdout, "encoding", None) or exc.encoding
        _output_closed()
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(
                f"错误：输出编码 {encoding} 无法表示中文，结果未能写出\n"
                f"kpzf: the output encoding ({encoding}) cannot represent Chinese text; "
                "set PYTHONIOENCODING=utf-8 or use a UTF-8 locale (LANG=zh_CN.UTF-8)\n"
            )
        return errors.EXIT_UNUSABLE
    except OSError as exc:
        if exc.errno not in OUTPUT_ERRNOS:
            return _unexpected(exc, debug)
        _output_closed()
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"错误：无法写出结果：{describe(exc)}\n")
        return errors.EXIT_UNUSABLE
    except ImportError as exc:
        from ..entry import EXIT_ENVIRONMENT, dependency_message, is_dependency

        if not is_dependency(exc):
            return _unexpected(exc, debug)
        sys.stderr.write(dependency_message(exc))  # e.g. rich, imported only when printing
        return EXIT_ENVIRONMENT
    except Exception as exc:  # the one place unexpected errors are caught
        return _unexpected(exc, debug)


def _app_for(args: Sequence[str]) -> typer.Typer:
    """The app with only what this run shows, when it is plain what that is.

    Typer builds the Click parameters of every registered command before parsing (about as
    long as the rest of a cached answer); a run needs only its own command's, and so does that
    command's help screen. The top-level help lists the commands by name and help text only:
    it gets every command, each without its parameters (`_listed`). Completion and anything not
    naming a known command get the whole app, so what they show is unchanged
    (tests/cli/test_help.py compares the screens with the whole app's).
    """
    if COMPLETE_VAR in os.environ or not isinstance(app, typer.Typer):
        return app
    name, at = None, len(args)
    values = iter(enumerate(args))
    for i, arg in values:
        if arg == "--":
            break
        if arg == "--plan":
            next(values, None)  # the root option's value, not a command
        elif not arg.startswith("-"):
            name, at = arg, i
            break
    if wants_help(args) and (name is None or any(a in HELP_OPTIONS for a in args[:at])):
        return _listed(app)  # `kpzf`, `kpzf --help`, `kpzf --help overdue`: the top-level help
    chosen = [c for c in app.registered_commands if _command_name(c) == name]
    if len(chosen) != 1:
        return app
    only = copy.copy(app)
    only.registered_commands = chosen
    return only


def _listed(whole: typer.Typer) -> typer.Typer:
    """`whole` with each command replaced by one of the same name and help but no parameters."""
    listed = copy.copy(whole)
    listed.registered_commands = []
    for info in whole.registered_commands:
        shown = copy.copy(info)
        shown.name = _command_name(info)
        shown.callback = _without_parameters(info.callback)
        listed.registered_commands.append(shown)
    return listed


def _without_parameters(callback: Any) -> Any:
    def listed() -> None:  # never run: only a help screen is built from it
        raise AssertionError("a listed command is not run")

    listed.__doc__ = getattr(callback, "__doc__", None)  # Typer's help when info.help is None
    return listed


def _command_name(info: typer.models.CommandInfo) -> str | None:
    if info.name:
        return info.name
    callback = info.callback
    return callback.__name__.replace("_", "-") if callback is not None else None


def _unexpected(exc: BaseException, debug: bool) -> int:
    if debug:
        import traceback

        traceback.print_exception(exc)
    sys.stderr.write(
        literal(f"kpzf 内部错误（{type(exc).__name__}）：{exc}\n")
        + "这是 kpzf 的缺陷，不是您的文件的问题。请把所运行的命令和这段信息报告给维护者"
        "（加 --debug 可显示详细的调用栈）。\n"
    )
    return errors.EXIT_UNEXPECTED


def _output_closed() -> int:
    """`kpzf … | head`: the reader went away; nothing is wrong, so end quietly with 0.

    Point stdout at /dev/null (the recipe in Python's signal docs) so that the interpreter's
    final flush does not raise again and print "Exception ignored … BrokenPipeError".
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (captured in tests)
        pass
    return errors.EXIT_OK
