"""The answers users script against are byte-identical to those of the commit the digests came from."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import Run

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import capture  # noqa: E402  (tests/golden/capture.py)


@pytest.mark.slow
def test_outputs_match_the_committed_digests(run: Run, tmp_path: Path) -> None:
    """In-process (the `run` fixture: NO_COLOR, 200 columns, TZ pinned, as capture.py's
    subprocesses); capture.py itself runs any commit's executable to make the digests."""

    def invoke(args: tuple[str, ...], cwd: Path) -> tuple[int, bytes, bytes]:
        result = run(*args, cwd=cwd)
        return result.code, result.out.encode("utf-8"), result.err.encode("utf-8")

    expected = json.loads((HERE / "digests.json").read_text(encoding="utf-8"))
    actual = capture.digests(capture.capture(invoke, tmp_path))
    assert sorted(actual) == sorted(expected)
    differ = [name for name in expected if actual[name] != expected[name]]
    assert differ == [], f"outputs changed (run capture.py --dump to see how): {differ}"
