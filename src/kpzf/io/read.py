"""Reading a plan file: bytes → checked UTF-8 → plain data, with positions composed on demand.

Two readers apply one rule set (yaml_rules): a fast one over libyaml's events for files that
need no message, and the careful node walk, whose nodes carry the line and column of every
problem (duplicate keys, anchors/aliases and so "billion laughs", non-standard tags, absurd
nesting). Syntax errors are worded by yaml_errors. Positions are looked up lazily.
"""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import PlanError, Problem, UnusableInput
from .yaml_errors import DEEP_HINT, reader_problem, syntax_problem
from .yaml_rules import (
    INT,
    MAP,
    MAPPING,
    MAX_DEPTH,
    SCALAR,
    SEQ,
    SEQUENCE,
    STR,
    Loader,
    NodeWalk,
    ScalarRules,
    Stop,
    key_allowed,
    plain_decimal,
    refusal,
)

_C_LOADER = Loader is not yaml.SafeLoader

# A county plan is ~60 KB; a province-scale file (120 plans, years of progress) stays well under
# this. Past it we refuse up front instead of spending minutes and gigabytes on a mistake.
MAX_BYTES = 64 * 1024 * 1024
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


class _Uncomposed:
    """Marks a Document whose node tree has not been built (yet): see Document.root."""


UNCOMPOSED: Any = _Uncomposed()


class _Released:
    """Marks a Document whose data a build consumed (model.plan.build_plan with release=True)."""


RELEASED: Any = _Released()


@dataclass
class Document:
    """A YAML file read into plain data; its node tree, for error positions, built on demand."""

    path: str  # as the user named it; used in every message
    # The file as UTF-8 (already checked, no BOM): a third smaller than the decoded text for
    # Chinese, and what libyaml reads without making its own copy. `text` decodes on demand.
    encoded: bytes
    data: Any  # plain data (None: an empty file); RELEASED once a build consumed it
    # The composed node tree, or UNCOMPOSED: a valid plan never needs positions, so the fast
    # reader skips the tree (most of the time and memory of a large file) until a problem asks.
    _root: yaml.Node | None
    # Problems that do not stop construction (duplicate keys): reported with the plan's others.
    problems: list[Problem]
    _key_index: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(
        default_factory=dict, repr=False
    )

    @property
    def text(self) -> str:
        return self.encoded.decode("utf-8")

    @property
    def root(self) -> yaml.Node | None:
        if self._root is UNCOMPOSED:
            with gc_paused():
                loader = Loader(self.text)
                try:
                    self._root = loader.get_single_node()
                finally:
                    loader.dispose()
        return self._root

    def node_at(self, path: Path_) -> tuple[yaml.Node | None, yaml.Node | None]:
        """The deepest (key node, value node) reachable along `path` in the tree."""
        node, key_node = self.root, None
        for step in path:
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                found = self._keys(node).get(step)
                if found is None:
                    return key_node, node
                key_node, node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    return key_node, node
                key_node, node = None, node.value[step]
            else:
                return key_node, node
        return key_node, node

    def _keys(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """A mapping's keys indexed once: 50,000 problems in one mapping must not each scan it."""
        index = self._key_index.get(id(node))
        if index is None:
            index = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    index.setdefault(k.value, (k, v))  # the first, as the linear search found
            self._key_index[id(node)] = index
        return index

    def locate(self, path: Path_, *, key: bool = False, offset: int | None = None) -> Position:
        """Line and column of the value at `path` (or of its key), as precisely as known.

        With `offset`, point at that character inside a single-line scalar value.
        """
        key_node, node = self.node_at(path)
        target = key_node if (key and key_node is not None) else node
        if target is None:
            return Position(1, 1)
        mark = target.start_mark
        line, column = mark.line + 1, mark.column + 1
        if (
            offset is not None
            and isinstance(target, yaml.ScalarNode)
            and target.start_mark.line == target.end_mark.line
        ):
            column += offset + (1 if target.style in ("'", '"') else 0)
        return Position(line, column)

    def problem(
        self,
        path: Path_,
        message: str,
        *,
        hint: str = "",
        code: str = "invalid",
        key: bool = False,
        offset: int | None = None,
    ) -> Problem:
        pos = self.locate(path, key=key, offset=offset)
        return Problem(self.path, pos.line, pos.column, message, hint, code)

    def implicit_type(self, path: Path_) -> str | None:
        """If the value at `path` is an unquoted scalar YAML read as a non-string, its type tag."""
        _, node = self.node_at(path)
        if isinstance(node, yaml.ScalarNode) and not node.style and node.tag != STR:
            return str(node.tag)
        return None

    def raw_scalar(self, path: Path_) -> str | None:
        _, node = self.node_at(path)
        return node.value if isinstance(node, yaml.ScalarNode) else None


UTF8_BOM = b"\xef\xbb\xbf"  # allowed at the start of a plan; kept there when record rewrites it


def decode(path: str, raw: bytes) -> str:
    """UTF-8 text of a plan file (a BOM is accepted); anything else is unusable input."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnusableInput(
            [
                Problem(
                    path,
                    1,
                    1,
                    "文件是 UTF-16 编码，kpzf 只读 UTF-8",
                    f"请在编辑器中另存为 UTF-8 编码，或：iconv -f UTF-16 -t UTF-8 {path} > plan.utf8.yaml",
                    "encoding",
                )
            ]
        )
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM) :]
    head = raw[:4096]
    if head.count(b"\x00") * 4 >= len(head) > 0:
        # YAML text never contains NUL; this many mean UTF-16/32 saved without a BOM.
        raise UnusableInput(
            [
                Problem(
                    path,
                    1,
                    1,
                    "文件看起来是 UTF-16 编码（没有 BOM），kpzf 只读 UTF-8",
                    f"请在编辑器中另存为 UTF-8 编码，或：iconv -f UTF-16LE -t UTF-8 {path} > plan.utf8.yaml",
                    "encoding",
                )
            ]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        try:
            raw.decode("gb18030")
            guess = "文件看起来是 GBK/GB18030 编码，kpzf 只读 UTF-8"
            hint = (
                f"请转换为 UTF-8 后再试，例如：iconv -f GB18030 -t UTF-8 {path} > plan.utf8.yaml，"
                "核对无误后替换原文件；或在 WPS/记事本中“另存为”并选择 UTF-8 编码"
            )
        except UnicodeDecodeError:
            guess = "文件不是 UTF-8 文本"
            hint = "请确认这是 plan.yaml 文本文件，并以 UTF-8 编码保存"
        raise UnusableInput(
            [Problem(path, line, column, f"{guess}（第一个无法解码的字节在此处）", hint, "encoding")]
        ) from None


def read_bytes(path: Path, shown: str) -> bytes:
    """The file's bytes, refusing anything over MAX_BYTES before spending memory on it."""
    try:
        st = path.stat()
        if stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode) or stat.S_ISBLK(st.st_mode):
            if not _names_a_descriptor(path):
                # A named pipe with no writer would block open() forever; a plan is a file.
                raise UnusableInput(
                    [
                        Problem(
                            shown,
                            None,
                            None,
                            "这不是普通文件（命名管道、套接字或块设备），kpzf 不读取它",
                            "请指定 plan.yaml 文件本身；要从管道读取，请用 /dev/stdin",
                            "not-a-file",
                        )
                    ]
                )
        size = st.st_size
        if size > MAX_BYTES:
            raise too_large(shown, size)
        # Read at most one byte past the limit: FIFOs, /dev/stdin and devices report size 0,
        # and `kpzf validate /dev/zero` must not read forever.
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise too_large(shown, None)
        return raw
    except OSError as exc:
        raise unusable_file(shown, exc, "无法读取文件") from None


def unusable_file(shown: str, exc: OSError, failed: str) -> UnusableInput:
    """A file that cannot be opened, said once for every reader and writer of plan files."""
    if isinstance(exc, FileNotFoundError):
        problem = Problem(shown, None, None, "文件不存在", "请检查路径，或用 --plan 指定计划文件", "not-found")
    elif isinstance(exc, IsADirectoryError):
        problem = Problem(shown, None, None, "这是一个目录，不是文件", "请指定 plan.yaml 文件本身", "not-found")
    else:
        problem = Problem(shown, None, None, f"{failed}：{exc.strerror or exc}", "请检查文件权限", "unreadable")
    return UnusableInput([problem])


def _names_a_descriptor(path: Path) -> bool:
    """/dev/stdin, /dev/fd/N, /proc/self/fd/N: a pipe the caller handed over on purpose."""
    text = os.path.abspath(path)
    return text in ("/dev/stdin",) or text.startswith(("/dev/fd/", "/proc/self/fd/", "/proc/"))


def too_large(shown: str, size: int | None) -> UnusableInput:
    limit = MAX_BYTES // 1024 // 1024
    what = f"文件过大（{size / 1024 / 1024:.0f} MB）" if size is not None else "文件过大"
    return UnusableInput(
        [
            Problem(
                shown,
                None,
                None,
                f"{what}，超过 kpzf 的上限 {limit} MB",
                "请确认选对了文件；计划文件通常只有几十 KB",
                "too-large",
            )
        ]
    )


def read_document(path: Path, shown: str | None = None) -> Document:
    """Read a YAML file into a Document, or raise UnusableInput naming file:line:col."""
    shown = shown if shown is not None else str(path)
    raw = read_bytes(path, shown)
    decode(shown, raw)  # refuses what is not UTF-8; the text itself is decoded when needed
    return _parse_encoded(raw[len(UTF8_BOM) :] if raw.startswith(UTF8_BOM) else raw, shown)


def document_from_bytes(raw: bytes, shown: str) -> Document:
    """A Document from bytes that did not come from a file (a git revision), checked the same way."""
    if len(raw) > MAX_BYTES:
        raise too_large(shown, len(raw))
    decode(shown, raw)
    return _parse_encoded(raw[len(UTF8_BOM) :] if raw.startswith(UTF8_BOM) else raw, shown)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector while building a large acyclic tree.

    Every node, mark and dict of a plan is a new container object; the collector keeps
    re-walking them all as they pile up (70% of a 100× file's compose time). None of them form
    cycles, so nothing is lost by collecting once afterwards instead.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_text(text: str, shown: str) -> Document:
    return _parse_encoded(text.encode("utf-8"), shown)



def _parse_encoded(encoded: bytes, shown: str) -> Document:
    """A Document from checked UTF-8 without a leading BOM (decode stripped the one allowed)."""
    with gc_paused():
        doc = Document(shown, encoded, None, UNCOMPOSED, [])
        try:
            doc.data = _data_from_events(doc)
            return doc
        except _Fallback:
            # Something only the node walk reports exactly (an error, an alias, a tag, a
            # duplicate key …): read the file again the careful way.
            return _parse_nodes(doc.text, shown)


class _Fallback(Exception):
    """The event reader met something it leaves to the node walk."""


_NO_KEY: Any = object()


def _data_from_events(doc: Document) -> Any:
    """Plain data straight from libyaml's events, without composing a node tree.

    The same data the node walk builds, for the files it accepts without a word: both apply
    yaml_rules (refusal, ScalarRules, duplicate keys). At the first refusal or problem, and at
    what only the node walk can judge (anchors, explicit tags, parser errors), this raises
    _Fallback. Equal strings are shared: a large plan repeats the same keys, unit names and
    dates thousands of times.
    """
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    strings: dict[str, str] = {}
    share = strings.setdefault
    plain: dict[str, Any] = {}  # plain scalar text → its value, for strings and plain decimals
    scalars: ScalarRules | None = None
    stack: list[list[Any]] = []  # one [container, pending key] per open collection
    # libyaml reads the UTF-8 bytes as they are (from text it would first make its own copy);
    # the pure-Python loader reads text.
    source: str | bytes = doc.encoded if _C_LOADER else doc.text
    if _C_LOADER and doc.encoded.startswith(UTF8_BOM):
        raise _Fallback  # libyaml skips a (second) BOM in bytes but not in text
    try:
        # Inside the try: the pure-Python loader checks the whole text as it is constructed.
        loader = Loader(source)
    except yaml.YAMLError:
        raise _Fallback from None
    try:
        get = loader.get_event
        get()  # stream start
        if type(get()) is not yaml.DocumentStartEvent:
            raise _Fallback
        while True:
            event = get()
            kind = type(event)
            if kind is scalar_event or kind is mapping_start or kind is sequence_start:
                if event.anchor is not None or event.tag is not None:
                    raise _Fallback  # an anchor may have aliases; tags are for the node walk
                as_key = bool(stack) and stack[-1][1] is _NO_KEY and type(stack[-1][0]) is dict
                depth = len(stack) - as_key
            if kind is scalar_event:
                value = event.value
                if not event.implicit[0]:  # quoted (or block): always a string
                    if depth > MAX_DEPTH:
                        raise _Fallback
                    value = share(value, value)
                elif (known := plain.get(value, _NO_KEY)) is not _NO_KEY and depth <= MAX_DEPTH:
                    value = known  # keys, unit names, numbers: resolved once per distinct text
                else:  # plain: YAML may read it as a number, a date, null …
                    tag = loader.resolve(yaml.ScalarNode, value, (True, False))
                    if refusal(SCALAR, tag, depth, as_key) is not None:
                        raise _Fallback
                    if tag == STR:
                        plain[value] = value
                    elif tag == INT and plain_decimal(value):
                        value = plain[value] = int(value)
                    else:
                        if scalars is None:
                            scalars = ScalarRules(doc.path)
                        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
                        try:
                            value = scalars.value(node, doc.problems)
                        except Stop:
                            raise _Fallback from None
                        if doc.problems:
                            raise _Fallback
            elif kind is mapping_start or kind is sequence_start:
                shape, tag = (MAPPING, MAP) if kind is mapping_start else (SEQUENCE, SEQ)
                if refusal(shape, tag, depth, as_key) is not None:
                    raise _Fallback
                stack.append([{} if kind is mapping_start else [], _NO_KEY])
                continue
            elif kind is mapping_end or kind is sequence_end:
                value = stack.pop()[0]
            else:  # an alias (refused), or a stream that is not one plain document
                raise _Fallback
            if not stack:
                if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
                    raise _Fallback
                return value
            top = stack[-1]
            container = top[0]
            if type(container) is list:
                container.append(value)
            elif top[1] is _NO_KEY:
                if not key_allowed(value):
                    raise _Fallback  # 1:, ~:, a date as a key: the node walk says where
                top[1] = value
            else:
                if top[1] in container:
                    raise _Fallback  # a duplicate key: the node walk reports both lines
                container[top[1]] = value
                top[1] = _NO_KEY
    except yaml.YAMLError:
        raise _Fallback from None
    finally:
        loader.dispose()


def _parse_nodes(text: str, shown: str) -> Document:
    try:
        loader = Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise UnusableInput([syntax_problem(shown, exc, text)]) from None
    except yaml.reader.ReaderError as exc:
        raise UnusableInput([reader_problem(shown, exc, text)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every other YAML error carries a mark
        raise UnusableInput([Problem(shown, None, None, f"YAML 格式错误：{exc}", "", "yaml-syntax")]) from None
    except RecursionError:
        # Only the pure-Python parser recurses without limit; libyaml stops at 1000 levels.
        raise UnusableInput(
            [Problem(shown, None, None, "YAML 嵌套层数过深", DEEP_HINT, "yaml-syntax")]
        ) from None
    doc = Document(shown, text.encode("utf-8"), None, root, [])
    if root is None:
        return doc
    try:
        doc.data = NodeWalk(shown, doc.problems).build(root, 0)
    except Stop as stop:
        # Well-formed YAML that cannot be plan data (alias, unsafe tag, depth): invalid, exit 1.
        raise PlanError([stop.problem, *doc.problems]) from None
    return doc
