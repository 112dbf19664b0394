"""`validate` and the loader: the broken-file corpus, shipped files, hostile inputs, exit codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxassess.cli import app
from dxassess.inputs import check_file

from .conftest import BROKEN, MINI, ROOT, VALID, assert_clean_error, run_cli

CORPUS = sorted(BROKEN.glob("*/*.yaml"))
CORPUS = [p for p in CORPUS if p.name != "mini-catalogue.yaml"]


def expectation(path: Path) -> tuple[str, int, str]:
    first = path.read_bytes().split(b"\n", 1)[0].decode("ascii")
    match = re.match(r"# expect: (DX\d{3}) (\d+) (error|warning)", first)
    assert match, f"{path} lacks an expect line"
    return match.group(1), int(match.group(2)), match.group(3)


def test_corpus_has_at_least_25_distinct_faults():
    assert len(CORPUS) >= 25
    assert len({expectation(p)[0] for p in CORPUS}) >= 25


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_broken_file_is_caught_at_its_line(path: Path):
    code, line, severity = expectation(path)
    problems = check_file(path, MINI)
    assert problems, f"{path.name}: nothing reported"
    first = problems[0] if len(problems) == 1 else min(problems, key=lambda p: p.code != code)
    assert first.code == code, [p.format_text() for p in problems]
    assert first.severity == severity
    if line:
        assert first.line == line, first.format_text()
    assert first.col >= 1


def test_valid_mini_files_are_clean():
    for path in VALID.glob("*.yaml"):
        assert check_file(path) == [], path


def test_shipped_questionnaires_and_catalogue_validate_clean():
    shipped = sorted((ROOT / "questionnaires").rglob("*.yaml"))
    assert any(p.name == "municipal-dx.yaml" for p in shipped)
    for path in shipped:
        problems = check_file(path)
        assert problems == [], [p.format_text() for p in problems]


def test_text_output_format_and_exit_code():
    result = CliRunner().invoke(app, ["validate", str(BROKEN / "questionnaire" / "q-unknown-key.yaml")])
    assert result.exit_code == 1
    line = result.stdout.strip().splitlines()[0]
    assert re.match(r"^.+q-unknown-key\.yaml:26:9: error: DX101 unknown key 'hlep': did you mean 'help'\?$", line)


def test_warnings_pass_unless_strict():
    path = str(BROKEN / "questionnaire" / "q-unreachable.yaml")
    assert CliRunner().invoke(app, ["validate", path]).exit_code == 0
    assert CliRunner().invoke(app, ["validate", "--strict", path]).exit_code == 1


def test_folder_is_searched_for_yaml(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    for name in ("mini.yaml", "mini-catalogue.yaml"):
        (tmp_path / "sub" / name).write_bytes((VALID / name).read_bytes())
    (tmp_path / "notes.txt").write_text("not yaml")
    result = CliRunner().invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 0, result.output


def test_missing_argument_is_usage_error():
    assert CliRunner().invoke(app, ["validate"]).exit_code == 2
    assert CliRunner().invoke(app, ["validate", "--format", "xml", str(MINI)]).exit_code == 2


def test_c_parser_is_installed():
    from ruamel.yaml import YAML

    assert YAML(typ="safe").Parser.__name__ == "CParser"


HOSTILE = {
    "empty.yaml": b"",
    "spaces.yaml": b"   \n\n",
    "binary.yaml": bytes(range(256)) * 4,
    "latin1.yaml": "name: caf\xe9\n".encode("latin-1"),
    "utf16.yaml": "id: x\n".encode("utf-16"),
    "deep.yaml": b"[" * 5000 + b"]" * 5000,
    "deep-map.yaml": b"".join(b"  " * i + b"a:\n" for i in range(300)),
    "bomb.yaml": b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    b"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n",
    "list.yaml": b"- domains\n- answers\n",
    "domains-list.yaml": b"domains: 3\n",
    "answers-list.yaml": b"answers: [1, 2]\nmunicipality: []\n",
    "tag.yaml": b"!!python/object:os.system {}\n",
    "unknown-tag.yaml": b"a: !custom 1\n",
    "null-key.yaml": b"? \n: 1\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_gives_one_clean_line(tmp_path: Path, name: str):
    path = tmp_path / name
    path.write_bytes(HOSTILE[name])
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [ln for ln in result.stdout.splitlines() if ln.strip()]
    assert lines and all(re.match(r"^.+:\d+:\d+: error: DX\d{3} \S", ln) for ln in lines), result.stdout
    if name not in ("domains-list.yaml", "answers-list.yaml"):  # schema errors list every missing key
        assert len(lines) == 1 and lines[0].startswith(str(path)), result.stdout


def test_list_where_mapping_belongs_is_one_line_for_other_commands(tmp_path: Path):
    path = tmp_path / "answers.yaml"
    path.write_bytes(HOSTILE["answers-list.yaml"])
    proc = run_cli("score", str(path))
    assert_clean_error(proc)
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert str(path) in proc.stderr


def test_huge_file_is_refused(tmp_path: Path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * (10 * 1024 * 1024 + 10) + b"\n")
    problems = check_file(path)
    assert [p.code for p in problems] == ["DX001"]
    assert "10 MB" in problems[0].message


def test_unreadable_and_missing_paths(tmp_path: Path):
    assert check_file(tmp_path / "nope.yaml")[0].code == "DX009"
    assert check_file(tmp_path)[0].code == "DX009"


def test_hostile_inputs_as_real_process(tmp_path: Path):
    for name in ("binary.yaml", "deep.yaml", "bomb.yaml"):
        (tmp_path / name).write_bytes(HOSTILE[name])
    proc = run_cli("validate", str(tmp_path))
    assert_clean_error(proc)
    assert len(proc.stdout.strip().splitlines()) == 3


def test_answer_file_of_other_questionnaire_needs_it(tmp_path: Path):
    path = tmp_path / "answers.yaml"
    path.write_bytes((VALID / "mini-answers.yaml").read_bytes())
    problems = check_file(path)
    assert [p.code for p in problems] == ["DX301"]
    assert check_file(path, MINI) == []


# -- typos: a recognisable file gets its unknown key reported where it is, with the fix ------


def _copy_mini(tmp_path: Path, old: str, new: str, name: str = "q.yaml") -> Path:
    (tmp_path / "mini-catalogue.yaml").write_bytes((VALID / "mini-catalogue.yaml").read_bytes())
    path = tmp_path / name
    text = MINI.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_a_misspelt_top_level_key_is_reported_at_its_line_with_the_fix(tmp_path: Path):
    path = _copy_mini(tmp_path, "\ndomains:", "\ndomians:")
    problems = check_file(path)
    typo = [p for p in problems if p.code == "DX101"]
    assert len(typo) == 1 and typo[0].line == _line_of(path, "domians:") and typo[0].col == 1
    assert "did you mean 'domains'?" in typo[0].message
    assert not any(p.code == "DX008" for p in problems)


@pytest.mark.parametrize(
    "old, new, wanted",
    [
        ("        scale: maturity", "        scael: maturity", "scale"),
        ("    weight: 2\n", "    wieght: 2\n", "weight"),
        ("        na_allowed: true", "        na_alowed: true", "na_allowed"),
        ("        unit: {ja: 年, en: years}", "        unti: {ja: 年, en: years}", "unit"),
    ],
)
def test_a_misspelt_key_at_any_level_names_the_key_of_that_level(tmp_path: Path, old: str, new: str, wanted: str):
    path = _copy_mini(tmp_path, old, new)
    typo = [p for p in check_file(path) if p.code == "DX101"]
    bad = new.split(":")[0].strip()
    assert len(typo) == 1 and typo[0].line == _line_of(path, bad + ":"), [p.format_text() for p in typo]
    assert f"did you mean '{wanted}'?" in typo[0].message


def test_a_misspelt_answer_id_suggests_the_question(tmp_path: Path):
    text = (VALID / "mini-answers.yaml").read_text(encoding="utf-8").replace("leadership.policy:", "leadership.polcy:")
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    found = [p for p in check_file(path, MINI) if p.code == "DX302"]
    assert found and "did you mean 'leadership.policy'?" in found[0].message


def test_a_file_of_no_kind_is_still_refused(tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_text("name: something\ncolour: blue\n", encoding="utf-8")
    assert [p.code for p in check_file(path)] == ["DX008"]


@pytest.mark.parametrize(
    "args, words",
    [
        (["score"], "Missing argument 'answers'"),
        (["report", "x.yaml", "--format", "pdf"], "'pdf' is not one of"),
        (["no-such-command"], "No such command"),
        (["batch", "in", "-o", "out", "--no-such-option"], "No such option"),
    ],
)
def test_a_wrong_command_line_is_one_line_with_exit_code_2(args, words):
    """The contract's one line for every error, command-line errors included (the parser's own
    output is a usage block of four lines)."""
    proc = run_cli(*args)
    assert proc.returncode == 2 and proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert ": error: DX000 " in line and words in line and "--help`" in line and "Traceback" not in line


def test_the_broken_corpus_is_what_its_generator_writes(tmp_path):
    """tests/cases/make_broken.py, run on its frozen base files, writes exactly the committed
    broken cases (so a case can be added by editing the generator, not by hand)."""
    import shutil
    import subprocess
    import sys

    cases = ROOT / "tests" / "cases"
    shutil.copy(cases / "make_broken.py", tmp_path / "make_broken.py")
    shutil.copytree(cases / "broken-base", tmp_path / "broken-base")
    subprocess.run([sys.executable, str(tmp_path / "make_broken.py")], check=True, capture_output=True)
    written = {p.relative_to(tmp_path / "broken"): p.read_bytes() for p in (tmp_path / "broken").rglob("*.yaml")}
    committed = {p.relative_to(BROKEN): p.read_bytes() for p in BROKEN.rglob("*.yaml")}
    assert written == committed


def test_a_step_missing_above_a_skipped_level_is_warned(tmp_path: Path):
    """DX218 follows the levels a question really has: a choice of levels 0, 1, 3 and 5 whose
    target is 4 can ask for level 5, so a missing step for 5 is reported (it once slipped through
    because 5 − 1 is not below 4, and reports said 「設問票に取組の記載なし」)."""
    source = (ROOT / "questionnaires" / "municipal-dx.yaml").read_text(encoding="utf-8")
    start = source.index("      - id: organisation.dx_unit\n")
    step5 = source.index("          5: {", start)
    copy = source[:step5] + source[source.index("\n", step5) + 1 :]
    (tmp_path / "dx-manual.yaml").write_bytes((ROOT / "questionnaires" / "dx-manual.yaml").read_bytes())
    path = tmp_path / "municipal-dx.yaml"
    path.write_text(copy, encoding="utf-8")
    problems = [p for p in check_file(path) if p.code == "DX218"]
    assert [(p.line, p.severity) for p in problems] == [(source[:start].count("\n") + 1, "warning")]
    assert "organisation.dx_unit" in problems[0].message and "add one for level 5" in problems[0].message


@pytest.mark.parametrize(
    ("when", "typo"),
    [
        ('infrastructure.wifi != "nonee"', "nonee"),
        ('infrastructure.wifi in ["meeting_rooms", "everywher"]', "everywher"),
        ('not infrastructure.wifi == "meeting_room"', "meeting_room"),
    ],
)
def test_a_misspelt_option_key_in_a_condition_is_warned_whatever_the_operator(tmp_path: Path, when: str, typo: str):
    """`== "adoptd"` was caught (always false); `!= "adoptd"` and a list holding one good key
    were not, since they can still hold, and the typo passed CI."""
    text = MINI.read_text(encoding="utf-8").replace('when: infrastructure.wifi != "none"', f"when: '{when}'")
    (tmp_path / "mini.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "mini-catalogue.yaml").write_bytes((VALID / "mini-catalogue.yaml").read_bytes())
    problems = [p for p in check_file(tmp_path / "mini.yaml") if p.code == "DX213"]
    assert len(problems) == 1 and repr(typo) in problems[0].message and problems[0].severity == "warning"
    assert [p for p in check_file(MINI) if p.code == "DX213"] == []


def test_a_catalogue_beside_with_errors_is_named_not_called_missing(tmp_path: Path):
    """The questionnaire said its catalogue was "not found; put its file beside", while the file
    was there with an error of its own."""
    (tmp_path / "mini.yaml").write_bytes(MINI.read_bytes())
    catalogue = (VALID / "mini-catalogue.yaml").read_text(encoding="utf-8")
    broken = catalogue.replace("id: S", "id: P", 1)
    assert broken != catalogue
    (tmp_path / "mini-catalogue.yaml").write_text(broken, encoding="utf-8")
    problems = [p for p in check_file(tmp_path / "mini.yaml") if p.code == "DX214"]
    assert len(problems) == 1 and "mini-catalogue.yaml" in problems[0].message and "has errors" in problems[0].message
    (tmp_path / "mini-catalogue.yaml").unlink()
    missing = [p for p in check_file(tmp_path / "mini.yaml") if p.code == "DX214"]
    assert len(missing) == 1 and "not found" in missing[0].message
