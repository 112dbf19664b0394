"""JSON Schemas (draft 2020-12) of the file kinds, generated from the models.

Only standard keywords, so any draft 2020-12 validator (ajv in strict mode, the YAML language
server of editors, jsonschema) reads them the same way:
- a question's answer type selects its schema with `if`/`then` on `type` (not OpenAPI's
  `discriminator`), so a validator reports the problems of that type only;
- a date is accepted as text (`"2026-11-27"`, how dxassess writes it, and how a YAML 1.2 parser
  reads it unquoted) and as the date value a YAML 1.1 parser such as js-yaml makes of an
  unquoted 2026-11-27 (an object without properties to a JSON Schema validator);
- numbers and true/false are never text: the models are strict in the same way
  (`model/questionnaire.py: Strict`), so `validate` and the schema agree on `max: "100"`.
"""

from __future__ import annotations

import json
from typing import Any

SCHEMA_ID = "https://dxassess.github.io/schema/{kind}.json"


def _generator() -> type:
    from pydantic.json_schema import GenerateJsonSchema

    class Standard(GenerateJsonSchema):
        def date_schema(self, schema: Any) -> dict[str, Any]:
            return {
                "anyOf": [
                    {"type": "string", "format": "date", "description": "YYYY-MM-DD, best quoted."},
                    {
                        "type": "object",
                        "maxProperties": 0,
                        "description": "An unquoted date as a YAML 1.1 parser (js-yaml) reads it.",
                    },
                ]
            }

        def tagged_union_schema(self, schema: Any) -> dict[str, Any]:
            tag = schema["discriminator"]
            if not isinstance(tag, str):  # only a plain field name is used in the models
                return super().tagged_union_schema(schema)
            choices = {str(key): self.generate_inner(value) for key, value in schema["choices"].items()}
            keys = list(choices)
            return {
                "type": "object",
                "required": [tag],
                "properties": {tag: {"enum": keys, "description": f"One of {', '.join(keys)}; selects the rest."}},
                "allOf": [
                    {
                        "if": {"properties": {tag: {"const": key, "description": f"{tag} {key}"}}, "required": [tag]},
                        "then": choice,
                    }
                    for key, choice in choices.items()
                ],
            }

    return Standard


# The keywords that apply to one JSON type only. ajv's strict mode wants that type stated beside
# them (a `pattern` without `type: string` is a mistake it refuses to guess about).
_FAMILIES = {
    "string": {"pattern", "format", "minLength", "maxLength"},
    "number": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
    "array": {"items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains"},
    "object": {
        "properties",
        "required",
        "additionalProperties",
        "patternProperties",
        "propertyNames",
        "minProperties",
        "maxProperties",
    },
}
_SUBSCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SUBSCHEMAS = ("items", "additionalProperties", "propertyNames", "if", "then", "else", "not", "contains")
_SCHEMA_MAPS = ("properties", "$defs", "patternProperties")


def _stated(node: Any, name_schema: bool = False) -> Any:
    """Every schema object with its type stated where its keywords imply one, and every name in
    `required` declared under `properties` (ajv's strictTypes and strictRequired). A schema of
    property names is left without a type: names are text in JSON anyway, and YAML editors
    would flag the number keys of `steps: {1: ...}`."""
    if not isinstance(node, dict):
        return node
    out = dict(node)
    for key in _SUBSCHEMAS:
        if isinstance(out.get(key), dict):
            out[key] = _stated(out[key], name_schema=key == "propertyNames")
    for key in _SUBSCHEMA_LISTS:
        if isinstance(out.get(key), list):
            out[key] = [_stated(item) for item in out[key]]
    for key in _SCHEMA_MAPS:
        if isinstance(out.get(key), dict):
            out[key] = {name: _stated(sub) for name, sub in out[key].items()}
    if "type" not in out and "$ref" not in out and not name_schema:
        families = [name for name, words in _FAMILIES.items() if words & out.keys()]
        if len(families) == 1:
            out["type"] = families[0]
    if out.get("type") == "object" and out.get("required"):
        declared = out.setdefault("properties", {})
        for name in out["required"]:
            declared.setdefault(name, {"description": f"{name} (see the main definition)."})
    return out


def json_schema(kind: str) -> dict[str, Any]:
    from dxassess.model import KINDS

    schema = _stated(KINDS[kind].model_json_schema(mode="validation", schema_generator=_generator()))
    out: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID.format(kind=kind),
    }
    out.update(schema)
    return out


def json_schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n"
