"""The bad-file corpus (tests/bad/): each broken plan gets its exit code, file:line:col and message.

The expectations live in tests/bad/cases.yaml, next to the files they describe. Each case runs
through `validate --format json` (to compare every problem exactly) and through `export` (the
path every query command takes: the same problems as text on stderr, the same exit code).
"""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Run

from kpzf.errors import EXIT_OK
from kpzf.render.terminal import literal

BAD = Path(__file__).resolve().parent
TODAY = "2024-07-01"
CASES: dict[str, Any] = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))


def assert_clean(*streams: str) -> None:
    """A user never sees a Python traceback or the internal-error message for bad input."""
    for text in streams:
        assert "Traceback" not in text
        assert "内部错误" not in text


def test_every_file_has_a_case_and_every_case_a_file() -> None:
    files = {p.stem for p in BAD.glob("*.yaml")} - {"base", "cases"}
    assert files == set(CASES)
    assert len(CASES) >= 65


def test_base_is_valid(run: Run) -> None:
    """The files are derived from base.yaml; a case must fail for its own edit, not the base's."""
    result = run("validate", "base.yaml", cwd=BAD, today=TODAY)
    assert result.code == 0, result.err
    assert "有效" in result.err


def _at(text: str) -> tuple[int, int | None]:
    line, _, column = str(text).partition(":")
    return int(line), int(column) if column else None


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_reported_where_it_is_wrong(run: Run, name: str) -> None:
    case = CASES[name]
    file = f"{name}.yaml"
    result = run("validate", "--format", "json", file, cwd=BAD, today=TODAY)
    assert_clean(result.out, result.err)
    assert result.code == case["exit"], result.out + result.err
    found = json.loads(result.out)
    shown = json.dumps(found, ensure_ascii=False, indent=1)
    assert len(found) == len(case["problems"]), shown
    unmatched = list(found)
    for want in case["problems"]:
        match = next((got for got in unmatched if _matches(want, got)), None)
        assert match is not None, f"{want} not among:\n{shown}"
        unmatched.remove(match)
        assert match["file"] == file
    errors = [p for p in found if p["severity"] == "error"]
    warnings = len(found) - len(errors)
    if errors:
        assert f"发现 {len(errors)} 个问题" in result.err  # the summary goes to stderr
    if warnings:
        assert f"{warnings} 个警告" in result.err
        assert result.code == EXIT_OK or errors  # warnings alone never make a file invalid


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if "strict_exit" in c))
def test_strict_makes_warnings_errors_but_queries_accept_the_plan(run: Run, name: str) -> None:
    case = CASES[name]
    file = f"{name}.yaml"
    strict = run("validate", "--strict", file, cwd=BAD, today=TODAY)
    assert strict.code == case["strict_exit"]
    assert "警告：" in strict.out and "错误：" not in strict.out
    github = run("validate", "--format", "github", file, cwd=BAD, today=TODAY)
    assert github.code == case["exit"] and github.out.startswith("::warning file=")
    assert run("--plan", file, "export", cwd=BAD, today=TODAY).code == 0


def _matches(want: dict[str, str], got: dict[str, Any]) -> bool:
    line, column = _at(want["at"])
    return (
        got["line"] == line
        and (column is None or got["column"] == column)
        and got["code"] == want["code"]
        and want["message"] in got["message"]
        and want.get("hint", "") in got["hint"]
        and want.get("severity", "error") == got["severity"]
    )


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c["exit"] != 0))
def test_query_commands_refuse_a_bad_plan_with_the_same_answer(run: Run, name: str) -> None:
    """`export` (like every query) loads through open_plan: text problems on stderr, same code."""
    case = CASES[name]
    file = f"{name}.yaml"
    result = run("--plan", file, "export", cwd=BAD, today=TODAY)
    assert_clean(result.out, result.err)
    assert result.code == case["exit"]
    assert result.out == ""
    first = min(case["problems"], key=lambda w: _at(w["at"]))
    line, column = _at(first["at"])
    where = f"{file}:{line}:{column}" if column is not None else f"{file}:{line}:"
    assert f"{where}" in result.err
    shown = literal(first["message"])  # on the terminal, control characters are shown escaped
    assert f"错误：{shown}" in result.err or shown in result.err


def test_bom_is_accepted_and_exports_like_the_base(run: Run) -> None:
    with_bom = run("--plan", "ok-bom.yaml", "export", cwd=BAD, today=TODAY)
    base = run("--plan", "base.yaml", "export", cwd=BAD, today=TODAY)
    assert with_bom.code == base.code == 0
    assert with_bom.out == base.out


def test_unsafe_tag_is_never_executed(run: Run, tmp_path: Path) -> None:
    """!!python/object/apply:os.system would write kpzf-pwned.txt into the working directory."""
    plan = tmp_path / "plan.yaml"
    plan.write_bytes((BAD / "tag-python.yaml").read_bytes())
    result = run("validate", cwd=tmp_path, today=TODAY)
    assert result.code == 1
    assert_clean(result.out, result.err)
    assert not (tmp_path / "kpzf-pwned.txt").exists()


# ------------------------------------------------------------------ files that are not there


def test_missing_file(run: Run) -> None:
    result = run("validate", "nope.yaml", today=TODAY)
    assert result.code == 2
    assert_clean(result.out, result.err)
    assert "nope.yaml: 错误：文件不存在" in result.out
    assert "提示：请检查路径" in result.out


def test_directory_as_the_plan(run: Run, tmp_path: Path) -> None:
    # A folder is a set of plans (README, 多个计划); one with no plan files in it is unusable.
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "notes.txt").write_text("x", encoding="utf-8")
    result = run("validate", "plans", cwd=tmp_path, today=TODAY)
    assert result.code == 2
    assert_clean(result.out, result.err)
    assert "错误：文件夹 plans 中没有计划文件（*.yaml、*.yml" in result.err


def test_query_command_with_a_missing_plan(run: Run) -> None:
    result = run("--plan", "nope.yaml", "export", today=TODAY)
    assert result.code == 2
    assert result.out == ""
    assert_clean(result.err)
    assert "nope.yaml: 错误：文件不存在" in result.err
    assert "无法读取计划文件" in result.err


def test_query_command_with_a_missing_plan_from_the_environment(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KPZF_PLAN", "gone/plan.yaml")
    result = run("export", today=TODAY)
    assert result.code == 2
    assert_clean(result.err)
    assert "gone/plan.yaml: 错误：文件不存在" in result.err


# ------------------------------------------------------------------ size and depth limits


@pytest.mark.slow
def test_file_over_the_size_limit_is_refused_before_it_is_read(run: Run, tmp_path: Path) -> None:
    """100 MB of plausible YAML: refused from its size alone, without reading it into memory."""
    from kpzf.io import read

    line = b'  - {measure: 1, unit: \xe5\xb8\x82\xe5\x85\xac\xe5\xae\x89\xe5\xb1\x80, status: x, date: "2024-06-20"}\n'
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.write(b"version: 1\nprogress:\n")
        chunk = line * (1024 * 1024 // len(line))
        for _ in range(100):
            handle.write(chunk)
    assert big.stat().st_size > read.MAX_BYTES
    tracemalloc.start()
    try:
        result = run("validate", str(big), today=TODAY)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.code == 2
    assert_clean(result.out, result.err)
    assert "错误：文件过大（100 MB），超过 kpzf 的上限" in result.out
    assert peak < 16 * 1024 * 1024  # the file's bytes were never loaded


@pytest.mark.slow
def test_endless_device_is_read_only_up_to_the_limit(run: Run) -> None:
    """A device reports size 0; reading stops one byte past the limit instead of never."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    result = run("validate", "/dev/zero", today=TODAY)
    assert result.code == 2
    assert_clean(result.out, result.err)
    assert "/dev/zero: 错误：文件过大" in result.out


@pytest.mark.slow
def test_deep_nesting_with_the_pure_python_parser(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without libyaml, PyYAML's parser recurses: too deep is unusable input, not a crash."""
    from kpzf.io import read

    monkeypatch.setattr(read, "Loader", yaml.SafeLoader)
    # 800 levels exhaust Python's stack (several frames per level); the pure-Python scanner
    # slows down sharply with depth, so deep-flow.yaml's 100 000 levels would take seconds.
    (tmp_path / "deep.yaml").write_text("version: " + "[" * 800 + "]" * 800 + "\n")
    result = run("validate", "deep.yaml", cwd=tmp_path, today=TODAY)
    assert result.code == 2
    assert_clean(result.out, result.err)
    assert "YAML 嵌套层数过深" in result.out


def test_control_character_with_the_pure_python_parser(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Python reader reports character offsets, libyaml byte offsets: same place either way."""
    from kpzf.io import read

    monkeypatch.setattr(read, "Loader", yaml.SafeLoader)
    result = run("validate", "control-char.yaml", cwd=BAD, today=TODAY)
    assert result.code == 2
    assert "control-char.yaml:71:25: 错误：文件含有不允许的控制字符 U+0000" in result.out
