"""The pure queries against the shipped plan.yaml, with answers worked out by hand from its 台账.

How the expected numbers were obtained (read off plan.yaml, not off kpzf's output):

Responsible units per measure (responsible = the single units after expanding groups):
  市直行政执法部门 (alias 市行政执法部门) = 13 departments; 各镇（街） = 15 towns;
  so "市司法局，各镇（街）、市直行政执法部门" = 1 + 15 + 13 = 29 units,
  "市司法局，市直行政执法部门" (20, 31, 35, 44) = 14, "市司法局、市政务服务数据管理局，各镇（街）、
  市直行政执法部门" (28-30, 54-56) = 30, "各镇（街）、市直行政执法部门" = 28.

Milestones falling due in 2024 (完成时限 column), with the units they apply to:
  2024-01-31  20 (14), 35 (14)
  2024-02-06  17 (29)
  2024-04-30  28 (30), 29 (30), 30 first milestone (30)
  2024-05-15  30 second milestone (30)
  2024-05-31  18 first yearly occurrence (29)
  2024-06-30  3, 5, 6, 8, 11, 12 (29 each), 9 (28), 39 first milestone (市公安局、市交通运输局: 2),
              52 (市司法局: 1), 54 (30)                                     -> 10 milestones
  2024-08-31  31 (14), 65 (市司法局)
  2024-10-31  27 first milestone (14)
  2024-11-30  18 second occurrence (29), 34 (29)
  2024-12-31  1, 2, 4, 7, 13, 46 (29 each), 10 (7), 19, 48 (1 each), 27 second (14), 36 (30),
              37 (16), 39 second (其他行政执法单位: 26), 49 (13), 55 (30), 60 (17)  -> 16 milestones
  Undated (长期推进): 21, 24, 25, 26, 42, 44, 50.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PLAN
from handworked import (
    DEPARTMENTS,
    JUSTICE_AND_DEPARTMENTS,
    OVERDUE_2024_07_01,
    TOWNS,
    with_progress,
)

from kpzf.checks import run_checks
from kpzf.core.labels import ONGOING
from kpzf.core.names import find_unit
from kpzf.core.queries import OVERDUE, overdue, unit_duties, unit_listing, upcoming
from kpzf.core.report import report
from kpzf.core.show import show
from kpzf.errors import UsageError
from kpzf.model.plan import LoadedPlan, load_plan

D = dt.date.fromisoformat

@pytest.fixture(scope="module")
def plan() -> LoadedPlan:
    return load_plan(PLAN)


@pytest.fixture(scope="module")
def tracked(tmp_path_factory: pytest.TempPathFactory) -> LoadedPlan:
    loaded = load_plan(with_progress(tmp_path_factory.mktemp("tracked") / "plan.yaml"))
    assert run_checks(loaded, D("2025-01-01")) == []  # the hand-written log is valid
    return loaded


def rows_of(rows: list) -> list[tuple[int, str, int, int]]:
    return [(r.measure, r.due.isoformat(), r.days, len(r.units)) for r in rows]


# --------------------------------------------------------------------------- overdue


def test_overdue_2024_02_01_measures_20_and_35_by_one_day(plan: LoadedPlan) -> None:
    # 2024年1月底前 = due by the end of 2024-01-31; on 2024-02-01 both are 1 day overdue for all
    # their 14 units. 17 (2024-02-06) is not due yet.
    rows = overdue(plan, D("2024-02-01"))
    assert rows_of(rows) == [(20, "2024-01-31", 1, 14), (35, "2024-01-31", 1, 14)]
    assert list(rows[0].units) == JUSTICE_AND_DEPARTMENTS
    assert rows[0].what == "形成阶段性成果" and rows[1].what == "完成"
    assert rows[0].units_grouped == ("市司法局", "市直行政执法部门")


def test_overdue_boundary_the_due_date_itself_is_not_overdue(plan: LoadedPlan) -> None:
    assert overdue(plan, D("2024-01-31")) == []
    # 17 is due 2024-02-06: not overdue that day, overdue the next.
    assert [r.measure for r in overdue(plan, D("2024-02-06"))] == [20, 35]
    assert rows_of(overdue(plan, D("2024-02-07")))[-1] == (17, "2024-02-06", 1, 29)
    # Measure 39's first milestone is due 2024-06-30.
    assert 39 not in [r.measure for r in overdue(plan, D("2024-06-30"))]
    assert 39 in [r.measure for r in overdue(plan, D("2024-07-01"))]


def test_overdue_2024_07_01(plan: LoadedPlan) -> None:
    rows = overdue(plan, D("2024-07-01"))
    assert rows_of(rows) == OVERDUE_2024_07_01
    row39 = next(r for r in rows if r.measure == 39)
    assert row39.units == ("市公安局", "市交通运输局") and row39.units_total == 2
    # 441 unit-obligations owed: the sum of the last column of OVERDUE_2024_07_01.
    assert sum(len(r.units) for r in rows) == 441


def test_overdue_2025_01_01(plan: LoadedPlan) -> None:
    # The 18 rows of 2024-07-01 plus every milestone due 2024-07-01..2024-12-31:
    # 31, 65 (08-31); 27 first (10-31); 18 second, 34, and 8's yearly report to 江门市司法局
    # stated in its text (11-30); 16 milestones on 12-31.
    rows = overdue(plan, D("2025-01-01"))
    assert len(rows) == 18 + 2 + 1 + 3 + 16 == 40
    by_key = {(r.measure, r.due.isoformat()): r for r in rows}
    # The yearly measure 18: one row per occurrence so far (05-31 and 11-30 of 2024).
    assert [k[1] for k in by_key if k[0] == 18] == ["2024-05-31", "2024-11-30"]
    assert by_key[18, "2024-05-31"].days == 215  # 30+31+31+30+31+30+31 + 1
    assert by_key[18, "2024-11-30"].days == 32
    assert by_key[18, "2024-05-31"].recurrence == "每年"
    # Measure 39's unit split: 市公安局、市交通运输局 owe the June milestone, the other 26 the
    # December one (其他行政执法单位 = the departments and towns except those two).
    assert by_key[39, "2024-06-30"].units == ("市公安局", "市交通运输局")
    assert by_key[39, "2024-06-30"].days == 185  # 184 days to 12-31, + 1
    december = by_key[39, "2024-12-31"]
    assert len(december.units) == 26 and december.days == 1
    assert set(december.units) == (set(DEPARTMENTS) | set(TOWNS)) - {"市公安局", "市交通运输局"}
    assert december.units_grouped == ("其他行政执法单位",)
    assert by_key[20, "2024-01-31"].days == 336  # 2024 has 366 days; 01-31 -> 12-31 is 335
    # Most overdue first, then by measure: the last rows are the 16 of 2024-12-31, by number.
    assert [r.measure for r in rows[-16:]] == [
        1,
        2,
        4,
        7,
        10,
        13,
        19,
        27,
        36,
        37,
        39,
        46,
        48,
        49,
        55,
        60,
    ]
    assert by_key[65, "2024-08-31"].units == ("市司法局",)


def test_overdue_yearly_occurrences_in_2025(plan: LoadedPlan) -> None:
    rows = [r for r in overdue(plan, D("2025-06-01")) if r.measure == 18]
    assert [(r.due.isoformat(), r.days) for r in rows] == [
        ("2024-05-31", 366),
        ("2024-11-30", 183),
        ("2025-05-31", 1),
    ]


def test_undated_measures_are_never_overdue(plan: LoadedPlan) -> None:
    measures = {r.measure for r in overdue(plan, D("2026-06-30"))}
    assert measures.isdisjoint({21, 24, 25, 26, 42, 44, 50})
    assert {1, 64, 66} <= measures


def test_overdue_unit_filter(plan: LoadedPlan) -> None:
    on = D("2024-07-01")
    # 市公安局 is in 市直行政执法部门, so owes all 18 rows but 52 (市司法局 alone).
    police = overdue(plan, on, unit="市公安局")
    assert [(r.measure, r.due.isoformat()) for r in police] == [
        (m, d) for m, d, _, _ in OVERDUE_2024_07_01 if m != 52
    ]
    assert all(r.units == ("市公安局",) and r.units_total == 1 for r in police)
    # 赤坎镇 (through 各镇（街）) owes neither 20/35 (no towns), 39's June milestone, nor 52.
    town = overdue(plan, on, unit="赤坎")
    expected = [(m, d) for m, d, _, _ in OVERDUE_2024_07_01 if m not in (20, 35, 39, 52)]
    assert [(r.measure, r.due.isoformat()) for r in town] == expected
    assert len(town) == 14
    # A group filters to its members and lists the members still owing.
    towns = overdue(plan, on, unit="各镇(街)")
    assert [(r.measure, r.due.isoformat()) for r in towns] == expected
    assert all(list(r.units) == TOWNS for r in towns)
    assert towns[0].units_grouped == ("各镇（街）",)
    # 市司法局 at the end of 2024: 40 rows minus 9, 10, 39 (both milestones) and 49.
    assert len(overdue(plan, D("2025-01-01"), unit="司法局")) == 40 - 5


def test_overdue_area_filter_excludes_implementation_items(plan: LoadedPlan) -> None:
    # Area 3 (measures 28-43) on 2024-07-01: 28, 29, 30 (twice), 35, 39.
    rows = overdue(plan, D("2024-07-01"), area=3)
    assert [(r.measure, r.due.isoformat()) for r in rows] == [
        (35, "2024-01-31"),
        (28, "2024-04-30"),
        (29, "2024-04-30"),
        (30, "2024-04-30"),
        (30, "2024-05-15"),
        (39, "2024-06-30"),
    ]
    # 65 (2024-08-31) belongs to no 重点任务: every --area leaves it out.
    on = D("2025-01-01")
    per_area = [overdue(plan, on, area=a) for a in range(1, 7)]
    assert sum(len(rows) for rows in per_area) == 40 - 1
    assert all(r.measure != 65 for rows in per_area for r in rows)
    with pytest.raises(UsageError, match="没有重点任务 7"):
        overdue(plan, on, area=7)


def test_overdue_with_progress(tracked: LoadedPlan) -> None:
    on = D("2024-07-01")
    rows = {(r.measure, r.due.isoformat()): r for r in overdue(tracked, on)}
    # 35 (all 14 completed) and 52 (市司法局 completed) are gone: 18 - 2 rows.
    assert len(rows) == 16
    assert (35, "2024-01-31") not in rows and (52, "2024-06-30") not in rows
    # 20: 市公安局's later 已完成 supersedes its 推进中; the other 13 still owe it.
    assert "市公安局" not in rows[20, "2024-01-31"].units
    assert len(rows[20, "2024-01-31"].units) == 13 and rows[20, "2024-01-31"].units_total == 14
    # 17: 赤坎镇's 已完成 was superseded by 推进中 on 2024-03-01, so all 29 owe it again.
    assert len(rows[17, "2024-02-06"].units) == 29
    # 18: 赤坎镇 did the May occurrence; progress for 赤坎镇 counts for 赤坎镇 alone.
    may = rows[18, "2024-05-31"]
    assert "赤坎镇" not in may.units and len(may.units) == 28
    # 39: 交通's completion is dated 2024-07-10, unknown on 2024-07-01.
    assert rows[39, "2024-06-30"].units == ("市交通运输局",)
    # 3: 延期 is not closed.
    assert "市公安局" in rows[3, "2024-06-30"].units


def test_progress_is_as_of_the_query_date(tracked: LoadedPlan) -> None:
    # On 2024-02-07 赤坎镇's filing of 17 still stood (sent back only on 2024-03-01).
    rows = {r.measure: r for r in overdue(tracked, D("2024-02-07"))}
    assert "赤坎镇" not in rows[17].units and len(rows[17].units) == 28
    # 39's June milestone is complete once 市交通运输局 has completed it too (2024-07-10).
    assert 39 in {r.measure for r in overdue(tracked, D("2024-07-09"))}
    assert 39 not in {r.measure for r in overdue(tracked, D("2024-07-10"))}


# --------------------------------------------------------------------------- upcoming


def test_upcoming_window_includes_the_query_date(plan: LoadedPlan) -> None:
    # [2024-06-01, 2024-07-01]: the ten milestones of 2024-06-30, 29 days away.
    rows = upcoming(plan, D("2024-06-01"))
    assert [r.measure for r in rows] == [3, 5, 6, 8, 9, 11, 12, 39, 52, 54]
    assert {r.days for r in rows} == {29}
    # On the due date itself the milestone is on the agenda (0 days left), not overdue.
    assert len(upcoming(plan, D("2024-06-30"), days=0)) == 10
    assert upcoming(plan, D("2024-07-01"), days=0) == []
    # [2024-11-01, 2024-12-01]: 8's yearly report (from its text), 18's second occurrence and
    # 34 (27's 10-31 is just before).
    assert [(r.measure, r.due.isoformat()) for r in upcoming(plan, D("2024-11-01"))] == [
        (8, "2024-11-30"),
        (18, "2024-11-30"),
        (34, "2024-11-30"),
    ]
    with pytest.raises(UsageError):
        upcoming(plan, D("2024-11-01"), days=-1)


def test_upcoming_skips_what_is_done(tracked: LoadedPlan) -> None:
    # 52 was completed on 2024-06-28: on the agenda of 06-01, gone from that of 06-29.
    assert 52 in [r.measure for r in upcoming(tracked, D("2024-06-01"))]
    late_june = upcoming(tracked, D("2024-06-29"), days=1)
    assert [r.measure for r in late_june] == [3, 5, 6, 8, 9, 11, 12, 39, 54]
    assert next(r for r in late_june if r.measure == 39).units == ("市交通运输局",)
    assert [r.measure for r in upcoming(tracked, D("2024-06-01"), unit="赤坎镇")] == [
        3,
        5,
        6,
        8,
        9,
        11,
        12,
        54,
    ]


# --------------------------------------------------------------------------- unit duties


POLICE_MEASURES = [
    # Every measure naming 市直行政执法部门 / 市行政执法部门 (or 公安 directly: 27, 39); not 10
    # (涉及执法职权下放… leaves 公安 out), 19, 37, 47, 48, 52, 57, 58, 60, 65, 66.
    *range(1, 10), *range(11, 19), *range(20, 37), *range(38, 47), 49, 50, 51,
    *range(53, 57), 59, *range(61, 65),
]  # fmt: skip
TOWN_MEASURES = [
    # Every measure naming 各镇（街）: not 10, 19, 20, 22, 27, 31, 35, 44, 47-49, 52, 57, 58, 65, 66.
    *range(1, 10), *range(11, 19), 21, *range(23, 27), *range(28, 31), *range(32, 35),
    *range(36, 44), 45, 46, 50, 51, *range(53, 57), *range(59, 65),
]  # fmt: skip


def test_unit_duties_department(plan: LoadedPlan) -> None:
    result = unit_duties(plan, "市公安局", D("2024-07-01"))
    assert result.unit == "市公安局" and not result.is_group
    assert result.groups == ("市直行政执法部门",)
    assert [d.measure for d in result.duties] == POLICE_MEASURES
    assert len(POLICE_MEASURES) == 55
    via = {d.measure: d.via for d in result.duties}
    assert via[27] is None and via[39] is None  # named directly
    assert via[1] == "市直行政执法部门" and via[20] == "市直行政执法部门"  # 20 writes the alias
    duties = {d.measure: d for d in result.duties}
    # 39: only the June milestone applies to 公安, and it is 1 day overdue.
    assert [m.due for m in duties[39].milestones] == [D("2024-06-30")]
    assert duties[39].overdue and duties[39].status == OVERDUE
    assert duties[39].next is not None and duties[39].next.days_overdue == 1
    # 18: the outstanding occurrence is the overdue one of May, 31 days.
    assert duties[18].next is not None and duties[18].next.due == D("2024-05-31")
    assert duties[18].next.days_overdue == 31
    # 1: next milestone 2024-12-31, 183 days away; nothing recorded.
    assert duties[1].status == "未开始" and not duties[1].overdue
    assert duties[1].next is not None and duties[1].next.days_left == 183
    assert duties[21].status == ONGOING and duties[21].next is None
    # 16 measures overdue: those of the 17 rows 公安 owes (30 has two).
    assert sum(d.overdue for d in result.duties) == 16


def test_unit_duties_town_via_group(plan: LoadedPlan) -> None:
    result = unit_duties(plan, "赤坎镇", D("2024-07-01"))
    assert [d.measure for d in result.duties] == TOWN_MEASURES and len(TOWN_MEASURES) == 50
    assert {d.via for d in result.duties} == {"各镇（街）"}
    assert result.groups == ("各镇（街）", "其他行政执法单位")
    duty39 = next(d for d in result.duties if d.measure == 39)
    # Only the December milestone (其他行政执法单位) applies to a town.
    assert [m.due for m in duty39.milestones] == [D("2024-12-31")] and not duty39.overdue
    assert sum(d.overdue for d in result.duties) == 13  # 14 overdue rows, 30 twice


@pytest.mark.parametrize(
    ("typed", "canonical", "count"),
    [
        # 市市场监督管理局: 公安's 55, plus 10 (via 涉及执法职权下放…), 57 and 58 (named).
        ("市场监管", "市市场监督管理局", 58),
        # 市发展和改革局: 公安's 55, plus 57 and 58 (written 市发展和改革委员会).
        ("发展改革", "市发展和改革局", 57),
        ("市发展和改革委员会", "市发展和改革局", 57),
        ("赤坎", "赤坎镇", 50),
    ],
)
def test_unit_duties_through_aliases(
    plan: LoadedPlan, typed: str, canonical: str, count: int
) -> None:
    result = unit_duties(plan, typed, D("2024-07-01"))
    assert result.unit == canonical and len(result.duties) == count


def test_unit_duties_via_for_aliases(plan: LoadedPlan) -> None:
    market = {d.measure: d.via for d in unit_duties(plan, "市场监管", D("2024-07-01")).duties}
    assert market[10] == "涉及执法职权下放的市直行政执法部门"
    assert market[57] is None and market[58] is None and market[27] is None
    reform = {d.measure: d.via for d in unit_duties(plan, "发展改革", D("2024-07-01")).duties}
    assert 10 not in reform and reform[57] is None


def test_unit_duties_group(plan: LoadedPlan) -> None:
    result = unit_duties(plan, "各镇(街)", D("2024-07-01"))
    assert result.unit == "各镇（街）" and result.is_group
    assert list(result.members) == TOWNS
    assert [d.measure for d in result.duties] == TOWN_MEASURES
    assert all(d.via == "各镇（街）" for d in result.duties)
    duty17 = next(d for d in result.duties if d.measure == 17)
    assert duty17.next is not None and list(duty17.next.owing) == TOWNS
    # 市直行政执法部门 as a group: 27 names its members one by one, so via is None there.
    depts = {d.measure: d for d in unit_duties(plan, "市直行政执法部门", D("2024-07-01")).duties}
    assert depts[27].via is None and depts[1].via == "市直行政执法部门"
    assert 10 in depts and 57 in depts  # some member owes them


def test_unit_duties_with_progress(tracked: LoadedPlan) -> None:
    on = D("2024-07-01")
    police = {d.measure: d for d in unit_duties(tracked, "市公安局", on).duties}
    assert police[20].status == "已完成" and police[20].next is None and not police[20].overdue
    assert police[20].milestones[0].recorded == D("2024-01-30")
    assert police[39].status == "已完成"  # its only milestone is done
    assert police[3].status == OVERDUE and police[3].milestones[0].status == "延期"
    assert police[3].milestones[0].note == "机构调整，顺延至9月"
    town = {d.measure: d for d in unit_duties(tracked, "赤坎镇", on).duties}
    assert town[21].status == "推进中"  # undated: what the unit last said
    assert town[17].status == OVERDUE  # reopened
    # 18: May done, so the next occurrence is 2024-11-30, 152 days away (30+31+30+31+30).
    assert not town[18].overdue and town[18].next is not None
    assert town[18].next.due == D("2024-11-30") and town[18].next.days_left == 152
    nature = {d.measure: d for d in unit_duties(tracked, "市自然资源局", on).duties}
    assert nature[10].status == "不适用"
    # The group view: 赤坎镇's May report of 18 leaves 14 towns owing; the group is 推进中 there.
    towns = {d.measure: d for d in unit_duties(tracked, "各镇（街）", on).duties}
    may = towns[18].next
    assert may is not None and may.due == D("2024-05-31")
    assert "赤坎镇" not in may.owing and len(may.owing) == 14 and may.status == "推进中"


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("公安", "市公安局"),
        ("各镇(街)", "各镇（街）"),
        ("市行政执法部门", "市直行政执法部门"),
        ("市司法", "市司法局"),
        ("市政务服务和数据管理局", "市政务服务数据管理局"),
    ],
)
def test_find_unit(plan: LoadedPlan, typed: str, canonical: str) -> None:
    assert find_unit(plan, typed) == canonical


def test_find_unit_ambiguous_and_unknown(plan: LoadedPlan) -> None:
    with pytest.raises(UsageError) as ambiguous:
        find_unit(plan, "赤")  # 赤坎镇 or 赤水镇
    assert "不唯一" in ambiguous.value.message
    assert "赤坎镇" in ambiguous.value.message and "赤水镇" in ambiguous.value.message
    with pytest.raises(UsageError) as typo:
        find_unit(plan, "市公按局")
    assert "找不到单位" in typo.value.message and "市公安局" in typo.value.message
    with pytest.raises(UsageError) as nothing:
        find_unit(plan, "xyz")
    assert "找不到单位“xyz”" in nothing.value.message
    assert ambiguous.value.exit_code == typo.value.exit_code == 2


# --------------------------------------------------------------------------- units listing


def test_unit_listing(plan: LoadedPlan) -> None:
    listing = unit_listing(plan)
    assert len(listing.units) == 33 and len(listing.groups) == 4
    counts = {u.name: u.measures for u in listing.units}
    # 市司法局 is named in 50 measures: all but 9, 10, 15, 21-26, 39, 41-43, 49, 63, 64.
    assert counts["市司法局"] == 50
    assert counts["市公安局"] == 55 and counts["赤坎镇"] == 50
    assert counts["市人力资源和社会保障局"] == 1  # 59 only
    assert counts["市委机构编制委员会办公室"] == 2  # 36 and 60
    groups = {g.name: g for g in listing.groups}
    assert list(groups["各镇（街）"].units) == TOWNS
    assert len(groups["其他行政执法单位"].units) == 26
    assert groups["其他行政执法单位"].measures == 0  # only 39's deadline names it
    assert groups["涉及执法职权下放的市直行政执法部门"].measures == 1  # measure 10


# --------------------------------------------------------------------------- show


def test_show_measure_39(plan: LoadedPlan) -> None:
    detail = show(plan, 39, D("2024-07-01"))
    assert detail.measure.area == 3 and detail.measure.task == 11
    assert len(detail.units) == 28
    assert dict(detail.units)["市公安局"] is None
    assert dict(detail.units)["赤坎镇"] == "各镇（街）"
    june, december = detail.milestones
    assert june.units == ("市公安局", "市交通运输局") and june.overdue and june.days_overdue == 1
    assert len(december.units) == 26 and not december.overdue and not december.complete
    assert detail.history == ()


def test_show_history_and_supersession(tracked: LoadedPlan) -> None:
    detail = show(tracked, 20, D("2024-07-01"))
    assert [(h.unit, h.status, h.current) for h in detail.history] == [
        ("市公安局", "推进中", False),
        ("市公安局", "已完成", True),  # "公安" resolved
    ]
    statuses = {s.unit: s for s in detail.milestones[0].statuses}
    assert statuses["市公安局"].status == "已完成" and statuses["市公安局"].date == D("2024-01-30")
    # 39 on 2024-07-01: 交通's entry (dated 07-10) is not history yet.
    d39 = show(tracked, 39, D("2024-07-01"))
    assert [h.unit for h in d39.history] == ["市公安局"]
    assert d39.milestones[0].owing == ("市交通运输局",) and not d39.milestones[0].complete
    later = show(tracked, 39, D("2024-07-10"))
    assert later.milestones[0].complete and not later.milestones[0].overdue
    # 35: complete once every one of its 14 units has completed it.
    assert show(tracked, 35, D("2024-01-30")).milestones[0].owing == ("市城市管理和综合执法局",)
    assert show(tracked, 35, D("2024-01-31")).milestones[0].complete


def test_show_undated_measure(tracked: LoadedPlan) -> None:
    detail = show(tracked, 21, D("2024-07-01"))
    (row,) = detail.milestones
    assert row.due is None and not row.overdue and not row.complete
    assert {s.unit: s.status for s in row.statuses}["赤坎镇"] == "推进中"


def test_show_unknown_measure(plan: LoadedPlan) -> None:
    with pytest.raises(UsageError, match="没有措施 67"):
        show(plan, 67, D("2024-07-01"))


# --------------------------------------------------------------------------- report


def test_report_by_area_2024_07_01(plan: LoadedPlan) -> None:
    result = report(plan, D("2024-07-01"), by="area")
    rows = {r.key: r for r in result.rows}
    # Area 2 (17-27): 17: 29; 18: 4 occurrences x 29 = 116; 19: 1; 20: 14; 22: 13; 23: 28;
    # 27: 2 milestones x 14 = 28; 21, 24-26 undated. Total 229. Due before 07-01: 17, 18 (May)
    # and 20: 29 + 29 + 14 = 72, all overdue (no progress).
    area2 = rows[2]
    assert (area2.obligations, area2.due, area2.overdue, area2.not_due) == (229, 72, 72, 157)
    assert area2.rate == 0
    # Area 6 (59-64): nothing due before 2024-12-31; 59: 31, 60: 17, 61: 29, 62: 30, 63, 64: 28.
    assert (rows[6].obligations, rows[6].due, rows[6].rate) == (163, 0, None)
    # 65 and 66 form their own row.
    assert rows[None].label == "组织实施" and rows[None].obligations == 2
    assert result.total.due == result.total.overdue == 441


def test_report_rows_add_up_whatever_by(tracked: LoadedPlan) -> None:
    totals = {by: report(tracked, D("2024-07-01"), by=by).total for by in ("unit", "area", "task")}
    assert totals["unit"] == totals["area"] == totals["task"]
    for by in ("unit", "area", "task"):
        for r in report(tracked, D("2025-01-01"), by=by).rows:
            assert r.completed + r.in_progress + r.overdue + r.not_due == r.obligations


def test_report_by_unit_with_progress(tracked: LoadedPlan) -> None:
    rows = {r.key: r for r in report(tracked, D("2024-07-01"), by="unit").rows}
    # 市公安局: 54 dated obligations (48 single-milestone measures + 5, 18 x3, 27, 30 extra; 39
    # counts once); 17 due (its overdue rows above); completed 20, 35 and 39's June milestone.
    police = rows["市公安局"]
    assert (police.obligations, police.due, police.completed_due, police.overdue) == (54, 17, 3, 14)
    assert police.not_due == 37 and police.rate == pytest.approx(3 / 17)
    # 市自然资源局: 55 dated obligations, 10 marked 不适用 -> 54, and 1 not applicable.
    nature = rows["市自然资源局"]
    assert (nature.obligations, nature.not_applicable, nature.due) == (54, 1, 16)
    # 市水利局: 27's October milestone is under way (not due yet): 推进中 1.
    water = rows["市水利局"]
    assert (water.in_progress, water.completed_due, water.overdue) == (1, 1, 15)
    # 赤坎镇: 44 dated measures + 5's, 30's second and 18's three extra = 49; 14 due; May's 18
    # done; 17 reopened (overdue).
    town = rows["赤坎镇"]
    assert (town.obligations, town.due, town.completed_due, town.overdue) == (49, 14, 1, 13)
    total = report(tracked, D("2024-07-01")).total
    # Completed before 2024-07-01: 20 公安, 35 x14, 52, 39 公安, 18 赤坎镇 = 18 obligations.
    # 1515 from the 完成时限 column, + 2 for 8's yearly report of 市司法局 (2024 and 2025).
    assert (total.obligations, total.due, total.completed_due, total.overdue) == (
        1517,
        441,
        18,
        423,
    )
    assert (total.in_progress, total.not_applicable, total.not_due) == (1, 1, 1073 + 2)


def test_report_rejects_unknown_by(plan: LoadedPlan) -> None:
    with pytest.raises(UsageError):
        report(plan, D("2024-07-01"), by="town")
