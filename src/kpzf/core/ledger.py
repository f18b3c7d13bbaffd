"""The 任务台账 as rows in its official layout, with 进度情况 filled from the progress log."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

from ..model import progress
from ..model.plan import LoadedPlan
from ..model.progress import (
    CLOSED,
    Latest,
    Recorded,
    current_extensions,
    current_progress,
    extension_of,
    passed_for,
    recorded,
)
from ..model.resolve import Milestone, ResolvedMeasure
from ..records import record
from .labels import area_label, heading_labels, task_label
from .lights import standing, warn_window, worst

# The columns of a version-1 plan's 台账 (Kaiping's annex), in its order and wording; a
# version-2 plan names its own (structure.levels and structure.columns).
HEADERS = ("重点任务", "具体任务", "主要措施", "责任单位", "完成时限", "进度情况")


def ledger_headers(plan: LoadedPlan) -> tuple[str, ...]:
    """The 台账's column headers as the plan writes them: its level names, then the units
    column, the deadline column (if the plan has one) and the progress column."""
    structure = plan.model.structure
    if structure is None:
        return HEADERS
    columns = structure.columns
    deadline = (columns.deadline,) if columns.deadline is not None else ()
    return (*(level.name for level in structure.levels), columns.units, *deadline, columns.progress)


def ledger_title(plan: LoadedPlan) -> str:
    """meta.ledger_title, else the plan's title followed by 任务台账."""
    meta = plan.model.meta
    return meta.ledger_title or f"{meta.title}任务台账"

# Statuses shown as counts next to 已完成 in the whole-plan view, in this order.
_COUNTED = (progress.IN_PROGRESS, progress.DELAYED, progress.NOT_APPLICABLE)
# How 进度情况 marks a milestone past its due date and still open (as of the sheet's date).
OVERDUE_MARK = "逾期"

@record
class LedgerRow:
    """One measure as a row of the 台账; labels are written the way the annex prints them."""

    measure: int
    section: str  # plan.SECTION_LEDGER or plan.SECTION_IMPLEMENTATION
    area: int | None
    task: int | None
    area_label: str  # （一）全面提升行政执法人员能力素质 / 组织实施
    task_label: str  # 1. 坚持党建引领 / "" for implementation items
    measure_label: str  # （1）始终坚持……
    units: str  # 责任单位 as written in the plan
    deadline: str  # 完成时限 as written
    progress: str  # 进度情况: lines separated by "\n"; "" when nothing is recorded or overdue
    overdue: bool = False  # a milestone (of the sheet's unit) is past due and not closed
    heads: tuple[str, ...] = ()  # one labelled heading per level above the measures
    with_deadline: bool = True  # the plan has a 完成时限 column
    # 督办 (core/lights.py): the worst light of the row's (milestone, unit) obligations — the
    # sheet's unit, or every unit that owes the measure; None when nothing is dated.
    light: str | None = None

    @property
    def cells(self) -> tuple[str, ...]:
        deadline = (self.deadline,) if self.with_deadline else ()
        return (*self.heads, self.measure_label, self.units, *deadline, self.progress)


@record
class Ledger:
    title: str  # 方案标题
    doc_number: str  # 文号
    on: dt.date  # progress as of the end of this day
    unit: str | None  # the one unit the sheet is for, or None for the whole plan
    rows: tuple[LedgerRow, ...]
    headers: tuple[str, ...] = HEADERS  # the columns, as the plan names them
    heading: str = ""  # the sheet's title: meta.ledger_title or 方案标题＋任务台账

    @property
    def depth(self) -> int:
        """How many heading columns come before the measure column."""
        return len(self.headers) - (4 if self.with_deadline else 3)

    @property
    def with_deadline(self) -> bool:
        return not self.rows or self.rows[0].with_deadline

    @property
    def as_of(self) -> str:
        return f"进度截至{self.on.year}年{self.on.month}月{self.on.day}日"

    @property
    def subheading(self) -> str:
        """文号 (where the plan has one), the date the progress is as of, and a unit sheet's unit."""
        parts = [self.doc_number, self.as_of]
        if self.unit is not None:
            parts.append(f"填报单位：{self.unit}")
        return "　".join(part for part in parts if part)


@record
class Span:
    """Consecutive rows that share one area (or one task): a vertical merge in the sheet."""

    first: int  # index into Ledger.rows
    last: int  # inclusive
    label: str


def ledger(
    plan: LoadedPlan, on: dt.date, unit: str | None = None, warn_days: int | None = None
) -> Ledger:
    """The 台账 as of `on`: every measure, or only those `unit` owes with only its progress.

    The implementation items (65, 66) follow the 64 measures, labelled 组织实施. Each row has
    its light (the plan's supervision.warn_days unless `warn_days` is given); a unit granted a
    new date (延期) is overdue only after it.
    """
    latest = current_progress(plan, on)
    extensions = current_extensions(plan, on)
    window = warn_window(plan, warn_days)
    headers = ledger_headers(plan)
    structure = plan.model.structure
    with_deadline = structure is None or structure.columns.deadline is not None
    depth = len(headers) - (4 if with_deadline else 3)
    rows = []
    for measure in plan.measures.values():
        if unit is not None and unit not in measure.responsible:
            continue
        if unit is None:
            lines, late = measure_progress(plan, latest, measure, on, extensions)
        else:
            lines, late = unit_progress(latest, measure, unit, on, extensions)
        lights = (
            standing(latest, extensions, m, u, on, window).light
            for m in measure.milestones
            for u in (m.owed_by if unit is None else m.owed_by & {unit})
        )
        row = _row(measure, "\n".join(lines), late, depth, with_deadline)
        rows.append(dataclasses.replace(row, light=worst(lights)))
    meta = plan.model.meta
    return Ledger(
        meta.title, meta.doc_number or "", on, unit, tuple(rows), headers, ledger_title(plan)
    )


def _row(
    measure: ResolvedMeasure,
    progress: str,
    overdue: bool = False,
    depth: int = 2,
    with_deadline: bool = True,
) -> LedgerRow:
    # The implementation items (65, 66) are not 台账 rows but the deadlines of section 三 of the
    # plan, so they are filed under a label instead of an area and task.
    return LedgerRow(
        measure=measure.number,
        section=measure.section,
        area=measure.area,
        task=measure.task,
        area_label=area_label(measure),
        task_label=task_label(measure),
        measure_label=measure.labelled_text,
        units=measure.units_text,
        deadline=measure.deadline,
        progress=progress,
        overdue=overdue,
        heads=heading_labels(measure, depth),
        with_deadline=with_deadline,
    )


# One thing progress is recorded against: (milestone key, label, units it applies to, the
# milestone itself; None for the one target of an undated measure).
_Target = tuple[str | None, str, frozenset[str], Milestone | None]


def _targets(measure: ResolvedMeasure) -> list[_Target]:
    """The milestones of a measure; an undated measure (长期推进) is one target keyed None."""
    if not measure.milestones:
        return [(None, "", measure.responsible, None)]
    return [(m.key, f"{m.key} {m.what}" if m.key else m.what, m.units, m) for m in measure.milestones]


def _late(
    milestone: Milestone | None, unit: str, on: dt.date, extensions: Latest
) -> bool:
    """Whether `unit`'s date for the milestone (its approved new date, if any) has passed."""
    return milestone is not None and passed_for(extensions, milestone, unit, on)


def _detail(recorded: Recorded, until: dt.date | None = None) -> str:
    """已完成（2024-12-20，开公〔2024〕12号）: status, then the entry's date and note; a unit
    granted a new date says so: 延期（2024-06-25，机构调整，延期至 2024-09-30）."""
    entry = recorded.entry
    inside = entry.date.isoformat() + (f"，{entry.note.strip()}" if entry.note.strip() else "")
    if until is not None:
        inside += f"，延期至 {until}"
    return f"{entry.status}（{inside}）"


def _until(extensions: Latest, milestone: Milestone | None, unit: str) -> dt.date | None:
    found = None if milestone is None else extension_of(extensions, milestone, unit)
    return None if found is None else found.entry.until


def measure_progress(
    plan: LoadedPlan,
    latest: Latest,
    measure: ResolvedMeasure,
    on: dt.date,
    extensions: Latest | None = None,
) -> tuple[list[str], bool]:
    """进度情况 for the whole plan, and whether a milestone is overdue as of `on`.

    Per milestone a count, then each unit that has reported; a milestone past due with a unit
    still open says 逾期 first. Empty when no unit has reported and nothing is overdue, so an
    untouched 台账 looks like the blank official form. Units that have not reported are 未开始
    and are counted, not listed: a measure binds up to 31 units.
    """
    number = measure.number
    extensions = extensions or {}
    targets = _targets(measure)
    lines: list[str] = []
    anyone = late_any = False
    for key, label, units, milestone in targets:
        found = ((u, recorded(latest, number, u, key)) for u in plan.registry.in_order(units))
        reported = [(u, r) for u, r in found if r is not None]
        counts = Counter(r.entry.status for _, r in reported)
        open_units = [
            u for u in units if (r := recorded(latest, number, u, key)) is None or r.entry.status not in CLOSED
        ]
        late = any(_late(milestone, u, on, extensions) for u in open_units)
        summary = ("逾期，" if late else "") + f"已完成 {counts[progress.DONE]}/{len(units)}" + "".join(
            f"，{status} {counts[status]}" for status in _COUNTED if counts[status]
        )
        lines.append(f"{label}：{summary}" if len(targets) > 1 else summary)
        lines.extend(f"{u}：{_detail(r, _until(extensions, milestone, u))}" for u, r in reported)
        anyone = anyone or bool(reported) or late
        late_any = late_any or late
    return (lines if anyone else []), late_any


def unit_progress(
    latest: Latest,
    measure: ResolvedMeasure,
    unit: str,
    on: dt.date,
    extensions: Latest | None = None,
) -> tuple[list[str], bool]:
    """进度情况 on one unit's sheet: its status for each milestone that applies to it (逾期 first
    when the milestone is past due and the unit has not closed it), and whether any is."""
    extensions = extensions or {}
    targets = _targets(measure)
    lines = []
    late_any = False
    for key, label, units, milestone in targets:
        if unit not in units:
            continue  # e.g. measure 39: 2024-06-30 binds only 市公安局 and 市交通运输局
        entry = recorded(latest, measure.number, unit, key)
        until = _until(extensions, milestone, unit)
        if entry is None:
            text = progress.NOT_STARTED
        else:
            text = _detail(entry, until)
        closed = entry is not None and entry.entry.status in CLOSED
        if _late(milestone, unit, on, extensions) and not closed:
            text, late_any = f"逾期，{text}", True
        # Name the milestone whenever the 完成时限 has several, even if only one is this unit's.
        lines.append(f"{label}：{text}" if len(targets) > 1 else text)
    return lines, late_any


def spans(rows: tuple[LedgerRow, ...], level: int) -> list[Span]:
    """Runs of consecutive rows with the same headings down to `level` (0: the outermost).

    Implementation items form one run of their own at every level, so the sheet can merge all
    heading columns into one 组织实施 block.
    """
    result: list[Span] = []
    for index, row in enumerate(rows):
        if result and _span_key(rows[result[-1].first], level) == _span_key(row, level):
            result[-1] = Span(result[-1].first, index, result[-1].label)
        else:
            result.append(Span(index, index, row.heads[level] if level < len(row.heads) else ""))
    return result


def _span_key(row: LedgerRow, level: int) -> tuple[object, ...]:
    return (row.section, *row.heads[: level + 1])
