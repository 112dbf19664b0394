"""Problem messages and error lines in Japanese and English: the catalogue, the choice of the
language (DXASSESS_LANG, the locale, --lang), validate's four formats, and pydantic's messages.

The English output of the broken corpus is compared with files written by the version before
messages were translated (tests/cases/messages/broken-en.*): English must not change."""

from __future__ import annotations

import json
import os
import re
import string
from pathlib import Path

import pytest
from pydantic import ValidationError

from dxassess.errors import InvalidFile, OutputError
from dxassess.load import LoadFailure, parse_bytes
from dxassess.model import AnswerSheet, Catalogue, Questionnaire
from dxassess.problems import Problem
from dxassess.text import Msg, catalogue, msg, text
from dxassess.text.problems import PROBLEMS as MESSAGES
from dxassess.text.problems import PYDANTIC_JA, pydantic_message

from .conftest import BROKEN, MINI, MINI_ANSWERS, ROOT, assert_clean_error, run_cli

GOLDEN = ROOT / "tests" / "cases" / "messages"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
CORPUS_ARGS = ("validate", "tests/cases/broken", "--questionnaire", "tests/cases/valid/mini.yaml")


def english_sentence(text: str) -> str | None:
    """Three or more English words in a row, outside quoted values, `code` and file paths."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\S*[/\\]\S*", " ", text)
    found = re.search(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b", text)
    return found.group(0) if found else None


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# -- the catalogue ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_parameters(key: str):
    en, ja = MESSAGES[key]
    assert en.strip() and ja.strip()
    assert fields(en) == fields(ja), key
    if key not in ("schema.value",):  # a frame around other messages
        assert JAPANESE.search(ja), f"{key}: no Japanese in {ja!r}"
        assert english_sentence(ja) is None, f"{key}: English left in {ja!r}"


@pytest.mark.parametrize("key", sorted(catalogue()))
def test_every_text_of_the_catalogue_has_both_languages_with_the_same_fields(key: str):
    en, ja = catalogue()[key]
    assert en.strip() and ja.strip(), key
    assert fields(en) - {"reiwa", "era"} == fields(ja) - {"reiwa", "era"}, key  # era years are Japanese only
    values = dict.fromkeys(fields(en) | fields(ja), 1)
    assert text(key, "ja", **values) and text(key, "en", **values)


def test_parameters_that_are_messages_take_the_same_language():
    text = msg("output.cannot_write", reason=msg("output.disk_full"))
    assert text.en == "cannot write the file: the disk is full; free some space and run again"
    assert text.ja.startswith("ファイルを書き込めません: ディスクがいっぱいです。")


def test_example_from_the_style_guide():
    text = msg("load.duplicate_key", key="answers")
    assert text.en == "duplicate key 'answers': remove or rename one of them"
    assert text.ja == "キー 'answers' が重複しています。どちらかを削除するか、名前を変えてください。"


def test_problem_keeps_english_message_and_gives_either_language():
    p = Problem("a.yaml", 3, 5, "error", "DX006", msg("load.duplicate_key", key="x"))
    assert p.message == "duplicate key 'x': remove or rename one of them"
    assert p.format_text() == "a.yaml:3:5: error: DX006 duplicate key 'x': remove or rename one of them"
    assert (
        p.format_text("ja")
        == "a.yaml:3:5: error: DX006 キー 'x' が重複しています。どちらかを削除するか、名前を変えてください。"
    )
    assert p.as_dict() == {"path": "a.yaml", "line": 3, "col": 5, "severity": "error", "code": "DX006",
                           "message": p.message}  # fmt: skip
    plain = Problem("a.yaml", 1, 1, "error", "DX000", "only English")
    assert plain.text("ja") == "only English" and plain.as_dict("ja")["message_ja"] == "only English"
    assert p == Problem("a.yaml", 3, 5, "error", "DX006", p.message)  # equality as before


def test_errors_one_line_in_either_language():
    err = OutputError(msg("output.file_not_folder"), path="out")
    assert err.one_line() == "out: error: DX901 is a file, not a folder; give a folder path"
    assert err.one_line("ja") == "out: error: DX901 ファイルです。フォルダのパスを指定してください。"
    problems = [
        Problem("q.yaml", 2, 1, "error", "DX101", msg("schema.unknown_key", key="a", fix=msg("schema.remove_it"))),
        Problem("q.yaml", 4, 1, "error", "DX101", msg("schema.unknown_key", key="b", fix=msg("schema.remove_it"))),
    ]
    invalid = InvalidFile(problems)
    assert invalid.one_line().endswith(" (+1 more: run `dxassess validate q.yaml`)")
    line = invalid.one_line("ja")
    assert line.startswith("q.yaml:2:1: error: DX101 キー 'a' は使えません。削除してください。")
    assert line.endswith("（ほか 1 件。`dxassess validate q.yaml` で確認してください）")


# -- pydantic's messages ---------------------------------------------------------------------


def _answer_mistakes() -> dict[str, str]:
    base = MINI_ANSWERS.read_text(encoding="utf-8")
    assert "{value: 3," in base and "{value: false}" in base and "{value: meeting_rooms}" in base
    return {
        "value out of range": base.replace("{value: 3,", "{value: 9,"),
        "value of a wrong type": base.replace("{value: 3,", "{value: [1, 2],"),
        "a mapping as value": base.replace("{value: 3,", "{value: {a: 1},"),
        "unknown choice": base.replace("{value: meeting_rooms}", "{value: attic}"),
        "missing value": base.replace("{value: false}", "{note: 確認中}"),
        "unknown key": base.replace("{value: false}", "{value: false, vaule: 1}"),
        "na as text": base.replace("{value: false}", "{na: maybe}"),
        "review as text": base.replace("{value: false}", "{value: false, review: perhaps}"),
        "note as number": base.replace("{value: false}", "{value: false, note: 12}"),
        "answer not a mapping": base.replace("{value: false}", "3"),
        "answers a list": base.replace("answers:\n", "answers: [1]\nextra:\n"),
        "date as text": base.replace("assessed: 2026-11-27", "assessed: yesterday"),
        "date as number": base.replace("assessed: 2026-11-27", "assessed: 20261127"),
        "population as text": base.replace("population: 1973395", "population: many"),
        "population with decimals": base.replace("population: 1973395", "population: 1.5"),
        "population zero": base.replace("population: 1973395", "population: 0"),
        "empty name": base.replace("name: 札幌市", "name: ''"),
        "version unquoted": base.replace('version: "1.0.0"', "version: 1.0"),
        "bad version": base.replace('version: "1.0.0"', 'version: "one"'),
        "missing municipality": base.replace("municipality: {", "municipalityx: {"),
        "code unquoted": base.replace('code: "011002"', "code: 11002"),
    }


def _pydantic_errors() -> list[tuple[str, dict]]:
    """(source, error) for every pydantic error of the broken corpus and of answer-file mistakes."""
    models = {"questionnaire": Questionnaire, "answers": AnswerSheet, "catalogue": Catalogue}
    texts = {p.name: p.read_bytes() for p in sorted(BROKEN.glob("*/*.yaml"))}
    texts.update({name: text.encode("utf-8") for name, text in _answer_mistakes().items()})
    found = []
    for name, raw in texts.items():
        try:
            doc = parse_bytes(name, raw)
        except LoadFailure:
            continue
        if not isinstance(doc.data, dict):
            continue
        data = doc.data
        kind = "questionnaire" if "domains" in data else "catalogue" if "sections" in data else "answers"
        try:
            models[kind].model_validate(data)
        except ValidationError as exc:
            found += [(name, err) for err in exc.errors(include_url=False)]
    return found


def test_every_pydantic_error_of_the_corpus_and_of_answer_mistakes_has_japanese():
    errors = _pydantic_errors()
    kinds = {err["type"] for _, err in errors}
    # what the corpus and the mistakes above must produce, so the test covers them
    assert {
        "greater_than_equal",
        "less_than_equal",
        "string_type",
        "float_type",  # the models are strict: text is never converted to a number or true/false
        "string_pattern_mismatch",
        "value_error",
        "extra_forbidden",
        "missing",
        "bool_type",
        "model_type",
        "dict_type",
    } <= kinds, kinds
    for source, err in errors:
        if err["type"] in ("missing", "extra_forbidden", "union_tag_not_found", "union_tag_invalid"):
            continue  # worded by validate.py itself (DX101, DX102), checked below through the CLI
        text = pydantic_message(err)
        if err["type"] in ("dict_type", "model_type"):  # worded by dxassess: no class of its own named
            assert "instance of" not in text.en and "dictionary" not in text.en, (source, err)
        else:
            assert text.en == err["msg"].replace("Value error, ", ""), (source, err)
        assert text.ja != text.en and JAPANESE.search(text.ja), (source, err["type"], text)
        assert english_sentence(text.ja) is None, (source, err["type"], text.ja)


def test_pydantic_context_goes_into_japanese():
    err = {"type": "greater_than_equal", "msg": "Input should be greater than or equal to 1", "ctx": {"ge": 1}}
    assert pydantic_message(err) == Msg("Input should be greater than or equal to 1", "1 以上の値にしてください。")
    err = {
        "type": "literal_error",
        "msg": "Input should be 'higher' or 'lower'",
        "ctx": {"expected": "'higher' or 'lower'"},
    }
    assert pydantic_message(err).ja == "'higher'、'lower' のいずれかにしてください。"


def test_an_unmapped_pydantic_error_is_english_in_both_languages():
    err = {"type": "some_future_type", "msg": "Something new went wrong", "ctx": {"x": 1}}
    assert pydantic_message(err) == Msg("Something new went wrong", "Something new went wrong")
    err = {"type": "greater_than", "msg": "Input should be greater than 0", "ctx": {}}  # ctx lacks `gt`
    assert pydantic_message(err) == Msg("Input should be greater than 0", "Input should be greater than 0")
    assert set(PYDANTIC_JA) >= {"int_type", "float_type", "bool_type", "literal_error", "list_type"}


def test_answer_file_mistakes_through_validate_in_japanese(tmp_path: Path):
    for name, content in _answer_mistakes().items():
        (tmp_path / (name.replace(" ", "-") + ".yaml")).write_text(content, encoding="utf-8")
    for name in ("mini.yaml", "mini-catalogue.yaml"):
        (tmp_path / name).write_bytes((MINI.parent / name).read_bytes())
    proc = run_cli("validate", str(tmp_path), "--format", "json", env={"DXASSESS_LANG": "ja"})
    assert proc.returncode == 1, proc.stderr
    items = json.loads(proc.stdout)
    mistakes = [i for i in items if not i["path"].endswith(("mini.yaml", "mini-catalogue.yaml"))]
    assert len({i["path"] for i in mistakes}) == len(_answer_mistakes())
    for item in mistakes:
        assert item["message"] == item["message_ja"] != item["message_en"], item
        assert JAPANESE.search(item["message_ja"]) and english_sentence(item["message_ja"]) is None, item


# -- the broken corpus through the real CLI --------------------------------------------------


def _update_corpus_goldens() -> None:
    """DXASSESS_UPDATE_GOLDEN=1: rewrite the corpus outputs after an intended change (a new rule),
    then review the diff."""
    for fmt in ("text", "github", "sarif"):
        proc = run_cli(*CORPUS_ARGS, "--format", fmt, cwd=ROOT)
        (GOLDEN / f"broken-en.{fmt}").write_text(proc.stdout, encoding="utf-8")
    proc = run_cli(*CORPUS_ARGS, "--format", "json", cwd=ROOT)
    items = [
        {k: v for k, v in item.items() if k not in ("message_en", "message_ja")} for item in json.loads(proc.stdout)
    ]
    (GOLDEN / "broken-en.json").write_text(json.dumps(items, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def test_corpus_in_english_is_byte_identical_to_before():
    if os.environ.get("DXASSESS_UPDATE_GOLDEN"):
        _update_corpus_goldens()
    for fmt in ("text", "github"):
        proc = run_cli(*CORPUS_ARGS, "--format", fmt, cwd=ROOT)
        assert proc.returncode == 1, proc.stderr
        assert proc.stdout == (GOLDEN / f"broken-en.{fmt}").read_text(encoding="utf-8"), fmt
    proc = run_cli(*CORPUS_ARGS, "--format", "json", cwd=ROOT)
    before = json.loads((GOLDEN / "broken-en.json").read_text(encoding="utf-8"))
    now = json.loads(proc.stdout)
    assert [{k: v for k, v in item.items() if k not in ("message_en", "message_ja")} for item in now] == before
    assert all(item["message_en"] == item["message"] for item in now)
    proc = run_cli(*CORPUS_ARGS, "--format", "sarif", cwd=ROOT)
    before = json.loads((GOLDEN / "broken-en.sarif").read_text(encoding="utf-8"))
    assert json.loads(proc.stdout)["runs"][0]["results"] == before["runs"][0]["results"]


def test_every_corpus_file_in_japanese_same_positions_japanese_message():
    english = json.loads(run_cli(*CORPUS_ARGS, "--format", "json", cwd=ROOT, env={"DXASSESS_LANG": "en"}).stdout)
    proc = run_cli(*CORPUS_ARGS, "--format", "json", cwd=ROOT, env={"DXASSESS_LANG": "ja"})
    assert_clean_error(proc, 1)
    japanese = json.loads(proc.stdout)
    assert len(japanese) == len(english) >= 59
    corpus = {str(p.relative_to(ROOT)) for p in BROKEN.glob("*/*.yaml") if p.name != "mini-catalogue.yaml"}
    assert {item["path"] for item in japanese} == corpus
    for en, ja in zip(english, japanese):
        position = ("path", "line", "col", "severity", "code")
        assert [en[k] for k in position] == [ja[k] for k in position]
        assert ja["message"] == ja["message_ja"] and ja["message_en"] == en["message"]
        assert JAPANESE.search(ja["message"]), ja
        assert english_sentence(ja["message"]) is None, ja
        assert "。。" not in ja["message"] and "。）" not in ja["message"], ja  # a sentence ends once


def test_text_github_and_sarif_in_japanese():
    env = {"DXASSESS_LANG": "ja"}
    path = "tests/cases/broken/questionnaire/q-duplicate-key.yaml"
    proc = run_cli("validate", path, cwd=ROOT, env=env)
    assert proc.stdout == (
        f"{path}:26:9: error: DX006 キー 'text' が重複しています。どちらかを削除するか、名前を変えてください。\n"
    )
    assert proc.stderr == "1 件のファイルを検査しました: エラー 1 件、警告 0 件\n"
    proc = run_cli("validate", path, "--format", "github", cwd=ROOT, env=env)
    assert proc.stdout.startswith(f"::error file={path},line=26,col=9::DX006 キー 'text'")
    proc = run_cli("validate", path, "--format", "sarif", cwd=ROOT, env=env)
    result = json.loads(proc.stdout)["runs"][0]["results"][0]
    assert result["ruleId"] == "DX006" and result["message"]["text"].startswith("キー 'text' が重複")


def test_japanese_locale_without_dxassess_lang_gives_japanese():
    path = "tests/cases/broken/answers/a-unknown-key.yaml"
    env = {"DXASSESS_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANGUAGE": None, "LANG": "ja_JP.UTF-8"}
    proc = run_cli("validate", path, cwd=ROOT, env=env)
    assert proc.returncode == 1
    assert "DX101 キー 'nots' は使えません。'note' の誤りではありませんか。" in proc.stdout
    env["LANG"] = "C.UTF-8"
    proc = run_cli("validate", path, cwd=ROOT, env=env)
    assert "DX101 unknown key 'nots': did you mean 'note'?" in proc.stdout  # CI's locale: English
    env["DXASSESS_LANG"] = "en"
    env["LANG"] = "ja_JP.UTF-8"
    proc = run_cli("validate", path, cwd=ROOT, env=env)
    assert "DX101 unknown key 'nots'" in proc.stdout  # DXASSESS_LANG wins over the locale


def test_json_has_both_languages_whatever_the_language():
    path = "tests/cases/broken/questionnaire/q-weight-zero.yaml"
    for lang in ("en", "ja"):
        items = json.loads(run_cli("validate", path, "-f", "json", cwd=ROOT, env={"DXASSESS_LANG": lang}).stdout)
        items = [item for item in items if item["code"] == "DX209"]
        assert items[0]["message_en"] == "domain weight 0.0 must be greater than 0"
        assert items[0]["message_ja"] == "分野の weight 0.0 は 0 より大きくしてください。"
        assert items[0]["message"] == items[0][f"message_{lang}"]


# -- error lines of other commands -----------------------------------------------------------


def test_report_error_line_follows_lang_option(tmp_path: Path):
    proc = run_cli("report", "missing.yaml", "--lang", "ja", cwd=tmp_path)
    assert_clean_error(proc, 1)
    assert proc.stderr == "missing.yaml:1:1: error: DX009 ファイルが見つかりません。パスを確認してください。\n"
    proc = run_cli("report", "missing.yaml", "--lang", "en", cwd=tmp_path, env={"DXASSESS_LANG": "ja"})
    assert proc.stderr == "missing.yaml:1:1: error: DX009 file not found; check the path\n"
    proc = run_cli("report", "missing.yaml", cwd=tmp_path, env={"DXASSESS_LANG": "ja"})
    assert "ファイルが見つかりません" in proc.stderr  # no --lang: the locale's language


def test_invalid_answer_file_error_line_in_japanese(tmp_path: Path):
    path = BROKEN / "answers" / "a-value-out-of-range.yaml"
    proc = run_cli("score", str(path), "--questionnaire", str(MINI), "--lang", "ja")
    assert_clean_error(proc, 1)
    assert (
        ":6:40: error: DX303 leadership.mayor_commitment の回答は 0 から 5 のレベルです。7 は使えません。"
        in proc.stderr
    )


def test_output_error_in_japanese(tmp_path: Path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    args = ("report", str(MINI_ANSWERS), "--questionnaire", str(MINI), "-o", str(blocker / "report.html"))
    proc = run_cli(*args, "--lang", "ja")
    assert_clean_error(proc, 1)
    # the output is named, and so is the file standing where a folder is needed (issue 21)
    output = blocker / "report.html"
    assert proc.stderr.startswith(f"{output}: error: DX901 {blocker} はファイルであり、フォルダではありません。")
    assert JAPANESE.search(proc.stderr.split("DX901", 1)[1]) and english_sentence(proc.stderr) is None
    proc = run_cli(*args, "--lang", "en")
    assert proc.stderr.startswith(f"{output}: error: DX901 {blocker} is a file, not a folder; ")


def test_sheet_import_problems_in_japanese(tmp_path: Path):
    sheet = tmp_path / "s.csv"
    sheet.write_text(
        "code,name,prefecture,population,assessed,leadership.mayor_commitment,infrastructure.wifi\n"
        "11002,札幌市,北海道,0,2026-11-27,9,attic\n",
        encoding="utf-8",
    )
    args = ("import", str(sheet), "-o", str(tmp_path / "out"), "--questionnaire", str(MINI))
    proc = run_cli(*args, env={"DXASSESS_LANG": "ja"})
    assert_clean_error(proc, 1)
    lines = proc.stderr.splitlines()
    assert [line.split(": error: ")[1][:5] for line in lines[:-1]] == ["DX305", "DX100", "DX303", "DX303"]
    assert lines[0].startswith(f"{sheet}:2:1: error: DX305 A 列（code）: 団体コード '11002' は6桁にしてください")
    for line in lines:
        assert JAPANESE.search(line) and english_sentence(line) is None, line
    english = run_cli(*args, env={"DXASSESS_LANG": "en"}).stderr.splitlines()
    assert english[0] == (
        f"{sheet}:2:1: error: DX305 column A (code): code '11002' must be 6 digits (e.g. \"011002\") "
        "(codes have 6 digits: add the check digit, or the leading 0 the spreadsheet dropped)"
    )
    assert english[-1] == f"0 answer file(s) written to {tmp_path / 'out'}; 1 row(s) or sheet(s) with problems"


def test_usage_error_without_lang_option_uses_the_locale(tmp_path: Path):
    proc = run_cli("batch", "-o", "out", cwd=tmp_path, env={"DXASSESS_LANG": "ja"})
    assert_clean_error(proc, 2)
    assert "error: DX000 " in proc.stderr and "コマンドラインの誤りです" in proc.stderr


def test_a_batch_output_that_is_a_file_cannot_be_written_exit_1_in_the_locale(tmp_path: Path):
    """The contract: an output that cannot be written is exit 1 (as `sample` and `import` say it)."""
    (tmp_path / "out").write_text("x")
    proc = run_cli("batch", str(MINI_ANSWERS), "-o", "out", cwd=tmp_path, env={"DXASSESS_LANG": "ja"})
    assert_clean_error(proc, 1)
    assert proc.stderr == "out: error: DX901 ファイルです。フォルダのパスを指定してください。\n"
    assert (tmp_path / "out").read_text() == "x"  # left as it was


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("import", "fake.xlsx", "-o", "out"), "is named .xlsx but is not an Excel workbook"),
        (("import", "folder", "-o", "out"), "is a folder, not a file; give the path of a file"),
        (("score", "folder"), "is a folder, not a file; give the path of a file"),
        (("score", "notes.yaml"), "not a mapping of `key: value` lines; give a questionnaire, an answer file"),
        (("score", "broken.yaml"), "; check the brackets, quotes and indentation here"),
    ],
)
def test_errors_a_user_hits_first_name_the_fix(tmp_path: Path, args: tuple[str, ...], expected: str):
    """Found by a black-box audit against the contract: each of these named the problem but not
    what to do (and a damaged .xlsx was called a CSV)."""
    (tmp_path / "fake.xlsx").write_bytes(bytes(range(256)) * 2)
    (tmp_path / "folder").mkdir()
    (tmp_path / "notes.yaml").write_text("just some text\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("a: [1,\n", encoding="utf-8")
    proc = run_cli(*args, cwd=tmp_path, env={"DXASSESS_LANG": "en"})
    assert_clean_error(proc, 1)
    lines = [ln for ln in proc.stderr.splitlines() if " error: " in ln]
    assert len(lines) == 1 and expected in lines[0], proc.stderr
    assert "CSV" not in lines[0] or "CSV UTF-8" in lines[0]


@pytest.mark.parametrize(
    ("args", "ja", "en"),
    [
        (("score", "--bogus", "x.yaml"), "オプション --bogus はありません", "No such option: --bogus"),
        (("score", "--jsn", "x.yaml"), "（--json の誤りではありませんか）", "Possible options: --json"),
        (("batch", "-o", "out"), "引数 inputs を指定してください", "Missing argument 'inputs'"),
        (
            ("sample", "--count", "many", "-o", "x"),
            "の値が正しくありません（整数で指定してください）",
            "Invalid value for '--count'",
        ),
        (("batch", "a", "-o", "b", "--jobs", "0"), "（1 以上にしてください）", "greater than or equal to 1"),
        (
            ("report", "x.yaml", "--format", "pdf"),
            "（'pdf' は指定できません。'html'、'md'、'json' のいずれかにしてください）",
            "'pdf' is not one of 'html', 'md', 'json'",
        ),
        (("compare", "a", "b", "c"), "余分な引数があります（c）", "Got unexpected extra argument"),
    ],
)
def test_command_line_errors_read_in_japanese_too(tmp_path: Path, args: tuple[str, ...], ja: str, en: str):
    """A Japanese-only officer gets the parser's complaint in Japanese, still one line, exit 2."""
    for lang, expected, absent in (("ja", ja, en), ("en", en, ja)):
        proc = run_cli(*args, cwd=tmp_path, env={"DXASSESS_LANG": lang})
        assert_clean_error(proc, 2)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and " error: DX000 " in lines[0] and expected in lines[0], proc.stderr
        assert absent not in lines[0], proc.stderr


def test_a_blank_template_says_what_to_fill_in(tmp_path: Path):
    """`template --format yaml` leaves the municipality blank; validating it before filling it in
    says, for each blank field, that it is blank and to fill it in."""
    blank = tmp_path / "blank.yaml"
    assert run_cli("template", "--format", "yaml", "-o", str(blank)).returncode == 0
    for lang, mark in (("en", "it is blank: fill it in"), ("ja", "空欄です。記入してください。")):
        proc = run_cli("validate", str(blank), env={"DXASSESS_LANG": lang})
        assert_clean_error(proc, 1)
        lines = [ln for ln in proc.stdout.splitlines() if "DX100" in ln and "municipality." in ln]
        assert lines and all(ln.endswith(mark) for ln in lines), proc.stdout
        assert "。。" not in proc.stdout


def test_the_text_keys_are_the_models_bilingual_texts():
    """pydantic_message names `{ja: ..., en: ...}` where a key of a text in each language holds
    plain text: its list of such keys is the models' own."""
    import typing

    from dxassess.model import catalogue as catalogue_models
    from dxassess.model import questionnaire as questionnaire_models
    from dxassess.text.problems import TEXT_KEYS

    found = set()
    for module in (questionnaire_models, catalogue_models):
        for value in vars(module).values():
            if isinstance(value, type) and hasattr(value, "model_fields"):
                for name, info in value.model_fields.items():
                    kinds = [info.annotation, *typing.get_args(info.annotation)]
                    if any(kind == dict[str, str] for kind in kinds):
                        found.add(name)
    assert found == TEXT_KEYS


def test_a_mapping_written_as_text_or_a_list_says_which_mapping(tmp_path: Path):
    """It said "Input should be a valid dictionary or instance of Targets" (a class inside
    dxassess) and "Input should be a valid dictionary" for a title written as plain text."""
    text = MINI.read_text(encoding="utf-8")
    broken = text.replace("title: {ja: ミニ診断, en: Mini check}", "title: ミニ診断", 1).replace(
        "targets: {designated_city: 4, core_city: 4, city: 3, special_ward: 4, town_village: 3}", "targets: [4, 3]", 1
    )
    path = tmp_path / "mini.yaml"
    path.write_text(broken, encoding="utf-8")
    proc = run_cli("validate", str(path), env={"DXASSESS_LANG": "en"})
    assert_clean_error(proc, 1)
    assert "title: a text in each language is needed here, as {ja: ..., en: ...}" in proc.stdout, proc.stdout
    assert "targets: targets are a mapping by size tier" in proc.stdout and "Targets" not in proc.stdout
    ja = run_cli("validate", str(path), env={"DXASSESS_LANG": "ja"}).stdout
    assert "言語ごとの文を {ja: ..., en: ...} の形で" in ja and "目標は規模区分ごとに" in ja


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("run", ("作成または再開する回答ファイル", "団体コード（6桁）", "人口", "表示言語", "部署分担")),
        ("report", ("回答ファイル", "報告書の形式", "出力先のファイル", "比較する前回の回答ファイル")),
        ("validate", ("検査するファイルまたはフォルダ", "警告も失敗として扱います")),
        ("batch", ("回答シート", "出力先のフォルダ", "前回の一括採点の出力フォルダ")),
        ("template", ("書き出すファイル",)),
        ("sample", ("作成する団体数", "回答ファイルの出力先フォルダ", "乱数の種", "編集済みのファイルも上書き")),
        ("schema", ("ファイルの種類",)),
        (
            "municipalities",
            (
                "団体コード、または名称・読みの一部",
                "この都道府県のみ",
                "政令市の区も表示",
                "全国地方公共団体コード一覧",
            ),
        ),
    ],
)
def test_the_officers_commands_explain_their_options_in_japanese_too(command: str, words: tuple[str, ...]):
    """`--help` was English only beyond its first line, for officers who read Japanese only."""
    proc = run_cli(command, "--help", env={"COLUMNS": "120"})
    assert proc.returncode == 0
    for word in words:
        assert word in proc.stdout, word
