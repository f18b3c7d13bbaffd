"""Hostile input, round two (issue 10): data is never markup or a terminal escape, work stays
bounded, --output never replaces a special file, exit codes tell the truth about writes,
`record` keeps the file as it is (or refuses), and signals and odd places are handled.

The bad-file corpus (tests/bad/cases.yaml) holds the file-shaped cases (huge numbers, bad
tags, non-string keys, absurd periods, deep group chains); this file holds the rest.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import signal
import stat
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import PLAN, Run
from gitutil import git, git_env

from kpzf.io.write import COPY_SUFFIX, TEMP_SUFFIX
from kpzf.render.terminal import literal

BAD = Path(__file__).resolve().parents[1] / "bad"
TODAY = "2025-01-15"
RECORD = ("record", "19", "-u", "市司法局", "-s", "推进中", "-d", "2024-07-01")
# What a terminal must never receive raw (tab and newline are layout, not escapes).
RAW_CONTROLS = [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]]


def raw_controls(text: str) -> list[str]:
    return sorted({c for c in text if c in RAW_CONTROLS})


def entries(path: Path) -> int:
    """Progress entries in a plan file (it must be valid)."""
    from kpzf.model.plan import load_plan

    return len(load_plan(path).model.progress)


def leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith((TEMP_SUFFIX, COPY_SUFFIX))]


def kpzf(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1", **kwargs.pop("env", {})}  # type: ignore[dict-item]
    env.pop("KPZF_PLAN", None)
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "kpzf", *args],
        capture_output=True,
        timeout=120,
        check=False,
        env=env,
        **kwargs,
    )


# =========================================================================== 1. data is literal


def test_literal_escapes_what_acts_on_a_terminal() -> None:
    assert literal("a\x1b[31mb\x07c\rd\x7f\x9b\u202e\u2028") == (
        "a\\x1b[31mb\\x07c\\rd\\x7f\\x9b\\u202e\\u2028"
    )
    assert literal("行一\n\t行二 [bold]x[/bold]") == "行一\n\t行二 [bold]x[/bold]"  # layout kept


def _plan_with_note(tmp_path: Path, note: str) -> Path:
    """The shipped plan with one progress entry whose note is `note` (written as YAML quotes)."""
    from kpzf.record.append import quote

    text = PLAN.read_text(encoding="utf-8").replace(
        "progress: []\n",
        "progress:\n  - {measure: 1, unit: 市公安局, milestone: \"2024-12-31\", status: 推进中, "
        f"date: \"2024-06-20\", note: {quote(note)}}}\n",
    )
    target = tmp_path / "noted.yaml"
    target.write_text(text, encoding="utf-8")
    return target


NASTY = "[/] [bold]粗体[/bold] [link=http://x]y[/link] \x1b[31m红\x1b[0m\x07\r覆盖\x9b2J\u202e"


def test_markup_in_a_note_does_not_crash_diff_and_is_shown_as_written(
    run: Run, tmp_path: Path
) -> None:
    """`[/]` made `kpzf diff` exit 3 (Rich MarkupError); `[bold]x[/bold]` was shown as `x`."""
    new = _plan_with_note(tmp_path, "[/] [bold]x[/bold]")
    for fmt in ("table", "md", "json"):
        result = run("diff", str(PLAN), str(new), "--format", fmt, today=TODAY)
        assert result.code == 1, result.err  # 1: there is a change (a new progress entry)
        assert "[/] [bold]x[/bold]" in result.out, fmt


@pytest.mark.parametrize(
    "command",
    [
        ["show", "1", "--date", "2024-07-01"],
        ["show", "1", "--date", "2024-07-01", "--format", "md"],
        ["unit", "市公安局", "--date", "2024-07-01"],
        ["diff", str(PLAN), "NEW"],
        ["diff", str(PLAN), "NEW", "--format", "md"],
        ["export", "--format", "md", "--date", "2024-07-01"],
    ],
)
def test_control_characters_in_data_reach_the_terminal_escaped(
    run: Run, tmp_path: Path, command: list[str]
) -> None:
    plan = _plan_with_note(tmp_path, NASTY)
    command = [str(plan) if c == "NEW" else c for c in command]
    result = run("--plan", str(plan), *command, today=TODAY)
    assert result.code in (0, 1), result.err
    assert raw_controls(result.out + result.err) == []
    if command[0] != "unit":  # the unit table has no column for notes
        assert "\\x1b[31m红" in result.out
        assert "[bold]粗体[/bold]" in result.out


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_validate_text_and_github_escape_control_characters(run: Run, fmt: str) -> None:
    result = run("validate", "--format", fmt, "unknown-unit-control.yaml", cwd=BAD, today="2024-07-01")
    assert result.code == 1
    assert raw_controls(result.out + result.err) == []
    assert "赤坎镇\\x1b[2J" in result.out


def test_error_messages_escape_control_characters_from_arguments(run: Run) -> None:
    result = run("unit", "赤坎\x1b]0;pwned\x07", today=TODAY)
    assert result.code == 2
    assert raw_controls(result.err) == []
    assert "\\x1b]0;pwned\\x07" in result.err


def test_every_export_format_takes_control_characters(run: Run, tmp_path: Path) -> None:
    """xlsx used to fail with openpyxl's IllegalCharacterError; csv/json keep the data exact."""
    openpyxl = pytest.importorskip("openpyxl")
    plan = _plan_with_note(tmp_path, NASTY + " =1+1")
    target = tmp_path / "台账.xlsx"
    result = run("--plan", str(plan), "export", "-f", "xlsx", "--date", "2024-07-01", "-o", str(target))
    assert result.code == 0, result.err
    cells = [str(c.value) for row in openpyxl.load_workbook(target).active.iter_rows() for c in row if c.value]
    [progress] = [c for c in cells if "粗体" in c]
    assert "\\x1b[31m红" in progress and "=1+1" in progress
    data = run("--plan", str(plan), "export", "-f", "json", today=TODAY)
    assert json.loads(data.out)["progress"][0]["note"] == NASTY + " =1+1"
    csv_out = run("--plan", str(plan), "export", "-f", "csv", "--date", "2024-07-01", today=TODAY)
    assert csv_out.code == 0 and "\x1b[31m红" in csv_out.out  # a data file: exact
    ics = run("--plan", str(plan), "export", "-f", "ics", "--date", "2024-07-01", today=TODAY)
    assert ics.code == 0 and raw_controls(ics.out.replace("\r\n", "\n")) == []


# =========================================================================== 3. bounded work


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["upcoming", "--days", "99999999"], 2),
        (["upcoming", "--days", "-1"], 2),
        (["upcoming", "--date", "9999-12-31"], 0),
        (["upcoming", "--date", "9999-12-31", "--days", "36600"], 0),
        (["upcoming", "--date", "0001-01-01", "--days", "36600"], 0),
        (["overdue", "--date", "0001-01-01"], 0),
        (["overdue", "--date", "9999-12-31"], 0),
        (["unit", "赤坎", "--date", "9999-12-31"], 0),
        (["report", "--date", "0001-01-01"], 0),
        (["show", "18", "--date", "9999-12-31"], 0),
        (["export", "-f", "ics", "--date", "9999-12-31"], 0),
        (["export", "-f", "md", "--date", "0001-01-01"], 0),
    ],
)
def test_calendar_edges_answer_or_refuse_cleanly(run: Run, args: list[str], code: int) -> None:
    result = run(*args, today=TODAY)
    assert result.code == code, result.err
    assert "内部错误" not in result.err


def test_long_period_with_monthly_deadline_is_refused_and_expansion_bounded() -> None:
    """0001–9999 with 每月 was valid and then took >1 GiB; now: invalid, and cheap to find out."""
    from kpzf.model.plan import load_plan

    plan = load_plan(BAD / "period-absurd.yaml")
    [monthly] = [m for m in plan.measures.values() if m.deadline == "每月"]
    # Expanded from the effective start (issued 2024-02-09), twenty years at most: 2024-02-29 …
    # 2044-01-31 (2024: 11 months, 2025–2043: 228, 2044: 1).
    assert len(monthly.milestones) == 20 * 12
    assert monthly.milestones[0].due == dt.date(2024, 2, 29)
    assert monthly.milestones[-1].due == dt.date(2044, 1, 31)


def _many_unknown_units(tmp_path: Path, n: int) -> Path:
    text = (BAD / "base.yaml").read_text(encoding="utf-8")
    members = "".join(f"      - 未知单位{i}\n" for i in range(n))
    target = tmp_path / "many.yaml"
    target.write_text(
        text.replace("groups:\n", f"groups:\n  - name: 大组\n    members:\n{members}", 1),
        encoding="utf-8",
    )
    return target


def test_problem_lists_are_capped_with_an_exact_count(run: Run, tmp_path: Path) -> None:
    plan = _many_unknown_units(tmp_path, 450)
    text = run("validate", str(plan), today="2024-07-01")
    assert text.code == 1
    assert text.out.count("错误：") == 200
    assert "…及其他 250 个问题" in text.out
    assert "发现 450 个问题" in text.err
    github = run("validate", "-f", "github", str(plan), today="2024-07-01")
    assert github.out.count("::error ") == 200 and "…及其他 250 个问题" in github.out
    data = run("validate", "-f", "json", str(plan), today="2024-07-01")
    assert len(json.loads(data.out)) == 450  # machines get every problem


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["unknown-units", "unknown-keys", "empty-items"])
def test_large_hostile_plans_finish_quickly(tmp_path: Path, shape: str) -> None:
    """50,000 unknown units (12 s before), 50,000 unknown keys (>120 s before: a linear key
    search per problem), 200,000 empty items (1.2 GB before). Exact counts, bounded output."""
    base = (BAD / "base.yaml").read_text(encoding="utf-8")
    if shape == "unknown-units":
        plan, expected = _many_unknown_units(tmp_path, 50_000), 50_000
    else:
        plan = tmp_path / f"{shape}.yaml"
        if shape == "unknown-keys":
            extra = "".join(f"  k{i}: x\n" for i in range(50_000))
            plan.write_text(base.replace("  issuer: 开平市人民政府办公室\n", "  issuer: 开平市人民政府办公室\n" + extra))
        else:
            plan.write_text(base.replace("progress:\n", "progress:\n" + "  -\n" * 200_000))
        expected = 50_000 if shape == "unknown-keys" else 200_000
    assert plan.stat().st_size < 2 * 1024 * 1024
    began = time.monotonic()
    done = kpzf("validate", str(plan), env={"TZ": "Asia/Shanghai"})
    took = time.monotonic() - began
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert f"发现 {expected} 个问题" in err
    assert len(done.stdout) < 200_000  # 200 problems and the "…及其他" line, not all of them
    print(f"{shape}: {took:.1f} s")


def test_help_with_an_absurd_terminal_width(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """COLUMNS=1000000 made --help take 22 s (Rich padding a million columns)."""
    monkeypatch.setenv("COLUMNS", "1000000")
    result = run("--help")
    assert result.code == 0
    assert max(len(line) for line in result.out.splitlines()) <= 400


# =========================================================================== 4. --output targets


def test_output_to_dev_null_writes_it_and_leaves_the_device(run: Run) -> None:
    before = os.stat("/dev/null")
    result = run("export", "-f", "csv", "--date", "2024-07-01", "-o", "/dev/null", today=TODAY)
    assert result.code == 0, result.err
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_output_to_a_full_device_is_a_clean_error(run: Run) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    result = run("export", "-f", "csv", "--date", "2024-07-01", "-o", "/dev/full", today=TODAY)
    assert result.code == 2
    assert "磁盘空间不足" in result.err and "内部错误" not in result.err
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_output_to_a_fifo_is_written_through_the_pipe(run: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def reader() -> None:
        time.sleep(0.3)  # starts after kpzf: it waits for its reader
        with open(fifo, "rb") as handle:
            got.append(handle.read())

    thread = threading.Thread(target=reader)
    thread.start()
    result = run("export", "-f", "csv", "--date", "2024-07-01", "-o", str(fifo), today=TODAY)
    thread.join(timeout=30)
    assert result.code == 0, result.err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    expected = run("export", "-f", "csv", "--date", "2024-07-01", today=TODAY).out
    assert got == [expected.encode("utf-8")]


def test_output_to_a_fifo_nobody_reads_is_refused(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpzf.io import output

    monkeypatch.setattr(output, "READER_WAIT", 0.2)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run("export", "-f", "csv", "-o", str(fifo), today=TODAY)
    assert result.code == 2
    assert "没有程序读取它" in result.err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.parametrize("via", ["/dev/stdout", "/proc/self/fd/1", "link"])
def test_output_to_stdout_by_name_writes_through_the_descriptor(tmp_path: Path, via: str) -> None:
    """Renaming over /dev/stdout (or a link to /proc/self/fd/1) replaced the link itself."""
    if via == "link":
        (tmp_path / "link").symlink_to("/proc/self/fd/1")
    before = os.lstat("/dev/stdout")
    captured = tmp_path / "captured.csv"
    with open(captured, "wb") as sink:
        done = subprocess.run(
            [sys.executable, "-m", "kpzf", "export", "-f", "csv", "--date", "2024-07-01", "-o", via],
            stdout=sink,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            timeout=60,
            check=False,
        )
    assert done.returncode == 0, done.stderr.decode()
    assert captured.read_bytes().startswith("\ufeff重点任务,具体任务".encode())
    assert captured.read_bytes().count(b"\r\n") >= 67  # header and every measure
    assert os.lstat("/dev/stdout").st_ino == before.st_ino and Path("/dev/stdout").is_symlink()
    if via == "link":
        assert (tmp_path / "link").is_symlink()


def test_output_through_a_symlink_to_a_file_keeps_the_link(run: Run, tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    os.chmod(real, 0o640)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    result = run("export", "-f", "md", "--date", "2024-07-01", "-o", str(link), today=TODAY)
    assert result.code == 0, result.err
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("## ")
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640


# =========================================================================== 5. truthful exit codes


def _sh(command: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    full = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full.pop("KPZF_PLAN", None)
    return subprocess.run(
        ["sh", "-c", command], cwd=cwd, capture_output=True, timeout=120, check=False, env=full
    )


@pytest.mark.parametrize(
    "redirect",
    [
        "2>&-",
        ">&- 2>&-",
        pytest.param(">&-", marks=pytest.mark.slow),
        pytest.param("2>/dev/full", marks=pytest.mark.slow),
        pytest.param("2>&1 | true", marks=pytest.mark.slow),
    ],
)
def test_record_exit_code_says_written_whatever_happens_to_the_streams(
    plan_copy: Path, redirect: str
) -> None:
    """`record … 2>&-` wrote the entry and exited 1 ("not written"): a retry recorded it twice."""
    python = f"'{sys.executable}' -m kpzf"
    args = " ".join(RECORD)
    done = _sh(f"{python} --plan plan.yaml {args} {redirect}; echo $? > code", plan_copy.parent)
    assert (plan_copy.parent / "code").read_text().strip() == "0", done.stderr.decode()
    assert entries(plan_copy) == 1  # written once
    assert leftovers(plan_copy.parent) == []


def test_record_with_an_ascii_only_encoding_still_writes_and_says_so(plan_copy: Path) -> None:
    done = kpzf("--plan", str(plan_copy), *RECORD, env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert entries(plan_copy) == 1


def test_record_whose_directory_sync_fails_still_says_written(
    run: Run, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpzf.io import write

    monkeypatch.setattr(write, "fsync_directory", lambda directory: "无法确认已保存到磁盘（模拟）")
    result = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    assert result.code == 0, result.err
    assert "注意：记录已写入，但无法确认已保存到磁盘" in result.err
    assert entries(plan_copy) == 1


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("export > /dev/full", "磁盘空间不足"),
        ("overdue --date 2024-07-01 >&-", "已关闭"),
        pytest.param("export -f csv >&-", "已关闭", marks=pytest.mark.slow),
        pytest.param("overdue --date 2024-07-01 > /dev/full", "磁盘空间不足", marks=pytest.mark.slow),
    ],
)
def test_output_that_cannot_be_written_exits_2_with_the_cause(
    tmp_path: Path, command: str, message: str
) -> None:
    if "/dev/full" in command and not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    done = _sh(f"'{sys.executable}' -m kpzf {command}", tmp_path)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert f"错误：无法写出结果：{message}" in err
    assert "Traceback" not in err and "Exception ignored" not in err


def test_output_encoding_without_chinese_exits_2_with_a_hint(tmp_path: Path) -> None:
    done = kpzf("overdue", "--date", "2024-07-01", cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"})
    err = done.stderr.decode("ascii", "replace")
    assert done.returncode == 2, err
    assert "PYTHONIOENCODING=utf-8" in err and "Traceback" not in err


# =========================================================================== 6. record keeps the file


def test_hard_link_is_kept(run: Run, plan_copy: Path) -> None:
    other = plan_copy.with_name("其他名字.yaml")
    os.link(plan_copy, other)
    result = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    assert result.code == 0, result.err
    assert os.path.samefile(plan_copy, other) and os.stat(plan_copy).st_nlink == 2
    assert entries(other) == 1
    assert leftovers(plan_copy.parent) == []


def _posix_acl(uid: int) -> bytes:
    """A POSIX access ACL (the system.posix_acl_access xattr) adding rw for user `uid`."""
    undefined = 0xFFFFFFFF
    parts = [(0x01, 6, undefined), (0x02, 6, uid), (0x04, 4, undefined), (0x10, 6, undefined), (0x20, 4, undefined)]
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", t, p, i) for t, p, i in parts)


def test_extended_attributes_and_acl_are_kept(run: Run, plan_copy: Path) -> None:
    if not hasattr(os, "setxattr"):
        pytest.skip("no xattr support")
    try:
        os.setxattr(plan_copy, "user.kpzf-test", b"keep me")
    except OSError:
        pytest.skip("filesystem without user xattrs")
    acl = _posix_acl(65534)
    try:
        os.setxattr(plan_copy, "system.posix_acl_access", acl)
    except OSError:
        acl = b""
    mode = os.stat(plan_copy).st_mode
    result = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    assert result.code == 0, result.err
    assert entries(plan_copy) == 1
    assert os.getxattr(plan_copy, "user.kpzf-test") == b"keep me"
    if acl:
        assert os.getxattr(plan_copy, "system.posix_acl_access") == acl
    assert os.stat(plan_copy).st_mode == mode


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_owner_is_kept(run: Run, plan_copy: Path) -> None:
    os.chown(plan_copy, 65534, 65534)
    result = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    assert result.code == 0, result.err
    st = os.stat(plan_copy)
    assert (st.st_uid, st.st_gid) == (65534, 65534)


def test_owner_that_cannot_be_given_is_kept_by_writing_in_place(
    run: Run, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not root, a group-writable file of someone else's: replacing would take it over."""
    from kpzf.io import write

    def no_chown(*args: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    inode = os.stat(plan_copy).st_ino
    monkeypatch.setattr(write.os, "fchown", no_chown)
    monkeypatch.setattr(write, "_same_attributes", lambda new, old, expected: False)
    result = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    assert result.code == 0, result.err
    assert os.stat(plan_copy).st_ino == inode and entries(plan_copy) == 1
    assert leftovers(plan_copy.parent) == []


@pytest.mark.parametrize("what", ["file", "directory"])
def test_read_only_modes_are_honoured_even_as_root(run: Run, plan_copy: Path, what: str) -> None:
    before = plan_copy.read_bytes()
    target = plan_copy if what == "file" else plan_copy.parent
    os.chmod(target, 0o444 if what == "file" else 0o555)
    try:
        result = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    finally:
        os.chmod(target, 0o644 if what == "file" else 0o755)
    assert result.code == 2
    assert "只读" in result.err or "没有写权限" in result.err
    assert plan_copy.read_bytes() == before
    assert leftovers(plan_copy.parent) == []


def test_long_chinese_file_name(run: Run, tmp_path: Path) -> None:
    """80 Chinese characters are 240 bytes + .yaml: legal, but the temporary name was too long."""
    name = "开平市提升行政执法质量三年行动工作方案任务台账" * 3 + "计" * 11 + ".yaml"
    assert len(os.fsencode(name)) <= 255 < len(os.fsencode(f".{name}.abcdefgh{TEMP_SUFFIX}"))
    plan = tmp_path / name
    shutil.copyfile(PLAN, plan)
    stale = tmp_path / (".计划" + TEMP_SUFFIX)  # not ours: another file's prefix
    stale.write_text("x")
    result = run("--plan", str(plan), *RECORD, today=TODAY)
    assert result.code == 0, result.err
    assert entries(plan) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, stale.name])


def test_record_refuses_dev_stdin(plan_copy: Path) -> None:
    """`--plan /dev/stdin < copy.yaml` rewrote the file behind stdin."""
    before = plan_copy.read_bytes()
    with open(plan_copy, "rb") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "kpzf", "--plan", "/dev/stdin", *RECORD],
            stdin=stdin,
            capture_output=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2, done.stderr.decode()
    assert "/dev 或 /proc" in done.stderr.decode()
    assert plan_copy.read_bytes() == before


@pytest.mark.parametrize("kind", ["fifo", "link-to-fifo", "dev-null", "link-to-dev-null", "directory"])
def test_record_refuses_what_is_not_a_regular_file(run: Run, tmp_path: Path, kind: str) -> None:
    target = tmp_path / "plan.yaml"
    if kind in ("fifo", "link-to-fifo"):
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        target = fifo if kind == "fifo" else target
        if kind == "link-to-fifo":
            target.symlink_to(fifo)
    elif kind == "dev-null":
        target = Path("/dev/null")
    elif kind == "link-to-dev-null":
        target.symlink_to("/dev/null")
    else:
        target.mkdir()
    began = time.monotonic()
    result = run("--plan", str(target), *RECORD, today=TODAY)
    assert result.code == 2, result.err
    assert time.monotonic() - began < 5  # refused up front, never waiting on a pipe
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def _fail_replace(code: int):  # type: ignore[no-untyped-def]
    def replace(*args: object) -> None:
        raise OSError(code, os.strerror(code))

    return replace


def test_ebusy_falls_back_to_an_in_place_write(
    run: Run, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bind-mounted single file (a Docker volume) cannot be renamed over: EBUSY."""
    from kpzf.io import write

    inode = os.stat(plan_copy).st_ino
    monkeypatch.setattr(write.os, "replace", _fail_replace(errno.EBUSY))
    result = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    assert result.code == 0, result.err
    assert os.stat(plan_copy).st_ino == inode and entries(plan_copy) == 1
    assert leftovers(plan_copy.parent) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="bind mounts need root")
def test_bind_mounted_plan_is_written_in_place(tmp_path: Path) -> None:
    source = tmp_path / "source.yaml"
    shutil.copyfile(PLAN, source)
    mounted = tmp_path / "plan.yaml"
    mounted.write_text("")
    if subprocess.run(["mount", "--bind", str(source), str(mounted)], capture_output=True, check=False).returncode:
        pytest.skip("cannot bind-mount here")
    try:
        done = kpzf("--plan", str(mounted), *RECORD)
        assert done.returncode == 0, done.stderr.decode()
        assert entries(source) == 1
    finally:
        subprocess.run(["umount", str(mounted)], check=False)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("code", [errno.EPERM, errno.EACCES, errno.EROFS])
def test_replace_refused_is_a_clean_message(
    run: Run, plan_copy: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    from kpzf.io import write

    before = plan_copy.read_bytes()
    monkeypatch.setattr(write.os, "replace", _fail_replace(code))
    result = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    assert result.code == 2, result.err
    assert "无法替换" in result.err and "本次未写入" in result.err
    assert plan_copy.read_bytes() == before
    assert leftovers(plan_copy.parent) == []


def test_failed_in_place_write_restores_the_old_content(
    run: Run, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpzf.io import write

    real = write._overwrite
    calls: list[int] = []

    def full_disk_once(fd: int, data: bytes) -> None:
        calls.append(len(data))
        if len(calls) == 1:
            os.pwrite(fd, data[:100], 0)  # half a write, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd, data)

    before = plan_copy.read_bytes()
    monkeypatch.setattr(write.os, "replace", _fail_replace(errno.EBUSY))
    monkeypatch.setattr(write, "_overwrite", full_disk_once)
    result = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    assert result.code == 1
    assert "已恢复原内容" in result.err and "磁盘空间不足" in result.err
    assert plan_copy.read_bytes() == before
    assert leftovers(plan_copy.parent) == []


def test_copy_left_by_an_interrupted_in_place_write(run: Run, plan_copy: Path) -> None:
    """The next run deletes the copy if the file holds it, else refuses and names it."""
    copy = plan_copy.with_name(f".plan.yaml.abcdefgh{COPY_SUFFIX}")
    copy.write_bytes(plan_copy.read_bytes() + b"# the new content\n")
    before = plan_copy.read_bytes()
    refused = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    assert refused.code == 1
    assert "被中断" in refused.err and copy.name in refused.err
    assert plan_copy.read_bytes() == before and copy.exists()
    copy.write_bytes(before)  # the rewrite had finished: the copy is just left over
    done = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    assert done.code == 0, done.err
    assert leftovers(plan_copy.parent) == []


# =========================================================================== 7. signals, odd places


SIGNALLED = """
import os, signal, sys
from kpzf.io import write
from kpzf.cli.main import main

real = os.fsync
def fsync_then_signal(fd):
    real(fd)
    os.kill(os.getpid(), getattr(signal, sys.argv[1]))  # the temporary file is complete now
write.os.fsync = fsync_then_signal
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_terminating_signal_during_record_leaves_no_temporary_file(plan_copy: Path, name: str) -> None:
    before = plan_copy.read_bytes()
    done = subprocess.run(
        [sys.executable, "-c", SIGNALLED, name, "--plan", str(plan_copy), *RECORD],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 128 + getattr(signal, name), done.stderr.decode()
    assert "已中断" in done.stderr.decode()
    assert plan_copy.read_bytes() == before
    assert leftovers(plan_copy.parent) == []


def test_stale_temporary_file_of_a_long_name_is_cleared(run: Run, tmp_path: Path) -> None:
    from kpzf.io.write import temp_prefix

    name = "计" * 82 + ".yaml"
    plan = tmp_path / name
    shutil.copyfile(PLAN, plan)
    stale = tmp_path / f"{temp_prefix(name)}zzzzzzzz{TEMP_SUFFIX}"
    stale.write_bytes(b"half a plan")
    result = run("--plan", str(plan), *RECORD, today=TODAY)
    assert result.code == 0, result.err
    assert not stale.exists()


@pytest.mark.parametrize(
    "how", [["validate", "PATH"], ["--plan", "PATH", "overdue"], ["--plan", "PATH", "validate"]]
)
def test_fifo_as_the_plan_is_refused_up_front(run: Run, tmp_path: Path, how: list[str]) -> None:
    """A FIFO with no writer blocked open() forever (in-process here: a hang would hang pytest)."""
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    result = run(*[str(fifo) if a == "PATH" else a for a in how], today=TODAY)
    assert result.code == 2
    assert "不是普通文件" in result.out + result.err


@pytest.mark.slow
def test_deleted_working_directory(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    plan = tmp_path / "plan.yaml"
    shutil.copyfile(PLAN, plan)
    python = f"'{sys.executable}' -m kpzf"
    script = (
        f"cd '{gone}' && rmdir '{gone}' && "
        f"{python} overdue --date 2024-07-01 > /dev/null; echo $? > '{tmp_path}/a'; "
        f"{python} --plan '{plan}' overdue --date 2024-07-01 > /dev/null; echo $? > '{tmp_path}/b'; "
        f"{python} --plan plan.yaml {' '.join(RECORD)}; echo $? > '{tmp_path}/c'"
    )
    done = _sh(script, tmp_path)
    err = done.stderr.decode()
    assert "Traceback" not in err and "内部错误" not in err, err
    assert (tmp_path / "a").read_text().strip() in ("0", "2")
    assert (tmp_path / "b").read_text().strip() == "0"
    assert (tmp_path / "c").read_text().strip() == "2"


def test_diff_git_checks_the_blob_size_before_reading_it(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 256 MB blob was read whole before the size check; now its size is asked first."""
    from kpzf.io import gitrev

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copyfile(PLAN, repo / "plan.yaml")
    git(repo, "add", "plan.yaml")
    git(repo, "commit", "-qm", "plan")
    monkeypatch.setattr(gitrev, "MAX_BYTES", 1000)  # the 45 KB plan stands in for 256 MB
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", git_env()["GIT_CONFIG_GLOBAL"])
    calls: list[tuple[str, ...]] = []
    real = gitrev._run

    def spy(cwd: Path, *args: str):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real(cwd, *args)

    monkeypatch.setattr(gitrev, "_run", spy)
    result = run("diff", "--git", "HEAD", "plan.yaml", cwd=repo, today=TODAY)
    assert result.code == 2
    assert "文件过大" in result.out + result.err
    assert not any(args[:2] == ("cat-file", "blob") or args[0] == "show" for args in calls)


@pytest.mark.slow
def test_diff_git_with_a_real_oversized_blob(tmp_path: Path) -> None:
    from kpzf.io.read import MAX_BYTES

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    with open(repo / "plan.yaml", "wb") as handle:
        handle.write(b"version: 1\n")
        handle.write(b"# " + b"x" * 1022 + b"\n")
        handle.seek(MAX_BYTES + 1024 * 1024)
        handle.write(b"\n")
    git(repo, "add", "plan.yaml")
    git(repo, "commit", "-qm", "big")
    shutil.copyfile(PLAN, repo / "plan.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "kpzf", "diff", "--git", "HEAD"],
        cwd=repo,
        env=git_env(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "文件过大" in done.stderr.decode() + done.stdout.decode()




@pytest.mark.parametrize(
    "args",
    [
        ["show", "9" * 5000],
        ["record", "9" * 5000, "-u", "公安", "-s", "推进中", "-d", "2024-07-01"],
        ["record", "18", "-u", "赤坎", "-s", "推进中", "-m", "7" * 5000, "-d", "2024-07-01"],
        ["record", "18", "-u", "赤坎", "-s", "推进中", "-m", "0x" + "7" * 5000, "-d", "2024-07-01"],
        ["upcoming", "--days", "9" * 5000],
    ],
)
def test_absurd_numbers_on_the_command_line_are_usage_errors(
    run: Run, plan_copy: Path, args: list[str]
) -> None:
    before = plan_copy.read_bytes()
    result = run(*args, cwd=plan_copy.parent, today=TODAY)
    assert result.code == 2, result.err
    assert "内部错误" not in result.err
    assert len(result.err) < 2000  # the number is not repeated back in full
    assert plan_copy.read_bytes() == before
