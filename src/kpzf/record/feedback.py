"""`kpzf import-progress`: filled 进度反馈表 read back as progress entries, every row checked.

Each row is judged on its own (its key, its locked cells, who owes it, what was filled in) and
then by the plan's own progress check (checks.new_entry_problems: the check `validate` and
`record` run), every problem named by file:sheet:row. A file with any problem contributes no
entry (all or nothing per file); the entries of the others are appended together, under one
lock and with one verified replace (entry.append_progress), so a concurrent `record` is never
lost. A row whose filled cells say what the entry in force already says is unchanged: importing
the same file twice appends nothing the second time.

延期 rows: the requested new date is written as the entry's `until` (the approved new due date).
The coordinator is the one who runs the import, after reading `--dry-run`; importing is the
approval (README, `kpzf import-progress`). A 延期 asked for after the original date has passed
needs the coordinator to say so (`--approve-late`, written as `approved_late: true`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import field
from pathlib import Path
from typing import Any

from ..checks import new_entry_problems
from ..core import feedback as fb
from ..core.feedback import cells_digest, compose_note, find_owed, parse_key, plan_revision
from ..errors import Problem
from ..io.locate import PlanSource
from ..model.models import ProgressEntry, typed_date
from ..model.plan import LoadedPlan
from ..model.progress import (
    DELAYED,
    DONE,
    NOT_STARTED,
    STATUSES,
    ProgressKey,
    current_extensions,
    current_progress,
    effective_due,
)
from ..model.resolve import due_passed
from ..records import record
from .entry import append_progress
from .intake import FeedbackFile, SheetRow, read_feedback, text_of


@record
class RowProblem:
    file: str
    sheet: str | None
    row: int | None
    message: str
    hint: str = ""
    code: str = "invalid"

    @property
    def place(self) -> str:
        return self.file + (f":{self.sheet}" if self.sheet else "")

    @property
    def where(self) -> str:
        return self.place + (f":{self.row}" if self.row is not None else "")

    def as_problem(self) -> Problem:
        """For the text renderer of problems: file:sheet:row, message, hint."""
        return Problem(self.place, self.row, None, self.message, self.hint, self.code)


@record
class RowEntry:
    sheet: str | None
    row: int
    entry: ProgressEntry


@record(frozen=False)
class FileResult:
    shown: str
    entries: list[RowEntry] = field(default_factory=list)  # to append (none if any problem)
    unchanged: int = 0  # rows read that change nothing (untouched, or equal to the entry in force)
    problems: list[RowProblem] = field(default_factory=list)
    unreadable: bool = False  # the file could not be read at all (exit 2)

    @property
    def accepted(self) -> bool:
        return not self.problems


@record
class ImportResult:
    files: tuple[FileResult, ...]
    dry_run: bool
    written: int  # entries appended to the plan (0 for a dry run)
    line: int  # 1-based line of the first appended entry, 0 when none
    warning: str | None = None


# The plan check's advice speaks of plan.yaml fields; on a sheet it names the columns.
SHEET_HINTS = {
    "bad-progress-date": f"请核对“{fb.DONE_ON}”一栏的日期（没有填写时记录日期为导入当天）",
    "unit-not-responsible": "这一行的单位与节点不相符；请用 kpzf export --format feedback 重新导出该单位的表",
    "delay-without-reason": f"请在“{fb.REASON}”一栏写明原因",
}


def _clean(value: Any) -> str:
    return unicodedata.normalize("NFC", text_of(value)).strip()


def _date(value: Any) -> tuple[dt.date | None, bool]:
    """(the date, whether the cell was readable as one); an empty cell is (None, True)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    if isinstance(value, dt.datetime):
        return value.date(), True
    if isinstance(value, dt.date):
        return value, True
    if isinstance(value, str):
        day = typed_date(value)
        return day, day is not None
    return None, False


class _Judge:
    """Judges the rows of one file against the plan (under the lock) and what is in force."""

    def __init__(
        self,
        plan: LoadedPlan,
        today: dt.date,
        in_force: dict[ProgressKey, ProgressEntry],
        approve_late: bool = False,
    ):
        self.plan = plan
        self.today = today
        self.approve_late = approve_late
        self.revision = plan_revision(plan)
        self.in_force = in_force
        self.extensions = current_extensions(plan)

    def file(self, read: FeedbackFile) -> FileResult:
        result = FileResult(read.shown)
        if read.error is not None:
            result.unreadable = True
            result.problems.append(
                RowProblem(read.shown, None, None, read.error, read.hint, "unreadable")
            )
            return result
        seen: dict[tuple[str, str | None, str], int] = {}
        candidates: list[RowEntry] = []
        for row in read.rows:
            problems: list[RowProblem] = []

            def problem(
                message: str,
                hint: str = "",
                code: str = "invalid",
                row: SheetRow = row,
                problems: list[RowProblem] = problems,
            ) -> None:
                problems.append(RowProblem(read.shown, row.sheet, row.row, message, hint, code))

            entry = self.row(row, problem, seen)
            result.problems += problems
            if problems:
                continue
            if entry is None:
                result.unchanged += 1
            else:
                candidates.append(RowEntry(row.sheet, row.row, entry))
        # The plan's own check, on the plan with these entries appended (future dates, dates
        # before the plan, units that are not responsible …): the same verdict as validate's.
        verdicts = new_entry_problems(self.plan, [c.entry for c in candidates], self.today)
        for candidate, found in zip(candidates, verdicts, strict=True):
            for p in found:
                result.problems.append(
                    RowProblem(
                        read.shown,
                        candidate.sheet,
                        candidate.row,
                        p.message,
                        SHEET_HINTS.get(p.code, p.hint),
                        p.code,
                    )
                )
        if result.problems:
            return result
        result.entries = candidates
        return result

    def _edited(self, key: fb.RowKey, locked: list[str]) -> str:
        """Which locked columns differ, where the current plan can say (same revision): the
        plan's own columns are compared; 当前状态/最近说明 depend on the export's date."""
        generic = "、".join(fb.LOCKED) + " 中至少一栏"
        if key.revision != self.revision:
            return generic
        measure, exists, _ = find_owed(self.plan, key.measure, key.milestone, key.unit)
        if measure is None or not exists:
            return generic
        milestone = measure.milestone(key.milestone)
        what = milestone.what if milestone is not None else ""
        expected = (measure.id, measure.labelled_text, what, key.milestone or fb.UNDATED_DUE)
        # (The sheet escapes control characters; a text holding one may be named here wrongly,
        # but only when something in the row was edited anyway.)
        names = [n for n, a, b in zip(fb.LOCKED, locked, expected, strict=False) if a != b]
        return f"“{'”“'.join(names)}”" if names else f"“{fb.CURRENT}”或“{fb.LAST_NOTE}”"

    def row(
        self,
        row: SheetRow,
        problem: Any,
        seen: dict[tuple[str, str | None, str], int],
    ) -> ProgressEntry | None:
        """The entry a row asks for; None if it changes nothing; problems through `problem`."""
        cells = row.cells
        key_text = _clean(cells.get(fb.KEY))
        key = parse_key(key_text)
        if key is None:
            problem(
                f"行键“{key_text[:60]}”无法识别" if key_text else "这一行没有行键",
                "行键是导出时写在隐藏的最后一栏的；请勿增加行或修改这一栏，请用 kpzf export --format feedback 重新导出",
                "unknown-key",
            )
            return None
        older = key.revision != self.revision
        locked = [_clean(cells.get(name)) for name in fb.LOCKED]
        if cells_digest(locked) != key.digest:
            problem(
                f"锁定的栏被修改过（{self._edited(key, locked)}与导出时不同）",
                "这些栏来自计划和已有的进度记录，不能在表中修改；请把它们改回原样，或重新导出后再填写",
                "edited-locked-cell",
            )
            return None
        if _clean(cells.get(fb.MEASURE)) != key.measure:
            problem("行键与“措施”一栏不一致", "请勿修改行键", "unknown-key")
            return None
        filled = [name for name in fb.FILLED if _clean(cells.get(name))]
        measure, exists, owes = find_owed(self.plan, key.measure, key.milestone, key.unit)
        unit = self.plan.registry.resolve(key.unit)
        if older and not filled and not (measure is not None and exists and unit and owes):
            return None  # an untouched row of an older sheet that the plan no longer has
        node = f"措施 {key.measure}" + (f" 的节点 {key.milestone}" if key.milestone else "")
        if measure is None or not exists:
            if older:
                problem(
                    f"这一行来自较早版本的计划（修订 {key.revision}，现行修订 {self.revision}）："
                    f"{node}在现行计划中已不存在",
                    "计划修改后，这一行无法导入；请按现行计划重新导出该单位的进度反馈表",
                    "stale-row",
                )
            else:
                problem(f"行键所指的{node}不存在", "请勿修改行键", "unknown-key")
            return None
        if unit is None or not owes:
            reason = "不在单位名录中" if unit is None else "不是它的欠办单位（牵头或责任单位）"
            if older:
                problem(
                    f"这一行来自较早版本的计划（修订 {key.revision}）：现行计划中“{key.unit}”{reason}（{node}）",
                    "请按现行计划重新导出该单位的进度反馈表",
                    "stale-row",
                )
            else:
                problem(f"“{key.unit}”{reason}（{node}）", "请勿修改行键", "not-owed")
            return None
        ident = (measure.id, key.milestone, unit)
        if ident in seen:
            problem(
                f"与第 {seen[ident]} 行是同一单位的同一节点", "每个节点只填一行", "duplicate-row"
            )
            return None
        seen[ident] = row.row

        status = _clean(cells.get(fb.STATUS))
        progress = _clean(cells.get(fb.PROGRESS))
        evidence = _clean(cells.get(fb.EVIDENCE))
        reason = _clean(cells.get(fb.REASON))
        done_on, done_ok = _date(cells.get(fb.DONE_ON))
        until, until_ok = _date(cells.get(fb.NEW_DUE))
        if not filled:
            return None  # untouched
        bad = False
        if not status:
            problem(
                f"填写了{'、'.join(f'“{n}”' for n in filled)}，但没有选择“{fb.STATUS}”",
                f"请从下拉列表中选择状态：{'、'.join(STATUSES)}",
                "missing-status",
            )
            bad = True
        elif status not in STATUSES:
            problem(f"未知的状态“{status}”", f"状态只能是：{'、'.join(STATUSES)}", "bad-status")
            bad = True
        for name, ok in ((fb.DONE_ON, done_ok), (fb.NEW_DUE, until_ok)):
            if not ok:
                problem(
                    f"“{name}”一栏的“{_clean(cells.get(name))}”不是日期",
                    "请写成 2024-06-20、2024/6/20 或 2024年6月20日",
                    "bad-date",
                )
                bad = True
        if status == DONE and done_on is None and done_ok:
            problem(f"状态为“已完成”时须填写“{fb.DONE_ON}”", "例如 2024-06-20", "missing-date")
            bad = True
        if status == DELAYED:
            if until is None and until_ok:
                problem(
                    f"状态为“延期”时须填写“{fb.NEW_DUE}”（申请的新截止日期）",
                    "例如 2025-03-31",
                    "delay-without-date",
                )
                bad = True
            if not reason:
                problem(
                    f"状态为“延期”时须填写“{fb.REASON}”",
                    "例如 因机构调整，顺延三个月",
                    "delay-without-reason",
                )
                bad = True
            if (
                until is not None
                and key.milestone is not None
                and until.isoformat() <= key.milestone
            ):
                problem(
                    f"“{fb.NEW_DUE}”{until.isoformat()} 不晚于原截止日期 {key.milestone}",
                    "申请延期的新日期应晚于原截止日期",
                    "bad-until",
                )
                bad = True
        elif status:
            for name in (fb.NEW_DUE, fb.REASON):
                if _clean(cells.get(name)):
                    problem(
                        f"“{name}”只用于状态为“延期”的行，这一行的状态是“{status}”",
                        f"请删去“{name}”，或把状态改为“延期”",
                        "delay-fields",
                    )
                    bad = True
        if bad:
            return None
        date = done_on or self.today
        note = compose_note(progress, evidence, reason if status == DELAYED else "")
        in_force = self.in_force.get((measure.number, unit, key.milestone))
        if in_force is None and status == NOT_STARTED and not note and done_on is None:
            return None  # 未开始 is what no entry means
        if (
            in_force is not None
            and in_force.status == status
            and in_force.note == note
            and in_force.until == (until if status == DELAYED else None)
            and (done_on is None or in_force.date == done_on)
        ):
            return None  # what is in force already says this (whenever it was imported)
        # Late: asked for after the date then in force (the milestone's, or a new date granted
        # earlier), the rule of the plan's own check (checks._extension, extension-after-due).
        milestone = measure.milestone(key.milestone) if key.milestone else None
        in_force_due = (
            effective_due(self.extensions, milestone, unit) if milestone is not None else None
        )
        late = status == DELAYED and due_passed(in_force_due, date)
        if late and not self.approve_late:
            original = milestone is not None and in_force_due == milestone.due
            problem(
                f"{'原截止日期' if original else '已批准的延期日期'} {in_force_due} 已过"
                f"（记录日期 {date.isoformat()}），过期后申请的延期须经批准",
                "督办单位确认批准后，加 --approve-late 重新导入（记录写明 approved_late: true）；"
                "不批准的，请删去这一行的填写",
                "late-extension",
            )
            return None
        data: dict[str, Any] = {
            "measure": int(measure.id) if measure.id.isdigit() else measure.id,
            "unit": unit,
            "milestone": key.milestone,
            "status": status,
            "date": date.isoformat(),
            "note": note,
            "until": until.isoformat() if status == DELAYED and until else None,
            "approved_late": True if late else None,
        }
        return ProgressEntry.model_validate({k: v for k, v in data.items() if v not in (None, "")})


def import_progress(
    source: PlanSource,
    files: Sequence[tuple[Path, str]],
    today: dt.date,
    *,
    dry_run: bool = False,
    approve_late: bool = False,
) -> ImportResult:
    """Read every file, judge its rows against the plan under the lock, append the accepted.

    Raises as `record` does for the plan itself (invalid, unwritable, locked, changed meanwhile).
    """
    read = [read_feedback(path, shown) for path, shown in files]  # inputs: read before the lock
    results: list[FileResult] = []

    def build(plan: LoadedPlan) -> list[ProgressEntry]:
        results.clear()
        in_force = {k: r.entry for k, r in current_progress(plan).items()}
        judge = _Judge(plan, today, in_force, approve_late)
        entries: list[ProgressEntry] = []
        for one in read:
            result = judge.file(one)
            results.append(result)
            if result.accepted:
                for accepted in result.entries:
                    entry = accepted.entry
                    number = plan.number_of(entry.measure) or 0
                    milestone = entry.milestone.isoformat() if entry.milestone else None
                    in_force[(number, entry.unit, milestone)] = entry  # a later file sees it
                    entries.append(entry)
        return entries

    done = append_progress(source, build, today, dry_run=dry_run)
    return ImportResult(
        tuple(results),
        dry_run,
        0 if dry_run else len(done.entries),
        done.line,
        done.warning,
    )
