"""JSON Schemas (draft 2020-12) of the file kinds, generated from the models."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_ID = "https://dxassess.github.io/schema/{kind}.json"


def json_schema(kind: str) -> dict[str, Any]:
    from dxassess.model import KINDS

    schema = KINDS[kind].model_json_schema(mode="validation")
    out: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID.format(kind=kind),
    }
    out.update(schema)
    return out


def json_schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n"
