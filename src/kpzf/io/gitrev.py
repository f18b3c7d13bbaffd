"""A plan file as it was at a git revision, for `kpzf diff --git REV[..REV]` (git run as a program)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..errors import UsageError
from ..records import record
from .files import MAX_BYTES, too_large

_TIMEOUT = 60  # seconds; git answers these in milliseconds unless something is badly wrong


@record
class Revisions:
    """What to compare: `old` against `new`, where None means the file in the work tree."""

    old: str
    new: str | None


def parse_range(spec: str, cwd: Path) -> Revisions:
    """git's notation: REV (against the work tree), A..B, A...B (from their merge base to B).

    A missing side is HEAD, as in git (`main..` is main..HEAD).
    """
    spec = spec.strip()
    if spec.startswith("-") or "..-" in spec:
        # git would read it as an option (--output=… writes files): never pass it through
        raise UsageError(f"--git 的值“{spec}”不是版本", hint="例如 --git HEAD~1 或 --git main..HEAD")
    if "..." in spec:
        left, right = (side or "HEAD" for side in spec.split("...", 1))
        base = _git(cwd, "merge-base", left, right, what=f"{left} 与 {right} 的共同祖先").strip()
        return Revisions(base[:12], right)
    if ".." in spec:
        left, right = (side or "HEAD" for side in spec.split("..", 1))
        return Revisions(left, right)
    return Revisions(spec or "HEAD", None)


def show(rev: str, file: Path) -> tuple[bytes, str]:
    """The bytes of `file` at revision `rev`, and how to name them ("HEAD~1:plan.yaml")."""
    folder = file.resolve().parent
    _git(folder, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", what=f"版本“{rev}”")
    prefix = _git(folder, "rev-parse", "--show-prefix", what="仓库").strip()
    shown = f"{rev}:{prefix}{file.name}"
    missing = UsageError(
        f"版本 {rev} 中没有 {prefix}{file.name}",
        hint="请确认该版本已有这个文件（git log -- 文件名 可查看它的历史），或换一个版本",
    )
    # The size first: a 256 MB blob is refused without being read into memory.
    sized = _run(folder, "cat-file", "-s", f"{rev}:./{file.name}")
    if sized.returncode != 0:
        raise missing
    size = int(sized.stdout.strip() or 0)
    if size > MAX_BYTES:
        raise too_large(shown, size)
    done = _run(folder, "cat-file", "blob", f"{rev}:./{file.name}")
    if done.returncode != 0:
        raise missing
    return done.stdout, shown


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, timeout=_TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise UsageError("找不到 git 命令", hint="--git 需要安装 git；也可以直接比较两个文件：kpzf diff 旧 新") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {args[0]} 超过 {_TIMEOUT} 秒没有完成") from None


def _git(cwd: Path, *args: str, what: str) -> str:
    done = _run(cwd, *args)
    if done.returncode == 0:
        return done.stdout.decode("utf-8", errors="replace")
    message = done.stderr.decode("utf-8", errors="replace").strip()
    if "not a git repository" in message:
        raise UsageError(
            f"{cwd} 不在 git 仓库中", hint="--git 比较仓库历史中的计划文件；也可以直接比较两个文件：kpzf diff 旧 新"
        )
    raise UsageError(
        f"找不到{what}" + (f"（git：{message.splitlines()[-1]}）" if message else ""),
        hint="版本可以写成 HEAD~1、分支名、标签或提交号；git log --oneline 可列出提交",
    )
