"""From a neutral Table to 台账 rows: level labels filled down, labels split off, numbers read,
continuation rows merged, and task membership checked against the document's body text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..records import record
from .columns import UNIT_ROLES, Role
from .errors import SourceError
from .labels import Label, LabelStyle, split_label
from .report import Finding, Subject
from .table import Origin, Row, Table
from .text import fold, latin_words, strip_markup, tidy
from .units import split_embedded_units, tidy_units

__all__ = ["Heading", "LedgerRow", "build_rows", "LEVEL_ROLES"]

LEVEL_ROLES = (Role.AREA, Role.TASK)
# A measure's body paragraph must hold this share of its character trigrams, and beat the
# next paragraph by this margin, before the body overrides the 台账's label.
BODY_MATCH = 0.8
BODY_MARGIN = 0.3


@record
class Heading:
    """A level item (重点任务, 具体任务 …) as printed: label, number and title."""

    role: Role | None  # its column; None for a heading printed as a row across the table
    label: str  # "（一）", "1.", "" when unlabelled
    style: str | None
    path: str  # "1", "2.3", "" when unlabelled
    title: str
    origin: Origin

    @property
    def key(self) -> str:
        return f"{self.style}|{self.path}|{fold(self.title)}"


@record
class LedgerRow:
    origin: Origin
    levels: tuple[Heading, ...]  # outermost first
    label: str  # the measure's label as printed ("（1）"), "" if none
    number: str  # from 序号, else from the label ("27", "2.3"); "" if neither
    text: str
    units: str
    lead: str
    assist: str
    deadline: str
    progress: str
    inherited: frozenset[Role] = frozenset()  # level cells empty or merged, taken from above
    joined: tuple[Origin, ...] = ()

    @property
    def where(self) -> str:
        return self.origin.where

    @property
    def subject(self) -> Subject:
        return Subject("measure", self.origin.where, self.number)


def _display_label(label: Label) -> str:
    return tidy(label.label)


def _heading(text: str, role: Role | None, origin: Origin) -> Heading:
    text = tidy(text)
    label = split_label(text)
    if label is None:
        return Heading(role, "", None, "", text, origin)
    return Heading(role, _display_label(label), label.style, label.path, tidy(label.rest), origin)


def _is_heading_row(row: Row, table: Table) -> str | None:
    """A row that carries one text across the table (merged, or in its first cell only) and
    starts with a label: a level heading printed as a row.  Returns its text."""
    texts = {fold(c.text) for c in row.cells if fold(c.text)}
    if len(texts) != 1:
        return None
    text = next(c.text for c in row.cells if fold(c.text))
    merged = sum(1 for c in row.cells if c.merged_from is not None)
    first_only = fold(row.cells[0].text) != "" and all(not fold(c.text) for c in row.cells[1:])
    if not (merged or first_only) or len(row.cells) < 2:
        return None
    label = split_label(tidy(text))
    measure = table.columns.get(Role.MEASURE)
    if label is None or (measure == 0 and first_only and not merged):
        return None
    return text


def _is_note_row(row: Row) -> bool:
    """A remark merged across the whole row ("注：…", "说明：…") without a label."""
    texts = {fold(c.text) for c in row.cells}
    if len(texts) != 1 or len(row.cells) < 2 or not next(iter(texts)):
        return False
    return split_label(tidy(row.cells[0].text)) is None


def build_rows(table: Table) -> tuple[tuple[LedgerRow, ...], list[Finding]]:
    cols = table.columns
    levels = [r for r in LEVEL_ROLES if r in cols]
    findings: list[Finding] = []
    current: dict[Role, Heading] = {}
    row_headings: list[Heading] = []  # headings printed as rows across the table
    heading_styles: list[str | None] = []  # their label styles, outermost first
    rows: list[LedgerRow] = []
    numbered = sum(
        1
        for r in table.rows
        if (cols.get(Role.NUMBER) is not None and split_label(r.text(cols.get(Role.NUMBER)), plain=True))
        or split_label(tidy(r.text(cols.get(Role.MEASURE))))
    )
    uses_numbers = numbered * 2 >= len(table.rows)
    # No unit column: the units may close each measure's text, "（牵头单位：X；责任单位：Y）".
    embedded = not any(r in cols for r in UNIT_ROLES)
    embedded_rows = 0
    for row in table.rows:
        if _is_note_row(row):
            findings.append(
                Finding(
                    "note-row",
                    f"{row.origin.where}: 横跨整行的说明“{tidy(row.cells[0].text or next(c.text for c in row.cells if c.text))}”不是措施，未作为数据",
                    Subject("source", table.file),
                    where=row.origin.where,
                )
            )
            continue
        heading_text = _is_heading_row(row, table)
        if heading_text is not None:
            h = _heading(heading_text, None, row.origin)
            if h.style not in heading_styles:  # outer levels are printed first
                heading_styles.append(h.style)
            depth = heading_styles.index(h.style)
            row_headings = [x for x in row_headings if heading_styles.index(x.style) < depth]
            row_headings.append(h)
            continue
        inherited: set[Role] = set()
        new_label = False
        for role in levels:
            cell = row.cell(cols.get(role))
            text = tidy(cell.text) if cell else ""
            if cell is not None and cell.merged_from is not None:
                inherited.add(role)
            if not text:
                inherited.add(role)
                continue
            before = current.get(role)
            if before is None or fold(text) != fold(f"{before.label}{before.title}"):
                current[role] = _heading(text, role, row.origin)
                new_label = cell is not None and cell.merged_from is None
                # a new outer level starts its inner levels afresh
                for inner in levels[levels.index(role) + 1:]:
                    if inner in current and fold(row.text(cols.get(inner))) == "":
                        findings.append(
                            Finding(
                                "missing-inner-label",
                                f"{row.origin.where}: 新的{role.value}“{current[role].label}{current[role].title}”"
                                f"下没有{inner.value}标签，沿用上一行的“{current[inner].label}{current[inner].title}”"
                                "（标签可能晚印了一行）",
                                Subject("measure", row.origin.where),
                                where=row.origin.where,
                            )
                        )
        measure_raw = tidy(row.text(cols.get(Role.MEASURE)))
        label = split_label(measure_raw)
        text = tidy(label.rest) if label else measure_raw
        units_in_text = ""
        if embedded and (split := split_embedded_units(text)) is not None:
            text, units_in_text = split
            embedded_rows += 1
        number = ""
        if cols.get(Role.NUMBER) is not None:
            n = split_label(row.text(cols.get(Role.NUMBER)), plain=True)
            number = n.path if n else tidy(row.text(cols.get(Role.NUMBER)))
        if not number and label is not None:
            number = label.path
        others = {role: tidy(row.text(cols.get(role))) for role in (Role.DEADLINE, Role.PROGRESS)}
        for role in (Role.UNITS, Role.LEAD, Role.ASSIST):
            others[role], spaced = tidy_units(units_in_text if role == Role.UNITS and embedded else row.text(cols.get(role)))
            if spaced:
                findings.append(
                    Finding(
                        "space-separated-units",
                        f"{row.origin.where}: {role.value}“{others[role]}”原以空格分隔，已改用“、”",
                        Subject("measure", row.origin.where, number),
                        where=row.origin.where,
                    )
                )
        if not text and not any(others.values()):
            continue  # a row with level labels only: the labels carry on to the next row
        if uses_numbers and not number and not new_label and rows:
            # a row the page break cut in two: its second half has no number of its own
            prev = rows[-1]
            rows[-1] = replace(
                prev,
                text=prev.text + text,
                units=prev.units + others[Role.UNITS],
                lead=prev.lead + others[Role.LEAD],
                assist=prev.assist + others[Role.ASSIST],
                deadline=prev.deadline + others[Role.DEADLINE],
                progress=prev.progress + others[Role.PROGRESS],
                joined=(*prev.joined, row.origin),
            )
            findings.append(
                Finding(
                    "continuation-row",
                    f"{row.origin.where}: 这一行没有编号，视为上一行（{prev.origin.where}）跨页的续行，已合并",
                    prev.subject,
                    where=row.origin.where,
                )
            )
            continue
        headings = tuple(row_headings) + tuple(current[r] for r in levels if r in current)
        rows.append(
            LedgerRow(
                origin=row.origin,
                levels=headings,
                label=_display_label(label) if label else "",
                number=number,
                text=text,
                units=others[Role.UNITS],
                lead=others[Role.LEAD],
                assist=others[Role.ASSIST],
                deadline=others[Role.DEADLINE],
                progress=others[Role.PROGRESS],
                inherited=frozenset(inherited),
                joined=row.joined,
            )
        )
    if embedded:
        if not embedded_rows:
            shown = "、".join(fold(h) for h in table.header if fold(h))
            raise SourceError(
                table.header_origin.where if table.header_origin else table.file,
                "表头中没有单位列（责任单位/牵头单位/配合单位），措施末尾也没有“（牵头单位：…；责任单位：…）”"
                + (f"；表头为：{shown}" if shown else ""),
                hint="可用 --columns 指定，如 --columns 责任单位=D",
            )
        findings.append(
            Finding(
                "embedded-units",
                f"台账没有单位列：{embedded_rows} 项措施的单位取自措施末尾括号中的“牵头单位：…；责任单位：…”",
                Subject("source", table.file),
                where=table.header_origin.where if table.header_origin else table.file,
            )
        )
    for r in rows:
        for part, value in (("措施", r.text), ("责任单位", r.units), ("完成时限", r.deadline)):
            words = latin_words(value)
            if words:
                findings.append(
                    Finding(
                        "latin-word",
                        f"{r.where}: {part}中夹有英文“{'、'.join(words)}”，可能是提取错误"
                        "（如“and”原为“和”），请对照原件",
                        r.subject,
                        where=r.where,
                        detail=tuple(words),
                    )
                )
    if table.body_text and levels:
        moved, notes = apply_body(rows, table.body_text)
        rows = moved
        findings.extend(notes)
    return tuple(rows), findings


# --- task membership from the body text ------------------------------------------------------


def _grams(text: str, n: int = 3) -> set[str]:
    s = re.sub(r"[^\w]", "", fold(text))
    return {s[i : i + n] for i in range(len(s) - n + 1)}


def _paragraphs(body: str) -> list[tuple[Label, str]]:
    """Labelled paragraphs of the body; a line without a label continues the one above (the
    extraction breaks paragraphs at page ends)."""
    out: list[tuple[Label, str]] = []
    for line in body.split("\n"):
        text = strip_markup(line).strip()
        if not text:
            continue
        label = split_label(text)
        if label is not None and label.style != LabelStyle.PLAIN:
            out.append((label, text))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + text)
    return out


def _similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a) if a else 0.0


def apply_body(rows: Sequence[LedgerRow], body: str) -> tuple[list[LedgerRow], list[Finding]]:
    """Where the body's numbered paragraphs say which 具体任务 a measure belongs to, use that.

    The innermost level with numbered labels is matched to the body paragraphs of the same
    label style and number (the best-matching title when several have that number); each
    measure then goes to the paragraph that contains it, when the match is clear.
    """
    inner = {h.key: h for r in rows for h in r.levels[-1:] if h.style and h.path}
    if not inner:
        return list(rows), []
    paragraphs = _paragraphs(body)
    chosen: dict[str, tuple[Heading, set[str]]] = {}
    for key, h in inner.items():
        candidates = [
            (_similarity(_grams(h.title), _grams(text.split("。", 1)[0])), text)
            for label, text in paragraphs
            if label.style == h.style and label.path == h.path
        ]
        if not candidates:
            continue
        score, text = max(candidates)
        if score >= 0.5:
            chosen[key] = (h, _grams(text))
    if len(chosen) < 2:
        return list(rows), []
    # the outer levels of each inner heading, as the 台账 prints them where it first appears
    outer: dict[str, tuple[Heading, ...]] = {}
    for r in rows:
        outer.setdefault(r.levels[-1].key, r.levels[:-1])
    findings: list[Finding] = []
    out: list[LedgerRow] = []
    checked = 0
    for r in rows:
        g = _grams(r.text)
        scores = sorted(((_similarity(g, pg), key) for key, (_, pg) in chosen.items()), reverse=True)
        (best, key), second = scores[0], (scores[1][0] if len(scores) > 1 else 0.0)
        if best < BODY_MATCH or best - second < BODY_MARGIN:
            out.append(r)
            continue
        checked += 1
        here = r.levels[-1] if r.levels else None
        if here is not None and here.key == key:
            out.append(r)
            continue
        target = chosen[key][0]
        findings.append(
            Finding(
                "late-task-label",
                f"{r.where}: 措施{r.label or r.number}在台账中列在“{here.label if here else ''}"
                f"{here.title if here else ''}”下，正文写在“{target.label}{target.title}”中，"
                "已按正文归入（台账的标签可能晚印了一行）",
                r.subject,
                where=r.where,
                detail=(here.path if here else "", target.path),
            )
        )
        out.append(replace(r, levels=(*outer[key], target)))
    findings.insert(
        0,
        Finding(
            "body-membership",
            f"依据正文的编号段落核对了 {checked} 项措施的归属（共 {len(rows)} 项），"
            f"其中 {sum(f.code == 'late-task-label' for f in findings)} 项与台账标签不同，已按正文归入",
            Subject("source", rows[0].origin.file if rows else ""),
        ),
    )
    return out, findings
