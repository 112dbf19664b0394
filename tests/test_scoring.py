"""Scoring and gap analysis: pure functions, checked by examples and by properties (hypothesis)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxassess import expr
from dxassess.gaps import find_gaps, fiscal_year
from dxassess.inputs import load_assessment, load_questionnaire
from dxassess.model import (
    Answer,
    AnswerSheet,
    ChoiceQuestion,
    NumericQuestion,
    ScaleQuestion,
    Tier,
    YesNoQuestion,
)
from dxassess.roadmap import schedule
from dxassess.scoring import score
from dxassess.text import text

from .conftest import MINI, MINI_ANSWERS, ROOT


@lru_cache
def flagship():
    return load_questionnaire(ROOT / "questionnaires" / "municipal-dx.yaml")


def mini():
    return load_questionnaire(MINI)


def sheet(answers: dict, code="011002", name="札幌市", population=1_973_395, qid="mini", version="1.0.0"):
    return AnswerSheet.model_validate(
        {
            "questionnaire": {"id": qid, "version": version},
            "municipality": {"code": code, "name": name, "population": population},
            "assessed": dt.date(2026, 11, 27),
            "answers": answers,
        }
    )


def test_levels_of_each_answer_type():
    q, _ = mini()
    questions = q.question_map()
    assert questions["leadership.mayor_commitment"].level_of(3) == 3
    assert questions["leadership.policy"].level_of(True) == 5
    assert questions["leadership.policy"].level_of(False) == 0
    assert questions["infrastructure.wifi"].level_of("meeting_rooms") == 3
    pc_age = questions["infrastructure.pc_age"]  # lower is better, thresholds 8,7,6,5,4
    assert [pc_age.level_of(v) for v in (20, 8, 7.5, 6, 4, 0)] == [0, 1, 1, 3, 5, 5]


def test_mini_scores_by_hand():
    a = load_assessment(MINI_ANSWERS)
    result = score(a.questionnaire, a.sheet)
    assert result.tier is Tier.designated_city
    lead = result.domain("leadership")
    assert lead.score == pytest.approx((3 + 0) / 2)
    infra = result.domain("infrastructure")  # pc_age 6.5 → level 2, wifi meeting rooms → 3, secured skipped
    assert infra.score == pytest.approx(2.5)
    assert infra.applicable == 3 and infra.answered == 2
    assert result.overall == pytest.approx((1.5 * 2 + 2.5 * 1) / 3)
    assert result.completeness == pytest.approx(4 / 5)


def test_hidden_question_leaves_the_denominator():
    q, _ = mini()
    s = sheet({"infrastructure.wifi": {"value": "none"}, "infrastructure.wifi_secured": {"value": False}})
    result = score(q, s)
    assert result.question("infrastructure.wifi_secured").state == "hidden"
    assert result.domain("infrastructure").score == 0
    assert result.domain("infrastructure").applicable == 2


def test_gaps_priority_next_step_and_roadmap():
    a = load_assessment(MINI_ANSWERS)
    result = score(a.questionnaire, a.sheet)
    gaps = find_gaps(a.questionnaire, a.catalogue, result, a.sheet.assessed)
    assert [g.question_id for g in gaps] == [
        "leadership.policy",  # gap 4 × weight 2
        "leadership.mayor_commitment",  # gap 1 × 2 = 2, manual S0.1 before S2.1
        "infrastructure.pc_age",  # gap 2 × 1 = 2
        "infrastructure.wifi",
    ]
    policy, mayor, pc_age, wifi = gaps
    assert policy.priority == 8 and policy.manual == ("S0.1",)
    # the next step is the questionnaire's action for the next level, never a level's description
    assert (
        text(*policy.next_step[:1], "ja", **policy.next_step[1]) == "情報担当課が方針案を作り、庁議で決定して公表する。"
    )
    assert policy.owner.value == "dx" and not policy.needs_budget and policy.months == 6 and not policy.quick_win
    assert mayor.next_level == 4
    assert text(*mayor.next_step[:1], "en", **mayor.next_step[1]).startswith(
        "The mayor checks results against indicators"
    )
    assert pc_age.next_level == 3 and pc_age.needs_budget and pc_age.step is not None
    assert text(*pc_age.next_step[:1], "ja", **pc_age.next_step[1]) == "次年度予算で古いPCを更新する。"
    # assessed 2026-11-27, after the default budget cut-off (end of October): money in FY2028
    phases = schedule(gaps, a.sheet.assessed)
    assert [p.fiscal_year for p in phases] == [2026, 2027, 2028]
    assert set(phases[0].question_ids) == {"leadership.policy", "leadership.mayor_commitment"}
    assert phases[1].question_ids == ()
    assert set(phases[2].question_ids) == {"infrastructure.pc_age", "infrastructure.wifi"}


@pytest.mark.parametrize(
    "day,fy", [(dt.date(2026, 4, 1), 2026), (dt.date(2027, 3, 31), 2026), (dt.date(2026, 1, 5), 2025)]
)
def test_fiscal_year(day: dt.date, fy: int):
    assert fiscal_year(day) == fy


# ---- properties over the flagship questionnaire ----------------------------------------------


def _referenced() -> set[str]:
    q, _ = flagship()
    return {
        r.question_id for question in q.questions() if question.when for r in expr.references(expr.parse(question.when))
    }


def _value(draw, question):
    if isinstance(question, ScaleQuestion):
        return draw(st.integers(0, 5))
    if isinstance(question, YesNoQuestion):
        return draw(st.booleans())
    if isinstance(question, ChoiceQuestion):
        return draw(st.sampled_from([o.key for o in question.options]))
    assert isinstance(question, NumericQuestion)
    value = draw(st.floats(question.min, question.max, allow_nan=False))
    return float(round(value)) if question.integer else value


@st.composite
def answer_sets(draw):
    q, _ = flagship()
    answers = {}
    for question in q.questions():
        state = draw(st.sampled_from(["value", "value", "value", "na", "skipped", "missing"]))
        if state == "na" and not question.na_allowed:
            state = "value"
        if state == "value":
            answers[question.id] = {"value": _value(draw, question)}
        elif state in ("na", "skipped"):
            answers[question.id] = {state: True}
    tier = draw(
        st.sampled_from(
            [
                ("011002", "札幌市", 1_900_000),
                ("012025", "函館市", 240_000),
                ("131016", "千代田区", 68_000),
                ("012033", "小樽市", 105_000),
                ("013030", "当別町", 15_000),
            ]
        )
    )
    return answers, tier


def _raise(question, value):
    """The next better answer, or None at the top."""
    if isinstance(question, ScaleQuestion):
        return value + 1 if value < 5 else None
    if isinstance(question, YesNoQuestion):
        better = question.yes_level > question.no_level
        return (not value) if (value is not better) else None
    if isinstance(question, ChoiceQuestion):
        current = next(o.level for o in question.options if o.key == value)
        higher = [o for o in question.options if o.level > current]
        return min(higher, key=lambda o: o.level).key if higher else None
    t = question.thresholds
    nxt = [x for x in t if (x > value if question.direction == "higher" else x < value)]
    if not nxt:
        return None
    return min(nxt) if question.direction == "higher" else max(nxt)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(answer_sets(), st.data())
def test_raising_an_answer_never_lowers_a_score(case, data):
    answers, (code, name, pop) = case
    q, _ = flagship()
    questions = q.question_map()
    free = sorted(qid for qid, a in answers.items() if "value" in a and qid not in _referenced())
    if not free:
        return
    qid = data.draw(st.sampled_from(free))
    better = _raise(questions[qid], answers[qid]["value"])
    if better is None:
        return
    before = score(q, sheet(answers, code, name, pop, "municipal-dx", q.version))
    if before.question(qid).level is None:  # hidden by its condition: not scored
        return
    raised = {**answers, qid: {"value": better}}
    after = score(q, sheet(raised, code, name, pop, "municipal-dx", q.version))
    assert after.question(qid).level >= before.question(qid).level
    for d_before, d_after in zip(before.domains, after.domains):
        if d_before.score is not None:
            assert d_after.score >= d_before.score - 1e-9
    assert after.overall >= before.overall - 1e-9


@SETTINGS
@given(answer_sets())
def test_scores_stay_within_0_and_5(case):
    answers, (code, name, pop) = case
    q, c = flagship()
    result = score(q, sheet(answers, code, name, pop, "municipal-dx", q.version))
    for d in result.domains:
        assert d.score is None or 0 <= d.score <= 5
        assert 0 <= d.target <= 5
    assert result.overall is None or 0 <= result.overall <= 5
    assert 0 <= result.completeness <= 1
    for g in find_gaps(q, c, result, dt.date(2026, 11, 1)):
        assert 0 < g.gap <= 5 and g.priority > 0


@SETTINGS
@given(answer_sets(), st.data())
def test_marking_na_changes_no_other_domain(case, data):
    answers, (code, name, pop) = case
    q, _ = flagship()
    allowed = [x.id for x in q.questions() if x.na_allowed and x.id not in _referenced()]
    qid = data.draw(st.sampled_from(allowed))
    before = score(q, sheet(answers, code, name, pop, "municipal-dx", q.version))
    after = score(q, sheet({**answers, qid: {"na": True}}, code, name, pop, "municipal-dx", q.version))
    domain = q.domain_of(qid).id
    for d_before, d_after in zip(before.domains, after.domains):
        if d_before.domain_id != domain:
            assert d_before == d_after


def test_answer_model_needs_exactly_one_state():
    with pytest.raises(ValueError):
        Answer.model_validate({"value": 1, "skipped": True})
    with pytest.raises(ValueError):
        Answer.model_validate({"note": "only a note"})


def test_a_question_target_never_exceeds_its_highest_answer_level():
    """A yes/no question whose yes is level 3 is met by yes, even where its domain aims at 4 (a
    designated city): the report never asks a city to do again what it has done."""
    q, catalogue = flagship()
    audit = q.question_map()["security.audit"]
    assert max(audit.answer_levels()) == 3
    designated = sheet(
        {"security.audit": {"value": True}, "organisation.cio": {"value": False}},
        code="141003",
        name="横浜市",
        population=3_770_000,
        qid="municipal-dx",
        version="1.1.0",
    )
    result = score(q, designated)
    assert result.tier is Tier.designated_city
    targets = {qs.question_id: qs.target for qs in result.questions}
    assert targets["security.audit"] == 3.0 and targets["organisation.cio"] == 3.0
    domain = next(d for d in q.domains if d.id == "security")
    assert domain.targets.for_band(result.band) == 4.0  # the domain's own target is unchanged
    gaps = {g.question_id for g in find_gaps(q, catalogue, result, designated.assessed)}
    assert "security.audit" not in gaps  # yes: nothing left to do
    assert "organisation.cio" in gaps  # no: still a gap, up to level 3


def test_a_change_that_shows_as_0_00_is_unchanged():
    """Scores are shown to two decimals: 3.083 → 3.080 is "unchanged", not "worsened +0.00"."""
    from dxassess.compare import change_status

    assert change_status(3.083, 3.080) == (0.0, "unchanged")
    assert change_status(3.08, 3.07)[1] == "worsened"
    assert change_status(3.0, 3.006)[1] == "improved"
    assert change_status(None, 3.0) == (None, "new")


def test_a_domain_answered_before_and_all_skipped_now_is_not_comparable_not_removed(tmp_path):
    """`report --previous` listed a domain whose questions were all skipped this time as
    "removed", as if the questionnaire had dropped it. "new" and "removed" are for ids one side
    lacks; a score missing on one side is not comparable."""
    from dxassess.api import assess

    from .conftest import MINI, MINI_ANSWERS

    text = MINI_ANSWERS.read_text(encoding="utf-8")
    now = tmp_path / "now.yaml"
    skipped = "\n".join(
        f"  {qid}: {{skipped: true}}" if line.startswith(f"  {qid}:") else line
        for line in text.splitlines()
        for qid in [line.split(":")[0].strip()]
    )
    now.write_text(skipped.replace("assessed: 2026-11-27", "assessed: 2027-11-27") + "\n", encoding="utf-8")
    lines = [ln for ln in now.read_text(encoding="utf-8").splitlines() if ln.startswith("  infrastructure.")]
    assert lines and all("{skipped: true}" in ln for ln in lines)
    result = assess(now, MINI, MINI_ANSWERS)
    assert result.comparison is not None
    by_id = {c.id: c for c in result.comparison.domains}
    assert by_id["infrastructure"].status == "not_comparable" and by_id["infrastructure"].new is None
    assert result.comparison.overall.status == "not_comparable"
    assert all(c.status != "removed" for c in result.comparison.questions)
