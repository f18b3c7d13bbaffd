"""The HTML report's escaper and SVG charts (render.markup, render.charts), without a browser."""

from __future__ import annotations

import datetime as dt
import re

from browser import parse

from kpzf.render.charts import (
    GREEN,
    HEAT_STEPS,
    RED,
    YELLOW,
    HeatCell,
    HeatColumn,
    HeatRow,
    Mark,
    TimelineRow,
    heat_map,
    heat_step,
    light_shape,
    percent,
    timeline,
)
from kpzf.render.markup import attrs, clip, esc, text_width

D = dt.date.fromisoformat


def test_esc_makes_markup_and_controls_plain_text() -> None:
    assert esc('<script>alert("x")</script>') == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    assert esc("a'b&c") == "a&#x27;b&amp;c"
    # Controls a browser would drop or that HTML forbids, and a bidi override, shown visibly.
    assert esc("市\x1b[31m局\x00\u202e") == "市\\x1b[31m局\\x00\\u202e"
    assert esc(17) == "17"


def test_attrs_names_escapes_and_skips() -> None:
    assert attrs(data_unit='"市"<局>', class_="red", hidden=True, title=None) == (
        ' data-unit="&quot;市&quot;&lt;局&gt;" class="red" hidden'
    )


def test_text_width_and_clip() -> None:
    assert text_width("市公安局", 12) == 48
    assert text_width("ab", 10) == 2 * 5.8
    assert clip("市城市管理和综合执法局", 12, 60) == "市城市管…"  # 4 chars + … = 60
    assert clip("市公安局", 12, 60) == "市公安局"


def _grey(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_heat_steps_get_lighter_so_grey_print_keeps_the_order() -> None:
    greys = [_grey(fill) for _, fill, _, _ in HEAT_STEPS]
    assert greys == sorted(greys) and len(set(round(g) for g in greys)) == len(greys)
    assert all(b - a >= 20 for a, b in zip(greys, greys[1:], strict=False))  # steps tell apart
    assert heat_step(0.0)[0] == HEAT_STEPS[0][1]
    assert heat_step(0.25)[0] == HEAT_STEPS[1][1]  # a step is [from, below)
    assert heat_step(0.999)[0] == HEAT_STEPS[3][1]
    assert heat_step(1.0)[0] == HEAT_STEPS[4][1]  # complete has a step of its own


def test_percent_as_the_report_table_writes_it() -> None:
    assert percent(None) == "—"
    assert percent(0.02427) == "2.4%"
    assert percent(1.0) == "100.0%"


def test_each_light_has_its_own_shape() -> None:
    shapes = {light: light_shape(light, 5, 5, 4).split()[0] for light in (RED, YELLOW, GREEN)}
    assert shapes == {RED: "<rect", YELLOW: "<polygon", GREEN: "<circle"}
    assert 'fill="#ffffff"' in light_shape(GREEN, 5, 5, 4, hollow=True)


def _cell(done: int, due: int) -> HeatCell:
    return HeatCell(done, due, None if due == 0 else done / due, 5, f"{done}/{due}", {"k": "v"})


def test_heat_map_cells_carry_their_figures_and_blocks_balance() -> None:
    columns = [HeatColumn("（一）", "全面提升行政执法人员能力素质"), HeatColumn("", "组织实施")]
    rows = [HeatRow(f"单位{i}", (_cell(1, 4), _cell(0, 0)), {"unit": f"单位{i}"}) for i in range(40)]
    blocks = heat_map(columns, rows)
    assert len(blocks) == 2  # 40 rows: two pages of 20, not 34 + 6
    dom = parse(blocks[0])
    assert len(dom.find_all("g", class_="heat-row")) == 20
    cells = dom.find_all("g", class_="heat-cell")
    assert len(cells) == 40 and cells[0].attrs["data-k"] == "v"
    first = {n.attrs["data-field"]: n for n in cells[0].find_all(data_field=True)}
    assert {k: v.text() for k, v in first.items()} == {"rate": "25.0%", "completed_due": "1", "due": "4"}
    assert first["rate"].attrs["data-value"] == "0.25"
    assert cells[0].find_all("title")[0].text() == "1/4"  # the hover text
    nothing = cells[1]
    assert nothing.find_all("rect")[0].attrs["fill"] == "url(#nothing-due-1)"  # hatched
    assert nothing.find_all(data_field="rate")[0].text() == "—"


def test_heat_map_escapes_unit_names() -> None:
    rows = [HeatRow("<script>x</script>", (_cell(1, 1), HeatCell(0, 0, None, 0, "", {})))]
    svg = heat_map([HeatColumn("（一）", "<b>"), HeatColumn("", "组织实施")], rows)[0]
    assert "<script>" not in svg and "<b>" not in svg
    dom = parse(svg)
    assert dom.find_all("text", class_="row-label")[0].find_all("title")[0].text() == "<script>x</script>"
    # A unit owing nothing in an area: a plain "—", neither a rate nor "未到期".
    blank = dom.find_all("g", class_="heat-cell")[1]
    assert blank.text().strip() == "—" and "nothing-due" not in str(blank.find_all("rect")[0].attrs)


def test_timeline_places_marks_stacks_same_day_and_draws_the_date() -> None:
    marks = (
        Mark(D("2024-06-30"), RED, "a"),
        Mark(D("2024-06-30"), GREEN, "b", hollow=True),
        Mark(D("2024-12-31"), YELLOW, "c"),
    )
    [svg] = timeline(D("2024-01-01"), D("2025-12-31"), D("2024-07-01"), [TimelineRow("（一）", "（一）全面", marks)])
    dom = parse(svg)
    found = dom.find_all("g", class_="mark")
    assert [m.attrs["data-light"] for m in found] == [RED, GREEN, YELLOW]
    assert [m.find_all("title")[0].text() for m in found] == ["a", "b", "c"]

    centres = [
        tuple(float(n) for n in re.findall(r"[0-9.]+", m.attrs["transform"])) for m in found
    ]
    # The two 06-30 marks share an x and are stacked; 12-31 is far to the right.
    (x0, y0), (x1, y1), (x2, _) = centres
    assert x0 == x1 and y0 != y1 and x2 > x0 + 150  # 184 days of 731 on 760 px
    line = dom.find_all("g", class_="report-date")[0]
    assert line.attrs["data-date"] == "2024-07-01" and "截至 2024-07-01" in line.text()
    x_line = float(re.findall(r'x1="([0-9.]+)"', svg[svg.index('class="report-date"') :])[0])
    assert x0 < x_line < x2  # 07-01 is after 06-30, long before 12-31
    years = [t.text() for t in dom.find_all("text") if t.text().endswith("年")]
    assert years == ["2024年", "2025年"]


def test_many_timeline_rows_split_into_blocks_on_one_axis() -> None:
    rows = [TimelineRow(f"（{i}）", "", (Mark(D("2024-03-31"), RED, "x"),)) for i in range(45)]
    blocks = timeline(D("2024-01-01"), D("2025-12-31"), D("2024-07-01"), rows)
    assert [len(parse(b).find_all("g", class_="timeline-row")) for b in blocks] == [15, 15, 15]  # 45 rows: three blocks of 15, not 18 + 18 + 9
    # The same axis in every block: the mark and the date line at the same x.
    xs = {parse(b).find_all("g", class_="mark")[0].attrs["transform"].split()[0] for b in blocks}
    assert len(xs) == 1
