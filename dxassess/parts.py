"""Parts of a team assessment: which questions a part holds, what it is called, and which of its
questions to ask when some conditions refer to questions another part answers. Pure functions of
the questionnaire and the answers.

A part is chosen by domain, by the department that usually owns a question (`owner`), or both
(then a question must match both). A `when` condition that refers to a question outside the part
which the part's file has not answered cannot be decided inside the part: the dependent question
is asked anyway (docs/guide-en.md, "Team assessment"), and once the parts are merged an answer
whose condition turns out false is not scored (warning DX307).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dxassess import expr
from dxassess.model import Part, Questionnaire

NAME_JOIN = "+"  # between the domains (or owners) of a default part name
KINDS_JOIN = "/"  # between the domains and the owners when both are given


def owner_of(question: Any) -> str | None:
    return question.owner.value if question.owner is not None else None


def select(questionnaire: Questionnaire, domains: Iterable[str] = (), owners: Iterable[str] = ()) -> list[str]:
    """Ids of the questions in the selection, in questionnaire order: in one of `domains` (when
    given) and owned by one of `owners` (when given). Nothing given: every question."""
    wanted_domains, wanted_owners = set(domains), set(owners)
    chosen = []
    for domain in questionnaire.domains:
        if wanted_domains and domain.id not in wanted_domains:
            continue
        for question in domain.questions:
            if wanted_owners and owner_of(question) not in wanted_owners:
                continue
            chosen.append(question.id)
    return chosen


def unknown_domains(questionnaire: Questionnaire, domains: Iterable[str]) -> list[str]:
    known = {d.id for d in questionnaire.domains}
    return [d for d in domains if d not in known]


def default_name(domains: Iterable[str], owners: Iterable[str]) -> str:
    """`personnel`, `infrastructure+skills`, `infrastructure/dx`: the selection, written out."""
    kinds = [NAME_JOIN.join(d) for d in (list(domains), list(owners)) if d]
    return KINDS_JOIN.join(kinds)


def part_questions(questionnaire: Questionnaire, part: Part | None) -> list[str]:
    """The questions a part holds (every question when the file is not a part, or its part
    names no selection)."""
    if part is None:
        return select(questionnaire)
    return select(questionnaire, part.domains, [o.value for o in part.owners])


def selection_of(questionnaire: Questionnaire, question_ids: Iterable[str]) -> tuple[list[str], list[str]] | None:
    """(domains, owners) whose selection is exactly `question_ids` (the question columns of a
    sheet), trying owners, then domains; None when no such selection exists or it is the whole
    questionnaire."""
    ids = set(question_ids)
    every = select(questionnaire)
    if not ids or ids == set(every):
        return None
    questions = questionnaire.question_map()
    owners = sorted({o for qid in ids if qid in questions for o in [owner_of(questions[qid])] if o is not None})
    if owners and set(select(questionnaire, owners=owners)) == ids:
        return [], owners
    domains = [d.id for d in questionnaire.domains if any(q.id in ids for q in d.questions)]
    if set(select(questionnaire, domains=domains)) == ids:
        return domains, []
    return None


def asked(questionnaire: Questionnaire, values: Mapping[str, Any], only: Iterable[str] | None = None) -> list[str]:
    """The questions to ask, in order. Without `only`: those whose `when` holds over the earlier
    answers (as scoring sees them). With `only` (a part): the part's questions whose condition
    holds, or cannot be decided because it refers to a question outside the part that this file
    has not answered."""
    mine = None if only is None else set(only)
    shown: list[str] = []
    seen: dict[str, Any] = {}
    for question in questionnaire.questions():
        if mine is not None and question.id not in mine:
            if question.id in values:
                seen[question.id] = values[question.id]
            continue
        show = question.when is None
        if not show and question.when is not None:
            node = expr.compiled(question.when)
            show = expr.evaluate(node, seen)
            if not show and mine is not None:
                show = any(r.question_id not in mine and r.question_id not in values for r in expr.references(node))
        if show:
            shown.append(question.id)
            if question.id in values:
                seen[question.id] = values[question.id]
    return shown


def make_part(
    questionnaire: Questionnaire,
    domains: Iterable[str] = (),
    owners: Iterable[str] = (),
    name: str | None = None,
    respondent: str | None = None,
) -> Part | None:
    """The part `--domain`, `--owner`, `--part` and `--respondent` describe, or None when no
    selection is given. Raises UsageError for an unknown domain or a selection without questions."""
    from dxassess.errors import UsageError
    from dxassess.text import msg

    domains, owners = list(dict.fromkeys(domains)), list(dict.fromkeys(owners))
    if not domains and not owners and not name:
        return None
    unknown = unknown_domains(questionnaire, domains)
    if unknown:
        listed = ", ".join(d.id for d in questionnaire.domains)
        raise UsageError(msg("part.unknown_domain", domain=unknown[0], questionnaire=questionnaire.id, domains=listed))
    if not select(questionnaire, domains, owners):
        raise UsageError(msg("part.empty", questionnaire=questionnaire.id))
    return Part.model_validate(
        {
            "name": (name or default_name(domains, owners) or questionnaire.id)[:100],
            "domains": domains,
            "owners": owners,
            "respondent": respondent or None,
        }
    )
