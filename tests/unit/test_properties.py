"""Property-based tests: a mangled plan.yaml never crashes kpzf, and export is deterministic.

(The deadline parser's own property — any text parses or raises DeadlineError — is in
tests/unit/model/test_deadline.py.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PLAN, REPO, Result, Run
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from mutations import MUTATIONS, PLAN_TEXT, PROGRESS, Mutation, mutate

TODAY = "2024-07-01"

# Every command that loads a plan, each run as `kpzf --plan MUTATED.yaml COMMAND…` (so it must
# take the plan from --plan). Add new commands here; on a broken plan only one of them runs per
# example (they share the loader), on a valid one all of them, so the list can grow cheaply.
COMMANDS: list[list[str]] = [
    ["validate"],
    ["export", "--format", "json"],
    ["export", "--format", "csv", "--date", "2024-07-01"],
    ["export", "--format", "md", "--unit", "赤坎镇"],
    ["export", "--format", "ics"],
    ["overdue", "--date", "2024-07-01"],
    ["overdue", "--date", "2025-12-31", "--format", "json"],
    ["unit", "赤坎镇", "--date", "2024-07-01"],
    ["unit", "公安", "--format", "csv"],
    ["units"],
    ["show", "39", "--date", "2024-07-01"],
    ["show", "1", "--format", "md"],
    ["upcoming", "--date", "2024-06-01", "--days", "60"],
    ["report", "--date", "2024-12-31", "--by", "area"],
    ["report", "--by", "unit", "--format", "json"],
]

def _check(result: Result, command: list[str]) -> None:
    name = " ".join(command)
    assert result.code in (0, 1, 2), (name, result.err)
    assert "内部错误" not in result.err, (name, result.err)
    assert "Traceback" not in result.out + result.err, name
    event(f"{command[0]}: exit {result.code}")


# The `run` fixture is function-scoped but safe to reuse across examples: every call resets the
# captured output and re-pins the working directory and the date.
@pytest.mark.slow
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutations=st.lists(MUTATIONS, min_size=1, max_size=4), pick=st.integers(0, 10**6))
def test_mutated_plan_never_crashes(
    run: Run, tmp_path: Path, mutations: list[Mutation], pick: int
) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text(mutate(mutations), encoding="utf-8")

    def kpzf(command: list[str]) -> Result:
        result = run("--plan", str(target), *command, cwd=tmp_path, today=TODAY)
        _check(result, command)
        return result

    verdict = kpzf(["validate"])
    if verdict.code != 0:
        # Most mutations break the plan. Every command loads it the same way (open_plan), so
        # one of them, in turn, must refuse exactly like validate and say why.
        assert "错误：" in verdict.out
        command = COMMANDS[pick % len(COMMANDS)]
        refused = kpzf(command)
        assert refused.code == verdict.code, (command, refused.err)
        assert "错误：" in refused.out + refused.err, command
        return
    for command in COMMANDS:
        result = kpzf(command)
        if command[0] == "export" and result.code == 0:
            again = kpzf(command)
            assert again.out == result.out  # same file, read again: same bytes


def test_unmutated_plan_with_progress_is_valid(run: Run, tmp_path: Path) -> None:
    """The starting point of the mutations is valid, so what they find is theirs."""
    assert PROGRESS in PLAN_TEXT
    target = tmp_path / "plan.yaml"
    target.write_text(PLAN_TEXT, encoding="utf-8")
    result = run("validate", str(target), today=TODAY)
    assert result.code == 0, result.out
    assert "4 条进度记录" in result.err


# ------------------------------------------------------------------ export is deterministic


def test_export_json_is_the_same_across_runs_and_reloads(run: Run, tmp_path: Path) -> None:
    first = run("--plan", str(PLAN), "export", "--format", "json", today=TODAY)
    second = run("--plan", str(PLAN), "export", "--format", "json", today=TODAY)
    copy = tmp_path / "elsewhere.yaml"
    copy.write_bytes(PLAN.read_bytes())
    reloaded = run("--plan", str(copy), "export", "--format", "json", today=TODAY)
    assert first.code == 0
    assert first.out == second.out == reloaded.out
    assert '"measures"' in first.out


@pytest.mark.slow
@pytest.mark.parametrize("seed", ["0", "4242"])
def test_export_json_does_not_depend_on_hash_seed(run: Run, seed: str) -> None:
    """Sets and frozensets (responsible units, groups) iterate by hash: output must not."""
    expected = run("--plan", str(PLAN), "export", "--format", "json", today=TODAY).out
    env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
    env.pop("KPZF_PLAN", None)
    done = subprocess.run(
        [sys.executable, "-m", "kpzf", "--plan", str(PLAN), "export", "--format", "json"],
        capture_output=True,
        check=False,
        cwd=REPO,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert done.stdout.decode("utf-8") == expected
