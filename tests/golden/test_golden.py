"""The answers users script against are byte-identical to those of the commit the digests came from.

The shipped plan and the bad-file corpus are compared in every run (about a second); the 10×
benchmark plan (about ten seconds more) when KPZF_GOLDEN_10X=1, and always by
`python tests/golden/capture.py --kpzf .venv/bin/kpzf`, which also runs any other commit.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from conftest import Run

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import capture  # noqa: E402  (tests/golden/capture.py)

EXPECTED = json.loads((HERE / "digests.json").read_text(encoding="utf-8"))


def _in_process(run: Run) -> capture.Invoke:
    """The `run` fixture (NO_COLOR, 200 columns, TZ pinned), as capture.py's subprocesses."""

    def invoke(args: tuple[str, ...], cwd: Path) -> tuple[int, bytes, bytes]:
        result = run(*args, cwd=cwd)
        return result.code, result.out.encode("utf-8"), result.err.encode("utf-8")

    return invoke


@pytest.mark.parametrize(
    "scale",
    [
        "1x",
        pytest.param(
            "10x",
            marks=[
                pytest.mark.slow,
                pytest.mark.skipif(
                    os.environ.get("KPZF_GOLDEN_10X") != "1", reason="set KPZF_GOLDEN_10X=1"
                ),
            ],
        ),
    ],
)
def test_outputs_match_the_committed_digests(run: Run, tmp_path: Path, scale: str) -> None:
    actual = capture.digests(capture.capture(_in_process(run), tmp_path, (scale, "bad") if scale == "1x" else (scale,)))
    expected = {
        name: digest
        for name, digest in EXPECTED.items()
        if name.startswith(f"{scale}/") or scale == "1x" and name.startswith("bad/")
    }
    assert sorted(actual) == sorted(expected)
    differ = [name for name in expected if actual[name] != expected[name]]
    assert differ == [], f"outputs changed (run capture.py --dump to see how): {differ}"
