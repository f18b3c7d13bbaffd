"""Loading and resolving the shipped plan: measures, milestones, units, groups, file lookup."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import PLAN, Run

from kpzf.io.locate import embedded_plan_path, locate_plan
from kpzf.model.plan import LoadedPlan, load_plan

D = dt.date.fromisoformat

TOWNS = {
    "三埠街道", "长沙街道", "沙塘镇", "苍城镇", "龙胜镇", "大沙镇", "马冈镇", "塘口镇",
    "赤坎镇", "百合镇", "蚬冈镇", "金鸡镇", "月山镇", "赤水镇", "水口镇",
}  # fmt: skip
# Measure 27's list minus 市司法局 (domain-notes.md: the members the plan itself implies).
CITY_DEPARTMENTS = {
    "市发展和改革局", "市公安局", "市自然资源局", "市生态环境局开平分局", "市住房和城乡建设局",
    "市交通运输局", "市水利局", "市农业农村局", "市文化广电旅游体育局", "市卫生健康局",
    "市应急管理局", "市市场监督管理局", "市城市管理和综合执法局",
}  # fmt: skip


@pytest.fixture(scope="module")
def plan() -> LoadedPlan:
    return load_plan(PLAN)


def test_counts(plan: LoadedPlan) -> None:
    assert plan.model.items is not None and len(plan.model.items) == 6
    assert sum(len(a.items) for a in plan.model.items) == 19
    ledger = [m for m in plan.measures.values() if m.area is not None]
    assert [m.number for m in ledger] == list(range(1, 65))
    assert [m.id for m in ledger] == [str(n) for n in range(1, 65)]
    assert [m.number for m in plan.measures.values() if m.area is None] == [65, 66]
    # Labels as the 台账 prints them: （二）, 6., （17）.
    m17 = plan.measures[17]
    assert (m17.trail[0].label, m17.trail[1].label, m17.label) == ("（二）", "6.", "（17）")


def test_groups_expand_to_their_members(plan: LoadedPlan) -> None:
    registry = plan.registry
    assert registry.expand("各镇（街）") == TOWNS
    assert registry.expand("市直行政执法部门") == CITY_DEPARTMENTS
    others = registry.expand("其他行政执法单位")
    assert others == (CITY_DEPARTMENTS | TOWNS) - {"市公安局", "市交通运输局"}
    assert registry.expand("涉及执法职权下放的市直行政执法部门") <= CITY_DEPARTMENTS


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("市发展和改革委员会", "市发展和改革局"),
        ("发展改革", "市发展和改革局"),
        ("市行政执法部门", "市直行政执法部门"),
        ("公安", "市公安局"),
        ("各镇(街)", "各镇（街）"),
        ("各镇 （街）", "各镇（街）"),
        ("乡镇（街道）", "各镇（街）"),
        ("市场监管", "市市场监督管理局"),
    ],
)
def test_aliases_resolve(plan: LoadedPlan, written: str, canonical: str) -> None:
    assert plan.registry.resolve(written) == canonical


def test_find_for_people(plan: LoadedPlan) -> None:
    assert plan.registry.find("赤坎") == ("赤坎镇", [])
    assert plan.registry.find("市公安局") == ("市公安局", [])
    name, candidates = plan.registry.find("街道")  # 三埠街道, 长沙街道 …: ambiguous
    assert name is None and {"三埠街道", "长沙街道"} <= set(candidates)
    name, candidates = plan.registry.find("市公按局")  # a typo gets the closest names
    assert name is None and "市公安局" in candidates


def test_responsibility_direct_and_through_groups(plan: LoadedPlan) -> None:
    first = plan.measures[1]  # 市司法局，各镇（街）、市直行政执法部门
    assert first.responsible == {"市司法局"} | TOWNS | CITY_DEPARTMENTS
    assert first.via["市司法局"] is None
    assert first.via["赤坎镇"] == "各镇（街）"
    assert first.via["市公安局"] == "市直行政执法部门"
    # Measure 39 names 市公安局 directly as well as through 市直行政执法部门: direct wins.
    assert plan.measures[39].via["市公安局"] is None
    assert plan.measures[39].via["市水利局"] == "市直行政执法部门"
    # Measures 57-58 write the old name 市发展和改革委员会.
    assert "市发展和改革局" in plan.measures[57].responsible


def test_milestones_of_the_real_deadlines(plan: LoadedPlan) -> None:
    m5 = plan.measures[5]  # 2024年6月底前形成阶段性成果，2025年3月底前全覆盖，持续推进
    assert [(m.due, m.what) for m in m5.milestones] == [
        (D("2024-06-30"), "形成阶段性成果"),
        (D("2025-03-31"), "全覆盖"),
    ]
    assert m5.ongoing and not m5.undated
    m17 = plan.measures[17]  # 2024年2月6日前完成备案，持续推进
    assert [(m.due, m.what) for m in m17.milestones] == [(D("2024-02-06"), "完成备案")]
    m18 = plan.measures[18]  # 每年5月底、11月底前, expanded within 2024-01-01..2025-12-31
    assert [m.due for m in m18.milestones] == [
        D("2024-05-31"), D("2024-11-30"), D("2025-05-31"), D("2025-11-30")
    ]
    assert not m18.ongoing
    m21 = plan.measures[21]  # 长期推进
    assert m21.milestones == () and m21.undated and m21.ongoing
    m39 = plan.measures[39]
    first, second = m39.milestones
    assert (first.due, first.units) == (D("2024-06-30"), {"市公安局", "市交通运输局"})
    assert second.due == D("2024-12-31")
    assert second.units == (CITY_DEPARTMENTS | TOWNS) - {"市公安局", "市交通运输局"}
    assert plan.measures[65].milestones[0].due == D("2024-08-31")
    assert plan.measures[66].milestones[0].due == D("2025-08-31")
    assert plan.measures[65].responsible == {"市司法局"}


def test_every_dated_deadline_has_milestones(plan: LoadedPlan) -> None:
    for measure in plan.measures.values():
        assert measure.deadline_error is None, measure.number
        has_date = any(ch.isdigit() for ch in measure.deadline)
        assert bool(measure.milestones) == has_date, measure.number


def test_export_json_shape(run: Run) -> None:
    result = run("--plan", str(PLAN), "export", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert len(data["measures"]) == 64
    assert [m["id"] for m in data["implementation"]] == [65, 66]
    first = data["measures"][0]
    assert {"id", "area", "task", "text", "units", "unit_refs", "deadline", "milestones", "ongoing"} <= set(first)
    assert first["milestones"] == [
        {"due": "2024-12-31", "what": "形成阶段性成果", "units": None, "unit_refs": None,
         "recurrence": None, "source": "完成时限"}
    ]
    m8 = data["measures"][7]
    assert [(m["due"], m["units"], m["source"]) for m in m8["milestones"]] == [
        ("2024-06-30", None, "完成时限"),
        ("2024-11-30", ["市司法局"], "措施原文"),
        ("2025-11-30", ["市司法局"], "措施原文"),
    ]
    m39 = data["measures"][38]
    assert m39["milestones"][0]["units"] == ["市公安局", "市交通运输局"]
    dated = [m for m in data["measures"] if any(c.isdigit() for c in m["deadline"])]
    assert all(m["milestones"] and all(x["due"] for x in m["milestones"]) for m in dated)
    groups = {g["name"]: g for g in data["groups"]}
    assert set(groups["各镇（街）"]["units"]) == TOWNS
    units = {u["name"]: u for u in data["units"]}
    assert "各镇（街）" in units["赤坎镇"]["groups"]


def test_plan_lookup_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KPZF_PLAN", raising=False)
    shipped = locate_plan(None, cwd=tmp_path)
    assert shipped.embedded and shipped.path == embedded_plan_path()
    (tmp_path / "plan.yaml").write_text("version: 1\n", encoding="utf-8")
    local = locate_plan(None, cwd=tmp_path)
    assert not local.embedded and local.path == tmp_path / "plan.yaml"
    monkeypatch.setenv("KPZF_PLAN", "/elsewhere/a.yaml")
    assert locate_plan(None, cwd=tmp_path).path == Path("/elsewhere/a.yaml")
    assert locate_plan("b.yaml", cwd=tmp_path).path == Path("b.yaml")


def test_validate_shipped_plan(run: Run) -> None:
    result = run("validate", str(PLAN))
    assert result.code == 0
    assert result.out == ""
    assert "有效" in result.err and "64 项主要措施" in result.err


def test_validate_defaults_to_the_embedded_plan(run: Run) -> None:
    result = run("validate")  # an empty working directory: falls back to the shipped copy
    assert result.code == 0, result.err
    assert "内置" in result.err


def test_validate_reports_every_problem_in_each_format(run: Run, plan_copy: Path) -> None:
    text = plan_copy.read_text(encoding="utf-8")
    text = text.replace("unit_refs: [市司法局]", "unit_refs: [市司发局]", 1)
    text = text.replace("deadline: 2024年2月6日前完成备案", "deadline: 2024年2月30日前完成备案", 1)
    plan_copy.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    bad_ref = next(i for i, line in enumerate(lines, 1) if "市司发局" in line)
    bad_date = next(i for i, line in enumerate(lines, 1) if "2024年2月30日" in line)

    result = run("validate", str(plan_copy))
    assert result.code == 1
    assert f"{plan_copy}:{bad_ref}:" in result.out and "不在单位名录中" in result.out
    assert f"{plan_copy}:{bad_date}:" in result.out and "2024年2月30日" in result.out
    assert "Traceback" not in result.out + result.err

    rows = json.loads(run("validate", "--format", "json", str(plan_copy)).out)
    assert {(r["line"], r["code"]) for r in rows} >= {(bad_ref, "unknown-unit"), (bad_date, "bad-deadline")}

    github = run("validate", "--format", "github", str(plan_copy)).out.splitlines()
    assert any(g.startswith(f"::error file={plan_copy},line={bad_ref},col=") for g in github)


def test_validate_missing_file_is_unusable(run: Run, tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nope.yaml"))
    assert result.code == 2
    assert "文件不存在" in result.out


def test_unknown_format_is_a_usage_error(run: Run) -> None:
    result = run("validate", "--format", "xml", str(PLAN))
    assert result.code == 2
    assert "--format" in result.err and "text" in result.err


def _with_progress(entries: list[str]) -> str:
    text = PLAN.read_text(encoding="utf-8")
    assert "\nprogress: []\n" in text
    return text.replace("\nprogress: []\n", "\nprogress:\n" + "".join(f"  - {e}\n" for e in entries))


def test_progress_validated_in_chunks_gives_the_same_plan_and_the_same_problems() -> None:
    """build_plan(release=True) frees raw progress dicts chunk by chunk; the default validates in one go."""
    from kpzf.errors import PlanError
    from kpzf.io.read import RELEASED, parse_text
    from kpzf.model.plan import _PROGRESS_CHUNK, build_plan

    good = "{measure: 1, unit: 市司法局, status: 推进中, date: '2024-03-01'}"
    count = 2 * _PROGRESS_CHUNK + 5
    text = _with_progress([good] * count)
    chunked = build_plan(parse_text(text, "plan.yaml"), release=True)
    whole = build_plan(parse_text(text, "plan.yaml"))
    assert chunked.model == whole.model and len(chunked.model.progress) == count
    assert chunked.document.data is RELEASED and isinstance(whole.document.data, dict)

    # Bad entries in the second chunk and in the third: every problem, at its own line, once.
    entries = [good] * count
    entries[_PROGRESS_CHUNK + 7] = "{measure: 1, unit: 市司法局, status: 推进中, date: '2024/3/1'}"
    entries[2 * _PROGRESS_CHUNK + 1] = "{measure: 1, unit: 市司法局, status: 推进中, dat: '2024-03-01'}"
    text = _with_progress(entries)
    found = []
    for release in (True, False):
        with pytest.raises(PlanError) as raised:
            build_plan(parse_text(text, "plan.yaml"), release=release)
        found.append([(p.line, p.column, p.message, p.hint) for p in raised.value.problems])
    assert found[0] == found[1]
    first_line = text.splitlines().index("progress:") + 1
    assert [line for line, *_ in found[0]] == [
        first_line + _PROGRESS_CHUNK + 8,
        first_line + 2 * _PROGRESS_CHUNK + 2,
    ]
    assert "2024-03-01" in found[0][0][2] and "dat" in found[0][1][2]


def test_build_plan_leaves_its_document_as_it_was() -> None:
    """Building twice from one Document gives the same plan (it used to say 文件是空的)."""
    from kpzf.io.read import read_document
    from kpzf.model.plan import build_plan

    document = read_document(PLAN)
    first, second = build_plan(document), build_plan(document)
    assert first.model == second.model
    assert first.measures == second.measures
    assert len(first.measures) == 66


def test_a_released_document_cannot_be_built_again() -> None:
    """load_plan owns its document and frees the raw data; building from it again is a bug,
    and says so instead of reporting an empty file."""
    from kpzf.model.plan import build_plan

    loaded = load_plan(PLAN)
    with pytest.raises(ValueError, match="released"):
        build_plan(loaded.document)
