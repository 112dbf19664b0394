"""Answers carry over (issue 16): a 1.0.0 answer file migrates, resumes, scores and compares on
1.1.0 — kept notes and comments, what changed asked again, nothing lost, like compared with like."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dxassess.answerfile import AnswerFile
from dxassess.api import assess
from dxassess.inputs import load_assessment
from dxassess.interview import Interview
from dxassess.migrate import answers_of, migrate
from dxassess.resolver import RESOLVER

from .conftest import VALID, assert_clean_error, run_cli
from .test_interview import scripted

OLD = VALID / "flagship-answers.yaml"  # municipal-dx 1.0.0


@pytest.fixture()
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "dx-old.yaml"
    text = OLD.read_text(encoding="utf-8").replace(
        "answers:\n", "answers:\n  # 庁議資料（令和8年9月）をもとに回答\n", 1
    )
    path.write_text(text, encoding="utf-8")
    return path


def plan_for(path: Path):
    old = load_assessment(path)
    new = RESOLVER.select("municipal-dx").questionnaire
    chain = RESOLVER.chain(new, old.questionnaire.version)
    assert chain is not None and [q.version for q in chain] == ["1.0.0", new.version]
    return old, migrate(answers_of(old.sheet), chain)


def test_every_old_answer_is_carried_asked_again_or_kept_aside(old_file: Path) -> None:
    old, plan = plan_for(old_file)
    new = RESOLVER.select("municipal-dx").questionnaire.question_map()
    accounted = set(plan.renamed.values()) | set(plan.dropped)
    assert accounted == set(old.sheet.answers)
    for qid, answer in plan.answers.items():
        if qid not in plan.ask_again and "value" in answer:
            assert new[qid].accepts(answer["value"]), qid
    assert set(plan.new).isdisjoint(plan.answers)


def test_migrate_writes_a_valid_file_keeping_notes_and_comments(old_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "dx-new.yaml"
    before = old_file.read_bytes()
    proc = run_cli("migrate", str(old_file), "-o", str(out), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert old_file.read_bytes() == before  # the original is untouched
    text = out.read_text(encoding="utf-8")
    assert "# 庁議資料（令和8年9月）をもとに回答" in text  # comments survive
    assert 'version: "1.1.0"' in text and "migrated:" in text and 'previous: "1.0.0"' in text
    assert "1.0.0" in proc.stderr and "1.1.0" in proc.stderr
    new = load_assessment(out)
    old = load_assessment(old_file)
    kept = [q for q in old.sheet.answers if q in new.sheet.answers]
    assert kept and all(old.sheet.answers[q].note == new.sheet.answers[q].note for q in kept)
    assert new.sheet.migrated is not None and new.sheet.migrated.ask_again
    assert assess(out).overall is not None  # it scores on 1.1.0
    # never over the file it came from
    again = run_cli("migrate", str(old_file), "-o", str(old_file))
    assert_clean_error(again, 1)
    assert old_file.read_bytes() == before


def test_migrate_refuses_a_file_already_at_that_version(tmp_path: Path, old_file: Path) -> None:
    out = tmp_path / "new.yaml"
    assert run_cli("migrate", str(old_file), "-o", str(out)).returncode == 0
    proc = run_cli("migrate", str(out), "-o", str(tmp_path / "again.yaml"))
    assert_clean_error(proc, 2)
    assert "1.1.0" in proc.stderr


def test_compare_across_versions_compares_like_with_like(old_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "dx-new.yaml"
    run_cli("migrate", str(old_file), "-o", str(out))
    proc = run_cli("compare", str(old_file), str(out), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["old"]["questionnaire"] == "1.0.0" and data["new"]["questionnaire"] == "1.1.0"
    skipped = {item["id"] for item in data["not_comparable"]}
    _, plan = plan_for(old_file)
    assert skipped >= set(plan.ask_again) | set(plan.new)
    assert data["overall"]["status"] == "unchanged"  # the same answers, carried: no change
    assert all(c["status"] == "unchanged" for c in data["questions"])
    assert skipped.isdisjoint(c["id"] for c in data["questions"])
    md = run_cli("report", str(out), "--previous", str(old_file), "--format", "md", "--lang", "ja").stdout
    assert "前回は設問票 1.0.0、今回は 1.1.0 への回答です" in md


def test_run_resumes_an_old_file_on_the_new_version_asking_only_what_is_new_or_changed(
    old_file: Path, tmp_path: Path
) -> None:
    from dxassess.commands.interview import _open

    _, plan = plan_for(old_file)
    term, out = scripted([])
    answers, questionnaire, catalogue, _ = _open(term, old_file, None, None, None, None, "ja", "municipal-dx")
    assert questionnaire.version == "1.1.0"
    kept = tmp_path / "dx-old.1.0.0.yaml"
    assert kept.exists() and 'version: "1.0.0"' in kept.read_text(encoding="utf-8")  # nothing lost
    assert "1.0.0" in out.getvalue() and str(kept) in out.getvalue()
    interview = Interview(questionnaire, answers, "ja", term, catalogue)
    asked = interview.unanswered()
    visible = set(interview.visible())
    assert set(asked) == (set(plan.ask_again) | set(plan.new)) & visible
    # Enter keeps a carried answer and takes it off the list; a new question needs an answer
    first_again = next(q for q in asked if q in plan.ask_again and answers.answer(q))
    term, _ = scripted([""])
    Interview(questionnaire, answers, "ja", term, catalogue).ask(first_again)
    assert first_again not in AnswerFile.load(old_file).ask_again()


# -- a maintainer's own questionnaire in two versions ------------------------------------------

MIGRATION = """
migration:
  previous: "1.0.0"
  questions:
    leadership.mayor_commitment: {to: [leadership.mayor_commitment]}
    leadership.policy: {to: [leadership.dx_policy]}
    infrastructure.pc_age: {to: [infrastructure.pc_age], changed: true, reason: {ja: 単位を改めました。, en: The unit changed.}}
    infrastructure.wifi: {to: [infrastructure.wifi]}
    infrastructure.wifi_secured: {to: [infrastructure.wifi_secured]}
"""


@pytest.fixture()
def own_versions(tmp_path: Path) -> dict[str, Path]:
    """The mini questionnaire as a maintainer's own, 1.0.0 and 1.1.0 side by side in one folder
    (a question renamed, one whose meaning changed, an option renamed without its `values`), and
    an answer file of 1.0.0 in another folder."""
    folder = tmp_path / "qs"
    folder.mkdir()
    mini = (VALID / "mini.yaml").read_text(encoding="utf-8")
    (folder / "mini-1.0.0.yaml").write_text(mini, encoding="utf-8")
    newer = (
        mini.replace('version: "1.0.0"', 'version: "1.1.0"', 1)
        .replace("id: leadership.policy", "id: leadership.dx_policy", 1)
        .replace("key: meeting_rooms", "key: rooms", 1)
    )
    (folder / "mini.yaml").write_text(newer + MIGRATION, encoding="utf-8")
    (folder / "mini-catalogue.yaml").write_text(
        (VALID / "mini-catalogue.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    answers = tmp_path / "answers" / "dx-2025.yaml"
    answers.parent.mkdir()
    answers.write_text((VALID / "mini-answers.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return {"qs": folder, "answers": answers}


def test_a_maintainers_own_versions_migrate_without_to_and_lose_no_answer(own_versions, tmp_path: Path) -> None:
    """`migrate -q FOLDER` finds the newest version of the file's own questionnaire (it looked
    among the built-ins only: "neither a file nor a built-in id", exit 2); a renamed option without
    its `values` entry is flagged by validate (DX222) and its answer is kept under
    migrated.dropped (it became {skipped: true}, the value gone); the carried answer whose meaning
    changed is flagged wherever the file is checked (DX316) until answered again."""
    qs, answers = own_versions["qs"], own_versions["answers"]
    check = run_cli("validate", str(qs), "--format", "json")
    found = json.loads(check.stdout)
    assert [p["code"] for p in found] == ["DX222"] and "meeting_rooms" in found[0]["message"], found
    out = tmp_path / "dx-2025-v11.yaml"
    proc = run_cli("migrate", "-q", str(qs), str(answers), "-o", str(out), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    migrated = load_assessment(out, qs).sheet
    assert migrated.questionnaire.version == "1.1.0"
    assert migrated.migrated is not None
    assert migrated.migrated.dropped["infrastructure.wifi"].value == "meeting_rooms"
    assert set(migrated.migrated.ask_again) == {"infrastructure.pc_age", "infrastructure.wifi"}
    assert migrated.answers["leadership.dx_policy"].value is False  # renamed, carried
    proc = run_cli("score", "-q", str(qs), str(out), "--lang", "en")
    assert proc.returncode == 0 and "DX316" in proc.stderr and "infrastructure.pc_age" in proc.stderr
    # the versions beside the answer file: found there too, with and without --to
    beside = tmp_path / "beside"
    beside.mkdir()
    for path in [*qs.iterdir(), answers]:
        (beside / path.name).write_bytes(path.read_bytes())
    for extra in ([], ["--to", "1.1.0"]):
        target = tmp_path / f"beside-{len(extra)}.yaml"
        proc = run_cli("migrate", str(beside / answers.name), "-o", str(target), *extra)
        assert proc.returncode == 0, proc.stderr
        assert 'version: "1.1.0"' in target.read_text(encoding="utf-8")


def test_report_previous_across_a_maintainers_own_versions_compares_like_with_like(
    own_versions, tmp_path: Path
) -> None:
    """The earlier version is looked for where `--questionnaire` points too (it was looked for
    beside the answer file only, and the comparison silently matched questions by id)."""
    qs, answers = own_versions["qs"], own_versions["answers"]
    out = tmp_path / "dx-2026.yaml"
    assert run_cli("migrate", "-q", str(qs), str(answers), "-o", str(out)).returncode == 0
    proc = run_cli("report", "-q", str(qs), str(out), "--previous", str(answers), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    previous = json.loads(proc.stdout)["previous"]
    assert previous["versions"] == ["1.0.0", "1.1.0"]
    assert {"infrastructure.pc_age", "infrastructure.wifi"} <= {q["id"] for q in previous["not_comparable"]}


def test_the_interview_says_why_a_carried_answer_is_asked_again(own_versions, tmp_path: Path) -> None:
    """The migration's `reason` was written in the questionnaire but never shown: `run` asked the
    carried answer again with nothing but its default."""
    qs, answers = own_versions["qs"], own_versions["answers"]
    out = tmp_path / "dx-2026.yaml"
    assert run_cli("migrate", "-q", str(qs), str(answers), "-o", str(out)).returncode == 0
    source = RESOLVER.version("mini", "1.1.0", qs)
    assert source is not None
    term, said = scripted([""])
    interview = Interview(source.questionnaire, AnswerFile.load(out), "ja", term, source.catalogue)
    assert interview.ask("infrastructure.pc_age") == "next"
    assert "前の版の設問票から内容が変わった設問です（単位を改めました。）" in said.getvalue()
    assert "infrastructure.pc_age" not in AnswerFile.load(out).ask_again()  # confirmed with Enter
    term, said = scripted([""])
    interview = Interview(source.questionnaire, AnswerFile.load(out), "en", term, source.catalogue)
    interview.ask("leadership.mayor_commitment")  # carried unchanged: nothing to say
    assert "question changed" not in said.getvalue()


def test_the_comment_of_an_answer_to_a_removed_question_goes_with_it(own_versions, tmp_path: Path) -> None:
    """The answer of a removed question is kept under migrated.dropped; its comment was lost
    (the contract: notes and comments kept)."""
    qs, answers = own_versions["qs"], own_versions["answers"]
    newer = (qs / "mini.yaml").read_text(encoding="utf-8")
    start = newer.index("      - id: infrastructure.wifi_secured\n")
    end = newer.index("\nmigration:")
    newer = newer[:start] + newer[end + 1 :].replace(
        "infrastructure.wifi_secured: {to: [infrastructure.wifi_secured]}",
        "infrastructure.wifi_secured: {removed: true}",
    )
    (qs / "mini.yaml").write_text(newer, encoding="utf-8")
    text = answers.read_text(encoding="utf-8").replace(
        "infrastructure.wifi_secured: {skipped: true}",
        "infrastructure.wifi_secured: {value: true}  # 認証あり（R7点検）",
    )
    answers.write_text(text, encoding="utf-8")
    out = tmp_path / "new.yaml"
    proc = run_cli("migrate", "-q", str(qs), str(answers), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    written = out.read_text(encoding="utf-8")
    dropped = written[written.index("  dropped:") : written.index("municipality:")]
    assert "infrastructure.wifi_secured: {value: true}" in dropped and "# 認証あり（R7点検）" in dropped
    assert load_assessment(out, qs).sheet.migrated.dropped["infrastructure.wifi_secured"].value is True
