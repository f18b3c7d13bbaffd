"""Mutation/fuzz test (issue 10): hostile text in `record --note`, in plan values and in names,
and odd --output targets, through every command that prints data.

Whatever the text, no command ends in an internal error (exit 3), no terminal format (tables,
validate's text and github formats, diff's table, Markdown, messages on stderr) carries a raw
control character, JSON stays JSON, and every export format (csv, md, json, ics, xlsx) works.
The hypothesis version is slow; the fixed nasty example runs with the fast tests.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import PLAN, Result, Run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpzf.record.append import quote

TODAY = "2025-01-15"
CONTROLS = [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]]
FRAGMENTS = [
    "[/]", "[bold]", "[/bold]", "[link=http://x]", "[red on white]", ":smile:", "\x1b[31m", "\x1b]0;t\x07",
    "\x07", "\r", "\x08", "\x9b2J", "\u202e", "\u2028", "\x00", "=1+1", "@SUM(A1)", "|", "\\", "<br>",
    "%0A", "::error::", "\t", "\n", "，", "、", "市公安局", "\ufeff", "\U0001f600",
]
HOSTILE = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(st.characters(codec="utf-8"), max_size=6)),
    min_size=1,
    max_size=6,
).map("".join)

# Formats a person reads in a terminal: no raw control character may reach them.
TERMINAL = "terminal"
DATA = "data"  # csv: exact bytes for Excel (a control character there is the user's data)
JSON = "json"

# (command, kind); PLAN_FILE, OLD_FILE and OUT are filled in per example.
COMMANDS: list[tuple[list[str], str]] = [
    (["overdue", "--date", "2025-01-01"], TERMINAL),
    (["overdue", "--date", "2025-01-01", "-f", "md"], TERMINAL),
    (["overdue", "--date", "2025-01-01", "-f", "csv"], DATA),
    (["overdue", "--date", "2025-01-01", "-f", "json"], JSON),
    (["unit", "市公安局", "--date", "2024-12-31"], TERMINAL),
    (["unit", "各镇（街）", "--date", "2024-12-31", "-f", "json"], JSON),
    (["units"], TERMINAL),
    (["units", "-f", "md"], TERMINAL),
    (["show", "1", "--date", "2024-12-31"], TERMINAL),
    (["show", "1", "--date", "2024-12-31", "-f", "md"], TERMINAL),
    (["show", "1", "--date", "2024-12-31", "-f", "csv"], DATA),
    (["show", "1", "--date", "2024-12-31", "-f", "json"], JSON),
    (["upcoming", "--date", "2024-06-01", "--days", "400"], TERMINAL),
    (["report", "--date", "2024-12-31", "--by", "task"], TERMINAL),
    (["report", "--date", "2024-12-31", "-f", "json"], JSON),
    (["validate", "PLAN_FILE"], TERMINAL),
    (["validate", "-f", "github", "PLAN_FILE"], TERMINAL),
    (["validate", "-f", "json", "PLAN_FILE"], JSON),
    (["export", "-f", "json"], JSON),
    (["export", "-f", "csv", "--date", "2024-12-31"], DATA),
    (["export", "-f", "md", "--date", "2024-12-31"], TERMINAL),
    (["export", "-f", "ics", "--date", "2024-12-31"], TERMINAL),
    (["export", "-f", "xlsx", "--date", "2024-12-31", "-o", "OUT"], TERMINAL),
    (["export", "-f", "md", "--unit", "市公安局", "-o", "OUT"], TERMINAL),
    (["diff", "OLD_FILE", "PLAN_FILE"], TERMINAL),
    (["diff", "OLD_FILE", "PLAN_FILE", "-f", "md"], TERMINAL),
    (["diff", "OLD_FILE", "PLAN_FILE", "-f", "json"], JSON),
]


def hostile_plan(title: str, value: str, name: str) -> str:
    """The shipped plan with hostile text as a title, a measure's text and a unit's alias."""
    text = PLAN.read_text(encoding="utf-8")
    first = text.index("\n            text: ") + len("\n            text: ")
    end = text.index("\n", first)
    text = text[:first] + quote(value) + text[end:]
    text = text.replace("  title: 开平市提升行政执法质量三年行动工作方案\n", f"  title: {quote(title)}\n", 1)
    return text.replace("    aliases: [公安]", f"    aliases: [公安, {quote(name)}]", 1)


def check(result: Result, command: list[str], kind: str) -> None:
    shown = " ".join(command)
    assert result.code != 3, (shown, result.err)
    assert "内部错误" not in result.err and "Traceback" not in result.out + result.err, shown
    raw = {c for c in result.err if c in CONTROLS}
    assert not raw, (shown, "stderr", raw)
    if kind == TERMINAL:
        text = result.out.replace("\r\n", "\n") if "ics" in command else result.out
        raw = {c for c in text if c in CONTROLS}
        assert not raw, (shown, raw)
    if kind == JSON and result.code in (0, 1) and result.out:
        json.loads(result.out)


def exercise(run: Run, tmp_path: Path, note: str, title: str, value: str, name: str, target: str) -> None:
    old = tmp_path / "old.yaml"
    plan = tmp_path / "plan.yaml"
    old.write_text(hostile_plan(title, value, name), encoding="utf-8")
    plan.write_bytes(old.read_bytes())
    for path in tmp_path.iterdir():
        if path.name.startswith("out"):
            path.unlink()
    recorded = run("--plan", str(plan), "record", "1", "-u", "市公安局", "-s", "推进中", "-d", "2024-12-20",
                   "--note", note, today=TODAY)
    check(recorded, ["record"], TERMINAL)
    if recorded.code == 0:
        # the note reads back exactly (it is data, kept as typed, trimmed at the ends)
        exported = json.loads(run("--plan", str(plan), "export", "-f", "json", today=TODAY).out)
        assert exported["progress"][-1]["note"] == note.strip()
    out = {"file": tmp_path / "out.bin", "link": tmp_path / "out-link", "null": Path("/dev/null")}[target]
    if target == "link":
        (tmp_path / "out-real").write_bytes(b"")
        out.symlink_to(tmp_path / "out-real")
    values = {"PLAN_FILE": str(plan), "OLD_FILE": str(old), "OUT": str(out)}
    for command, kind in COMMANDS:
        args = [values.get(a, a) for a in command]
        check(run("--plan", str(plan), *args, today=TODAY), command, kind)
    # The same hostile name as an unknown unit: validate's text/github formats print it.
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        plan.read_text(encoding="utf-8").replace(
            "unit_refs: [市司法局, 各镇（街）, 市直行政执法部门]", f"unit_refs: [市司法局, {quote(name + '局')}]", 1
        ),
        encoding="utf-8",
    )
    for fmt in ("text", "github", "json"):
        result = run("validate", "-f", fmt, str(broken), today=TODAY)
        check(result, ["validate", fmt], JSON if fmt == "json" else TERMINAL)
    if os.path.islink(out):
        assert out.is_symlink()


def test_a_fixed_nasty_example_through_every_command(run: Run, tmp_path: Path) -> None:
    nasty = "[/] [bold]x[/bold] \x1b[31m红\x1b[0m\x07\r覆盖 \x9b2J \u202e =1+1 | \\ <br>"
    exercise(run, tmp_path, nasty, "方案" + nasty, nasty, "别名\x1b[2J", "link")


@pytest.mark.slow
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    note=HOSTILE,
    title=HOSTILE,
    value=HOSTILE,
    name=HOSTILE.filter(lambda s: s.strip() and "\x00" not in s),
    target=st.sampled_from(["file", "link", "null"]),
)
def test_hostile_text_through_every_command(
    run: Run, tmp_path: Path, note: str, title: str, value: str, name: str, target: str
) -> None:
    exercise(run, tmp_path, note, title, value, name, target)
