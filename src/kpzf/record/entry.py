"""Recording progress: an entry built from the command line, checked against the plan, appended.

Everything between reading plan.yaml and replacing it happens under the file's lock (write.py).
The entry is judged by the plan's own checks (checks.run_checks on the plan with the entry
added), so `kpzf record` and `kpzf validate` can never disagree about what a valid entry is.
append_locked is the one locked read-check-append-replace of every command that writes to
plan.yaml: record and import-progress (progress), notice --log (notices, record/notices.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from ..checks import completed, run_checks
from ..core.names import find_single_unit, parse_measure_number
from ..errors import EntryRefused, KpzfError, PlanError, TargetUnusable, UsageError
from ..io import write
from ..io.files import UTF8_BOM, decode
from ..io.locate import PlanSource
from ..io.read import parse_text
from ..model.models import ProgressEntry, typed_date
from ..model.plan import LoadedPlan, build_plan
from ..model.progress import STATUSES, current_progress, milestone_key_for
from ..model.resolve import Milestone, ResolvedMeasure
from ..records import record
from .append import Splice, append_items, entry_data, flow_item


@record
class EntryRequest:
    """What the person typed, before it is checked against the plan."""

    measure: str
    unit: str
    status: str
    milestone: str | None
    date: dt.date
    note: str = ""
    until: dt.date | None = None  # 延期: the approved new due date
    approved_late: bool = False


@record
class Outcome:
    """What was written, and which entry (if any) it now supersedes."""

    entry: ProgressEntry
    line: int  # 1-based line of the new entry in the file
    superseded: ProgressEntry | None
    superseded_line: int | None
    warning: str | None = None  # the entry is written, but something deserves a word


# --------------------------------------------------------------------------- the target file


def package_dir() -> Path:
    """The installed kpzf package; nothing inside it is ever written to."""
    return Path(__file__).resolve().parents[1]


def writable_target(source: PlanSource, command: str = "kpzf record") -> Path:
    """The real path to write (symlinks followed, so a link stays a link), or a refusal."""
    hint = f"请用 --plan PATH 指定要写入的计划文件，或在存放 plan.yaml 的目录中运行 {command}"
    if source.embedded:
        raise TargetUnusable(
            f"当前使用的是安装包内置的 plan.yaml（只读副本），{command} 不会写入它", hint=hint
        )
    try:
        special = write.through_special(source.path)
        target = Path(os.path.realpath(source.path))
    except OSError as exc:  # a relative path in a working directory that was deleted
        raise TargetUnusable(
            f"无法确定 {source.shown} 的位置：{write.describe(exc)}",
            hint="当前目录可能已被删除；请用绝对路径 --plan 指定计划文件",
        ) from None
    if special:
        # /dev/stdin, /proc/self/fd/0 …: "the file behind a descriptor", which may be a copy the
        # shell opened; rewriting it is never what `kpzf record` was asked to do.
        raise TargetUnusable(
            f"{source.shown} 不是磁盘上的计划文件（它指向 /dev 或 /proc 中的特殊文件），{command} 不会写入它",
            hint=hint,
        )
    if target.is_relative_to(package_dir()):
        raise TargetUnusable(
            f"{source.shown} 位于 kpzf 安装包内（{package_dir()}），{command} 不会写入安装包中的文件",
            hint=hint,
        )
    return target


# --------------------------------------------------------------------------- building the entry


def _text_argument(value: str, option: str) -> str:
    value = value.strip()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(
            f"{option} 的值含有无法识别的字符", hint="请检查终端是否使用 UTF-8 编码"
        ) from None
    return value


def parse_measure(plan: LoadedPlan, value: str) -> ResolvedMeasure:
    """The measure typed on the command line: 18, （18）, 措施18, 十八 (core.names.parse_measure_number)."""
    by_id = plan.number_of(value.strip())
    if by_id is not None:
        return plan.measures[by_id]
    last = max(plan.measures, default=0)
    number = parse_measure_number(value, last)
    measure = plan.measures.get(number)
    if measure is None:
        raise UsageError(f"措施 {number} 不存在", hint=f"措施序号为 1 至 {last}")
    return measure


def _milestone_list(measure: ResolvedMeasure, unit: str | None) -> str:
    rows = []
    for m in measure.milestones:
        note = "" if unit is None or unit in m.units else f"（不适用于{unit}）"
        rows.append(f"{m.index}. {m.key or '（无日期）'} {m.what}{note}")
    return "；".join(rows)


def choose_milestone(measure: ResolvedMeasure, value: str | None, unit: str | None) -> str | None:
    """The milestone key an entry names: by due date or 1-based index; implied if only one."""
    milestones = measure.milestones
    if value is None:
        if len(milestones) <= 1:
            return milestones[0].key if milestones else None
        # Only one of them binds this unit (measure 39 and 市公安局): that is the one meant.
        own = [m for m in milestones if unit is not None and unit in m.units]
        if len(own) == 1 and own[0].key is not None:
            return own[0].key
        raise UsageError(
            f"措施 {measure.number} 有 {len(milestones)} 个节点，请用 --milestone 指明是哪一个",
            hint=f"可以写截止日期或序号：{_milestone_list(measure, unit)}",
        )
    text = unicodedata.normalize("NFKC", value).strip()
    if not milestones:
        raise UsageError(
            f"措施 {measure.number}（{measure.deadline}）没有带日期的节点，请省略 --milestone"
        )
    chosen: Milestone | None = None
    due = typed_date(text)
    if re.fullmatch(r"[0-9]+", text):
        index = int(text) if len(text.lstrip("0")) <= 9 else 0  # 4,300 digits do not convert
        if 1 <= index <= len(milestones):
            chosen = milestones[index - 1]
    elif due is not None:  # 2024-05-31, 2024/5/31, 2024年5月31日
        chosen = measure.milestone(due.isoformat())
    else:
        raise UsageError(
            f"--milestone 的值“{value if len(value) <= 40 else value[:40] + chr(0x2026)}”既不是节点序号，也不是 YYYY-MM-DD 格式的截止日期",
            hint=f"措施 {measure.number} 的节点：{_milestone_list(measure, unit)}",
        )
    if chosen is None:
        raise UsageError(
            f"措施 {measure.number} 没有节点“{value if len(value) <= 40 else value[:40] + '…'}”",
            hint=f"措施 {measure.number} 的节点：{_milestone_list(measure, unit)}",
        )
    if chosen.key is None and len(milestones) > 1:
        raise UsageError(
            f"措施 {measure.number} 的节点 {chosen.index} 没有截止日期，进度记录无法指明它",
            hint="请在 plan.yaml 中为该节点写明日期，或手工记录",
        )
    return chosen.key


def build_entry(plan: LoadedPlan, request: EntryRequest) -> ProgressEntry:
    """The entry a request stands for; names that match nothing in the plan are bad arguments."""
    status = _text_argument(request.status, "--status")
    if status not in STATUSES:
        raise UsageError(f"未知的状态“{request.status}”", hint=f"状态只能是：{'、'.join(STATUSES)}")
    note = _text_argument(request.note, "--note")
    measure = parse_measure(plan, request.measure)
    # The one way every command resolves a typed unit; a group is refused here (exit 2).
    unit = find_single_unit(plan, _text_argument(request.unit, "--unit"))
    milestone = choose_milestone(
        measure,
        None if request.milestone is None else _text_argument(request.milestone, "--milestone"),
        unit,
    )
    data = {
        # Integer ids (Kaiping's 1–66) stay integers in the file; dotted ids are text.
        "measure": measure.number if measure.id == str(measure.number) else measure.id,
        "unit": unit,
        "milestone": milestone,
        "status": status,
        "date": request.date.isoformat(),
        "note": note,
        "until": request.until.isoformat() if request.until else None,
        "approved_late": True if request.approved_late else None,
    }
    try:
        return ProgressEntry.model_validate({k: v for k, v in data.items() if v not in (None, "")})
    except ValidationError as exc:  # pragma: no cover - every field was checked above
        # pydantic's message is English: say which field instead.
        fields = "、".join(str(e["loc"][0]) for e in exc.errors() if e["loc"])
        raise UsageError(f"进度记录无效（字段：{fields or '未知'}）") from None


# The checks speak of plan.yaml fields; on the command line the same advice names the option.
COMMAND_LINE_HINTS = {
    "delay-without-reason": "请用 --note 写明原因，例如 --note 因机构调整顺延至2025年3月",
}


def check_entry(plan: LoadedPlan, entry: ProgressEntry, today: dt.date) -> None:
    """Refuse the entry if the plan's own checks object to the plan with it appended.

    The plan is valid before (the caller made sure), so every problem is the new entry's:
    unit not responsible, a milestone not for this unit, 延期 without a reason,
    a date before the plan period or after today.
    """
    model = dataclasses.replace(plan.model, progress=[*plan.model.progress, entry])
    problems = run_checks(dataclasses.replace(plan, model=model), today)
    if not problems:
        return
    hints = [COMMAND_LINE_HINTS.get(p.code, p.hint) for p in problems]
    raise EntryRefused(
        "记录未写入：" + "；".join(dict.fromkeys(p.message for p in problems)),
        hint="\n".join(dict.fromkeys(h for h in hints if h)),
    )


# --------------------------------------------------------------------------- reading and verifying


def _load(data: bytes, shown: str) -> LoadedPlan:
    return build_plan(parse_text(decode(shown, data), shown))


E = TypeVar("E")  # an entry of one of those lists: ProgressEntry, NoticeEntry


@record
class Log(Generic[E]):
    """A top-level list of plan.yaml that kpzf appends to (progress, notices)."""

    section: str  # the key: "progress", "notices"
    data: Callable[[E], dict[str, Any]]  # an entry as YAML reads it back, in field order
    words: str  # what its items are called in messages: "记录", "催办记录"
    command: str  # the command that writes it, for the refusals of writable_target


PROGRESS: Log[ProgressEntry] = Log("progress", entry_data, "记录", "kpzf record")


def verify(
    old: LoadedPlan, splice: Splice, entries: Sequence[E], today: dt.date, log: Log[E]
) -> LoadedPlan:
    """Re-read the new text and prove it says what the old one said, plus exactly `entries`
    at the end of `log`'s list; the re-read plan, or a refusal."""
    new: LoadedPlan | None
    try:
        new = build_plan(parse_text(splice.text, old.path))
    except PlanError:
        new = None
    if new is None or not _same_plus_entries(old, new, entries, log) or run_checks(new, today):
        lines = "\n".join(f"  - {flow_item(log.data(e))}" for e in entries)
        section = log.section
        raise KpzfError(
            f"追加后的文件未通过复核（重新读取后与原文件加这些{log.words}不一致），本次未写入",
            hint=f"plan.yaml 中 {section} 部分的写法可能特殊；请手工在 {section} 列表末尾添加下面"
            f"{'一行' if len(entries) == 1 else '各行'}，再运行 kpzf validate；"
            f"如果写法很普通，请把此信息报告给维护者：\n{lines}",
        )
    return new


def _same_plus_entries(
    old: LoadedPlan, new: LoadedPlan, entries: Sequence[E], log: Log[E]
) -> bool:
    """`new` holds exactly what `old` held, plus `entries` at the end of `log`'s list: as YAML
    data and as the model's entries."""
    section = log.section
    old_data, new_data = dict(old.document.data), dict(new.document.data)
    old_log = old_data.pop(section, None) or []
    new_log = new_data.pop(section, None)
    keys = [*old.document.data] + ([] if section in old.document.data else [section])
    old_entries, new_entries = list(getattr(old.model, section)), list(getattr(new.model, section))
    count, kept = len(old_log), len(old_entries)
    return (
        not new.document.problems
        and list(new.document.data) == keys
        and new_data == old_data
        and isinstance(new_log, list)
        and len(new_log) == count + len(entries)
        and new_log[:count] == old_log
        and new_log[count:] == [log.data(e) for e in entries]
        and new_entries[:kept] == old_entries
        and new_entries[kept:] == list(entries)
    )


def _superseded(plan: LoadedPlan, entry: ProgressEntry) -> tuple[ProgressEntry, int] | None:
    number = plan.number_of(entry.measure)
    measure = None if number is None else plan.measures.get(number)
    key = (number or 0, entry.unit, milestone_key_for(entry, measure))
    recorded = current_progress(plan).get(key)
    if recorded is None:
        return None
    return recorded.entry, plan.document.locate(("progress", recorded.index)).line


# --------------------------------------------------------------------------- the whole operation


@record
class Appended(Generic[E]):
    """What one locked read-check-append-replace did."""

    plan: LoadedPlan  # the plan as read under the lock, before the entries
    entries: tuple[E, ...]  # appended in this order (none: nothing was written)
    line: int  # 1-based line of the first new entry (0 when none)
    warning: str | None = None  # written, but something deserves a word (see LockedFile.replace)
    written: LoadedPlan | None = None  # the plan as re-read from the text written (None: none)


def append_locked(
    source: PlanSource,
    log: Log[E],
    build: Callable[[LoadedPlan], Sequence[E]],
    today: dt.date,
    *,
    dry_run: bool = False,
) -> Appended[E]:
    """Read the plan under its lock, let `build` choose the entries, append them all at once.

    The one writing path of every command that adds to plan.yaml (`record`, `import-progress`
    to progress; `notice --log` to notices): one lock, the plan checked valid first, every
    entry spliced in one text edit (append.append_items), the result re-read and compared with
    the old plan plus exactly these entries, then one atomic replace. `build` sees the plan as
    it is under the lock (so a concurrent writer's entry is in it) and raises to refuse; it
    returns entries the plan's checks accept. `dry_run`: nothing written.
    """
    target = writable_target(source, log.command)
    with write.locked(target, source.shown) as handle:
        snapshot = handle.read()
        try:
            plan = _load(snapshot.data, source.shown)
        except PlanError as exc:
            raise completed(exc, today) from None
        problems = run_checks(plan, today)
        if problems:
            raise PlanError(problems)
        entries = tuple(build(plan))
        if not entries or dry_run:
            return Appended(plan, entries, 0)
        splice = append_items(plan.document, log.section, [log.data(e) for e in entries])
        written = verify(plan, splice, entries, today, log)
        bom = UTF8_BOM if snapshot.data.startswith(UTF8_BOM) else b""
        warning = handle.replace(bom + splice.text.encode("utf-8"), snapshot)
    return Appended(plan, entries, splice.line, warning, written)


def append_progress(
    source: PlanSource,
    build: Callable[[LoadedPlan], Sequence[ProgressEntry]],
    today: dt.date,
    *,
    dry_run: bool = False,
) -> Appended[ProgressEntry]:
    """append_locked to the progress log (`record`, `import-progress`)."""
    return append_locked(source, PROGRESS, build, today, dry_run=dry_run)


def record_progress(source: PlanSource, request: EntryRequest, today: dt.date) -> Outcome:
    """Check the entry against the plan and append it, all under the file's lock.

    Raises, leaving the file byte-for-byte unchanged: UsageError (exit 2) for arguments that
    are malformed or name nothing (or a group) in the plan; TargetUnusable/UnusableInput (exit 2)
    for a file that cannot be written at all; PlanError (exit 1) if the plan itself is invalid;
    EntryRefused (exit 1) if the plan's checks reject the entry; LayoutError, FileChanged,
    LockTimeout or a failed re-read (exit 1) if it cannot be written safely.
    """

    def one_entry(plan: LoadedPlan) -> list[ProgressEntry]:
        entry = build_entry(plan, request)
        check_entry(plan, entry, today)
        return [entry]

    done = append_progress(source, one_entry, today)
    entry = done.entries[0]
    try:
        previous = _superseded(done.plan, entry)
    except Exception:  # noqa: BLE001 - written already: the exit code must still say so
        previous = None
    return Outcome(
        entry,
        done.line,
        previous[0] if previous else None,
        previous[1] if previous else None,
        done.warning,
    )
