"""The one atomic write: whole file or nothing, the mode of a new file or of the one replaced."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kpzf.errors import FileChanged, TargetUnusable
from kpzf.io.write import TEMP_SUFFIX, Snapshot, atomic_write


def leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(TEMP_SUFFIX)]


def test_a_new_file_gets_the_mode_a_new_file_would_get(tmp_path: Path) -> None:
    target = tmp_path / "台账.csv"
    umask = os.umask(0o022)
    try:
        atomic_write(target, "数据".encode())
    finally:
        os.umask(umask)
    assert target.read_bytes() == "数据".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert leftovers(tmp_path) == []


def test_replacing_like_a_snapshot_keeps_its_permission_bits(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write(target, b"new", like=Snapshot.of(b"old", target.stat()))
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_refusal_at_the_last_moment_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    target.write_bytes(b"old")

    def edited_meanwhile() -> None:
        raise FileChanged("changed")

    with pytest.raises(FileChanged):
        atomic_write(target, b"new", before_replace=edited_meanwhile)
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_a_directory_that_cannot_hold_the_temp_file_is_unusable(tmp_path: Path) -> None:
    with pytest.raises(TargetUnusable, match="无法在目录") as raised:
        atomic_write(tmp_path / "missing" / "x.csv", b"data")
    assert raised.value.exit_code == 2
