"""Capture what `kpzf` prints for the answers users script against, to prove a refactor changed none.

Runs the installed `kpzf` executable (so any layout of the package is measured the same way) on the
shipped plan, on the 10x benchmark plan (benchmarks/generate.py, deterministic) and on the bad-file
corpus, and writes one sha256 per command (stdout, stderr and exit code) to a JSON file:

    python tests/golden/capture.py --kpzf .venv/bin/kpzf --out tests/golden/digests.json
    python tests/golden/capture.py --kpzf .venv/bin/kpzf --dump /tmp/outputs   # full outputs, to diff

tests/golden/test_golden.py compares the current package against the committed digests, which were
made from the base commit of the "one rule, one place" rebuild (3e7bb38), and re-made from main's
tip, never from the branch under test, when main's outputs changed for another issue (59c9883:
issue12prep's deadline parser words its "unreadable deadline" message differently; 884f210:
issue 9 names the plan in every summary and adds `source` keys; 6b7c13b: issue 10). To re-make
them from a commit without installing it: `git archive COMMIT | tar -x -C DIR` and pass a --kpzf
script that runs `PYTHONPATH=DIR/src python -m kpzf "$@"`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "bad"

# (name, arguments): fixed dates, so the answers do not depend on the clock.
QUERIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("export-json", ("export", "--format", "json")),
    ("overdue-2024-07-01", ("overdue", "--date", "2024-07-01", "--format", "json")),
    ("overdue-2025-01-01", ("overdue", "--date", "2025-01-01", "--format", "json")),
    ("overdue-2025-01-01-chikan", ("overdue", "--date", "2025-01-01", "--unit", "赤坎镇", "--format", "json")),
    ("overdue-2025-01-01-area3", ("overdue", "--date", "2025-01-01", "--area", "3", "--format", "json")),
    ("unit-police-2024-07-01", ("unit", "市公安局", "--date", "2024-07-01", "--format", "json")),
    ("unit-chikan-2025-01-01", ("unit", "赤坎镇", "--date", "2025-01-01", "--format", "json")),
    ("unit-towns-2025-01-01", ("unit", "各镇（街）", "--date", "2025-01-01", "--format", "json")),
    ("report-unit-2024-07-01", ("report", "--date", "2024-07-01", "--format", "json")),
    ("report-area-2025-01-01", ("report", "--date", "2025-01-01", "--by", "area", "--format", "json")),
    ("report-task-2025-01-01", ("report", "--date", "2025-01-01", "--by", "task", "--format", "json")),
    ("upcoming-2024-06-01", ("upcoming", "--date", "2024-06-01", "--format", "json")),
    ("upcoming-2024-11-15-police", ("upcoming", "--date", "2024-11-15", "--days", "60", "--unit", "市公安局", "--format", "json")),
    ("upcoming-2025-01-01-chikan", ("upcoming", "--date", "2025-01-01", "--days", "365", "--unit", "赤坎镇", "--format", "json")),
)
# validate --format json on single files of the corpus (and on all of them in one run, below).
BAD_SAMPLES = (
    "syntax-unclosed-quote", "dup-key-measure", "unknown-unit-ref", "progress-future",
    "deadline-unreadable", "alias-scalar", "enc-utf16", "measure-gap",
)


Invoke = Callable[[tuple[str, ...], Path], tuple[int, bytes, bytes]]  # args, cwd → code, out, err


def subprocess_invoke(kpzf: str) -> Invoke:
    """Run an installed (or any) `kpzf` executable: works for every layout of the package."""

    def invoke(args: tuple[str, ...], cwd: Path) -> tuple[int, bytes, bytes]:
        env = dict(os.environ, NO_COLOR="1", COLUMNS="200", TZ="Asia/Shanghai")
        env.pop("KPZF_PLAN", None)
        done = subprocess.run([kpzf, *args], cwd=cwd, env=env, capture_output=True, check=False)
        return done.returncode, done.stdout, done.stderr

    return invoke


def _record(invoke: Invoke, args: tuple[str, ...], cwd: Path, plan: Path | None) -> bytes:
    # The plan by its name in `cwd`: messages name it as given, and a temp folder's name varies.
    named = ("--plan", str(plan.relative_to(cwd))) if plan is not None else ()
    code, out, err = invoke((*named, *args), cwd)
    return b"exit %d\n--- stdout\n%s--- stderr\n%s" % (code, out, err)


def _units_of_copy(plan: Path) -> tuple[str, str]:
    """The 10x plan renames every county's units: ask about the first copy's police and a town."""
    import yaml

    data = yaml.load(plan.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    names = [u["name"] for u in data["units"]]
    police = next(n for n in names if n.endswith("公安局"))
    town = next(n for n in names if n.endswith("赤坎镇"))
    return police, town


def capture(invoke: Invoke, work: Path, scales: tuple[str, ...] = ("1x", "10x", "bad")) -> dict[str, bytes]:
    """Every output of `scales` (the shipped plan, the 10x plan, the bad-file corpus) by name."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate  # benchmarks/generate.py

    big = work / "plan-10x.yaml"
    if "10x" in scales:
        today = generate.DEFAULT_TODAY
        big.write_text(generate.dump(generate.build(10, today), 10, today), encoding="utf-8")
    shipped = work / "plan.yaml"
    shipped.write_bytes((ROOT / "plan.yaml").read_bytes())
    outputs: dict[str, bytes] = {}
    for label, plan in (("1x", shipped), ("10x", big)):
        if label not in scales:
            continue
        renames = {}
        if label == "10x":
            police, town = _units_of_copy(big)
            renames = {"市公安局": police, "赤坎镇": town, "各镇（街）": town.replace("赤坎镇", "各镇（街）")}
        for name, args in QUERIES:
            args = tuple(renames.get(a, a) for a in args)
            outputs[f"{label}/{name}"] = _record(invoke, args, work, plan)
        outputs[f"{label}/validate-json"] = _record(invoke, ("validate", "--format", "json", plan.name), work, None)
    if "bad" not in scales:
        return outputs
    bad = sorted(p.name for p in BAD.glob("*.yaml"))
    outputs["bad/validate-json-all"] = _record(invoke, ("validate", "--format", "json", *bad), BAD, None)
    for name in BAD_SAMPLES:
        if (BAD / f"{name}.yaml").is_file():
            outputs[f"bad/{name}"] = _record(invoke, ("validate", "--format", "json", f"{name}.yaml"), BAD, None)
    return outputs


def digests(outputs: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in sorted(outputs.items())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kpzf", default="kpzf", help="the kpzf executable to run")
    parser.add_argument("--out", type=Path, help="write the digests here (JSON)")
    parser.add_argument("--dump", type=Path, help="write every full output into this folder")
    args = parser.parse_args(argv)
    kpzf = shutil.which(args.kpzf) or args.kpzf
    kpzf = str(Path(kpzf).absolute())
    with tempfile.TemporaryDirectory() as tmp:
        outputs = capture(subprocess_invoke(kpzf), Path(tmp))
    if args.dump:
        for name, data in outputs.items():
            target = args.dump / f"{name}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    result = json.dumps(digests(outputs), indent=2) + "\n"
    if args.out:
        args.out.write_text(result, encoding="utf-8")
    else:
        sys.stdout.write(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
