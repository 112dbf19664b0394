"""Batch reports, rendered fast: the same bytes as `report --format html`, with the parts that
repeat across thousands of reports made once (the sources section) or written in Python (the
long tables, `batch.rows`), and room left for the municipality's position in its size band."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from dxassess.batch import rows
from dxassess.render.html import CARD_COUNT

# Where the peer sections go in a report waiting for them (input text cannot make them: escaped):
# the one paragraph on the first page, and the table with the domain scores.
PEER_SUMMARY_SLOT = "<!-- dxassess:peer-summary -->"
PEER_SLOT = "<!-- dxassess:peer -->"

_SOURCES: dict[tuple[Any, ...], Markup] = {}
_LAST_SOURCES: list[tuple[Any, list[str], str, Markup]] = []  # (manual, policy, lang, section) of the last report


def _sources(data: dict[str, Any]) -> Markup:
    """The sources section, rendered once per content (every report of a batch cites the same).
    The reports of a worker share one list of citations (`context.Texts`): when a report holds
    the very list the last one did, with the same policy lines, the section is the last one's."""
    from dxassess.render.html import sources_section

    manual, policy, lang = data["manual"], data["policy"], data["lang"]
    if _LAST_SOURCES:
        last_manual, last_policy, last_lang, section = _LAST_SOURCES[0]
        if last_manual is manual and last_policy == policy and last_lang == lang:
            return section
    key = (lang, tuple(tuple(sorted(s.items())) for s in manual), tuple(policy))
    found = _SOURCES.get(key)
    if found is None:
        if len(_SOURCES) > 16:
            _SOURCES.clear()
        found = _SOURCES[key] = sources_section(data)
    _LAST_SOURCES[:] = [(manual, list(policy), lang, found)]
    return found


_ROOMS: dict[tuple[Any, ...], tuple[int, int]] = {}


def capacities(data: dict[str, Any]) -> tuple[int, int]:
    """`_capacities`, once per shape of the sections: the language, the band, the domains'
    titles and which scores are missing (a number is always written with two decimals)."""
    key = (
        data["lang"],
        data["band_label"],
        data["overall"] is None,
        tuple((d, v["title"], v["score"] is None) for d, v in data["domains"].items()),
    )
    found = _ROOMS.get(key)
    if found is None:
        if len(_ROOMS) > 256:
            _ROOMS.clear()
        found = _ROOMS[key] = _capacities(data)
    return found


def _capacities(data: dict[str, Any]) -> tuple[int, int]:
    """Bytes enough for this report's two peer sections whatever the benchmarks turn out to be:
    the sections with the widest value in every place (a median of 5.00, a percentile of 100, a
    group of 99,999 municipalities), naming the municipality's size band."""
    from dxassess.render.html import peer_section, peer_summary

    keys = [*data["domains"], "overall"]
    group = data["band_label"]  # batch compares a municipality with its size band
    widest = {
        "tier_label": group,
        "percentile": dict.fromkeys(keys, 100.0),
        "median": dict.fromkeys(keys, 5.0),
        "n": 99999,
    }
    none = {"tier_label": group, "percentile": {}, "median": {}, "n": 99999}
    summary = max(len(peer_summary(data, widest).encode("utf-8")), len(peer_summary(data, none).encode("utf-8")))
    return summary, len(peer_section(data, widest).encode("utf-8"))


def _regions(cards: int) -> tuple[list[Markup], Markup]:
    """Empty "who to ask" regions: one under each gap card, one on the first page (filled once
    the batch knows who consented; dxassess.render.asks)."""
    from dxassess.render.asks import SUMMARY, region

    return [Markup(region(str(i))) for i in range(1, cards + 1)], Markup(region(SUMMARY))


def render_waiting(data: dict[str, Any]) -> tuple[bytes, list[tuple[int, int]]]:
    """The report with the two slots where its peer sections go: (bytes, [(offset, room)] of the
    summary slot and the table slot, in that order)."""
    from dxassess.render.html import render_html

    cards, summary = _regions(min(len(data["gaps"]), CARD_COUNT))
    given = {"sources": _sources(data), **rows.prerendered(data, cards)}
    html = render_html(
        data,
        peer_html=PEER_SLOT,
        prerendered=given,
        peer_summary_html=PEER_SUMMARY_SLOT,
        ask_cards=cards,
        ask_summary_html=summary,
    )
    payload = html.encode("utf-8")
    rooms = capacities(data)
    first = payload.index(PEER_SUMMARY_SLOT.encode("ascii"))
    second = payload.index(PEER_SLOT.encode("ascii"))
    return payload, [(first, rooms[0]), (second, rooms[1])]
