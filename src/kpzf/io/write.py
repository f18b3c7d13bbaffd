"""Replacing a file so that no crash, kill or concurrent kpzf can lose data (POSIX only).

- An exclusive `flock` on the file itself serialises writers; it is re-checked after it is
  acquired, because the file we waited on may meanwhile have been replaced by the writer before
  us. The kernel drops the lock when the process dies, so there is never a stale lock to clean.
- New content goes to a temporary file in the same directory, is fsync'd, given the original's
  permission bits, and renamed over the original with os.replace (atomic on POSIX); then the
  directory is fsync'd so that the rename itself survives a power cut.
- Just before the rename the file on disk is compared with what was read under the lock; if
  anything else (an editor) changed it meanwhile, nothing is written.

Windows is not a target: this module imports there, but locking raises a clear error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from ..errors import FileChanged, KpzfError, LockTimeout, Problem, TargetUnusable, UnusableInput
from ..records import record
from .files import read_bytes

LOCK_TIMEOUT = 10.0  # seconds; a record takes well under one, so this is a stuck writer
_POLL = 0.05
TEMP_SUFFIX = ".kpzf-tmp"
# The complete new content kept beside the file while it is rewritten in place (hard links,
# attributes a new file cannot get, a bind-mounted file): never deleted unless it is in place.
COPY_SUFFIX = ".kpzf-copy"
_RANDOM = 8  # characters tempfile puts between prefix and suffix


def temp_prefix(name: str, name_max: int = 255) -> str:
    """`.NAME.` for a temporary file beside NAME, NAME cut (on a character) to fit NAME_MAX.

    A long but legal Chinese file name (80 characters are 240 bytes) must not make the
    temporary name too long for the filesystem.
    """
    room = name_max - 2 - max(len(TEMP_SUFFIX), len(COPY_SUFFIX)) - _RANDOM
    encoded = os.fsencode(name)
    if len(encoded) > room:
        cut = encoded[:room]
        while cut and cut[-1] & 0xC0 == 0x80:  # never end inside a UTF-8 sequence
            cut = cut[:-1]
        if cut and cut[-1] >= 0xC0:
            cut = cut[:-1]
        name = os.fsdecode(cut)
    return f".{name}."


def _name_max(directory: Path) -> int:
    try:
        return int(os.pathconf(directory, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return 255


_T = TypeVar("_T")


def new_temp(path: Path) -> tuple[int, str]:
    """A new temporary file beside `path`, the first step of every atomic replace in kpzf.

    Named `.NAME.<random>.kpzf-tmp` (cut to fit NAME_MAX), so that a writer killed before its
    rename leaves something the next `kpzf record` recognises and clears. Raises OSError.
    """
    import tempfile  # only when writing: not on the path of every answer

    directory = path.parent
    prefix = temp_prefix(path.name, name_max=_name_max(directory))
    return tempfile.mkstemp(prefix=prefix, suffix=TEMP_SUFFIX, dir=directory)


def fill_temp(fd: int, data: bytes, prepare: Callable[[int], _T]) -> _T:
    """Write `data` to the temporary file `fd`, let `prepare(fd)` give it its attributes, fsync.

    Closes `fd`; returns what `prepare` returned. Raises OSError (the caller removes the file).
    """
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        result = prepare(out.fileno())
        os.fsync(out.fileno())
    return result


def through_special(path: Path) -> bool:
    """Whether `path` is, or reaches through a symlink, something under /dev or /proc.

    /dev/stdin, /dev/stdout and /proc/self/fd/N are "whatever that descriptor is": a terminal,
    a pipe, or a file the shell opened. Resolving them to a path and renaming over it would
    replace a file behind the shell's back (or a /dev entry); they are written directly or
    refused, never replaced.
    """
    current = Path(os.path.abspath(path))
    for _ in range(40):  # the kernel's own limit on symlink hops
        if current.parts[1:2] == ("proc",) or (
            current.parts[1:2] == ("dev",) and current.parts[2:3] != ("shm",)  # shm: a tmpfs
        ):
            return True
        for parent in (*reversed(current.parents), current):
            if parent.is_symlink():
                target = Path(os.readlink(parent))
                rest = current.relative_to(parent)
                current = Path(os.path.normpath(parent.parent / target / rest))
                break
        else:
            return False
    return True


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind (finally blocks remove temporary files), then exit."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_TERMINATING = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextlib.contextmanager
def termination_unwinds() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP raise Terminated instead of killing outright."""

    def raise_terminated(signum: int, frame: object) -> None:
        raise Terminated(signum)

    previous = {}
    try:
        for signum in (signal.SIGINT, *_TERMINATING):
            previous[signum] = signal.getsignal(signum)
        for signum in _TERMINATING:
            previous[signum] = signal.signal(signum, raise_terminated)
    except ValueError:  # not the main thread: leave signals alone
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            if handler is not None:
                signal.signal(signum, handler)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold off SIGINT, SIGTERM and SIGHUP around a commit: it happens entirely or not at all."""
    held = {signal.SIGINT, *_TERMINATING}
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:  # pragma: no cover - not POSIX
        yield
        return
    old = mask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, old)


def committed() -> None:
    """The write is done: a signal from now on must not make the exit code say otherwise."""
    with contextlib.suppress(ValueError):
        for signum in (signal.SIGINT, *_TERMINATING):
            signal.signal(signum, signal.SIG_IGN)


@record
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
    nlink: int

    @classmethod
    def of(cls, data: bytes, st: os.stat_result) -> Snapshot:
        return cls(
            data,
            st.st_dev,
            st.st_ino,
            st.st_size,
            st.st_mtime_ns,
            st.st_mode,
            st.st_uid,
            st.st_gid,
            st.st_nlink,
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


def _unusable(shown: str, message: str, hint: str, code: str) -> UnusableInput:
    return UnusableInput([Problem(shown, None, None, message, hint, code)])


def _refuse_unwritable(path: Path, shown: str, st: os.stat_result) -> None:
    """Refuse what record must not write: not a regular file, or read-only by its mode bits.

    The modes are checked here and not left to open(): root may write any file, but a plan
    someone made `chmod 444` (or put in a read-only directory) is one they meant to keep.
    """
    if not stat.S_ISREG(st.st_mode):
        raise _unusable(
            shown,
            f"这不是普通文件（{_kind(st.st_mode)}），kpzf record 只写入普通的计划文件",
            "请用 --plan 指定磁盘上的 plan.yaml 文件本身",
            "not-a-file",
        )
    if not st.st_mode & 0o222:
        raise _unusable(
            shown,
            "文件是只读的（权限位中没有写权限），kpzf record 不会改动它",
            "如确需记录，请先 chmod u+w 该文件",
            "read-only",
        )
    try:
        parent = os.stat(path.parent)
    except OSError:
        return
    if not parent.st_mode & 0o222:
        raise _unusable(
            shown,
            f"文件所在的目录 {path.parent} 是只读的，kpzf record 不会改动其中的文件",
            "如确需记录，请先 chmod u+w 该目录",
            "read-only",
        )


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "命名管道"),
        (stat.S_ISCHR, "字符设备"),
        (stat.S_ISBLK, "块设备"),
        (stat.S_ISSOCK, "套接字"),
        (stat.S_ISDIR, "目录"),
    ):
        if test(mode):
            return name
    return "特殊文件"


def _open_for_lock(path: Path, shown: str) -> int:
    # Opened for writing because NFS grants exclusive flocks only on writable descriptors; a
    # file its owner made read-only is a file kpzf should not replace anyway.
    try:
        _refuse_unwritable(path, shown, os.stat(path))  # before open: a FIFO would block
        # O_NONBLOCK: should the path become a FIFO meanwhile, open must not wait for a writer.
        fd = os.open(path, os.O_RDWR | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            _refuse_unwritable(path, shown, os.fstat(fd))
            os.set_blocking(fd, True)
        except BaseException:
            os.close(fd)
            raise
        return fd
    except FileNotFoundError:
        raise _unusable(
            shown, "文件不存在", "请检查路径，或用 --plan 指定计划文件", "not-found"
        ) from None
    except IsADirectoryError:
        raise _unusable(
            shown, "这是一个目录，不是文件", "请指定 plan.yaml 文件本身", "not-found"
        ) from None
    except PermissionError:
        raise _unusable(
            shown,
            "没有写入这个文件的权限（文件是只读的）",
            "请检查文件权限，或改用可写的副本",
            "read-only",
        ) from None
    except OSError as exc:
        raise _unusable(
            shown, f"无法打开文件：{exc.strerror or exc}", "请检查文件权限", "unreadable"
        ) from None


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

    def replace(self, data: bytes, expected: Snapshot) -> str | None:
        """Put `data` in place of the file, unless it differs from `expected`.

        Atomically by rename when the new file can be the old one in every respect (owner,
        mode, extended attributes and ACLs, the only link to its inode); otherwise, or when the
        file cannot be renamed over (EBUSY: a bind-mounted single file), rewritten in place
        under the lock, with the complete new content kept beside it until it is verified.
        Returns a warning for the person once the entry is written, or None.
        """
        directory = self.path.parent
        try:
            fd, temp = new_temp(self.path)
        except PermissionError:
            raise TargetUnusable(
                f"无法在目录 {directory} 中创建临时文件（没有写权限），未写入",
                hint="kpzf record 先写临时文件再整体替换，需要对计划文件所在的目录有写权限",
            ) from None
        except OSError as exc:
            raise TargetUnusable(
                f"无法创建临时文件：{describe(exc)}；原文件未改动"
            ) from None
        pending: str | None = temp  # removed on the way out unless it became the file
        try:
            try:
                faithful = fill_temp(
                    fd, data, lambda out: _same_attributes(out, self.fd, expected)
                )
            except OSError as exc:
                raise KpzfError(
                    f"写入临时文件失败：{describe(exc)}；原文件未改动",
                    hint="请检查磁盘空间和权限后重试",
                ) from None
            self._check_unchanged(expected)
            if faithful and expected.nlink == 1:
                with _signals_held():
                    try:
                        os.replace(temp, self.path)
                        pending = None
                        committed()
                    except OSError as exc:
                        if exc.errno not in (errno.EBUSY, errno.EXDEV):
                            raise _replace_refused(self.shown, directory, exc) from None
                if pending is None:
                    return fsync_directory(directory)
            copy = temp[: -len(TEMP_SUFFIX)] + COPY_SUFFIX
            os.rename(temp, copy)
            pending = copy
            fsync_directory(directory)  # the copy must survive before the file is touched
            try:
                pending = self._rewrite(data, expected, copy)
            except _Kept:
                pending = None  # the only complete copy of the new content: never delete it
                raise
            return None
        finally:
            if pending is not None:
                with contextlib.suppress(OSError):
                    os.unlink(pending)

    def _check_unchanged(self, expected: Snapshot) -> None:
        """The last moment to notice an editor's save: compare identity and bytes."""
        try:
            current = os.stat(self.path)
            on_disk = self.path.read_bytes()
        except OSError:
            raise _changed(self.shown) from None
        if not expected.same_file(current) or on_disk != expected.data:
            raise _changed(self.shown)

    def _rewrite(self, data: bytes, expected: Snapshot, copy: str) -> str | None:
        """Write `data` over the locked file's own bytes (same inode: links, owner, ACLs kept).

        Returns the copy to delete once verified. If writing fails, the old content is put
        back; if even that fails, the copy stays for the person (and the next run) to find.
        """
        with _signals_held():
            try:
                _overwrite(self.fd, data)
                committed()
                return copy
            except OSError as exc:
                cause = describe(exc)
            try:
                _overwrite(self.fd, expected.data)  # put the old content back
            except OSError:
                raise _Kept(
                    f"改写 {self.shown} 时出错（{cause}），文件可能不完整",
                    hint=f"完整的新内容（原文件加这条记录）保存在 {copy}；请核对后用它替换 {self.shown}",
                ) from None
        raise KpzfError(
            f"改写 {self.shown} 时出错（{cause}），已恢复原内容，本次未写入",
            hint="请检查磁盘空间后重试",
        )


class _Kept(KpzfError):
    """A failure after which the in-place copy must not be deleted."""


def _overwrite(fd: int, data: bytes) -> None:
    """`data` as the whole content of the open file `fd`, synced and read back to verify."""
    view = memoryview(data)
    offset = 0
    while offset < len(data):
        offset += os.pwrite(fd, view[offset:], offset)
    os.ftruncate(fd, len(data))
    os.fsync(fd)
    if os.pread(fd, len(data) + 1, 0) != data:
        raise OSError(errno.EIO, "读回的内容与写入的不一致")


def _same_attributes(new: int, old: int, expected: Snapshot) -> bool:
    """Give the new file the old one's owner, mode, extended attributes and ACLs.

    False when any of them cannot be given (not root, a security label, no xattr support
    on one side only): the file is then rewritten in place instead of replaced.
    """
    try:
        st = os.fstat(new)
        if (st.st_uid, st.st_gid) != (expected.uid, expected.gid):
            os.fchown(new, expected.uid, expected.gid)  # before chmod: chown clears set-id bits
        os.fchmod(new, stat.S_IMODE(expected.mode))
        wanted = {name: os.getxattr(old, name) for name in _xattrs(old)}
        for name in _xattrs(new) - set(wanted):  # e.g. a default ACL inherited from the directory
            os.removexattr(new, name)
        for name, value in wanted.items():
            if name not in _xattrs(new) or os.getxattr(new, name) != value:
                os.setxattr(new, name, value)
        st = os.fstat(new)
    except OSError:
        return False
    return (st.st_mode, st.st_uid, st.st_gid) == (expected.mode, expected.uid, expected.gid)


def _xattrs(fd: int) -> set[str]:
    if not hasattr(os, "listxattr"):  # pragma: no cover - macOS has no os.listxattr
        return set()
    try:
        return set(os.listxattr(fd))
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, getattr(errno, "EOPNOTSUPP", errno.ENOTSUP)):
            return set()
        raise


def _replace_refused(shown: str, directory: Path, exc: OSError) -> KpzfError:
    hint = ""
    if exc.errno in (errno.EPERM, errno.EACCES):
        hint = (
            f"目录 {directory} 可能设置了粘滞位（如 /tmp）而文件属于其他用户，或文件被设为不可修改；"
            "请由文件的属主记录，或把计划文件放到自己的目录中"
        )
    return TargetUnusable(
        f"无法替换 {shown}（{describe(exc)}），本次未写入", hint=hint
    )


def describe(exc: OSError) -> str:
    """An OS error in Chinese where it is a common one, else the system's own words."""
    return _ERRNO_WORDS.get(exc.errno or 0, exc.strerror or str(exc))


_ERRNO_WORDS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "文件系统是只读的",
    errno.EACCES: "没有权限",
    errno.EPERM: "操作不被允许",
    errno.EBUSY: "文件正被占用（如以单个文件挂载）",
    errno.EIO: "读写错误",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EBADF: "已关闭",
    errno.ENXIO: "没有程序在读取",
}


def fsync_directory(directory: Path) -> str | None:
    """Make a rename durable: it lives in the directory, not in the file.

    A failure is a warning (returned), never "not written": the entry is in the file.
    """
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        return f"无法确认已保存到磁盘（打开目录失败：{describe(exc)}）"
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):  # filesystems that cannot sync dirs
            return f"无法确认已保存到磁盘（同步目录失败：{describe(exc)}）；请检查磁盘是否正常"
    finally:
        os.close(fd)
    return None


def _remove_stale_temps(path: Path, shown: str) -> None:
    """Temporary files left by writers killed mid-write; safe to delete while we hold the lock.

    A copy left by an interrupted in-place rewrite is deleted only if the file now holds
    exactly that content; otherwise the file may be incomplete, and the person decides.
    """
    prefix = temp_prefix(path.name, name_max=_name_max(path.parent))
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        if not name.startswith(prefix):
            continue
        leftover = path.parent / name
        if name.endswith(TEMP_SUFFIX):
            with contextlib.suppress(OSError):
                os.unlink(leftover)
        elif name.endswith(COPY_SUFFIX):
            try:
                finished = leftover.read_bytes() == path.read_bytes()
            except OSError:
                finished = False
            if not finished:
                raise KpzfError(
                    f"上一次 kpzf record 改写 {shown} 时被中断，{shown} 可能不完整；为免丢失数据，本次未写入",
                    hint=f"完整的新内容保存在 {leftover}；请核对后用它替换 {shown}，或确认 {shown} 无误后删除它",
                )
            with contextlib.suppress(OSError):
                os.unlink(leftover)


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
                    raise KpzfError(
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
        _remove_stale_temps(path, shown)
        yield LockedFile(path, shown, fd)
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None
