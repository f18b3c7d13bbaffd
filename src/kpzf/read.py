"""The one place kpzf reads YAML: bytes → checked text → node tree with positions → plain data.

PyYAML's composer keeps a start mark on every node; we build plain Python data from the nodes
ourselves (instead of `yaml.load`) so that one pass both constructs the data and catches what
PyYAML would silently accept: duplicate keys, anchors/aliases (and so "billion laughs"),
non-standard tags, absurd nesting. Positions are looked up lazily, only when a problem needs one.
"""

from __future__ import annotations

import gc
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import PlanError, Problem, UnusableInput

Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_C_LOADER = Loader is not yaml.SafeLoader

# A county plan is ~60 KB; a province-scale file (120 plans, years of progress) stays well under
# this. Past it we refuse up front instead of spending minutes and gigabytes on a mistake.
MAX_BYTES = 64 * 1024 * 1024
# plan.yaml needs about 8 levels; libyaml itself stops at 1000, far past Python's comfort.
MAX_DEPTH = 64

_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
# Digits an integer in a plan may have (a measure number, a version, 2**63): more is a mistake.
MAX_DIGITS = 19

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

NULL_TAG = _NULL  # what an empty value (`text:` with nothing after it) reads as

# What a plain (unquoted) scalar turned into, in words a plan editor understands.
IMPLICIT_TYPE_NAMES = {
    _INT: "整数",
    _FLOAT: "小数",
    _BOOL: "布尔值（是/否）",
    _NULL: "空值",
    _TIMESTAMP: "日期",
}

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


class _Stop(Exception):
    """Raised inside the node walk to abandon construction with one problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class _Uncomposed:
    """Marks a Document whose node tree has not been built (yet): see Document.root."""


UNCOMPOSED: Any = _Uncomposed()


@dataclass
class Document:
    """A YAML file read into plain data; its node tree, for error positions, built on demand."""

    path: str  # as the user named it; used in every message
    # The file as UTF-8 (already checked, no BOM): a third smaller than the decoded text for
    # Chinese, and what libyaml reads without making its own copy. `text` decodes on demand.
    encoded: bytes
    data: Any  # None once build_plan has made the model from it (unless asked to keep it)
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
        if isinstance(node, yaml.ScalarNode) and not node.style and node.tag != _STR:
            return str(node.tag)
        return None

    def raw_scalar(self, path: Path_) -> str | None:
        _, node = self.node_at(path)
        return node.value if isinstance(node, yaml.ScalarNode) else None


def _problem_at(path: str, mark: Any, message: str, hint: str, code: str) -> Problem:
    if mark is None:
        return Problem(path, None, None, message, hint, code)
    return Problem(path, mark.line + 1, mark.column + 1, message, hint, code)


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
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
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
    except FileNotFoundError:
        raise UnusableInput(
            [Problem(shown, None, None, "文件不存在", "请检查路径，或用 --plan 指定计划文件", "not-found")]
        ) from None
    except IsADirectoryError:
        raise UnusableInput(
            [Problem(shown, None, None, "这是一个目录，不是文件", "请指定 plan.yaml 文件本身", "not-found")]
        ) from None
    except OSError as exc:
        raise UnusableInput(
            [Problem(shown, None, None, f"无法读取文件：{exc.strerror or exc}", "请检查文件权限", "unreadable")]
        ) from None


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
    return _parse_encoded(raw[3:] if raw.startswith(_BOM) else raw, shown)


def document_from_bytes(raw: bytes, shown: str) -> Document:
    """A Document from bytes that did not come from a file (a git revision), checked the same way."""
    if len(raw) > MAX_BYTES:
        raise too_large(shown, len(raw))
    decode(shown, raw)
    return _parse_encoded(raw[3:] if raw.startswith(_BOM) else raw, shown)


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


_BOM = b"\xef\xbb\xbf"


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


def _plain_resolvers() -> dict[str, tuple[tuple[str, Any], ...]]:
    """The loader's implicit resolvers by first character, as `Resolver.resolve` consults them."""
    table = Loader.yaml_implicit_resolvers
    wildcard = tuple(table.get(None, ()))
    return {first: tuple(rules) + wildcard for first, rules in table.items() if first is not None}


def _data_from_events(doc: Document) -> Any:
    """Plain data straight from libyaml's events, without composing a node tree.

    The same data the node walk builds, for the files it accepts without a word; anything else
    (aliases, anchors, explicit tags, duplicate keys, collections as keys, deep nesting, numbers
    other than plain decimals, parser errors) raises _Fallback. Equal strings are shared: a
    large plan repeats the same keys, unit names and dates thousands of times.
    """
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    resolvers = _plain_resolvers()
    strings: dict[str, str] = {}
    share = strings.setdefault
    plain: dict[str, Any] = {}  # plain scalar text → its value, for strings and plain decimals
    builder: _Builder | None = None
    stack: list[list[Any]] = []  # one [container, pending key] per open collection
    # libyaml reads the UTF-8 bytes as they are (from text it would first make its own copy);
    # the pure-Python loader reads text.
    source: str | bytes = doc.encoded if _C_LOADER else doc.text
    if _C_LOADER and doc.encoded.startswith(_BOM):
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
            if kind is scalar_event:
                if event.anchor is not None or event.tag is not None:
                    raise _Fallback
                value = event.value
                if not event.implicit[0]:  # quoted (or block): always a string
                    value = share(value, value)
                elif (known := plain.get(value, _NO_KEY)) is not _NO_KEY:
                    value = known  # keys, unit names, numbers: resolved once per distinct text
                else:  # plain: YAML may read it as a number, a date, null …
                    tag = _STR
                    for rule_tag, regexp in resolvers.get(value[:1], ()):
                        if regexp.match(value):
                            tag = rule_tag
                            break
                    if tag == _STR:
                        plain[value] = value
                    elif (
                        tag == _INT
                        and len(value) <= MAX_DIGITS
                        and value.isdigit()
                        and value.isascii()
                        and value[0] != "0"
                    ):
                        value = plain[value] = int(value)
                    else:
                        if builder is None:
                            builder = _Builder(doc)
                        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
                        try:
                            value = builder.scalar(node)
                        except _Stop:
                            raise _Fallback from None
                        if doc.problems:
                            raise _Fallback
            elif kind is mapping_start or kind is sequence_start:
                if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                    raise _Fallback
                if stack and stack[-1][1] is _NO_KEY and type(stack[-1][0]) is dict:
                    raise _Fallback  # a mapping or list where a key belongs
                stack.append([{} if kind is mapping_start else [], _NO_KEY])
                continue
            elif kind is mapping_end or kind is sequence_end:
                value = stack.pop()[0]
            else:  # an alias, or a stream that is not one plain document
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
                if type(value) is not str:
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
        raise UnusableInput([_syntax_problem(shown, exc, text)]) from None
    except yaml.reader.ReaderError as exc:
        raise UnusableInput([_reader_problem(shown, exc, text)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every other YAML error carries a mark
        raise UnusableInput([Problem(shown, None, None, f"YAML 格式错误：{exc}", "", "yaml-syntax")]) from None
    except RecursionError:
        # Only the pure-Python parser recurses without limit; libyaml stops at 1000 levels.
        raise UnusableInput(
            [Problem(shown, None, None, "YAML 嵌套层数过深", _DEEP_HINT, "yaml-syntax")]
        ) from None
    doc = Document(shown, text.encode("utf-8"), None, root, [])
    if root is None:
        return doc
    builder = _Builder(doc)
    try:
        doc.data = builder.build(root, 0)
    except _Stop as stop:
        # Well-formed YAML that cannot be plan data (alias, unsafe tag, depth): invalid, exit 1.
        raise PlanError([stop.problem, *doc.problems]) from None
    return doc


_DEEP_HINT = "计划文件只需要几层嵌套，请检查是否误输入了大量括号或缩进"
_LAYOUT_HINT = "同一层的字段（或列表项“- ”）必须左对齐，缩进只用空格；也请检查上一行的引号、括号是否成对"


# Characters YAML does not allow in a stream (YAML 1.1 §5.1): C0 controls other than tab and
# line breaks, DEL, C1 controls other than NEL, surrogates and non-characters.
_FORBIDDEN = re.compile(r"[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _reader_problem(shown: str, exc: yaml.reader.ReaderError, text: str) -> Problem:
    """A control character (NUL, ESC …) in otherwise decodable text."""
    # libyaml reports a byte offset, the pure-Python reader a character index: find it ourselves.
    found = _FORBIDDEN.search(text)
    position = found.start() if found else 0
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    char = text[position] if position < len(text) else "\x00"
    return Problem(
        shown,
        line,
        column,
        f"文件含有不允许的控制字符 U+{ord(char):04X}",
        "可能是二进制文件，或从别处复制时带入了不可见字符；请删除该字符，并以 UTF-8 文本保存",
        "encoding",
    )


def _char_at(text: str, mark: Any) -> str:
    if mark is None or not 0 <= mark.index < len(text):
        return ""
    return text[mark.index]


def _syntax_problem(shown: str, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    """libyaml's English parser errors, said in Chinese at the place a person has to fix."""
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    mark, opened = exc.problem_mark, exc.context_mark
    char = _char_at(text, mark)

    def at(where: Any, message: str, hint: str) -> Problem:
        return _problem_at(shown, where if where is not None else mark, message, hint, "yaml-syntax")

    if char == "\t" or "tab" in problem:
        return at(
            mark,
            "YAML 不允许用制表符（Tab）缩进",
            "请把行首的 Tab 换成空格（每级两个空格），可在编辑器中开启“用空格代替 Tab”",
        )
    if "nesting depth" in problem:
        return at(mark, "YAML 嵌套层数过深", _DEEP_HINT)
    if "mapping values are not allowed" in problem:
        return at(
            mark,
            "YAML 格式错误：此处不能出现冒号“:”引出的值",
            "如果文字中含有英文冒号，请给整段文字加引号，或改用中文冒号“：”；也请检查上一行的缩进",
        )
    if "end of stream" in problem and "quoted scalar" in context:
        return at(opened, "引号没有闭合：从这里开始的引号直到文件末尾都没有结束", "请补上配对的引号（\" 或 '）")
    if "escape character" in problem:
        return at(
            mark,
            "双引号内的反斜杠“\\”后面不是有效的转义字符",
            "文字中的“\\”请写成“\\\\”，或改用单引号把整段文字括起来",
        )
    for closer, name in (("]", "方括号“[”"), ("}", "花括号“{”")):
        if f"',' or '{closer}'" in problem:
            until = f"（到第 {mark.line + 1} 行第 {mark.column + 1} 列仍未结束）" if mark else ""
            return at(
                opened,
                f"{name}没有闭合，或其中的项之间缺少英文逗号{until}",
                f"请检查是否漏了“{closer}”；各项之间用英文逗号“,”分隔",
            )
    if "alias" in context or "anchor" in context:
        return at(
            opened,
            "以“*”或“&”开头的值会被当作 YAML 别名或锚点，而这里的写法不成立",
            "kpzf 不支持锚点和别名；如果这是以“*”或“&”开头的文字，请加引号",
        )
    if "undefined alias" in problem:
        return at(
            mark,
            "此处的“*”被当作 YAML 别名，但没有对应的锚点（&名称）",
            "kpzf 不支持锚点和别名；如果这是以“*”开头的文字，请加引号",
        )
    if "single document" in context:
        return at(
            mark,
            "文件含有多个 YAML 文档（以“---”分隔）",
            "一个计划文件只能有一个文档；请删除多余的“---”，或把内容合并到一处",
        )
    if "document start" in problem:
        return at(mark, "文档结束标记“...”之后还有内容", "请删除“...”这一行")
    if "cannot start any token" in problem:
        return at(
            mark,
            f"字符“{char}”不能出现在值的开头",
            "以 @、`、%、|、> 等符号开头的文字请加引号",
        )
    if "could not find expected ':'" in problem or "expected key" in problem or (
        "expected <block end>" in problem or "'-' indicator" in problem
    ):
        quote = _open_quote(text, mark)
        if quote is not None:
            start, end = quote
            return at(
                start,
                f"引号没有闭合：从这里开始的引号一直延续到第 {end.line + 1} 行",
                "请补上配对的引号；引号内的文字不能跨行",
            )
        if "could not find expected ':'" in problem:
            # The scanner notices on the next line; the key without its colon is where it began.
            return at(opened, "YAML 格式错误：缺少冒号“:”", "每个字段应写成“字段名: 值”（英文冒号后加空格）")
        if "'-' indicator" in problem:
            return at(mark, "YAML 格式错误：列表中出现了不以“- ”开头的行（缩进不一致）", _LAYOUT_HINT)
        return at(mark, "YAML 格式错误：缩进不一致，此行与上文同一层的内容没有对齐", _LAYOUT_HINT)
    message = f"YAML 格式错误：{problem or context}"
    return at(mark, message, "请检查此处的缩进、冒号和引号")


def _open_quote(text: str, mark: Any) -> tuple[Any, Any] | None:
    """The last quoted scalar spanning lines before `mark`: almost always a quote left open.

    A plan never needs a quoted value that runs over lines, so when the parser trips on the
    layout, an earlier multi-line quoted scalar is the likelier cause than the line it names.
    """
    if mark is None:
        return None
    found = None
    loader = Loader(text)
    try:
        while True:
            token = loader.get_token()
            if token is None or token.start_mark.line > mark.line:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ('"', "'")
                and token.end_mark.line > token.start_mark.line
            ):
                found = (token.start_mark, token.end_mark)
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return found


class _Builder:
    """Turns a composed node tree into plain data, rejecting what a plan must not contain."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[int] = set()
        self.constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def stop(self, node: yaml.Node, message: str, hint: str, code: str) -> _Stop:
        return _Stop(_problem_at(self.doc.path, node.start_mark, message, hint, code))

    def visit(self, node: yaml.Node) -> None:
        # The composer hands the same node object back for every alias of an anchor, so a
        # node met twice is an alias; stopping there also defuses "billion laughs".
        if id(node) in self.seen:
            raise self.stop(
                node,
                "不支持 YAML 锚点和别名（&名称 / *名称）：此处定义的内容被别名重复引用",
                "请把内容直接写出来；锚点会让一处修改悄悄影响多处",
                "alias",
            )
        self.seen.add(id(node))

    def build(self, node: yaml.Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.stop(
                node, f"YAML 嵌套超过 {MAX_DEPTH} 层", "计划文件只需要几层嵌套，请检查结构", "too-deep"
            )
        self.visit(node)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise self.unsafe_tag(node)
            return [self.build(item, depth + 1) for item in node.value]
        if node.tag != _MAP:
            raise self.unsafe_tag(node)
        result: dict[Any, Any] = {}
        first_seen: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.stop(
                    key_node,
                    "不支持 YAML 合并键“<<”",
                    "请把要合并的字段直接写出来",
                    "alias",
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.stop(key_node, "字段名必须是简单的文字", "请检查此处的写法", "bad-key")
            self.visit(key_node)
            key = self.scalar(key_node)
            if not isinstance(key, str):
                # pydantic would say "Keys should be strings" at the mapping; say it at the key.
                self.doc.problems.append(self.non_string_key(key_node))
                continue
            if key in first_seen:
                first = first_seen[key]
                self.doc.problems.append(
                    _problem_at(
                        self.doc.path,
                        key_node.start_mark,
                        f"字段“{key}”重复出现（第一次在第 {first.start_mark.line + 1} 行）；"
                        "YAML 解析器会悄悄只保留最后一个",
                        "请删除或合并重复的字段",
                        "duplicate-key",
                    )
                )
            else:
                first_seen[key] = key_node
            result[key] = self.build(value_node, depth + 1)
        return result

    def unsafe_tag(self, node: yaml.Node) -> _Stop:
        tag = str(node.tag)
        if tag.startswith("tag:yaml.org,2002:"):
            tag = "!!" + tag.removeprefix("tag:yaml.org,2002:")  # as it was written
        return self.stop(
            node,
            f"不支持的 YAML 标签“{tag}”",
            "计划文件只能包含普通的文字、数字、列表和映射；请删除以 ! 开头的标签",
            "unsafe-tag",
        )

    def ambiguous_number(self, node: yaml.ScalarNode, value: int) -> Problem:
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
        return _problem_at(
            self.doc.path,
            node.start_mark,
            f"“{_clip(raw)}”会被 YAML 读成数 {value}（{why}）",
            "序号请写成不带前导零的十进制整数（如 10）；如果这是编号、代码等文字，请加引号",
            "ambiguous-number",
        )

    def non_string_key(self, node: yaml.ScalarNode) -> Problem:
        kind = IMPLICIT_TYPE_NAMES.get(str(node.tag), "非文字的值")
        shown = node.value if node.value else "~"
        return _problem_at(
            self.doc.path,
            node.start_mark,
            f"字段名“{_clip(shown)}”被 YAML 读成了{kind}，字段名必须是文字",
            f"请检查这一行是否多写或写错了字段名；如果确实要用它作字段名，请加引号：\"{_clip(shown)}\"",
            "bad-key",
        )

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag not in _CONSTRUCTED:
            raise self.unsafe_tag(node)
        if tag == _NULL:
            return None
        digits = node.value.replace("_", "").lstrip("+-")
        if tag == _INT and len(digits) > MAX_DIGITS:
            # Python refuses to convert (or print) integers of over 4,300 digits; no plan needs 19.
            if digits[:2].lower() in ("0x", "0o", "0b"):
                digits = digits[2:]
            raise self.stop(
                node,
                f"数字“{_clip(node.value)}”过大（{len(digits)} 位），不是有效的序号或版本号",
                "序号请写成不带前导零的十进制整数（如 10）；如果这是编号、代码等文字，请加引号",
                "bad-number",
            )
        try:
            value = _CONSTRUCTED[tag](self.constructor, node)
        except (ValueError, KeyError, AttributeError, TypeError, OverflowError):
            # A bad explicit tag (!!int "abc", !!bool "abc") or a date that does not exist.
            if tag == _TIMESTAMP and _DATE_SHAPE.match(node.value):
                raise self.stop(
                    node,
                    f"日期“{_clip(node.value)}”不存在",
                    "请检查年、月、日，例如 2024-02-29 存在而 2023-02-29 不存在",
                    "bad-date",
                ) from None
            raise self.stop(
                node,
                f"“{_clip(node.value)}”不是有效的{IMPLICIT_TYPE_NAMES[tag]}（标签 !!{tag.rsplit(':', 1)[-1]}）",
                "计划文件不需要 YAML 标签；请删除以 !! 开头的标签，文字请加引号",
                "bad-tag",
            ) from None
        if tag == _INT and not _DECIMAL.fullmatch(node.value):
            self.doc.problems.append(self.ambiguous_number(node, value))
        return value


def _clip(text: str, limit: int = 40) -> str:
    """A value quoted in a message, cut short: a 5,000-digit number is not worth repeating."""
    return text if len(text) <= limit else text[:limit] + "…"


_DATE_SHAPE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_CONSTRUCTED: dict[str, Any] = {
    _INT: yaml.SafeLoader.construct_yaml_int,
    _BOOL: yaml.SafeLoader.construct_yaml_bool,
    _NULL: yaml.SafeLoader.construct_yaml_null,
    _FLOAT: yaml.SafeLoader.construct_yaml_float,
    _TIMESTAMP: yaml.SafeLoader.construct_yaml_timestamp,
}
