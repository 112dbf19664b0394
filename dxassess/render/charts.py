"""Inline SVG charts for the HTML report: pure functions of the report data, no JavaScript.

Every chart carries `<title>`/`<desc>` (role="img", aria-labelledby), never relies on colour
alone (solid vs dashed vs dotted lines, distinct markers, hatching, numbers written out), and
is deterministic: coordinates are written with fixed precision. All text is escaped.
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache
from typing import Any

from markupsafe import escape

from dxassess.kinsoku import NO_LINE_START
from dxassess.text import text

MAX_LEVEL = 5
CURRENT = "#1d4f91"  # dark blue, 8.6:1 on white
TARGET = "#333333"
PREVIOUS = "#8f4500"  # dark orange-brown, 6:1 on white
GRID = "#c4c4c4"
INK = "#1a1a1a"
HALO = 'paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round"'
FONT = "font-family=\"'Hiragino Sans','Yu Gothic','Meiryo','Noto Sans CJK JP',sans-serif\""


UNIT_PX = 6.0  # a half-width unit of the 12 px label font (a CJK character is two)
LABEL_MARGIN = 8.0  # px kept clear between a centred radar label and its neighbours'


def fmt(value: float) -> str:
    """Fixed formatting for coordinates: deterministic bytes on every platform."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def num(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


@lru_cache(maxsize=8192)
def _char_units(c: str) -> int:
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def text_units(text: str) -> int:
    """Width in half-width units: CJK and full-width characters count two."""
    return sum(map(_char_units, text))


def _tokens(text: str) -> list[str]:
    """Words of Latin text stay whole; every wide character is its own token; spaces are kept."""
    out: list[str] = []
    for c in text:
        wide = unicodedata.east_asian_width(c) in ("W", "F")
        if c.isspace():
            out.append(" ")
        elif wide or not out or out[-1] == " " or text_units(out[-1][-1]) == 2:
            out.append(c)
        else:
            out[-1] += c
    return out


def wrap(text: str, width: int, max_lines: int = 2) -> list[str]:
    """`_wrap`, cached: batch reports wrap the same domain and question titles again and again."""
    return list(_wrap(text, width, max_lines))


@lru_cache(maxsize=4096)
def _wrap(text: str, width: int, max_lines: int) -> tuple[str, ...]:
    """Wrap `text` into at most `max_lines` lines of about `width` units; cut the rest with '…'.
    Japanese breaks between characters but never before closing punctuation. Lines are balanced,
    so a title never leaves one character alone on its last line."""
    lines = _wrap_greedy(text, width, max_lines)
    if 1 < len(lines) and not lines[-1].endswith("…"):
        even = -(-text_units("".join(lines)) // len(lines)) + 2
        balanced = _wrap_greedy(text, even, max_lines)
        if len(balanced) == len(lines) and not balanced[-1].endswith("…"):
            return tuple(balanced)
    return tuple(lines)


_BREAK_AFTER = set("・、。の）」")


def _soft_break(line: str) -> tuple[str, str]:
    """Split a Japanese line after a natural boundary (・、の) in its second half, if there is one,
    so words such as デジタル are not cut in two."""
    for i in range(len(line) - 1, max(len(line) // 2, 1) - 1, -1):
        if line[i - 1] in _BREAK_AFTER:
            return line[:i], line[i:]
    return line, ""


def _wrap_greedy(text: str, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    line = ""
    used = 0  # text_units(line), kept as the line grows instead of counted again per token
    tokens = _tokens(" ".join(text.split()))
    for i, token in enumerate(tokens):
        if token == " " and not line:
            continue
        units = text_units(token)
        if used + units <= width or token[0] in NO_LINE_START or not line:
            line += token
            used += units
            continue
        carry = ""
        room = width * (max_lines - len(lines) - 1)
        if room:  # break at a natural boundary only when the rest still fits in the lines left
            soft, tail = _soft_break(line)
            if text_units(tail + "".join(tokens[i:])) <= room:
                line, carry = soft, tail
        lines.append(line.rstrip())
        line = carry + ("" if token == " " else token)
        used = text_units(line)
        if len(lines) == max_lines:
            rest = "".join(tokens[i:]).strip()
            if rest:
                last = lines[-1]
                while last and text_units(last) + 1 > width:
                    last = last[:-1]
                lines[-1] = last.rstrip() + "…"
            return lines
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _svg_open(prefix: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{prefix}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {FONT} font-size="12" fill="{INK}">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>',
    ]


def _marker(shape: str, x: float, y: float, colour: str, size: float = 4.5) -> str:
    if shape == "circle":
        return f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(size)}" fill="{colour}"/>'
    if shape == "square":
        s = size * 1.7
        return (
            f'<rect x="{fmt(x - s / 2)}" y="{fmt(y - s / 2)}" width="{fmt(s)}" height="{fmt(s)}" '
            f'fill="#ffffff" stroke="{colour}" stroke-width="1.6"/>'
        )
    points = [(x, y - size * 1.2), (x + size * 1.1, y + size * 0.8), (x - size * 1.1, y + size * 0.8)]
    return (
        f'<polygon points="{" ".join(f"{fmt(a)},{fmt(b)}" for a, b in points)}" '
        f'fill="#ffffff" stroke="{colour}" stroke-width="1.6"/>'
    )


SERIES = {
    # key: (colour, dash pattern, marker, stroke width, fill opacity)
    "current": (CURRENT, "", "circle", 2.5, 0.18),
    "target": (TARGET, "7 4", "square", 1.8, 0.0),
    "previous": (PREVIOUS, "2 3", "triangle", 2.0, 0.0),
}


def _legend(keys: list[str], labels: dict[str, str], x: float, y: float) -> list[str]:
    out = []
    for key in keys:
        colour, dash, shape, stroke, _ = SERIES[key]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{fmt(x)}" y1="{fmt(y)}" x2="{fmt(x + 34)}" y2="{fmt(y)}" stroke="{colour}" '
            f'stroke-width="{stroke}"{dash_attr}/>'
        )
        out.append(_marker(shape, x + 17, y, colour))
        out.append(f'<text x="{fmt(x + 40)}" y="{fmt(y + 4)}">{escape(labels[key])}</text>')
        x += 52 + text_units(labels[key]) * 6.5
    return out


def _previous_scores(data: dict[str, Any]) -> dict[str, float | None] | None:
    prev = data.get("previous")
    if not prev:
        return None
    return {row["id"]: row["old"] for row in prev["domains"]}


@lru_cache(maxsize=16)
def _radar_frame(n: int, cx: float, cy: float, radius: float) -> tuple[str, str]:
    """The parts of a radar chart that depend only on the number of axes: the grid rings and
    spokes, and the scale numbers (batch draws the same frame for every municipality)."""

    def point(k: int, value: float) -> tuple[float, float]:
        angle = 2 * math.pi * k / n
        r = radius * value / MAX_LEVEL
        return cx + r * math.sin(angle), cy - r * math.cos(angle)

    def ring(value: float) -> str:
        return " ".join(f"{fmt(x)},{fmt(y)}" for x, y in (point(k, value) for k in range(n)))

    grid = [
        f'<polygon points="{ring(level)}" fill="none" stroke="{GRID}" stroke-width="1"/>'
        for level in range(1, MAX_LEVEL + 1)
    ]
    for k in range(n):
        x, y = point(k, MAX_LEVEL)
        grid.append(f'<line x1="{fmt(cx)}" y1="{fmt(cy)}" x2="{fmt(x)}" y2="{fmt(y)}" stroke="{GRID}"/>')
    scale = []
    for level in range(1, MAX_LEVEL + 1):
        x, y = point(0, level)
        scale.append(f'<text x="{fmt(x - 6)}" y="{fmt(y + 4)}" text-anchor="end" font-size="10" {HALO}>{level}</text>')
    return "\n".join(grid), "\n".join(scale)


@lru_cache(maxsize=64)
def _radar_labels(
    titles: tuple[str, ...], cx: float, cy: float, distance: float, line_h: float
) -> tuple[tuple[str, str, str], ...]:
    """Per axis: the opening of its label (title lines) and where its figures line goes. Labels
    near the top grow upwards, near the bottom downwards, elsewhere centred on the axis. A label
    centred on the top or bottom axis is wrapped to fit between its neighbours' labels (which
    start at their own axes and run outwards), so the two never overlap."""
    n = len(titles)
    layout = []
    between = 2 * distance * math.sin(2 * math.pi / n) - 2 * LABEL_MARGIN  # px between the neighbours
    middle_units = max(12, min(28, int(between / UNIT_PX)))
    for k, title in enumerate(titles):
        angle = 2 * math.pi * k / n
        lx = cx + distance * math.sin(angle)
        ly = cy - distance * math.cos(angle)
        anchor = "start" if math.sin(angle) > 0.15 else "end" if math.sin(angle) < -0.15 else "middle"
        lines = wrap(title, 24 if anchor != "middle" else middle_units, max_lines=3)
        count = len(lines) + 1  # the title lines and the figures
        cos = math.cos(angle)
        top = ly - count * line_h + 4 if cos > 0.8 else ly + 10 if cos < -0.8 else ly - count * line_h / 2 + 6
        head = [f'<text text-anchor="{anchor}"><title>{escape(title)}</title>']
        for j, line in enumerate(lines):
            head.append(f'<tspan x="{fmt(lx)}" y="{fmt(top + j * line_h + 6)}">{escape(line)}</tspan>')
        layout.append(("\n".join(head), fmt(lx), fmt(top + len(lines) * line_h + 6)))
    return tuple(layout)


@lru_cache(maxsize=16384)
def _radar_vertex(
    n: int, k: int, value: float, cx: float, cy: float, radius: float, shape: str, colour: str
) -> tuple[str, str]:
    """The point of `value` on axis `k` of `n` ("x,y") and its marker: scores are rounded to two
    decimals, so the reports of a batch draw the same few thousand again and again."""
    angle = 2 * math.pi * k / n
    r = radius * max(0.0, min(value, MAX_LEVEL)) / MAX_LEVEL
    x, y = cx + r * math.sin(angle), cy - r * math.cos(angle)
    return f"{fmt(x)},{fmt(y)}", _marker(shape, x, y, colour)


@lru_cache(maxsize=16384)
def _radar_said(title: str, current: str, score: float | None, target_label: str, target: float | None) -> str:
    """One domain in the radar's description (scores have two decimals: they repeat)."""
    return f"{title}: {current} {num(score)}, {target_label} {num(target)}"


@lru_cache(maxsize=16384)
def _radar_figures(x: str, y: str, score: float | None, target: float | None) -> str:
    """One domain's score and target under its label."""
    figures = f"{num(score)} / {num(target)}"
    return f'<tspan x="{x}" y="{y}" font-weight="bold" font-size="11">{escape(figures)}</tspan>'


def radar(data: dict[str, Any], prefix: str = "chart-radar") -> str:
    """Radar chart of the domains: current (solid), tier target (dashed), previous (dotted).
    With fewer than three domains a radar says nothing, so the same series are drawn as rows."""
    lang = data["lang"]
    domains = list(data["domains"].items())
    previous = _previous_scores(data)
    if len(domains) < 3:
        return _rows_chart(data, prefix)
    n = len(domains)
    radius, label_gap, width = 175.0, 14.0, 720
    line_h, block = 14.0, 4
    cx = width / 2
    cy = radius + label_gap + block * line_h + 16
    height = int(cy + radius + label_gap + block * line_h + 48)
    keys = ["current", "target"] + (["previous"] if previous is not None else [])
    labels = {k: text(f"report.{k}", lang) for k in keys}
    desc = text("report.chart_radar_desc", lang) + (
        " " + text("report.chart_radar_desc_previous", lang) if previous else ""
    )
    desc += " " + "; ".join(
        _radar_said(d["title"], labels["current"], d["score"], labels["target"], d["target"])
        + (f", {labels['previous']} {num(previous.get(i))}" if previous is not None else "")
        for i, d in domains
    )
    out = _svg_open(prefix, width, height, text("report.chart_radar_title", lang), desc)

    grid, scale = _radar_frame(n, cx, cy, radius)
    out.append('<g aria-hidden="true">')
    out.append(grid)
    values = {
        "target": [d["target"] or 0.0 for _, d in domains],
        "current": [d["score"] or 0.0 for _, d in domains],
    }
    if previous is not None:
        values["previous"] = [previous.get(i) or 0.0 for i, _ in domains]
    for key in ("target", "previous", "current"):
        if key not in values:
            continue
        colour, dash, shape, stroke, opacity = SERIES[key]
        vertices = [_radar_vertex(n, k, v, cx, cy, radius, shape, colour) for k, v in enumerate(values[key])]
        pts = " ".join(xy for xy, _ in vertices)
        fill = f'fill="{colour}" fill-opacity="{opacity}"' if opacity else 'fill="none"'
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<polygon class="series-{key}" points="{pts}" {fill} stroke="{colour}" '
            f'stroke-width="{stroke}"{dash_attr} stroke-linejoin="round"/>'
        )
        out.extend(marker for _, marker in vertices)
    out.append(scale)  # scale numbers on top of the series, with a halo
    out.append("</g>")
    layout = _radar_labels(tuple(d["title"] for _, d in domains), cx, cy, radius + label_gap, line_h)
    for (head, fx, fy), (domain_id, d) in zip(layout, domains, strict=True):
        out.append(head)
        if previous is None:
            out.append(_radar_figures(fx, fy, d["score"], d["target"]))
        else:
            figures = f"{num(d['score'])} / {num(d['target'])}"
            opening, closing = ("（", "）") if lang == "ja" else (" (", ")")
            figures += f"{opening}{labels['previous']} {num(previous.get(domain_id))}{closing}"
            out.append(f'<tspan x="{fx}" y="{fy}" font-weight="bold" font-size="11">{escape(figures)}</tspan>')
        out.append("</text>")
    note = f"{labels['current']} / {labels['target']}"
    out.extend(_legend(keys, labels, 20, height - 22))
    out.append(f'<text x="{width - 12}" y="{height - 18}" text-anchor="end" font-size="11">{escape(note)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _scale_axis(x0: float, scale: float, top: float, bottom: float) -> list[str]:
    out = []
    for level in range(MAX_LEVEL + 1):
        x = x0 + level * scale
        out.append(f'<line x1="{fmt(x)}" y1="{fmt(top)}" x2="{fmt(x)}" y2="{fmt(bottom)}" stroke="{GRID}"/>')
        out.append(f'<text x="{fmt(x)}" y="{fmt(bottom + 14)}" text-anchor="middle" font-size="10">{level}</text>')
    return out


def _rows_chart(data: dict[str, Any], prefix: str) -> str:
    """Domains as rows on a 0–5 scale: a solid bar for the current score, a dashed tick with a
    square for the target, a triangle for the previous score."""
    lang = data["lang"]
    domains = list(data["domains"].items())
    previous = _previous_scores(data)
    keys = ["current", "target"] + (["previous"] if previous is not None else [])
    labels = {k: text(f"report.{k}", lang) for k in keys}
    label_w, scale, row_h, top = 200.0, 80.0, 44.0, 16.0
    width = int(label_w + scale * MAX_LEVEL + (230 if previous is not None else 130))
    height = int(top + row_h * len(domains) + 64)
    desc = (
        text("report.chart_radar_desc", lang)
        + " "
        + "; ".join(
            f"{d['title']}: {labels['current']} {num(d['score'])}, {labels['target']} {num(d['target'])}"
            for _, d in domains
        )
    )
    out = _svg_open(prefix, width, height, text("report.chart_radar_title", lang), desc)
    bottom = top + row_h * len(domains)
    out.extend(_scale_axis(label_w, scale, top, bottom))
    for k, (domain_id, d) in enumerate(domains):
        y = top + k * row_h + row_h / 2
        lines = wrap(d["title"], 30)
        first = y + 4 - (len(lines) - 1) * 7
        out.append(f'<text text-anchor="end"><title>{escape(d["title"])}</title>')
        for j, line in enumerate(lines):
            out.append(f'<tspan x="{fmt(label_w - 8)}" y="{fmt(first + j * 14)}">{escape(line)}</tspan>')
        out.append("</text>")
        score, target = d["score"], d["target"]
        if score is not None:
            out.append(
                f'<g class="series-current"><rect x="{fmt(label_w)}" y="{fmt(y - 8)}" width="{fmt(score * scale)}" '
                f'height="16" fill="{CURRENT}" fill-opacity="0.85"/>'
                f"{_marker('circle', label_w + score * scale, y, CURRENT)}</g>"
            )
        if target is not None:
            tx = label_w + target * scale
            out.append(
                f'<g class="series-target"><line x1="{fmt(tx)}" y1="{fmt(y - 14)}" x2="{fmt(tx)}" y2="{fmt(y + 14)}" '
                f'stroke="{TARGET}" stroke-width="1.8" stroke-dasharray="4 3"/>{_marker("square", tx, y - 14, TARGET, 3.5)}</g>'
            )
        old = previous.get(domain_id) if previous is not None else None
        if old is not None:
            marker = _marker("triangle", label_w + old * scale, y + 14, PREVIOUS, 4)
            out.append(f'<g class="series-previous">{marker}</g>')
        figures = f"{num(score)} / {num(target)}"
        if previous is not None:
            opening, closing = ("（", "）") if lang == "ja" else (" (", ")")
            figures += f"{opening}{labels['previous']} {num(old)}{closing}"
        x_end = label_w + scale * MAX_LEVEL + 10
        out.append(f'<text x="{fmt(x_end)}" y="{fmt(y + 4)}" font-weight="bold">{escape(figures)}</text>')
    out.extend(_legend(keys, labels, 20, height - 18))
    out.append("</svg>")
    return "\n".join(out) + "\n"


_BAR_LABEL_W, _BAR_SCALE, _BAR_ROW_H, _BAR_TOP = 330.0, 56.0, 36.0, 12.0


@lru_cache(maxsize=4096)
def _bar_label(k: int, title: str, quick_win: bool) -> str:
    """The label of row `k` of the gap bars: a batch draws the same few hundred again and again."""
    y = _BAR_TOP + k * _BAR_ROW_H + _BAR_ROW_H / 2
    star = "★ " if quick_win else ""
    lines = _wrap(f"{k + 1}. {star}{title}", 50, 2)
    first = y + 4 - (len(lines) - 1) * 7
    out = [f'<text text-anchor="end"><title>{escape(title)}</title>']
    for j, line in enumerate(lines):
        out.append(f'<tspan x="{fmt(_BAR_LABEL_W - 8)}" y="{fmt(first + j * 14)}">{escape(line)}</tspan>')
    out.append("</text>")
    return "\n".join(out)


@lru_cache(maxsize=4096)
def _bar_figures(prefix: str, k: int, quick_win: bool, gap: Any, current: Any, target: Any) -> str:
    """The bar and figures of row `k` of the gap bars (few distinct levels: made once each)."""
    y = _BAR_TOP + k * _BAR_ROW_H + _BAR_ROW_H / 2
    fill = f"url(#{prefix}-hatch)" if quick_win else CURRENT
    bar = max(0.0, min(gap or 0.0, MAX_LEVEL)) * _BAR_SCALE
    figures = f"{num(gap)} ({num(current)}→{num(target)})"
    return (
        f'<rect x="{fmt(_BAR_LABEL_W)}" y="{fmt(y - 10)}" width="{fmt(bar)}" height="20" fill="{fill}" '
        f'stroke="{CURRENT}" stroke-width="1"/>\n'
        f'<text x="{fmt(_BAR_LABEL_W + bar + 6)}" y="{fmt(y + 4)}" font-weight="bold" {HALO}>{escape(figures)}</text>'
    )


def gap_bars(data: dict[str, Any], limit: int = 10, prefix: str = "chart-gaps") -> str:
    """Horizontal bars of the largest gaps, in priority order; quick wins hatched and starred."""
    lang = data["lang"]
    gaps = data["gaps"][:limit]
    label_w, scale, row_h, top = _BAR_LABEL_W, _BAR_SCALE, _BAR_ROW_H, _BAR_TOP
    width = int(label_w + scale * MAX_LEVEL + 150)
    height = int(top + row_h * max(len(gaps), 1) + 58)
    quick = text("report.quick_win", lang)
    desc = (
        text("report.chart_bars_desc", lang)
        + " "
        + "; ".join(
            f"{i}. {g['text']}: {text('report.gap', lang)} {num(g['gap'])} "
            f"({num(g['current'])} → {num(g['target'])}){' ★' + quick if g['quick_win'] else ''}"
            for i, g in enumerate(gaps, 1)
        )
    )
    out = _svg_open(prefix, width, height, text("report.chart_bars_title", lang, n=len(gaps)), desc)
    out.append(
        f'<defs><pattern id="{prefix}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<rect width="3" height="6" fill="{CURRENT}"/></pattern></defs>'
    )
    bottom = top + row_h * max(len(gaps), 1)
    out.extend(_scale_axis(label_w, scale, top, bottom))
    for k, g in enumerate(gaps):
        out.append(_bar_label(k, g["text"], g["quick_win"]))
        out.append(_bar_figures(prefix, k, g["quick_win"], g["gap"], g["current"], g["target"]))
    legend_y = height - 18
    out.append(f'<rect x="20" y="{legend_y - 8}" width="28" height="14" fill="{CURRENT}"/>')
    out.append(f'<text x="54" y="{legend_y + 4}">{escape(text("report.gap", lang))}</text>')
    x = 70 + text_units(text("report.gap", lang)) * 6.5
    out.append(
        f'<rect x="{fmt(x)}" y="{legend_y - 8}" width="28" height="14" fill="url(#{prefix}-hatch)" stroke="{CURRENT}"/>'
    )
    out.append(f'<text x="{fmt(x + 34)}" y="{legend_y + 4}">{escape("★ " + quick)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
