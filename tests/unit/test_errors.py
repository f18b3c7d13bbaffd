"""Each error class carries its exit code (README, 退出码); no call site chooses one."""

from __future__ import annotations

import pytest

from kpzf import errors


@pytest.mark.parametrize(
    ("cls", "code"),
    [
        (errors.KpzfError, 1),
        (errors.UsageError, 2),
        (errors.NotInPlan, 2),
        (errors.InvalidQuery, 2),
        (errors.TargetUnusable, 2),
        (errors.WriteFailed, 1),
        (errors.FileChanged, 1),
        (errors.LockTimeout, 1),
        (errors.EntryRefused, 1),
        (errors.LayoutError, 1),
        (errors.NothingToExport, 1),
    ],
)
def test_message_errors_carry_their_exit_code(cls: type[errors.KpzfError], code: int) -> None:
    error = cls("消息", hint="提示")
    assert (error.exit_code, error.message, error.hint) == (code, "消息", "提示")


def test_plan_errors_sort_their_problems_and_name_the_first() -> None:
    late = errors.Problem("plan.yaml", 9, 1, "后")
    early = errors.Problem("plan.yaml", 2, 5, "前")
    for cls, code in ((errors.PlanError, 1), (errors.UnusableInput, 2), (errors.IncomparablePlan, 2)):
        error = cls([late, early])
        assert error.exit_code == code
        assert error.problems == [early, late]
        assert error.message == "plan.yaml:2:5: 前"
