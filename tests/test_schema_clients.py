"""The JSON Schemas as other programs read them: ajv in strict mode on data read by js-yaml
(YAML 1.1, as many tools parse), and the YAML language server that editors run, with the
settings docs/ci.md documents. Every shipped file, the valid test files and every kind of
generated answer file must pass both; faults must be caught by both, and `validate` must agree.

Needs Node and `npm ci --prefix tests/node` (CI's .ci/run does both); skipped without them.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from dxassess.inputs import check_file
from dxassess.schema import json_schema

from .clients import node
from .conftest import BROKEN, MINI, ROOT, VALID, run_cli

KINDS = ("questionnaire", "answers", "catalogue")
SHIPPED = sorted((ROOT / "questionnaires").rglob("*.yaml"))
STRUCTURAL = {"DX100", "DX101", "DX102", "DX209"}  # faults a schema can see (as in test_ci_formats)


def kind_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if re.search(r"^domains:", text, re.M):
        return "questionnaire"
    if re.search(r"^sections:", text, re.M):
        return "catalogue"
    return "answers"


def ajv(files: list[Path]) -> dict[str, list[dict[str, Any]]]:
    """path → ajv's errors (ajv 8, draft 2020-12, strict mode, formats; data read by js-yaml)."""
    payload = {
        "schemas": {kind: json_schema(kind) for kind in KINDS},
        "files": [{"path": str(p), "kind": kind_of(p)} for p in files],
    }
    results = node("ajv-validate.mjs", payload)
    refused = [r for r in results if "schema" in r]
    assert refused == [], refused  # ajv compiles every schema in strict mode
    return {r["path"]: r["errors"] for r in results}


def test_schemas_use_only_standard_keywords():
    for kind in KINDS:
        text = json.dumps(json_schema(kind))
        assert "discriminator" not in text and '"mapping"' not in text
    questions = json_schema("questionnaire")["$defs"]["Domain"]["properties"]["questions"]["items"]
    assert [branch["if"]["properties"]["type"]["const"] for branch in questions["allOf"]] == [
        "scale",
        "numeric",
        "choice",
        "yesno",
    ]


def test_ajv_accepts_every_shipped_and_valid_file():
    files = SHIPPED + sorted(VALID.glob("*.yaml"))
    assert {kind_of(p) for p in files} == set(KINDS)
    errors = ajv(files)
    assert {path: found for path, found in errors.items() if found} == {}
    assert len(errors) == len(files)


def test_ajv_reports_only_the_problems_of_the_questions_own_type(tmp_path):
    """With `if`/`then` on `type`, a bad numeric question is not also reported as a bad scale,
    choice and yes/no question (what `oneOf` with OpenAPI's discriminator led to)."""
    text = MINI.read_text(encoding="utf-8").replace("max: 20", "max: 20\n        colour: red", 1)
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    [found] = ajv([path]).values()
    own = [(e["instancePath"], e["keyword"]) for e in found if e["keyword"] != "if"]  # ajv adds the `if` itself
    assert own == [("/domains/1/questions/0", "additionalProperties")], found


def test_ajv_and_validate_both_reject_structural_faults():
    checked = []
    for path in sorted(p for kind in ("answers", "questionnaire", "catalogue") for p in (BROKEN / kind).glob("*.yaml")):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        code = first.split()[2] if first.startswith("# expect:") else ""
        if code in STRUCTURAL:
            checked.append(path)
    errors = ajv(checked)
    missed = [p.name for p in checked if not errors[str(p)]]
    assert len(checked) >= 10 and missed == [], missed


# --- values given as text: one rule for validate and every schema client ----------------------


@pytest.fixture
def as_text(tmp_path: Path) -> dict[str, Path]:
    """`max: "20"` in a questionnaire and `population: "19381"` in an answer file."""
    folder = tmp_path / "text"
    folder.mkdir()
    for name in ("mini.yaml", "mini-catalogue.yaml", "mini-answers.yaml"):
        shutil.copy(VALID / name, folder / name)
    q = folder / "mini.yaml"
    q.write_text(q.read_text(encoding="utf-8").replace("max: 20", 'max: "20"', 1), encoding="utf-8")
    a = folder / "mini-answers.yaml"
    a.write_text(a.read_text(encoding="utf-8").replace("population: 1973395", 'population: "19381"'), "utf-8")
    return {"questionnaire": q, "answers": a}


def test_numbers_given_as_text_are_refused_by_validate_and_the_schema(as_text):
    from jsonschema import Draft202012Validator

    from dxassess.load import parse_bytes

    for kind, path in as_text.items():
        [problem] = [p for p in check_file(path) if p.severity == "error"]
        assert problem.code == "DX100" and "write it without quotes" in problem.message, problem.message
        data = parse_bytes(str(path), path.read_bytes()).data
        data = json.loads(json.dumps(data, default=str))  # dates as text, as JSON has them
        found = list(Draft202012Validator(json_schema(kind)).iter_errors(data))
        assert [e.validator for e in found] == ["type"], [e.message for e in found]
    errors = ajv(list(as_text.values()))
    assert all([e["keyword"] for e in found if e["keyword"] != "if"] == ["type"] for found in errors.values()), errors


# --- generated answer files and dates ------------------------------------------------------------


def interview_file(folder: Path) -> Path:
    """An answer file created by `dxassess run` in a terminal: one answer, then q."""
    pexpect = pytest.importorskip("pexpect")
    argv = ["-m", "dxassess", "run", "--questionnaire", str(MINI), "--lang", "en", "--answers", "run.yaml"]
    argv += ["--code", "011002", "--municipality", "札幌市", "--population", "1973395"]
    child = pexpect.spawn(sys.executable, argv, cwd=str(folder), encoding="utf-8", timeout=20, dimensions=(24, 80))
    for key in ("3", "q"):
        child.expect("Answer")
        child.sendline(key)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    return folder / "run.yaml"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[Path]:
    """One answer file of every generator: sample, import (CSV and XLSX), run, the YAML template
    filled in as its comments say."""
    folder = tmp_path_factory.mktemp("generated")
    for name in ("mini.yaml", "mini-catalogue.yaml"):
        shutil.copy(VALID / name, folder / name)
    assert run_cli("sample", "--count", "3", "--seed", "5", "-o", str(folder / "sample")).returncode == 0
    sheet = folder / "sheet.csv"
    sheet.write_text(
        "code,name,population,assessed,leadership.mayor_commitment\n011002,札幌市,1973395,2026-10-06,3\n",
        encoding="utf-8",
    )
    proc = run_cli("import", str(sheet), "-o", str(folder / "imported"), "-q", str(MINI))
    assert proc.returncode == 0, proc.stderr
    template = folder / "template.yaml"
    assert run_cli("template", "-f", "yaml", "-o", str(template), "-q", str(MINI)).returncode == 0
    filled = (
        template.read_text(encoding="utf-8")
        .replace('code: ""', 'code: "011002"')
        .replace('name: ""', 'name: "札幌市"')
        .replace("population:  ", "population: 1973395")
        .replace('assessed: ""', 'assessed: "2026-10-06"')
        .replace("  # leadership.mayor_commitment: {value: }", "  leadership.mayor_commitment: {value: 2}")
    )
    template.write_text(filled, encoding="utf-8")
    files = [*sorted((folder / "sample").glob("*.yaml")), *(folder / "imported").glob("*.yaml"), template]
    return [*files, interview_file(folder)]


def test_every_generator_writes_the_date_quoted(generated):
    for path in generated:
        assert re.search(r'^assessed: "\d{4}-\d{2}-\d{2}"', path.read_text(encoding="utf-8"), re.M), path
        assert [p for p in check_file(path, VALID) if p.severity == "error"] == [], path


def test_generated_answer_files_validate_in_a_yaml_1_1_parser_and_ajv(generated):
    errors = ajv(generated)
    assert {path: found for path, found in errors.items() if found} == {}


def test_the_answers_schema_accepts_a_date_either_way(tmp_path):
    text = (VALID / "mini-answers.yaml").read_text(encoding="utf-8")
    assert "assessed: 2026-11-27" in text  # unquoted, as people write it: a Date to js-yaml
    quoted = tmp_path / "quoted.yaml"
    quoted.write_text(text.replace("assessed: 2026-11-27", 'assessed: "2026-11-27"'), encoding="utf-8")
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(text.replace("assessed: 2026-11-27", 'assessed: "27.11.2026"'), encoding="utf-8")
    errors = ajv([VALID / "mini-answers.yaml", quoted, wrong])
    assert errors[str(VALID / "mini-answers.yaml")] == [] and errors[str(quoted)] == []
    assert errors[str(wrong)], "a date in another form is refused"


# --- the editor settings of docs/ci.md, in the YAML language server --------------------------------


def documented_settings() -> dict[str, Any]:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = re.search(r"```jsonc\n// \.vscode/settings\.json\n(.*?)```", text, re.S)
    assert block, "docs/ci.md has no .vscode/settings.json block"
    return json.loads(re.sub(r"^\s*//.*$", "", block.group(1), flags=re.M))


def workspace(folder: Path, answers: list[Path], fault: str = "") -> list[Path]:
    """A project laid out as docs/ci.md assumes: the schemas written by `dxassess schema` under
    .vscode/schemas, every shipped questionnaire and catalogue under questionnaires/ (archive
    included), answer files under answers/. With `fault`, each file gets that line appended."""
    schemas = folder / ".vscode" / "schemas"
    schemas.mkdir(parents=True)
    for kind in KINDS:
        (schemas / f"{kind}.json").write_text(json.dumps(json_schema(kind), ensure_ascii=False), encoding="utf-8")
    files = []
    for source in SHIPPED:
        target = folder / source.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        files.append(target)
    for source in answers:
        files.append(folder / "answers" / source.parent.name / source.name)
        files[-1].parent.mkdir(parents=True, exist_ok=True)
    for source, target in zip([*SHIPPED, *answers], files, strict=True):
        target.write_text(source.read_text(encoding="utf-8") + fault, encoding="utf-8")
    return files


def language_server(folder: Path, files: list[Path], **extra: Any) -> dict[str, list[dict[str, Any]]]:
    settings = {**documented_settings(), **extra}
    return node("yls-check.mjs", {"root": str(folder), "settings": settings, "files": [str(p) for p in files]})


TITLES = {"questionnaire": "Questionnaire", "catalogue": "Catalogue", "answers": "AnswerSheet"}


@pytest.mark.parametrize("version", ["1.2", "1.1"])
def test_documented_editor_settings_show_no_problem_in_any_shipped_or_generated_file(tmp_path, generated, version):
    answers = [VALID / "mini-answers.yaml", VALID / "flagship-answers.yaml", *generated]
    files = workspace(tmp_path, answers)
    found = language_server(tmp_path, files, **{"yaml.yamlVersion": version})
    assert set(found) == {str(p) for p in files}
    assert {path: problems for path, problems in found.items() if problems} == {}


def test_documented_editor_settings_give_each_file_the_schema_of_its_kind(tmp_path):
    """A key no schema allows, appended to every file: each file is flagged, once, by the schema
    of its own kind (so no file is left without a schema, and none gets two)."""
    files = workspace(tmp_path, [VALID / "mini-answers.yaml"], fault="zz_not_a_key: 1\n")
    found = language_server(tmp_path, files)
    for path in files:
        kind = kind_of(path)
        assert [(p["message"], p["source"]) for p in found[str(path)]] == [
            ("Property zz_not_a_key is not allowed.", f"yaml-schema: {TITLES[kind]}")
        ], (path, found[str(path)])


def test_the_language_server_flags_numbers_given_as_text(tmp_path, as_text):
    files = workspace(tmp_path, [as_text["answers"]])
    found = language_server(tmp_path, files)
    [problem] = found[str(files[-1])]
    assert problem["message"] == 'Incorrect type. Expected "integer".' and problem["line"] == 3
