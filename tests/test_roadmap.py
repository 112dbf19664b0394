"""The roadmap respects the municipal calendar (issue 15): legal deadlines first and flagged when
overdue, budget-needing actions in the first initial budget still open (or the one after, with a
supplementary budget named), no-cost actions now, dependencies, and what one department can carry."""

from __future__ import annotations

import datetime as dt

import pytest

from dxassess.gaps import Gap, fiscal_year
from dxassess.model import Band, Deadline, Owner
from dxassess.roadmap import budget_year, first_actions, schedule


def gap(
    qid: str,
    priority: float = 1.0,
    budget: bool = False,
    months: int = 3,
    owner: Owner = Owner.dx,
    after: tuple[str, ...] = (),
    deadline: dt.date | None = None,
    assessed: dt.date = dt.date(2026, 11, 1),
    domain: str | None = None,
) -> Gap:
    line = Deadline(date=deadline, basis={"ja": "法律", "en": "the act"}) if deadline else None
    return Gap(
        question_id=qid,
        domain_id=domain or qid.split(".")[0],
        current=1.0,
        target=3.0,
        gap=2.0,
        weight=priority / 2,
        priority=priority,
        next_level=2,
        next_step=("report.step", {"text": qid}),
        step=None,
        owner=owner,
        needs_budget=budget,
        months=months,
        manual=("S0",),
        actions=(),
        support=(),
        national=(),
        after=after,
        deadline=line,
        overdue=deadline is not None and deadline < assessed,
        quick_win=not budget and months <= 3,
    )


def where(phases, qid: str):
    for phase in phases:
        for item in phase.items:
            if item.question_id == qid:
                return phase.key, item
    raise KeyError(qid)


@pytest.mark.parametrize(
    "assessed, cutoff, fy, late",
    [
        (dt.date(2026, 5, 10), 10, 2027, False),  # before the cut-off: next year's initial budget
        (dt.date(2026, 10, 31), 10, 2027, False),
        (dt.date(2026, 11, 1), 10, 2028, True),  # after it: the year after, a supplementary budget next year
        (dt.date(2027, 2, 15), 10, 2028, True),  # January–March: this year's request is long gone
        (dt.date(2026, 11, 1), 11, 2027, False),  # a later cut-off, given by the user
        (dt.date(2027, 1, 20), 1, 2027, False),  # a cut-off in January
    ],
)
def test_budget_year_follows_the_request_cut_off(assessed: dt.date, cutoff: int, fy: int, late: bool):
    assert budget_year(assessed, cutoff) == (fy, late)


def test_a_report_of_2026_11_01_puts_money_after_this_year_and_standardisation_overdue_first():
    assessed = dt.date(2026, 11, 1)
    gaps = [
        gap("infra.pcs", priority=9, budget=True, months=12),
        gap("standard.conformity", priority=2, deadline=dt.date(2026, 3, 31), months=12),
        gap("org.cio", priority=5, owner=Owner.general_affairs),
    ]
    phases = schedule(gaps, assessed)
    phase, pcs = where(phases, "infra.pcs")
    assert pcs.fiscal_year > fiscal_year(assessed) and pcs.budget == "initial_late"
    assert pcs.budget_fy == 2028 and pcs.supplementary_fy == 2027
    assert phases[0].items[0].question_id == "standard.conformity" and phases[0].items[0].overdue
    assert where(phases, "org.cio")[1].start == dt.date(2026, 11, 1) and where(phases, "org.cio")[1].budget == "none"


def test_an_action_waits_for_the_one_it_depends_on():
    gaps = [gap("plan.plan", priority=9, after=("leadership.policy",)), gap("leadership.policy", months=6)]
    phases = schedule(gaps, dt.date(2026, 6, 1))
    assert where(phases, "plan.plan")[1].start == dt.date(2026, 12, 1)
    assert where(phases, "plan.plan")[1].waits_for == ("leadership.policy",)


def test_a_department_runs_only_so_many_actions_at_once():
    gaps = [gap(f"d.q{i}", priority=10 - i, months=4) for i in range(5)]
    small = schedule(gaps, dt.date(2026, 6, 1), band=Band.town_village_under_5k)
    starts = sorted(where(small, g.question_id)[1].start for g in gaps)
    assert starts == [dt.date(2026, 6, 1)] * 2 + [dt.date(2026, 10, 1)] * 2 + [dt.date(2027, 2, 1)]
    large = schedule(gaps, dt.date(2026, 6, 1), band=Band.designated_city)
    assert sorted(where(large, g.question_id)[1].start for g in gaps) == [dt.date(2026, 6, 1)] * 5


def test_an_overdue_action_is_never_held_back():
    gaps = [gap(f"d.q{i}", priority=10, months=12) for i in range(3)]
    gaps.append(gap("standard.q", priority=1, deadline=dt.date(2026, 3, 31), after=("d.q0",)))
    phases = schedule(gaps, dt.date(2026, 6, 1), band=Band.town_village_under_5k)
    assert where(phases, "standard.q")[1].start == dt.date(2026, 6, 1)


def test_first_actions_are_three_to_five_one_per_domain_deadlines_first():
    gaps = [
        gap("a.x", priority=9),
        gap("a.y", priority=8),
        gap("b.x", priority=7),
        gap("c.x", priority=1, deadline=dt.date(2026, 3, 31)),
        gap("d.x", priority=6, after=("b.x",)),
        gap("e.x", priority=5),
        gap("f.x", priority=4),
        gap("g.x", priority=3),
    ]
    phases = schedule(gaps, dt.date(2026, 11, 1))
    first = first_actions(gaps, phases)
    assert first[0] == "c.x"  # the overdue deadline
    assert "d.x" not in first  # waits for b.x
    assert "a.y" not in first  # a second of domain a while others remain
    assert 3 <= len(first) <= 5
    assert first_actions(gaps[:2], schedule(gaps[:2], dt.date(2026, 11, 1))) == ["a.x", "a.y"]
    assert first_actions([], []) == []


def test_a_quick_win_the_calendar_starts_late_is_no_quick_win_nor_a_first_action():
    """★ (start at once) and the first page agree with the roadmap: in a village a department runs
    two actions at once, so its third short, free action starts later and is neither marked a quick
    win nor listed first while others start on time."""
    from dxassess.roadmap import quick_wins

    gaps = [
        gap("a.x", priority=9, months=3),
        gap("b.x", priority=8, months=3),
        gap("c.x", priority=7, months=3),  # same department: waits for a.x or b.x to finish
        gap("d.x", priority=6, months=3, owner=Owner.personnel),
        gap("e.x", priority=5, months=3, owner=Owner.finance),
    ]
    phases = schedule(gaps, dt.date(2026, 6, 1), band=Band.town_village_under_5k)
    assert where(phases, "c.x")[1].delayed and where(phases, "c.x")[1].start == dt.date(2026, 9, 1)
    assert not where(phases, "a.x")[1].delayed
    marked = {g.question_id: g.quick_win for g in quick_wins(gaps, phases)}
    assert marked == {"a.x": True, "b.x": True, "c.x": False, "d.x": True, "e.x": True}
    assert first_actions(gaps, phases) == ["a.x", "b.x", "d.x", "e.x"]
    # too few start on time: the one that starts soonest fills the minimum of three
    few = gaps[:3]
    few_phases = schedule(few, dt.date(2026, 6, 1), band=Band.town_village_under_5k)
    assert first_actions(few, few_phases) == ["a.x", "b.x", "c.x"]
