"""Spreadsheets: templates out, filled sheets in, one answer file per good row, every bad cell named."""

from __future__ import annotations

import csv
import datetime as dt
import io
import types
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from dxassess.cli import app
from dxassess.inputs import check_file, load_assessment, load_questionnaire
from dxassess.model import AnswerSheet
from dxassess.sheets import read_sheet, safe_cell
from dxassess.sheets.read import column_letter

from .conftest import MINI, MINI_ANSWERS, VALID, assert_clean_error, run_cli

Q = str(MINI)
IDS = [
    "code",
    "name",
    "prefecture",
    "population",
    "assessed",
    "leadership.mayor_commitment",
    "leadership.policy",
    "infrastructure.pc_age",
    "infrastructure.wifi",
    "infrastructure.wifi_secured",
]
# The reference answers (tests/cases/valid/mini-answers.yaml, notes aside) as a sheet row.
REFERENCE_TEXT = [
    "011002",
    "札幌市",
    "北海道",
    "1973395",
    "2026-11-27",
    "3",
    "いいえ",
    "6.5",
    "meeting_rooms",
    "スキップ",
]
REFERENCE_TYPED = ["011002", "札幌市", "北海道", 1973395, dt.date(2026, 11, 27), 3, False, 6.5, "meeting_rooms", "skip"]
OTHER = ["131016", "千代田区", "", "67000", "2026/11/27", "5", "yes", "3", "everywhere", "TRUE"]
runner = CliRunner()


@pytest.fixture(scope="module")
def mini() -> Any:
    return load_questionnaire(MINI)[0]


SHARING_IDS = ["sharing_named", "sharing_contact"]


def template(tmp_path: Path, fmt: str, lang: str = "ja") -> Path:
    out = tmp_path / f"template.{fmt}"
    result = runner.invoke(app, ["template", "--format", fmt, "-o", str(out), "-q", Q, "--lang", lang])
    assert result.exit_code == 0, result.stderr
    return out


def fill_csv(tmp_path: Path, rows: list[list[Any]], encoding: str = "utf-8-sig", name: str = "filled.csv") -> Path:
    """The CSV template with rows appended, saved as a spreadsheet would in `encoding`."""
    text = template(tmp_path, "csv").read_bytes().decode("utf-8-sig")
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path = tmp_path / name
    path.write_bytes((text + out.getvalue()).encode(encoding))
    return path


def fill_xlsx(tmp_path: Path, rows: list[list[Any]], name: str = "filled.xlsx") -> Path:
    book = openpyxl.load_workbook(template(tmp_path, "xlsx"))
    sheet = book.worksheets[0]
    for r, values in enumerate(rows, start=3):
        for c, value in enumerate(values, start=1):
            if value not in ("", None):
                sheet.cell(r, c, value)
    path = tmp_path / name
    book.save(path)
    return path


def import_(tmp_path: Path, *sheets: Path) -> tuple[int, str, Path]:
    out = tmp_path / "answers"
    result = runner.invoke(app, ["import", *map(str, sheets), "-o", str(out), "-q", Q])
    return result.exit_code, result.stderr, out


def answers_of(path: Path) -> tuple[dict, str, dict]:
    sheet = load_assessment(path, MINI).sheet
    answers = {qid: (a.value, a.na, a.skipped) for qid, a in sheet.answers.items()}
    return sheet.municipality.model_dump(), sheet.assessed.isoformat(), answers


# --- templates ------------------------------------------------------------------------------


def test_csv_template_has_ids_then_japanese_labels_with_bom(tmp_path):
    raw = template(tmp_path, "csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == IDS + SHARING_IDS  # the optional sharing columns come last
    assert rows[1][0].startswith("団体コード") and rows[1][5].startswith("首長はDXに自ら関与")
    assert len(rows) == 2


def test_xlsx_template_layout(tmp_path):
    book = openpyxl.load_workbook(template(tmp_path, "xlsx"))
    ws = book.worksheets[0]
    assert [c.value for c in ws[1]] == IDS + SHARING_IDS
    assert str(ws["F2"].value).startswith("首長はDXに自ら関与")
    assert ws.freeze_panes == "C3"
    assert "庁議の議事録" in ws["F2"].comment.text  # help text as a comment
    lists = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    assert lists["F3"].type == "list" and lists["F3"].formula1 == '"0,1,2,3,4,5,スキップ"'
    assert lists["G3"].formula1 == '"はい,いいえ,スキップ"'
    assert lists["I3"].formula1 == '"なし,会議室のみ,全フロア,スキップ,該当なし"'  # Japanese labels in ja
    assert lists["F3"].promptTitle == "首長はDXに自ら関与していますか。"  # the question, not its id
    pc_age = lists["H3"]
    assert (pc_age.type, pc_age.formula1, pc_age.formula2) == ("decimal", "0", "20")
    assert ws.column_dimensions["A"].number_format == "@"  # codes keep their leading zero
    assert ws.column_dimensions["F"].fill.fgColor.rgb.endswith("FFF4CC")  # the input area


def test_yaml_template_filled_in_an_editor_validates(tmp_path):
    text = template(tmp_path, "yaml", "en").read_text(encoding="utf-8")
    assert "# leadership.mayor_commitment: {value: }" in text
    assert "Is the mayor personally involved in DX?" in text and "help: Minutes of senior meetings" in text
    filled = (
        text.replace('code: ""', 'code: "011002"')
        .replace('name: ""', 'name: "札幌市"')
        .replace("population:  ", "population: 1973395")
        .replace('assessed: ""', 'assessed: "2026-11-27"')
        .replace("  # leadership.mayor_commitment: {value: }", "  leadership.mayor_commitment: {value: 4}")
        .replace("  # infrastructure.wifi: {value: }", "  infrastructure.wifi: {na: true}")
    )
    path = tmp_path / "filled.yaml"
    path.write_text(filled, encoding="utf-8")
    assert check_file(path, MINI) == []


def test_template_refuses_a_name_that_contradicts_the_format(tmp_path):
    result = runner.invoke(app, ["template", "-f", "xlsx", "-o", str(tmp_path / "t.csv"), "-q", Q])
    assert result.exit_code == 2 and "--format csv" in result.stderr


def test_template_format_follows_the_file_name(tmp_path):
    for name, start in (("t.csv", b"\xef\xbb\xbfcode,"), ("t.xlsx", b"PK"), ("t.yaml", b"#")):
        result = runner.invoke(app, ["template", "-o", str(tmp_path / name), "-q", Q])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).read_bytes().startswith(start)


def test_template_refuses_a_file_name_it_cannot_write(tmp_path):
    """`-o t.pdf` used to get XLSX bytes under a name no program opens them by; no suffix at all
    still means xlsx, and --format overrides the name."""
    result = runner.invoke(app, ["template", "-o", str(tmp_path / "t.pdf"), "-q", Q])
    assert result.exit_code == 2 and ".pdf" in result.stderr and "--format" in result.stderr
    assert not (tmp_path / "t.pdf").exists()
    assert runner.invoke(app, ["template", "-o", str(tmp_path / "blank"), "-q", Q]).exit_code == 0
    assert (tmp_path / "blank").read_bytes().startswith(b"PK")
    assert runner.invoke(app, ["template", "-f", "csv", "-o", str(tmp_path / "t.txt"), "-q", Q]).exit_code == 0
    assert (tmp_path / "t.txt").read_bytes().startswith(b"\xef\xbb\xbfcode,")


def test_template_unknown_questionnaire_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["template", "-f", "csv", "-o", str(tmp_path / "t.csv"), "-q", "no-such-id"])
    assert result.exit_code == 2 and "no-such-id" in result.stderr


FUKUI = [  # the 17 municipalities of 福井県 in the shipped register, in code order
    ("182010", "福井市"),
    ("182028", "敦賀市"),
    ("182044", "小浜市"),
    ("182052", "大野市"),
    ("182061", "勝山市"),
    ("182079", "鯖江市"),
    ("182087", "あわら市"),
    ("182095", "越前市"),
    ("182109", "坂井市"),
    ("183229", "永平寺町"),
    ("183822", "池田町"),
    ("184047", "南越前町"),
    ("184233", "越前町"),
    ("184420", "美浜町"),
    ("184811", "高浜町"),
    ("184837", "おおい町"),
    ("185019", "若狭町"),
]


def test_a_template_for_one_prefecture_has_exactly_its_municipalities(tmp_path):
    csv_path, xlsx_path = tmp_path / "fukui.csv", tmp_path / "fukui.xlsx"
    for path in (csv_path, xlsx_path):
        proc = run_cli("template", "--prefecture", "福井県", "-o", str(path), "-q", Q, "--lang", "ja")
        assert proc.returncode == 0, proc.stderr
        assert "福井県の市区町村 17 団体を記入済み" in proc.stderr
    rows = list(csv.reader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == IDS + SHARING_IDS and rows[1][0].startswith("団体コード")
    assert [(r[0], r[1], r[2]) for r in rows[2:]] == [(c, n, "福井県") for c, n in FUKUI]
    assert all(r[3:] == [""] * (len(IDS + SHARING_IDS) - 3) for r in rows[2:])
    ws = openpyxl.load_workbook(xlsx_path).worksheets[0]
    cells = [tuple(c.value for c in row[:3]) for row in ws.iter_rows(min_row=3)]
    assert cells == [(c, n, "福井県") for c, n in FUKUI]
    assert ws.print_area == f"'{ws.title}'!$A$1:$L$19"  # rows 1-2 and the 17 rows; columns to sharing_contact
    assert (
        run_cli(
            "template", "--prefecture", "ふくい", "-f", "csv", "-o", str(tmp_path / "b.csv"), "-q", Q, "--lang", "ja"
        ).returncode
        == 0
    )
    assert (tmp_path / "b.csv").read_bytes() == csv_path.read_bytes()


def test_a_prefilled_template_refuses_yaml_and_an_unknown_prefecture(tmp_path):
    for args in (["-o", str(tmp_path / "t.yaml")], ["-f", "csv", "-o", str(tmp_path / "t.csv")]):
        proc = run_cli("template", "--prefecture", "福井" if "t.yaml" in args[-1] else "福井道", *args, "-q", Q)
        assert_clean_error(proc, 2)
        assert proc.stderr.count("\n") == 1
    assert "--format csv or xlsx" in run_cli("template", "--prefecture", "18", "-o", str(tmp_path / "t.yaml")).stderr
    assert not list(tmp_path.iterdir())


def test_the_returned_prefilled_sheet_imports_the_rows_filled_in(tmp_path):
    """Each municipality returns the whole pre-filled sheet with its own row filled in: the rows
    nobody filled are skipped, not reported as errors."""
    sheet = tmp_path / "fukui.xlsx"
    assert run_cli("template", "--prefecture", "福井県", "-o", str(sheet), "-q", Q).returncode == 0
    book = openpyxl.load_workbook(sheet)
    ws = book.worksheets[0]
    assert ws["B4"].value == "敦賀市"
    for col, value in zip("DEFGHIJ", [64000, "2026-11-27", 3, "はい", 6, "everywhere", "はい"]):
        ws[f"{col}4"] = value
    book.save(sheet)
    code, err, out = import_(tmp_path, sheet)
    assert code == 0, err
    assert [p.name for p in out.iterdir()] == ["182028.yaml"]
    assert "16" in err.splitlines()[-1]


def test_safe_cell():
    for text in ("=1+2", "+81", "-3", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("札幌市") == "札幌市" and safe_cell("0=1") == "0=1"


def test_template_cells_from_a_questionnaire_never_start_a_formula(tmp_path):
    for name in ("mini.yaml", "mini-catalogue.yaml"):
        text = (VALID / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("{ja: 首長はDXに", "{ja: =HYPERLINK(1) 首長はDXに"), encoding="utf-8")
    q = str(tmp_path / "mini.yaml")
    assert runner.invoke(app, ["template", "-f", "csv", "-o", str(tmp_path / "t.csv"), "-q", q]).exit_code == 0
    assert runner.invoke(app, ["template", "-f", "xlsx", "-o", str(tmp_path / "t.xlsx"), "-q", q]).exit_code == 0
    row2 = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8-sig"))))[1]
    assert row2[5].startswith("'=HYPERLINK")
    guide = openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[1]
    cells = [c for row in guide.iter_rows() for c in row if str(c.value or "").startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_round_trip_in_every_encoding(tmp_path, encoding):
    sheet = fill_csv(tmp_path, [REFERENCE_TEXT, OTHER], encoding)
    code, err, out = import_(tmp_path, sheet)
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["011002.yaml", "131016.yaml"]
    assert answers_of(out / "011002.yaml") == reference()
    other = answers_of(out / "131016.yaml")
    assert other[0]["prefecture"] == "東京都" and other[1] == "2026-11-27"
    assert other[2]["infrastructure.wifi_secured"] == (True, False, False)


def test_xlsx_round_trip(tmp_path):
    code, err, out = import_(tmp_path, fill_xlsx(tmp_path, [REFERENCE_TYPED, OTHER]))
    assert code == 0, err
    assert answers_of(out / "011002.yaml") == reference()
    assert all(check_file(p, MINI) == [] for p in out.iterdir())  # `dxassess validate` accepts them


def reference() -> tuple[dict, str, dict]:
    municipality, assessed, answers = answers_of(MINI_ANSWERS)
    return municipality, assessed, answers


def test_label_row_is_optional(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text(",".join(IDS) + "\n" + ",".join(REFERENCE_TEXT) + "\n", encoding="utf-8")
    code, err, out = import_(tmp_path, path)
    assert code == 0, err
    assert answers_of(out / "011002.yaml") == reference()


def test_full_width_digits_and_stray_spaces_are_normalised(tmp_path):
    row = [
        "０１１００２ ",
        " 札幌市",
        "",
        "１，９７３，３９５",
        "２０２６／１１／２７",
        " ３ ",
        "ＮＯ",
        "６．５",
        "Meeting_Rooms",
        "スキップ",
    ]
    code, err, out = import_(tmp_path, fill_csv(tmp_path, [row]))
    assert code == 0, err
    assert answers_of(out / "011002.yaml") == reference()


@pytest.mark.parametrize("cell", ["true", "YES", "はい", "1", "True", " yes "])
def test_yes_cells(mini, tmp_path, cell):
    rows = list(read_sheet(fill_csv(tmp_path, [REFERENCE_TEXT[:6] + [cell]]), mini))
    assert rows[0].data["answers"]["leadership.policy"] == {"value": True}


@pytest.mark.parametrize(
    "cell, answer",
    [
        ("na", {"na": True}),
        ("N/A", {"na": True}),
        ("該当なし", {"na": True}),
        ("skip", {"skipped": True}),
        ("スキップ", {"skipped": True}),
        ("", None),
    ],
)
def test_na_skip_and_empty_cells(mini, tmp_path, cell, answer):
    rows = list(read_sheet(fill_csv(tmp_path, [REFERENCE_TEXT[:8] + [cell]]), mini))
    assert rows[0].data["answers"].get("infrastructure.wifi") == answer


def test_read_sheet_streams_rows_ready_for_the_model(mini, tmp_path):
    rows = read_sheet(fill_xlsx(tmp_path, [REFERENCE_TYPED, OTHER]), mini)
    assert isinstance(rows, types.GeneratorType)
    first = next(rows)
    assert first.source.endswith("filled.xlsx:3") and first.problems == []
    assert AnswerSheet.model_validate(first.data).municipality.code == "011002"


# --- faults ---------------------------------------------------------------------------------

FAULTS = [  # column id, cell, problem code
    ("leadership.mayor_commitment", "7", "DX303"),
    ("leadership.mayor_commitment", "2.5", "DX303"),
    ("infrastructure.wifi", "wireless", "DX303"),
    ("infrastructure.pc_age", "25", "DX303"),
    ("infrastructure.pc_age", "six", "DX303"),
    ("leadership.policy", "maybe", "DX303"),
    ("code", "011003", "DX305"),
    ("code", "", "DX305"),
    ("code", "019909", "DX311"),  # a right check digit, but no municipality's code
    ("code", "011011", "DX311"),  # a ward of 札幌市, not a municipality
    ("population", "0", "DX100"),
    ("population", "12.5", "DX100"),
    ("assessed", "2026-02-30", "DX100"),
    ("assessed", "yesterday", "DX100"),
    ("name", "", "DX102"),
    ("prefecture", "大阪府", "DX306"),
    ("leadership.mayor_commitment", "N/A", "DX304"),
    ("leadership.mayor_commitment", "=1+2", "DX100"),
]


@pytest.mark.parametrize("column, cell, problem", FAULTS, ids=[f"{c}={v!r}" for c, v, _ in FAULTS])
def test_fault_is_reported_at_its_row_and_column(mini, tmp_path, column, cell, problem):
    bad = list(REFERENCE_TEXT)
    index = IDS.index(column)
    bad[index] = cell
    sheet = fill_xlsx(tmp_path, [OTHER, bad])  # the bad row is spreadsheet row 4
    rows = list(read_sheet(sheet, mini))
    assert rows[0].problems == [] and rows[1].data is None
    [found] = rows[1].problems
    assert (found.path, found.line, found.col, found.code) == (str(sheet), 4, index + 1, problem)
    assert f"column {column_letter(index + 1)}" in found.message and "(" in found.message
    code, err, out = import_(tmp_path, sheet)
    assert code == 1
    assert f"{sheet}:4:{index + 1}: error: {problem} column {column_letter(index + 1)} (" in err
    assert [p.name for p in out.iterdir()] == ["131016.yaml"]  # the good row is still written


def test_a_name_that_does_not_match_its_code_is_reported_at_its_row(mini, tmp_path):
    """A consultant's sheet that pairs 011002 with 札幌町: a warning at the row and the name's
    column; the row is still imported (validate warns the same way), the exit code stays 0."""
    wrong = ["011002", "札幌町"] + REFERENCE_TEXT[2:]
    sheet = fill_csv(tmp_path, [OTHER, wrong, ["012025", "北海道函館市"] + REFERENCE_TEXT[2:]])
    rows = list(read_sheet(sheet, mini))
    assert [r.problems for r in rows] == [[], [], []]
    assert [len(r.warnings) for r in rows] == [0, 1, 0]  # 北海道函館市 names 012025: no warning
    [found] = rows[1].warnings
    assert (found.line, found.col, found.code, found.severity) == (4, 2, "DX310", "warning")
    assert "札幌町" in found.message and "札幌市" in found.message
    proc = run_cli("import", str(sheet), "-o", str(tmp_path / "out"), "-q", Q, "--lang", "ja")
    assert proc.returncode == 0, proc.stderr
    assert (
        f"{sheet}:4:2: warning: DX310 B 列（name）: '札幌町' が団体コード 011002（札幌市）と一致しません。"
        in proc.stderr
    )
    assert "北海道札幌市のものです" in proc.stderr and "警告のある行が 1 件" in proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["011002.yaml", "012025.yaml", "131016.yaml"]
    warned = run_cli("validate", str(tmp_path / "out" / "011002.yaml"), "-q", Q)
    assert warned.returncode == 0 and ": warning: DX310 " in warned.stdout


def test_formula_cell_is_never_evaluated(mini, tmp_path):
    row = list(REFERENCE_TYPED)
    row[3] = "=1000*2"
    [found] = next(iter(read_sheet(fill_xlsx(tmp_path, [row]), mini))).problems
    assert found.col == 4 and "formula" in found.message


def test_duplicate_codes_name_both_rows_even_across_sheets(tmp_path):
    first = fill_csv(tmp_path, [REFERENCE_TEXT, OTHER], name="a.csv")
    second = fill_xlsx(tmp_path, [REFERENCE_TYPED])
    code, err, out = import_(tmp_path, first, second)
    assert code == 1
    assert f"{second}:3:1: error: DX201 column A (code): 011002 is also on {first}:3" in err
    assert sorted(p.name for p in out.iterdir()) == ["011002.yaml", "131016.yaml"]


def test_unknown_column_is_reported_and_rows_still_imported(tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text(",".join(IDS + ["leadership.mayor_comitment"]) + "\n" + ",".join(REFERENCE_TEXT + ["3"]) + "\n")
    code, err, out = import_(tmp_path, path)
    assert code == 1 and f"{path}:1:11: error: DX302" in err and "did you mean leadership.mayor_commitment" in err
    assert (out / "011002.yaml").exists()


def test_missing_required_column_stops_that_sheet(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("code,name\n011002,札幌市\n", encoding="utf-8")
    code, err, out = import_(tmp_path, path)
    assert code == 1 and "DX102" in err and "population, assessed" in err
    assert list(out.iterdir()) == []


def test_undecodable_csv_is_one_clean_error(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(",".join(IDS).encode() + b"\n\x81\xff\xfe,\x80\x80\n")
    code, err, _ = import_(tmp_path, path)
    assert code == 1 and "DX002" in err and "CSV UTF-8" in err and "Traceback" not in err


def test_old_xls_and_missing_files_are_clean_errors(tmp_path):
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    code, err, _ = import_(tmp_path, xls, tmp_path / "missing.csv")
    assert code == 1 and ".xlsx or CSV UTF-8" in err and "file not found" in err


def test_import_as_a_real_process(tmp_path):
    sheet = fill_csv(tmp_path, [REFERENCE_TEXT, ["011002"] + REFERENCE_TEXT[1:]], "cp932")
    proc = run_cli("import", str(sheet), "-o", str(tmp_path / "out"), "-q", Q)
    assert_clean_error(proc, 1)
    assert f"{sheet}:4:1: error: DX201" in proc.stderr
    assert (tmp_path / "out" / "011002.yaml").exists()
    ok = run_cli("validate", str(tmp_path / "out"), "-q", Q)
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_libreoffice_boolean_cells_and_excel_unicode_text(mini, tmp_path):
    """LibreOffice saves a boolean cell as `=TRUE()`; Excel's "Unicode text" is UTF-16 with tabs."""
    path = tmp_path / "unicode.txt"
    lines = ["\t".join(IDS[:7]), "\t".join(REFERENCE_TEXT[:6] + ["=TRUE()"])]
    path.write_bytes("\r\n".join(lines).encode("utf-16"))
    [row] = list(read_sheet(path, mini))
    assert row.problems == [] and row.data["answers"]["leadership.policy"] == {"value": True}
    assert row.data["municipality"]["name"] == "札幌市"


def test_cell_escaped_by_safe_cell_reads_back(mini, tmp_path):
    name = safe_cell("=津市")
    rows = list(read_sheet(fill_csv(tmp_path, [[REFERENCE_TEXT[0], name, *REFERENCE_TEXT[2:5]]]), mini))
    assert rows[0].data["municipality"]["name"] == "=津市"


def test_a_long_option_list_moves_to_a_hidden_sheet(mini, tmp_path):
    options = "".join(
        f"          - {{key: option_with_a_long_key_{i}, label: {{ja: 選択{i}, en: Option {i}}}, level: 1}}\n"
        for i in range(12)
    )
    for name in ("mini.yaml", "mini-catalogue.yaml"):
        text = (VALID / name).read_text(encoding="utf-8")
        text = text.replace("          - {key: everywhere", options + "          - {key: everywhere")
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = tmp_path / "t.xlsx"
    assert runner.invoke(app, ["template", "-o", str(out), "-q", str(tmp_path / "mini.yaml")]).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[1] in ("記入方法", "how-to") and book["lists"].sheet_state == "hidden"
    wifi = next(dv for dv in book.worksheets[0].data_validations.dataValidation if str(dv.sqref).startswith("I3"))
    assert wifi.formula1.startswith("lists!$I$1:$I$")
    assert book["lists"]["I1"].value == "none"


# --- percentages ------------------------------------------------------------------------------
# The flagship has 0–100 percentage columns (unit %), a narrower one (IT staff 0–20%) and ratios
# that are not percentages (staff per PC).

FLAGSHIP_PERCENT = ("skills.trained_share", "skills.itpass_share", "infrastructure.pc_past_cycle")


@pytest.fixture(scope="module")
def flagship() -> Any:
    from dxassess.resolver import RESOLVER

    return RESOLVER.select("municipal-dx").questionnaire


def flagship_csv(folder: Path, cells: dict[str, str], name: str = "percent.csv", encoding: str = "utf-8-sig") -> Path:
    """The flagship's CSV template with one municipality row holding `cells`."""
    out = folder / "flagship-template.csv"
    result = runner.invoke(app, ["template", "-f", "csv", "-o", str(out), "--lang", "ja"])
    assert result.exit_code == 0, result.output
    head, labels = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))[:2]
    row = [""] * len(head)
    for key, value in {"code": "011002", "name": "札幌市", "population": "1973395", "assessed": "2026-10-06"}.items():
        row[head.index(key)] = value
    for key, value in cells.items():
        row[head.index(key)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([head, labels, row])
    path = folder / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def values_of(rows: list[Any], keys: tuple[str, ...]) -> dict[str, Any]:
    [row] = rows
    assert row.errors == [], [p.message for p in row.errors]
    return {k: row.data["answers"][k]["value"] for k in keys}


@pytest.mark.parametrize("cell", ["45%", "45.00%", "４５％", " 45 % ", "45"])
def test_percent_text_reads_as_the_percentage(flagship, tmp_path, cell):
    path = flagship_csv(tmp_path, {"skills.trained_share": cell})
    assert values_of(list(read_sheet(path, flagship)), ("skills.trained_share",)) == {"skills.trained_share": 45}


def test_percent_cell_of_a_workbook_reads_as_the_percentage(flagship, tmp_path):
    """A spreadsheet stores 45% as 0.45 with a `%` number format; a literal `%` after the number
    (format `0"%"`) shows the value itself."""
    book = openpyxl.load_workbook(fill_xlsx_flagship(tmp_path))
    ws = book.worksheets[0]
    head = [c.value for c in ws[1]]
    for key, value, fmt in (
        ("skills.trained_share", 0.45, "0%"),
        ("skills.itpass_share", 0.145, "0.00%"),
        ("infrastructure.pc_past_cycle", 45, '0"%"'),
    ):
        cell = ws.cell(3, head.index(key) + 1, value)
        cell.number_format = fmt
    book.save(tmp_path / "typed.xlsx")
    rows = list(read_sheet(tmp_path / "typed.xlsx", flagship))
    assert values_of(rows, FLAGSHIP_PERCENT) == dict(zip(FLAGSHIP_PERCENT, (45, 14.5, 45)))
    assert rows[0].problems == []


def fill_xlsx_flagship(tmp_path: Path) -> Path:
    out = tmp_path / "flagship.xlsx"
    assert runner.invoke(app, ["template", "-o", str(out), "--lang", "ja"]).exit_code == 0
    book = openpyxl.load_workbook(out)
    ws = book.worksheets[0]
    head = [c.value for c in ws[1]]
    for key, value in {
        "code": "011002",
        "name": "札幌市",
        "population": 1973395,
        "assessed": dt.date(2026, 10, 6),
    }.items():
        ws.cell(3, head.index(key) + 1, value)
    book.save(out)
    return out


def test_a_fraction_in_a_percentage_column_imports_with_a_warning(tmp_path):
    path = flagship_csv(tmp_path, {"skills.trained_share": "0.45", "organisation.it_staff_share": "0.45"})
    result = runner.invoke(app, ["import", str(path), "-o", str(tmp_path / "out"), "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 1, result.stderr  # IT staff (0–20%) is often below 1%: no warning there
    assert "DX313" in warnings[0] and "(skills.trained_share)" in warnings[0]
    assert "0.45 was read as 0.45%, not 45%" in warnings[0] and "enter 45 or 45%" in warnings[0]
    assert "skills.trained_share: {value: 0.45}" in (tmp_path / "out" / "011002.yaml").read_text(encoding="utf-8")


def test_a_percentage_in_a_column_that_is_not_one_is_an_error(flagship, tmp_path):
    path = flagship_csv(tmp_path, {"infrastructure.staff_per_pc": "45%"})
    [row] = list(read_sheet(path, flagship))
    [problem] = row.problems
    assert problem.code == "DX303" and "45% is a percentage" in problem.message
    assert "単位「人／台」の数値（0.1 から 20 まで）を入力してください" in problem.text("ja")


def test_batch_scores_a_row_with_a_fraction_and_prints_the_warning(tmp_path):
    path = flagship_csv(tmp_path, {"skills.trained_share": "0.45"})
    proc = run_cli("batch", str(path), "-o", str(tmp_path / "out"), "--lang", "en", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    assert "warning: DX313" in proc.stderr and "1 scored, 0 rejected" in proc.stderr


# --- files saved by LibreOffice Calc ----------------------------------------------------------


@pytest.fixture(scope="module")
def calc_files(tmp_path_factory) -> dict[str, Path]:
    """A sheet an officer typed `45%` into, saved by LibreOffice Calc as XLSX (a percent cell:
    0.45 with a % format), then that workbook saved as a Shift_JIS CSV and a UTF-8 CSV (the text
    Calc shows: `45.00%`)."""
    from .clients import convert

    folder = tmp_path_factory.mktemp("calc")
    typed = flagship_csv(
        folder,
        {"skills.trained_share": "45%", "skills.itpass_share": "12.5%", "bpr.seals": "0.45"},
        name="typed.csv",
        encoding="utf-8",
    )
    # column A as text, as in the template (typed into a General column, Calc drops the leading 0)
    workbook = convert(typed, "xlsx", folder / "xlsx", infilter="CSV:44,34,76,1,1/2")
    files = {"xlsx": workbook}
    for name, encoding in (("sjis", 64), ("utf8", 76)):
        files[name] = convert(workbook, f"csv:Text - txt - csv (StarCalc):44,34,{encoding}", folder / name)
    return files


def test_calc_really_wrote_percent_cells_and_text(calc_files):
    ws = openpyxl.load_workbook(calc_files["xlsx"]).worksheets[0]
    head = [c.value for c in ws[1]]
    cell = ws.cell(3, head.index("skills.trained_share") + 1)
    assert cell.value == pytest.approx(0.45) and "%" in cell.number_format
    assert "45" in calc_files["sjis"].read_bytes().decode("cp932") and "%" in calc_files["utf8"].read_text()


@pytest.mark.parametrize("kind", ["xlsx", "sjis", "utf8"])
def test_files_saved_by_calc_import_the_percentages(flagship, calc_files, kind):
    rows = list(read_sheet(calc_files[kind], flagship))
    keys = ("skills.trained_share", "skills.itpass_share", "bpr.seals")
    assert values_of(rows, keys) == {"skills.trained_share": 45, "skills.itpass_share": 12.5, "bpr.seals": 0.45}
    assert not rows[0].problems
    assert [p.code for p in rows[0].warnings] == ["DX313"]  # the fraction typed as 0.45
    assert rows[0].data["municipality"]["code"] == "011002"
    assert rows[0].data["assessed"] == dt.date(2026, 10, 6)  # a date cell, or Calc's date text


# --- drop-downs of a Japanese workbook --------------------------------------------------------


def test_english_workbook_offers_option_keys_and_english_titles(tmp_path):
    ws = openpyxl.load_workbook(template(tmp_path, "xlsx", "en")).worksheets[0]
    lists = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    assert lists["I3"].formula1 == '"none,meeting_rooms,everywhere,skip,na"'
    assert lists["G3"].formula1 == '"yes,no,skip"'
    assert lists["F3"].promptTitle == "Is the mayor personally…"  # cut between words at Excel's 32
    assert lists["F3"].prompt.startswith("Is the mayor personally involved in DX?\nlevel 0–5")


def test_japanese_labels_chosen_in_the_drop_down_import_as_keys(mini, tmp_path):
    """What an officer picks in a Japanese workbook (labels, はい/いいえ, スキップ) reads back; an
    option key typed instead still does."""
    row = ["011002", "札幌市", "", 1973395, dt.date(2026, 11, 27), 3, "いいえ", 6.5, "会議室のみ", "スキップ"]
    other = ["131016", "千代田区", "", 67000, dt.date(2026, 11, 27), 5, "はい", 3, "everywhere", ""]
    [first, second] = list(read_sheet(fill_xlsx(tmp_path, [row, other]), mini))
    assert first.errors == [] and second.errors == []
    assert first.data["answers"]["infrastructure.wifi"] == {"value": "meeting_rooms"}
    assert first.data["answers"]["leadership.policy"] == {"value": False}
    assert first.data["answers"]["infrastructure.wifi_secured"] == {"skipped": True}
    assert second.data["answers"]["infrastructure.wifi"] == {"value": "everywhere"}


def test_every_drop_down_of_the_flagship_fits_excel_and_reads_back(flagship, tmp_path):
    """Excel refuses an inline list over 255 characters (long labels go to the hidden `lists`
    sheet), input titles over 32 and messages over 255; every label offered imports as its key."""
    from dxassess.sheets.read import parse_answer

    out = tmp_path / "flagship-ja.xlsx"
    assert runner.invoke(app, ["template", "-o", str(out), "--lang", "ja"]).exit_code == 0
    book = openpyxl.load_workbook(out)
    ws = book.worksheets[0]
    head = [c.value for c in ws[1]]
    checked = 0
    for dv in ws.data_validations.dataValidation:
        assert len(dv.promptTitle or "") <= 32 and len(dv.prompt or "") <= 255 and len(dv.error or "") <= 255
        if dv.type != "list":
            continue
        if dv.formula1.startswith('"'):
            assert len(dv.formula1) <= 255
            offered = dv.formula1.strip('"').split(",")
        else:
            letter = dv.formula1.split("!")[1].split("$")[1]
            offered = [c.value for c in book["lists"][letter] if c.value is not None]
        column = str(dv.sqref).split(":")[0].rstrip("0123456789")
        column_id = head[openpyxl.utils.column_index_from_string(column) - 1]
        if column_id == "sharing_named":  # the optional consent column: はい / いいえ
            from dxassess.sheets.read import parse_sharing

            assert [parse_sharing(column_id, label) for label in offered] == [{"named": True}, {"named": False}]
            continue
        question = flagship.question_map()[column_id]
        assert question.text["ja"].startswith(dv.promptTitle.rstrip("…"))
        for label in offered:
            assert parse_answer(question, label) is not None, (question.id, label)
        if question.type == "choice":
            keys = {o.key for o in question.options}
            assert {parse_answer(question, label)["value"] for label in offered[: len(keys)]} == keys
            assert offered[0] == question.options[0].label["ja"]
            checked += 1
    assert checked >= 30


# --- the template in LibreOffice Calc: rows not clipped, A4 print ------------------------------


def calc_row_heights(workbook: Path, folder: Path) -> dict[str, list[list[int]]]:
    """Per sheet, per row: [height in the file, height Calc needs for the text], 1/100 mm."""
    import shutil
    import subprocess

    from .clients import soffice

    soffice()
    python = shutil.which("python3", path="/usr/bin:/usr/local/bin")
    probe = subprocess.run([python or "python3", "-c", "import uno"], capture_output=True)
    if python is None or probe.returncode != 0:
        pytest.skip("LibreOffice's Python bridge is missing (apt-get install python3-uno; CI's .ci/run installs it)")
    script = Path(__file__).parent / "calc" / "row_heights.py"
    proc = subprocess.run(
        [python, str(script), str(workbook), str(folder / "uno-profile")], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    import json

    return json.loads(proc.stdout)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_template_rows_are_not_clipped_in_calc(tmp_path, lang):
    out = tmp_path / f"template-{lang}.xlsx"
    assert runner.invoke(app, ["template", "-o", str(out), "--lang", lang]).exit_code == 0
    sheets = calc_row_heights(out, tmp_path)
    assert len(sheets) == 2
    for name, rows in sheets.items():
        clipped = [(i + 1, given, needed) for i, (given, needed) in enumerate(rows) if given < needed - 30]
        assert clipped == [], (name, clipped[:5])
    guide = list(sheets.values())[1]
    assert len(guide) > 90 and max(needed for _, needed in guide) > 3000  # long rows were measured


def test_template_prints_on_a4_in_a_sensible_number_of_pages(tmp_path):
    from .clients import convert, pdf_info, pdf_pages

    out = tmp_path / "template.xlsx"
    assert runner.invoke(app, ["template", "-o", str(out), "--lang", "ja"]).exit_code == 0
    pdf = convert(out, "pdf", tmp_path / "pdf")
    info = pdf_info(pdf)
    assert "A4" in info["Page size"], info["Page size"]
    pages = pdf_pages(pdf)
    guide_starts = next(i for i, page in enumerate(pages) if "(municipal-dx 1.1.0)" in page)
    assert 1 < guide_starts <= -(-97 // 8)  # the answer sheet: 5 + 92 columns, about eight to a page
    assert len(pages) <= 32, len(pages)  # was 36 Letter pages with clipped rows


def test_an_ods_saved_by_calc_gets_the_fix_not_a_parser_error(tmp_path):
    from .clients import convert

    typed = tmp_path / "typed.csv"
    typed.write_text(",".join(IDS) + "\n" + ",".join(REFERENCE_TEXT) + "\n", encoding="utf-8")
    ods = convert(typed, "ods", tmp_path / "ods", infilter="CSV:44,34,76,1,1/2")
    renamed = tmp_path / "answers.xlsx"  # the name does not matter: the content says what it is
    renamed.write_bytes(ods.read_bytes())
    for path in (ods, renamed):
        code, err, _ = import_(tmp_path, path)
        assert code == 1 and "DX009" in err and "InvalidFileException" not in err
        assert "OpenDocument spreadsheet (.ods)" in err and "Excel 2007-365 (.xlsx)" in err
    proc = run_cli("batch", str(ods), "-o", str(tmp_path / "out"), "-q", Q)
    assert_clean_error(proc, 1)
    assert "OpenDocument spreadsheet (.ods)" in proc.stderr


def test_a_damaged_workbook_is_named_in_words_not_a_python_exception(tmp_path):
    """Cut short, a sheet's XML broken, the answer sheet missing: one line each, saying what is wrong in
    words (it named KeyError or BadZipFile), and nothing of openpyxl's own warnings on stderr."""
    import zipfile

    good = tmp_path / "good.xlsx"
    assert runner.invoke(app, ["template", "-o", str(good), "-q", Q]).exit_code == 0
    source = zipfile.ZipFile(good)
    sheet = next(n for n in source.namelist() if n.startswith("xl/worksheets/"))

    def rebuilt(name: str, change: Any) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as book:
            for info in source.infolist():
                data = change(info.filename, source.read(info))
                if data is not None:
                    book.writestr(info.filename, data)
        return path

    (tmp_path / "cut.xlsx").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    rebuilt("xml.xlsx", lambda name, data: data[: len(data) // 2] if name == sheet else data)
    # the answer sheet's part missing: openpyxl warns on stderr about the names defined on it
    rebuilt("nosheet.xlsx", lambda name, data: None if name == sheet else data)
    expected = {
        "cut.xlsx": "damaged, or cut short",
        "xml.xlsx": "contents inside the file are damaged",
    }
    for name, words in expected.items():
        proc = run_cli("import", str(tmp_path / name), "-o", str(tmp_path / "out"), "-q", Q, "--lang", "en")
        assert_clean_error(proc, 1)
        assert words in proc.stderr and "DX009" in proc.stderr, proc.stderr
        assert not any(w in proc.stderr for w in ("Error)", "Exception", "KeyError", "BadZip")), proc.stderr
    proc = run_cli("import", str(tmp_path / "nosheet.xlsx"), "-o", str(tmp_path / "out"), "-q", Q)
    assert_clean_error(proc, 1)
    assert "Warning" not in proc.stderr and "warn(" not in proc.stderr, proc.stderr


def test_the_optional_sharing_columns_are_read(tmp_path):
    from dxassess.sheets.read import parse_sharing

    path = tmp_path / "sharing.csv"
    rows = [
        ",".join(IDS + SHARING_IDS),
        ",".join(REFERENCE_TEXT + ["はい", "情報政策課 011-000-0000"]),
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, err, out = import_(tmp_path, path)
    assert code == 0, err
    sheet = load_assessment(out / "011002.yaml", MINI).sheet
    assert sheet.sharing is not None and sheet.sharing.named and sheet.sharing.contact == "情報政策課 011-000-0000"
    assert parse_sharing("sharing_named", "いいえ") == {"named": False}
    assert parse_sharing("sharing_contact", "") == {}
    # a contact alone is no consent; a sheet without the columns gives no sharing
    path.write_text(",".join(IDS + SHARING_IDS[1:]) + "\n" + ",".join(REFERENCE_TEXT + ["課"]) + "\n", "utf-8")
    code, err, out = import_(tmp_path, path)
    assert code == 0, err
    assert load_assessment(out / "011002.yaml", MINI).sheet.sharing is None


def test_the_more_problems_hint_of_a_sheet_names_a_command_that_reads_sheets(tmp_path: Path):
    """`validate` reads YAML, so the "+N more" of a sheet's row points to `import`, which lists
    every problem of a sheet."""
    sheet = tmp_path / "two.csv"
    sheet.write_text(
        "code,name,prefecture,population,assessed,leadership.mayor_commitment,infrastructure.wifi\n"
        "011002,札幌市,北海道,1973395,2026-10-01,9,bogus\n",
        encoding="utf-8",
    )
    proc = run_cli("score", "--progress", str(sheet), "-q", str(MINI), "--lang", "en")
    assert_clean_error(proc)
    assert f"(+1 more: `dxassess import {sheet} -o FOLDER` lists them all)" in proc.stderr, proc.stderr
    listed = run_cli("import", str(sheet), "-o", str(tmp_path / "out"), "-q", str(MINI), "--lang", "en")
    assert len([ln for ln in listed.stderr.splitlines() if "DX303" in ln]) == 2, listed.stderr


def test_a_workbook_whose_first_sheet_is_empty_says_which_sheet_is_read(tmp_path: Path):
    book = openpyxl.Workbook()
    book.active.title = "メモ"
    answers = book.create_sheet("回答")
    answers.append(["code", "name", "prefecture", "population", "assessed"])
    answers.append(["011002", "札幌市", "北海道", 1973395, "2026-10-01"])
    path = tmp_path / "emptyfirst.xlsx"
    book.save(path)
    proc = run_cli("import", str(path), "-o", str(tmp_path / "out"), "-q", str(MINI), "--lang", "en")
    assert_clean_error(proc)
    assert "DX010" in proc.stderr and "first sheet" in proc.stderr and "move the answers sheet" in proc.stderr
