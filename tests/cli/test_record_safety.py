"""`kpzf record` cannot lose data: lock, atomic replace, kills mid-write, edits behind its back."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Run

from kpzf.checks import run_checks
from kpzf.io.write import TEMP_SUFFIX
from kpzf.model.plan import load_plan

TODAY = "2025-01-15"
RECORD = ("record", "19", "-u", "市司法局", "-s", "推进中", "-d", "2024-07-01")


def progress_count(path: Path) -> int:
    """The number of entries in a plan that must be valid (it asserts so)."""
    plan = load_plan(path)
    assert run_checks(plan, dt.date.today()) == []
    return len(plan.model.progress)


def temp_files(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(TEMP_SUFFIX)]


def test_lock_held_too_long_refuses_without_writing(
    run: Run, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpzf.io import write

    monkeypatch.setattr(write, "LOCK_TIMEOUT", 0.3)
    before = plan_copy.read_bytes()
    with open(plan_copy, "rb") as holder:  # a separate open file: flock conflicts with it
        fcntl.flock(holder, fcntl.LOCK_EX)
        r = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    assert r.code == 1
    assert "正被另一个 kpzf record 写入" in r.err and "0.3 秒" in r.err
    assert plan_copy.read_bytes() == before


def test_file_changed_between_read_and_write_is_not_overwritten(
    run: Run, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor saves plan.yaml while record is working: record must not overwrite that save."""
    from kpzf.record import entry as record

    compose = record.append_items

    def editor_saves_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        with open(plan_copy, "a", encoding="utf-8") as f:  # editors ignore advisory locks
            f.write("# 编辑器中的修改\n")
        return compose(*args, **kwargs)

    monkeypatch.setattr(record, "append_items", editor_saves_meanwhile)
    edited = plan_copy.read_bytes() + "# 编辑器中的修改\n".encode()
    r = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    assert r.code == 1
    assert "被其他程序修改过" in r.err
    assert plan_copy.read_bytes() == edited  # the editor's save survives, nothing of ours added
    assert temp_files(plan_copy.parent) == []


def test_file_replaced_between_read_and_write_is_not_overwritten(
    run: Run, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Editors that save by rename (vim, VS Code) give the path a new inode: same refusal."""
    from kpzf.record import entry as record

    compose = record.append_items
    saved = plan_copy.read_bytes().replace(b"version: 1\n", b"version: 1  # saved by an editor\n")

    def editor_renames_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        other = plan_copy.with_name("plan.yaml~")
        other.write_bytes(saved)
        os.replace(other, plan_copy)
        return compose(*args, **kwargs)

    monkeypatch.setattr(record, "append_items", editor_renames_meanwhile)
    r = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    assert r.code == 1
    assert "被其他程序修改过" in r.err
    assert plan_copy.read_bytes() == saved


def test_permissions_kept_and_symlink_followed(run: Run, plan_copy: Path, tmp_path: Path) -> None:
    os.chmod(plan_copy, 0o640)
    link = tmp_path / "work" / "plan.yaml"
    link.parent.mkdir()
    link.symlink_to(plan_copy)
    r = run(*RECORD, cwd=link.parent, today=TODAY)
    assert r.code == 0, r.err
    assert link.is_symlink()  # the link still points at the shared file, which got the entry
    assert stat.S_IMODE(os.stat(plan_copy).st_mode) == 0o640
    assert progress_count(plan_copy) == 1
    assert temp_files(plan_copy.parent) == [] and temp_files(link.parent) == []


def test_read_only_file_is_refused(run: Run, plan_copy: Path) -> None:
    os.chmod(plan_copy, 0o444)
    before = plan_copy.read_bytes()
    r = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    assert r.code == 2
    assert "只读" in r.err
    assert plan_copy.read_bytes() == before


def test_stale_temporary_files_of_killed_writers_are_removed(run: Run, plan_copy: Path) -> None:
    stale = plan_copy.with_name(f".plan.yaml.abc123{TEMP_SUFFIX}")
    stale.write_bytes(b"half a plan")
    unrelated = plan_copy.with_name(".other.yaml.abc123" + TEMP_SUFFIX)
    unrelated.write_bytes(b"not ours to touch")
    r = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    assert r.code == 0, r.err
    assert not stale.exists()
    assert unrelated.exists()


# --------------------------------------------------------------------------- real processes


def kpzf(*args: str) -> list[str]:
    return [sys.executable, "-m", "kpzf", *args]


@pytest.mark.slow
def test_concurrent_records_all_land(plan_copy: Path) -> None:
    # Four different (measure, unit) pairs, started together; each must wait its turn.
    jobs = [
        ("19", "市司法局"),
        ("1", "市公安局"),
        ("1", "赤坎镇"),
        ("37", "三埠街道"),
    ]
    procs = [
        subprocess.Popen(
            kpzf(
                "--plan", str(plan_copy), "record", m, "-u", u, "-s", "推进中", "-d", "2024-07-01"
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for m, u in jobs
    ]
    results = [(p.wait(timeout=60), p.stderr.read() if p.stderr else "") for p in procs]
    for p in procs:
        for stream in (p.stdout, p.stderr):
            if stream:
                stream.close()
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    plan = load_plan(plan_copy)
    assert sorted((e.measure, e.unit) for e in plan.model.progress) == sorted(
        (int(m), u) for m, u in jobs
    )
    assert temp_files(plan_copy.parent) == []


# Starting Python and importing kpzf takes far longer than recording; so one server process
# imports kpzf once and forks a fresh writer process per request. Each writer is a real,
# separate process running the real command, and the kill is aimed at its work (read, check,
# write, rename) rather than at interpreter start-up.
FORK_SERVER = """
import os, sys
from kpzf.cli.main import main
print("ready", flush=True)
while sys.stdin.readline():
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            code = main(sys.argv[1:])
        finally:
            os._exit(code)
    print(pid, flush=True)
    sys.stdin.readline()  # reaped only when told, so the test never signals a reused pid
    print(os.waitpid(pid, 0)[1], flush=True)
"""


class Writers:
    def __init__(self, plan: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", FORK_SERVER, "--plan", str(plan), *RECORD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.read() == "ready"

    def read(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def start(self) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        return int(self.read())

    def wait(self) -> int:
        """The writer's wait status: 0 for exit code 0, the signal number if killed."""
        assert self.proc.stdin is not None
        self.proc.stdin.write("reap\n")
        self.proc.stdin.flush()
        return int(self.read())

    def close(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        self.proc.stdout.close()


@pytest.mark.slow
def test_writer_killed_at_random_moments_leaves_old_or_new_file(plan_copy: Path) -> None:
    writers = Writers(plan_copy)
    try:
        # How long one record takes here, to spread the kills over it (not asserted on).
        times = []
        for _ in range(3):
            began = time.monotonic()
            writers.start()
            assert writers.wait() == 0
            times.append(time.monotonic() - began)
        work = sorted(times)[1]
        count = progress_count(plan_copy)
        assert count == 3

        rng = random.Random(20240209)  # reproducible choice of moments
        outcomes = {"old": 0, "new": 0}
        for _ in range(40):
            pid = writers.start()
            time.sleep(rng.uniform(0, work * 1.5))
            os.kill(pid, signal.SIGKILL)  # a finished writer is a zombie until reaped: harmless
            writers.wait()
            after = progress_count(plan_copy)  # always parses and validates: never truncated
            assert after in (count, count + 1)
            outcomes["new" if after == count + 1 else "old"] += 1
            count = after
        print("kill outcomes:", outcomes, f"work {work * 1000:.0f} ms")

        # Whatever the kills left behind, the next record cleans up and lands.
        writers.start()
        assert writers.wait() == 0
        assert progress_count(plan_copy) == count + 1
        assert temp_files(plan_copy.parent) == []
    finally:
        writers.close()


# The two moments a random kill rarely hits, hit on purpose: the new content is complete in
# the temporary file but not yet renamed, and renamed but the directory not yet synced.
KILLED_AT = """
import os, signal, sys
from kpzf.io import write
from kpzf.cli.main import main

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if sys.argv[1] == "before-rename":
    write.os.replace = die
else:
    write.fsync_directory = die
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["before-rename", "after-rename"])
def test_writer_killed_around_the_rename(plan_copy: Path, moment: str) -> None:
    before = plan_copy.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_AT, moment, "--plan", str(plan_copy), *RECORD],
        check=False,
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == -signal.SIGKILL
    if moment == "before-rename":
        assert plan_copy.read_bytes() == before
        [leftover] = temp_files(plan_copy.parent)  # complete, but never put in place
        line = '  - {measure: 19, unit: "市司法局", milestone: "2024-12-31", status: "推进中", date: "2024-07-01"}\n'
        assert (plan_copy.parent / leftover).read_bytes() == before.replace(
            b"\nprogress: []\n", b"\nprogress:\n" + line.encode()
        )
    else:
        assert progress_count(plan_copy) == 1
        assert temp_files(plan_copy.parent) == []
    # The next record starts from whichever file is there and cleans up.
    done = subprocess.run(
        kpzf("--plan", str(plan_copy), *RECORD), check=False, capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()
    assert progress_count(plan_copy) == (1 if moment == "before-rename" else 2)
    assert temp_files(plan_copy.parent) == []


def test_spliced_text_that_does_not_read_back_as_intended_is_not_written(
    run: Run, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The re-read check is the last line of defence against a splicing mistake."""
    from kpzf.record import entry as record

    compose = record.append_items

    def careless_splice(*args, **kwargs):  # type: ignore[no-untyped-def]
        splice = compose(*args, **kwargs)
        return type(splice)(
            splice.text.replace("aliases: [司法局]", "aliases: [司法]"), splice.line
        )

    monkeypatch.setattr(record, "append_items", careless_splice)
    before = plan_copy.read_bytes()
    r = run(*RECORD, cwd=plan_copy.parent, today=TODAY)
    assert r.code == 1
    assert "未通过复核" in r.err
    assert '  - {measure: 19, unit: "市司法局"' in r.err  # the line to add by hand
    assert plan_copy.read_bytes() == before
