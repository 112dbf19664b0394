"""`batch` for a group of municipalities over time and by prefecture: `--previous` (movers, change
per size group and domain, questions still below target, new and missing municipalities, each
report's own year-on-year section as `report --previous` gives it), the prefecture view (tile maps
of the 47 prefectures and the same figures in tables, small groups suppressed), peers by size band."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from dxassess.batch import prefectures
from dxassess.batch.peers import MIN_GROUP

from .conftest import MINI, run_cli
from .test_html import assert_self_contained, chromium, run_browser


def _batch(inputs: Path, out: Path, *args: str, lang: str = "en") -> str:
    proc = run_cli("batch", str(inputs), "-o", str(out), "-q", str(MINI), "--lang", lang, "-j", "2", *args)
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


def _set(path: Path, question: str, level: int) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(rf"({re.escape(question)}: \{{value: )\d", rf"\g<1>{level}", text), encoding="utf-8")


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Last year's batch of 40 municipalities, and this year's: 4 improved a lot, 4 worsened,
    2 dropped out, 3 joined."""
    root = tmp_path_factory.mktemp("years")
    pool = root / "pool"
    proc = run_cli("sample", "--count", "43", "--seed", "23", "-o", str(pool), "-q", str(MINI))
    assert proc.returncode == 0, proc.stderr
    answered = "leadership.mayor_commitment: {value: "
    files = sorted(pool.glob("*.yaml"), key=lambda p: (answered not in p.read_text(encoding="utf-8"), p.name))
    files = files[:40] + sorted(files[40:])
    last, this = root / "last", root / "this"
    last.mkdir()
    for path in files[:40]:
        shutil.copy(path, last / path.name)
        _set(last / path.name, "leadership.mayor_commitment", 2)
    shutil.copytree(last, this)
    up, down, gone = files[0:4], files[4:8], files[8:10]
    for path in up:
        _set(this / path.name, "leadership.mayor_commitment", 5)
    for path in down:
        _set(this / path.name, "leadership.mayor_commitment", 0)
    for path in gone:
        (this / path.name).unlink()
    for path in files[40:]:
        shutil.copy(path, this / path.name)
    old_out, new_out = root / "out-last", root / "out-this"
    _batch(last, old_out)
    _batch(this, new_out, "--previous", str(old_out))
    return {
        "last": last,
        "this": this,
        "old": old_out,
        "new": new_out,
        "up": [p.stem for p in up],
        "down": [p.stem for p in down],
        "gone": [p.stem for p in gone],
        "joined": [p.stem for p in files[40:]],
    }


def test_previous_lists_movers_new_and_missing(two_years: dict) -> None:
    data = json.loads((two_years["new"] / "summary.json").read_text(encoding="utf-8"))
    change = data["change"]
    assert change["compared"] == 38
    assert set(change["most_improved"][:4]) == set(two_years["up"])
    assert set(change["most_worsened"][:4]) == set(two_years["down"])
    assert sorted(change["new"]) == sorted(two_years["joined"])
    assert [m["code"] for m in change["missing"]] == sorted(two_years["gone"])
    by_code = {m["municipality"]["code"]: m for m in data["municipalities"]}
    for code in two_years["up"]:
        assert by_code[code]["change"]["delta"] > 0 and by_code[code]["change"]["status"] == "improved"
    for code in two_years["down"]:
        assert by_code[code]["change"]["delta"] < 0
    for code in two_years["joined"]:
        assert by_code[code]["change"] is None
    assert change["domains"]["leadership"]["improved"] == 4 and change["domains"]["leadership"]["worsened"] == 4
    assert change["still_below_target"]  # questions below target in both years
    index = (two_years["new"] / "index.html").read_text(encoding="utf-8")
    section = index[index.index('<section id="change"') : index.index("</section>", index.index('id="change"'))]
    for code in two_years["up"] + two_years["down"] + two_years["gone"] + two_years["joined"]:
        assert code in section
    assert "Most improved" in section and "Most worsened" in section
    csv = (two_years["new"] / "summary.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv[0].endswith(",overall_previous,overall_change")


def _without_peers(html: str) -> str:
    html = re.sub(r"<!--dxassess:ask:[a-z0-9]+-->.*?<!--/dxassess:ask-->\n", "", html, flags=re.S)  # who to ask
    html = re.sub(r'<p class="peer-summary">.*?</p>\n *', "", html, flags=re.S)
    return re.sub(r'<h3 id="peer">.*?</table>\n *', "", html, flags=re.S)


def test_each_report_has_the_change_report_previous_gives(two_years: dict, tmp_path: Path) -> None:
    """A batch report with --previous is `report --previous` of the same two answer files (apart
    from the peer sections only batch has)."""
    for code in (two_years["up"][0], two_years["down"][0]):
        ours = (two_years["new"] / "reports" / f"{code}.html").read_text(encoding="utf-8")
        assert '<section id="change">' in ours
        single = tmp_path / f"{code}.html"
        proc = run_cli(
            "report", str(two_years["this"] / f"{code}.yaml"), "--previous", str(two_years["last"] / f"{code}.yaml"),
            "-q", str(MINI), "--format", "html", "-o", str(single), "--lang", "en",
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert _without_peers(ours) == _without_peers(single.read_text(encoding="utf-8"))
    joined = (two_years["new"] / "reports" / f"{two_years['joined'][0]}.html").read_text(encoding="utf-8")
    assert '<section id="change">' not in joined


def test_an_older_summary_gives_domain_and_overall_change(two_years: dict, tmp_path: Path) -> None:
    """A summary.json written before question levels were kept: the change by domain and
    overall, no question changes."""
    data = json.loads((two_years["old"] / "summary.json").read_text(encoding="utf-8"))
    for m in data["municipalities"]:
        del m["scores"]
    old = tmp_path / "older"
    old.mkdir()
    (old / "summary.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    _batch(two_years["this"], out, "--previous", str(old))
    report = (out / "reports" / f"{two_years['up'][0]}.html").read_text(encoding="utf-8")
    assert '<section id="change">' in report and "No question changed." in report
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert set(summary["change"]["most_improved"][:4]) == set(two_years["up"])


def test_an_earlier_batch_of_another_questionnaire_version_is_compared_with_a_caveat(
    two_years: dict, tmp_path: Path
) -> None:
    """Last year's municipalities answered another version: the earlier summary has their scores
    but not their answers, so they cannot be carried over as `report --previous` does. The change
    is still given (the scores each version gave) but says so, in the summary, the index and each
    report, and claims no question-by-question change."""
    data = json.loads((two_years["old"] / "summary.json").read_text(encoding="utf-8"))
    older = {two_years["up"][0], two_years["down"][0]}
    for m in data["municipalities"]:
        if m["municipality"]["code"] in older:
            m["questionnaire"]["version"] = "0.9.0"
    old = tmp_path / "older"
    old.mkdir()
    (old / "summary.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    _batch(two_years["this"], out, "--previous", str(old))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["change"]["other_versions"] == {"n": 2, "versions": ["mini 0.9.0"]}
    by_code = {m["municipality"]["code"]: m for m in summary["municipalities"]}
    assert by_code[two_years["up"][0]]["change"]["questionnaire"] == "mini 0.9.0"
    assert by_code[two_years["up"][0]]["change"]["delta"] > 0  # still given
    assert "questionnaire" not in by_code[two_years["up"][1]]["change"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2 of them answered another version of the questionnaire last time (mini 0.9.0)" in index
    report = (out / "reports" / f"{two_years['up'][0]}.html").read_text(encoding="utf-8")
    section = report[report.index('<section id="change">') : report.index("</section>", report.index('id="change"'))]
    assert "answered version 0.9.0 of the questionnaire and this one 1.0.0" in section
    assert "No question changed." not in section and "change-table" not in section
    same = (out / "reports" / f"{two_years['up'][1]}.html").read_text(encoding="utf-8")
    assert "another version" not in same and "version 0.9.0" not in same
    # the batch from the same earlier summary without the edit says nothing of versions
    plain = json.loads((two_years["new"] / "summary.json").read_text(encoding="utf-8"))
    assert "other_versions" not in plain["change"]


def test_peers_are_grouped_by_size_band(two_years: dict) -> None:
    data = json.loads((two_years["new"] / "summary.json").read_text(encoding="utf-8"))
    bands = {m["band"] for m in data["municipalities"]}
    assert set(data["benchmarks"]) == bands
    for m in data["municipalities"]:
        stats = data["benchmarks"][m["band"]]["overall"]
        assert stats["n"] == sum(x["band"] == m["band"] for x in data["municipalities"])
        assert (m["band_percentile"]["overall"] is None) == stats["suppressed"]
    index = (two_years["new"] / "index.html").read_text(encoding="utf-8")
    assert "Distribution by size group" in index and "City under 50,000" in index or "Town or village" in index


def test_prefecture_figures_and_suppression(two_years: dict) -> None:
    data = json.loads((two_years["new"] / "summary.json").read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for m in data["municipalities"]:
        counts[m["municipality"]["code"][:2]] = counts.get(m["municipality"]["code"][:2], 0) + 1
    assert set(data["prefectures"]) == set(counts)
    for pref, n in counts.items():
        entry = data["prefectures"][pref]
        assert entry["n"] == n and entry["suppressed"] == (n < MIN_GROUP)
        if n < MIN_GROUP:
            assert entry["overall"]["median"] is None and entry["most_missed"] == []
    assert any(n < MIN_GROUP for n in counts.values())  # the sample has small prefectures
    index = (two_years["new"] / "index.html").read_text(encoding="utf-8")
    section = index[index.index('<section id="prefectures"') :]
    assert section.count('<svg class="pref-map"') == 3  # overall, share answered, change
    assert "suppressed (fewer than 5)" in section and "n&lt;5" in section


def test_the_tile_grid_has_every_prefecture_once() -> None:
    placed = [n for row in prefectures.GRID for n in row if n is not None]
    assert sorted(placed) == list(range(1, 48))
    assert prefectures.pref_name("01", "ja") == "北海道" and prefectures.pref_name("13", "ja") == "東京都"
    assert prefectures.pref_label("47", "en") == "Okinawa"
    svg = prefectures.tile_map(
        {"13": {"n": 9, "suppressed": False, "value": 3.2}}, "overall", "t", {"none": "-", "suppressed": "s"}, "en"
    )
    assert svg.count('class="pref-tile"') == 47 and ">3.20<" in svg


def test_without_previous_the_change_map_says_how_to_get_it(tmp_path: Path, two_years: dict) -> None:
    index = (two_years["old"] / "index.html").read_text(encoding="utf-8")
    assert 'id="change"' not in index
    assert index.count('<svg class="pref-map"') == 2
    assert "shown when --previous is given" in index


def test_japanese_index(two_years: dict, tmp_path: Path) -> None:
    out = tmp_path / "ja"
    _batch(two_years["this"], out, "--previous", str(two_years["old"]), lang="ja")
    index = (out / "index.html").read_text(encoding="utf-8")
    for words in (
        "前回の一括採点からの変化",
        "改善の大きい団体",
        "都道府県別の状況",
        "総合スコアの中央値",
        "規模帯別の分布",
    ):
        assert words in index


def test_index_renders_and_prints_in_a_browser(two_years: dict, tmp_path: Path) -> None:
    """The prefecture maps and tables and the change section render in a headless browser
    (screenshot) and print (A4 PDF), with nothing fetched from anywhere."""
    chromium()
    page = two_years["new"] / "index.html"
    html = page.read_text(encoding="utf-8")
    assert_self_contained_index(html)
    dom = run_browser(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert dom.count('class="pref-map"') == 3 and dom.count('class="pref-tile"') == 3 * 47
    assert 'class="pref-table"' in dom and 'id="change"' in dom
    shot = tmp_path / "index.png"
    run_browser(tmp_path, f"--screenshot={shot}", "--window-size=1280,3000", page.as_uri())
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
    pdf = tmp_path / "index.pdf"
    run_browser(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    # A4: portrait, and landscape for the table of every municipality
    assert boxes and all(
        abs(min(float(w), float(h)) - 595.3) < 1 and abs(max(float(w), float(h)) - 841.9) < 1 for w, h in boxes
    )


def assert_self_contained_index(html: str) -> None:
    """The index may carry its one inline sorting script; nothing is loaded from anywhere."""
    without_script = re.sub(r"<script>.*?</script>", "", html, flags=re.S)
    assert "<script src" not in html
    assert_self_contained(without_script)
