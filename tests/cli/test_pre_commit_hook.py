"""The kpzf-validate hook, run by pre-commit itself (`pre-commit try-repo`) on a temporary plan repository.

pre-commit clones the hook repository at a commit, so the test commits a copy of this work tree
(uncommitted edits included) to a temporary repository and points try-repo at that. Building
the hook's environment pip-installs kpzf from the package index, and try-repo does it afresh on
every run (it keeps its store in a temporary folder): about ten seconds a run, so the module
runs pre-commit twice, not once per case. PRE_COMMIT_HOME points to a temporary folder too, so
nothing in ~/.cache/pre-commit is used or written. Marked `slow` and `network` (building the
hook's environment needs the package index); `pytest -m "not network"` leaves it out.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable

import pytest
from conftest import PLAN, REPO
from gitutil import commit_all, git_env, init_repo

pytestmark = [pytest.mark.slow, pytest.mark.network]

REQUIRED = ("pyproject.toml", "README.md", "plan.yaml", ".pre-commit-hooks.yaml", "src/kpzf/cli/main.py")
GOOD_LINE = "            deadline: 2024年6月底前形成阶段性成果，2025年3月底前全覆盖，持续推进\n"
BAD_LINE = GOOD_LINE.replace("deadline:", "deadlin:")  # a typo of a field name

RunHook = Callable[..., subprocess.CompletedProcess[str]]


def work_tree_files() -> list[str]:
    """What a commit of the work tree would hold: tracked and new files, minus ignored ones."""
    done = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, env=git_env(), capture_output=True, check=False, timeout=60,
    )
    if done.returncode == 0:
        names = [n for n in done.stdout.decode().split("\0") if n and (REPO / n).is_file()]
    else:  # not a git checkout (an unpacked archive): the package and what building it needs
        names = [str(p.relative_to(REPO)) for p in (REPO / "src").rglob("*.py")]
        names += [n for n in REQUIRED if not n.startswith("src/")]
    assert set(REQUIRED) <= set(names), names
    return names


@pytest.fixture(scope="module")
def broken_line() -> int:
    lines = PLAN.read_text(encoding="utf-8").splitlines(keepends=True)
    return lines.index(GOOD_LINE) + 1


@pytest.fixture(scope="module")
def run_hook(tmp_path_factory: pytest.TempPathFactory) -> RunHook:
    root = tmp_path_factory.mktemp("pre-commit")
    hook_repo = root / "kpzf"
    for name in work_tree_files():
        (hook_repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, hook_repo / name)
    init_repo(hook_repo)
    commit_all(hook_repo, "kpzf as it is in the work tree")

    plans = init_repo(root / "plans")
    text = PLAN.read_text(encoding="utf-8")
    assert text.count(GOOD_LINE) == 1
    (plans / "plan.yaml").write_text(text, encoding="utf-8")
    (plans / "sub").mkdir()
    (plans / "sub" / "plan.yml").write_text(text.replace(GOOD_LINE, BAD_LINE), encoding="utf-8")
    # Broken too, but not named like a plan: the hook's `files` pattern must leave it alone.
    (plans / "broken.yaml").write_text(text.replace(GOOD_LINE, BAD_LINE), encoding="utf-8")
    commit_all(plans, "plans")

    env = git_env()
    env["PRE_COMMIT_HOME"] = str(root / "pre-commit-home")
    env.pop("SKIP", None)  # pre-commit's own "skip these hooks" variable

    def run(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", "--color", "never",
             str(hook_repo), "kpzf-validate", "--files", *files],
            cwd=plans,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,  # building the environment needs the package index; never hang the suite
        )

    return run


def test_hook_passes_a_valid_plan_and_leaves_other_yaml_alone(run_hook: RunHook) -> None:
    # broken.yaml is invalid: the run passes only because the `files` pattern filtered it out.
    done = run_hook("plan.yaml", "broken.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "kpzf validate（校验 plan.yaml）" in done.stdout
    assert "Passed" in done.stdout


def test_hook_fails_a_broken_plan_naming_the_place(run_hook: RunHook, broken_line: int) -> None:
    done = run_hook("plan.yaml", "sub/plan.yml", "broken.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout
    assert f"sub/plan.yml:{broken_line}:13: 错误：" in done.stdout
    assert "deadlin" in done.stdout
    assert "broken.yaml" not in done.stdout


def test_hook_definition_matches_plan_file_names() -> None:
    import re

    import yaml

    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "kpzf-validate" and hook["entry"] == "kpzf validate"
    pattern = re.compile(hook["files"])
    matching = ["plan.yaml", "plan.yml", "a/b/plan.yaml"]
    other = ["myplan.yaml", "plan.yaml.bak", "plan.json", "plans/x.yaml", "plan_yaml"]
    assert [p for p in matching + other if pattern.search(p)] == matching
