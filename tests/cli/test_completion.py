"""Shell completion: unit names and measure numbers from the plan, the scripts, and a real bash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from conftest import PLAN, Run

from kpzf.cli.completion import COMPLETE_VAR, complete_measure, complete_unit, enable


@pytest.fixture(autouse=True)
def _plan_from_nowhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No ./plan.yaml and no $KPZF_PLAN: the shipped plan (the repository's, in a checkout)."""
    monkeypatch.delenv("KPZF_PLAN", raising=False)
    monkeypatch.chdir(tmp_path)


def test_units_and_aliases_beginning_with_what_was_typed() -> None:
    # plan.yaml: units 赤坎镇 (alias 赤坎) and 赤水镇 (alias 赤水); no group begins with 赤.
    assert complete_unit("赤") == [
        ("赤坎镇", "单位"),
        ("赤水镇", "单位"),
        ("赤坎", "即 赤坎镇"),
        ("赤水", "即 赤水镇"),
    ]


def test_groups_and_short_forms() -> None:
    assert complete_unit("市直") == [("市直行政执法部门", "单位组")]
    assert complete_unit("公安") == [("公安", "即 市公安局")]
    # Half-width brackets typed, full-width stored: the registry's own comparison.
    assert complete_unit("各镇(") == [("各镇（街）", "单位组"), ("各镇（街道）", "即 各镇（街）")]


def test_everything_when_nothing_typed() -> None:
    offered = complete_unit("")
    names = [value for value, note in offered if not note.startswith("即 ")]
    assert len(names) == 33 + 4  # the plan's units, then its groups
    assert names[0] == "市司法局" and names[-1] == "其他行政执法单位"
    assert ("市委编办", "即 市委机构编制委员会办公室") in offered
    assert ("乡镇（街道）", "即 各镇（街）") in offered


def test_measure_numbers() -> None:
    offered = complete_measure("6")
    assert [value for value, _ in offered] == ["6", "60", "61", "62", "63", "64", "65", "66"]
    assert offered[0][1] == "各行政执法单位要建立本单位业务培训登记卡，全流程…"  # 24 characters
    assert offered[-1][1] == "完成终期评估，并形成书面总结评估报告报送市政府"
    assert len(complete_measure("")) == 66
    assert complete_measure("x") == []


def test_the_plan_the_command_would_load(plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = plan_copy.read_text(encoding="utf-8")
    plan_copy.write_text(
        text.replace("  - name: 市财政局\n", "  - name: 市财政局\n  - name: 市民政局\n    aliases: [民政]\n"),
        encoding="utf-8",
    )
    monkeypatch.chdir(plan_copy.parent)  # ./plan.yaml
    assert complete_unit("民政") == [("民政", "即 市民政局")]
    monkeypatch.chdir(PLAN.parent.parent)
    monkeypatch.setenv("KPZF_PLAN", str(plan_copy))  # $KPZF_PLAN
    assert complete_unit("市民") == [("市民政局", "单位")]


@pytest.mark.parametrize(
    "content",
    ["version: 1\nmeta: [oops\n", "version: 1\n", b"\xb2\xe2\xca\xd4".decode("latin-1")],
)
def test_unusable_plan_offers_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(content, encoding="latin-1")
    monkeypatch.setenv("KPZF_PLAN", str(broken))
    assert complete_unit("赤") == []
    assert complete_measure("1") == []
    monkeypatch.setenv("KPZF_PLAN", str(tmp_path / "missing.yaml"))
    assert complete_unit("") == []


# --- through the shell protocol, as the lead will wire it into `unit NAME`, `--unit`, `show N` ----

demo = typer.Typer()


@demo.callback()
def _root(plan: str | None = typer.Option(None, "--plan")) -> None:
    pass


@demo.command("unit")
def _unit(name: str = typer.Argument(..., autocompletion=complete_unit)) -> None:
    pass


@demo.command("show")
def _show(
    number: int = typer.Argument(..., autocompletion=complete_measure),
    unit: str | None = typer.Option(None, "--unit", autocompletion=complete_unit),
) -> None:
    pass


def bash_complete(
    words: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[str]:
    """What kpzf answers to the bash script for the command line `words` (last word being typed)."""
    enable()
    monkeypatch.setenv(COMPLETE_VAR, "complete_bash")
    monkeypatch.setenv("COMP_WORDS", " ".join(words))
    monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        typer.main.get_command(demo).main([], prog_name="kpzf", complete_var=COMPLETE_VAR)
    assert done.value.code == 0
    return capsys.readouterr().out.splitlines()


def test_shell_protocol_completes_units_and_measures(
    plan_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bash_complete(["kpzf", "unit", "赤"], monkeypatch, capsys) == ["赤坎镇", "赤水镇", "赤坎", "赤水"]
    assert bash_complete(["kpzf", "show", "6"], monkeypatch, capsys) == [
        "6", "60", "61", "62", "63", "64", "65", "66"
    ]
    assert bash_complete(["kpzf", "show", "5", "--unit", "三"], monkeypatch, capsys) == ["三埠街道", "三埠"]
    # --plan on the command line decides which plan's units are offered.
    plan_copy.write_text(
        plan_copy.read_text(encoding="utf-8").replace("  - name: 三埠街道\n", "  - name: 三埠街道办\n"),
        encoding="utf-8",
    )
    words = ["kpzf", "--plan", str(plan_copy), "unit", "三"]
    assert bash_complete(words, monkeypatch, capsys) == ["三埠街道办", "三埠"]


# --- the scripts ----------------------------------------------------------------------------------


def test_scripts(run: Run) -> None:
    bash = run("completion", "bash")
    assert bash.code == 0
    assert "_KPZF_COMPLETE=complete_bash" in bash.out
    assert "complete -o default -F _kpzf_completion kpzf" in bash.out
    zsh = run("completion", "zsh")
    assert zsh.out.startswith("#compdef kpzf\n") and "_KPZF_COMPLETE=complete_zsh" in zsh.out
    fish = run("completion", "fish")
    assert fish.out.startswith("complete --command kpzf ") and "_KPZF_COMPLETE=complete_fish" in fish.out


def test_unknown_shell_is_a_usage_error(run: Run) -> None:
    result = run("completion", "tcsh")
    assert result.code == 2
    assert result.err == "错误：SHELL 的值“tcsh”无效\n提示：可选：bash、zsh、fish\n"


@pytest.mark.slow
def test_bash_script_in_a_real_bash(tmp_path: Path) -> None:
    """Source the script in bash and press Tab: the installed kpzf answers through cli.main."""
    bash = shutil.which("bash")
    kpzf = Path(sys.executable).parent / "kpzf"
    if bash is None or not kpzf.exists():
        pytest.skip("needs bash and the kpzf script of this environment")
    script = r"""
eval "$(kpzf completion bash)"
tab() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _kpzf_completion kpzf; printf '%s|' "${COMPREPLY[@]}"; echo; }
tab kpzf comp
tab kpzf completion ""
tab kpzf --pl
"""
    env = {**os.environ, "PATH": f"{kpzf.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("KPZF_PLAN", None)
    done = subprocess.run(
        [bash, "--norc", "--noprofile", "-c", script],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["completion|", "bash|zsh|fish|", "--plan|"]
