"""The shipped questionnaires and manual catalogue: coverage and consistency (issues 4, 15, 16)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from dxassess import expr
from dxassess.cli import app
from dxassess.inputs import load_questionnaire
from dxassess.model import AnswerSheet, ChoiceQuestion, NumericQuestion, ScaleQuestion, YesNoQuestion
from dxassess.model.size import Band
from dxassess.scoring import score

from .conftest import ROOT, VALID, run_cli

QDIR = ROOT / "questionnaires"
ARCHIVE = QDIR / "archive"
# The commit whose questionnaires are the released 1.0.0 files, before they were archived.
RELEASE_1_0_0 = "e72840d"


@pytest.fixture(scope="module")
def flagship():
    return load_questionnaire(QDIR / "municipal-dx.yaml")


@pytest.fixture(scope="module")
def quick():
    return load_questionnaire(QDIR / "quick-check.yaml")


@pytest.fixture(scope="module")
def archived():
    return {
        "municipal-dx": load_questionnaire(ARCHIVE / "municipal-dx-1.0.0.yaml")[0],
        "quick-check": load_questionnaire(ARCHIVE / "quick-check-1.0.0.yaml")[0],
    }


def _raw(path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def test_flagship_shape(flagship):
    q, catalogue = flagship
    assert q.id == "municipal-dx" and q.version == "1.1.0" and catalogue.catalogue == "dx-manual"
    ids = [d.id for d in q.domains]
    assert ids[:4] == ["leadership", "skills", "infrastructure", "vendor"]
    assert len(ids) >= 8
    assert len(q.questions()) >= 60
    assert all(d.questions for d in q.domains)


def test_each_domain_has_5_to_12_questions(flagship, quick):
    q, _ = flagship
    for d in q.domains:
        assert 5 <= len(d.questions) <= 12, (d.id, len(d.questions))


def test_every_catalogue_section_is_cited_or_marked(flagship):
    q, catalogue = flagship
    cited = {ref for question in q.questions() for ref in question.manual}
    assert len(catalogue.sections) >= 20
    for section in catalogue.sections:
        assert section.id in cited or not section.assessed, f"{section.id} is neither cited nor marked"
    steps = {s.id for s in catalogue.sections}
    for sub in ("S0.1", "S0.2", "S0.3", "S1.1", "S1.2", "S1.3", "S2.1", "S2.2", "S2.3", "S2.4", "S3.1"):
        assert sub in steps


def test_targets_differ_by_size(flagship):
    q, _ = flagship
    for d in q.domains:
        assert (
            d.targets.for_band(Band.designated_city) >= d.targets.for_band(Band.town_village_under_5k)
            or d.id == "peers"
        )
    assert any(
        d.targets.for_band(Band.designated_city) > d.targets.for_band(Band.town_village_under_5k) for d in q.domains
    )
    assert q.targets_basis and q.targets_basis["ja"] and q.targets_basis["en"]


def _sheet(code: str, name: str, population: int) -> AnswerSheet:
    return AnswerSheet.model_validate(
        {
            "questionnaire": {"id": "municipal-dx", "version": "1.1.0"},
            "municipality": {"code": code, "name": name, "population": population},
            "assessed": dt.date(2026, 11, 27),
            "answers": {},
        }
    )


@pytest.mark.parametrize(
    ("large", "small"),
    [
        (("012033", "小樽市", 105_000), ("012297", "富良野市", 20_000)),  # 一般市 100,000+ and under 50,000
        (("013030", "当別町", 25_000), ("013340", "木古内町", 3_800)),  # 町 20,000+ and under 5,000
    ],
)
def test_same_status_different_size_gets_different_targets(flagship, large, small):
    """A town of 25,000 and a village-sized town of 3,800 (same legal status) are not held to
    the same targets, nor are a city of 105,000 and one of 20,000."""
    q, _ = flagship
    a = score(q, _sheet(*large))
    b = score(q, _sheet(*small))
    assert a.tier == b.tier
    differ = [x.domain_id for x, y in zip(a.domains, b.domains) if x.target != y.target]
    assert differ, "no domain target differs between the two bands"
    assert all(x.target >= y.target for x, y in zip(a.domains, b.domains) if x.domain_id != "peers")


def test_every_question_is_complete(flagship):
    q, _ = flagship
    for question in q.questions():
        assert question.help and question.help["ja"] and question.help["en"], question.id
        if isinstance(question, ScaleQuestion):
            assert set(question.levels) == {0, 1, 2, 3, 4, 5}, question.id
        if isinstance(question, YesNoQuestion):
            assert question.yes_description, question.id


def test_every_question_has_an_owner(flagship, quick, archived):
    for q in (flagship[0], quick[0], *archived.values()):
        for question in q.questions():
            assert question.owner is not None, (q.id, q.version, question.id)


def _level_texts(q, question) -> list[str]:
    """Every level description and option label a question shows, in both languages."""
    texts: list[dict] = []
    if isinstance(question, ScaleQuestion):
        scale = q.scales[question.scale]
        for level in scale.levels:
            override = question.levels.get(level.level)
            texts.append(override.description if override else level.description)
            texts.append(override.label if override and override.label else level.label)
    if isinstance(question, ChoiceQuestion):
        texts += [o.label for o in question.options]
    if isinstance(question, YesNoQuestion) and question.yes_description:
        texts.append(question.yes_description)
    return [t[lang].rstrip("。.") for t in texts for lang in t]


def test_steps_are_actions_not_level_descriptions(flagship, quick, archived):
    """A next step is an instruction: it never repeats (or contains) a level's description or an
    option's label, and says who acts."""
    for q in (flagship[0], quick[0], *archived.values()):
        for question in q.questions():
            forbidden = [t for t in _level_texts(q, question) if len(t) > 4]
            for level, step in question.steps.items():
                for lang, text in step.text.items():
                    for t in forbidden:
                        assert t not in text, (q.id, question.id, level, lang, t)
                assert "が、" in step.text["ja"] or "が" in step.text["ja"][:20], (question.id, level)
                assert 1 <= step.months <= 60


def test_every_reachable_gap_level_has_a_step(flagship):
    q, _ = flagship
    for question in q.questions():
        assert question.steps, question.id
        top = max(
            (question.targets.for_band(b) if question.targets else None) or q.domain_of(question.id).targets.for_band(b)
            for b in Band
        )
        levels = question.answer_levels()
        for level in levels:
            if levels[0] < level and level - 1 < top:
                assert question.step_for(level) is not None, (question.id, level)
                assert level in question.steps, (question.id, level)  # its own step, not a higher one


def test_yes_no_questions_state_their_levels(flagship, quick):
    """Every yes/no question of 1.1.0 writes `yes_level` itself, and a yes never scores 5 by
    default: it stands for organisation-wide practice (3) or, where yes already implies measured
    practice, 4 (the policy in the file's header)."""
    for path in (QDIR / "municipal-dx.yaml", QDIR / "quick-check.yaml"):
        raw = _raw(path)
        yesno = [x for d in raw["domains"] for x in d["questions"] if x["type"] == "yesno"]
        assert yesno, path
        for question in yesno:
            assert "yes_level" in question, (path.name, question["id"])
            assert question["yes_level"] in (3, 4), (path.name, question["id"])
            assert question.get("no_level", 0) == 0


def test_measurable_questions_are_many(flagship):
    q, _ = flagship
    measurable = [x for x in q.questions() if isinstance(x, (NumericQuestion, YesNoQuestion))]
    assert len(measurable) >= 15


def test_concerns_of_domain_md_and_issue_16_are_assessable(flagship):
    q, _ = flagship
    ids = {x.id for x in q.questions()}
    for needed in (
        "leadership.mayor_commitment",
        "skills.older_staff",
        "skills.training_budget",
        "infrastructure.pc_past_cycle",
        "infrastructure.os_support",
        "infrastructure.bandwidth_measured",
        "security.network_model",
        "vendor.single_vendor_share",
        "vendor.ip_rights",
        "vendor.rfi_review",
        "skills.external_talent",
        "peers.study_group",
        "peers.joint_procurement",
        "standardisation.conformity_share",
        "standardisation.govcloud",
        "standardisation.schedule",
        "frontyard.mynumber_rate",
        "frontyard.kokin_eltax",
        "bpr.analog_rules",
    ):
        assert needed in ids, needed
    assert "frontyard.eltax" not in ids
    assert any(x.startswith("residents.") for x in ids)


def test_standardisation_deadline_names_the_overdue_path(flagship):
    q, _ = flagship
    with_deadline = [x for x in q.questions() if x.deadline]
    assert {x.id for x in with_deadline} >= {"standardisation.conformity_share", "standardisation.schedule"}
    for question in with_deadline:
        assert question.deadline.date == dt.date(2026, 3, 31)
        assert "特定移行支援システム" in question.deadline.overdue["ja"]
        assert "特定移行支援システム" in question.deadline.overdue["en"]


def test_after_and_when_refer_to_questions_of_the_same_file(flagship, quick):
    for q in (flagship[0], quick[0]):
        ids = {x.id for x in q.questions()}
        for question in q.questions():
            assert set(question.after) <= ids - {question.id}, question.id
            if question.when:
                refs = {r.question_id for r in expr.references(expr.parse(question.when))}
                assert refs <= ids, question.id


def test_quick_check_reuses_flagship_questions_unchanged(flagship, quick):
    q, _ = flagship
    qc, _ = quick
    assert qc.version == q.version == "1.1.0"
    assert 12 <= len(qc.questions()) <= 20
    flagship_questions = q.question_map()
    for question in qc.questions():
        assert question.id in flagship_questions
        assert question.model_dump(exclude={"when"}) == flagship_questions[question.id].model_dump(exclude={"when"})
    for domain in qc.domains:
        assert domain.targets == next(d.targets for d in q.domains if d.id == domain.id)


@pytest.mark.parametrize("name", ["municipal-dx", "quick-check"])
def test_migration_lists_every_1_0_0_question(name, archived):
    new, _ = load_questionnaire(QDIR / f"{name}.yaml")
    old = archived[name]
    assert new.migration and new.migration.previous == old.version == "1.0.0"
    assert set(new.migration.questions) == {x.id for x in old.questions()}
    new_ids = new.question_map()
    for move in new.migration.questions.values():
        assert move.removed or move.to
        assert all(t in new_ids for t in move.to)


@pytest.mark.parametrize("name", ["municipal-dx", "quick-check"])
def test_carried_answers_are_valid_1_1_0_answers(name, archived):
    """Every answer a 1.0.0 file can hold lands on a value 1.1.0 accepts, or is asked again
    (`changed`); a changed level mapping (yes/no levels, options) is always marked `changed`."""
    new, _ = load_questionnaire(QDIR / f"{name}.yaml")
    old = archived[name].question_map()
    questions = new.question_map()
    for qid, move in new.migration.questions.items():
        before = old[qid]
        for target_id in move.to:
            after = questions[target_id]
            for key, value in move.values.items():
                assert after.problem(value) is None, (qid, key, value)
            if isinstance(before, ChoiceQuestion):
                for option in before.options:
                    value = move.values.get(option.key, option.key)
                    if not move.changed:
                        assert after.problem(value) is None, (qid, option.key)
                        assert after.level_of(value) == before.level_of(option.key), (qid, option.key)
            elif not move.changed:
                assert type(after) is type(before), qid
                assert after.answer_levels() == before.answer_levels(), qid
                if isinstance(before, YesNoQuestion):
                    assert (after.yes_level, after.no_level) == (before.yes_level, before.no_level), qid


def test_a_1_0_0_answer_file_carries_over(flagship):
    """The fixture answer file of 1.0.0: most answers carry over unchanged and stay valid."""
    q, _ = flagship
    raw = _raw(VALID / "flagship-answers.yaml")
    assert raw["questionnaire"]["version"] == "1.0.0"
    carried = asked_again = 0
    questions = q.question_map()
    for qid, answer in raw["answers"].items():
        move = q.migration.questions[qid]
        if move.removed:
            continue
        if move.changed:
            asked_again += 1
            continue
        for target in move.to:
            if "value" in answer:
                assert questions[target].problem(answer["value"]) is None, (qid, answer)
            carried += 1
    assert carried > 2 * asked_again > 0


# ---- the archived 1.0.0 files keep scoring exactly as released -------------------------------

_QUESTION_FIELDS = (
    "id", "type", "weight", "targets", "thresholds", "min", "max", "integer", "direction", "scale", "levels",
    "yes_level", "no_level", "when", "na_allowed", "manual",
)  # fmt: skip


def _scoring_fields(doc: dict) -> dict:
    """What decides a score: ids, types, weights, targets, thresholds and bounds, options' keys
    and levels, scales, level overrides, yes/no levels, conditions, N/A and manual citations."""
    return {
        "id": doc["id"],
        "version": doc["version"],
        "catalogue": doc["catalogue"],
        "scales": doc.get("scales"),
        "domains": [
            {
                "id": d["id"],
                "weight": d.get("weight"),
                "targets": d["targets"],
                "questions": [
                    {
                        **{f: x.get(f) for f in _QUESTION_FIELDS},
                        "options": [(o["key"], o["level"]) for o in x.get("options", [])],
                    }
                    for x in d["questions"]
                ],
            }
            for d in doc["domains"]
        ],
    }


@pytest.mark.parametrize("name", ["municipal-dx", "quick-check"])
def test_archived_1_0_0_scores_exactly_as_released(name):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    released = subprocess.run(
        ["git", "show", f"{RELEASE_1_0_0}:questionnaires/{name}.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    if released.returncode != 0:
        pytest.skip(f"commit {RELEASE_1_0_0} is not in this checkout")
    yaml = YAML(typ="safe")
    before = _scoring_fields(yaml.load(released.stdout))
    after = _scoring_fields(_raw(ARCHIVE / f"{name}-1.0.0.yaml"))
    assert after == before


def test_questionnaires_command():
    result = CliRunner().invoke(app, ["questionnaires", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    latest = {row["id"]: row for row in rows if row["version"] == "1.1.0"}
    assert latest["municipal-dx"]["questions"] >= 60 and latest["quick-check"]["questions"] >= 12
    assert {(row["id"], row["version"]) for row in rows} >= {("municipal-dx", "1.0.0"), ("quick-check", "1.0.0")}
    assert CliRunner().invoke(app, ["questionnaires"]).exit_code == 0


def test_installed_tool_works_from_another_folder(tmp_path):
    proc = run_cli("questionnaires", "--json", cwd=tmp_path)
    assert proc.returncode == 0 and "municipal-dx" in proc.stdout


def test_each_answer_file_is_scored_with_the_version_it_names(tmp_path) -> None:
    """A new questionnaire version is shipped beside the old one, never instead of it: answers
    given to 1.0.0 keep being scored with 1.0.0 (here, a different target) after 1.1.0 exists."""
    from .conftest import MINI, MINI_ANSWERS

    forms = tmp_path / "forms"
    forms.mkdir()
    old = MINI.read_text(encoding="utf-8")
    (forms / "mini.yaml").write_text(old, encoding="utf-8")
    new = old.replace('version: "1.0.0"', 'version: "1.1.0"').replace(
        "targets: {designated_city: 4, core_city: 4, city: 3", "targets: {designated_city: 5, core_city: 4, city: 3", 1
    )
    assert new.count("targets: {designated_city: 5, core_city: 4") == 1
    (forms / "mini-1.1.yaml").write_text(new, encoding="utf-8")
    (forms / "mini-catalogue.yaml").write_text((VALID / "mini-catalogue.yaml").read_text(encoding="utf-8"))
    answers = MINI_ANSWERS.read_text(encoding="utf-8")
    assert 'questionnaire: {id: mini, version: "1.0.0"}' in answers
    (tmp_path / "old.yaml").write_text(answers, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(answers.replace('version: "1.0.0"', 'version: "1.1.0"'), encoding="utf-8")
    targets = {}
    for name in ("old", "new"):
        proc = run_cli("score", str(tmp_path / f"{name}.yaml"), "--json", "--questionnaire", str(forms))
        assert proc.returncode == 0, proc.stderr
        data = json.loads(proc.stdout)
        targets[name] = (data["questionnaire"]["version"], data["domains"]["leadership"]["target"])
    assert targets == {"old": ("1.0.0", 4), "new": ("1.1.0", 5)}
    (tmp_path / "future.yaml").write_text(answers.replace('version: "1.0.0"', 'version: "2.0.0"'), encoding="utf-8")
    proc = run_cli("score", str(tmp_path / "future.yaml"), "--questionnaire", str(forms))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "2.0.0" in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
