"""The `kpzf` executable: Ctrl-C is answered with exit 130 even while kpzf is still importing."""

from __future__ import annotations

import sys


def run() -> None:
    try:
        from .cli.main import main  # importing typer, pydantic and rich takes a noticeable moment
    except KeyboardInterrupt:
        sys.stderr.write("\n已中断\n")
        sys.exit(130)
    sys.exit(main())
