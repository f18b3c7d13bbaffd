"""cli.main's one handler: unexpected errors, Ctrl-C and a bare `kpzf` end with their documented codes."""

from __future__ import annotations

import pytest
from conftest import Run


def test_unexpected_error_is_exit_3_without_traceback(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> str:
        raise ValueError("boom")

    monkeypatch.setattr("kpzf.schema.schema_text", broken)
    result = run("schema")
    assert result.code == 3
    assert result.err.startswith("kpzf 内部错误（ValueError）：boom\n")
    assert "Traceback" not in result.err


def test_ctrl_c_is_exit_130(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted() -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("kpzf.schema.schema_text", interrupted)
    result = run("schema")
    assert result.code == 130
    assert "Traceback" not in result.err


def test_bare_kpzf_shows_help_and_exits_2(run: Run) -> None:
    result = run()
    assert result.code == 2
    assert "validate" in result.out and "export" in result.out
    assert result.err == ""
