"""Splicing entries into a top-level list of plan.yaml (progress, notices), leaving every other byte as it was.

plan.yaml is edited by hand: its comments, quoting, key order and line endings belong to the
people who maintain it, and a YAML dumper would rewrite all of them. So the entry is added as
text, at a place found from the node positions of the parsed document, in the style of the
items already there; the caller re-parses the result to prove that nothing else moved.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import yaml

from ..errors import LayoutError
from ..io.files import Document
from ..model.models import ProgressEntry
from ..records import record

# What libyaml counts as a line break; splitting the same way keeps our line numbers equal
# to the marks on the nodes even when a note contains U+2028 or NEL.
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_NEWLINES = ("\r\n", "\n", "\r")

# Characters a YAML reader refuses raw, or reads as a line break (and folds) inside quotes,
# or may take for a byte-order mark: written as \u escapes instead.
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")

FIELD_ORDER = ("measure", "unit", "milestone", "status", "date", "note", "until", "approved_late")


@record
class Splice:
    text: str  # the whole new file text (without BOM)
    line: int  # 1-based line where the entry starts


def quote(value: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `value`, whatever it contains.

    JSON strings are valid YAML double-quoted scalars; quoting every string means no YAML 1.1
    implicit typing (no, on, 2024-1-5, 010 …) can ever apply to what kpzf writes.
    """
    text = json.dumps(value, ensure_ascii=False)
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def entry_data(entry: ProgressEntry) -> dict[str, Any]:
    """The entry as the plain data YAML should read back: omitted fields are left out."""
    data: dict[str, Any] = {
        "measure": entry.measure,
        "unit": entry.unit,
        "milestone": entry.milestone.isoformat() if entry.milestone else None,
        "status": entry.status,
        "date": entry.date.isoformat(),
        "note": entry.note,
        "until": entry.until.isoformat() if entry.until else None,
        "approved_late": True if entry.approved_late else None,
    }
    return {k: data[k] for k in FIELD_ORDER if data[k] not in (None, "")}


def _scalar(value: Any) -> str:
    if value is True:
        return "true"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):  # a list of ids (a notice's measures): a one-line flow list
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    return quote(str(value))


def _fields(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(key, _scalar(value)) for key, value in data.items()]


def flow_item(data: dict[str, Any]) -> str:
    """`{measure: 1, unit: "市公安局", …}`: one list item as plain data, on one line."""
    return "{" + ", ".join(f"{k}: {v}" for k, v in _fields(data)) + "}"


def flow_entry(entry: ProgressEntry) -> str:
    """`{measure: 1, unit: "市公安局", …}`: the one-line form the plan's own example uses."""
    return flow_item(entry_data(entry))


def _lines(text: str) -> list[str]:
    """The text's lines, each with its line break (the last one may have none)."""
    lines, start = [], 0
    for match in _LINE_BREAK.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def _body(line: str) -> str:
    match = _LINE_BREAK.search(line)
    return line[: match.start()] if match else line


def _break(line: str) -> str:
    return line[len(_body(line)) :]


def _default_newline(lines: list[str]) -> str:
    """The file's own line ending (CRLF files stay CRLF), "\\n" for a file without one."""
    for line in lines:
        if _break(line) in _NEWLINES:
            return _break(line)
    return "\n"


def _insert_after(lines: list[str], index: int, new: list[str]) -> Splice:
    """Insert `new` (line bodies) after line `index` (-1: at the top), in the file's line style."""
    newline = _break(lines[index]) if 0 <= index < len(lines) else ""
    if newline not in _NEWLINES:
        newline = _default_newline(lines)
    out = list(lines)
    if 0 <= index < len(out) and not _break(out[index]):
        out[index] += newline  # the file did not end with a line break; the entry needs one
    out[index + 1 : index + 1] = [body + newline for body in new]
    return Splice("".join(out), index + 2)


def _last_line(node: yaml.Node) -> int:
    """0-based line of the last character that belongs to `node`."""
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        end = node.end_mark
        # Block scalars (| >) end at column 0 of the line after their trailing breaks.
        if end.column == 0 and end.line > node.start_mark.line:
            return int(end.line) - 1
        return int(end.line)
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            children += [key, value]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    if not children:
        return int(node.start_mark.line)
    return max(_last_line(child) for child in children)


# What each list holds, for the messages: "kpzf 无法安全地追加进度记录".
ENTRY_WORDS = {"progress": "进度记录", "notices": "催办记录"}


def _refuse(message: str, section: str, items: Sequence[dict[str, Any]]) -> LayoutError:
    lines = "\n".join(f"  - {flow_item(item)}" for item in items)
    return LayoutError(
        message,
        hint=f"请把 {section} 写成每条一行的列表（“{section}:”换行后每条以“  - ”开头），"
        f"或手工在列表末尾添加下面{'这一行' if len(items) == 1 else '各行'}后运行 kpzf validate：\n{lines}",
    )


def append_entry(document: Document, entry: ProgressEntry) -> Splice:
    """The document's text with `entry` added as the last item of its `progress` list."""
    return append_entries(document, [entry])


def append_entries(document: Document, entries: Sequence[ProgressEntry]) -> Splice:
    """The document's text with `entries` added, in order, at the end of its `progress` list."""
    return append_items(document, "progress", [entry_data(e) for e in entries])


def append_items(document: Document, section: str, items: Sequence[dict[str, Any]]) -> Splice:
    """The text with `items` (plain data, scalars or lists of scalars) appended to the top-level
    list `section`, in the style of the items already there; the section is created if absent.

    Generic over the section, so that every log kpzf appends to (progress, notices) is spliced
    by the same code; Splice.line is the line of the first new item.
    """
    if not items:
        return Splice(document.text, 0)
    root = document.root
    words = ENTRY_WORDS.get(section, section)
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise _refuse(f"文件顶层不是逐行书写的映射，kpzf 无法安全地追加{words}", section, items)
    lines = _lines(document.text)
    for key, value in root.value:  # noqa: B007 (used after the loop)
        if isinstance(key, yaml.ScalarNode) and key.value == section:
            break
    else:
        return _new_section(root, lines, section, items)
    if not isinstance(value, yaml.SequenceNode):
        raise _refuse(f"{section} 不是列表，kpzf 无法追加{words}", section, items)
    if value.flow_style:
        if value.value:
            raise _refuse(
                f"{section} 写成了方括号中的单行列表 [...]，kpzf 无法安全地追加", section, items
            )
        return _replace_empty_flow(lines, key, value, section, items)
    return _after_last_item(lines, value, items)


def _new_section(
    root: yaml.MappingNode, lines: list[str], section: str, items: Sequence[dict[str, Any]]
) -> Splice:
    """No such key yet: add the section at the end of the file, at the top-level indent."""
    indent = " " * root.start_mark.column
    new = [f"{indent}{section}:", *(f"{indent}  - {flow_item(item)}" for item in items)]
    splice = _insert_after(lines, len(lines) - 1, new)
    return Splice(splice.text, splice.line + 1)  # the first item is the second new line


_EMPTY_FLOW = re.compile(r"\[[ \t]*\](?P<tail>[ \t]*(?:#.*)?)")


def _replace_empty_flow(
    lines: list[str],
    key: yaml.Node,
    value: yaml.SequenceNode,
    section: str,
    items: Sequence[dict[str, Any]],
) -> Splice:
    """`progress: []` becomes `progress:` (a trailing comment kept) followed by the items."""
    row = value.start_mark.line
    body = _body(lines[row]) if row < len(lines) else ""
    head, rest = body[: value.start_mark.column], body[value.start_mark.column :]
    match = _EMPTY_FLOW.fullmatch(rest)
    if row != key.start_mark.line or match is None or not head.rstrip(" \t").endswith(":"):
        raise _refuse(f"{section} 的空列表 [] 写法特殊（跨行或与其他内容同行）", section, items)
    tail = match.group("tail")
    if tail.startswith("#"):
        tail = " " + tail  # a comment must stay separated from the colon
    lines = list(lines)
    lines[row] = head.rstrip(" \t") + tail + _break(lines[row])
    indent = " " * (key.start_mark.column + 2)
    return _insert_after(lines, row, [f"{indent}- {flow_item(item)}" for item in items])


def _after_last_item(
    lines: list[str], seq: yaml.SequenceNode, items: Sequence[dict[str, Any]]
) -> Splice:
    """A block list: the items go right after the last one, dashed and indented like it."""
    dash = seq.start_mark.column  # every "-" of a block sequence sits in this column
    last = seq.value[-1]
    row = last.start_mark.line
    body = _body(lines[row]) if row < len(lines) else ""
    same_line = body[:dash].strip() == "" and body[dash : dash + 1] == "-"
    gap = last.start_mark.column - dash - 1 if same_line else 1
    gap = max(gap, 1)
    prefix = " " * dash + "-" + " " * gap
    new: list[str] = []
    for item in items:
        if isinstance(last, yaml.MappingNode) and not last.flow_style and same_line:
            # Items written as block mappings: the new ones are too, keys aligned with theirs.
            fields = _fields(item)
            new.append(prefix + f"{fields[0][0]}: {fields[0][1]}")
            new += [" " * len(prefix) + f"{k}: {v}" for k, v in fields[1:]]
        else:
            new.append(prefix + flow_item(item))
    return _insert_after(lines, _last_line(last), new)
