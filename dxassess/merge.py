"""Merging the parts of a team assessment into one answer file, as a pure function.

Parts are answer data of one municipality and one questionnaire version, each with a name and
the person or section who answered it. For each question:

- answers that agree (the same value, or N/A) become one answer: the newest one (`answered_on`,
  else the part's assessment date; then by part name), its distinct notes joined, marked for
  review when any part marked it;
- a skipped answer gives way to any real answer; a question every part skipped stays skipped;
- answers that disagree are a conflict: never chosen silently. `prefer` rules (`newest`, or a
  part's name), tried in the order given, may decide it; otherwise it is recorded under
  `conflicts` in the merged file and left out of `answers`, so the file cannot be scored until
  someone decides.

Everything is ordered by part name and questionnaire order, so the result does not depend on
the order the parts were given in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from dxassess import lgcode
from dxassess.errors import InputError, UsageError
from dxassess.model import Answer, AnswerSheet, Questionnaire
from dxassess.model.answers import MAX_NOTE
from dxassess.text import Msg, msg

NEWEST = "newest"
NOTE_JOIN = " / "


@dataclass(frozen=True)
class PartInput:
    """One part: its answers, its name, who answered it and where it came from."""

    name: str
    source: str  # a file, or "sheet.xlsx:5" for a sheet row
    sheet: AnswerSheet
    respondent: str | None = None

    @property
    def assessed(self) -> dt.date:
        return self.sheet.assessed


@dataclass(frozen=True)
class Given:
    """One part's answer to one question."""

    part: PartInput
    answer: dict[str, Any]  # the answer as written, with `answered_by` filled in

    @property
    def when(self) -> dt.date:
        on = self.answer.get("answered_on")
        return on if isinstance(on, dt.date) else self.part.assessed

    @property
    def informative(self) -> bool:
        return not self.answer.get("skipped")


@dataclass(frozen=True)
class Conflict:
    """A question the parts answered differently; `chosen` is the part a `prefer` rule picked
    (with the rule), or None when it is still open."""

    question_id: str
    given: tuple[Given, ...]
    chosen: str | None = None
    rule: str | None = None


@dataclass
class Merged:
    """The merged answer data and what happened on the way."""

    questionnaire: dict[str, str]
    municipality: dict[str, Any]
    assessed: dt.date
    answers: dict[str, dict[str, Any]]  # in questionnaire order
    conflicts: list[Conflict]  # open and resolved, in questionnaire order
    mentioned: set[str]  # every question any part answered, skipped or marked N/A
    sharing: dict[str, Any] | None = None
    synthetic: bool = False
    details: list[tuple[str, str]] = field(default_factory=list)  # (municipality field, part chosen)

    @property
    def open(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.chosen is None]

    @property
    def resolved(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.chosen is not None]

    def conflict_entries(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Question id → part name → answer, for the file's `conflicts`."""
        return {c.question_id: {g.part.name: g.answer for g in c.given} for c in self.open}

    def data(self) -> dict[str, Any]:
        """The merged file's data in the answer-file shape."""
        out: dict[str, Any] = {
            "questionnaire": dict(self.questionnaire),
            "municipality": dict(self.municipality),
            "assessed": self.assessed,
            "answers": self.answers,
        }
        if self.sharing:
            out["sharing"] = self.sharing
        if self.synthetic:
            out["synthetic"] = True
        if self.open:
            out["conflicts"] = self.conflict_entries()
        return out


def plain_answer(answer: Answer) -> dict[str, Any]:
    """An answer as the data an answer file holds (defaults left out)."""
    data: dict[str, Any] = answer.model_dump(exclude_defaults=True)
    return data


def _state(answer: dict[str, Any]) -> tuple[Any, ...]:
    """What two answers must share to agree: N/A, or the same value (3 and 3.0 agree)."""
    if answer.get("na"):
        return ("na",)
    if answer.get("skipped"):
        return ("skipped",)
    value = answer.get("value")
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", float(value))
    return ("text", value)


def _value_msg(answer: dict[str, Any]) -> Msg:
    if answer.get("na"):
        return msg("merge.value_na")
    if answer.get("skipped"):
        return msg("merge.value_skipped")
    value = answer.get("value")
    shown = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return Msg(shown, shown)


def given_msg(entries: list[tuple[str, dict[str, Any], dt.date | None]]) -> Msg:
    """`人事 (人事課, 2026-10-01): 3 "note"; 情報政策 (...): 2`: each part's answer, who gave it,
    when and its note, in both languages. `entries` are (part name, answer, fallback date)."""
    shown = []
    for name, answer, fallback in entries:
        on = answer.get("answered_on") or fallback
        note = answer.get("note")
        shown.append(
            msg(
                "report.merge_given",
                part=name,
                by=answer.get("answered_by") or "—",
                on=on.isoformat() if isinstance(on, dt.date) else (str(on) if on else msg("merge.unknown_date")),
                value=_value_msg(answer),
                note=msg("report.merge_given_note", note=note) if note else Msg("", ""),
            )
        )
    sep = msg("report.merge_given_sep")
    return Msg(sep.en.join(m.en for m in shown), sep.ja.join(m.ja for m in shown))


def conflict_msg(conflict: Conflict) -> Msg:
    """What the merge says about a conflict: still open, or decided by a `prefer` rule."""
    given = given_msg([(g.part.name, g.answer, g.part.assessed) for g in conflict.given])
    if conflict.chosen is None:
        return msg("merge.conflict", qid=conflict.question_id, given=given)
    return msg("merge.resolved", qid=conflict.question_id, given=given, rule=conflict.rule, part=conflict.chosen)


def check_compatible(parts: list[PartInput]) -> None:
    """One municipality, one questionnaire version, distinct part names; else a one-line error."""
    first = parts[0]
    for part in parts[1:]:
        a, b = first.sheet.municipality, part.sheet.municipality
        if a.code != b.code:
            raise InputError(
                msg(
                    "merge.other_municipality",
                    first=first.source,
                    first_code=a.code,
                    first_name=a.name,
                    other=part.source,
                    other_code=b.code,
                    other_name=b.name,
                ),
                code="DX503",
            )
        qa, qb = first.sheet.questionnaire, part.sheet.questionnaire
        if (qa.id, qa.version) != (qb.id, qb.version):
            raise InputError(
                msg(
                    "merge.other_questionnaire",
                    first=first.source,
                    first_q=f"{qa.id} {qa.version}",
                    other=part.source,
                    other_q=f"{qb.id} {qb.version}",
                ),
                code="DX504",
            )
    seen: dict[str, str] = {}
    for part in parts:
        if part.name in seen:
            raise InputError(
                msg("merge.same_name", name=part.name, first=seen[part.name], other=part.source), code="DX505"
            )
        seen[part.name] = part.source


def check_prefer(prefer: list[str], parts: list[PartInput]) -> None:
    names = {p.name for p in parts}
    for rule in prefer:
        if rule != NEWEST and rule not in names:
            listed = ", ".join(sorted(names))
            raise UsageError(msg("merge.unknown_prefer", rule=rule, names=listed))


def _decide(given: list[Given], prefer: list[str]) -> tuple[Given, str] | None:
    """The answer a `prefer` rule picks among disagreeing ones, with the rule; None if none does."""
    for rule in prefer:
        if rule == NEWEST:
            newest = max(g.when for g in given)
            top = [g for g in given if g.when == newest]
            if len({_state(g.answer) for g in top}) == 1:
                return top[0], rule
        else:
            named = [g for g in given if g.part.name == rule]
            if named:
                return named[0], rule
    return None


def _joined_notes(chosen: Given, agreeing: list[Given]) -> str | None:
    notes: list[str] = []
    for g in [chosen, *agreeing]:
        note = g.answer.get("note")
        if note and note not in notes:
            notes.append(note)
    if not notes:
        return None
    joined = NOTE_JOIN.join(notes)
    return joined if len(joined) <= MAX_NOTE else joined[: MAX_NOTE - 1] + "…"


def _agreed(given: list[Given]) -> dict[str, Any]:
    """One answer from answers that agree: the newest, with every distinct note and any review mark."""
    chosen = max(given, key=lambda g: g.when)  # the first of the newest: parts come sorted by name
    answer = dict(chosen.answer)
    note = _joined_notes(chosen, given)
    if note:
        answer["note"] = note
    if any(g.answer.get("review") for g in given):
        answer["review"] = True
    if "evidence" not in answer:
        evidence = next((g.answer["evidence"] for g in given if g.answer.get("evidence")), None)
        if evidence:
            answer["evidence"] = evidence
    return answer


def _municipality(parts: list[PartInput], prefer: list[str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The municipality's details all parts agree on; where they differ a `prefer` rule decides,
    else a one-line error."""
    out: dict[str, Any] = {}
    chosen: list[tuple[str, str]] = []
    for key in ("code", "name", "prefecture", "population"):
        values = {}
        for part in parts:
            m = part.sheet.municipality
            value = getattr(m, key)
            if key == "prefecture":
                value = value or lgcode.prefecture_of(m.code)
            values[part.name] = value
        if len(set(values.values())) == 1:
            out[key] = next(iter(values.values()))
            continue
        pick = None
        for rule in prefer:
            if rule == NEWEST:
                newest = max(p.assessed for p in parts)
                top = {values[p.name] for p in parts if p.assessed == newest}
                if len(top) == 1:
                    pick = next(p.name for p in parts if p.assessed == newest)
            elif rule in values:
                pick = rule
            if pick:
                break
        if pick is None:
            shown = ", ".join(f"{name}: {value}" for name, value in values.items())
            raise InputError(msg("merge.details_differ", field=key, values=shown), code="DX506")
        out[key] = values[pick]
        chosen.append((key, pick))
    return out, chosen


def merge(parts: list[PartInput], questionnaire: Questionnaire, prefer: list[str] | None = None) -> Merged:
    """The parts merged (see the module's docstring). Raises InputError for parts of different
    municipalities or questionnaire versions, or with the same name; UsageError for a `prefer`
    naming no part."""
    if not parts:
        raise UsageError(msg("merge.nothing"))
    rules = list(prefer or [])
    parts = sorted(parts, key=lambda p: (p.name, p.source))
    check_compatible(parts)
    check_prefer(rules, parts)
    municipality, details = _municipality(parts, rules)
    answers: dict[str, dict[str, Any]] = {}
    conflicts: list[Conflict] = []
    mentioned: set[str] = set()
    for question in questionnaire.questions():
        qid = question.id
        given: list[Given] = []
        for part in parts:
            found = part.sheet.answers.get(qid)
            if found is None:
                continue
            answer = plain_answer(found)
            answer.setdefault("answered_by", part.respondent or part.name)
            given.append(Given(part, answer))
        if not given:
            continue
        mentioned.add(qid)
        real = [g for g in given if g.informative] or given
        states = {_state(g.answer) for g in real}
        if len(states) == 1:
            answers[qid] = _agreed(real)
            continue
        decided = _decide(real, rules)
        if decided is None:
            conflicts.append(Conflict(qid, tuple(real)))
            continue
        chosen, rule = decided
        answers[qid] = dict(chosen.answer)
        conflicts.append(Conflict(qid, tuple(real), chosen.part.name, rule))
    sharing = next((p.sheet.sharing for p in parts if p.sheet.sharing is not None), None)
    ref = parts[0].sheet.questionnaire
    return Merged(
        {"id": ref.id, "version": ref.version},
        municipality,
        max(p.assessed for p in parts),
        answers,
        conflicts,
        mentioned,
        sharing.model_dump(exclude_defaults=True) if sharing else None,
        any(p.sheet.synthetic for p in parts),
        details,
    )
