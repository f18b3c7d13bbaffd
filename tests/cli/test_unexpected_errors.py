"""The top-level handler: kpzf bugs exit 3, Ctrl-C exits 130, a closed pipe ends quietly.

In-process tests make a command fail on purpose; subprocess tests send a real SIGINT and close
a real pipe, since those only happen to a real process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
from conftest import PLAN, REPO, Run


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("模拟的缺陷")


def test_unexpected_error_is_reported_briefly_with_exit_3(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kpzf.cli.commands.export.open_plan", _boom)
    result = run("export")
    assert result.code == 3
    assert result.out == ""
    assert "kpzf 内部错误（RuntimeError）：模拟的缺陷" in result.err
    assert "报告给维护者" in result.err
    assert "--debug" in result.err
    assert "Traceback" not in result.err


def test_debug_shows_the_traceback(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kpzf.cli.commands.export.open_plan", _boom)
    result = run("--debug", "export")
    assert result.code == 3
    assert "Traceback (most recent call last)" in result.err
    assert "RuntimeError: 模拟的缺陷" in result.err
    assert "kpzf 内部错误（RuntimeError）" in result.err


def test_ctrl_c_inside_a_command(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("kpzf.cli.commands.export.open_plan", interrupted)
    result = run("export")
    assert result.code == 130
    assert "已中断" in result.err
    assert "Traceback" not in result.err


def test_ctrl_c_outside_a_command(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before Typer has started (or after it returned), the handler's own clause catches it."""

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("kpzf.cli.main.app", interrupted)
    result = run("export")
    assert result.code == 130
    assert "已中断" in result.err
    assert "Traceback" not in result.err


def test_abort_is_an_interruption(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    def abort(*args: object) -> None:
        raise typer.Abort()

    monkeypatch.setattr("kpzf.cli.commands.export.open_plan", abort)
    result = run("export")
    assert result.code == 130
    assert "已中断" in result.err
    assert "Traceback" not in result.err


def test_version_and_bare_invocation(run: Run) -> None:
    from kpzf import __version__

    version = run("--version")
    assert version.code == 0
    assert version.out.strip() == f"kpzf {__version__}"
    bare = run()
    assert bare.code == 2
    assert "validate" in bare.out  # the help, listing the commands
    assert "错误：" not in bare.err


# ------------------------------------------------------------------ real processes


def _env() -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    env.pop("KPZF_PLAN", None)
    return env


# `python -m kpzf`, but with Python's own Ctrl-C handler installed first: a shell starts background
# jobs (CI runners, `pytest &`) with SIGINT ignored, and Python then never installs it.
KPZF_AS_AT_A_TERMINAL = (
    "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "runpy.run_module('kpzf', run_name='__main__')"
)


def _blocked_reading_stdin(pid: int) -> bool:
    """Linux: the process sits in read() on a pipe (syscall 0 on x86-64, 63 on arm64)."""
    try:
        fields = Path(f"/proc/{pid}/syscall").read_text().split()
        if len(fields) < 2 or fields[0] not in ("0", "63"):
            return False
        return os.readlink(f"/proc/{pid}/fd/{int(fields[1], 16)}").startswith("pipe:")
    except (OSError, ValueError):
        return False


@pytest.mark.skipif(not Path("/proc/self/syscall").exists(), reason="needs Linux /proc")
def test_sigint_while_blocked_reading_the_plan(tmp_path: Path) -> None:
    """kpzf waits on a pipe given as --plan /dev/stdin (nobody writes to it) until Ctrl-C.

    (A named FIFO is refused up front instead: tests/test_hostile.py.)
    """
    proc = subprocess.Popen(
        [sys.executable, "-c", KPZF_AS_AT_A_TERMINAL, "--plan", "/dev/stdin", "validate"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=_env(),
    )
    try:
        waited_until = time.monotonic() + 60
        while not _blocked_reading_stdin(proc.pid):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < waited_until, "kpzf never read the pipe"
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = err.decode("utf-8")
    assert proc.returncode == 130, text
    assert "已中断" in text
    assert "Traceback" not in text
    assert out == b""


def test_output_pipe_closed_after_the_first_line() -> None:
    """`kpzf export | head -1`: export writes ~120 KB, more than a pipe holds."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpzf", "--plan", str(PLAN), "export", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert first == b"{\n"
    assert proc.returncode == 0, err
    # No traceback, no "Exception ignored … BrokenPipeError"; if the whole export fitted in the
    # pipe before it was closed, only the summary line naming the plan.
    assert err in (b"", f"已导出 json（计划：{PLAN}）\n".encode()), err.decode()


def test_output_pipe_closed_before_a_large_answer() -> None:
    """`kpzf export | true`: the first write fails inside the command (Typer's EPIPE path)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpzf", "--plan", str(PLAN), "export", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # long before kpzf has started up and written anything
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert proc.returncode == 0, err
    assert err == b""


def test_output_pipe_closed_before_a_short_answer() -> None:
    """A short answer sits in the buffer until the final flush; that flush must not complain."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before kpzf writes anything
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "kpzf", "validate", "--format", "json", str(PLAN)],
            check=False,
            stdout=write_end,
            stderr=subprocess.PIPE,
            cwd=REPO,
            env=_env(),
            timeout=60,
        )
    finally:
        os.close(write_end)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert "Exception ignored" not in err
    assert "有效" in err  # the summary still reached stderr
