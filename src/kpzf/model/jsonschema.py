"""The JSON Schema of plan.yaml, generated from the pydantic models (for editors and other tools)."""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from .models import Plan
from .progress import STATUSES

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# An identifier, not a location: the schema travels with the repository (plan.schema.json) and
# with kpzf itself (`kpzf schema`); version 1 is plan.yaml's `version: 1`.
SCHEMA_ID = "urn:kpzf:plan-schema:1"


class _ChineseTitles(GenerateJsonSchema):
    """Leave out pydantic's English per-field titles ("Unit Refs"): the descriptions say it in Chinese."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def plan_schema() -> dict[str, Any]:
    """The schema as a dict: the models' own, plus what only `kpzf validate` would otherwise say."""
    generated = Plan.model_json_schema(schema_generator=_ChineseTitles)
    # The status vocabulary lives with the progress logic (checks reject other words); offering
    # it here lets an editor complete 已完成 … while typing.
    status = generated["$defs"]["ProgressEntry"]["properties"]["status"]
    status["enum"] = list(STATUSES)
    # Identity and the top level first, the definitions last: the order a person reads it in.
    head = {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "title": generated.pop("title"),
        "description": generated.pop("description"),
    }
    definitions = generated.pop("$defs")
    return {**head, **generated, "$defs": definitions}


def schema_text() -> str:
    """What `kpzf schema` prints and plan.schema.json holds, byte for byte."""
    return json.dumps(plan_schema(), ensure_ascii=False, indent=2) + "\n"
