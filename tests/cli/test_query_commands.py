"""The query commands end to end on the shipped plan (frozen dates): formats, names, exit codes.

Expected answers are the hand-worked ones of test_queries.py (see its module docstring).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from conftest import REPO, Run
from handworked import JUSTICE_AND_DEPARTMENTS, OVERDUE_2024_07_01, TOWNS, with_progress

COMMANDS = {
    "overdue": ["overdue", "--date", "2024-07-01"],
    "unit": ["unit", "市公安局", "--date", "2024-07-01"],
    "units": ["units"],
    "show": ["show", "39", "--date", "2024-07-01"],
    "upcoming": ["upcoming", "--date", "2024-06-01"],
    "report": ["report", "--date", "2024-07-01"],
}
TODAY = "2025-01-01"


def parse_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "CSV must start with a UTF-8 BOM for Excel/WPS"
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def tracked(tmp_path: Path) -> Path:
    """A directory whose plan.yaml carries the hand-written progress log of test_queries."""
    folder = tmp_path / "tracked"
    folder.mkdir()
    with_progress(folder / "plan.yaml")
    return folder


# --------------------------------------------------------------------------- overdue


def test_overdue_json_2024_02_01(run: Run) -> None:
    result = run("overdue", "--date", "2024-02-01", "--format", "json", today=TODAY)
    assert result.code == 0
    rows = json.loads(result.out)
    assert [(r["measure"], r["due"], r["what"], r["days_overdue"]) for r in rows] == [
        (20, "2024-01-31", "形成阶段性成果", 1),
        (35, "2024-01-31", "完成", 1),
    ]
    assert (
        rows[0]["units"] == JUSTICE_AND_DEPARTMENTS and rows[1]["units"] == JUSTICE_AND_DEPARTMENTS
    )
    assert "逾期节点 2 个" in result.err  # the one-line summary goes to stderr


def test_overdue_json_2024_07_01(run: Run) -> None:
    result = run("overdue", "--date", "2024-07-01", "-f", "json", today=TODAY)
    rows = json.loads(result.out)
    assert [(r["measure"], r["due"], r["days_overdue"], len(r["units"])) for r in rows] == [
        (m, d, days, n) for m, d, days, n in OVERDUE_2024_07_01
    ]
    assert {"measure", "due", "what", "units", "days_overdue"} <= set(rows[0])
    assert result.code == 0  # rows found: still 0, a query is not a check


def test_overdue_2025_01_01_counts_and_measure_39(run: Run) -> None:
    rows = json.loads(run("overdue", "--date", "2025-01-01", "-f", "json", today=TODAY).out)
    assert len(rows) == 40  # 39 from the 完成时限 column, 1 from measure 8's text (2024-11-30)
    split = {r["due"]: r["units"] for r in rows if r["measure"] == 39}
    assert split["2024-06-30"] == ["市公安局", "市交通运输局"]
    assert len(split["2024-12-31"]) == 26 and "市公安局" not in split["2024-12-31"]
    assert [r["due"] for r in rows if r["measure"] == 18] == ["2024-05-31", "2024-11-30"]


def test_overdue_boundary_on_the_due_date(run: Run) -> None:
    on_due = json.loads(run("overdue", "--date", "2024-01-31", "-f", "json", today=TODAY).out)
    assert on_due == []
    result = run("overdue", "--date", "2024-01-31", today=TODAY)
    assert result.code == 0 and "没有逾期事项" in result.err


def test_overdue_defaults_to_today(run: Run) -> None:
    rows = json.loads(run("overdue", "-f", "json", today="2024-02-01").out)
    assert [r["measure"] for r in rows] == [20, 35]


def test_overdue_filters(run: Run) -> None:
    town = json.loads(
        run("overdue", "--date", "2024-07-01", "--unit", "赤坎", "-f", "json", today=TODAY).out
    )
    assert len(town) == 14 and all(r["units"] == ["赤坎镇"] for r in town)
    towns = json.loads(
        run("overdue", "--date", "2024-07-01", "--unit", "各镇(街)", "-f", "json", today=TODAY).out
    )
    assert len(towns) == 14 and all(r["units"] == TOWNS for r in towns)
    area = json.loads(
        run("overdue", "--date", "2025-01-01", "--area", "3", "-f", "json", today=TODAY).out
    )
    assert {r["area"] for r in area} == {3}
    assert 65 not in [r["measure"] for r in area]


def test_overdue_table(run: Run) -> None:
    result = run("overdue", "--date", "2024-07-01", today=TODAY)
    assert result.code == 0
    assert "\x1b[" not in result.out  # NO_COLOR (set by the fixture) and not a terminal
    assert "市司法局、各镇（街）、市直行政执法部门" in result.out  # 29 units said by their groups
    assert "截至 2024-07-01：逾期节点 18 个，涉及措施 17 项、单位次 441 个" in result.err


def test_table_columns_line_up_with_cjk(run: Run) -> None:
    """Every line of a Rich table has the same display width (CJK characters count double)."""
    from rich.cells import cell_len

    out = run("overdue", "--date", "2024-07-01", today=TODAY).out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 2 + 18  # header, rule, 18 rows (200 columns: nothing wraps)
    # Each row's date starts at the same display column as the heading 截止日期.
    starts = {cell_len(line[: line.index("2024-")]) for line in lines[2:]}
    assert starts == {cell_len(lines[0][: lines[0].index("截止日期")])}
    # …and the column of due dates starts at the same display column on every row.
    starts = {cell_len(line[: line.index("2024-")]) for line in lines[2:]}
    assert len(starts) == 1


def test_no_colour_without_terminal_even_without_no_color(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = run("unit", "赤坎", "--date", "2024-07-01", today=TODAY).out
    assert "赤坎镇" in out and "\x1b[" not in out


# --------------------------------------------------------------------------- unit


def test_unit_department_json(run: Run) -> None:
    result = run("unit", "市公安局", "--date", "2024-07-01", "-f", "json", today=TODAY)
    assert result.code == 0
    data = json.loads(result.out)
    assert data["unit"] == "市公安局" and data["group"] is False
    measures = {m["measure"]: m for m in data["measures"]}
    assert len(measures) == 55
    assert measures[27]["via"] is None and measures[1]["via"] == "市直行政执法部门"
    assert [m["due"] for m in measures[39]["milestones"]] == ["2024-06-30"]
    assert measures[39]["status"] == "逾期" and measures[39]["overdue"] is True
    assert measures[21]["status"] == "长期推进" and measures[21]["milestones"] == []
    assert {"measure", "via", "milestones", "status"} <= set(measures[1])
    assert (
        "市公安局（截至 2024-07-01）：承担措施 55 项（直接点名 2 项、经单位组 53 项），逾期 16 项"
        in result.err
    )


def test_unit_town_via_group(run: Run) -> None:
    data = json.loads(run("unit", "赤坎镇", "--date", "2024-07-01", "-f", "json", today=TODAY).out)
    assert data["unit"] == "赤坎镇" and len(data["measures"]) == 50
    assert {m["via"] for m in data["measures"]} == {"各镇（街）"}
    assert sum(m["overdue"] for m in data["measures"]) == 13


@pytest.mark.parametrize(
    ("typed", "canonical", "count"),
    [
        ("市场监管", "市市场监督管理局", 58),
        ("发展改革", "市发展和改革局", 57),
        ("赤坎", "赤坎镇", 50),
    ],
)
def test_unit_reached_through_alias(run: Run, typed: str, canonical: str, count: int) -> None:
    data = json.loads(run("unit", typed, "--date", "2024-07-01", "-f", "json", today=TODAY).out)
    assert data["unit"] == canonical and len(data["measures"]) == count


def test_unit_group_half_width_brackets(run: Run) -> None:
    result = run("unit", "各镇(街)", "--date", "2024-07-01", "-f", "json", today=TODAY)
    assert result.code == 0
    data = json.loads(result.out)
    assert data["unit"] == "各镇（街）" and data["group"] is True and data["members"] == TOWNS
    first = data["measures"][0]
    assert first["via"] == "各镇（街）" and first["units"] == TOWNS
    assert first["milestones"][0]["owing"] == TOWNS


def test_unit_unknown_and_ambiguous_exit_2(run: Run) -> None:
    ambiguous = run("unit", "赤", today=TODAY)
    assert ambiguous.code == 2 and ambiguous.out == ""
    assert "不唯一" in ambiguous.err and "赤坎镇" in ambiguous.err and "赤水镇" in ambiguous.err
    typo = run("unit", "市公按局", today=TODAY)
    assert typo.code == 2 and "找不到单位“市公按局”" in typo.err and "市公安局" in typo.err
    assert "Traceback" not in typo.err
    unknown = run("overdue", "--unit", "市民政局", today=TODAY)
    assert unknown.code == 2 and "找不到单位“市民政局”" in unknown.err and unknown.out == ""


def test_unit_with_progress(run: Run, tracked: Path) -> None:
    data = json.loads(
        run("unit", "公安", "--date", "2024-07-01", "-f", "json", cwd=tracked, today=TODAY).out
    )
    measures = {m["measure"]: m for m in data["measures"]}
    assert measures[20]["status"] == "已完成" and measures[20]["next"] is None
    assert measures[20]["milestones"][0]["date"] == "2024-01-30"
    assert measures[3]["status"] == "逾期" and measures[3]["milestones"][0]["status"] == "延期"


# --------------------------------------------------------------------------- units, show


def test_units(run: Run) -> None:
    result = run("units", "-f", "json", today=TODAY)
    data = json.loads(result.out)
    names = [u["name"] for u in data["units"]]
    assert len(names) == 33 and names[0] == "市司法局" and names[-15:] == TOWNS
    police = next(u for u in data["units"] if u["name"] == "市公安局")
    assert police["measures"] == 55 and police["aliases"] == ["公安"]
    assert police["groups"] == ["市直行政执法部门"]
    groups = {g["name"]: g for g in data["groups"]}
    assert groups["各镇（街）"]["units"] == TOWNS
    assert result.err.splitlines()[0].startswith("33 个单位，4 个单位组（计划：")
    table = run("units", today=TODAY).out
    assert "单位组" in table and "440783109" in table


def test_show(run: Run) -> None:
    data = json.loads(run("show", "39", "--date", "2024-07-01", "-f", "json", today=TODAY).out)
    assert data["measure"] == 39 and data["area"] == 3 and data["task"] == 11
    assert data["task_title"] == "加强行政执法协作联动"
    assert [m["due"] for m in data["milestones"]] == ["2024-06-30", "2024-12-31"]
    assert data["milestones"][0]["units"] == ["市公安局", "市交通运输局"]
    assert data["milestones"][0]["overdue"] is True
    assert len(data["milestones"][1]["statuses"]) == 26
    assert {"unit": "市公安局", "via": None, "role": "responsible"} in data["units"]  # role: added


def test_show_history_with_progress(run: Run, tracked: Path) -> None:
    result = run("show", "17", "--date", "2024-07-01", "-f", "json", cwd=tracked, today=TODAY)
    history = json.loads(result.out)["history"]
    assert [(h["unit"], h["status"], h["current"]) for h in history] == [
        ("赤坎镇", "已完成", False),
        ("赤坎镇", "推进中", True),
    ]
    table = run("show", "17", "--date", "2024-07-01", cwd=tracked, today=TODAY).out
    assert "已被后一条取代" in table and "备案材料退回补正" in table


def test_show_bad_measure_exit_2(run: Run) -> None:
    missing = run("show", "99", today=TODAY)
    assert missing.code == 2 and "没有措施 99" in missing.err
    not_a_number = run("show", "第三项工作", today=TODAY)
    assert not_a_number.code == 2 and "Traceback" not in not_a_number.err
    assert "措施序号“第三项工作”不是整数" in not_a_number.err


# --------------------------------------------------------------------------- upcoming, report


def test_upcoming(run: Run) -> None:
    result = run("upcoming", "--date", "2024-06-01", "-f", "json", today=TODAY)
    rows = json.loads(result.out)
    assert [r["measure"] for r in rows] == [3, 5, 6, 8, 9, 11, 12, 39, 52, 54]
    assert {r["days_left"] for r in rows} == {29}
    later = json.loads(
        run("upcoming", "--date", "2024-11-01", "--days", "30", "-f", "json", today=TODAY).out
    )
    assert [(r["measure"], r["due"]) for r in later] == [
        (8, "2024-11-30"),
        (18, "2024-11-30"),
        (34, "2024-11-30"),
    ]
    assert run("upcoming", "--days", "-1", today=TODAY).code == 2


def test_report(run: Run, tracked: Path) -> None:
    result = run("report", "--date", "2024-07-01", "--by", "area", "-f", "json", today=TODAY)
    data = json.loads(result.out)
    assert data["by"] == "area" and data["date"] == "2024-07-01"
    area2 = next(r for r in data["rows"] if r["key"] == 2)
    assert (area2["obligations"], area2["due"], area2["overdue"], area2["rate"]) == (229, 72, 72, 0)
    assert data["rows"][-1]["label"] == "组织实施"
    assert data["total"]["due"] == 441
    tracked_report = json.loads(
        run("report", "--date", "2024-07-01", "-f", "json", cwd=tracked, today=TODAY).out
    )
    police = next(r for r in tracked_report["rows"] if r["key"] == "市公安局")
    assert police["rate"] == round(3 / 17, 4)
    assert police["rate"] == 0.1765  # 3 of its 17 due obligations: 20, 35, 39's June milestone
    by_task = json.loads(
        run("report", "--date", "2024-07-01", "--by", "task", "-f", "json", today=TODAY).out
    )
    assert [r["key"] for r in by_task["rows"]] == [*range(1, 20), None]  # 19 tasks + 组织实施
    # Task 6 (17-19): 17 (29) and 18's May occurrence (29) are due; 19 (1) is not; 18 x4 = 116.
    task6 = by_task["rows"][5]
    assert (task6["obligations"], task6["due"], task6["overdue"]) == (29 + 116 + 1, 58, 58)
    table = run("report", "--date", "2024-07-01", cwd=tracked, today=TODAY)
    assert table.code == 0 and "合计" in table.out and "完成率" in table.err
    police_line = next(
        line for line in table.out.splitlines() if line.strip().startswith("市公安局")
    )
    assert police_line.split()[1:] == ["54", "17", "3", "0", "14", "37", "0", "17.6%"]
    # The 督办 table, second: 逾期 14, 到期义务 17, 按期完成 3 (20, 35, 39 all closed by their
    # dates), 按期完成率 3/17, 延期 0 (its 延期 on 3 has no approved new date), 延期完成 0,
    # longest overdue 146 days (17, due 2024-02-06, the oldest of its 14 open obligations).
    police_lines = [line for line in table.out.splitlines() if line.strip().startswith("市公安局")]
    assert police_lines[1].split()[1:] == ["14", "17", "3", "17.6%", "0", "0", "146"]
    assert run("report", "--by", "town", today=TODAY).code == 2


# --------------------------------------------------------------------------- every format


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "md"])
def test_every_command_every_format(run: Run, command: str, fmt: str) -> None:
    result = run(*COMMANDS[command], "--format", fmt, today=TODAY)
    assert result.code == 0, result.err
    assert result.out.strip() and result.err.strip()  # report on stdout, summary on stderr
    assert "\x1b[" not in result.out
    if fmt == "json":
        json.loads(result.out)
    elif fmt == "csv":
        rows = parse_csv(result.out)
        assert len(rows) >= 2 and len({len(r) for r in rows}) == 1  # header + rows, rectangular
    elif fmt == "md":
        tables = [line for line in result.out.splitlines() if line.startswith("|")]
        assert re.fullmatch(r"\|(-{3}|-{3}:)(\|(-{3}|-{3}:))*\|", tables[1])


def test_csv_overdue_content(run: Run) -> None:
    rows = parse_csv(run("overdue", "--date", "2024-02-01", "-f", "csv", today=TODAY).out)
    # The light is the last column in csv (added after the columns spreadsheets refer to).
    assert rows[0] == ["措施", "截止日期", "应完成", "逾期天数", "未完成/适用", "尚未完成的单位", "亮灯"]
    assert rows[1][:5] == ["20", "2024-01-31", "形成阶段性成果", "1", "14/14"]
    assert rows[1][5].split("、") == JUSTICE_AND_DEPARTMENTS  # every unit named, for filtering
    assert rows[1][6] == "红灯"  # due 2024-01-31, strictly before 2024-02-01, nobody closed it


def test_md_escapes_pipes(run: Run, tracked: Path) -> None:
    # The note of 公安's entry for measure 20 is "开公〔2024〕3号|附件".
    out = run("show", "20", "--date", "2024-07-01", "-f", "md", cwd=tracked, today=TODAY).out
    line = next(line for line in out.splitlines() if "开公〔2024〕3号" in line)
    assert "开公〔2024〕3号\\|附件" in line
    header = next(line for line in out.splitlines() if line.startswith("| 记录"))
    assert line.replace("\\|", "").count("|") == header.count("|")


def test_bad_format_and_date_exit_2(run: Run) -> None:
    bad_format = run("overdue", "--format", "xlsx", today=TODAY)
    assert bad_format.code == 2 and "--format" in bad_format.err
    bad_date = run("overdue", "--date", "2024-13-01", today=TODAY)
    assert bad_date.code == 2 and "不是有效日期" in bad_date.err
    bad_area = run("overdue", "--area", "9", today=TODAY)
    assert bad_area.code == 2 and "没有重点任务 9" in bad_area.err


def test_invalid_plan_refuses_queries(run: Run, tmp_path: Path) -> None:
    bad = 'progress:\n  - {measure: 20, unit: 市民政局, status: 已完成, date: "2024-01-30"}\n'
    with_progress(tmp_path / "plan.yaml", bad)
    result = run("overdue", "--date", "2024-07-01", today=TODAY)
    assert result.code == 1 and "plan.yaml:" in result.err and result.out == ""


# --------------------------------------------------------------------------- help and README


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_in_chinese_with_example(run: Run, command: str) -> None:
    result = run(command, "--help")
    assert result.code == 0
    assert "示例" in result.out and f"kpzf {command}" in result.out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_readme_documents_command(command: str) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"### `kpzf {command}" in readme
