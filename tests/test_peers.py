"""Peers to learn from (issue 22): consent, who to ask, peers.json, report --peers, and that
nothing of a municipality that did not consent reaches another's output."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from dxassess.answerfile import answer_text
from dxassess.lgcode import with_check_digit
from dxassess.sharing import Named, practices, who_to_ask

from .conftest import MINI, ROOT, assert_clean_error, run_cli

REGISTER = {line.split(",")[0] for line in (ROOT / "dxassess/data/municipalities.csv").read_text("utf-8").splitlines()}


def _codes(n: int) -> list[str]:
    """Valid codes that belong to no municipality (prefecture 47, numbers the register lacks)."""
    out = []
    for i in range(900, 1000):
        code = with_check_digit(f"47{i:03d}")
        if code not in REGISTER:
            out.append(code)
        if len(out) == n:
            return out
    raise AssertionError("not enough unused codes")


def _named(code: str, band: str, population: int, levels: dict[str, float], **kw: Any) -> Named:
    return Named(
        code=code,
        name=kw.get("name", f"試験{code}"),
        prefecture="沖縄県",
        population=population,
        band=band,
        assessed="2026-10-01",
        questionnaire="mini 1.0.0",
        contact="情報政策課",
        levels=levels,
        notes=kw.get("notes", {}),
        reached=tuple(levels),
    )


# --- the pure core ---------------------------------------------------------------------------


def test_same_band_peers_that_reached_the_target_most_similar_population_first() -> None:
    q = "leadership.mayor_commitment"
    peers = [
        _named("a", "city_100k_plus", 400_000, {q: 4}),
        _named("b", "city_100k_plus", 130_000, {q: 5}),
        _named("c", "city_100k_plus", 110_000, {q: 2}),  # below the target
        _named("d", "city_100k_plus", 200_000, {q: 3}),
        _named("e", "city_100k_plus", 900_000, {q: 5}),
        _named("f", "city_50k_100k", 90_000, {q: 5}),  # another band
        _named("me", "city_100k_plus", 120_000, {q: 5}),  # never itself
    ]
    asks = who_to_ask("me", "city_100k_plus", 120_000, [(q, 3.0)], peers)
    assert len(asks) == 1 and not asks[0].fallback and asks[0].band == "city_100k_plus"
    assert [p.code for p in asks[0].peers] == ["b", "d", "a"]  # at most three, nearest in size first


def test_no_peer_in_the_band_falls_back_to_the_nearest_larger_band_and_says_so() -> None:
    q = "infrastructure.wifi"
    peers = [
        _named("big", "town_village_20k_plus", 30_000, {q: 5}),
        _named("small", "town_village_5k_20k", 9_000, {q: 1}),
    ]
    (ask,) = who_to_ask("me", "town_village_5k_20k", 8_000, [(q, 3.0)], peers)
    assert ask.fallback and ask.band == "town_village_20k_plus" and [p.code for p in ask.peers] == ["big"]
    assert ask.as_dict()["fallback"] is True


def test_nobody_in_the_band_or_the_larger_one_gives_no_ask() -> None:
    q = "infrastructure.wifi"
    peers = [_named("far", "city_100k_plus", 300_000, {q: 5})]
    assert who_to_ask("me", "town_village_under_5k", 3_000, [(q, 3.0)], peers) == []
    assert who_to_ask("me", "town_village_under_5k", 3_000, [(q, 3.0)], []) == []


def test_practices_group_consenting_peers_by_band() -> None:
    q = "infrastructure.wifi"
    peers = [_named("s", "town_village_5k_20k", 9_000, {q: 5}), _named("l", "city_100k_plus", 300_000, {q: 5})]
    ((qid, groups),) = practices([q, "other"], peers, ["city_100k_plus", "town_village_5k_20k"])
    assert qid == q and [band for band, _ in groups] == ["city_100k_plus", "town_village_5k_20k"]


def test_the_bands_of_peers_json_are_the_size_bands() -> None:
    from typing import get_args

    from dxassess.model.peers import BandName
    from dxassess.model.size import BAND_ORDER

    assert get_args(BandName) == tuple(b.value for b in BAND_ORDER)


def test_peers_json_reads_back() -> None:
    from dxassess.model.peers import PeersDoc
    from dxassess.peersfile import peers_json

    n = _named("472018", "city_100k_plus", 300_000, {"x.y": 4.0}, notes={"x.y": "実施した"})
    doc = PeersDoc.model_validate(json.loads(peers_json([n])))
    assert Named.from_dict(doc.municipalities[0].model_dump(mode="json")) == n


# --- answer files with and without consent ----------------------------------------------------

MAYOR = "leadership.mayor_commitment"


def _answers(code: str, name: str, population: int, mayor: int, sharing: dict | None, note: str | None) -> str:
    answer: dict[str, Any] = {"value": mayor}
    if note:
        answer["public_note"] = note
    data: dict[str, Any] = {
        "questionnaire": {"id": "mini", "version": "1.0.0"},
        "municipality": {"code": code, "name": name, "population": population},
        "assessed": "2026-10-01",
        "synthetic": True,
        "answers": {
            MAYOR: answer,
            "leadership.policy": {"value": True},
            "infrastructure.pc_age": {"value": 4},
            "infrastructure.wifi": {"value": "meeting_rooms"},
            "infrastructure.wifi_secured": {"value": True},
        },
    }
    if sharing is not None:
        data["sharing"] = sharing
    return answer_text(data)


# name, population, level of the mayor's commitment, consents
PEOPLE = [
    ("甲市", 120_000, 5, True),  # city 100k+: reached, consents
    ("乙市", 150_000, 4, True),  # reached, consents
    ("丙市", 130_000, 5, False),  # reached, did NOT consent: never named to others
    ("丁市", 110_000, 1, False),  # below target: asks
    ("戊町", 8_000, 1, True),  # town 5k-20k below target: nobody in its band reached it
    ("己町", 9_000, 5, False),  # reached, did NOT consent
    ("庚町", 25_000, 5, True),  # town 20k+: the fallback band for 戊町
    ("辛村", 3_000, 1, False),  # town under 5k: its band and the next larger have no one who reached it?
]


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[str, bool]]]:
    folder = tmp_path_factory.mktemp("people")
    who: dict[str, tuple[str, bool]] = {}
    for code, (name, population, mayor, consents) in zip(_codes(len(PEOPLE)), PEOPLE):
        sharing = {"named": True, "contact": f"{name}情報政策課 098-000-0000"} if consents else None
        note = f"{name}の取組: 首長が庁議で方針を示した <b>&"
        (folder / f"{code}.yaml").write_text(_answers(code, name, population, mayor, sharing, note), "utf-8")
        who[name] = (code, consents)
    return folder, who


@pytest.fixture(scope="module")
def batch_out(people: tuple[Path, dict[str, tuple[str, bool]]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder, _ = people
    out = tmp_path_factory.mktemp("out") / "out"
    proc = run_cli("batch", str(folder), "-o", str(out), "--questionnaire", str(MINI), "--lang", "ja")
    assert proc.returncode == 0, proc.stderr
    return out


def _report(out: Path, who: dict[str, tuple[str, bool]], name: str) -> str:
    return (out / "reports" / f"{who[name][0]}.html").read_text("utf-8")


def _asks_of(html: str) -> str:
    return "".join(re.findall(r'<div class="asks">.*?</div>', html, re.S))


def test_who_to_ask_names_only_consenting_peers_of_the_band_that_reached_the_target(batch_out: Path, people) -> None:
    _, who = people
    asks = _asks_of(_report(batch_out, who, "丁市"))
    assert "甲市" in asks and "乙市" in asks  # the same band, reached, consented
    assert "丙市" not in asks  # reached but did not consent
    assert "甲市情報政策課" in asks and "甲市の取組" in asks and "診断日 2026年10月1日" in asks
    assert "&lt;b&gt;&amp;" in asks  # public notes are escaped
    assert asks.index("甲市") < asks.index("乙市")  # 120,000 is nearer 110,000 than 150,000
    assert "同規模団体の取組事例" in _report(batch_out, who, "丁市")  # and on the first page


def test_an_empty_band_falls_back_to_the_nearest_larger_one_saying_so(batch_out: Path, people) -> None:
    _, who = people
    asks = _asks_of(_report(batch_out, who, "戊町"))
    assert "庚町" in asks and "己町" not in asks
    assert "一つ上の規模帯" in asks


def test_no_one_to_ask_leaves_the_report_without_the_section(batch_out: Path, people) -> None:
    _, who = people
    assert _asks_of(_report(batch_out, who, "辛村")) == ""
    assert _asks_of(_report(batch_out, who, "甲市")) == ""  # no gap on that question


def test_peers_json_holds_only_consenting_municipalities(batch_out: Path, people) -> None:
    _, who = people
    doc = json.loads((batch_out / "peers.json").read_text("utf-8"))
    names = {m["name"] for m in doc["municipalities"]}
    assert names == {name for name, (_, consents) in who.items() if consents}
    first = next(m for m in doc["municipalities"] if m["name"] == "甲市")
    assert first["levels"][MAYOR] == 5 and first["public_notes"][MAYOR].startswith("甲市の取組")


def test_practices_page_lists_consenting_peers_by_band(batch_out: Path, people) -> None:
    html = (batch_out / "index.html").read_text("utf-8")
    page = html[html.index('id="practices"') :]
    page = page[: page.index("</section>")]
    assert "甲市" in page and "庚町" in page and "丙市" not in page and "己町" not in page


def _cells_outside_own_rows(rows: list[list[str]], code: str, needle: str) -> list[list[str]]:
    return [row for row in rows if any(needle in cell for cell in row) and code not in row]


def test_nothing_of_a_non_consenting_municipality_leaves_its_own_report_and_summary_rows(
    batch_out: Path, people
) -> None:
    """The issue's "done when": grep every output for each non-consenting municipality's name
    and code; found only in its own report and its own rows of the summaries."""
    import csv
    import io

    from openpyxl import load_workbook

    _, who = people
    hidden = {name: code for name, (code, consents) in who.items() if not consents}
    assert hidden
    csv_rows = list(csv.reader(io.StringIO((batch_out / "summary.csv").read_text("utf-8-sig"))))
    book = load_workbook(batch_out / "summary.xlsx", read_only=True)
    xlsx_rows = [[str(c) for c in row if c is not None] for sheet in book for row in sheet.iter_rows(values_only=True)]
    with zipfile.ZipFile(batch_out / "summary.xlsx") as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    summary = json.loads((batch_out / "summary.json").read_text("utf-8"))
    index = (batch_out / "index.html").read_text("utf-8")
    peers = (batch_out / "peers.json").read_text("utf-8")
    for name, code in hidden.items():
        for needle in (name, code):
            for report in (batch_out / "reports").glob("*.html"):
                if report.stem != code:
                    assert needle not in report.read_text("utf-8"), (needle, report.name)
            assert needle not in peers
            assert not _cells_outside_own_rows(csv_rows, code, needle)
            assert not _cells_outside_own_rows(xlsx_rows, code, needle)
            others = [m for m in summary["municipalities"] if m["municipality"]["code"] != code]
            assert needle not in json.dumps(others, ensure_ascii=False)
            # the index's rows and its list of input warnings: each names only its own input
            rows = re.findall(r"<tr>.*?</tr>|<li>.*?</li>", index, re.S)
            assert all(code in row for row in rows if needle in row)
            assert needle not in re.sub(r"<tr>.*?</tr>|<li>.*?</li>", "", index, flags=re.S)
        assert xml.count(name) <= 1  # a shared string, used in its own row only (checked above)


def test_a_rerun_after_consent_is_withdrawn_equals_a_fresh_run(people, tmp_path: Path) -> None:
    folder, who = people
    inputs = tmp_path / "in"
    inputs.mkdir()
    for f in folder.glob("*.yaml"):
        (inputs / f.name).write_bytes(f.read_bytes())
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    args = ("--questionnaire", str(MINI), "--lang", "ja")
    assert run_cli("batch", str(inputs), "-o", str(out), *args).returncode == 0
    first = inputs / f"{who['甲市'][0]}.yaml"
    first.write_text(re.sub(r"^sharing:.*\n", "", first.read_text("utf-8"), flags=re.M), "utf-8")
    assert run_cli("batch", str(inputs), "-o", str(out), *args).returncode == 0
    assert run_cli("batch", str(inputs), "-o", str(fresh), "--fresh", *args).returncode == 0
    for path in fresh.rglob("*"):
        if path.is_file() and "cache" not in path.name:
            assert path.read_bytes() == (out / path.relative_to(fresh)).read_bytes(), path
    assert "甲市" not in (out / "reports" / f"{who['丁市'][0]}.html").read_text("utf-8")


# --- report --peers ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_report_with_a_peers_file_shows_who_to_ask(batch_out: Path, people, fmt: str) -> None:
    folder, who = people
    answers = folder / f"{who['丁市'][0]}.yaml"
    proc = run_cli(
        "report", str(answers), "--peers", str(batch_out / "peers.json"), "-f", fmt, "-q", str(MINI), "--lang", "ja"
    )
    assert proc.returncode == 0, proc.stderr
    assert "甲市" in proc.stdout and "乙市" in proc.stdout and "丙市" not in proc.stdout
    if fmt == "json":
        data = json.loads(proc.stdout)
        (ask,) = [a for a in data["peers"]["asks"] if a["question_id"] == MAYOR]
        assert [p["name"] for p in ask["peers"]] == ["甲市", "乙市"] and ask["fallback"] is False
        return
    # a peer's assessment date is written as the report writes dates, in Markdown as in HTML
    named = json.loads((batch_out / "peers.json").read_text("utf-8"))["municipalities"]
    for peer in (m for m in named if m["name"] in ("甲市", "乙市")):
        year, month, day = (int(part) for part in peer["assessed"].split("-"))
        lines = [line for line in proc.stdout.splitlines() if peer["name"] in line and "2" in line]
        assert any(f"{year}年{month}月{day}日" in line for line in lines), peer
        assert not any(peer["assessed"] in line for line in lines), peer


def test_report_without_peers_has_no_peers_key(people) -> None:
    folder, who = people
    proc = run_cli("report", str(folder / f"{who['丁市'][0]}.yaml"), "-f", "json", "-q", str(MINI))
    assert proc.returncode == 0 and "peers" not in json.loads(proc.stdout)


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"format": "dxassess-peers", "version": 1}',
        '{"format": "other", "version": 1, "municipalities": []}',
    ],
)
def test_a_bad_peers_file_is_a_one_line_error(people, tmp_path: Path, content: str) -> None:
    folder, who = people
    bad = tmp_path / "peers.json"
    bad.write_text(content, "utf-8")
    proc = run_cli("report", str(folder / f"{who['丁市'][0]}.yaml"), "--peers", str(bad), "-q", str(MINI))
    assert_clean_error(proc, 1)
    assert "DX604" in proc.stderr and str(bad) in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_a_missing_peers_file_is_a_one_line_error(people, tmp_path: Path) -> None:
    folder, who = people
    proc = run_cli(
        "report", str(folder / f"{who['丁市'][0]}.yaml"), "--peers", str(tmp_path / "nope.json"), "-q", str(MINI)
    )
    assert_clean_error(proc, 1)
    assert "DX604" in proc.stderr


# --- validate -----------------------------------------------------------------------------------


def _validate(tmp_path: Path, sharing: dict | None, note: str | None = None) -> str:
    code = _codes(1)[0]
    path = tmp_path / "a.yaml"
    path.write_text(_answers(code, "試験市", 120_000, 3, sharing, note), "utf-8")
    proc = run_cli("validate", str(path), "-q", str(MINI))
    return proc.stdout + proc.stderr


def test_consent_needs_a_contact(tmp_path: Path) -> None:
    assert "DX601" in _validate(tmp_path, {"named": True})
    assert "DX601" in _validate(tmp_path, {"named": True, "contact": "  "})
    assert "DX601" not in _validate(tmp_path, {"named": False})


@pytest.mark.parametrize(
    "contact,warned",
    [
        ("情報政策課 090-1234-5678", True),
        ("情報政策課 08012345678", True),
        ("taro.example@gmail.com", True),
        ("情報政策課 098-123-4567", False),  # a landline
        ("情報政策課 0120-123-456", False),
        ("情報政策課 joho@city.example.lg.jp", False),  # a department's address
        ("DX推進課（内線 0901）", False),
    ],
)
def test_a_contact_that_looks_personal_is_warned_about(tmp_path: Path, contact: str, warned: bool) -> None:
    assert ("DX602" in _validate(tmp_path, {"named": True, "contact": contact})) is warned


def test_public_notes_without_consent_are_said_to_stay_private(tmp_path: Path) -> None:
    assert "DX603" in _validate(tmp_path, None, "やったこと")
    assert "DX603" in _validate(tmp_path, {"named": False}, "やったこと")
    assert "DX603" not in _validate(tmp_path, {"named": True, "contact": "情報政策課"}, "やったこと")
    assert "DX603" not in _validate(tmp_path, None)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_gap_cards_batch_writes_in_python_equal_the_templates_own_with_who_to_ask(lang: str) -> None:
    """Batch renders the gap cards in Python (dxassess.batch.rows); with "who to ask" under them
    they must still be the template's bytes."""
    from dxassess.api import assess
    from dxassess.batch import rows
    from dxassess.peersfile import asks_data
    from dxassess.render.context import build
    from dxassess.render.html import CARD_COUNT, _asks, render_html

    from .conftest import CASES

    result = assess(CASES / "valid" / "flagship-answers.yaml")
    band = result.band.value
    levels = {g.question_id: 5.0 for g in result.gaps}
    named = [
        _named("472000", band, result.municipality.population + 1, levels, notes={q: "<i>やった</i>" for q in levels})
    ]
    data = build(result, lang)
    data["peers"] = asks_data(result, named, lang, CARD_COUNT, "peers.json")
    cards, summary = _asks(data)
    assert sum(1 for c in cards if c) == min(CARD_COUNT, len(result.gaps)) and summary
    plain = render_html(data)
    fast = render_html(data, prerendered=rows.prerendered(data, cards), ask_cards=cards, ask_summary_html=summary)
    assert fast == plain and "&lt;i&gt;やった&lt;/i&gt;" in plain


def test_the_documented_schema_is_the_one_read() -> None:
    from dxassess.model.peers import PeersDoc

    page = (ROOT / "docs" / "peers-format.md").read_text("utf-8")
    schema = page.split("## JSON Schema", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    assert json.loads(schema) == PeersDoc.model_json_schema()


def test_the_index_walk_finds_what_sorting_everyone_finds() -> None:
    import math
    import random

    from dxassess.sharing import PeerIndex

    rng = random.Random(5)
    q = "x.q"
    for _ in range(200):
        peers = [
            _named(
                f"{i:03d}", "b", rng.choice([1000, 5000, 5000, 20000, rng.randint(1, 90000)]), {q: rng.randint(0, 5)}
            )
            for i in range(rng.randint(0, 25))
        ]
        population, target = rng.randint(1, 90000), rng.randint(0, 5)
        me = rng.choice([p.code for p in peers] or ["none"])
        expected = sorted(
            (p for p in peers if p.code != me and p.levels[q] >= target),
            key=lambda p: (abs(math.log(p.population) - math.log(population)), p.code),
        )[:3]
        assert PeerIndex(peers).nearest("b", q, target, population, me, 3) == expected
