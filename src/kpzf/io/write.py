"""The one way kpzf replaces a file (exports, record): atomic_write, and the lock record holds.

- An exclusive `flock` on the file itself serialises writers; it is re-checked after it is
  acquired, because the file we waited on may meanwhile have been replaced by the writer before
  us. The kernel drops the lock when the process dies, so there is never a stale lock to clean.
- New content (atomic_write) goes to a temporary file in the same directory, is fsync'd, given
  the original's owner and permission bits (a new file's for an export), and renamed over the original with os.replace (atomic on POSIX); then the
  directory is fsync'd so that the rename itself survives a power cut.
- Just before the rename the file on disk is compared with what was read under the lock; if
  anything else (an editor) changed it meanwhile, nothing is written.

Windows is not a target: this module imports there, but locking raises a clear error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import FileChanged, LockTimeout, Problem, TargetUnusable, UnusableInput, WriteFailed
from .read import read_bytes, unusable_file

LOCK_TIMEOUT = 10.0  # seconds; a record takes well under one, so this is a stuck writer
_POLL = 0.05
TEMP_SUFFIX = ".kpzf-tmp"


@dataclass(frozen=True)
class Snapshot:
    """The bytes read under the lock and the identity of the file they came from."""

    data: bytes
    dev: int
    ino: int
    size: int
    mtime_ns: int
    mode: int
    uid: int
    gid: int

    @classmethod
    def of(cls, data: bytes, st: os.stat_result) -> Snapshot:
        return cls(
            data, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode, st.st_uid, st.st_gid
        )

    def same_file(self, st: os.stat_result) -> bool:
        return (self.dev, self.ino, self.size, self.mtime_ns) == (
            st.st_dev,
            st.st_ino,
            st.st_size,
            st.st_mtime_ns,
        )


def _changed(shown: str) -> FileChanged:
    return FileChanged(
        f"{shown} 在 kpzf 读取之后被其他程序修改过（例如正在编辑器中保存），为免覆盖他人的修改，本次未写入",
        hint="请确认文件已保存、内容无误后重新运行同一条命令",
    )


def _open_for_lock(path: Path, shown: str) -> int:
    # Opened for writing because NFS grants exclusive flocks only on writable descriptors; a
    # file its owner made read-only is a file kpzf should not replace anyway.
    try:
        return os.open(path, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        raise UnusableInput(
            [
                Problem(
                    shown,
                    None,
                    None,
                    "没有写入这个文件的权限（文件是只读的）",
                    "请检查文件权限，或改用可写的副本",
                    "read-only",
                )
            ]
        ) from None
    except OSError as exc:
        raise unusable_file(shown, exc, "无法打开文件") from None


class LockedFile:
    """A file held under an exclusive lock: read it, then replace it if it has not changed."""

    def __init__(self, path: Path, shown: str, fd: int) -> None:
        self.path = path
        self.shown = shown
        self.fd = fd

    def read(self) -> Snapshot:
        before = os.fstat(self.fd)
        data = read_bytes(self.path, self.shown)
        after = os.stat(self.path)
        if not Snapshot.of(data, before).same_file(after) or len(data) != after.st_size:
            raise _changed(self.shown)  # someone wrote while we read
        return Snapshot.of(data, after)

    def replace(self, data: bytes, expected: Snapshot) -> None:
        """Atomically put `data` in place of the file, unless it differs from `expected`."""

        def unchanged() -> None:
            # The last moment to notice an editor's save: compare identity and bytes.
            try:
                current = os.stat(self.path)
                on_disk = self.path.read_bytes()
            except OSError:
                raise _changed(self.shown) from None
            if not expected.same_file(current) or on_disk != expected.data:
                raise _changed(self.shown)

        atomic_write(self.path, data, like=expected, before_replace=unchanged)


def atomic_write(
    target: Path,
    data: bytes,
    *,
    like: Snapshot | None = None,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Replace (or create) `target` with `data` so that no reader or crash sees half a file.

    The bytes go to a temporary file in the same directory, fsync'd, renamed over the target
    (atomic on POSIX), and the directory is fsync'd so the rename survives a power cut. With
    `like`, the new file gets that file's owner, group and permission bits; otherwise those of a
    normal new file. `before_replace` may raise to abandon the write at the last moment.
    """
    directory = target.parent
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=directory)
    except OSError as exc:
        raise TargetUnusable(
            f"无法在目录 {directory} 中创建临时文件（{exc.strerror or exc}），{target.name} 未写入",
            hint="kpzf 先写临时文件再整体替换，需要对目标文件所在的目录有写权限",
        ) from None
    replaced = False
    try:
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                if like is not None:
                    _copy_owner(out.fileno(), like)  # before chmod: chown clears set-id bits
                    os.fchmod(out.fileno(), stat.S_IMODE(like.mode))
                else:  # mkstemp makes the file private (0600): give it a new file's mode
                    umask = os.umask(0)
                    os.umask(umask)
                    os.fchmod(out.fileno(), 0o666 & ~umask)
                os.fsync(out.fileno())
        except OSError as exc:
            raise WriteFailed(
                f"写入临时文件失败：{exc.strerror or exc}；{target.name} 未改动",
                hint="请检查磁盘空间和权限后重试",
            ) from None
        if before_replace is not None:
            before_replace()
        try:
            os.replace(temp, target)
        except OSError as exc:
            raise WriteFailed(
                f"无法替换 {target}：{exc.strerror or exc}；原文件未改动",
                hint="请检查目标文件和目录的权限",
            ) from None
        replaced = True
    finally:
        if not replaced:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    _fsync_directory(directory, target)


def _copy_owner(fd: int, expected: Snapshot) -> None:
    """Give the new file the old one's owner and group, as far as we are allowed to."""
    st = os.fstat(fd)
    if (st.st_uid, st.st_gid) == (expected.uid, expected.gid):
        return
    try:
        os.fchown(fd, expected.uid, expected.gid)  # only root may give a file away
    except PermissionError:
        with contextlib.suppress(PermissionError):  # a member may still set the shared group
            os.fchown(fd, -1, expected.gid)


def _fsync_directory(directory: Path, target: Path) -> None:
    """Make the rename durable: it lives in the directory, not in the file."""
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):  # filesystems that cannot sync dirs
            raise WriteFailed(
                f"{target} 已写入，但无法确认已保存到磁盘（同步目录失败：{exc.strerror or exc}）",
                hint="请检查文件内容（计划文件可运行 kpzf validate），并检查磁盘是否正常",
            ) from None
    finally:
        os.close(fd)


def _remove_stale_temps(path: Path) -> None:
    """Temporary files left by writers killed mid-write; safe to delete while we hold the lock."""
    prefix = f".{path.name}."
    with contextlib.suppress(OSError):
        for name in os.listdir(path.parent):
            if name.startswith(prefix) and name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(path.parent / name)


@contextlib.contextmanager
def locked(path: Path, shown: str, timeout: float | None = None) -> Iterator[LockedFile]:
    """Hold an exclusive lock on `path` (which must be the real path, symlinks resolved)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        raise TargetUnusable(
            "kpzf record 需要 POSIX 文件锁（Linux、macOS），不支持 Windows",
            hint="请在 Linux 或 macOS 上记录进度，或手工编辑 plan.yaml 后运行 kpzf validate",
        ) from None
    wait = LOCK_TIMEOUT if timeout is None else timeout
    deadline = time.monotonic() + wait
    while True:
        fd = _open_for_lock(path, shown)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockTimeout(
                            f"{shown} 正被另一个 kpzf record 写入（已等待 {wait:g} 秒），本次未写入",
                            hint="请稍后重试；锁在那个进程结束时自动释放，无需手工清理",
                        ) from None
                    time.sleep(_POLL)
                except OSError as exc:  # e.g. a network filesystem without lock support
                    raise LockTimeout(
                        f"无法给 {shown} 加锁：{exc.strerror or exc}；为免并发写入丢失数据，本次未写入",
                        hint="请把计划文件放在本地磁盘上再记录进度",
                    ) from None
            held, now = os.fstat(fd), _stat_or_none(path)
            if now is not None and (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the file was replaced while we waited: lock the one now at the path
    try:
        _remove_stale_temps(path)
        yield LockedFile(path, shown, fd)
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None
