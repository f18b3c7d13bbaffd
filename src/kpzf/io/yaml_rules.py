"""What plan data may contain: the one rule set both YAML readers (event and node) apply.

Both readers describe what they meet the same way (a scalar, a sequence, a mapping or an alias,
its tag, how deep it sits, whether it stands where a key belongs) and ask `refusal` about the
shape and `ScalarRules` about the value. The node walk reports what is refused, at its place;
the event reader, which has no positions to report, hands the file over to the node walk at the
first refusal or problem. So a rule added here applies to both, and the differential test
(tests/unit/io/test_read_events.py) holds them to giving the same data or the same problems.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import Problem
from ..records import record

# The safe loader, libyaml's when installed; nothing else in kpzf makes a YAML loader.
Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# plan.yaml needs about 8 levels; libyaml itself stops at 1000, far past Python's comfort.
MAX_DEPTH = 64

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
MERGE = "tag:yaml.org,2002:merge"

NULL_TAG = NULL  # what an empty value (`text:` with nothing after it) reads as

# What a plain (unquoted) scalar turned into, in words a plan editor understands.
IMPLICIT_TYPE_NAMES = {
    INT: "整数",
    FLOAT: "小数",
    BOOL: "布尔值（是/否）",
    NULL: "空值",
    TIMESTAMP: "日期",
}

# The only integers a plan means as written; YAML 1.1 also reads 010, 0x1f, 1_000 and 1:30.
DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
# Digits an integer in a plan may have (a measure number, a version, 2**63): more is a mistake.
MAX_DIGITS = 19

SCALAR, SEQUENCE, MAPPING, ALIAS = "scalar", "sequence", "mapping", "alias"


@record
class Refusal:
    """Why a piece of YAML cannot be plan data (the node walk stops there, exit 1)."""

    message: str
    hint: str
    code: str


def refusal(kind: str, tag: str | None, depth: int, as_key: bool) -> Refusal | None:
    """The rules on the shape of plan data. `depth`: 0 for the document's root, +1 per level;
    a key counts at the depth of its mapping. `tag`: the resolved tag (None for an alias)."""
    if depth > MAX_DEPTH:
        return Refusal(f"YAML 嵌套超过 {MAX_DEPTH} 层", "计划文件只需要几层嵌套，请检查结构", "too-deep")
    if kind == ALIAS:
        # The composer hands the same node back for every alias of an anchor; refusing the
        # second visit also defuses "billion laughs".
        return Refusal(
            "不支持 YAML 锚点和别名（&名称 / *名称）：此处定义的内容被别名重复引用",
            "请把内容直接写出来；锚点会让一处修改悄悄影响多处",
            "alias",
        )
    if as_key and kind != SCALAR:
        return Refusal("字段名必须是简单的文字", "请检查此处的写法", "bad-key")
    if kind == SEQUENCE and tag != SEQ or kind == MAPPING and tag != MAP:
        return unsafe_tag(tag)
    if kind == SCALAR and tag == MERGE:
        return Refusal("不支持 YAML 合并键“<<”", "请把要合并的字段直接写出来", "alias")
    if kind == SCALAR and tag not in _SCALAR_TAGS:
        return unsafe_tag(tag)
    return None


_SCALAR_TAGS = frozenset((STR, INT, FLOAT, BOOL, NULL, TIMESTAMP))


def unsafe_tag(tag: str | None) -> Refusal:
    shown = str(tag)
    if shown.startswith("tag:yaml.org,2002:"):
        shown = "!!" + shown.removeprefix("tag:yaml.org,2002:")  # as it was written
    return Refusal(
        f"不支持的 YAML 标签“{shown}”",
        "计划文件只能包含普通的文字、数字、列表和映射；请删除以 ! 开头的标签",
        "unsafe-tag",
    )


def problem_at(path: str, mark: Any, message: str, hint: str, code: str) -> Problem:
    if mark is None:
        return Problem(path, None, None, message, hint, code)
    return Problem(path, mark.line + 1, mark.column + 1, message, hint, code)


class Stop(Exception):
    """Raised inside either reader to abandon construction with one problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def key_allowed(key: Any) -> bool:
    """Keys are text: 1:, ~: or a date as a key is a slip (pydantic would only say "Keys should
    be strings" at the mapping)."""
    return isinstance(key, str)


def non_string_key(path: str, node: yaml.ScalarNode) -> Problem:
    kind = IMPLICIT_TYPE_NAMES.get(str(node.tag), "非文字的值")
    shown = node.value if node.value else "~"
    return problem_at(
        path,
        node.start_mark,
        f"字段名“{clip(shown)}”被 YAML 读成了{kind}，字段名必须是文字",
        f"请检查这一行是否多写或写错了字段名；如果确实要用它作字段名，请加引号：\"{clip(shown)}\"",
        "bad-key",
    )


def clip(text: str, limit: int = 40) -> str:
    """A value quoted in a message, cut short: a 5,000-digit number is not worth repeating."""
    return text if len(text) <= limit else text[:limit] + "…"


def plain_decimal(value: str) -> bool:
    """A plain integer the event reader may convert itself: decimal, and of a sane length."""
    return len(value) <= MAX_DIGITS and DECIMAL.fullmatch(value) is not None


def duplicate_key(path: str, key: Any, mark: Any, first_line: int) -> Problem:
    """A key met twice in one mapping: PyYAML would keep the last one without a word."""
    return problem_at(
        path,
        mark,
        f"字段“{key}”重复出现（第一次在第 {first_line} 行）；YAML 解析器会悄悄只保留最后一个",
        "请删除或合并重复的字段",
        "duplicate-key",
    )


class ScalarRules:
    """A scalar's value from its resolved tag, with the problems a plan editor never means."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def value(self, node: yaml.ScalarNode, problems: list[Problem]) -> Any:
        """The scalar as data; problems that do not stop reading (ambiguous numbers) appended."""
        tag = node.tag
        if tag == STR:
            return node.value
        if tag not in _CONSTRUCTED:  # pragma: no cover - refusal() turned other tags away
            refused = unsafe_tag(tag)
            raise Stop(problem_at(self.path, node.start_mark, refused.message, refused.hint, refused.code))
        if tag == NULL:
            return None
        digits = node.value.replace("_", "").lstrip("+-")
        if tag == INT and len(digits) > MAX_DIGITS:
            # Python refuses to convert (or print) integers of over 4,300 digits; no plan needs 19.
            if digits[:2].lower() in ("0x", "0o", "0b"):
                digits = digits[2:]
            raise self._stop(
                node,
                f"数字“{clip(node.value)}”过大（{len(digits)} 位），不是有效的序号或版本号",
                "序号请写成不带前导零的十进制整数（如 10）；如果这是编号、代码等文字，请加引号",
                "bad-number",
            )
        try:
            value = _CONSTRUCTED[tag](self.constructor, node)
        except (ValueError, KeyError, AttributeError, TypeError, OverflowError):
            # A bad explicit tag (!!int "abc", !!bool "abc") or a date that does not exist.
            if tag == TIMESTAMP and _DATE_SHAPE.match(node.value):
                raise self._stop(
                    node,
                    f"日期“{clip(node.value)}”不存在",
                    "请检查年、月、日，例如 2024-02-29 存在而 2023-02-29 不存在",
                    "bad-date",
                ) from None
            raise self._stop(
                node,
                f"“{clip(node.value)}”不是有效的{IMPLICIT_TYPE_NAMES[tag]}（标签 !!{tag.rsplit(':', 1)[-1]}）",
                "计划文件不需要 YAML 标签；请删除以 !! 开头的标签，文字请加引号",
                "bad-tag",
            ) from None
        if tag == INT and not DECIMAL.fullmatch(node.value):
            problems.append(self._ambiguous_number(node, value))
        return value

    def _stop(self, node: yaml.Node, message: str, hint: str, code: str) -> Stop:
        return Stop(problem_at(self.path, node.start_mark, message, hint, code))

    def _ambiguous_number(self, node: yaml.ScalarNode, value: int) -> Problem:
        """YAML 1.1 reads 010 as 8 and 1:30 as 90; a plan editor never means that."""
        raw = node.value
        digits = raw.lstrip("+-")
        if digits[:2] in ("0x", "0X"):
            why = "以 0x 开头的数按十六进制读"
        elif digits[:2] in ("0b", "0B"):
            why = "以 0b 开头的数按二进制读"
        elif ":" in digits:
            why = "带冒号的数按六十进制读"
        elif digits.startswith("0"):
            why = "以 0 开头的数按八进制读"
        else:
            why = "数字中的下划线会被忽略"
        return problem_at(
            self.path,
            node.start_mark,
            f"“{clip(raw)}”会被 YAML 读成数 {value}（{why}）",
            "序号请写成不带前导零的十进制整数（如 10）；如果这是编号、代码等文字，请加引号",
            "ambiguous-number",
        )


_DATE_SHAPE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_CONSTRUCTED: dict[str, Any] = {
    INT: yaml.SafeLoader.construct_yaml_int,
    BOOL: yaml.SafeLoader.construct_yaml_bool,
    NULL: yaml.SafeLoader.construct_yaml_null,
    FLOAT: yaml.SafeLoader.construct_yaml_float,
    TIMESTAMP: yaml.SafeLoader.construct_yaml_timestamp,
}


class NodeWalk:
    """The careful reader: a composed node tree → plain data, each refusal at its position."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems  # duplicate keys, ambiguous numbers: reported, reading goes on
        self.scalars = ScalarRules(path)
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, depth: int, as_key: bool = False) -> Any:
        if id(node) in self.seen:
            kind = ALIAS
        elif isinstance(node, yaml.ScalarNode):
            kind = SCALAR
        else:
            kind = SEQUENCE if isinstance(node, yaml.SequenceNode) else MAPPING
        refused = refusal(kind, node.tag, depth, as_key)
        if refused is not None:
            raise Stop(problem_at(self.path, node.start_mark, refused.message, refused.hint, refused.code))
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return self.scalars.value(node, self.problems)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, depth + 1) for item in node.value]
        result: dict[Any, Any] = {}
        first_seen: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = self.build(key_node, depth, as_key=True)
            if not key_allowed(key):
                self.problems.append(non_string_key(self.path, key_node))
                continue
            if key in first_seen:
                first_line = first_seen[key].start_mark.line + 1
                self.problems.append(duplicate_key(self.path, key, key_node.start_mark, first_line))
            else:
                first_seen[key] = key_node
            result[key] = self.build(value_node, depth + 1)
        return result
