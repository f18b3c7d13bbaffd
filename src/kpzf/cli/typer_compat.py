"""The one module allowed to touch Typer's internals: its vendored Click, shell completion.

Typer has no public names for these; a Typer upgrade that moves them breaks here, in one place
(tests/cli/test_help.py and tests/cli/test_completion.py exercise every name below).
"""

from __future__ import annotations

# Typer vendors Click (there is no other copy): its Command and exceptions, by their private path.
from typer._click import core as click_core
from typer._click import exceptions as click_exceptions

__all__ = ["click_core", "click_exceptions", "completion_init", "completion_script"]


def completion_init() -> None:
    """Register Typer's shell formats; Typer only does it itself when add_completion is on."""
    from typer._completion_classes import completion_init as init

    init()


def completion_script(prog_name: str, complete_var: str, shell: str) -> str:
    from typer._completion_shared import get_completion_script

    return get_completion_script(prog_name=prog_name, complete_var=complete_var, shell=shell)
