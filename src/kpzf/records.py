"""`@record`: kpzf's dataclasses, declared as with `@dataclass`, for a fraction of its import cost.

`@dataclass(frozen=True)` compiles five functions per class when the module is imported
(__init__, __eq__, __hash__, __repr__, and the frozen __setattr__/__delattr__ pair), each with
its own `exec`: about 0.35 ms a class, and kpzf has well over a hundred classes, half of them
imported by every command. `@record` makes the same class a real dataclass (fields(), replace(),
asdict() and pydantic's TypeAdapter see it as one) but compiles nothing at import:

- `__init__` is compiled for a class the first time one is made — the same code `@dataclass`
  writes (positional and keyword-only parameters, defaults, default factories, __post_init__),
  so a class that is never instantiated in a run never pays, and one that is pays once;
- equality, hashing and repr are shared functions over the fields (in field order, as
  `@dataclass` compares, hashes and shows them);
- frozen classes (the default) refuse assignment and deletion with `FrozenInstanceError`,
  as frozen dataclasses do; `__init__` sets fields with `object.__setattr__`, and frozen
  slotted classes get the `__getstate__`/`__setstate__` pair `@dataclass` gives them, so that
  copy and pickle still work.

A class that defines one of these methods itself keeps its own, as with `@dataclass`.
`record(frozen=False)` gives a mutable class (unhashable, like a mutable dataclass with eq).
`InitVar` pseudo-fields are not supported (kpzf has none; the decorator says so if one appears).

For type checkers `record` is a `dataclass_transform`: constructors are checked against the
fields and assignments to frozen fields are errors, exactly as for `@dataclass(frozen=True)`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:  # at run time the marker does nothing (and typing_extensions is not imported for it)

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda decorated: decorated


_T = TypeVar("_T", bound=type)
_MISSING = dataclasses.MISSING


@overload
def record(cls: _T, /) -> _T: ...


@overload
def record(*, frozen: bool = True, slots: bool = False, kw_only: bool = False) -> Callable[[_T], _T]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(
    cls: _T | None = None, /, *, frozen: bool = True, slots: bool = False, kw_only: bool = False
) -> _T | Callable[[_T], _T]:
    """Make `cls` a dataclass (see the module); `@record` or `@record(frozen=…, slots=…, kw_only=…)`."""

    def wrap(kind: _T) -> _T:
        if not kind.__doc__:  # else @dataclass writes one from inspect.signature (~3 ms, once)
            kind.__doc__ = kind.__name__
        made: _T = dataclasses.dataclass(  # type: ignore[assignment]  # (typeshed: type[Never])
            init=False, repr=False, eq=False, slots=slots, kw_only=kw_only  # no exec here
        )(kind)
        _check_fields(made)
        _install(made, "__init__", _lazy_init)
        _install(made, "__repr__", _repr)
        _install(made, "__eq__", _eq)
        if frozen:
            _install(made, "__hash__", _hash)
            _install(made, "__setattr__", _frozen_setattr)
            _install(made, "__delattr__", _frozen_delattr)
            if slots:  # copy and pickle restore slots with setattr, which now refuses
                _install(made, "__getstate__", _slots_getstate)
                _install(made, "__setstate__", _slots_setstate)
        elif "__hash__" not in kind.__dict__:
            made.__hash__ = None  # type: ignore[assignment]  # mutable with __eq__: unhashable
        return made

    return wrap if cls is None else wrap(cls)


def _install(kind: type, name: str, function: Callable[..., Any]) -> None:
    if name not in kind.__dict__ or (name == "__hash__" and kind.__dict__[name] is None):
        setattr(kind, name, function)


def _check_fields(kind: type) -> None:
    """What `@dataclass` checks when it compiles __init__, checked at once instead."""
    seen_default = False
    for f in kind.__dataclass_fields__.values():  # type: ignore[attr-defined]
        if f._field_type is dataclasses._FIELD_INITVAR:  # type: ignore[attr-defined]
            raise TypeError(f"{kind.__qualname__}.{f.name}: @record does not support InitVar")
        if f._field_type is not dataclasses._FIELD or not f.init or f.kw_only:  # type: ignore[attr-defined]
            continue
        has_default = f.default is not _MISSING or f.default_factory is not _MISSING
        if seen_default and not has_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
        seen_default = seen_default or has_default


# --------------------------------------------------------------------------- __init__


def _lazy_init(self: Any, *args: Any, **kwargs: Any) -> None:
    """The first instance of a class compiles the class's real __init__, installs and runs it."""
    kind = type(self)
    init = _compile_init(kind)
    if kind.__dict__.get("__init__") in (None, _lazy_init):
        kind.__init__ = init  # an undecorated subclass gets its own too
    init(self, *args, **kwargs)


def _compile_init(kind: type) -> Callable[..., None]:
    """`kind`'s __init__, the code `@dataclass` would write for it."""
    namespace: dict[str, Any] = {"__set": object.__setattr__, "__MISSING": _MISSING}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for f in dataclasses.fields(kind):
        value = f.name
        if f.default is not _MISSING:
            namespace[f"__d_{f.name}"] = f.default
            default = f"=__d_{f.name}"
            if not f.init:
                value = f"__d_{f.name}"
        elif f.default_factory is not _MISSING:
            namespace[f"__f_{f.name}"] = f.default_factory
            default = "=__MISSING"
            value = (f"__f_{f.name}() if {f.name} is __MISSING else {f.name}" if f.init
                     else f"__f_{f.name}()")
        else:
            default = ""
            if not f.init:
                continue  # no value to give it: left unset, as @dataclass leaves it
        if f.init:
            (keyword if f.kw_only else positional).append(f"{f.name}{default}")
        body.append(f"    __set(self, {f.name!r}, {value})")
    if hasattr(kind, "__post_init__"):
        body.append("    self.__post_init__()")
    params = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    source = f"def __init__({params}) -> None:\n" + ("\n".join(body) or "    pass") + "\n"
    exec(source, namespace)  # noqa: S102 — the same generated __init__ @dataclass compiles
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{kind.__qualname__}.__init__"
    init.__module__ = kind.__module__
    return init


# --------------------------------------------------------------------------- shared methods

_NAMES: dict[type, tuple[tuple[str, ...], ...]] = {}


def _names(kind: type) -> tuple[tuple[str, ...], ...]:
    """(fields compared, fields hashed, fields shown in repr, every field) of a class, looked
    up once."""
    found = _NAMES.get(kind)
    if found is None:
        fields = dataclasses.fields(kind)
        found = _NAMES[kind] = (
            tuple(f.name for f in fields if f.compare),
            tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)),
            tuple(f.name for f in fields if f.repr),
            tuple(f.name for f in fields),
        )
    return found


def _eq(self: Any, other: object) -> Any:  # bool, or NotImplemented
    if other.__class__ is not self.__class__:
        return NotImplemented
    names = _names(type(self))[0]
    same: bool = tuple([getattr(self, n) for n in names]) == tuple([getattr(other, n) for n in names])
    return same


def _hash(self: Any) -> int:
    return hash(tuple([getattr(self, name) for name in _names(type(self))[1]]))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _names(type(self))[2])
    return f"{type(self).__qualname__}({shown})"


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _slots_getstate(self: Any) -> list[Any]:  # as @dataclass(frozen=True, slots=True) writes it
    return [getattr(self, name) for name in _names(type(self))[3]]


def _slots_setstate(self: Any, state: list[Any]) -> None:
    for name, value in zip(_names(type(self))[3], state, strict=True):
        object.__setattr__(self, name, value)
