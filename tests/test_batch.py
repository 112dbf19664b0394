"""`batch`: mixed good and bad inputs, duplicates, formula injection, peer benchmarks, re-runs."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dxassess.batch.peers import Benchmarks, percentile_rank, quantile, stats

from .conftest import MINI, VALID, assert_clean_error, run_cli

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("samples")
    proc = run_cli("sample", "--count", "40", "--seed", "4", "-o", str(folder), "-q", str(MINI))
    assert proc.returncode == 0, proc.stderr
    return folder


def _batch(*args: str) -> object:
    return run_cli("batch", *args, "--questionnaire", str(MINI), "--lang", "en")


def _sheet(tmp_path: Path, *rows: str) -> Path:
    """A CSV sheet in the template layout (row 1: the ids), one row per line given."""
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return sheet


def _csv(out: Path) -> list[dict[str, str]]:
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_all_good_inputs(samples: Path, tmp_path: Path):
    out = tmp_path / "out"
    proc = _batch(str(samples), "-o", str(out), "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    rows = _csv(out)
    assert len(rows) == 40
    assert {"code", "name", "population", "tier", "overall", "leadership", "infrastructure"} <= set(rows[0])
    assert len(list((out / "reports").glob("*.html"))) == 40
    for row in rows:
        assert (out / "reports" / f"{row['code']}.html").exists()
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    first = data["municipalities"][0]
    for key in ("municipality", "questionnaire", "assessed", "overall", "completeness", "tier", "domains", "gaps"):
        assert key in first
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<svg" in index and "reports/" in index
    assert not list(out.glob(".dxassess-work*"))
    wb = load_workbook(out / "summary.xlsx", read_only=True)
    assert [c.value for c in next(wb["Summary"].iter_rows(max_row=1))][:5] == [
        "Local government code",
        "Municipality",
        "Prefecture",
        "Population",
        "Size tier",
    ]


def test_reports_show_the_band_benchmarks(samples: Path, tmp_path: Path):
    """Each report's peer table carries the medians and percentiles of its size band from
    summary.json, and the room left for it in the first pass leaves no marker behind."""
    out = tmp_path / "out"
    assert _batch(str(samples), "-o", str(out), "--jobs", "2").returncode == 0
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    checked = 0
    for m in data["municipalities"]:
        html = (out / "reports" / f"{m['municipality']['code']}.html").read_text(encoding="utf-8")
        assert "dxassess:peer" not in html
        bench = data["benchmarks"][m["band"]]
        if bench["overall"]["suppressed"]:
            continue
        table = html[html.index('<table id="peer-table">') : html.index("</table>", html.index('id="peer-table"'))]
        first = table.split("<tbody>")[1].split("</tr>")[0]
        cells = [c.split("</td>")[0] for c in first.split('<td class="num">')[1:]]
        assert cells[1] == f"{bench['overall']['median']:.2f}"
        assert cells[2] == f"{m['band_percentile']['overall']:.0f}"
        checked += 1
    assert checked >= 5


def test_a_peer_section_longer_than_its_room_is_still_written(tmp_path: Path):
    from dxassess.batch.work import Settings, finish_job

    work, reports = tmp_path / "work", tmp_path / "reports"
    work.mkdir()
    reports.mkdir()
    # two rooms (the first page's paragraph, the table), both too small for what goes in them
    (work / "0.html").write_bytes(b"<p>before</p>" + b" " * 3 + b"<p>middle</p>" + b" " * 4 + b"<p>after</p>")
    peer_data = {"group_label": "City", "overall": 2.0, "scores": {"a": 1.5}, "titles": {"a": "A"}}
    peer = {"tier_label": "City", "percentile": {"a": 40.0, "overall": 55.0}, "median": {"a": 2.0}, "n": 7}
    settings = Settings("en", None, str(work), str(reports), 10)
    assert finish_job(0, "011002", ((13, 3), (29, 4)), peer_data, peer, settings) == (0, None)
    html = (reports / "011002.html").read_text(encoding="utf-8")
    assert html.startswith('<p>before</p><p class="peer-summary">') and "55th percentile" in html
    assert '</p>\n<p>middle</p><h3 id="peer">' in html and html.endswith("</table>\n<p>after</p>")
    assert "<td>A</td>" in html and not list(work.iterdir())


def test_bad_inputs_are_rejected_and_the_rest_scored(samples: Path, tmp_path: Path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    good = sorted(samples.glob("*.yaml"))[:6]
    for path in good:
        (inputs / path.name).write_bytes(path.read_bytes())
    (inputs / "broken.yaml").write_text("answers: [\n", encoding="utf-8")
    bad_value = good[0].read_text(encoding="utf-8").replace('"' + good[0].stem + '"', '"011002"')
    bad_value = bad_value.replace("leadership.mayor_commitment: {value: ", "leadership.mayor_commitment: {value: 9")
    (inputs / "bad-value.yaml").write_text(bad_value, encoding="utf-8")
    (inputs / "binary.yaml").write_bytes(b"\x00\xff" * 50)
    out = tmp_path / "out"
    proc = _batch(str(inputs), str(tmp_path / "missing.yaml"), "-o", str(out))
    assert_clean_error(proc)
    lines = [ln for ln in proc.stderr.splitlines() if ": error: " in ln]
    assert len(lines) == 4, proc.stderr
    assert any("broken.yaml:" in ln and "DX003" in ln for ln in lines)
    assert any("bad-value.yaml:" in ln and "DX303" in ln for ln in lines)
    assert any("binary.yaml:" in ln and "DX002" in ln for ln in lines)
    assert any("missing.yaml" in ln and "DX009" in ln for ln in lines)
    assert len(_csv(out)) == 6
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert len(data["rejected"]) == 4


def test_a_folder_of_returned_sheets_says_how_to_name_them(tmp_path: Path):
    """A folder is searched for answer files only; one holding only sheets used to say "no answer
    files" and stop there. Named as the message says, the sheets are scored."""
    folder = tmp_path / "returned"
    folder.mkdir()
    _sheet(
        folder,
        "code,name,prefecture,population,assessed,leadership.mayor_commitment",
        "011002,札幌市,北海道,1973395,2026-11-27,3",
    )
    (folder / "notes.txt").write_text("not a sheet", encoding="utf-8")
    proc = _batch(str(folder), "-o", str(tmp_path / "out"))
    assert_clean_error(proc)
    assert f"name them, as in {folder / '*.csv'}" in proc.stderr, proc.stderr
    proc = _batch(*(str(p) for p in sorted(folder.glob("*.csv"))), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = _batch(str(empty), "-o", str(tmp_path / "out2"))
    assert_clean_error(proc)
    assert "no *.yaml or *.yml answer files in this folder" in proc.stderr and "name them" not in proc.stderr


def test_register_warnings_are_listed_and_unknown_codes_rejected(samples: Path, tmp_path: Path):
    """A name that does not match its code is a warning: the input is scored and the warning listed
    (stderr, summary.json, index.html); a code of no municipality is rejected unless synthetic."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    mini = (VALID / "mini-answers.yaml").read_text(encoding="utf-8")
    (inputs / "sapporo-town.yaml").write_text(mini.replace("name: 札幌市", "name: 札幌町"), encoding="utf-8")
    (inputs / "nowhere.yaml").write_text(mini.replace('"011002"', '"019909"'), encoding="utf-8")
    (inputs / "made-up.yaml").write_text(
        mini.replace('"011002"', '"019909"').replace("answers:\n", "synthetic: true\nanswers:\n", 1), encoding="utf-8"
    )
    out = tmp_path / "out"
    proc = _batch(str(inputs), "-o", str(out))
    assert proc.returncode == 1  # nowhere.yaml is rejected
    assert "nowhere.yaml:3:22: error: DX311" in proc.stderr
    warning = [ln for ln in proc.stderr.splitlines() if ": warning: " in ln]
    assert len(warning) == 1 and "sapporo-town.yaml:3:38: warning: DX310" in warning[0], proc.stderr
    assert "1 warning(s) on scored inputs" in proc.stderr
    assert {row["code"] for row in _csv(out)} == {"011002", "019909"}
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [w["input"] for w in data["warnings"]] == [str(inputs / "sapporo-town.yaml")]
    assert "DX310" in data["warnings"][0]["reason"] and len(data["rejected"]) == 1
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="warnings"' in index and "札幌町" in index


def test_a_sheet_row_warning_reaches_the_batch_at_its_row(tmp_path: Path):
    sheet = _sheet(
        tmp_path,
        "code,name,prefecture,population,assessed,leadership.mayor_commitment",
        "011002,札幌町,北海道,1973395,2026-11-27,3",
        "012025,函館市,北海道,240000,2026-11-27,2",
    )
    out = tmp_path / "out"
    proc = _batch(str(sheet), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    warning = [ln for ln in proc.stderr.splitlines() if ": warning: " in ln]
    assert len(warning) == 1 and warning[0].startswith(f"{sheet}:2:2: warning: DX310"), proc.stderr
    assert len(_csv(out)) == 2


def test_problems_the_checker_finds_in_a_sheet_row_name_its_cell(tmp_path: Path):
    """PATH:LINE:COL for a sheet row too (the contract's form): the checker's warning names the
    row and the column of the answer, and a code repeated across inputs names the sheet's row."""
    sheet = _sheet(
        tmp_path,
        "code,name,prefecture,population,assessed,leadership.mayor_commitment,infrastructure.wifi,"
        "infrastructure.wifi_secured",
        "011002,札幌市,北海道,1973395,2026-11-27,3,none,true",
        "012025,函館市,北海道,240000,2026-11-27,2,everywhere,true",
    )
    answers = tmp_path / "hakodate.yaml"
    answers.write_text(
        (VALID / "mini-answers.yaml")
        .read_text(encoding="utf-8")
        .replace('"011002"', '"012025"')
        .replace("札幌市", "函館市"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    proc = _batch(str(sheet), str(answers), "-o", str(out))
    assert_clean_error(proc)
    lines = proc.stderr.splitlines()
    hidden = [ln for ln in lines if "DX307" in ln]
    assert len(hidden) == 1 and hidden[0].startswith(f"{sheet}:2:8: warning: DX307 "), proc.stderr
    twice = [ln for ln in lines if "DX308" in ln]
    assert len(twice) == 1, proc.stderr
    assert twice[0].startswith((f"{answers}:1:1: error: DX308 ", f"{sheet}:3:1: error: DX308 ")), proc.stderr
    assert not any(re.match(r"^.+:\d+:\d+:\d+: ", ln) for ln in lines), proc.stderr  # never PATH:ROW:1:1


def test_rejected_counts_inputs_not_problems(tmp_path: Path):
    """A sheet row with two bad cells is one rejected input, on the terminal and in index.html;
    each problem is still listed."""
    sheet = _sheet(
        tmp_path,
        "code,name,prefecture,population,assessed,leadership.mayor_commitment",
        "011002,札幌市,北海道,many,2026-11-27,9",
        "012025,函館市,北海道,240000,2026-11-27,2",
    )
    notes = tmp_path / "notes.txt"
    notes.write_text("not an answer file\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = _batch(str(sheet), str(notes), "-o", str(out))
    assert_clean_error(proc)
    assert "1 scored, 2 rejected" in proc.stderr, proc.stderr
    row_problems = [ln for ln in proc.stderr.splitlines() if ln.startswith(f"{sheet}:2:")]
    assert len(row_problems) == 2, proc.stderr  # both cells named
    index = (out / "index.html").read_text(encoding="utf-8")
    assert re.search(r"Inputs rejected<br><b>2</b>", index)
    assert len(json.loads((out / "summary.json").read_text(encoding="utf-8"))["rejected"]) == 3


def test_what_the_c_parser_refuses_is_read_again_by_the_round_trip_parser(tmp_path: Path):
    """YAML 1.2 allows `:` inside a plain scalar of a flow mapping; libyaml (the C parser) does not.
    `validate` accepts such a file through the round-trip parser, so batch must score it too."""
    from ruamel.yaml import YAML

    text = (VALID / "mini-answers.yaml").read_text(encoding="utf-8").replace("資産台帳より算出。", "資産台帳:R7")
    with pytest.raises(Exception):  # noqa: B017 - any refusal of the C parser
        YAML(typ="safe", pure=False).compose(text)
    answers = tmp_path / "colon.yaml"
    answers.write_text(text, encoding="utf-8")
    assert run_cli("validate", str(answers), "--questionnaire", str(MINI)).returncode == 0
    out = tmp_path / "out"
    proc = _batch(str(answers), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "資産台帳:R7" in (out / "reports" / "011002.html").read_text(encoding="utf-8")


def test_repeated_code_is_rejected_naming_both(samples: Path, tmp_path: Path):
    first = sorted(samples.glob("*.yaml"))[0]
    copy = tmp_path / "copy-of-first.yaml"
    copy.write_bytes(first.read_bytes())
    out = tmp_path / "out"
    proc = _batch(str(first), str(copy), "-o", str(out))
    assert_clean_error(proc)
    line = [ln for ln in proc.stderr.splitlines() if "DX308" in ln][0]
    assert str(first) in line and str(copy) in line
    assert len(_csv(out)) == 1


def test_no_cell_starts_a_formula(tmp_path: Path):
    answers = tmp_path / "in"
    answers.mkdir()
    text = (VALID / "mini-answers.yaml").read_text(encoding="utf-8")
    names = ['=HYPERLINK(\\"http://evil\\")', "+1+1", "-2", "@SUM(A1)", "\\tTAB", "\\rCR"]
    for i, name in enumerate(names):
        code = ["011002", "012025", "012033", "013030", "131016", "141003"][i]
        body = text.replace('code: "011002", name: 札幌市, prefecture: 北海道', f'code: "{code}", name: "{name}"')
        (answers / f"{i}.yaml").write_text(body, encoding="utf-8")
    out = tmp_path / "out"
    proc = _batch(str(answers), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    for row in _csv(out):
        for value in row.values():
            assert not value.startswith(FORMULA_START), row
    wb = load_workbook(out / "summary.xlsx")
    for row in wb.worksheets[0].iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.value
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "=HYPERLINK(&#34;http://evil&#34;)" in index or "=HYPERLINK(&quot;" in index


def test_rerun_into_the_same_folder_completes_it(samples: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert _batch(str(samples), "-o", str(out), "--jobs", "1").returncode == 0
    before = {p.name: p.read_bytes() for p in (out / "reports").glob("*.html")}
    summary = (out / "summary.json").read_bytes()
    victim = sorted((out / "reports").glob("*.html"))[3]
    victim.unlink()
    (out / "summary.csv").write_text("half-written")
    assert _batch(str(samples), "-o", str(out), "--jobs", "2").returncode == 0
    after = {p.name: p.read_bytes() for p in (out / "reports").glob("*.html")}
    assert after == before
    assert (out / "summary.json").read_bytes() == summary
    assert len(_csv(out)) == 40


def test_output_as_file_is_refused(samples: Path, tmp_path: Path):
    target = tmp_path / "file"
    target.write_text("x")
    proc = _batch(str(samples), "-o", str(target))
    assert_clean_error(proc, 1)  # an output that cannot be written (the contract's exit 1)
    assert proc.stderr.startswith(f"{target}: error: DX901 ") and target.read_text() == "x"


def test_the_summary_json_of_a_municipality_has_the_shape_of_score_json(samples: Path, tmp_path: Path):
    """The contract: batch's per-municipality JSON has the shape of `score --json`: the same
    municipality, scores and domains, and gaps in the same order with their manual section ids,
    `needs_budget`, `duration` and `owner`."""
    out = tmp_path / "out"
    assert _batch(str(samples), "-o", str(out)).returncode == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    for path in sorted(samples.glob("*.yaml"))[:5]:
        proc = run_cli("score", str(path), "--json", "--questionnaire", str(MINI), "--lang", "en")
        assert proc.returncode == 0, proc.stderr
        scored = json.loads(proc.stdout)
        code = scored["municipality"]["code"]
        mine = next(m for m in summary["municipalities"] if m["municipality"]["code"] == code)
        for key in ("assessed", "overall", "completeness", "tier"):
            assert mine[key] == scored[key], key
        assert mine["questionnaire"] == {k: scored["questionnaire"][k] for k in ("id", "version")}
        assert mine["municipality"] == scored["municipality"]
        assert {d: {k: v[k] for k in ("score", "target", "gap")} for d, v in scored["domains"].items()} == mine[
            "domains"
        ]
        assert [g["question_id"] for g in mine["gaps"]] == [g["question_id"] for g in scored["gaps"]]
        for batch_gap, score_gap in zip(mine["gaps"], scored["gaps"]):
            for key in ("manual", "needs_budget", "duration", "owner", "gap", "priority"):
                assert batch_gap[key] == score_gap[key], (code, batch_gap["question_id"], key)


@pytest.mark.parametrize("blocked", ["summary.xlsx", "summary.json", "summary.csv"])
def test_a_summary_that_cannot_be_written_is_named(samples: Path, tmp_path: Path, blocked: str):
    """summary.xlsx is written by one forked process, summary.json and summary.csv by another: the
    error is one line naming the file, and the other summaries (the one beside it included) are
    still written."""
    out = tmp_path / "out"
    (out / blocked).mkdir(parents=True)
    proc = _batch(*[str(p) for p in sorted(samples.glob("*.yaml"))[:6]], "-o", str(out))
    assert_clean_error(proc)
    assert f"{out / blocked}: error: DX901" in proc.stderr
    others = {"summary.csv", "summary.xlsx", "summary.json"} - {blocked}
    assert all((out / name).is_file() for name in others)


def test_quantiles_and_percentiles():
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert quantile(values, 0.5) == 3.0 and quantile(values, 0.25) == 2.0
    assert percentile_rank(values, 3.0) == 50.0
    assert stats([1, 2, 3, 4]).suppressed and stats([1, 2, 3, 4]).median is None
    assert not stats(values).suppressed


def test_small_groups_are_suppressed():
    bench = Benchmarks(["a"])
    rows = [
        {"band": "city_under_50k", "overall": float(i), "domains": {"a": float(i)}, "gaps": ["q.x"]} for i in range(6)
    ]
    rows.append({"band": "core_city", "overall": 3.0, "domains": {"a": 3.0}, "gaps": ["q.y"]})
    for row in rows:
        bench.add(row)
    assert bench.group_stats("city_under_50k")["a"].median == 2.5
    assert bench.group_stats("core_city")["a"].suppressed
    assert bench.position(rows[-1]) == {"overall": None, "a": None}
    assert bench.position(rows[5])["a"] > 80
    assert bench.most_missed("core_city") == []
    assert bench.most_missed("city_under_50k") == [("q.x", 6, 1.0)]


def test_positions_are_the_percentiles_of_the_group_as_it_is_now():
    """A score's position is worked out once per group and key and then looked up: the same as
    ranking each municipality on its own, repeated scores and a missing one included, and found
    again once another member joins the group."""
    bench = Benchmarks(["a"])
    rows = [
        {"band": "town", "overall": float(i % 4), "domains": {"a": None if i == 3 else float(i % 3)}, "gaps": []}
        for i in range(12)
    ]
    for row in rows:
        bench.add(row)

    def ranked(row: dict) -> dict:
        expect = {}
        for key, value in (("overall", row["overall"]), ("a", row["domains"]["a"])):
            values = (r["overall"] if key == "overall" else r["domains"]["a"] for r in rows)
            group = sorted(v for v in values if v is not None)
            expect[key] = None if value is None else round(percentile_rank(group, value), 1)
        return expect

    for row in rows:
        assert bench.position(row) == ranked(row)
    rows.append({"band": "town", "overall": 0.5, "domains": {"a": 2.0}, "gaps": []})
    bench.add(rows[-1])
    for row in rows:
        assert bench.position(row) == ranked(row)


def test_index_shows_suppression(samples: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert _batch(str(samples), "-o", str(out)).returncode == 0
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    for by_key in data["benchmarks"].values():
        for s in by_key.values():
            if s["n"] < 5:
                assert s["suppressed"] and s["median"] is None
    html = (out / "index.html").read_text(encoding="utf-8")
    if any(s["suppressed"] for by_key in data["benchmarks"].values() for s in by_key.values()):
        assert "suppressed" in html


def test_rejections_are_in_the_batch_language(samples: Path, tmp_path: Path):
    first = sorted(samples.glob("*.yaml"))[0]
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(first.read_bytes())
    proc = run_cli(
        "batch", str(first), str(copy), str(tmp_path / "nowhere.yaml"), "-o", str(tmp_path / "out"),
        "--questionnaire", str(MINI), "--lang", "ja",
    )  # fmt: skip
    assert_clean_error(proc)
    assert "DX308 団体コード" in proc.stderr and "同じ団体を1度だけ" in proc.stderr
    assert "DX009 ファイルが見つかりません" in proc.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the summary process is forked on Linux only")
def test_a_summary_process_that_dies_is_a_one_line_error_naming_its_file(tmp_path: Path):
    import os

    from dxassess.batch.outputs import _Beside
    from dxassess.errors import OutputError

    beside = _Beside(tmp_path / "summary.xlsx", lambda: os._exit(3))
    with pytest.raises(OutputError) as info:
        beside.wait()
    line = info.value.one_line("en")
    assert line.startswith(f"{tmp_path / 'summary.xlsx'}: error: DX901 ") and "exit code 3" in line


def test_summary_xlsx_is_localised_and_formatted_for_people(tmp_path: Path, samples: Path) -> None:
    """Headers and size groups in the batch language, dates as dates, number formats, widths,
    filters, a frozen header and A4 landscape with the header on every page; the same bytes on
    every run."""
    import datetime as dt

    out = tmp_path / "out"
    proc = run_cli("batch", str(samples), "-o", str(out), "--lang", "ja", "--jobs", "1", "-q", str(MINI))
    assert proc.returncode == 0, proc.stderr
    wb = load_workbook(out / "summary.xlsx")
    ws, bench = wb.worksheets
    assert (ws.title, bench.title) == ("団体別一覧", "規模帯別の分布")
    head = [c.value for c in ws[1]]
    assert head[:11] == [
        "団体コード",
        "団体名",
        "都道府県",
        "人口",
        "規模区分",
        "規模帯",
        "総合スコア",
        "規模帯内パーセンタイル",
        "回答率",
        "診断日",
        "設問票",
    ]
    assert "首長・幹部のコミットメント" in head and head[-2:] == ["目標未達の設問数", "根拠資料の期限が切れた回答数"]
    first = {h: c for h, c in zip(head, ws[2])}
    assert first["規模区分"].value in ("政令指定都市", "中核市", "一般市", "特別区", "町村")
    assert first["規模帯"].value.startswith(("政令指定都市", "中核市", "一般市", "特別区", "町村"))
    assert isinstance(first["診断日"].value, dt.datetime) and first["診断日"].number_format == "yyyy-mm-dd"
    assert first["人口"].number_format == "#,##0" and first["回答率"].number_format == "0%"
    assert first["総合スコア"].number_format == "0.00"
    assert first["団体コード"].data_type == "s" and len(first["団体コード"].value) == 6
    assert ws["A1"].font.b and ws["A1"].alignment.wrap_text and ws.row_dimensions[1].height == 46
    for sheet in (ws, bench):
        assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref.startswith("A1:")
        assert sheet.page_setup.paperSize == "9" or sheet.page_setup.paperSize == 9
        assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"
        assert all(sheet.column_dimensions[c].width >= 9 for c in "ABCDEFGHI")
    assert bench["A2"].value.startswith(("政令指定都市", "中核市", "一般市", "特別区", "町村"))
    assert bench["I2"].value in ("はい", "いいえ")
    again = tmp_path / "again"
    assert (
        run_cli("batch", str(samples), "-o", str(again), "--lang", "ja", "--jobs", "1", "-q", str(MINI)).returncode == 0
    )
    assert (again / "summary.xlsx").read_bytes() == (out / "summary.xlsx").read_bytes()


def test_one_file_of_another_questionnaire_is_rejected_not_the_many(tmp_path: Path):
    """The batch's questionnaire is the one most inputs answer, not the first file's: an archived
    1.0.0 file sorted first is the one rejected (DX309), and the current files are all scored."""
    current, old = tmp_path / "in", tmp_path / "old"
    assert run_cli("sample", "--count", "5", "--seed", "3", "-o", str(current)).returncode == 0
    assert run_cli("sample", "--count", "1", "--seed", "9", "-q", "municipal-dx@1.0.0", "-o", str(old)).returncode == 0
    archived = current / "000-archive.yaml"
    archived.write_bytes(next(old.glob("*.yaml")).read_bytes())
    out = tmp_path / "out"
    proc = run_cli("batch", str(current), "-o", str(out), "--lang", "en")
    assert_clean_error(proc)
    rejected = [ln for ln in proc.stderr.splitlines() if "DX309" in ln]
    assert len(rejected) == 1 and rejected[0].startswith(f"{archived}:"), proc.stderr
    assert "municipal-dx 1.0.0" in rejected[0] and "migrate" in rejected[0]
    assert len(_csv(out)) == 5


def test_a_file_named_twice_is_scored_once(samples: Path, tmp_path: Path):
    first = sorted(samples.glob("*.yaml"))[0]
    out = tmp_path / "out"
    proc = _batch(str(samples), str(first), str(samples / "." / first.name), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "DX308" not in proc.stderr
    assert len(_csv(out)) == len(list(samples.glob("*.yaml")))


def test_previous_may_not_be_the_folder_this_run_replaces(samples: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert _batch(str(samples), "-o", str(out)).returncode == 0
    before = (out / "summary.json").read_bytes()
    proc = _batch(str(samples), "-o", str(out), "--previous", str(out))
    assert_clean_error(proc)
    assert "DX315" in proc.stderr and "copy" in proc.stderr, proc.stderr
    assert (out / "summary.json").read_bytes() == before  # last year's figures are kept
