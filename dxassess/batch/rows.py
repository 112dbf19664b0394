"""The long, repetitive parts of the HTML report (answers table, the annex of every gap, roadmap
items), written directly with escaping: a batch run renders 1,741 reports, and these loops are
most of the template's cost. The template writes the same rows itself for `report`; a test keeps
the two byte-identical. Every value from the input goes through `escape` (or `_text`, which
escapes the same)."""

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


def _text(value: Any) -> str:
    """`escape(value)` as a plain string: a text without any of the five characters it replaces
    (a municipality's notes, mostly) as it is, without making a Markup object; anything else by
    markupsafe."""
    if type(value) is str and not ("&" in value or "<" in value or ">" in value or "'" in value or '"' in value):
        return value
    return str(escape(value))


_HEADS: dict[tuple[str, ...], dict[tuple[Any, ...], str]] = {}  # see _heads
HEADS_KEPT = 4096  # rows kept for one set of labels (about 4 MB)


def _heads(labels: tuple[str, ...]) -> dict[tuple[Any, ...], str]:
    """Rows' markup up to the municipality's own text (an answer's note), by the values a row is
    made of, for one set of labels: in a batch most rows repeat (a question, an answer, a level),
    the notes do not. A key holds every value the markup is made of (a number with its type:
    `num` writes 3 and 3.0 differently)."""
    found = _HEADS.get(labels)
    if found is None or len(found) >= HEADS_KEPT:  # numbers and their units rarely repeat: start again
        found = _HEADS[labels] = {}
    return found


def answer_rows(data: dict[str, Any], labels: dict[str, Markup]) -> Markup:
    """<tr> rows of the answers table, with a heading row per domain. A row's markup is made of
    two parts kept for reuse around the answer and the note: the question's cells (by question
    and marks) and the level's and target's (by their values). The answer is not in a kept part:
    a number's answer (a share, say) rarely repeats, and rows kept with it filled the store until
    it started again, taking the rows that do repeat with them."""
    out: list[str] = []
    domain = None
    review = f' <span class="badge">{labels["review_mark"]}</span>'
    stale = f' <span class="badge overdue">{labels["stale_mark"]}</span>'
    answer, level, target, note = labels["answer"], labels["level"], labels["target"], labels["note"]
    heads = _heads(("answer", review, stale, answer))
    figures = _heads(("figures", level, target, note))
    for q in data["questions"]:
        if q["domain"] != domain:
            domain = q["domain"]
            out.append(f'<tr class="domain-row"><th colspan="5">{_fixed(data["domains"][domain]["title"])}</th></tr>')
        key = (q["id"], q["text"], q["review"], q.get("stale"))
        head = heads.get(key)
        if head is None:
            head = heads[key] = (
                f'<tr><td>{_fixed(q["text"])} <code class="muted">{_fixed(q["id"])}</code>{review if q["review"] else ""}'
                f"{stale if q.get('stale') else ''}</td>"
                f'<td data-label="{answer}">'
            )
        at, aim = q["level"], q["target"]
        key = (at, at.__class__, aim, aim.__class__)  # a number with its type: num writes 3 and 3.0 apart
        cells = figures.get(key)
        if cells is None:
            cells = figures[key] = (
                f'</td><td class="num" data-label="{level}">{num(at)}</td>'
                f'<td class="num" data-label="{target}">{num(aim)}</td>'
                f'<td class="note" data-label="{note}">'
            )
        shown = _text(q["answer"]) if q["answer"] else _fixed(q["state_label"])
        out.append(f"{head}{shown}{cells}{_text(q['note'])}</td></tr>")
    return Markup("\n".join(out))


def domain_rows(data: dict[str, Any], labels: dict[str, Markup], marks: dict[str, str]) -> Markup:
    """<tr> rows of the domain table (without its overall row), with the change since the
    previous assessment where there is one."""
    previous = data.get("previous")
    changes = {row["id"]: row for row in previous["domains"]} if previous else {}
    not_scored = f' <span class="muted">{marks["po"]}{labels["not_scored"]}{marks["pc"]}</span>'
    out = []
    for domain_id, d in data["domains"].items():
        row = (
            f"<tr><td>{_fixed(d['title'])}{not_scored if d['score'] is None else ''}</td>"
            f'<td class="num">{num(d["score"])}</td><td class="num">{num(d["target"])}</td>'
            f'<td class="num">{num(d["gap"])}</td>'
        )
        if previous:
            change = changes.get(domain_id)
            row += f'<td class="num">{num(change["old"]) if change else "—"}</td><td class="delta">'
            if change:
                delta = "" if change["delta"] is None else f" {change['delta']:+.2f}"
                row += f'<span class="status-{escape(change["status"])}">{escape(change["status_label"])}{delta}</span>'
            row += "</td>"
        out.append(row + "</tr>")
    return Markup("\n".join(out))


def national_rows(questions: list[dict[str, Any]], labels: dict[str, Markup]) -> Markup:
    """<tr> rows of the national figures table: the questions that have any (empty when none,
    and the template then leaves the section out)."""
    answer, national = labels["answer"], labels["national"]
    out = []
    for q in questions:
        if q["national"]:
            shown = _text(q["answer"]) if q["answer"] else _fixed(q["state_label"])
            figures = "<br>".join(_fixed(n["label"]) for n in q["national"])
            out.append(
                f'<tr><td>{_fixed(q["text"])}</td><td data-label="{answer}">{shown}</td>'
                f'<td data-label="{national}">{figures}</td></tr>'
            )
    return Markup("\n".join(out))


def annex_rows(gaps: list[dict[str, Any]], labels: dict[str, Markup]) -> Markup:
    """<tr> rows of the annex: every gap."""
    overdue = f' <span class="badge overdue">{labels["overdue"]}</span>'
    figures = f"{labels['current']} → {labels['target']}"
    step, who, start = labels["next_step"], labels["who"], labels["start"]
    rests = _heads(("annex", overdue, figures, step, who, start))
    out = []
    for i, g in enumerate(gaps, start=1):
        now, aim = g["current"], g["target"]
        key = (g["text"], g["overdue"], now, now.__class__, aim, aim.__class__, g["next_step"], g["owner_label"])
        cells = rests.get(key)
        if cells is None:
            cells = rests[key] = (
                f"<td>{_fixed(g['text'])}{overdue if g['overdue'] else ''}</td>"
                f'<td class="num" data-label="{figures}">{num(now)} → {num(aim)}</td>'
                f'<td data-label="{step}">{_fixed(g["next_step"])}</td>'
                f'<td data-label="{who}">{_fixed(g["owner_label"] or "—")}</td>'
                f'<td data-label="{start}">'
            )
        out.append(
            f'<tr id="annex-{i}"><td class="num">{i}</td>{cells}{_fixed(g["start_label"])}<br>'
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


def _listed(items: list[dict[str, Any]], unconfirmed: str, link: bool = False) -> str:
    """National figures, support schemes or citations of a gap card: one per line, each marked
    where it is not confirmed against its source."""
    out = []
    for item in items:
        label = _fixed(item["label"])
        if link:
            label = f'<a href="#manual-{_fixed(item["id"])}">{label}</a>'
        out.append(label + (unconfirmed if item["unconfirmed"] else ""))
    return "<br>".join(out)


def gap_cards(
    gaps: list[dict[str, Any]], labels: dict[str, Markup], marks: dict[str, str], asks: list[Markup] | None = None
) -> Markup:
    """The <article> cards of the top gaps (the template's loop over `gaps[:card_count]`), each
    with its "who to ask" (`asks`, by card) where there is one. A card's fields other than its
    number, mark, start and budget are the same for every municipality with that gap in that
    size group: they are kept as two parts (`_card_parts`)."""
    T = labels
    po, pc = marks["po"], marks["pc"]
    overdue_mark = f' <span class="badge overdue">{T["overdue"]}</span>'
    quick_mark = f' <span class="badge quick">{T["quick_win_mark"]}</span>'
    used: tuple[str, ...] = ("domain", "current", "target", "gap", "priority", "next_step", "who")
    used += ("unconfirmed", "overdue", "deadline", "national", "support", "citations", "catalogue_actions")
    shape = (*(T[name] for name in used), po, pc, marks["sep"])
    kept = _CARDS.get(shape)
    if kept is None or len(kept) >= HEADS_KEPT:
        kept = _CARDS[shape] = {}
    out = []
    for i, g in enumerate(gaps, start=1):
        badge = overdue_mark if g["overdue"] else quick_mark if g["quick_win"] else ""
        middle, tail = _card_parts(g, T, marks, kept)
        duration = f"{po}{_fixed(g['duration_label'])}{pc}" if g["duration_label"] else ""
        card = (
            f'<article class="card" id="gap-{i}">\n<h3>{i}. {_fixed(g["text"])}{badge}</h3>\n{middle}\n'
            f"<dt>{T['when']}</dt><dd>{_fixed(g['start_label'])}{duration}</dd>\n"
            f"<dt>{T['budget']}</dt><dd>{_fixed(g['budget_label'])}</dd>\n{tail}"
        )
        if asks and i <= len(asks) and asks[i - 1]:
            card += f"\n{asks[i - 1]}"
        out.append(card + "\n</article>")
    return Markup("\n".join(out))


# a card's two kept parts and the lists its key holds by identity, by the values they are made of,
# for one set of the labels they use (see gap_cards, _card_parts)
_CARDS: dict[tuple[str, ...], dict[tuple[Any, ...], tuple[str, str, tuple[Any, ...]]]] = {}


def _card_parts(
    g: dict[str, Any], T: dict[str, Markup], marks: dict[str, str], kept: dict[tuple[Any, ...], Any]
) -> tuple[str, str]:
    """A gap card's lines from its domain to its owner, and from its deadline to its end: made once
    per gap's values (its lists of figures, schemes, citations and actions are the report data's
    own, shared by every report with that gap, so they are known by identity; an entry keeps them,
    so no other list can take their identity while it is kept)."""
    lists = (g["national"], g["support"], g["citations"], g["actions"])
    deadline = g["deadline"]
    key = (
        g["question_id"],
        g["domain_title"],
        g["current"],
        g["current"].__class__,
        g["target"],
        g["target"].__class__,
        g["gap"],
        g["gap"].__class__,
        g["priority"],
        g["priority"].__class__,
        g["next_step"],
        g["owner_label"],
        g["overdue"],
        None if not deadline else (deadline["date_label"], deadline["basis"], deadline["overdue"]),
        *map(id, lists),
    )
    found = kept.get(key)
    if found is None:
        po, pc, sep = marks["po"], marks["pc"], marks["sep"]
        middle = "\n".join(
            [
                f'<p class="meta">{T["domain"]}: {_fixed(g["domain_title"])} / <code>{_fixed(g["question_id"])}</code></p>',
                '<dl class="fields">',
                f'<dt>{T["current"]} → {T["target"]}</dt><dd><span class="figures">{num(g["current"])} → '
                f"{num(g['target'])}</span>{po}{T['gap']} {num(g['gap'])}{sep}{T['priority']} {num(g['priority'])}{pc}</dd>",
                f"<dt>{T['next_step']}</dt><dd>{_fixed(g['next_step'])}</dd>",
                f"<dt>{T['who']}</dt><dd>{_fixed(g['owner_label'] or '—')}</dd>",
            ]
        )
        unconfirmed = f' <span class="muted">{T["unconfirmed"]}</span>'
        lines = []
        if deadline:
            late = f" <strong>{T['overdue']}</strong>: {_fixed(deadline['overdue'])}" if g["overdue"] else ""
            lines.append(
                f"<dt>{T['deadline']}</dt><dd>{_fixed(deadline['date_label'])}{po}{_fixed(deadline['basis'])}{pc}{late}</dd>"
            )
        if g["national"]:
            lines.append(f"<dt>{T['national']}</dt><dd>{_listed(g['national'], unconfirmed)}</dd>")
        if g["support"]:
            lines.append(f"<dt>{T['support']}</dt><dd>{_listed(g['support'], unconfirmed)}</dd>")
        lines.append(f"<dt>{T['citations']}</dt><dd>{_listed(g['citations'], unconfirmed, link=True)}</dd>")
        if g["actions"]:
            lines.append(f"<dt>{T['catalogue_actions']}</dt><dd><ul>")
            lines += [f"<li>{_fixed(a['text'])}</li>" for a in g["actions"]]
            lines.append("</ul></dd>")
        lines.append("</dl>")
        found = kept[key] = (middle, "\n".join(lines), lists)
    return found[0], found[1]


def first_items(first: list[dict[str, Any]], labels: dict[str, Markup], marks: dict[str, str]) -> Markup:
    """The <li> items of the first page's actions to start with."""
    T = labels
    po, pc = marks["po"], marks["pc"]
    out = []
    for a in first:
        overdue = a["overdue_action"]
        duration = f"{po}{_fixed(a['duration_label'])}{pc}" if a["duration_label"] else ""
        support = (
            f"<span><b>{T['support']}:</b> {_text(marks['raw_sep'].join(a['support']))}</span>" if a["support"] else ""
        )
        lines = [
            '<li class="overdue">' if overdue else "<li>",
            f"<h3>{_fixed(a['title'])}</h3>",
            f"<p><b>{T['issue']}:</b> {_fixed(a['question'])}{po}{_fixed(a['domain_title'])}{pc}</p>",
            f"<p><b>{T['why']}:</b> {_text(a['why_text'])}</p>",
        ]
        if overdue:
            lines.append(f"<p><b>{T['if_overdue']}:</b> {_fixed(overdue)}</p>")
        lines.append(
            f'<p class="plan"><span><b>{T["who"]}:</b> {_fixed(a["owner_label"] or "—")}</span>'
            f"<span><b>{T['when']}:</b> {_fixed(a['when'])}{duration}</span>"
            f"<span><b>{T['budget']}:</b> {_fixed(a['budget'])}</span>{support}</p>"
        )
        lines.append("</li>")
        out.append("\n".join(lines))
    return Markup("\n".join(out))


@lru_cache(maxsize=8)
def _marks(lang: str) -> dict[str, str]:
    """The punctuation the template writes as {{ po }}, {{ pc }}, {{ sep }}, escaped as it does."""
    from dxassess.text import text

    marks = {
        name: str(escape(text(f"report.{key}", lang)))
        for name, key in (("po", "paren_open"), ("pc", "paren_close"), ("sep", "list_sep"))
    }
    return {**marks, "raw_sep": text("report.list_sep", lang)}


def prerendered(data: dict[str, Any], asks: list[Markup] | None = None) -> dict[str, Any]:
    """The parts `render_html` accepts ready-made, for this report."""
    from dxassess.render.html import CARD_COUNT, labels_of

    lang = data["lang"]
    labels = labels_of(lang)
    marks = _marks(lang)
    gaps_by_id = {g["question_id"]: g for g in data["gaps"]}
    return {
        "first_items": first_items(data["summary"]["first"], labels, marks),
        "cards": gap_cards(data["gaps"][:CARD_COUNT], labels, marks, asks),
        "domain_rows": domain_rows(data, labels, marks),
        "answer_rows": answer_rows(data, labels),
        "national_rows": national_rows(data["questions"], labels),
        "annex_rows": annex_rows(data["gaps"], labels),
        "roadmap_items": [roadmap_items(p["gaps"], gaps_by_id, labels) for p in data["roadmap"]],
    }
