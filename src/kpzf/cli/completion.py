"""Shell completion: the scripts, and completing unit names and measure numbers from the plan.

The completion functions are meant for Typer's `autocompletion=` on parameters that take a unit
name (`--unit`, `unit NAME`) or a measure number (`record MEASURE`, `show N`). They read the plan
the command itself would load (--plan already on the command line, $KPZF_PLAN, ./plan.yaml, the
shipped copy) and offer nothing, quietly, when that plan cannot be read: a half-edited plan must
not make the Tab key print errors into the shell.
"""

from __future__ import annotations

import typer

from ..errors import KpzfError
from ..io.locate import locate_plans
from ..model.models import Group, Unit
from ..model.plan import LoadedPlan, load_plan
from ..model.registry import normalize_name

PROG_NAME = "kpzf"
# Typer's name for it: _{PROG}_COMPLETE; the scripts set it when they call kpzf for completions.
COMPLETE_VAR = "_KPZF_COMPLETE"
SHELLS = ("bash", "zsh", "fish")
_HELP_CHARS = 24  # measure text shown next to its number (zsh and fish show it)


def enable() -> None:
    """Register Typer's shell formats; Typer only does it itself when add_completion is on."""
    from .typer_compat import completion_init

    completion_init()


def completion_script(shell: str) -> str:
    """The script that, sourced in `shell`, makes Tab ask kpzf for completions."""
    from .typer_compat import completion_script as script

    return script(PROG_NAME, COMPLETE_VAR, shell)


def _plans(ctx: typer.Context | None) -> list[LoadedPlan]:
    """Every plan the command would use (several --plan or a folder: each of them)."""
    options: list[str] | None = None
    if ctx is not None:
        root = ctx.find_root()
        # --plan before the command is the root's parameter; after it, the command's option
        # stores it on the root's Options (app.PLAN_OPTION).
        value = getattr(root.obj, "plan", None) or root.params.get("plan")
        options = [value] if isinstance(value, str) else list(value) if value else None
    try:
        sources = locate_plans(options)
    except KpzfError:
        return []
    plans = []
    for source in sources:
        try:
            plans.append(load_plan(source.path, source.shown))
        except KpzfError:  # missing, not YAML, schema errors: nothing to offer from it
            continue
    return plans


def _plan(ctx: typer.Context | None) -> LoadedPlan | None:
    """The one plan of a command that takes one (a measure number means one plan's measure)."""
    plans = _plans(ctx)
    return plans[0] if len(plans) == 1 else None


def complete_unit(incomplete: str = "", ctx: typer.Context | None = None) -> list[tuple[str, str]]:
    """Canonical names (units, then groups) and then aliases that begin with what was typed.

    Matching ignores full/half width and spaces, as the registry does. Each item carries a
    short note: 单位, 单位组, or for an alias the canonical name it stands for.
    """
    typed = normalize_name(incomplete)
    names: list[tuple[str, str]] = []
    aliases: list[tuple[str, str]] = []
    for plan in _plans(ctx):
        registry = plan.registry
        entries: list[Unit | Group] = [*registry.units.values(), *registry.groups.values()]
        names += [
            (entry.name, "单位组" if registry.is_group(entry.name) else "单位")
            for entry in entries
            if normalize_name(entry.name).startswith(typed)
        ]
        aliases += [
            (alias, f"即 {entry.name}")
            for entry in entries
            for alias in entry.aliases
            if normalize_name(alias).startswith(typed)
        ]
    return list(dict.fromkeys(names + aliases))  # the same name in two plans offered once


def complete_measure(incomplete: str = "", ctx: typer.Context | None = None) -> list[tuple[str, str]]:
    """Measure numbers (implementation items included) that begin with what was typed."""
    plan = _plan(ctx)
    if plan is None:
        return []
    typed = incomplete.strip()
    return [
        (str(number), _shorten(measure.text))
        for number, measure in sorted(plan.measures.items())
        if str(number).startswith(typed)
    ]


def complete_shell(incomplete: str = "") -> list[str]:
    return [shell for shell in SHELLS if shell.startswith(incomplete)]


def _shorten(text: str) -> str:
    return text if len(text) <= _HELP_CHARS else text[:_HELP_CHARS] + "…"
