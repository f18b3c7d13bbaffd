"""Version 2 of plan.yaml: levels named by the plan, labels kept, ids, declared numbering,
optional metadata, effective start and the plan's own deadline words (answers worked by hand)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kpzf.checks import run_checks
from kpzf.model.plan import load_plan

PLAN = """\
version: 2
meta:
  title: 某县重点工作台账
  published: "2024-04-29"
  period: {start: "2023-01-01", end: "2025-12-31"}
structure:
  levels:
    - {name: 重点任务, numbering: global}
    - {name: 具体工作措施, numbering: per-parent}
deadlines:
  words:
    ongoing: [长抓不懈]
    start: [立即执行]
units:
  - name: 县司法局
items:
  - label: 一、
    title: 提升能力
    measures:
      - label: "1."
        text: 甲
        units: 县司法局
        unit_refs: [县司法局]
        deadline: 每季度
      - label: "2."
        text: 乙
        units: 县司法局
        unit_refs: [县司法局]
        deadline: 立即执行
  - label: 二、
    title: 规范执法
    measures:
      - label: "1."
        text: 丙
        units: 县司法局
        unit_refs: [县司法局]
        deadline: 长抓不懈
      - label: "2."
        text: 丁
        units: 县司法局
        unit_refs: [县司法局]
progress:
  - {measure: "2.1", unit: 县司法局, status: 推进中, date: "2024-05-10"}
"""


def _load(tmp_path: Path, text: str) -> object:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return load_plan(path)


def test_per_parent_numbering_dotted_ids_labels_and_words(tmp_path: Path) -> None:
    plan = _load(tmp_path, PLAN)
    assert run_checks(plan, dt.date(2024, 7, 1)) == []  # type: ignore[arg-type]
    measures = list(plan.measures.values())  # type: ignore[attr-defined]
    # No global number: ids are the dotted path of ordinals (一、→1, 1.→1).
    assert [m.id for m in measures] == ["1.1", "1.2", "2.1", "2.2"]
    assert [m.labelled_text for m in measures] == ["1. 甲", "2. 乙", "1. 丙", "2. 丁"]
    assert measures[0].trail[0].text == "一、提升能力"
    # 每季度 from the effective start 2024-04-29 (published), never before it: first 2024-06-30.
    first = measures[0].milestones[0].due
    assert first == dt.date(2024, 6, 30)
    assert len(measures[0].milestones) == 7  # 2024-06-30 … 2025-12-31
    # 立即执行 (the plan's word) falls due on the effective start.
    assert [m.due for m in measures[1].milestones] == [dt.date(2024, 4, 29)]
    # 长抓不懈 declared ongoing; no 完成时限 at all: undated, never overdue.
    assert measures[2].ongoing and not measures[2].milestones
    assert measures[3].undated and not measures[3].milestones
    assert plan.number_of("2.1") == measures[2].number  # type: ignore[attr-defined]


def test_per_parent_gap_is_reported_where_it_is(tmp_path: Path) -> None:
    text = PLAN.replace('      - label: "2."\n        text: 丁', '      - label: "3."\n        text: 丁')
    plan = _load(tmp_path, text)
    problems = run_checks(plan, dt.date(2024, 7, 1))  # type: ignore[arg-type]
    assert [(p.line, p.code) for p in problems] == [(38, "numbering")]  # 丁's label
    assert "具体工作措施序号应为 2，这里是“3.”（跳号）" in problems[0].message


def test_global_numbering_refuses_what_per_parent_allows(tmp_path: Path) -> None:
    text = PLAN.replace("{name: 具体工作措施, numbering: per-parent}", "{name: 具体工作措施, numbering: global}")
    plan = _load(tmp_path, text)
    problems = run_checks(plan, dt.date(2024, 7, 1))  # type: ignore[arg-type]
    # Global: 二、's "1." (line 33) should be 3; its "2." then follows the "1." (one mistake,
    # one problem).
    assert [(p.line, p.code) for p in problems if p.code == "numbering"] == [(33, "numbering")]


def test_bad_vocabulary_word_is_reported_at_its_line(tmp_path: Path) -> None:
    plan = _load(tmp_path, PLAN.replace("start: [立即执行]", "start: [立即执行, 马上，办]"))
    problems = run_checks(plan, dt.date(2024, 7, 1))  # type: ignore[arg-type]
    assert [(p.line, p.code) for p in problems] == [(13, "bad-vocabulary")]


def test_only_a_title_is_required_and_issued_before_the_period_is_normal(tmp_path: Path) -> None:
    # Issued 2024-04-10 for a period that begins 2024-05-01: no problem; effective = period start.
    text = PLAN.replace('  published: "2024-04-29"\n', '  issued: "2024-04-10"\n').replace(
        'period: {start: "2023-01-01", end: "2025-12-31"}', 'period: {start: "2024-05-01", end: "2025-12-31"}'
    )
    plan = _load(tmp_path, text)
    assert run_checks(plan, dt.date(2024, 7, 1)) == []  # type: ignore[arg-type]
    assert plan.effective_start == dt.date(2024, 5, 1)  # type: ignore[attr-defined]
    # Issued after the period ended: an error at meta.issued (line 4) — and 立即执行, due on that
    # effective start, falls outside the period too (its deadline, line 29).
    late = _load(tmp_path, PLAN.replace('  published: "2024-04-29"\n', '  issued: "2026-01-05"\n'))
    problems = run_checks(late, dt.date(2026, 2, 1))  # type: ignore[arg-type]
    assert sorted((p.line, p.code) for p in problems) == [(4, "out-of-period"), (29, "out-of-period")]


def test_calendar_uids_come_from_the_plan_key_not_a_doc_number(tmp_path: Path) -> None:
    from kpzf.core.events import calendar

    keyed = PLAN.replace("  title: 某县重点工作台账\n", "  title: 某县重点工作台账\n  key: mouxian-2024\n")
    first = calendar(_load(tmp_path, keyed), dt.date(2024, 7, 1))  # type: ignore[arg-type]
    # Adding a 文号 later does not move the events: the key decides the UID host.
    with_number = keyed.replace("  key: mouxian-2024\n", "  key: mouxian-2024\n  doc_number: 某办〔2024〕1号\n")
    second = calendar(_load(tmp_path, with_number), dt.date(2024, 7, 1))  # type: ignore[arg-type]
    uids = [e.uid for e in first.events]
    assert uids == [e.uid for e in second.events]
    # In due order: 1.2's 立即执行 on the effective start 2024-04-29 comes first.
    assert uids[0].startswith("kpzf-m1.2-2024-04-29@")
