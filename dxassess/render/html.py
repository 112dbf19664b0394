"""The self-contained HTML gap report: report data → one HTML file with inline CSS and SVG charts."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from dxassess.gaps import reiwa
from dxassess.i18n import LABELS, label
from dxassess.render import charts, rows

# Labels only the HTML report uses (the shared ones live in dxassess.i18n.LABELS).
HTML_LABELS: dict[str, dict[str, str]] = {
    "contents": {"ja": "目次", "en": "Contents"},
    "charts_domains": {"ja": "分野別の現状と目標", "en": "Current score and target by domain"},
    "charts_gaps": {"ja": "ギャップの大きい設問", "en": "Largest gaps"},
    "chart_data_note": {
        "ja": "グラフの数値は、下の表にも記載しています。",
        "en": "The figures in the chart are also given in the table below.",
    },
    "figures_note": {
        "ja": "グラフ中の数値は「現状 / 目標」です。",
        "en": "Figures in the chart read “current / target”.",
    },
    "fiscal_year": {"ja": "年度", "en": "Fiscal year"},
    "previous_on": {"ja": "前回は{date}の診断です。", "en": "The previous assessment is of {date}."},
    "peer_title": {"ja": "同規模団体の中での位置", "en": "Position in the size tier"},
    "peer_intro": {
        "ja": "同じ規模区分（{tier}）の団体と比べた位置です。パーセンタイルは、当団体より低いスコアの団体の割合です。",
        "en": "Compared with the other municipalities of the same size tier ({tier}). "
        "The percentile is the share of them scoring lower.",
    },
    "percentile": {"ja": "パーセンタイル", "en": "Percentile"},
    "median": {"ja": "区分の中央値", "en": "Tier median"},
    "this_municipality": {"ja": "当団体", "en": "This municipality"},
    "gap_count": {"ja": "目標未達の設問", "en": "Questions below target"},
    "items": {"ja": "{n}件", "en": "{n}"},
    "overall_change": {"ja": "総合スコアの変化", "en": "Overall score"},
    "questions_changed": {"ja": "変化のあった設問", "en": "Questions that changed"},
    "no_changes": {"ja": "変化のあった設問はありません。", "en": "No question changed."},
    "quick_win_mark": {"ja": "★ すぐに着手できる", "en": "★ Quick win"},
    "open_source": {"ja": "原典を開く", "en": "open the source"},
    "nothing_planned": {"ja": "この期間に予定する取組はありません。", "en": "Nothing planned for this period."},
    "question_id": {"ja": "設問ID", "en": "Question id"},
    "review_mark": {"ja": "要確認", "en": "review"},
    "scale_note": {"ja": "スコアは0〜5です。", "en": "Scores run from 0 to 5."},
    "more_gaps": {"ja": "その他の目標未達の設問（優先度順）", "en": "Other questions below target (by priority)"},
}


def html_label(key: str, lang: str, **values: Any) -> str:
    text = HTML_LABELS[key].get(lang) or HTML_LABELS[key]["en"]
    return text.format(**values) if values else text


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
                "title": label("overall", data["lang"]),
                "score": data["overall"],
                "median": median.get("overall"),
                "percentile": percentile["overall"],
            },
        )
    return rows


CARD_COUNT = 10  # gaps shown as full cards; the rest go into a compact table
PEER_SLOT = "<!-- dxassess:peer -->"  # where a batch run puts the peer section (input cannot make it)


@lru_cache(maxsize=8)
def _labels(lang: str) -> tuple[dict[str, Markup], dict[str, Markup]]:
    """Plain labels, looked up as T["key"] / H["key"] (faster than calls in the report's loops).
    They are the project's own constants, escaped once and marked safe."""
    shared = {key: Markup(escape(label(key, lang))) for key in LABELS if "{" not in LABELS[key]["en"]}
    own = {key: Markup(escape(html_label(key, lang))) for key in HTML_LABELS if "{" not in HTML_LABELS[key]["en"]}
    return shared, own


def _helpers(lang: str) -> dict[str, Any]:
    def h(key: str, **values: Any) -> str:
        return html_label(key, lang, **values)

    shared, own = _labels(lang)
    return {"h": h, "T": shared, "H": own}


_SOURCES: dict[tuple, str] = {}


def _sources(data: dict[str, Any], helpers: dict[str, Any]) -> Markup:
    """The sources section (manual sections cited, scoring policy), rendered once per content."""
    from dxassess.render.templates import render_shipped

    key = (data["lang"], tuple(tuple(sorted(s.items())) for s in data["manual"]), tuple(data["policy"]))
    if key not in _SOURCES:
        if len(_SOURCES) > 16:
            _SOURCES.clear()
        _SOURCES[key] = render_shipped("sources.html.j2", data, **helpers)
    return Markup(_SOURCES[key])


def peer_section(data: dict[str, Any], peer: dict[str, Any]) -> str:
    """The "position in tier" section: {"tier_label", "percentile": {domain: 0–100|None}, "median": {...}}.
    Built in Python rather than Jinja: batch renders one per municipality after the benchmarks."""
    from dxassess.render.templates import num

    lang = data["lang"]
    shared, own = _labels(lang)
    intro = escape(html_label("peer_intro", lang, tier=peer.get("tier_label") or data["tier_label"]))
    lines = [
        f'<h3 id="peer">{own["peer_title"]}</h3>',
        f'<p class="muted">{intro}</p>',
        '<table id="peer-table">',
        f'<thead><tr><th>{shared["domain"]}</th><th class="num">{own["this_municipality"]}</th>'
        f'<th class="num">{own["median"]}</th><th class="num">{own["percentile"]}</th></tr></thead>',
        "<tbody>",
    ]
    for row in _peer_rows(data, peer):
        percentile = "—" if row["percentile"] is None else f"{row['percentile']:.0f}"
        lines.append(
            f'<tr><td>{escape(row["title"])}</td><td class="num">{escape(num(row["score"]))}</td>'
            f'<td class="num">{escape(num(row["median"]))}</td><td class="num">{percentile}</td></tr>'
        )
    lines += ["</tbody>", "</table>", ""]
    return "\n".join(lines)


def peer_capacity(data: dict[str, Any]) -> int:
    """Bytes enough for this report's peer section whatever the benchmarks turn out to be: the
    section with the widest value in every cell (a median of 5.00, a percentile of 100)."""
    keys = [*data["domains"], "overall"]
    widest = {"percentile": dict.fromkeys(keys, 100.0), "median": dict.fromkeys(keys, 5.0)}
    return len(peer_section(data, widest).encode("utf-8"))


def render_html(data: dict[str, Any], peer: dict[str, Any] | None = None, peer_slot: bool = False) -> str:
    """The HTML report of one assessment. `peer` (from a batch run) adds the municipality's position
    in its size tier; `peer_slot` leaves PEER_SLOT where that section goes, for batch to fill in
    later. Deterministic: the same data gives the same bytes."""
    from dxassess.render.templates import render_shipped

    lang = data["lang"]
    helpers = _helpers(lang)
    h = helpers["h"]
    changes = {row["id"]: row for row in data["previous"]["domains"]} if data.get("previous") else {}
    if peer:
        peer_html = Markup(peer_section(data, peer))
    else:
        peer_html = Markup(PEER_SLOT) if peer_slot else Markup("")
    parts = [h("figures_note")]
    if data.get("previous"):
        parts.append(h("previous_on", date=data["previous"]["assessed"]))
    parts += [h("scale_note"), h("chart_data_note")]
    caption = ("" if lang == "ja" else " ").join(parts)
    overall, target = data["overall"], data["overall_target"]
    overall_gap = None if overall is None or target is None else round(max(target - overall, 0.0), 2)
    return render_shipped(
        "report.html.j2",
        data,
        **helpers,
        radar_svg=charts.radar(data),
        gaps_svg=charts.gap_bars(data),
        gaps_by_id={g["question_id"]: g for g in data["gaps"]},
        domain_changes=changes,
        peer_html=peer_html,
        sources_html=_sources(data, helpers),
        _data=data,
        answer_rows=rows.answer_rows,
        more_gap_rows=rows.more_gap_rows,
        roadmap_items=rows.roadmap_items,
        card_count=CARD_COUNT,
        overall_gap=overall_gap,
        radar_caption=caption,
        reiwa=reiwa(data["fiscal_year"]),
    )
