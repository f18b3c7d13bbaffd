"""Writing an export where it was asked for: a file (atomically), a device or pipe, or stdout."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import time
from pathlib import Path

from ..errors import OutputError, UsageError
from .write import describe, fill_temp, fsync_directory, new_temp, through_special

READER_WAIT = 10.0  # seconds a FIFO given as --output may take to get its reader


def check_target(target: Path, protected: Path) -> None:
    """Refuse, before any work, a target that is the plan itself, a directory or nowhere."""
    with contextlib.suppress(OSError):
        if target.exists() and protected.exists() and os.path.samefile(target, protected):
            raise UsageError(
                f"--output 指向计划文件本身（{target}），导出不能覆盖计划",
                hint="请换一个文件名，例如 --output 台账.xlsx",
            )
    if target.is_dir():
        raise UsageError(
            f"--output 的“{target}”是一个目录", hint="请写出文件名，例如 out/台账.xlsx"
        )
    kind = _existing_kind(target)
    if kind is not None and not (stat.S_ISREG(kind) or stat.S_ISCHR(kind) or stat.S_ISFIFO(kind)):
        raise UsageError(
            f"--output 的“{target}”不是普通文件（块设备或套接字），kpzf 不会写入它",
            hint="请写出一个普通文件的名字，例如 --output 台账.xlsx",
        )
    parent = target.parent
    if kind is None and not parent.is_dir():
        raise UsageError(
            f"--output 所在的目录“{parent}”不存在",
            hint="kpzf 不会自动创建目录；请先创建它，或换一个已有的目录",
        )


def _existing_kind(target: Path) -> int | None:
    try:
        return os.stat(target).st_mode
    except OSError:
        return None


def write_file(target: Path, data: bytes) -> str | None:
    """Write `data` to --output; return a warning for the person, or None.

    A regular file (or a symlink to one) is replaced atomically: a temporary file in the same
    directory, fsync'd, renamed over the real file (a link stays a link); a reader or a crash
    never sees half a file. A character device, a FIFO, or anything reached through /dev or
    /proc (/dev/stdout, /proc/self/fd/1) is written directly: renaming over it would put a
    regular file in place of a device node or of the shell's redirection.
    """
    kind = _existing_kind(target)
    if kind is not None and (not stat.S_ISREG(kind) or through_special(target)):
        _write_directly(target, data, kind)
        return None
    real = Path(os.path.realpath(target)) if kind is not None else target
    # mkstemp makes the file private (0600): keep the replaced file's mode, or give the one a
    # new file would get.
    umask = os.umask(0)
    os.umask(umask)
    mode = stat.S_IMODE(kind) if kind is not None else 0o666 & ~umask
    temp: str | None = None
    try:
        fd, temp = new_temp(real)
        fill_temp(fd, data, lambda handle: os.fchmod(handle, mode))
        os.replace(temp, real)
        temp = None
    except OSError as exc:
        raise OutputError(
            f"无法写入“{target}”：{describe(exc)}", hint="请检查目录权限和磁盘空间"
        ) from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    return fsync_directory(real.parent)  # the rename lives in the directory


def _write_directly(target: Path, data: bytes, kind: int) -> None:
    """Write into what is already there, without creating, renaming or truncating a node."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    if stat.S_ISFIFO(kind):
        flags |= os.O_NONBLOCK  # with no reader, fail (ENXIO) instead of waiting forever
    elif stat.S_ISREG(kind):
        flags |= os.O_APPEND  # /dev/stdout redirected to a file: add to what the shell opened
    fd = _open_direct(target, flags)
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"无法写入“{target}”：{describe(exc)}") from None
    finally:
        os.close(fd)


def _open_direct(target: Path, flags: int) -> int:
    deadline = time.monotonic() + READER_WAIT
    while True:
        try:
            return os.open(target, flags)
        except OSError as exc:
            if exc.errno != errno.ENXIO:
                raise OutputError(f"无法写入“{target}”：{describe(exc)}") from None
            if time.monotonic() >= deadline:
                raise OutputError(
                    f"无法写入“{target}”：这是一个命名管道，但 {READER_WAIT:g} 秒内没有程序读取它",
                    hint="请先启动读取它的程序，或改为写入普通文件",
                ) from None
            time.sleep(0.05)  # a FIFO whose reader is still starting


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


class _Closed:
    """Stands in for a standard stream the process was started without (`>&-`, `2>&-`)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.encoding = "utf-8"
        self.errors = "strict"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, f"{self.name}已关闭")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, f"{self.name}已关闭")


def guard_stdio() -> None:
    """Make closed standard descriptors harmless before anything is opened.

    Started with fd 1 or 2 closed, the next file kpzf opened would get that number, and
    whatever is printed would go into it (into plan.yaml, during `record`). So each closed
    descriptor is pointed at /dev/null; a closed stdout then makes data output fail cleanly
    (OutputError), and a closed stderr just swallows messages — the exit code still tells.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            with contextlib.suppress(OSError):
                null = os.open(os.devnull, os.O_RDWR)
                if null != fd:
                    os.dup2(null, fd)
                    os.close(null)
    if sys.stdout is None:
        sys.stdout = _Closed("标准输出")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115


# Errors that mean "the output could not be written", wherever they surface (a write, a flush).
OUTPUT_ERRNOS = frozenset(
    {errno.EBADF, errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG, errno.EROFS, errno.EPERM}
)
