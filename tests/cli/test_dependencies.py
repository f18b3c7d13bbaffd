"""A missing or incompatible dependency is one Chinese message and exit 2, never a traceback;
Typer's private modules are used in typer_compat.py only; pyproject's lower bound matches it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO


def _start(
    blocked: str | None, *args: str, path: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the `kpzf` entry point with one module made unimportable (None in sys.modules)."""
    code = (
        "import sys\n"
        + (f"sys.path.insert(0, {str(path)!r})\n" if path else "")
        + (f"sys.modules[{blocked!r}] = None\n" if blocked else "")
        +
f"sys.argv = ['kpzf', *{list(args)!r}]\n"
        "from kpzf.entry import run\n"
        "run()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    ("blocked", "package"),
    [("rich", "rich"), ("pydantic", "pydantic"), ("yaml", "pyyaml"), ("typer", "typer")],
)
def test_missing_dependency_is_a_chinese_message(blocked: str, package: str) -> None:
    # Without the cache: a plan answered from it needs neither pydantic nor PyYAML (issue 17),
    # so the message comes on the first run that reads a file.
    done = _start(blocked, "--no-cache", "overdue", "--date", "2024-07-01")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"错误：kpzf 无法启动：缺少依赖包 {package}\n"), done.stderr
    assert "pip install" in done.stderr
    assert done.stdout == ""


def test_typer_without_its_vendored_click_is_incompatible(tmp_path: Path) -> None:
    """Typer before 0.26 has no typer._click: kpzf says which Typer it needs.

    A stand-in `typer` package (version 0.25.1, no _click) comes first on sys.path.
    """
    stub = tmp_path / "typer"
    stub.mkdir()
    (stub / "__init__.py").write_text('__version__ = "0.25.1"\n', encoding="utf-8")
    done = _start(None, "overdue", path=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    first = done.stderr.splitlines()[0]
    assert first.startswith("错误：kpzf 需要 typer>=0.29，当前环境中的 typer 不兼容"), first
    assert "已安装 0.25.1，缺少 typer._click" in first


def test_private_typer_imports_live_in_typer_compat_only() -> None:
    offenders = []
    for path in (REPO / "src" / "kpzf").rglob("*.py"):
        if path.name == "typer_compat.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\btyper\._|from typer import _|from typer\._", line):
                offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not offenders, offenders


def test_pyproject_lower_bound_is_the_one_typer_compat_needs() -> None:
    from kpzf.cli.typer_compat import MIN_TYPER

    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"typer>={MIN_TYPER}"' in text
