"""Which plan file a command uses: --plan, then $KPZF_PLAN, then ./plan.yaml, then the shipped copy."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError

PLAN_ENV = "KPZF_PLAN"


@dataclass(frozen=True)
class PlanSource:
    path: Path
    shown: str  # how messages name it
    embedded: bool  # the copy shipped inside the package: never written to
    origin: str = "option"  # "option" (--plan), "env" (KPZF_PLAN), "cwd", "embedded"


def embedded_plan_path() -> Path:
    """The plan shipped in the wheel; in a development checkout, the repository's plan.yaml."""
    here = Path(__file__).resolve().parents[1]  # the kpzf package
    shipped = here / "plan.yaml"
    if shipped.is_file():
        return shipped
    return here.parents[1] / "plan.yaml"  # editable install: src/kpzf/ → repository root


def locate_plan(option: str | None, cwd: Path | None = None) -> PlanSource:
    """--plan, then $KPZF_PLAN, then ./plan.yaml, then the shipped copy."""
    if option:
        return PlanSource(Path(option), option, False)
    env = os.environ.get(PLAN_ENV)
    if env:
        return PlanSource(Path(env), env, False, "env")
    try:
        local: Path | None = (cwd or Path.cwd()) / "plan.yaml"
    except OSError:  # the working directory was deleted: there is no ./plan.yaml to find
        local = None
    if local is not None and local.is_file():
        return PlanSource(local, "plan.yaml", False, "cwd")
    shipped = embedded_plan_path()
    if not shipped.is_file():
        raise UsageError(
            "找不到计划文件：当前目录没有 plan.yaml，安装包中也没有内置副本",
            hint=f"请用 --plan 指定文件，或设置环境变量 {PLAN_ENV}",
        )
    return PlanSource(shipped, "（内置）plan.yaml", True, "embedded")
