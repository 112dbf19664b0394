"""Gap analysis as pure functions: gaps against tier targets, priorities, next steps, roadmap."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from dxassess.model import (
    Catalogue,
    ChoiceQuestion,
    NumericQuestion,
    Questionnaire,
    ScaleQuestion,
    YesNoQuestion,
)
from dxassess.scoring import Score
from dxassess.text import Msg

Text = dict[str, str]
NextStep = tuple[str, dict[str, Any]]  # a catalogue key and its values


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
    next_step: NextStep
    manual: tuple[str, ...]
    quick_win: bool
    phase: str  # this_year | next_year | later


@dataclass(frozen=True)
class Phase:
    key: str  # this_year | next_year | later
    fiscal_year: int  # first fiscal year of the phase
    gaps: tuple[Gap, ...]


def fiscal_year(day: dt.date) -> int:
    """Japan's fiscal year runs April to March: 2027-03-31 is in FY2026."""
    return day.year if day.month >= 4 else day.year - 1


def reiwa(fy: int) -> int:
    """令和 year of a fiscal year (FY2019 = 令和元年度)."""
    return fy - 2018


def _bilingual(value: dict[str, str]) -> Msg:
    """A text from a file ({ja, en}) as a Msg, so it can fill a catalogue text in either language."""
    en = value.get("en") or next(iter(value.values()), "")
    return Msg(en, value.get("ja") or en)


def next_step(question: Any, questionnaire: Questionnaire, next_level: int) -> NextStep:
    """What the municipality looks like one level up: a catalogue key and its values."""
    if isinstance(question, ScaleQuestion):
        override = question.levels.get(next_level)
        if override is not None:
            return "report.step_as_written", {"text": _bilingual(override.description)}
        scale = questionnaire.scales[question.scale]
        level = next((lv for lv in scale.levels if lv.level == next_level), scale.levels[-1])
        return "report.step_as_written", {"text": _bilingual(level.description)}
    if isinstance(question, YesNoQuestion):
        return "report.step_as_written", {"text": _bilingual(question.yes_description or question.text)}
    if isinstance(question, ChoiceQuestion):
        better = sorted((o for o in question.options if o.level >= next_level), key=lambda o: o.level)
        option = better[0] if better else max(question.options, key=lambda o: o.level)
        return "report.step_reach_option", {"label": _bilingual(option.label)}
    if isinstance(question, NumericQuestion):
        threshold = question.threshold_for(min(next_level, 5))
        key = "report.step_raise_to" if question.direction == "higher" else "report.step_lower_to"
        return key, {"value": threshold, "unit": _bilingual(question.unit)}
    raise TypeError(type(question).__name__)


def _manual_rank(catalogue: Catalogue | None, refs: list[str]) -> int:
    if catalogue is None:
        return 0
    order = catalogue.section_order()
    return min((order.get(r, len(order)) for r in refs), default=len(order))


def find_gaps(questionnaire: Questionnaire, catalogue: Catalogue | None, result: Score) -> list[Gap]:
    """Every answered question below its target, highest priority first."""
    questions = questionnaire.question_map()
    domain_weight = {d.id: d.weight for d in questionnaire.domains}
    ranked: list[tuple[float, int, int, Gap]] = []
    for position, qs in enumerate(result.questions):
        if qs.level is None or qs.level >= qs.target:
            continue
        question = questions[qs.question_id]
        gap = qs.target - qs.level
        weight = qs.weight * domain_weight[qs.domain_id]
        next_level = min(5, int(math.floor(qs.level)) + 1)
        if isinstance(question, YesNoQuestion):
            next_level = question.yes_level
        steps = 1 if isinstance(question, YesNoQuestion) else math.ceil(gap - 1e-9)
        quick = steps <= 1
        phase = "this_year" if quick else ("next_year" if steps <= 2 else "later")
        item = Gap(
            question_id=qs.question_id,
            domain_id=qs.domain_id,
            current=qs.level,
            target=qs.target,
            gap=round(gap, 4),
            weight=weight,
            priority=round(gap * weight, 4),
            next_level=next_level,
            next_step=next_step(question, questionnaire, next_level),
            manual=tuple(question.manual),
            quick_win=quick,
            phase=phase,
        )
        ranked.append((-item.priority, _manual_rank(catalogue, question.manual), position, item))
    ranked.sort(key=lambda r: r[:3])
    return [r[3] for r in ranked]


def roadmap(gaps: list[Gap], assessed: dt.date) -> list[Phase]:
    """Group gaps by fiscal-year phase counted from the assessment date; quick wins first."""
    fy = fiscal_year(assessed)
    starts = {"this_year": fy, "next_year": fy + 1, "later": fy + 2}
    phases = []
    for key in ("this_year", "next_year", "later"):
        items = [g for g in gaps if g.phase == key]
        items.sort(key=lambda g: (not g.quick_win,))  # stable: keeps priority order within
        phases.append(Phase(key, starts[key], tuple(items)))
    return phases


def actions_for(catalogue: Catalogue | None, refs: tuple[str, ...]) -> list[Text]:
    """The manual's asks for the cited sections (the actions a gap report lists)."""
    if catalogue is None:
        return []
    sections = catalogue.section_map()
    out: list[Text] = []
    for ref in refs:
        section = sections.get(ref)
        if section is not None:
            out.extend(dict(a) if isinstance(a, dict) else dict(a.text) for a in section.actions)
    return out
