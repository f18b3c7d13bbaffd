"""Calendar events for the plan's dated milestones: what `kpzf export --format ics` contains."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from ..errors import NothingToExport
from ..model.plan import LoadedPlan
from ..model.progress import current_progress, owing, recorded, status_of
from ..model.resolve import FROM_TEXT, Milestone, ResolvedMeasure
from ..records import record
from .labels import IMPLEMENTATION, ONGOING, is_implementation

REMINDER_DAYS = 7
# An all-day event starts at local midnight; its alarms fire at this hour (local time), a week
# before and on the day, when people are at work to act on them.
REMINDER_HOUR = 9
_SHORT_NAME = 14  # characters of a measure's short name in an event title
GENERIC_WHAT = "完成"  # what a bare deadline ("2024年12月底前") owes: says nothing by itself
# Leading clauses that set the context rather than say what the measure does.
_CONTEXT = re.compile(r"^(根据|按照|依照|依据|结合|围绕|依托|对照|通过|在.*(基础上|前提下|过程中))")
_SUBJECT = re.compile(r"^.{2,16}?(?:要|应当|须)(?:会同相关部门)?")


@record
class Alarm:
    """A reminder: `before` days ahead of the due day (0 = on the day), at REMINDER_HOUR."""

    before: int
    text: str


@record
class CalendarEvent:
    """One all-day event on a milestone's due date, with reminders a week before and on the day."""

    uid: str
    due: dt.date
    summary: str
    description: str
    alarms: tuple[Alarm, ...]


@record
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
    name = f"{meta.doc_number or meta.key or meta.title} 任务节点" + (f"（{unit}）" if unit else "")
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
    """The UID domain: fixed per plan, so two plans' measure 18 never collide.

    From the plan's key where it declares one (a 文号 may be missing or corrected later), else
    its 文号 (what earlier versions used: calendars already imported keep their events), else
    its title.
    """
    meta = plan.model.meta
    seed = meta.key or meta.doc_number or meta.title
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:10]
    return f"{digest}.kpzf"


def milestone_uid(measure: ResolvedMeasure, milestone: Milestone, host: str) -> str:
    """kpzf-m18-2024-05-31@….kpzf: measure and due date, so re-imports update, not duplicate.

    Only when one measure has two milestones on the same day does the text of `what` join in.
    """
    uid = f"kpzf-m{measure.id}-{milestone.key}"
    same_day = [m for m in measure.milestones if m.due == milestone.due]
    if len(same_day) > 1:
        uid += "-" + hashlib.sha256(milestone.what.encode("utf-8")).hexdigest()[:8]
    return f"{uid}@{host}"


def short_name(text: str) -> str:
    """A measure's short name for a title: its first clause that says what is done, without the
    context (根据…, 在…的基础上) and the subject (各行政执法单位要…), cut to _SHORT_NAME characters."""
    clauses = [c.strip() for c in re.split(r"[，。；：,;:]", text) if c.strip()]
    if not clauses:
        return ""
    pick = next((c for c in clauses if not _CONTEXT.match(c)), clauses[0])
    subject = _SUBJECT.match(pick)
    if subject and len(pick) > subject.end():
        pick = pick[subject.end() :]
    return pick if len(pick) <= _SHORT_NAME else pick[:_SHORT_NAME] + "…"


def milestone_title(measure: ResolvedMeasure, milestone: Milestone) -> str:
    """措施30 完成本单位行政处罚、行政许可…：报送市司法局 — the words a phone's month view shows.

    The measure's number and short name, then what is due; a bare 完成 says by which day, and a
    milestone that binds only some units names them (measure 39 has two).
    """
    assert milestone.due is not None
    if is_implementation(measure):
        name = f"{IMPLEMENTATION}（{measure.number}）"
    else:
        name = f"措施{measure.number} {short_name(measure.text)}"
    what = milestone.what
    if what == GENERIC_WHAT:
        what = f"{milestone.due.month}月{milestone.due.day}日前完成"
    notes = [milestone.recurrence] if milestone.recurrence else []
    if milestone.unit_refs is not None:
        notes.append("、".join(milestone.unit_refs))
    return f"{name}：{what}" + (f"（{'；'.join(notes)}）" if notes else "")


def _event(measure: ResolvedMeasure, milestone: Milestone, state: str, host: str) -> CalendarEvent:
    assert milestone.due is not None
    if is_implementation(measure):
        where = [f"方案“{IMPLEMENTATION}”部分"]
    else:
        where = [f"{heading.level}：{heading.text}" for heading in measure.trail]
    applies = ""
    if milestone.unit_refs is not None:
        applies = f"（适用于：{'、'.join(milestone.unit_refs)}）"
    recurrence = f"（{milestone.recurrence}）" if milestone.recurrence else ""
    stated = "（时限见措施原文，完成时限栏未写）" if milestone.source == FROM_TEXT else ""
    description = "\n".join(
        [
            measure.labelled_text,
            *where,
            f"责任单位：{measure.units_text}",
            f"完成时限：{measure.deadline}",
            f"本节点：{milestone.due}前{milestone.what}{recurrence}{applies}{stated}",
            state,
        ]
    )
    title = milestone_title(measure, milestone)
    return CalendarEvent(
        uid=milestone_uid(measure, milestone, host),
        due=milestone.due,
        summary=title,
        description=description,
        alarms=(
            Alarm(REMINDER_DAYS, f"还有{REMINDER_DAYS}天到期（{milestone.due}）：{title}"),
            Alarm(0, f"今天到期：{title}"),
        ),
    )
