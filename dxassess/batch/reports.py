"""Batch reports, rendered fast: the same bytes as `report --format html`, with the parts that
repeat across thousands of reports made once (the sources section) or written in Python (the
long tables, `batch.rows`), and room left for the municipality's position in its size tier."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from dxassess.batch import rows

# Where the peer section goes in a report waiting for it (input text cannot make it: escaped).
PEER_SLOT = "<!-- dxassess:peer -->"

_SOURCES: dict[tuple[Any, ...], Markup] = {}


def _sources(data: dict[str, Any]) -> Markup:
    """The sources section, rendered once per content (every report of a batch cites the same)."""
    from dxassess.render.html import sources_section

    key = (data["lang"], tuple(tuple(sorted(s.items())) for s in data["manual"]), tuple(data["policy"]))
    found = _SOURCES.get(key)
    if found is None:
        if len(_SOURCES) > 16:
            _SOURCES.clear()
        found = _SOURCES[key] = sources_section(data)
    return found


def capacity(data: dict[str, Any]) -> int:
    """Bytes enough for this report's peer section whatever the benchmarks turn out to be: the
    section with the widest value in every cell (a median of 5.00, a percentile of 100)."""
    from dxassess.render.html import peer_section

    keys = [*data["domains"], "overall"]
    widest = {"percentile": dict.fromkeys(keys, 100.0), "median": dict.fromkeys(keys, 5.0)}
    return len(peer_section(data, widest).encode("utf-8"))


def render_waiting(data: dict[str, Any]) -> tuple[bytes, int, int]:
    """The report with PEER_SLOT where its peer section goes: (bytes, the slot's offset, the
    room the section needs)."""
    from dxassess.render.html import render_html

    given = {"sources": _sources(data), **rows.prerendered(data)}
    payload = render_html(data, peer_html=PEER_SLOT, prerendered=given).encode("utf-8")
    return payload, payload.index(PEER_SLOT.encode("ascii")), capacity(data)
