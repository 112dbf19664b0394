"""The long, repetitive parts of the HTML report (answers table, the annex of every gap, roadmap
items), written directly with escaping: a batch run renders 1,741 reports, and these loops are
most of the template's cost. The template writes the same rows itself for `report`; a test keeps
the two byte-identical. Every value from the input goes through `escape`."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from dxassess.render.templates import num


@lru_cache(maxsize=8192)
def _fixed(text: str) -> str:
    """Escaped text that comes from the questionnaire or the catalogue (question texts and ids,
    titles, next steps, labels): the same in every report of a batch."""
    return str(escape(text))


def answer_rows(data: dict[str, Any], labels: dict[str, Markup]) -> Markup:
    """<tr> rows of the answers table, with a heading row per domain."""
    out: list[str] = []
    domain = None
    review = f' <span class="badge">{labels["review_mark"]}</span>'
    stale = f' <span class="badge overdue">{labels["stale_mark"]}</span>'
    answer, level, target, note = labels["answer"], labels["level"], labels["target"], labels["note"]
    for q in data["questions"]:
        if q["domain"] != domain:
            domain = q["domain"]
            out.append(f'<tr class="domain-row"><th colspan="5">{_fixed(data["domains"][domain]["title"])}</th></tr>')
        shown = escape(q["answer"]) if q["answer"] else _fixed(q["state_label"])
        out.append(
            f'<tr><td>{_fixed(q["text"])} <code class="muted">{_fixed(q["id"])}</code>{review if q["review"] else ""}'
            f"{stale if q.get('stale') else ''}</td>"
            f'<td data-label="{answer}">{shown}</td>'
            f'<td class="num" data-label="{level}">{num(q["level"])}</td>'
            f'<td class="num" data-label="{target}">{num(q["target"])}</td>'
            f'<td class="note" data-label="{note}">{escape(q["note"])}</td></tr>'
        )
    return Markup("\n".join(out))


def annex_rows(gaps: list[dict[str, Any]], labels: dict[str, Markup]) -> Markup:
    """<tr> rows of the annex: every gap."""
    overdue = f' <span class="badge overdue">{labels["overdue"]}</span>'
    figures = f"{labels['current']} → {labels['target']}"
    out = []
    for i, g in enumerate(gaps, start=1):
        out.append(
            f'<tr id="annex-{i}"><td class="num">{i}</td><td>{_fixed(g["text"])}{overdue if g["overdue"] else ""}</td>'
            f'<td class="num" data-label="{figures}">{num(g["current"])} → {num(g["target"])}</td>'
            f'<td data-label="{labels["next_step"]}">{_fixed(g["next_step"])}</td>'
            f'<td data-label="{labels["who"]}">{_fixed(g["owner_label"] or "—")}</td>'
            f'<td data-label="{labels["start"]}">{_fixed(g["start_label"])}<br>'
            f'<span class="muted">{_fixed(g["budget_label"])}</span></td></tr>'
        )
    return Markup("\n".join(out))


def roadmap_items(question_ids: list[str], gaps_by_id: dict[str, Any], labels: dict[str, Markup]) -> Markup:
    """<li> items of one roadmap phase."""
    overdue = f'<span class="badge overdue">{labels["overdue"]}</span> '
    po, pc, sep, psep = labels["paren_open"], labels["paren_close"], labels["list_sep"], labels["part_sep"]
    out = []
    for qid in question_ids:
        g = gaps_by_id[qid]
        duration = f"{sep}{_fixed(g['duration_label'])}" if g["duration_label"] else ""
        out.append(
            f"<li>{overdue if g['overdue'] else ''}<strong>{_fixed(g['next_step'])}</strong> "
            f'<span class="muted">{po}{_fixed(g["domain_title"])}{psep}{_fixed(g["start_label"])}{duration}{psep}'
            f"{_fixed(g['budget_label'])}{pc}</span></li>"
        )
    return Markup("\n".join(out))


def prerendered(data: dict[str, Any]) -> dict[str, Any]:
    """The parts `render_html` accepts ready-made, for this report."""
    from dxassess.render.html import labels_of

    labels = labels_of(data["lang"])
    gaps_by_id = {g["question_id"]: g for g in data["gaps"]}
    return {
        "answer_rows": answer_rows(data, labels),
        "annex_rows": annex_rows(data["gaps"], labels),
        "roadmap_items": [roadmap_items(p["gaps"], gaps_by_id, labels) for p in data["roadmap"]],
    }
