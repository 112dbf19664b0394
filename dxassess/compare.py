"""Change between two assessments of one municipality, by domain and by question (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from dxassess.scoring import Score, rounded


@dataclass(frozen=True)
class Change:
    id: str
    old: float | None
    new: float | None
    delta: float | None
    status: str  # improved | worsened | unchanged | new | removed | not_comparable


def change_status(old: float | None, new: float | None) -> tuple[float | None, str]:
    """The change from `old` to `new` and its status (improved, worsened, unchanged; new or
    removed when one side is missing, not_comparable when both are). Scores are shown to two
    decimals, so a change that shows as 0.00 is unchanged, never "worsened by +0.00"."""
    if old is None and new is None:
        return None, "not_comparable"
    if old is None:
        return None, "new"
    if new is None:
        return None, "removed"
    delta = new - old
    shown = rounded(delta) or 0.0
    if shown > 0:
        return delta, "improved"
    if shown < 0:
        return delta, "worsened"
    return 0.0, "unchanged"


def _both_sides(delta: float | None, status: str) -> tuple[float | None, str]:
    """A domain or question both assessments have, with a score on one side only (nothing
    answered there, or all skipped): not comparable, never "new" or "removed", which say the
    questionnaire gained or lost it (set by the caller from the ids)."""
    return (None, "not_comparable") if status in ("new", "removed") else (delta, status)


@dataclass(frozen=True)
class Comparison:
    overall: Change
    domains: tuple[Change, ...]
    questions: tuple[Change, ...]
    versions: tuple[str, str] = ("", "")  # the questionnaire versions compared (old, new)
    not_comparable: tuple[str, ...] = ()  # question ids whose meaning differs between the versions

    def counts(self) -> dict[str, int]:
        out = {"improved": 0, "worsened": 0, "unchanged": 0}
        for change in self.questions:
            if change.status in out:
                out[change.status] += 1
        return out


def compare(
    old: Score, new: Score, versions: tuple[str, str] = ("", ""), not_comparable: tuple[str, ...] = ()
) -> Comparison:
    """Compare two scores; questions and domains match by id. Across questionnaire versions the
    caller first makes both comparable (dxassess.migrate.comparable) and names what is not."""
    delta, status = _both_sides(*change_status(old.overall, new.overall))
    overall = Change("overall", old.overall, new.overall, delta, status)
    old_domains = {d.domain_id: d.score for d in old.domains}
    new_domains = {d.domain_id: d.score for d in new.domains}
    domains = []
    for did in list(new_domains) + [d for d in old_domains if d not in new_domains]:
        o, n = old_domains.get(did), new_domains.get(did)
        delta, status = _both_sides(*change_status(o, n))
        if did not in old_domains:
            status = "new"
        elif did not in new_domains:
            status = "removed"
        domains.append(Change(did, o, n, delta, status))
    old_q = {q.question_id: q.level for q in old.questions}
    new_q = {q.question_id: q.level for q in new.questions}
    questions = []
    for qid in list(new_q) + [q for q in old_q if q not in new_q]:
        o, n = old_q.get(qid), new_q.get(qid)
        delta, status = _both_sides(*change_status(o, n))
        if qid not in old_q:
            status = "new"
        elif qid not in new_q:
            status = "removed"
        if qid in not_comparable:
            delta, status = None, "not_comparable"
        questions.append(Change(qid, o, n, delta, status))
    return Comparison(overall, tuple(domains), tuple(questions), versions, not_comparable)
