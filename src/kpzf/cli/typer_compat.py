"""Every use of Typer's private modules, in one place (the only module allowed to), checked at start.

kpzf needs three things Typer has no public name for: the Click it vendors (`typer._click`,
since Typer 0.26), the shell-completion classes and scripts (`typer._completion_classes`,
`typer._completion_shared`), and the hooks the Chinese help screen patches
(`TyperOption.display_type_rich`, since Typer 0.29). pyproject.toml therefore asks for
typer>=0.29. A Typer without them makes `IncompatibleDependency`, which `entry.run` turns into
one Chinese line instead of a traceback.

A fourth is a speed-up, not a need (`plain_coercion`): Typer 0.29 converts every non-flag
parameter through a pydantic TypeAdapter, which imports most of pydantic for a `--date` or an
`--area 3` and costs about as much as the rest of start-up. kpzf's parameters are only str,
int, Path and lists of them, so their conversion is done here, exactly as Typer's adapters do
it (tests/cli/test_typer_compat.py compares the two on every kind, and fails if the hook is
gone); any other parameter is left to Typer. If a Typer release changes the hook, kpzf falls
back to Typer's own conversion: slower, never wrong.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "MIN_TYPER",
    "IncompatibleDependency",
    "click",
    "click_exceptions",
    "click_command_class",
    "completion_init",
    "completion_script",
    "parameter_kind",
    "plain_coercion",
    "typer_rich_utils",
]

MIN_TYPER = "0.29"  # the first release with everything below (keep pyproject.toml in step)


class IncompatibleDependency(ImportError):
    """An installed package that lacks what kpzf uses (too old, or changed)."""

    def __init__(self, package: str, needed: str, detail: str) -> None:
        super().__init__(f"{package}: {detail}")
        self.package = package
        self.needed = needed
        self.detail = detail


def _typer_version() -> str:
    import typer

    return str(getattr(typer, "__version__", "未知版本"))


def _incompatible(detail: str) -> IncompatibleDependency:
    return IncompatibleDependency(
        "typer", f"typer>={MIN_TYPER}", f"已安装 {_typer_version()}，缺少 {detail}"
    )


try:
    from typer import _click as click  # Typer vendors Click; there is no other copy
    from typer._click import exceptions as click_exceptions
except ImportError:
    raise _incompatible("typer._click（Typer 自带的 Click）") from None



def _check_help_hooks() -> None:
    from typer import core

    for name in ("TyperOption", "TyperArgument"):
        if not hasattr(getattr(core, name, None), "display_type_rich"):
            raise _incompatible(f"typer.core.{name}.display_type_rich")


_check_help_hooks()


def click_command_class() -> Any:
    """Click's Command, whose help option and usage line the help screen says in Chinese."""
    return click.core.Command


def completion_init() -> None:
    """Register Typer's shell formats; Typer only does it itself when add_completion is on."""
    try:
        from typer._completion_classes import completion_init as init
    except ImportError:
        raise _incompatible("typer._completion_classes") from None
    init()


def completion_script(prog_name: str, complete_var: str, shell: str) -> str:
    try:
        from typer._completion_shared import get_completion_script
    except ImportError:
        raise _incompatible("typer._completion_shared") from None
    script: str = get_completion_script(prog_name=prog_name, complete_var=complete_var, shell=shell)
    return script


def parameter_kind(param: Any) -> str:
    """The value type a command-line parameter takes ("int", "float", …), for error messages.

    Typer 0.29 keeps it in `type_descriptor.annotation`; Click in `param.type.name`.
    """
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type):
        return annotation.__name__
    return str(getattr(getattr(param, "type", None), "name", ""))


# --------------------------------------------------------------------------- parameter conversion

# pydantic's lax int from text: surrounding whitespace, a sign, ASCII digits with single
# underscores between them, and a fraction of zeros ("12.0"); nothing else ("1e3", "０x10", "１２").
_INT_TEXT = __import__("re").compile(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.0+)?")


def _to_str(value: Any) -> str:
    if isinstance(value, bytes):  # Typer's _parse_cli_str: the argv encoding, then the filesystem's
        import sys

        for encoding in (click._compat._get_argv_encoding(), sys.getfilesystemencoding()):
            try:
                return value.decode(encoding)
            except UnicodeError:
                continue
        return value.decode("utf-8", "replace")
    return str(value)


def _to_int(value: Any) -> int:
    if isinstance(value, int):  # bool too: pydantic's lax mode gives 1 for True
        return int(value)
    if not isinstance(value, str):
        raise ValueError("Input should be a valid integer")
    text = value.strip()
    if not _INT_TEXT.fullmatch(text):
        raise ValueError("Input should be a valid integer, unable to parse string as an integer")
    return int(text.split(".")[0])


_BOOL_WORDS = {
    **dict.fromkeys(("0", "off", "f", "false", "n", "no"), False),
    **dict.fromkeys(("1", "on", "t", "true", "y", "yes"), True),
}


def _to_bool(value: Any) -> bool:
    """Typer's _parse_cli_bool ("" is False), then pydantic's lax bool."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip()
        if word == "":
            return False
        found = _BOOL_WORDS.get(word.lower())
        if found is not None:
            return found
    raise ValueError("Input should be a valid boolean")


def _plain_leaf(annotation: Any, info: Any) -> Any:
    """How a value of one kpzf parameter kind is converted; None: leave it to Typer."""
    from pathlib import Path

    plain = (
        info.parser is None
        and info.min is None
        and info.max is None
        and not info.clamp
        and getattr(info, "formats", None) is None
    )
    if not plain:
        return None
    if annotation is str:
        return lambda value, param, ctx: _to_str(value)
    if annotation is int:
        return lambda value, param, ctx: _to_int(value)
    if annotation is bool:
        return lambda value, param, ctx: _to_bool(value)
    if isinstance(annotation, type) and issubclass(annotation, Path):
        from typer._param_types import coerce_cli_path

        path_type = info.path_type or annotation

        def to_path(value: Any, param: Any, ctx: Any) -> Any:
            if isinstance(value, str):  # what pydantic's Path validator does with text
                value = path_type(value)
            elif not isinstance(value, path_type):
                raise ValueError("Input is not a valid path")
            return coerce_cli_path(value, info, path_type=path_type, param=param, ctx=ctx)

        return to_path
    return None


def _plain_runtime_param(descriptor: Any) -> Any:
    """A RuntimeParam converting without pydantic, or None for a kind kpzf does not use."""
    import typing

    from typer._coercion import RuntimeParam

    annotation, info = descriptor.annotation, descriptor.parameter_info
    if descriptor.file_annotation is not None:
        return None
    many = typing.get_origin(annotation) is list
    args = typing.get_args(annotation)
    leaf = _plain_leaf(args[0] if many and len(args) == 1 else annotation, info)
    if leaf is None:
        return None

    class PlainRuntimeParam(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                if many:  # Typer's parse_list: a single value becomes a one-item list
                    items = value if isinstance(value, (list, tuple)) else [value]
                    return [leaf(item, param, ctx) for item in items]
                return leaf(value, param, ctx)
            except ValueError as exc:
                raise click_exceptions.BadParameter(str(exc), ctx=ctx, param=param) from None

    return PlainRuntimeParam(parameter_info=info, annotation=annotation)


def _install_plain_coercion() -> bool:
    """Route Typer's parameter conversion through `_plain_runtime_param` where it applies.

    Typer builds a parameter's converter on first use with `typer.core.build_runtime_param`
    (0.29: `_TyperParameter.get_runtime_param`); that one name is wrapped. False when this
    Typer has no such hook (then Typer converts as it always does).
    """
    from typer import _coercion, core

    original = getattr(core, "build_runtime_param", None)
    if (
        original is None
        or getattr(original, "kpzf_plain", False)
        or not hasattr(core._TyperParameter, "get_runtime_param")
        or not hasattr(_coercion, "RuntimeParam")
        or "_coerce_value" not in getattr(_coercion.RuntimeParam, "__abstractmethods__", ())
    ):
        return bool(original is not None and getattr(original, "kpzf_plain", False))

    def build_runtime_param(descriptor: Any) -> Any:
        return _plain_runtime_param(descriptor) or original(descriptor)

    build_runtime_param.kpzf_plain = True  # type: ignore[attr-defined]
    setattr(core, "build_runtime_param", build_runtime_param)  # noqa: B010  (the one hook)
    return True


plain_coercion = _install_plain_coercion()


# --------------------------------------------------------------------------- the help screen

# What typer.rich_utils imports but kpzf's help screens never use: Markdown (kpzf's help is
# rich markup, not markdown; it pulls in markdown_it) and Traceback (kpzf shows its own errors;
# it pulls in pygments and rich.pretty). About a third of `kpzf --help`'s own time.
_UNUSED_BY_HELP = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}


def typer_rich_utils() -> Any:
    """typer.rich_utils, imported without loading rich.markdown and rich.traceback for it.

    While it is imported, those two modules are stand-ins whose one name is a class that
    imports the real module the moment it is used (so a markdown help text or a traceback
    would still work); the stand-ins are removed again at once, so anything importing
    rich.markdown later gets the real module.
    """
    import sys
    import types

    if "typer.rich_utils" in sys.modules:
        return sys.modules["typer.rich_utils"]
    placed = {}
    for module, name in _UNUSED_BY_HELP.items():
        if module in sys.modules:
            continue
        stand_in = types.ModuleType(module)
        setattr(stand_in, name, _deferred(module, name))
        sys.modules[module] = placed[module] = stand_in
    try:
        from typer import rich_utils
    finally:
        for module, stand_in in placed.items():
            if sys.modules.get(module) is stand_in:
                del sys.modules[module]
    return rich_utils


def _deferred(module: str, name: str) -> type:
    """A class standing for `module.name`: making one imports the real class and makes that."""

    class Deferred:
        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            import importlib

            real = getattr(importlib.import_module(module), name)
            return real(*args, **kwargs)

    Deferred.__name__ = Deferred.__qualname__ = name
    return Deferred
