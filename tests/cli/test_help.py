"""Help that teaches: every command explains itself in Chinese with an example and is in the README.

This fails for a command added without Chinese help, an example or a README section: intended.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import PLAN, REPO, Run

from kpzf.cli.helptext import translate_type, wants_help

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_LEFTOVERS = (
    "Usage", "Options", "Arguments", "Commands", "Show this message", "[default:", "[required]",
    "<bool>", "<str>", "<int>", "<list[",
)


def commands() -> dict[str, object]:
    import typer.main

    import kpzf.cli.main  # noqa: F401  (registers every command)
    from kpzf.cli.app import app

    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


COMMANDS = sorted(commands())


def test_the_commands_this_branch_knows_are_registered() -> None:
    assert {"validate", "export", "schema", "completion", "diff"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_is_chinese_with_a_worked_example(name: str) -> None:
    text = commands()[name].help or ""  # type: ignore[attr-defined]
    assert CJK.search(text.split("\n", 1)[0]), f"kpzf {name}: the first line of help is not Chinese"
    assert "示例" in text, f"kpzf {name}: help has no 示例 (example) section"
    example = text.split("示例", 1)[1]
    assert f"kpzf {name}" in example, f"kpzf {name}: the example does not run kpzf {name}"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented_in_readme(name: str) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"^### `kpzf {re.escape(name)}(?=[ `])", readme, re.MULTILINE), (
        f"README.md has no '### `kpzf {name} …`' section"
    )


@pytest.mark.parametrize("args", [("--help",), ("-h",), *[(name, "--help") for name in COMMANDS]])
def test_help_screens_have_no_english_chrome(run: Run, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.code == 0, result.err
    assert "用法：kpzf" in result.out
    assert "选项" in result.out and "显示本帮助并退出" in result.out
    for word in ENGLISH_LEFTOVERS:
        assert word not in result.out, f"'{word}' in: kpzf {' '.join(args)}"


def test_top_level_help_lists_every_command(run: Run) -> None:
    out = run("--help").out
    assert "命令" in out
    for name in COMMANDS:
        assert re.search(rf"│ {name} ", out), name


def test_when_help_is_wanted() -> None:
    assert wants_help([])  # a bare `kpzf` shows the help
    assert wants_help(["--help"]) and wants_help(["validate", "-h"])
    assert wants_help(["--plan", "x.yaml", "diff", "--help"])
    assert not wants_help(["validate", "plan.yaml"])
    assert not wants_help(["diff", "--", "--help"])  # after "--" it is a file name


def test_type_labels() -> None:
    assert translate_type("<str>") == "<文本>"
    assert translate_type("<list[Path]>") == "<路径>..."
    assert translate_type("<int>...") == "<整数>..."
    assert translate_type("PATH") == "PATH"
    assert translate_type("<table|json|md>") == "<table|json|md>"


def test_ordinary_runs_do_not_load_the_help_renderer() -> None:
    """Start-up cost: the Chinese help is applied lazily, so `kpzf validate` never imports it."""
    code = (
        "import sys\n"
        "from kpzf.cli.main import main\n"
        f"code = main(['validate', {str(PLAN)!r}])\n"
        "print(code, 'typer.rich_utils' in sys.modules, 'kpzf.cli.helptext' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO, check=False
    )
    assert done.stdout.split() == ["0", "False", "True"], done.stderr


HELP_SCREENS = [(), ("--help",), ("-h",), ("--plan", "x.yaml", "--help"), ("--help", "overdue"),
                *[(name, "--help") for name in COMMANDS], ("--plan", "x.yaml", "unit", "-h")]


@pytest.mark.parametrize("columns", ["60", "80", "120"])
@pytest.mark.parametrize("args", HELP_SCREENS, ids=" ".join)
def test_help_screens_equal_the_whole_apps(
    run: Run, monkeypatch: pytest.MonkeyPatch, columns: str, args: tuple[str, ...]
) -> None:
    """A help screen is built from a smaller app (the one command, or every command without its
    parameters: cli.main._app_for); what it shows is exactly what the whole app shows."""
    import kpzf.cli.main as cli_main
    from kpzf.cli.app import app

    monkeypatch.setenv("COLUMNS", columns)
    fast = run(*args)
    assert cli_main._app_for(list(args)) is not app  # the smaller app was used
    monkeypatch.setattr(cli_main, "_app_for", lambda _args: app)
    whole = run(*args)
    assert (fast.code, fast.out, fast.err) == (whole.code, whole.out, whole.err)
    assert "用法：kpzf" in fast.out


def test_which_app_a_command_line_gets() -> None:
    import inspect

    import kpzf.cli.main as cli_main
    from kpzf.cli.app import app

    names = [cli_main._command_name(c) for c in app.registered_commands]
    assert cli_main._app_for(["nonsense", "--help"]) is app  # Click's own "no such command"
    for args in (["validate", "--", "--help"], ["validate", "-h"], ["--plan", "unit", "validate"]):
        only = cli_main._app_for(args).registered_commands
        assert [cli_main._command_name(c) for c in only] == ["validate"], args
    for args in ([], ["--help"], ["--help", "validate"], ["--plan", "x", "-h"]):
        listed = cli_main._app_for(args).registered_commands
        assert [cli_main._command_name(c) for c in listed] == names, args
        assert all(c.callback is not None and not inspect.signature(c.callback).parameters
                   for c in listed)
