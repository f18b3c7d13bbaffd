"""Every user-facing failure kpzf raises, each class with its exit code, and the problems they carry.

The exit code belongs to the class, never to the place that raises it: `cli.main` turns any of
these into a Chinese message on stderr and `exit_code`. README.md ("退出码") documents the codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .records import record

# Exit codes, documented in README.md ("退出码").
EXIT_OK = 0
EXIT_INVALID = 1  # the plan was read but is not valid, or a query found what it reports as failure
EXIT_UNUSABLE = 2  # the input cannot be used at all: missing file, not UTF-8, not YAML, bad argument
EXIT_UNEXPECTED = 3  # a bug in kpzf
EXIT_INTERRUPTED = 130  # Ctrl-C


ERROR, WARNING = "error", "warning"  # Problem.severity


@record
class Problem:
    """One thing wrong with a plan file, at a place a person (or an editor) can jump to."""

    file: str
    line: int | None  # 1-based
    column: int | None  # 1-based
    message: str  # Chinese: what is wrong
    hint: str = ""  # Chinese: what to do about it
    code: str = "invalid"  # stable machine-readable class, e.g. "duplicate-key", "unknown-unit"
    # A problem standing for this many more of its kind, left unplaced to bound the work
    # ("…及其他 M 个问题"); counts stay exact through `count_problems`.
    more: int = 0
    # ERROR makes the file invalid; WARNING is shown by `validate` and is an error only with
    # --strict (a plan that means something the author may not have meant).
    severity: str = "error"

    @property
    def where(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line or 0, self.column or 0, self.message)


def count_problems(problems: Sequence[Problem]) -> int:
    """How many problems `problems` report, counting those a summary problem stands for."""
    return sum(1 + p.more for p in problems)


class KpzfError(Exception):
    """A user-facing failure: a Chinese message, a hint, and the exit code of its class."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


# --------------------------------------------------------------------------- exit 2: unusable


class UsageError(KpzfError):
    """A bad command-line argument (malformed date, unknown choice, too many files …)."""

    exit_code = EXIT_UNUSABLE


class NotInPlan(UsageError):
    """A unit, measure or area the person named that the plan does not have (or not uniquely)."""


class InvalidQuery(UsageError):
    """A question that cannot be asked as put (a negative window, an unknown way to group)."""


class TargetUnusable(KpzfError):
    """A file kpzf was asked to write cannot be written at all (read-only, no such directory,
    the shipped copy, a platform without locks); nothing was written."""

    exit_code = EXIT_UNUSABLE


# --------------------------------------------------------------------------- exit 1: refused


class OutputError(KpzfError):
    """An export could not be written (disk full, output closed, encoding): exit 2."""

    exit_code = EXIT_UNUSABLE


class WriteFailed(KpzfError):
    """Writing started but did not complete (disk full, I/O error); the old file is intact."""


class FileChanged(KpzfError):
    """The file changed on disk after kpzf read it; nothing was written."""


class LockTimeout(KpzfError):
    """The file's lock could not be had (another writer held it too long, or the filesystem
    has no locks); nothing was written."""


class EntryRefused(KpzfError):
    """A well-formed progress entry that the plan does not allow; the file is left as it was."""


class LayoutError(KpzfError):
    """The progress section is written in a way kpzf cannot append to safely."""


class NothingToExport(KpzfError):
    """The export asked for would be empty where its format forbids that (a calendar)."""


# --------------------------------------------------------------------------- plans with problems


class PlanError(KpzfError):
    """A plan file that is not valid (exit 1); carries every problem found, each with its place.

    `partial` is the plan without the parts that failed the schema (invalid progress entries),
    when the rest is sound: `kpzf validate` runs the semantic checks on it, so one bad entry
    does not hide the problems of the rest of the file.
    """

    def __init__(self, problems: list[Problem], *, partial: Any = None) -> None:
        self.partial = partial
        problems = sorted(problems, key=Problem.sort_key)
        first = problems[0] if problems else None
        super().__init__(f"{first.where}: {first.message}" if first else "计划文件无效")
        self.problems = problems


class UnusableInput(PlanError):
    """The file is missing, unreadable, not UTF-8 or not YAML at all (exit 2)."""

    exit_code = EXIT_UNUSABLE


class IncomparablePlan(PlanError):
    """`kpzf diff` met an invalid plan: exit 2, because for diff 1 means "something changed"."""

    exit_code = EXIT_UNUSABLE
