"""Property-based tests: a mangled plan.yaml never crashes kpzf, and export is deterministic.

(The deadline parser's own property — any text parses or raises DeadlineError — is in
tests/unit/model/test_deadline.py.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import PLAN, REPO, Result, Run
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

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

# plan.yaml has no progress yet; give it some (valid on TODAY) so the progress checks are mutated too.
PROGRESS = """progress:
  - {measure: 1, unit: 市公安局, milestone: "2024-12-31", status: 已完成, date: "2024-06-20", note: 开公〔2024〕12号}
  - {measure: 5, unit: 公安, milestone: "2024-06-30", status: 已完成, date: "2024-06-28"}
  - measure: 39
    unit: 赤坎镇
    milestone: "2024-12-31"
    status: 推进中
    date: "2024-05-10"
  - measure: 65
    unit: 市司法局
    status: 延期
    date: "2024-06-30"
    note: 因机构调整顺延
"""
PLAN_TEXT = PLAN.read_text(encoding="utf-8").replace("progress: []\n", PROGRESS)
PLAN_LINES = PLAN_TEXT.splitlines(keepends=True)

# Values that YAML 1.1 or kpzf read in surprising ways, besides random text, numbers and dates.
TRICKY = [
    "", "~", "null", "yes", "no", "on", "off", "true", "010", "0x1F", "0b101", "1:30", "1_000",
    "1e3", "1.5", ".inf", ".nan", "-", "&a", "*a", "&a [1]", "!!python/object/apply:os.system [ls]",
    "!include x.yaml", "!!binary aGk=", "!!set {a}", "[", "]", "{", "}", "[1, 2]", "{a: 1}", '"',
    "'", "|", ">", "- x", "a: b", ": ", "#", "---", "...", "\t", "\\", "@x", "`x`", "%YAML 1.1",
    "2023-02-29", "2024-1-5", "2024-13-01", "2024-06-30T12:00:00", "9999-12-31", "0001-01-01",
    "2024年2月30日前", "2024年13月底前", "每年", "长期推进", "<<: *a", "? x", "市公安局", "各镇（街）",
    "已完成", "延期", "\u00a0", "\ufeff", "\u2028", "\x85", "\U0001F600",
]

SCALARS = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=12),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.dates().map(str),
    st.dates().map(lambda d: f'"{d.year}-{d.month}-{d.day}"'),
)


@dataclass(frozen=True)
class Mutation:
    kind: str
    where: int  # taken modulo the number of candidate lines when applied
    other: int
    value: str

    def apply(self, lines: list[str]) -> list[str]:
        if not lines:
            return lines
        # Mostly hit lines with content: the plan has many comment lines that change nothing.
        content = [i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
        i = content[self.where % len(content)] if content else self.where % len(lines)
        j = self.other % len(lines)
        line = lines[i]
        body = line.rstrip("\n")
        indent = len(body) - len(body.lstrip(" "))
        out = list(lines)
        if self.kind == "delete":
            del out[i]
        elif self.kind == "duplicate":
            out.insert(i, line)
        elif self.kind == "swap":
            out[i], out[j] = out[j], out[i]
        elif self.kind == "indent":
            delta = self.other % 9 - 4  # -4 … +4 spaces
            out[i] = " " * max(0, indent + delta) + body.lstrip(" ") + "\n"
        elif self.kind == "tab":
            out[i] = "\t" + line.lstrip(" ")
        elif self.kind == "replace":
            # The value after "key: " (or after "- "), else the whole line's content.
            cut = body.find(": ")
            if cut < 0 and body.lstrip().startswith("- "):
                cut = indent
            start = cut + 2 if cut >= 0 else indent
            out[i] = body[:start] + self.value + "\n"
        elif self.kind == "insert":
            at = self.other % (len(body) + 1)
            out[i] = body[:at] + self.value + body[at:] + "\n"
        elif self.kind == "truncate":
            text = "".join(lines)
            return [text[: self.other % (len(text) + 1)]]
        return out


MUTATIONS = st.builds(
    Mutation,
    kind=st.sampled_from(
        ["delete", "duplicate", "swap", "indent", "tab", "replace", "replace", "replace", "insert",
         "truncate"]
    ),
    where=st.integers(min_value=0, max_value=10**6),
    other=st.integers(min_value=0, max_value=10**7),
    value=st.one_of(SCALARS, st.text(alphabet=st.characters(), min_size=1, max_size=6)),
)


def mutate(mutations: list[Mutation]) -> str:
    lines = list(PLAN_LINES)
    for mutation in mutations:
        lines = mutation.apply(lines)
    return "".join(lines)


def _check(result: Result, command: list[str]) -> None:
    name = " ".join(command)
    assert result.code in (0, 1, 2), (name, result.err)
    assert "内部错误" not in result.err, (name, result.err)
    assert "Traceback" not in result.out + result.err, name
    event(f"{command[0]}: exit {result.code}")


# The `run` fixture is function-scoped but safe to reuse across examples: every call resets the
# captured output and re-pins the working directory and the date.
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
