"""Every use of Typer's private modules, in one place (the only module allowed to), checked at start.

kpzf needs three things Typer has no public name for: the Click it vendors (`typer._click`,
since Typer 0.26), the shell-completion classes and scripts (`typer._completion_classes`,
`typer._completion_shared`), and the hooks the Chinese help screen patches
(`TyperOption.display_type_rich`, since Typer 0.29). pyproject.toml therefore asks for
typer>=0.29. A Typer without them makes `IncompatibleDependency`, which `entry.run` turns into
one Chinese line instead of a traceback.
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
