"""Reading a plan file: bytes → checked UTF-8 → plain data, with positions composed on demand.

Two readers apply one rule set (yaml_rules): a fast one over libyaml's events for files that
need no message, and the careful node walk, whose nodes carry the line and column of every
problem (duplicate keys, anchors/aliases and so "billion laughs", non-standard tags, absurd
nesting). Syntax errors are worded by yaml_errors. Positions are looked up lazily.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import PlanError, Problem, UnusableInput
from .files import (  # noqa: F401  (the yaml-free part, io/files.py; still importable from here)
    MAX_BYTES,
    RELEASED,
    UNCOMPOSED,
    UTF8_BOM,
    Document,
    Path_,
    Position,
    decode,
    gc_paused,
    read_bytes,
    too_large,
    unusable_file,
)
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
