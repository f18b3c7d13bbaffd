"""`kpzf notice`: the 督办通知 in md, txt and docx (read back with python-docx), --all, --log.

The expected items are worked by hand in tests/unit/core/test_notice.py's module docstring:
赤坎镇 on 2024-07-01 owes 13 measures, 14 milestones (measure 30 has two), none yellow.
"""

from __future__ import annotations

import builtins
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Run
from unit.core.test_notice import CHIKAN_RED

from kpzf.model.plan import load_plan

TODAY = "2024-07-05"  # the day the coordinator runs kpzf; the notices are dated 2024-07-01
JULY_1 = ("--date", "2024-07-01")


def _chinese_date(iso: str) -> str:
    y, m, d = (int(p) for p in iso.split("-"))
    return f"{y}年{m}月{d}日"


def test_docx_for_chikan_lists_exactly_its_overdue_items(run: Run, plan_copy: Path) -> None:
    import docx

    out = plan_copy.parent / "赤坎镇.docx"
    r = run("notice", "--unit", "赤坎", *JULY_1, "--output", str(out), cwd=plan_copy.parent, today=TODAY)
    assert r.code == 0, r.err
    assert r.out == ""
    assert "致赤坎镇的督办通知" in r.err and "逾期 13 项措施、14 个节点" in r.err
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "关于抓紧办理《开平市提升行政执法质量三年行动工作方案》逾期任务的督办通知"
    assert texts[1] == "赤坎镇："  # 主送
    assert "13 项措施的 14 个节点已超过完成时限仍未完成" in texts[2]
    assert any("2024年7月8日前将办理情况书面报送开平市司法局" in t for t in texts)
    assert texts[-2:] == ["开平市司法局", "2024年7月1日"]  # 落款, 成文日期
    [table] = document.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["措施", "应完成事项", "截止日期", "逾期天数"]
    body = rows[1:]
    assert len(body) == 14
    # every row is one of 赤坎镇's hand-worked overdue milestones, in the same order
    assert [(row[0].split("）")[0].lstrip("（"), row[2], row[3]) for row in body] == [
        (m, _chinese_date(due), f"{days} 天") for m, due, days in CHIKAN_RED
    ]
    assert len({row[0].split("）")[0] for row in body}) == 13  # 13 measures: 30 has two rows
    assert [row[1] for row in body if row[0].startswith("（30）")] == ["完成权责清单事项认领及公布", "报送市司法局"]
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    # Chinese faces by their Windows/WPS names; the title in bold
    title_run = document.paragraphs[0].runs[0]
    assert title_run.bold is True
    fonts = title_run._element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "SimSun"
    body_fonts = document.paragraphs[2].runs[0]._element.rPr.rFonts
    assert body_fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"


def test_markdown_and_text(run: Run, plan_copy: Path) -> None:
    r = run("notice", "-u", "赤坎镇", "--date", "2024-06-20", cwd=plan_copy.parent, today=TODAY)
    assert r.code == 0, r.err
    md = r.out
    assert md.startswith("# 关于抓紧办理《开平市提升行政执法质量三年行动工作方案》逾期任务的督办通知\n")
    assert "**赤坎镇：**" in md
    # hand-worked in tests/unit/core/test_notice.py: 5 measures / 6 milestones red, 8 yellow
    assert "有 5 项措施的 6 个节点已超过完成时限仍未完成（见表1），另有 8 个节点将在 15 天内到期（见表2）" in md
    assert "| 措施 | 应完成事项 | 截止日期 | 逾期天数 |" in md
    assert "| （17）梳理本单位执法领域突出问题清… | 完成备案 | 2024年2月6日 | 135 天 |" in md
    assert "| （18）专项整治及组织“回头看”情况… | 完成（每年） | 2024年5月31日 | 20 天 |" in md
    assert md.count("| 2024年6月30日 | 10 天 |") == 8
    assert md.endswith("开平市司法局  \n2024年6月20日\n")
    r = run("notice", "-u", "赤坎镇", "--date", "2024-06-20", "-f", "txt", cwd=plan_copy.parent, today=TODAY)
    txt = r.out.splitlines()
    assert txt[2] == "赤坎镇："
    assert "（30）完成本单位行政处罚、行政许可…：报送市司法局，截止 2024年5月15日，逾期 36 天" in txt
    assert "（54）加快推进省一体化行政执法平台…：实现行政处罚案件线上办理率达到100%，截止 2024年6月30日，剩余 10 天" in txt
    assert txt[-2:] == ["开平市司法局", "2024年6月20日"]


def test_format_from_the_output_suffix_and_docx_needs_a_file(run: Run, plan_copy: Path) -> None:
    out = plan_copy.parent / "n.txt"
    assert run("notice", "-u", "赤坎", *JULY_1, "-o", str(out), cwd=plan_copy.parent, today=TODAY).code == 0
    assert out.read_text(encoding="utf-8").startswith("关于抓紧办理")
    r = run("notice", "-u", "赤坎", *JULY_1, "-f", "docx", cwd=plan_copy.parent, today=TODAY)
    assert r.code == 2 and "docx 是二进制文件" in r.err
    r = run("notice", "-u", "赤坎", *JULY_1, "-f", "pdf", cwd=plan_copy.parent, today=TODAY)
    assert r.code == 2 and "可选：md、txt、docx" in r.err


def test_unit_or_all_and_nothing_to_chase(run: Run, plan_copy: Path) -> None:
    r = run("notice", *JULY_1, cwd=plan_copy.parent, today=TODAY)
    assert r.code == 2 and "--unit" in r.err and "--all" in r.err
    r = run("notice", "-u", "各镇（街）", *JULY_1, cwd=plan_copy.parent, today=TODAY)
    assert r.code == 2 and "单位组" in r.err
    # 市财政局's first milestones are 2025-06-30 (59, 62): nothing red or yellow on 2024-07-01
    r = run("notice", "-u", "赤坎", *JULY_1, "--note", "电话", cwd=plan_copy.parent, today=TODAY)
    assert r.code == 2 and "只与 --log 一起用" in r.err
    r = run("notice", "-u", "市财政局", *JULY_1, cwd=plan_copy.parent, today=TODAY)
    assert r.code == 1 and "没有逾期或 15 天内到期的事项" in r.err and r.out == ""


def test_all_writes_one_file_per_unit_with_items(run: Run, plan_copy: Path) -> None:
    folder = plan_copy.parent / "通知"
    folder.mkdir()
    r = run("notice", "--all", *JULY_1, "-f", "docx", "-o", str(folder), cwd=plan_copy.parent, today=TODAY)
    assert r.code == 0, r.err
    names = sorted(p.name for p in folder.iterdir())
    # 33 units less the three with nothing due by 07-16 and the coordinator itself (core test)
    assert len(names) == 29
    assert "督办通知_赤坎镇_2024-07-01.docx" in names
    assert "3 个单位没有逾期或即将到期的事项，未写：市委机构编制委员会办公室、市财政局、市人力资源和社会保障局" in r.err
    assert "督办单位本身（市司法局）不写" in r.err
    r = run("notice", "--all", *JULY_1, cwd=plan_copy.parent, today=TODAY)
    assert r.code == 2 and "--all 须用 --output" in r.err
    r = run("notice", "--all", *JULY_1, "-o", str(folder / "没有"), cwd=plan_copy.parent, today=TODAY)
    assert r.code == 2 and "不是" in r.err


def test_log_appends_one_entry_and_keeps_the_rest(run: Run, plan_copy: Path) -> None:
    before = plan_copy.read_bytes()
    r = run("notice", "-u", "赤坎", *JULY_1, "--log", "-n", "开司函〔2024〕5号", cwd=plan_copy.parent, today=TODAY)
    assert r.code == 0, r.err
    line = (
        '  - {unit: "赤坎镇", date: "2024-07-01", measures: [3, 5, 6, 8, 9, 11, 12, 17, 18, 28, 29, 30, 54], '
        'note: "开司函〔2024〕5号"}\n'
    )
    # no notices section yet: added at the end of the file, every other byte as it was
    expected = before + b"notices:\n" + line.encode()
    assert plan_copy.read_bytes() == expected
    assert f"写入 plan.yaml 第 {len(expected.splitlines())} 行" in r.err
    # the same notice again on the same day: not logged twice (a retried script is harmless)
    r = run("notice", "-u", "赤坎", *JULY_1, "--log", cwd=plan_copy.parent, today=TODAY)
    assert r.code == 0 and "已记录在 plan.yaml" in r.err and "未重复记录" in r.err
    assert plan_copy.read_bytes() == expected
    # a later notice is a new entry, written after the first in the same style
    r = run("notice", "-u", "市公安局", "--date", "2024-07-05", "--log", cwd=plan_copy.parent, today=TODAY)
    assert r.code == 0, r.err
    assert plan_copy.read_bytes().startswith(expected)
    # 市公安局 on 2024-07-05 (due by 07-04): the 06-30 items it shares through 市直行政执法部门
    # (3 5 6 8 9 11 12 54) and its own 39; 17, 18, 28–30 as 赤坎镇; 20 and 35 (2024-01-31, 市直
    # departments); nothing due 07-05 … 07-20.
    assert plan_copy.read_bytes() == expected + (
        '  - {unit: "市公安局", date: "2024-07-05", '
        "measures: [3, 5, 6, 8, 9, 11, 12, 17, 18, 20, 28, 29, 30, 35, 39, 54]}\n"
    ).encode()
    plan = load_plan(plan_copy)
    assert [(e.unit, e.date.isoformat()) for e in plan.model.notices] == [
        ("赤坎镇", "2024-07-01"), ("市公安局", "2024-07-05")
    ]
    assert run("validate", cwd=plan_copy.parent, today=TODAY).code == 0


def test_show_lists_when_each_unit_was_chased(run: Run, plan_copy: Path) -> None:
    assert run("notice", "-u", "赤坎", *JULY_1, "--log", cwd=plan_copy.parent, today=TODAY).code == 0
    assert run("notice", "-u", "水口", "--date", "2024-07-03", "--log", cwd=plan_copy.parent, today=TODAY).code == 0
    r = run("show", "30", "--date", "2024-07-05", "-f", "json", cwd=plan_copy.parent, today=TODAY)
    data: dict[str, Any] = json.loads(r.out)
    assert data["notices"] == [
        {"index": 0, "unit": "赤坎镇", "date": "2024-07-01", "note": ""},
        {"index": 1, "unit": "水口镇", "date": "2024-07-03", "note": ""},
    ]
    # known only from the day it was sent
    r = run("show", "30", "--date", "2024-07-02", "-f", "json", cwd=plan_copy.parent, today=TODAY)
    assert [c["unit"] for c in json.loads(r.out)["notices"]] == ["赤坎镇"]
    r = run("show", "30", "--date", "2024-07-05", cwd=plan_copy.parent, today=TODAY)
    assert "催办记录（督办通知）" in r.out and "2024-07-03  水口镇" in r.out
    assert "催办 2 次" in r.err
    # measure 20 (市司法局 and the departments) was in neither notice
    r = run("show", "20", "--date", "2024-07-05", "-f", "json", cwd=plan_copy.parent, today=TODAY)
    assert json.loads(r.out)["notices"] == []


def test_all_log_writes_every_entry_under_one_lock(run: Run, plan_copy: Path) -> None:
    folder = plan_copy.parent / "out"
    folder.mkdir()
    before = plan_copy.read_bytes()
    r = run("notice", "--all", *JULY_1, "-o", str(folder), "--log", cwd=plan_copy.parent, today=TODAY)
    assert r.code == 0, r.err
    plan = load_plan(plan_copy)
    assert len(plan.model.notices) == 29
    assert plan_copy.read_bytes().startswith(before + b"notices:\n")
    assert r.err.count("已记录催办") == 29


def test_log_refusals_leave_the_file_alone(run: Run, plan_copy: Path, tmp_path: Path) -> None:
    before = plan_copy.read_bytes()
    r = run("notice", "-u", "赤坎", "--date", "2024-07-06", "--log", cwd=plan_copy.parent, today=TODAY)
    assert r.code == 2 and "晚于今天" in r.err and r.out == ""  # nothing written, no notice either
    assert plan_copy.read_bytes() == before
    # the shipped copy is never written (an empty directory: kpzf falls back to it)
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run("notice", "-u", "赤坎", *JULY_1, "--log", cwd=empty, today=TODAY)
    assert r.code == 2 and "内置的 plan.yaml" in r.err and "kpzf notice --log 不会写入它" in r.err


def test_missing_python_docx_is_a_chinese_message(
    run: Run, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = builtins.__import__

    def without_docx(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "docx" or name.startswith("docx."):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_docx)
    out = plan_copy.parent / "n.docx"
    r = run("notice", "-u", "赤坎", *JULY_1, "-o", str(out), cwd=plan_copy.parent, today=TODAY)
    assert r.code == 2
    assert "生成 Word 督办通知（--format docx）需要 python-docx，当前环境没有安装" in r.err
    assert "pip install 'kpzf[docx]'" in r.err
    assert not out.exists()


def test_an_extension_is_worded_with_both_dates(run: Run, tmp_path: Path) -> None:
    """tests/unit/core/test_notice.py's EXTENSION: on 2024-07-05 市公安局's measure 3 is judged
    against the approved 2024-07-15 (10 days left) and measure 1 is 延期 without a new date."""
    from handworked import with_progress
    from unit.core.test_notice import EXTENSION

    with_progress(tmp_path / "plan.yaml", EXTENSION)
    r = run("notice", "-u", "公安", "--date", "2024-07-05", cwd=tmp_path, today="2024-07-20")
    assert r.code == 0, r.err
    assert "另有 1 个节点将在 15 天内到期、1 个节点报了延期而没有批准的新日期（见表2）" in r.out
    assert "**表2  即将到期或报了延期的事项（2 个节点）**" in r.out
    assert "| 建立培训制度（已批准延期，原定2024年6月30日） | 2024年7月15日 | 10 天 |" in r.out
    assert "| 形成阶段性成果（已报延期，尚无批准的新日期） | 2024年12月31日 | 179 天 |" in r.out
    assert "（3）" not in r.out.split("**表2")[0]  # no longer red


def test_log_is_verified_by_the_same_re_read_as_record(
    run: Run, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--log writes through record's one locked path (entry.append_locked): a splice that does
    not read back as the old plan plus exactly these notices is refused, the file untouched."""
    from kpzf.record import entry as record

    compose = record.append_items
    sections: list[str] = []

    def careless_splice(document, section, items):  # type: ignore[no-untyped-def]
        sections.append(section)
        splice = compose(document, section, items)
        return type(splice)(splice.text.replace("aliases: [司法局]", "aliases: [司法]"), splice.line)

    monkeypatch.setattr(record, "append_items", careless_splice)
    before = plan_copy.read_bytes()
    r = run("notice", "-u", "赤坎", *JULY_1, "--log", cwd=plan_copy.parent, today=TODAY)
    assert r.code == 1
    assert sections == ["notices"]
    assert "督办通知已经写出，但催办记录没有写入" in r.err
    assert "与原文件加这些催办记录不一致" in r.err and "notices 列表末尾" in r.err
    assert '  - {unit: "赤坎镇", date: "2024-07-01", measures: [3, 5, 6,' in r.err  # to add by hand
    assert plan_copy.read_bytes() == before


def test_log_does_not_overwrite_an_editors_save(
    run: Run, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same last-moment comparison as record: a save made meanwhile is kept, --log refused."""
    from kpzf.record import entry as record

    compose = record.append_items

    def editor_saves_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        with open(plan_copy, "a", encoding="utf-8") as f:
            f.write("# 编辑器中的修改\n")
        return compose(*args, **kwargs)

    monkeypatch.setattr(record, "append_items", editor_saves_meanwhile)
    edited = plan_copy.read_bytes() + "# 编辑器中的修改\n".encode()
    r = run("notice", "-u", "赤坎", *JULY_1, "--log", cwd=plan_copy.parent, today=TODAY)
    assert r.code == 1
    assert "被其他程序修改过" in r.err
    assert plan_copy.read_bytes() == edited
