"""The `kpzf` executable: Ctrl-C is answered with exit 130 even while kpzf is still importing,
and a missing or incompatible dependency with one Chinese message instead of a traceback."""

from __future__ import annotations

import sys

EXIT_ENVIRONMENT = 2  # README, 退出码: the installation cannot be used (like an unusable file)

# The distributions kpzf imports at start-up, by the name Python imports them under.
_DISTRIBUTIONS = {
    "typer": "typer",
    "click": "typer",
    "pydantic": "pydantic",
    "pydantic_core": "pydantic",
    "yaml": "pyyaml",
    "rich": "rich",
    "dateutil": "python-dateutil",
}


def is_dependency(exc: ImportError) -> bool:
    """Whether an ImportError is about one of kpzf's dependencies (not a bug in kpzf)."""
    return getattr(exc, "needed", None) is not None or (exc.name or "").split(".")[0] in _DISTRIBUTIONS


def dependency_message(exc: ImportError) -> str:
    """What to tell a person whose environment lacks (or has a wrong version of) a package."""
    needed = getattr(exc, "needed", None)  # typer_compat.IncompatibleDependency (typer may be absent)
    if needed is not None:
        return (
            f"错误：kpzf 需要 {needed}，当前环境中的 {getattr(exc, 'package', '')} 不兼容"
            f"（{getattr(exc, 'detail', '')}）\n"
            f"提示：请升级：pip install --upgrade '{needed}'（或重新安装 kpzf）\n"
        )
    top = (exc.name or "").split(".")[0]
    package = _DISTRIBUTIONS.get(top, top or "（未知）")
    if isinstance(exc, ModuleNotFoundError) and top:
        what = f"缺少依赖包 {package}"
    else:
        what = f"依赖包 {package} 无法导入或版本不兼容（{exc}）"
    return (
        f"错误：kpzf 无法启动：{what}\n"
        "提示：请在 kpzf 所在的环境中重新安装：pip install --upgrade kpzf"
        "（在源码目录中：pip install -e .）\n"
    )


def run() -> None:
    try:
        from .cli.main import main  # importing typer, pydantic and rich takes a noticeable moment
    except KeyboardInterrupt:
        sys.stderr.write("\n已中断\n")
        sys.exit(130)
    except ImportError as exc:
        if "--debug" in sys.argv[1:]:
            import traceback

            traceback.print_exc()
        sys.stderr.write(dependency_message(exc))
        sys.exit(EXIT_ENVIRONMENT)
    sys.exit(main())
