"""The validated-plan cache (issue 17): a cached answer is byte for byte the uncached one, and
the cache is never trusted when the plan, kpzf's sources or the cache file itself changed.

Every test here uses its own XDG_CACHE_HOME under tmp_path (conftest.py gives the rest of the
suite a session-wide temporary one): nothing is ever written into the real home.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import PLAN, REPO, Result, Run
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from mutations import MUTATIONS, PLAN_LINES, Mutation, mutate

from kpzf import checked
from kpzf.io import cache

TODAY = "2024-07-01"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("KPZF_NO_CACHE", raising=False)
    return tmp_path / "xdg" / "kpzf"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files kpzf read and checked itself (cache misses), by the name it was given."""
    seen: list[str] = []
    original = checked._check

    def spy(path: Path, shown: str, *args: Any) -> Any:
        seen.append(shown)
        return original(path, shown, *args)

    monkeypatch.setattr(checked, "_check", spy)
    return seen


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{cache.SUFFIX}")) if folder.is_dir() else []


def three_ways(
    run: Run, monkeypatch: pytest.MonkeyPatch, reads: list[str], *args: str, today: str = TODAY,
    cwd: Path | None = None,
) -> tuple[Result, Result, Result]:
    """(uncached, cold: read and stored, warm: from the cache) — the warm run must read nothing."""
    monkeypatch.setenv("KPZF_NO_CACHE", "1")
    uncached = run(*args, today=today, cwd=cwd)
    monkeypatch.delenv("KPZF_NO_CACHE")
    cold = run(*args, today=today, cwd=cwd)
    before = len(reads)
    warm = run(*args, today=today, cwd=cwd)
    assert reads[before:] == [], f"warm run of {args} read {reads[before:]} (a miss)"
    return uncached, cold, warm


COMMANDS = [
    *[("overdue", "--date", TODAY, "--format", f) for f in ("table", "json", "csv", "md")],
    ("overdue", "--date", "2025-06-30", "--role", "all", "--format", "json"),
    ("overdue", "--date", "2025-01-01", "--unit", "赤坎", "--format", "csv"),
    ("overdue", "--area", "3", "--format", "json"),
    ("overdue",),  # the date from the (pinned) clock, and its period note
    *[("unit", "市公安局", "--format", f) for f in ("table", "json", "csv", "md")],
    ("unit", "赤坎镇", "--date", "2025-01-01"),
    ("units",), ("units", "--format", "json"),
    ("show", "17"), ("show", "65", "--format", "json", "--date", "2025-12-31"),
    ("upcoming", "--days", "90"), ("upcoming", "--unit", "公安", "--format", "json"),
    *[("report", "--by", by, "--format", f) for by in ("unit", "area", "task") for f in ("table", "json")],
    ("export", "--format", "json"),
    *[("export", "--format", f, "--date", "2025-06-30") for f in ("csv", "md", "ics")],
    ("export", "--format", "csv", "--unit", "市公安局"),
    ("validate", str(PLAN)), ("validate", "--format", "json", str(PLAN)),
    ("validate", "--format", "github", str(PLAN)), ("validate", "--strict", str(PLAN)),
    ("validate",),
    # this round's commands (issues 14–16): lights, ranking, the HTML page, notices, feedback
    ("report", "--rank", "--date", "2025-01-01"), ("report", "--format", "html", "--date", TODAY),
    ("report", "--unit", "赤坎", "--format", "json", "--date", "2025-01-01"),
    ("notice", "--unit", "赤坎", "--date", "2025-01-01"),
    ("notice", "--unit", "公安", "--date", "2025-01-01", "--format", "txt"),
    ("export", "--format", "feedback", "--unit", "赤坎镇", "--date", TODAY),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_answers_the_same_from_the_cache(
    args: tuple[str, ...], run: Run, cache_dir: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    uncached, cold, warm = three_ways(run, monkeypatch, reads, "--plan", str(PLAN), *args)
    assert uncached.code == 0, uncached.err
    assert cold == uncached
    assert warm == uncached
    assert len(entries(cache_dir)) == 1


def test_xlsx_export_is_the_same_from_the_cache(
    run: Run, cache_dir: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytest.importorskip("openpyxl")
    books = []
    for name in ("uncached", "cold", "warm"):
        if name == "uncached":
            monkeypatch.setenv("KPZF_NO_CACHE", "1")
        else:
            monkeypatch.delenv("KPZF_NO_CACHE", raising=False)
        out = tmp_path / f"{name}.xlsx"
        result = run("--plan", str(PLAN), "export", "--format", "xlsx", "-o", str(out), today=TODAY)
        assert result.code == 0, result.err
        books.append(_cells(out))
    assert books[0] == books[1] == books[2]
    assert len(reads) == 2  # uncached and cold read the file; warm did not


def _cells(path: Path) -> list[list[Any]]:
    import openpyxl

    book = openpyxl.load_workbook(path)
    return [[c.value for row in sheet.iter_rows() for c in row] for sheet in book.worksheets]


def test_a_folder_of_plans_is_cached_file_by_file(
    run: Run, cache_dir: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    text = PLAN.read_text(encoding="utf-8")
    for i, place in enumerate(("开平", "台山", "恩平")):
        (folder / f"p{i}.yaml").write_text(text.replace("kaiping", f"plan-{i}", 1).replace(
            "title: 开平市", f"title: {place}市", 1), encoding="utf-8")
    for args in (("overdue", "--date", TODAY, "--format", "json"), ("report",), ("validate",)):
        uncached, cold, warm = three_ways(run, monkeypatch, reads, "--plan", str(folder), *args)
        assert uncached.code == 0, uncached.err
        assert cold == uncached and warm == uncached
    assert len(entries(cache_dir)) == 3  # one per file, shared by every command
    # Editing one file: that file alone is read again.
    (folder / "p1.yaml").write_text(text.replace("kaiping", "plan-1b", 1), encoding="utf-8")
    before = len(reads)
    run("--plan", str(folder), "overdue", "--date", TODAY, today=TODAY)
    assert [Path(r).name for r in reads[before:]] == ["p1.yaml"]


# --------------------------------------------------------------------------- the date boundary

LATEST = "2024-06-28"  # the latest progress date of the plan below (hand-written)


def _with_progress(path: Path) -> Path:
    text = PLAN.read_text(encoding="utf-8").replace(
        "progress: []\n",
        "progress:\n"
        '  - {measure: 1, unit: 市公安局, milestone: "2024-12-31", status: 推进中, date: "2024-05-10"}\n'
        f'  - {{measure: 5, unit: 市公安局, milestone: "2024-06-30", status: 已完成, date: "{LATEST}"}}\n',
    )
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("today", ["2024-06-27", LATEST, "2024-06-29", "2026-01-01"])
@pytest.mark.parametrize("args", [("overdue", "--date", TODAY, "--format", "json"), ("validate",)])
def test_progress_dated_after_today_is_reported_cached_or_not(
    today: str, args: tuple[str, ...], run: Run, cache_dir: Path, reads: list[str],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    plan = _with_progress(tmp_path / "plan.yaml")
    # The cache is filled on a day the plan is valid (the latest progress date itself) ...
    assert run("--plan", str(plan), "validate", today=LATEST).code == 0
    assert len(entries(cache_dir)) == 1
    # ... and asked on days before, on and after it.
    monkeypatch.setenv("KPZF_NO_CACHE", "1")
    uncached = run("--plan", str(plan), *args, today=today)
    monkeypatch.delenv("KPZF_NO_CACHE")
    before = len(reads)
    cached = run("--plan", str(plan), *args, today=today)
    assert cached == uncached
    future = dt.date.fromisoformat(today) < dt.date.fromisoformat(LATEST)
    if future:  # 2024-06-28 is after 2024-06-27: the file is read and the check reports it
        assert uncached.code == 1
        assert f"进度日期 {LATEST} 晚于今天（{today}）" in uncached.err + uncached.out
        assert len(reads[before:]) == 1
    else:  # on the latest progress date or after it, the entry answers
        assert uncached.code == 0
        assert reads[before:] == []


# --------------------------------------------------------------------------- what forces a miss


def test_editing_the_plan_is_a_miss(
    run: Run, cache_dir: Path, reads: list[str], plan_copy: Path
) -> None:
    args = ("--plan", str(plan_copy), "export", "--format", "json")
    first = run(*args, today=TODAY)
    assert run(*args, today=TODAY) == first and len(reads) == 1
    text = plan_copy.read_text(encoding="utf-8")
    edited = text.replace("title: 开平市提升行政执法质量三年行动工作方案", "title: 开平市行动方案（修订）", 1)
    assert edited != text
    plan_copy.write_text(edited, encoding="utf-8")
    second = run(*args, today=TODAY)
    assert len(reads) == 2  # read again, not answered from the old entry
    assert "开平市行动方案（修订）" in second.out and "开平市行动方案（修订）" not in first.out
    assert len(entries(cache_dir)) == 2
    # An edit that breaks the plan is reported from the file, never hidden by the old entry.
    plan_copy.write_text(edited.replace("unit_refs:", "unit_refz:", 1), encoding="utf-8")
    broken = run(*args, today=TODAY)
    assert broken.code == 1 and "unit_refz" in broken.err


def _only_entry(folder: Path) -> Path:
    found = entries(folder)
    assert len(found) == 1, found
    return found[0]


def _tamper(kind: str, blob: bytes, key: bytes) -> bytes:
    head = len(cache.MAGIC) + 32
    if kind == "flipped byte":
        middle = head + (len(blob) - head) // 2
        return blob[:middle] + bytes([blob[middle] ^ 0x01]) + blob[middle + 1 :]
    if kind == "truncated":
        return blob[: len(blob) // 2]
    if kind == "empty":
        return b""
    if kind == "other magic":
        return b"KPZFC\x00\x09\n" + blob[len(cache.MAGIC) :]
    if kind == "pickle":
        import pickle

        return pickle.dumps({"plan": "not this"})
    # Sound digests over payloads that are not snapshots of this layout: decoded, refused.
    payloads = {
        "foreign version": marshal.dumps((99, None, {}, [], 0)),
        "unknown class tag": marshal.dumps((1, (9999, "x"), {}, [], 0)),
        "wrong shape": marshal.dumps(["a", "list"]),
    }
    payload = payloads[kind]
    return cache.MAGIC + cache.digest(key + payload).digest() + payload


@pytest.mark.parametrize(
    "kind",
    ["flipped byte", "truncated", "empty", "other magic", "pickle", "foreign version",
     "unknown class tag", "wrong shape"],
)
def test_a_damaged_or_foreign_entry_is_never_trusted(
    kind: str, run: Run, cache_dir: Path, reads: list[str], plan_copy: Path
) -> None:
    args = ("--plan", str(plan_copy), "overdue", "--date", TODAY, "--format", "json")
    expected = run(*args, today=TODAY)
    entry = _only_entry(cache_dir)
    key = checked.cache_key(plan_copy.read_bytes())
    entry.write_bytes(_tamper(kind, entry.read_bytes(), key))
    again = run(*args, today=TODAY)
    assert again == expected
    assert len(reads) == 2  # the damaged entry was not used: the file was read again
    # and a sound entry took its place
    assert run(*args, today=TODAY) == expected and len(reads) == 2


def test_an_entry_under_another_key_is_not_used(
    run: Run, cache_dir: Path, reads: list[str], plan_copy: Path, tmp_path: Path
) -> None:
    """An entry copied to the name of another plan's key: the digest covers the key too."""
    other = tmp_path / "other.yaml"
    other.write_text(plan_copy.read_text(encoding="utf-8").replace("市公安局", "市警察局"), encoding="utf-8")
    assert run("--plan", str(plan_copy), "units", today=TODAY).code == 0
    wrong = _only_entry(cache_dir)
    expected = run("--plan", str(other), "units", today=TODAY)  # stores other's entry
    assert "市警察局" in expected.out
    mine = next(e for e in entries(cache_dir) if e != wrong)
    shutil.copyfile(wrong, mine)  # other's entry now holds plan_copy's snapshot
    assert run("--plan", str(other), "units", today=TODAY) == expected
    assert reads[-1] == str(other)


KPZF_RUN = """
import sys
from kpzf.cli.main import main
code = main(sys.argv[1:])
sys.stdout.flush()
sys.stderr.write("\\npydantic imported: %s\\n" % ("pydantic" in sys.modules))
sys.exit(code)
"""


def _kpzf_in(package_root: Path | None, env: dict[str, str], *args: str) -> tuple[str, bool]:
    path = [str(package_root)] if package_root else []
    done = subprocess.run(
        [sys.executable, "-c", KPZF_RUN, *args],
        env={**env, "PYTHONPATH": os.pathsep.join([*path, str(REPO / "src")])},
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr.rstrip().endswith("pydantic imported: True")


def test_a_warm_answer_does_not_import_pydantic_and_a_miss_does(
    cache_dir: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_dir.parent), "NO_COLOR": "1"}
    env.pop("KPZF_PLAN", None)
    args = ("--plan", str(PLAN), "overdue", "--date", TODAY, "--format", "json")
    cold, cold_pydantic = _kpzf_in(None, env, *args)
    warm, warm_pydantic = _kpzf_in(None, env, *args)
    assert cold_pydantic, "a miss validates with pydantic: the probe can see it"
    assert not warm_pydantic, "a warm cache answered, yet pydantic was imported"
    assert warm == cold
    for more in (("validate", str(PLAN)), ("--plan", str(PLAN), "unit", "市公安局", "--format", "json")):
        assert not _kpzf_in(None, env, *more)[1], more


HEAVY = ("pydantic", "yaml", "_hashlib", "rich.console", "rich.table", "dateutil", "typer.rich_utils")
MODULES_RUN = (
    "import sys\n"
    "from kpzf.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "sys.stdout.flush()\n"
    f"sys.stderr.write('\\nloaded: ' + ' '.join(m for m in {HEAVY!r} if m in sys.modules) + '\\n')\n"
    "sys.exit(code)\n"
)


@pytest.mark.parametrize("args", [
    ("--plan", str(PLAN), "overdue", "--date", TODAY, "--format", "json"),
    ("--plan", str(PLAN), "overdue", "--date", TODAY),
    ("--plan", str(PLAN), "unit", "市公安局"),
    ("validate", str(PLAN)),
], ids=["overdue json", "overdue table", "unit table", "validate"])
def test_a_warm_answer_off_a_terminal_loads_none_of_the_heavy_modules(
    cache_dir: Path, args: tuple[str, ...]
) -> None:
    """What start-up's ratios rest on (ARCHITECTURE.md, Start-up): no validator, YAML parser,
    OpenSSL (hashlib), Rich console or deadline parser for a cached answer piped elsewhere."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_dir.parent), "NO_COLOR": "1",
           "PYTHONPATH": str(REPO / "src")}
    env.pop("KPZF_PLAN", None)
    runs = [subprocess.run([sys.executable, "-c", MODULES_RUN, *args], env=env, capture_output=True,
                           text=True, timeout=120, check=False) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
    cold, warm = (r.stderr.rstrip().rsplit("loaded:", 1)[1].split() for r in runs)
    assert "pydantic" in cold and "yaml" in cold  # the probe sees a miss's imports
    assert warm == [], f"a warm answer loaded {warm}"
    assert runs[0].stdout == runs[1].stdout


def test_editing_a_kpzf_source_file_is_a_miss(cache_dir: Path, tmp_path: Path) -> None:
    """A copy of kpzf's sources: warm, then one of its files edited — the next run is a miss."""
    root = tmp_path / "site"
    shutil.copytree(REPO / "src" / "kpzf", root / "kpzf", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_dir.parent), "NO_COLOR": "1"}
    env.pop("KPZF_PLAN", None)
    args = ("--plan", str(PLAN), "overdue", "--date", TODAY, "--format", "json")
    first, missed = _kpzf_in(root, env, *args)
    assert missed
    assert _kpzf_in(root, env, *args) == (first, False)  # warm
    source = root / "kpzf" / "core" / "queries.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    after, missed = _kpzf_in(root, env, *args)
    assert missed, "an edited source file must not be answered by the entry its old self wrote"
    assert after == first
    assert len(entries(cache_dir)) == 2
    # The digest is of the contents: the edit undone (a new mtime) hits the first entry again.
    source.write_text(source.read_text(encoding="utf-8").removesuffix("\n# edited\n"), encoding="utf-8")
    assert _kpzf_in(root, env, *args) == (first, False)


def test_sources_digest_follows_content(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    (root / "a.py").write_text("A = 1\n")
    (root / "sub" / "b.py").write_text("B = 2\n")
    (root / "notes.txt").write_text("not a source\n")
    memo = tmp_path / "memo"
    memo.mkdir()
    first = cache.sources_digest(str(root), memo)
    assert cache.sources_digest(str(root), memo) == first  # from the memo
    assert cache.sources_digest(str(root), None) == first  # computed afresh: the same
    (root / "notes.txt").write_text("changed\n")
    assert cache.sources_digest(str(root), memo) == first  # only .py files count
    (root / "sub" / "b.py").write_text("B = 3\n")
    assert cache.sources_digest(str(root), memo) != first
    (root / "sub" / "b.py").write_text("B = 2\n")
    assert cache.sources_digest(str(root), memo) == first
    (root / "c.py").write_text("")
    assert cache.sources_digest(str(root), memo) != first  # a new module


# --------------------------------------------------------------------------- off, place, pruning


def test_no_cache_switches(run: Run, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("--no-cache", "--plan", str(PLAN), "units", today=TODAY).code == 0
    assert entries(cache_dir) == []
    monkeypatch.setenv("KPZF_NO_CACHE", "1")
    assert run("--plan", str(PLAN), "units", today=TODAY).code == 0
    assert entries(cache_dir) == []
    monkeypatch.setenv("KPZF_NO_CACHE", "0")  # 0 or empty: on
    assert run("--plan", str(PLAN), "units", today=TODAY).code == 0
    assert len(entries(cache_dir)) == 1
    # --no-cache lasts one run only (several runs share a process in tests and embeddings).
    monkeypatch.delenv("KPZF_NO_CACHE")
    entries(cache_dir)[0].unlink()
    run("--no-cache", "--plan", str(PLAN), "units", today=TODAY)
    run("--plan", str(PLAN), "units", today=TODAY)
    assert len(entries(cache_dir)) == 1


def test_directory_and_file_modes(run: Run, cache_dir: Path) -> None:
    cache_dir.mkdir(parents=True, mode=0o755)
    os.chmod(cache_dir, 0o755)
    assert run("--plan", str(PLAN), "units", today=TODAY).code == 0
    assert stat.S_IMODE(os.stat(cache_dir).st_mode) == 0o700
    for entry in cache_dir.iterdir():
        assert stat.S_IMODE(os.stat(entry).st_mode) == 0o600, entry


def test_default_directory_is_under_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.directory() == tmp_path / "home" / ".cache" / "kpzf"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # ignored, as the XDG rules say
    assert cache.directory() == tmp_path / "home" / ".cache" / "kpzf"


def test_a_symlinked_cache_directory_is_not_used(
    run: Run, cache_dir: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache_dir.parent.mkdir(parents=True)
    cache_dir.symlink_to(elsewhere)
    assert run("--plan", str(PLAN), "units", today=TODAY).code == 0
    assert list(elsewhere.iterdir()) == []


def test_an_unusable_cache_directory_only_means_no_cache(
    run: Run, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir.parent.mkdir(parents=True)
    cache_dir.write_text("a file where the directory should be")
    expected = run("--no-cache", "--plan", str(PLAN), "overdue", "--date", TODAY)
    assert run("--plan", str(PLAN), "overdue", "--date", TODAY, today=TODAY) == expected


def test_pruned_per_plan_and_by_size(
    run: Run, cache_dir: Path, plan_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = plan_copy.read_text(encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text(text, encoding="utf-8")
    run("--plan", str(other), "units", today=TODAY)
    for i in range(cache.KEEP_PER_PLAN + 3):  # seven versions of one plan
        plan_copy.write_text(text + f"# version {i}\n", encoding="utf-8")
        os.utime(plan_copy)
        assert run("--plan", str(plan_copy), "units", today=TODAY).code == 0
    # The other plan's entry and the newest KEEP_PER_PLAN of this one.
    assert len(entries(cache_dir)) == 1 + cache.KEEP_PER_PLAN
    size = entries(cache_dir)[0].stat().st_size
    monkeypatch.setattr(cache, "MAX_TOTAL_BYTES", int(size * 2.5))
    plan_copy.write_text(text + "# one more\n", encoding="utf-8")
    run("--plan", str(plan_copy), "units", today=TODAY)
    kept = entries(cache_dir)
    assert len(kept) == 2  # within 2.5 entries' size: the two newest
    newest = checked.cache_key(plan_copy.read_bytes()).hex()[:40]
    assert any(newest in e.name for e in kept)


def test_a_stale_temporary_file_is_cleared(run: Run, cache_dir: Path, plan_copy: Path) -> None:
    cache_dir.mkdir(parents=True)
    stale = cache_dir / ".x.plan.abcdefgh.kpzf-tmp"  # a writer killed before its rename
    fresh = cache_dir / ".y.plan.abcdefgh.kpzf-tmp"  # one still being written
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    old = (dt.datetime.now() - dt.timedelta(hours=2)).timestamp()
    os.utime(stale, (old, old))
    assert run("--plan", str(plan_copy), "units", today=TODAY).code == 0
    assert not stale.exists() and fresh.exists()


def test_only_valid_plans_are_stored(run: Run, cache_dir: Path, plan_copy: Path) -> None:
    text = plan_copy.read_text(encoding="utf-8")
    plan_copy.write_text(text.replace("unit_refs:", "unit_refz:", 1), encoding="utf-8")
    assert run("--plan", str(plan_copy), "units", today=TODAY).code == 1
    assert entries(cache_dir) == []
    plan_copy.write_text(text.replace("\n", "\n", 1) + "groups_typo: 1\n", encoding="utf-8")
    assert run("validate", str(plan_copy), today=TODAY).code == 1
    assert entries(cache_dir) == []


def test_warnings_are_kept_and_named_by_the_file_asked_about(
    run: Run, cache_dir: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A plan with a warning only (a group whose one member is excluded): validate shows it
    warm too, under the name the file is given this time, not the one it had when stored."""
    text = PLAN.read_text(encoding="utf-8").replace(
        "groups:\n", "groups:\n  - name: 空组\n    members: [市公安局]\n    exclude: [市公安局]\n", 1
    )
    first = tmp_path / "a.yaml"
    first.write_text(text, encoding="utf-8")
    uncached, cold, warm = three_ways(run, monkeypatch, reads, "validate", str(first))
    assert uncached.code == 0
    assert "警告：组“空组”不含任何单位" in uncached.out + uncached.err
    assert cold == uncached and warm == uncached
    second = tmp_path / "sub" / "b.yaml"
    second.parent.mkdir()
    shutil.copyfile(first, second)
    monkeypatch.setenv("KPZF_NO_CACHE", "1")
    expected = run("validate", "--strict", str(second), today=TODAY)
    monkeypatch.delenv("KPZF_NO_CACHE")
    run("validate", str(second), today=TODAY)  # its own entry (another path), then warm:
    got = run("validate", "--strict", str(second), today=TODAY)
    assert got == expected and got.code == 1
    assert str(second) in got.out + got.err and str(first) not in got.out + got.err


# --------------------------------------------------------------------------- mutated plans


@pytest.mark.slow
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutations=st.lists(MUTATIONS, max_size=3), day=st.sampled_from(["2024-06-27", TODAY, "2026-01-01"]))
def test_mutated_plans_answer_the_same_cached_or_not(
    mutations: list[Mutation], day: str, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Valid or not, on days before and after its progress: the cached answer is the uncached
    one (the shipped plan with progress, mutated by tests/mutations.py)."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        monkeypatch.setenv("XDG_CACHE_HOME", str(root / "xdg"))
        plan = root / "plan.yaml"
        plan.write_text(mutate(mutations), encoding="utf-8")
        for args in (
            ("validate", str(plan)),
            ("--plan", str(plan), "overdue", "--format", "json"),
            ("--plan", str(plan), "report", "--by", "area"),
            ("--plan", str(plan), "export", "--format", "csv"),
        ):
            monkeypatch.setenv("KPZF_NO_CACHE", "1")
            uncached = run(*args, today=day, cwd=root)
            monkeypatch.delenv("KPZF_NO_CACHE")
            assert run(*args, today=day, cwd=root) == uncached, args  # cold
            assert run(*args, today=day, cwd=root) == uncached, args  # warm, if stored
            assert run(*args, today=TODAY, cwd=root).code in (0, 1, 2)  # another day fills it
            assert run(*args, today=day, cwd=root) == uncached, args
        event(f"plan valid on {TODAY}, so cached: {bool(entries(root / 'xdg' / 'kpzf'))}")


_TEXT_LINES = [i for i, line in enumerate(PLAN_LINES) if line.lstrip().startswith("text: ")]


@st.composite
def valid_edits(draw: st.DrawFn) -> str:
    """The plan with progress, its measures' texts rewritten and its progress re-dated: mostly
    valid plans (so cached), some with progress dated before the period or after the day asked."""
    import json

    lines = list(PLAN_LINES)
    for index in draw(st.lists(st.sampled_from(_TEXT_LINES), max_size=4)):
        indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
        lines[index] = f"{indent}text: {json.dumps(draw(st.text(min_size=1, max_size=30)), ensure_ascii=False)}\n"
    text = "".join(lines)
    for old in ("2024-06-20", "2024-06-28", "2024-05-10", "2024-06-30"):
        day = draw(st.dates(dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
        text = text.replace(f'date: "{old}"', f'date: "{day}"', 1)
    return text


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=valid_edits(), day=st.dates(dt.date(2024, 3, 1), dt.date(2025, 1, 31)))
def test_edited_plans_answer_the_same_cached_or_not_on_any_day(
    text: str, day: dt.date, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        monkeypatch.setenv("XDG_CACHE_HOME", str(root / "xdg"))
        plan = root / "plan.yaml"
        plan.write_text(text, encoding="utf-8")
        run("validate", str(plan), today="2025-12-31")  # stored if valid on the period's last day
        for args in (
            ("validate", "--format", "json", str(plan)),
            ("--plan", str(plan), "overdue", "--format", "json"),
            ("--plan", str(plan), "unit", "市公安局"),
        ):
            monkeypatch.setenv("KPZF_NO_CACHE", "1")
            uncached = run(*args, today=str(day), cwd=root)
            monkeypatch.delenv("KPZF_NO_CACHE")
            assert run(*args, today=str(day), cwd=root) == uncached, (args, day)
        event(f"cached: {bool(entries(root / 'xdg' / 'kpzf'))}; valid on the day: {uncached.code == 0}")


def test_old_source_digest_memos_are_pruned(run: Run, cache_dir: Path, plan_copy: Path) -> None:
    cache_dir.mkdir(parents=True)
    for i in range(cache.KEEP_SOURCES + 5):  # memos of earlier installs of kpzf
        memo = cache_dir / f"sources-{i:040d}"
        memo.write_text("0" * 64)
        os.utime(memo, (1_000_000 + i, 1_000_000 + i))
    assert run("--plan", str(plan_copy), "units", today=TODAY).code == 0  # a miss: stores, prunes
    memos = sorted(p.name for p in cache_dir.glob("sources-*"))
    assert len(memos) == cache.KEEP_SOURCES
    # The oldest went (this kpzf's own memo, if this process wrote one here, is the newest).
    assert not any(f"sources-{i:040d}" in memos for i in range(5))


def test_the_cache_knows_every_check_that_reads_the_day() -> None:
    """The cache settles the day-dependent checks by the latest progress and notice dates
    (checked.py, snapshot.encode_plan). A new check reading `today` must be taught there:
    this test names the checks whose bodies use it, and fails when the list changes."""
    import inspect

    from kpzf import checks

    reading = set()
    for check in (*checks.CHECKS, *checks.WARNINGS):
        body = inspect.getsource(check).split(":\n", 1)[1]  # without the signature
        if "today" in body.split('"""')[-1]:  # without the docstring
            reading.add(check.__name__)
    assert reading == {"check_progress", "check_notices"}


@pytest.mark.parametrize("today", ["2024-06-29", "2024-06-30", "2024-07-01"])
def test_a_notice_dated_after_today_is_reported_cached_or_not(
    today: str, run: Run, cache_dir: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Progress up to 2024-06-28 (hand-written above), one 催办 on 2024-06-30: the entry's
    latest date is the notice's, and the day before it the file is read and says so."""
    plan = _with_progress(tmp_path / "plan.yaml")
    text = plan.read_text(encoding="utf-8")
    assert "\nnotices:" not in text
    text += 'notices:\n  - {unit: 市公安局, date: "2024-06-30", measures: [1]}\n'
    plan.write_text(text, encoding="utf-8")
    assert run("--plan", str(plan), "validate", today="2024-07-01").code == 0  # stored
    assert len(entries(cache_dir)) == 1
    monkeypatch.setenv("KPZF_NO_CACHE", "1")
    uncached = run("validate", str(plan), today=today)
    monkeypatch.delenv("KPZF_NO_CACHE")
    before = len(reads)
    assert run("validate", str(plan), today=today) == uncached
    if today == "2024-06-29":
        assert uncached.code == 1
        assert "催办日期 2024-06-30 晚于今天（2024-06-29）" in uncached.out + uncached.err
        assert len(reads[before:]) == 1
    else:
        assert uncached.code == 0 and reads[before:] == []
