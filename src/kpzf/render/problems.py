"""Formatters for validation problems: text for people, json for machines, github annotations."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from ..errors import Problem
from .terminal import literal


def problems_text(problems: Sequence[Problem]) -> str:
    lines = []
    for problem in problems:
        lines.append(literal(f"{problem.where}: 错误：{problem.message}"))
        if problem.hint:
            lines.append(literal(f"    提示：{problem.hint}"))
    return "\n".join(lines) + ("\n" if lines else "")


def problems_json(problems: Sequence[Problem]) -> str:
    rows = [
        {
            "file": p.file,
            "line": p.line,
            "column": p.column,
            "code": p.code,
            "message": p.message,
            "hint": p.hint,
        }
        for p in problems
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return literal(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def problems_github(problems: Sequence[Problem]) -> str:
    """GitHub Actions workflow commands: one ::error annotation per problem."""
    lines = []
    for p in problems:
        props = [f"file={_escape_property(p.file)}"]
        if p.line is not None:
            props.append(f"line={p.line}")
        if p.column is not None:
            props.append(f"col={p.column}")
        props.append(f"title={_escape_property('kpzf ' + p.code)}")
        message = p.message + (f"（提示：{p.hint}）" if p.hint else "")
        lines.append(f"::error {','.join(props)}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


PROBLEM_FORMATS: dict[str, Callable[[Sequence[Problem]], str]] = {
    "text": problems_text,
    "json": problems_json,
    "github": problems_github,
}
