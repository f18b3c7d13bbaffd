"""Formatters for validation problems: text for people, json for machines, github annotations."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from ..errors import WARNING, Problem, count_problems
from ..model.plan import LoadedPlan
from ..model.resolve import level_counts
from .jsonforms import problem_json
from .terminal import literal

MAX_SHOWN = 200  # text and github: a person reads the first ones; json has every problem


def _more(problems: Sequence[Problem]) -> str:
    return f"…及其他 {count_problems(problems[MAX_SHOWN:])} 个问题"


def problems_text(problems: Sequence[Problem]) -> str:
    lines = []
    if len(problems) > MAX_SHOWN:
        return problems_text(problems[:MAX_SHOWN]) + _more(problems) + "\n"
    for problem in problems:
        label = "警告" if problem.severity == WARNING else "错误"
        lines.append(literal(f"{problem.where}: {label}：{problem.message}"))
        if problem.hint:
            lines.append(literal(f"    提示：{problem.hint}"))
    return "\n".join(lines) + ("\n" if lines else "")


def problems_json(problems: Sequence[Problem]) -> str:
    return json.dumps([problem_json(p) for p in problems], ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return literal(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def problems_github(problems: Sequence[Problem]) -> str:
    """GitHub Actions workflow commands: one ::error (or ::warning) annotation per problem."""
    lines = []
    if len(problems) > MAX_SHOWN:
        return problems_github(problems[:MAX_SHOWN]) + f"::warning title=kpzf::{_more(problems)}\n"
    for p in problems:
        props = [f"file={_escape_property(p.file)}"]
        if p.line is not None:
            props.append(f"line={p.line}")
        if p.column is not None:
            props.append(f"col={p.column}")
        props.append(f"title={_escape_property('kpzf ' + p.code)}")
        message = p.message + (f"（提示：{p.hint}）" if p.hint else "")
        command = "warning" if p.severity == WARNING else "error"
        lines.append(f"::{command} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def valid_summary(plan: LoadedPlan, shown: str) -> str:
    """The line `validate` writes to stderr for a valid file: what it holds."""
    model, registry = plan.model, plan.registry
    levels = "，".join(f"{n} 项{name}" for name, n in level_counts(model, plan.measures))
    return (
        f"{shown}：有效（{levels}，"
        f"{len(registry.units)} 个单位，{len(registry.groups)} 个单位组，"
        f"{len(model.progress)} 条进度记录）"
    )


def problems_summary(problems: Sequence[Problem]) -> str:
    files = len({p.file for p in problems})
    warnings = [p for p in problems if p.severity == WARNING]
    if not warnings:
        return f"发现 {count_problems(problems)} 个问题（{files} 个文件）"
    errors = count_problems([p for p in problems if p.severity != WARNING])
    found = f"{errors} 个问题、" if errors else ""
    return f"发现 {found}{count_problems(warnings)} 个警告（{files} 个文件）"


PROBLEM_FORMATS: dict[str, Callable[[Sequence[Problem]], str]] = {
    "text": problems_text,
    "json": problems_json,
    "github": problems_github,
}
