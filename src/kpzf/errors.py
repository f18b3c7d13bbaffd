"""Problems found in a plan file and the exceptions that carry them to the command layer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Exit codes, documented in README.md ("退出码").
EXIT_OK = 0
EXIT_INVALID = 1  # the plan was read but is not valid, or a query found what it reports as failure
EXIT_UNUSABLE = 2  # the input cannot be used at all: missing file, not UTF-8, not YAML, bad argument
EXIT_UNEXPECTED = 3  # a bug in kpzf
EXIT_INTERRUPTED = 130  # Ctrl-C


@dataclass(frozen=True)
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
    """A user-facing failure: a Chinese message and the exit code it ends the program with."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, *, hint: str = "", exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(KpzfError):
    """A bad command-line argument (unknown unit, malformed date, …)."""

    exit_code = EXIT_UNUSABLE


class PlanError(KpzfError):
    """A plan file that cannot be used; carries every problem found, each with its place.

    `partial` is the plan without the parts that failed the schema (invalid progress entries),
    when the rest is sound: `kpzf validate` runs the semantic checks on it, so one bad entry
    does not hide the problems of the rest of the file.
    """

    def __init__(
        self, problems: list[Problem], *, exit_code: int = EXIT_INVALID, partial: Any = None
    ) -> None:
        self.partial = partial
        problems = sorted(problems, key=Problem.sort_key)
        first = problems[0] if problems else None
        message = f"{first.where}: {first.message}" if first else "计划文件无效"
        super().__init__(message, exit_code=exit_code)
        self.problems = problems


class UnusableInput(PlanError):
    """The file is missing, unreadable, not UTF-8 or not YAML at all (exit 2)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, exit_code=EXIT_UNUSABLE)
