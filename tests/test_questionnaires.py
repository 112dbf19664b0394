"""The shipped questionnaires and manual catalogue: coverage and consistency (issue 4)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dxassess import expr
from dxassess.cli import app
from dxassess.inputs import load_questionnaire
from dxassess.model import NumericQuestion, ScaleQuestion, YesNoQuestion

from .conftest import ROOT, run_cli

QDIR = ROOT / "questionnaires"


@pytest.fixture(scope="module")
def flagship():
    return load_questionnaire(QDIR / "municipal-dx.yaml")


@pytest.fixture(scope="module")
def quick():
    return load_questionnaire(QDIR / "quick-check.yaml")


def test_flagship_shape(flagship):
    q, catalogue = flagship
    assert q.id == "municipal-dx" and catalogue.catalogue == "dx-manual"
    ids = [d.id for d in q.domains]
    assert ids[:4] == ["leadership", "skills", "infrastructure", "vendor"]
    assert len(ids) >= 8
    assert len(q.questions()) >= 60
    assert all(d.questions for d in q.domains)


def test_every_catalogue_section_is_cited_or_marked(flagship):
    q, catalogue = flagship
    cited = {ref for question in q.questions() for ref in question.manual}
    assert len(catalogue.sections) >= 20
    for section in catalogue.sections:
        assert section.id in cited or not section.assessed, f"{section.id} is neither cited nor marked"
        assert section.url.startswith("https://")
    steps = {s.id for s in catalogue.sections}
    for sub in ("S0.1", "S0.2", "S0.3", "S1.1", "S1.2", "S1.3", "S2.1", "S2.2", "S2.3", "S2.4", "S3.1"):
        assert sub in steps


def test_targets_differ_by_tier(flagship):
    q, _ = flagship
    for d in q.domains:
        assert d.targets.designated_city >= d.targets.town_village
    assert any(d.targets.designated_city > d.targets.town_village for d in q.domains)
    assert q.targets_basis and q.targets_basis["ja"] and q.targets_basis["en"]


def test_every_question_is_complete(flagship):
    q, _ = flagship
    for question in q.questions():
        assert question.help and question.help["ja"] and question.help["en"], question.id
        if isinstance(question, ScaleQuestion):
            assert set(question.levels) == {0, 1, 2, 3, 4, 5}, question.id
        if isinstance(question, YesNoQuestion):
            assert question.yes_description, question.id


def test_measurable_questions_are_many(flagship):
    q, _ = flagship
    measurable = [x for x in q.questions() if isinstance(x, (NumericQuestion, YesNoQuestion))]
    assert len(measurable) >= 15


def test_concerns_of_domain_md_are_assessable(flagship):
    q, _ = flagship
    ids = {x.id for x in q.questions()}
    for needed in (
        "leadership.mayor_commitment",
        "skills.older_staff",
        "infrastructure.pc_age",
        "infrastructure.bandwidth",
        "infrastructure.network_model",
        "vendor.single_vendor_share",
        "skills.external_talent",
    ):
        assert needed in ids
    assert any(x.startswith("residents.") for x in ids)


def test_quick_check_reuses_flagship_questions_unchanged(flagship, quick):
    q, _ = flagship
    qc, _ = quick
    assert 12 <= len(qc.questions()) <= 20
    flagship_questions = q.question_map()
    for question in qc.questions():
        assert question.id in flagship_questions
        assert question.model_dump(exclude={"when"}) == flagship_questions[question.id].model_dump(exclude={"when"})
        if question.when:
            refs = {r.question_id for r in expr.references(expr.parse(question.when))}
            assert refs <= {x.id for x in qc.questions()}


def test_questionnaires_command():
    result = CliRunner().invoke(app, ["questionnaires", "--json"])
    assert result.exit_code == 0
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert rows["municipal-dx"]["questions"] >= 60 and rows["quick-check"]["questions"] >= 12
    assert CliRunner().invoke(app, ["questionnaires"]).exit_code == 0


def test_installed_tool_works_from_another_folder(tmp_path):
    proc = run_cli("questionnaires", "--json", cwd=tmp_path)
    assert proc.returncode == 0 and "municipal-dx" in proc.stdout


def test_each_answer_file_is_scored_with_the_version_it_names(tmp_path) -> None:
    """A new questionnaire version is shipped beside the old one, never instead of it: answers
    given to 1.0.0 keep being scored with 1.0.0 (here, a different target) after 1.1.0 exists."""
    from .conftest import MINI, MINI_ANSWERS, VALID

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
