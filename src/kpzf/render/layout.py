"""Terminal layout of a Sheet: column widths for the window, line breaks that never split a word.

Pure functions of text and a width (no Rich, no I/O), so that other render steps (escaping of
control characters, say) can wrap them: they take plain cell text in and give lines out.

- A cell is cut into *atoms* that are never broken across lines: a unit or group name of the
  plan (the `terms` a View carries), a date (2024-12-31, 2024年12月底), a number (441, 2/29,
  100%), a Latin word; anything else is one character. Closing punctuation (、，。）…) stays
  with the atom before it and opening punctuation (（“) with the atom after it, so no line
  starts with "、".
- Columns say how they may wrap (Column.wrap): "text" between atoms, "list" only after a "、"
  (unit lists), "none" never (numbers, dates, statuses); "clip" is one line cut with "…" at an
  atom boundary (a measure's text in a listing).
- Text and list columns get the room; numeric columns keep the width of their values and
  their headings wrap instead. When even the narrowest columns do not fit the window, the
  sheet is laid out one item per block ("heading：value" lines).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from rich.cells import cell_len as rich_cell_len  # (layout is imported only to print tables)

from ..records import record
from .sheets import Column, Sheet

SEPARATOR = "  "  # between columns
RULE = "─"
TEXT_FLOOR = 10  # a text column narrower than this (in cells) reads worse than blocks
CLIP_MARK = "…"
BLOCK_INDENT = "  "
SPACED_SHARE = 3  # blank lines between rows once a third of the rows wrap

# Never at the start of a line / never at the end of one (Chinese line-breaking rules).
_CLOSING = frozenset("、，。；：！？）》」』】〕”’%％)]},.;:!?…")
_OPENING = frozenset("（《「『【〔“‘([{")
_WORD = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}"  # 2024-12-31
    r"|\d{4}年(?:\d{1,2}月(?:\d{1,2}[日号]|底)?)?"  # 2024年12月底, 2024年5月15日, 2024年
    r"|\d{1,2}月(?:\d{1,2}[日号]|底)"  # 11月底, 5月15日
    r"|[0-9]+(?:[.,:/-][0-9]+)*[%％]?"  # 441, 2/29, 12.5%, 1,516
    r"|[A-Za-z][A-Za-z0-9_.'-]*"  # ASCII words
)


def cell_len(text: str) -> int:
    """Columns a text takes in a terminal (CJK characters two), as Rich counts them."""
    return rich_cell_len(text)


@record
class Terms:
    """Words never to break (unit and group names), indexed by their first character."""

    by_first: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, words: Iterable[str]) -> Terms:
        index: dict[str, list[str]] = {}
        for word in set(words):
            if len(word) > 1:
                index.setdefault(word[0], []).append(word)
        return cls({k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()})

    def match(self, text: str, at: int) -> str | None:
        for word in self.by_first.get(text[at], ()):
            if text.startswith(word, at):
                return word
        return None


NO_TERMS = Terms({})


@lru_cache(maxsize=64)
def _terms(words: frozenset[str]) -> Terms:
    return Terms.of(words)


def atoms(text: str, terms: Terms = NO_TERMS) -> list[str]:
    """`text` cut into pieces that a line may end after (see the module's docstring).

    "".join(atoms(text)) == text; a space is its own atom (dropped where a line breaks).
    """
    raw: list[str] = []
    at = 0
    while at < len(text):
        word = terms.match(text, at)
        if word is None:
            found = _WORD.match(text, at)
            word = found.group(0) if found else text[at]
        raw.append(word)
        at += len(word)
    joined: list[str] = []
    pending = ""  # opening punctuation waiting for the atom it belongs to
    for piece in raw:
        if piece in _OPENING:
            pending += piece
        elif pending:
            joined.append(pending + piece)
            pending = ""
        elif piece in _CLOSING and joined and not joined[-1].isspace():
            joined[-1] += piece
        else:
            joined.append(piece)
    if pending:
        joined.append(pending)
    return joined


def list_atoms(text: str, terms: Terms = NO_TERMS) -> list[str]:
    """A unit list ("市司法局、各镇（街）") breaks only after its "、": each item is one atom."""
    items = text.split("、")
    return [item + ("、" if i < len(items) - 1 else "") for i, item in enumerate(items) if item or i]


def cell_atoms(text: str, wrap: str, terms: Terms) -> list[str]:
    if wrap == "none":
        return [text] if text else []
    if wrap == "list":
        return list_atoms(text, terms)
    return atoms(text, terms)


def wrap_atoms(pieces: Sequence[str], width: int) -> list[str]:
    """Fill lines greedily with whole atoms; an atom wider than the line gets a line of its own."""
    lines: list[str] = []
    line, used = "", 0
    for piece in pieces:
        size = cell_len(piece)
        if piece.isspace():
            if line and used + size <= width:
                line, used = line + piece, used + size
            continue  # a space where the line breaks is dropped
        if line and used + size > width:
            lines.append(line.rstrip())
            line, used = "", 0
        line, used = line + piece, used + size
    if line or not lines:
        lines.append(line.rstrip())
    return lines


def wrap_cell(text: str, width: int, wrap: str = "text", terms: Terms = NO_TERMS) -> list[str]:
    """The lines of one cell in a column `width` cells wide (its own line breaks kept)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if wrap == "clip":
            lines.append(clip(paragraph, width, terms))
        elif wrap == "none":
            lines.append(paragraph)
        else:
            lines.extend(wrap_atoms(cell_atoms(paragraph, wrap, terms), width))
    return lines


def clip(text: str, width: int, terms: Terms = NO_TERMS) -> str:
    """One line of at most `width` cells, cut after a whole atom and marked "…" if cut."""
    if cell_len(text) <= width:
        return text
    kept, used = "", 0
    for piece in atoms(text, terms):
        size = cell_len(piece)
        if used + size > width - cell_len(CLIP_MARK):
            break
        kept, used = kept + piece, used + size
    return kept.rstrip() + CLIP_MARK


# --------------------------------------------------------------------------- widths


def _kind(column: Column) -> str:
    if column.justify == "right":
        return "none"
    if column.max_width is not None and column.wrap == "text":
        return "clip"
    return column.wrap


def _widest_atom(texts: Iterable[str], wrap: str, terms: Terms) -> int:
    widest = 0
    for text in texts:
        for paragraph in text.split("\n"):
            if wrap == "none":
                widest = max(widest, cell_len(paragraph))
            else:
                widest = max(widest, *(cell_len(a) for a in cell_atoms(paragraph, wrap, terms)), 0)
    return widest


HEADING_LINES = 2  # a heading may wrap to this many lines, no more
CHEAP_HEADING = 4  # cells a number column may take beyond its values to keep its heading whole


def _heading_width(header: str) -> int:
    """The least width at which a heading takes at most HEADING_LINES lines (never narrower
    than its widest character: a Chinese character takes two cells, "延期" cannot be 1 wide)."""
    for width in range(max((cell_len(c) for c in header), default=1), cell_len(header) + 1):
        if len(wrap_cell(header, width)) <= HEADING_LINES:
            return width
    return cell_len(header)


def _natural(texts: Iterable[str]) -> int:
    return max((cell_len(p) for t in texts for p in t.split("\n")), default=0)


def column_widths(sheet: Sheet, width: int, terms: Terms = NO_TERMS) -> list[int] | None:
    """Widths of the sheet's columns in a window `width` cells wide; None if it cannot fit.

    Each column has a least width (its widest atom; a number column its widest value, its
    heading wrapping below it) and a natural one (its longest line). Text columns grow first,
    in proportion to what they lack; number columns then grow to unwrap their headings.
    """
    columns = sheet.columns
    room = width - len(SEPARATOR) * (len(columns) - 1)
    least, most, kinds = [], [], []
    for index, column in enumerate(columns):
        kind = _kind(column)
        values = [row[index] for row in sheet.rows]
        heading = _heading_width(column.header)
        if kind == "none":
            low = max(_natural(values), heading)
            high = max(_natural(values), cell_len(column.header))
        else:
            high = max(_natural(values), cell_len(column.header))
            if kind == "clip":
                high = min(high, column.max_width or high)
                low = min(high, TEXT_FLOOR)
            else:
                floor = max(TEXT_FLOOR, column.min_width)
                low = max(_widest_atom(values, kind, terms), heading, min(high, floor))
        least.append(low)
        most.append(max(high, low))
        kinds.append(kind)
    if sum(least) > room:
        return None
    widths = list(least)
    spare = room - sum(widths)
    for i, kind in enumerate(kinds):  # a heading that two more cells keep on one line
        if kind == "none" and 0 < most[i] - widths[i] <= CHEAP_HEADING and spare >= most[i] - widths[i]:
            spare -= most[i] - widths[i]
            widths[i] = most[i]
    for group in ([i for i, k in enumerate(kinds) if k != "none"], range(len(columns))):
        while spare > 0:
            short = [i for i in group if widths[i] < most[i]]
            if not short:
                break
            # One cell to the column furthest from its natural width, relatively.
            pick = max(short, key=lambda i: ((most[i] - widths[i]) / most[i], -i))
            widths[pick] += 1
            spare -= 1
    return widths


# --------------------------------------------------------------------------- rendering


@record
class Line:
    text: str
    style: str = ""  # "title", "header", "rule", "" (body), "label"


def _pad(text: str, width: int, justify: str) -> str:
    gap = max(width - cell_len(text), 0)
    return " " * gap + text if justify == "right" else text + " " * gap


def table_cells(sheet: Sheet, widths: Sequence[int], terms: Terms) -> list[list[list[str]]]:
    """Every body cell as its lines, row by row."""
    kinds = [_kind(c) for c in sheet.columns]
    return [
        [wrap_cell(cell, w, k, terms) for cell, w, k in zip(row, widths, kinds, strict=True)]
        for row in sheet.rows
    ]


def table_lines(sheet: Sheet, widths: Sequence[int], terms: Terms = NO_TERMS) -> list[Line]:
    """Heading (wrapped), rule, rows; a blank line between rows when many take several lines
    (a continuation line starts with an empty first column, which is enough when few do)."""
    out: list[Line] = []
    if sheet.title:
        out.append(Line(sheet.title, "title"))
    heads = [wrap_cell(c.header, w, "text") for c, w in zip(sheet.columns, widths, strict=True)]
    justify = [c.justify for c in sheet.columns]
    out += [Line(text, "header") for text in _join_rows(heads, widths, justify)]
    out.append(Line(RULE * (sum(widths) + len(SEPARATOR) * (len(widths) - 1)), "rule"))
    cells = table_cells(sheet, widths, terms)
    wrapped = sum(any(len(lines) > 1 for lines in row) for row in cells)
    spaced = wrapped * SPACED_SHARE >= len(cells) > 0 and wrapped > 0
    for index, row in enumerate(cells):
        if spaced and index:
            out.append(Line(""))
        out += [Line(text) for text in _join_rows(row, widths, justify)]
    if not sheet.rows:
        out.append(Line(sheet.empty))
    return out


def _join_rows(cells: Sequence[list[str]], widths: Sequence[int], justify: Sequence[str]) -> list[str]:
    height = max((len(lines) for lines in cells), default=1)
    joined = []
    for k in range(height):
        parts = [
            _pad(lines[k] if k < len(lines) else "", w, j)
            for lines, w, j in zip(cells, widths, justify, strict=True)
        ]
        joined.append(SEPARATOR.join(parts).rstrip())
    return joined


def block_cell(
    column: Column, cell: str, width: int, terms: Terms, first: bool
) -> tuple[str | None, list[str]]:
    """One field of a block: (a label line of its own or None, the value's lines with indent).

    The value wraps under itself after "heading："; where even one atom does not fit beside
    the heading, the heading gets a line of its own and the value goes below it.
    """
    kind = _kind(column)
    wrap = "text" if kind in ("clip", "none") else kind
    indent = "" if first else BLOCK_INDENT
    label = f"{indent}{column.header}："
    room = max(width - cell_len(label), 1)
    lines = wrap_cell(cell, room, wrap, terms)
    if max(cell_len(line) for line in lines) > room:
        below = indent + BLOCK_INDENT
        return label, [below + line for line in wrap_cell(cell, max(width - len(below), 1), wrap, terms)]
    return None, [label + lines[0], *(" " * cell_len(label) + line for line in lines[1:])]


def block_lines(sheet: Sheet, width: int, terms: Terms = NO_TERMS) -> list[Line]:
    """One item per block: "heading：value" per column, values wrapped under themselves."""
    out: list[Line] = []
    if sheet.title:
        out.append(Line(sheet.title, "title"))
    for index, row in enumerate(sheet.rows):
        if index or sheet.title:
            out.append(Line(""))
        for position, (column, cell) in enumerate(zip(sheet.columns, row, strict=True)):
            if not cell:
                continue
            label, lines = block_cell(column, cell, width, terms, position == 0)
            if label is not None:
                out.append(Line(label, "label"))
            out += [Line(line) for line in lines]
    if not sheet.rows:
        out.append(Line(sheet.empty))
    return out


def cell_pieces(sheet: Sheet, width: int, words: frozenset[str] = frozenset()) -> list[list[list[str]]]:
    """Each body cell as the pieces of text it is printed in, line by line (for tests and for
    callers that check a layout): as `sheet_lines` lays the sheet out, labels and indents off."""
    terms = _terms(words)
    widths = column_widths(sheet, width, terms)
    if widths is not None:
        return table_cells(sheet, widths, terms)
    result = []
    for row in sheet.rows:
        cells = []
        for position, (column, cell) in enumerate(zip(sheet.columns, row, strict=True)):
            if not cell:
                cells.append([""])
                continue
            label, lines = block_cell(column, cell, width, terms, position == 0)
            if label is None:
                lead = cell_len(f"{'' if position == 0 else BLOCK_INDENT}{column.header}：")
                cells.append([_drop(line, lead) for line in lines])
            else:
                cells.append([line.lstrip(" ") for line in lines])
        result.append(cells)
    return result


def _drop(line: str, cells: int) -> str:
    """`line` without its first `cells` display cells (a label or its blank stand-in)."""
    used = 0
    for index, char in enumerate(line):
        if used >= cells:
            return line[index:]
        used += cell_len(char)
    return ""


def sheet_lines(sheet: Sheet, width: int, words: frozenset[str] = frozenset()) -> list[Line]:
    """The sheet for a window `width` cells wide: a table if it fits, else blocks."""
    terms = _terms(words)
    widths = column_widths(sheet, width, terms)
    if widths is None:
        return block_lines(sheet, width, terms)
    return table_lines(sheet, widths, terms)
