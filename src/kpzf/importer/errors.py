"""The importer's user-facing errors: a Chinese message naming file:sheet:row, exit code 2."""

from __future__ import annotations

from ..errors import EXIT_UNUSABLE, KpzfError

__all__ = ["SourceError"]


class SourceError(KpzfError):
    """A 台账 source that cannot be read or has no usable table (exit 2)."""

    exit_code = EXIT_UNUSABLE

    def __init__(self, where: str, message: str, *, hint: str = "") -> None:
        super().__init__(f"{where}: {message}" if where else message, hint=hint)
        self.where = where
