"""The roadmap as a pure function: when each gap's action can start, by the municipal calendar.

The rules (printed in every report):
- An action with a legal or national deadline comes first; one whose deadline has passed is
  flagged overdue and starts at once.
- An action that needs money starts in the fiscal year whose 当初予算 can still fund it: the
  next fiscal year when the assessment falls before the budget-request cut-off (end of October by
  default: departments submit next year's requests around October–November), else the year after;
  a 補正予算 of the coming fiscal year is named as the faster alternative.
- An action without cost starts now.
- An action waits for the actions it depends on (`after`: a policy before the plan that
  implements it) to finish.
- A department runs only so many actions at once (two in a town or village under 5,000 people,
  three up to 20,000, four up to a city of 50,000, six above): the next one of the same department
  starts when one ends, so the plan is one the municipality's staff can carry. An overdue action
  starts at once whatever else is running.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import NamedTuple

from dxassess.gaps import Gap, fiscal_year
from dxassess.memo import PerObject
from dxassess.model import Owner
from dxassess.model.size import Band

DEFAULT_BUDGET_CUTOFF = 10  # month of the year by whose end next year's budget requests are in
FIRST_ACTIONS = (3, 5)  # the summary names at least 3 and at most 5 actions to start with
DEFAULT_MONTHS = 6  # the duration assumed for an action the questionnaire does not time
HORIZON = 120  # months: no action is planned further ahead than ten years


def capacity(band: Band) -> int:
    """How many actions one department can run at once, by size band."""
    if band is Band.town_village_under_5k:
        return 2
    if band is Band.town_village_5k_20k:
        return 3
    if band in (Band.town_village_20k_plus, Band.city_under_50k):
        return 4
    return 6


class Item(NamedTuple):
    """One gap's action on the calendar (a named tuple: a report's fifty are made in a quarter of
    the time of a frozen dataclass's)."""

    question_id: str
    start: dt.date  # the first day of the month it can start
    fiscal_year: int
    budget: str  # none | initial (the next 当初予算 in time) | initial_late (the cut-off has passed)
    budget_fy: int | None  # the fiscal year whose 当初予算 funds it
    supplementary_fy: int | None  # the fiscal year whose 補正予算 is the faster alternative
    overdue: bool
    waits_for: tuple[str, ...]  # gaps that must be closed first
    delayed: bool  # starts later than it could: the actions it waits for, or its department's others, come first


@dataclass(frozen=True)
class Phase:
    key: str  # this_year | next_year | later
    fiscal_year: int  # first fiscal year of the phase
    items: tuple[Item, ...]

    @cached_property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(item.question_id for item in self.items)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def budget_year(assessed: dt.date, cutoff: int = DEFAULT_BUDGET_CUTOFF) -> tuple[int, bool]:
    """The fiscal year whose 当初予算 can fund a new action decided on `assessed`, and whether the
    cut-off of this year's request has already passed."""
    fy = fiscal_year(assessed)
    into_year = (assessed.month - 4) % 12  # months since April, the start of the fiscal year
    before_cutoff = into_year <= (cutoff - 4) % 12
    return (fy + 1, False) if before_cutoff else (fy + 2, True)


class Calendar:
    """The months one department's actions take, as (first month, month after) intervals, kept
    sorted three ways (by first month, by month after, and as (month after, first month) pairs),
    so the room left at a month is counted by bisection instead of a scan of every action."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.by_end: list[tuple[int, int]] = []

    def take(self, first: int, after: int) -> None:
        insort(self.starts, first)
        insort(self.ends, after)
        insort(self.by_end, (after, first))

    def overlapping(self, start: int, end: int) -> int:
        """How many actions overlap [start, end): those begun before `end`, less those over by
        `start` (which began before it too)."""
        return bisect_left(self.starts, end) - bisect_right(self.ends, start)

    def free_from(self, earliest: int, months: int, limit: int) -> int:
        """The first month from `earliest` at which fewer than `limit` actions overlap an action
        of `months`: else the earliest end among those that overlap, tried again. (The count
        of `overlapping`, inline: the first action still running is found by the same bisection.)

        When k more than `limit - 1` overlap, every month before the k-th earliest end among them
        still sees `limit` of them (they all begin before `end`): the search goes straight there,
        where the one-end-at-a-time walk arrives too. Near the horizon it walks, as it stops at
        the first month past it."""
        starts, ends, by_end = self.starts, self.ends, self.by_end
        if len(starts) < limit:  # never `limit` actions at once
            return earliest
        start = earliest
        while start < HORIZON:
            end = start + months
            i = bisect_right(ends, start)  # the first action still running at `start` ...
            extra = bisect_left(starts, end) - i - limit  # overlapping ones beyond limit - 1, less one
            if extra < 0:
                return start
            first_end = -1
            while True:
                after, first = by_end[i]
                if first < end:  # ... that also begins before `end`
                    if first_end < 0:
                        first_end = after
                    if not extra:
                        break
                    extra -= 1
                i += 1
            start = after if after < HORIZON else first_end
        return start


def _index(day: dt.date) -> int:
    """A month as one number (year * 12 + month - 1): months apart are numbers apart."""
    return day.year * 12 + day.month - 1


@lru_cache(maxsize=4096)
def _month(index: int) -> tuple[dt.date, int]:
    """The first day of month `index` (`_index`) and its fiscal year (the few months a batch
    plans in are made once, not once per action)."""
    day = dt.date(index // 12, index % 12 + 1, 1)
    return day, fiscal_year(day)


LATEST = dt.date(9900, 1, 1)  # the latest assessment date the calendar runs from


class _Placing:
    """One schedule's placing of actions on the calendar (`schedule`). A class rather than a
    closure that calls itself: such a closure is a reference cycle, which kept each plan (its
    items, calendars and tables) until the garbage collector looked."""

    def __init__(self, gaps: list[Gap], assessed: dt.date, cutoff: int, band: Band) -> None:
        self.now_index = _index(_month_start(assessed))
        self.fy_now = fiscal_year(assessed)
        self.funded_fy, self.late = budget_year(assessed, cutoff)
        self.by_id = {g.question_id: g for g in gaps}
        self.placed: dict[str, Item] = {}
        self.offsets: dict[str, int] = {}  # question → the month its action starts, counted from now
        self.visiting: set[str] = set()
        self.busy: dict[Owner | None, Calendar] = {}  # owner → the months its actions take
        self.limit = capacity(band)
        self.funded = _index(dt.date(self.funded_fy, 4, 1)) - self.now_index  # the first month the 当初予算 funds

    def place(self, gap: Gap) -> int:
        """Place `gap` (after the actions it waits for); the month its action starts."""
        qid = gap.question_id
        found = self.offsets.get(qid)
        if found is not None:
            return found
        by_id, funded_fy, late = self.by_id, self.funded_fy, self.late
        self.visiting.add(qid)
        waits = tuple(q for q in gap.after if q in by_id and q not in self.visiting) if gap.after else ()
        if gap.overdue or not gap.needs_budget:
            earliest, budget, budget_fy, supplementary = 0, "none", None, None
            if gap.needs_budget:  # overdue and costly: start now, funded by a 補正予算
                budget, budget_fy, supplementary = ("initial_late" if late else "initial"), funded_fy, self.fy_now
        else:
            earliest = self.funded
            budget, budget_fy = ("initial_late" if late else "initial"), funded_fy
            supplementary = funded_fy - 1
        could_start = earliest
        for other in waits:
            end = self.place(by_id[other]) + (by_id[other].months or DEFAULT_MONTHS)
            if not gap.overdue and end > earliest:  # an overdue action does not wait: both run now
                earliest = end
        months = gap.months or DEFAULT_MONTHS
        calendar = self.busy.get(gap.owner)  # by the owner itself: its `.value` is slow to ask for
        if calendar is None:
            calendar = self.busy[gap.owner] = Calendar()
        offset = earliest if gap.overdue else calendar.free_from(earliest, months, self.limit)  # overdue: no waiting
        calendar.take(offset, offset + months)
        start, fy = _month(self.now_index + offset)
        if budget != "none" and not gap.overdue and budget_fy is not None and fy > budget_fy:
            # pushed back by the department's other work: budget it for the year it starts
            budget, budget_fy, supplementary = "initial", fy, fy - 1
        self.placed[qid] = Item(
            qid, start, fy, budget, budget_fy, supplementary, gap.overdue, waits, offset > could_start
        )
        self.offsets[qid] = offset
        self.visiting.discard(qid)
        return offset


def schedule(
    gaps: list[Gap], assessed: dt.date, cutoff: int = DEFAULT_BUDGET_CUTOFF, band: Band = Band.city_50k_100k
) -> list[Phase]:
    """Every gap's action placed on the calendar, grouped in three phases (this fiscal year, the
    next, later); within a phase deadlines first (overdue first), then by start and priority."""
    # A date this late is a typo (warned, DX314); the calendar still has to fit in real dates.
    assessed = min(assessed, LATEST)
    fy_now = fiscal_year(assessed)
    placing = _Placing(gaps, assessed, cutoff, band)
    by_id, placed = placing.by_id, placing.placed

    def urgency(gap: Gap) -> int:
        return 0 if gap.overdue else 1 if gap.deadline is not None else 2

    for gap in sorted(gaps, key=urgency):  # stable: priority order within; deadlines take room first
        placing.place(gap)
    rank = {g.question_id: i for i, g in enumerate(gaps)}

    def order(item: Item) -> tuple[int, dt.date, int]:
        gap = by_id[item.question_id]
        deadline_first = 0 if gap.overdue else 1 if gap.deadline is not None else 2
        return (deadline_first, item.start, rank[item.question_id])

    phases = []
    for key, first in (("this_year", fy_now), ("next_year", fy_now + 1), ("later", fy_now + 2)):
        chosen = [
            item
            for item in placed.values()
            if (item.fiscal_year == first if key != "later" else item.fiscal_year >= first)
        ]
        phases.append(Phase(key, first, tuple(sorted(chosen, key=order))))
    return phases


def quick_wins(gaps: list[Gap], phases: list[Phase]) -> list[Gap]:
    """`gaps`, each a quick win only where the calendar also starts it at once: an action with
    no cost and a short duration (`Gap.quick_win`) that waits for nothing and for no other
    action of its department. So a ★ never marks an action the roadmap puts a year later."""
    items = {item.question_id: item for phase in phases for item in phase.items}
    return [g if not g.quick_win or not items[g.question_id].delayed else _not_quick(g) for g in gaps]


NOT_QUICK_KEPT = 10_000  # far above a batch's distinct gaps (dxassess.gaps makes each once)
# A gap as no quick win, made once per gap object: a batch's reports share their gaps, and a copy
# of one (21 fields) costs more than the rest of its placing.
_not_quick: PerObject[Gap, Gap] = PerObject(lambda gap: replace(gap, quick_win=False), NOT_QUICK_KEPT)


def first_actions(gaps: list[Gap], phases: list[Phase]) -> list[str]:
    """The three to five actions to start with: overdue deadlines, then other deadlines, then
    the highest priorities; not one that waits for another gap, nor one the calendar starts late
    because its department is busy with others (unless too few are left); at most one per domain
    while others remain."""
    if not gaps:
        return []
    items = {item.question_id: item for phase in phases for item in phase.items}
    low, high = FIRST_ACTIONS

    def key(gap: Gap) -> tuple[int, float]:
        return (0 if gap.overdue else 1 if gap.deadline is not None else 2, -gap.priority)

    free = [g for g in sorted(gaps, key=key) if not items[g.question_id].waits_for]
    ready = [g for g in free if not items[g.question_id].delayed]
    if len(ready) < low:  # too few start on time: then those that start soonest
        ready += sorted((g for g in free if g not in ready), key=lambda g: items[g.question_id].start)
    chosen: list[Gap] = []
    for gap in ready:
        if len(chosen) == high:
            break
        if all(c.domain_id != gap.domain_id for c in chosen):
            chosen.append(gap)
    for gap in ready:  # fewer than the minimum with one per domain: allow a second of a domain
        if len(chosen) >= low:
            break
        if gap not in chosen:
            chosen.append(gap)
    return [g.question_id for g in chosen]
