"""`kpzf diff`: semantic changes between two plans or two git revisions of plan.yaml.

Every expected value is worked out from plan.yaml and the edit made, not copied from output.
The edits are made on the text of the real plan.yaml, so comments and layout stay as people
write them (and formatting-only edits must not count as changes).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import PLAN, Run
from gitutil import commit_all, git, init_repo

from kpzf.render.diff import PROGRESS_REMOVED_TITLE

TODAY = "2025-12-31"  # after every date in the plan, so progress entries are not "in the future"
ORIGINAL = PLAN.read_text(encoding="utf-8")

JSON_KEYS = [
    "old", "new", "changed", "milestones", "measures_added", "measures_removed", "measures_changed",
    "units_added", "units_removed", "groups_added", "groups_removed", "groups_changed",
    "progress_added", "progress_removed", "meta",
]
MEASURE_5_BEFORE = (
    "            units: 市司法局，各镇（街）、市直行政执法部门\n"
    "            unit_refs: [市司法局, 各镇（街）, 市直行政执法部门]\n"
    "            deadline: 2024年6月底前形成阶段性成果，2025年3月底前全覆盖，持续推进\n"
)
MEASURE_5_AFTER = (
    "            units: 市司法局，各镇（街）、市直行政执法部门、市民政局\n"
    "            unit_refs: [市司法局, 各镇（街）, 市直行政执法部门, 市民政局]\n"
    "            deadline: 2024年6月底前形成阶段性成果，2025年6月底前全覆盖，持续推进\n"
)
NEW_UNIT = "  - name: 市财政局\n  - name: 市民政局\n    aliases: [民政局]\n"


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"not exactly one {old!r}"
    return text.replace(old, new)


def set_field(text: str, measure: int, name: str, value: str) -> str:
    """Replace one field of measure `measure` (a ledger measure or an implementation item)."""
    lines = text.splitlines(keepends=True)
    starts = [
        i for i, line in enumerate(lines)
        if re.fullmatch(rf"\s*- (?:number|id): {measure}\n", line)
        and next(
            x for x in lines[i + 1:] if not x.lstrip().startswith(("#", "label:"))
        ).lstrip().startswith("text:")
    ]
    assert len(starts) == 1, starts
    for i in range(starts[0] + 1, len(lines)):
        if lines[i].lstrip().startswith(f"{name}:"):
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            lines[i] = f"{indent}{name}: {value}\n"
            return "".join(lines)
    raise AssertionError(f"measure {measure} has no {name}")


def with_progress(text: str, *entries: str) -> str:
    return edit(text, "\nprogress: []\n", "\nprogress:\n" + "".join(f"  - {e}\n" for e in entries))


@pytest.fixture
def compare(run: Run, tmp_path: Path) -> Any:
    """Write two versions of the plan and diff them as files; (exit code, JSON report, stderr)."""

    def go(old: str, new: str, *extra: str) -> tuple[int, dict[str, Any], str]:
        (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
        (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
        result = run("diff", "old.yaml", "new.yaml", "--format", "json", *extra, cwd=tmp_path, today=TODAY)
        return result.code, json.loads(result.out) if result.out else {}, result.err

    return go


def only(report: dict[str, Any], **expected: Any) -> None:
    """The report has exactly these non-empty lists (and every other list empty)."""
    assert list(report) == JSON_KEYS
    found = {k: v for k, v in report.items() if isinstance(v, list) and v}
    assert found == expected


# --- two real revisions in a git repository ---------------------------------------------------


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A plan repository: plan.yaml as shipped, then a commit moving measure 5's 全覆盖 by three
    months and adding 市民政局 to the registry and to measure 5."""
    repo = init_repo(tmp_path / "plans")
    (repo / "plan.yaml").write_text(ORIGINAL, encoding="utf-8")
    commit_all(repo, "plan as issued")
    changed = edit(edit(ORIGINAL, MEASURE_5_BEFORE, MEASURE_5_AFTER), "  - name: 市财政局\n", NEW_UNIT)
    (repo / "plan.yaml").write_text(changed, encoding="utf-8")
    commit_all(repo, "extend 全覆盖 of measure 5; 市民政局 joins it")
    return repo


def test_git_two_revisions_moved_deadline_and_added_unit(run: Run, history: Path) -> None:
    result = run("diff", "--git", "HEAD~1..HEAD", "--format", "json", cwd=history, today=TODAY)
    assert result.code == 1
    report = json.loads(result.out)
    assert (report["old"], report["new"], report["changed"]) == ("HEAD~1:plan.yaml", "HEAD:plan.yaml", True)
    # 2025年3月底前 → 2025年6月底前: 2025-03-31 → 2025-06-30 = 30 (Apr) + 31 (May) + 30 (Jun) = 91 days.
    only(
        report,
        milestones=[
            {
                "measure": 5,
                "change": "later",
                "days": 91,
                "old": {"due": "2025-03-31", "what": "全覆盖", "units": None},
                "new": {"due": "2025-06-30", "what": "全覆盖", "units": None},
            }
        ],
        measures_changed=[
            {
                "measure": 5,
                "text": None,
                "units": {
                    "old": "市司法局，各镇（街）、市直行政执法部门",
                    "new": "市司法局，各镇（街）、市直行政执法部门、市民政局",
                },
                "units_added": ["市民政局"],
                "units_removed": [],
                "deadline": {
                    "old": "2024年6月底前形成阶段性成果，2025年3月底前全覆盖，持续推进",
                    "new": "2024年6月底前形成阶段性成果，2025年6月底前全覆盖，持续推进",
                },
            }
        ],
        units_added=["市民政局"],
    )
    assert result.err == "HEAD~1:plan.yaml → HEAD:plan.yaml：1 个节点推后，1 项措施改动，1 个单位新增\n"


def test_git_table_lists_extensions_first(run: Run, history: Path) -> None:
    result = run("diff", "--git", "HEAD~1..HEAD", cwd=history, today=TODAY)
    assert result.code == 1
    out = result.out
    assert re.search(r"│ 5\s+│ 全覆盖\s+│ 2025-03-31 │ 2025-06-30 │ \+91 天 │", out)
    order = [out.index(t) for t in ("完成时限推后（延期）", "改动的措施", "单位名录")]
    assert order == sorted(order)
    assert re.search(r"│ 新增\s+│ 市民政局\s+│", out)


def test_git_markdown_for_a_pull_request(run: Run, history: Path) -> None:
    result = run("diff", "--git", "HEAD~1..HEAD", "--format", "md", cwd=history, today=TODAY)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "### kpzf diff：`HEAD~1:plan.yaml` → `HEAD:plan.yaml`"
    assert lines[2] == "1 个节点推后，1 项措施改动，1 个单位新增"
    assert lines[4] == "#### ⚠️ 完成时限推后（延期）"
    assert "| 5 | 全覆盖 | 2025-03-31 | 2025-06-30 | +91 天 |" in lines
    assert "| 5 | 责任单位增加 |   | 市民政局 |" in lines
    assert "| 新增 | 市民政局 |" in lines


def test_git_one_revision_is_compared_with_the_work_tree(run: Run, history: Path) -> None:
    unchanged = run("diff", "--git", "HEAD", cwd=history, today=TODAY)
    assert (unchanged.code, unchanged.out) == (0, "")
    assert unchanged.err == "HEAD:plan.yaml → plan.yaml：没有实质性变化\n"
    before = run("diff", "--git", "HEAD~1", "-f", "json", cwd=history, today=TODAY)
    assert before.code == 1
    assert [m["days"] for m in json.loads(before.out)["milestones"]] == [91]
    # An explicit file (here from outside the repository) is what is compared.
    outside = run("diff", "--git", "HEAD~1", str(history / "plan.yaml"), "-f", "json", today=TODAY)
    assert outside.code == 1 and json.loads(outside.out)["units_added"] == ["市民政局"]


def test_git_three_dots_compare_from_the_merge_base(run: Run, history: Path) -> None:
    """As in a pull request: only the branch's own change, not what main did meanwhile."""
    git(history, "checkout", "-q", "-b", "feature", "HEAD~1")
    text = set_field(ORIGINAL, 65, "deadline", "2024年9月底前完成中期评估")
    (history / "plan.yaml").write_text(text, encoding="utf-8")
    commit_all(history, "feature: 中期评估 one month later")
    result = run("diff", "--git", "main...feature", "-f", "json", cwd=history, today=TODAY)
    assert result.code == 1
    report = json.loads(result.out)
    assert [(m["measure"], m["days"]) for m in report["milestones"]] == [(65, 30)]  # 08-31 → 09-30
    assert report["units_added"] == []  # main's 市民政局 is not the feature's doing
    two_dots = json.loads(run("diff", "--git", "main..feature", "-f", "json", cwd=history, today=TODAY).out)
    assert two_dots["units_removed"] == ["市民政局"]


# --- nothing semantic changed -------------------------------------------------------------------


def test_identical_files(compare: Any) -> None:
    code, report, err = compare(ORIGINAL, ORIGINAL)
    assert code == 0
    assert report["changed"] is False
    only(report)
    assert err.endswith("：没有实质性变化\n")


def test_comments_layout_and_quoting_are_not_changes(compare: Any) -> None:
    text = edit(ORIGINAL, "version: 2\n", "# 修订说明：仅调整格式\nversion: 2\n")
    text = edit(text, "  issued: \"2024-02-09\"\n", "  issued: '2024-02-09'   # 印发日期\n")
    text = edit(
        text,
        "    unit_refs: [市司法局]\n    deadline: 2024年8月底前完成中期评估\n",
        "    unit_refs:\n      - 市司法局\n    deadline: \"2024年8月底前完成中期评估\"\n",
    )
    code, report, _ = compare(ORIGINAL, text)
    assert (code, report["changed"]) == (0, False)


# --- each kind of change ------------------------------------------------------------------------


def test_measures_added_and_removed(compare: Any) -> None:
    added = ORIGINAL.replace(
        "\n# ---------------------------------------------------------------------------\n# 进度记录",
        "\n  - number: 67\n    text: 完成三年行动总结\n    units: 市司法局\n    unit_refs: [司法局]\n"
        "    deadline: 2025年12月底前\n"
        "\n# ---------------------------------------------------------------------------\n# 进度记录",
    )
    code, report, _ = compare(ORIGINAL, added)
    assert code == 1
    new_measure = {"measure": 67, "text": "完成三年行动总结", "units": "市司法局",
                   "unit_refs": ["市司法局"], "deadline": "2025年12月底前"}
    only(report, measures_added=[new_measure])  # its milestone is part of the measure, not listed again
    code, report, _ = compare(added, ORIGINAL)
    only(report, measures_removed=[new_measure])


def test_measure_reworded(compare: Any) -> None:
    new = edit(ORIGINAL, "text: 加强执法行为规范和职业道德教育。", "text: 加强执法行为规范、职业道德和廉政教育。")
    code, report, _ = compare(ORIGINAL, new)
    assert code == 1
    only(report, measures_changed=[{
        "measure": 7,
        "text": {"old": "加强执法行为规范和职业道德教育。", "new": "加强执法行为规范、职业道德和廉政教育。"},
        "units": None, "units_added": [], "units_removed": [], "deadline": None,
    }])


def test_unit_dropped_from_a_measure_and_verbatim_only_change(compare: Any) -> None:
    new = set_field(ORIGINAL, 64, "units", "市直行政执法部门")
    new = set_field(new, 64, "unit_refs", "[市直行政执法部门]")
    new = set_field(new, 1, "units", "市司法局，各镇(街)、市直行政执法部门")  # half-width: same units
    code, report, _ = compare(ORIGINAL, new)
    assert code == 1
    only(report, measures_changed=[
        {
            "measure": 1, "text": None,
            "units": {"old": "市司法局，各镇（街）、市直行政执法部门", "new": "市司法局，各镇(街)、市直行政执法部门"},
            "units_added": [], "units_removed": [], "deadline": None,
        },
        {
            "measure": 64, "text": None,
            "units": {"old": "各镇（街）、市直行政执法部门", "new": "市直行政执法部门"},
            "units_added": [], "units_removed": ["各镇（街）"], "deadline": None,
        },
    ])


def test_deadlines_earlier_and_later_biggest_first(compare: Any) -> None:
    new = set_field(ORIGINAL, 65, "deadline", "2024年7月底前完成中期评估")  # 08-31 → 07-31: -31
    new = set_field(new, 18, "deadline", "每年6月底、12月底前")  # yearly, within 2024—2025
    code, report, _ = compare(ORIGINAL, new)
    assert code == 1
    moves = [(m["change"], m["measure"], m["old"]["due"], m["new"]["due"], m["days"]) for m in report["milestones"]]
    assert moves == [
        ("later", 18, "2024-11-30", "2024-12-31", 31),
        ("later", 18, "2025-11-30", "2025-12-31", 31),
        ("later", 18, "2024-05-31", "2024-06-30", 30),
        ("later", 18, "2025-05-31", "2025-06-30", 30),
        ("earlier", 65, "2024-08-31", "2024-07-31", -31),
    ]
    assert [m["measure"] for m in report["measures_changed"]] == [18, 65]


def test_milestone_added_removed_and_reworded(compare: Any) -> None:
    new = set_field(ORIGINAL, 19, "deadline", "2024年6月底前形成阶段性成果，2024年12月底前完成")
    new = set_field(new, 3, "deadline", "2024年6月底前建立培训制度和培训计划，持续推进")
    code, report, _ = compare(ORIGINAL, new)
    assert code == 1
    assert report["milestones"] == [
        {"measure": 3, "change": "changed", "days": 0,
         "old": {"due": "2024-06-30", "what": "建立培训制度", "units": None},
         "new": {"due": "2024-06-30", "what": "建立培训制度和培训计划", "units": None}},
        {"measure": 19, "change": "added", "days": None, "old": None,
         "new": {"due": "2024-06-30", "what": "形成阶段性成果", "units": None}},
    ]
    code, report, _ = compare(new, ORIGINAL)
    assert [(m["measure"], m["change"]) for m in report["milestones"]] == [(3, "changed"), (19, "removed")]


def test_milestone_for_fewer_units(compare: Any) -> None:
    old_deadline = "2024年6月底前形成阶段性成果（市公安局、市交通运输局），2024年12月底前完成（其他行政执法单位）"
    assert f"deadline: {old_deadline}\n" in ORIGINAL
    new = edit(ORIGINAL, "（市公安局、市交通运输局），", "（市公安局），")
    code, report, _ = compare(ORIGINAL, new)
    assert code == 1
    assert report["milestones"] == [
        {"measure": 39, "change": "changed", "days": 0,
         "old": {"due": "2024-06-30", "what": "形成阶段性成果", "units": ["市公安局", "市交通运输局"]},
         "new": {"due": "2024-06-30", "what": "形成阶段性成果", "units": ["市公安局"]}},
    ]


def test_registry_and_group_membership(compare: Any) -> None:
    new = edit(ORIGINAL, "  - name: 水口镇\n    code: \"440783117\"\n    aliases: [水口]\n", "")
    new = edit(new, "金鸡镇, 月山镇, 赤水镇, 水口镇]", "金鸡镇, 月山镇, 赤水镇]")
    new = edit(
        new,
        "  - name: 其他行政执法单位\n",
        "  - name: 重点执法部门\n    members: [市公安局, 市交通运输局]\n  - name: 其他行政执法单位\n",
    )
    code, report, _ = compare(ORIGINAL, new)
    assert code == 1
    # 其他行政执法单位 = 市直行政执法部门 + 各镇（街） − 市公安局 − 市交通运输局: 水口镇 leaves both.
    only(
        report,
        units_removed=["水口镇"],
        groups_added=["重点执法部门"],
        groups_changed=[
            {"group": "各镇（街）", "added": [], "removed": ["水口镇"]},
            {"group": "其他行政执法单位", "added": [], "removed": ["水口镇"]},
        ],
    )


PROGRESS_65 = '{measure: 65, unit: 市司法局, status: 已完成, date: "2024-08-30", note: 中期评估报告已报送市政府}'
PROGRESS_66 = '{measure: 66, unit: 司法局, status: 推进中, date: "2025-03-01"}'
ROW_65 = {"measure": 65, "unit": "市司法局", "milestone": None, "status": "已完成", "date": "2024-08-30",
          "note": "中期评估报告已报送市政府", "until": None, "approved_late": False}
ROW_66 = {"measure": 66, "unit": "市司法局", "milestone": None, "status": "推进中", "date": "2025-03-01",
          "note": "", "until": None, "approved_late": False}


def test_progress_added(compare: Any) -> None:
    code, report, _ = compare(ORIGINAL, with_progress(ORIGINAL, PROGRESS_65, PROGRESS_66))
    assert code == 1
    only(report, progress_added=[ROW_65, ROW_66])  # the alias 司法局 reported by its canonical name


def test_progress_removed_or_rewritten_is_flagged(run: Run, compare: Any, tmp_path: Path) -> None:
    old = with_progress(ORIGINAL, PROGRESS_65, PROGRESS_66)
    new = with_progress(ORIGINAL, PROGRESS_66.replace("推进中", "已完成"))
    code, report, err = compare(old, new)
    assert code == 1
    only(report, progress_added=[{**ROW_66, "status": "已完成"}], progress_removed=[ROW_65, ROW_66])
    assert "2 条进度记录被删除或改写" in err
    table = run("diff", "old.yaml", "new.yaml", cwd=tmp_path, today=TODAY)
    assert PROGRESS_REMOVED_TITLE in table.out
    md = run("diff", "old.yaml", "new.yaml", "-f", "md", cwd=tmp_path, today=TODAY)
    assert f"#### ⚠️ {PROGRESS_REMOVED_TITLE}" in md.out


def test_longer_period_adds_recurring_milestones(compare: Any) -> None:
    new = edit(ORIGINAL, '    end: "2025-12-31"\n', '    end: "2026-06-30"\n')
    code, report, _ = compare(ORIGINAL, new)
    assert code == 1
    assert report["meta"] == [{"field": "period.end", "old": "2025-12-31", "new": "2026-06-30"}]
    # 每年5月底、11月底前 (measure 18) now also falls due on 2026-05-31.
    assert report["milestones"] == [
        {"measure": 18, "change": "added", "days": None, "old": None,
         "new": {"due": "2026-05-31", "what": "完成", "units": None}},
    ]


# --- what cannot be compared: exit 2 ------------------------------------------------------------


def test_invalid_plan_is_reported_with_its_problems(run: Run, tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text(ORIGINAL, encoding="utf-8")
    bad = set_field(ORIGINAL, 64, "unit_refs", "[各镇（街）, 市直执法部门]")
    (tmp_path / "new.yaml").write_text(bad, encoding="utf-8")
    line = bad.splitlines().index("            unit_refs: [各镇（街）, 市直执法部门]") + 1
    result = run("diff", "old.yaml", "new.yaml", cwd=tmp_path, today=TODAY)
    assert result.code == 2
    assert result.out == ""
    assert f"new.yaml:{line}:" in result.err and "“市直执法部门”不在单位名录中" in result.err
    assert "计划文件有 2 个问题" in result.err  # the unknown name, and units/unit_refs disagree
    typo = ORIGINAL.replace("  doc_number: 开府办〔2024〕6号\n", "  doc_numbr: 开府办〔2024〕6号\n")
    (tmp_path / "new.yaml").write_text(typo, encoding="utf-8")
    assert run("diff", "old.yaml", "new.yaml", cwd=tmp_path, today=TODAY).code == 2
    (tmp_path / "new.yaml").write_bytes(ORIGINAL.encode("gb18030"))
    gbk = run("diff", "old.yaml", "new.yaml", cwd=tmp_path, today=TODAY)
    assert gbk.code == 2 and "GBK" in gbk.err


def test_invalid_revision_names_the_revision(run: Run, history: Path) -> None:
    text = set_field(ORIGINAL, 64, "unit_refs", "[各镇（街）, 市直执法部门]")
    (history / "plan.yaml").write_text(text, encoding="utf-8")
    commit_all(history, "a typo")
    result = run("diff", "--git", "HEAD~1..HEAD", cwd=history, today=TODAY)
    assert result.code == 2
    assert re.search(r"^HEAD:plan\.yaml:\d+:\d+: 错误：措施 64：责任单位“市直执法部门”", result.err, re.MULTILINE)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--git", "nope"), "错误：找不到版本“nope”"),
        (("--git", "HEAD~9..HEAD"), "错误：找不到版本“HEAD~9”"),
        (("--git", "--output=x"), "错误：--git 的值“--output=x”不是版本"),
        (("--git", "HEAD", "a.yaml", "b.yaml"), "错误：用 --git 时最多指定一个计划文件"),
        (("plan.yaml",), "错误：需要两个计划文件（旧、新），这里给了 1 个"),
        (("plan.yaml", "missing.yaml"), "missing.yaml: 错误：文件不存在"),
        (("--git", "HEAD", "-f", "xml"), "错误：--format 的值“xml”无效"),
    ],
)
def test_unusable_arguments(run: Run, history: Path, args: tuple[str, ...], message: str) -> None:
    result = run("diff", *args, cwd=history, today=TODAY)
    assert result.code == 2
    assert result.err.startswith(message), result.err
    assert result.out == ""


def test_file_missing_at_revision_and_not_a_repository(run: Run, history: Path, tmp_path: Path) -> None:
    (history / "sub").mkdir()
    (history / "sub" / "plan.yaml").write_text(ORIGINAL, encoding="utf-8")
    missing = run("diff", "--git", "HEAD", cwd=history / "sub", today=TODAY)
    assert missing.code == 2
    assert missing.err.startswith("错误：版本 HEAD 中没有 sub/plan.yaml")
    elsewhere = tmp_path / "not-a-repo"
    elsewhere.mkdir()
    (elsewhere / "plan.yaml").write_text(ORIGINAL, encoding="utf-8")
    outside = run("diff", "--git", "HEAD", cwd=elsewhere, today=TODAY)
    assert outside.code == 2 and "不在 git 仓库中" in outside.err
    shipped = run("diff", "--git", "HEAD", cwd=tmp_path, today=TODAY)  # no ./plan.yaml
    assert shipped.code == 2 and "--git 需要仓库中的计划文件" in shipped.err
