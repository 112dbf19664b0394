"""The first page of the report, in words: where the municipality stands, the three to five
actions to start with (why here, what, who, when, whether it needs budget), what is already
strong, completeness and date. Built from the Result and the rest of the report data."""

from __future__ import annotations

from typing import Any

from dxassess.render.parts import date_label
from dxassess.text import sentences, text

STRENGTHS = 3  # domains named as already strong (or, when none meets its target, as closest to it)


def _unconfirmed(lang: str) -> str:
    """The mark after a scheme not confirmed against its source, wherever it is named (the first
    page too): spaced in English only."""
    return ("" if lang == "ja" else " ") + text("report.unconfirmed", lang)


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _level(value: float | None) -> str:
    """A level as people say it: 2, 2.5 (not 2.00)."""
    return "—" if value is None else f"{value:g}"


def _first(gap: dict[str, Any], lang: str) -> dict[str, Any]:
    why = [
        text(
            "report.sum_why_gap",
            lang,
            answer=gap["answer"] or "—",
            current=_level(gap["current"]),
            target=_level(gap["target"]),
        )
    ]
    deadline = gap["deadline"]
    if deadline and gap["overdue"]:
        why.append(text("report.sum_why_overdue", lang, date=date_label(deadline["date"], lang)))
    elif deadline:
        why.append(text("report.sum_why_deadline", lang, date=date_label(deadline["date"], lang)))
    if gap["national"]:
        why.append(gap["national"][0]["short"])
    return {
        "question_id": gap["question_id"],
        "title": gap["next_step"],
        "question": gap["text"],
        "domain_title": gap["domain_title"],
        "why": why,
        "why_text": sentences(why, lang),
        "what": gap["next_step"],
        "overdue_action": deadline["overdue"] if deadline and gap["overdue"] else "",
        "owner_label": gap["owner_label"],
        "when": gap["start_label"],
        "duration_label": gap["duration_label"],
        "needs_budget": gap["needs_budget"],
        "budget": gap["budget_label"],
        "support": [s["name"] + (_unconfirmed(lang) if s["unconfirmed"] else "") for s in gap["support"]],
    }


def summary(result: Any, data: dict[str, Any], gaps_by_id: dict[str, dict[str, Any]], lang: str) -> dict[str, Any]:
    domains = data["domains"]
    scored = [d for d in domains.values() if d["score"] is not None]
    met = [d for d in scored if d["score"] >= d["target"]]
    overall, target = data["overall"], data["overall_target"]
    standing: list[str] = []
    if overall is None:
        standing.append(text("report.sum_no_answers", lang))
    else:
        key = "report.sum_standing_met" if overall >= target else "report.sum_standing_below"
        standing.append(text(key, lang, overall=_num(overall), target=_num(target), band=data["band_label"]))
        key = "report.sum_domains" if met else "report.sum_domains_none"
        standing.append(text(key, lang, met=len(met), total=len(scored), gaps=len(data["gaps"])))
    ranked = sorted(scored, key=lambda d: (d["score"] - d["target"], d["score"]), reverse=True)
    # Only a domain at its target is called strong; with none, the closest are named as such.
    shown = [d for d in ranked if d["score"] >= d["target"]] or ranked
    strengths = [
        {"title": d["title"], "score": d["score"], "target": d["target"], "met": d["score"] >= d["target"]}
        for d in shown[:STRENGTHS]
    ]
    strengths_label = text("report.strengths" if met else "report.strengths_closest", lang)
    return {
        "standing": standing,
        "standing_text": sentences(standing, lang),
        "first": [_first(gaps_by_id[qid], lang) for qid in result.first if qid in gaps_by_id],
        "strengths": strengths,
        "strengths_label": strengths_label,
        "completeness": data["completeness"],
        "assessed": data["assessed"],
    }
