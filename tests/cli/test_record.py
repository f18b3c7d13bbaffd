"""`kpzf record`: what it accepts, what it refuses (file untouched), and what it writes."""

from __future__ import annotations

import datetime as dt
import json
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PLAN, Result, Run

from kpzf.checks import run_checks
from kpzf.model.plan import load_plan
from kpzf.model.progress import current_progress, history

TODAY = "2025-01-15"
SIMPLE = ("record", "1", "-u", "公安", "-s", "已完成")


def entries(path: Path) -> list[dict[str, object]]:
    plan = load_plan(path)
    return [e.model_dump(mode="json") for e in plan.model.progress]


@pytest.fixture
def record(run: Run, plan_copy: Path) -> Callable[[str], Result]:
    """`kpzf record ARGS` (a shell-like string) on the plan copy, on 2025-01-15."""
    return lambda args: run("record", *shlex.split(args), cwd=plan_copy.parent, today=TODAY)


def test_first_entry_turns_empty_list_into_block_and_keeps_everything_else(
    record: Callable[[str], Result], plan_copy: Path
) -> None:
    before = plan_copy.read_bytes()
    assert before.endswith(b"\nprogress: []\n")
    r = record("1 --unit 公安 --status 已完成 --date 2024-12-20 --note 开公〔2024〕12号")
    assert r.code == 0, r.err
    # Measure 1 has one milestone (2024年12月底前…): it is written out; 公安 is stored canonically.
    line = (
        '  - {measure: 1, unit: "市公安局", milestone: "2024-12-31", status: "已完成", '
        'date: "2024-12-20", note: "开公〔2024〕12号"}\n'
    )
    expected = before[: -len(b"progress: []\n")] + b"progress:\n" + line.encode()
    assert plan_copy.read_bytes() == expected
    assert "已记录：措施 1 · 市公安局 · 节点 2024-12-31 · 已完成（2024-12-20）" in r.err
    assert f"第 {len(expected.splitlines())} 行" in r.err
    assert r.out == ""


def test_record_then_validate_and_export_round_trip(
    record: Callable[[str], Result], run: Run, plan_copy: Path
) -> None:
    assert record("65 -u 司法局 -s 已完成 -d 2024-08-28 -n 中期评估报告已报送市政府").code == 0
    assert record("21 -u 赤坎 -s 推进中 -d 2024-09-01").code == 0
    r = run("validate", cwd=plan_copy.parent, today=TODAY)
    assert r.code == 0, r.err
    assert "2 条进度记录" in r.err
    r = run("export", "--format", "json", cwd=plan_copy.parent, today=TODAY)
    assert r.code == 0
    # 65 (中期评估, 2024年8月底前) has one milestone; 21 (长期推进) has none, so none is written.
    assert json.loads(r.out)["progress"] == [
        {
            "measure": 65,
            "unit": "市司法局",
            "milestone": "2024-08-31",
            "status": "已完成",
            "date": "2024-08-28",
            "note": "中期评估报告已报送市政府",
            "until": None,
            "approved_late": False,
        },
        {
            "measure": 21,
            "unit": "赤坎镇",
            "milestone": None,
            "status": "推进中",
            "date": "2024-09-01",
            "note": "",
            "until": None,
            "approved_late": False,
        },
    ]


def test_later_entry_supersedes_earlier_and_history_stays(
    record: Callable[[str], Result], plan_copy: Path
) -> None:
    # Measure 18 is 每年5月底、11月底前: four milestones, so --milestone is needed.
    r = record("18 -u 赤坎镇 -s 推进中 -m 2024-05-31 -d 2024-05-10")
    assert r.code == 0, r.err
    first_line = len(plan_copy.read_text(encoding="utf-8").splitlines())  # appended last
    r = record("18 -u 赤坎镇 -s 已完成 -m 1 -d 2024-05-30 -n 赤府〔2024〕3号")
    assert r.code == 0, r.err
    assert f"取代第 {first_line} 行的记录：推进中（2024-05-10）" in r.err
    plan = load_plan(plan_copy)
    assert run_checks(plan, dt.date.fromisoformat(TODAY)) == []
    latest = current_progress(plan)
    assert latest[(18, "赤坎镇", "2024-05-31")].entry.status == "已完成"
    assert latest[(18, "赤坎镇", "2024-05-31")].index == 1
    # On a day between the two entries only the first one is known.
    earlier = current_progress(plan, dt.date(2024, 5, 20))
    assert earlier[(18, "赤坎镇", "2024-05-31")].entry.status == "推进中"
    assert [e.status for _, e in history(plan, 18)] == ["推进中", "已完成"]
    # The other occurrences of the yearly deadline are untouched.
    assert (18, "赤坎镇", "2024-11-30") not in latest


def test_backdated_entry_still_supersedes_and_says_so(
    record: Callable[[str], Result], plan_copy: Path
) -> None:
    assert record("19 -u 市司法局 -s 已完成 -d 2024-12-20").code == 0
    r = record("19 -u 市司法局 -s 推进中 -d 2024-10-01")
    assert r.code == 0, r.err
    assert "日期早于被取代的记录（2024-12-20）" in r.err
    latest = current_progress(load_plan(plan_copy))
    assert latest[(19, "市司法局", "2024-12-31")].entry.status == "推进中"


def test_milestone_by_index_and_unit_specific_deadline(
    record: Callable[[str], Result], plan_copy: Path
) -> None:
    # Measure 39: 2024-06-30 for 市公安局、市交通运输局; 2024-12-31 for the other units.
    assert record("39 -u 赤坎 -s 已完成 -m 2 -d 2024-12-30").code == 0
    assert entries(plan_copy)[-1]["milestone"] == "2024-12-31"
    assert record("39 -u 交通运输 -s 已完成 -m 2024-06-30 -d 2024-06-28").code == 0
    assert entries(plan_copy)[-1]["unit"] == "市交通运输局"


def test_delay_with_reason_and_not_applicable_are_recorded(
    record: Callable[[str], Result], plan_copy: Path
) -> None:
    r = record("5 -u 市司法局 -s 延期 -m 2 -d 2025-01-10 -n 因机构调整顺延至2025年6月")
    assert r.code == 0, r.err
    # 10 is owed by 涉及执法职权下放的市直行政执法部门; 市自然资源局 is one of its members
    # (市公安局 is not: 公安 powers are not devolved, see the group's comment in plan.yaml).
    r = record("10 -u 市公安局 -s 不适用 -d 2024-03-01")
    assert r.code == 1 and "不是措施 10 的责任单位" in r.err
    r = record("10 -u 自然资源 -s 不适用 -d 2024-03-01 -n 无下放事项")
    assert r.code == 0, r.err
    assert [(e["measure"], e["unit"], e["status"], e["milestone"]) for e in entries(plan_copy)] == [
        (5, "市司法局", "延期", "2025-03-31"),
        (10, "市自然资源局", "不适用", "2024-12-31"),
    ]


def test_date_defaults_to_today(record: Callable[[str], Result], plan_copy: Path) -> None:
    assert record("19 -u 市司法局 -s 推进中").code == 0
    assert entries(plan_copy)[-1]["date"] == TODAY


# Refused entries: (arguments, exit code, words the message must contain). Worked out from
# plan.yaml: measure 19 is owed by 市司法局 alone; 18 has four milestones (每年5月底、11月底前);
# 39's 2024-06-30 milestone is only for 市公安局 and 市交通运输局; 21 is 长期推进 (no milestone).
REFUSED = [
    ("99 -u 公安 -s 已完成", 2, "措施 99 不存在"),
    ("abc -u 公安 -s 已完成", 2, "不是整数"),
    ("19 -u 公安 -s 已完成", 1, "“市公安局”不是措施 19 的责任单位"),
    ("1 -u 各镇（街） -s 已完成", 2, "“各镇（街）”是单位组"),
    ("1 -u 市直 -s 已完成", 2, "不唯一"),
    ("1 -u 开平市火星局 -s 已完成", 2, "单位“开平市火星局”"),
    ("18 -u 公安 -s 已完成", 2, "有 4 个节点"),
    ("18 -u 公安 -s 已完成 -m 2024-06-30", 2, "没有节点“2024-06-30”"),
    ("18 -u 公安 -s 已完成 -m 5", 2, "没有节点“5”"),
    ("18 -u 公安 -s 已完成 -m 五月", 2, "既不是节点序号"),
    ("39 -u 赤坎 -s 已完成 -m 1", 1, "不适用于“赤坎镇”"),
    ("21 -u 赤坎 -s 推进中 -m 1", 2, "没有带日期的节点"),
    ("1 -u 公安 -s 完成", 2, "未知的状态“完成”"),
    ("1 -u 公安 -s 延期", 1, "请用 --note 写明原因"),
    ("1 -u 公安 -s 延期 -n '   '", 1, "请用 --note 写明原因"),
    ("1 -u 公安 -s 推进中 -d 2025-01-16", 1, "晚于今天（2025-01-15）"),
    ("1 -u 公安 -s 推进中 -d 2023-12-31", 1, "早于实施期开始日期 2024-01-01"),
    ("1 -u 公安 -s 推进中 -d 2024-02-30", 2, "不是有效日期"),
    ("1 -s 推进中", 2, "缺少参数：--unit"),
]


@pytest.mark.parametrize(("args", "code", "words"), REFUSED, ids=[a for a, _, _ in REFUSED])
def test_refused_entry_leaves_file_byte_for_byte_unchanged(
    record: Callable[[str], Result], plan_copy: Path, args: str, code: int, words: str
) -> None:
    # Start from a file that already has an entry, so "unchanged" covers a non-empty log too.
    assert record("1 -u 市司法局 -s 推进中 -d 2024-06-01").code == 0
    before = plan_copy.read_bytes()
    r = record(args)
    assert r.code == code, r.err
    assert words in r.err
    assert "Traceback" not in r.err
    assert plan_copy.read_bytes() == before
    assert sorted(p.name for p in plan_copy.parent.iterdir()) == ["plan.yaml"]


def test_group_is_refused_with_member_examples(record: Callable[[str], Result]) -> None:
    # 镇（街） is a partial name of the group 各镇（街）; progress is recorded per town.
    r = record("37 -u 镇（街） -s 已完成")
    assert r.code == 2
    assert "“各镇（街）”是单位组" in r.err
    assert "三埠街道" in r.err


def test_invalid_plan_is_refused_and_left_alone(run: Run, plan_copy: Path) -> None:
    text = plan_copy.read_text(encoding="utf-8")
    broken = text.replace(
        "unit_refs: [市司法局]\n    deadline: 2024年8月底前",
        "unit_refs: [市司法厅]\n    deadline: 2024年8月底前",
    )
    assert broken != text
    plan_copy.write_text(broken, encoding="utf-8")
    before = plan_copy.read_bytes()
    r = run(*SIMPLE, cwd=plan_copy.parent, today=TODAY)
    assert r.code == 1
    assert "“市司法厅”不在单位名录中" in r.err
    assert "plan.yaml:" in r.err  # problems carry file:line:col
    assert plan_copy.read_bytes() == before


def test_unusable_plan_is_refused(run: Run, plan_copy: Path) -> None:
    plan_copy.write_bytes(plan_copy.read_text(encoding="utf-8").encode("gb18030"))
    before = plan_copy.read_bytes()
    r = run(*SIMPLE, cwd=plan_copy.parent, today=TODAY)
    assert r.code == 2
    assert "GBK" in r.err
    assert plan_copy.read_bytes() == before


def test_missing_plan_file(run: Run, tmp_path: Path) -> None:
    r = run("--plan", str(tmp_path / "nope.yaml"), *SIMPLE, today=TODAY)
    assert r.code == 2
    assert "文件不存在" in r.err
    assert not (tmp_path / "nope.yaml").exists()


def test_embedded_copy_is_never_written(run: Run, tmp_path: Path) -> None:
    before = PLAN.read_bytes()
    r = run(*SIMPLE, cwd=tmp_path, today=TODAY)
    assert r.code == 2
    assert "内置" in r.err and "--plan" in r.err
    assert PLAN.read_bytes() == before


def test_path_inside_the_package_is_never_written(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpzf.record import entry as record

    package = tmp_path / "site-packages" / "kpzf"
    package.mkdir(parents=True)
    inside = package / "plan.yaml"
    inside.write_bytes(PLAN.read_bytes())
    monkeypatch.setattr(record, "package_dir", lambda: package)
    link = tmp_path / "work" / "plan.yaml"
    link.parent.mkdir()
    link.symlink_to(inside)  # a link from outside still leads inside: refused
    for target in (inside, link):
        r = run("--plan", str(target), *SIMPLE, today=TODAY)
        assert r.code == 2, r.err
        assert "安装包内" in r.err
    assert inside.read_bytes() == PLAN.read_bytes()


def test_help_is_chinese_with_example(run: Run) -> None:
    r = run("record", "--help")
    assert r.code == 0
    assert "记录一条进度" in r.out
    assert "kpzf record 1 --unit 公安 --status 已完成" in r.out


def test_readme_documents_record_and_its_guarantees() -> None:
    readme = (PLAN.parent / "README.md").read_text(encoding="utf-8")
    assert "### `kpzf record MEASURE" in readme
    assert "### record 的安全保证" in readme


def test_record_round_trip_through_overdue_and_unit(
    record: Callable[[str], Result], run: Run, plan_copy: Path
) -> None:
    """Measure 19 (2024年12月底前, owed by 市司法局 alone) as progress is recorded for it."""

    def overdue(on: str) -> dict[int, dict[str, object]]:
        r = run("overdue", "--date", on, "-f", "json", cwd=plan_copy.parent, today=TODAY)
        assert r.code == 0, r.err
        return {row["measure"]: row for row in json.loads(r.out) if row["measure"] == 19}

    def justice_bureau_report() -> dict[str, object]:
        r = run("report", "--date", TODAY, "--by", "unit", "-f", "json", cwd=plan_copy.parent, today=TODAY)
        assert r.code == 0, r.err
        [row] = [row for row in json.loads(r.out)["rows"] if row["key"] == "市司法局"]
        return row

    # Due 2024-12-31, nothing recorded: on 2025-01-15 it is 15 days overdue.
    assert overdue(TODAY)[19]["units"] == ["市司法局"]
    assert overdue(TODAY)[19]["days_overdue"] == 15
    before = justice_bureau_report()
    assert record("19 -u 司法局 -s 已完成 -d 2024-12-20 -n 开司〔2024〕9号").code == 0
    assert overdue(TODAY) == {}
    # The report moves exactly this one obligation of 市司法局 from 逾期 to 已完成.
    after = justice_bureau_report()
    assert after["completed"] == before["completed"] + 1
    assert after["overdue"] == before["overdue"] - 1
    assert after["obligations"] == before["obligations"]
    # A later line reopens it (e.g. the document was sent back); supersession is by line.
    assert record("19 -u 市司法局 -s 推进中 -d 2025-01-10 -n 退回修改").code == 0
    assert overdue(TODAY)[19]["days_overdue"] == 15
    # As of 2025-01-05 only the first entry was known, so it was not overdue then.
    assert overdue("2025-01-05") == {}
    r = run("unit", "市司法局", "--date", TODAY, "-f", "json", cwd=plan_copy.parent, today=TODAY)
    assert r.code == 0, r.err
    [m19] = [m for m in json.loads(r.out)["measures"] if m["measure"] == 19]
    assert m19["status"] == "逾期"
    assert [(m["due"], m["status"], m["date"], m["note"]) for m in m19["milestones"]] == [
        ("2024-12-31", "推进中", "2025-01-10", "退回修改")
    ]
