"""The assessment, as one pure function: answers + questionnaire → Result (score → gaps →
roadmap → comparison with an earlier assessment).

Every report, `score --json`, batch statistics and the Python API read a `Result`; none of them
computes a score, a gap or a roadmap itself. No files, no terminal, no prose: texts are made from
the result by the renderers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dxassess import gaps as gapmod
from dxassess import roadmap as plan
from dxassess.compare import Comparison, compare
from dxassess.model import AnswerSheet, Band, Catalogue, Municipality, Questionnaire, Tier
from dxassess.problems import Problem
from dxassess.scoring import DomainScore, Score, score


@dataclass(frozen=True)
class Result:
    """One municipality's assessment, computed: what every output is made from."""

    sheet: AnswerSheet
    questionnaire: Questionnaire
    catalogue: Catalogue | None
    score: Score
    gaps: tuple[gapmod.Gap, ...]
    roadmap: tuple[plan.Phase, ...]
    first: tuple[str, ...]  # the question ids of the three to five actions to start with
    budget_cutoff: int  # the month by whose end next year's budget requests are in
    previous: Result | None = None
    comparison: Comparison | None = None
    warnings: tuple[Problem, ...] = ()  # what checking the answer file warned about (api.assess)

    @property
    def municipality(self) -> Municipality:
        return self.sheet.municipality

    @property
    def assessed(self) -> dt.date:
        return self.sheet.assessed

    @property
    def tier(self) -> Tier:
        return self.score.tier

    @property
    def band(self) -> Band:
        return self.score.band

    @property
    def overall(self) -> float | None:
        """The overall score 0–5 (None when nothing is answered)."""
        return self.score.overall

    @property
    def completeness(self) -> float:
        """The share 0–1 of applicable questions answered (N/A included)."""
        return self.score.completeness

    @property
    def domains(self) -> dict[str, DomainScore]:
        """Domain id → its score, target and gap, in questionnaire order."""
        return {d.domain_id: d for d in self.score.domains}


def assess(
    sheet: AnswerSheet,
    questionnaire: Questionnaire,
    catalogue: Catalogue | None = None,
    previous: Result | None = None,
    budget_cutoff: int = plan.DEFAULT_BUDGET_CUTOFF,
    comparison: Comparison | None = None,
) -> Result:
    """Assess one answer sheet (already checked against its questionnaire). `previous`, an
    earlier assessment of the same municipality, adds the change since then; `budget_cutoff`
    is the month by whose end next year's budget requests must be in. `comparison` replaces the
    plain one where the two assessments answer different questionnaire versions."""
    scored = score(questionnaire, sheet)
    found = gapmod.find_gaps(questionnaire, catalogue, scored, sheet.assessed)
    phases = plan.schedule(found, sheet.assessed, budget_cutoff, scored.band)
    found = plan.quick_wins(found, phases)
    first = plan.first_actions(found, phases)
    if comparison is None and previous is not None:
        comparison = compare(previous.score, scored)
    return Result(
        sheet,
        questionnaire,
        catalogue,
        scored,
        tuple(found),
        tuple(phases),
        tuple(first),
        budget_cutoff,
        previous,
        comparison,
    )


def with_previous(current: Result, previous: Result, comparison: Comparison | None = None) -> Result:
    """`current` with the change since `previous` (an earlier assessment of the same municipality)."""
    return assess(current.sheet, current.questionnaire, current.catalogue, previous, current.budget_cutoff, comparison)


def across_versions(current: Result, previous: Result, chain: list[Questionnaire]) -> Comparison:
    """The change since `previous`, answered for an earlier version of the questionnaire (`chain`
    leads from its version to the current one): like compared with like, and the rest named."""
    from dxassess.migrate import comparable

    old_sheet, new_sheet, skip = comparable(previous.sheet, current.sheet, chain)
    old_score = score(current.questionnaire, old_sheet)
    new_score = score(current.questionnaire, new_sheet)
    versions = (previous.questionnaire.version, current.questionnaire.version)
    return compare(old_score, new_score, versions, tuple(sorted(skip)))
