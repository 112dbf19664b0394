"""Gap analysis as pure functions: every answered question below its target, with the action that
closes it (the questionnaire's step), what that action takes (owner, budget, months, support),
what it relies on in the manual (catalogue actions), its deadline and what must come first.
Priorities follow gap × weight. Keys and values only: the texts are made by the renderers."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from dxassess.memo import PerObjects
from dxassess.model import (
    Catalogue,
    ChoiceQuestion,
    Deadline,
    NumericQuestion,
    Owner,
    QuestionBase,
    Questionnaire,
    ScaleQuestion,
    Step,
    YesNoQuestion,
)
from dxassess.scoring import QuestionScore, Score
from dxassess.text import Msg

Text = dict[str, str]
NextStep = tuple[str, dict[str, Any]]  # a catalogue key and its values

QUICK_MONTHS = 3  # an action with no budget that takes at most this long can start at once


@dataclass(frozen=True)
class Gap:
    question_id: str
    domain_id: str
    current: float
    target: float
    gap: float
    weight: float  # question weight × domain weight
    priority: float
    next_level: int
    next_step: NextStep  # the step's text, or (without a step) the goal to reach
    step: Step | None  # the questionnaire's action for next_level
    owner: Owner | None
    needs_budget: bool
    months: int | None  # roughly how long the action takes
    manual: tuple[str, ...]  # catalogue section ids cited
    actions: tuple[str, ...]  # catalogue action ids the question relies on
    support: tuple[str, ...]  # support scheme ids that fit
    national: tuple[str, ...]  # national figure ids to compare with
    after: tuple[str, ...]  # question ids whose gaps come first
    deadline: Deadline | None
    overdue: bool  # the deadline has passed on the assessment date
    quick_win: bool  # no budget and short; `roadmap.quick_wins` keeps it only where the action starts at once


def fiscal_year(day: dt.date) -> int:
    """Japan's fiscal year runs April to March: 2027-03-31 is in FY2026."""
    return day.year if day.month >= 4 else day.year - 1


def reiwa(fy: int) -> int:
    """令和 year of a fiscal year (FY2019 = 令和元年度)."""
    return fy - 2018


def bilingual(value: dict[str, str]) -> Msg:
    """A text from a file ({ja, en}) as a Msg, so it can fill a catalogue text in either language."""
    en = value.get("en") or next(iter(value.values()), "")
    return Msg(en, value.get("ja") or en)


def goal(question: QuestionBase, questionnaire: Questionnaire, target: float) -> NextStep:
    """What to reach when the questionnaire writes no step: the first level at the target (never
    a level that still falls short), as a catalogue key and its values."""
    level = next((lv for lv in question.answer_levels() if lv >= target - 1e-9), question.answer_levels()[-1])
    if isinstance(question, ScaleQuestion):
        scale = questionnaire.scales[question.scale]
        override = question.levels.get(level)
        found = next((lv for lv in scale.levels if lv.level == level), scale.levels[-1])
        label = override.label if override and override.label else found.label
        return "report.goal_level", {"level": level, "label": bilingual(label)}
    if isinstance(question, ChoiceQuestion):
        option = min((o for o in question.options if o.level >= level), key=lambda o: o.level)
        return "report.goal_option", {"label": bilingual(option.label)}
    if isinstance(question, NumericQuestion):
        key = "report.goal_at_least" if question.direction == "higher" else "report.goal_at_most"
        return key, {"value": question.threshold_for(max(level, 1)), "unit": bilingual(question.unit)}
    if isinstance(question, YesNoQuestion):
        return "report.goal_yes", {"text": bilingual(question.yes_description or question.text)}
    raise TypeError(type(question).__name__)


def _manual_rank(catalogue: Catalogue | None, refs: list[str]) -> int:
    if catalogue is None:
        return 0
    order = catalogue.section_order()
    return min((order.get(r, len(order)) for r in refs), default=len(order))


def _support(step: Step | None, actions: tuple[str, ...], catalogue: Catalogue | None) -> tuple[str, ...]:
    found = list(step.support) if step else []
    table = catalogue.action_map() if catalogue else {}
    for ref in actions:
        action = table.get(ref)
        if action is not None:
            found += action.support
    return tuple(dict.fromkeys(found))


class _Made:
    """The gaps already made for one questionnaire and catalogue, by (question, level, target,
    weight, overdue): a gap depends on nothing else, so the 1,741 reports of a batch, whose answers
    take few distinct levels per question, make each one once (at most `LIMIT` kept)."""

    LIMIT = 50_000

    def __init__(self) -> None:
        self.gaps: dict[tuple[str, float, float, float, bool], Gap] = {}
        self.ranks: dict[str, int] = {}  # question id → its place in the manual's order

    def keep(self, key: tuple[str, float, float, float, bool], gap: Gap) -> None:
        if len(self.gaps) >= self.LIMIT:
            self.gaps.clear()
        self.gaps[key] = gap


_made_for = PerObjects(lambda questionnaire, catalogue: _Made())  # one per questionnaire and catalogue


def _gap(
    questionnaire: Questionnaire,
    catalogue: Catalogue | None,
    question: QuestionBase,
    qs: QuestionScore,
    level: float,
    weight: float,
    overdue: bool,
) -> Gap:
    """The gap of one answered question at `level`, below its target."""
    gap = qs.target - level
    next_level = question.next_level(level)
    if next_level is None:  # cannot happen below a target within 0–5; be safe
        next_level = int(math.ceil(qs.target))
    step = question.step_for(next_level)
    next_step = ("report.step", {"text": bilingual(step.text)}) if step else goal(question, questionnaire, qs.target)
    needs_budget = bool(step and step.needs_budget)
    months = step.months if step else None
    actions = tuple(question.actions)
    return Gap(
        question_id=qs.question_id,
        domain_id=qs.domain_id,
        current=level,
        target=qs.target,
        gap=round(gap, 4),
        weight=weight,
        priority=round(gap * weight, 4),
        next_level=next_level,
        next_step=next_step,
        step=step,
        owner=(step.owner if step and step.owner else None) or question.owner,
        needs_budget=needs_budget,
        months=months,
        manual=tuple(question.manual),
        actions=actions,
        support=_support(step, actions, catalogue),
        national=tuple(question.national),
        after=tuple(question.after),
        deadline=question.deadline,
        overdue=overdue,
        quick_win=step is not None and not needs_budget and (months or 99) <= QUICK_MONTHS,
    )


def find_gaps(questionnaire: Questionnaire, catalogue: Catalogue | None, result: Score, assessed: dt.date) -> list[Gap]:
    """Every answered question below its target, highest priority first (ties: the manual's order,
    then the questionnaire's)."""
    questions = questionnaire.question_map()
    domain_weight = {d.id: d.weight for d in questionnaire.domains}
    made = _made_for(questionnaire, catalogue)
    ranked: list[tuple[float, int, int, Gap]] = []
    for position, qs in enumerate(result.questions):
        if qs.level is None or qs.level >= qs.target:
            continue
        question = questions[qs.question_id]
        weight = qs.weight * domain_weight[qs.domain_id]
        overdue = question.deadline is not None and question.deadline.date < assessed
        key = (qs.question_id, qs.level, qs.target, weight, overdue)
        item = made.gaps.get(key)
        if item is None:
            item = _gap(questionnaire, catalogue, question, qs, qs.level, weight, overdue)
            made.keep(key, item)
        rank = made.ranks.get(qs.question_id)
        if rank is None:
            rank = made.ranks[qs.question_id] = _manual_rank(catalogue, question.manual)
        ranked.append((-item.priority, rank, position, item))
    ranked.sort(key=lambda r: r[:3])
    return [r[3] for r in ranked]


def actions_for(catalogue: Catalogue | None, refs: tuple[str, ...]) -> list[Text]:
    """The texts of the cited sections' actions (for a catalogue whose actions have no ids, and
    for questions that name no actions of their own)."""
    if catalogue is None:
        return []
    sections = catalogue.section_map()
    out: list[Text] = []
    for ref in refs:
        section = sections.get(ref)
        if section is not None:
            out.extend(dict(a) if isinstance(a, dict) else dict(a.text) for a in section.actions)
    return out
