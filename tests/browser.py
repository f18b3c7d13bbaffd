"""Headless Chromium for the HTML report's tests: the DOM as the browser built it, screenshots, PDF.

Debian's `chromium` package; the tests that need it skip when it is absent (`needs_chromium`).
Each call gets its own throw-away profile; network is off (every host resolves to nothing), so a
page that tried to load anything would show it, not fetch it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


needs_chromium = pytest.mark.skipif(chromium() is None, reason="需要 Chromium（Debian 的 chromium 包）")


def _run(page: Path, *flags: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    browser = chromium()
    assert browser is not None
    with tempfile.TemporaryDirectory(prefix="kpzf-chromium-") as profile:
        args = [
            browser,
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-sync",
            "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={profile}",
            *(["--no-sandbox"] if os.geteuid() == 0 else []),
            *flags,
            page.resolve().as_uri(),
        ]
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def dump_dom(page: Path) -> str:
    """The document as Chromium parsed it (`--dump-dom`): what a reader's browser holds."""
    return _run(page, "--dump-dom").stdout


def screenshot(page: Path, png: Path, width: int = 1366, height: int = 768) -> Path:
    _run(page, f"--window-size={width},{height}", f"--screenshot={png}")
    assert png.stat().st_size > 10_000  # a page, not a blank
    return png


def print_pdf(page: Path, pdf: Path) -> Path:
    _run(page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    return pdf


# --------------------------------------------------------------------------- a small DOM

VOID = frozenset(
    "area base br col embed hr img input link meta source track wbr".split()
)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> list[Node]:
        found: list[Node] = [self]
        for c in self.children:
            if isinstance(c, Node):
                found += c.iter()
        return found

    def find_all(self, tag: str | None = None, **attrs: str | bool) -> list[Node]:
        """Descendants (and self) with `tag` and attributes; True: present, any value."""
        hits = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            ok = True
            for key, want in attrs.items():
                name = key.rstrip("_").replace("_", "-")
                if want is True:
                    ok = ok and name in node.attrs
                elif name == "class":
                    ok = ok and str(want) in node.classes()
                else:
                    ok = ok and node.attrs.get(name) == want
            if ok:
                hits.append(node)
        return hits

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def up(self, attr: str) -> Node | None:
        """The nearest ancestor (or self) carrying `attr`."""
        node: Node | None = self
        while node is not None and attr not in node.attrs:
            node = node.parent
        return node


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(markup: str) -> Node:
    builder = _Builder()
    builder.feed(markup)
    builder.close()
    return builder.root
