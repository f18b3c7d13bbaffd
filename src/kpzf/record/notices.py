"""The 催办 log: each notice sent appended to plan.yaml's `notices`, as safely as `kpzf record`.

The same lock, the same checks (the plan's own, with the new entries added), the same splice
(append.append_items) and re-reading (entry.same_plus) as a progress entry. A notice already
logged (same unit, date and measures) is not logged again: running `kpzf notice --log` twice
on a day records one 催办, so a retried script never doubles the log.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..checks import completed, run_checks
from ..core.notice import Notice
from ..errors import EntryRefused, KpzfError, PlanError
from ..io import write
from ..io.locate import PlanSource
from ..io.read import UTF8_BOM, decode, parse_text
from ..model.models import NoticeEntry
from ..model.plan import LoadedPlan, build_plan
from .append import append_items, flow_item
from .entry import same_plus, writable_target

COMMAND = "kpzf notice --log"
SECTION = "notices"
FIELD_ORDER = ("unit", "date", "measures", "note")


@dataclass(frozen=True)
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


def _key(entry: NoticeEntry) -> tuple[str, dt.date, tuple[str, ...]]:
    return entry.unit, entry.date, tuple(str(m) for m in entry.measures)


def _line(plan: LoadedPlan, index: int) -> int:
    return plan.document.locate((SECTION, index)).line


def _load(data: bytes, shown: str) -> LoadedPlan:
    return build_plan(parse_text(decode(shown, data), shown))


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
    target = writable_target(source, COMMAND)
    with write.locked(target, source.shown) as handle:
        snapshot = handle.read()
        try:
            plan = _load(snapshot.data, source.shown)
        except PlanError as exc:
            raise completed(exc, today) from None
        problems = run_checks(plan, today)
        if problems:
            raise PlanError(problems)
        logged = {_key(e): i for i, e in enumerate(plan.model.notices)}
        already = [(e, _line(plan, logged[_key(e)])) for e in entries if _key(e) in logged]
        new = list({_key(e): e for e in entries if _key(e) not in logged}.values())
        if not new:
            return Logged((), tuple(already))
        _refused(plan, new, today)
        data = [notice_data(e) for e in new]
        splice = append_items(plan.document, SECTION, data)
        reread = _verified(plan, splice.text, data, new, today)
        bom = UTF8_BOM if snapshot.data.startswith(UTF8_BOM) else b""
        warning = handle.replace(bom + splice.text.encode("utf-8"), snapshot)
    first = len(plan.model.notices)
    written = tuple((e, _line(reread, first + i)) for i, e in enumerate(new))
    return Logged(written, tuple(already), warning)


def _verified(
    old: LoadedPlan,
    text: str,
    data: list[dict[str, Any]],
    entries: list[NoticeEntry],
    today: dt.date,
) -> LoadedPlan:
    """The new text re-read: what the old one said, plus exactly `entries`; else refused."""
    new: LoadedPlan | None
    try:
        new = build_plan(parse_text(text, old.path))
    except PlanError:
        new = None
    if new is None or not same_plus(old, new, SECTION, data, entries) or run_checks(new, today):
        lines = "\n".join(f"  - {flow_item(d)}" for d in data)
        raise KpzfError(
            "追加后的文件未通过复核（重新读取后与原文件加这些催办记录不一致），本次未写入",
            hint="plan.yaml 中 notices 部分的写法可能特殊；请手工在 notices 列表末尾添加下面的内容，"
            f"再运行 kpzf validate：\n{lines}",
        )
    return new
