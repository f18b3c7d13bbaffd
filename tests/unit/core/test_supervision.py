"""督办: lights, extensions, on-time rates and the 通报 ranking on the shipped plan.

Every expected answer is worked out by hand from plan.yaml's 台账 (its 责任单位 and 完成时限
columns, read by README's rules; the dates per milestone are the table in test_queries.py's
module docstring) and from the progress logs written below; the reasoning is in the comments.

Which units a town and a department owe (from the 责任单位 column):
- 赤坎镇 is one of 各镇（街）. Of the milestones due in 2024 it owes 17 (02-06); 28, 29, 30's two
  (04-30, 05-15); 18's May occurrence (05-31); 3, 5's first, 6, 8's first, 9, 11, 12, 54 (06-30);
  18's November occurrence and 34 (11-30); 1, 2, 4, 7, 13, 46, 36, 37, 39's second (其他行政执法单位
  includes the towns), 55, 60 (12-31) — 27 milestones. Not 20, 35, 31, 27, 49, 10, 19, 48, 52, 65
  (none names 各镇（街）), not 39's June one (市公安局、市交通运输局 only). With its later
  milestones (2025) it owes 49 dated milestones in all.
- 市公安局 is in 市直行政执法部门. In 2024 it owes 20, 35 (01-31); 17; 28, 29, 30 ×2; 18 May;
  3, 5, 6, 8, 9, 11, 12, 39's June one, 54 (06-30); 31 (08-31); 27's first (10-31); 18 Nov, 34
  (11-30); 1, 2, 4, 7, 13, 46, 27's second, 36, 49, 55 (12-31) — 31 milestones; not 10 (its
  group, 涉及执法职权下放的…, does not list 市公安局), 37, 60, 19, 48, 52, 65. 54 dated in all.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from handworked import RANKING_2025_01_01, RANKING_LOG, with_progress

from kpzf.checks import run_checks
from kpzf.core.lights import (
    EXTENDED_DONE,
    GREEN,
    LATE_DONE,
    LATE_OPEN,
    NOT_DUE,
    ON_TIME,
    OPEN,
    RED,
    YELLOW,
    category,
    light,
    worst,
)
from kpzf.core.queries import overdue, unit_duties, upcoming
from kpzf.core.report import report
from kpzf.core.show import show
from kpzf.errors import UsageError
from kpzf.model.plan import LoadedPlan, load_plan

D = dt.date.fromisoformat


def _load(tmp_path: Path, log: str) -> LoadedPlan:
    return load_plan(with_progress(tmp_path / "plan.yaml", log))


def lights_of(plan: LoadedPlan, unit: str, on: str, warn_days: int | None = None) -> dict[str, list]:
    """The unit's dated milestones by light, as (measure, due) pairs in plan order."""
    found: dict[str, list] = {RED: [], YELLOW: [], GREEN: []}
    for duty in unit_duties(plan, unit, D(on), warn_days).duties:
        for m in duty.milestones:
            if m.due is not None:
                found[m.light].append((duty.measure, m.due.isoformat()))
    return found


# --------------------------------------------------------------------------- the light rule


def test_the_light_rule_at_its_edges() -> None:
    due = D("2024-06-30")
    assert light("未开始", due, D("2024-07-01"), 15) == RED  # strictly after the due date
    assert light("未开始", due, D("2024-06-30"), 15) == YELLOW  # the due date itself: 0 days left
    assert light("未开始", due, D("2024-06-15"), 15) == YELLOW  # 15 days left, window 15
    assert light("未开始", due, D("2024-06-14"), 15) == GREEN  # 16 days left: on track
    assert light("未开始", due, D("2024-06-14"), 16) == YELLOW
    assert light("推进中", due, D("2024-01-01"), 15) == GREEN
    # 延期 without an approved new date: the unit says it is behind, so yellow before the window
    assert light("延期", due, D("2024-01-01"), 15) == YELLOW
    assert light("延期", due, D("2024-01-01"), 15, extended=True) == GREEN  # judged by its new date
    assert light("已完成", due, D("2025-01-01"), 15) == GREEN  # closed, late or not
    assert light("不适用", due, D("2025-01-01"), 15) == GREEN
    assert light("已完成", None, D("2025-01-01"), 15) is None  # undated: no light
    assert worst([GREEN, None, YELLOW]) == YELLOW and worst([YELLOW, RED]) == RED
    assert worst([]) is None


def test_categories_keep_the_original_date() -> None:
    due, until = D("2024-06-30"), D("2024-07-15")
    assert category("已完成", D("2024-06-30"), due, None, D("2024-08-01")) == ON_TIME
    assert category("已完成", D("2024-06-30"), due, until, D("2024-08-01")) == ON_TIME
    assert category("已完成", D("2024-07-12"), due, until, D("2024-08-01")) == EXTENDED_DONE
    assert category("已完成", D("2024-07-16"), due, until, D("2024-08-01")) == LATE_DONE
    assert category("已完成", D("2024-07-01"), due, None, D("2024-08-01")) == LATE_DONE
    assert category("推进中", D("2024-07-01"), due, until, D("2024-07-15")) == OPEN
    assert category("推进中", D("2024-07-01"), due, until, D("2024-07-16")) == LATE_OPEN
    assert category("未开始", None, due, None, D("2024-06-30")) == NOT_DUE
    assert category("未开始", None, due, None, D("2024-07-01")) == LATE_OPEN
    assert category("不适用", D("2024-05-01"), due, None, D("2024-07-01")) == "不适用"
    assert category("已完成", D("2024-05-01"), None, None, D("2024-07-01")) is None


# --------------------------------------------------------------------------- lights on the plan
# The hand-written log of tests/handworked.py: 赤坎镇 closes 17 on 02-05 and reopens it on 03-01
# (推进中), closes 18's May occurrence on 05-30; 市公安局 closes 20 (01-30), 35 (01-25) and 39's
# June milestone (06-20), and reports 3 as 延期 on 06-25 (no new date).


@pytest.fixture(scope="module")
def tracked(tmp_path_factory: pytest.TempPathFactory) -> LoadedPlan:
    from handworked import PROGRESS

    return load_plan(with_progress(tmp_path_factory.mktemp("lights") / "plan.yaml", PROGRESS))


CHIKAN_DUE_JUNE_30 = [(3, "2024-06-30"), (5, "2024-06-30"), (6, "2024-06-30"), (8, "2024-06-30"),
                      (9, "2024-06-30"), (11, "2024-06-30"), (12, "2024-06-30"), (54, "2024-06-30")]  # fmt: skip
CHIKAN_PASSED_BY_JUNE_20 = [(17, "2024-02-06"), (28, "2024-04-30"), (29, "2024-04-30"),
                            (30, "2024-04-30"), (30, "2024-05-15")]  # fmt: skip


def test_chikan_lights_on_2024_06_20(tracked: LoadedPlan) -> None:
    # Passed by 06-20: 17 (reopened: red), 28, 29, 30 ×2 (nothing recorded: red), 18 May (closed
    # 05-30: green). Due 06-30, 10 days ahead, inside the 15-day window: yellow, all eight (none
    # recorded). Everything else is later than 07-05: green (on track). 49 = 5 + 8 + 36.
    found = lights_of(tracked, "赤坎镇", "2024-06-20")
    assert found[RED] == CHIKAN_PASSED_BY_JUNE_20
    assert found[YELLOW] == CHIKAN_DUE_JUNE_30
    assert len(found[GREEN]) == 36 and (18, "2024-05-31") in found[GREEN]


def test_chikan_without_progress_on_2024_07_01(tmp_path: Path) -> None:
    # No record at all: 18's May occurrence is red too — 13 measures, 14 milestones.
    found = lights_of(_load(tmp_path, "progress: []"), "赤坎镇", "2024-07-01")
    assert len({m for m, _ in found[RED]}) == 13 and len(found[RED]) == 14


def test_chikan_lights_on_2024_07_01(tracked: LoadedPlan) -> None:
    # The eight 06-30 milestones are now one day overdue: red, 13 milestones of 12 measures
    # (30 has two). (Without its 18 May record it would be the 13 measures, 14
    # milestones.) The next dates (11-30 for a town) are > 15 days away: no yellow.
    found = lights_of(tracked, "赤坎镇", "2024-07-01")
    assert found[RED] == sorted(CHIKAN_PASSED_BY_JUNE_20 + CHIKAN_DUE_JUNE_30)
    assert len({m for m, _ in found[RED]}) == 12 and len(found[RED]) == 13
    assert found[YELLOW] == []
    assert len(found[GREEN]) == 49 - 13
    # A wider window reaches 11-30 (152 days away): 18's November occurrence and 34.
    wide = lights_of(tracked, "赤坎镇", "2024-07-01", warn_days=152)
    assert wide[YELLOW] == [(18, "2024-11-30"), (34, "2024-11-30")]


def test_police_lights_on_2024_06_20(tracked: LoadedPlan) -> None:
    # Passed: 20, 35 (closed: green); 17, 28, 29, 30 ×2, 18 May (nothing recorded: red). Due
    # 06-30: 3, 5, 6, 8, 9, 11, 12, 54 yellow; 39's June milestone was closed on 06-20: green.
    # (The 延期 on 3 is dated 06-25: not yet known on 06-20.) 54 = 6 + 8 + 40.
    found = lights_of(tracked, "市公安局", "2024-06-20")
    assert found[RED] == [(17, "2024-02-06"), (18, "2024-05-31"), (28, "2024-04-30"),
                          (29, "2024-04-30"), (30, "2024-04-30"), (30, "2024-05-15")]  # fmt: skip
    assert found[YELLOW] == [(m, d) for m, d in CHIKAN_DUE_JUNE_30]  # the same eight measures
    assert {(20, "2024-01-31"), (35, "2024-01-31"), (39, "2024-06-30")} <= set(found[GREEN])
    assert len(found[GREEN]) == 40


def test_police_lights_on_2024_07_01(tracked: LoadedPlan) -> None:
    # The eight 06-30 milestones turn red; 3 too, though reported 延期: it has no approved new
    # date, so it is judged by 06-30. 14 red; 20, 35, 39 June stay green; no yellow.
    found = lights_of(tracked, "市公安局", "2024-07-01")
    assert len(found[RED]) == 14 and (3, "2024-06-30") in found[RED]
    assert found[YELLOW] == []
    assert len(found[GREEN]) == 40
    rows = {r.measure: r for r in overdue(tracked, D("2024-07-01"), "市公安局")}
    assert {r.light for r in rows.values()} == {RED}
    assert len(rows) == 13  # 14 milestones, 30 has two


def test_show_and_overdue_carry_lights(tracked: LoadedPlan) -> None:
    # Measure 39 on 2024-06-20: the June milestone (公安 closed, 交通 open, 10 days left) is
    # yellow for 交通, green for 公安; the milestone's light is the worst: yellow.
    detail = show(tracked, 39, D("2024-06-20"))
    june = detail.milestones[0]
    assert june.light == YELLOW
    assert {s.unit: s.light for s in june.statuses} == {"市公安局": GREEN, "市交通运输局": YELLOW}
    # The 2024-06-01 agenda: the ten 06-30 milestones (29 days away) are green with 15 days,
    # yellow with --warn-days 29.
    assert {r.light for r in upcoming(tracked, D("2024-06-01"))} == {GREEN}
    assert {r.light for r in upcoming(tracked, D("2024-06-01"), warn_days=29)} == {YELLOW}
    with pytest.raises(UsageError):
        upcoming(tracked, D("2024-06-01"), warn_days=367)


# --------------------------------------------------------------------------- an extension
# 市公安局 misses 3 (建立培训制度, due 2024-06-30): red on 07-01. On 07-05 市司法局 approves a new
# date, 07-15 — after the original date had passed, so it must be marked approved_late. 公安
# finishes on 07-12, by the new date: 延期完成, not 按期完成.

EXTENSION = '{measure: 3, unit: 市公安局, status: 延期, date: "2024-07-05", note: 机构调整，经市司法局批准, until: "2024-07-15"'
FINISHED = '  - {measure: 3, unit: 公安, status: 已完成, date: "2024-07-12", note: 开公〔2024〕20号}\n'


def test_an_extension_turns_red_to_yellow_then_green(tmp_path: Path) -> None:
    plan = _load(tmp_path, "progress:\n  - " + EXTENSION + ", approved_late: true}\n" + FINISHED)
    assert run_checks(plan, D("2024-08-01")) == []

    def police_3(on: str):  # type: ignore[no-untyped-def]
        duty = next(d for d in unit_duties(plan, "市公安局", D(on)).duties if d.measure == 3)
        return duty.milestones[0]

    before = police_3("2024-07-01")  # the extension is dated 07-05: unknown on 07-01
    assert (before.light, before.overdue, before.days_overdue, before.until) == (RED, True, 1, None)
    extended = police_3("2024-07-05")  # judged against 07-15: 10 days left, within 15
    assert (extended.light, extended.overdue, extended.days_left) == (YELLOW, False, 10)
    assert extended.until == D("2024-07-15") and extended.due == D("2024-06-30")  # original kept
    assert extended.category == OPEN  # 延期 recorded, not overdue
    done = police_3("2024-07-13")
    assert (done.light, done.category, done.overdue) == (GREEN, EXTENDED_DONE, False)

    # overdue on 07-05: the other 28 units of measure 3 still 5 days overdue, 公安 no longer.
    row = next(r for r in overdue(plan, D("2024-07-05")) if r.measure == 3)
    assert (len(row.units), "市公安局" in row.units, row.days, row.until) == (28, False, 5, None)
    # the agenda on 07-05 lists 公安's extended milestone on a row of its own.
    agenda = [r for r in upcoming(plan, D("2024-07-05")) if r.measure == 3]
    assert [(r.units, r.due, r.until, r.days, r.light) for r in agenda] == [
        (("市公安局",), D("2024-06-30"), D("2024-07-15"), 10, YELLOW)
    ]

    # The report on 2024-07-13. 公安's obligations dated up to 06-30 (module docstring): 17, all
    # assessed; 3 finished after its original date: 延期完成, not on time. Judged by its new
    # date (07-15) 3 is not due yet on 07-13: due 16, all 16 open (this log has nothing else).
    police = next(r for r in report(plan, D("2024-07-13")).rows if r.key == "市公安局")
    assert (police.assessed, police.on_time, police.on_time_rate) == (17, 0, 0.0)
    assert (police.extended, police.extended_done, police.late_done) == (1, 1, 0)
    assert (police.due, police.completed, police.completed_due, police.overdue) == (16, 1, 0, 16)
    # longest overdue: 20 and 35 (01-31) are open for 公安 in this log: 01-31 -> 07-13 =
    # 29 + 31 + 30 + 31 + 30 + 13 = 164 days.
    assert police.longest_overdue == 164


def test_an_extension_not_met_is_red_again_after_the_new_date(tmp_path: Path) -> None:
    plan = _load(tmp_path, "progress:\n  - " + EXTENSION + ", approved_late: true}\n")
    duty = next(d for d in unit_duties(plan, "市公安局", D("2024-07-16")).duties if d.measure == 3)
    late = duty.milestones[0]
    assert (late.light, late.overdue, late.days_overdue) == (RED, True, 1)  # 07-15 -> 07-16
    rows = [r for r in overdue(plan, D("2024-07-16")) if r.measure == 3]
    assert [(len(r.units), r.until, r.days) for r in rows] == [(28, None, 16), (1, D("2024-07-15"), 1)]
    police = next(r for r in report(plan, D("2024-07-16")).rows if r.key == "市公安局")
    assert police.extended == 1 and police.overdue == 17  # all 17 due ones open


def test_an_extension_recorded_late_without_approval_is_a_problem(tmp_path: Path) -> None:
    plan = _load(tmp_path, "progress:\n  - " + EXTENSION + "}\n")
    problems = run_checks(plan, D("2024-08-01"))
    assert [p.code for p in problems] == ["extension-after-due"]
    assert "2024-06-30" in problems[0].message and "2024-07-05" in problems[0].message


def test_a_second_extension_asked_for_in_time_is_in_time(tmp_path: Path) -> None:
    # 06-25: new date 07-31; 07-20 (after 06-30, before 07-31): a further extension to 08-31.
    log = """progress:
  - {measure: 3, unit: 市公安局, status: 延期, date: "2024-06-25", note: 机构调整, until: "2024-07-31"}
  - {measure: 3, unit: 市公安局, status: 延期, date: "2024-07-20", note: 再次顺延, until: "2024-08-31"}
"""
    plan = _load(tmp_path, log)
    assert run_checks(plan, D("2024-08-01")) == []
    duty = next(d for d in unit_duties(plan, "市公安局", D("2024-08-20")).duties if d.measure == 3)
    assert duty.milestones[0].until == D("2024-08-31") and duty.milestones[0].days_left == 11


# --------------------------------------------------------------------------- the 通报 ranking
# The log and the order worked out by hand: tests/handworked.py (RANKING_LOG, RANKING_2025_01_01).


@pytest.fixture(scope="module")
def ranked(tmp_path_factory: pytest.TempPathFactory) -> LoadedPlan:
    plan = load_plan(with_progress(tmp_path_factory.mktemp("rank") / "plan.yaml", RANKING_LOG))
    assert run_checks(plan, D("2025-01-01")) == []
    return plan


def test_ranking_on_2025_01_01(ranked: LoadedPlan) -> None:
    result = report(ranked, D("2025-01-01"), rank=True)
    assert [(r.key, r.overdue) for r in result.rows] == RANKING_2025_01_01
    assert [r.rank for r in result.rows] == list(range(1, 34))
    rows = {r.key: r for r in result.rows}
    assert (rows["月山镇"].on_time, rows["月山镇"].late_done, rows["月山镇"].assessed) == (1, 2, 27)
    assert (rows["赤坎镇"].on_time, rows["赤坎镇"].on_time_rate) == (3, 3 / 27)
    assert (rows["水口镇"].on_time, rows["水口镇"].late_done) == (1, 1)
    police = rows["市公安局"]
    assert (police.due, police.assessed, police.extended, police.on_time_rate) == (30, 31, 1, 0.0)
    transport = rows["市交通运输局"]
    assert (transport.not_applicable, transport.assessed, transport.overdue) == (1, 30, 30)
    assert rows["市财政局"].on_time_rate is None and rows["市财政局"].rank == 32
    # Longest overdue: 20 and 35 (2024-01-31) for 市司法局: 2024 is a leap year, 366 − 31 + 1 = 336.
    assert rows["市司法局"].longest_overdue == 336
    # a town's oldest: 17 (02-06): 336 − 6 = 330; 赤坎镇 and 月山镇 closed 17: 28 (04-30), 246.
    assert rows["三埠街道"].longest_overdue == 330 and rows["赤坎镇"].longest_overdue == 246
    # Totals: 858 due by the original dates, one 不适用 (assessed 857), one extended (due 856);
    # 8 closed (all due), 5 of them on time (赤坎镇 3, 水口镇 1, 月山镇 1).
    t = result.total
    assert (t.assessed, t.due, t.completed_due, t.overdue) == (857, 856, 8, 848)
    assert (t.on_time, t.late_done, t.extended) == (5, 3, 1)
    assert t.rank is None
    # Without --rank the rows keep the registry order.
    plain = report(ranked, D("2025-01-01"))
    assert plain.rows[0].key == "市司法局" and plain.rows[1].key == "市委机构编制委员会办公室"
    assert all(r.rank is None for r in plain.rows)


def test_evaluation_totals_as_of_their_due_dates(ranked: LoadedPlan) -> None:
    # 65 中期评估 (2024年8月底前) and 66 终期评估 (2025年8月底前), the plan's implementation items.
    first, final = report(ranked, D("2025-01-01")).assessments
    assert (first.measure, first.what, first.due, first.on) == (65, "完成中期评估", D("2024-08-31"), D("2024-08-31"))
    # As of 2024-08-31: due before it are the 441 obligations up to 06-30 (nothing falls due in
    # July or August before the 31st); 交通's 不适用 on 3 leaves 440. Closed by 08-31: 赤坎 17, 3;
    # 水口 17 (late), 3; 月山 17, 3 (late) — 6, on time 4.
    assert (first.total.assessed, first.total.on_time, first.total.late_done) == (440, 4, 2)
    assert (first.total.completed_due, first.total.overdue) == (6, 434)
    # 66 is not due yet on the report's date: its totals are as of 2025-01-01, the report's own.
    assert (final.measure, final.on) == (66, D("2025-01-01"))
    assert final.total.assessed == 857 and final.total.on_time == 5
