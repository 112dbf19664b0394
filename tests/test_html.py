"""The HTML gap report: self-contained, escaped, deterministic, charts drawn and readable in a browser."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxassess.api import assess
from dxassess.cli import app
from dxassess.render import charts
from dxassess.render.context import build
from dxassess.render.html import render_html

CASES = Path(__file__).parent / "cases" / "valid"
MINI = CASES / "mini-answers.yaml"
HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_ATTR = '"><img src=x onerror=alert(2)>'


def report(path: Path = MINI, lang: str = "ja", previous: Path | None = None, peer: dict | None = None) -> str:
    return render_html(build(assess(path, previous=previous), lang), peer=peer)


def copy_mini(folder: Path) -> Path:
    """The mini questionnaire and catalogue in `folder`, so answer files written there find them."""
    for name in ("mini.yaml", "mini-catalogue.yaml"):
        shutil.copy(CASES / name, folder / name)
    return folder


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    text = MINI.read_text(encoding="utf-8")
    text = text.replace("name: 札幌市", f"name: '札幌市{HOSTILE_SCRIPT}{HOSTILE_ATTR}'")
    text = text.replace("note: 庁議で毎月報告している。", f"note: '{HOSTILE_SCRIPT}'")
    text = text.replace("note: 資産台帳より算出。", f"note: '{HOSTILE_ATTR}'")
    assert HOSTILE_SCRIPT in text and HOSTILE_ATTR in text
    path = copy_mini(tmp_path) / "hostile-answers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    text = MINI.read_text(encoding="utf-8").replace("assessed: 2026-11-27", "assessed: 2025-11-20")
    text = text.replace("mayor_commitment: {value: 3", "mayor_commitment: {value: 1")
    path = copy_mini(tmp_path) / "old-answers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


class Resources(HTMLParser):
    """Every tag and every attribute that would make a browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.fetches: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if tag != "a" and name in ("src", "href", "xlink:href", "srcset", "data", "poster", "action"):
                self.fetches.append((tag, name, value or ""))


def assert_self_contained(html: str) -> None:
    parser = Resources()
    parser.feed(html)
    assert "script" not in parser.tags and "link" not in parser.tags and "iframe" not in parser.tags
    external = [f for f in parser.fetches if not f[2].startswith("#")]
    assert external == [], external
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", html)
    assert not re.search(r"<script\b", html, re.I)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_renders_both_languages_self_contained(lang: str) -> None:
    html = report(lang=lang)
    assert html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{lang}">' in html
    assert "札幌市" in html and "011002" in html and "1,973,395" in html
    title = "DX推進状況 診断報告書" if lang == "ja" else "DX readiness gap report"
    assert title in html
    assert re.search(r"@page \{\s*size: A4", html) and "Noto Sans CJK JP" in html
    assert "counter(page)" in html  # page numbers of its own, not the browser's header and footer
    for section in ("summary", "domains", "gaps", "roadmap", "annex", "answers", "manual"):
        assert f'<section id="{section}"' in html
    # manual sections link to the official source (a link, never a loaded resource)
    assert 'href="https://www.soumu.go.jp/main_content/000919516.pdf"' in html
    assert_self_contained(html)


def test_both_charts_have_text_alternatives() -> None:
    html = report(lang="en")
    svgs = re.findall(r"<svg\b[^>]*>.*?</svg>", html, re.S)
    assert len(svgs) == 2
    for svg, prefix in zip(svgs, ("chart-radar", "chart-gaps")):
        assert f'id="{prefix}"' in svg and 'role="img"' in svg
        assert f'aria-labelledby="{prefix}-title {prefix}-desc"' in svg
        assert f'<title id="{prefix}-title">' in svg and f'<desc id="{prefix}-desc">' in svg
    assert "Current score and target by domain" in svgs[0]
    assert "Gaps by priority (top 4)" in svgs[1]
    assert "Has a DX policy been adopted and published?" in svgs[1]  # gap labels in the chart
    assert 'id="domain-table"' in html  # the data table beside the chart


def test_hostile_text_is_escaped_everywhere(hostile: Path) -> None:
    for lang in ("ja", "en"):
        html = report(hostile, lang)
        assert HOSTILE_SCRIPT not in html and HOSTILE_ATTR not in html
        assert "<img" not in html and "<script" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in html
        assert_self_contained(html)


def test_hostile_titles_in_charts_are_escaped() -> None:
    data = build(assess(MINI), "ja")
    data = copy.deepcopy(data)
    for d in data["domains"].values():
        d["title"] = HOSTILE_ATTR + HOSTILE_SCRIPT
    for g in data["gaps"]:
        g["text"] = HOSTILE_SCRIPT
    data["domains"]["extra"] = {"title": HOSTILE_SCRIPT, "score": 1.0, "target": 3.0, "gap": 2.0}
    svg = charts.radar(data) + charts.gap_bars(data)
    assert "<script" not in svg and "<img" not in svg and HOSTILE_ATTR not in svg


def test_previous_comparison_is_drawn(previous: Path) -> None:
    html = report(previous=previous)
    assert 'id="change"' in html and "2025-11-20" in html
    assert 'class="series-previous"' in html  # previous scores in the domain chart
    assert "前回" in html and "改善" in html


def test_radar_with_many_long_japanese_domains() -> None:
    data = build(assess(MINI), "ja")
    long_title = "マイナンバーカードの普及と利活用の促進に関する全庁的な取組と推進体制の整備"
    data["domains"] = {
        f"d{i}": {"title": long_title if i % 3 == 0 else f"分野{i}", "score": i % 6 * 0.9, "target": 4.0, "gap": 1.0}
        for i in range(13)
    }
    data["previous"] = {"domains": [{"id": f"d{i}", "old": 1.0} for i in range(13)]}
    svg = charts.radar(data)
    assert svg.count('<polygon class="series-') == 3  # target, previous, current
    assert 'stroke-dasharray="7 4"' in svg and 'stroke-dasharray="2 3"' in svg  # not by colour alone
    assert "…" in svg  # long titles cut, full title kept in a <title>
    assert f"<title>{long_title}</title>" in svg
    assert svg == charts.radar(data)


def test_wrap_japanese_and_english() -> None:
    assert charts.wrap("情報セキュリティ対策", 24) == ["情報セキュリティ対策"]
    assert charts.wrap("行政手続のオンライン化", 14) == ["行政手続の", "オンライン化"]  # at a natural break
    assert charts.wrap("住民の利用体験・デジタルデバイド対策", 24) == ["住民の利用体験・", "デジタルデバイド対策"]
    lines = charts.wrap("マイナンバーカードの普及と利活用の促進に関する取組", 20)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(charts.text_units(line) <= 20 for line in lines)
    assert charts.wrap("Vendor dependence and procurement", 20) == ["Vendor dependence", "and procurement"]
    assert charts.wrap("会議室のみ。とする", 8)[1][0] != "。"  # no closing punctuation starts a line
    assert charts.wrap("", 10) == []


def test_peer_section_is_optional() -> None:
    data = build(assess(MINI), "en")
    assert "Position in the size group" not in render_html(data)
    peer = {
        "tier_label": "Designated city",
        "percentile": {"leadership": 12.5, "infrastructure": None},
        "median": {"leadership": 2.75, "infrastructure": 3.0},
    }
    html = render_html(data, peer=peer)
    assert "Position in the size group" in html and 'id="peer-table"' in html
    assert "2.75" in html and "13" in html


def test_deterministic_bytes(tmp_path: Path, previous: Path) -> None:
    assert report(previous=previous) == report(previous=previous)
    runner = CliRunner()
    outputs = []
    for name in ("a.html", "b.html"):
        result = runner.invoke(
            app, ["report", str(MINI), "--format", "html", "-o", str(tmp_path / name), "--lang", "en"]
        )
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].decode("utf-8") == report(lang="en")


def test_no_gaps_message() -> None:
    data = build(assess(MINI), "en")
    data["gaps"], data["roadmap"] = [], []
    html = render_html(data)
    assert "No question is below its target." in html
    assert html.count("<svg") == 1


# --- a real browser --------------------------------------------------------------------------


def chromium() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip("Chromium is not installed (apt-get install chromium fonts-noto-cjk; CI's .ci/run installs it)")


def run_browser(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # any network request would fail to resolve
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, encoding="utf-8")


def test_browser_renders_charts_offline(tmp_path: Path, hostile: Path, previous: Path) -> None:
    chromium()
    page = tmp_path / "report.html"
    page.write_text(report(hostile, "ja", previous=None), encoding="utf-8")
    html = page.read_text(encoding="utf-8")
    assert_self_contained(html)  # nothing to fetch: the browser works from the file alone
    dom = run_browser(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert dom.count("<svg") == 2, dom[:500]
    assert 'id="chart-radar"' in dom and 'id="chart-gaps"' in dom
    assert "<script" not in dom and "<img" not in dom  # the hostile text stayed text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom

    shot = tmp_path / "report.png"
    run_browser(tmp_path, f"--screenshot={shot}", "--window-size=1200,2400", page.as_uri())
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000

    page.write_text(report(previous=previous), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    run_browser(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert len(boxes) >= 3  # page breaks between the major sections
    assert all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes)  # A4


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_rows_batch_writes_in_python_equal_the_templates_own(lang: str) -> None:
    """`report` renders the long tables with the template; batch hands them in ready-made for
    speed (dxassess.batch.rows). Both must give the same bytes."""
    from dxassess.batch import rows

    flagship = CASES / "flagship-answers.yaml"
    previous = CASES / "flagship-answers-previous.yaml"
    for result in (assess(MINI), assess(flagship), assess(flagship, previous=previous)):
        data = build(result, lang)
        plain = render_html(data)
        fast = render_html(data, prerendered=rows.prerendered(data))
        assert fast == plain
        assert len(data["gaps"]) > 10 or result.questionnaire.id == "mini"


def test_a_label_on_the_bottom_axis_fits_between_its_neighbours() -> None:
    """14 domains (municipal-dx 1.1.0): the centred label of the bottom axis is wrapped narrower
    than the space between its neighbours' labels, which start at their own axes (their figures
    once ran into 「情報システムの標準化・共通化」 in print)."""
    import math

    from dxassess.render.charts import UNIT_PX, _radar_labels, text_units

    titles = tuple(["情報システムの標準化・共通化" * 2] * 14)
    distance = 189.0
    layout = _radar_labels(titles, 360.0, 300.0, distance, 14.0)
    bottom = layout[7][0]
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", bottom)
    between = 2 * distance * math.sin(2 * math.pi / 14)
    assert lines and all(text_units(line) * UNIT_PX < between for line in lines), lines
