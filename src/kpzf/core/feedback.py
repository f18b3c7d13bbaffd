"""The 进度反馈表: what one unit owes, as rows it fills in and sends back (issue 14).

One row per (measure, milestone) the unit owes (`Milestone.owed_by`: lead and responsible
units, assisting units only where the plan says assist_owes), plus one row per undated measure
(长期推进) it owes, so that it can report on those too. The columns, their order and the row key
live here, because the sheet that is written (render/feedback.py) and the sheet that is read
back (record/feedback.py) must agree on them exactly.

The row key is `kpzf1|measure|milestone|unit|revision|digest`: the measure's id, the
milestone's due date (`-` for an undated measure), the unit, a digest of the plan revision the
sheet was made from (`plan_revision`: the measures, milestones and who owes them, not the
progress log, so recording progress does not make earlier sheets "old"), and a digest of the
row's locked cells as written, which tells an import whether someone edited them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence

from ..model.plan import LoadedPlan
from ..model.progress import NOT_STARTED, Latest, current_extensions, current_progress, recorded
from ..model.resolve import Milestone, ResolvedMeasure
from ..records import record
from .ledger import ledger_title
from .lights import LIGHT_WORDS, RED, YELLOW, Standing, standing, warn_window

KEY_PREFIX = "kpzf1"
UNDATED_KEY = "-"  # the milestone part of the key for a measure without a dated milestone
UNDATED_DUE = "长期推进"  # shown in 截止日期 for such a row

# Columns, in order. The first ones are the plan's and the progress log's (locked), then the
# columns a liaison fills in, then the hidden key.
MEASURE, TEXT, WHAT, DUE, CURRENT, LAST_NOTE = (
    "措施", "措施内容", "节点", "截止日期", "当前状态", "最近说明",
)  # fmt: skip
STATUS, DONE_ON, PROGRESS, EVIDENCE, NEW_DUE, REASON = (
    "状态", "完成日期", "进展情况", "佐证材料/文号", "申请延期至", "延期原因",
)  # fmt: skip
KEY = "行键（请勿修改）"
LOCKED = (MEASURE, TEXT, WHAT, DUE, CURRENT, LAST_NOTE)
FILLED = (STATUS, DONE_ON, PROGRESS, EVIDENCE, NEW_DUE, REASON)
COLUMNS = (*LOCKED, *FILLED, KEY)

# How the note of an imported entry is put together from the filled cells (and taken apart
# for display): 进展情况；佐证材料/文号：…；延期原因：…
EVIDENCE_LABEL, REASON_LABEL = "佐证材料/文号：", "延期原因："
NOTE_SEPARATOR = "；"


@record
class FeedbackRow:
    measure_id: str  # the stable id as the plan writes it ("17", "1.1.2")
    numeric: bool  # the id is an integer (written as a number in the sheet)
    text: str  # the measure's text, with its label
    what: str  # what the milestone asks for ("" for an undated measure)
    milestone: str | None  # the milestone's key (due date), None for an undated measure
    unit: str
    current: str  # the status in force on the sheet's date, e.g. 推进中（2024-03-01）
    last_note: str  # the note of the entry in force
    light: str | None  # core.lights: RED (overdue), YELLOW (due soon), GREEN; None undated
    revision: str

    @property
    def due(self) -> str:
        return self.milestone or UNDATED_DUE

    @property
    def locked_cells(self) -> tuple[str, ...]:
        """The locked cells as text, in column order (what the digest covers)."""
        return (self.measure_id, self.text, self.what, self.due, self.current, self.last_note)

    def key(self, written: Sequence[str]) -> str:
        """The row's key, given its locked cells as the sheet writes them (control characters
        escaped): the digest covers what an import will read back."""
        return row_key(
            self.measure_id, self.milestone, self.unit, self.revision, cells_digest(written)
        )


@record
class FeedbackSheet:
    title: str  # the plan's ledger title
    doc_number: str
    unit: str
    on: dt.date  # statuses as of this day
    revision: str
    rows: tuple[FeedbackRow, ...]


def cells_digest(cells: Sequence[str]) -> str:
    """A short digest of cell texts; equal only if every cell is exactly the same."""
    joined = "\x1f".join(cells).encode("utf-8", "surrogatepass")
    return hashlib.sha256(joined).hexdigest()[:10]


def row_key(measure: str, milestone: str | None, unit: str, revision: str, digest: str) -> str:
    return "|".join((KEY_PREFIX, measure, milestone or UNDATED_KEY, unit, revision, digest))


@record
class RowKey:
    measure: str
    milestone: str | None
    unit: str
    revision: str
    digest: str


def parse_key(text: str) -> RowKey | None:
    """The parts of a row key, or None if it is not one (a unit name may contain `|`)."""
    parts = text.strip().split("|")
    if len(parts) < 6 or parts[0] != KEY_PREFIX:
        return None
    measure, milestone, *unit, revision, digest = parts[1:]
    if not measure or not unit or not revision or not digest:
        return None
    return RowKey(
        measure, None if milestone == UNDATED_KEY else milestone, "|".join(unit), revision, digest
    )


def plan_revision(plan: LoadedPlan) -> str:
    """A digest of what the sheet's rows are made of: measures, milestones and their owners.

    The progress log is left out: a sheet stays current while entries are recorded, and
    becomes "from an older revision" only when the plan's obligations are edited.
    """
    content = [
        (
            m.id,
            m.text,
            m.deadline,
            sorted(m.owners),
            [(ms.key, ms.what, sorted(ms.owed_by)) for ms in m.milestones],
        )
        for m in plan.measures.values()
    ]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()[:10]


def owed(measure: ResolvedMeasure, unit: str) -> Iterator[Milestone | None]:
    """What `unit` owes of `measure`: its milestones, or None once for an undated measure."""
    if not measure.milestones:
        if unit in measure.owners:
            yield None
        return
    for milestone in measure.milestones:
        if milestone.key is None and len(measure.milestones) > 1:
            continue  # an undated milestone among dated ones: no entry can name it (record says so)
        if unit in milestone.owed_by:
            yield milestone


def find_owed(
    plan: LoadedPlan, measure_id: str, milestone: str | None, unit: str
) -> tuple[ResolvedMeasure | None, bool, bool]:
    """(the measure, whether it has that milestone, whether `unit` owes it) for a row key."""
    number = plan.number_of(measure_id)
    measure = None if number is None else plan.measures.get(number)
    if measure is None:
        return None, False, False
    if milestone is None and not measure.milestones:
        return measure, True, unit in measure.owners
    found = measure.milestone(milestone)  # None: an undated milestone (适时 …), if there is one
    return measure, found is not None, found is not None and unit in found.owed_by


def current_text(latest: Latest, measure: ResolvedMeasure, key: str | None, unit: str) -> tuple[str, str]:
    """(当前状态, 最近说明) of a unit from the entry in force: 推进中（2024-03-01）, its note."""
    found = recorded(latest, measure.number, unit, key)
    if found is None:
        return NOT_STARTED, ""
    entry = found.entry
    return f"{entry.status}（{entry.date.isoformat()}）", entry.note


def standing_text(standing: Standing, status: str) -> str:
    """当前状态 of a dated row: the light's warning first (红灯：逾期 10 天 / 黄灯：还有 5 天),
    then the status and the approved new date in force (core/lights.py's rules)."""
    if standing.until is not None:
        status += f"，延期至 {standing.until.isoformat()}"
    if standing.light == RED and standing.days_overdue is not None:
        return f"{LIGHT_WORDS[RED]}：逾期 {standing.days_overdue} 天\n{status}"
    if standing.light == YELLOW:
        left = f"还有 {standing.days_left} 天" if standing.days_left is not None else "报告延期"
        return f"{LIGHT_WORDS[YELLOW]}：{left}\n{status}"
    return status


def feedback_rows(
    plan: LoadedPlan, on: dt.date, unit: str, warn_days: int | None = None
) -> tuple[FeedbackRow, ...]:
    latest = current_progress(plan, on)
    extensions = current_extensions(plan, on)
    window = warn_window(plan, warn_days)
    revision = plan_revision(plan)
    rows = []
    for measure in plan.measures.values():
        for milestone in owed(measure, unit):
            key = milestone.key if milestone is not None else None
            current, note = current_text(latest, measure, key, unit)
            light = None
            if milestone is not None:
                found = standing(latest, extensions, milestone, unit, on, window)
                current, light = standing_text(found, current), found.light
            rows.append(
                FeedbackRow(
                    measure_id=measure.id,
                    numeric=measure.id.isdigit(),
                    text=measure.labelled_text,
                    what=milestone.what if milestone is not None else "",
                    milestone=key,
                    unit=unit,
                    current=current,
                    last_note=note,
                    light=light,
                    revision=revision,
                )
            )
    return tuple(rows)


def feedback_sheet(
    plan: LoadedPlan, on: dt.date, unit: str, warn_days: int | None = None
) -> FeedbackSheet:
    """The 进度反馈表 of one single unit (canonical name), statuses as of `on`; lights with the
    plan's supervision.warn_days unless `warn_days` (--warn-days) is given."""
    return FeedbackSheet(
        title=ledger_title(plan),
        doc_number=plan.model.meta.doc_number or "",
        unit=unit,
        on=on,
        revision=plan_revision(plan),
        rows=feedback_rows(plan, on, unit, warn_days),
    )


def feedback_units(plan: LoadedPlan) -> list[str]:
    """Every single unit that owes at least one row, in registry order (`--all`)."""
    owing = {u for m in plan.measures.values() for u in m.owners}
    return [
        u
        for u in plan.registry.in_order(owing)
        if not plan.registry.is_group(u)
        and any(True for m in plan.measures.values() for _ in owed(m, u))
    ]


def compose_note(progress: str, evidence: str, reason: str) -> str:
    """The note of an imported entry: 延期原因 first (the check wants a reason), then the rest."""
    parts = []
    if reason:
        parts.append(REASON_LABEL + reason)
    if progress:
        parts.append(progress)
    if evidence:
        parts.append(EVIDENCE_LABEL + evidence)
    return NOTE_SEPARATOR.join(parts)
