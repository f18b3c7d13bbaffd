"""Write synthetic plans in kpzf's own format at 1×, 10× and 100× the shipped plan (deterministic).

Each "copy" is one county-like plan: the shipped plan's 6 areas, 19 tasks, 64 measures and 2
implementation items, with its 33 units and 4 groups renamed for that county (安平市司法局,
安平各镇（街） …; aliases renamed the same way, so the registry has 33 × N distinct units and
4 × N groups with members), numbered on from the copy before it, as a province-wide file would be.
Progress: 1,000 entries per copy (100,000 at 100×), each by a unit responsible for that measure
and milestone, dated within the plan period and no later than `--today`, in date order (the
log is append-only), with repeated entries for the same (measure, unit, milestone) so that
supersession is exercised.

The result is checked with kpzf's own loader and checks (given `--today`) unless --no-check:
a benchmark on an invalid file would measure the error path, not the tool.

    python benchmarks/generate.py                      # writes benchmarks/out/plan-{1,10,100}x.yaml
    python benchmarks/generate.py --scales 1 10 --out /tmp/plans
    python benchmarks/generate.py --scales --counties 120   # benchmarks/out/counties/county-NNN.yaml

`--counties N` writes a folder of N one-county plans (each its own random county name and
progress log, seeded by its number), the several-plans case of issue 17.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "plan.yaml"
DEFAULT_OUT = ROOT / "benchmarks" / "out"
DEFAULT_TODAY = dt.date(2025, 6, 30)
PROGRESS_PER_COPY = 1000
SEED = 20240209  # the plan's issue date; any fixed value makes the files reproducible

# Two-character county names: every prefix has the same length, so prefix + name never
# collides across counties, and each renamed unit reads like a real one (安平市公安局).
_FIRST = "安永和平新东西南北长清兴广泰福德"
_SECOND = "平宁化城江山川阳安源丰远昌乐"

_SEPARATORS = re.compile(r"([、，,；;\s]+)")
_PARENS = re.compile(r"（([^）]*)）")

STATUS_WEIGHTS = (("未开始", 1), ("推进中", 5), ("已完成", 6), ("延期", 1), ("不适用", 1))


def county_names(count: int, rng: random.Random) -> list[str]:
    names = [a + b for a in _FIRST for b in _SECOND if a != b]
    rng.shuffle(names)
    if count > len(names):
        raise SystemExit(f"at most {len(names)} copies")
    return names[:count]


def _rename_text(text: str, rename: dict[str, str]) -> str:
    """A 责任单位 cell with every unit name in it renamed, separators kept."""
    return "".join(rename.get(piece, piece) for piece in _SEPARATORS.split(text))


def _rename_deadline(text: str, rename: dict[str, str]) -> str:
    """Unit names in a deadline's brackets (…（市公安局、市交通运输局）) renamed."""
    return _PARENS.sub(lambda m: "（" + _rename_text(m.group(1), rename) + "）", text)


def copy_plan(
    base: dict[str, Any], county: str, area0: int, task0: int, measure0: int
) -> tuple[dict[str, list[Any]], dict[int, int], dict[str, str]]:
    """One county's units, groups, areas and implementation items; old → new measure numbers."""
    names: list[str] = []
    for entry in (*base["units"], *base.get("groups", [])):
        names.append(entry["name"])
        names.extend(entry.get("aliases", []))
    rename = {name: county + name for name in names}

    def unit_list(values: list[str]) -> list[str]:
        return [rename[v] for v in values]

    units = []
    for unit in base["units"]:
        new = {"name": rename[unit["name"]]}
        if unit.get("aliases"):
            new["aliases"] = unit_list(unit["aliases"])
        if unit.get("code"):
            new["code"] = unit["code"]
        units.append(new)
    groups = []
    for group in base.get("groups", []):
        new = {"name": rename[group["name"]]}
        if group.get("aliases"):
            new["aliases"] = unit_list(group["aliases"])
        new["members"] = unit_list(group["members"])
        if group.get("exclude"):
            new["exclude"] = unit_list(group["exclude"])
        groups.append(new)

    numbers: dict[int, int] = {}

    def measure(m: dict[str, Any]) -> dict[str, Any]:
        number = measure0 + len(numbers) + 1
        numbers[m["number"]] = number
        new = {
            "number": number,
            "text": m["text"],
            "units": _rename_text(m["units"], rename),
            "unit_refs": unit_list(m["unit_refs"]),
            "deadline": _rename_deadline(m["deadline"], rename),
        }
        if m.get("milestones"):
            new["milestones"] = [
                {**ms, **({"units": unit_list(ms["units"])} if ms.get("units") else {})}
                for ms in m["milestones"]
            ]
        if m.get("text_deadlines"):  # dates stated in the measure's text (measure 8)
            new["text_deadlines"] = [
                {**td, **({"units": unit_list(td["units"])} if td.get("units") else {})}
                for td in m["text_deadlines"]
            ]
        return new

    areas = []
    task_number = task0
    for ai, area in enumerate(base["areas"], start=1):
        tasks = []
        for task in area["tasks"]:
            task_number += 1
            tasks.append(
                {"number": task_number, "title": task["title"],
                 "measures": [measure(m) for m in task["measures"]]}
            )
        areas.append({"number": area0 + ai, "title": f"{area['title']}（{county}）", "tasks": tasks})
    implementation = [measure(m) for m in base.get("implementation", [])]
    # Implementation items are numbered after every ledger measure of the whole file, so they
    # are renumbered by the caller once all copies exist.
    return (
        {"units": units, "groups": groups, "areas": areas, "implementation": implementation},
        numbers,
        rename,
    )


def as_version_1(data: dict[str, Any]) -> dict[str, Any]:
    """The shipped plan (version 2, three global levels) as version-1 areas → tasks → measures,
    numbers read from its labels and ids: the synthetic plans stay version 1, which kpzf still
    reads, so their answers (tests/golden) compare with earlier runs unchanged."""
    from kpzf.model.resolve import label_ordinal

    if "areas" in data:
        return data
    areas = [
        {
            "number": label_ordinal(area["label"]),
            "title": area["title"],
            "tasks": [
                {
                    "number": label_ordinal(task["label"]),
                    "title": task["title"],
                    "measures": [
                        {"number": int(m["id"]), **{k: v for k, v in m.items() if k not in ("id", "label")}}
                        for m in task["measures"]
                    ],
                }
                for task in area["items"]
            ],
        }
        for area in data["items"]
    ]
    implementation = [{k: v for k, v in m.items() if k != "label"} for m in data.get("implementation", [])]
    rest = {k: v for k, v in data.items() if k not in ("items", "structure", "version", "implementation")}
    return {"version": 1, **rest, "areas": areas, "implementation": implementation}


def build(copies: int, today: dt.date, seed: int = SEED) -> dict[str, Any]:
    """The data of a synthetic plan with `copies` counties and 1,000 progress entries each."""
    from kpzf.model.plan import load_plan  # the shipped plan resolved: who owes which milestone

    base = as_version_1(yaml.load(SHIPPED.read_bytes(), Loader=yaml.CSafeLoader))
    resolved = load_plan(SHIPPED).measures
    rng = random.Random(seed * 1000 + copies)
    counties = county_names(copies, rng)

    data: dict[str, Any] = {"version": 1, "meta": base["meta"], "units": [], "groups": [],
                            "areas": [], "implementation": [], "progress": []}
    per_copy: list[tuple[dict[int, int], dict[str, str]]] = []
    ledger = sum(len(t["measures"]) for a in base["areas"] for t in a["tasks"])
    tasks = sum(len(a["tasks"]) for a in base["areas"])
    for k, county in enumerate(counties):
        part, numbers, rename = copy_plan(
            base, county, k * len(base["areas"]), k * tasks, k * ledger
        )
        for key in ("units", "groups", "areas"):
            data[key].extend(part[key])
        per_copy.append((numbers, rename))
        data["implementation"].append(part["implementation"])
    # Implementation items: numbered on after the last ledger measure, county by county.
    next_number = copies * ledger + 1
    items = []
    for k, county_items in enumerate(data["implementation"]):
        numbers = per_copy[k][0]
        for item in county_items:
            old = next(o for o, n in numbers.items() if n == item["number"])
            item["number"] = numbers[old] = next_number
            next_number += 1
            items.append(item)
    data["implementation"] = items

    start = dt.date.fromisoformat(str(base["meta"]["period"]["start"]))
    end = min(dt.date.fromisoformat(str(base["meta"]["period"]["end"])), today)
    span = (end - start).days
    statuses = [s for s, _ in STATUS_WEIGHTS]
    weights = [w for _, w in STATUS_WEIGHTS]
    owed = [m for m in resolved.values() if m.responsible]
    entries = []
    for _ in range(PROGRESS_PER_COPY * copies):
        k = rng.randrange(copies)
        numbers, rename = per_copy[k]
        m = rng.choice(owed)
        unit = rng.choice(sorted(m.responsible))
        entry: dict[str, Any] = {"measure": numbers[m.number], "unit": rename[unit]}
        applicable = [ms for ms in m.milestones if unit in ms.units]
        if applicable:
            milestone = rng.choice(applicable)
            # With one milestone the key may be omitted; write it most of the time, as people do.
            if milestone.key and (len(m.milestones) > 1 or rng.random() < 0.8):
                entry["milestone"] = milestone.key
        status = rng.choices(statuses, weights)[0]
        entry["status"] = status
        entry["date"] = (start + dt.timedelta(days=rng.randint(0, span))).isoformat()
        if status == "延期":
            entry["note"] = "因机构调整顺延，已报市司法局备案"
        elif status == "已完成" and rng.random() < 0.5:
            entry["note"] = f"{counties[k]}司〔{entry['date'][:4]}〕{rng.randint(1, 99)}号"
        entries.append(entry)
    entries.sort(key=lambda e: e["date"])  # stable: same-day entries keep their random order
    data["progress"] = entries
    return data


HEADER = """\
# Synthetic kpzf plan for benchmarks: {copies} county-like copies of the shipped plan.yaml
# ({measures} measures, {units} units, {groups} groups, {progress} progress entries).
# Generated by benchmarks/generate.py (seed {seed}, today {today}); do not edit by hand.
"""


def dump(data: dict[str, Any], copies: int, today: dt.date) -> str:
    body = yaml.dump(
        data,
        Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,  # leaf lists and mappings in flow style, like plan.yaml
        width=1_000_000,
    )
    measures = sum(len(t["measures"]) for a in data["areas"] for t in a["tasks"])
    measures += len(data["implementation"])
    return HEADER.format(
        copies=copies, measures=measures, units=len(data["units"]), groups=len(data["groups"]),
        progress=len(data["progress"]), seed=SEED, today=today,
    ) + body


def check(path: Path, today: dt.date) -> int:
    """Problems kpzf finds in the written file (0 expected)."""
    from kpzf.checks import run_checks
    from kpzf.errors import PlanError
    from kpzf.model.plan import load_plan

    try:
        problems = run_checks(load_plan(path), today)
    except PlanError as exc:
        problems = exc.problems
    for problem in problems[:10]:
        print(f"  {problem.where}: {problem.message}", file=sys.stderr)
    return len(problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=int, nargs="*", default=[1, 10, 100])
    parser.add_argument("--counties", type=int, default=0,
                        help="also write a folder of this many one-county plans (counties/)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=DEFAULT_TODAY)
    parser.add_argument("--no-check", action="store_true", help="skip validating the files")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for copies in args.scales:
        path = args.out / f"plan-{copies}x.yaml"
        text = dump(build(copies, args.today), copies, args.today)
        path.write_text(text, encoding="utf-8")
        print(f"{path}: {len(text.encode()) / 1024:.0f} KB", file=sys.stderr)
        if not args.no_check:
            found = check(path, args.today)
            if found:
                print(f"{path}: {found} problems — generator bug", file=sys.stderr)
                return 1
    if args.counties:
        folder = args.out / "counties"
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("county-*.yaml"):
            old.unlink()
        for i in range(1, args.counties + 1):
            path = folder / f"county-{i:03d}.yaml"
            data = build(1, args.today, seed=SEED + i)
            data["meta"] = {**data["meta"], "key": f"county-{i:03d}"}
            path.write_text(dump(data, 1, args.today), encoding="utf-8")
            if not args.no_check and i <= 3:  # the same generator each time: three suffice
                found = check(path, args.today)
                if found:
                    print(f"{path}: {found} problems — generator bug", file=sys.stderr)
                    return 1
        print(f"{folder}: {args.counties} plans", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
