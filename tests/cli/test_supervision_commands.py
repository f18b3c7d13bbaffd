"""督办 on the command line: record --until, lights in tables and JSON, report --rank.

Expected answers are worked out by hand from plan.yaml (see tests/unit/core/test_supervision.py
for the per-unit reasoning); here the point is that each command says the same.
"""

from __future__ import annotations

import io
import json
import shlex
from pathlib import Path

from conftest import Run
from handworked import RANKING_2025_01_01, RANKING_LOG, with_progress

TODAY = "2024-08-01"


def record(run: Run, plan: Path, args: str, today: str = TODAY):  # type: ignore[no-untyped-def]
    return run("record", *shlex.split(args), cwd=plan.parent, today=today)


def test_record_an_extension_then_the_queries_judge_by_it(run: Run, plan_copy: Path) -> None:
    before = plan_copy.read_bytes()
    # Recorded on 07-05, after 3's date (2024-06-30): refused without --approved-late, file unchanged.
    late = record(run, plan_copy, "3 -u 公安 -s 延期 --until 2024-07-15 -d 2024-07-05 -n 机构调整")
    assert late.code == 1 and plan_copy.read_bytes() == before
    assert "原截止日期 2024-06-30 过后（2024-07-05）才登记" in late.err and "--approved-late" in late.err
    # --until with another status: refused (1); an impossible date: a usage error (2).
    assert record(run, plan_copy, "3 -u 公安 -s 已完成 --until 2024-07-15 -d 2024-07-05").code == 1
    assert record(run, plan_copy, "3 -u 公安 -s 延期 --until 2024-7-32 -n x").code == 2
    assert plan_copy.read_bytes() == before
    ok = record(
        run, plan_copy, "3 -u 公安 -s 延期 --until 2024-07-15 --approved-late -d 2024-07-05 -n 机构调整"
    )
    assert ok.code == 0, ok.err
    assert "延期至 2024-07-15" in ok.err
    added = plan_copy.read_text(encoding="utf-8").splitlines()[-1]
    assert added == (
        '  - {measure: 3, unit: "市公安局", milestone: "2024-06-30", status: "延期", '
        'date: "2024-07-05", note: "机构调整", until: "2024-07-15", approved_late: true}'
    )
    cwd = plan_copy.parent
    # On 07-05 the extended milestone is on the agenda, yellow (10 days to 07-15 ≤ 15).
    agenda = json.loads(run("upcoming", "--date", "2024-07-05", "--unit", "公安", "-f", "json", cwd=cwd).out)
    row = next(r for r in agenda if r["measure"] == 3)
    assert (row["due"], row["until"], row["days_left"], row["light"]) == ("2024-06-30", "2024-07-15", 10, "yellow")
    table = run("upcoming", "--date", "2024-07-05", "--unit", "公安", cwd=cwd).out
    line = next(line for line in table.splitlines() if line.split()[:1] == ["3"])
    assert "黄灯" in line and "2024-07-15" in line and "原定 2024-06-30" in line
    # The show JSON names the unit's new date and category; its history keeps the entry.
    detail = json.loads(run("show", "3", "--date", "2024-07-05", "-f", "json", cwd=cwd).out)
    police = next(s for s in detail["milestones"][0]["statuses"] if s["unit"] == "市公安局")
    assert (police["light"], police["until"], police["category"]) == ("yellow", "2024-07-15", "推进中")
    assert detail["history"][-1]["until"] == "2024-07-15" and detail["history"][-1]["approved_late"]
    # Finished on 07-12: 延期完成.
    assert record(run, plan_copy, "3 -u 公安 -s 已完成 -d 2024-07-12 -n 开公〔2024〕20号").code == 0
    duty = json.loads(run("unit", "公安", "--date", "2024-07-13", "-f", "json", cwd=cwd).out)
    m3 = next(d for d in duty["measures"] if d["measure"] == 3)["milestones"][0]
    assert (m3["light"], m3["category"], m3["until"], m3["overdue"]) == ("green", "延期完成", "2024-07-15", False)


def test_overdue_json_and_table_lights(run: Run) -> None:
    # Nothing recorded: every overdue row is red; csv puts 亮灯 last, the table second.
    rows = json.loads(run("overdue", "--date", "2024-07-01", "-f", "json", today=TODAY).out)
    assert len(rows) == 18 and {r["light"] for r in rows} == {"red"}
    assert all(r["until"] is None for r in rows)
    table = run("overdue", "--date", "2024-07-01", today=TODAY).out.splitlines()
    assert table[0].split()[:3] == ["措施", "亮灯", "截止日期"]
    assert "\x1b[" not in "\n".join(table)  # not a terminal (NO_COLOR): plain words
    assert sum("红灯" in line for line in table) == 18


def test_a_terminal_shows_the_words_in_colour() -> None:
    import datetime as dt

    from conftest import PLAN
    from rich.console import Console

    from kpzf.core.queries import overdue
    from kpzf.model.plan import load_plan
    from kpzf.render.queries import overdue_view
    from kpzf.render.sheets import as_table

    plan = load_plan(PLAN)
    view = overdue_view(overdue(plan, dt.date(2024, 7, 1)), dt.date(2024, 7, 1), None, None)
    buffer = io.StringIO()
    Console(file=buffer, force_terminal=True, color_system="standard", width=120).print(as_table(view))
    out = buffer.getvalue()
    assert "\x1b[1;31m红灯\x1b[0m" in out  # bold red
    plain = io.StringIO()
    Console(file=plain, force_terminal=True, no_color=True, width=120).print(as_table(view))
    assert "红灯" in plain.getvalue() and "31m" not in plain.getvalue()


def test_report_rank_table_and_json(run: Run, tmp_path: Path) -> None:
    plan = with_progress(tmp_path / "plan.yaml", RANKING_LOG)
    data = json.loads(run("report", "--date", "2025-01-01", "--rank", "-f", "json", cwd=tmp_path).out)
    assert data["rank"] is True and data["warn_days"] == 15
    assert [(r["key"], r["overdue"]) for r in data["rows"]] == RANKING_2025_01_01
    chikan = next(r for r in data["rows"] if r["key"] == "赤坎镇")
    assert (chikan["rank"], chikan["on_time"], chikan["assessed"], chikan["on_time_rate"]) == (29, 3, 27, round(3 / 27, 4))
    assert [a["measure"] for a in data["assessments"]] == [65, 66]
    table = run("report", "--date", "2025-01-01", "--rank", cwd=tmp_path).out.splitlines()
    assert table[0].endswith("按通报顺序）")
    # The 通报 table comes first: 名次 1, 35 overdue of 35 due, 0 on time, 0.0%, no extension,
    # longest 336 days.
    first = next(line for line in table if "市司法局" in line)
    assert first.split() == ["1", "市司法局", "35", "35", "0", "0.0%", "0", "0", "336"]
    police = next(line for line in table if "市公安局" in line)
    assert police.split() == ["13", "市公安局", "30", "31", "0", "0.0%", "1", "0", "336"]  # 20, 35 open
    csv = run("report", "--date", "2025-01-01", "--rank", "-f", "csv", cwd=tmp_path).out
    header = csv.lstrip("\ufeff").splitlines()[0].split(",")
    assert header[:9] == ["单位", "节点义务", "已到期", "已完成", "推进中", "逾期", "未到期", "不适用", "完成率"]
    assert header[9:] == ["逾期", "到期义务", "按期完成", "按期完成率", "延期", "延期完成", "最久逾期天数", "名次"]
    # --warn-days out of range: a usage error before the plan is read.
    bad = run("report", "--warn-days", "400", cwd=tmp_path)
    assert bad.code == 2 and "--warn-days" in bad.err
    assert plan.is_file()
