"""Everything the importer can say about a 台账 without the plan format: rows, units and their
roles, groups, alias proposals, deadlines, and the report of what it inferred and what waits
for a person.  The drafter (issue 13, after issue 12's format) turns this into plan.yaml."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ..model.deadline import Deadline, DeadlineError, parse_deadline
from ..records import record
from .columns import ColumnSpec, Role
from .labels import split_label
from .ledger import LedgerRow, build_rows
from .report import Finding, Report, Subject
from .source import read_table
from .table import Table
from .text import fold
from .units import (
    ASSIST,
    LEAD,
    RESPONSIBLE,
    AliasProposal,
    UnitCell,
    propose_aliases,
    read_unit_cell,
)

__all__ = ["Analysis", "AnalysedRow", "UnitEntry", "analyse", "analyse_table"]

_SUSPECT_UNIT = re.compile(r"[0-9]+\s*[年月日]|[。？！]|前$")
_YEAR = re.compile(r"(20[0-9]{2})\s*年")
_PERIOD = re.compile(r"(20[0-9]{2})\s*[—–\-－~～至到]+\s*(20[0-9]{2})\s*年")


@record
class AnalysedRow:
    row: LedgerRow
    units: UnitCell  # the 责任单位 column (empty cell when the table has none)
    lead: UnitCell  # the 牵头单位 column
    assist: UnitCell  # the 配合单位 column
    deadline: Deadline | None  # None: empty or unreadable (see `deadline_error`)
    deadline_error: str = ""

    @property
    def mentions(self) -> tuple[tuple[str, str], ...]:
        """(name, role) of every unit named in the row's unit columns, in order, once each."""
        seen: dict[str, str] = {}
        for cell in (self.lead, self.units, self.assist):
            for m in cell.mentions:
                seen.setdefault(m.name, m.role)
        return tuple(seen.items())


@record
class UnitEntry:
    name: str
    group: str | None  # group kind (see units.group_kind), None for a single unit
    first: str  # where it is first named (file:sheet:row)
    count: int  # rows naming it
    roles: tuple[str, ...]  # roles it is named in


@record
class Analysis:
    table: Table
    rows: tuple[AnalysedRow, ...]
    units: tuple[UnitEntry, ...]
    aliases: tuple[AliasProposal, ...]
    period: tuple[date, date] | None
    numbering: str  # "global" | "per-parent" | "none" | "irregular"
    report: Report


def _period(table: Table, rows: Sequence[LedgerRow]) -> tuple[date, date] | None:
    # The title's "（2023—2025年）"; not the body's, which cites parent plans with other periods.
    for line in table.preamble:
        if m := _PERIOD.search(line):
            a, b = int(m.group(1)), int(m.group(2))
            if a <= b:
                return date(a, 1, 1), date(b, 12, 31)
    years = [int(y) for r in rows for y in _YEAR.findall(r.deadline)]
    if not years:
        return None
    return date(min(years), 1, 1), date(max(years), 12, 31)


def _numbering(rows: Sequence[LedgerRow]) -> str:
    numbers = [r.number for r in rows]
    if not any(numbers):
        return "none"
    if all(n.isdigit() for n in numbers) and [int(n) for n in numbers] == list(range(1, len(rows) + 1)):
        return "global"
    by_parent: dict[str, list[str]] = {}
    for r in rows:
        parent = r.levels[-1].key if r.levels else ""
        by_parent.setdefault(parent, []).append(r.number)
    if all(
        all(n.isdigit() for n in ns) and [int(n) for n in ns] == list(range(1, len(ns) + 1))
        for ns in by_parent.values()
    ):
        return "per-parent"
    return "irregular"


def analyse(path: Path, *, sheet: str | None = None, columns: ColumnSpec | None = None) -> Analysis:
    return analyse_table(read_table(path, sheet=sheet, columns=columns))


def analyse_table(table: Table) -> Analysis:
    ledger_rows, findings = build_rows(table)
    findings = list(table.notes) + findings
    source = Subject("source", table.file)
    cols = table.columns
    explicit = "、".join(r.value for r in cols.explicit)
    findings.append(
        Finding(
            "columns",
            "列：" + cols.describe(table.header) + (f"（其中 {explicit} 由 --columns 指定）" if explicit else ""),
            source,
            where=table.header_origin.where if table.header_origin else table.file,
        )
    )
    period = _period(table, ledger_rows)
    if period is not None:
        findings.append(
            Finding(
                "period",
                f"实施期按文中年份推定为 {period[0].isoformat()} 至 {period[1].isoformat()}"
                "（用于展开“每年…”等重复时限）",
                source,
            )
        )
    if Role.DEADLINE not in cols:
        findings.append(Finding("no-deadline-column", "台账没有完成时限列：各项措施都没有期限", source))
    analysed: list[AnalysedRow] = []
    for r in ledger_rows:
        cells = (read_unit_cell(r.units, RESPONSIBLE), read_unit_cell(r.lead, LEAD), read_unit_cell(r.assist, ASSIST))
        findings.extend(_unit_findings(r, cells))
        deadline, error = _read_deadline(r, period, Role.DEADLINE in cols, findings)
        row = AnalysedRow(r, *cells, deadline, error)
        analysed.append(row)
        if deadline is not None:
            findings.extend(_deadline_units(row))
    entries = _registry(analysed)
    prose = [r.row.text for r in analysed] + ([table.body_text] if table.body_text else [])
    aliases = propose_aliases([e.name for e in entries], prose)
    findings.extend(_registry_findings(entries, aliases))
    statement = _first_is_lead(table, findings)
    if statement:
        findings.append(
            Finding(
                "first-unit-leads",
                f"文中说明“{statement}”：各措施的第一个单位可作为牵头单位、其余为配合单位；"
                "单位列中未写明牵头/配合的，目前都按“责任”读出，是否按此区分",
                source,
                detail=(statement,),
            )
        )
    numbering = _numbering(ledger_rows)
    if numbering == "irregular":
        findings.append(
            Finding("numbering", "措施编号既不是全表连续，也不是在各上级下从 1 重新开始，请核对", source)
        )
    findings.append(_levels_finding(ledger_rows, numbering, source))
    return Analysis(table, tuple(analysed), entries, tuple(aliases), period, numbering, Report.of(findings))


def _unit_findings(r: LedgerRow, cells: Sequence[UnitCell]) -> list[Finding]:
    out: list[Finding] = []
    for cell in cells:
        for m in cell.mentions:
            if _SUSPECT_UNIT.search(m.name) or len(m.name) > 24:
                out.append(
                    Finding(
                        "unit-suspect",
                        f"{r.where}: “{m.name}”不像单位名称，可能是单位与完成时限或说明连在了一起",
                        r.subject,
                        r.where,
                        detail=(m.name,),
                    )
                )
        out.extend(Finding("unit-role-guess", f"{r.where}: {q}", r.subject, r.where) for q in cell.questions)
        if cell.notes:
            out.append(
                Finding(
                    "unit-roles",
                    f"{r.where}: 单位“{cell.text}”按文字读出：" + "；".join(cell.notes),
                    r.subject,
                    r.where,
                )
            )
    if not any(cell.mentions for cell in cells):
        out.append(Finding("no-units", f"{r.where}: 措施{r.label or r.number}没有责任单位", r.subject, r.where))
    return out


def _read_deadline(
    r: LedgerRow, period: tuple[date, date] | None, has_column: bool, findings: list[Finding]
) -> tuple[Deadline | None, str]:
    """The row's deadline through kpzf's parser, or the parser's message."""
    if not r.deadline:
        if has_column:
            findings.append(
                Finding("no-deadline", f"{r.where}: 措施{r.label or r.number}没有完成时限", r.subject, r.where)
            )
        return None, ""
    # Without any year in the plan, recurring phrases have no period to expand in.
    start, end = period or (date(2000, 1, 1), date(2000, 1, 1))
    try:
        return parse_deadline(r.deadline, start, end), ""
    except DeadlineError as exc:
        findings.append(
            Finding(
                "deadline-unreadable",
                f"{r.where}: 完成时限“{r.deadline}”无法识别为日期或关键词（{exc.message.split('。')[0]}）",
                r.subject,
                r.where,
                detail=(r.deadline,),
            )
        )
        return None, exc.message


def _registry_findings(entries: Sequence[UnitEntry], aliases: Sequence[AliasProposal]) -> list[Finding]:
    out = [
        Finding(
            "alias",
            f"{a.reason}；建议以“{a.canonical}”为规范名称，“{a.alias}”为别名",
            Subject("alias", a.canonical),
            detail=(a.alias, a.canonical),
        )
        for a in aliases
    ]
    townships = [e.name for e in entries if e.group is None and re.search(r"(镇|乡|街道|街道办事处)$", e.name)]
    aliased = {a.alias for a in aliases}
    for e in entries:
        if e.group is None or e.group == "其他" or e.name in aliased:
            continue  # "其他…" is read per measure (deadline-other-units); an alias is asked once
        if e.group == "镇街" and townships:
            message = f"单位组“{e.name}”的成员台账没有列出；台账中出现的镇街：{'、'.join(townships)}，是否即全部成员"
        else:
            message = f"单位组“{e.name}”的成员台账没有列出，请列出其成员单位"
        out.append(Finding("group-members", message, Subject("group", e.name), e.first))
    return out


_FIRST_LEADS = re.compile(
    r"[^，。；,;:：（(]*(?:排在?|列|位于|写在)(?:第一位|首位|第一个|最前面?|前面)的?(?:单位)?(?:为|是)牵头(?:单位|部门)?"
)


def _first_is_lead(table: Table, findings: Sequence[Finding]) -> str:
    """The document's own statement that the first unit named is the lead, if it has one."""
    texts = [*table.header, *table.preamble, table.body_text]
    texts += [f.message for f in findings if f.code == "note-row"]
    for text in texts:
        m = _FIRST_LEADS.search(fold(text).replace(",", "，"))
        if m:
            return m.group(0).strip("“”\"")
    return ""


def _deadline_units(row: AnalysedRow) -> list[Finding]:
    """A milestone for some units only: each must be one of the row's units; "其他…" means the
    row's units other than those named elsewhere in the phrase."""
    assert row.deadline is not None
    r = row.row
    named = [name for name, _ in row.mentions]
    out: list[Finding] = []
    mentioned = {u for m in row.deadline.milestones for u in (m.units or ())}
    for unit in sorted(mentioned, key=lambda u: r.deadline.find(u)):
        if unit in named:
            continue
        if unit.startswith(("其他", "其它")):
            rest = [n for n in named if n not in mentioned]
            out.append(
                Finding(
                    "deadline-other-units",
                    f"{r.where}: 完成时限中的“{unit}”推定为本措施责任单位中除"
                    f"{'、'.join(sorted(mentioned - {unit}, key=r.deadline.find))}以外的单位："
                    f"{'、'.join(rest) or '（无）'}",
                    r.subject,
                    where=r.where,
                    detail=(unit, *rest),
                )
            )
        else:
            out.append(
                Finding(
                    "deadline-unit",
                    f"{r.where}: 完成时限中的“{unit}”不在本措施的责任单位中",
                    r.subject,
                    where=r.where,
                    detail=(unit,),
                )
            )
    return out


def _registry(rows: Sequence[AnalysedRow]) -> tuple[UnitEntry, ...]:
    first: dict[str, str] = {}
    count: Counter[str] = Counter()
    roles: dict[str, list[str]] = {}
    kinds: dict[str, str | None] = {}
    for row in rows:
        for cell in (row.lead, row.units, row.assist):
            for m in cell.mentions:
                first.setdefault(m.name, row.row.where)
                kinds.setdefault(m.name, m.group)
                if m.role not in roles.setdefault(m.name, []):
                    roles[m.name].append(m.role)
        for name in {m.name for c in (row.lead, row.units, row.assist) for m in c.mentions}:
            count[name] += 1
    return tuple(
        UnitEntry(name, kinds[name], first[name], count[name], tuple(roles[name])) for name in first
    )


def _levels_finding(rows: Sequence[LedgerRow], numbering: str, source: Subject) -> Finding:
    depth = max((len(r.levels) for r in rows), default=0)
    parts = []
    for i in range(depth):
        headings = {r.levels[i].key: r.levels[i] for r in rows if len(r.levels) > i}
        styles = Counter(h.style or "无标签" for h in headings.values())
        role = next(iter(headings.values())).role
        name = role.value if role else "标题行"
        parts.append(f"{name}（{len(headings)} 项，标签 {'、'.join(s for s, _ in styles.most_common())}）")
    labels = Counter(getattr(split_label(r.label), "style", None) for r in rows)
    measure_style = "、".join(str(s or "无标签") for s, _ in labels.most_common())
    scheme = {"global": "全表连续编号", "per-parent": "在各上级下从 1 编号", "none": "没有编号", "irregular": "编号不规则"}[numbering]
    parts.append(f"措施（{len(rows)} 项，标签 {measure_style}，{scheme}）")
    return Finding("levels", "层级：" + " → ".join(parts), source)
