"""Loading a plan: a read document → the schema's dataclasses, validated by pydantic (its errors
at YAML positions) → resolved. pydantic is imported only here, on the way from a file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import PlanError, Problem
from ..io.locate import PlanSource
from ..records import record
from .models import Plan, ProgressEntry, adapter
from .registry import Registry

if TYPE_CHECKING:
    from pydantic import ValidationError

    from ..io.files import Document
    from .resolve import ResolvedMeasure


@record(frozen=False)
class LoadedPlan:
    """A plan read, schema-checked and resolved; semantic checks have not necessarily run."""

    document: Document
    model: Plan
    registry: Registry
    measures: dict[int, ResolvedMeasure]  # ledger measures then implementation items, by number
    source: PlanSource | None = None  # where the command layer found it (set by app.open_plan)
    # Index in the file's progress list of each entry of model.progress, when invalid entries
    # were left out (a plan that is only checked, see PlanError.partial); None: the same.
    progress_rows: list[int] | None = None

    def progress_path(self, index: int) -> tuple[str, int]:
        """Where model.progress[index] is in the file."""
        rows = self.progress_rows
        return ("progress", index if rows is None else rows[index])

    @property
    def path(self) -> str:
        return self.document.path

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        """As declared, or the calendar year of the effective start (resolve.plan_period)."""
        from .resolve import plan_period

        return plan_period(self.model.meta)

    @property
    def effective_start(self) -> dt.date | None:
        from .resolve import effective_start

        return effective_start(self.model.meta)

    @functools.cached_property
    def ids(self) -> dict[str, int]:
        """Each measure's stable id → its number (the key of `measures`)."""
        return {m.id: number for number, m in self.measures.items()}

    def number_of(self, ref: int | str) -> int | None:
        """The measure a progress entry or a command names by id: 17 ≡ "17"; "1.2.3"."""
        return self.ids.get(str(ref))


# --------------------------------------------------------------------------- loading


def load_plan(path: Path, shown: str | None = None) -> LoadedPlan:
    """Read and schema-check a plan; raise PlanError (exit 1) or UnusableInput (exit 2)."""
    from ..io.files import gc_paused
    from ..io.read import read_document

    # One pause for the whole load: pydantic's models are another 100,000s of acyclic objects.
    with gc_paused():
        return build_plan(read_document(path, shown), release=True)


def build_plan(document: Document, *, release: bool = False) -> LoadedPlan:
    """Schema-check and resolve a read document, which is left as it was: build it again at will.

    `release` is for the caller that owns the document and needs its raw data no more (every
    query works on the model): the progress dicts are then replaced chunk by chunk while they
    are validated and the data dropped afterwards, since at province scale the raw dicts are a
    quarter of the memory. Building from a released document is a mistake and says so.
    """
    from pydantic import ValidationError

    from ..io.files import RELEASED
    from .resolve import resolve_measures

    data = document.data
    if data is RELEASED:
        raise ValueError(f"{document.path}: the document's data was released by an earlier build")
    if data is None:
        raise PlanError(
            [Problem(document.path, 1, 1, "文件是空的", "请以 version: 1 和 meta: 开始编写计划", "empty")]
        )
    if not isinstance(data, dict):
        kind = "列表" if isinstance(data, list) else "单个值"
        raise PlanError(
            [
                document.problem(
                    (),
                    f"文件顶层应为映射（version、meta、units …），这里是{kind}",
                    hint="请参照 README 中的 plan.yaml 格式",
                    code="schema",
                ),
                *document.problems,
            ]
        )
    # Each progress entry on its own: a bad one is reported and left out, so that its problems
    # do not hide the other entries' problems or the semantic checks of the rest of the plan.
    entries, entry_problems, rows = _progress_entries(document, data, in_place=release)
    validated = data if release else {**data}
    if entries is not None:
        validated["progress"] = entries
    try:
        model: Plan = adapter(Plan).validate_python(validated)
    except ValidationError as exc:
        raise PlanError(
            [*document.problems, *schema_problems(document, exc), *entry_problems]
        ) from None
    del data, validated
    if release:
        document.data = RELEASED
    registry = Registry.from_plan(model)
    plan = LoadedPlan(document, model, registry, resolve_measures(model, registry))
    if entry_problems:
        plan.progress_rows = rows
        # The rest of the plan is sound: `kpzf validate` runs the checks on it (PlanError.partial).
        raise PlanError([*document.problems, *entry_problems], partial=plan)
    return plan


# --------------------------------------------------------------------------- schema errors


_PROGRESS_CHUNK = 2000


def _progress_entries(
    document: Document, data: dict[str, Any], *, in_place: bool
) -> tuple[list[Any] | None, list[Problem], list[int] | None]:
    """The progress log as entries: (valid entries, problems of the others, their rows).

    Validated chunk by chunk, each chunk's raw dicts replaced at once (`in_place`): at province
    scale the log is most of the plan, and holding all 100,000 dicts until the whole plan is
    validated costs their size again at the peak. A chunk with an error is validated entry by
    entry; each bad entry's problems are collected and the entry left out. `rows` maps each
    kept entry to its index in the file's list (None when every entry was kept).
    """
    progress = data.get("progress")
    if type(progress) is not list:
        return None, [], None
    from pydantic import ValidationError

    target = progress if in_place else list(progress)
    validate_chunk = adapter(list[ProgressEntry]).validate_python
    problems: list[Problem] = []
    bad: set[int] = set()
    for start in range(0, len(target), _PROGRESS_CHUNK):
        end = min(start + _PROGRESS_CHUNK, len(target))
        try:
            target[start:end] = validate_chunk(target[start:end])
            continue
        except ValidationError:
            pass
        for i in range(start, end):
            try:
                target[i] = ProgressEntry.model_validate(target[i])
            except ValidationError as exc:
                bad.add(i)
                problems.extend(schema_problems(document, exc, prefix=("progress", i)))
    if not bad:
        return target, [], None
    rows = [i for i in range(len(target)) if i not in bad]
    return [target[i] for i in rows], problems, rows


def schema_problems(
    document: Document, exc: ValidationError, prefix: tuple[str | int, ...] = ()
) -> list[Problem]:
    """pydantic's errors in Chinese, each at the line and column of the offending YAML node.

    `prefix` is where the validated value sits in the file (("progress", 7) for one entry).
    """
    errors = exc.errors(include_url=False)
    for error in errors:  # ProgressEntry is a dataclass: its errors under the models' names
        error["type"] = _DATACLASS_ERRORS.get(error["type"], error["type"])
        error["loc"] = (*prefix, *error["loc"])
    misspelt = _misspelt_fields(errors)
    problems = []
    errors = [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in misspelt)]
    # areas/items/measures are "a list, or absent": a bad list also fails the "absent" branch
    # of the union, which says nothing the list's own errors do not.
    errors = [e for e in errors if e["type"] != "none_required"]
    # 'deadlnie' is one mistake: the unknown field's hint names 'deadline' (misspelt dropped).
    for error in errors[:MAX_SCHEMA_PROBLEMS]:
        loc = _data_path(document.data, error["loc"])
        problems.append(_schema_problem(document, loc, tuple(error["loc"]), error))
    if len(errors) > MAX_SCHEMA_PROBLEMS:
        # 200,000 empty list items are one mistake repeated: placing each would take minutes
        # and gigabytes. The count stays exact.
        last, hidden = problems[-1], len(errors) - MAX_SCHEMA_PROBLEMS
        problems.append(
            Problem(
                document.path,
                last.line,
                last.column,
                f"另有 {hidden} 个结构问题未逐一列出（只列出前 {MAX_SCHEMA_PROBLEMS} 个）",
                "请先修正上面列出的问题，再重新校验",
                "too-many-problems",
                more=hidden - 1,
            )
        )
    return problems


MAX_SCHEMA_PROBLEMS = 1000


def _misspelt_fields(errors: list[Any]) -> set[tuple[Any, ...]]:
    """Locations of missing fields that an unknown field beside them is a misspelling of."""
    import difflib  # only on the error path

    missing: dict[tuple[Any, ...], list[str]] = {}
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "missing" and loc and isinstance(loc[-1], str):
            missing.setdefault(loc[:-1], []).append(loc[-1])
    found = set()
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden" and loc and isinstance(loc[-1], str):
            close = difflib.get_close_matches(loc[-1], missing.get(loc[:-1], []), n=1, cutoff=0.6)
            if close:
                found.add(loc[:-1] + (close[0],))
    return found


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """The part of pydantic's `loc` that names real places in the data (drops union tags)."""
    path: list[str | int] = []
    node = data
    for step in loc:
        if isinstance(node, dict) and step in node or isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            path.append(step)
            node = node[step]
        elif isinstance(node, dict) and isinstance(step, str) and not step.startswith(
            ("function-", "lax-", "strict-")
        ):
            path.append(step)  # a missing or unknown key: keep it, the message names it
            break
    return tuple(path)


def _schema_problem(
    document: Document, path: tuple[str | int, ...], loc: tuple[Any, ...], error: Any
) -> Problem:
    from ..io.yaml_rules import IMPLICIT_TYPE_NAMES, NULL_TAG

    kind = error["type"]
    name = str(path[-1]) if path and isinstance(path[-1], str) else ""
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    hint = ""
    if kind == "missing":
        return document.problem(
            path[:-1],
            f"缺少必填字段“{name}”（位置：{where}）",
            hint=f"请在此映射中加上 {name}: …",
            code="schema",
            key=True,
        )
    if kind == "extra_forbidden":
        allowed = _allowed_fields(loc[:-1])
        hint = f"此处可用的字段：{'、'.join(allowed)}" if allowed else "请检查字段名拼写"
        import difflib  # only on the error path

        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        if close:
            hint = f"是否指“{close[0]}”？" + hint
        return document.problem(
            path,
            f"未知字段“{name}”（位置：{where}）",
            hint=hint,
            code="unknown-field",
            key=True,
        )
    implicit = document.implicit_type(path)
    if implicit == NULL_TAG and kind in _TYPE_ERRORS:
        # `text:` with nothing after it: YAML reads null, the person left the value out.
        return document.problem(
            path,
            f"缺少内容：此处的值是空的（位置：{where}）",
            hint=(
                f"请在“{name}:”后填写列表项；没有内容时写成 {name}: []"
                if kind == "list_type" and name
                else f"请在“{name}:”后填写内容" if name else "请填写内容，或删除这一项"
            ),
            code="schema",
        )
    message = _MESSAGES.get(kind)
    if message is None:
        own = str(error.get("msg", "")).removeprefix("Value error, ")
        # kpzf's validators speak Chinese; pydantic's own messages are English: never shown.
        message = own if any("\u4e00" <= c <= "\u9fff" for c in own) else "取值无效"
    if kind == "too_short":
        message = "至少需要一项" if isinstance(error.get("input"), list) else "不能为空"
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        message = f"取值应为 {expected.replace(' or ', ' 或 ')}"
    if implicit is not None and implicit in IMPLICIT_TYPE_NAMES and kind == "string_type":
        raw = document.raw_scalar(path)
        hint = (
            f"YAML 把未加引号的“{raw}”读成了{IMPLICIT_TYPE_NAMES[implicit]}；"
            f"如果这是文字，请加引号：\"{raw}\""
        )
    elif implicit is not None and kind == "value_error" and isinstance(error.get("input"), int):
        raw = document.raw_scalar(path)
        hint = f"如果这是日期，请写成带引号的 \"YYYY-MM-DD\"；YAML 把“{raw}”读成了整数"
    return document.problem(path, f"{message}（位置：{where}）", hint=hint, code="schema")


# pydantic names a pydantic dataclass's errors differently from a BaseModel's; they mean the same.
_DATACLASS_ERRORS = {
    "unexpected_keyword_argument": "extra_forbidden",
    "dataclass_type": "model_type",
    "dataclass_exact_type": "model_type",
}

# Errors that mean "a value of another kind was expected here".
_TYPE_ERRORS = frozenset(
    ("string_type", "int_type", "list_type", "model_type", "model_attributes_type", "dict_type",
     "bool_type", "date_type", "value_error", "literal_error")
)

_MESSAGES = {
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每项以“- ”开头）",
    "model_type": "应为映射（每行“字段名: 值”）",
    "dict_type": "应为映射（每行“字段名: 值”）",
    "model_attributes_type": "应为映射（每行“字段名: 值”）",
    "greater_than_equal": "应为不小于 1 的整数",
    "date_type": "应为日期 YYYY-MM-DD",
    "none_required": "应为空（null）",
    "string_too_short": "不能为空",
    "string_too_long": "文字过长",
    "too_long": "项数过多",
    "greater_than": "数值过小",
    "less_than": "数值过大",
    "less_than_equal": "数值过大",
    "int_too_big": "数值过大",
    "float_type": "应为数值",
    "float_parsing": "应为数值",
    "list_type_strict": "应为列表（每项以“- ”开头）",
    "frozen_instance": "不能修改",
    "union_tag_invalid": "取值无效",
}


def _allowed_fields(loc: tuple[Any, ...]) -> list[str]:
    """Field names the schema class at `loc` accepts, for the 'unknown field' hint."""
    model: Any = Plan
    for step in loc:
        if isinstance(step, int):
            continue
        if not _is_model(model):
            return []
        annotation = _model_fields(model).get(step)
        if annotation is None and not str(step).isidentifier():
            continue  # a union member's tag (list[Area]) in pydantic's loc, not a field
        if annotation is None:
            return []
        model = _inner_model(annotation)
    if _is_model(model):
        return list(_model_fields(model))
    return []


def _is_model(kind: Any) -> bool:
    """A class of the schema (models.py: every one a dataclass)."""
    return isinstance(kind, type) and dataclasses.is_dataclass(kind)


def _model_fields(kind: Any) -> dict[str, Any]:
    """Each field's annotation, resolved (the error path only: the names come from the
    namespace `models.adapter` completed before validating)."""
    from . import models

    hints = typing.get_type_hints(kind, vars(models))
    return {f.name: hints[f.name] for f in dataclasses.fields(kind)}


def _inner_model(annotation: Any) -> Any:
    """list[X] / X | None / X → X, to walk down the model tree."""
    for arg in typing.get_args(annotation) or (annotation,):
        if _is_model(arg):
            return arg
        inner = _inner_model(arg) if typing.get_args(arg) else None
        if inner is not None:
            return inner
    return None
