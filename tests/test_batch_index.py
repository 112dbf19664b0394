"""The batch index (index.html) as people see it: printed to PDF by a browser (A4, the whole
municipality table on the page, its header on every page, no row split), on a 1280 px desktop in
Japanese (no name written one character to a line) and on a 390 px phone (no sideways scrolling
of the page). Real headless Chromium; skipped where it is missing (CI's .ci/run installs it)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .clients import browser, chromium, pdf_info, pdf_pages
from .conftest import run_cli

A4 = (595.3, 841.9)


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory) -> Path:
    """A batch of the flagship (14 domains) over 60 synthetic municipalities, in Japanese."""
    folder = tmp_path_factory.mktemp("index")
    assert run_cli("sample", "--count", "60", "--seed", "3", "-o", str(folder / "in")).returncode == 0
    proc = run_cli("batch", str(folder / "in"), "-o", str(folder / "out"), "--lang", "ja", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    return folder / "out"


def summary_rows(out: Path) -> list[dict]:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))["municipalities"]


def test_index_texts_come_from_the_catalogue_in_both_languages(batch_out, tmp_path):
    html = (batch_out / "index.html").read_text(encoding="utf-8")
    assert "団体別一覧" in html and "規模帯別の分布（中央値・四分位）" in html and "All municipalities" not in html
    assert "<button" not in html  # form controls print the repeated table header blank in Chromium
    samples = batch_out.parent / "in"
    proc = run_cli("batch", str(samples), "-o", str(tmp_path / "en"), "--lang", "en", "--jobs", "1")
    assert proc.returncode == 0
    english = (tmp_path / "en" / "index.html").read_text(encoding="utf-8")
    assert "All municipalities" in english and "団体別一覧" not in english


def test_index_prints_on_a4_with_the_whole_table_header_on_every_page_and_rows_whole(batch_out, tmp_path):
    chromium()
    pdf = tmp_path / "index.pdf"
    browser(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", (batch_out / "index.html").as_uri())
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", _page_sizes(pdf))
    assert sizes and all(sorted((float(w), float(h))) == pytest.approx(A4, abs=1) for w, h in sizes), (
        sizes
    )  # A4, portrait or landscape (never Letter)
    pages = pdf_pages(pdf)
    assert len(pages) == len(sizes) and len(pages) <= 18  # with the prefecture view (maps, table, blocks)
    rows = summary_rows(batch_out)
    table_pages = [i for i, page in enumerate(pages) if any(r["municipality"]["code"] in page for r in rows)]
    assert len(table_pages) >= 2  # the test needs a table longer than a page
    for i in table_pages:
        width, height = map(float, sizes[i])
        assert width > height, f"page {i + 1}: the table is printed on landscape pages"
        assert "団体コード" in pages[i] and "規模帯内パーセンタイル" in pages[i], f"page {i + 1} has no table header"
    last_domain = rows[0]["domains"]
    for row in rows:
        code = row["municipality"]["code"]
        [line] = [line for i in table_pages for line in pages[i].splitlines() if line.strip().startswith(code)]
        scores = [f"{d['score']:.2f}" for d in last_domain.values()] if row is rows[0] else None
        # the whole row on one line of one page: cut at the right margin, or split across a page
        # break, the last domain's score would be missing from it
        expected = [f"{d['score']:.2f}" if d["score"] is not None else "—" for d in row["domains"].values()]
        found = line.split()[-len(expected) :]
        assert found == expected, (code, line)
        assert scores is None or found == scores


def _page_sizes(pdf: Path) -> str:
    import subprocess

    from .clients import poppler

    info = subprocess.run([poppler("pdfinfo"), "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True)
    return info.stdout


MEASURE = """
<script>
(function () {
  var doc = document.documentElement;
  var cells = Array.prototype.slice.call(document.querySelectorAll("#summary td.text, #summary th.text"));
  var tallest = 0, line = 0, narrowest = 1e9;
  cells.forEach(function (cell) {
    var style = getComputedStyle(cell);
    line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
    var range = document.createRange();
    range.selectNodeContents(cell);
    tallest = Math.max(tallest, range.getBoundingClientRect().height / line);
  });
  document.querySelectorAll("#summary th.domain").forEach(function (cell) {
    narrowest = Math.min(narrowest, cell.clientWidth / parseFloat(getComputedStyle(cell).fontSize));
  });
  var box = document.querySelector(".table-box");
  var out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify({
    pageWidth: doc.scrollWidth, viewport: window.innerWidth, bodyWidth: document.body.scrollWidth,
    textCellLines: tallest, narrowestDomainEm: narrowest,
    boxScrolls: box.scrollWidth > box.clientWidth, boxWidth: box.getBoundingClientRect().right
  });
  document.body.appendChild(out);
})();
</script>
"""


def framed(batch_out: Path, width: int, inner: str = "index.html") -> Path:
    """A page showing `inner` in a frame `width` px wide: headless Chromium's window is at least
    500 px, so a phone's 390 px viewport is made with a frame (media queries see the frame)."""
    page = batch_out / f"frame-{width}.html"
    page.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><iframe src="{inner}" '
        f'style="width:{width}px;height:900px;border:0"></iframe>'
        "<script>window.addEventListener('load', function () {"
        "var found = frames[0].document.getElementById('measured');"
        "if (found) document.body.appendChild(found.cloneNode(true)); });</script></body></html>",
        encoding="utf-8",
    )
    return page


def measure(batch_out: Path, tmp_path: Path, width: int) -> dict:
    """Layout numbers written into the page by a tiny inline script, read back with --dump-dom."""
    chromium()
    html = (batch_out / "index.html").read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>")
    (batch_out / "measure.html").write_text(html, encoding="utf-8")  # beside index.html: same links
    page = framed(batch_out, width, "measure.html")
    window = f"--window-size={max(width + 100, 600)},1000"
    dom = browser(tmp_path, window, "--allow-file-access-from-files", "--dump-dom", page.as_uri()).stdout
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom)
    assert found, dom[-500:]
    return json.loads(found.group(1).replace("&quot;", '"'))


def test_index_on_a_1280_px_desktop_in_japanese_keeps_names_on_one_line(batch_out, tmp_path):
    m = measure(batch_out, tmp_path, 1280)
    assert m["pageWidth"] <= 1280, m
    assert m["textCellLines"] < 1.5, m  # code, name, prefecture, tier: one line each
    assert m["narrowestDomainEm"] >= 4, m  # domain titles wrap in readable columns


def test_index_on_a_390_px_phone_does_not_scroll_sideways(batch_out, tmp_path):
    m = measure(batch_out, tmp_path, 390)
    assert m["viewport"] == 390, m
    assert m["pageWidth"] <= 390 and m["bodyWidth"] <= 390, m  # was 887 px
    assert m["boxScrolls"] and m["boxWidth"] <= 390, m  # the table scrolls inside its own box
    assert m["textCellLines"] < 1.5, m


def test_index_screenshots_are_drawn(batch_out, tmp_path):
    """What a person sees (the PNGs are kept in tmp_path for a look when this fails)."""
    for width in (1280, 390):
        shot = tmp_path / f"index-{width}.png"
        page = framed(batch_out, width)
        browser(tmp_path, f"--window-size={max(width, 500)},900", f"--screenshot={shot}", page.as_uri())
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    assert pdf_info  # imported for the helpers' skip messages
