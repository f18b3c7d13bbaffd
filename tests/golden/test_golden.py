"""The answers users script against are byte-identical to those of the commit the digests came from."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import capture  # noqa: E402  (tests/golden/capture.py)


@pytest.mark.slow
def test_outputs_match_the_committed_digests(tmp_path: Path) -> None:
    kpzf = Path(sys.executable).with_name("kpzf")
    if not kpzf.is_file():
        pytest.skip("the kpzf executable is not installed beside this Python")
    expected = json.loads((HERE / "digests.json").read_text(encoding="utf-8"))
    actual = capture.digests(capture.capture(str(kpzf), tmp_path))
    assert sorted(actual) == sorted(expected)
    differ = [name for name in expected if actual[name] != expected[name]]
    assert differ == [], f"outputs changed (run capture.py --dump to see how): {differ}"
