"""Terminal tables at 60, 80 and 120 columns: no unit name of the registry, date or number is
ever split across lines; unit lists break only after "、"; lines fit the window.

Two kinds of check. End to end: `kpzf …` with COLUMNS=60/80/120 prints lines that fit, and
every name of the registry appears in the output exactly as often as in the answer's cells (a
name split across two lines would be missing). Per cell: the pieces each cell is printed in
(render.layout.cell_pieces, the layout the command uses) put back together give the cell,
and no piece boundary falls inside a name, a date or a number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from conftest import PLAN, Run

from kpzf.core import queries as q
from kpzf.core.names import unit_terms
from kpzf.core.report import report
from kpzf.core.show import show
from kpzf.model.plan import load_plan
from kpzf.render import queries as views
from kpzf.render.layout import SEPARATOR, cell_len, cell_pieces, sheet_lines
from kpzf.render.sheets import View

TODAY = "2025-01-15"
WIDTHS = (60, 80, 120)
# Dates and numbers as a person reads them: none may be cut (checked independently of the
# layout's own rules).
NUMBERS = re.compile(
    r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月(?:\d{1,2}日|底)?|\d+(?:[/.:]\d+)*%?"
)
CLOSING = "、，。；：）"

COMMANDS: dict[str, tuple[str, ...]] = {
    "overdue": ("overdue", "--date", "2024-07-01"),
    "overdue-2025": ("overdue", "--date", "2025-01-01"),
    "upcoming": ("upcoming", "--date", "2024-06-01"),
    "unit": ("unit", "市委机构编制委员会办公室", "--date", "2024-07-01"),
    "unit-police": ("unit", "公安", "--date", "2024-07-01"),
    "unit-group": ("unit", "各镇(街)", "--date", "2025-01-01"),
    "units": ("units",),
    "report": ("report", "--date", "2024-07-01"),
    "report-area": ("report", "--by", "area", "--date", "2024-07-01"),
    "report-task": ("report", "--by", "task", "--date", "2024-07-01"),
    "show-27": ("show", "27", "--date", "2024-12-01"),
    "show-39": ("show", "39", "--date", "2024-07-01"),
}


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return load_plan(PLAN)


def names(plan) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(unit_terms(plan), key=len, reverse=True)


def view_of(plan, key: str) -> View:  # type: ignore[no-untyped-def]
    """The View the command builds (same query, same date), with the plan's names."""
    args = COMMANDS[key]
    on = dt.date.fromisoformat(args[args.index("--date") + 1]) if "--date" in args else None
    if args[0] == "overdue":
        view = views.overdue_view(q.overdue(plan, on), on, None, None)
    elif args[0] == "upcoming":
        view = views.upcoming_view(q.upcoming(plan, on, 30), on, 30, None, None)
    elif args[0] == "unit":
        view = views.unit_view(q.unit_duties(plan, args[1], on))
    elif args[0] == "units":
        view = views.units_view(q.unit_listing(plan))
    elif args[0] == "report":
        by = args[2] if args[1] == "--by" else "unit"
        view = views.report_view(report(plan, on, by))
    else:
        view = views.show_view(show(plan, args[1], on))
    return dataclasses.replace(view, terms=unit_terms(plan))


def boundaries(text: str, lines: list[str]) -> list[int]:
    """Offsets in `text` where one printed line ends and the next begins (spaces dropped at a
    break are skipped); asserts that the lines give back the text."""
    cuts, at = [], 0
    for index, line in enumerate(lines):
        while index and at < len(text) and text[at] == " " and not line.startswith(" "):
            at += 1
        assert text.startswith(line, at), (text, lines)
        at += len(line)
        if index < len(lines) - 1:
            cuts.append(at)
    assert text[at:].strip() == "", (text, lines)
    return cuts


def spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    found = [(m.start(), m.end()) for m in NUMBERS.finditer(text)]
    for word in words:
        start = text.find(word)
        while start >= 0:
            found.append((start, start + len(word)))
            start = text.find(word, start + 1)
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("key", sorted(COMMANDS))
def test_no_name_date_or_number_is_split(plan, key: str, width: int) -> None:  # type: ignore[no-untyped-def]
    view = view_of(plan, key)
    words = names(plan)
    for sheet in view.sheets:
        pieces = cell_pieces(sheet, width, view.terms)
        for row, printed in zip(sheet.rows, pieces, strict=True):
            for column, text, lines in zip(sheet.columns, row, printed, strict=True):
                if column.max_width is not None and len(lines) == 1 and lines[0].endswith("…"):
                    shown = lines[0].removesuffix("…")  # a clipped cell: cut between words
                    assert text.startswith(shown)
                    cut = len(shown)
                    assert not any(s < cut < e for s, e in spans(text, words)), (text, shown)
                    continue
                for paragraph, part in _paragraphs(text, lines):
                    for cut in boundaries(paragraph, part):
                        inside = [paragraph[s:e] for s, e in spans(paragraph, words) if s < cut < e]
                        assert not inside, f"{key} at {width}: {inside} split in {part}"
                    if column.wrap == "list":
                        assert not any(line.startswith(tuple(CLOSING)) for line in part[1:]), part


def _paragraphs(text: str, lines: list[str]) -> list[tuple[str, list[str]]]:
    """Split a cell's printed lines by the line breaks the text itself has."""
    result, rest = [], list(lines)
    for paragraph in text.split("\n"):
        taken: list[str] = []
        while rest and "".join(taken).replace(" ", "") != paragraph.replace(" ", ""):
            taken.append(rest.pop(0))
        result.append((paragraph, taken or [""]))
    return result


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("key", sorted(COMMANDS))
def test_command_output_at_the_window_width(
    run: Run, monkeypatch: pytest.MonkeyPatch, plan, key: str, width: int  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    result = run(*COMMANDS[key], today=TODAY)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    view = view_of(plan, key)
    # What the command printed is the layout of its sheets at this width.
    expected = []
    for index, sheet in enumerate(view.sheets):
        if index:
            expected.append("")
        expected += [line.text for line in sheet_lines(sheet, width, view.terms)]
    assert lines == expected
    # Every registry name is printed whole as often as the answer holds it (clipped measure
    # texts aside: the unit views cut them to one line).
    clipped = {i for s in view.sheets for i, c in enumerate(s.columns) if c.max_width}
    if clipped:
        return
    texts = [s.title or "" for s in view.sheets] + [c for s in view.sheets for r in s.rows for c in r]
    words = names(plan)
    for word in words:
        want = sum(t.count(word) for t in texts)
        assert result.out.count(word) == want, f"{key} at {width}: {word!r}"
    # Every date or number printed is a whole one of the answer (a split one would not be).
    headers = [c.header for s in view.sheets for c in s.columns]
    whole = {n for t in texts + headers for n in NUMBERS.findall(t)}
    assert set(NUMBERS.findall(result.out)) <= whole


def test_too_narrow_a_window_gives_one_item_per_block(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    out = run("overdue", "--date", "2024-07-01", today=TODAY).out
    assert "措施：20\n  亮灯：红灯\n  截止日期：2024-01-31\n  应完成：形成阶段性成果\n" in out
    monkeypatch.setenv("COLUMNS", "120")
    wide = run("overdue", "--date", "2024-07-01", today=TODAY).out.splitlines()
    # A table: the headings (a number column's may wrap under itself), a rule, then rows.
    assert wide[0].split()[:5] == ["措施", "亮灯", "截止日期", "应完成", "逾期天数"]
    assert wide[0].endswith("尚未完成的单位")
    rule = next(i for i, line in enumerate(wide) if set(line) == {"─"})
    assert wide[rule + 1].split()[0] == "20" and SEPARATOR in wide[rule + 1]
