"""Answers carried from one version of a questionnaire to a later one, by the `migration` each
version declares (pure: data in, data out).

    plan = migrate(answers, chain)     # chain: the questionnaires from the answers' version on

Every question of the older version is accounted for (validation checks the mapping): an answer
is kept (same id), renamed, split (copied to each new question that accepts it), merged (several
old answers into one: kept when they agree, asked again when they differ) or dropped (removed
questions: kept aside so nothing is silently lost). Where the meaning changed the answer is carried
as the default but asked again; a value the new question cannot take is asked again and kept aside
with the dropped answers. What is asked again,
new or dropped cannot be compared across the versions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dxassess.model import Answer, Questionnaire

STATE = ("value", "na", "skipped")


@dataclass
class Plan:
    """The answers for the last questionnaire of the chain, and what became of the others."""

    previous: str  # the version the answers were given for
    version: str  # the version they are carried to
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # new id → answer
    renamed: dict[str, str] = field(default_factory=dict)  # new id → the old id it came from (one)
    ask_again: list[str] = field(default_factory=list)  # new ids to ask again (answer kept as default)
    dropped: dict[str, dict[str, Any]] = field(default_factory=dict)  # old id → answer of a removed question
    new: list[str] = field(default_factory=list)  # new ids no old question maps to
    reasons: dict[str, dict[str, str]] = field(default_factory=dict)  # new id → why it is asked again

    @property
    def not_comparable(self) -> set[str]:
        """New ids whose answers cannot be compared with the earlier version's."""
        return set(self.ask_again) | set(self.new)


def chain_to(target: Questionnaire, version: str, find: Any) -> list[Questionnaire] | None:
    """The questionnaires from `version` to `target` (both included) following each version's
    `migration.previous`; `find(version)` returns the questionnaire of that version or None.
    None when there is no path."""
    path = [target]
    current = target
    seen = {target.version}
    while current.version != version:
        if current.migration is None:
            return None
        earlier = find(current.migration.previous)
        if earlier is None or earlier.version in seen:
            return None
        seen.add(earlier.version)
        path.append(earlier)
        current = earlier
    return list(reversed(path))


def as_text(value: Any) -> str:
    """An answer value as `values` keys write it (`true`, `3`, `slogan`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _one_step(answers: dict[str, dict[str, Any]], new_q: Questionnaire) -> Plan:
    assert new_q.migration is not None
    plan = Plan(new_q.migration.previous, new_q.version)
    questions = new_q.question_map()
    reached: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for old_id, move in new_q.migration.questions.items():
        answer = answers.get(old_id)
        if move.removed:
            if answer is not None:
                plan.dropped[old_id] = dict(answer)
            continue
        for new_id in move.to:
            reached.setdefault(new_id, [])
            if answer is None:
                continue
            carried = dict(answer)
            if "value" in carried and move.values:
                mapped = move.values.get(as_text(carried["value"]))
                if mapped is not None:
                    carried["value"] = mapped
            reached[new_id].append((old_id, carried))
            if move.changed and new_id not in plan.ask_again:
                plan.ask_again.append(new_id)
                if move.reason:
                    plan.reasons[new_id] = dict(move.reason)
    for new_id in questions:
        if new_id not in reached:
            plan.new.append(new_id)
    for new_id, given in reached.items():
        if not given or new_id not in questions:
            continue
        question = questions[new_id]
        values = {(as_text(a.get("value")), bool(a.get("na")), bool(a.get("skipped"))) for _, a in given}
        old_id, carried = given[0]
        if len(values) > 1:  # merged answers that disagree: keep the first as the default, ask again
            notes = [a.get("note") for _, a in given if a.get("note")]
            if notes:
                carried["note"] = " / ".join(dict.fromkeys(str(n) for n in notes))
            if new_id not in plan.ask_again:
                plan.ask_again.append(new_id)
        if "value" in carried and not question.accepts(carried["value"]):
            # no longer an answer to the question: asked again, no default; the answer as it
            # was given is kept aside (an option renamed without its `values` entry loses nothing)
            plan.dropped.setdefault(old_id, dict(answers[old_id]))
            carried.pop("value")
            if not any(key in carried for key in STATE):
                carried["skipped"] = True
            if new_id not in plan.ask_again:
                plan.ask_again.append(new_id)
        if carried.get("na") and not question.na_allowed:
            carried.pop("na")
            carried["skipped"] = True
            if new_id not in plan.ask_again:
                plan.ask_again.append(new_id)
        plan.answers[new_id] = carried
        plan.renamed[new_id] = old_id
    order = {qid: i for i, qid in enumerate(questions)}
    plan.ask_again.sort(key=lambda q: order.get(q, len(order)))
    return plan


def migrate(answers: dict[str, dict[str, Any]], chain: list[Questionnaire]) -> Plan:
    """Carry `answers` (id → answer dict) given for chain[0] through every later version."""
    plan = Plan(chain[0].version, chain[0].version, {k: dict(v) for k, v in answers.items()})
    plan.renamed = {k: k for k in answers}
    for new_q in chain[1:]:
        step = _one_step(plan.answers, new_q)
        origin = {new_id: plan.renamed.get(old_id, old_id) for new_id, old_id in step.renamed.items()}
        step.previous = plan.previous
        step.renamed = origin
        carried_again = [new_id for new_id, old_id in step.renamed.items() if old_id in plan.ask_again]
        step.ask_again = list(dict.fromkeys([*step.ask_again, *carried_again]))
        step.dropped = {**plan.dropped, **step.dropped}
        step.reasons = {**{k: v for k, v in plan.reasons.items() if k in step.answers}, **step.reasons}
        step.new = list(dict.fromkeys([*step.new, *(q for q in plan.new if q in step.answers)]))
        plan = step
    return plan


def answers_of(sheet: Any) -> dict[str, dict[str, Any]]:
    """An answer sheet's answers as plain dicts (only what was written)."""
    return {qid: answer.model_dump(mode="json", exclude_defaults=True) for qid, answer in sheet.answers.items()}


def comparable(old: Any, new: Any, chain: list[Questionnaire]) -> tuple[Any, Any, set[str]]:
    """Two answer sheets of different versions made comparable: the older one carried to the newer
    version, both limited to the questions that mean the same in both. Returns (old sheet, new
    sheet, ids that cannot be compared)."""
    plan = migrate(answers_of(old), chain)
    skip = plan.not_comparable
    carried = {qid: a for qid, a in plan.answers.items() if qid not in skip}
    old_sheet = old.model_copy(
        update={
            "questionnaire": old.questionnaire.model_copy(update={"version": plan.version}),
            "answers": {qid: Answer.model_validate(a) for qid, a in carried.items()},
        }
    )
    new_sheet = new.model_copy(update={"answers": {q: a for q, a in new.answers.items() if q not in skip}})
    return old_sheet, new_sheet, skip | set(plan.dropped)
