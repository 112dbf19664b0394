"""The long, repetitive parts of the HTML report (answers table, remaining gaps, roadmap items),
written directly with escaping: a batch run renders 1,741 reports, and these loops are most of
the template's cost. Every value from the input goes through `escape`."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from dxassess.render.templates import num


def _quick(g: dict[str, Any], mark: str) -> str:
    return f' <span class="badge quick">{mark}</span>' if g["quick_win"] else ""


def answer_rows(data: dict[str, Any], review_mark: str) -> Markup:
    """<tr> rows of the answers table, with a heading row per domain."""
    out: list[str] = []
    domain = None
    for q in data["questions"]:
        if q["domain"] != domain:
            domain = q["domain"]
            out.append(f'<tr class="domain-row"><th colspan="5">{escape(data["domains"][domain]["title"])}</th></tr>')
        badge = f' <span class="badge">{review_mark}</span>' if q["review"] else ""
        out.append(
            f'<tr><td>{escape(q["text"])} <code class="muted">{escape(q["id"])}</code>{badge}</td>'
            f"<td>{escape(q['answer'] or q['state_label'])}</td>"
            f'<td class="num">{num(q["level"])}</td><td class="num">{num(q["target"])}</td>'
            f'<td class="note">{escape(q["note"])}</td></tr>'
        )
    return Markup("\n".join(out))


def more_gap_rows(gaps: list[dict[str, Any]], start: int, quick_mark: str) -> Markup:
    """<tr> rows of the gaps after the first `start` (those get full cards)."""
    out = []
    for i, g in enumerate(gaps[start:], start=start + 1):
        out.append(
            f'<tr id="gap-{i}"><td class="num">{i}</td><td>{escape(g["text"])}{_quick(g, quick_mark)}</td>'
            f'<td class="num">{num(g["current"])} → {num(g["target"])}</td><td class="num">{num(g["priority"])}</td>'
            f"<td>{escape(g['next_step'])}</td><td>{escape(', '.join(g['manual']))}</td></tr>"
        )
    return Markup("\n".join(out))


def roadmap_items(question_ids: list[str], gaps_by_id: dict[str, Any], quick_mark: str) -> Markup:
    """<li> items of one roadmap phase."""
    out = []
    for qid in question_ids:
        g = gaps_by_id[qid]
        badge = f'<span class="badge quick">{quick_mark}</span> ' if g["quick_win"] else ""
        out.append(
            f"<li>{badge}<strong>{escape(g['text'])}</strong> — {escape(g['next_step'])} "
            f'<span class="muted">（{escape(", ".join(g["manual"]))}）</span></li>'
        )
    return Markup("\n".join(out))
