"""The validated-plan cache on disk: entries of plain values, found by what shapes the answer.

An entry is found by its key: the plan file's bytes (BLAKE2b-256), kpzf's version, the digest of
kpzf's own installed sources (`sources_digest`), the versions of the packages that read and
validate a plan, and the Python that wrote it. Change any of these and the key is different:
the entry is never found again (and is pruned in time). What an entry holds is decided by
model/snapshot.py; this module only stores and finds plain values:

- stored with `marshal` of plain values only (None, bool, int, str, tuple, list, dict,
  frozenset) — never pickle, which runs code while loading; a file is `MAGIC`, then the
  BLAKE2b-256 digest of the key and the payload, then the payload. A file whose digest does not match
  (truncated, corrupt, edited, copied in from another key or another kpzf) is ignored and
  removed, never read. The digest is for integrity, not a signature: someone who can write
  the user's 0700 directory can already run code as that user;
- in `$XDG_CACHE_HOME/kpzf` (default `~/.cache/kpzf`), a directory of mode 0700 owned by the
  user; a directory that is someone else's, or a symlink, is not used;
- written atomically (a temporary file beside it, named by io/write's `new_temp`, then
  renamed), so a reader sees a whole entry or none. Not fsynced: after a crash an entry may be
  empty or torn, which its digest shows (it is then ignored), so syncing would buy nothing and
  costs a disk flush (100–200 ms on a busy disk) on the first run after every edit;
- pruned after each write: the newest `KEEP_PER_PLAN` entries per plan path, and all of them
  within `MAX_TOTAL_BYTES`;
- off with `KPZF_NO_CACHE=1` (or `--no-cache`, which calls `disable`).

Every failure to use the cache (no home, read-only disk, a full one) only means a miss: the
plan is read from the file as if there were no cache.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:  # hashlib's own BLAKE2 (hashlib.blake2b is this type), without hashlib loading OpenSSL's
    # libcrypto for its other algorithms: ~3 ms of every run, with or without a cache hit
    from _blake2 import blake2b as _blake2b
except ImportError:  # an interpreter built without it: the same function through hashlib
    from hashlib import blake2b as _blake2b

if TYPE_CHECKING:
    from hashlib import blake2b as Blake2b

NO_CACHE_ENV = "KPZF_NO_CACHE"
MAGIC = b"KPZFC\x00\x02\n"  # the file format; a change of layout changes it (2: BLAKE2b)
FORMAT = 2  # of the payload (model/snapshot.py) and of the key (2: BLAKE2b, was SHA-256)
SUFFIX = ".plan"
KEEP_PER_PLAN = 4
KEEP_SOURCES = 8  # memos of kpzf's source digest (one per install or edit of kpzf)
MAX_TOTAL_BYTES = 512 * 1024 * 1024
_DIGEST = 32
_STALE_TEMP_NS = 3600 * 10**9

_disabled = False


def digest(data: bytes) -> Blake2b:
    """A BLAKE2b-256 hash object over `data` (`.digest()`, `.hexdigest()`, `.update()`)."""
    return _blake2b(data, digest_size=_DIGEST)


def disable(off: bool = True) -> None:
    """No cache for this run (`kpzf --no-cache …`); cli.main starts each run with `disable(False)`."""
    global _disabled
    _disabled = off


def enabled() -> bool:
    return not _disabled and os.environ.get(NO_CACHE_ENV, "") in ("", "0")


def directory() -> Path | None:
    """$XDG_CACHE_HOME/kpzf or ~/.cache/kpzf, created 0700; None when it cannot be used."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative value is ignored
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    path = Path(base) / "kpzf"
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.lstat(path)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
            return None
        if stat.S_IMODE(st.st_mode) != 0o700:
            os.chmod(path, 0o700)
    except OSError:
        return None
    return path


# --------------------------------------------------------------------------- the key


def _tree_state(root: str) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime) of every .py file under `root` (no __pycache__)."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        # relpath once per folder, not per file (it was a millisecond of every start-up)
        base = os.path.relpath(folder, root)
        for name in sorted(files):
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                found.append((name if base == "." else os.path.join(base, name), st.st_size, st.st_mtime_ns))
    return found


def sources_digest(root: str, memo: Path | None) -> str:
    """A digest of the contents of kpzf's .py files, computed once per set of their stats.

    The stats (path, size, mtime) of every file are cheap to list; the contents are read only
    when that list is new, and the result remembered in `memo` under the list's digest. Any
    edit changes a file's mtime and so the list: the contents are hashed afresh.
    """
    state = _tree_state(root)
    state_key = digest(repr(state).encode()).hexdigest()[:40]
    memo_file = memo / f"sources-{state_key}" if memo is not None else None
    if memo_file is not None:
        with contextlib.suppress(OSError, ValueError):
            text = memo_file.read_text("ascii")
            if len(text) == 64 and all(c in "0123456789abcdef" for c in text):
                return text
    hashed = digest(b"")
    for relative, _, _ in state:
        with open(os.path.join(root, relative), "rb") as handle:
            content = handle.read()
        hashed.update(f"{relative}\0{len(content)}\0".encode())
        hashed.update(content)
    result = hashed.hexdigest()
    if memo_file is not None:
        with contextlib.suppress(OSError):
            _write_atomically(memo_file, result.encode("ascii"))
    return result


def _package_state(names: tuple[str, ...]) -> list[tuple[str, str, int, int]]:
    """Where each package that shapes a plan's reading is installed, and its file's stat: an
    upgrade of PyYAML or pydantic changes them (their versions would need importing them)."""
    from importlib.machinery import PathFinder

    found = []
    for name in names:
        spec = PathFinder.find_spec(name)
        origin = spec.origin if spec is not None and spec.origin else ""
        try:
            st = os.stat(origin)
            found.append((name, origin, st.st_size, st.st_mtime_ns))
        except OSError:
            found.append((name, origin, 0, 0))
    return found


def make_key(content: bytes, version: str, sources: str, packages: tuple[str, ...]) -> bytes:
    """The key of an entry: everything that decides what reading `content` gives."""
    parts = (
        digest(content).hexdigest(),
        version,
        sources,
        repr(_package_state(packages)),
        f"{sys.implementation.cache_tag} marshal {marshal.version} format {FORMAT}",
    )
    return digest("\n".join(parts).encode()).digest()


# --------------------------------------------------------------------------- entries


def _entry_path(folder: Path, plan_path: str, key: bytes) -> Path:
    where = digest(os.fsencode(plan_path)).hexdigest()[:16]
    return folder / f"{where}-{key.hex()[:40]}{SUFFIX}"


def load(folder: Path, plan_path: str, key: bytes) -> Any:
    """The value stored under `key` for `plan_path`, or None (absent, unreadable or not intact)."""
    path = _entry_path(folder, plan_path, key)
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
    except OSError:
        return None
    head = len(MAGIC) + _DIGEST
    payload = blob[head:]
    intact = (
        blob.startswith(MAGIC)
        and len(blob) > head
        and digest(key + payload).digest() == blob[len(MAGIC) : head]
    )
    if not intact:
        _remove(path)
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        _remove(path)
        return None


def store(folder: Path, plan_path: str, key: bytes, value: Any) -> bool:
    """Store `value` (plain values only) under `key`, then prune; False if it could not be."""
    try:
        payload = marshal.dumps(value)
    except ValueError:  # something that is not a plain value: never stored
        return False
    if len(payload) > MAX_TOTAL_BYTES:
        return False
    blob = MAGIC + digest(key + payload).digest() + payload
    path = _entry_path(folder, plan_path, key)
    try:
        _write_atomically(path, blob)
    except OSError:
        return False
    prune(folder, path.name.split("-")[0])
    return True


def prune(folder: Path, plan_prefix: str | None = None) -> None:
    """Keep the newest KEEP_PER_PLAN entries of the plan at `plan_prefix`, and every entry
    within MAX_TOTAL_BYTES (oldest removed first); the newest KEEP_SOURCES source-digest memos.
    Stray temporary files go too."""
    entries: list[tuple[int, int, Path]] = []
    memos: list[tuple[int, Path]] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return
    from .write import TEMP_SUFFIX

    now = time.time_ns()
    for name in names:
        path = folder / name
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if name.endswith(SUFFIX) and stat.S_ISREG(st.st_mode):
            entries.append((st.st_mtime_ns, st.st_size, path))
        elif name.startswith("sources-") and stat.S_ISREG(st.st_mode):
            memos.append((st.st_mtime_ns, path))
        elif name.endswith(TEMP_SUFFIX) and now - st.st_mtime_ns > _STALE_TEMP_NS:
            _remove(path)  # a writer killed before its rename
    for _, path in sorted(memos, reverse=True)[KEEP_SOURCES:]:
        _remove(path)
    entries.sort(reverse=True)  # newest first
    if plan_prefix is not None:
        mine = [e for e in entries if e[2].name.startswith(plan_prefix + "-")]
        for _, _, path in mine[KEEP_PER_PLAN:]:
            _remove(path)
        gone = {e[2] for e in mine[KEEP_PER_PLAN:]}
        entries = [e for e in entries if e[2] not in gone]
    total = 0
    for _, size, path in entries:
        total += size
        if total > MAX_TOTAL_BYTES:
            _remove(path)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _write_atomically(path: Path, data: bytes) -> None:
    """A temporary file beside `path` (io/write's `new_temp`: mode 0600, the name `prune` and
    `kpzf record` recognise as a leftover), filled, renamed over it; not fsynced (see above)."""
    from .write import new_temp

    fd, temp = new_temp(path)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        _remove(Path(temp))
        raise
