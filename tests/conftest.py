"""Shared fixtures: run the CLI in-process with a pinned clock and time zone."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PLAN = REPO / "plan.yaml"

os.environ["TZ"] = "Asia/Shanghai"
time.tzset()

# kpzf caches validated plans under $XDG_CACHE_HOME/kpzf (io/cache.py). The suite must never
# write into the real home: every test — and every kpzf it starts as a subprocess, which
# inherits this — uses one temporary cache directory for the session, removed at the end.
# Tests of the cache itself use their own (tests/cli/test_cache.py).
SESSION_CACHE = Path(tempfile.mkdtemp(prefix="kpzf-test-cache-"))
os.environ["XDG_CACHE_HOME"] = str(SESSION_CACHE)
os.environ.pop("KPZF_NO_CACHE", None)


@pytest.fixture(autouse=True, scope="session")
def _session_cache_removed() -> object:
    yield
    shutil.rmtree(SESSION_CACHE, ignore_errors=True)


@dataclass
class Result:
    code: int
    out: str
    err: str


Run = Callable[..., Result]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Run:
    """Invoke `kpzf ARGS…` in-process; the working directory is an empty temp dir by default.

    `today` freezes the date the command layer reads (the only place kpzf reads the clock).
    """
    from kpzf.cli import app as app_module
    from kpzf.cli.main import main

    monkeypatch.delenv("KPZF_PLAN", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")

    def invoke(*args: str, cwd: Path | None = None, today: str | None = None) -> Result:
        import datetime as dt

        monkeypatch.chdir(cwd or tmp_path)
        if today is not None:
            monkeypatch.setattr(app_module, "today", lambda: dt.date.fromisoformat(today))
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def plan_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped plan.yaml in a temp dir."""
    target = tmp_path / "plan.yaml"
    shutil.copyfile(PLAN, target)
    return target


# The hostile-input tests aim kpzf at /dev/null, /dev/full and /dev/stdout. Run as root (as CI
# is), a regression that renames over them would replace the machine's device nodes and break
# every later program; fail the whole session loudly instead of letting that pass unseen.
_DEVICES = ("/dev/null", "/dev/full")


def _device_kinds() -> dict[str, bool]:
    import stat

    return {name: stat.S_ISCHR(os.stat(name).st_mode) for name in _DEVICES if os.path.exists(name)}


@pytest.fixture(autouse=True, scope="session")
def _device_nodes_survive() -> object:
    before = _device_kinds()
    yield
    after = _device_kinds()
    broken = [name for name, was_device in before.items() if was_device and not after.get(name)]
    assert not broken, f"the test session replaced device nodes: {broken} (restore with mknod)"
