"""The 督办通知 as words (title, 主送, body, tables, 落款), and those words as Markdown and text.

`notice_words` is the one place the notice's sentences are written; md, txt and docx
(render/notice_docx.py) lay out the same words, so the three never say different things.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..core.lights import RED
from ..core.notice import Notice, NoticeItem
from ..model.resolve import FROM_TEXT
from ..records import record
from .sheets import md_cell, md_table
from .terminal import literal

# No 序号 column: the measure's own label （30） numbers the rows as the 台账 does.
RED_HEADERS = ("措施", "应完成事项", "截止日期", "逾期天数")
YELLOW_HEADERS = ("措施", "应完成事项", "截止日期", "剩余天数")


@record
class NoticeTable:
    caption: str  # 表1  逾期事项（13 项措施、14 个节点）
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@record
class NoticeWords:
    title: str
    addressee: str  # 主送, with its colon: 赤坎镇：
    opening: tuple[str, ...]  # the paragraphs before the tables
    tables: tuple[NoticeTable, ...]
    closing: tuple[str, ...]  # the request to reply, the contact
    signature: str  # 落款
    date: str  # 成文日期: 2024年7月1日


def chinese_date(day: dt.date) -> str:
    """2024年7月1日: GB/T 9704 writes the 成文日期 in Arabic numerals, without leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def _measure_cell(item: NoticeItem) -> str:
    return f"{item.label}{item.name}"


def _what_cell(item: NoticeItem) -> str:
    notes = [item.recurrence] if item.recurrence else []
    if item.source == FROM_TEXT:
        notes.append("见措施原文")
    if item.until is not None:  # the date column shows the approved new date; say so
        notes.append(f"已批准延期，原定{chinese_date(item.due)}")
    elif item.delayed:
        notes.append("已报延期，尚无批准的新日期")
    return item.what + (f"（{'，'.join(notes)}）" if notes else "")


def _days_cell(item: NoticeItem) -> str:
    if item.light == RED:
        return f"{item.days} 天"
    return "今日到期" if item.days == 0 else f"{item.days} 天"


def _rows(items: tuple[NoticeItem, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (_measure_cell(i), _what_cell(i), chinese_date(i.effective), _days_cell(i)) for i in items
    )


def notice_words(notice: Notice) -> NoticeWords:
    """The notice's sentences: what is late, what is due soon, what to send back by when."""
    plan = f"《{notice.plan_title}》" + (f"（{notice.doc_number}）" if notice.doc_number else "")
    red_measures, red_milestones = notice.count(RED)
    yellow = len(notice.yellow)
    # Yellow beyond the window: reported 延期 without a new date (core/lights.py).
    behind = sum(1 for i in notice.yellow if i.days > notice.warn_days)
    soon = yellow - behind
    soon_words = f"{soon} 个节点将在 {notice.warn_days} 天内到期" if soon else ""
    behind_words = f"{behind} 个节点报了延期而没有批准的新日期" if behind else ""
    yellow_words = "、".join(w for w in (soon_words, behind_words) if w)
    tables: list[NoticeTable] = []
    if notice.red:
        tables.append(
            NoticeTable(
                f"表{len(tables) + 1}  逾期未完成事项（{red_measures} 项措施、{red_milestones} 个节点）",
                RED_HEADERS,
                _rows(notice.red),
            )
        )
    if notice.yellow:
        caption = f"{notice.warn_days} 天内到期事项" if not behind else "即将到期或报了延期的事项"
        tables.append(
            NoticeTable(
                f"表{len(tables) + 1}  {caption}（{yellow} 个节点）", YELLOW_HEADERS, _rows(notice.yellow)
            )
        )
    on = chinese_date(notice.on)
    if notice.red:
        title = f"关于抓紧办理{plan_short(notice)}逾期任务的督办通知"
        situation = (
            f"根据{plan}的任务分工，截至{on}，你单位承担的任务中有 {red_measures} 项措施的 "
            f"{red_milestones} 个节点已超过完成时限仍未完成（见表1）"
        )
        if yellow:
            situation += f"，另有 {yellow_words}（见表2）"
        situation += "。现予督办。"
    else:
        title = f"关于按期完成{plan_short(notice)}近期到期任务的督办通知"
        situation = (
            f"根据{plan}的任务分工，截至{on}，你单位承担的任务中有 {yellow_words}（见表1），"
            "请按期完成。"
        )
    request = (
        f"请你单位对照清单逐项抓紧落实，并于{chinese_date(notice.reply_by)}前将办理情况书面报送"
        f"{notice.coordinator}：已完成的，附上佐证材料（文件、文号等）；确实无法按期完成的，"
        "说明原因和计划完成时间，并按程序申请延期。"
    )
    closing = [request]
    if notice.contact:
        closing.append(f"联系人及电话：{notice.contact}")
    return NoticeWords(
        title=title,
        addressee=f"{notice.unit}：",
        opening=(situation,),
        tables=tuple(tables),
        closing=tuple(closing),
        signature=notice.coordinator,
        date=on,
    )


def plan_short(notice: Notice) -> str:
    """The plan as a title names it: 《开平市提升行政执法质量三年行动工作方案》."""
    return f"《{notice.plan_title}》"


def notice_md(notice: Notice) -> str:
    """Markdown: the title as a heading, each table under its caption, 落款 and date last."""
    words = notice_words(notice)
    lines = [f"# {md_cell(words.title)}", "", f"**{md_cell(words.addressee)}**", ""]
    for paragraph in words.opening:
        lines += [md_cell(paragraph), ""]
    for table in words.tables:
        lines += [f"**{md_cell(table.caption)}**", ""]
        lines += md_table(table.headers, table.rows, right=(False, False, False, True))
        lines.append("")
    for paragraph in words.closing:
        lines += [md_cell(paragraph), ""]
    # Two trailing spaces: a Markdown line break, so 落款 and date stay two lines.
    lines += [f"{md_cell(words.signature)}  ", md_cell(words.date)]
    return "\n".join(lines) + "\n"


def notice_txt(notice: Notice) -> str:
    """Plain text for a message or an e-mail: one line per item (chat windows have no fixed-width
    font to align a table in), 落款 and date at the end."""
    words = notice_words(notice)
    lines = [literal(words.title), "", literal(words.addressee)]
    for paragraph in words.opening:
        lines.append("　　" + literal(paragraph))
    for table in words.tables:
        lines += ["", literal(table.caption)]
        for measure, what, due, days in table.rows:
            label = "逾期" if table.headers == RED_HEADERS else "剩余"
            tail = days if days == "今日到期" else f"{label} {days}"
            lines.append(literal(f"{measure}：{what}，截止 {due}，{tail}"))
    lines.append("")
    for paragraph in words.closing:
        lines.append("　　" + literal(paragraph))
    lines += ["", literal(words.signature), literal(words.date)]
    return "\n".join(lines) + "\n"


def _docx(notice: Notice) -> bytes:
    from .notice_docx import notice_docx

    return notice_docx(notice)


def _require_docx() -> None:
    from .notice_docx import require_docx

    require_docx()


@record
class NoticeFormat:
    render: Callable[[Notice], str | bytes]
    binary: bool = False  # refuses standard output: needs --output
    prepare: Callable[[], None] | None = None  # fails early if an optional package is missing


NOTICE_FORMATS: dict[str, NoticeFormat] = {
    "md": NoticeFormat(notice_md),
    "txt": NoticeFormat(notice_txt),
    "docx": NoticeFormat(_docx, binary=True, prepare=_require_docx),
}
# --output's suffix names the format when --format is not given.
SUFFIXES = {".md": "md", ".markdown": "md", ".txt": "txt", ".docx": "docx"}
