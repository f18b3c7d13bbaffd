"""Formatters for `kpzf diff`: a Rich table report, Markdown for a pull-request comment, and JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from ..core.diff import (
    ADDED,
    EARLIER,
    LATER,
    REMOVED,
    REWORDED,
    MilestoneChange,
    MilestoneState,
    PlanDiff,
)
from ..model.progress import ProgressRow
from ..model.resolve import ResolvedMeasure
from .jsonforms import diff_json
from .sheets import Column, Sheet, md_table
from .terminal import literal

MILESTONE_TITLES = {
    LATER: "完成时限推后（延期）",
    EARLIER: "完成时限提前",
    REWORDED: "节点内容或适用单位改动（日期未变）",
    REMOVED: "删除的节点",
    ADDED: "新增的节点",
}
PROGRESS_REMOVED_TITLE = "被删除或改写的进度记录（进度记录只应追加，请核实）"
META_NAMES = {
    "title": "方案标题",
    "doc_number": "文号",
    "issuer": "发文机关",
    "issued": "印发日期",
    "published": "发布日期",
    "period.start": "实施期开始",
    "period.end": "实施期结束",
    "parents": "上级文件",
}
NO_CHANGE = "没有实质性变化"
_WARNINGS = (MILESTONE_TITLES[LATER], PROGRESS_REMOVED_TITLE)  # what a reviewer must not miss


# --------------------------------------------------------------------------- words shared by all


def summary(d: PlanDiff) -> str:
    """The line for stderr: which plans, what kinds of change and how many."""
    return f"{d.old} → {d.new}：{change_counts(d)}"


def change_counts(d: PlanDiff) -> str:
    """"1 个节点推后，1 项措施改动", or that nothing changed."""
    counts = [
        (len(d.milestones_of(LATER)), "个节点推后"),
        (len(d.milestones_of(EARLIER)), "个节点提前"),
        (len(d.milestones_of(REWORDED)), "个节点改动"),
        (len(d.milestones_of(REMOVED)), "个节点删除"),
        (len(d.milestones_of(ADDED)), "个节点新增"),
        (len(d.measures_added), "项措施新增"),
        (len(d.measures_removed), "项措施删除"),
        (len(d.measures_changed), "项措施改动"),
        (len(d.units_added), "个单位新增"),
        (len(d.units_removed), "个单位删除"),
        (len(d.groups_added) + len(d.groups_removed) + len(d.groups_changed), "个单位组变化"),
        (len(d.progress_added), "条进度记录新增"),
        (len(d.progress_removed), "条进度记录被删除或改写"),
        (len(d.meta), "项方案信息改动"),
    ]
    return "，".join(f"{n} {what}" for n, what in counts if n) or NO_CHANGE


def _days(change: MilestoneChange) -> str:
    days = change.days
    return "" if days is None else f"{days:+d} 天"


def _due(state: MilestoneState | None) -> str:
    if state is None:
        return ""
    return state.due.isoformat() if state.due else "（无日期）"


def _work(state: MilestoneState | None) -> str:
    if state is None:
        return ""
    return state.what + (f"（{'、'.join(state.units)}）" if state.units else "")


def _what(change: MilestoneChange) -> str:
    """The milestone's work; both wordings when it changed."""
    before, after = _work(change.old), _work(change.new)
    if not before or not after or before == after:
        return after or before
    return f"{before} → {after}"


def _progress_cells(row: ProgressRow) -> list[str]:
    return [str(row.measure), row.unit, row.milestone or "", row.status, row.date, row.note]


PROGRESS_HEADERS = ["措施", "单位", "节点", "状态", "日期", "说明"]
MEASURE_HEADERS = ["措施", "主要措施", "责任单位", "完成时限"]


def _measure_cells(m: ResolvedMeasure) -> list[str]:
    return [str(m.number), m.text, m.units_text, m.deadline]


def _sections(d: PlanDiff) -> list[tuple[str, list[str], list[list[str]]]]:
    """The report as (title, column headings, rows), in reading order; empty sections left out."""
    sections: list[tuple[str, list[str], list[list[str]]]] = []

    def add(title: str, headers: list[str], rows: list[list[str]]) -> None:
        if rows:
            sections.append((title, headers, rows))

    for kind in (LATER, EARLIER):
        add(
            MILESTONE_TITLES[kind],
            ["措施", "节点", "原时限", "新时限", "推后" if kind == LATER else "提前"],
            [[str(c.measure), _what(c), _due(c.old), _due(c.new), _days(c)] for c in d.milestones_of(kind)],
        )
    add(
        MILESTONE_TITLES[REWORDED],
        ["措施", "时限", "原节点", "新节点"],
        [[str(c.measure), _due(c.new), _work(c.old), _work(c.new)] for c in d.milestones_of(REWORDED)],
    )
    for kind, side in ((REMOVED, "old"), (ADDED, "new")):
        add(
            MILESTONE_TITLES[kind],
            ["措施", "时限", "节点"],
            [
                [str(c.measure), _due(getattr(c, side)), _work(getattr(c, side))]
                for c in d.milestones_of(kind)
            ],
        )
    add("新增的措施", MEASURE_HEADERS, [_measure_cells(m) for m in d.measures_added])
    add("删除的措施", MEASURE_HEADERS, [_measure_cells(m) for m in d.measures_removed])
    rows = []
    for c in d.measures_changed:
        n = str(c.number)
        if c.units_removed:
            rows.append([n, "责任单位减少", "、".join(c.units_removed), ""])
        if c.units_added:
            rows.append([n, "责任单位增加", "", "、".join(c.units_added)])
        if c.units_text:
            rows.append([n, "责任单位（原文）", *c.units_text])
        if c.deadline:
            rows.append([n, "完成时限（原文）", *c.deadline])
        if c.text:
            rows.append([n, "措施文字", *c.text])
    add("改动的措施", ["措施", "改动", "原", "新"], rows)
    add(
        "单位名录",
        ["变化", "单位"],
        [["新增", u] for u in d.units_added] + [["删除", u] for u in d.units_removed],
    )
    group_rows = [[g, "新增的组", ""] for g in d.groups_added]
    group_rows += [[g, "删除的组", ""] for g in d.groups_removed]
    for g in d.groups_changed:
        if g.added:
            group_rows.append([g.name, "新增成员", "、".join(g.added)])
        if g.removed:
            group_rows.append([g.name, "移出成员", "、".join(g.removed)])
    add("单位组", ["组", "变化", "单位"], group_rows)
    add("新增的进度记录", PROGRESS_HEADERS, [_progress_cells(r) for r in d.progress_added])
    add(PROGRESS_REMOVED_TITLE, PROGRESS_HEADERS, [_progress_cells(r) for r in d.progress_removed])
    add("方案信息", ["字段", "原", "新"], [[META_NAMES[m.field], m.old, m.new] for m in d.meta])
    return sections


# --------------------------------------------------------------------------- formats


def rich_tables(sheets: Sequence[Sheet]) -> list[Any]:
    """The change report as boxed Rich tables, every cell's border drawn; the only Rich table
    builder (query answers are laid out by render.layout). `emit` prints what it returns."""
    from rich import box
    from rich.table import Table

    from .terminal import literal_text

    tables = []
    for sheet in sheets:
        table = Table(
            title=literal_text(sheet.title or ""),
            box=box.HEAVY_HEAD,
            title_justify="left",
            title_style=sheet.title_style,
            header_style="bold",
            pad_edge=True,
        )
        for column in sheet.columns:
            cut = column.max_width is not None
            table.add_column(
                literal_text(column.header),
                justify="right" if column.justify == "right" else "left",
                max_width=column.max_width,
                no_wrap=cut or column.wrap == "none",
                overflow="ellipsis" if cut else "fold",
            )
        for row in sheet.rows:
            table.add_row(*(literal_text(cell) for cell in row))  # data is never markup
        if not sheet.rows:
            table.caption, table.caption_justify = sheet.empty, "left"
        tables.append(table)
    return tables


def _sheets(d: PlanDiff) -> list[Sheet]:
    return [
        Sheet(
            tuple(Column(h, wrap="none" if h in ("措施", "推后", "提前") else "text") for h in headers),
            rows,
            title=title,
            title_style="bold red" if title in _WARNINGS else "bold",
        )
        for title, headers, rows in _sections(d)
    ]


def diff_table(d: PlanDiff) -> Any:
    """Rich tables, one per kind of change (a renderable; the command prints it)."""
    from rich.console import Group

    from .terminal import literal_text

    tables = rich_tables(_sheets(d))
    if not tables:
        return ""  # the summary on stderr says so; nothing to tabulate
    return Group(literal_text(f"{d.old} → {d.new}"), *tables)


def diff_markdown(d: PlanDiff) -> str:
    """A pull-request comment: summary first, then one table per kind of change."""
    lines = [f"### kpzf diff：`{literal(d.old)}` → `{literal(d.new)}`", "", change_counts(d), ""]
    for title, headers, rows in _sections(d):
        warn = "⚠️ " if title in _WARNINGS else ""
        lines += [f"#### {warn}{literal(title)}", "", *md_table(headers, rows, blank=" "), ""]
    return "\n".join(lines)


def diff_text(d: PlanDiff) -> str:
    return json.dumps(diff_json(d), ensure_ascii=False, indent=2) + "\n"


DIFF_FORMATS: dict[str, Callable[[PlanDiff], Any]] = {
    "table": diff_table,
    "md": diff_markdown,
    "json": diff_text,
}
