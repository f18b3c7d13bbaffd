"""iCalendar (RFC 5545) text for calendar events, written by hand: CRLF, 75-octet folding, escaping.

Small enough not to need a dependency; the tests read the output back with the `icalendar`
package to hold it to the RFC.
"""

from __future__ import annotations

import datetime as dt

from ..core.events import REMINDER_HOUR, Alarm, Calendar, CalendarEvent

PRODID = "-//kpzf//kpzf plan.yaml export//ZH"
CRLF = "\r\n"
MAX_OCTETS = 75  # per line, excluding the CRLF (RFC 5545 §3.1)


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped.

    Other control characters are not allowed in TEXT at all, so they are dropped (C1 controls
    too: calendar programs show the text in a terminal-like way, and ESC-less CSI is still CSI).
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(c for c in value if c in "\n\t" or not (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets of UTF-8 (RFC 5545 §3.1).

    Continuation lines start with one space, which counts toward their 75 octets. A chunk
    never ends inside a multi-byte character: splitting one would make each half invalid UTF-8.
    """
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1
        current.append(char)
        size += width
    chunks.append("".join(current))
    return (CRLF + " ").join(chunks)


def _date(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def alarm_trigger(alarm: Alarm) -> str:
    """TRIGGER relative to the start of the all-day event (local midnight, a floating date), so
    the alarm fires at REMINDER_HOUR local time wherever the calendar is: -P6DT15H is 09:00 a
    week before, PT9H is 09:00 on the day (RFC 5545 §3.8.6.3, §3.3.6)."""
    hours = alarm.before * 24 - REMINDER_HOUR
    if hours <= 0:
        return f"PT{-hours}H"
    days, rest = divmod(hours, 24)
    return "-P" + (f"{days}D" if days else "") + (f"T{rest}H" if rest else "")


def _alarm_lines(alarm: Alarm) -> list[str]:
    return [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(alarm.text)}",
        f"TRIGGER;RELATED=START:{alarm_trigger(alarm)}",
        "END:VALARM",
    ]


def _event_lines(event: CalendarEvent, stamp: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(event.due)}",
        # DTEND of an all-day event is exclusive: the next day.
        f"DTEND;VALUE=DATE:{_date(event.due + dt.timedelta(days=1))}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        # A deadline is not a meeting: keep the day free in free/busy views (Outlook).
        "TRANSP:TRANSPARENT",
        *(line for alarm in event.alarms for line in _alarm_lines(alarm)),
        "END:VEVENT",
    ]


def calendar_ics(calendar: Calendar) -> str:
    """The whole VCALENDAR, every line folded and ended with CRLF."""
    stamp = calendar.stamp.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(calendar.name)}",
    ]
    for event in calendar.events:
        lines.extend(_event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
