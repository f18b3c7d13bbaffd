"""Temporary git repositories for tests, independent of the developer's git configuration."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# Variables that would point git at another repository (set when tests run inside a git hook).
_REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY")


def git_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """An environment in which git ignores ~/.gitconfig (signing, hooks) and has an identity."""
    env = {k: v for k, v in (base or os.environ).items() if k not in _REPOSITORY_VARIABLES}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="kpzf tests",
        GIT_AUTHOR_EMAIL="tests@kpzf.invalid",
        GIT_COMMITTER_NAME="kpzf tests",
        GIT_COMMITTER_EMAIL="tests@kpzf.invalid",
    )
    return env


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=git_env(), capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, f"git {' '.join(args)} failed: {done.stderr}"
    return done.stdout


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    return path


def commit_all(repo: Path, message: str) -> str:
    """Commit everything in the work tree; return the new commit's id."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()
