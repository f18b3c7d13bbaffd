"""Kaiping's plan.yaml (version 2) seen as areas → tasks → measures with numbers, for the tests
that compare it to the published 台账: numbers come from the labels kept in the file."""

from __future__ import annotations

from typing import Any

from kpzf.model.resolve import label_ordinal


def areas(data: dict[str, Any]) -> list[dict[str, Any]]:
    """[{number, title, tasks: [{number, title, measures: [{number, …}]}]}] of a version-2 plan
    with three levels (a version-1 plan's areas as they are)."""
    if "areas" in data:
        return list(data["areas"])
    out = []
    for area in data["items"]:
        tasks = []
        for task in area["items"]:
            measures = [{**m, "number": int(m["id"])} for m in task["measures"]]
            tasks.append({"number": label_ordinal(task["label"]), "title": task["title"], "measures": measures})
        out.append({"number": label_ordinal(area["label"]), "title": area["title"], "tasks": tasks})
    return out
