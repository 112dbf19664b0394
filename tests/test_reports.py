"""`score`, `report` (Markdown, JSON) and `compare`: golden files, determinism, clean errors.

Regenerate the golden files after an intended change with `make golden`
(DXASSESS_UPDATE_GOLDEN=1 pytest tests/test_reports.py) and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxassess.cli import app

from .conftest import BROKEN, HERE, MINI, VALID, assert_clean_error, run_cli

GOLDEN = HERE / "golden"
FLAGSHIP_ANSWERS = VALID / "flagship-answers.yaml"
PREVIOUS = VALID / "flagship-answers-previous.yaml"

CASES = {
    "flagship-ja.md": ["report", str(FLAGSHIP_ANSWERS), "--format", "md", "--lang", "ja"],
    "flagship-en.md": ["report", str(FLAGSHIP_ANSWERS), "--format", "md", "--lang", "en"],
    "flagship-ja.json": ["report", str(FLAGSHIP_ANSWERS), "--format", "json", "--lang", "ja"],
    "flagship-previous-ja.md": [
        "report",
        str(FLAGSHIP_ANSWERS),
        "--format",
        "md",
        "--lang",
        "ja",
        "--previous",
        str(PREVIOUS),
    ],
    "flagship-previous-ja.html": [
        "report",
        str(FLAGSHIP_ANSWERS),
        "--format",
        "html",
        "--lang",
        "ja",
        "--previous",
        str(PREVIOUS),
    ],
    "flagship-en.html": ["report", str(FLAGSHIP_ANSWERS), "--format", "html", "--lang", "en"],
    "mini-en.html": ["report", str(VALID / "mini-answers.yaml"), "--format", "html", "--lang", "en"],
    "mini-en.json": ["report", str(VALID / "mini-answers.yaml"), "--format", "json", "--lang", "en"],
    "flagship-compare-en.json": ["compare", str(PREVIOUS), str(FLAGSHIP_ANSWERS), "--json", "--lang", "en"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str):
    result = CliRunner().invoke(app, CASES[name])
    assert result.exit_code == 0, result.output
    path = GOLDEN / name
    if os.environ.get("DXASSESS_UPDATE_GOLDEN"):
        path.write_text(result.stdout, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}: run `make golden`"
    assert result.stdout == path.read_text(encoding="utf-8")


def test_output_is_byte_identical_across_processes(tmp_path: Path):
    outs = []
    for i in range(2):
        out = tmp_path / f"r{i}.md"
        proc = run_cli("report", str(FLAGSHIP_ANSWERS), "--format", "md", "--lang", "en", "-o", str(out))
        assert proc.returncode == 0, proc.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_score_json_has_the_contract_keys():
    result = CliRunner().invoke(app, ["score", str(FLAGSHIP_ANSWERS), "--json", "--lang", "en"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    for key in ("municipality", "questionnaire", "assessed", "overall", "completeness", "tier", "domains", "gaps"):
        assert key in data
    assert data["tier"] == "core_city"
    assert 0 <= data["overall"] <= 5 and 0 <= data["completeness"] <= 1
    for d in data["domains"].values():
        assert {"score", "target", "gap"} <= set(d)
    assert data["gaps"] and all(g["manual"] for g in data["gaps"])
    priorities = [g["priority"] for g in data["gaps"]]
    assert priorities == sorted(priorities, reverse=True)


def test_score_table_in_both_languages():
    en = CliRunner().invoke(app, ["score", str(FLAGSHIP_ANSWERS), "--lang", "en"])
    ja = CliRunner().invoke(app, ["score", str(FLAGSHIP_ANSWERS), "--lang", "ja"])
    assert en.exit_code == ja.exit_code == 0
    assert "Overall score" in en.stdout and "総合スコア" in ja.stdout
    assert "前橋市" in ja.stdout


def test_markdown_pastes_cleanly():
    text = (GOLDEN / "flagship-ja.md").read_text(encoding="utf-8")
    assert "\t" not in text and "\r" not in text
    for line in text.splitlines():
        if line.startswith("|"):
            assert line.rstrip().endswith("|"), line
    assert "## 採点方法" in text and "## 取組工程（年度別）" in text


@pytest.mark.parametrize(
    "name,code,line",
    [
        ("a-value-out-of-range.yaml", "DX303", 6),
        ("a-unknown-question.yaml", "DX302", 7),
        ("a-bad-check-digit.yaml", "DX305", 3),
        ("a-bad-date.yaml", "DX003", 4),
    ],
)
def test_invalid_answer_file_gives_one_line(name: str, code: str, line: int):
    path = BROKEN / "answers" / name
    for command in (["score", str(path)], ["report", str(path), "-f", "md"], ["compare", str(path), str(path)]):
        proc = run_cli(*command, "--questionnaire", str(MINI))
        assert_clean_error(proc)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
        assert lines[0].startswith(f"{path}:{line}:") and f"error: {code} " in lines[0]


def test_broken_yaml_answer_file(tmp_path: Path):
    path = tmp_path / "broken.yaml"
    path.write_text("questionnaire: {id: municipal-dx\nanswers: [\n", encoding="utf-8")
    proc = run_cli("score", str(path))
    assert_clean_error(proc)
    assert proc.stderr.startswith(f"{path}:") and "DX003" in proc.stderr


def test_compare_refuses_two_municipalities(tmp_path: Path):
    """The inputs do not go together (exit 1, as the contract has it for inputs with problems); the
    command line itself was right."""
    proc = run_cli("compare", str(VALID / "mini-answers.yaml"), str(FLAGSHIP_ANSWERS))
    assert_clean_error(proc, 1)
    assert "DX503" in proc.stderr and str(FLAGSHIP_ANSWERS) in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_report_to_file_and_unwritable_output(tmp_path: Path):
    out = tmp_path / "deep" / "folder" / "report.md"
    assert run_cli("report", str(FLAGSHIP_ANSWERS), "-f", "md", "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("# ")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = run_cli("report", str(FLAGSHIP_ANSWERS), "-f", "md", "-o", str(blocker / "r.md"))
    assert_clean_error(proc)
    assert str(blocker) in proc.stderr


def test_report_never_overwrites_its_input(tmp_path: Path):
    answers = tmp_path / "a.yaml"
    answers.write_bytes(FLAGSHIP_ANSWERS.read_bytes())
    proc = run_cli("report", str(answers), "-f", "md", "-o", str(answers))
    assert_clean_error(proc)
    assert answers.read_bytes() == FLAGSHIP_ANSWERS.read_bytes()


def test_report_previous_of_another_municipality_is_an_input_problem(tmp_path: Path):
    """The same two files as `compare` refuses: exit 1, DX503, one line naming both files."""
    proc = run_cli(
        "report", str(FLAGSHIP_ANSWERS), "--previous", str(VALID / "mini-answers.yaml"), "-o", str(tmp_path / "r.md")
    )
    assert_clean_error(proc, 1)
    line = proc.stderr.strip()
    assert "DX503" in line and str(FLAGSHIP_ANSWERS) in line and "mini-answers.yaml" in line
    assert len(line.splitlines()) == 1 and not (tmp_path / "r.md").exists()


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_previous_file_with_nothing_scored_says_why_nothing_compares(tmp_path: Path, fmt: str):
    """An earlier file whose every answer was skipped: the change section says that no question
    was scored in both, instead of an empty table (Markdown) or "no question changed" (HTML)."""
    import re

    previous = tmp_path / "previous.yaml"
    text, n = re.subn(r"\{value: [^}]*\}", "{skipped: true}", PREVIOUS.read_text(encoding="utf-8"))
    assert n > 50 and "value:" not in text
    previous.write_text(text, encoding="utf-8")
    out = tmp_path / f"r.{fmt}"
    proc = run_cli(
        "report", str(FLAGSHIP_ANSWERS), "--previous", str(previous), "-f", fmt, "-o", str(out), "--lang", "ja"
    )
    assert proc.returncode == 0, proc.stderr
    report = out.read_text(encoding="utf-8")
    change = report[report.index("前回からの変化") :]
    assert "前回と今回の両方で採点された設問がないため" in change
    assert "変化のあった設問はありません" not in change
    if fmt == "md":
        assert "| 設問 | 前回 | 現状 | 増減 |" not in change
    else:  # printed, the note stays on the page of the lines it explains (it was left alone on the next)
        block = change[change.index('<div class="keep">') : change.index("</div>")]
        assert "比較不可" in block and "前回と今回の両方で採点された設問がないため" in block


def test_score_and_report_say_what_validate_would_warn_about(tmp_path: Path):
    """A warning qualifies the scores printed beside it (a date in the future, a name that does
    not match its code): `score` and `report` print the checker's warnings on stderr, as `batch`
    lists them, and still score (exit 0). A clean file prints none."""
    answers = tmp_path / "answers.yaml"
    text = (VALID / "mini-answers.yaml").read_text(encoding="utf-8")
    future = text.replace("assessed: 2026-", "assessed: 2099-", 1)
    assert future != text
    answers.write_text(future, encoding="utf-8")
    for command in (["score"], ["score", "--json"], ["report", "-o", str(tmp_path / "r.html")]):
        proc = run_cli(*command, str(answers), "-q", str(MINI))
        assert proc.returncode == 0, proc.stderr
        warned = [line for line in proc.stderr.splitlines() if ": warning: " in line]
        assert len(warned) == 1 and warned[0].startswith(f"{answers}:") and "DX314" in warned[0], proc.stderr
    clean = run_cli("score", str(VALID / "mini-answers.yaml"), "-q", str(MINI))
    assert clean.returncode == 0 and ": warning: " not in clean.stderr, clean.stderr
