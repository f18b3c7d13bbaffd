"""Tab-separated 台账 text as copied from a PDF or a web page (Kaiping's source is one).

Such text has lost the table's geometry: a cell broken across lines continues on a later line
with the same tabs; empty cells are dropped or doubled; labels of merged cells sit on the first
row only.  Rows are therefore anchored on the measure's own label ("(N)", or the 序号): a line
with an anchor starts a row, a line without one continues the row above cell by cell; the
non-empty cells left of the anchor are level labels (重点任务/具体任务), matched to their column
by label style, and the non-empty cells right of it fill the remaining columns in order.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .columns import ColumnSpec, Role, header_score, resolve_columns
from .errors import SourceError
from .grid import COLUMNS_HINT, HEADER_NEEDED
from .labels import LabelStyle, split_label
from .read_csv import decode, encoding_note, read_bytes
from .report import Finding, Subject
from .table import Cell, Origin, Row, Table
from .text import fold, squeeze, strip_markup, tidy

__all__ = ["read_text"]

# Lines that end the document after the 台账 (版记 of a 公文).
_TRAILER = re.compile(
    r"^\s*(公开方式|抄送|抄报|主送|[（(]此页无正文[)）]|附件\s*[0-9一二三四五六七八九十]"
    r"|.{0,40}(印发|印制)\s*$)"
)
_PREAMBLE_MAX = 60  # a title line is short; a longer line above the header is body text


def _cells(line: str) -> list[str]:
    return line.rstrip("\r").split("\t")


def _style(cell: str, plain: bool) -> str | None:
    label = split_label(strip_markup(cell), plain=plain)
    return label.style if label else None


def _find_header(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if "\t" in line and header_score([strip_markup(c) for c in _cells(line)]) >= 2:
            return i
    return None


def _preamble(lines: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for line in reversed(lines):
        text = squeeze(line)
        if not text:
            continue
        # a title line is short and is not a sentence or a numbered paragraph of the body
        prose = text.endswith(("。", "；", "]", "】")) or split_label(text) is not None
        if len(text) > _PREAMBLE_MAX or prose or len(found) == 3:
            break
        found.append(text)
    return tuple(reversed(found))


def read_text(path: Path, columns: ColumnSpec | None = None) -> Table:
    file = str(path)
    text, encoding = decode(read_bytes(path), file)
    lines = [line.rstrip("\r") for line in text.split("\n")]
    h = _find_header(lines)
    if h is None:
        raise SourceError(
            file,
            f"找不到制表符分隔的表头行：{HEADER_NEEDED}，各列之间用制表符分隔",
            hint=COLUMNS_HINT,
        )
    header = [strip_markup(c) for c in _cells(lines[h])]
    width = len(header)
    header_origin = Origin(file, "", h + 1)
    column_map = resolve_columns(header, width, columns, header_origin.where)
    notes: list[Finding] = [encoding_note(encoding, file)]

    # The table runs from the header to the 版记, or to the last line with a tab.
    end = len(lines)
    for i in range(h + 1, len(lines)):
        if "\t" not in lines[i] and _TRAILER.match(lines[i]):
            end = i
            break
    while end > h + 1 and "\t" not in lines[end - 1]:
        end -= 1
    region = range(h + 1, end)

    plain = Role.NUMBER in column_map
    styles = Counter(
        s for i in region for c in _cells(lines[i]) if (s := _style(c, plain)) is not None
    )
    anchor_style = styles.most_common(1)[0][0] if styles else None
    if anchor_style is not None and styles[anchor_style] < 2:
        anchor_style = None  # nothing numbers the rows: each line is a row, cells by position
    anchor_role = Role.NUMBER if anchor_style == LabelStyle.PLAIN and plain else Role.MEASURE
    anchor_col = column_map.get(anchor_role)
    assert anchor_col is not None  # resolve_columns guarantees the measure column
    level_cols = sorted(j for r, j in column_map.by_role.items() if j < anchor_col)
    after_cols = [j for j in range(anchor_col + 1, width)]

    # Raw rows: the anchor line's cells, continuation lines merged in by cell index.
    raw: list[tuple[int, list[str], int, list[int]]] = []  # (line, cells, anchor index, joined)
    loose: list[int] = []
    for i in region:
        line = lines[i]
        if not fold(strip_markup(line)):
            continue
        cells = _cells(line)
        if anchor_style is None:
            raw.append((i + 1, cells, anchor_col, []))
            continue
        a = next((j for j, c in enumerate(cells) if _style(c, plain) == anchor_style), None)
        if a is not None:
            raw.append((i + 1, cells, a, []))
            continue
        if not raw:
            loose.append(i + 1)
            continue
        _, prev, _, joined = raw[-1]
        joined.append(i + 1)
        if "\t" not in line:  # no cell position at all: it continues the last non-empty cell
            j = max((k for k, c in enumerate(prev) if c.strip()), default=0)
            prev[j] += line.strip()
            notes.append(
                Finding(
                    "continuation-line",
                    f"第 {i + 1} 行没有制表符，已接在上一行（第 {raw[-1][0]} 行）第 {j + 1} 个单元格之后",
                    Subject("source", file),
                    where=f"{file}:{i + 1}",
                )
            )
            continue
        prev.extend([""] * (len(cells) - len(prev)))
        for j, c in enumerate(cells):
            if c.strip():
                prev[j] += c
    if loose:
        notes.append(
            Finding(
                "lines-skipped",
                "表头与第一条措施之间的行没有措施编号，未读取：第 " + "、".join(map(str, loose)) + " 行",
                Subject("source", file),
                where=f"{file}:{loose[0]}",
            )
        )

    # Which level column each label style belongs to, learnt from rows that print them all.
    style_col: dict[str, int] = {}
    for _, cells, a, _ in raw:
        pre = [c for c in cells[:a] if c.strip()]
        if len(pre) == len(level_cols):
            for c, j in zip(pre, level_cols, strict=True):
                s = _style(c, False)
                if s is not None:
                    style_col.setdefault(s, j)

    rows: list[Row] = []
    realigned: list[int] = []
    for line_no, cells, a, joined in raw:
        out = [""] * width
        out[anchor_col] = cells[a]
        pre = [c for c in cells[:a] if c.strip()]
        free = list(level_cols)
        placed: dict[int, str] = {}
        for c in pre:
            col = style_col.get(_style(c, False) or "")
            if col is not None and col not in placed:
                placed[col] = c
        rest = [c for c in pre if c not in placed.values()]
        free = [j for j in level_cols if j not in placed]
        for c, j in zip(reversed(rest), reversed(free), strict=False):  # right-aligned
            placed[j] = c
        for j, c in placed.items():
            out[j] = c
        if a == anchor_col and len(cells) <= width:
            # the line keeps the header's layout: cells stay where they are
            for j in after_cols:
                out[j] = cells[j] if j < len(cells) else ""
            post = []
        else:
            post = [c for c in cells[a + 1:] if c.strip()]
        if len(post) > len(after_cols):
            extra = post[len(after_cols) - 1:]
            post = post[: len(after_cols) - 1] + ["".join(extra)]
            notes.append(
                Finding(
                    "extra-cells",
                    f"第 {line_no} 行措施之后有 {len(extra) + len(after_cols) - 1} 个单元格，多于表头的 "
                    f"{len(after_cols)} 列，最后几格已合并到“{tidy(header[after_cols[-1]])}”",
                    Subject("source", file),
                    where=f"{file}:{line_no}",
                )
            )
        for c, j in zip(post, after_cols, strict=False):
            out[j] = c
        expected = [j for j, c in enumerate(cells) if c.strip()]
        if a != anchor_col or any(j >= width or not out[j].strip() or out[j] != cells[j] for j in expected):
            realigned.append(line_no)
        rows.append(
            Row(
                Origin(file, "", line_no),
                tuple(Cell(c) for c in out),
                tuple(Origin(file, "", n) for n in joined),
            )
        )
    if not rows:
        raise SourceError(f"{file}:{h + 1}", "表头之后没有找到带编号的措施行")
    if realigned:
        notes.append(
            Finding(
                "realigned",
                f"{len(realigned)} 行的单元格与表头错位（文本提取丢失或多出了制表符），已按措施编号对齐："
                "第 " + "、".join(map(str, realigned)) + " 行",
                Subject("source", file),
                where=f"{file}:{realigned[0]}",
                detail=tuple(map(str, realigned)),
            )
        )
    return Table(
        file=file,
        part="",
        kind="text",
        header=tuple(header),
        header_origin=header_origin,
        columns=column_map,
        rows=tuple(rows),
        preamble=_preamble(lines[:h]),
        body_text="\n".join(lines[:h]),
        notes=tuple(notes),
    )
