"""The practices page of the batch index (成功事例の横展開) prints on A4 with nothing cut: every
consenting municipality, contact and the end of every public note is in the PDF's text, and no
ink reaches the page's right edge. Through headless Chromium, pdftotext and pdftoppm."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import MINI, run_cli
from .test_html import chromium, run_browser
from .test_peers import _answers, _codes

LONG_CONTACT = "DX推進課 " + "johosuishinka" * 10 + "@city.example.lg.jp 098-000-0000"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (apt-get install poppler-utils)")
    return found


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_practices_page_prints_on_a4_with_nothing_cut(tmp_path: Path, lang: str) -> None:
    chromium()
    folder = tmp_path / "in"
    folder.mkdir()
    names = []
    for i, code in enumerate(_codes(8)):
        name = f"印刷試験{i}{'市' if i % 2 else '町'}"
        population = 120_000 + i if i % 2 else 8_000 + i
        note = ("首長が庁議で方針を示し、全職員向けに説明会を開いた。" * 25) + f"終わり{i}"
        sharing = {"named": True, "contact": LONG_CONTACT} if i < 6 else None
        (folder / f"{code}.yaml").write_text(
            _answers(code, name, population, 5 if i < 6 else 1, sharing, note), "utf-8"
        )
        names.append(name)
    out = tmp_path / "out"
    proc = run_cli("batch", str(folder), "-o", str(out), "--questionnaire", str(MINI), "--lang", lang)
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / "index.pdf"
    run_browser(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", (out / "index.html").as_uri())
    data = pdf.read_bytes()
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    a4 = sorted((595.3, 841.9))  # portrait, or landscape for the index's municipality table
    assert boxes and all(all(abs(x - y) < 1 for x, y in zip(sorted((float(w), float(h))), a4)) for w, h in boxes)
    raw = subprocess.run([_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"\s+", "", raw)
    start = text.index(re.sub(r"\s+", "", "成功事例の横展開" if lang == "ja" else "Practices across the group"))
    practices = text[start:]
    for i in range(6):
        assert names[i] in practices and f"終わり{i}" in practices  # the end of every note is printed
    # a long unbroken address is wrapped, not cut (pdftotext drops a hyphen where a line breaks)
    assert re.sub(r"[\s-]+", "", LONG_CONTACT) in practices.replace("-", "")
    for i in (6, 7):
        assert f"終わり{i}" not in text  # no consent: its notes are nowhere
    # no ink in the rightmost 4 mm of any page (a line running off the paper would leave some)
    prefix = tmp_path / "page"
    subprocess.run([_tool("pdftoppm"), "-r", "40", "-gray", str(pdf), str(prefix)], check=True)
    for image in sorted(tmp_path.glob("page*.pgm")):
        width, height, pixels = _pgm(image.read_bytes())
        edge = max(1, round(width * 4 / 210))
        for y in range(height):
            row = pixels[y * width : (y + 1) * width]
            assert min(row[width - edge :]) > 200, (image.name, y)


def _pgm(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the grey pixels of a binary PGM (P5) with an 8-bit range."""
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P5" and parts[3] == b"255"
    width, height = int(parts[1]), int(parts[2])
    return width, height, parts[4][-width * height :]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_report_with_who_to_ask_keeps_every_first_action_on_page_one(tmp_path: Path, lang: str) -> None:
    from dxassess.api import assess
    from dxassess.peersfile import asks_data
    from dxassess.render.context import build
    from dxassess.render.html import CARD_COUNT, render_html

    from .conftest import CASES
    from .test_peers import _named
    from .test_report_page import page_texts, squeeze

    chromium()
    result = assess(CASES / "valid" / "flagship-answers.yaml")
    levels = {g.question_id: 5.0 for g in result.gaps}
    named = [
        _named(f"47{i:04d}", result.band.value, result.municipality.population + i, levels, name=f"架空団体{i}")
        for i in range(3)
    ]
    data = build(result, lang)
    data["peers"] = asks_data(result, named, lang, CARD_COUNT, "peers.json")
    page = tmp_path / "report.html"
    page.write_text(render_html(data), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    run_browser(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    first = squeeze(page_texts(pdf)[0])
    for action in data["summary"]["first"]:
        assert squeeze(action["title"]) in first, action["title"]
    assert squeeze("同規模団体の取組事例" if lang == "ja" else "Peers to ask") in first
