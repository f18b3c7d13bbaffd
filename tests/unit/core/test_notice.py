"""The 督办通知's content (core.notice): which items are red and yellow for a unit, worked by hand.

赤坎镇 on the shipped plan, as of 2024-07-01, counted from plan.yaml (and docs/source, whose
台账 the file follows) without running kpzf:

赤坎镇 is named by no measure directly; it owes a measure through 各镇（街） (its group; the
registry lists it as a member) and, for measure 39 only, through 其他行政执法单位. Every unit of
Kaiping's plan is a 责任单位 (no 牵头/配合 written), so 赤坎镇 owes every milestone of those
measures that applies to it. Overdue on 2024-07-01 means due on or before 2024-06-30.

Measures naming 各镇（街） (unit_refs), their 完成时限, and what falls due by 2024-06-30:
   1  2  4  7 13 36 37 46 55 60   2024年12月底前 …                       — none
   3   2024年6月底前建立培训制度                                           — 06-30
   5   2024年6月底前形成阶段性成果，2025年3月底前全覆盖                    — 06-30 (2025 not yet)
   6   2024年6月底前完成首轮全员轮训                                       — 06-30
   8   2024年6月底前建立培训计划; text_deadlines 每年11月底前… units: [市司法局]
                                                  — 06-30 only (the 11-30 report is 市司法局's)
   9   2024年6月底前形成阶段性成果                                         — 06-30
  11 12  2024年6月底前形成阶段性成果                                       — 06-30 each
  14 15 16 23 32 33 38 40 41 43 45 51 53 56 59 61 62 63 64   2025年…       — none
  17   2024年2月6日前完成备案                                              — 02-06
  18   每年5月底、11月底前 (from the effective start 2024-02-09)           — 2024-05-31
  21 24 25 26 42 50   长期推进                                             — none
  28 29  2024年4月底前形成阶段性成果                                       — 04-30 each
  30   2024年4月底前完成权责清单事项认领及公布，2024年5月15日前报送市司法局 — 04-30 and 05-15
  34   2024年11月底前                                                      — none
  39   06-30 only for 市公安局、市交通运输局; 其他行政执法单位 (赤坎镇) 2024-12-31 — none
  54   2024年6月底前实现行政处罚案件线上办理率达到100%                     — 06-30
Measures without 各镇（街） (10, 19, 20, 22, 27, 31, 35, 44, 47–49, 52, 57, 58, 65, 66) do not
bind 赤坎镇.

So 13 measures (3 5 6 8 9 11 12 17 18 28 29 30 54) and 14 milestones (30 has two): the
issue's 13/14. Days overdue on 2024-07-01 (2024 is a leap year): 02-06 → 23 (rest of Feb) +
31 + 30 + 31 + 30 + 1 = 146; 04-30 → 31 + 30 + 1 = 62; 05-15 → 16 + 30 + 1 = 47; 05-31 → 30 +
1 = 31; 06-30 → 1.

Yellow on 2024-07-01 (warn_days 15: due 07-01 … 07-16): 赤坎镇's next dates are 2024-11-30
(18) and 2024-12-31 — none. On 2024-06-20 the window is 06-20 … 07-05: the eight 06-30 items
turn yellow (10 days left) and red keeps 17, 28, 29, 30 ×2, 18 (5 measures, 6 milestones).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import PLAN
from handworked import with_progress
from unit.model.test_roles import _measure, _plan

from kpzf.core.notice import FROM_ISSUER, FROM_SUPERVISION, notice, notices
from kpzf.errors import NotInPlan, UsageError
from kpzf.model.plan import LoadedPlan, load_plan

JULY_1 = dt.date(2024, 7, 1)

# (measure, due, days overdue) for 赤坎镇 on 2024-07-01, most overdue first, then by measure.
CHIKAN_RED = [
    ("17", "2024-02-06", 146),
    ("28", "2024-04-30", 62),
    ("29", "2024-04-30", 62),
    ("30", "2024-04-30", 62),
    ("30", "2024-05-15", 47),
    ("18", "2024-05-31", 31),
    *((m, "2024-06-30", 1) for m in ("3", "5", "6", "8", "9", "11", "12", "54")),
]


@pytest.fixture(scope="module")
def shipped() -> LoadedPlan:
    return load_plan(PLAN)


def _rows(items: tuple) -> list[tuple[str, str, int]]:  # type: ignore[type-arg]
    return [(i.measure_id, i.due.isoformat(), i.days) for i in items]


def test_chikan_on_july_1_owes_13_measures_14_milestones(shipped: LoadedPlan) -> None:
    n = notice(shipped, "赤坎", JULY_1)
    assert n.unit == "赤坎镇"
    assert _rows(n.red) == CHIKAN_RED
    assert n.count("red") == (13, 14)
    assert n.yellow == ()
    assert n.measures == ("3", "5", "6", "8", "9", "11", "12", "17", "18", "28", "29", "30", "54")
    assert [i.what for i in n.red if i.measure == 30] == ["完成权责清单事项认领及公布", "报送市司法局"]
    assert n.red[5].recurrence == "每年"  # measure 18's May occurrence
    assert n.red[0].label == "（17）"
    assert n.reply_by == dt.date(2024, 7, 8)  # 2024-07-01 + reply_days 7 (the default)
    # plan.yaml's supervision.coordinator, from 三、组织实施（二）; no contact in the source
    assert (n.coordinator, n.coordinator_from, n.contact) == ("开平市司法局", FROM_SUPERVISION, None)
    assert (n.plan_title, n.doc_number) == ("开平市提升行政执法质量三年行动工作方案", "开府办〔2024〕6号")


def test_chikan_on_june_20_has_red_and_yellow(shipped: LoadedPlan) -> None:
    n = notice(shipped, "赤坎镇", dt.date(2024, 6, 20))
    # 02-06 → 06-20: 23 + 31 + 30 + 31 + 20 = 135; 04-30 → 31 + 20 = 51; 05-15 → 16 + 20 = 36;
    # 05-31 → 20.
    assert _rows(n.red) == [
        ("17", "2024-02-06", 135), ("28", "2024-04-30", 51), ("29", "2024-04-30", 51),
        ("30", "2024-04-30", 51), ("30", "2024-05-15", 36), ("18", "2024-05-31", 20),
    ]  # fmt: skip
    assert n.count("red") == (5, 6)
    assert _rows(n.yellow) == [
        (m, "2024-06-30", 10) for m in ("3", "5", "6", "8", "9", "11", "12", "54")
    ]
    assert {i.light for i in n.red} == {"red"} and {i.light for i in n.yellow} == {"yellow"}


def test_recorded_progress_takes_items_off_the_notice(tmp_path: Path) -> None:
    """handworked.PROGRESS: 赤坎镇 closed 18's May occurrence on 05-30 (off the notice); its 17
    filing was sent back on 03-01 (推进中: still red); 21 is 长期推进 (never red)."""
    plan = load_plan(with_progress(tmp_path / "plan.yaml"))
    n = notice(plan, "赤坎镇", JULY_1)
    assert _rows(n.red) == [r for r in CHIKAN_RED if r[0] != "18"]
    assert n.count("red") == (12, 13)


def test_the_date_decides_what_is_known(tmp_path: Path) -> None:
    """A completion recorded after the notice's date is not known on it (progress up to `on`)."""
    plan = load_plan(with_progress(tmp_path / "plan.yaml"))
    # 市交通运输局 closed 39's 06-30 milestone on 07-10: on 07-01 it is still red for it.
    before = notice(plan, "交通运输", JULY_1)
    after = notice(plan, "交通运输", dt.date(2024, 7, 11))
    assert ("39", "2024-06-30", 1) in _rows(before.red)
    assert "39" not in {i.measure_id for i in after.red}


def test_assisting_units_are_not_chased(tmp_path: Path) -> None:
    """县司法局牵头，县公安局配合 (measure 2): 县公安局 is not red for it; it shares measure 3 as a
    responsible unit. Due 2024-03-31, on 2024-07-01: 30 (Apr) + 31 + 30 + 1 = 92 days."""
    plan = load_plan(
        _plan(
            tmp_path,
            _measure(2, "县司法局牵头，县公安局配合", "县司法局, 县公安局", "2024年3月底前")
            + _measure(3, "县司法局、县公安局按职责分工分别负责", "县司法局, 县公安局", "2024年3月底前"),
        )
    )
    assert _rows(notice(plan, "县公安局", JULY_1).red) == [("3", "2024-03-31", 92)]
    assert _rows(notice(plan, "县司法局", JULY_1).red) == [("2", "2024-03-31", 92), ("3", "2024-03-31", 92)]


def test_signature_falls_back_to_the_issuer_then_refuses(tmp_path: Path) -> None:
    path = _plan(tmp_path, _measure(1, "县司法局", "县司法局"))
    n = notice(load_plan(path), "县司法局", JULY_1)
    assert (n.coordinator, n.coordinator_from) == ("某县人民政府办公室", FROM_ISSUER)
    path.write_text(
        path.read_text(encoding="utf-8").replace("  issuer: 某县人民政府办公室\n", ""), encoding="utf-8"
    )
    with pytest.raises(UsageError, match="supervision.coordinator"):
        notice(load_plan(path), "县司法局", JULY_1)


def test_supervision_sets_the_window_the_reply_and_the_contact(tmp_path: Path) -> None:
    """warn_days 30 on 2024-06-05: 06-05 … 07-05 holds 县司法局's 2024-06-30 milestone (25 days
    left); reply_days 10 → 2024-06-15."""
    extra = "supervision: {coordinator: 某县司法局, contact: 张三 0000-1234567, warn_days: 30, reply_days: 10}\n"
    plan = load_plan(_plan(tmp_path, _measure(1, "县司法局", "县司法局"), extra))
    n = notice(plan, "县司法局", dt.date(2024, 6, 5))
    assert _rows(n.yellow) == [("1", "2024-06-30", 25)] and n.red == ()
    assert (n.reply_by, n.coordinator, n.contact, n.warn_days) == (
        dt.date(2024, 6, 15), "某县司法局", "张三 0000-1234567", 30
    )


def test_a_group_is_refused(shipped: LoadedPlan) -> None:
    with pytest.raises(NotInPlan, match="单位组"):
        notice(shipped, "各镇（街）", JULY_1)


def test_all_units_on_july_1(shipped: LoadedPlan) -> None:
    """33 units; three owe nothing due by 07-16: 市委机构编制委员会办公室 (36, 60: 2024-12-31),
    市财政局 and 市人力资源和社会保障局 (59, 62: 2025-06-30). Every other unit shares a 2024-06-30
    item of 各镇（街） or 市直行政执法部门 (measure 3), 市政务服务数据管理局 28–30 and 54. The
    coordinator, 开平市司法局 (= 市司法局), does not send itself a notice: 33 − 3 − 1 = 29."""
    run = notices(shipped, JULY_1)
    sent = run.sent
    assert run.quiet == ("市委机构编制委员会办公室", "市财政局", "市人力资源和社会保障局")
    assert run.coordinator == "市司法局"
    assert len(sent) == 29
    assert [n.unit for n in sent][:2] == ["市政务服务数据管理局", "市发展和改革局"]
    chikan = next(n for n in sent if n.unit == "赤坎镇")
    assert chikan.count("red") == (13, 14)


# The extension of CONTRACT.md's example (issue15's rule: an approved new date replaces the
# unit's date), and a 延期 reported without a new date.
EXTENSION = """progress:
  - {measure: 3, unit: 市公安局, status: 延期, date: "2024-07-05", note: 机构调整, until: "2024-07-15", approved_late: true}
  - {measure: 1, unit: 市公安局, status: 延期, date: "2024-07-02", note: 人员不足}
  - {measure: 3, unit: 市公安局, status: 已完成, date: "2024-07-12", note: 开公〔2024〕20号}
"""


def test_an_approved_extension_turns_red_to_yellow_then_off_the_notice(tmp_path: Path) -> None:
    """Measure 3 (due 2024-06-30) for 市公安局: red on 07-01 (1 day; the extension is recorded on
    07-05, unknown before); on 07-05 yellow, judged against 07-15 (10 days left ≤ 15); finished
    on 07-12, by the new date: on no notice from then on (延期完成, issue15's category).
    Measure 1 (due 2024-12-31): 延期 without a new date on 07-02 is yellow however far ahead —
    07-05 → 12-31 is 26 + 31 + 30 + 31 + 30 + 31 = 179 days."""
    plan = load_plan(with_progress(tmp_path / "plan.yaml", EXTENSION))
    police = notice(plan, "公安", JULY_1)
    assert ("3", "2024-06-30", 1) in _rows(police.red)
    assert police.yellow == ()
    july_5 = notice(plan, "公安", dt.date(2024, 7, 5))
    assert "3" not in {i.measure_id for i in july_5.red}
    assert [(i.measure_id, i.due.isoformat(), i.until, i.days) for i in july_5.yellow] == [
        ("3", "2024-06-30", dt.date(2024, 7, 15), 10),
        ("1", "2024-12-31", None, 179),
    ]
    assert [(i.status, i.delayed) for i in july_5.yellow] == [("延期", False), ("延期", True)]
    july_12 = notice(plan, "公安", dt.date(2024, 7, 12))
    assert "3" not in {i.measure_id for i in july_12.items}


def test_warn_days_widens_the_yellow_window(shipped: LoadedPlan) -> None:
    """赤坎镇 on 2024-07-01 with --warn-days 153: the window 07-01 … 12-01 holds measure 18's
    2024-11-30 occurrence and measure 34's 2024-11-30 首次评估, each 152 days ahead (07-01 →
    07-31 is 30, + 31 Aug + 30 Sep + 31 Oct + 30 Nov); 2024-12-31 is 183 days ahead, outside."""
    n = notice(shipped, "赤坎镇", JULY_1, warn_days=153)
    assert _rows(n.yellow) == [("18", "2024-11-30", 152), ("34", "2024-11-30", 152)]
    assert n.warn_days == 153
    assert n.count("red") == (13, 14)
