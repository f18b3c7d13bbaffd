"""The HTML report's charts as static SVG written by kpzf: the completion heat-map and the timeline.

No library and no script: an SVG is text kpzf writes, with <title> for what shows on hover,
so the page opens offline and prints as it looks. Colours are never the only carrier: heat
cells print their figures and get lighter as completion rises (dark = attention, also in grey
print), nothing-due cells are hatched, and each light has its own shape (红 square, 黄 triangle,
绿 circle). Every figure is in an element with `data-field` (render.html explains the marks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import field

from ..records import record
from .markup import attrs, clip, esc, text_width

FONT = 12  # px, chart text
SMALL = 11

# --------------------------------------------------------------------------- lights

RED, YELLOW, GREEN = "red", "yellow", "green"
LIGHT_WORDS = {RED: "红灯", YELLOW: "黄灯", GREEN: "绿灯"}
# Fill, and the outline that keeps a pale yellow visible on white paper.
LIGHT_FILL = {RED: "#b2182b", YELLOW: "#f2b01e", GREEN: "#1a7f3c"}
LIGHT_STROKE = {RED: "#67000d", YELLOW: "#6b4a00", GREEN: "#0b3d1c"}


def light_shape(light: str, x: float, y: float, r: float, hollow: bool = False) -> str:
    """The mark of a light centred on (x, y): 红 square, 黄 triangle, 绿 circle.

    `hollow` draws the outline only (an obligation not finished yet that is still on time).
    """
    fill = "#ffffff" if hollow else LIGHT_FILL[light]
    paint = attrs(fill=fill, stroke=LIGHT_STROKE[light], stroke_width="1.2")
    if light == RED:
        s = r * 0.9
        return f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}"{paint}/>'
    if light == YELLOW:
        h = r * 1.1
        points = f"{x:.1f},{y - h:.1f} {x + h:.1f},{y + h * 0.8:.1f} {x - h:.1f},{y + h * 0.8:.1f}"
        return f'<polygon points="{points}"{paint}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"{paint}/>'


def light_icon(light: str | None, size: int = 12) -> str:
    """A light's shape as a small inline SVG, for tables and the legend ("—" for no light)."""
    if light is None:
        return "—"
    half = size / 2
    shape = light_shape(light, half, half + 0.5, half - 1.5)
    return (
        f'<svg class="light" width="{size}" height="{size}" viewBox="0 0 {size} {size}"'
        f' role="img" aria-label="{LIGHT_WORDS[light]}">{shape}</svg>'
    )


# --------------------------------------------------------------------------- heat-map

# Completion share → fill and text colour. Lightness rises with the share (grey values of the
# fills: 53, 125, 183, 212, 236), so the order survives grey print; 100% has its own step.
HEAT_STEPS: tuple[tuple[float, str, str, str], ...] = (
    # (below this share, fill, text colour, legend)
    (0.25, "#a50026", "#ffffff", "低于 25%"),
    (0.50, "#e4572e", "#1a1a1a", "25%–50%"),
    (0.75, "#f6b93b", "#1a1a1a", "50%–75%"),
    (1.00, "#c7e59c", "#1a1a1a", "75%–100%"),
    (9.99, "#eef8e4", "#1a1a1a", "100%"),
)


def heat_step(share: float) -> tuple[str, str, str]:
    """(fill, text colour, legend words) of a completion share."""
    for below, fill, ink, words in HEAT_STEPS:
        if share < below:
            return fill, ink, words
    return HEAT_STEPS[-1][1:]


def percent(rate: float | None) -> str:
    """A rate as the report tables write it: one decimal, "—" when nothing is due."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


@record
class HeatCell:
    """One unit × area cell: the figures come from the core's report row, as they are."""

    completed_due: int
    due: int
    rate: float | None  # None: nothing due yet in this cell
    obligations: int  # 0: the unit owes nothing in this area (a blank cell, not 未到期)
    tip: str  # the hover text
    data: dict[str, str] = field(default_factory=dict)  # the row's address (render.html)


@record
class HeatRow:
    label: str  # the unit
    cells: tuple[HeatCell, ...]
    data: dict[str, str] = field(default_factory=dict)


@record
class HeatColumn:
    label: str  # short: （一）
    title: str  # the area's title


ROWS_PER_BLOCK = 34  # a block prints on one A4 landscape page; longer lists get more blocks


def heat_map(columns: Sequence[HeatColumn], rows: Sequence[HeatRow]) -> list[str]:
    """The heat-map as SVG blocks of at most ROWS_PER_BLOCK rows, each with the column heads."""
    if not rows:
        return []
    count = -(-len(rows) // ROWS_PER_BLOCK)
    size = -(-len(rows) // count)  # balanced: 40 rows are 20 + 20, not 34 + 6
    return [
        _heat_block(columns, rows[i : i + size], f"nothing-due-{n}")
        for n, i in enumerate(range(0, len(rows), size), 1)
    ]


def _heat_block(columns: Sequence[HeatColumn], rows: Sequence[HeatRow], hatch: str) -> str:
    row_h, head_h, cell_w, pad = 22, 46, 104, 8
    label_w = min(240.0, max(text_width(r.label, FONT) for r in rows) + 2 * pad)
    width = label_w + cell_w * len(columns)
    height = head_h + row_h * len(rows) + 1
    out = [
        f'<svg class="chart heatmap" viewBox="0 0 {width:.0f} {height}" width="{width:.0f}"'
        f' height="{height}" font-size="{FONT}" style="max-width: {width * 1.3:.0f}px"'
        ' role="img" aria-label="各单位各项任务完成情况热力图">',
        "<defs>"
        f'<pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#c8c8c8" stroke-width="1.5"/></pattern>'
        "</defs>",
    ]
    for i, column in enumerate(columns):
        x = label_w + i * cell_w + cell_w / 2
        lines = _two_lines(column.title, SMALL, cell_w - 6)
        out.append(f'<g class="column-head"><title>{esc(column.label + column.title)}</title>')
        out.append(f'<text x="{x:.1f}" y="13" text-anchor="middle" font-weight="bold">{esc(column.label)}</text>')
        for n, line in enumerate(lines):
            out.append(
                f'<text x="{x:.1f}" y="{27 + n * 13}" text-anchor="middle" font-size="{SMALL}">{esc(line)}</text>'
            )
        out.append("</g>")
    for r, row in enumerate(rows):
        y = head_h + r * row_h
        out.append(f'<g class="heat-row"{_data(row.data)}>')
        out.append(
            f'<text class="row-label" x="{label_w - pad:.1f}" y="{y + 15}" text-anchor="end">'
            f"{esc(clip(row.label, FONT, label_w - 2 * pad))}<title>{esc(row.label)}</title></text>"
        )
        for c, cell in enumerate(row.cells):
            out.append(_heat_cell(cell, label_w + c * cell_w, y, cell_w, row_h, hatch))
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def _heat_cell(cell: HeatCell, x: float, y: float, w: float, h: float, hatch: str) -> str:
    if cell.obligations == 0:
        fill, ink = "#f7f7f7", "#9a9a9a"
        figures = f'<tspan{attrs(data_field="obligations", data_value=0)}>—</tspan>'
    elif cell.rate is None:
        fill, ink = f"url(#{hatch})", "#555555"
        figures = (
            f'<tspan{attrs(data_field="rate", data_value="null")}>—</tspan>'
            f'<tspan font-size="{SMALL}" dx="4">未到期</tspan>'
        )
    else:
        fill, ink, _ = heat_step(cell.rate)
        figures = (
            f'<tspan font-weight="bold"{attrs(data_field="rate", data_value=cell.rate)}>{percent(cell.rate)}</tspan>'
            f'<tspan font-size="{SMALL}" dx="5"><tspan{attrs(data_field="completed_due", data_value=cell.completed_due)}>'
            f"{cell.completed_due}</tspan>/<tspan{attrs(data_field='due', data_value=cell.due)}>{cell.due}</tspan></tspan>"
        )
    return (
        f'<g class="heat-cell"{_data(cell.data)}><title>{esc(cell.tip)}</title>'
        f'<rect x="{x + 1:.1f}" y="{y + 1}" width="{w - 2:.1f}" height="{h - 2}" fill="{fill}"'
        ' stroke="#bdbdbd" stroke-width="0.6"/>'
        f'<text x="{x + w / 2:.1f}" y="{y + 15}" text-anchor="middle" fill="{ink}">{figures}</text></g>'
    )


def _two_lines(text: str, size: float, width: float) -> list[str]:
    """`text` broken into at most two lines of `width` px, the second cut with "…"."""
    first = ""
    for ch in text:
        if text_width(first + ch, size) > width:
            break
        first += ch
    rest = text[len(first) :]
    return [first] + ([clip(rest, size, width)] if rest else [])


def _data(values: dict[str, str]) -> str:
    return attrs(**{f"data_{k}": v for k, v in values.items()})


def heat_legend() -> str:
    """The steps of the heat-map's colours, as the page's legend (HTML)."""
    items = [
        f'<span class="swatch" style="background:{fill}"></span>{esc(words)}'
        for _, fill, _, words in HEAT_STEPS
    ]
    items.append('<span class="swatch hatched"></span>有节点，尚未到期')
    items.append('<span class="swatch" style="background:#f7f7f7"></span>“—”：不承担该项任务')
    return '<p class="legend">完成率：' + "".join(f"<span>{i}</span>" for i in items) + "</p>"


# --------------------------------------------------------------------------- timeline


@record
class Mark:
    """One dated milestone on the timeline, with its light in the report's scope."""

    day: dt.date
    light: str
    tip: str
    hollow: bool = False  # not finished and not late (yet): drawn as an outline
    data: dict[str, str] = field(default_factory=dict)
    until: dt.date | None = None  # an approved new date (延期): a dashed line to a tick there


@record
class TimelineRow:
    label: str  # short: （一） 全面提升…
    title: str  # the whole heading, on hover
    marks: tuple[Mark, ...]


LANES_PER_BLOCK = 18  # a block of one-measure rows prints below the headline or on a page


def timeline(
    start: dt.date, end: dt.date, on: dt.date, rows: Sequence[TimelineRow]
) -> list[str]:
    """Milestones across [start, end] (months ticked, years named), a row per heading, marks
    at the due dates coloured and shaped by light (same-day marks stacked), the report date a line.

    Marks outside the period (a date before it, an extension past its end) stretch the axis.
    Many rows (a unit's page: one per measure) are split into balanced SVG blocks of at most
    LANES_PER_BLOCK rows on the same axis, so that each prints whole and legible.
    """
    days = [d for row in rows for m in row.marks for d in (m.day, m.until) if d] + [start, end, on]
    first = min(days).replace(day=1)
    last = _next_month(max(days))
    count = max(1, -(-len(rows) // LANES_PER_BLOCK))
    size = max(1, -(-len(rows) // count))
    return [_timeline_block(first, last, on, rows[i : i + size]) for i in range(0, max(len(rows), 1), size)]


def _timeline_block(
    first: dt.date, last: dt.date, on: dt.date, rows: Sequence[TimelineRow]
) -> str:
    width, label_w, pad, top = 1000.0, 250.0, 10.0, 34
    plot_w = width - label_w - 2 * pad
    span = (last - first).days or 1

    def x_of(day: dt.date) -> float:
        return label_w + pad + plot_w * (day - first).days / span

    bands: list[tuple[TimelineRow, dict[dt.date, list[Mark]]]] = []
    for row in rows:
        stacks: dict[dt.date, list[Mark]] = {}
        for mark in row.marks:
            stacks.setdefault(mark.day, []).append(mark)
        bands.append((row, stacks))
    step = 9.0
    heights = [max(20.0, step * max((len(s) for s in st.values()), default=0) + 10) for _, st in bands]
    height = top + sum(heights) + 24
    out = [
        f'<svg class="chart timeline" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}"'
        f' height="{height:.0f}" font-size="{FONT}" role="img" aria-label="各节点时间轴">'
    ]
    # Month ticks and year names along the top, faint month lines through the rows.
    month = first
    while month <= last:
        x = x_of(month)
        january = month.month == 1
        out.append(
            f'<line x1="{x:.1f}" y1="{top - (10 if january else 4)}" x2="{x:.1f}" y2="{height - 20:.0f}"'
            f' stroke="{"#9a9a9a" if january else "#e2e2e2"}" stroke-width="1"/>'
        )
        if month < last:
            mid = x_of(_mid_month(month))
            out.append(
                f'<text x="{mid:.1f}" y="{top - 4}" text-anchor="middle" font-size="9" fill="#555555">{month.month}</text>'
            )
        if (january or month == first) and month < last:
            out.append(f'<text x="{x + 2:.1f}" y="12" font-size="{SMALL}" font-weight="bold">{month.year}年</text>')
        month = _next_month(month)
    y = float(top)
    for (row, stacks), h in zip(bands, heights, strict=True):
        out.append(f'<g class="timeline-row"><title>{esc(row.title)}</title>')
        out.append(
            f'<line x1="0" y1="{y + h:.1f}" x2="{width:.0f}" y2="{y + h:.1f}" stroke="#d0d0d0" stroke-width="0.8"/>'
            f'<text class="row-label" x="4" y="{y + h / 2 + 4:.1f}">'
            f"{esc(clip(row.label, FONT, label_w - 12))}</text></g>"
        )
        for day, marks in sorted(stacks.items()):
            x = x_of(day)
            for n, mark in enumerate(marks):
                cy = y + h - 9 - n * step
                moved = ""
                if mark.until is not None:  # drawn under the mark, in the mark's own group
                    dx = x_of(mark.until) - x
                    moved = (
                        f'<g class="extension"{attrs(data_until=mark.until.isoformat())}>'
                        f'<line x1="0" y1="0" x2="{dx:.1f}" y2="0" stroke="#555555"'
                        ' stroke-width="1" stroke-dasharray="3 2"/>'
                        f'<line x1="{dx:.1f}" y1="-4" x2="{dx:.1f}" y2="4"'
                        ' stroke="#333333" stroke-width="1.6"/></g>'
                    )
                out.append(
                    f'<g class="mark" transform="translate({x:.1f} {cy:.1f})"'
                    f"{attrs(data_light=mark.light, data_due=day.isoformat())}"
                    f"{_data(mark.data)}><title>{esc(mark.tip)}</title>{moved}"
                    f"{light_shape(mark.light, 0, 0, 3.6, mark.hollow)}</g>"
                )
        y += h
    # The report date, over everything.
    x = x_of(on)
    out.append(
        f'<g class="report-date"{attrs(data_date=on.isoformat())}>'
        f'<line x1="{x:.1f}" y1="{top - 12}" x2="{x:.1f}" y2="{height - 16:.0f}" stroke="#1f3a93"'
        ' stroke-width="1.6" stroke-dasharray="5 3"/>'
        f'<text x="{x:.1f}" y="{height - 4:.0f}" text-anchor="{_anchor(x, label_w, width)}" font-size="{SMALL}"'
        f' fill="#1f3a93" font-weight="bold">截至 {on.isoformat()}</text></g>'
    )
    out.append("</svg>")
    return "".join(out)


def _anchor(x: float, left: float, width: float) -> str:
    if x < left + 60:
        return "start"
    return "end" if x > width - 60 else "middle"


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _mid_month(day: dt.date) -> dt.date:
    return day.replace(day=15)


def light_legend() -> str:
    """What the shapes mean (HTML)."""
    parts = [
        f"<span>{light_icon(RED)}红灯：逾期未完成</span>",
        f"<span>{light_icon(YELLOW)}黄灯：临近截止日期，或报告延期而未获批准新期限</span>",
        f"<span>{light_icon(GREEN)}绿灯：已完成（或不适用）</span>",
        '<span><svg class="light" width="12" height="12" viewBox="0 0 12 12">'
        f"{light_shape(GREEN, 6, 6.5, 4.5, hollow=True)}</svg>绿灯（空心）：未完成，按期推进中</span>",
        '<span><svg class="light" width="22" height="12" viewBox="0 0 22 12">'
        '<line x1="2" y1="6" x2="19" y2="6" stroke="#555555" stroke-dasharray="3 2"/>'
        '<line x1="19" y1="2" x2="19" y2="10" stroke="#333333" stroke-width="1.6"/></svg>'
        "批准延期至新的截止日期</span>",
    ]
    return '<p class="legend">' + "".join(parts) + "</p>"
