"""The long, repetitive parts of the HTML report (answers table, remaining gaps, roadmap items),
written directly with escaping: a batch run renders 1,741 reports, and these loops are most of
the template's cost. The template writes the same rows itself for `report`; a test keeps the two
byte-identical. Every value from the input goes through `escape`."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from dxassess.render.templates import num
from dxassess.text import text


@lru_cache(maxsize=8192)
def _fixed(text: str) -> str:
    """Escaped text that comes from the questionnaire or the catalogue (question texts and ids,
    titles, next steps, manual references): the same in every report of a batch."""
    return str(escape(text))


def _quick(g: dict[str, Any], mark: str) -> str:
    return f' <span class="badge quick">{mark}</span>' if g["quick_win"] else ""


def answer_rows(data: dict[str, Any], review_mark: str) -> Markup:
    """<tr> rows of the answers table, with a heading row per domain."""
    out: list[str] = []
    domain = None
    for q in data["questions"]:
        if q["domain"] != domain:
            domain = q["domain"]
            out.append(f'<tr class="domain-row"><th colspan="5">{_fixed(data["domains"][domain]["title"])}</th></tr>')
        badge = f' <span class="badge">{review_mark}</span>' if q["review"] else ""
        out.append(
            f'<tr><td>{_fixed(q["text"])} <code class="muted">{_fixed(q["id"])}</code>{badge}</td>'
            f"<td>{escape(q['answer']) if q['answer'] else _fixed(q['state_label'])}</td>"
            f'<td class="num">{num(q["level"])}</td><td class="num">{num(q["target"])}</td>'
            f'<td class="note">{escape(q["note"])}</td></tr>'
        )
    return Markup("\n".join(out))


def more_gap_rows(gaps: list[dict[str, Any]], start: int, quick_mark: str) -> Markup:
    """<tr> rows of the gaps after the first `start` (those get full cards)."""
    out = []
    for i, g in enumerate(gaps[start:], start=start + 1):
        out.append(
            f'<tr id="gap-{i}"><td class="num">{i}</td><td>{_fixed(g["text"])}{_quick(g, quick_mark)}</td>'
            f'<td class="num">{num(g["current"])} → {num(g["target"])}</td><td class="num">{num(g["priority"])}</td>'
            f"<td>{_fixed(g['next_step'])}</td><td>{_fixed(', '.join(g['manual']))}</td></tr>"
        )
    return Markup("\n".join(out))


def roadmap_items(question_ids: list[str], gaps_by_id: dict[str, Any], quick_mark: str) -> Markup:
    """<li> items of one roadmap phase."""
    out = []
    for qid in question_ids:
        g = gaps_by_id[qid]
        badge = f'<span class="badge quick">{quick_mark}</span> ' if g["quick_win"] else ""
        out.append(
            f"<li>{badge}<strong>{_fixed(g['text'])}</strong> — {_fixed(g['next_step'])} "
            f'<span class="muted">（{_fixed(", ".join(g["manual"]))}）</span></li>'
        )
    return Markup("\n".join(out))


def prerendered(data: dict[str, Any]) -> dict[str, Any]:
    """The parts `render_html` accepts ready-made, for this report."""
    from dxassess.render.html import CARD_COUNT

    lang = data["lang"]
    quick, review = _marks(lang)
    gaps_by_id = {g["question_id"]: g for g in data["gaps"]}
    return {
        "answer_rows": answer_rows(data, review),
        "more_gap_rows": more_gap_rows(data["gaps"], CARD_COUNT, quick),
        "roadmap_items": [roadmap_items(p["gaps"], gaps_by_id, quick) for p in data["roadmap"]],
    }


@lru_cache(maxsize=4)
def _marks(lang: str) -> tuple[str, str]:
    return str(escape(text("report.quick_win_mark", lang))), str(escape(text("report.review_mark", lang)))
