"""The index's prefecture view: statistics per prefecture and a tile-grid map of the 47
prefectures in inline SVG, one tile each, coloured by a measure with its value written on it
(never colour alone). Groups smaller than MIN_GROUP are drawn hatched and say so.

The layout is the 7 × 7 tile grid of the カラム地図 (tabular maps) project,
https://github.com/tabularmaps/77 (`board` in tabularmaps.js), published as CC0 according to
https://github.com/uribo/tabularmaps ; rows run north to south, columns west to east.
"""

from __future__ import annotations

from typing import Any

from markupsafe import escape

from dxassess.batch.peers import MIN_GROUP

# Prefecture numbers (the first two digits of the local government code) on the 7 × 7 grid.
GRID: tuple[tuple[int | None, ...], ...] = (
    (None, None, 31, 17, 15, 2, 1),
    (35, 32, 33, 18, 16, 5, 3),
    (42, 40, 34, 25, 20, 6, 4),
    (41, 44, 28, 26, 19, 10, 7),
    (43, 45, 27, 29, 21, 11, 9),
    (46, 38, 37, 30, 22, 13, 8),
    (47, 39, 36, 24, 23, 14, 12),
)

TILE_W, TILE_H, GAP = 62, 46, 3
MEASURES = ("overall", "completeness", "change")


def pref_of(code: str) -> str:
    """The prefecture number of a local government code, as two digits ("01" … "47")."""
    return code[:2]


def pref_label(pref: str, lang: str) -> str:
    """The prefecture's short name for a tile or a table (北海道, 青森, … / Hokkaido, Aomori, …)."""
    from dxassess.text import text

    return text(f"report.pref_{pref}", lang)


def pref_name(pref: str, lang: str) -> str:
    """The prefecture's full name in Japanese (北海道, 青森県, …), its short name in English."""
    from dxassess.lgcode import PREFECTURES

    if lang == "ja" and pref.isdigit() and 1 <= int(pref) <= len(PREFECTURES):
        return PREFECTURES[int(pref) - 1]
    return pref_label(pref, lang)


def _mix(low: tuple[int, int, int], high: tuple[int, int, int], t: float) -> str:
    t = min(1.0, max(0.0, t))
    r, g, b = (round(a + (z - a) * t) for a, z in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def colour(measure: str, value: float) -> tuple[str, str]:
    """(fill, text colour) of a tile: light to dark blue for a score (0–5) or a share (0–1);
    orange (worse) through white to blue (better) for a change, saturating at ±1."""
    if measure == "change":
        if value >= 0:
            fill = _mix((247, 247, 247), (33, 102, 172), value)
        else:
            fill = _mix((247, 247, 247), (179, 88, 6), -value)
        dark = abs(value) > 0.55
    else:
        t = value / 5 if measure == "overall" else value
        fill = _mix((239, 243, 255), (8, 48, 107), t)
        dark = t > 0.55
    return fill, ("#ffffff" if dark else "#1a1a1a")


def shown(measure: str, value: float) -> str:
    if measure == "completeness":
        return f"{value * 100:.0f}%"
    if measure == "change":
        return f"{value:+.2f}"
    return f"{value:.2f}"


def tile_map(cells: dict[str, dict[str, Any]], measure: str, title: str, labels: dict[str, str], lang: str) -> str:
    """One map: `cells` maps a prefecture number to {"n", "suppressed", "value"} (prefectures
    absent had no municipality in the batch). `labels`: the legend's words ("none",
    "suppressed", "low", "high")."""
    width = 7 * (TILE_W + GAP) + GAP
    height = 7 * (TILE_H + GAP) + GAP + 34
    safe_title = escape(title)
    parts = [
        f'<svg class="pref-map" role="img" aria-label="{safe_title}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{safe_title}</title>'
        '<defs><pattern id="hatch-' + measure + '" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ececec"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#9a9a9a" stroke-width="2"/></pattern></defs>'
    ]
    for row, line in enumerate(GRID):
        for col, number in enumerate(line):
            if number is None:
                continue
            pref = f"{number:02d}"
            x, y = GAP + col * (TILE_W + GAP), GAP + row * (TILE_H + GAP)
            name = escape(pref_label(pref, lang))
            cell = cells.get(pref)
            if cell is None:
                fill, ink, value, dash = "#ffffff", "#555555", "", ' stroke-dasharray="3 2"'
                tip = f"{name}: {escape(labels['none'])}"
            elif cell["suppressed"] or cell["value"] is None:
                fill, ink, dash = f"url(#hatch-{measure})", "#1a1a1a", ""
                value = f"n&lt;{MIN_GROUP}" if cell["suppressed"] else "—"
                tip = f"{name}: {escape(labels['suppressed'])} (n={cell['n']})"
            else:
                fill, ink = colour(measure, cell["value"])
                value, dash = shown(measure, cell["value"]), ""
                tip = f"{name}: {value} (n={cell['n']})"
            parts.append(
                f'<g class="pref-tile"><title>{tip}</title><rect x="{x}" y="{y}" width="{TILE_W}" height="{TILE_H}" '
                f'rx="3" fill="{fill}" stroke="#8a8a8a"{dash}/>'
                f'<text x="{x + TILE_W / 2:.1f}" y="{y + 17}" font-size="11" text-anchor="middle" fill="{ink}">{name}</text>'
                f'<text x="{x + TILE_W / 2:.1f}" y="{y + 35}" font-size="12" font-weight="bold" text-anchor="middle" '
                f'fill="{ink}">{value}</text></g>'
            )
    parts.append(_legend(measure, labels, width, height - 30))
    parts.append("</svg>")
    return "".join(parts)


def _legend(measure: str, labels: dict[str, str], width: int, top: int) -> str:
    """A strip of five colours with their values, then the marks for suppressed and no data."""
    steps = (-1.0, -0.5, 0.0, 0.5, 1.0) if measure == "change" else (0.0, 0.25, 0.5, 0.75, 1.0)
    out = []
    for i, t in enumerate(steps):
        value = t * 5 if measure == "overall" else t
        fill, ink = colour(measure, value)
        x = 4 + i * 46
        out.append(
            f'<rect x="{x}" y="{top}" width="44" height="16" fill="{fill}" stroke="#8a8a8a"/>'
            f'<text x="{x + 22}" y="{top + 12}" font-size="10" text-anchor="middle" fill="{ink}">'
            f"{shown(measure, value)}</text>"
        )
    x = 4 + 5 * 46 + 10
    out.append(
        f'<rect x="{x}" y="{top}" width="16" height="16" fill="url(#hatch-{measure})" stroke="#8a8a8a"/>'
        f'<text x="{x + 20}" y="{top + 12}" font-size="10">{escape(labels["suppressed"])}</text>'
    )
    x2 = min(width - 110, x + 20 + 11 * max(4, len(labels["suppressed"])))
    out.append(
        f'<rect x="{x2}" y="{top}" width="16" height="16" fill="#ffffff" stroke="#8a8a8a" stroke-dasharray="3 2"/>'
        f'<text x="{x2 + 20}" y="{top + 12}" font-size="10">{escape(labels["none"])}</text>'
    )
    return "".join(out)


def view(
    rows: list[dict[str, Any]], domain_ids: list[str], question_texts: dict[str, str], lang: str
) -> dict[str, Any]:
    """Per prefecture of the batch: count, medians of the overall score, completeness and change,
    the distribution (quartiles) per domain and the questions most often below target; and the
    three tile maps. Prefectures with fewer than MIN_GROUP municipalities are suppressed."""
    from markupsafe import Markup

    from dxassess.batch.peers import Benchmarks
    from dxassess.text import text

    bench = Benchmarks(domain_ids, by="pref", extra=("completeness", "overall_change"))
    for row in rows:
        bench.add(row)
    has_change = any(row.get("overall_change") is not None for row in rows)
    prefs = sorted(bench.counts)
    table = []
    cells: dict[str, dict[str, dict[str, Any]]] = {m: {} for m in MEASURES}
    for pref in prefs:
        s = bench.group_stats(pref)
        n = bench.counts[pref]
        entry: dict[str, Any] = {
            "pref": pref,
            "label": pref_label(pref, lang),
            "name": pref_name(pref, lang),
            "n": n,
            "suppressed": n < MIN_GROUP,
            "overall": s["overall"].as_dict(),
            "completeness": s["completeness"].as_dict(),
            "change": s["overall_change"].as_dict(),
            "domains": {d: s[d].as_dict() for d in domain_ids},
            "missed": [
                {"id": q, "text": question_texts.get(q, q), "count": c, "share": share}
                for q, c, share in bench.most_missed(pref, 5)
            ],
        }
        table.append(entry)
        for measure, key in (("overall", "overall"), ("completeness", "completeness"), ("change", "change")):
            stat = entry[key]
            cells[measure][pref] = {"n": stat["n"], "suppressed": stat["suppressed"], "value": stat["median"]}
    labels = {k: text(f"report.pref_map_{k}", lang) for k in ("none", "suppressed")}
    maps = []
    for measure in MEASURES:
        title = text(f"report.pref_map_title_{measure}", lang)
        if measure == "change" and not has_change:
            maps.append({"measure": measure, "title": title, "svg": None})
            continue
        maps.append(
            {"measure": measure, "title": title, "svg": Markup(tile_map(cells[measure], measure, title, labels, lang))}
        )
    return {"table": table, "maps": maps, "has_change": has_change}
