"""Equality, hashing and repr for kpzf's frozen dataclasses, written once instead of per class.

`@dataclass` compiles an __eq__, __hash__ and __repr__ for every class at import; for the
schema and the resolved plan (twenty-odd classes, imported by every command) that compiling
is a noticeable part of start-up. A class declared `@dataclass(frozen=True, eq=False,
repr=False)` over `Record` behaves the same: equal when of the same class with equal fields
(compared in field order), hashed by its fields, shown as `Name(field=value, …)`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

_NAMES: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _names(kind: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(every field, the fields shown in repr) of a dataclass, looked up once per class."""
    found = _NAMES.get(kind)
    if found is None:
        fields = dataclasses.fields(kind)
        found = _NAMES[kind] = (
            tuple(f.name for f in fields),
            tuple(f.name for f in fields if f.repr),
        )
    return found


class Record:
    """The base of a frozen dataclass declared with eq=False, repr=False (see the module)."""

    __slots__ = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in _names(type(self))[0]])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _names(type(self))[1])
        return f"{type(self).__qualname__}({shown})"
