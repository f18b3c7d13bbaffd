"""`kpzf report --format html`: the leaders' page, opened in headless Chromium (issue 16).

The shipped plan with the progress log below, as of 2024-06-20 (warning window 15 days), worked
out by hand from plan.yaml's 台账 (which measures fall due when, and for whom: see
tests/unit/core/test_queries.py's docstring; 29 units = 市司法局 + 15 towns + 13 departments,
30 = those + 市政务服务数据管理局, 14 = 市司法局 + the departments, 28 = towns + departments).

Milestones whose own date is before 2024-06-20 (area: 重点任务):
  20 2024-01-31 (二) 14 · 35 2024-01-31 (三) 14 · 17 2024-02-06 (二) 29
  28, 29, 30 2024-04-30 (三) 30 each · 30 2024-05-15 (三) 30 · 18 2024-05-31 (二) 29
  → 14 + 14 + 29 + 4 × 30 + 29 = 206 obligations due so far (`assessed`).
Due 2024-06-30, 10 days after the date, so yellow unless done or extended: 3, 5, 6, 8, 11, 12
  (一) 29 each; 9 (一) 28; 39's first milestone (三) 市公安局、市交通运输局; 52 (四) 市司法局;
  54 (五) 30.  Nothing else falls due before 2024-07-05 (the end of the window).

The log (dates ≤ 2024-06-20 count; the last entry is after it):
  市公安局 20 已完成 01-30 (on time), 35 已完成 01-25 (on time), 39/06-30 已完成 06-18 (early),
           3 延期 until 09-30 recorded 06-15 (before its date: valid) → judged against 09-30,
           102 days left: green, not due;
  市司法局 35 已完成 01-25 (on time); 20 延期 until 03-31 recorded 01-20, 已完成 03-15 → 延期完成;
           52 已完成 06-18 (early);
  赤坎镇   17 已完成 02-05, 18/05-31 已完成 05-30 (both on time); 28 已完成 05-10 (ten days
           after 04-30: 逾期完成); 54 推进中 06-01 (still yellow: 10 days left);
           29 已完成 06-25 — after 2024-06-20, unknown on that day.

Headline (whole plan): assessed 206; on_time 5 (公安 20, 35; 司法 35; 赤坎 17, 18);
  extended_done 1 (司法 20); late_done 1 (赤坎 28); completed among the due: 7, so overdue
  206 − 7 = 199; extended 2 (公安 3, 司法 20: an extension stays in force once recorded);
  on_time_rate 5 / 206 = 0.0243 (2.4%); longest overdue 141 days (20 and 35 due 01-31:
  29 days to 02-29, + 31 + 30 + 31 + 20); yellow 6 × 29 + 28 + 2 + 1 + 30 = 235 less 公安 39
  (done), 司法 52 (done), 公安 3 (extended, green) = 232; red = overdue = 199.

Heat-map cells (完成率 = 已完成 ÷ 已到期 of that unit in that area; "—": nothing due yet):
              (一)  (二)          (三)          (四)  (五)
  市公安局     —     1/3 (20)      1/5 (35)      —     —       (39 done early is not due yet)
  市司法局     —     1/3 (20 ext.) 1/5 (35)      —     —       (52 done early is not due yet)
  赤坎镇       —     2/2 (17, 18)  1/4 (28)      —     —
  市政务服务数据管理局   —  (owes nothing due in 二)  0/4 (28, 29, 30, 30)
On 2024-07-01 赤坎镇's row becomes (一) 0/7 (3, 5, 6, 8, 9, 11, 12), (二) 2/2, (三) 2/4 (29
done 06-25, late), (五) 0/1 (54).

Red items, 赤坎镇: 29 and 30 due 04-30, 51 days (31 in May + 20); 30 due 05-15, 36 days
  (16 + 20). Yellow: 3, 5, 6, 8, 9, 11, 12, 54 (10 days left each).
Red items, 市公安局: 17 (02-06: 23 + 31 + 30 + 31 + 20 = 135 days), 28, 29, 30 (51), 30 (36),
  18 (05-31: 20). Yellow: 5, 6, 8, 9, 11, 12, 54 (3 is extended to 09-30, green).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from browser import Node, chromium, dump_dom, needs_chromium, parse, print_pdf, screenshot
from conftest import Run
from handworked import with_progress

DATE = "2024-06-20"
PROGRESS = """progress:
  - {measure: 20, unit: 市公安局, status: 已完成, date: "2024-01-30"}
  - {measure: 35, unit: 市公安局, status: 已完成, date: "2024-01-25"}
  - {measure: 39, unit: 市公安局, milestone: "2024-06-30", status: 已完成, date: "2024-06-18"}
  - {measure: 3, unit: 市公安局, status: 延期, until: "2024-09-30", date: "2024-06-15", note: 机构调整}
  - {measure: 35, unit: 市司法局, status: 已完成, date: "2024-01-25"}
  - {measure: 20, unit: 市司法局, status: 延期, until: "2024-03-31", date: "2024-01-20", note: 等待上级文件}
  - {measure: 20, unit: 市司法局, status: 已完成, date: "2024-03-15"}
  - {measure: 52, unit: 市司法局, status: 已完成, date: "2024-06-18"}
  - {measure: 17, unit: 赤坎镇, status: 已完成, date: "2024-02-05"}
  - {measure: 18, unit: 赤坎镇, milestone: "2024-05-31", status: 已完成, date: "2024-05-30"}
  - {measure: 28, unit: 赤坎镇, status: 已完成, date: "2024-05-10"}
  - {measure: 54, unit: 赤坎镇, status: 推进中, date: "2024-06-01"}
  - {measure: 29, unit: 赤坎镇, status: 已完成, date: "2024-06-25"}
"""

# Screenshots and PDFs are kept here when set (for a person to look at), else in tmp dirs.
KEEP = os.environ.get("KPZF_SCREENSHOTS")


def kpzf(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "TZ": "Asia/Shanghai"}
    env.pop("KPZF_PLAN", None)
    return subprocess.run(
        [sys.executable, "-m", "kpzf", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def tracked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    with_progress(folder / "plan.yaml", PROGRESS)
    return folder


def _page(folder: Path, name: str, *args: str) -> Path:
    page = folder / name
    done = kpzf("report", "--format", "html", *args, "--output", str(page), cwd=folder)
    assert done.returncode == 0, done.stderr
    return page


@pytest.fixture(scope="module")
def page(tracked: Path) -> Path:
    return _page(tracked, "report.html", "--date", DATE)


@pytest.fixture(scope="module")
def dom(page: Path) -> Node:
    if chromium() is None:
        pytest.skip("需要 Chromium（Debian 的 chromium 包）")
    return parse(dump_dom(page))


# --------------------------------------------------------------------------- reading the page


def figure_text(node: Node) -> str:
    return " ".join(node.text().split())


def heat_row(dom: Node, unit: str) -> dict[str, str]:
    """A unit's heat-map row as {area label: "1/3"} ("—" where nothing is due)."""
    rows = [r for r in dom.find_all("g", class_="heat-row") if r.attrs.get("data-unit") == unit]
    assert len(rows) == 1, unit
    found = {}
    for cell in rows[0].find_all("g", class_="heat-cell"):
        area = json.loads(cell.attrs["data-report"])["row"]
        fields = {f.attrs["data-field"]: f.text() for f in cell.find_all(data_field=True)}
        if "completed_due" in fields:
            found[str(area)] = f"{fields['completed_due']}/{fields['due']}"
        else:
            found[str(area)] = "—"
    return found


def items(dom: Node, unit: str) -> list[tuple[str, str, str, str]]:
    """(light, measure, due, days) of a unit's red and yellow rows, in page order."""
    blocks = [b for b in dom.find_all("div", class_="unit-block") if b.attrs.get("data-unit") == unit]
    assert len(blocks) == 1, unit
    out = []
    for row in blocks[0].find_all("tr", data_duty=True):
        duty = json.loads(row.attrs["data-duty"])
        days = row.find_all(data_field=True)[0]
        out.append((row.attrs["data-light"], duty["measure"], duty["due"], days.text()))
    return out


# --------------------------------------------------------------------------- by hand, in Chromium


@pytest.mark.slow
@needs_chromium
def test_heat_map_cells_worked_out_by_hand(dom: Node) -> None:
    # Areas by their row keys: 1..6, None (组织实施: only 市司法局's 65, due 08-31).
    dash = {"1": "—", "4": "—", "5": "—", "6": "—", "None": "—"}
    assert heat_row(dom, "市公安局") == {**dash, "2": "1/3", "3": "1/5"}
    assert heat_row(dom, "市司法局") == {**dash, "2": "1/3", "3": "1/5"}
    assert heat_row(dom, "赤坎镇") == {**dash, "2": "2/2", "3": "1/4"}
    assert heat_row(dom, "市政务服务数据管理局") == {**dash, "2": "—", "3": "0/4"}
    # The rate printed in the cell, and its colour step: 1/3 is 33.3%, in [25%, 50%).
    cell = next(
        c
        for c in dom.find_all("g", class_="heat-cell")
        if json.loads(c.attrs["data-report"]) == {"by": "area", "unit": "赤坎镇", "row": 2}
    )
    assert cell.find_all(data_field="rate")[0].text() == "100.0%"
    assert "已到期 2 项次，已完成 2" in cell.find_all("title")[0].text()  # the hover text
    # Every one of the 33 units owes some dated milestone (the registry has no idle unit): 33
    # rows of 7 cells (six areas and 组织实施).
    units = dom.find_all("g", class_="heat-row")
    assert len(units) == 33 and all(len(u.find_all("g", class_="heat-cell")) == 7 for u in units)


@pytest.mark.slow
@needs_chromium
def test_heat_map_a_week_later_counts_the_late_entry(tracked: Path) -> None:
    dom = parse(dump_dom(_page(tracked, "later.html", "--date", "2024-07-01")))
    assert heat_row(dom, "赤坎镇") == {
        "1": "0/7", "2": "2/2", "3": "2/4", "4": "—", "5": "0/1", "6": "—", "None": "—",
    }  # fmt: skip


@pytest.mark.slow
@needs_chromium
def test_red_and_yellow_items_worked_out_by_hand(dom: Node) -> None:
    june30 = [("yellow", m, "2024-06-30", "10") for m in ("3", "5", "6", "8", "9", "11", "12", "54")]
    assert items(dom, "赤坎镇") == [
        ("red", "29", "2024-04-30", "51"),
        ("red", "30", "2024-04-30", "51"),
        ("red", "30", "2024-05-15", "36"),
        *june30,
    ]
    assert items(dom, "市公安局") == [
        ("red", "17", "2024-02-06", "135"),
        ("red", "28", "2024-04-30", "51"),
        ("red", "29", "2024-04-30", "51"),
        ("red", "30", "2024-04-30", "51"),
        ("red", "30", "2024-05-15", "36"),
        ("red", "18", "2024-05-31", "20"),
        *[r for r in june30 if r[1] != "3"],  # 3: extended to 09-30, green
    ]
    # 市司法局 closed 52 early: only its red items and the June yellow ones it owes.
    assert ("yellow", "52", "2024-06-30", "10") not in items(dom, "市司法局")
    # The rows' words, as a reader sees them.
    first = next(b for b in dom.find_all("div", class_="unit-block") if b.attrs["data-unit"] == "赤坎镇")
    text = figure_text(first)
    assert "赤坎镇" in text and "红灯 3 项 · 黄灯 8 项 · 最久逾期 51 天" in text
    assert "逾期 51 天" in text and "剩 10 天" in text


@pytest.mark.slow
@needs_chromium
def test_headline_figures_worked_out_by_hand(dom: Node) -> None:
    box = dom.find_all("div", class_="figures")[0]
    shown = {f.attrs["data-field"]: f.text() for f in box.find_all(data_field=True)}
    assert shown == {
        "assessed": "206",
        "on_time": "5",
        "extended": "2",
        "extended_done": "1",
        "overdue": "199",
        "longest_overdue": "141",
        "late_done": "1",
        "on_time_rate": "2.4%",
    }
    text = figure_text(dom)
    assert "开平市提升行政执法质量三年行动工作方案" in text and "开府办〔2024〕6号" in text
    assert "实施期 2024-01-01 至 2025-12-31" in text and "统计截至 2024-06-20" in text
    units = {r.find_all("td")[1].text(): r for r in dom.find_all("tr", data_report=True)}
    total = {f.attrs["data-field"]: f.text() for f in units["合计"].find_all(data_field=True)}
    assert total["red"] == "199" and total["yellow"] == "232"
    # 65 中期评估 (2024-08-31) and 66 终期评估 (2025-08-31) are both after the date: their
    # totals are as of 2024-06-20, the headline's.
    evaluations = [
        [c.text() for c in r.find_all("td")]
        for r in dom.find_all("tr", data_report=True)
        if "assessment" in json.loads(r.attrs["data-report"])
    ]
    assert evaluations == [
        ["65", "完成中期评估", "2024-08-31", DATE, "206", "5", "2.4%", "199", "2"],
        ["66", "完成终期评估", "2025-08-31", DATE, "206", "5", "2.4%", "199", "2"],
    ]


@pytest.mark.slow
@needs_chromium
def test_timeline_marks_by_light_and_the_report_date(dom: Node) -> None:
    svg = dom.find_all("svg", class_="timeline")[0]
    assert svg.find_all("g", class_="report-date")[0].attrs["data-date"] == DATE
    marks = {
        (m.attrs["data-measure"], m.attrs["data-due"]): m.attrs["data-light"]
        for m in svg.find_all("g", class_="mark")
    }
    # Overdue for someone: red; due within 15 days and open somewhere: yellow; 39's June
    # milestone owed by 市交通运输局 still: yellow; 52 (市司法局 alone, done): green.
    assert marks["17", "2024-02-06"] == "red" and marks["30", "2024-05-15"] == "red"
    assert marks["3", "2024-06-30"] == "yellow" and marks["39", "2024-06-30"] == "yellow"
    assert marks["52", "2024-06-30"] == "green"
    assert marks["1", "2024-12-31"] == "green"  # far off: on track (drawn hollow)
    hollow = [m for m in svg.find_all("g", class_="mark") if m.attrs["data-measure"] == "1"]
    assert 'fill="#ffffff"' in str(hollow[0].children) or any(
        c.attrs.get("fill") == "#ffffff" for c in hollow[0].iter() if c is not hollow[0]
    )
    lanes = [t.text() for t in svg.find_all("text", class_="row-label")]
    assert lanes[0].startswith("（一）全面提升") and lanes[-1] == "组织实施"
    # 市公安局's extension of 3 to 09-30: a dashed line from the June mark to the new date,
    # the only extension still open (市司法局's of 20 is done, and still shown: it was granted).
    moved = {
        (m.attrs["data-measure"], m.attrs["data-due"]): m.find_all("g", class_="extension")[0].attrs["data-until"]
        for m in svg.find_all("g", class_="mark")
        if m.find_all("g", class_="extension")
    }
    assert moved == {("3", "2024-06-30"): "2024-09-30", ("20", "2024-01-31"): "2024-03-31"}
    tip = next(m for m in svg.find_all("g", class_="mark") if m.attrs["data-measure"] == "3")
    assert "批准延期至 2024-09-30" in tip.find_all("title")[0].text()


# --------------------------------------------------------------------------- same numbers


def _report_json(run: Run, cwd: Path, by: str, unit: str | None) -> dict[str, Any]:
    args = ["report", "--by", by, "--date", DATE, "--format", "json"]
    if unit is not None:
        args += ["--unit", unit]
    result = run(*args, cwd=cwd)
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def _compare_all(run: Run, cwd: Path, dom: Node) -> int:
    """Every data-field figure against `report --format json`, every 红黄灯 row against
    `unit --format json`; returns how many figures were compared."""
    reports: dict[tuple[str, str | None], dict[str, Any]] = {}
    duties: dict[str, dict[str, Any]] = {}
    compared = 0
    for node in dom.find_all(data_field=True):
        field = node.attrs["data-field"]
        value = json.loads(node.attrs["data-value"])
        holder = node.up("data-duty") or node.up("data-report")
        assert holder is not None, field
        if "data-duty" in holder.attrs:
            duty = json.loads(holder.attrs["data-duty"])
            if duty["unit"] not in duties:
                result = run("unit", duty["unit"], "--date", DATE, "--format", "json", cwd=cwd)
                duties[duty["unit"]] = json.loads(result.out)
            measure = next(m for m in duties[duty["unit"]]["measures"] if str(m["measure"]) == duty["measure"])
            milestone = next(m for m in measure["milestones"] if m["due"] == duty["due"])
            assert milestone[field] == value, (duty, field)
            assert milestone["light"] == holder.attrs.get("data-light"), duty
        else:
            address = json.loads(holder.attrs["data-report"])
            key = (address["by"], address.get("unit"))
            if key not in reports:
                reports[key] = _report_json(run, cwd, *key)
            data = reports[key]
            if address.get("total"):
                row = data["total"]
            elif "assessment" in address:
                row = data["assessments"][address["assessment"]]["total"]
            else:
                row = next(r for r in data["rows"] if r["key"] == address["row"])
            assert row[field] == value, (address, field)
        # And the page shows the value as the tables write it.
        shown = node.text().strip()
        if field.endswith("rate"):
            assert shown == ("—" if value is None else f"{value * 100:.1f}%"), (field, shown)
        elif field == "obligations":
            assert shown == "—" and value == 0
        else:
            assert shown == ("—" if value is None else str(value)), (field, shown)
        compared += 1
    return compared


@pytest.mark.slow
@needs_chromium
def test_every_figure_equals_report_json(run: Run, tracked: Path, dom: Node) -> None:
    compared = _compare_all(run, tracked, dom)
    # 8 headline + 33 × 10 unit table + 10 total + heat cells + tallies + 红黄灯 days.
    assert compared > 8 + 33 * 10 + 10 + 32 * 7


@pytest.mark.slow
@needs_chromium
def test_a_units_own_page(run: Run, tracked: Path) -> None:
    page = _page(tracked, "chikan.html", "--date", DATE, "--unit", "赤坎")
    dom = parse(dump_dom(page))
    assert dom.find_all("body")[0].attrs["data-scope"] == "赤坎镇"
    assert "赤坎镇" in dom.find_all("title")[0].text()
    box = dom.find_all("div", class_="figures")[0]
    shown = {f.attrs["data-field"]: f.text() for f in box.find_all(data_field=True)}
    # 赤坎镇 by hand: due so far 17, 18, 28, 29, 30, 30 (6); on time 17, 18; 28 late; 3 open.
    assert (shown["assessed"], shown["on_time"], shown["late_done"], shown["overdue"]) == ("6", "2", "1", "3")
    assert shown["on_time_rate"] == "33.3%" and shown["longest_overdue"] == "51"
    # One heat-map row, a timeline row per measure it owes with a date, and its every milestone.
    assert [r.attrs["data-unit"] for r in dom.find_all("g", class_="heat-row")] == ["赤坎镇"]
    lanes = dom.find_all("svg", class_="timeline")[0].find_all("g", class_="timeline-row")
    assert lanes[0].find_all("title")[0].text().startswith("（1）")
    every = dom.find_all("table", class_="items")[-1].find_all("tr", data_duty=True)
    report = _report_json(run, tracked, "unit", "赤坎镇")["total"]
    assert len(every) == report["obligations"] + report["not_applicable"]
    categories = [r.find_all(data_field="category")[0].text() for r in every if r.find_all(data_field="category")]
    assert categories.count("按期完成") == 2 and categories.count("逾期完成") == 1
    assert _compare_all(run, tracked, dom) > 10


# --------------------------------------------------------------------------- looking at it


@pytest.mark.slow
@needs_chromium
def test_screenshot_and_a4_landscape_pdf(page: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = Path(KEEP) if KEEP else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    png = screenshot(page, out / "report-1366x768.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png.read_bytes()[16:20], "big"), int.from_bytes(png.read_bytes()[20:24], "big")
    assert (width, height) == (1366, 768)
    pdf = PdfReader(print_pdf(page, out / "report.pdf"))
    first = pdf.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (842, 595)
    # Text, not pictures of text: the printed page can be searched and copied.
    text = unicodedata.normalize("NFKC", first.extract_text())  # ⾏ (a Kangxi radical) → 行
    assert "按期完成率" in text and "节点时间轴" in text and "2.4%" in text
    everything = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in pdf.pages))
    assert "赤坎镇" in everything and "各单位、各项任务完成情况" in everything
    assert 3 <= len(pdf.pages) <= 40


# --------------------------------------------------------------------------- offline, escaped


def test_the_page_needs_nothing_from_anywhere(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", text, re.I)
    assert not re.search(r"\b(src|href)\s*=", text, re.I)
    assert not re.search(r"https?:|//[a-z]", text.replace("http://www.w3.org/2000/svg", ""), re.I)
    assert all(u.startswith("url(#") for u in re.findall(r"url\([^)]*\)", text))
    assert "@import" not in text and "@font-face" not in text
    assert '"Microsoft YaHei", "SimSun", "Noto Sans CJK SC", sans-serif' in text


HOSTILE = {
    "script": "<script>document.title='PWNED'</script>局",
    "quotes": "\"引号\" & '单引号' 局",
    "img": "<img src=x onerror=alert(1)>镇",
    "controls": "控制\x1b[31m字符\u202e局",
}


def _hostile_plan(folder: Path) -> Path:
    from kpzf.record.append import quote

    units = "\n".join(f"  - name: {quote(name)}" for name in HOSTILE.values())
    refs = ", ".join(quote(name) for name in HOSTILE.values())
    title = quote("<b>标题</b>方案</title><script>x()</script>")
    number = quote('文号"><svg onload=alert(1)>')
    finished, note = quote(HOSTILE["quotes"]), quote("<script>alert(3)</script>")
    text = f"""version: 2
meta:
  title: {title}
  doc_number: {number}
  period: {{start: "2024-01-01", end: "2024-12-31"}}
structure:
  levels:
    - {{name: 重点任务, numbering: global}}
    - {{name: 主要措施, numbering: global}}
  columns: {{units: 责任单位, deadline: 完成时限, progress: 进度情况}}
units:
{units}
groups:
  - name: 各单位
    members: [{refs}]
items:
  - label: 一、
    title: {quote("<i>任务</i>")}
    measures:
      - id: 1
        label: （1）
        text: {quote("措施</td><script>alert(2)</script>")}
        units: 各单位
        unit_refs: [各单位]
        deadline: 2024年3月底前
progress:
  - {{measure: 1, unit: {finished}, status: 已完成, date: "2024-03-01", note: {note}}}
"""
    path = folder / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow
@needs_chromium
def test_hostile_names_stay_text(tmp_path: Path) -> None:
    _hostile_plan(tmp_path)
    check = kpzf("validate", "plan.yaml", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    page = _page(tmp_path, "report.html", "--date", "2024-04-02")
    raw = page.read_text(encoding="utf-8")
    assert "<script" not in raw and "<img" not in raw and "<svg onload" not in raw
    assert "\x1b" not in raw and "\u202e" not in raw
    dom = parse(dump_dom(page))
    assert dom.find_all("script") == [] and dom.find_all("img") == []
    assert not [n for n in dom.iter() if any(a.startswith("on") for a in n.attrs)]
    title = dom.find_all("title")[0].text()
    assert "PWNED" not in title and title.startswith("<b>标题</b>方案</title><script>x()</script>")
    text = dom.text()
    for name in (HOSTILE["script"], HOSTILE["quotes"], HOSTILE["img"]):
        assert name in text, name
    assert "控制\\x1b[31m字符\\u202e局" in text  # controls shown, never acting
    rows = {r.attrs["data-unit"] for r in dom.find_all("g", class_="heat-row")}
    assert HOSTILE["quotes"] in rows and HOSTILE["script"] in rows  # attribute values intact
    # Three units are red on 04-02 (due 03-31), the one that finished is not.
    blocks = {b.attrs["data-unit"] for b in dom.find_all("div", class_="unit-block")}
    assert blocks == {HOSTILE["script"], HOSTILE["img"], "控制\\x1b[31m字符\\u202e局"}


# --------------------------------------------------------------------------- the command


def test_report_unit_narrows_every_format(run: Run, tracked: Path) -> None:
    data = _report_json(run, tracked, "unit", "赤坎")
    assert data["unit"] == "赤坎镇" and [r["key"] for r in data["rows"]] == ["赤坎镇"]
    assert data["total"]["assessed"] == 6 and data["total"]["on_time"] == 2
    by_area = _report_json(run, tracked, "area", "赤坎")
    rows = {r["key"]: (r["completed_due"], r["due"]) for r in by_area["rows"]}
    assert rows == {1: (0, 0), 2: (2, 2), 3: (1, 4), 4: (0, 0), 5: (0, 0), 6: (0, 0), None: (0, 0)}
    table = run("report", "--unit", "赤坎", "--date", DATE, cwd=tracked)
    assert table.code == 0 and "只计赤坎镇" in table.out
    # Without --unit the JSON has no "unit" key (answers only ever gain keys).
    assert "unit" not in _report_json(run, tracked, "unit", None)


def test_html_to_stdout_and_refusals(run: Run, tracked: Path, tmp_path: Path) -> None:
    result = run("report", "-f", "html", "--date", DATE, cwd=tracked)
    assert result.code == 0 and result.out.startswith("<!DOCTYPE html>")
    assert "已输出 html 报告（截至 2024-06-20）" in result.err
    wrong = run("report", "-f", "json", "--output", "x.json", cwd=tracked)
    assert wrong.code == 2 and "--output 只用于 --format html" in wrong.err
    nowhere = run("report", "-f", "html", "--output", str(tmp_path / "no" / "r.html"), cwd=tracked)
    assert nowhere.code == 2 and "不存在" in nowhere.err
    itself = run("report", "-f", "html", "--output", "plan.yaml", cwd=tracked)
    assert itself.code == 2 and "计划文件本身" in itself.err
    unknown = run("report", "-f", "html", "--unit", "不存在的局", "--output", "r.html", cwd=tracked)
    assert unknown.code == 2 and "找不到单位" in unknown.err
    assert not (tracked / "r.html").exists()
    two = run("--plan", "plan.yaml", "--plan", str(_hostile_plan(tmp_path)), "report", "-f", "html", cwd=tracked)
    assert two.code == 2 and "一次只能用一个计划" in two.err


def test_warn_days_and_a_group(run: Run, tracked: Path) -> None:
    # --warn-days 5: the 06-30 milestones (10 days off) are green, so 赤坎镇 has only its 3 reds.
    page = tracked / "warn5.html"
    result = run("report", "-f", "html", "--date", DATE, "--warn-days", "5", "-o", str(page), cwd=tracked)
    assert result.code == 0, result.err
    dom = parse(page.read_text(encoding="utf-8"))
    assert [i[0] for i in items(dom, "赤坎镇")] == ["red", "red", "red"]
    assert "到期前 5 天内" in dom.text()
    # A group: its members' rows only, in the table and the heat-map.
    group = tracked / "towns.html"
    result = run("report", "-f", "html", "--date", DATE, "--unit", "各镇(街)", "-o", str(group), cwd=tracked)
    assert result.code == 0, result.err
    dom = parse(group.read_text(encoding="utf-8"))
    rows = [r.attrs["data-unit"] for r in dom.find_all("g", class_="heat-row")]
    assert len(rows) == 15 and rows[0] == "三埠街道" and "市公安局" not in rows
    box = dom.find_all("div", class_="figures")[0]
    assert json.loads(box.attrs["data-report"]) == {"by": "unit", "unit": "各镇（街）", "total": True}
    # 15 towns × (17, 18, 28, 29, 30, 30) due so far = 90; on time: 赤坎镇's 17 and 18.
    shown = {f.attrs["data-field"]: f.text() for f in box.find_all(data_field=True)}
    assert (shown["assessed"], shown["on_time"]) == ("90", "2")
