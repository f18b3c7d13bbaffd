"""Entry point: registers the commands and turns every failure into a Chinese message and exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import typer
from typer._click import exceptions as click_exc

from . import errors
from .app import app
from .commands import completion, diff, export, schema, validate  # noqa: F401  (importing registers the commands)  # noqa: F401
from .commands import queries as _queries  # noqa: F401  (overdue, unit, units, show, upcoming, report)
from .commands import record as _record  # noqa: F401  (record)
from .completion import COMPLETE_VAR
from .helptext import wants_help
from .render.problems import problems_text
from .render.terminal import literal


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
        return f"参数 {name} 的值无效：{exc.message}"
    if isinstance(exc, click_exc.BadOptionUsage):
        return f"选项 {exc.option_name} 用法错误：{exc.message}"
    message = exc.message
    if message.startswith("No such command"):
        return f"没有这个命令：{message.split(chr(39))[1] if chr(39) in message else message}"
    if message.startswith("Got unexpected extra argument"):
        return f"多余的参数：{message.split('(')[-1].rstrip(')')}"
    return message


def main(argv: Sequence[str] | None = None) -> int:
    """Run kpzf; return the exit code (see README, 退出码).

    The one place failures become messages: a user's mistake gets its Chinese message and
    documented code, Ctrl-C gets 130, a closed output pipe ends quietly, and anything else is a
    kpzf bug (exit 3) whose traceback is shown only with --debug.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    if COMPLETE_VAR in os.environ:  # a shell asking for completions (see `kpzf completion`)
        from .completion import enable

        enable()
    elif wants_help(args):
        from .helptext import localize

        localize()
    try:
        result = app(args=args, prog_name="kpzf", standalone_mode=False)
        sys.stdout.flush()  # short output reaches a closed pipe only here
        code = result if isinstance(result, int) else errors.EXIT_OK
        if code == errors.EXIT_INTERRUPTED:  # Typer turns Ctrl-C inside a command into Exit(130)
            sys.stderr.write("\n已中断\n")
        return code
    except errors.PlanError as exc:
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
    except BrokenPipeError:
        return _output_closed()
    except SystemExit as exc:
        # Typer answers a closed pipe with sys.exit(1) while handling the BrokenPipeError.
        if isinstance(exc.__context__, BrokenPipeError):
            return _output_closed()
        raise
    except Exception as exc:  # the one place unexpected errors are caught
        if debug:
            import traceback

            traceback.print_exc()
        sys.stderr.write(
            f"kpzf 内部错误（{type(exc).__name__}）：{exc}\n"
            "这是 kpzf 的缺陷，不是您的文件的问题。请把所运行的命令和这段信息报告给维护者"
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
