"""The fast event reader gives exactly what the careful node walk gives, or hands over to it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from mutations import MUTATIONS, PLAN_TEXT, Mutation, mutate

from kpzf.errors import PlanError
from kpzf.io import read

PLAN = Path(__file__).resolve().parents[3] / "plan.yaml"


def outcome(parse: Any, text: str) -> tuple[Any, ...]:
    """Data and problems of a parse, or the problems it raised, comparable across readers."""
    try:
        doc = parse(text, "plan.yaml")
    except PlanError as exc:
        return (type(exc).__name__, [(p.where, p.message, p.code) for p in exc.problems])
    return ("ok", doc.data, [(p.where, p.message, p.code) for p in doc.problems])


CASES = [
    "",
    "---\n",
    "# only a comment\n",
    "a: 1\nb: [x, 'y', \"z\"]\nc: {d: ~, e: true, f: 1.5}\n",
    "a: 1\na: 2\n",  # duplicate key
    "a: &x [1]\nb: *x\n",  # alias of a collection
    "a: &x s\nb: *x\n",  # alias of a scalar
    "a: 010\nb: 0x1f\nc: 1_000\nd: -3\ne: 0\n",  # numbers other than plain decimals
    "? [1]\n: 2\n",  # a collection as a key
    "a: !!str 5\nb: !custom x\n",  # explicit tags
    "<<: {a: 1}\n",  # merge key
    "a: 2024-02-30\n",  # a date that does not exist
    "a: 2024-02-29\nb: '2024-02-29'\n",
    "a: [1, 2\n",  # syntax error
    "a: 1\n---\nb: 2\n",  # two documents
    "- 1\n- ''\n-\n- null\n- yes\n- 'no'\n",
    "1: a\ntrue: b\n",  # non-string keys
    "a:\n" + "  - " * 70 + "x\n",  # deeper than MAX_DEPTH
]


@pytest.mark.parametrize("text", CASES)
def test_same_outcome_as_the_node_walk(text: str) -> None:
    assert outcome(read.parse_text, text) == outcome(read._parse_nodes, text)


def test_shipped_plan_is_read_without_a_node_tree_and_positions_still_work() -> None:
    text = PLAN.read_text(encoding="utf-8")
    doc = read.parse_text(text, "plan.yaml")
    assert doc.data == read._parse_nodes(text, "plan.yaml").data
    assert doc._root is read.UNCOMPOSED  # the fast path really ran
    # The first measure's deadline, located on demand: the line is found by hand in plan.yaml.
    line = next(
        i for i, t in enumerate(text.splitlines(), 1) if t.strip().startswith("deadline:")
    )
    position = doc.locate(("items", 0, "items", 0, "measures", 0, "deadline"))
    assert position.line == line
    assert position.column == text.splitlines()[line - 1].index("2024") + 1


def test_equal_strings_are_shared_and_values_typed() -> None:
    doc = read.parse_text(
        "progress:\n"
        "- {measure: 1, unit: 市公安局, date: '2024-01-02'}\n"
        "- {measure: 12, unit: 市公安局, date: 2024-01-03}\n",
        "plan.yaml",
    )
    first, second = doc.data["progress"]
    assert first == {"measure": 1, "unit": "市公安局", "date": "2024-01-02"}
    assert second["measure"] == 12 and second["date"] == dt.date(2024, 1, 3)
    assert first["unit"] is second["unit"]
    assert next(iter(first)) is next(iter(second))  # the key "measure"


def test_a_valid_plan_is_checked_and_queried_without_a_node_tree() -> None:
    """Positions are for problems: composing the tree costs ~3 s and ~500 MB on a 100× plan."""
    from kpzf.checks import run_checks
    from kpzf.core import queries
    from kpzf.model.plan import load_plan

    plan = load_plan(PLAN, "plan.yaml")
    assert run_checks(plan, dt.date(2024, 7, 1)) == []
    queries.overdue(plan, dt.date(2024, 7, 1))
    assert plan.document._root is read.UNCOMPOSED


# --- the differential property: on mutated plans both readers give the same data or problems


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=st.lists(MUTATIONS, min_size=1, max_size=4))
def test_mutated_plans_read_the_same_by_both_readers(mutations: list[Mutation]) -> None:
    """parse_text (events first, the node walk when they hand over) and the node walk alone agree
    on every mutated plan: the same data and problems, or the same refusal. And whenever the
    event reader finishes on its own, the node walk finds nothing to say about the file."""
    text = mutate(mutations)
    assert outcome(read.parse_text, text) == outcome(read._parse_nodes, text)
    doc = read.Document("plan.yaml", text.encode("utf-8"), None, read.UNCOMPOSED, [])
    try:
        data = read._data_from_events(doc)
    except read._Fallback:
        event("events handed over to the node walk")
        return
    except UnicodeEncodeError:
        return  # lone surrogates: not UTF-8 at all, refused before either reader
    event("events read the file alone")
    careful = read._parse_nodes(text, "plan.yaml")
    assert careful.problems == [] and doc.problems == []
    assert data == careful.data


def test_the_mutation_base_is_read_by_the_event_reader_alone() -> None:
    """The property above is not vacuous: the unmutated text never needs the node walk."""
    doc = read.Document("plan.yaml", PLAN_TEXT.encode("utf-8"), None, read.UNCOMPOSED, [])
    assert read._data_from_events(doc) == read._parse_nodes(PLAN_TEXT, "plan.yaml").data
