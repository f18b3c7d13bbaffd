"""`kpzf schema` and the committed plan.schema.json: in step with the models, and right about plan.yaml."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import PLAN, REPO, Run

SCHEMA_FILE = REPO / "plan.schema.json"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.fixture(scope="module")
def plan_data() -> dict[str, Any]:
    data = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[tuple[str, str]]:
    return [
        ("/".join(str(p) for p in e.absolute_path), e.message) for e in validator.iter_errors(data)
    ]


def test_committed_schema_is_what_kpzf_schema_prints(run: Run) -> None:
    result = run("schema")
    assert result.code == 0
    assert result.out == SCHEMA_FILE.read_text(encoding="utf-8"), (
        "plan.schema.json is stale: regenerate it with `kpzf schema > plan.schema.json`"
    )


def test_schema_identifies_itself() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:kpzf:plan-schema:1"
    assert CJK.search(schema["title"]) and CJK.search(schema["description"])
    assert schema["additionalProperties"] is False
    # areas (version 1) or items/measures (version 2): which one is the checks' business.
    assert schema["required"] == ["version", "meta", "units"]


def test_plan_yaml_points_editors_at_the_schema() -> None:
    first = PLAN.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./plan.schema.json"


def test_real_plan_yaml_is_valid(validator: jsonschema.Draft202012Validator, plan_data: Any) -> None:
    assert errors(validator, plan_data) == []


def test_every_field_is_described_in_chinese() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    bodies = [schema, *schema["$defs"].values()]
    for body in bodies:
        assert CJK.search(body["title"]), body["title"]
        for name, prop in body["properties"].items():
            assert CJK.search(prop.get("description", "")), f"{body['title']}.{name} has no description"
            assert "title" not in prop  # pydantic's English field titles are left out


@pytest.mark.parametrize(
    "where",
    [
        (),
        ("meta",),
        ("units", 0),
        ("groups", 0),
        ("items", 0, "items", 1, "measures", 2),
        ("implementation", 0),
    ],
)
def test_unknown_field_is_rejected(
    validator: jsonschema.Draft202012Validator, plan_data: Any, where: tuple[str | int, ...]
) -> None:
    data = copy.deepcopy(plan_data)
    target = data
    for step in where:
        target = target[step]
    target["deadlin"] = "2024年12月底前"  # a typo of a real field
    assert errors(validator, data) == [
        ("/".join(map(str, where)), "Additional properties are not allowed ('deadlin' was unexpected)")
    ]


@pytest.mark.parametrize("value", ["2024/02/09", "2024-2-9", "二〇二四年二月九日", "2024-02-30"])
def test_dates_must_be_real_yyyy_mm_dd(
    validator: jsonschema.Draft202012Validator, plan_data: Any, value: str
) -> None:
    data = copy.deepcopy(plan_data)
    data["meta"]["issued"] = value
    found = errors(validator, data)
    assert found and {path for path, _ in found} == {"meta/issued"}, found


def test_progress_entries_checked(validator: jsonschema.Draft202012Validator, plan_data: Any) -> None:
    data = copy.deepcopy(plan_data)
    entry = {"measure": 65, "unit": "市司法局", "milestone": "2024-08-31", "status": "已完成",
             "date": "2024-08-30", "note": "开司〔2024〕1号"}
    data["progress"] = [entry]
    assert errors(validator, data) == []
    data["progress"] = [{**entry, "status": "完成了"}, {**entry, "measure": 0}]
    assert [path for path, _ in errors(validator, data)] == ["progress/0/status", "progress/1/measure"]


def test_measure_needs_its_fields(validator: jsonschema.Draft202012Validator, plan_data: Any) -> None:
    data = copy.deepcopy(plan_data)
    measure = data["items"][0]["items"][0]["measures"][0]
    del measure["unit_refs"]
    measure["units"] = ""
    assert sorted(errors(validator, data)) == [
        ("items/0/items/0/measures/0", "'unit_refs' is a required property"),
        ("items/0/items/0/measures/0/units", "'' should be non-empty"),
    ]
