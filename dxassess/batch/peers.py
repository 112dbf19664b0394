"""Peer benchmarks (pure): quartiles, percentiles and most-missed questions per group of
municipalities — the size bands of `model.size` (the reports' peers), or prefectures (the index's
prefecture view).

Any group smaller than MIN_GROUP is suppressed (its statistics are None), so no single
municipality can be identified from a published benchmark.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

MIN_GROUP = 5


def quantile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolation quantile (the method spreadsheets call PERCENTILE.INC)."""
    if not sorted_values:
        raise ValueError("no values")
    pos = (len(sorted_values) - 1) * q
    low = int(pos)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (pos - low)


def percentile_rank(sorted_values: list[float], value: float) -> float:
    """Share (0–100) of the group at or below `value`, counting ties as half."""
    below = bisect_left(sorted_values, value)
    equal = bisect_right(sorted_values, value) - below
    return 100.0 * (below + 0.5 * equal) / len(sorted_values)


@dataclass
class Stats:
    n: int
    suppressed: bool
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    minimum: float | None = None
    maximum: float | None = None

    def as_dict(self) -> dict[str, Any]:
        def r(v: float | None) -> float | None:
            return None if v is None else round(v, 2)

        return {
            "n": self.n,
            "suppressed": self.suppressed,
            "q1": r(self.q1),
            "median": r(self.median),
            "q3": r(self.q3),
            "min": r(self.minimum),
            "max": r(self.maximum),
        }


def stats(values: list[float]) -> Stats:
    values = sorted(values)
    if len(values) < MIN_GROUP:
        return Stats(len(values), True)
    return Stats(
        len(values), False, quantile(values, 0.25), quantile(values, 0.5), quantile(values, 0.75), values[0], values[-1]
    )


@dataclass
class Benchmarks:
    """Accumulates summary rows, then answers group statistics and percentiles. `by` names the
    row key that says which group a row is in ("band", or "pref" for prefectures); `extra` are
    more row keys to give statistics of besides the overall and domain scores."""

    domain_ids: list[str]
    by: str = "band"
    extra: tuple[str, ...] = ()
    scores: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # group → key → values
    missed: dict[str, Counter[str]] = field(default_factory=dict)  # group → question id → count
    counts: Counter[str] = field(default_factory=Counter)
    _sorted: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    _stats: dict[str, dict[str, Stats]] = field(default_factory=dict)
    _ranks: dict[tuple[str, str], dict[float, float | None]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.keys: list[str] = ["overall", *self.domain_ids, *self.extra]  # the ids are fixed once made

    def _values(self, row: dict[str, Any]) -> list[float | None]:
        """A row's values in the order of `keys`: the overall score and the extra keys are the
        row's own, the rest its domains' scores."""
        domains, extra = row["domains"], self.extra
        return [row.get(key) if key == "overall" or key in extra else domains.get(key) for key in self.keys]

    def add(self, row: dict[str, Any]) -> None:
        group = row[self.by]
        self.counts[group] += 1
        by_key = self.scores.get(group)
        if by_key is None:
            by_key = self.scores[group] = {}
        for key, value in zip(self.keys, self._values(row)):
            if value is not None:
                found = by_key.get(key)
                if found is None:
                    by_key[key] = [value]
                else:
                    found.append(value)
        missed = self.missed.get(group)
        if missed is None:
            missed = self.missed[group] = Counter()
        missed.update(row["gaps"])  # question ids below target
        if self._sorted or self._stats or self._ranks:
            self._sorted.clear()
            self._stats.clear()
            self._ranks.clear()

    def _group(self, group: str, key: str) -> list[float]:
        """The sorted values of a group for one key (computed once after the last `add`)."""
        found = self._sorted.get((group, key))
        if found is None:
            found = self._sorted[(group, key)] = sorted(self.scores.get(group, {}).get(key, []))
        return found

    def group_stats(self, group: str) -> dict[str, Stats]:
        found = self._stats.get(group)
        if found is None:
            found = self._stats[group] = {key: stats(self._group(group, key)) for key in self.keys}
        return found

    def group_digest(self, group: str) -> str:
        """A hash of every value of a group: the same for the same members' scores, so a kept
        position in it still holds."""
        import hashlib

        h = hashlib.blake2b(digest_size=16)
        for key in ["overall", *self.domain_ids]:
            h.update(repr((key, self._group(group, key))).encode())
        return h.hexdigest()

    def position(self, row: dict[str, Any]) -> dict[str, float | None]:
        """Percentile of a municipality within its group per domain (None when suppressed). A
        score's percentile is worked out once per group and key: scores have two decimals, so
        most of a large group's scores repeat."""
        out: dict[str, float | None] = {}
        group_of = row[self.by]
        shown = 1 + len(self.domain_ids)  # "overall" and the domains
        for key, value in zip(self.keys[:shown], self._values(row)[:shown]):
            if value is None:
                out[key] = None
                continue
            ranks = self._ranks.get((group_of, key))
            if ranks is None:
                ranks = self._ranks[(group_of, key)] = {}
            rank = ranks.get(value, -1.0)
            if rank == -1.0:
                group = self._group(group_of, key)
                rank = ranks[value] = None if len(group) < MIN_GROUP else round(percentile_rank(group, value), 1)
            out[key] = rank
        return out

    def most_missed(self, group: str, limit: int = 10) -> list[tuple[str, int, float]]:
        """(question id, count, share of the group) of the questions most often below target."""
        n = self.counts[group]
        if n < MIN_GROUP:
            return []
        ranked = sorted(self.missed.get(group, Counter()).items(), key=lambda kv: (-kv[1], kv[0]))
        return [(qid, count, round(count / n, 3)) for qid, count in ranked[:limit]]
