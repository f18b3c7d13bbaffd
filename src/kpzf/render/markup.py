"""The one HTML/SVG escaper and the element helpers of the HTML report (render.html, render.charts).

Plans come from anywhere: every text from a plan or an argument reaches the page through `esc`
(or `attrs`, which uses it), never pasted in. `esc` first makes control characters, line and
paragraph separators and bidirectional overrides visible (render.terminal's `literal`: a
browser would drop or act on them, and most are not even allowed in HTML), then escapes
& < > " ' so that a unit called `<script>` is just text, in element content and in quoted
attribute values alike.
"""

from __future__ import annotations

import html

from .terminal import literal


def esc(text: object) -> str:
    """`text` (any value, made a string) safe as HTML/SVG text or a quoted attribute value."""
    return html.escape(literal(str(text)), quote=True)


def attrs(**values: object) -> str:
    """` name="value"` for each value that is not None; `data_x` is written `data-x`.

    True writes the bare name (a boolean attribute); every value is escaped.
    """
    parts = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        key = name.rstrip("_").replace("_", "-")
        parts.append(f" {key}" if value is True else f' {key}="{esc(value)}"')
    return "".join(parts)


def tag(name: str, content: str = "", **values: object) -> str:
    """`<name attrs>content</name>`; `content` is markup already (escape text with `esc`)."""
    return f"<{name}{attrs(**values)}>{content}</{name}>"


def text_width(text: str, size: float) -> float:
    """About how wide `text` is set at `size` px: CJK and full-width forms a full em, the rest
    a little over half (the office fonts of the stack differ; charts leave room for that)."""
    import unicodedata

    return sum(
        size if unicodedata.east_asian_width(ch) in ("W", "F") else size * 0.58 for ch in text
    )


def clip(text: str, size: float, width: float) -> str:
    """`text` cut with "…" to fit `width` px at `size` (the whole text goes in a <title>)."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"
