"""What a new user meets (issue 9): answers that name their plan, dates and numbers as people
type them, Chinese names with the place in front, no English from the libraries."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import PLAN, Run

TODAY = "2025-01-15"


# --------------------------------------------------------------------------- the plan, named


def test_summary_names_the_shipped_copy(run: Run) -> None:
    """Outside any plan directory the answer comes from the shipped copy, and says so."""
    result = run("overdue", "--date", "2024-07-01", today=TODAY)
    summary = result.err.splitlines()[0]
    assert summary.startswith("截至 2024-07-01：逾期节点 18 个")
    assert "（计划：kpzf 内置的副本 " in summary and "不是您的 plan.yaml" in summary


def test_summary_names_the_plan_file(run: Run, plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = run("units", cwd=plan_copy.parent, today=TODAY)
    assert here.err.splitlines()[0].endswith("（计划：plan.yaml）")
    other = run("unit", "水口", "--plan", str(plan_copy), "--date", "2024-07-01", today=TODAY)
    assert other.code == 0, other.err
    assert other.err.splitlines()[0].endswith(f"（计划：{plan_copy}）")
    monkeypatch.setenv("KPZF_PLAN", str(plan_copy))
    env = run("report", "--date", "2024-07-01", today=TODAY)
    assert env.err.splitlines()[0].endswith(f"（计划：{plan_copy}（环境变量 KPZF_PLAN））")
    exported = run("export", "--format", "ics", "--date", "2024-07-01", today=TODAY)
    assert exported.err.splitlines()[0] == f"已导出 ics（进度截至 2024-07-01）（计划：{plan_copy}（环境变量 KPZF_PLAN））"


def test_plan_option_after_the_command(run: Run, plan_copy: Path, tmp_path: Path) -> None:
    """--plan works before and after the command; after it, it wins over the one before."""
    text = plan_copy.read_text(encoding="utf-8")
    assert text.count("aliases: [水口]") == 1
    text = text.replace("aliases: [水口]", "aliases: [水口, 水口新名]")
    other = tmp_path / "new.yaml"
    other.write_text(text, encoding="utf-8")
    after = run("unit", "水口新名", "--plan", str(other), "-f", "json", today=TODAY)
    assert after.code == 0, after.err
    assert json.loads(after.out)["unit"] == "水口镇"
    assert run("--plan", str(PLAN), "unit", "水口新名", "--plan", str(other), today=TODAY).code == 0
    assert run("unit", "水口新名", today=TODAY).code == 2  # the shipped copy has no such alias
    for command in (("validate",), ("show", "1"), ("report",), ("overdue",), ("export", "--format", "md")):
        assert run(*command, "--plan", str(other), today=TODAY).code == 0, command


def test_date_outside_the_period_gets_a_note(run: Run) -> None:
    late = run("overdue", "--date", "2026-03-01", today=TODAY)
    assert late.err.splitlines()[1] == "注意：查询日期 2026-03-01 不在方案实施期（2024-01-01 至 2025-12-31）之内"
    early = run("show", "1", "--date", "2023-12-31", today=TODAY)
    assert early.err.splitlines()[1].startswith("注意：查询日期 2023-12-31 不在方案实施期")
    inside = run("overdue", "--date", "2025-12-31", today=TODAY)
    assert len(inside.err.splitlines()) == 1


def test_today_long_after_the_period_gets_a_note(run: Run) -> None:
    # The period ended 2025-12-31; 30 days later no note, 31 days later a note.
    assert len(run("overdue", today="2026-01-30").err.splitlines()) == 1
    result = run("unit", "赤坎", today="2026-01-31")
    assert result.err.splitlines()[1] == (
        "注意：方案实施期已于 2025-12-31 结束（31 天前），以上按今天（2026-01-31）计算；"
        "要看期末情况请加 --date 2025-12-31"
    )


# --------------------------------------------------------------------------- typed dates, numbers


@pytest.mark.parametrize("typed", ["2024-07-01", "2024-7-1", "2024/7/1", "2024.7.1", "2024年7月1日", "２０２４年７月１日"])
def test_dates_as_people_type_them(run: Run, typed: str) -> None:
    result = run("overdue", "--date", typed, "-f", "json", today=TODAY)
    assert result.code == 0, result.err
    assert len(json.loads(result.out)) == 18
    assert result.err.startswith("截至 2024-07-01：")


@pytest.mark.parametrize("typed", ["2024-13-01", "2024-02-30", "7/1", "明天"])
def test_a_date_that_is_not_one(run: Run, typed: str) -> None:
    result = run("overdue", "--date", typed, today=TODAY)
    assert result.code == 2
    assert f"错误：--date 的值“{typed}”不是有效日期" in result.err
    assert "2024年7月1日" in result.err  # the hint shows the forms that work


@pytest.mark.parametrize("typed", ["30", "措施30", "措施 30", "（30）", "(30)", "第30项", "三十", "措施三十", "３０"])
def test_measure_numbers_as_people_write_them(run: Run, typed: str) -> None:
    result = run("show", typed, "--date", "2024-07-01", "-f", "json", today=TODAY)
    assert result.code == 0, result.err
    assert json.loads(result.out)["measure"] == 30


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("show", "三十万"), "措施序号“三十万”不是整数"),
        (("show", "abc"), "措施序号“abc”不是整数"),
        (("overdue", "--area", "三"), "参数 --area 的值无效：应为整数"),
        (("upcoming", "--days", "一周"), "参数 --days 的值无效：应为整数"),
        (("overdue", "--date"), "选项 --date 后面缺少值"),
        (("record", "1", "-u"), "选项 -u 后面缺少值"),
    ],
)
def test_no_english_from_the_libraries(run: Run, args: tuple[str, ...], words: str) -> None:
    result = run(*args, today=TODAY)
    assert result.code == 2
    assert words in result.err
    # Apart from kpzf's own name, option names and what was typed: no Latin letters at all.
    rest = re.sub(r"kpzf|-{1,2}[a-z][a-z-]*|abc", "", result.err)
    assert not re.search(r"[A-Za-z]", rest), result.err


def test_schema_messages_are_chinese(run: Run, plan_copy: Path) -> None:
    text = plan_copy.read_text(encoding="utf-8")
    plan_copy.write_text(text.replace("title: 坚持党建引领", 'title: ""', 1), encoding="utf-8")
    result = run("validate", str(plan_copy), today=TODAY)
    assert result.code == 1
    assert "不能为空（位置：items[0].items[0].title）" in result.out
    assert "String should" not in result.out


@pytest.mark.parametrize(("by", "first"), [("单位", "市司法局"), ("重点任务", 1), ("具体任务", 1), ("area", 1)])
def test_report_by_in_chinese(run: Run, by: str, first: object) -> None:
    result = run("report", "--by", by, "--date", "2024-07-01", "-f", "json", today=TODAY)
    assert result.code == 0, result.err
    assert json.loads(result.out)["rows"][0]["key"] == first
    assert run("report", "--by", "部门", today=TODAY).code == 2


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("typed", "unit"),
    [("开平市公安局", "市公安局"), ("开平市司法局", "市司法局"), ("开平市市场监督管理局", "市市场监督管理局"), ("开平市赤坎镇", "赤坎镇"), ("开平市 公安局", "市公安局")],
)
def test_the_plans_own_place_before_a_name(run: Run, typed: str, unit: str) -> None:
    result = run("unit", typed, "--date", "2024-07-01", "-f", "json", today=TODAY)
    assert result.code == 0, result.err
    assert json.loads(result.out)["unit"] == unit


def test_another_places_office_is_not_ours(run: Run) -> None:
    """江门市司法局 is the superior office measure 8 reports to, not 市司法局."""
    result = run("unit", "江门市司法局", today=TODAY)
    assert result.code == 2 and "找不到单位“江门市司法局”" in result.err


def test_place_rule_follows_the_issuer(plan_copy: Path) -> None:
    """Not hard-coded to 开平: a county's plan has its county in front (嘉鱼县司法局 → 县司法局)."""
    from kpzf.model.plan import load_plan

    text = plan_copy.read_text(encoding="utf-8")
    text = text.replace("issuer: 开平市人民政府办公室", "issuer: 嘉鱼县人民政府办公室", 1)
    text = text.replace("  - name: 市司法局\n    aliases: [司法局]", "  - name: 县司法局\n    aliases: [司法局]", 1)
    text = text.replace("市司法局", "县司法局")
    plan_copy.write_text(text, encoding="utf-8")
    registry = load_plan(plan_copy).registry
    assert registry.place == "嘉鱼县"
    assert registry.resolve("嘉鱼县司法局") == "县司法局"
    assert registry.resolve("开平市县司法局") is None


def test_record_needs_no_milestone_when_one_applies(run: Run, plan_copy: Path) -> None:
    """Measure 39: only the 2024-06-30 milestone binds 市公安局; 赤坎镇 only the 2024-12-31 one."""
    police = run("record", "39", "--unit", "公安", "--status", "已完成", "--date", "2024/6/20", cwd=plan_copy.parent, today=TODAY)
    assert police.code == 0, police.err
    town = run("record", "39", "--unit", "赤坎", "--status", "推进中", "--date", "2024-12-01", cwd=plan_copy.parent, today=TODAY)
    assert town.code == 0, town.err
    lines = plan_copy.read_text(encoding="utf-8").splitlines()[-2:]
    assert lines == [
        '  - {measure: 39, unit: "市公安局", milestone: "2024-06-30", status: "已完成", date: "2024-06-20"}',
        '  - {measure: 39, unit: "赤坎镇", milestone: "2024-12-31", status: "推进中", date: "2024-12-01"}',
    ]
    # Measure 18 binds every unit four times: still asks which.
    both = run("record", "18", "--unit", "公安", "--status", "已完成", cwd=plan_copy.parent, today=TODAY)
    assert both.code == 2 and "有 4 个节点" in both.err


def test_record_milestone_typed_loosely(run: Run, plan_copy: Path) -> None:
    result = run("record", "18", "--unit", "赤坎", "--status", "推进中", "--milestone", "2024年5月31日", "--date", "2024.5.20", cwd=plan_copy.parent, today=TODAY)
    assert result.code == 0, result.err
    assert plan_copy.read_text(encoding="utf-8").splitlines()[-1].endswith('milestone: "2024-05-31", status: "推进中", date: "2024-05-20"}')


# --------------------------------------------------------------------------- text_deadlines


def _with_text_deadline(plan_copy: Path, block: str) -> None:
    text = plan_copy.read_text(encoding="utf-8")
    old = "            text_deadlines:\n              - phrase: 每年11月底前将培训情况报江门市司法局\n                units: [市司法局]\n"
    assert text.count(old) == 1
    plan_copy.write_text(text.replace(old, block), encoding="utf-8")


def test_text_deadline_must_be_quoted_from_the_text(run: Run, plan_copy: Path) -> None:
    _with_text_deadline(
        plan_copy,
        "            text_deadlines:\n              - phrase: 每年10月底前将培训情况报江门市司法局\n                units: [市司法局]\n",
    )
    result = run("validate", "-f", "json", str(plan_copy), today=TODAY)
    assert result.code == 1
    (problem,) = json.loads(result.out)
    assert problem["code"] == "text-deadline-not-in-text"
    assert "措施 8：原文时限“每年10月底前将培训情况报江门市司法局”在措施原文（text）中找不到" in problem["message"]


def test_text_deadline_may_not_double_a_milestone_date(run: Run, plan_copy: Path) -> None:
    """A unit cannot have two milestones on one day: progress names a milestone by its date."""
    text = plan_copy.read_text(encoding="utf-8")
    # Measure 6's text repeats its 完成时限 (2024年6月底前完成…首轮全员轮训): already tracked.
    old = "            deadline: 2024年6月底前完成首轮全员轮训，持续推进\n"
    assert text.count(old) == 1
    plan_copy.write_text(
        text.replace(old, old + "            text_deadlines:\n              - phrase: 在2024年6月底前完成我市行政执法队伍的首轮全员轮训\n"),
        encoding="utf-8",
    )
    result = run("validate", "-f", "json", str(plan_copy), today=TODAY)
    assert result.code == 1
    codes = [p["code"] for p in json.loads(result.out)]
    assert codes == ["duplicate-milestone"]


def test_text_deadline_in_show_and_export(run: Run) -> None:
    data = json.loads(run("show", "8", "--date", "2024-12-01", "-f", "json", today=TODAY).out)
    assert [(m["due"], m["source"], m["units"]) for m in data["milestones"]] == [
        ("2024-06-30", "完成时限", data["milestones"][0]["units"]),
        ("2024-11-30", "措施原文", ["市司法局"]),
        ("2025-11-30", "措施原文", ["市司法局"]),
    ]
    table = run("show", "8", "--date", "2024-12-01", today=TODAY).out
    assert "将培训情况报江门市司法局（每年，见措施原文）" in table  # 200 columns: one line
