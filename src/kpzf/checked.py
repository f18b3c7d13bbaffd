"""One plan file loaded and checked — from the validated-plan cache when it holds this file.

The cache (io/cache.py stores, model/snapshot.py encodes) can never answer from stale data:
an entry is found only by the SHA-256 of the file's bytes as they are now, kpzf's version and
sources and the packages that read a plan; only plans that passed every check are stored, with
their warnings. The checks that depend on the day — a progress entry or a 催办 notice dated
after today — are answered by the latest date of the two logs, kept in the entry: if it is
after today, the file is read and checked as if there were no cache, so the problems are
exactly those of an uncached run. Every other check depends on the file alone (a new check
that reads `today` must be added here and to model/snapshot.encode_plan's `latest`).
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

from .errors import EXIT_INVALID, EXIT_OK, PlanError, Problem
from .io import cache
from .model.plan import LoadedPlan
from .records import record

# The packages whose code decides what reading a plan gives (besides kpzf's own sources).
SHAPING_PACKAGES = ("yaml", "pydantic", "pydantic_core")


@record
class Checked:
    """A file's plan and problems: `plan` is None when it could not be loaded (`error` says why)."""

    plan: LoadedPlan | None
    errors: list[Problem]  # file order; with the plan's load error, every problem of the file
    warnings: list[Problem]  # file order; [] when the plan could not be loaded
    exit_code: int
    error: PlanError | None = None  # the load's own error (class and so exit code kept)


@record
class Verdict:
    """What validating one file found: its problems, the exit code they mean, the plan if valid."""

    shown: str
    problems: list[Problem]
    exit_code: int
    plan: LoadedPlan | None  # None unless the file is a valid plan


def validate_file(path: Path, shown: str, today: dt.date, strict: bool = False) -> Verdict:
    """Load and check one file; unusable (2) or invalid (1) files are verdicts, not exceptions.

    Warnings are reported with the errors; a file with warnings only is valid (0) unless
    `strict`, which makes them count as errors (1).
    """
    checked = check_file(path, shown, today, warnings=True)
    if checked.plan is None:
        return Verdict(shown, checked.errors, checked.exit_code, None)
    problems = sorted([*checked.errors, *checked.warnings], key=Problem.sort_key)
    if checked.errors or (strict and problems):
        return Verdict(shown, problems, EXIT_INVALID, None)
    return Verdict(shown, problems, EXIT_OK, checked.plan)


def check_file(path: Path, shown: str, today: dt.date, *, warnings: bool = False) -> Checked:
    """The plan in `path` loaded and checked as of `today`; its warnings too if `warnings`
    (always when it is stored in the cache, which keeps them for `kpzf validate`)."""
    folder = cache.directory() if cache.enabled() and _regular(path) else None
    raw = key = None
    if folder is not None:
        from .io.files import read_bytes

        try:
            raw = read_bytes(path, shown)
        except PlanError as exc:
            return Checked(None, exc.problems, [], exc.exit_code, exc)
        key = cache_key(raw)
        hit = _hit(folder, path, key, raw, shown, today)
        if hit is not None:
            return hit
    return _check(path, shown, today, raw, warnings, folder, key)


def _hit(
    folder: Path, path: Path, key: bytes, raw: bytes, shown: str, today: dt.date
) -> Checked | None:
    stored = cache.load(folder, _plan_path(path), key)
    if stored is None:
        return None
    from .model.snapshot import Unreadable, decode_plan

    try:
        plan, warnings, latest = decode_plan(stored, raw, shown)
    except Unreadable:
        return None
    if latest is not None and latest > today:
        return None  # progress or a notice dated after today: the checks say so, from the file
    return Checked(plan, [], warnings, EXIT_OK)


def _check(
    path: Path,
    shown: str,
    today: dt.date,
    raw: bytes | None,
    want_warnings: bool,
    folder: Path | None,
    key: bytes | None,
) -> Checked:
    """Read and check the file itself (and store the plan if it is valid and a cache is in use)."""
    from .checks import completed, run_checks, run_warnings
    from .io.files import gc_paused
    from .io.read import document_from_bytes
    from .model.plan import build_plan, load_plan

    try:
        if raw is None:
            plan = load_plan(path, shown)
        else:  # the bytes already read for the key: the file is not read twice
            with gc_paused():
                plan = build_plan(document_from_bytes(raw, shown), release=True)
    except PlanError as exc:
        exc = completed(exc, today)  # bad progress entries: the rest is checked all the same
        return Checked(None, exc.problems, [], exc.exit_code, exc)
    errors = run_checks(plan, today)
    store = not errors and folder is not None and key is not None
    warnings = run_warnings(plan, today) if want_warnings or store else []
    if store:
        assert folder is not None and key is not None
        _store(folder, path, key, plan, warnings)
    return Checked(plan, errors, warnings, EXIT_INVALID if errors else EXIT_OK)


def _store(folder: Path, path: Path, key: bytes, plan: LoadedPlan, warnings: list[Problem]) -> None:
    from .model.snapshot import Unencodable, encode_plan

    try:
        value = encode_plan(plan, warnings)
    except (Unencodable, RecursionError):
        return  # a plan the snapshot cannot hold is read from its file each time
    cache.store(folder, _plan_path(path), key, value)


# --------------------------------------------------------------------------- the key

_sources: str | None = None


def cache_key(content: bytes) -> bytes:
    """The cache key of a plan file's bytes under this kpzf (see io/cache.make_key)."""
    global _sources
    from . import __version__

    if _sources is None:
        _sources = cache.sources_digest(os.path.dirname(__file__), cache.directory())
    return cache.make_key(content, __version__, _sources, SHAPING_PACKAGES)


def _plan_path(path: Path) -> str:
    return os.path.abspath(path)


def _regular(path: Path) -> bool:
    """Only a regular file is cached: a pipe or /dev/stdin is read once, as it comes."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode) and not str(path).startswith(("/dev/", "/proc/"))
    except OSError:
        return False
