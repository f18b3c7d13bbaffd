"""The two plans `kpzf diff` compares: two files, or one file at git revisions (both must be valid)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from ..checks import completed, run_checks
from ..errors import IncomparablePlan, PlanError, UsageError
from ..io.gitrev import parse_range, show
from ..io.locate import PlanSource
from ..io.read import document_from_bytes
from ..model.plan import LoadedPlan, build_plan, load_plan


def plans_to_compare(
    files: list[Path], git: str | None, located: Callable[[], PlanSource], today: dt.date
) -> tuple[LoadedPlan, LoadedPlan]:
    """(old, new) from `diff OLD NEW` or `diff --git REV[..REV] [FILE]`; `located` is the plan
    the other commands would use, asked for only when --git names no file."""
    if git is None:
        if len(files) != 2:
            raise UsageError(
                f"需要两个计划文件（旧、新），这里给了 {len(files)} 个",
                hint="例如 kpzf diff 旧/plan.yaml plan.yaml；或用 --git 与仓库历史比较",
            )
        return _valid(lambda: load_plan(files[0]), today), _valid(lambda: load_plan(files[1]), today)
    if len(files) > 1:
        raise UsageError("用 --git 时最多指定一个计划文件", hint="例如 kpzf diff --git HEAD~1 plan.yaml")
    if files:
        path, shown = files[0], str(files[0])
    else:
        source = located()
        if source.embedded:
            raise UsageError(
                "--git 需要仓库中的计划文件，当前目录没有 plan.yaml",
                hint="请在计划仓库中运行，或指定文件：kpzf diff --git HEAD~1 路径/plan.yaml",
            )
        path, shown = source.path, source.shown
    revisions = parse_range(git, path.resolve().parent)

    def at(rev: str | None) -> LoadedPlan:
        if rev is None:
            return _valid(lambda: load_plan(path, shown), today)
        raw, name = show(rev, path)
        return _valid(lambda: build_plan(document_from_bytes(raw, name), release=True), today)

    return at(revisions.old), at(revisions.new)


def _valid(load: Callable[[], LoadedPlan], today: dt.date) -> LoadedPlan:
    """Only valid plans are compared (an unresolved name would read as a dropped unit).

    An invalid plan is reported with its problems and exit code 2, not 1: for diff, 1 means
    "something changed", which CI may treat as success.
    """
    try:
        plan = load()
    except PlanError as exc:
        raise IncomparablePlan(completed(exc, today).problems) from None
    problems = run_checks(plan, today)
    if problems:
        raise IncomparablePlan(problems)
    return plan
