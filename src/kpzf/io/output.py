"""Where an export goes: the --output target checked before any work, or standard output."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import UsageError


def check_target(target: Path, protected: Path) -> None:
    """Refuse, before any work, a target that is the plan itself, a directory or nowhere."""
    if target.exists() and protected.exists() and os.path.samefile(target, protected):
        raise UsageError(
            f"--output 指向计划文件本身（{target}），导出不能覆盖计划",
            hint="请换一个文件名，例如 --output 台账.xlsx",
        )
    if target.is_dir():
        raise UsageError(
            f"--output 的“{target}”是一个目录", hint="请写出文件名，例如 out/台账.xlsx"
        )
    parent = target.parent
    if not parent.is_dir():
        raise UsageError(
            f"--output 所在的目录“{parent}”不存在",
            hint="kpzf 不会自动创建目录；请先创建它，或换一个已有的目录",
        )


def write_stdout(data: bytes) -> None:
    """Exact bytes to standard output: CRLF of ics and csv must not be translated again on
    Windows, and the console's code page must not re-encode UTF-8."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a replaced stdout without bytes underneath
        sys.stdout.write(data.decode("utf-8"))
        return
    buffer.write(data)
    buffer.flush()
