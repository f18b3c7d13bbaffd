"""Drafting a version-2 plan.yaml from an `Analysis`: the text is written here, line by line, so
that every `# 待确认：…` comment sits at the place it is about, and the same analysis always
gives the same bytes.

What the draft holds: meta (title, 文号, 发文机关, 印发日期, 实施期 when the source states them),
structure (levels named by the 台账's headers, their numbering), units and groups (canonical
names, proposed aliases, group members left empty and asked for), and the items with each
measure's label, id, text, unit strings, unit_refs, roles and deadline as printed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import field
from datetime import date

import yaml

from ..model.deadline import Deadline, DeadlineError, parse_deadline
from ..records import record
from .analyse import AnalysedRow, Analysis
from .columns import Role
from .ledger import Heading
from .report import Finding, Report
from .text import fold, has_cjk, tidy
from .units import ASSIST, LEAD, RESPONSIBLE

__all__ = ["Draft", "draft_plan"]

_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}〔(?:19|20)[0-9]{2}〕[0-9]+号$")
_ISSUED = re.compile(r"^((?:19|20)[0-9]{2})年([0-9]{1,2})月([0-9]{1,2})日(?:印发)?$")
_LEDGER_SUFFIX = re.compile(r"(任务台账|工作台账|台账|任务清单|任务分工表|任务分解表|责任分解表?)$")


@record
class Draft:
    text: str  # the plan.yaml draft
    report: Report  # every finding; those with confirm=True are also comments in the text
    placed: tuple[Finding, ...] = field(default=())  # findings written as comments in the text


def scalar(value: str) -> str:
    """A YAML scalar for `value`: plain when it reads back as the same string, else quoted."""
    if value and "\n" not in value and value == value.strip():
        try:
            if yaml.safe_load(value) == value and not value.startswith(("*", "&", "!", "%", "@", "`")):
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.placed: list[Finding] = []

    def line(self, indent: int, text: str) -> None:
        self.lines.append(" " * indent + text)

    def comment(self, indent: int, text: str) -> None:
        for part in text.split("\n"):
            self.lines.append(" " * indent + ("# " + part if part else "#"))

    def findings(self, indent: int, findings: Sequence[Finding]) -> None:
        for f in findings:
            if f.confirm:
                self.comment(indent, f.comment)
                self.placed.append(f)

    def items(self, indent: int, key: str, values: Sequence[str]) -> None:
        if not values:
            self.line(indent, f"{key}: []")
            return
        self.line(indent, f"{key}:")
        for v in values:
            self.line(indent + 2, f"- {scalar(v)}")


# --- metadata ------------------------------------------------------------------------------


def _meta(analysis: Analysis) -> tuple[dict[str, str], list[str]]:
    """Fields found in the masthead and title lines, and the notes saying where from."""
    table = analysis.table
    lines = [tidy(x) for x in table.body_text.split("\n") if tidy(x)]
    found: dict[str, str] = {}
    notes: list[str] = []
    for text in lines[:12]:
        if "doc_number" not in found and _DOC_NUMBER.match(fold(text).replace("[", "〔").replace("]", "〕")):
            found["doc_number"] = text
        if "issuer" not in found and text.endswith("文件") and len(text) > 4:
            found["issuer"] = text[: -len("文件")]
        if "issued" not in found and (m := _ISSUED.match(text.replace(" ", ""))):
            y, mo, d = (int(g) for g in m.groups())
            found["issued"] = f"{y:04d}-{mo:02d}-{d:02d}"
    titles = [t for t in (tidy(x) for x in table.preamble) if has_cjk(t) and len(t) >= 6]
    if titles:
        ledger_title = titles[-1]
        title = _LEDGER_SUFFIX.sub("", ledger_title) or ledger_title
        found["title"] = title
        notes.append(f"标题取自表头上方的“{ledger_title}”")
    if "doc_number" in found:
        notes.append("文号、发文机关、印发日期取自正文开头的版头")
    return found, notes


# --- structure -----------------------------------------------------------------------------


def _header_name(analysis: Analysis, role: Role) -> str:
    j = analysis.table.columns.get(role)
    header = analysis.table.header
    name = tidy(header[j]) if j is not None and j < len(header) else ""
    return name or role.value


def _sequence_numbering(groups: Sequence[Sequence[str]], flat: Sequence[str]) -> str:
    def consecutive(ns: Sequence[str]) -> bool:
        return all(n.isdigit() for n in ns) and [int(n) for n in ns] == list(range(1, len(ns) + 1))

    if flat and consecutive(flat):
        return "global"
    if groups and all(consecutive(g) for g in groups):
        return "per-parent"
    return "none"


def _level_numbering(rows: Sequence[AnalysedRow], depth: int) -> str:
    seen: dict[str, Heading] = {}
    parents: dict[str, list[str]] = {}
    for r in rows:
        if len(r.row.levels) <= depth:
            continue
        h = r.row.levels[depth]
        if h.key in seen:
            continue
        seen[h.key] = h
        parent = "/".join(x.key for x in r.row.levels[:depth])
        parents.setdefault(parent, []).append(h.path.split(".")[-1] if h.path else "")
    flat = [h.path.split(".")[-1] if h.path else "" for h in seen.values()]
    return _sequence_numbering(list(parents.values()), flat)


# --- registry ------------------------------------------------------------------------------


@record(frozen=False)
class _Entry:
    name: str
    group: bool
    aliases: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    note: str = ""


def _registry(analysis: Analysis) -> tuple[list[_Entry], list[Finding]]:
    report = analysis.report
    aliases = {a.alias: a for a in analysis.aliases}
    # an alias whose canonical name is itself an alias is asked for, not chained
    entries: dict[str, _Entry] = {}
    for e in analysis.units:
        if e.name in aliases:
            continue
        entries[e.name] = _Entry(e.name, e.group is not None)
    loose: list[Finding] = []
    for a in analysis.aliases:
        target = entries.get(a.canonical)
        found = [f for f in report.by_code("alias") if f.detail == (a.alias, a.canonical)]
        if target is None:
            loose.extend(found)
            continue
        target.aliases.append(a.alias)
        target.findings.extend(found)
    for f in report.by_code("group-members"):
        if f.subject.key in entries:
            entries[f.subject.key].findings.append(f)
    # "其他…" in a deadline: the measure's units other than those named; a group made of them
    for f in report.by_code("deadline-other-units"):
        name, *members = f.detail
        if name not in entries:
            # The units the same deadline names besides "其他…" are not among the others, even
            # where they belong to a member group (39: 市公安局、市交通运输局 in 市直行政执法部门).
            named = {  # a dict keeps the deadline's order
                u: None
                for row in analysis.rows
                if row.row.where == f.where and row.deadline is not None
                for m in row.deadline.milestones
                for u in (m.units or ())
            }
            entries[name] = _Entry(
                name,
                True,
                members=[m for m in members if m in entries or m in aliases],
                exclude=[u for u in named if u != name and (u in entries or u in aliases)],
            )
            entries[name].note = f"据 {f.where} 的完成时限推定"
            entries[name].findings.append(f)
    # a unit named only in a deadline is registered, and asked about at the measure
    for f in report.by_code("deadline-unit"):
        (name,) = f.detail[:1]
        if name not in entries and name not in aliases:
            entries[name] = _Entry(name, False, note=f"只在 {f.where} 的完成时限中出现")
    return list(entries.values()), loose


def _write_registry(w: _Writer, entries: Sequence[_Entry], loose: Sequence[Finding]) -> None:
    units = [e for e in entries if not e.group]
    groups = [e for e in entries if e.group]
    w.comment(0, "-" * 75)
    w.comment(0, "责任单位名录：name 为规范名称（按台账中第一次出现的写法），aliases 为别名与简称")
    w.comment(0, "-" * 75)
    _write_entries(w, "units", units)
    w.findings(0, loose)
    w.line(0, "")
    w.comment(0, "单位组：members 写单位或组的规范名称；台账没有写明的成员留空，待确认后填写")
    _write_entries(w, "groups", groups)


def _write_entries(w: _Writer, key: str, entries: Sequence[_Entry]) -> None:
    """`units:` or `groups:` and their entries; a group also has members (and exclude)."""
    w.line(0, f"{key}:" if entries else f"{key}: []")
    for e in entries:
        w.findings(2, e.findings)
        w.line(2, f"- name: {scalar(e.name)}")
        if e.aliases:
            w.items(4, "aliases", e.aliases)
        if e.group:
            w.items(4, "members", e.members)
            if e.exclude:
                w.items(4, "exclude", e.exclude)
        if e.note:
            w.line(4, f"note: {scalar(e.note)}")


# --- items ---------------------------------------------------------------------------------


@record(frozen=False)
class _Node:
    heading: Heading | None
    children: dict[str, _Node] = field(default_factory=dict)
    measures: list[AnalysedRow] = field(default_factory=list)


def _tree(rows: Sequence[AnalysedRow]) -> _Node:
    root = _Node(None)
    for r in rows:
        node = root
        for h in r.row.levels:
            node = node.children.setdefault(h.key, _Node(h))
        node.measures.append(r)
    return root


def _units_text(r: AnalysedRow) -> str:
    """The unit columns as one string: the 责任单位 cell as printed, or the role columns joined
    under their labels (which model/roles.py reads back to the same roles)."""
    parts = []
    if r.lead.text:
        parts.append(f"牵头单位：{r.lead.text}")
    if r.assist.text:
        parts.append(f"配合单位：{r.assist.text}")
    if not parts:
        return r.units.text
    if r.units.text:
        parts.append(f"责任单位：{r.units.text}")
    return "；".join(parts)


def reading(deadline: Deadline) -> str:
    """What the parser read in a deadline phrase, for the comment under it."""
    parts = []
    shown = deadline.milestones[:4]
    for m in shown:
        text = m.due.isoformat() if m.due else "无具体日期"
        if m.what:
            text += f" {m.what}"
        if m.units:
            text += f"（{'、'.join(m.units)}）"
        parts.append(text)
    if len(deadline.milestones) > len(shown):
        parts.append(f"……共 {len(deadline.milestones)} 个节点")
    if deadline.ongoing:
        parts.append("之后持续推进" if parts else "持续推进，无到期日")
    elif not parts:
        parts.append("无具体日期，永不逾期")
    return "；".join(parts)


@record
class _Dates:
    """The dates the draft's own plan will parse its deadlines with (version 2 defaults)."""

    start: date
    end: date
    effective: date

    def read(self, phrase: str) -> Deadline | None:
        try:
            return parse_deadline(phrase, self.start, self.end, effective_start=self.effective, yearless="plan-year")
        except DeadlineError:
            return None


def _write_measure(w: _Writer, indent: int, r: AnalysedRow, with_id: bool, report: Report, dates: _Dates | None) -> None:
    row = r.row
    w.findings(indent, [f for f in report.findings if f.subject.kind == "measure" and f.subject.key == row.where])
    first = True

    def field_line(text: str) -> None:
        nonlocal first
        w.line(indent, ("- " if first else "  ") + text)
        first = False

    if with_id and row.number:
        field_line(f"id: {row.number if row.number.isdigit() and not row.number.startswith('0') else scalar(row.number)}")
    label = row.label or row.number
    if label:
        field_line(f"label: {scalar(label)}")
    field_line(f"text: {scalar(row.text)}" if row.text else 'text: ""')
    units = _units_text(r)
    field_line(f"units: {scalar(units)}" if units else 'units: ""')
    names = [name for name, _ in r.mentions]
    w.items(indent + 2, "unit_refs", names)
    by_role: dict[str, list[str]] = {LEAD: [], ASSIST: [], RESPONSIBLE: []}
    for name, role in r.mentions:
        by_role[role].append(name)
    if by_role[LEAD] or by_role[ASSIST]:
        for key, role in (("lead", LEAD), ("assist", ASSIST), ("responsible", RESPONSIBLE)):
            if by_role[role]:
                w.items(indent + 2, key, by_role[role])
    if row.deadline:
        w.line(indent + 2, f"deadline: {scalar(row.deadline)}")
        parsed = dates.read(row.deadline) if dates is not None and r.deadline is not None else None
        if parsed is not None:
            w.comment(indent + 2, f"读作：{reading(parsed)}")
    if row.progress:
        w.line(indent + 2, f"note: {scalar(row.progress)}")


def _write_node(w: _Writer, indent: int, node: _Node, with_id: bool, report: Report, dates: _Dates | None) -> None:
    if node.children:
        w.line(indent, "items:")
        for child in node.children.values():
            h = child.heading
            assert h is not None
            first = "- "
            if h.label:
                w.line(indent + 2, f"- label: {scalar(h.label)}")
                first = "  "
            w.line(indent + 2, f"{first}title: {scalar(h.title) if h.title else scalar(h.label or '（无标题）')}")
            _write_node(w, indent + 4, child, with_id, report, dates)
    if node.measures:
        w.line(indent, "measures:")
        for r in node.measures:
            _write_measure(w, indent + 2, r, with_id, report, dates)


def _dates(analysis: Analysis, meta: dict[str, str]) -> _Dates | None:
    """As the model will have them: the period, and the effective start (issued, else the
    period's start)."""
    if analysis.period is None:
        return None
    start, end = analysis.period
    effective = date.fromisoformat(meta["issued"]) if "issued" in meta else start
    return _Dates(start, end, effective)


# --- the draft -----------------------------------------------------------------------------


def draft_plan(analysis: Analysis, source_name: str) -> Draft:
    """The plan.yaml draft for `analysis` (of the file shown as `source_name`)."""
    report = analysis.report
    rows = analysis.rows
    w = _Writer()
    source_findings = [f for f in report.findings if f.subject.kind in ("source", "column")]
    w.line(0, "# yaml-language-server: $schema=./plan.schema.json")
    w.comment(0, f"由 kpzf import 从 {source_name} 起草。请逐条处理“待确认”，核对后删去这些注释，")
    w.comment(0, "再运行 kpzf validate 校验。")
    w.comment(0, "")
    for f in source_findings:
        w.comment(0, f.comment)
        if f.confirm:
            w.placed.append(f)
    w.line(0, "")
    w.line(0, "version: 2")
    w.line(0, "")

    # meta
    found, notes = _meta(analysis)
    for n in notes:
        w.comment(0, f"推断：{n}")
    if "title" not in found:
        w.comment(0, "待确认：表头上方没有方案标题，暂以文件名代替，请改为方案的正式标题")
    w.line(0, "meta:")
    w.line(2, f"title: {scalar(found.get('title', source_name))}")
    for key in ("doc_number", "issuer"):
        if key in found:
            w.line(2, f"{key}: {scalar(found[key])}")
    if "issued" in found:
        w.line(2, f'issued: "{found["issued"]}"')
    if analysis.period is not None:
        start, end = analysis.period
        w.line(2, f'period: {{start: "{start.isoformat()}", end: "{end.isoformat()}"}}')
    w.line(0, "")

    # structure
    cols = analysis.table.columns
    depth = max((len(r.row.levels) for r in rows), default=0)
    level_names: list[str] = []
    for i in range(depth):
        role = next((r.row.levels[i].role for r in rows if len(r.row.levels) > i), None)
        level_names.append(_header_name(analysis, role) if role is not None else "类别")
    measure_numbering = {"global": "global", "per-parent": "per-parent"}.get(analysis.numbering, "none")
    w.comment(0, "方案的层级（由外到内，名称取自台账表头）与编号方式")
    w.line(0, "structure:")
    w.line(2, "levels:")
    for i, name in enumerate(level_names):
        w.line(4, f"- {{name: {scalar(name)}, numbering: {_level_numbering(rows, i)}}}")
    w.line(4, f"- {{name: {scalar(_header_name(analysis, Role.MEASURE))}, numbering: {measure_numbering}}}")
    unit_roles = [r for r in (Role.LEAD, Role.ASSIST, Role.UNITS) if r in cols]
    units_header = "、".join(_header_name(analysis, r) for r in unit_roles) or "责任单位"
    deadline_header = scalar(_header_name(analysis, Role.DEADLINE)) if Role.DEADLINE in cols else "null"
    progress_header = _header_name(analysis, Role.PROGRESS) if Role.PROGRESS in cols else "进度情况"
    w.line(
        2,
        f"columns: {{units: {scalar(units_header)}, deadline: {deadline_header}, progress: {scalar(progress_header)}}}",
    )
    w.line(0, "")

    entries, loose = _registry(analysis)
    _write_registry(w, entries, loose)
    w.line(0, "")

    w.comment(0, "-" * 75)
    w.comment(0, f"各级条目与措施（{len(rows)} 项），照录台账；id 为稳定编号，进度记录以它指称措施")
    w.comment(0, "-" * 75)
    tree = _tree(rows)
    with_id = analysis.numbering in ("global", "irregular") and len({r.row.number for r in rows}) == len(rows)
    if not tree.children and not tree.measures:
        w.comment(0, "待确认：台账中没有读出措施")
        w.line(0, "measures: []")
    else:
        _write_node(w, 0, tree, with_id, report, _dates(analysis, found))
    w.line(0, "")
    w.line(0, "progress: []")
    return Draft("\n".join(w.lines) + "\n", report, tuple(w.placed))


def summary(draft: Draft) -> str:
    """The stderr summary: counts, then every point to confirm, one a line."""
    confirm = draft.report.to_confirm
    lines = [
        f"推断 {len(draft.report.inferred)} 项，待确认 {len(confirm)} 项"
        + ("（已写成草稿中的“# 待确认：”注释）" if confirm else "")
    ]
    lines += [f"  待确认：{f.message}" for f in confirm]
    return "\n".join(lines)

