"""A plan file's bytes and the Document read from them, without YAML: what a cached plan needs.

Reading the YAML itself is io/read.py (which imports PyYAML); a plan answered from the
validated-plan cache only reads the file's bytes, and its Document composes the node tree for
positions only if a problem ever asks (then PyYAML is imported).
"""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Problem, UnusableInput
from ..records import record

if TYPE_CHECKING:
    import yaml

# A county plan is ~60 KB; a province-scale file (120 plans, years of progress) stays well under
# this. Past it we refuse up front instead of spending minutes and gigabytes on a mistake.
MAX_BYTES = 64 * 1024 * 1024
Path_ = tuple[str | int, ...]


@record
class Position:
    line: int  # 1-based
    column: int  # 1-based


class _Uncomposed:
    """Marks a Document whose node tree has not been built (yet): see Document.root."""


UNCOMPOSED: Any = _Uncomposed()


class _Released:
    """Marks a Document whose data a build consumed (model.plan.build_plan with release=True)."""


RELEASED: Any = _Released()


@record(frozen=False)
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
            from .yaml_rules import Loader

            with gc_paused():
                loader = Loader(self.text)
                try:
                    self._root = loader.get_single_node()
                finally:
                    loader.dispose()
        return self._root

    def node_at(self, path: Path_) -> tuple[yaml.Node | None, yaml.Node | None]:
        """The deepest (key node, value node) reachable along `path` in the tree."""
        import yaml

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
        import yaml

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
        import yaml

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
        import yaml

        from .yaml_rules import STR

        _, node = self.node_at(path)
        if isinstance(node, yaml.ScalarNode) and not node.style and node.tag != STR:
            return str(node.tag)
        return None

    def raw_scalar(self, path: Path_) -> str | None:
        import yaml

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


