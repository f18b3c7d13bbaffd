"""Several plans at once (issue 12, Deliver 3): --plan repeated, a folder, KPZF_PLAN.

The plans, and the answers worked out by hand:

- kaiping-2024.yaml: the shipped plan.yaml. On 2024-07-01 its 18 overdue rows are
  handworked.OVERDUE_2024_07_01; its report then counts 441 due obligations, all overdue
  (README, "kpzf report", no progress yet).
- kaiping-next.yaml: the same plan with another title and measure 52 (市司法局 alone) due
  "2024年3月底前" instead of "2024年6月底前…": on 2024-07-01 that row is 2024-03-31, overdue
  30 (April) + 31 (May) + 30 (June) + 1 = 92 days instead of 1; the other 17 rows as in 2024.
  Its report: measure 52 still has one obligation, still due before 07-01, so 441 again.
- fangcheng.yaml / jiayu.yaml: a tiny county plan (issuer 方城县 / 嘉鱼县人民政府办公室),
  units 县司法局 and 县公安局; measure 1 (县司法局) due 2024-03-31, measure 2 (县司法局、
  县公安局) due 2024-09-30. On 2024-07-01: measure 1 overdue 92 days (as above); measure 2 is
  not due (91 days left: 30 July + 31 August + 30 September). Report: 县司法局 2 obligations
  (1 due, overdue; 1 not due), 县公安局 1 (not due).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import PLAN, Run
from handworked import OVERDUE_2024_07_01

DATE = "2024-07-01"
TODAY = "2025-01-01"

COUNTY = """version: 1

meta:
  title: {place}提升行政执法质量三年行动实施方案
  doc_number: {short}政办〔2024〕1号
  issuer: {place}人民政府办公室
  issued: "2024-01-10"
  period:
    start: "2024-01-01"
    end: "2025-12-31"

units:
  - name: 县司法局
    aliases: [司法局]
  - name: 县公安局
    aliases: [公安]

groups: []

areas:
  - number: 1
    title: 全面提升行政执法人员能力素质
    tasks:
      - number: 1
        title: 加强业务知识培训
        measures:
          - number: 1
            text: 制定全县行政执法人员培训计划。
            units: 县司法局
            unit_refs: [县司法局]
            deadline: 2024年3月底前
          - number: 2
            text: 开展执法案卷评查。
            units: 县司法局、县公安局
            unit_refs: [县司法局, 县公安局]
            deadline: 2024年9月底前

progress: []
"""

MEASURE_52 = """          - id: 52
            label: （52）
            text: 落实行政执法监督员制度，"""
OLD_52 = "deadline: 2024年6月底前形成阶段性成果，持续推进"


def kaiping_next(target: Path) -> Path:
    text = PLAN.read_text(encoding="utf-8")
    text = text.replace(
        "  title: 开平市提升行政执法质量三年行动工作方案", "  title: 开平市提升行政执法质量三年行动工作方案（续）", 1
    )
    head, sep, tail = text.partition(MEASURE_52)
    assert sep, "measure 52 not where the test expects it"
    assert OLD_52 in tail.split("- id: 53")[0]
    tail = tail.replace(OLD_52, "deadline: 2024年3月底前", 1)
    target.write_text(head + sep + tail, encoding="utf-8")
    return target


def county(target: Path, place: str) -> Path:
    target.write_text(COUNTY.format(place=place, short=place[:2]), encoding="utf-8")
    return target


@pytest.fixture
def kaiping(tmp_path: Path) -> Path:
    """plans/ with kaiping-2024.yaml and kaiping-next.yaml."""
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copyfile(PLAN, folder / "kaiping-2024.yaml")
    kaiping_next(folder / "kaiping-next.yaml")
    return folder


@pytest.fixture
def counties(tmp_path: Path) -> Path:
    folder = tmp_path / "counties"
    folder.mkdir()
    county(folder / "fangcheng.yaml", "方城县")
    county(folder / "jiayu.yaml", "嘉鱼县")
    return folder


def parse_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


# ------------------------------------------------------------------ overdue


def _next_rows() -> list[tuple[int, str, int, int]]:
    rows = [r for r in OVERDUE_2024_07_01 if r[0] != 52]
    return rows + [(52, "2024-03-31", 92, 1)]


# By hand: most overdue first; the same number of days, the plans in the order given
# (kaiping-2024, then kaiping-next); then by measure.
EXPECTED_TWO_KAIPING = [
    ("kaiping-2024", 20, 152), ("kaiping-2024", 35, 152), ("kaiping-next", 20, 152), ("kaiping-next", 35, 152),
    ("kaiping-2024", 17, 146), ("kaiping-next", 17, 146),
    ("kaiping-next", 52, 92),
    ("kaiping-2024", 28, 62), ("kaiping-2024", 29, 62), ("kaiping-2024", 30, 62),
    ("kaiping-next", 28, 62), ("kaiping-next", 29, 62), ("kaiping-next", 30, 62),
    ("kaiping-2024", 30, 47), ("kaiping-next", 30, 47),
    ("kaiping-2024", 18, 31), ("kaiping-next", 18, 31),
    *[("kaiping-2024", m, 1) for m in (3, 5, 6, 8, 9, 11, 12, 39, 52, 54)],
    *[("kaiping-next", m, 1) for m in (3, 5, 6, 8, 9, 11, 12, 39, 54)],
]  # fmt: skip


def test_overdue_across_two_plans_given_twice(run: Run, kaiping: Path) -> None:
    result = run(
        "--plan", str(kaiping / "kaiping-2024.yaml"), "overdue", "--date", DATE, "-f", "json",
        "--plan", str(kaiping / "kaiping-next.yaml"), today=TODAY,
    )  # fmt: skip
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert len(EXPECTED_TWO_KAIPING) == 36
    assert [(r["plan"], r["measure"], r["days_overdue"]) for r in rows] == EXPECTED_TWO_KAIPING
    # Every key of the one-plan row is still there, "plan" added first.
    assert list(rows[0])[0] == "plan"
    late_52 = next(r for r in rows if r["plan"] == "kaiping-next" and r["measure"] == 52)
    assert (late_52["due"], late_52["units"]) == ("2024-03-31", ["市司法局"])
    by_plan = {p: [(r["measure"], r["due"], r["days_overdue"], len(r["units"])) for r in rows if r["plan"] == p]
               for p in ("kaiping-2024", "kaiping-next")}  # fmt: skip
    assert by_plan["kaiping-2024"] == OVERDUE_2024_07_01
    assert sorted(by_plan["kaiping-next"], key=lambda r: (-r[2], r[0])) == sorted(
        _next_rows(), key=lambda r: (-r[2], r[0])
    )
    # 36 milestones, 18 + 17 measures (52 counted once per plan, 30 twice in each plan's rows)
    assert "逾期节点 36 个，涉及措施 34 项" in result.err
    assert "2 个计划：" in result.err and "kaiping-next.yaml" in result.err


def test_overdue_folder_table_and_csv_name_the_plan(run: Run, kaiping: Path) -> None:
    table = run("--plan", str(kaiping), "overdue", "--date", DATE, today=TODAY)
    assert table.code == 0, table.err
    header = table.out.splitlines()[0].split()
    assert header[0] == "计划" and "措施" in header
    sheet = parse_csv(run("--plan", str(kaiping), "overdue", "--date", DATE, "-f", "csv", today=TODAY).out)
    assert sheet[0][:3] == ["计划", "措施", "截止日期"]
    assert sheet[1][:4] == ["kaiping-2024", "20", "2024-01-31", "形成阶段性成果"]
    assert len(sheet) == 1 + 36
    md = run("--plan", str(kaiping), "overdue", "--date", DATE, "-f", "md", today=TODAY).out
    assert md.splitlines()[0].startswith("| 计划 | 措施 |")


def test_a_county_plan_beside_kaiping_sorts_by_days(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copyfile(PLAN, folder / "kaiping-2024.yaml")
    county(folder / "fangcheng.yaml", "方城县")
    rows = json.loads(run("--plan", str(folder), "overdue", "--date", DATE, "-f", "json", today=TODAY).out)
    # Folder order is by file name: fangcheng.yaml, then kaiping-2024.yaml.
    assert [(r["plan"], r["measure"], r["days_overdue"]) for r in rows[:5]] == [
        ("kaiping-2024", 20, 152), ("kaiping-2024", 35, 152), ("kaiping-2024", 17, 146),
        ("fangcheng", 1, 92), ("kaiping-2024", 28, 62),
    ]  # fmt: skip
    assert len(rows) == 19


def test_area_across_plans(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copyfile(PLAN, folder / "kaiping-2024.yaml")
    county(folder / "fangcheng.yaml", "方城县")
    # 重点任务 3 exists only in Kaiping's plan: the county plan is left out, not refused. By
    # hand (OVERDUE_2024_07_01): area 3 holds measures 28—43 → rows 28, 29, 30 (twice), 35 and 39.
    rows = json.loads(run("--plan", str(folder), "overdue", "--area", "3", "--date", DATE, "-f", "json", today=TODAY).out)
    assert {r["plan"] for r in rows} == {"kaiping-2024"}
    assert sorted(r["measure"] for r in rows) == [28, 29, 30, 30, 35, 39]
    none = run("--plan", str(folder), "overdue", "--area", "9", "--date", DATE, today=TODAY)
    assert none.code == 2
    assert "没有重点任务 9（2 个计划中都没有）" in none.err


def test_upcoming_across_counties(run: Run, counties: Path) -> None:
    result = run("--plan", str(counties), "upcoming", "--date", "2024-09-01", "-f", "json", today=TODAY)
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    # 2024-09-01 → 09-30 is 29 days; both counties' measure 2, plan order on the same day.
    assert [(r["plan"], r["measure"], r["due"], r["days_left"], r["units"]) for r in rows] == [
        ("fangcheng", 2, "2024-09-30", 29, ["县司法局", "县公安局"]),
        ("jiayu", 2, "2024-09-30", 29, ["县司法局", "县公安局"]),
    ]


# ------------------------------------------------------------------ one unit across plans


def test_unit_in_two_plans_of_one_office_is_one_unit(run: Run, kaiping: Path) -> None:
    result = run("--plan", str(kaiping), "unit", "市公安局", "--date", DATE, "-f", "json", today=TODAY)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["unit"] == "开平市公安局"  # 开平市 + 市公安局, the same office in both plans
    assert [p["plan"] for p in data["plans"]] == ["kaiping-2024", "kaiping-next"]
    assert all(p["unit"] == "市公安局" for p in data["plans"])
    # README: 市公安局 owes 55 measures in the shipped plan; the copy changes only measure 52.
    assert len(data["measures"]) == 110
    assert [m["plan"] for m in data["measures"]] == ["kaiping-2024"] * 55 + ["kaiping-next"] * 55
    police_39 = [m for m in data["measures"] if m["measure"] == 39]
    assert [m["milestones"][0]["due"] for m in police_39] == ["2024-06-30", "2024-06-30"]


def test_unit_sees_the_changed_measure_in_its_plan(run: Run, kaiping: Path) -> None:
    data = json.loads(run("--plan", str(kaiping), "unit", "司法局", "--date", DATE, "-f", "json", today=TODAY).out)
    m52 = {m["plan"]: m for m in data["measures"] if m["measure"] == 52}
    assert m52["kaiping-2024"]["next"]["due"] == "2024-06-30"
    assert m52["kaiping-2024"]["next"]["days_overdue"] == 1
    assert m52["kaiping-next"]["next"]["due"] == "2024-03-31"
    assert m52["kaiping-next"]["next"]["days_overdue"] == 92


def test_same_short_name_in_two_counties_is_two_offices(run: Run, counties: Path) -> None:
    result = run("--plan", str(counties), "unit", "县司法局", "--date", DATE, today=TODAY)
    assert result.code == 2
    assert "方城县司法局（fangcheng）" in result.err and "嘉鱼县司法局（jiayu）" in result.err
    assert "Traceback" not in result.err
    one = run("--plan", str(counties), "unit", "方城县司法局", "--date", DATE, "-f", "json", today=TODAY)
    assert one.code == 0, one.err
    data = json.loads(one.out)
    assert data["unit"] == "方城县司法局"
    assert [p["plan"] for p in data["plans"]] == ["fangcheng"]
    assert [(m["plan"], m["measure"], m["status"]) for m in data["measures"]] == [
        ("fangcheng", 1, "逾期"), ("fangcheng", 2, "未开始"),
    ]  # fmt: skip
    assert data["measures"][0]["next"]["days_overdue"] == 92
    assert data["measures"][1]["next"]["days_left"] == 91


def test_unknown_unit_in_every_plan(run: Run, counties: Path) -> None:
    result = run("--plan", str(counties), "unit", "县教育局", today=TODAY)
    assert result.code == 2
    assert "2 个计划中都找不到单位“县教育局”" in result.err


def test_overdue_unit_filter_across_counties(run: Run, counties: Path) -> None:
    rows = json.loads(
        run("--plan", str(counties), "overdue", "--unit", "嘉鱼县司法局", "--date", DATE, "-f", "json", today=TODAY).out
    )
    assert [(r["plan"], r["measure"], r["units"]) for r in rows] == [("jiayu", 1, ["县司法局"])]


# ------------------------------------------------------------------ report


def test_report_across_kaiping_and_a_county(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copyfile(PLAN, folder / "kaiping-2024.yaml")
    county(folder / "fangcheng.yaml", "方城县")
    result = run("--plan", str(folder), "report", "--date", DATE, "-f", "json", today=TODAY)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["plans"] == ["fangcheng", "kaiping-2024"]
    assert (data["total"]["due"], data["total"]["overdue"]) == (441 + 1, 441 + 1)
    county_rows = {r["key"]: r for r in data["rows"] if r["plan"] == "fangcheng"}
    assert list(county_rows) == ["县司法局", "县公安局"]
    justice, police = county_rows["县司法局"], county_rows["县公安局"]
    assert (justice["obligations"], justice["due"], justice["overdue"], justice["not_due"]) == (2, 1, 1, 1)
    assert (police["obligations"], police["due"], police["overdue"], police["not_due"]) == (1, 0, 0, 1)
    assert {r["plan"] for r in data["rows"]} == {"fangcheng", "kaiping-2024"}
    table = run("--plan", str(folder), "report", "--date", DATE, today=TODAY).out
    assert "计划" in table.splitlines()[1]


def test_report_two_kaiping_plans(run: Run, kaiping: Path) -> None:
    data = json.loads(run("--plan", str(kaiping), "report", "--date", DATE, "-f", "json", today=TODAY).out)
    assert (data["total"]["due"], data["total"]["overdue"]) == (882, 882)


# ------------------------------------------------------------------ where plans come from


def test_one_plan_through_a_folder_is_the_one_plan_answer(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copyfile(PLAN, folder / "plan.yaml")
    alone = run("--plan", str(folder / "plan.yaml"), "overdue", "--date", DATE, "-f", "json", today=TODAY)
    through = run("--plan", str(folder), "overdue", "--date", DATE, "-f", "json", today=TODAY)
    assert through.out == alone.out and through.code == alone.code == 0


def test_folder_takes_yaml_and_yml_skips_hidden_and_subfolders(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    (folder / "old").mkdir(parents=True)
    county(folder / "b.yml", "方城县")
    county(folder / "a.yaml", "嘉鱼县")
    (folder / ".draft.yaml").write_text("not: [a plan", encoding="utf-8")
    (folder / "old" / "x.yaml").write_text("not: [a plan", encoding="utf-8")
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    result = run("validate", str(folder), today=TODAY)
    assert result.code == 0, result.err
    lines = result.err.splitlines()
    assert [line.split("：")[0] for line in lines] == [str(folder / "a.yaml"), str(folder / "b.yml")]


def test_kpzf_plan_takes_several_paths(run: Run, counties: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setenv("KPZF_PLAN", os.pathsep.join([str(counties / "jiayu.yaml"), str(counties / "fangcheng.yaml")]))
    rows = json.loads(run("overdue", "--date", DATE, "-f", "json", today=TODAY).out)
    assert [r["plan"] for r in rows] == ["jiayu", "fangcheng"]  # the order KPZF_PLAN gives


def test_empty_folder_is_refused(run: Run, tmp_path: Path) -> None:
    (tmp_path / "none").mkdir()
    result = run("--plan", str(tmp_path / "none"), "overdue", today=TODAY)
    assert result.code == 2
    assert "中没有计划文件（*.yaml、*.yml" in result.err
    assert "Traceback" not in result.err


def test_two_plans_of_one_name_are_refused(run: Run, tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        county(tmp_path / name / "plan.yaml", "方城县")
    result = run("--plan", "a", "--plan", "b", "overdue", cwd=tmp_path, today=TODAY)
    assert result.code == 2
    assert "两个计划同名“plan”" in result.err
    assert "a/plan.yaml" in result.err and "b/plan.yaml" in result.err


def test_the_same_file_twice_counts_once(run: Run, counties: Path) -> None:
    f = str(counties / "fangcheng.yaml")
    rows = json.loads(run("--plan", str(counties), "--plan", f, "overdue", "--date", DATE, "-f", "json", today=TODAY).out)
    assert [r["plan"] for r in rows] == ["fangcheng", "jiayu"]


# ------------------------------------------------------------------ bad input among several


def test_an_unreadable_file_among_several(run: Run, counties: Path) -> None:
    result = run("--plan", str(counties), "--plan", str(counties / "missing.yaml"), "overdue", today=TODAY)
    assert result.code == 2
    assert "missing.yaml: 错误：文件不存在" in result.err
    assert result.out == ""


def test_invalid_plans_among_several_name_every_problem(run: Run, counties: Path) -> None:
    text = (counties / "jiayu.yaml").read_text(encoding="utf-8")
    (counties / "jiayu.yaml").write_text(text.replace("unit_refs: [县司法局]", "unit_refs: [县司法所]"), encoding="utf-8")
    (counties / "zz.yaml").write_text(text.replace("嘉鱼县", "西平县").replace("deadline: 2024年9月底前", "deadline: 九月"), encoding="utf-8")
    result = run("--plan", str(counties), "unit", "方城县司法局", today=TODAY)
    assert result.code == 1
    assert result.out == ""
    assert "jiayu.yaml:" in result.err and "县司法所" in result.err
    assert "zz.yaml:" in result.err and "九月" in result.err
    assert "fangcheng.yaml" not in result.err.split("计划文件有")[0]
    # validate of the folder: each file's verdict, the problems counted per file
    checked = run("validate", str(counties), today=TODAY)
    assert checked.code == 1
    assert f"{counties / 'fangcheng.yaml'}：有效" in checked.err
    assert f"{counties / 'jiayu.yaml'}：1 个问题" in checked.err
    assert f"{counties / 'zz.yaml'}：1 个问题" in checked.err


@pytest.mark.parametrize(
    "args",
    [["show", "1"], ["units"], ["record", "1", "--unit", "县司法局", "--status", "已完成"], ["diff", "--git", "HEAD"]],
)
def test_one_plan_commands_refuse_several(run: Run, counties: Path, args: list[str]) -> None:
    before = {p.name: p.read_bytes() for p in counties.iterdir()}
    result = run("--plan", str(counties), *args, today=TODAY)
    assert result.code == 2, result.err
    assert f"kpzf {args[0]} 一次只能用一个计划，现在指定了 2 个" in result.err
    assert "fangcheng.yaml" in result.err and "jiayu.yaml" in result.err
    assert {p.name: p.read_bytes() for p in counties.iterdir()} == before


# ------------------------------------------------------------------ exports


def test_export_csv_and_md_name_the_plan(run: Run, kaiping: Path) -> None:
    sheet = parse_csv(run("--plan", str(kaiping), "export", "-f", "csv", "--date", DATE, today=TODAY).out)
    assert sheet[0] == ["计划", "重点任务", "具体任务", "主要措施", "责任单位", "完成时限", "进度情况"]
    # 64 measures and 65, 66 per plan
    assert [row[0] for row in sheet[1:]] == ["kaiping-2024"] * 66 + ["kaiping-next"] * 66
    row_52 = {row[0]: row for row in sheet[1:] if row[3].startswith("（52）")}
    assert row_52["kaiping-2024"][5].startswith("2024年6月底前") and row_52["kaiping-next"][5] == "2024年3月底前"
    md = run("--plan", str(kaiping), "export", "-f", "md", "--date", DATE, today=TODAY).out
    assert md.count("| 计划 | 重点任务 |") == 2
    assert "## 开平市提升行政执法质量三年行动工作方案（续）任务台账" in md


def test_export_json_lists_each_plan(run: Run, counties: Path) -> None:
    data = json.loads(run("--plan", str(counties), "export", "-f", "json", today=TODAY).out)
    assert [p["plan"] for p in data["plans"]] == ["fangcheng", "jiayu"]
    assert data["plans"][0]["meta"]["issuer"] == "方城县人民政府办公室"
    assert [m["id"] for m in data["plans"][1]["measures"]] == [1, 2]


def test_export_ics_keeps_uids_apart(run: Run, kaiping: Path, counties: Path) -> None:
    # The two Kaiping plans share a 文号, so their UIDs take the plan's name.
    text = run("--plan", str(kaiping), "export", "-f", "ics", "--date", DATE, today=TODAY).out
    uids = [line[4:] for line in text.split("\r\n") if line.startswith("UID:")]
    assert len(uids) == len(set(uids))
    assert any(u.startswith("kpzf-kaiping-next-m52-2024-03-31@") for u in uids)
    # Two counties with their own 文号 keep the UIDs each plan's own calendar has.
    county_text = run("--plan", str(counties), "export", "-f", "ics", "--date", DATE, today=TODAY).out
    alone = run("--plan", str(counties / "fangcheng.yaml"), "export", "-f", "ics", "--date", DATE, today=TODAY).out
    county_uids = [line for line in county_text.split("\r\n") if line.startswith("UID:")]
    alone_uids = [line for line in alone.split("\r\n") if line.startswith("UID:")]
    assert len(county_uids) == 4 and set(alone_uids) < set(county_uids)
    assert "SUMMARY:【fangcheng】措施1" in county_text


def test_export_xlsx_refuses_several(run: Run, counties: Path, tmp_path: Path) -> None:
    result = run("--plan", str(counties), "export", "-f", "xlsx", "-o", str(tmp_path / "x.xlsx"), today=TODAY)
    assert result.code == 2
    assert "xlsx 台账一次只导出一个计划，现在指定了 2 个" in result.err
    assert not (tmp_path / "x.xlsx").exists()
