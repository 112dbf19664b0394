"""Peer benchmarks by size tier (pure): quartiles, percentiles, most-missed questions.

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
    """Accumulates summary rows, then answers tier statistics and percentiles."""

    domain_ids: list[str]
    scores: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # tier → key → values
    missed: dict[str, Counter] = field(default_factory=dict)  # tier → question id → count
    counts: Counter = field(default_factory=Counter)
    _sorted: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    _stats: dict[str, dict[str, Stats]] = field(default_factory=dict)

    def add(self, row: dict[str, Any]) -> None:
        tier = row["tier"]
        self.counts[tier] += 1
        by_key = self.scores.setdefault(tier, {})
        for key in ["overall", *self.domain_ids]:
            value = row["overall"] if key == "overall" else row["domains"].get(key)
            if value is not None:
                by_key.setdefault(key, []).append(value)
        self.missed.setdefault(tier, Counter()).update(gap[0] for gap in row["gaps"])
        self._sorted.clear()
        self._stats.clear()

    def _group(self, tier: str, key: str) -> list[float]:
        """The sorted scores of a tier for one key (computed once after the last `add`)."""
        if (tier, key) not in self._sorted:
            self._sorted[(tier, key)] = sorted(self.scores.get(tier, {}).get(key, []))
        return self._sorted[(tier, key)]

    def tier_stats(self, tier: str) -> dict[str, Stats]:
        if tier not in self._stats:
            self._stats[tier] = {key: stats(self._group(tier, key)) for key in ["overall", *self.domain_ids]}
        return self._stats[tier]

    def position(self, row: dict[str, Any]) -> dict[str, float | None]:
        """Percentile of a municipality within its tier per domain (None when suppressed)."""
        out: dict[str, float | None] = {}
        for key in ["overall", *self.domain_ids]:
            value = row["overall"] if key == "overall" else row["domains"].get(key)
            group = self._group(row["tier"], key)
            out[key] = None if value is None or len(group) < MIN_GROUP else round(percentile_rank(group, value), 1)
        return out

    def most_missed(self, tier: str, limit: int = 10) -> list[tuple[str, int, float]]:
        """(question id, count, share of the tier) of the questions most often below target."""
        n = self.counts[tier]
        if n < MIN_GROUP:
            return []
        ranked = sorted(self.missed.get(tier, Counter()).items(), key=lambda kv: (-kv[1], kv[0]))
        return [(qid, count, round(count / n, 3)) for qid, count in ranked[:limit]]
