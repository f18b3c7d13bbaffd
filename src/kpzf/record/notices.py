"""The 催办 log: each notice sent appended to plan.yaml's `notices`, as safely as `kpzf record`.

Written by the same code as a progress entry (entry.append_locked): the same lock, the plan's
own checks (with the new entries added), the same splice (append.append_items) and the same
re-reading (the old plan plus exactly these entries) before one atomic replace. A notice already
logged (same unit, date and measures) is not logged again: running `kpzf notice --log` twice
on a day records one 催办, so a retried script never doubles the log.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..checks import run_checks
from ..core.notice import Notice
from ..errors import EntryRefused
from ..io.locate import PlanSource
from ..model.models import NoticeEntry
from ..model.plan import LoadedPlan
from ..records import record
from .entry import Log, append_locked

COMMAND = "kpzf notice --log"
SECTION = "notices"
FIELD_ORDER = ("unit", "date", "measures", "note")


@record
class Logged:
    """What --log did: the entries written and those found already logged, each with its line."""

    written: tuple[tuple[NoticeEntry, int], ...]
    already: tuple[tuple[NoticeEntry, int], ...]
    warning: str | None = None  # written, but something deserves a word (directory not synced)


def _measure_ref(plan: LoadedPlan, measure_id: str) -> int | str:
    """Integer ids (Kaiping's 1–66) are integers in the file, as in progress; dotted ids text."""
    number = plan.number_of(measure_id)
    if number is not None and plan.measures[number].id == str(number):
        return number
    return measure_id


def notice_entry(plan: LoadedPlan, notice: Notice, note: str = "") -> NoticeEntry:
    """The log entry for a notice: its unit, date and every measure it lists (red or yellow)."""
    return NoticeEntry.model_validate(
        {
            "unit": notice.unit,
            "date": notice.on.isoformat(),
            "measures": [_measure_ref(plan, m) for m in notice.measures],
            "note": note.strip(),
        }
    )


def notice_data(entry: NoticeEntry) -> dict[str, Any]:
    """The entry as YAML reads it back; an empty note is left out."""
    data: dict[str, Any] = {
        "unit": entry.unit,
        "date": entry.date.isoformat(),
        "measures": list(entry.measures),
        "note": entry.note,
    }
    return {k: data[k] for k in FIELD_ORDER if data[k] != ""}


NOTICES: Log[NoticeEntry] = Log(SECTION, notice_data, "催办记录", COMMAND)


def _key(entry: NoticeEntry) -> tuple[str, dt.date, tuple[str, ...]]:
    return entry.unit, entry.date, tuple(str(m) for m in entry.measures)


def _line(plan: LoadedPlan, index: int) -> int:
    return plan.document.locate((SECTION, index)).line


def _refused(plan: LoadedPlan, entries: Sequence[NoticeEntry], today: dt.date) -> None:
    model = plan.model.model_copy(update={SECTION: [*plan.model.notices, *entries]})
    problems = run_checks(dataclasses.replace(plan, model=model), today)
    if problems:
        raise EntryRefused(
            "催办记录未写入：" + "；".join(dict.fromkeys(p.message for p in problems)),
            hint="\n".join(dict.fromkeys(p.hint for p in problems if p.hint)),
        )


def log_notices(source: PlanSource, entries: Sequence[NoticeEntry], today: dt.date) -> Logged:
    """Append the entries not yet logged to `notices`, all under one lock, or none of them.

    Raises, leaving the file byte-for-byte unchanged: TargetUnusable (exit 2) for a file that
    cannot be written; PlanError (exit 1) if the plan is invalid; EntryRefused (exit 1) if the
    plan's checks reject an entry (a date after today); LayoutError, FileChanged, LockTimeout
    or a failed re-read (exit 1) if it cannot be written safely.
    """
    already: list[tuple[NoticeEntry, int]] = []

    def new_ones(plan: LoadedPlan) -> list[NoticeEntry]:
        logged = {_key(e): i for i, e in enumerate(plan.model.notices)}
        already[:] = [(e, _line(plan, logged[_key(e)])) for e in entries if _key(e) in logged]
        new = list({_key(e): e for e in entries if _key(e) not in logged}.values())
        if new:
            _refused(plan, new, today)
        return new

    done = append_locked(source, NOTICES, new_ones, today)
    if done.written is None:
        return Logged((), tuple(already))
    first = len(done.plan.model.notices)
    written = tuple((e, _line(done.written, first + i)) for i, e in enumerate(done.entries))
    return Logged(written, tuple(already), done.warning)
