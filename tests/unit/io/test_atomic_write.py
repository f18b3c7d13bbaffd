"""The one atomic replace (io/write.new_temp + fill_temp) as exports use it through write_file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kpzf.errors import OutputError
from kpzf.io import output, write


def test_replacing_a_file_keeps_its_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "台账.csv"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    assert output.write_file(target, b"new content") is None
    assert target.read_bytes() == b"new content"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.csv"]


def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        output.write_file(tmp_path / "new.ics", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.ics").stat().st_mode) == 0o640


def test_a_symlink_stays_a_link_and_its_target_is_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_bytes(b"old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    output.write_file(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"


def test_a_failed_write_removes_the_temporary_file_and_keeps_the_old_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    real_fill = write.fill_temp
    monkeypatch.setattr(output, "fill_temp", lambda fd, data, prepare: real_fill(fd, data, full_disk))
    with pytest.raises(OutputError, match="无法写入"):
        output.write_file(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_temporary_names_are_the_ones_record_clears_as_stale(tmp_path: Path) -> None:
    fd, temp = write.new_temp(tmp_path / "plan.yaml")
    os.close(fd)
    name = Path(temp).name
    assert name.startswith(".plan.yaml.") and name.endswith(write.TEMP_SUFFIX)


def test_a_directory_that_cannot_be_synced_is_a_warning_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "fsync_directory", lambda directory: "无法确认已保存到磁盘")
    assert output.write_file(tmp_path / "a.csv", b"x") == "无法确认已保存到磁盘"
    assert (tmp_path / "a.csv").read_bytes() == b"x"
