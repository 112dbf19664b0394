"""Docs that cannot drift: the format page against the JSON Schemas, the codes page against the
code table, the README's commands against the CLI.

Regenerate docs/validation-codes.md with DXASSESS_UPDATE_DOCS=1 pytest tests/test_docs.py.
"""

from __future__ import annotations

import os
import re

import pytest

from dxassess.problems import CODES, CODES_JA
from dxassess.schema import json_schema

from .conftest import ROOT, run_cli

DOCS = ROOT / "docs"


def _properties(node) -> set[str]:
    names: set[str] = set()
    if isinstance(node, dict):
        names.update(node.get("properties", {}))
        for value in node.values():
            names |= _properties(value)
    elif isinstance(node, list):
        for item in node:
            names |= _properties(item)
    return names


@pytest.mark.parametrize("kind", ["questionnaire", "answers", "catalogue"])
def test_format_page_lists_every_schema_field(kind: str):
    text = (DOCS / "questionnaire-format.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_]+)`(?:, `([a-z0-9_]+)`)? \|", text, re.M))
    names = {n for pair in documented for n in pair if n}
    fields = _properties(json_schema(kind)) - {"ja", "en"}
    assert fields - names == set(), f"fields missing from docs/questionnaire-format.md: {fields - names}"


def codes_page() -> str:
    lines = [
        "# Problem codes / 検査コード一覧",
        "",
        "Stable codes reported by `dxassess validate` (text, GitHub annotations, JSON and SARIF rule ids)",
        "and in the one-line errors of every command. Generated from `dxassess/problems.py` by",
        "`DXASSESS_UPDATE_DOCS=1 pytest tests/test_docs.py`; a test keeps this page equal to the code.",
        "",
        "Messages are printed in Japanese or English: `DXASSESS_LANG=ja|en`, else the locale",
        "(`LC_ALL`, `LC_MESSAGES`, `LANG`, `LANGUAGE`; Windows' display language); commands with",
        "`--lang` use it. `--format json` always carries both, as `message_en` and `message_ja`.",
        "メッセージは日本語か英語で表示します（`DXASSESS_LANG=ja|en`、なければロケール、`--lang` のあるコマンドはその指定）。",
        "",
        "| code | rule | what it protects against | 概要 | fix |",
        "|---|---|---|---|---|",
    ]
    for code in sorted(CODES):
        name, short, fix = CODES[code]
        lines.append(f'| <a id="{code.lower()}"></a>{code} | `{name}` | {short} | {CODES_JA[code]} | {fix} |')
    return "\n".join(lines) + "\n"


def test_every_code_has_a_japanese_description():
    assert set(CODES_JA) == set(CODES)
    assert all(re.search(r"[\u3040-\u30ff\u3400-\u9fff]", text) for text in CODES_JA.values())


def test_codes_page_matches_the_code_table():
    path = DOCS / "validation-codes.md"
    if os.environ.get("DXASSESS_UPDATE_DOCS"):
        path.write_text(codes_page(), encoding="utf-8")
    assert path.read_text(encoding="utf-8") == codes_page()


def test_every_code_used_in_the_source_is_documented():
    used = set()
    for path in (ROOT / "dxassess").rglob("*.py"):
        used |= set(re.findall(r'"(DX\d{3})"', path.read_text(encoding="utf-8")))
    assert used - set(CODES) == set()


def test_readme_quick_start_and_commands(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    assert "pip install --no-index --find-links" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
    help_text = run_cli("--help").stdout
    for command in (
        "validate",
        "schema",
        "questionnaires",
        "run",
        "score",
        "report",
        "batch",
        "template",
        "import",
        "compare",
        "sample",
        "municipalities",
        "merge",
    ):
        assert f"dxassess {command}" in readme, command
        assert command in help_text


def test_readme_examples_run(tmp_path):
    """The worked example of the README, as a user would type it."""
    assert run_cli("sample", "--count", "3", "--seed", "7", "-o", "answers", cwd=tmp_path).returncode == 0
    first = sorted((tmp_path / "answers").glob("*.yaml"))[0].name
    steps = [
        ["validate", "answers"],
        ["score", f"answers/{first}"],
        ["report", f"answers/{first}", "--format", "html", "-o", "report.html"],
        ["report", f"answers/{first}", "--format", "md", "--lang", "en", "-o", "report.md"],
        ["batch", "answers", "-o", "out"],
        ["template", "--format", "xlsx", "-o", "sheet.xlsx"],
    ]
    for step in steps:
        proc = run_cli(*step, cwd=tmp_path)
        assert proc.returncode == 0, (step, proc.stderr)
    assert (tmp_path / "report.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert (tmp_path / "out" / "index.html").exists()
