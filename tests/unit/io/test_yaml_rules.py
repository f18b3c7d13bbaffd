"""The rules on plan data that both YAML readers apply."""

from __future__ import annotations

import pytest

from kpzf.io.yaml_rules import (
    ALIAS,
    MAP,
    MAPPING,
    MAX_DEPTH,
    MERGE,
    SCALAR,
    SEQ,
    SEQUENCE,
    STR,
    refusal,
)


def test_plain_data_within_the_depth_limit_is_allowed() -> None:
    assert refusal(SCALAR, STR, MAX_DEPTH, as_key=False) is None
    assert refusal(MAPPING, MAP, 0, as_key=False) is None
    assert refusal(SEQUENCE, SEQ, 3, as_key=False) is None


@pytest.mark.parametrize(
    ("kind", "tag", "depth", "as_key", "code"),
    [
        (SCALAR, STR, MAX_DEPTH + 1, False, "too-deep"),
        (ALIAS, None, 2, False, "alias"),
        (MAPPING, MAP, 2, True, "bad-key"),
        (SEQUENCE, SEQ, 2, True, "bad-key"),
        (SCALAR, MERGE, 1, True, "alias"),
        (SCALAR, "tag:yaml.org,2002:python/object", 1, False, "unsafe-tag"),
        (SEQUENCE, "tag:yaml.org,2002:set", 1, False, "unsafe-tag"),
    ],
)
def test_what_plan_data_may_not_contain(kind: str, tag: str | None, depth: int, as_key: bool, code: str) -> None:
    refused = refusal(kind, tag, depth, as_key)
    assert refused is not None and refused.code == code


def test_tags_are_named_as_they_were_written() -> None:
    refused = refusal(SCALAR, "tag:yaml.org,2002:python/object", 1, as_key=False)
    assert refused is not None and "“!!python/object”" in refused.message
