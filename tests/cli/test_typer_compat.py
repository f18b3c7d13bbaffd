"""The pydantic-free parameter conversion (cli/typer_compat.plain_coercion) against Typer's own.

Typer 0.29 converts parameters through pydantic TypeAdapters; kpzf wraps Typer's one hook
(`typer.core.build_runtime_param`) to convert its own parameter kinds without pydantic. These
tests fail loudly when a Typer release moves the hook or changes what its conversion gives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
from typer import _coercion, core

from kpzf.cli import typer_compat
from kpzf.cli.main import app as kpzf_app


def _params(command: Any) -> list[Any]:
    found = [p for p in command.params if isinstance(p, core._TyperParameter)]
    for sub in getattr(command, "commands", {}).values():
        found += _params(sub)
    return found


def test_the_hook_is_installed() -> None:
    assert typer_compat.plain_coercion, (
        "Typer no longer has typer.core.build_runtime_param (or RuntimeParam changed): "
        "kpzf's parameters go through pydantic again; adapt cli/typer_compat.py"
    )
    assert getattr(core.build_runtime_param, "kpzf_plain", False)


def test_every_kpzf_parameter_is_converted_without_pydantic() -> None:
    params = _params(typer.main.get_command(kpzf_app))
    assert len(params) > 30  # the whole tree was walked (every command has several options)
    kinds = set()
    for param in params:
        plain = typer_compat._plain_runtime_param(param.type_descriptor)
        assert plain is not None, f"{param.name}: {param.type_descriptor.annotation!r} left to Typer"
        kinds.add(param.type_descriptor.annotation)
    # The kinds kpzf uses today; a new kind must get its converter (and a row below) first.
    # (Compared as types: their reprs differ between Pythons, pathlib._local.Path on 3.13.)
    assert kinds <= {str, int, bool, Path, list[str], list[Path]}, kinds


def _probe_app() -> Any:
    probe = typer.Typer()

    @probe.command()
    def run(
        s: str = typer.Option("x", "--s"),
        i: int = typer.Option(0, "--i"),
        b: bool = typer.Option(False, "--b"),
        p: Path = typer.Option(Path("."), "--p"),
        ls: list[str] | None = typer.Option(None, "--ls"),
        lp: list[Path] | None = typer.Argument(None),
    ) -> None:
        pass

    return typer.main.get_command(probe)


VALUES: dict[str, list[Any]] = {
    "s": ["", "abc", " 市公安局 ", "2024年7月1日", b"bytes", "--", "\x1b[31m"],
    "i": ["12", " 12 ", "+3", "-3", "12.0", "1.00", "12.5", "1_000", "1__0", "_1", "1_", "1e3",
          "0x10", "١٢", "１２", "", "abc", "007", "9" * 30, "3\n", "\u30001\u3000", "12.", ".0", 5,
          True],
    "b": ["true", "FALSE", " yes ", "on", "Off", "t", "n", "1", "0", "", "2", "maybe", True, False, 1],
    "p": ["", "a/b", " x ", "/", "-", "plan.yaml"],
    "ls": [("a", "b"), ["x"], "one", ()],
    "lp": [("a", "b/c"), ["."], "one", ()],
}


def _outcome(runtime: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        return "ok", runtime.coerce(value, param=param, ctx=ctx)
    except typer_compat.click_exceptions.BadParameter:
        return "refused", None


@pytest.mark.parametrize("name", sorted(VALUES))
def test_same_answer_as_typers_own_conversion(name: str) -> None:
    command = _probe_app()
    param = next(p for p in command.params if p.name == name)
    ctx = command.make_context("run", [], resilient_parsing=True)
    ours = typer_compat._plain_runtime_param(param.type_descriptor)
    typers = _coercion.build_runtime_param(param.type_descriptor)  # Typer's, through pydantic
    assert ours is not None and type(typers).__name__ == "AdapterRuntimeParam"
    for value in VALUES[name]:
        expected = _outcome(typers, value, param, ctx)
        got = _outcome(ours, value, param, ctx)
        assert got == expected, f"--{name} {value!r}: kpzf {got}, Typer {expected}"
        if got[0] == "ok":
            assert type(got[1]) is type(expected[1])


def test_a_refused_value_is_still_said_in_chinese(run: Any) -> None:
    result = run("overdue", "--area", "三")
    assert result.code == 2
    assert "参数 --area 的值无效：应为整数" in result.err


HELP_PROBE = """
import sys
from kpzf.cli.main import main
code = main(["--help"])
sys.stdout.flush()
loaded = [m for m in ("rich.markdown", "markdown_it", "rich.traceback", "pygments") if m in sys.modules]
import rich.markdown, typer.rich_utils
real = hasattr(rich.markdown, "__file__")
made = type(typer.rich_utils.Markdown("**x**")).__module__
sys.stderr.write(f"\\nloaded={loaded} real={real} made={made}\\n")
"""


def test_help_does_not_load_markdown_or_tracebacks() -> None:
    """typer_rich_utils: the help screen without rich.markdown and rich.traceback, which stay
    importable for real afterwards (and a Markdown made through Typer is the real one)."""
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", HELP_PROBE], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "NO_COLOR": "1"}, check=False)
    assert done.returncode == 0, done.stderr
    assert "用法" in done.stdout and "overdue" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "loaded=[] real=True made=rich.markdown"
