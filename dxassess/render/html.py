"""The self-contained HTML gap report: report data → one HTML file with inline CSS and SVG charts."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from dxassess.gaps import reiwa
from dxassess.render import charts
from dxassess.text import text


def _peer_rows(data: dict[str, Any], peer: dict[str, Any]) -> list[dict[str, Any]]:
    percentile = peer.get("percentile") or {}
    median = peer.get("median") or {}
    rows = [
        {
            "id": domain_id,
            "title": d["title"],
            "score": d["score"],
            "median": median.get(domain_id),
            "percentile": percentile.get(domain_id),
        }
        for domain_id, d in data["domains"].items()
    ]
    if "overall" in percentile and data.get("overall") is not None:
        rows.insert(
            0,
            {
                "id": "overall",
                "title": text("report.overall", data["lang"]),
                "score": data["overall"],
                "median": median.get("overall"),
                "percentile": percentile["overall"],
            },
        )
    return rows


CARD_COUNT = 10  # gaps shown as full cards; the rest go into a compact table


@lru_cache(maxsize=8)
def _labels(lang: str) -> dict[str, Markup]:
    """The report catalogue's plain labels, looked up as T["key"] (faster than calls in the
    report's loops). They are the project's own constants, escaped once and marked safe."""
    from dxassess.text import catalogue

    return {
        key[len("report.") :]: Markup(escape(text(key, lang)))
        for key, (en, _) in catalogue().items()
        if key.startswith("report.") and "{" not in en
    }


def labels_of(lang: str) -> dict[str, Markup]:
    """The report catalogue's plain labels, escaped, by key without `report.`."""
    return _labels(lang)


def _helpers(lang: str) -> dict[str, Any]:
    return {"T": _labels(lang)}


def sources_section(data: dict[str, Any]) -> Markup:
    """The sources section: the manual sections cited and the scoring policy."""
    from dxassess.render.templates import render_shipped

    return Markup(render_shipped("sources.html.j2", data, **_helpers(data["lang"])))


def peer_summary(data: dict[str, Any], peer: dict[str, Any]) -> str:
    """The municipality's position in its size group in one paragraph, for the first page."""
    from dxassess.render.templates import num

    lang = data["lang"]
    percentile = (peer.get("percentile") or {}).get("overall")
    median = (peer.get("median") or {}).get("overall")
    group = peer.get("tier_label") or data["tier_label"]
    if percentile is None or data.get("overall") is None:
        line = text("report.peer_summary_none", lang, group=group)
    else:
        line = text(
            "report.peer_summary",
            lang,
            group=group,
            percentile=f"{percentile:.0f}",
            median=num(median),
            n=peer.get("n", ""),
        )
    return f'<p class="peer-summary">{escape(line)}</p>\n'


def peer_section(data: dict[str, Any], peer: dict[str, Any]) -> str:
    """The "position in tier" section: {"tier_label", "percentile": {domain: 0–100|None}, "median": {...}}.
    Built in Python rather than Jinja: batch renders one per municipality after the benchmarks."""
    lines = [_peer_head(data["lang"], peer.get("tier_label") or data["tier_label"])]
    for row in _peer_rows(data, peer):
        percentile = "—" if row["percentile"] is None else f"{row['percentile']:.0f}"
        lines.append(
            f'<tr><td>{_title(row["title"])}</td><td class="num">{_figure(row["score"])}</td>'
            f'<td class="num">{_figure(row["median"])}</td><td class="num">{percentile}</td></tr>'
        )
    lines.append("</tbody>\n</table>\n")
    return "\n".join(lines)


@lru_cache(maxsize=64)
def _peer_head(lang: str, tier: str) -> str:
    """The peer section up to its rows: the same for every municipality of a size group."""
    labels = _labels(lang)
    intro = escape(text("report.peer_intro", lang, tier=tier))
    return "\n".join(
        [
            f'<h3 id="peer">{labels["peer_title"]}</h3>',
            f'<p class="muted">{intro}</p>',
            '<table id="peer-table">',
            f'<thead><tr><th>{labels["domain"]}</th><th class="num">{labels["this_municipality"]}</th>'
            f'<th class="num">{labels["median"]}</th><th class="num">{labels["percentile"]}</th></tr></thead>',
            "<tbody>",
        ]
    )


def _title(value: Any) -> str:
    """A domain's title, escaped: the same few in every peer section, so a text is escaped once."""
    return _escaped(value) if type(value) is str else str(escape(value))


@lru_cache(maxsize=1024)
def _escaped(value: str) -> str:
    return str(escape(value))


def _figure(value: Any) -> str:
    """`num(value)`, escaped: a number's or a missing value's text has nothing to escape."""
    from dxassess.render.templates import num

    shown = num(value)
    return shown if value is None or type(value) in (float, int) else str(escape(shown))


def _asks(data: dict[str, Any]) -> tuple[list[Markup], str]:
    """The "who to ask" sections of `data["peers"]`: one per gap card, and the first page's."""
    from dxassess.render.asks import SUMMARY, parts_of

    card_ids = [g["question_id"] for g in data["gaps"][:CARD_COUNT]]
    first = [a["question_id"] for a in data["summary"]["first"]]
    parts = parts_of(data["peers"]["asks"], card_ids, first, data["lang"])
    cards = [Markup(parts.get(str(i), "")) for i in range(1, len(card_ids) + 1)]
    return cards, parts.get(SUMMARY, "")


def render_html(
    data: dict[str, Any],
    peer: dict[str, Any] | None = None,
    peer_html: str = "",
    prerendered: dict[str, Any] | None = None,
    peer_summary_html: str = "",
    ask_cards: list[Markup] | None = None,
    ask_summary_html: str = "",
) -> str:
    """The HTML report of one assessment, from the shipped template. `peer` (statistics from a
    batch run) adds the municipality's position in its size tier; `peer_html` puts given markup
    in that place instead (and `peer_summary_html` its one-paragraph form on the first page).
    `prerendered` lets a caller that renders thousands of reports hand in
    parts it made itself (`sources` and those of `batch.rows.prerendered`); a test
    keeps them byte-identical to the template's own. `ask_cards` (by card) and `ask_summary_html`
    are the "who to ask" sections (dxassess.render.asks); without them, those of `data["peers"]`
    (`report --peers`) are made here. Deterministic: same data, same bytes."""
    from dxassess.render.templates import render_shipped

    lang = data["lang"]
    changes = {row["id"]: row for row in data["previous"]["domains"]} if data.get("previous") else {}
    section = Markup(peer_section(data, peer)) if peer else Markup(peer_html)
    summary_line = Markup(peer_summary(data, peer)) if peer else Markup(peer_summary_html)
    parts = [text("report.figures_note", lang)]
    if data.get("previous"):
        parts.append(text("report.previous_on", lang, date=data["previous"]["assessed"]))
    parts += [text("report.scale_note", lang), text("report.chart_data_note", lang)]
    caption = ("" if lang == "ja" else " ").join(parts)
    overall, target = data["overall"], data["overall_target"]
    overall_gap = None if overall is None or target is None else round(max(target - overall, 0.0), 2)
    given = prerendered or {}
    if ask_cards is None and data.get("peers"):
        ask_cards, ask_summary_html = _asks(data)
    return render_shipped(
        "report.html.j2",
        data,
        **_helpers(lang),
        radar_svg=charts.radar(data),
        gaps_svg=charts.gap_bars(data),
        gaps_by_id={g["question_id"]: g for g in data["gaps"]},
        domain_changes=changes,
        peer_html=section,
        peer_summary_html=summary_line,
        sources_html=given.get("sources") or sources_section(data),
        prerendered=given,
        card_count=CARD_COUNT,
        ask_cards=ask_cards or [],
        ask_summary_html=Markup(ask_summary_html),
        overall_gap=overall_gap,
        radar_caption=caption,
        reiwa=reiwa(data["fiscal_year"]),
    )
