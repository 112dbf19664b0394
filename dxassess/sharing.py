"""Peers to learn from (pure): the municipalities that consented to be named (`sharing` in their
answer files), and for each of a municipality's top gaps, who of its size band has already
reached the target on that question.

Consent is the only way in: a municipality without `sharing: {named: true}` and a contact is
never a `Named`, so nothing of it can reach another municipality's report, `peers.json` or the
practices page. Keys and values only: the texts are made by the renderers.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dxassess.model.size import Band, larger_band

MAX_PEERS = 3  # consenting municipalities shown per gap: a few to call, not a directory


@dataclass(frozen=True)
class Named:
    """A municipality that consented to be named to its peers, with what it agreed to show."""

    code: str
    name: str
    prefecture: str | None
    population: int
    band: str  # a Band value
    assessed: str  # YYYY-MM-DD
    questionnaire: str  # "id version"
    contact: str
    levels: dict[str, float] = field(default_factory=dict)  # question id → level reached (0–5)
    notes: dict[str, str] = field(default_factory=dict)  # question id → public note
    reached: tuple[str, ...] = ()  # question ids at or above its own band's target

    def as_dict(self) -> dict[str, Any]:
        """Its entry in peers.json (the shape `from_dict` reads back)."""
        qid, _, version = self.questionnaire.partition(" ")
        return {
            "code": self.code,
            "name": self.name,
            "prefecture": self.prefecture,
            "population": self.population,
            "band": self.band,
            "assessed": self.assessed,
            "questionnaire": {"id": qid, "version": version},
            "contact": self.contact,
            "levels": dict(self.levels),
            "public_notes": dict(self.notes),
            "reached": list(self.reached),
        }

    @staticmethod
    def from_dict(value: dict[str, Any]) -> Named:
        q = value["questionnaire"]
        return Named(
            code=value["code"],
            name=value["name"],
            prefecture=value.get("prefecture"),
            population=value["population"],
            band=value["band"],
            assessed=value["assessed"],
            questionnaire=f"{q['id']} {q['version']}",
            contact=value["contact"],
            levels=dict(value.get("levels") or {}),
            notes=dict(value.get("public_notes") or {}),
            reached=tuple(value.get("reached") or ()),
        )


def consents(sheet: Any) -> bool:
    """Whether an answer sheet consents to be named: `sharing.named` true with a contact."""
    sharing = getattr(sheet, "sharing", None)
    return bool(sharing is not None and sharing.named and (sharing.contact or "").strip())


def named_of(result: Any) -> Named | None:
    """A Result's municipality as a consenting peer, or None without consent. Only questions
    answered with a level are kept; public notes only of those answers."""
    sheet = result.sheet
    if not consents(sheet):
        return None
    answered = [x for x in result.score.questions if x.state == "answered" and x.level is not None]
    levels = {x.question_id: x.level for x in answered}
    reached = tuple(x.question_id for x in answered if x.level >= x.target - 1e-9)
    notes = {
        qid: answer.public_note.strip()
        for qid, answer in sheet.answers.items()
        if qid in levels and answer.public_note and answer.public_note.strip()
    }
    from dxassess.lgcode import prefecture_of

    m = result.municipality
    q = result.questionnaire
    return Named(
        code=m.code,
        name=m.name,
        prefecture=m.prefecture or prefecture_of(m.code),
        population=m.population,
        band=result.band.value,
        assessed=result.assessed.isoformat(),
        questionnaire=f"{q.id} {q.version}",
        contact=sheet.sharing.contact.strip(),
        levels=levels,
        notes=notes,
        reached=reached,
    )


def _distance(a: int, b: int) -> float:
    """How unlike two populations are: the size of their ratio (3,000 and 6,000 are as far
    apart as 300,000 and 600,000)."""
    return abs(math.log(max(a, 1)) - math.log(max(b, 1)))


@dataclass(frozen=True)
class Ask:
    """Who to ask about one gap: consenting municipalities that reached `target` on it."""

    question_id: str
    target: float
    band: str  # the band they were found in
    fallback: bool  # True: none in the municipality's own band, these are of the nearest larger one
    peers: tuple[Named, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "target": self.target,
            "band": self.band,
            "fallback": self.fallback,
            "peers": [
                {
                    "code": p.code,
                    "name": p.name,
                    "prefecture": p.prefecture,
                    "population": p.population,
                    "band": p.band,
                    "level": p.levels[self.question_id],
                    "contact": p.contact,
                    "public_note": p.notes.get(self.question_id),
                    "assessed": p.assessed,
                }
                for p in self.peers
            ],
        }


class PeerIndex:
    """Consenting municipalities by (band, question id), sorted by population: who is nearest
    in size is found by walking outwards from the municipality's own population, so a batch of
    thousands asks in time proportional to what it shows, not to how many consented."""

    def __init__(self, peers: Iterable[Named]) -> None:
        groups: dict[tuple[str, str], list[Named]] = {}
        for p in peers:
            for qid in p.levels:
                groups.setdefault((p.band, qid), []).append(p)
        self.groups = {key: sorted(found, key=lambda p: (p.population, p.code)) for key, found in groups.items()}
        self.populations = {key: [p.population for p in found] for key, found in self.groups.items()}

    def nearest(self, band: str, qid: str, target: float, population: int, me: str, limit: int) -> list[Named]:
        """At most `limit` of `band` (never `me`) at or above `target` on `qid`, the most similar
        in population first (ties by code)."""
        found = self.groups.get((band, qid))
        if not found:
            return []
        right = bisect_left(self.populations[(band, qid)], population)
        left = right - 1
        picked: list[tuple[float, str, Named]] = []
        while left >= 0 or right < len(found):
            d_left = _distance(found[left].population, population) if left >= 0 else math.inf
            d_right = _distance(found[right].population, population) if right < len(found) else math.inf
            if d_left <= d_right:
                candidate, distance, left = found[left], d_left, left - 1
            else:
                candidate, distance, right = found[right], d_right, right + 1
            if len(picked) >= limit and distance > picked[-1][0]:
                break  # every later one is farther than the last picked
            if candidate.code != me and candidate.levels[qid] >= target - 1e-9:
                picked.append((distance, candidate.code, candidate))
        picked.sort(key=lambda item: (item[0], item[1]))
        return [p for _, _, p in picked[:limit]]


def who_to_ask(
    code: str,
    band: str,
    population: int,
    gaps: Sequence[tuple[str, float]],
    peers: Sequence[Named] | PeerIndex,
    limit: int = MAX_PEERS,
) -> list[Ask]:
    """For each (question id, target) of a municipality's top gaps, the consenting
    municipalities of its band (never itself) that reached the target, at most `limit`, the most
    similar in population first; none there: those of the nearest larger band, flagged
    `fallback`. Gaps nobody can help with are left out. `peers`: a list, or a PeerIndex made
    once for many municipalities."""
    index = peers if isinstance(peers, PeerIndex) else PeerIndex(peers)
    out: list[Ask] = []
    larger = larger_band(Band(band))
    for qid, target in gaps:
        found, used, fallback = index.nearest(band, qid, target, population, code, limit), band, False
        if not found and larger is not None:
            used, fallback = larger.value, True
            found = index.nearest(used, qid, target, population, code, limit)
        if found:
            out.append(Ask(qid, target, used, fallback, tuple(found)))
    return out


def practices(
    missed: Sequence[str], peers: Sequence[Named], band_order: Sequence[str]
) -> list[tuple[str, list[tuple[str, list[Named]]]]]:
    """For each question id of `missed` (most often below target first), the consenting
    municipalities that reached their own target on it, grouped by band in `band_order`, the
    larger first within a band; questions no consenting municipality reached are left out.
    (The practices page: what a prefecture hands out.)"""
    out = []
    for qid in missed:
        groups = []
        for band in band_order:
            members = sorted(
                (p for p in peers if p.band == band and qid in p.reached), key=lambda p: (-p.population, p.code)
            )
            if members:
                groups.append((band, members))
        if groups:
            out.append((qid, groups))
    return out
