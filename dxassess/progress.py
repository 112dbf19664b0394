"""Progress of a team assessment, as pure counting: per part and per department (the usual owner
of each question), how many questions are answered, skipped, in conflict, marked for review, or
still open.

A part counts the questions it holds that are asked (parts.asked: a condition another part must
decide counts as asked). The departments count the whole team's answers as a merge would see
them: conflicts are questions the parts answered differently, or that a merged file lists under
`conflicts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dxassess import parts as partmod
from dxassess.merge import Merged, PartInput, merge
from dxassess.model import Questionnaire
from dxassess.scoring import visible_questions

STATES = ("answered", "skipped", "conflict", "open")
UNOWNED = "none"  # the group of questions that name no owner


@dataclass
class Tally:
    """Counts over a set of questions: every question is answered, skipped, in conflict or open;
    `review` counts answers marked for review among them."""

    name: str
    questions: int = 0
    answered: int = 0
    skipped: int = 0
    conflict: int = 0
    open: int = 0
    review: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, state: str, review: bool) -> None:
        self.questions += 1
        setattr(self, state, getattr(self, state) + 1)
        self.review += review

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            **self.extra,
            "questions": self.questions,
            "answered": self.answered,
            "skipped": self.skipped,
            "conflict": self.conflict,
            "review": self.review,
            "open": self.open,
        }


@dataclass
class Progress:
    """One municipality's team progress."""

    municipality: dict[str, Any]
    questionnaire: dict[str, str]
    parts: list[Tally]
    departments: list[Tally]
    total: Tally


def _state(answer: Any, in_conflict: bool) -> str:
    if in_conflict:
        return "conflict"
    if answer is None:
        return "open"
    if answer.skipped:
        return "skipped"
    return "answered"


def part_questions(questionnaire: Questionnaire, part: PartInput, covered: tuple[str, ...] | None) -> list[str]:
    """The questions a part holds: a sheet's question columns, else the file's `part` selection."""
    if covered:
        return list(covered)
    return partmod.part_questions(questionnaire, part.sheet.part)


def progress(
    questionnaire: Questionnaire, parts: list[PartInput], covered: dict[str, tuple[str, ...]] | None = None
) -> Progress:
    """The progress of the parts of one municipality (`covered`: a part's source → the question
    columns of a sheet part). Raises as `merge` does for parts that cannot be merged."""
    covered = covered or {}
    merged: Merged = merge(parts, questionnaire)
    open_conflicts = {c.question_id for c in merged.open}
    open_conflicts |= {qid for p in parts for qid in p.sheet.conflicts}
    rows: list[Tally] = []
    for part in sorted(parts, key=lambda p: (p.name, p.source)):
        mine = part_questions(questionnaire, part, covered.get(part.source))
        own = {qid: a.value for qid, a in part.sheet.answers.items() if a.value is not None}
        tally = Tally(part.name, extra={"source": part.source, "respondent": part.respondent})
        for qid in partmod.asked(questionnaire, own, mine):
            answer = part.sheet.answers.get(qid)
            tally.add(_state(answer, qid in open_conflicts), bool(answer and answer.review))
        rows.append(tally)
    values: dict[str, Any] = {qid: a["value"] for qid, a in merged.answers.items() if a.get("value") is not None}
    shown = visible_questions(questionnaire, values)
    owners: dict[str, Tally] = {}
    total = Tally("total")
    for question in questionnaire.questions():
        if question.id not in shown:
            continue
        owner = partmod.owner_of(question) or UNOWNED
        tally = owners.setdefault(owner, Tally(owner))
        found = merged.answers.get(question.id)
        state = "conflict" if question.id in open_conflicts else _merged_state(found)
        review = bool(found and found.get("review"))
        tally.add(state, review)
        total.add(state, review)
    m = merged.municipality
    return Progress(
        {"code": m["code"], "name": m["name"]},
        dict(merged.questionnaire),
        rows,
        list(owners.values()),
        total,
    )


def _merged_state(answer: dict[str, Any] | None) -> str:
    if answer is None:
        return "open"
    return "skipped" if answer.get("skipped") else "answered"
