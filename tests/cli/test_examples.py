"""The example plans in examples/ (built from real published plans, see docs/sources/*/):
valid, and their overdue and unit answers as worked out by hand in docs/sources/*/expected.md
(rechecked against the version-2 format: ids are the dotted paths of the labels)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, Run

EXAMPLES = REPO / "examples"
FANGCHENG = str(EXAMPLES / "fangcheng-2024.yaml")
JIAYU = str(EXAMPLES / "jiayu-2021.yaml")
TODAY = "2026-12-01"


def _overdue(run: Run, plan: str, date: str, *extra: str) -> list[tuple[str, str, list[str]]]:
    result = run("--plan", plan, "overdue", "--date", date, "--format", "json", *extra, today=TODAY)
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    # JSON names a measure of a dotted-id plan by that id ("1.1.2"), as progress does.
    return [(r["measure"], r["due"], r["units"]) for r in rows]


@pytest.mark.parametrize("plan", [FANGCHENG, JIAYU])
def test_example_is_valid(run: Run, plan: str) -> None:
    result = run("validate", plan, today=TODAY)
    assert result.code == 0, result.out + result.err


def test_fangcheng_ids_labels_and_headers(run: Run) -> None:
    from kpzf.model.plan import load_plan

    plan = load_plan(Path(FANGCHENG))
    # 一、→1, （一）→1 (per parent), 1./2. (per parent): no global number, so dotted ids.
    assert [m.id for m in plan.measures.values()] == ["1.1.1", "1.1.2"]
    assert plan.effective_start is not None and plan.effective_start.isoformat() == "2024-04-29"
    result = run("--plan", FANGCHENG, "export", "-f", "csv", "--date", "2024-07-01", today=TODAY)
    header = result.out.lstrip("\ufeff").splitlines()[0]
    assert header == "重点任务,任务,具体工作措施,责任单位,完成时限,进度情况"
    md = run("--plan", FANGCHENG, "export", "-f", "md", "--date", "2024-07-01", today=TODAY).out
    assert md.startswith("## 方城县提升行政执法质量三年行动重点工作台账\n")  # meta.ledger_title
    assert "| 一、全面提升行政执法人员能力素质 | （一）着力提高政治能力 | 1. 把" in md


def test_fangcheng_overdue_by_hand(run: Run) -> None:
    # 2024-03-31 (measure 2, written with its year) stays owed although before publication;
    # 2025-12-31 is due that day, so not yet overdue on it.
    late_2024 = ("1.1.2", "2024-03-31", ["各行政执法部门", "各乡镇(街道)"])
    assert _overdue(run, FANGCHENG, "2024-07-01") == [late_2024]
    assert _overdue(run, FANGCHENG, "2025-12-31") == [late_2024]
    assert _overdue(run, FANGCHENG, "2026-01-05") == [
        late_2024,
        ("1.1.1", "2025-12-31", ["县司法局", "各行政执法部门"]),
    ]


def test_fangcheng_unit_answers_by_hand(run: Run) -> None:
    justice = json.loads(
        run("--plan", FANGCHENG, "unit", "县司法局", "--date", "2024-07-01", "--format", "json",
            today=TODAY).out
    )
    # 县司法局 owes row 1 only: in row 2 it is the recipient (报送至县司法局), not responsible.
    assert [m["measure"] for m in justice["measures"]] == ["1.1.1"]
    assert [x["due"] for x in justice["measures"][0]["milestones"]] == ["2025-12-31"]
    depts = json.loads(
        run("--plan", FANGCHENG, "unit", "各行政执法部门", "--date", "2024-07-01", "--format", "json",
            today=TODAY).out
    )
    assert [m["measure"] for m in depts["measures"]] == ["1.1.1", "1.1.2"]
    assert [m["overdue"] for m in depts["measures"]] == [False, True]


def test_jiayu_has_no_deadline_so_nothing_is_ever_overdue(run: Run) -> None:
    from kpzf.model.plan import load_plan

    plan = load_plan(Path(JIAYU))
    assert [m.id for m in plan.measures.values()] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert plan.period[0].isoformat() == "2021-01-01" and plan.period[1].isoformat() == "2021-12-31"
    for date in ("2021-12-31", "2022-01-10", "2030-01-01"):
        assert _overdue(run, JIAYU, date) == []
    result = run("--plan", JIAYU, "export", "-f", "csv", "--date", "2021-06-30", today=TODAY)
    assert result.out.lstrip("\ufeff").splitlines()[0] == "部分,事项,牵头单位、责任单位,进度情况"


def test_jiayu_unit_answers_by_hand(run: Run) -> None:
    kejing = json.loads(
        run("--plan", JIAYU, "unit", "县科经局", "--date", "2021-07-01", "--format", "json",
            today=TODAY).out
    )
    assert [m["measure"] for m in kejing["measures"]] == ["1.3", "1.5"]
    assert {m["status"] for m in kejing["measures"]} == {"无具体时限"}  # not 长期推进
    summary = run("--plan", JIAYU, "unit", "县科经局", "--date", "2021-07-01", today=TODAY).err
    assert "长期推进 0 项，无具体时限 2 项" in summary
    towns = json.loads(
        run("--plan", JIAYU, "unit", "各镇人民政府", "--date", "2021-07-01", "--format", "json",
            today=TODAY).out
    )
    assert [m["measure"] for m in towns["measures"]] == ["1.1", "1.2", "1.3", "1.4", "1.5"]


def test_jiayu_with_a_declared_default_deadline(run: Run, tmp_path: Path) -> None:
    """expected.md's second reading: deadlines.default 2021年底前 (a choice the file must state)."""
    text = Path(JIAYU).read_text(encoding="utf-8").replace(
        "\nunits:\n", "\ndeadlines: {default: 2021年底前}\n\nunits:\n", 1
    )
    plan = tmp_path / "jiayu.yaml"
    plan.write_text(text, encoding="utf-8")
    assert _overdue(run, str(plan), "2021-12-31") == []  # due that day: not yet overdue
    # Owing units in the order of the file's units list (Registry.in_order): the lead, the
    # other county offices, then 嘉鱼经济开发区, 各镇人民政府.
    everyone = ["嘉鱼经济开发区", "各镇人民政府"]
    assert _overdue(run, str(plan), "2022-01-10") == [
        ("1.1", "2021-12-31", ["县发改局(粮食局)", *everyone]),
        ("1.2", "2021-12-31", ["县财政局", "县税务局", *everyone]),
        ("1.3", "2021-12-31", ["县科经局", *everyone]),
        ("1.4", "2021-12-31", ["县发改局(粮食局)", *everyone]),
        ("1.5", "2021-12-31", ["县科经局", *everyone]),
    ]
    # --role lead: only the 牵头单位 (expected.md): 发改局 1.1, 1.4; 财政局 1.2; 科经局 1.3, 1.5.
    assert _overdue(run, str(plan), "2022-01-10", "--role", "lead") == [
        ("1.1", "2021-12-31", ["县发改局(粮食局)"]),
        ("1.2", "2021-12-31", ["县财政局"]),
        ("1.3", "2021-12-31", ["县科经局"]),
        ("1.4", "2021-12-31", ["县发改局(粮食局)"]),
        ("1.5", "2021-12-31", ["县科经局"]),
    ]


def test_the_examples_folder_is_a_set_of_plans(run: Run) -> None:
    # Only the two plan files are read (the CI workflow lives in examples/ci/); at 2024-07-01
    # 方城's 1.1.2 (due 2024-03-31) is 92 days overdue, 嘉鱼 has no dated milestone.
    result = run("overdue", "--plan", str(EXAMPLES), "--date", "2024-07-01", "--format", "json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert [(row["plan"], row["days_overdue"]) for row in rows] == [("fangcheng-2024", 92)]
    assert "2 个计划" in result.err


def test_json_names_dotted_measures_by_their_id(run: Run) -> None:
    # 方城's two rows are 1.1.1 and 1.1.2 (一、（一）1./2.); Kaiping keeps integers (golden tests).
    export = json.loads(run("--plan", FANGCHENG, "export", "--format", "json", today=TODAY).out)
    assert [m["id"] for m in export["measures"]] == ["1.1.1", "1.1.2"]
    shown = json.loads(
        run("show", "1.1.2", "--plan", FANGCHENG, "--format", "json", today=TODAY).out
    )
    assert shown["measure"] == "1.1.2"
