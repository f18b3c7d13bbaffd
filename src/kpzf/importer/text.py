"""Text clean-up shared by the readers: extraction debris out, Chinese typography back in."""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = ["fold", "has_cjk", "latin_words", "squeeze", "strip_markup", "tidy"]

# Tags that web pages and PDF-to-HTML tools leave in copied cells (<p>, </p>, <br/>, <td …>).
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_WHITESPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
# Full-width Latin letters and digits become ASCII; full-width punctuation stays (it is the
# Chinese form).  U+3000 and NBSP are spaces.
_WIDE_ALNUM: dict[int, int | None] = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_WIDE_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_WIDE_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_WIDE_ALNUM.update({0x3000: 0x20, 0x00A0: 0x20, 0x200B: None, 0xFEFF: None})
# Half-width punctuation in Chinese text, as the official document prints it.
_NARROW_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def fold(text: str) -> str:
    """The comparison key: NFKC (full/half-width folded), every whitespace removed."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def strip_markup(text: str) -> str:
    """Removes HTML tags and entities left by a web page or a PDF-to-HTML extraction."""
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def squeeze(text: str) -> str:
    """Markup removed, whitespace runs made one space: for title lines, whose spaces separate
    fields ("示范府办〔2025〕3号 2025年3月1日印发")."""
    return " ".join(strip_markup(text).translate(_WIDE_ALNUM).split())


def _keep_space(before: str, after: str) -> bool:
    # A space is a real word break only between Latin words or numbers ("ISO 9001");
    # anywhere next to a Chinese character it is an extraction defect ("2024 年", "成 果").
    return before.isascii() and after.isascii() and before.isalnum() and after.isalnum()


def tidy(text: str) -> str:
    """The cell as the official document prints it.

    Markup removed; full-width letters and digits narrowed; stray whitespace inside Chinese
    text removed (whitespace between two Latin words or numbers becomes one space); and in
    Chinese text the half-width , ; : ? ! ( ) become full-width, except between two digits
    ("1,000", "10:30").
    """
    text = strip_markup(text).translate(_WIDE_ALNUM)
    parts = _WHITESPACE.split(text.strip())
    out = parts[0] if parts else ""
    for part in parts[1:]:
        if out and part and _keep_space(out[-1], part[0]):
            out += " "
        out += part
    if not has_cjk(out):
        return out
    chars = list(out)
    for i, c in enumerate(chars):
        wide = _NARROW_PUNCT.get(c)
        if wide is None:
            continue
        before = chars[i - 1] if i else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        if c in ",:" and before.isdigit() and after.isdigit():
            continue
        chars[i] = wide
    return "".join(chars)


def latin_words(text: str) -> list[str]:
    """Latin words inside Chinese text: in an extraction these are often defects ("and" for 和)."""
    if not has_cjk(text):
        return []
    return [m.group(0) for m in _LATIN_WORD.finditer(text)]
