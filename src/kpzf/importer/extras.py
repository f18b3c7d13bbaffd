"""Which optional packages each source format needs, and the message when one is missing."""

from __future__ import annotations

import importlib.util

from ..errors import UsageError

__all__ = ["EXTRAS", "require_extra"]

# extra name -> (importable module, what it is for)
EXTRAS: dict[str, tuple[str, str]] = {
    "import": ("docx", "读取 Word 台账（.docx）需要 python-docx"),
    "xlsx": ("openpyxl", "读取 Excel 台账（.xlsx）需要 openpyxl"),
}


def require_extra(extra: str) -> None:
    """Raises a UsageError (exit 2) naming the extra to install when its package is missing."""
    module, purpose = EXTRAS[extra]
    if importlib.util.find_spec(module) is None:
        raise UsageError(
            f"{purpose}，当前环境没有安装",
            hint=f"请运行：pip install 'kpzf[{extra}]'",
        )
