"""Tables printed off a terminal without Rich (render.sheets._print_plain) are Rich's bytes.

`emit` writes a TableOutput's laid-out lines itself when stdout is not a terminal, so that a
piped or redirected `kpzf overdue` does not import rich.console. Rich, for the same output,
writes each line followed by a newline and nothing else; these tests print every view of
test_tables both ways at widths from narrow blocks to wide tables and compare, and check that
the cases Rich would change (a tab, a line wider than the console, colour forced, a terminal)
are left to Rich.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from test_tables import COMMANDS, view_of

from kpzf.core import queries as q
from kpzf.model.plan import load_plan
from kpzf.render import queries as views
from kpzf.render import sheets
from kpzf.render.sheets import Column, Sheet, TableOutput, View, as_table, emit

WIDTHS = (20, 40, 60, 80, 120, 200)


class Pipe(io.StringIO):
    """A redirected stdout: not a terminal."""

    def isatty(self) -> bool:
        return False


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    from conftest import PLAN

    return load_plan(PLAN)


def by_rich(table: TableOutput, width: int) -> str:
    from rich.console import Console

    out = Pipe()
    Console(file=out, highlight=False, emoji=False, width=width).print(table)
    return out.getvalue()


def emitted(table: TableOutput, monkeypatch: pytest.MonkeyPatch) -> tuple[str, bool]:
    """What `emit` printed, and whether it printed it without Rich."""
    out = Pipe()
    monkeypatch.setattr("sys.stdout", out)
    plain = sheets._print_plain(table)
    if not plain:
        emit(table)
    return out.getvalue(), plain


@pytest.fixture(autouse=True)
def _no_terminal_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*sheets._RICH_TERMINAL_VARIABLES, "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("key", sorted(COMMANDS))
def test_plain_print_is_richs(plan, key: str, width: int, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    table = as_table(view_of(plan, key))
    monkeypatch.setenv("COLUMNS", str(width))
    got, plain = emitted(table, monkeypatch)
    assert got == by_rich(table, width)
    assert got.count("\n") >= 2
    if width >= 60:  # the layout fits these widths: Rich is not needed (and not imported)
        assert plain


def test_width_without_columns_is_richs(plan, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console

    on = dt.date(2024, 7, 1)
    table = as_table(views.overdue_view(q.overdue(plan, on), on, None, None))
    got, plain = emitted(table, monkeypatch)
    width = Console(file=Pipe()).width  # Rich's guess for this process (80 under pytest)
    assert plain and got == by_rich(table, width)
    assert sheets._plain_width() == width


def one_cell(text: str, wrap: str = "text") -> TableOutput:
    return as_table(View((Sheet((Column("说明", wrap=wrap),), [[text]]),), None, ""))


def test_tab_and_overlong_lines_go_through_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    # A tab (Rich expands it), an unbreakable line wider than 40 (Rich crops it), and a cell
    # that wraps to lines of exactly 40 cells (printed as is).
    for table, rich_changes in ((one_cell("甲\t乙"), True), (one_cell("A" * 60, "none"), True),
                                (one_cell("长" * 60), False)):
        got, plain = emitted(table, monkeypatch)
        assert plain is not rich_changes
        assert got == by_rich(table, 40)
    assert by_rich(one_cell("A" * 60, "none"), 40) != "".join(
        text + "\n" for text, _ in one_cell("A" * 60, "none").lines(40))  # Rich did crop


@pytest.mark.parametrize("variable", ["FORCE_COLOR", "TTY_COMPATIBLE"])
def test_forced_terminal_goes_through_rich(variable: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(variable, "1")
    monkeypatch.setenv("COLUMNS", "80")
    assert sheets._plain_width() is None
    assert not emitted(one_cell("甲"), monkeypatch)[1]


def test_terminal_goes_through_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout", Terminal())
    assert sheets._plain_width() is None


@pytest.mark.parametrize("columns", ["0", "abc", ""])
def test_odd_columns_go_through_rich(columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout", Pipe())
    monkeypatch.setenv("COLUMNS", columns)
    assert sheets._plain_width() is None
