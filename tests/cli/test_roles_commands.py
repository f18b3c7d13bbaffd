"""`overdue --role`, `unit`'s 角色 column and role keys, on a small plan with lead and assisting units.

Hand-worked: measure 1 (县财政局牵头, 县人社局、县税务局配合, due 2024-06-30) — the lead closed
it on 2024-06-20; measure 2 (县司法局牵头，县公安局配合, due 2024-03-31) — nobody did: on
2024-07-01 it is 92 days overdue for 县司法局 only.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Run
from unit.core.test_roles_queries import MEASURES, PROGRESS
from unit.model.test_roles import _plan


def _write(tmp_path: Path) -> Path:
    path = _plan(tmp_path, MEASURES)
    path.write_text(path.read_text(encoding="utf-8") + PROGRESS, encoding="utf-8")
    return path


def test_overdue_default_lists_owners_with_assisting_units_beside(run: Run, tmp_path: Path) -> None:
    _write(tmp_path)
    result = run("overdue", "--date", "2024-07-01", "--format", "json")
    assert result.code == 0
    rows = json.loads(result.out)
    assert [(r["measure"], r["units"], r["roles"], r["assist"]) for r in rows] == [
        (2, ["县司法局"], ["lead"], ["县公安局"]),
        (3, ["县司法局", "县公安局"], ["responsible", "responsible"], []),
    ]
    table = run("overdue", "--date", "2024-07-01")
    assert "配合单位" in table.out.splitlines()[0]


def test_overdue_role_assist_and_a_bad_role(run: Run, tmp_path: Path) -> None:
    _write(tmp_path)
    rows = json.loads(run("overdue", "--date", "2024-07-01", "--role", "assist", "--format", "json").out)
    assert [(r["measure"], r["units"]) for r in rows] == [(2, ["县公安局"]), (1, ["县人社局", "县税务局"])]
    bad = run("overdue", "--date", "2024-07-01", "--role", "boss")
    assert bad.code == 2 and "--role 的值“boss”无效" in bad.err


def test_unit_shows_roles(run: Run, tmp_path: Path) -> None:
    _write(tmp_path)
    data = json.loads(run("unit", "县公安局", "--date", "2024-07-01", "--format", "json").out)
    assert [(m["measure"], m["role"], m["overdue"]) for m in data["measures"]] == [
        (2, "assist", False), (3, "responsible", True),
    ]
    table = run("unit", "县公安局", "--date", "2024-07-01").out
    header = table.splitlines()[1] if "应承担" in table.splitlines()[0] else table.splitlines()[0]
    assert "角色" in table and "配合" in table and "责任" in table, header


def test_an_assisting_unit_may_record_progress(run: Run, tmp_path: Path) -> None:
    _write(tmp_path)
    result = run(
        "record", "2", "--unit", "县公安局", "--status", "已完成", "--date", "2024-07-01",
        "--note", "已报送", today="2024-07-01",
    )
    assert result.code == 0, result.err
    # completion is the owners': 县司法局 (the lead) still owes measure 2
    rows = json.loads(run("overdue", "--date", "2024-07-02", "--format", "json").out)
    assert [(r["measure"], r["units"]) for r in rows if r["measure"] == 2] == [(2, ["县司法局"])]


def test_kaiping_overdue_role_lead_is_empty_and_all_equals_default(run: Run) -> None:
    from conftest import PLAN

    lead = json.loads(run("--plan", str(PLAN), "overdue", "--date", "2025-01-01", "--role", "lead", "--format", "json").out)
    assert lead == []
    default = run("--plan", str(PLAN), "overdue", "--date", "2025-01-01", "--format", "json").out
    everyone = run("--plan", str(PLAN), "overdue", "--date", "2025-01-01", "--role", "all", "--format", "json").out
    assert default == everyone


def test_role_across_several_plans(run: Run, tmp_path: Path) -> None:
    first = _write(tmp_path)
    second = tmp_path / "b.yaml"
    second.write_text(first.read_text(encoding="utf-8").replace("某县工作方案", "某县另一工作方案"), encoding="utf-8")
    args = ("--plan", "plan.yaml", "--plan", "b.yaml", "overdue", "--date", "2024-07-01", "--format", "json")
    owners = json.loads(run(*args).out)
    # measure 1's lead closed it in both plans: only measures 2 and 3, once per plan
    assert [(r["plan"], r["measure"]) for r in owners] == [("plan", 2), ("plan", 3), ("b", 2), ("b", 3)]
    assist = json.loads(run(*args, "--role", "assist").out)
    assert [(r["plan"], r["measure"], r["units"]) for r in assist] == [
        ("plan", 2, ["县公安局"]), ("b", 2, ["县公安局"]),
        ("plan", 1, ["县人社局", "县税务局"]), ("b", 1, ["县人社局", "县税务局"]),
    ]
