"""A checked plan as plain values and back: what the validated-plan cache stores (io/cache.py).

A snapshot holds what answering needs and what reading a file costs: the validated schema
objects (models.py), the resolved measures with their milestones (resolve.py) and the
plan's warnings. The registry and the indexes are rebuilt from them (cheap; no parser). It is
built from a plan that passed every check, so nothing of the file's positions is kept: a
Document with the file's bytes stands in, composing positions only if asked.

The encoding is plain values only (marshal stores them), tagged so that decoding is exact:
a date is a float (its ordinal; nothing else in a snapshot is a float); a tuple always
starts with a tag — TUPLE (its items follow), PLAIN_TUPLE (one tuple of plain values
follows), FROZENSET (one frozenset of str follows), SAME (an
object met before, so that a measure shared by the model and its resolved form stays one
object), COLUMNS (a list of objects of one class — a progress log — as the class tag, the
count and one list per field) or CLASS + index into `CLASSES`, followed by the fields in
declaration order. Lists, dicts,
str, int, bool and None are themselves. Decoding checks every shape it meets; anything else
raises `Unreadable` and the entry is treated as absent. Floats, datetimes and any class not in
`CLASSES` cannot be encoded (`Unencodable`): such a plan is simply not cached.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import Problem
from ..io.files import RELEASED, UNCOMPOSED, UTF8_BOM, Document
from . import models, resolve
from .plan import LoadedPlan
from .registry import Registry

TUPLE, FROZENSET, SAME, PLAIN_TUPLE, COLUMNS, CLASS = 0, 2, 3, 4, 5, 10
_COLUMNS_FROM = 8  # a list of at least this many objects of one class is stored by columns
_PLAIN = frozenset((str, int, bool, type(None)))
VERSION = 4  # of this layout (also covered by the sources digest in the cache key)

# Every class a snapshot may hold, in a fixed order (its index is its tag).
CLASSES: tuple[type, ...] = (
    models.ParentDocument,
    models.Period,
    models.Meta,
    models.Unit,
    models.Group,
    models.MilestoneSpec,
    models.TextDeadline,
    models.Measure,
    models.Task,
    models.Area,
    models.Level,
    models.Columns,
    models.Structure,
    models.Section,
    models.DeadlineWords,
    models.Deadlines,
    models.ProgressEntry,
    models.Supervision,
    models.NoticeEntry,
    models.Plan,
    resolve.Milestone,
    resolve.Heading,
    resolve.ResolvedMeasure,
    Problem,
)
_SHARED = (models.Measure,)  # met twice: in the model's tree and as ResolvedMeasure.model


class Unencodable(ValueError):
    """A value a snapshot cannot hold; the plan is then not cached."""


class Unreadable(ValueError):
    """A stored value that is not a snapshot of this layout; treated as no entry."""


def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


# --------------------------------------------------------------------------- encoding


def encode_plan(plan: LoadedPlan, warnings: list[Problem]) -> tuple[Any, ...]:
    """The snapshot of a plan that passed every check on the day it was checked.

    The file's name is left out of the warnings (the same bytes may be named otherwise next
    time); the latest date of the progress and 催办 logs is kept so that a later day's answer
    can tell whether the checks that depend on the day (a progress entry or a notice dated
    after today) could say something (`decode_plan`).
    """
    codes = {kind: CLASS + i for i, kind in enumerate(CLASSES)}
    names = {kind: _field_names(kind) for kind in CLASSES}
    seen: dict[int, int] = {}
    keep: list[Any] = []  # holds the shared objects so their ids stay theirs while encoding

    def enc(value: Any) -> Any:
        kind = type(value)
        if value is None or kind in (str, int, bool):
            return value
        if kind is list:
            first = type(value[0]) if value else None
            if (
                len(value) >= _COLUMNS_FROM
                and first in codes
                and first not in _SHARED
                and all(type(v) is first for v in value)
            ):
                return (COLUMNS, codes[first], len(value),
                        *[[enc(getattr(v, name)) for v in value] for name in names[first]])
            return [enc(v) for v in value]
        if kind is dict:
            out = {}
            for k, v in value.items():
                if type(k) not in (str, int):
                    raise Unencodable(f"dict key {k!r}")
                out[k] = enc(v)
            return out
        if kind is tuple:
            if all(type(v) in _PLAIN for v in value):
                return (PLAIN_TUPLE, value)
            return (TUPLE, *[enc(v) for v in value])
        if kind is dt.date:
            return float(value.toordinal())  # the one float in a snapshot: a date
        if kind is frozenset:
            if not all(type(v) is str for v in value):
                raise Unencodable(f"frozenset {value!r}"[:200])
            return (FROZENSET, value)
        code = codes.get(kind)
        if code is None:
            raise Unencodable(f"{kind.__name__} {value!r}"[:200])
        if kind in _SHARED:
            index = seen.get(id(value))
            if index is not None:
                return (SAME, index)
            seen[id(value)] = len(seen)
            keep.append(value)
        return (code, *[enc(getattr(value, name)) for name in names[kind]])

    anonymous = [dataclasses.replace(w, file="") for w in warnings]
    dates = [e.date for e in plan.model.progress] + [n.date for n in plan.model.notices]
    latest = max(dates, default=None)
    return (
        VERSION,
        enc(plan.model),
        enc(plan.measures),
        enc(anonymous),
        latest.toordinal() if latest is not None else 0,
    )


# --------------------------------------------------------------------------- decoding


def _slotted_builder(kind: type, names: tuple[str, ...]) -> Callable[[Sequence[Any]], Any]:
    setters = [kind.__dict__[name].__set__ for name in names]  # the slots' own descriptors
    n, new = len(names), object.__new__

    def build(values: Sequence[Any]) -> Any:
        if len(values) != n:
            raise Unreadable(f"{kind.__name__}: {len(values)} values")
        obj: Any = new(kind)
        for setter, value in zip(setters, values, strict=False):
            setter(obj, value)
        return obj

    return build


def _dict_builder(kind: type, names: tuple[str, ...]) -> Callable[[Sequence[Any]], Any]:
    n, new = len(names), object.__new__

    def build(values: Sequence[Any]) -> Any:
        if len(values) != n:
            raise Unreadable(f"{kind.__name__}: {len(values)} values")
        obj: Any = new(kind)
        obj.__dict__.update(zip(names, values, strict=False))
        return obj

    return build


def _builders() -> list[Callable[[Sequence[Any]], Any] | None]:
    """For each class: a function making an instance from its field values, without running
    __init__ (the values were validated when the snapshot was made)."""
    builders: list[Callable[[Sequence[Any]], Any] | None] = [None] * (CLASS + len(CLASSES))
    for i, kind in enumerate(CLASSES):
        names = _field_names(kind)
        slotted = "__slots__" in kind.__dict__
        builders[CLASS + i] = (_slotted_builder if slotted else _dict_builder)(kind, names)
    return builders


def decode_value(stored: Any) -> Any:
    """One encoded value back into objects (see the module's docstring); raises Unreadable."""
    builders = _builders()
    shared: list[Any] = []
    shared_kinds = {CLASS + CLASSES.index(kind) for kind in _SHARED}
    widths = {CLASS + i: len(_field_names(kind)) for i, kind in enumerate(CLASSES)}
    fromordinal = dt.date.fromordinal
    plain = _PLAIN

    def dec(value: Any) -> Any:
        kind = type(value)
        if value is None or kind is str or kind is int or kind is bool:
            return value
        if kind is float:  # a date, by its ordinal
            return fromordinal(int(value))
        if kind is list:
            return [v if type(v) in plain else dec(v) for v in value]
        if kind is tuple:
            if not value or type(value[0]) is not int:
                raise Unreadable("a tuple without its tag")
            tag = value[0]
            if tag >= CLASS:
                build = builders[tag] if tag < len(builders) else None
                if build is None:
                    raise Unreadable(f"class tag {tag}")
                if tag in shared_kinds:
                    slot = len(shared)
                    shared.append(None)
                    obj = build([v if type(v) in plain else dec(v) for v in value[1:]])
                    shared[slot] = obj
                    return obj
                return build([v if type(v) in plain else dec(v) for v in value[1:]])
            if tag == COLUMNS:
                return columns(value)
            if tag == TUPLE:
                return tuple([dec(v) for v in value[1:]])
            if tag == PLAIN_TUPLE and len(value) == 2 and type(value[1]) is tuple:
                if not all(type(v) in plain for v in value[1]):
                    raise Unreadable("a plain tuple that is not")
                return value[1]
            if tag == FROZENSET and len(value) == 2 and type(value[1]) is frozenset:
                if not all(type(v) is str for v in value[1]):
                    raise Unreadable("a frozenset that is not of text")
                return value[1]
            if tag == SAME and len(value) == 2 and type(value[1]) is int:
                if not 0 <= value[1] < len(shared) or shared[value[1]] is None:
                    raise Unreadable("a reference to nothing")
                return shared[value[1]]
            raise Unreadable(f"tag {tag}")
        if kind is dict:
            if not all(type(k) is str or type(k) is int for k in value):
                raise Unreadable("a dict key")
            return {k: v if type(v) in plain else dec(v) for k, v in value.items()}
        raise Unreadable(f"a stored {kind.__name__}")

    def columns(value: tuple[Any, ...]) -> list[Any]:
        if len(value) < 3 or type(value[1]) is not int or type(value[2]) is not int:
            raise Unreadable("columns without their class and count")
        tag, count, cols = value[1], value[2], value[3:]
        build = builders[tag] if CLASS <= tag < len(builders) else None
        if build is None or tag in shared_kinds or len(cols) != widths[tag]:
            raise Unreadable(f"columns of class tag {tag}")
        decoded = []
        for col in cols:
            if type(col) is not list or len(col) != count:
                raise Unreadable("a column of another length")
            decoded.append([
                v if type(v) in plain else fromordinal(int(v)) if type(v) is float else dec(v)
                for v in col
            ])
        return [build(values) for values in zip(*decoded, strict=True)]

    try:
        return dec(stored)
    except (TypeError, AttributeError, RecursionError, ValueError, OverflowError) as exc:
        raise Unreadable(str(exc)) from None


def decode_plan(
    stored: Any, content: bytes, shown: str
) -> tuple[LoadedPlan, list[Problem], dt.date | None]:
    """(the plan, its warnings, its latest progress or notice date) from a snapshot of `content`.

    `content` is the file's bytes (as read, a BOM included), which the Document keeps for
    positions; raises Unreadable when `stored` is not a snapshot of this layout.
    """
    if type(stored) is not tuple or len(stored) != 5 or stored[0] != VERSION:
        raise Unreadable("not a snapshot of this layout")
    _, model_value, measures_value, warnings_value, latest = stored
    if type(latest) is not int:
        raise Unreadable("latest progress date")
    model, measures, warnings = decode_value((TUPLE, model_value, measures_value, warnings_value))
    if (
        type(model) is not models.Plan
        or type(measures) is not dict
        or not all(type(m) is resolve.ResolvedMeasure for m in measures.values())
        or type(warnings) is not list
        or not all(type(w) is Problem for w in warnings)
    ):
        raise Unreadable("not a plan")
    encoded = content[len(UTF8_BOM) :] if content.startswith(UTF8_BOM) else content
    document = Document(shown, encoded, RELEASED, UNCOMPOSED, [])
    plan = LoadedPlan(document, model, Registry.from_plan(model), measures)
    named = [dataclasses.replace(w, file=shown) for w in warnings]
    return plan, named, dt.date.fromordinal(latest) if latest else None
