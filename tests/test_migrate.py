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
