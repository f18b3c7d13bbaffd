"""Query results as Views: the sheets every format prints, the JSON shapes, the one-line summaries.

The JSON keys here are the documented interface (README, "## 命令"); add keys, never rename.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..core.labels import IMPLEMENTATION, ONGOING, UNDATED
from ..core.lights import LIGHT_WORDS
from ..core.queries import (
    OVERDUE,
    DueRow,
    Duty,
    UnitDuties,
    UnitListing,
    shift,
    summarize_due,
)
from ..model.resolve import FROM_DEADLINE, FROM_TEXT
from ..model.roles import RESPONSIBLE, ROLE_WORD
from .jsonforms import (
    due_row_json,
    listing_json,
    measure_detail_json,
    report_json,
    unit_duties_json,
)
from .sheets import Column, Sheet, View

if TYPE_CHECKING:  # only named in signatures
    from ..core.report import Report, ReportRow
    from ..core.show import MeasureDetail

SEP = "、"
TEXT_WIDTH = 28  # table cells cut long measure texts; csv, md and json keep them whole
PHRASE_WIDTH = 14  # what a milestone owes (形成阶段性成果, 完成（每年）) on one line where it can


def _what(row_what: str, recurrence: str | None, source: str = FROM_DEADLINE) -> str:
    """What is due, with its recurrence and, for a date stated only in the measure's text, so."""
    notes = ([recurrence] if recurrence else []) + (["见措施原文"] if source == FROM_TEXT else [])
    return f"{row_what}（{'，'.join(notes)}）" if notes else row_what


LIGHT_HEADER = "亮灯"


def light_word(light: str | None) -> str:
    """A light as tables, csv and md print it (红灯, 黄灯, 绿灯; nothing for no light). The
    terminal colours these words (render.sheets); without colour they read the same."""
    return LIGHT_WORDS.get(light, "") if light else ""


def _light_column() -> Column:
    return Column(LIGHT_HEADER, wrap="none")


def _due_what(r: DueRow) -> str:
    """What is due; for units granted a new date, that it is extended and from which date."""
    what = _what(r.what, r.recurrence, r.source)
    return what if r.until is None else f"{what}（延期，原定 {r.due.isoformat()}）"


def _filters(unit: str | None, area: int | None) -> str:
    parts = ([f"单位：{unit}"] if unit else []) + ([f"重点任务 {area}"] if area else [])
    return f"（{'，'.join(parts)}）" if parts else ""


# --------------------------------------------------------------------------- overdue / upcoming


def _due_sheet(rows: Sequence[DueRow], days_header: str, grouped: bool) -> Sheet:
    columns: tuple[Column, ...] = (
        Column("措施", "right"),
        _light_column(),
        Column("截止日期", wrap="none"),
        Column("应完成", min_width=PHRASE_WIDTH),
        Column(days_header, "right"),
        Column("未完成/适用", "right"),
        Column("尚未完成的单位", wrap="list"),
    )
    body: list[tuple[str, ...]] = [
        (
            r.measure_id or str(r.measure),
            light_word(r.light),
            r.effective.isoformat(),
            _due_what(r),
            str(r.days),
            f"{len(r.units)}/{r.units_total}",
            SEP.join(r.units_grouped if grouped else r.units),
        )
        for r in rows
    ]
    if any(r.assist for r in rows):  # a plan with 配合 units: list them, they do not owe the row
        columns += (Column("配合单位", wrap="list"),)
        body = [(*line, SEP.join(r.assist)) for line, r in zip(body, rows, strict=True)]
    return Sheet(columns, body)


def light_last(sheet: Sheet) -> Sheet:
    """The sheet for csv: the 亮灯 column (second in tables, beside the measure) moved to the
    end, so that the columns spreadsheets refer to keep their places."""
    at = next((i for i, c in enumerate(sheet.columns) if c.header == LIGHT_HEADER), None)
    if at is None:
        return sheet
    order = [i for i in range(len(sheet.columns)) if i != at] + [at]
    return Sheet(
        tuple(sheet.columns[i] for i in order),
        [tuple(row[i] for i in order) for row in sheet.rows],
        sheet.title,
        sheet.empty,
        sheet.title_style,
    )


def _due_view(rows: Sequence[DueRow], days_header: str, days_key: str, summary: str) -> View:
    # Tables say "各镇（街）" for fifteen towns; the csv (for Excel filters) names every unit.
    return View(
        sheets=(_due_sheet(rows, days_header, True),),
        data=[due_row_json(r, days_key) for r in rows],
        summary=summary,
        csv=light_last(_due_sheet(rows, days_header, False)),
    )


def overdue_view(rows: list[DueRow], on: dt.date, unit: str | None, area: int | None) -> View:
    milestones, measures, owing = summarize_due(rows)
    if rows:
        summary = (
            f"截至 {on}{_filters(unit, area)}：逾期节点 {milestones} 个，涉及措施 {measures} 项、"
            f"单位次 {owing} 个；最久逾期 {rows[0].days} 天"
        )
    else:
        summary = f"截至 {on}{_filters(unit, area)}：没有逾期事项"
    return _due_view(rows, "逾期天数", "days_overdue", summary)


def upcoming_view(
    rows: list[DueRow], on: dt.date, days: int, unit: str | None, area: int | None
) -> View:
    end = shift(on, days)
    milestones, measures, owing = summarize_due(rows)
    span = f"{on} 至 {end}（{days} 天）{_filters(unit, area)}"
    summary = (
        f"{span}到期节点 {milestones} 个，涉及措施 {measures} 项、单位次 {owing} 个"
        if rows
        else f"{span}没有到期的未完成节点"
    )
    return _due_view(rows, "剩余天数", "days_left", summary)


# --------------------------------------------------------------------------- unit


def _duty_row(d: Duty, group: bool) -> tuple[str, ...]:
    shown = d.next or (d.milestones[-1] if d.milestones else None)
    days = ""
    if shown is not None and shown.days_overdue is not None:
        days = f"逾期 {shown.days_overdue} 天"
    elif shown is not None and shown.days_left is not None:
        days = f"还有 {shown.days_left} 天"
    row = [
        d.measure_id or str(d.measure),
        light_word(d.light),
        d.text,
        d.via or "直接点名",
        ROLE_WORD[d.role],
        "—" if shown is None else _what(shown.what, shown.recurrence, shown.source),
        "—" if shown is None or shown.due is None else _duty_due(shown.due, shown.until),
        d.status,
        days,
    ]
    if group:
        if shown is None:
            row.append("")
        elif len(shown.owing) == len(shown.units):
            row.append(f"全部 {len(shown.units)} 个")
        else:
            row.append(f"{len(shown.owing)}/{len(shown.units)}：{SEP.join(shown.owing_grouped)}")
    return tuple(row)


def _duty_due(due: dt.date, until: dt.date | None) -> str:
    """The date a unit is judged against; an extended one says so (原定 is kept)."""
    return due.isoformat() if until is None else f"{until}（延期，原定 {due}）"


def unit_view(result: UnitDuties) -> View:
    group = result.is_group
    columns = [
        Column("措施", "right"),
        _light_column(),
        Column("措施内容", max_width=TEXT_WIDTH),
        Column("经由单位组" if not group else "点名本组"),
        Column("角色", wrap="none"),
        Column("待完成节点", min_width=PHRASE_WIDTH),
        Column("截止日期"),
        Column("状态", wrap="none"),
        Column("期限", wrap="none"),
    ]
    if group:
        columns.append(Column("未完成单位", wrap="list"))
    title = (
        f"{result.unit}（{len(result.members)} 个单位）应承担的措施"
        if group
        else f"{result.unit} 应承担的措施"
        + (f"（所属单位组：{SEP.join(result.groups)}）" if result.groups else "")
    )
    sheet = Sheet(tuple(columns), [_duty_row(d, group) for d in result.duties], title=title)
    duties = result.duties
    late = sum(d.overdue for d in duties)
    done = sum(d.next is None and bool(d.milestones) for d in duties)
    ongoing = sum(not d.milestones and d.ongoing for d in duties)
    no_date = sum(not d.milestones and not d.ongoing for d in duties)  # no 完成时限 at all
    direct = sum(d.via is None for d in duties)
    how = (
        f"点名本组 {len(duties) - direct} 项"
        if group
        else f"直接点名 {direct} 项、经单位组 {len(duties) - direct} 项"
    )
    summary = (
        f"{result.unit}（截至 {result.on}）：承担措施 {len(duties)} 项（{how}），"
        f"逾期 {late} 项，已完成 {done} 项，{ONGOING} {ongoing} 项"
        + (f"，{UNDATED} {no_date} 项" if no_date else "")
    )
    data = unit_duties_json(result)
    return View((sheet,), data, summary, csv=light_last(sheet))


# --------------------------------------------------------------------------- units


def units_view(listing: UnitListing) -> View:
    units = Sheet(
        (
            Column("单位"),
            Column("别名", wrap="list"),
            Column("区划代码", wrap="none"),
            Column("所属单位组", wrap="list"),
            Column("承担措施", "right"),
        ),
        [
            (u.name, SEP.join(u.aliases), u.code or "", SEP.join(u.groups), str(u.measures))
            for u in listing.units
        ],
        title="单位",
    )
    groups = Sheet(
        (
            Column("单位组"),
            Column("别名", wrap="list"),
            Column("成员", wrap="list"),
            Column("排除", wrap="list"),
            Column("单位数", "right"),
            Column("点名本组的措施", "right"),
        ),
        [
            (
                g.name,
                SEP.join(g.aliases),
                SEP.join(g.members),
                SEP.join(g.exclude),
                str(len(g.units)),
                str(g.measures),
            )
            for g in listing.groups
        ],
        title="单位组",
    )
    data = listing_json(listing)
    summary = f"{len(listing.units)} 个单位，{len(listing.groups)} 个单位组"
    return View((units, groups), data, summary)


# --------------------------------------------------------------------------- show


def _milestone_state(complete: bool, overdue: bool, days: int | None, due: dt.date | None) -> str:
    if due is None:
        return ONGOING
    if complete:
        return "已完成"
    return f"{OVERDUE} {days} 天" if overdue else "未到期"


def show_view(detail: MeasureDetail) -> View:
    m = detail.measure
    # Each level as the plan names it; Kaiping's read "重点任务 2 全面…", its ordinal first.
    where = (
        [(h.level, f"{h.ordinal} {h.title}") for h in m.trail]
        if m.trail
        else [("部分", IMPLEMENTATION)]
    )
    info = Sheet(
        (Column("项目", wrap="none"), Column("内容")),
        [
            ("措施", m.id),
            *where,
            ("内容", m.text),
            ("责任单位", m.units_text),
            ("完成时限", m.deadline),
            ("单位数", str(len(detail.units))),
        ],
        title=f"措施 {m.number}（截至 {detail.on}）",
    )
    milestones = Sheet(
        (
            Column("节点", "right"),
            _light_column(),
            Column("截止日期", wrap="none"),
            Column("应完成", min_width=PHRASE_WIDTH),
            Column("状态", wrap="none"),
            Column("已完成/适用", "right"),
            Column("尚未完成的单位", wrap="list"),
        ),
        [
            (
                str(d.index) if d.index else "—",
                light_word(d.light),
                d.due.isoformat() if d.due else "—",
                _what(d.what, d.recurrence, d.source),
                _milestone_state(d.complete, d.overdue, d.days_overdue, d.due),
                f"{len(d.owed) - len(d.owing)}/{len(d.owed)}",  # owers only: 配合 units help
                SEP.join(d.owing_grouped),
            )
            for d in detail.milestones
        ],
        title="节点",
    )
    by_unit = {(i, s.unit): s for i, d in enumerate(detail.milestones) for s in d.statuses}
    roles = [m.role_of(unit) for unit, _ in detail.units]
    with_roles = any(r != RESPONSIBLE for r in roles)  # a plan with 牵头/配合: say who is who
    heads = [d.due.isoformat() if d.due else ONGOING for d in detail.milestones]
    grid_columns = (
        Column("单位"),
        Column("经由单位组"),
        *((Column("角色", wrap="none"),) if with_roles else ()),
        *(Column(head) for head in heads),
    )
    lines = [
        (
            unit,
            via or "直接点名",
            *((ROLE_WORD[role],) if with_roles else ()),
        )
        for (unit, via), role in zip(detail.units, roles, strict=True)
    ]
    cells = [[by_unit.get((i, unit)) for i in range(len(detail.milestones))] for unit, _ in detail.units]
    grid = Sheet(
        grid_columns,
        [(*line, *(_status_cell(c) for c in row)) for line, row in zip(lines, cells, strict=True)],
        title="各单位进度（各节点的现行状态）",
    )
    # csv: the statuses as before, each milestone's light in a column of its own at the end.
    grid_csv = Sheet(
        (*grid_columns, *(Column(f"{head} {LIGHT_HEADER}") for head in heads)),
        [
            (
                *line,
                *(_status_cell(c, lit=False) for c in row),
                *("" if c is None else light_word(c.light) for c in row),
            )
            for line, row in zip(lines, cells, strict=True)
        ],
    )
    history = Sheet(
        (
            Column("记录", "right"),
            Column("日期", wrap="none"),
            Column("单位"),
            Column("节点", wrap="none"),
            Column("状态", wrap="none"),
            Column("说明"),
            Column("效力"),
        ),
        [
            (
                str(h.index + 1),
                h.date.isoformat(),
                h.unit,
                h.milestone or "—",
                h.status + (f"（至 {h.until}）" if h.until else ""),
                h.note,
                "现行" if h.current else "已被后一条取代",
            )
            for h in detail.history
        ],
        title="进度记录（按记录顺序）",
        empty="（尚无进度记录）",
    )
    chased = Sheet(
        (Column("日期", wrap="none"), Column("单位"), Column("说明")),
        [(c.date.isoformat(), c.unit, c.note) for c in detail.notices],
        title="催办记录（督办通知）",
        empty="（尚无催办记录）",
    )
    data = measure_detail_json(detail)
    dated = [d for d in detail.milestones if d.due is not None]
    late = [d for d in dated if d.overdue]
    summary = (
        f"措施 {m.number}（截至 {detail.on}）：{len(detail.units)} 个责任单位，"
        f"节点 {len(dated)} 个（已完成 {sum(d.complete for d in dated)} 个，逾期 {len(late)} 个），"
        f"进度记录 {len(detail.history)} 条"
        + (f"，催办 {len(detail.notices)} 次" if detail.notices else "")
    )
    return View((info, milestones, grid, history, chased), data, summary, csv=grid_csv)


def _status_cell(status: Any, lit: bool = True) -> str:
    """A unit's status on a milestone: 红灯 未开始, 黄灯 延期 2024-06-25（延期至 2024-09-30）;
    without the light word for csv, whose light columns come last."""
    if status is None:
        return "—"  # the milestone does not apply to this unit (e.g. measure 39)
    text = f"{status.status} {status.date}" if status.date else status.status
    if status.until is not None:
        text += f"（延期至 {status.until}）"
    word = light_word(status.light) if lit else ""
    return f"{word} {text}" if word else text


# --------------------------------------------------------------------------- report


def _rate_text(row: ReportRow) -> str:
    return _percent(row.rate)


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


REPORT_HEADERS = {"unit": "单位", "area": "重点任务", "task": "具体任务"}


def report_view(result: Report) -> View:
    def name(row: ReportRow) -> str:
        if result.by == "unit" or row.key is None:
            return row.label
        return f"{row.key} {row.label}"

    heading = result.heading or REPORT_HEADERS[result.by]
    columns = (
        Column(heading),
        Column("节点义务", "right"),
        Column("已到期", "right"),
        Column("已完成", "right"),
        Column("推进中", "right"),
        Column("逾期", "right"),
        Column("未到期", "right"),
        Column("不适用", "right"),
        Column("完成率", "right"),
    )
    every = (*result.rows, result.total)
    rows = [
        (
            name(r),
            str(r.obligations),
            str(r.due),
            str(r.completed),
            str(r.in_progress),
            str(r.overdue),
            str(r.not_due),
            str(r.not_applicable),
            _rate_text(r),
        )
        for r in every
    ]
    order = "，按通报顺序" if result.ranked else ""
    within = f"，只计{result.unit}" if result.unit else ""
    sheet = Sheet(
        columns, rows, title=f"进度统计（截至 {result.on}，按{heading}{order}{within}）"
    )
    # 督办: a table of its own (the progress table keeps its columns and fits 80 columns); with
    # --rank it comes first, with the 名次, as the 通报 reads. csv has room: its columns follow.
    ranks = (Column("名次", "right"),) if result.ranked else ()
    duban = Sheet(
        (*ranks, Column(heading), *_SUPERVISION_COLUMNS),
        [
            ((str(r.rank) if r.rank else "",) if result.ranked else ()) + (name(r), *_supervision_cells(r))
            for r in every
        ],
        title=f"督办统计（截至 {result.on}，按{heading}{order}{within}）",
    )
    csv = Sheet(
        (*columns, *_SUPERVISION_COLUMNS, *ranks),
        [
            (*line, *_supervision_cells(r), *((str(r.rank) if r.rank else "",) if result.ranked else ()))
            for line, r in zip(rows, every, strict=True)
        ],
    )
    sheets = [duban, sheet] if result.ranked else [sheet, duban]
    if result.assessments:
        sheets.append(
            Sheet(
                (
                    Column("评估", "right"),
                    Column("事项", min_width=PHRASE_WIDTH // 2),
                    Column("截止日期", wrap="none"),
                    Column("统计截至", wrap="none"),
                    Column("到期义务", "right"),
                    Column("按期完成", "right"),
                    Column("按期完成率", "right"),
                    Column("逾期", "right"),
                    Column("延期", "right"),
                ),
                [
                    (
                        str(a.measure_id or a.measure),
                        a.what,
                        a.due.isoformat(),
                        a.on.isoformat(),
                        str(a.total.assessed),
                        str(a.total.on_time),
                        _percent(a.total.on_time_rate),
                        str(a.total.overdue),
                        str(a.total.extended),
                    )
                    for a in result.assessments
                ],
                title="评估事项所需合计（截至其截止日期）",
            )
        )
    t = result.total
    summary = (
        f"截至 {result.on}：已到期 {t.due} 项次，已完成 {t.completed_due} 项次，逾期 {t.overdue} 项次，"
        f"完成率 {_rate_text(t)}（另有未到期 {t.obligations - t.due} 项次，其中已完成 "
        f"{t.completed - t.completed_due} 项次）"
    )
    data = report_json(result)
    return View(tuple(sheets), data, summary, csv=csv)


# 督办 figures (core/report.py): 按期完成 among the obligations due by their original date, the
# rate, extensions in force, the longest overdue.
_SUPERVISION_COLUMNS = (
    Column("逾期", "right"),
    Column("到期义务", "right"),
    Column("按期完成", "right"),
    Column("按期完成率", "right"),
    Column("延期", "right"),
    Column("延期完成", "right"),
    Column("最久逾期天数", "right"),
)


def _supervision_cells(row: ReportRow) -> tuple[str, ...]:
    return (
        str(row.overdue),
        str(row.assessed),
        str(row.on_time),
        _percent(row.on_time_rate),
        str(row.extended),
        str(row.extended_done),
        "—" if row.longest_overdue is None else str(row.longest_overdue),
    )
