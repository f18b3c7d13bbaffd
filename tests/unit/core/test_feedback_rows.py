"""Who gets a row in the 进度反馈表: the units that owe a milestone (Milestone.owed_by), worked
out by hand from the small plans below (roles as README's 牵头、配合与责任单位 table reads them)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from unit.model.test_roles import _measure, _plan

from kpzf.core.feedback import feedback_rows, feedback_units, parse_key, row_key
from kpzf.model.plan import load_plan

ON = dt.date(2024, 7, 1)
MEASURES = (
    # 县司法局 leads, 县公安局 assists: only 县司法局 owes the 2024-03-31 milestone
    _measure(1, "县司法局牵头，县公安局配合", "县司法局, 县公安局", "2024年3月底前")
    # both responsible, no date: one 长期推进 row each
    + _measure(2, "县司法局、县公安局按职责分工分别负责", "县司法局, 县公安局", "长期推进")
)


def rows(tmp_path: Path, unit: str, extra: str = "") -> list[tuple[str, str | None, str]]:
    plan = load_plan(_plan(tmp_path, MEASURES, extra))
    return [(r.measure_id, r.milestone, r.current) for r in feedback_rows(plan, ON, unit)]


def test_assisting_units_owe_nothing_unless_the_plan_says_so(tmp_path: Path) -> None:
    # 2024-03-31 on 2024-07-01: 30 (April) + 31 + 30 + 1 = 92 days overdue, red.
    assert rows(tmp_path, "县司法局") == [("1", "2024-03-31", "红灯：逾期 92 天\n未开始"), ("2", None, "未开始")]
    assert rows(tmp_path, "县公安局") == [("2", None, "未开始")]
    assert rows(tmp_path, "县公安局", "assist_owes: true\n") == [
        ("1", "2024-03-31", "红灯：逾期 92 天\n未开始"),
        ("2", None, "未开始"),
    ]


def test_units_for_all(tmp_path: Path) -> None:
    plan = load_plan(_plan(tmp_path, MEASURES))
    assert feedback_units(plan) == ["县司法局", "县公安局"]


def test_keys_read_back_and_units_may_hold_the_separator() -> None:
    key = parse_key(row_key("1.2.3", None, "甲|乙", "rev", "dig"))
    assert key is not None
    assert (key.measure, key.milestone, key.unit, key.revision, key.digest) == (
        "1.2.3", None, "甲|乙", "rev", "dig",
    )  # fmt: skip
    for bad in ("", "kpzf1|1|2024-03-31", "kpzf2|1|-|甲|r|d", "kpzf1||-|甲|r|d"):
        assert parse_key(bad) is None, bad
