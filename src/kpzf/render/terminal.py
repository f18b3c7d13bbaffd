"""Text from plan files and arguments made literal for a terminal: no markup, no escapes.

Every renderer that writes for a person (Rich tables, validate's text and github formats,
messages on stderr) passes data through `literal` at the boundary, so an ESC, BEL or carriage
return in a note is shown as `\\x1b`, `\\x07`, `\\r` instead of acting on the terminal. Rich
markup is a separate matter: data goes into Rich only as `Text` objects (`literal_text`).
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls except tab and line feed, DEL, C1 controls; the line and paragraph separators
# and the bidirectional overrides/isolates, which reorder what a reader sees ("Trojan Source").
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if match.group() == "\r":
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def literal(text: str) -> str:
    """`text` with every character that would act on a terminal written as a visible escape."""
    return _UNSAFE.sub(_escaped, text) if _UNSAFE.search(text) else text


def literal_text(text: str, style: str = "") -> Any:
    """A Rich Text of `literal(text)`: never parsed as markup, never a terminal escape."""
    from rich.text import Text

    return Text(literal(text), style=style)
