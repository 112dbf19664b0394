"""The gap report as a DX officer hands it on (issue 15, and issue 20's report items): printed to
PDF by headless Chromium, page 1 is the summary holding the three to five actions to start with;
pages carry their own numbers and running title; on a 390 px phone nothing needs horizontal
scrolling. Looked at through the PDF's text (pdftotext) and the browser's own layout."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dxassess.api import assess, report

from .test_html import run_browser

CASES = Path(__file__).parent / "cases" / "valid"
FLAGSHIP = CASES / "flagship-answers.yaml"


def pdftotext() -> str:
    found = shutil.which("pdftotext")
    if found is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils; CI's .ci/run installs it)")
    return found


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run([pdftotext(), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")


def printed(tmp_path: Path, html: str) -> list[str]:
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    run_browser(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.read_bytes().startswith(b"%PDF")
    return page_texts(pdf)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_page_one_is_the_summary_with_every_first_action(tmp_path: Path, lang: str) -> None:
    result = assess(FLAGSHIP)
    pages = printed(tmp_path, report(result, "html", lang))
    first = squeeze(pages[0])
    title = "DX推進状況診断報告書" if lang == "ja" else "DXreadinessgapreport"
    assert title in first and squeeze("まず取り組むこと" if lang == "ja" else "Start with these") in first
    assert 3 <= len(result.first) <= 5
    data = __import__("dxassess.render.context", fromlist=["build"]).build(result, lang)
    for action in data["summary"]["first"]:
        assert squeeze(action["title"]) in first, action["title"]  # every first action is on page 1
    # own page numbers and running title, not the browser's header and footer
    assert re.search(r"1\s*/\s*\d+", pages[0]) and "file://" not in pages[0]
    assert squeeze(result.municipality.name) in squeeze(pages[1])


def test_a_report_dated_2026_11_01_budgets_after_this_year_and_flags_standardisation_overdue(tmp_path: Path):
    from dxassess.render.context import build

    text = FLAGSHIP.read_text(encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text(re.sub(r"assessed: .*", 'assessed: "2026-11-01"', text), encoding="utf-8")
    result = assess(answers)
    data = build(result, "ja")
    budgeted = [g for g in data["gaps"] if g["needs_budget"]]
    assert budgeted, "the flagship answers have gaps whose actions need money"
    for g in budgeted:
        if not g["overdue"]:
            assert g["start"] >= "2027-04", (g["question_id"], g["start"])
            assert "当初予算" in g["budget_label"]
    standard = [g for g in data["gaps"] if g["deadline"] and g["question_id"].startswith("standardisation.")]
    assert standard and all(g["overdue"] for g in standard)
    assert all("特定移行支援システム" in g["deadline"]["overdue"] for g in standard)
    assert data["roadmap"][0]["gaps"][0] in {g["question_id"] for g in standard}  # overdue deadlines first


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_report_reads_on_a_phone_without_horizontal_scrolling(tmp_path: Path, lang: str) -> None:
    import html as markup

    report_html = report(assess(FLAGSHIP, previous=CASES / "flagship-answers-previous.yaml"), "html", lang)
    # The report is shown in a 390 px frame of a test page that measures it (headless Chromium
    # will not make its own window narrower than 500 px). The report itself has no script.
    measure = (
        "var d = this.contentDocument; var wide = [];"
        "d.querySelectorAll('*').forEach(function (e) { if (e.getBoundingClientRect().right > 391)"
        " wide.push(e.tagName + '#' + e.id); });"
        "document.title = 'W' + d.documentElement.scrollWidth + ' ' + wide.slice(0, 5).join(',');"
    )
    page = tmp_path / "phone.html"
    page.write_text(
        '<html><head><title>x</title></head><body style="margin:0">'
        f'<iframe style="width:390px;height:900px;border:0" srcdoc="{markup.escape(report_html)}" '
        f'onload="{markup.escape(measure)}"></iframe></body></html>',
        encoding="utf-8",
    )
    dom = run_browser(tmp_path, "--window-size=800,900", "--dump-dom", page.as_uri()).stdout
    found = re.search(r"<title>W(\d+)([^<]*)</title>", dom)
    assert found, dom[:300]
    assert int(found.group(1)) <= 390, found.group(0)


@pytest.mark.parametrize("population", [500, 30_000, 740_000])
def test_the_domains_page_holds_the_whole_table_and_the_annex_is_readable(tmp_path: Path, population: int) -> None:
    """The 14 domains of municipal-dx 1.1.0 printed on A4 (a Japanese-reading review, 2026-12-05):
    the radar and the whole domain table, total row included, on one page (the total once went
    alone onto the next); the annex's narrow columns (owner, start) no longer break every two
    characters, so a page holds several gaps."""
    folder = tmp_path / "in"
    proc = subprocess.run(
        [sys.executable, "-m", "dxassess", "sample", "--count", "1", "--seed", "2", "-o", str(folder)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    answers = next(folder.glob("*.yaml"))
    assert 'version: "1.1.0"' in answers.read_text(encoding="utf-8")
    text = re.sub(r"population: \d+", f"population: {population}", answers.read_text(encoding="utf-8"), count=1)
    answers.write_text(text, encoding="utf-8")
    result = assess(answers)
    assert len(result.domains) == 14
    pages = [squeeze(p) for p in printed(tmp_path, report(result, "html", "ja"))]
    radar = next(i for i, p in enumerate(pages) if "分野別の状況" in p)
    domain_titles = [d.title["ja"] for d in result.questionnaire.domains]
    assert all(squeeze(t) in pages[radar] for t in domain_titles)
    assert "総合スコア" in pages[radar] and "総合スコア" not in pages[radar + 1]
    annex = [p for p in pages if "別表:目標を下回る設問の一覧" in p]
    gaps_on_first = len(re.findall(r"\d\.\d\d→\d\.\d\d", annex[0])) if annex else 0
    assert gaps_on_first >= 6, annex[:1]
