"""Team assessment (issue 18): parts handed out by domain or owner, merged into one answer file
with conflicts listed and never chosen silently, evidence and age of answers flagged, progress
per part and per department. From YAML answer files and from sheets alike."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console

from dxassess import parts, provenance
from dxassess.answerfile import AnswerFile
from dxassess.inputs import check_file, load_assessment, load_questionnaire
from dxassess.interview import Interview, Terminal
from dxassess.merge import PartInput, merge
from dxassess.model import AnswerSheet

from .conftest import MINI, VALID, assert_clean_error, run_cli

Q = str(MINI)
QUESTIONNAIRE, CATALOGUE = load_questionnaire(MINI)

# Three departments of 札幌市 answer their parts of the mini questionnaire: the mayor's office the
# executive question (a CSV row), the IT section everything the DX section owns (YAML), the
# network team the infrastructure domain (an XLSX row). IT and network both answer the PC age,
# differently: a conflict. They agree on Wi-Fi.
DX_PART = """\
# 情報政策課の部分回答（コメントは統合後も残る）
questionnaire: {id: "mini", version: "1.0.0"}
part: {name: "dx", owners: ["dx"], respondent: "情報政策課"}
municipality: {code: "011002", name: 札幌市, population: 1973395}
assessed: 2026-10-01
answers:
  leadership.policy: {value: true, note: "方針を公表済み"}  # 庁議決定 R7.4
  infrastructure.pc_age: {value: 6.5, note: "資産台帳より", answered_on: "2026-10-02"}
  infrastructure.wifi: {value: meeting_rooms, note: "会議室のみ"}
  infrastructure.wifi_secured: {value: true, evidence: {document: "無線LAN設定書", expires: "2026-03-31"}}
"""
EXEC_HEADER = [
    "code",
    "name",
    "prefecture",
    "population",
    "assessed",
    "leadership.mayor_commitment",
    "part",
    "respondent",
]
EXEC_ROW = ["011002", "札幌市", "", "1973395", "2026-10-05", "3", "", "秘書課"]
INFRA_ROW = ["011002", "札幌市", None, 1973395, "2026-10-07", 7, "meeting_rooms", "yes", "インフラ", "情報システム係"]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    return path


def _parts(folder: Path) -> list[Path]:
    """The three parts, written as the departments would fill them in."""
    dx = folder / "dx.yaml"
    dx.write_text(DX_PART, encoding="utf-8")
    executive = _csv(folder / "executive.csv", [EXEC_HEADER, EXEC_ROW])
    infra = folder / "infra.xlsx"
    proc = run_cli("template", "-o", str(infra), "-q", Q, "--domain", "infrastructure", "--part", "インフラ")
    assert proc.returncode == 0, proc.stderr
    book = openpyxl.load_workbook(infra)
    sheet = book.worksheets[0]
    for col, value in enumerate(INFRA_ROW, start=1):
        sheet.cell(3, col, value)
    book.save(infra)
    return [dx, executive, infra]


def _merge(*args: str, lang: str = "en"):
    return run_cli("merge", *args, "-q", Q, "--lang", lang)


# -- choosing a part ----------------------------------------------------------------------------


def test_a_part_is_chosen_by_domain_by_owner_or_both():
    assert parts.select(QUESTIONNAIRE, owners=["executive"]) == ["leadership.mayor_commitment"]
    assert parts.select(QUESTIONNAIRE, domains=["infrastructure"]) == [
        "infrastructure.pc_age",
        "infrastructure.wifi",
        "infrastructure.wifi_secured",
    ]
    assert parts.select(QUESTIONNAIRE, ["leadership"], ["dx"]) == ["leadership.policy"]  # both must match
    assert len(parts.select(QUESTIONNAIRE)) == 5
    assert parts.default_name(["infrastructure", "leadership"], []) == "infrastructure+leadership"
    assert parts.default_name(["leadership"], ["dx"]) == "leadership/dx"
    part = parts.make_part(QUESTIONNAIRE, owners=["dx"], respondent="情報政策課")
    assert part is not None and part.name == "dx" and part.respondent == "情報政策課"
    assert parts.make_part(QUESTIONNAIRE) is None
    assert parts.selection_of(QUESTIONNAIRE, ["leadership.mayor_commitment"]) == ([], ["executive"])
    assert parts.selection_of(QUESTIONNAIRE, parts.select(QUESTIONNAIRE, ["infrastructure"])) == (
        ["infrastructure"],
        [],
    )


def test_unknown_domain_and_empty_selection_are_usage_errors(tmp_path: Path):
    proc = run_cli("template", "-o", str(tmp_path / "t.csv"), "-q", Q, "--domain", "vendors")
    assert_clean_error(proc, 2)
    assert "--domain vendors" in proc.stderr and "leadership, infrastructure" in proc.stderr
    proc = run_cli("template", "-o", str(tmp_path / "t.csv"), "-q", Q, "--domain", "leadership", "--owner", "finance")
    assert_clean_error(proc, 2)
    proc = run_cli("template", "-o", str(tmp_path / "t.csv"), "-q", Q, "--owner", "treasury")
    assert_clean_error(proc, 2)


def test_a_condition_on_another_parts_question_is_asked_anyway():
    only = ["infrastructure.wifi_secured"]  # its condition refers to infrastructure.wifi, not in the part
    assert parts.asked(QUESTIONNAIRE, {}, only) == only  # cannot be decided here: asked
    assert parts.asked(QUESTIONNAIRE, {"infrastructure.wifi": "none"}, only) == []  # the file knows: not asked
    assert parts.asked(QUESTIONNAIRE, {"infrastructure.wifi": "everywhere"}, only) == only
    every = parts.select(QUESTIONNAIRE)
    assert "infrastructure.wifi_secured" not in parts.asked(QUESTIONNAIRE, {}, every)  # inside the part: decided


# -- templates of a part ------------------------------------------------------------------------


def test_templates_of_a_part_hold_its_questions_and_record_the_part(tmp_path: Path):
    csv_path, yaml_path, xlsx_path = tmp_path / "p.csv", tmp_path / "p.yaml", tmp_path / "p.xlsx"
    for path in (csv_path, yaml_path, xlsx_path):
        proc = run_cli("template", "-o", str(path), "-q", Q, "--owner", "dx", "--respondent", "情報政策課")
        assert proc.returncode == 0, proc.stderr
        assert "4 questions" in proc.stderr
    header = csv_path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:5] == ["code", "name", "prefecture", "population", "assessed"]  # contract's row 1 first
    assert header[5:] == [
        "leadership.policy",
        "infrastructure.pc_age",
        "infrastructure.wifi",
        "infrastructure.wifi_secured",
        "part",
        "respondent",
    ]
    book = openpyxl.load_workbook(xlsx_path)
    assert [c.value for c in book.worksheets[0][1]] == header
    guide = "\n".join(str(c.value) for row in book.worksheets[1].iter_rows() for c in row if c.value)
    assert "part dx" in guide.lower() or "「dx」" in guide
    text = yaml_path.read_text(encoding="utf-8")
    assert 'part: {name: "dx", owners: ["dx"], respondent: "情報政策課"}' in text
    assert "# leadership.policy: {value: }" in text and "mayor_commitment" not in text
    filled = (
        text.replace('code: ""', 'code: "011002"')
        .replace('name: ""', "name: 札幌市")
        .replace("population:  ", "population: 1973395")
        .replace('assessed: ""', 'assessed: "2026-10-01"')
        .replace("# leadership.policy: {value: }", "leadership.policy: {value: true}")
    )
    yaml_path.write_text(filled, encoding="utf-8")
    sheet = load_assessment(yaml_path, MINI).sheet
    assert sheet.part is not None and sheet.part.owners[0].value == "dx"


def test_a_sheet_part_reads_back_its_part_and_respondent(tmp_path: Path):
    path = _csv(tmp_path / "executive.csv", [EXEC_HEADER, EXEC_ROW])
    proc = run_cli("import", str(path), "-o", str(tmp_path / "out"), "-q", Q)
    assert proc.returncode == 0, proc.stderr
    sheet = load_assessment(tmp_path / "out" / "011002.yaml", MINI).sheet
    assert sheet.part is not None
    assert (sheet.part.name, [o.value for o in sheet.part.owners], sheet.part.respondent) == (
        "executive",
        ["executive"],
        "秘書課",
    )


# -- merging ------------------------------------------------------------------------------------


def test_three_departments_merge_with_one_conflict_listed_then_resolved(tmp_path: Path):
    part_files = _parts(tmp_path)
    merged = tmp_path / "merged.yaml"
    proc = _merge(*map(str, part_files), "-o", str(merged))
    assert proc.returncode == 1, proc.stderr  # a conflict is left open
    assert "Traceback" not in proc.stderr
    conflict = [line for line in proc.stderr.splitlines() if "DX501" in line]
    assert len(conflict) == 1
    line = conflict[0]
    # both values, both respondents, both notes (and when)
    assert "infrastructure.pc_age" in line and "6.5" in line and ": 7" in line
    assert "情報政策課" in line and "情報システム係" in line and "資産台帳より" in line
    assert "2026-10-02" in line and "2026-10-07" in line
    text = merged.read_text(encoding="utf-8")
    assert "# 情報政策課の部分回答（コメントは統合後も残る）" in text and "# 庁議決定 R7.4" in text
    assert "part:" not in text
    sheet = AnswerSheet.model_validate(__import__("ruamel.yaml").yaml.YAML(typ="safe").load(text))
    assert "infrastructure.pc_age" not in sheet.answers  # never chosen silently
    assert set(sheet.conflicts["infrastructure.pc_age"]) == {"dx", "インフラ"}
    assert sheet.answers["leadership.mayor_commitment"].answered_by == "秘書課"
    assert sheet.answers["infrastructure.wifi"].value == "meeting_rooms"  # both parts agree
    assert sheet.assessed == dt.date(2026, 10, 7)
    # the merged file with an open conflict cannot be scored by mistake
    score = run_cli("score", str(merged), "-q", Q)
    assert_clean_error(score, 1)
    assert "DX501" in score.stderr
    assert any(p.code == "DX501" and p.severity == "error" for p in check_file(merged, MINI))
    # the officer decides: the newest answer (the network team's, 2026-10-07)
    proc = _merge(*map(str, part_files), "-o", str(merged), "--prefer", "newest")
    assert proc.returncode == 0, proc.stderr
    assert "DX502" in proc.stderr and "--prefer newest chose インフラ" in proc.stderr
    result = json.loads(run_cli("score", str(merged), "-q", Q, "--json").stdout)
    assert result["completeness"] == 1.0
    assert load_assessment(merged, MINI).sheet.answers["infrastructure.pc_age"].value == 7
    assert "conflicts" not in merged.read_text(encoding="utf-8")
    # or a named part
    proc = _merge(*map(str, part_files), "-o", str(merged), "--prefer", "dx")
    assert proc.returncode == 0, proc.stderr
    assert load_assessment(merged, MINI).sheet.answers["infrastructure.pc_age"].value == 6.5


def test_conflicts_are_listed_in_japanese_too(tmp_path: Path):
    proc = _merge(*map(str, _parts(tmp_path)), "-o", str(tmp_path / "m.yaml"), lang="ja")
    line = next(line for line in proc.stderr.splitlines() if "DX501" in line)
    assert "部分回答の間で回答が異なります" in line and "「資産台帳より」" in line
    assert "統合しました" in proc.stderr


def test_the_result_is_the_same_whatever_the_order_of_the_parts(tmp_path: Path):
    part_files = _parts(tmp_path)
    outputs = set()
    for i, order in enumerate(itertools.permutations(part_files)):
        out = tmp_path / f"m{i}.yaml"
        _merge(*map(str, order), "-o", str(out))
        outputs.add(out.read_bytes())
    assert len(outputs) == 1


def test_merging_again_is_idempotent_and_changes_only_what_changed(tmp_path: Path):
    dx, executive, infra = _parts(tmp_path)
    merged = tmp_path / "merged.yaml"
    _merge(str(dx), str(executive), str(infra), "-o", str(merged), "--prefer", "newest")
    first = merged.read_text(encoding="utf-8")
    merged.write_text(first.replace("# 庁議決定 R7.4", "# 庁議決定 R7.4（統合後に追記）"), encoding="utf-8")
    edited = merged.read_text(encoding="utf-8")
    _merge(str(dx), str(executive), str(infra), "-o", str(merged), "--prefer", "newest")
    assert merged.read_text(encoding="utf-8") == edited  # nothing changed: the same bytes
    _csv(executive, [EXEC_HEADER, [*EXEC_ROW[:5], "4", "", "秘書課"]])  # the mayor's office revises
    _merge(str(dx), str(executive), str(infra), "-o", str(merged), "--prefer", "newest")
    after = merged.read_text(encoding="utf-8").splitlines()
    before = edited.splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(after) == len(before)
    assert changed == [
        (
            "  leadership.mayor_commitment: {value: 3, answered_by: 秘書課}",
            "  leadership.mayor_commitment: {value: 4, answered_by: 秘書課}",
        )
    ]


def test_parts_of_other_municipalities_or_versions_are_refused(tmp_path: Path):
    dx, executive, _ = _parts(tmp_path)
    other = tmp_path / "other.yaml"
    other.write_text(DX_PART.replace('"011002", name: 札幌市', '"131016", name: 千代田区'), encoding="utf-8")
    proc = _merge(str(dx), str(other), "-o", str(tmp_path / "m.yaml"))
    assert_clean_error(proc, 1)
    assert "DX503" in proc.stderr and "131016" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "m.yaml").exists()
    versions = tmp_path / "questionnaires"  # mini 1.0.0 and a 1.0.1 beside it
    versions.mkdir()
    for name in ("mini.yaml", "mini-catalogue.yaml"):
        (versions / name).write_bytes((VALID / name).read_bytes())
    newer = (VALID / "mini.yaml").read_text(encoding="utf-8").replace('version: "1.0.0"', 'version: "1.0.1"')
    (versions / "mini-1.0.1.yaml").write_text(newer, encoding="utf-8")
    old = tmp_path / "newer.yaml"
    old.write_text(
        DX_PART.replace('name: "dx"', 'name: "dx-new"').replace('version: "1.0.0"', 'version: "1.0.1"'), "utf-8"
    )
    proc = run_cli("merge", str(dx), str(old), "-o", str(tmp_path / "m.yaml"), "-q", str(versions), "--lang", "en")
    assert_clean_error(proc, 1)
    assert "DX504" in proc.stderr and "mini 1.0.1" in proc.stderr and "mini 1.0.0" in proc.stderr
    assert "dxassess migrate" in proc.stderr
    same = tmp_path / "same.yaml"
    same.write_text(DX_PART.replace("leadership.policy: {value: true", "leadership.policy: {value: false"), "utf-8")
    proc = _merge(str(dx), str(same), "-o", str(tmp_path / "m.yaml"))
    assert_clean_error(proc, 1)
    assert "DX505" in proc.stderr
    proc = _merge(str(dx), str(executive), "-o", str(tmp_path / "m.yaml"), "--prefer", "人事")
    assert_clean_error(proc, 2)
    assert "--prefer 人事" in proc.stderr and "dx, executive" in proc.stderr


def test_a_sheet_row_of_the_same_municipality_is_a_part(tmp_path: Path):
    shared = _csv(
        tmp_path / "shared.csv",
        [
            ["code", "name", "prefecture", "population", "assessed", "leadership.policy", "respondent"],
            ["011002", "札幌市", "", "1973395", "2026-10-01", "yes", "情報政策課"],
            ["011002", "札幌市", "", "1973395", "2026-10-03", "no", "企画課"],
            ["131016", "千代田区", "", "67000", "2026-10-03", "no", "情報政策課"],
        ],
    )
    proc = _merge(str(shared), "-o", str(tmp_path / "m.yaml"))
    assert_clean_error(proc, 1)
    assert "--code" in proc.stderr  # two municipalities in the sheet: choose one
    proc = _merge(str(shared), "-o", str(tmp_path / "m.yaml"), "--code", "011002")
    assert proc.returncode == 1
    assert "shared:2" in proc.stderr and "shared:3" in proc.stderr and "企画課" in proc.stderr
    proc = _merge(str(shared), "-o", str(tmp_path / "m.yaml"), "--code", "011002", "--prefer", "newest")
    assert proc.returncode == 0, proc.stderr
    assert load_assessment(tmp_path / "m.yaml", MINI).sheet.answers["leadership.policy"].value is False
    progress = json.loads(run_cli("score", "--progress", str(shared), "-q", Q, "--json").stdout)
    assert [(p["municipality"]["code"], p["total"]["conflict"]) for p in progress] == [("011002", 1), ("131016", 0)]
    assert [p["name"] for p in progress[0]["parts"]] == ["shared:2", "shared:3"]
    assert progress[0]["parts"][0]["questions"] == 1  # the sheet's one question column


def test_merge_rules_as_a_pure_function():
    def part(name: str, answers: dict, assessed: str = "2026-10-01", respondent: str | None = None) -> PartInput:
        data = {
            "questionnaire": {"id": "mini", "version": "1.0.0"},
            "municipality": {"code": "011002", "name": "札幌市", "population": 1973395},
            "assessed": assessed,
            "answers": answers,
        }
        return PartInput(name, f"{name}.yaml", AnswerSheet.model_validate(data), respondent)

    a = part("a", {"leadership.policy": {"skipped": True}, "infrastructure.pc_age": {"value": 6, "note": "台帳"}})
    b = part("b", {"leadership.policy": {"value": True}, "infrastructure.pc_age": {"value": 6.0, "review": True}})
    result = merge([b, a], QUESTIONNAIRE)
    assert result.open == []  # a skip gives way to an answer; 6 and 6.0 agree
    assert result.answers["leadership.policy"]["value"] is True
    pc = result.answers["infrastructure.pc_age"]
    assert pc["note"] == "台帳" and pc["review"] is True and pc["answered_by"] in ("a", "b")
    c = part("c", {"infrastructure.wifi": {"na": True}}, "2026-10-05", "総務課")
    d = part("d", {"infrastructure.wifi": {"value": "none"}}, "2026-10-05")
    assert [x.question_id for x in merge([c, d], QUESTIONNAIRE).open] == ["infrastructure.wifi"]
    assert merge([c, d], QUESTIONNAIRE, ["newest"]).open  # a tie on the date decides nothing
    assert merge([c, d], QUESTIONNAIRE, ["newest", "c"]).answers["infrastructure.wifi"]["na"] is True


def test_different_municipality_details_need_a_decision(tmp_path: Path):
    dx, executive, _ = _parts(tmp_path)
    _csv(executive, [EXEC_HEADER, [*EXEC_ROW[:3], "1970000", *EXEC_ROW[4:]]])
    proc = _merge(str(dx), str(executive), "-o", str(tmp_path / "m.yaml"))
    assert_clean_error(proc, 1)
    assert "DX506" in proc.stderr and "1970000" in proc.stderr and "1973395" in proc.stderr
    proc = _merge(str(dx), str(executive), "-o", str(tmp_path / "m.yaml"), "--prefer", "newest")
    assert proc.returncode == 0, proc.stderr
    assert "DX502" in proc.stderr
    assert load_assessment(tmp_path / "m.yaml", MINI).sheet.municipality.population == 1970000


# -- provenance and evidence --------------------------------------------------------------------


def test_staleness_of_answers():
    on = dt.date(2026, 10, 7)
    assert provenance.staleness({"evidence": {"expires": "2026-03-31"}}, on) == "expired"
    assert provenance.staleness({"evidence": {"expires": "2026-10-07"}}, on) is None  # valid through that day
    assert provenance.staleness({"answered_on": "2025-10-06"}, on) == "old"
    assert provenance.staleness({"answered_on": "2025-10-07"}, on) is None
    assert provenance.staleness({"answered_on": "2026-01-01"}, on, max_age=6) == "old"
    assert provenance.staleness({"value": 3}, on) is None  # no dates: never stale
    assert provenance.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)


def test_expired_evidence_and_old_answers_are_flagged_in_the_report(tmp_path: Path):
    answers = tmp_path / "a.yaml"
    text = (VALID / "mini-answers.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "{value: false}",
        '{value: false, evidence: {document: "DX推進方針", owner: "情報政策課", expires: "2026-03-31"}}',
    ).replace(
        "{value: meeting_rooms}", '{value: meeting_rooms, answered_by: "情報システム係", answered_on: "2025-06-01"}'
    )
    answers.write_text(text, encoding="utf-8")
    data = json.loads(run_cli("report", str(answers), "-q", Q, "--format", "json", "--lang", "ja").stdout)
    rows = {q["id"]: q for q in data["questions"]}
    assert rows["leadership.policy"]["stale"] == "expired"
    assert rows["leadership.policy"]["evidence"] == {
        "document": "DX推進方針",
        "link": None,
        "owner": "情報政策課",
        "expires": "2026-03-31",
    }
    assert (
        rows["infrastructure.wifi"]["stale"] == "old" and rows["infrastructure.wifi"]["answered_by"] == "情報システム係"
    )
    assert rows["leadership.mayor_commitment"]["stale"] is None
    assert [s["id"] for s in data["provenance"]["stale"]] == ["leadership.policy", "infrastructure.wifi"]
    assert data["provenance"] | {"stale": []} == {
        "as_of": "2026-11-27",
        "max_age": 12,
        "intro": data["provenance"]["intro"],
        "stale": [],
    }
    html = run_cli("report", str(answers), "-q", Q, "--lang", "ja").stdout
    assert html.count('<span class="badge overdue">要再確認</span>') == 2
    assert '<div id="stale"><h3>再確認が必要な回答</h3>' in html and "2026年3月31日に根拠資料の有効期限切れ" in html
    md = run_cli("report", str(answers), "-q", Q, "--format", "md", "--lang", "en").stdout
    assert "### Answers to confirm" in md and "(to confirm)" in md and "evidence expired on 2026-03-31" in md
    longer = json.loads(run_cli("report", str(answers), "-q", Q, "--format", "json", "--max-age", "24").stdout)
    assert [s["id"] for s in longer["provenance"]["stale"]] == ["leadership.policy"]


def test_batch_counts_expired_evidence_per_municipality(tmp_path: Path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    text = (VALID / "mini-answers.yaml").read_text(encoding="utf-8")
    (inputs / "a.yaml").write_text(
        text.replace("{value: false}", '{value: false, evidence: {expires: "2026-03-31"}}'), encoding="utf-8"
    )
    (inputs / "b.yaml").write_text(
        text.replace('"011002", name: 札幌市, prefecture: 北海道', '"131016", name: 千代田区, prefecture: 東京都'),
        encoding="utf-8",
    )
    proc = run_cli("batch", str(inputs), "-o", str(tmp_path / "out"), "-q", Q, "--jobs", "1", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "summary.csv").read_text(encoding="utf-8-sig"))))
    assert {r["code"]: r["expired_evidence"] for r in rows} == {"011002": "1", "131016": "0"}
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert {m["municipality"]["code"]: m["expired_evidence"] for m in summary["municipalities"]} == {
        "011002": 1,
        "131016": 0,
    }


# -- the interview ------------------------------------------------------------------------------


def scripted(lines: list[str]) -> tuple[Terminal, io.StringIO]:
    out = io.StringIO()
    console = Console(file=out, width=100, no_color=True, force_terminal=False, highlight=False, emoji=False)
    feed = list(lines)

    def read_line(prompt: str) -> str:
        out.write(prompt)
        if not feed:
            raise EOFError
        line = feed.pop(0)
        out.write(line + "\n")
        return line

    return Terminal(console, read_line), out


def test_a_part_session_asks_only_its_questions_and_records_who_and_when(tmp_path: Path):
    path = tmp_path / "p.yaml"
    part = {"name": "インフラ", "domains": ["infrastructure"], "respondent": "情報システム係"}
    answers = AnswerFile.create(
        path, "mini", "1.0.0", "011002", "札幌市", "北海道", 1973395, dt.date(2026, 10, 1), None, part
    )
    term, out = scripted(["6.5", "2", "1"])
    only = parts.part_questions(QUESTIONNAIRE, load_assessment(path, MINI).sheet.part)
    interview = Interview(QUESTIONNAIRE, answers, "ja", term, CATALOGUE, only, "情報システム係", dt.date(2026, 10, 2))
    assert interview.run() == "done"
    sheet = load_assessment(path, MINI).sheet
    assert list(sheet.answers) == ["infrastructure.pc_age", "infrastructure.wifi", "infrastructure.wifi_secured"]
    assert all(
        a.answered_by == "情報システム係" and a.answered_on == dt.date(2026, 10, 2) for a in sheet.answers.values()
    )
    assert "設問 1/2" in out.getvalue() and "設問 3/3" in out.getvalue()  # Wi-Fi security once Wi-Fi is known
    assert 'part: {name: "インフラ", domains: ["infrastructure"], respondent: "情報システム係"}' in path.read_text(
        "utf-8"
    )


def test_run_with_a_part_refuses_another_part(tmp_path: Path):
    path = tmp_path / "p.yaml"
    AnswerFile.create(path, "mini", "1.0.0", "011002", "札幌市", "北海道", 1973395, dt.date(2026, 10, 1), None,
                      {"name": "dx", "owners": ["dx"]})  # fmt: skip
    proc = run_cli("run", "-q", Q, "--answers", str(path), "--owner", "executive")
    assert_clean_error(proc, 2)
    assert "dx" in proc.stderr


def test_c_confirms_an_answer_whose_evidence_expired(tmp_path: Path):
    path = tmp_path / "dx.yaml"
    path.write_text(
        (VALID / "mini-answers.yaml")
        .read_text(encoding="utf-8")
        .replace("{value: false}", '{value: false, evidence: {document: "方針", expires: "2026-03-31"}}')
        .replace("{value: meeting_rooms}", '{value: meeting_rooms, answered_on: "2025-01-10"}')
        .replace("{skipped: true}", "{value: true}"),
        encoding="utf-8",
    )
    answers = AnswerFile.load(path)
    # the stale pass: policy (expired: c, then its new expiry date), then wifi (old: kept with Enter)
    term, out = scripted(["c", "2027/03/31", "2027-03-31", ""])
    interview = Interview(QUESTIONNAIRE, answers, "ja", term, CATALOGUE, today=dt.date(2026, 11, 30))
    assert interview.stale_answers() == ["leadership.policy", "infrastructure.wifi"]
    assert interview.run() == "done"  # nothing unanswered
    assert interview.confirm_stale() == "done"
    text = out.getvalue()
    assert "要再確認: 根拠資料の有効期限（2026-03-31）が過ぎています" in text
    assert "日付は YYYY-MM-DD の形で入力する" in text  # 2027/03/31 is refused
    assert "設問2（leadership.policy）の回答を確認しました（2026-11-30付け）" in text
    sheet = load_assessment(path, MINI).sheet
    policy = sheet.answers["leadership.policy"]
    assert policy.answered_on == dt.date(2026, 11, 30) and policy.evidence.expires == dt.date(2027, 3, 31)
    assert sheet.answers["infrastructure.wifi"].answered_on == dt.date(2025, 1, 10)  # Enter kept it
    assert interview.stale_answers() == ["infrastructure.wifi"]


# -- progress -----------------------------------------------------------------------------------


def test_progress_per_part_and_per_department(tmp_path: Path):
    part_files = _parts(tmp_path)
    proc = run_cli("score", "--progress", *map(str, part_files), "-q", Q, "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    by_part = {p["name"]: p for p in data["parts"]}
    assert by_part["dx"] | {"source": ""} == {
        "name": "dx",
        "source": "",
        "respondent": "情報政策課",
        "questions": 4,
        "answered": 3,
        "skipped": 0,
        "conflict": 1,
        "review": 0,
        "open": 0,
    }
    assert by_part["executive"]["respondent"] == "秘書課" and by_part["executive"]["answered"] == 1
    assert by_part["インフラ"]["conflict"] == 1
    owners = {d["owner"]: d for d in data["departments"]}
    assert owners["dx"]["conflict"] == 1 and owners["dx"]["answered"] == 3
    assert owners["executive"]["answered"] == 1
    assert data["total"] == {"questions": 5, "answered": 4, "skipped": 0, "conflict": 1, "review": 0, "open": 0}
    merged = tmp_path / "m.yaml"
    _merge(*map(str, part_files), "-o", str(merged))
    again = json.loads(run_cli("score", "--progress", str(merged), "-q", Q, "--json").stdout)
    assert again["total"] == data["total"]  # the merged file's open conflict still counts
    table = run_cli("score", "--progress", *map(str, part_files), "-q", Q, "--lang", "ja")
    assert table.returncode == 0 and "担当部署別" in table.stdout and "食い違い" in table.stdout


def test_pty_run_of_a_part_creates_its_own_file_and_asks_only_its_questions(tmp_path: Path):
    pexpect = pytest.importorskip("pexpect")
    import os
    import sys

    env = dict(os.environ, NO_COLOR="1", LANG="C.UTF-8", TERM="xterm", PYTHONDONTWRITEBYTECODE="1")
    env.pop("DXASSESS_LANG", None)
    argv = ["-m", "dxassess", "run", "-q", Q, "--lang", "ja", "--owner", "executive", "--respondent", "秘書課"]
    argv += ["--code", "011002", "--municipality", "札幌市", "--population", "1973395"]
    child = pexpect.spawn(sys.executable, argv, cwd=str(tmp_path), env=env, dimensions=(24, 100), encoding="utf-8")
    child.expect("部分回答「executive」: この部分の1問を尋ねます")
    child.expect("設問 1/1")
    child.expect("回答")
    child.sendline("3")
    child.expect("すべての設問に回答しました")
    child.expect("報告書を作成しますか")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    files = list(tmp_path.glob("dx-011002-executive-*.yaml"))
    assert len(files) == 1
    sheet = load_assessment(files[0], MINI).sheet
    assert sheet.part is not None and sheet.part.respondent == "秘書課"
    assert sheet.answers["leadership.mayor_commitment"].answered_by == "秘書課"
    assert sheet.answers["leadership.mayor_commitment"].answered_on == dt.date.today()


def test_the_flagship_split_by_department_merges_back_to_the_same_score(tmp_path: Path):
    """A realistic municipality's 90-odd answers handed out to three groups of departments by the
    owners the flagship names, then merged: the merged file scores exactly as the original."""
    from ruamel.yaml import YAML

    from dxassess.answerfile import answer_text
    from dxassess.api import assess
    from dxassess.resolver import RESOLVER

    assert run_cli("sample", "--count", "1", "--seed", "3", "-o", str(tmp_path / "s")).returncode == 0
    original = next((tmp_path / "s").glob("*.yaml"))
    data = YAML(typ="safe").load(original.read_text(encoding="utf-8"))
    flagship = RESOLVER.select(None).questionnaire
    groups = (["personnel"], ["finance", "general_affairs"], ["dx", "executive", "departments"])
    files = []
    for owners in groups:
        mine = set(parts.select(flagship, owners=owners))
        assert mine
        part = dict(data, answers={k: v for k, v in data["answers"].items() if k in mine})
        part["part"] = {"name": "+".join(owners), "owners": owners, "respondent": f"{owners[0]} section"}
        path = tmp_path / f"part-{owners[0]}.yaml"
        path.write_text(answer_text(part), encoding="utf-8")
        files.append(path)
    assert sum(len(parts.select(flagship, owners=o)) for o in groups) == len(flagship.questions())
    merged = tmp_path / "merged.yaml"
    proc = run_cli("merge", *map(str, files), "-o", str(merged))
    assert proc.returncode == 0, proc.stderr
    before, after = assess(original), assess(merged)
    assert (after.overall, after.completeness) == (before.overall, before.completeness)
    assert [g.question_id for g in after.gaps] == [g.question_id for g in before.gaps]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_sheet_template_carries_its_part_and_respondent_into_the_answers(tmp_path: Path, suffix: str):
    """`--part` and `--respondent` are written into the sheet's own cells (a blank template: one
    starting row; pre-filled rows: each), so the part read back is named as handed out."""
    template = tmp_path / f"p.{suffix}"
    args = ("--owner", "dx", "--part", "情報班", "--respondent", "情報政策課")
    assert run_cli("template", "-o", str(template), "-q", Q, *args).returncode == 0
    if suffix == "csv":
        rows = list(csv.reader(io.StringIO(template.read_text(encoding="utf-8-sig"))))
        header, starter = rows[0], rows[2]
        assert starter[header.index("part")] == "情報班" and starter[header.index("respondent")] == "情報政策課"
        assert not any(starter[i] for i, key in enumerate(header) if key not in ("part", "respondent"))
        # returned as it was: nobody answered, so no row and no error
        proc = run_cli("import", str(template), "-o", str(tmp_path / "none"), "-q", Q, "--lang", "en")
        assert proc.returncode == 0 and "1 pre-filled row(s) with nothing filled in were skipped" in proc.stderr
        starter[:5] = ["011002", "札幌市", "北海道", "1973395", "2026-10-01"]
        starter[header.index("leadership.policy")] = "はい"
        returned = tmp_path / "returned.csv"
        returned.write_text("\n".join(",".join(r) for r in [header, rows[1], starter]) + "\n", encoding="utf-8")
    else:
        book = openpyxl.load_workbook(template)
        sheet = book.worksheets[0]
        header = [c.value for c in sheet[1]]
        assert sheet.cell(3, header.index("part") + 1).value == "情報班"
        assert sheet.cell(3, header.index("respondent") + 1).value == "情報政策課"
        for key, value in zip(header[:5], ["011002", "札幌市", "北海道", 1973395, "2026-10-01"]):
            sheet.cell(3, header.index(key) + 1).value = value
        sheet.cell(3, header.index("leadership.policy") + 1).value = "はい"
        returned = tmp_path / "returned.xlsx"
        book.save(returned)
    proc = run_cli("import", str(returned), "-o", str(tmp_path / "out"), "-q", Q)
    assert proc.returncode == 0, proc.stderr
    part = load_assessment(tmp_path / "out" / "011002.yaml", MINI).sheet.part
    assert part is not None and (part.name, part.respondent) == ("情報班", "情報政策課")
    pre = tmp_path / f"pre.{suffix}"
    proc = run_cli("template", "-o", str(pre), "-q", Q, *args, "--prefecture", "福井県")
    assert proc.returncode == 0, proc.stderr
    if suffix == "csv":
        rows = list(csv.reader(io.StringIO(pre.read_text(encoding="utf-8-sig"))))
        assert len(rows) > 10 and all(r[rows[0].index("part")] == "情報班" for r in rows[2:])


def test_a_condition_on_a_question_in_conflict_is_undecided_not_false(tmp_path: Path):
    """Two parts answer Wi-Fi differently (both not "none"); the secured-Wi-Fi answer that
    depends on it is not called hidden (DX307) while the conflict is open: its condition is
    undecided, and removing the answer, as DX307 advises, would lose it."""
    dx = tmp_path / "dx.yaml"
    dx.write_text(DX_PART, encoding="utf-8")
    other = tmp_path / "network.yaml"
    other.write_text(
        DX_PART.replace('name: "dx", owners: ["dx"]', 'name: "network", owners: ["dx"]')
        .replace("value: meeting_rooms", "value: everywhere")
        .replace('respondent: "情報政策課"', 'respondent: "情報システム係"'),
        encoding="utf-8",
    )
    merged = tmp_path / "merged.yaml"
    proc = _merge(str(dx), str(other), "-o", str(merged))
    assert proc.returncode == 1 and "DX501" in proc.stderr and "infrastructure.wifi" in proc.stderr, proc.stderr
    assert "DX307" not in proc.stderr, proc.stderr
    assert "infrastructure.wifi_secured" in merged.read_text(encoding="utf-8")


def test_a_part_scored_alone_says_to_merge_and_the_merged_file_drops_the_part_header(tmp_path: Path):
    """A part's scores count every other part's question as unanswered: `validate`, `score`,
    `report` and `batch` say so (DX507) and how to merge. The merged file, built on the first
    part's file, no longer opens with "part X of a team assessment: answer these N questions"."""
    dx = tmp_path / "dx.yaml"
    proc = run_cli("template", "-f", "yaml", "-o", str(dx), "-q", Q, "--owner", "dx", "--part", "dx", "--lang", "ja")
    assert proc.returncode == 0, proc.stderr
    text = dx.read_text(encoding="utf-8")
    assert "部分回答「dx」です。" in text
    body = DX_PART.split("\n", 1)[1].split("answers:\n", 1)[1]
    head = [line for line in text.splitlines() if line.startswith("#") and "部分回答" in line]
    dx.write_text("\n".join([*head, DX_PART.split("\n", 1)[1]]), encoding="utf-8")
    assert body in dx.read_text(encoding="utf-8")
    for command in (["validate"], ["score"], ["report", "-o", str(tmp_path / "r.html")]):
        proc = run_cli(*command, str(dx), "-q", Q, "--lang", "en")
        assert proc.returncode == 0, proc.stderr
        said = proc.stdout + proc.stderr  # validate lists problems on stdout, score and report warn on stderr
        assert "DX507" in said and "dxassess merge" in said, said
    proc = run_cli("batch", str(dx), "-o", str(tmp_path / "out"), "-q", Q, "--lang", "en")
    assert proc.returncode == 0 and "DX507" in (tmp_path / "out" / "summary.json").read_text(encoding="utf-8")
    executive = _csv(tmp_path / "executive.csv", [EXEC_HEADER, EXEC_ROW])
    merged = tmp_path / "merged.yaml"
    proc = _merge(str(dx), str(executive), "-o", str(merged))
    assert proc.returncode == 0, proc.stderr
    text = merged.read_text(encoding="utf-8")
    assert "部分回答「dx」です" not in text and "dxassess merge で統合" in text.splitlines()[0]
    assert "# 庁議決定 R7.4" in text  # the officer's own comments stay
    for command in (["validate"], ["score"]):
        proc = run_cli(*command, str(merged), "-q", Q, "--lang", "en")
        assert proc.returncode == 0 and "DX507" not in proc.stdout + proc.stderr, proc.stderr
