"""Which plan file a command uses: --plan, then $KPZF_PLAN, then ./plan.yaml, then the shipped copy."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import UsageError
from ..records import record

PLAN_ENV = "KPZF_PLAN"


@record
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


# --------------------------------------------------------------------------- several plans

PLAN_SUFFIXES = (".yaml", ".yml")


def plan_files(folder: Path, shown: str) -> list[tuple[Path, str]]:
    """The plan files of a folder: *.yaml and *.yml directly in it (not in subfolders), hidden
    files (.name) left out, sorted by name; a folder with none is a usage error."""
    try:
        names = sorted(
            entry.name
            for entry in os.scandir(folder)
            if not entry.name.startswith(".")
            and entry.name.lower().endswith(PLAN_SUFFIXES)
            and entry.is_file()
        )
    except OSError as exc:
        raise UsageError(f"无法读取文件夹 {shown}：{exc.strerror or exc}") from None
    if not names:
        raise UsageError(
            f"文件夹 {shown} 中没有计划文件（*.yaml、*.yml；不含子文件夹和以 . 开头的文件）",
            hint="请用 --plan 指定计划文件，或把计划文件放进这个文件夹",
        )
    return [(folder / name, os.path.normpath(os.path.join(shown, name))) for name in names]


def locate_plans(options: list[str] | None, cwd: Path | None = None) -> list[PlanSource]:
    """Every plan a command answers across: each --plan (a file or a folder of plan files),
    else each entry of $KPZF_PLAN (os.pathsep-separated, same forms), else the one plan
    `locate_plan` finds. The same file named twice counts once."""
    given = [o for o in options or () if o]
    origin = "option"
    if not given:
        env = os.environ.get(PLAN_ENV, "")
        given = [part for part in env.split(os.pathsep) if part]
        origin = "env"
    if not given:
        return [locate_plan(None, cwd)]
    if len(given) == 1 and not os.path.isdir(given[0]):
        return [PlanSource(Path(given[0]), given[0], False, origin)]  # today's one-plan path
    found: dict[str, PlanSource] = {}
    for item in given:
        path = Path(item)
        files = plan_files(path, item) if path.is_dir() else [(path, item)]
        for file, shown in files:
            found.setdefault(os.path.realpath(file), PlanSource(file, shown, False, origin))
    return list(found.values())
