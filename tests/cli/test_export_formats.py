"""`kpzf export --format ics|xlsx|csv|md`: read each back with a real parser and check it.

Expected numbers are worked out by hand from the 台账 (plan.yaml), not copied from output:
- milestone occurrences: 66 items (64 measures + 65, 66) have one dated milestone each, except
  7 undated ones (21, 24, 25, 26, 42, 44, 50: 长期推进) and five with more: 5 (2), 18 (4 —
  每年5月底、11月底前 over 2024–2025), 27 (2), 30 (2), 39 (2): 59 + 7 = 66 events; plus measure 8's
  yearly report stated in its text (每年11月底前, 2024 and 2025): 68 events;
- task → measures and area → measures as in the annex (see TASKS, AREAS below).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from pathlib import Path

import icalendar
import openpyxl
import pytest

from kpzf.render.ics import escape_text, fold

TODAY = "2025-01-15"

# 具体任务 → its measures (first, last), as the annex groups them.
TASKS = {
    1: (1, 2),
    2: (3, 8),
    3: (9, 10),
    4: (11, 13),
    5: (14, 16),
    6: (17, 19),
    7: (20, 23),
    8: (24, 27),
    9: (28, 31),
    10: (32, 37),
    11: (38, 41),
    12: (42, 43),
    13: (44, 46),
    14: (47, 49),
    15: (50, 53),
    16: (54, 56),
    17: (57, 58),
    18: (59, 62),
    19: (63, 64),
}
AREAS = {1: (1, 16), 2: (17, 27), 3: (28, 43), 4: (44, 53), 5: (54, 58), 6: (59, 64)}

# Measures 市公安局 does not owe: 10 (下放 departments only), 19/47/48/52/65/66 (市司法局 only),
# 37 and 60 (司法局/编办 and the towns), 57/58 (four named departments without 公安).
NOT_POLICE = {10, 19, 37, 47, 48, 52, 57, 58, 60, 65, 66}

PROGRESS = """progress:
  - {measure: 1, unit: 市公安局, milestone: "2024-12-31", status: 推进中, date: "2024-06-01"}
  - {measure: 1, unit: 市公安局, milestone: "2024-12-31", status: 已完成, date: "2024-12-20", note: 开公〔2024〕12号}
  - {measure: 1, unit: 赤坎, status: 已完成, date: "2024-11-02"}
  - {measure: 30, unit: 公安, milestone: "2024-04-30", status: 已完成, date: "2024-04-28", note: 已在省系统公布}
  - {measure: 21, unit: 赤坎镇, status: 推进中, date: "2024-05-01", note: 按基准执行}
  - {measure: 10, unit: 市卫生健康局, status: 不适用, date: "2024-03-01", note: 无下放事项}
"""


def set_progress(plan: Path, block: str = PROGRESS) -> Path:
    text = plan.read_text(encoding="utf-8")
    at = text.rindex("progress: []")  # the last one; the comment above shows it too
    plan.write_text(text[:at] + block + text[at + len("progress: []\n") :], encoding="utf-8")
    return plan


def replace_text(plan: Path, old: str, new: str) -> None:
    text = plan.read_text(encoding="utf-8")
    assert text.count(old) == 1
    plan.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def progress_plan(plan_copy: Path) -> Path:
    return set_progress(plan_copy)


def export(run, plan: Path | None, *args: str, today: str = TODAY):  # type: ignore[no-untyped-def]
    prefix = ("--plan", str(plan)) if plan is not None else ()
    return run(*prefix, "export", *args, today=today)


# --------------------------------------------------------------------------------- ics


def ics(run, plan: Path | None, *args: str) -> tuple[bytes, icalendar.Calendar]:  # type: ignore[no-untyped-def]
    result = export(run, plan, "--format", "ics", *args)
    assert result.code == 0, result.err
    raw = result.out.encode("utf-8")
    return raw, icalendar.Calendar.from_ical(raw)


def by_uid(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def measure_and_due(uid: str) -> tuple[int, str]:
    match = re.fullmatch(r"kpzf-m(\d+)-(\d{4}-\d{2}-\d{2})@[0-9a-f]{10}\.kpzf", uid)
    assert match, uid
    return int(match.group(1)), match.group(2)


def test_ics_one_all_day_event_per_milestone_with_a_reminder(run) -> None:  # type: ignore[no-untyped-def]
    _, cal = ics(run, None, "--date", "2024-07-01")
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert "kpzf" in str(cal["PRODID"])
    assert str(cal["X-WR-CALNAME"]) == "开府办〔2024〕6号 任务节点"
    events = cal.walk("VEVENT")
    assert len(events) == 68
    for event in events:
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert type(start) is dt.date and type(end) is dt.date  # all-day, not date-times
        assert end - start == dt.timedelta(days=1)
        assert event["DTSTAMP"].dt == dt.datetime(2024, 7, 1, tzinfo=dt.timezone.utc)
        # Two alarms at 09:00 local time (the event starts at local midnight): a week before
        # and on the day — not at midnight.
        week, day = event.walk("VALARM")
        midnight = dt.datetime.combine(start, dt.time(0, 0))
        assert midnight + week["TRIGGER"].dt == dt.datetime.combine(
            start - dt.timedelta(days=7), dt.time(9, 0)
        )
        assert midnight + day["TRIGGER"].dt == dt.datetime.combine(start, dt.time(9, 0))
        for alarm in (week, day):
            assert str(alarm["ACTION"]) == "DISPLAY"
            assert str(event["SUMMARY"]) in str(alarm["DESCRIPTION"])
        _, due = measure_and_due(str(event["UID"]))
        assert start.isoformat() == due
    dates = sorted(
        measure_and_due(str(e["UID"]))[1] for e in events if str(e["UID"]).startswith("kpzf-m18-")
    )
    assert dates == ["2024-05-31", "2024-11-30", "2025-05-31", "2025-11-30"]


def test_ics_summary_and_description(run) -> None:  # type: ignore[no-untyped-def]
    _, cal = ics(run, None, "--date", "2024-07-01")
    events = {measure_and_due(uid): e for uid, e in by_uid(cal).items()}
    m30 = events[(30, "2024-05-15")]
    # The measure's short name skips the context clause (在完成系统注册的基础上) and is cut at 14
    # characters; then what this milestone owes.
    assert str(m30["SUMMARY"]) == "措施30 完成本单位行政处罚、行政许可…：报送市司法局"
    assert str(events[(30, "2024-04-30")]["SUMMARY"]) == (
        "措施30 完成本单位行政处罚、行政许可…：完成权责清单事项认领及公布"
    )
    description = str(m30["DESCRIPTION"])
    assert description.splitlines()[0].startswith(
        "（30）在完成系统注册的基础上，完成本单位行政处罚"
    )
    assert (
        "完成时限：2024年4月底前完成权责清单事项认领及公布，2024年5月15日前报送市司法局，持续推进"
        in (description)
    )
    assert "具体任务：9. 实行行政执法事项清单制度" in description
    # Nobody has reported: all 30 responsible units still owe it (市司法局, 市政务服务数据管理局,
    # 13 departments, 15 towns).
    assert "截至2024-07-01尚未完成（30/30个单位）：市司法局、市政务服务数据管理局、" in description
    m65 = events[(65, "2024-08-31")]
    assert str(m65["SUMMARY"]) == "组织实施（65）：完成中期评估"
    # A bare deadline (35: 2024年1月底前) owes "完成": the title says by which day instead.
    assert str(events[(35, "2024-01-31")]["SUMMARY"]) == "措施35 全力推进“百县千镇万村高质量…：1月31日前完成"
    # 39's two milestones name the units each binds; 8's yearly report comes from its text.
    assert str(events[(39, "2024-06-30")]["SUMMARY"]) == (
        "措施39 建立行政执法协作机制：形成阶段性成果（市公安局、市交通运输局）"
    )
    assert str(events[(39, "2024-12-31")]["SUMMARY"]) == (
        "措施39 建立行政执法协作机制：12月31日前完成（其他行政执法单位）"
    )
    m8 = events[(8, "2024-11-30")]
    assert str(m8["SUMMARY"]) == "措施8 统筹制定乡镇（街道）综合行政…：将培训情况报江门市司法局（每年；市司法局）"
    assert "时限见措施原文" in str(m8["DESCRIPTION"])


def test_ics_titles_tell_milestones_apart(run) -> None:  # type: ignore[no-untyped-def]
    """On any one day no two events share a title, and no title says only 完成."""
    _, cal = ics(run, None, "--date", "2024-07-01")
    by_day: dict[dt.date, list[str]] = {}
    for event in cal.walk("VEVENT"):
        title = str(event["SUMMARY"])
        assert not title.endswith("：完成") and "到期：完成" not in title, title
        measure, _ = measure_and_due(str(event["UID"]))
        assert title.startswith((f"措施{measure} ", f"组织实施（{measure}）")), title
        by_day.setdefault(event["DTSTART"].dt, []).append(title)
    for day, titles in by_day.items():
        assert len(set(titles)) == len(titles), (day, titles)
    assert len(by_day[dt.date(2024, 12, 31)]) == 16


def test_ics_is_byte_stable_and_uids_unique(run) -> None:  # type: ignore[no-untyped-def]
    first, cal = ics(run, None, "--date", "2024-07-01")
    second, _ = ics(run, None, "--date", "2024-07-01")
    assert first == second
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert len(set(uids)) == len(uids) == 68
    # A later export is a newer revision of the same events: same UIDs, later DTSTAMP.
    _, later = ics(run, None, "--date", "2024-12-31")
    assert set(by_uid(later)) == set(uids)
    assert b"DTSTAMP:20240701T000000Z\r\n" in first


def test_ics_lines_are_crlf_and_folded_at_75_octets(run) -> None:  # type: ignore[no-untyped-def]
    raw, cal = ics(run, None, "--date", "2024-07-01")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # no bare line feeds
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # long Chinese text did get folded
    for line in lines:
        line.decode("utf-8")  # each physical line is whole UTF-8: no character split in two
    # Unfolding gives back the whole text.
    m1 = next(e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("kpzf-m1-"))
    assert "（1）始终坚持把党的政治建设摆在首位，持续强化执法队伍的政治素质培训教育" in str(
        m1["DESCRIPTION"]
    )


def test_fold_counts_octets_and_keeps_characters_whole() -> None:
    line = "DESCRIPTION:" + "开平a😀" * 30
    folded = fold(line)
    parts = folded.split("\r\n")
    assert len(parts[0].encode("utf-8")) <= 75
    assert all(len(p.encode("utf-8")) <= 75 and p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line
    assert fold("SHORT:x") == "SHORT:x"


def test_escape_text() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert escape_text("x\r\ny\x07") == "x\\ny"


def test_ics_text_with_special_characters_round_trips(run, plan_copy: Path) -> None:  # type: ignore[no-untyped-def]
    replace_text(
        plan_copy,
        "text: 适时组织对我市专项整治情况开展专项监督，并将专项监督情况向市政府报告。",
        'text: "专项监督 a,b;c\\\\d 报告"',
    )
    _, cal = ics(run, plan_copy, "--date", "2024-07-01")
    m19 = next(e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("kpzf-m19-"))
    assert str(m19["DESCRIPTION"]).splitlines()[0] == "（19）专项监督 a,b;c\\d 报告"
    assert str(m19["SUMMARY"]) == "措施19 专项监督 a：12月31日前完成"


def test_ics_for_one_unit(run) -> None:  # type: ignore[no-untyped-def]
    # 市政务服务数据管理局 is named in 28–30 and 54–58; 30 has two milestones.
    _, cal = ics(run, None, "--unit", "政务服务数据管理局", "--date", "2024-07-01")
    assert str(cal["X-WR-CALNAME"]) == "开府办〔2024〕6号 任务节点（市政务服务数据管理局）"
    got = sorted(measure_and_due(uid) for uid in by_uid(cal))
    assert got == [
        (28, "2024-04-30"),
        (29, "2024-04-30"),
        (30, "2024-04-30"),
        (30, "2024-05-15"),
        (54, "2024-06-30"),
        (55, "2024-12-31"),
        (56, "2025-06-30"),
        (57, "2025-03-31"),
        (58, "2025-06-30"),
    ]
    # Measure 39: 2024-06-30 binds only 公安 and 交通运输; 2024-12-31 the other units.
    _, police = ics(run, None, "--unit", "公安", "--date", "2024-07-01")
    _, town = ics(run, None, "--unit", "赤坎", "--date", "2024-07-01")
    assert [d for m, d in map(measure_and_due, by_uid(police)) if m == 39] == ["2024-06-30"]
    assert [d for m, d in map(measure_and_due, by_uid(town)) if m == 39] == ["2024-12-31"]
    # A unit's events keep the UIDs of the whole-plan calendar (they are the same deadlines).
    _, whole = ics(run, None, "--date", "2024-07-01")
    assert set(by_uid(police)) < set(by_uid(whole))


def test_ics_shows_progress_as_of_the_date(run, progress_plan: Path) -> None:  # type: ignore[no-untyped-def]
    _, cal = ics(run, progress_plan, "--unit", "市公安局", "--date", "2024-12-31")
    m1 = next(e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("kpzf-m1-"))
    assert "截至2024-12-31市公安局的进度：已完成（2024-12-20，开公〔2024〕12号）" in str(
        m1["DESCRIPTION"]
    )
    _, whole = ics(run, progress_plan, "--date", "2024-12-31")
    m1 = next(e for e in whole.walk("VEVENT") if str(e["UID"]).startswith("kpzf-m1-"))
    owing = str(m1["DESCRIPTION"]).splitlines()[-1]
    assert owing.startswith("截至2024-12-31尚未完成（27/29个单位）：市司法局、市发展和改革局、")
    assert "市公安局" not in owing and "赤坎镇" not in owing
    # Before 2024-12-20 the police had only reported 推进中: it still owes the milestone.
    _, earlier = ics(run, progress_plan, "--unit", "公安", "--date", "2024-07-01")
    m1 = next(e for e in earlier.walk("VEVENT") if str(e["UID"]).startswith("kpzf-m1-"))
    assert str(m1["DESCRIPTION"]).endswith("截至2024-07-01市公安局的进度：推进中（2024-06-01）")


@pytest.mark.parametrize(
    ("unit", "message", "hint"),
    [
        ("市", "不唯一", "市司法局"),
        ("不存在的局", "找不到单位", "kpzf units"),
        ("各镇（街）", "是单位组", "三埠街道"),
    ],
)
def test_unknown_ambiguous_or_group_unit_is_exit_2(run, unit: str, message: str, hint: str) -> None:  # type: ignore[no-untyped-def]
    result = export(run, None, "--format", "ics", "--unit", unit)
    assert result.code == 2
    assert message in result.err and hint in result.err
    assert result.out == ""


# --------------------------------------------------------------------------------- xlsx


def xlsx(run, plan: Path | None, target: Path, *args: str):  # type: ignore[no-untyped-def]
    result = export(run, plan, "--format", "xlsx", "--output", str(target), *args)
    assert result.code == 0, result.err
    assert result.out == ""
    return openpyxl.load_workbook(target).active


def rows_by_measure(sheet) -> dict[int, int]:  # type: ignore[no-untyped-def]
    """Measure number → sheet row, from the （N） that starts each 主要措施 cell."""
    found = {}
    for row in range(4, sheet.max_row + 1):
        match = re.match(r"（(\d+)）", sheet.cell(row, 3).value or "")
        if match:
            found[int(match.group(1))] = row
    return found


def test_xlsx_layout_headers_and_merges(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sheet = xlsx(run, None, tmp_path / "台账.xlsx", "--date", "2024-07-01")
    assert sheet["A1"].value == "开平市提升行政执法质量三年行动工作方案任务台账"
    assert sheet["A2"].value.startswith("开府办〔2024〕6号")
    headers = [sheet.cell(3, c).value for c in range(1, 7)]
    assert headers == ["重点任务", "具体任务", "主要措施", "责任单位", "完成时限", "进度情况"]
    assert all(sheet.cell(3, c).font.b for c in range(1, 7))
    rows = rows_by_measure(sheet)
    assert list(rows) == list(range(1, 67))  # 64 measures in order, then 65 and 66
    assert rows[1] == 4 and rows[64] == 67 and sheet.max_row == 69
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # Each 重点任务/具体任务 is merged down its measures, cut where a printed page ends (the
    # sheet's manual row breaks) and labelled again below a cut, marked （续）.
    breaks = {b.id for b in sheet.row_breaks.brk}
    assert breaks, "a 66-row 台账 takes several pages"
    for column, spans_ in (("A", AREAS), ("B", TASKS)):
        for key, (first, last) in spans_.items():
            top, bottom = rows[first], rows[last]
            cuts = sorted(b + 1 for b in breaks if top < b + 1 <= bottom)
            starts, ends = [top, *cuts], [c - 1 for c in cuts] + [bottom]
            label = sheet.cell(top, 1 if column == "A" else 2).value
            for part, (a, b) in enumerate(zip(starts, ends, strict=True)):
                if b > a:
                    assert f"{column}{a}:{column}{b}" in merged, (column, key, a, b)
                value = sheet.cell(a, 1 if column == "A" else 2).value
                assert value == (label + "（续）" if part else label), (column, key, value)
    for area, (first, _) in AREAS.items():
        assert sheet.cell(rows[first], 1).value.startswith("（" + "一二三四五六"[area - 1] + "）")
    for task, (first, _) in TASKS.items():
        assert sheet.cell(rows[first], 2).value.startswith(f"{task}. ")
    assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert f"A{rows[65]}:B{rows[66]}" in merged  # 组织实施 block
    assert sheet.cell(rows[65], 1).value == "组织实施"
    assert sheet.cell(rows[18], 5).value == "每年5月底、11月底前"
    assert sheet.cell(rows[1], 3).alignment.wrap_text
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width
    assert sheet.cell(rows[1], 6).value is None  # no progress recorded: blank, as on the form


def test_xlsx_progress_as_of_date(run, progress_plan: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sheet = xlsx(run, progress_plan, tmp_path / "a.xlsx", "--date", "2024-12-31")
    rows = rows_by_measure(sheet)
    progress = {m: sheet.cell(r, 6).value for m, r in rows.items()}
    assert progress[1] == (
        "已完成 2/29\n市公安局：已完成（2024-12-20，开公〔2024〕12号）\n赤坎镇：已完成（2024-11-02）"
    )
    # Past due on 2024-12-31 and still open: 逾期.
    assert progress[30] == (
        "2024-04-30 完成权责清单事项认领及公布：逾期，已完成 1/30\n"
        "市公安局：已完成（2024-04-28，已在省系统公布）\n"
        "2024-05-15 报送市司法局：逾期，已完成 0/30"
    )
    assert progress[21] == "已完成 0/28，推进中 1\n赤坎镇：推进中（2024-05-01，按基准执行）"
    assert progress[10] == "已完成 0/7，不适用 1\n市卫生健康局：不适用（2024-03-01，无下放事项）"
    assert progress[2] is None
    # As of 2024-07-01 the later entries are not yet known.
    earlier = xlsx(run, progress_plan, tmp_path / "b.xlsx", "--date", "2024-07-01")
    assert earlier.cell(rows[1], 6).value == "已完成 0/29，推进中 1\n市公安局：推进中（2024-06-01）"


def test_xlsx_for_one_unit(run, progress_plan: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sheet = xlsx(
        run, progress_plan, tmp_path / "公安.xlsx", "--unit", "公安", "--date", "2024-12-31"
    )
    assert sheet.title == "市公安局"
    assert "填报单位：市公安局" in sheet["A2"].value
    rows = rows_by_measure(sheet)
    assert set(rows) == set(range(1, 67)) - NOT_POLICE
    assert len(rows) == 55
    assert sheet.cell(rows[1], 6).value == "已完成（2024-12-20，开公〔2024〕12号）"
    assert sheet.cell(rows[2], 6).value == "未开始"
    assert sheet.cell(rows[30], 6).value == (
        "2024-04-30 完成权责清单事项认领及公布：已完成（2024-04-28，已在省系统公布）\n"
        "2024-05-15 报送市司法局：逾期，未开始"
    )
    # Measure 39 has two milestones; only the 2024-06-30 one binds 公安, and it is named.
    assert sheet.cell(rows[39], 6).value == "2024-06-30 形成阶段性成果：逾期，未开始"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # Task 3 is measures 9–10; 公安 owes only 9, so there is nothing to merge.
    assert not any(r.startswith(f"B{rows[9]}:") for r in merged)
    # Area 1: 公安 owes all of 1–16 (rows 4–18 without 10); the first page ends inside it, so it
    # is merged in two parts, the second labelled again.
    (cut,) = [b.id + 1 for b in sheet.row_breaks.brk if rows[1] < b.id + 1 <= rows[16]]
    assert {f"A{rows[1]}:A{cut - 1}", f"A{cut}:A{rows[16]}"} <= merged
    assert sheet.cell(cut, 1).value == sheet.cell(rows[1], 1).value + "（续）"
    assert f"B{rows[17]}:B{rows[18]}" in merged  # task 6 without 19 (市司法局 only)


def test_xlsx_lights_follow_warn_days(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Measure 18 (每年5月底、11月底前) for 市司法局 on 2024-05-20: its first milestone,
    2024-05-31, is 11 days away — yellow within the plan's default 15 days, green (on track)
    with --warn-days 10."""
    fills = {}
    for label, extra in (("default", ()), ("10", ("--warn-days", "10"))):
        out = tmp_path / f"{label}.xlsx"
        r = run("export", "--format", "xlsx", "--unit", "市司法局", "--date", "2024-05-20",
                *extra, "--output", str(out))
        assert r.code == 0, r.err
        ws = openpyxl.load_workbook(out).active
        row = next(c.row for c in ws["C"] if isinstance(c.value, str) and c.value.startswith("（18）"))
        fills[label] = ws.cell(row, 6).fill.fgColor.rgb
    assert fills == {"default": "00FFEB9C", "10": "00C6EFCE"}  # LIGHT_FILLS: yellow, green


def test_xlsx_needs_output(run) -> None:  # type: ignore[no-untyped-def]
    result = export(run, None, "--format", "xlsx")
    assert result.code == 2
    assert "--output" in result.err and "二进制" in result.err
    assert result.out == ""


def test_xlsx_without_openpyxl(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl now raises ImportError
    result = export(run, None, "--format", "xlsx", "--output", str(tmp_path / "x.xlsx"))
    assert result.code == 2
    assert "pip install 'kpzf[xlsx]'" in result.err
    assert not (tmp_path / "x.xlsx").exists()


# --------------------------------------------------------------------------------- csv, md


def test_csv_is_the_same_table_with_bom(run, progress_plan: Path) -> None:  # type: ignore[no-untyped-def]
    result = export(run, progress_plan, "--format", "csv", "--date", "2024-12-31")
    assert result.code == 0, result.err
    assert result.out.startswith("\ufeff重点任务,具体任务,主要措施,责任单位,完成时限,进度情况\r\n")
    rows = list(csv.reader(io.StringIO(result.out.removeprefix("\ufeff"), newline="")))
    assert rows[0] == ["重点任务", "具体任务", "主要措施", "责任单位", "完成时限", "进度情况"]
    assert len(rows) == 1 + 66
    assert all(len(r) == 6 for r in rows)
    first = rows[1]
    assert first[0] == "（一）全面提升行政执法人员能力素质" and first[1] == "1. 坚持党建引领"
    assert rows[2][0] == first[0]  # the CSV repeats area and task on every row, for filtering
    assert first[5].split("\n") == [
        "已完成 2/29",
        "市公安局：已完成（2024-12-20，开公〔2024〕12号）",
        "赤坎镇：已完成（2024-11-02）",
    ]
    assert rows[-1][0] == "组织实施" and rows[-1][2].startswith("（66）")


def test_csv_for_one_unit(run) -> None:  # type: ignore[no-untyped-def]
    result = export(run, None, "--format", "csv", "--unit", "市公安局", "--date", "2024-07-01")
    rows = list(csv.reader(io.StringIO(result.out.removeprefix("\ufeff"), newline="")))
    assert len(rows) == 1 + 55
    assert {r[5] for r in rows[1:]} == {"未开始", "逾期，未开始"} | {
        r[5]
        for r in rows[1:]
        if "：" in r[5]  # measures with several milestones are labelled
    }


def test_md_table(run, plan_copy: Path) -> None:  # type: ignore[no-untyped-def]
    set_progress(plan_copy)
    replace_text(
        plan_copy,
        "text: 适时组织对我市专项整治情况开展专项监督，并将专项监督情况向市政府报告。",
        'text: "专项监督 a|b 报告"',
    )
    result = export(run, plan_copy, "--format", "md", "--date", "2024-12-31")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "## 开平市提升行政执法质量三年行动工作方案任务台账"
    table = [line for line in lines if line.startswith("|")]
    assert table[0] == "| 重点任务 | 具体任务 | 主要措施 | 责任单位 | 完成时限 | 进度情况 |"
    assert table[1] == "|---|---|---|---|---|---|"
    body = table[2:]
    assert len(body) == 66
    for line in body:  # exactly six cells once escaped pipes are set aside
        assert len(re.split(r"(?<!\\)\|", line)) == 8, line
    m19 = next(line for line in body if "（19）" in line)
    assert "（19）专项监督 a\\|b 报告" in m19
    m1 = next(line for line in body if "（1）" in line)
    assert "已完成 2/29<br>市公安局：已完成（2024-12-20，开公〔2024〕12号）<br>赤坎镇" in m1
    # Area and task are named on their first row only, like the merged cells of the sheet.
    m2 = next(line for line in body if "（2）" in line)
    assert m2.startswith("|  |  | （2）")


# --------------------------------------------------------------------------------- --output


def test_output_writes_atomically_and_replaces(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out" / "台账.md"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    result = export(run, None, "--format", "md", "--date", "2024-07-01", "--output", str(target))
    assert result.code == 0, result.err
    assert result.out == ""
    assert "已写入" in result.err
    stdout = export(run, None, "--format", "md", "--date", "2024-07-01").out
    assert target.read_text(encoding="utf-8") == stdout
    assert [p.name for p in target.parent.iterdir()] == ["台账.md"]  # no temp file left behind


def test_ics_file_and_stdout_are_the_same_bytes(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "a.ics"
    assert export(run, None, "-f", "ics", "--date", "2024-07-01", "-o", str(target)).code == 0
    assert (
        target.read_bytes() == export(run, None, "-f", "ics", "--date", "2024-07-01").out.encode()
    )


def test_output_refuses_the_plan_file(run, plan_copy: Path) -> None:  # type: ignore[no-untyped-def]
    before = plan_copy.read_bytes()
    result = run("export", "--format", "csv", "--output", "plan.yaml", cwd=plan_copy.parent)
    assert result.code == 2
    assert "计划文件本身" in result.err
    assert plan_copy.read_bytes() == before


def test_output_in_a_missing_directory_or_onto_a_directory(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = export(run, None, "--format", "csv", "--output", str(tmp_path / "nope" / "a.csv"))
    assert result.code == 2 and "不存在" in result.err
    assert not (tmp_path / "nope").exists()
    result = export(run, None, "--format", "csv", "--output", str(tmp_path))
    assert result.code == 2 and "是一个目录" in result.err


# --------------------------------------------------------------------------------- json


def test_json_unchanged_and_rejects_date_and_unit(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = export(run, None, "--format", "json")
    assert result.code == 0
    data = json.loads(result.out)
    assert list(data) == [
        "meta",
        "areas",
        "measures",
        "implementation",
        "units",
        "groups",
        "progress",
    ]
    assert len(data["measures"]) == 64
    target = tmp_path / "plan.json"
    assert export(run, None, "--format", "json", "--output", str(target)).code == 0
    assert target.read_text(encoding="utf-8") == result.out
    for option in (("--unit", "公安"), ("--date", "2024-07-01")):
        rejected = export(run, None, "--format", "json", *option)
        assert rejected.code == 2 and "不适用于 json" in rejected.err


def test_unknown_format_lists_choices(run) -> None:  # type: ignore[no-untyped-def]
    result = export(run, None, "--format", "pdf")
    assert result.code == 2
    assert "ics" in result.err and "xlsx" in result.err


def test_ics_for_a_unit_without_dated_milestones_is_refused(run, plan_copy: Path) -> None:  # type: ignore[no-untyped-def]
    # A unit in the registry that no measure names: an empty VCALENDAR would break RFC 5545.
    replace_text(plan_copy, "  - name: 市财政局\n", "  - name: 市财政局\n  - name: 市民政局\n")
    result = export(run, plan_copy, "--format", "ics", "--unit", "市民政局")
    assert result.code == 1
    assert "没有带截止日期的节点" in result.err
    assert result.out == ""
    # The ledger formats still answer: an empty table (header only).
    table = export(run, plan_copy, "--format", "csv", "--unit", "市民政局")
    assert table.code == 0
    assert table.out.count("\r\n") == 1
