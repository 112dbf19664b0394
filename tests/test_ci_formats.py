"""Machine-readable outputs against their specifications: SARIF, GitHub annotations, JSON,
JSON Schemas, the pre-commit hook manifest, the GitHub Action and the documented workflow."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, Draft202012Validator, validators
from ruamel.yaml import YAML
from typer.testing import CliRunner

from dxassess.cli import app
from dxassess.load import parse_bytes
from dxassess.problems import CODES

from .conftest import BROKEN, MINI, ROOT, SHARED, VALID, run_cli

SCHEMAS = SHARED / "data"
BROKEN_Q = BROKEN / "questionnaire"


def load_yaml(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def official(name: str):
    path = SCHEMAS / name
    if not path.exists():
        pytest.skip(f"{path} not present (set DXASSESS_SHARED_DIR to the shared folder)")
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = validators.validator_for(schema, default=Draft7Validator)
    return cls(schema)


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def test_sarif_conforms_to_the_official_schema():
    result = invoke("validate", "--format", "sarif", str(BROKEN_Q))
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    errors = sorted(official("sarif-schema-2.1.0.json").iter_errors(log), key=str)
    assert not errors, [e.message for e in errors[:5]]
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= set(CODES)
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    unknown = [r for r in run["results"] if r["ruleId"] == "DX101"][0]
    assert unknown["locations"][0]["physicalLocation"]["region"] == {"startLine": 26, "startColumn": 9}


def test_sarif_of_clean_files_has_no_results():
    result = invoke("validate", "--format", "sarif", str(VALID))
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    assert log["runs"][0]["results"] == []
    assert not list(official("sarif-schema-2.1.0.json").iter_errors(log))


def test_github_annotations():
    path = BROKEN_Q / "q-unknown-key.yaml"
    result = invoke("validate", "--format", "github", str(path))
    assert result.exit_code == 1
    line = result.stdout.strip()
    # exactly the contract's form: ::error file=PATH,line=LINE,col=COL::CODE message
    assert re.fullmatch(r"::error file=[^,]+q-unknown-key\.yaml,line=26,col=9::DX101 .+", line)


def test_github_annotations_escape_separators(tmp_path: Path):
    weird = tmp_path / "a,b:c.yaml"
    weird.write_text("foo: bar\n")
    line = invoke("validate", "--format", "github", str(weird)).stdout.strip()
    assert "file=" + str(weird).replace(",", "%2C").replace(":", "%3A") + ",line=1" in line


def test_json_output():
    result = invoke("validate", "--format", "json", str(BROKEN_Q / "q-weight-zero.yaml"), str(MINI))
    items = json.loads(result.stdout)
    # the corpus questionnaires write no `steps`: one DX218 warning each, then the fault itself
    assert [item["code"] for item in items] == ["DX218", "DX209"]
    assert items[1:] == [
        {
            "path": str(BROKEN_Q / "q-weight-zero.yaml"),
            "line": 19,
            "col": 13,
            "severity": "error",
            "code": "DX209",
            "message": "domain weight 0.0 must be greater than 0",
            "message_en": "domain weight 0.0 must be greater than 0",
            "message_ja": "分野の weight 0.0 は 0 より大きくしてください。",
        }
    ]


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _schema(kind: str) -> Draft202012Validator:
    result = invoke("schema", kind)
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _described(node, where="") -> list[str]:
    """Object properties without a description (editors show descriptions on hover)."""
    missing = []
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            if isinstance(prop, dict) and "description" not in prop and "$ref" not in prop:
                missing.append(f"{where}.{name}")
        for key, value in node.items():
            missing += _described(value, f"{where}.{key}")
    elif isinstance(node, list):
        for item in node:
            missing += _described(item, where)
    return missing


SHIPPED = {
    "questionnaire": sorted(p for p in (ROOT / "questionnaires").rglob("*.yaml") if "domains" in p.read_text()),
    "catalogue": sorted(p for p in (ROOT / "questionnaires").rglob("*.yaml") if "\nsections:" in p.read_text()),
}
# Broken files whose fault is structural (the JSON Schema can see it); semantic faults such as
# duplicate ids or `when` references need `dxassess validate`.
STRUCTURAL = {"DX100", "DX101", "DX102", "DX209"}


@pytest.mark.parametrize("kind", ["questionnaire", "answers", "catalogue"])
def test_json_schema_accepts_shipped_and_valid_files(kind: str):
    validator = _schema(kind)
    files = SHIPPED.get(kind, []) + [
        p
        for p in VALID.glob("*.yaml")
        if {"questionnaire": "mini.yaml", "answers": "mini-answers.yaml", "catalogue": "mini-catalogue.yaml"}[kind]
        == p.name
    ]
    assert files
    for path in files:
        data = _plain(parse_bytes(str(path), path.read_bytes()).data)
        errors = list(validator.iter_errors(data))
        assert not errors, (path, [e.message for e in errors[:3]])
    assert len(_described(validator.schema)) == 0, _described(validator.schema)[:10]


@pytest.mark.parametrize(
    "kind,folder", [("questionnaire", "questionnaire"), ("answers", "answers"), ("catalogue", "catalogue")]
)
def test_json_schema_rejects_structural_faults(kind: str, folder: str):
    validator = _schema(kind)
    checked = 0
    for path in sorted((BROKEN / folder).glob("*.yaml")):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        code = first.split()[2] if first.startswith("# expect:") else ""
        if code not in STRUCTURAL and not any(
            k in path.name for k in ("extra-language", "empty-text", "level-override")
        ):
            continue
        data = _plain(parse_bytes(str(path), path.read_bytes()).data)
        assert list(validator.iter_errors(data)), f"schema accepted {path.name}"
        checked += 1
    assert checked >= 3


def test_pre_commit_manifest_is_valid():
    manifest = load_yaml(ROOT / ".pre-commit-hooks.yaml")
    assert not list(official("pre-commit-hooks.schema.json").iter_errors(manifest))
    ids = {hook["id"] for hook in manifest}
    assert "dxassess-validate" in ids
    for hook in manifest:
        assert hook["entry"].startswith("dxassess validate")
        assert re.search(hook["files"], "questionnaires/municipal-dx.yaml")


def test_github_action_is_valid():
    action = load_yaml(ROOT / "action.yml")
    assert not list(official("github-action.schema.json").iter_errors(action))
    assert action["runs"]["using"] == "composite"
    assert any(
        "--format github" in step.get("run", "") or "github" in step.get("run", "") for step in action["runs"]["steps"]
    )


def test_documented_workflow_is_valid():
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(# \.github/workflows/.*?)```", text, re.S)
    assert blocks
    validator = official("github-workflow.schema.json")
    for block in blocks:
        workflow = YAML(typ="safe").load(block)
        assert not list(validator.iter_errors(workflow))


def test_schema_command_as_process():
    proc = run_cli("schema", "answers")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["properties"]["municipality"]
    assert run_cli("schema", "nonsense").returncode == 2
