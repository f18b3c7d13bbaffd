"""`kpzf report --format html`: one self-contained page for the leaders (core.picture → HTML text).

Offline by construction: no script, no link, no font file, no image but inline SVG; a Content
Security Policy forbids loading anything, so even a mistake cannot reach the network. The CSS
prints on A4 landscape. Every text from the plan goes through render.markup's `esc`.

Every figure on the page is an element with `data-field` (the JSON key of the figure) and
`data-value` (its JSON value), inside an element whose `data-report` says which `kpzf report`
answer it comes from: `{"by": "area", "unit": "市公安局", "row": 1}` is the row with key 1 of
`kpzf report --by area --unit 市公安局 --format json`; `"total": true` its total. The rows of
the 红黄灯 lists carry `data-duty` (`{"unit": …, "measure": …, "due": …}`) and `data-light`:
the milestone with that due date of that measure in `kpzf unit … --format json`, whose
`light`, `days_overdue`, `days_left` and `category` they show.
tests/cli/test_html_report.py compares them all.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from ..core.picture import Area, Flag, Lane, Picture
from ..core.report import ReportRow
from .charts import (
    LIGHT_WORDS,
    HeatCell,
    HeatColumn,
    HeatRow,
    Mark,
    TimelineRow,
    heat_legend,
    heat_map,
    light_legend,
    percent,
    timeline,
)
from .jsonforms import report_row_json
from .markup import attrs, esc, tag

FONT_STACK = '"Microsoft YaHei", "SimSun", "Noto Sans CJK SC", sans-serif'

# No network, no script, whatever the page contains: the browser refuses to fetch or run.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
@page { size: A4 landscape; margin: 10mm 11mm; }
* { box-sizing: border-box; }
html { font-family: FONTS; color: #1a1a1a; font-size: 14px; line-height: 1.45;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 1320px; padding: 18px 26px 40px; background: #ffffff; }
header { border-bottom: 3px solid #1f3a93; padding-bottom: 8px; margin-bottom: 12px; }
h1 { font-size: 23px; margin: 0 0 4px; letter-spacing: 0.5px; }
.scope { color: #1f3a93; }
.meta { margin: 0; color: #444444; }
.meta span + span::before { content: "　｜　"; color: #9a9a9a; }
h2 { font-size: 17px; margin: 22px 0 8px; padding-left: 8px; border-left: 4px solid #1f3a93; }
h3 { font-size: 15px; margin: 0 0 4px; }
.note { color: #555555; font-size: 12.5px; margin: 4px 0; }
.figures { display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 10px; margin: 10px 0 4px; }
.figure { border: 1px solid #c9c9c9; border-radius: 4px; padding: 8px 12px 6px; }
.figure .name { display: block; color: #444444; font-size: 13px; }
.figure .value { display: block; font-size: 28px; font-weight: bold; line-height: 1.2; }
.figure .sub { display: block; color: #555555; font-size: 12px; }
.figure.bad { border-color: #b2182b; border-width: 2px; }
.figure.bad .value { color: #b2182b; }
.figure.rate { background: #eef1fa; border-color: #1f3a93; }
svg.chart { display: block; width: 100%; height: auto; margin: 4px 0; }
svg.chart text { font-family: FONTS; }
svg.light { vertical-align: -1px; margin-right: 3px; }
.lamp { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px;
        border: 1px solid; }
.lamp.red { background: #b2182b; border-color: #67000d; }
.lamp.green { background: #1a7f3c; border-color: #0b3d1c; border-radius: 50%; }
.lamp.yellow { width: 0; height: 0; border-width: 0 6px 10px; border-style: solid;
               border-color: transparent transparent #d99a00; }
.legend { font-size: 12.5px; color: #333333; margin: 2px 0 6px; }
.legend > span { margin-right: 14px; white-space: nowrap; }
.swatch { display: inline-block; width: 14px; height: 14px; border: 1px solid #9a9a9a;
          vertical-align: -2px; margin-right: 4px; }
.hatched { background: repeating-linear-gradient(45deg, #ffffff 0 3px, #c8c8c8 3px 4.5px); }
.areas { font-size: 12.5px; color: #333333; margin: 2px 0; padding: 0; list-style: none; }
.areas li { display: inline-block; margin-right: 18px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #c9c9c9; padding: 3px 7px; vertical-align: top; }
th { background: #eef1fa; font-weight: bold; text-align: center; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.day { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.light { white-space: nowrap; }
tr.red td.days { color: #b2182b; font-weight: bold; }
table.units { width: calc(100% - 2px); }  /* the collapsed outer border stays on the page */
table.units td.unit { white-space: nowrap; }
.flags { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 12px 18px; }
.unit-block { break-inside: avoid; page-break-inside: avoid; }
table.items { width: calc(100% - 2px); }
table.items th { white-space: nowrap; }
table.items td.text { max-width: 0; width: 100%; overflow: hidden; text-overflow: ellipsis;
                      white-space: nowrap; }
table.items td.text:hover { white-space: normal; }  /* the whole text, where the pointer is */
table.items td.what { min-width: 8.5em; max-width: 12em; }
tr.unit-head th { background: #ffffff; border: none; border-bottom: 2px solid #1f3a93;
                 text-align: left; padding: 2px 0 3px; }
tr.unit-head .name { font-size: 15px; }
tr.unit-head .tally { float: right; font-size: 12.5px; font-weight: normal; color: #444444; }
.quiet { color: #555555; }
footer { margin-top: 26px; border-top: 1px solid #c9c9c9; padding-top: 6px; font-size: 12px;
         color: #555555; }
@media print {
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  h2 { margin-top: 10px; break-after: avoid; page-break-after: avoid; }
  section { break-before: page; page-break-before: always; }
  section.first { break-before: auto; page-break-before: auto; }
  svg.heatmap { width: auto; max-width: 100%; max-height: 152mm; margin: 0 auto; }
  svg.timeline { max-height: 160mm; }
  .figures { gap: 6px; }
  .figure .value { font-size: 20pt; }
  thead { display: table-header-group; }
  .flags { display: block; columns: 2; column-gap: 7mm; }
  .unit-block { break-inside: auto; page-break-inside: auto; margin-bottom: 4mm; }
  table.items thead { break-after: avoid; page-break-after: avoid; }
  table.items tbody.lead { break-inside: avoid; page-break-inside: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
""".replace("FONTS", FONT_STACK)


def report_html(picture: Picture) -> str:
    """The whole page."""
    p = picture
    heading = f"{p.title}督办情况"
    if p.scope is not None:
        heading = f"{p.scope}：{heading}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="kpzf {esc(p.version)}">',
        f"<title>{esc(heading)}（截至 {p.on.isoformat()}）</title>",
        f"<style>{CSS}</style>",
        "</head>",
        f'<body{attrs(data_date=p.on.isoformat(), data_scope=p.scope)}>',
        _header(p),
        _figures(p),
        _timeline_section(p),
        _heat_section(p),
        _units_section(p),
        _assessments_section(p),
        _flags_section(p),
        _duties_section(p),
        _footer(p),
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


# --------------------------------------------------------------------------- figures


def _json_attr(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _address(by: str, scope: str | None, row: Any = None, total: bool = False) -> str:
    """The `data-report` of a figure's container (module docstring)."""
    address: dict[str, Any] = {"by": by}
    if scope is not None:
        address["unit"] = scope
    if total:
        address["total"] = True
    else:
        address["row"] = row
    return attrs(data_report=_json_attr(address))


def _shown(field: str, value: Any) -> str:
    if field.endswith("rate"):
        return percent(value)
    if value is None:
        return "—"
    return str(value)


def _figures_of(row: ReportRow) -> dict[str, Any]:
    """A report row's figures exactly as `kpzf report --format json` gives them."""
    return report_row_json(row)


def fig(field: str, value: Any, tag_name: str = "span", css: str | None = None) -> str:
    """One figure: its text as the tables write it, its JSON key and value as data."""
    return tag(
        tag_name,
        esc(_shown(field, value)),
        class_=css,
        data_field=field,
        data_value=_json_attr(value),
    )


def _header(p: Picture) -> str:
    start, end = p.period
    meta = [
        f"<span>{esc(p.doc_number)}</span>" if p.doc_number else "",
        f"<span>实施期 {start.isoformat()} 至 {end.isoformat()}</span>",
        f"<span>统计截至 <b>{p.on.isoformat()}</b></span>",
        f"<span>黄灯：到期前 {p.warn_days} 天内</span>",
    ]
    scope = f'<span class="scope">{esc(p.scope)}</span> · ' if p.scope is not None else ""
    return (
        f"<header><h1>{scope}{esc(p.title)}</h1>"
        f'<p class="meta">{"".join(m for m in meta if m)}</p></header>'
    )


def _longest(days: int | None) -> str:
    """最久逾期 N 天, or 最久逾期 — when nothing is overdue (the figure is there either way)."""
    return "最久逾期 " + fig("longest_overdue", days) + ("" if days is None else " 天")


def _figures(p: Picture) -> str:
    t = SimpleNamespace(**_figures_of(p.total))
    boxes = [
        ("到期义务", fig("assessed", t.assessed, css="value"), "按原定截止日期已到期的项次", ""),
        ("按期完成", fig("on_time", t.on_time, css="value"), "原定期限内完成", ""),
        (
            "延期",
            fig("extended", t.extended, css="value"),
            "其中延期完成 " + fig("extended_done", t.extended_done),
            "",
        ),
        (
            "逾期未完成",
            fig("overdue", t.overdue, css="value"),
            _longest(t.longest_overdue),
            " bad" if t.overdue else "",
        ),
        ("逾期完成", fig("late_done", t.late_done, css="value"), "超过期限后才完成", ""),
        ("按期完成率", fig("on_time_rate", t.on_time_rate, css="value"), "按期完成 ÷ 到期义务", " rate"),
    ]
    cells = "".join(
        f'<div class="figure{extra}"><span class="name">{name}</span>{value}'
        f'<span class="sub">{sub}</span></div>'
        for name, value, sub, extra in boxes
    )
    empty = ""
    if t.obligations == 0 and t.not_applicable == 0:
        whose = "该单位" if p.scope else "本方案"
        empty = f'<p class="note">{whose}没有带截止日期的节点（没有完成时限，或只写“长期推进”之类），没有可统计的节点义务。</p>'
    return f'<div class="figures"{_address("unit", p.scope, total=True)}>{cells}</div>{empty}'


# --------------------------------------------------------------------------- heat-map


def _area_label(area: Area) -> str:
    return area.label or ""


def _heat_section(p: Picture) -> str:
    if not p.cells:
        return ""
    columns = [HeatColumn(_area_label(a), a.title) for a in p.areas]
    rows = []
    for unit, by_area in p.cells:
        cells = tuple(
            HeatCell(
                completed_due=r.completed_due,
                due=r.due,
                rate=_figures_of(r)["rate"],
                obligations=r.obligations + r.not_applicable,
                tip=f"{unit} · {_area_label(a)}{a.title}：已到期 {r.due} 项次，已完成 {r.completed_due}，"
                f"逾期 {r.overdue}（红灯 {r.red}、黄灯 {r.yellow}）",
                data={"report": _json_attr({"by": "area", "unit": unit, "row": r.key})},
            )
            for a, r in zip(p.areas, by_area, strict=True)
        )
        rows.append(HeatRow(unit, cells, {"unit": unit}))
    blocks = heat_map(columns, rows)
    titles = "".join(f"<li>{esc(_area_label(a))}{esc(a.title)}</li>" for a in p.areas)
    return (
        "<section><h2>各单位、各项任务完成情况</h2>"
        '<p class="note">每格是该单位在该项任务中已到期的节点义务的完成率（已完成 ÷ 已到期），'
        "格中写明百分比和“已完成/已到期”项次；颜色越深越需要关注，悬停可见逾期和红黄灯数。</p>"
        + heat_legend()
        + f'<ul class="areas">{titles}</ul>'
        + "".join(blocks)
        + "</section>"
    )


# --------------------------------------------------------------------------- timeline


def _timeline_section(p: Picture) -> str:
    if not p.lanes:
        return ""
    rows = [TimelineRow(lane.label, lane.title, tuple(_marks(lane))) for lane in p.lanes]
    start, end = p.period
    what = "每行一项措施" if p.single else "每行一项" + (p.area_level or "重点任务")
    worst = "" if p.single else "（一个节点有多个单位时取最差的）"
    return (
        '<section class="first"><h2>节点时间轴</h2>'
        f'<p class="note">{what}；每个标记是一个到期节点，同日的节点叠放，形状和颜色是截至 '
        f"{p.on.isoformat()} 的灯{worst}；虚线是统计日期。</p>"
        + "".join(timeline(start, end, p.on, rows))
        + light_legend()
        + "</section>"
    )


def _marks(lane: Lane) -> list[Mark]:
    marks = []
    for point in lane.points:
        if point.due is None or point.light is None:
            continue
        lights = "、".join(
            f"{LIGHT_WORDS[k]} {n}" for k, n in point.lights.items() if n
        )
        moved = f"；批准延期至 {point.until.isoformat()}" if point.until else ""
        tip = (
            f"措施 {point.measure_id} · {point.due.isoformat()} {point.what}"
            f"（{point.units} 个单位：{lights}{moved}）"
        )
        marks.append(
            Mark(
                point.due,
                point.light,
                tip,
                hollow=point.open_on_time,
                data={"measure": point.measure_id, "milestone": str(point.milestone)},
                until=point.until,
            )
        )
    return marks


# --------------------------------------------------------------------------- per unit


UNIT_COLUMNS = (
    ("assessed", "到期义务"),
    ("on_time", "按期完成"),
    ("extended", "延期"),
    ("extended_done", "延期完成"),
    ("late_done", "逾期完成"),
    ("overdue", "逾期未完成"),
    ("longest_overdue", "最久逾期天数"),
    ("red", "红灯"),
    ("yellow", "黄灯"),
    ("on_time_rate", "按期完成率"),
)


def _units_section(p: Picture) -> str:
    if not p.units or p.single:  # one unit: its figures are the headline
        return ""
    head = "".join(f'<th class="num">{esc(name)}</th>' for _, name in UNIT_COLUMNS)
    body = [_unit_row(p, row) for row in p.units]
    total = _unit_row(p, p.total, total=True) if len(p.units) > 1 else ""
    order = "按逾期未完成项次从多到少、按期完成率从低到高排列" if p.ranked else "按单位名录的顺序"
    return (
        "<section><h2>各单位完成情况</h2>"
        f'<p class="note">{order}；一项是一个节点对一个单位（配合单位不计）。</p>'
        f'<table class="units"><thead><tr><th class="num">序</th><th>单位</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}{total}</tbody></table></section>"
    )


def _unit_row(p: Picture, row: ReportRow, total: bool = False) -> str:
    address = _address("unit", p.scope, total=True) if total else _address("unit", p.scope, row.key)
    place = "" if total or row.rank is None else str(row.rank)
    figures = _figures_of(row)
    cells = "".join(fig(f, figures[f], "td", "num") for f, _ in UNIT_COLUMNS)
    name = "合计" if total else row.label
    return f'<tr{address}><td class="num">{place}</td><td class="unit">{esc(name)}</td>{cells}</tr>'


ASSESSMENT_COLUMNS = (
    ("assessed", "到期义务"),
    ("on_time", "按期完成"),
    ("on_time_rate", "按期完成率"),
    ("overdue", "逾期未完成"),
    ("extended", "延期"),
)


def _assessments_section(p: Picture) -> str:
    """The totals the plan's evaluation items (中期评估, 终期评估) need, as of their dates."""
    if not p.assessments:
        return ""
    head = "".join(f'<th class="num">{name}</th>' for _, name in ASSESSMENT_COLUMNS)
    rows = []
    for index, a in enumerate(p.assessments):
        figures = _figures_of(a.total)
        address = {"by": "unit", "assessment": index, **({"unit": p.scope} if p.scope else {})}
        cells = "".join(fig(f, figures[f], "td", "num") for f, _ in ASSESSMENT_COLUMNS)
        rows.append(
            f"<tr{attrs(data_report=_json_attr(address))}><td>{esc(a.measure_id)}</td>"
            f'<td>{esc(a.what)}</td><td class="day">{a.due.isoformat()}</td>'
            f'<td class="day">{a.on.isoformat()}</td>{cells}</tr>'
        )
    return (
        '<div class="assessments"><h2>评估事项所需合计</h2>'
        '<p class="note">方案“组织实施”中的评估事项，各自截至其截止日期（或统计日期，取较早者）的合计。</p>'
        "<table><thead><tr><th>措施</th><th>事项</th><th>截止日期</th><th>统计截至</th>"
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _flags_section(p: Picture) -> str:
    if p.single:
        return ""
    blocks = [_flag_block(p, unit, flags) for unit, flags in p.flags]
    quiet = [u.label for u in p.units if u.label not in {unit for unit, _ in p.flags}]
    rest = (
        f'<p class="note quiet">没有红灯、黄灯事项的单位：{esc("、".join(quiet))}</p>' if quiet else ""
    )
    body = "".join(blocks) if blocks else '<p class="note">没有红灯、黄灯事项。</p>'
    return (
        "<section><h2>红灯、黄灯事项（按单位）</h2>"
        f'<p class="note">红灯：已逾期（逾期天数自截止日期次日算起，有批准延期的按新的截止日期）；'
        f"黄灯：{p.warn_days} 天内到期，或单位报告延期而未获批准新期限。</p>"
        f'<div class="flags">{body}</div>{rest}</section>'
    )


def _lamp(light: str | None) -> str:
    """A light's shape in a table row, drawn by CSS (thousands of rows: no SVG per row)."""
    return "" if light is None else f'<span class="lamp {light}"></span>'


def _iso(day: Any) -> str | None:
    return None if day is None else str(day.isoformat())


def _flag_block(p: Picture, unit: str, flags: Sequence[Flag]) -> str:
    """One unit's red and yellow items; its name heads the table (repeated on each printed
    column or page the table runs on to)."""
    row = _figures_of(next(r for r in p.units if r.label == unit))
    tally = (
        f"红灯 {fig('red', row['red'])} 项 · 黄灯 {fig('yellow', row['yellow'])} 项 · "
        + _longest(row["longest_overdue"])
    )
    caption = (
        f'<tr class="unit-head"><th colspan="6"><span class="name">{esc(unit)}</span>'
        f'<span class="tally"{_address("unit", p.scope, unit)}>{tally}</span></th></tr>'
    )
    return f'<div class="unit-block"{attrs(data_unit=unit)}>{_flag_table(flags, caption=caption)}</div>'


def _flag_table(flags: Sequence[Flag], every: bool = False, caption: str = "") -> str:
    """Red and yellow items (or, `every`, a unit's every dated milestone) as a small table.

    The measure's text is whole in the page (selectable, searchable), cut by CSS to one line
    and shown whole under the pointer.
    """
    last = "情况" if every else "逾期/剩余"
    head = (
        f"<thead>{caption}<tr><th>灯</th><th>措施</th><th>内容</th><th>应完成</th><th>截止日期</th>"
        f"<th>{last}</th>{'<th>进度记录</th>' if every else ''}</tr></thead>"
    )
    rows = []
    for flag in flags:
        s = flag.standing
        due = s.due.isoformat() if s.due else "—"
        if s.until is not None:
            due = f"{s.until.isoformat()}（延期，原 {due}）"
        if s.days_overdue is not None:
            days = f'逾期 {fig("days_overdue", s.days_overdue)} 天'
        elif s.days_left is not None:
            days = f'剩 {fig("days_left", s.days_left)} 天'
        else:
            days = ""
        if every:
            days = (fig("category", s.category) if s.category else "") + (f"（{days}）" if days else "")
        record = ""
        if every:
            record = esc(s.status) + (f" {s.recorded.isoformat()}" if s.recorded else "")
            record = f'<td class="day">{record}</td>'
        duty = _json_attr({"unit": s.unit, "measure": flag.measure_id, "due": _iso(s.due)})
        word = LIGHT_WORDS[s.light] if s.light else "—"
        rows.append(
            f"<tr{attrs(class_=s.light, data_duty=duty, data_light=s.light)}>"
            f'<td class="light">{_lamp(s.light)}{word}</td>'
            f'<td class="num">{esc(flag.measure_id)}</td>'
            f'<td class="text">{esc(flag.text)}</td>'
            f'<td class="what">{esc(flag.what)}</td>'
            f'<td class="day">{esc(due)}</td><td class="days day">{days}</td>{record}</tr>'
        )
    # The first rows stay with the heading when printed: no unit's name alone at a column's foot.
    first, rest = "".join(rows[:3]), "".join(rows[3:])
    body = f'<tbody class="lead">{first}</tbody>' + (f"<tbody>{rest}</tbody>" if rest else "")
    return f'<table class="items">{head}{body}</table>'


def _duties_section(p: Picture) -> str:
    if not p.single:
        return ""
    red_yellow = p.flags[0][1] if p.flags else ()
    every = p.duties
    return (
        "<section><h2>红灯、黄灯事项</h2>"
        + (_flag_table(red_yellow) if red_yellow else '<p class="note">没有红灯、黄灯事项。</p>')
        + f"<h2>{esc(p.scope or '')}的全部节点</h2>"
        + '<p class="note">每个带日期的节点一行（长期推进的措施没有节点，不列出）。</p>'
        + (_flag_table(every, every=True) if every else '<p class="note">没有带日期的节点。</p>')
        + "</section>"
    )


def _footer(p: Picture) -> str:
    return (
        f"<footer>kpzf {esc(p.version)} 生成 · 计划文件：{esc(p.source)} · 数据截至 {p.on.isoformat()}"
        "（进度记录中此日之后的条目不计入）</footer>"
    )
