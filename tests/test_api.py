"""The Python API (`dxassess.api`) and the questionnaire resolver: results, not printing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dxassess.api import assess, batch, check, report
from dxassess.errors import InvalidFile, UsageError
from dxassess.resolver import DEFAULT_ID, Resolver

from .conftest import BROKEN, MINI, MINI_ANSWERS, ROOT, VALID


def test_assess_returns_the_scores_the_cli_prints(capsys: pytest.CaptureFixture[str]):
    result = assess(MINI_ANSWERS, MINI)
    assert result.overall is not None and 0 <= result.overall <= 5
    assert 0 < result.completeness <= 1
    assert set(result.domains) == {"leadership", "infrastructure"}
    assert result.gaps and result.gaps[0].priority >= result.gaps[-1].priority
    assert capsys.readouterr() == ("", "")


def test_check_returns_the_problems_validate_prints():
    problems = check([BROKEN / "questionnaire" / "q-weight-zero.yaml"], MINI)
    assert "DX209" in {p.code for p in problems}
    assert check(VALID / "mini.yaml") == []


def test_report_of_a_result_in_every_format():
    result = assess(MINI_ANSWERS, MINI)
    assert report(result, "html", "ja").startswith("<!DOCTYPE html>")
    assert "# DX推進状況" in report(result, "md", "ja")
    assert json.loads(report(result, "json", "en"))["overall"] == round(result.overall, 2)
    assert report(MINI_ANSWERS, "md", "en", questionnaire=MINI) == report(result, "md", "en")


def test_previous_adds_the_comparison():
    result = assess(MINI_ANSWERS, MINI, previous=MINI_ANSWERS)
    assert result.comparison is not None and result.comparison.overall.status == "unchanged"


def test_batch_returns_the_outcome_and_writes_the_folder(tmp_path: Path):
    outcome = batch([MINI_ANSWERS], tmp_path / "out", jobs=1, lang="en", questionnaire=MINI)
    assert len(outcome.rows) == 1 and outcome.rejected == []
    assert (tmp_path / "out" / "summary.json").exists()


def test_invalid_input_raises_a_typed_error():
    with pytest.raises(InvalidFile) as info:
        assess(BROKEN / "answers" / "a-bad-check-digit.yaml", MINI)
    assert info.value.exit_code == 1 and "DX305" in info.value.one_line()


# -- the resolver -------------------------------------------------------------------------


def test_resolver_chooses_by_id_version_file_or_folder(tmp_path: Path):
    resolver = Resolver()
    assert resolver.select(None).questionnaire.id == DEFAULT_ID
    newest = resolver.select(DEFAULT_ID).questionnaire.version
    versions = {s.questionnaire.version for s in resolver.builtins() if s.questionnaire.id == DEFAULT_ID}
    assert newest == max(versions, key=lambda v: tuple(int(x) for x in v.split(".")))
    for version in versions:
        assert resolver.select(f"{DEFAULT_ID}@{version}").questionnaire.version == version
    assert resolver.select(MINI).questionnaire.id == "mini"
    folder = tmp_path / "one"
    folder.mkdir()
    for name in ("mini.yaml", "mini-catalogue.yaml"):
        (folder / name).write_bytes((VALID / name).read_bytes())
    assert resolver.select(folder).questionnaire.id == "mini"


def test_resolver_refuses_what_it_cannot_choose(tmp_path: Path):
    resolver = Resolver()
    with pytest.raises(UsageError):
        resolver.select("no-such-questionnaire")
    with pytest.raises(UsageError):
        resolver.select(f"{DEFAULT_ID}@9.9.9")
    two = tmp_path / "two"
    two.mkdir()
    (two / "a.yaml").write_bytes(MINI.read_bytes())
    (two / "b.yaml").write_bytes(MINI.read_bytes().replace(b'version: "1.0.0"', b'version: "1.0.1"'))
    (two / "mini-catalogue.yaml").write_bytes((VALID / "mini-catalogue.yaml").read_bytes())
    with pytest.raises(UsageError):  # a folder never silently falls back to the flagship
        resolver.select(two)
    with pytest.raises(UsageError):
        resolver.select(tmp_path / "empty-folder-that-does-not-exist")


def test_resolver_reloads_a_file_that_changed(tmp_path: Path):
    resolver = Resolver()
    for name in ("mini.yaml", "mini-catalogue.yaml"):
        (tmp_path / name).write_bytes((VALID / name).read_bytes())
    path = tmp_path / "mini.yaml"
    assert resolver.select(path).questionnaire.title["en"] == "Mini check"
    path.write_text(path.read_text(encoding="utf-8").replace("Mini check", "Mini check two") + "\n", encoding="utf-8")
    assert resolver.select(path).questionnaire.title["en"] == "Mini check two"


def test_every_command_that_prints_takes_lang():
    from typer.testing import CliRunner

    from dxassess.cli import app

    for command in (
        "validate",
        "schema",
        "questionnaires",
        "score",
        "report",
        "compare",
        "sample",
        "run",
        "template",
        "import",
        "batch",
    ):
        result = CliRunner().invoke(app, [command, "--help"])
        assert "--lang" in result.output, command


def test_the_default_questionnaire_id_is_written_once():
    sources = [p for p in (ROOT / "dxassess").rglob("*.py") if '"municipal-dx"' in p.read_text(encoding="utf-8")]
    assert [p.name for p in sources] == ["resolver.py"]


def test_the_questionnaire_beside_the_answers_wins_over_a_copy_in_a_subfolder(tmp_path):
    """An answer file's questionnaire is looked for beside it first: a same-id, same-version copy
    in a subfolder that sorts earlier (archive/) is found only when there is none beside it."""
    from dxassess.library import find_questionnaire

    text = (VALID / "mini.yaml").read_text(encoding="utf-8")
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "mini.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "mini.yaml").write_text(text, encoding="utf-8")
    assert find_questionnaire("mini", "1.0.0", tmp_path) == tmp_path / "mini.yaml"
    (tmp_path / "mini.yaml").unlink()
    assert find_questionnaire("mini", "1.0.0", tmp_path) == tmp_path / "archive" / "mini.yaml"


def test_batch_from_two_folders_with_a_relative_output_writes_each_its_own(tmp_path, monkeypatch):
    """A script that changes folder between two batches, each with `-o out`, gets each folder's
    reports in that folder (the resolved reports folder is not carried over from the first)."""
    import shutil

    for name in ("first", "second"):
        folder = tmp_path / name
        folder.mkdir()
        for file in ("mini.yaml", "mini-catalogue.yaml", "mini-answers.yaml"):
            shutil.copy(VALID / file, folder / file)
        monkeypatch.chdir(folder)
        outcome = batch(["mini-answers.yaml"], "out", jobs=1, questionnaire="mini.yaml")
        assert len(outcome.rows) == 1 and not outcome.rejected
        assert [p.name for p in (folder / "out" / "reports").iterdir()] == ["011002.html"]


def test_one_process_finds_each_folders_own_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A long-lived process (the API) looks at files as they are: the same relative name in another
    working folder is another file, and a file rewritten as something else is looked at again."""
    from dxassess import library

    for name, catalogue in (("with", VALID / "mini-catalogue.yaml"), ("without", MINI)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "mini.yaml").write_bytes(MINI.read_bytes())
        (folder / "beside.yaml").write_bytes(catalogue.read_bytes())  # the catalogue, or not one
    monkeypatch.chdir(tmp_path / "without")
    assert "DX214" in {p.code for p in check(Path("mini.yaml"))}
    monkeypatch.chdir(tmp_path / "with")
    assert check(Path("mini.yaml")) == []
    beside = Path("beside.yaml")
    assert "sections" in library.header(beside)
    beside.write_bytes(MINI.read_bytes())
    assert "sections" not in library.header(beside) and "domains" in library.header(beside)


def test_resolver_sees_an_edited_catalogue_beside_an_unchanged_questionnaire(tmp_path: Path):
    """A long-lived process (the API) that loaded a questionnaire looks at its catalogue again:
    an edit to the catalogue alone is seen, and so is a catalogue removed (then none is found)."""
    import os

    resolver = Resolver()
    for name in ("mini.yaml", "mini-catalogue.yaml"):
        (tmp_path / name).write_bytes((VALID / name).read_bytes())
    path, catalogue = tmp_path / "mini.yaml", tmp_path / "mini-catalogue.yaml"
    first = resolver.select(path).catalogue
    assert first is not None and first.sections[0].title["en"] == "Mayor's commitment"
    stat = os.stat(path)
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace("Mayor's commitment", "The mayor's commitment"), encoding="utf-8"
    )
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the questionnaire as it was
    again = resolver.select(path).catalogue
    assert again is not None and again.sections[0].title["en"] == "The mayor's commitment"
    catalogue.unlink()
    problems = resolver.check_questionnaire_file(path)[1]
    assert resolver.check_questionnaire_file(path)[0].catalogue is None  # type: ignore[union-attr]
    assert "DX214" in {p.code for p in problems}
