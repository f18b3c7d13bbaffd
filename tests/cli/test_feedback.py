"""进度反馈表 round trip: export a unit's sheet, fill it as a liaison would, import it back.

Expected answers are worked out by hand from plan.yaml (Kaiping). 赤坎镇 owes, through
各镇（街）, every milestone of the measures naming 各镇（街）; the ones due before 2024-07-10 are
(完成时限 column, measure by measure):
   3  2024年6月底前建立培训制度               → 2024-06-30
   5  2024年6月底前形成阶段性成果，2025年3月底前全覆盖 → 2024-06-30 (and 2025-03-31)
   6  2024年6月底前完成首轮全员轮训           → 2024-06-30
   8  2024年6月底前建立培训计划               → 2024-06-30
   9, 11, 12, 54                              → 2024-06-30
  17  2024年2月6日前完成备案                  → 2024-02-06
  18  每年5月底、11月底前                     → 2024-05-31 (then 11-30, 2025-05-31, 11-30)
  28, 29  2024年4月底前形成阶段性成果          → 2024-04-30
  30  2024年4月底前完成权责清单…，2024年5月15日前报送市司法局 → 2024-04-30, 2024-05-15
That is 14 milestones due, on 13 measures. The liaison reports 3, 5 (2024-06-30) and 6 as
已完成 and asks to put off 13 (2024年12月底前形成阶段性成果 → 2024-12-31, not yet due) to
2025-03-31; 9 is left as it was. So 11 milestones stay overdue on 2024-07-10.

Days overdue on 2024-07-10 (2024 is a leap year):
  2024-02-06: 23 (rest of Feb) + 31 + 30 + 31 + 30 + 10 = 155
  2024-04-30: 31 + 30 + 10 = 71;  2024-05-15: 16 + 30 + 10 = 56
  2024-05-31: 30 + 10 = 40;       2024-06-30: 10
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

openpyxl = pytest.importorskip("openpyxl")

TODAY = "2024-07-10"
EXPORT = ("export", "--format", "feedback", "--unit", "赤坎镇", "--date", "2024-07-01")
HEADER_ROW = 4  # title, subtitle, instructions, then the header

OVERDUE_AFTER = [  # (measure, due, days overdue), most overdue first, then by measure
    (17, "2024-02-06", 155),
    (28, "2024-04-30", 71),
    (29, "2024-04-30", 71),
    (30, "2024-04-30", 71),
    (30, "2024-05-15", 56),
    (18, "2024-05-31", 40),
    (8, "2024-06-30", 10),
    (9, "2024-06-30", 10),
    (11, "2024-06-30", 10),
    (12, "2024-06-30", 10),
    (54, "2024-06-30", 10),
]


def export(run: Run, plan: Path, out: Path, *extra: str) -> None:
    r = run("--plan", str(plan), *EXPORT, "--output", str(out), *extra, today=TODAY)
    assert r.code == 0, r.err


class Sheet:
    """The workbook as a liaison sees it: rows found by the 措施 and 截止日期 they show."""

    def __init__(self, path: Path) -> None:
        self.book = openpyxl.load_workbook(path)
        self.ws = self.book.active
        self.col = {c.value: c.column for c in self.ws[HEADER_ROW] if c.value}

    def row(self, measure: int, due: str) -> int:
        for r in range(HEADER_ROW + 1, self.ws.max_row + 1):
            if self.ws.cell(r, self.col["措施"]).value == measure and (
                self.ws.cell(r, self.col["截止日期"]).value == due
            ):
                return r
        raise AssertionError(f"no row for measure {measure} due {due}")

    def fill(self, measure: int, due: str, **cells: Any) -> int:
        names = {
            "status": "状态", "done": "完成日期", "progress": "进展情况",
            "evidence": "佐证材料/文号", "until": "申请延期至", "reason": "延期原因",
            "text": "措施内容", "key": "行键（请勿修改）",
        }  # fmt: skip
        r = self.row(measure, due)
        for name, value in cells.items():
            self.ws.cell(r, self.col[names[name]], value)
        return r

    def save(self, path: Path) -> Path:
        self.book.save(path)
        return path


def filled_sheet(run: Run, plan: Path, tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """The done-when sheet: three rows 已完成, one 延期 with a new date and reason, one untouched."""
    export(run, plan, tmp_path / "赤坎镇.xlsx")
    sheet = Sheet(tmp_path / "赤坎镇.xlsx")
    rows = {
        "3": sheet.fill(3, "2024-06-30", status="已完成", done=dt.datetime(2024, 6, 20),
                        evidence="赤府〔2024〕12号"),
        "5": sheet.fill(5, "2024-06-30", status="已完成", done="2024/6/28",
                        progress="已完成备案登记"),
        "6": sheet.fill(6, "2024-06-30", status="已完成", done=dt.datetime(2024, 7, 5)),
        "13": sheet.fill(13, "2024-12-31", status="延期", until=dt.datetime(2025, 3, 31),
                         reason="镇机构改革，执法队伍调整"),
        "9": sheet.row(9, "2024-06-30"),  # untouched
    }  # fmt: skip
    return sheet.save(tmp_path / "赤坎镇-已填.xlsx"), rows


# --------------------------------------------------------------------------- the sheet


def test_sheet_is_protected_with_a_status_dropdown_and_hidden_keys(
    run: Run, plan_copy: Path, tmp_path: Path
) -> None:
    export(run, plan_copy, tmp_path / "s.xlsx")
    sheet = Sheet(tmp_path / "s.xlsx")
    ws = sheet.ws
    assert list(sheet.col) == [
        "措施", "措施内容", "节点", "截止日期", "当前状态", "最近说明",
        "状态", "完成日期", "进展情况", "佐证材料/文号", "申请延期至", "延期原因", "行键（请勿修改）",
    ]  # fmt: skip
    assert ws.protection.sheet and not ws.protection.password
    key_letter = ws.cell(HEADER_ROW, sheet.col["行键（请勿修改）"]).column_letter
    assert ws.column_dimensions[key_letter].hidden
    r = sheet.row(3, "2024-06-30")
    assert ws.cell(r, sheet.col["节点"]).value == "建立培训制度"
    # On 2024-07-01 the 2024-06-30 milestone is one day overdue: red (core/lights.py).
    assert ws.cell(r, sheet.col["当前状态"]).value == "红灯：逾期 1 天\n未开始"
    assert ws.cell(r, sheet.col["当前状态"]).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(r, sheet.col["措施内容"]).protection.locked
    for name in ("状态", "完成日期", "进展情况", "佐证材料/文号", "申请延期至", "延期原因"):
        assert not ws.cell(r, sheet.col[name]).protection.locked, name
    key = ws.cell(r, sheet.col["行键（请勿修改）"]).value
    assert key.startswith("kpzf1|3|2024-06-30|赤坎镇|")
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert [dv.formula1 for dv in lists] == ['"未开始,推进中,已完成,延期,不适用"']
    assert f"{ws.cell(r, sheet.col['状态']).coordinate}" in lists[0].sqref
    # Measure 5 has two milestones (2024-06-30, 2025-03-31), measure 18 four (每年5月底、11月底前
    # over 2024–2025); measure 39 binds the towns only at 2024-12-31; measure 10 (涉及执法职权
    # 下放的市直行政执法部门) not at all.
    measures = [ws.cell(i, 1).value for i in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert measures.count(5) == 2 and measures.count(18) == 4 and measures.count(39) == 1
    assert 10 not in measures
    assert ws.print_title_rows == "$4:$4" or ws.print_title_rows == "4:4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1


def test_sheet_rows_are_the_unit_duties(run: Run, plan_copy: Path, tmp_path: Path) -> None:
    """One row per milestone `kpzf unit` lists for 赤坎镇, and one per undated measure."""
    export(run, plan_copy, tmp_path / "s.xlsx")
    ws = Sheet(tmp_path / "s.xlsx").ws
    r = run("--plan", str(plan_copy), "unit", "赤坎镇", "--date", "2024-07-01", "-f", "json")
    duties = json.loads(r.out)["measures"]
    expected = [
        (d["measure"], m["due"] or "长期推进") for d in duties for m in d["milestones"]
    ] + [(d["measure"], "长期推进") for d in duties if not d["milestones"]]
    rows = [(ws.cell(i, 1).value, ws.cell(i, 4).value) for i in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert sorted(rows) == sorted(expected)


def test_all_writes_one_file_per_unit(run: Run, plan_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "反馈表"
    r = run("--plan", str(plan_copy), "export", "--format", "feedback", "--all", "--output",
            str(out), "--date", "2024-07-01", today=TODAY)  # fmt: skip
    assert r.code == 0, r.err
    names = sorted(p.name for p in out.iterdir())
    # 15 towns, 市司法局 and the 13 departments of 市直行政执法部门, 市政务服务数据管理局 …: every
    # unit that owes a milestone; at least the towns and the two named here.
    assert "赤坎镇-进度反馈表.xlsx" in names and "市司法局-进度反馈表.xlsx" in names
    assert len([n for n in names if n.endswith("镇-进度反馈表.xlsx")]) == 13
    assert f"已写入 {len(names)} 个进度反馈表" in r.err


def test_feedback_needs_a_unit_or_all(run: Run, plan_copy: Path) -> None:
    r = run("--plan", str(plan_copy), "export", "--format", "feedback", today=TODAY)
    assert r.code == 2 and "--unit" in r.err and "--all" in r.err
    r = run("--plan", str(plan_copy), "export", "--format", "feedback", "--unit", "各镇（街）")
    assert r.code == 2


# --------------------------------------------------------------------------- the round trip


def test_round_trip_answers_overdue_and_report(run: Run, plan_copy: Path, tmp_path: Path) -> None:
    filled, rows = filled_sheet(run, plan_copy, tmp_path)
    plan = str(plan_copy)

    before = run("--plan", plan, "overdue", "--unit", "赤坎镇", "--date", TODAY, "-f", "json")
    assert len(json.loads(before.out)) == 14  # 14 milestones due before the import

    dry = run("--plan", plan, "import-progress", str(filled), "--dry-run", today=TODAY)
    assert dry.code == 0, dry.err
    assert plan_copy.read_bytes() == (Path(__file__).parents[2] / "plan.yaml").read_bytes()
    assert f"# {filled}:赤坎镇:{rows['3']}\n" in dry.out
    assert "将追加 4 条" in dry.err

    r = run("--plan", plan, "import-progress", str(filled), today=TODAY)
    assert r.code == 0, r.err
    assert "追加 4 条" in r.err and "共追加 4 条进度记录" in r.err

    text = plan_copy.read_text(encoding="utf-8")
    assert (
        '  - {measure: 3, unit: "赤坎镇", milestone: "2024-06-30", status: "已完成", '
        'date: "2024-06-20", note: "佐证材料/文号：赤府〔2024〕12号"}\n'
    ) in text
    assert (
        '  - {measure: 13, unit: "赤坎镇", milestone: "2024-12-31", status: "延期", '
        'date: "2024-07-10", note: "延期原因：镇机构改革，执法队伍调整", until: "2025-03-31"}\n'
    ) in text

    after = run("--plan", plan, "overdue", "--unit", "赤坎镇", "--date", TODAY, "-f", "json")
    got = [(o["measure"], o["due"], o["days_overdue"]) for o in json.loads(after.out)]
    assert got == OVERDUE_AFTER

    report = run("--plan", plan, "report", "--date", TODAY, "-f", "json")
    town = next(row for row in json.loads(report.out)["rows"] if row["key"] == "赤坎镇")
    # 14 due, 3 of them done; 13 (延期, not due) in progress; the other 11 due are overdue.
    assert town["due"] == 14
    assert town["completed"] == 3 and town["completed_due"] == 3
    assert town["in_progress"] == 1
    assert town["overdue"] == 11
    assert town["not_due"] == town["obligations"] - 14 - 1
    assert town["rate"] == round(3 / 14, 4)

    # The same file again: nothing changes, to the byte.
    written = plan_copy.read_bytes()
    again = run("--plan", plan, "import-progress", str(filled), today=TODAY)
    assert again.code == 0, again.err
    assert "没有需要追加的记录" in again.err and "追加 0 条" in again.err
    assert plan_copy.read_bytes() == written


def test_a_sheet_exported_after_the_import_shows_the_new_status(
    run: Run, plan_copy: Path, tmp_path: Path
) -> None:
    filled, _ = filled_sheet(run, plan_copy, tmp_path)
    assert run("--plan", str(plan_copy), "import-progress", str(filled), today=TODAY).code == 0
    r = run("--plan", str(plan_copy), "export", "--format", "feedback", "--unit", "赤坎",
            "--date", TODAY, today=TODAY)  # fmt: skip
    lines = {(row[0], row[3]): row for row in csv.reader(io.StringIO(r.out.lstrip("\ufeff")))}
    assert lines[("3", "2024-06-30")][4:6] == ["已完成（2024-06-20）", "佐证材料/文号：赤府〔2024〕12号"]
    assert lines[("13", "2024-12-31")][4] == "延期（2024-07-10），延期至 2025-03-31"
    assert lines[("9", "2024-06-30")][4] == "红灯：逾期 10 天\n未开始"
    # 2024-07-10 to 2024-07-15 (measure 5's second milestone is 2025-03-31; 18's next 11-30):
    # nothing of 赤坎镇's is due within 15 days, so no yellow light here.
    assert not any(row[4].startswith("黄灯") for row in lines.values())


# --------------------------------------------------------------------------- refusals


def test_edited_locked_cell_or_unknown_key_is_refused_with_its_row(
    run: Run, plan_copy: Path, tmp_path: Path
) -> None:
    export(run, plan_copy, tmp_path / "s.xlsx")
    before = plan_copy.read_bytes()

    sheet = Sheet(tmp_path / "s.xlsx")  # openpyxl ignores the protection, as a determined user can
    sheet.fill(6, "2024-06-30", status="已完成", done=dt.datetime(2024, 6, 30))
    edited = sheet.fill(3, "2024-06-30", text="（3）改写过的措施内容", status="已完成",
                        done=dt.datetime(2024, 6, 20))  # fmt: skip
    sheet.save(tmp_path / "edited.xlsx")

    sheet = Sheet(tmp_path / "s.xlsx")
    sheet.fill(6, "2024-06-30", status="已完成", done=dt.datetime(2024, 6, 30))
    unknown = sheet.fill(5, "2024-06-30", key="kpzf1|5|2024-06-30|赤坎镇|0000000000|ffffffffff")
    sheet.fill(5, "2024-06-30", status="推进中")
    sheet.save(tmp_path / "unknown.xlsx")

    r = run("--plan", str(plan_copy), "import-progress", str(tmp_path / "edited.xlsx"),
            str(tmp_path / "unknown.xlsx"), today=TODAY)  # fmt: skip
    assert r.code == 1
    assert f"edited.xlsx:赤坎镇:{edited}: 错误：锁定的栏被修改过（“措施内容”与导出时不同）" in r.err
    assert f"unknown.xlsx:赤坎镇:{unknown}: 错误：" in r.err
    assert "edited.xlsx：1 个问题，未追加任何记录" in r.err
    assert "unknown.xlsx：1 个问题，未追加任何记录" in r.err
    assert plan_copy.read_bytes() == before  # measure 6's good rows were not appended either


def test_every_problem_of_a_file_is_reported_at_once(
    run: Run, plan_copy: Path, tmp_path: Path
) -> None:
    export(run, plan_copy, tmp_path / "s.xlsx")
    before = plan_copy.read_bytes()
    sheet = Sheet(tmp_path / "s.xlsx")
    rows = {
        "future": sheet.fill(3, "2024-06-30", status="已完成", done=dt.datetime(2024, 8, 1)),
        "before": sheet.fill(6, "2024-06-30", status="已完成", done=dt.datetime(2023, 12, 1)),
        "status": sheet.fill(8, "2024-06-30", status="做完了"),
        "no date": sheet.fill(9, "2024-06-30", status="已完成"),
        "no reason": sheet.fill(11, "2024-06-30", status="延期", until=dt.datetime(2024, 9, 30)),
        "no new date": sheet.fill(12, "2024-06-30", status="延期", reason="人手不足"),
        "no status": sheet.fill(54, "2024-06-30", progress="正在推进"),
    }
    sheet.save(tmp_path / "bad.xlsx")
    r = run("--plan", str(plan_copy), "import-progress", str(tmp_path / "bad.xlsx"), today=TODAY)
    assert r.code == 1
    where = f"{tmp_path / 'bad.xlsx'}:赤坎镇:"
    expected = {
        "future": "进度日期 2024-08-01 晚于今天（2024-07-10）",
        "before": "进度日期 2023-12-01 早于实施期开始日期 2024-01-01",
        "status": "未知的状态“做完了”",
        "no date": "状态为“已完成”时须填写“完成日期”",
        "no reason": "状态为“延期”时须填写“延期原因”",
        "no new date": "状态为“延期”时须填写“申请延期至”",
        "no status": "填写了“进展情况”，但没有选择“状态”",
    }
    for name, message in expected.items():
        assert f"{where}{rows[name]}: 错误：{message}" in r.err, name
    assert "bad.xlsx：7 个问题，未追加任何记录" in r.err
    assert plan_copy.read_bytes() == before


def test_unreadable_file_exits_2(run: Run, plan_copy: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("甲,乙\n1,2\n", encoding="utf-8")
    r = run("--plan", str(plan_copy), "import-progress", str(tmp_path / "notes.csv"),
            str(tmp_path / "missing.xlsx"), today=TODAY)  # fmt: skip
    assert r.code == 2
    assert "notes.csv: 错误：不是 kpzf 的进度反馈表" in r.err
    assert "missing.xlsx: 错误：文件不存在" in r.err


def test_extension_asked_after_the_due_date_needs_approve_late(
    run: Run, plan_copy: Path, tmp_path: Path
) -> None:
    """Measure 9 was due 2024-06-30; on 2024-07-10 赤坎镇 asks for 2024-09-30."""
    export(run, plan_copy, tmp_path / "s.xlsx")
    sheet = Sheet(tmp_path / "s.xlsx")
    row = sheet.fill(9, "2024-06-30", status="延期", until=dt.datetime(2024, 9, 30), reason="人手不足")
    filled = sheet.save(tmp_path / "late.xlsx")
    before = plan_copy.read_bytes()
    r = run("--plan", str(plan_copy), "import-progress", str(filled), today=TODAY)
    assert r.code == 1
    assert f"late.xlsx:赤坎镇:{row}: 错误：原截止日期 2024-06-30 已过（记录日期 2024-07-10）" in r.err
    assert "--approve-late" in r.err
    assert plan_copy.read_bytes() == before
    r = run("--plan", str(plan_copy), "import-progress", str(filled), "--approve-late", today=TODAY)
    assert r.code == 0, r.err
    assert (
        '  - {measure: 9, unit: "赤坎镇", milestone: "2024-06-30", status: "延期", date: "2024-07-10", '
        'note: "延期原因：人手不足", until: "2024-09-30", approved_late: true}\n'
    ) in plan_copy.read_text(encoding="utf-8")
    # Judged against the new date (issue 15's rule): no longer overdue on 2024-07-10.
    r = run("--plan", str(plan_copy), "overdue", "--unit", "赤坎镇", "--date", TODAY, "-f", "json")
    assert 9 not in [o["measure"] for o in json.loads(r.out)]
    again = run("--plan", str(plan_copy), "import-progress", str(filled), "--approve-late", today=TODAY)
    assert again.code == 0 and "没有需要追加的记录" in again.err
    # Months later, without the flag: the row says what is in force, so it is not "asked" again.
    later = run("--plan", str(plan_copy), "import-progress", str(filled), today="2024-10-05")
    assert later.code == 0 and "没有需要追加的记录" in later.err, later.err


# --------------------------------------------------------------------------- csv, revisions


def test_csv_intake_with_the_same_columns(run: Run, plan_copy: Path, tmp_path: Path) -> None:
    r = run("--plan", str(plan_copy), *EXPORT, today=TODAY)
    assert r.code == 0, r.err
    table = list(csv.reader(io.StringIO(r.out.lstrip("\ufeff"))))
    header = table[0]
    for row in table[1:]:
        if row[0] == "17":  # 2024年2月6日前完成备案
            row[header.index("状态")] = "已完成"
            row[header.index("完成日期")] = "2024年2月5日"
            row[header.index("佐证材料/文号")] = "备案表"
    # As a form tool would write it: GB18030 (WPS on Chinese Windows), columns reordered.
    order = [header.index(h) for h in reversed(header)]
    text = "\r\n".join(",".join(f'"{row[i]}"' for i in order) for row in table) + "\r\n"
    (tmp_path / "赤坎镇.csv").write_bytes(text.encode("gb18030"))
    r = run("--plan", str(plan_copy), "import-progress", str(tmp_path / "赤坎镇.csv"), today=TODAY)
    assert r.code == 0, r.err
    assert (
        '  - {measure: 17, unit: "赤坎镇", milestone: "2024-02-06", status: "已完成", '
        'date: "2024-02-05", note: "佐证材料/文号：备案表"}\n'
    ) in plan_copy.read_text(encoding="utf-8")
    r = run("--plan", str(plan_copy), "overdue", "--unit", "赤坎镇", "--date", TODAY, "-f", "json")
    assert 17 not in [o["measure"] for o in json.loads(r.out)]


def test_older_revision_accepted_where_its_rows_still_exist(
    run: Run, plan_copy: Path, tmp_path: Path
) -> None:
    export(run, plan_copy, tmp_path / "old.xlsx")
    still = Sheet(tmp_path / "old.xlsx")
    still.fill(6, "2024-06-30", status="已完成", done=dt.datetime(2024, 6, 30))
    still.save(tmp_path / "still.xlsx")
    gone = Sheet(tmp_path / "old.xlsx")
    gone_row = gone.fill(3, "2024-06-30", status="已完成", done=dt.datetime(2024, 6, 20))
    gone.save(tmp_path / "gone.xlsx")

    # The plan is revised: measure 3's training system is now due by the end of September.
    text = plan_copy.read_text(encoding="utf-8")
    assert text.count("deadline: 2024年6月底前建立培训制度，持续推进") == 1
    plan_copy.write_text(
        text.replace("2024年6月底前建立培训制度，持续推进", "2024年9月底前建立培训制度，持续推进"),
        encoding="utf-8",
    )
    r = run("--plan", str(plan_copy), "import-progress", str(tmp_path / "still.xlsx"),
            str(tmp_path / "gone.xlsx"), today=TODAY)  # fmt: skip
    assert r.code == 1
    assert "still.xlsx：追加 1 条" in r.err
    assert f"gone.xlsx:赤坎镇:{gone_row}: 错误：这一行来自较早版本的计划" in r.err
    assert "措施 3 的节点 2024-06-30在现行计划中已不存在" in r.err
    log = plan_copy.read_text(encoding="utf-8")
    assert '{measure: 6, unit: "赤坎镇", milestone: "2024-06-30", status: "已完成"' in log
    assert "measure: 3," not in log


# --------------------------------------------------------------------------- safety


def test_record_between_export_and_import_is_kept(
    run: Run, plan_copy: Path, tmp_path: Path
) -> None:
    filled, _ = filled_sheet(run, plan_copy, tmp_path)
    r = run("--plan", str(plan_copy), "record", "19", "-u", "市司法局", "-s", "推进中",
            "-d", "2024-07-01", today=TODAY)  # fmt: skip
    assert r.code == 0, r.err
    r = run("--plan", str(plan_copy), "import-progress", str(filled), today=TODAY)
    assert r.code == 0, r.err
    from kpzf.model.plan import load_plan

    log = [(e.measure, e.unit) for e in load_plan(plan_copy).model.progress]
    assert log == [(19, "市司法局"), (3, "赤坎镇"), (5, "赤坎镇"), (6, "赤坎镇"), (13, "赤坎镇")]


# A separate process running the real command, its clock pinned to TODAY as `run` pins it.
PINNED = (
    "import sys, datetime as dt; from kpzf.cli import app; "
    f"app.today = lambda: dt.date.fromisoformat({TODAY!r}); "
    "from kpzf.cli.main import main; sys.exit(main(sys.argv[1:]))"
)


def kpzf(*args: str) -> list[str]:
    return [sys.executable, "-c", PINNED, *args]


def test_concurrent_records_and_import_all_land(
    run: Run, plan_copy: Path, tmp_path: Path
) -> None:
    filled, _ = filled_sheet(run, plan_copy, tmp_path)
    jobs = [
        kpzf("--plan", str(plan_copy), "record", m, "-u", u, "-s", "推进中", "-d", "2024-07-01")
        for m, u in (("19", "市司法局"), ("1", "市公安局"), ("37", "三埠街道"))
    ] + [kpzf("--plan", str(plan_copy), "import-progress", str(filled))]
    procs = [subprocess.Popen(j, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for j in jobs]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], results
    from kpzf.model.plan import load_plan

    log = sorted((str(e.measure), e.unit) for e in load_plan(plan_copy).model.progress)
    assert log == sorted(
        [("19", "市司法局"), ("1", "市公安局"), ("37", "三埠街道")]
        + [(m, "赤坎镇") for m in ("3", "5", "6", "13")]
    )


def test_an_edited_status_cell_is_named_too(run: Run, plan_copy: Path, tmp_path: Path) -> None:
    export(run, plan_copy, tmp_path / "s.xlsx")
    sheet = Sheet(tmp_path / "s.xlsx")
    r_ = sheet.row(17, "2024-02-06")
    sheet.ws.cell(r_, sheet.col["当前状态"], "已完成")  # the liaison "corrects" the locked status
    sheet.save(tmp_path / "e.xlsx")
    r = run("--plan", str(plan_copy), "import-progress", str(tmp_path / "e.xlsx"), today=TODAY)
    assert r.code == 1
    assert f"e.xlsx:赤坎镇:{r_}: 错误：锁定的栏被修改过（“当前状态”或“最近说明”与导出时不同）" in r.err


def _feedback_status(run: Run, plan: Path, *extra: str) -> dict[tuple[str, str], str]:
    """市司法局's 进度反馈表 on 2024-11-20 as csv: 当前状态 by (措施, 截止日期)."""
    r = run("--plan", str(plan), "export", "--format", "feedback", "--unit", "市司法局",
            "--date", "2024-11-20", *extra, today="2024-11-20")
    assert r.code == 0, r.err
    table = list(csv.reader(io.StringIO(r.out.lstrip("\ufeff"))))
    header = table[0]
    at = header.index("措施"), header.index("截止日期"), header.index("当前状态")
    return {(row[at[0]], row[at[1]]): row[at[2]] for row in table[1:]}


def test_warn_days_sets_the_yellow_window_of_the_sheet(run: Run, plan_copy: Path, tmp_path: Path) -> None:
    """Measure 8's "每年11月底前将培训情况报江门市司法局" falls to 市司法局 alone: on 2024-11-20
    its 2024-11-30 milestone is 10 days away — yellow with the plan's default 15 days and with
    --warn-days 10 (due within N days: 10 ≤ 10), not with --warn-days 9."""
    key = ("8", "2024-11-30")
    assert _feedback_status(run, plan_copy)[key] == "黄灯：还有 10 天\n未开始"
    assert _feedback_status(run, plan_copy, "--warn-days", "10")[key] == "黄灯：还有 10 天\n未开始"
    assert _feedback_status(run, plan_copy, "--warn-days", "9")[key] == "未开始"
    # A sheet sent with another window reads back as written: nothing filled, nothing recorded.
    before = plan_copy.read_text(encoding="utf-8")
    out = tmp_path / "市司法局.xlsx"
    r = run("--plan", str(plan_copy), "export", "--format", "feedback", "--unit", "市司法局",
            "--date", "2024-11-20", "--warn-days", "30", "--output", str(out), today="2024-11-20")
    assert r.code == 0, r.err
    r = run("--plan", str(plan_copy), "import-progress", str(out), today="2024-11-20")
    assert r.code == 0, r.err
    assert plan_copy.read_text(encoding="utf-8") == before


def test_warn_days_only_where_there_are_lights(run: Run, plan_copy: Path, tmp_path: Path) -> None:
    for fmt in ("csv", "md", "json", "ics"):
        r = run("--plan", str(plan_copy), "export", "--format", fmt, "--warn-days", "5")
        assert r.code == 2 and "--warn-days 只用于有亮灯的格式（xlsx、feedback）" in r.err, fmt
    r = run("--plan", str(plan_copy), "export", "--format", "xlsx", "--warn-days", "400",
            "--output", str(tmp_path / "t.xlsx"))
    assert r.code == 2 and "--warn-days 的值 400 无效" in r.err
    assert not (tmp_path / "t.xlsx").exists()
