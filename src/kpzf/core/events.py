"""Calendar events for the plan's dated milestones: what `kpzf export --format ics` contains."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from ..errors import NothingToExport
from ..model.plan import LoadedPlan
from ..model.progress import current_progress, owing, recorded, status_of
from ..model.resolve import Milestone, ResolvedMeasure
from .labels import IMPLEMENTATION, ONGOING, area_label, is_implementation, task_label

REMINDER_DAYS = 7
_SHORT_TEXT = 16  # characters of the measure text shown in a summary


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event on a milestone's due date, with a reminder REMINDER_DAYS before."""

    uid: str
    due: dt.date
    summary: str
    description: str
    reminder: str


@dataclass(frozen=True)
class Calendar:
    name: str
    stamp: dt.datetime  # DTSTAMP of every event (UTC)
    events: tuple[CalendarEvent, ...]


def calendar(plan: LoadedPlan, on: dt.date, unit: str | None = None) -> Calendar:
    """Every dated milestone (only those that apply to `unit`, if given), progress as of `on`.

    The stamp is `on` at 00:00 UTC rather than the clock, so the same plan and date give the
    same bytes; it still moves forward with each new export, as RFC 5545 expects of DTSTAMP.
    """
    latest = current_progress(plan, on)
    host = _plan_host(plan)
    events: list[tuple[dt.date, int, int, CalendarEvent]] = []
    for measure in plan.measures.values():
        for milestone in measure.milestones:
            if milestone.due is None or (unit is not None and unit not in milestone.units):
                continue
            if unit is None:
                left = plan.registry.in_order(owing(latest, milestone))
                total = len(milestone.units)
                if left:
                    state = f"截至{on}尚未完成（{len(left)}/{total}个单位）：{'、'.join(left)}"
                else:
                    state = f"截至{on}全部{total}个单位已完成"
            else:
                found = recorded(latest, measure.number, unit, milestone.key)
                status = status_of(latest, milestone, unit)
                if found is not None:
                    entry = found.entry
                    status += f"（{entry.date}" + (f"，{entry.note}" if entry.note else "") + "）"
                state = f"截至{on}{unit}的进度：{status}"
            event = _event(measure, milestone, state, host)
            events.append((milestone.due, measure.number, milestone.index, event))
    events.sort(key=lambda e: e[:3])
    meta = plan.model.meta
    name = f"{meta.doc_number} 任务节点" + (f"（{unit}）" if unit else "")
    stamp = dt.datetime(on.year, on.month, on.day, tzinfo=dt.timezone.utc)
    return Calendar(name, stamp, tuple(e[3] for e in events))


def calendar_to_export(plan: LoadedPlan, on: dt.date, unit: str | None = None) -> Calendar:
    """The calendar `export --format ics` writes; RFC 5545 requires at least one component,
    so an empty VCALENDAR (a unit whose measures are all 长期推进) is refused, not written."""
    result = calendar(plan, on, unit)
    if not result.events:
        raise NothingToExport(
            f"{unit or '计划'}没有带截止日期的节点，无法生成日历",
            hint=f"没有日期的措施（如“{ONGOING}”）不生成日程；可用 --format md 查看承担的措施",
        )
    return result


def _plan_host(plan: LoadedPlan) -> str:
    """The UID domain: fixed per plan (its 文号), so two plans' measure 18 never collide."""
    digest = hashlib.sha256(plan.model.meta.doc_number.encode("utf-8")).hexdigest()[:10]
    return f"{digest}.kpzf"


def milestone_uid(measure: ResolvedMeasure, milestone: Milestone, host: str) -> str:
    """kpzf-m18-2024-05-31@….kpzf: measure and due date, so re-imports update, not duplicate.

    Only when one measure has two milestones on the same day does the text of `what` join in.
    """
    uid = f"kpzf-m{measure.number}-{milestone.key}"
    same_day = [m for m in measure.milestones if m.due == milestone.due]
    if len(same_day) > 1:
        uid += "-" + hashlib.sha256(milestone.what.encode("utf-8")).hexdigest()[:8]
    return f"{uid}@{host}"


def _short(text: str) -> str:
    text = text.strip().rstrip("。；;，,")
    return text if len(text) <= _SHORT_TEXT else text[:_SHORT_TEXT] + "…"


def _event(measure: ResolvedMeasure, milestone: Milestone, state: str, host: str) -> CalendarEvent:
    assert milestone.due is not None
    if is_implementation(measure):
        name, where = f"{IMPLEMENTATION}（{measure.number}）", [f"方案“{IMPLEMENTATION}”部分"]
    else:
        name = f"措施{measure.number}"
        where = [f"重点任务：{area_label(measure)}", f"具体任务：{task_label(measure)}"]
    summary = f"{name} 到期：{milestone.what}（{_short(measure.text)}）"
    applies = ""
    if milestone.unit_refs is not None:
        applies = f"（适用于：{'、'.join(milestone.unit_refs)}）"
    recurrence = f"（{milestone.recurrence}）" if milestone.recurrence else ""
    description = "\n".join(
        [
            f"（{measure.number}）{measure.text}",
            *where,
            f"责任单位：{measure.units_text}",
            f"完成时限：{measure.deadline}",
            f"本节点：{milestone.due}前{milestone.what}{recurrence}{applies}",
            state,
        ]
    )
    return CalendarEvent(
        uid=milestone_uid(measure, milestone, host),
        due=milestone.due,
        summary=summary,
        description=description,
        reminder=f"{name}还有{REMINDER_DAYS}天到期（{milestone.due}）：{milestone.what}",
    )
