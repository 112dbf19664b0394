"""Scoring as pure functions: answer → level, weighted domain and overall scores, completeness."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from dxassess import expr, lgcode
from dxassess.memo import PerObjects
from dxassess.model import (
    AnswerSheet,
    Band,
    Questionnaire,
    Tier,
)
from dxassess.model.size import band_of


@dataclass(frozen=True)
class QuestionScore:
    question_id: str
    domain_id: str
    state: str  # answered | na | skipped | unanswered | hidden
    level: float | None
    weight: float
    target: float


@dataclass(frozen=True)
class DomainScore:
    domain_id: str
    score: float | None
    target: float
    gap: float | None
    answered: int
    applicable: int


@dataclass(frozen=True)
class Score:
    tier: Tier
    band: Band
    overall: float | None
    overall_target: float
    completeness: float
    domains: tuple[DomainScore, ...]
    questions: tuple[QuestionScore, ...]

    def domain(self, domain_id: str) -> DomainScore:
        return next(d for d in self.domains if d.domain_id == domain_id)

    def question(self, question_id: str) -> QuestionScore:
        return next(q for q in self.questions if q.question_id == question_id)


def answer_values(sheet: AnswerSheet) -> dict[str, Any]:
    """Question id → value, for `when` conditions (N/A and skipped give no value)."""
    return {qid: a.value for qid, a in sheet.answers.items() if a.value is not None}


def visible_questions(questionnaire: Questionnaire, values: dict[str, Any]) -> set[str]:
    """Ids of the questions whose `when` holds, evaluated in order over earlier answers only."""
    plan = _CONDITIONS(questionnaire)
    visible = set(plan.ids)
    seen: dict[str, Any] = {}  # the answers conditions read, of the questions shown so far
    for qid, condition, read in plan.steps:
        if condition is not None and not expr.evaluate(condition, seen):
            visible.discard(qid)
        elif read and qid in values:
            seen[qid] = values[qid]
    return visible


class _Conditions:
    """A questionnaire's conditions in order: every question id, and the steps that matter for
    `visible_questions` (a question with a `when`, or one a `when` reads), each as (id, compiled
    condition or None, whether a condition reads its answer). A condition reads nothing else, so
    the other questions are always shown and need no step."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        questions = questionnaire.questions()
        reads = {
            ref.question_id for q in questions if q.when is not None for ref in expr.references(expr.compiled(q.when))
        }
        self.ids = frozenset(q.id for q in questions)
        self.steps = tuple(
            (q.id, None if q.when is None else expr.compiled(q.when), q.id in reads)
            for q in questions
            if q.when is not None or q.id in reads
        )


_CONDITIONS: PerObjects[_Conditions] = PerObjects(_Conditions)


def tier_of(sheet: AnswerSheet) -> Tier:
    """The size tier of the answer file's municipality: the register's kind of its code."""
    m = sheet.municipality
    return lgcode.tier_of(m.code, m.name, m.population, m.kind)


# questionnaire → {band: {question id: target}}
_TARGETS: PerObjects[dict[Band, dict[str, float]]] = PerObjects(lambda questionnaire: {})


def targets(questionnaire: Questionnaire, band: Band) -> dict[str, float]:
    """Question id → its target for `band` (`QuestionBase.target_for`), made once per
    questionnaire and band."""
    by_band: dict[Band, dict[str, float]] = _TARGETS(questionnaire)
    found = by_band.get(band)
    if found is None:
        found = by_band[band] = {
            q.id: q.target_for(d.targets, band) for d in questionnaire.domains for q in d.questions
        }
    return found


def _target(domain: Any, band: Band) -> float:
    """A domain's target for a band (0 when it sets none)."""
    value = domain.for_band(band)
    return 0.0 if value is None else value


def _weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    total = sum(w for _, w in pairs)
    if not pairs or total <= 0:
        return None
    return sum(v * w for v, w in pairs) / total


def rounded(value: float | None, digits: int = 2) -> float | None:
    if value is None:
        return None
    return float(math.floor(value * 10**digits + 0.5) / 10**digits)


# questionnaire → {(question, state, level, target): its QuestionScore}: a score is immutable, and
# the 1,741 answer files of a batch give each question few levels, so each is made once
_SCORES: PerObjects[dict[tuple[Any, ...], QuestionScore]] = PerObjects(lambda questionnaire: {})
_SCORES_KEPT = 50_000


def score(questionnaire: Questionnaire, sheet: AnswerSheet) -> Score:
    """Score one answer sheet against its questionnaire (both already validated)."""
    tier = tier_of(sheet)
    band = band_of(tier, sheet.municipality.population)
    values = answer_values(sheet)
    visible = visible_questions(questionnaire, values)
    question_scores: list[QuestionScore] = []
    domain_scores: list[DomainScore] = []
    answered_total = applicable_total = 0
    question_targets = targets(questionnaire, band)
    made = _SCORES(questionnaire)
    if len(made) > _SCORES_KEPT:
        made.clear()
    for domain in questionnaire.domains:
        pairs: list[tuple[float, float]] = []
        answered = applicable = 0
        for question in domain.questions:
            target = question_targets[question.id]
            answer = sheet.answers.get(question.id)
            level = None
            if question.id not in visible:
                state = "hidden"
            elif answer is None:
                state = "unanswered"
            elif answer.na:
                state = "na"
            elif answer.skipped:
                state = "skipped"
            else:
                state = "answered"
                level = question.level_of(answer.value)
                pairs.append((level, question.weight))
            if state != "hidden":
                applicable += 1
                answered += state in ("answered", "na")
            key = (question.id, state, level, level.__class__, target, target.__class__)
            found = made.get(key)
            if found is None:
                found = made[key] = QuestionScore(question.id, domain.id, state, level, question.weight, target)
            question_scores.append(found)
        domain_score = _weighted_mean(pairs)
        target = _target(domain.targets, band)
        gap = None if domain_score is None else max(0.0, target - domain_score)
        domain_scores.append(DomainScore(domain.id, domain_score, target, gap, answered, applicable))
        answered_total += answered
        applicable_total += applicable
    overall = _weighted_mean(
        [(d.score, dom.weight) for d, dom in zip(domain_scores, questionnaire.domains) if d.score is not None]
    )
    overall_target = _weighted_mean([(d.target, dom.weight) for d, dom in zip(domain_scores, questionnaire.domains)])
    completeness = answered_total / applicable_total if applicable_total else 0.0
    return Score(tier, band, overall, overall_target or 0.0, completeness, tuple(domain_scores), tuple(question_scores))
