"""`@record` behaves as `@dataclass(frozen=True)` does (or `@dataclass` with frozen=False).

Each behaviour is checked against the same class declared with the standard library's
`@dataclass`, so that what `@record` promises is what dataclasses document, not what
`@record` happens to do."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import pytest

from kpzf.records import record


def _pair(frozen: bool = True, **options: Any) -> tuple[type, type]:
    """The same class body, as a record and as a standard dataclass."""

    def body() -> type:
        class Item:
            """An item."""

            name: str
            count: int = 0
            tags: list[str] = field(default_factory=list)
            hidden: str = field(default="h", repr=False)
            ignored: int = field(default=0, compare=False)

        return Item

    return (record(frozen=frozen, **options)(body()),
            dataclass(frozen=frozen, **options)(body()))


@pytest.mark.parametrize("slots", [False, True])
def test_construction_matches_dataclass(slots: bool) -> None:
    mine, theirs = _pair(slots=slots)
    for args, kwargs in [(("a",), {}), (("a", 2), {"tags": ["x"]}),
                         ((), {"name": "b", "hidden": "x", "ignored": 5})]:
        a, b = mine(*args, **kwargs), theirs(*args, **kwargs)
        assert dataclasses.asdict(a) == dataclasses.asdict(b)
    assert mine("a").tags is not mine("a").tags  # a fresh default per instance
    with pytest.raises(TypeError):
        mine()  # name is required
    with pytest.raises(TypeError):
        mine("a", 1, [], "h", 0, "extra")
    with pytest.raises(TypeError):
        mine("a", nonsense=1)


def test_equality_hash_and_repr_match_dataclass() -> None:
    mine, theirs = _pair()
    a, b = mine("a", 1, ["t"], "x", 1), theirs("a", 1, ["t"], "x", 1)
    assert repr(a) == repr(b)
    assert repr(a) == "_pair.<locals>.body.<locals>.Item(name='a', count=1, tags=['t'], ignored=1)"
    assert mine("a", 1) == mine("a", 1, ignored=9)  # compare=False is not compared
    assert mine("a", 1) != mine("a", 2)
    assert mine("a") != theirs("a")  # another class is never equal
    x, y = mine("a", 1, ("t",)), mine("a", 1, ("t",), ignored=4)  # type: ignore[arg-type]
    assert hash(x) == hash(y)
    assert hash(x) == hash(theirs("a", 1, ("t",)))  # the same field tuple hashed


def test_frozen_refuses_assignment_and_deletion() -> None:
    mine, _ = _pair()
    item = mine("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.name = "b"
    with pytest.raises(dataclasses.FrozenInstanceError):
        del item.name
    assert item.name == "a"


def test_mutable_record_assigns_and_is_unhashable() -> None:
    mine, theirs = _pair(frozen=False)
    item = mine("a")
    item.count = 3
    assert item.count == 3
    assert mine.__hash__ is None and theirs.__hash__ is None


def test_kw_only_slots_and_replace() -> None:
    mine, theirs = _pair(slots=True, kw_only=True)
    with pytest.raises(TypeError):
        mine("a")
    item = mine(name="a")
    assert not hasattr(item, "__dict__")
    assert "__slots__" in mine.__dict__ and mine.__slots__ == theirs.__slots__
    changed = dataclasses.replace(item, count=4)
    assert (changed.name, changed.count, item.count) == ("a", 4, 0)
    assert [f.name for f in dataclasses.fields(mine)] == [f.name for f in dataclasses.fields(theirs)]


def test_post_init_and_init_false_fields() -> None:
    @record
    class Total:
        parts: tuple[int, ...]
        total: int = field(init=False, default=0)
        seen: list[int] = field(init=False, default_factory=list)

        def __post_init__(self) -> None:
            object.__setattr__(self, "total", sum(self.parts))

    made = Total((1, 2, 3))
    assert (made.total, made.seen) == (6, [])
    with pytest.raises(TypeError):
        Total((1,), 5)  # type: ignore[call-arg]


def test_own_methods_are_kept() -> None:
    @record
    class Shown:
        value: int

        def __repr__(self) -> str:
            return f"<{self.value}>"

    assert repr(Shown(1)) == "<1>"


def test_subclasses_have_their_own_init() -> None:
    @record
    class Base:
        a: int

    @record
    class Child(Base):
        b: str = "b"

    class Plain(Child):  # not decorated: Child's fields and __init__
        pass

    assert (Base(1).a, Child(1, "c").b, Plain(2).b) == (1, "c", "b")
    assert Child(1) != Base(1)


def test_definition_errors_are_reported_at_once() -> None:
    with pytest.raises(TypeError, match="follows default"):

        @record
        class Bad:
            a: int = 0
            b: int  # type: ignore[misc]

    with pytest.raises(TypeError, match="InitVar"):

        @record
        class Init:
            a: dataclasses.InitVar[int]


def test_pydantic_validates_a_slotted_record() -> None:
    pydantic = pytest.importorskip("pydantic")

    @record(slots=True, kw_only=True)
    class Row:
        name: str
        sizes: list[int] = field(default_factory=list)

    made = pydantic.TypeAdapter(Row).validate_python({"name": "a", "sizes": ["1", 2]})
    assert (type(made), made.name, made.sizes) == (Row, "a", [1, 2])
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.name = "b"


@record(slots=True, kw_only=True)
class _SlottedForCopy:
    name: str
    tags: list[str] = field(default_factory=list)


@record
class _PlainForCopy:
    name: str
    tags: list[str] = field(default_factory=list)


@pytest.mark.parametrize("kind", [_SlottedForCopy, _PlainForCopy])
def test_copy_deepcopy_and_pickle_round_trip(kind: type) -> None:
    import copy
    import pickle

    item = kind(name="a", tags=["t"])
    for made in (copy.copy(item), copy.deepcopy(item), pickle.loads(pickle.dumps(item))):
        assert made == item and made is not item and type(made) is kind
    assert copy.copy(item).tags is item.tags and copy.deepcopy(item).tags is not item.tags
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.copy(item).name = "b"
