"""The kpzf-validate hook, run by pre-commit itself (`pre-commit try-repo`) on a temporary plan repository.

pre-commit clones the hook repository at a commit, so the test commits a copy of this work tree
(uncommitted edits included) to a temporary repository and points try-repo at that. Building
the hook's environment pip-installs kpzf from the package index, and try-repo does it afresh on
every run (it keeps its store in a temporary folder): about ten seconds a run, so the module
runs pre-commit twice, not once per case. PRE_COMMIT_HOME points to a temporary folder too, so
nothing in ~/.cache/pre-commit is used or written. Marked `slow`; it runs in the normal suite.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable

import pytest
from conftest import PLAN, REPO
from gitutil import commit_all, git_env, init_repo

pytestmark = pytest.mark.slow

HOOK_FILES = ("pyproject.toml", "README.md", "plan.yaml", "plan.schema.json", ".pre-commit-hooks.yaml")
GOOD_LINE = "            deadline: 2024年6月底前形成阶段性成果，2025年3月底前全覆盖，持续推进\n"
BAD_LINE = GOOD_LINE.replace("deadline:", "deadlin:")  # a typo of a field name

RunHook = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def broken_line() -> int:
    lines = PLAN.read_text(encoding="utf-8").splitlines(keepends=True)
    return lines.index(GOOD_LINE) + 1


@pytest.fixture(scope="module")
def run_hook(tmp_path_factory: pytest.TempPathFactory) -> RunHook:
    root = tmp_path_factory.mktemp("pre-commit")
    hook_repo = root / "kpzf"
    hook_repo.mkdir()
    for name in HOOK_FILES:
        shutil.copy2(REPO / name, hook_repo / name)
    shutil.copytree(
        REPO / "src",
        hook_repo / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"),
    )
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
