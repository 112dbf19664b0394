"""The "who to ask" of a report: the consenting municipalities of the same size group that reached
the target on a gap (dxassess.sharing), as HTML under each gap card and as a short list on the
first page. Every value is escaped: names, contacts and public notes come from other people's
files.

Batch reports are rendered before the batch knows who consented, so they get empty regions
between markers (`region`) that `fill` replaces once the peers are known; a single report
(`report --peers`) gets the sections directly.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import escape

from dxassess.text import text

SUMMARY = "summary"  # the first page's region; the cards' regions are named by their number
_END = "<!--/dxassess:ask-->"
_REGION = re.compile(rb"<!--dxassess:ask:([a-z0-9]+)-->.*?<!--/dxassess:ask-->", re.S)


def region(name: str) -> str:
    """An empty region for a batch report (input text cannot make one: it is escaped)."""
    return f"<!--dxassess:ask:{name}-->{_END}"


def fill(html: bytes, parts: dict[str, bytes]) -> bytes:
    """Every region of `html` with the part of its name (empty where `parts` has none)."""
    if b"<!--dxassess:ask:" not in html:
        return html

    def put(m: re.Match[bytes]) -> bytes:
        name = m.group(1).decode("ascii")
        return b"<!--dxassess:ask:" + m.group(1) + b"-->" + parts.get(name, b"") + _END.encode("ascii")

    return _REGION.sub(put, html)


def _level(value: float) -> str:
    return f"{value:g}"


def card_section(ask: dict[str, Any], lang: str) -> str:
    """The "who to ask" of one gap (an item of dxassess.peersfile.ask_items)."""
    if not ask["peers"]:
        return ""
    from dxassess.render.parts import written_date

    po, pc, sep = (text(f"report.{k}", lang) for k in ("paren_open", "paren_close", "list_sep"))
    intro = ask["intro"]
    lines = [
        '<div class="asks">',
        f"<h4>{escape(text('report.ask_title', lang))}</h4>",
        f'<p class="muted">{escape(intro)}</p>',
        "<ul>",
    ]
    for p in ask["peers"]:
        where = p["prefecture"] + sep if p.get("prefecture") else ""
        level = text("report.ask_level", lang, level=_level(p["level"]))
        facts = f"{po}{where}{level}{sep}{text('report.ask_assessed', lang)} {written_date(p['assessed'], lang)}{pc}"
        item = [f"<b>{escape(p['name'])}</b>{escape(facts)}"]
        item.append(f"{escape(text('report.ask_contact', lang))}: {escape(p['contact'])}")
        if p.get("public_note"):
            item.append(f"{escape(text('report.ask_note', lang))}: {escape(p['public_note'])}")
        lines.append("<li>" + "<br>".join(item) + "</li>")
    lines += ["</ul>", "</div>"]
    return "\n".join(lines)


def summary_section(asks: list[dict[str, Any]], first: list[str], lang: str) -> str:
    """The first page's short list: for each first action (by its number on the page; `first`
    holds their question ids in order) with someone to ask, their names. Empty when there is
    nobody."""
    by_id = {a["question_id"]: a for a in asks}
    sep = text("report.list_sep", lang)
    items = []
    for n, qid in enumerate(first, start=1):
        ask = by_id.get(qid)
        if ask and ask["peers"]:
            names = sep.join(p["name"] for p in ask["peers"])
            items.append(f"<li>{escape(text('report.ask_summary_item', lang, n=n, names=names))}</li>")
    if not items:
        return ""
    return "\n".join(
        [
            '<div class="ask-summary">',
            f"<h3>{escape(text('report.ask_summary_title', lang))}</h3>",
            '<ul class="strengths">',
            *items,
            "</ul>",
            f'<p class="muted">{escape(text("report.ask_summary_note", lang))}</p>',
            "</div>",
        ]
    )


def parts_of(asks: list[dict[str, Any]], card_ids: list[str], first: list[str], lang: str) -> dict[str, str]:
    """Every non-empty section of one report by region name: the first page (`summary`) and the
    cards, numbered from 1 in the order of `card_ids`."""
    by_id = {a["question_id"]: a for a in asks}
    out: dict[str, str] = {}
    summary = summary_section(asks, first, lang)
    if summary:
        out[SUMMARY] = summary
    for i, qid in enumerate(card_ids, start=1):
        ask = by_id.get(qid)
        section = card_section(ask, lang) if ask else ""
        if section:
            out[str(i)] = section
    return out
