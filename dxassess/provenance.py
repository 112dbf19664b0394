"""Provenance of answers: which answers need confirming because their evidence has expired or
they were given too long ago. Pure functions of the answers and a reference date.

Reports take the reference date from the file itself, so the same file always gives the same
report: the assessment date, or the newest `answered_on` when an answer was confirmed later. The
interview takes today's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from dxassess.model import Answer, AnswerSheet, Evidence

DEFAULT_MAX_AGE = 12  # months: most evidence (a training figure, a yearly policy review) is yearly
MAX_MAX_AGE = 120

EXPIRED = "expired"  # the evidence's `expires` date has passed
OLD = "old"  # answered more than `max_age` months before the reference date
_MODELS = (Answer, Evidence)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has 28 days


def as_of(sheet: AnswerSheet) -> dt.date:
    """The date a report judges the answers at: the assessment date, or the newest `answered_on`
    when it is later."""
    dates = [a.answered_on for a in sheet.answers.values() if a.answered_on is not None]
    return max([sheet.assessed, *dates])


def _field(answer: Answer | Mapping[str, Any], key: str) -> Any:
    if type(answer) in _MODELS:  # the usual case, told apart without the slower Mapping check
        return getattr(answer, key)
    if isinstance(answer, Mapping):
        return answer.get(key)
    return getattr(answer, key)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def expires(answer: Answer | Mapping[str, Any]) -> dt.date | None:
    evidence = _field(answer, "evidence")
    return _date(_field(evidence, "expires")) if evidence else None


def staleness(answer: Answer | Mapping[str, Any], on: dt.date, max_age: int = DEFAULT_MAX_AGE) -> str | None:
    """`expired` when the answer's evidence expired before `on`, `old` when it was answered more
    than `max_age` months before `on`, else None. An answer without dates is never stale. Takes
    a model answer or the plain mapping of an answer file being edited."""
    if type(answer) is Answer and answer.evidence is None and answer.answered_on is None:
        return None  # most answers: no dates, nothing to check
    until = expires(answer)
    if until is not None and until < on:
        return EXPIRED
    answered = _date(_field(answer, "answered_on"))
    if answered is not None and answered < months_before(on, max_age):
        return OLD
    return None


def stale_answers(sheet: AnswerSheet, max_age: int = DEFAULT_MAX_AGE, on: dt.date | None = None) -> dict[str, str]:
    """Question id → `expired` or `old`, for every answer that needs confirming."""
    day = on or as_of(sheet)
    found = {}
    for qid, answer in sheet.answers.items():
        state = staleness(answer, day, max_age)
        if state:
            found[qid] = state
    return found


def expired_count(sheet: AnswerSheet) -> int:
    """How many answers rest on evidence that has expired (for batch summaries)."""
    with_evidence = [a for a in sheet.answers.values() if a.evidence is not None]
    if not with_evidence:
        return 0
    day = as_of(sheet)
    return sum(1 for a in with_evidence if (until := expires(a)) is not None and until < day)
