"""The register of municipalities: the shipped data against the published counts, the lookups
and searches, the user register, and the update from the ministry's list."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dxassess import register
from dxassess.errors import InputError
from dxassess.register import Entry, Register, parse_register, read_register
from dxassess.register_update import (
    NORTHERN_TERRITORIES,
    MinistryList,
    as_of_date,
    build_update,
    read_ministry_file,
    render_csv,
    write_register,
)


@pytest.fixture(scope="module")
def shipped() -> Register:
    """The shipped file, with every row checked."""
    return read_register(register.SHIPPED, checked=True)


def digit(first_five: str) -> int:
    """The check digit written out again, independently of the module."""
    r = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2))) % 11
    return (11 - r) % 10


# --- the shipped data -----------------------------------------------------------------------


def test_counts_match_the_published_counts(shipped: Register):
    """1,741 = 792 市 + 743 町 + 183 村 + 23 特別区 (since 2018-10-01); 47 prefectures; 20
    designated cities; 62 core cities (2024-04-01); 171 wards since Hamamatsu's 2024-01-01 reform."""
    counts = shipped.counts()
    assert counts["municipality"] == 1741
    assert counts["designated_city"] + counts["core_city"] + counts["city"] == 792
    assert counts["town"] == 743
    assert counts["village"] == 183
    assert counts["special_ward"] == 23
    assert counts["prefecture"] == 47
    assert counts["designated_city"] == 20
    assert counts["core_city"] == 62
    assert counts["ward"] == 171
    assert len(shipped.municipalities()) == 1741


def test_every_check_digit_is_right_and_codes_are_unique(shipped: Register):
    codes = [e.code for e in shipped]
    assert len(codes) == len(set(codes)) == 47 + 1741 + 171
    for code in codes:
        assert len(code) == 6 and code.isdigit(), code
        assert int(code[5]) == digit(code[:5]), code


@pytest.mark.parametrize(
    "code, name, prefecture, kind",
    [
        ("011002", "札幌市", "北海道", "designated_city"),
        ("131016", "千代田区", "東京都", "special_ward"),
        ("141003", "横浜市", "神奈川県", "designated_city"),
        ("271004", "大阪市", "大阪府", "designated_city"),
        ("010006", "北海道", "北海道", "prefecture"),
        ("470007", "沖縄県", "沖縄県", "prefecture"),
        ("014699", "美深町", "北海道", "town"),
        ("182010", "福井市", "福井県", "core_city"),
        ("402311", "那珂川市", "福岡県", "city"),  # a town (403857) until 2018-10-01
        ("221384", "浜松市中央区", "静岡県", "ward"),  # since 2024-01-01
    ],
)
def test_known_entries(shipped: Register, code: str, name: str, prefecture: str, kind: str):
    entry = shipped.lookup(code)
    assert entry is not None and (entry.name, entry.prefecture, entry.kind) == (name, prefecture, kind)


def test_wards_have_a_designated_city_and_are_not_municipalities(shipped: Register):
    wards = [e for e in shipped if e.kind == "ward"]
    for ward in wards:
        parent = shipped.lookup(ward.parent)
        assert parent is not None and parent.kind == "designated_city", ward
        assert ward.name.startswith(parent.name) and ward.prefecture == parent.prefecture
        assert not ward.is_municipality
    assert {w.parent for w in wards} == {e.code for e in shipped if e.kind == "designated_city"}
    assert [w.name for w in shipped.wards_of("221309")] == ["浜松市中央区", "浜松市浜名区", "浜松市天竜区"]
    assert shipped.lookup("221317") is None  # 浜松市中区, merged into 中央区 on 2024-01-01


def test_every_entry_has_a_reading_and_its_prefecture(shipped: Register):
    for entry in shipped:
        assert entry.kana and all("ぁ" <= c <= "ゖ" or c == "ー" for c in entry.kana), entry
        pref = shipped.lookup(entry.code[:2] + "000" + str(digit(entry.code[:2] + "000")))
        assert pref is not None and pref.kind == "prefecture" and pref.name == entry.prefecture, entry
        assert entry.population is None  # no population is shipped (docs/register.md)
    assert not any(e.code in NORTHERN_TERRITORIES for e in shipped)


def test_prefecture_municipality_counts(shipped: Register):
    assert len(shipped.municipalities_of("福井県")) == 17  # 9 市 + 8 町
    tokyo = shipped.municipalities_of("東京")
    assert len(tokyo) == 62 and sum(e.kind == "special_ward" for e in tokyo) == 23
    assert sum(len(shipped.municipalities_of(e.name)) for e in shipped if e.kind == "prefecture") == 1741


def test_meta_states_sources_licences_and_counts(shipped: Register):
    meta = json.loads(register.SHIPPED.with_name("municipalities.meta.json").read_text(encoding="utf-8"))
    licences = [s.get("licence", "") for s in meta["sources"]]
    assert any("CC0" in x for x in licences) and any("政府標準利用規約" in x for x in licences)
    assert meta["counts"] == shipped.counts()
    assert meta["population"] is None


# --- lookups and searches -------------------------------------------------------------------


@pytest.mark.parametrize("given", ["011002", 11002, "０１１００２", " 011002 ", "01100-2"])
def test_lookup_accepts_the_forms_people_type(shipped: Register, given):
    assert shipped.lookup(given).name == "札幌市"


@pytest.mark.parametrize("given", ["011003", "01100", "abcdef", "", None, "999999"])
def test_lookup_of_a_wrong_or_unknown_code_is_none(shipped: Register, given):
    assert shipped.lookup(given) is None


def test_search_by_name_or_reading_ignores_width_and_kana(shipped: Register):
    for query in ("札幌", "さっぽろ", "サッポロ", "ｻｯﾎﾟﾛ", "さつぽろ"):
        assert [e.code for e in shipped.search(query)] == ["011002"], query
    assert len(shipped.search("さっぽろ", wards=True)) == 11
    assert [e.name for e in shipped.search("関ヶ原")] == ["関ケ原町"]
    assert [e.name for e in shipped.search("美深")] == ["美深町"]


def test_search_filters(shipped: Register):
    assert len(shipped.search(kind="中核市")) == 62
    assert len(shipped.search(kind="core_city")) == 62
    assert len(shipped.search(kind=["town", "village"])) == 926
    assert len(shipped.search(kind="ward")) == 171  # asked for by kind: listed without wards=True
    assert len(shipped.search(prefecture="福井", kind="prefecture")) == 1
    assert len(shipped.search(prefecture="ふくい")) == 18  # the prefecture and its 17 municipalities
    assert len(shipped.search()) == 47 + 1741
    assert len(shipped.search(wards=True)) == 47 + 1741 + 171
    with pytest.raises(ValueError):
        shipped.search(prefecture="福井道")
    with pytest.raises(ValueError):
        shipped.search(kind="metropolis")


@pytest.mark.parametrize(
    "given, full",
    [
        ("福井県", "福井県"),
        ("福井", "福井県"),
        ("東京", "東京都"),
        ("京都", "京都府"),
        ("北海道", "北海道"),
        ("18", "福井県"),
        ("おおさか", "大阪府"),
    ],
)
def test_prefecture_names(shipped: Register, given: str, full: str):
    assert shipped.prefecture(given) == full


@pytest.mark.parametrize(
    "code, name, expected",
    [
        ("014699", "美深町", True),
        ("014699", " 美深町 ", True),
        ("014699", "北海道美深町", True),
        ("014699", "中川郡美深町", True),
        ("014699", "北海道 中川郡 美深町", True),
        ("014699", "びふかちょう", True),
        ("213624", "関ヶ原町", True),
        ("213624", "関ケ原町", True),
        ("394050", "檮原町", True),  # the town's own spelling; the ministry's list writes 梼原町
        ("011011", "中央区", True),
        ("011011", "札幌市　中央区", True),
        ("011002", "札幌町", False),
        ("011002", "函館市", False),
        ("072036", "郡山市", True),
        ("014699", "", False),
        ("999999", "美深町", False),
    ],
)
def test_name_matches(shipped: Register, code: str, name: str, expected: bool):
    assert shipped.name_matches(code, name) is expected


def test_kind_labels():
    assert register.parse_kind("政令指定都市") == "designated_city"
    assert register.parse_kind("Core city") == "core_city"
    assert register.parse_kind("町") == "town"
    assert Entry("011002", "北海道", "札幌市", "さっぽろし", "designated_city").to_dict() == {
        "code": "011002",
        "prefecture": "北海道",
        "name": "札幌市",
        "kana": "さっぽろし",
        "kind": "designated_city",
    }


# --- which register is used -----------------------------------------------------------------


def test_user_register_paths():
    win = register.user_register_path({"APPDATA": r"C:\Users\k\AppData\Roaming"}, "win32")
    assert win == Path(r"C:\Users\k\AppData\Roaming") / "dxassess" / "municipalities.csv"
    assert register.user_register_path({"XDG_DATA_HOME": "/x/data"}, "linux") == Path(
        "/x/data/dxassess/municipalities.csv"
    )
    assert register.user_register_path({}, "darwin") == Path.home() / ".local/share/dxassess/municipalities.csv"
    assert register.user_register_path({"XDG_DATA_HOME": "relative"}, "linux").is_relative_to(Path.home())


SMALL = "code,prefecture,name,kana,kind,parent,population\n180009,福井県,福井県,ふくいけん,prefecture,,\n182010,福井県,福井市,ふくいし,core_city,,\n"


def test_environment_register_wins_then_user_then_shipped(tmp_path: Path):
    own = tmp_path / "own.csv"
    own.write_text(SMALL, encoding="utf-8")
    data_home = tmp_path / "data"
    assert register.register_path({"XDG_DATA_HOME": str(data_home)}, "linux") == (register.SHIPPED, "shipped")
    user = data_home / "dxassess" / "municipalities.csv"
    user.parent.mkdir(parents=True)
    user.write_text(SMALL, encoding="utf-8")
    assert register.register_path({"XDG_DATA_HOME": str(data_home)}, "linux") == (user, "user")
    env = {"XDG_DATA_HOME": str(data_home), "DXASSESS_REGISTER": str(own)}
    assert register.register_path(env, "linux") == (own, "env")
    with pytest.raises(InputError) as err:
        register.register_path({"DXASSESS_REGISTER": str(tmp_path / "missing.csv")}, "linux")
    assert err.value.code == "DX009" and "DXASSESS_REGISTER" in err.value.message


def test_register_in_use_is_read_once(tmp_path: Path, monkeypatch):
    own = tmp_path / "own.csv"
    own.write_text(SMALL, encoding="utf-8")
    monkeypatch.setenv("DXASSESS_REGISTER", str(own))
    register.clear_cache()
    try:
        assert register.lookup("182010").name == "福井市"
        assert register.lookup("011002") is None
        own.write_text(SMALL.replace("福井市,ふくいし", "ふくい市,ふくいし"), encoding="utf-8")
        assert register.lookup("182010").name == "福井市"  # kept until the cache is cleared
        register.clear_cache()
        assert register.name_matches("182010", "ふくい市")
    finally:
        register.clear_cache()


def test_a_cp932_register_from_excel_is_read(tmp_path: Path):
    path = tmp_path / "excel.csv"
    path.write_bytes(SMALL.encode("cp932"))
    assert read_register(path).lookup("182010").kana == "ふくいし"


@pytest.mark.parametrize(
    "row, words",
    [
        ("182011,福井県,福井市,ふくいし,core_city,,", "check digit"),
        ("182010,福井県,福井市,ふくいし,metropolis,,", "metropolis"),
        ("182010,福井県,福井市,ふくいし,core_city,,many", "whole number"),
        ("181013,福井県,福井市中央区,,ward,,", "parent"),
        ("180009,福井県,福井県,,prefecture,,", "twice"),
        ("182010,,福井市,,city,,", "empty"),
    ],
)
def test_a_bad_register_row_is_reported_at_its_line(row: str, words: str):
    with pytest.raises(InputError) as err:
        parse_register(SMALL + row + "\n", "own.csv")
    assert err.value.line == 4 and words in err.value.message and err.value.message_ja


def test_a_register_without_its_columns_is_refused():
    with pytest.raises(InputError) as err:
        parse_register("番号,名前\n011002,札幌市\n", "own.csv")
    assert err.value.code == "DX102" and err.value.line == 1


def test_loading_is_lazy_and_light():
    """Importing the module reads nothing and imports neither openpyxl nor the message catalogue;
    the first lookup parses the shipped file quickly."""
    code = (
        "import sys, time; from dxassess import register; "
        "assert not register._loaded and not register._in_use and 'openpyxl' not in sys.modules and 'dxassess.messages' not in sys.modules; "
        "t = time.perf_counter(); register.lookup('011002'); print(time.perf_counter() - t)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert float(proc.stdout) < 0.2  # about 10 ms on the project's machines; generous for CI


# --- update from the ministry's list --------------------------------------------------------


def code(first_five: str) -> str:
    return first_five + str(digit(first_five))


CURRENT = Register(
    [
        Entry(code("18000"), "福井県", "福井県", "ふくいけん", "prefecture"),
        Entry(code("18201"), "福井県", "福井市", "ふくいし", "core_city", None, 250000),
        Entry(code("18301"), "福井県", "甲町", "こうちょう", "town", None, 8000),
        Entry(code("18302"), "福井県", "乙町", "おつちょう", "town", None, 6000),
        Entry(code("18321"), "福井県", "丙町", "へいちょう", "town", None, 30000),
        Entry(code("18341"), "福井県", "丁村", "ていむら", "village", None, 900),
        Entry(code("18361"), "福井県", "庄内町", "しょうないまち", "town"),
        Entry(code("18362"), "福井県", "新庄村", "しんじょうそん", "village"),
        Entry(code("18100"), "福井県", "試験市", "しけんし", "designated_city"),
        Entry(code("18101"), "福井県", "試験市東区", "しけんしひがしく", "ward", code("18100")),
        Entry(code("18102"), "福井県", "試験市西区", "しけんしにしく", "ward", code("18100")),
    ],
    "current",
)
HEADER = ["団体コード", "都道府県名\n（漢字）", "市区町村名\n（漢字）", "都道府県名\n（カナ）", "市区町村名\n（カナ）"]
# 甲町 and 乙町 merge into 甲乙市 (a new code); 丙町 becomes 丙市; 丁村 is renamed 丁山村; the ward
# 東区 and 西区 become 中央区; 庄内町 is read differently; the list writes 新庄村's reading with a
# large ヨ (as the real list does); a Northern Territories village is listed and left out.
MAIN = [
    [code("18000"), "福井県", None, "ﾌｸｲｹﾝ", None],
    [code("18100"), "福井県", "試験市", "ﾌｸｲｹﾝ", "ｼｹﾝｼ"],
    [int(code("18201")), "福井県", "福井市", "ﾌｸｲｹﾝ", "ﾌｸｲｼ"],
    [code("18210"), "福井県", "甲乙市", "ﾌｸｲｹﾝ", "ｺｳｵﾂｼ"],
    [code("18321"), "福井県", "丙市", "ﾌｸｲｹﾝ", "ﾍｲｼ"],
    [code("18341"), "福井県", "丁山村", "ﾌｸｲｹﾝ", "ﾃｲﾔﾏﾑﾗ"],
    [code("18361"), "福井県", "庄内町", "ﾌｸｲｹﾝ", "ｼｮｳﾅｲﾁｮｳ"],
    [code("18362"), "福井県", "新庄村", "ﾌｸｲｹﾝ", "ｼﾝｼﾞﾖｳｿﾝ"],
    ["016951", "北海道", "色丹村", "ﾎｯｶｲﾄﾞｳ", "ｼｺﾀﾝﾑﾗ"],
    [None, None, None, None, None],
    ["※ 注記の行", None, None, None, None],
]
SECOND = [
    [code("18100"), "福井県", "試験市", "ﾌｸｲｹﾝ", "ｼｹﾝｼ"],
    [int(code("18103")), "福井県", "試験市中央区", "ﾌｸｲｹﾝ", "ｼｹﾝｼﾁｭｳｵｳｸ"],
]


def ministry_xlsx(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "R8.4.1現在の団体"
    for row in [HEADER, *MAIN]:
        first.append(row)
    second = book.create_sheet("R8.4.1政令指定都市")
    for row in [[*HEADER[:3], "都道府県名\n（ｶﾅ）", "市区町村名\n（ｶﾅ）"], *SECOND]:
        second.append(row)
    book.create_sheet("注記").append(["この一覧について"])
    book.save(path)
    return path


def test_update_from_the_ministry_xlsx(tmp_path: Path):
    listed = read_ministry_file(ministry_xlsx(tmp_path / "000000000.xlsx"))
    assert listed.as_of == "2026-04-01"
    update = build_update(CURRENT, listed)
    new = update.register
    said = [(c.kind, c.code) for c in update.changes]
    assert said == [
        ("removed", code("18101")),
        ("removed", code("18102")),
        ("added", code("18103")),
        ("added", code("18210")),
        ("removed", code("18301")),
        ("removed", code("18302")),
        ("renamed", code("18321")),
        ("kind_changed", code("18321")),
        ("renamed", code("18341")),
        ("kana_changed", code("18361")),  # a reading the list writes differently (not small kana)
    ]
    assert new.lookup(code("18321")).kind == "city"  # 丙町 → 丙市: inferred from the name
    assert new.lookup(code("18321")).population == 30000  # kept from the current register
    assert new.lookup(code("18201")).kind == "core_city"  # not in the list: kept
    assert new.lookup(code("18210")).kind == "city" and new.lookup(code("18210")).kana == "こうおつし"
    assert new.lookup(code("18362")).kana == "しんじょうそん"  # the list's large ヨ is not a change
    assert new.lookup(code("18361")).kana == "しょうないちょう"
    assert new.lookup(code("18103")).parent == code("18100")
    assert {e.code for e in update.inferred} == {code("18210"), code("18321")}
    assert [r.code for r in update.ignored] == ["016951"] and new.lookup("016951") is None
    assert update.wards_checked
    kind_change = next(c for c in update.changes if c.kind == "kind_changed")
    assert kind_change.inferred and kind_change.describe().ja.endswith("町 → 一般市（名称から推定）")
    assert update.summary().ja == "追加 2 件、削除 4 件、名称変更 2 件、種別変更 1 件、読み変更 1 件"
    assert "added: " in update.changes[2].describe().en


def test_update_from_a_cp932_csv_of_the_first_sheet_keeps_the_wards(tmp_path: Path):
    import csv
    import io

    text = io.StringIO()
    csv.writer(text).writerows([HEADER, *MAIN])
    path = tmp_path / "R8.4.1現在の団体.csv"
    path.write_bytes(text.getvalue().encode("cp932"))
    update = build_update(CURRENT, read_ministry_file(path))
    assert not update.wards_checked
    assert [e.name for e in update.register.wards_of(code("18100"))] == ["試験市東区", "試験市西区"]
    assert update.register.lookup(code("18100")).kind == "designated_city"
    assert update.as_of == "2026-04-01"


def test_update_reads_a_csv_of_the_second_sheet_too(tmp_path: Path):
    import csv

    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    for path, rows in ((first, [HEADER, *MAIN]), (second, [HEADER, *SECOND])):
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(rows)
    listed = read_ministry_file(second, read_ministry_file(first))
    update = build_update(CURRENT, listed)
    assert update.wards_checked and [e.name for e in update.register.wards_of(code("18100"))] == ["試験市中央区"]


def test_updated_register_is_written_and_read_back(tmp_path: Path):
    update = build_update(CURRENT, read_ministry_file(ministry_xlsx(tmp_path / "list.xlsx")))
    target = tmp_path / "user" / "municipalities.csv"
    write_register(target, update, ["list.xlsx"])
    again = read_register(target)
    assert again.entries == update.register.entries
    meta = json.loads(target.with_name("municipalities.meta.json").read_text(encoding="utf-8"))
    assert meta["source"]["as_of"] == "2026-04-01" and meta["inferred_kinds"] == [code("18210"), code("18321")]
    assert render_csv(again).splitlines()[0] == ",".join(register.COLUMNS)


def test_a_file_that_is_not_the_list_is_refused(tmp_path: Path):
    path = tmp_path / "other.csv"
    path.write_text("番号,名前\n1,a\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_ministry_file(path)
    assert err.value.code == "DX102"
    with pytest.raises(InputError):
        build_update(CURRENT, MinistryList())


def test_update_with_the_shipped_register_changes_nothing(shipped: Register):
    """The shipped register rebuilt from itself as if it were the ministry's list: no change."""
    from dxassess.register_update import MinistryRow, hiragana

    rows = [
        MinistryRow(e.code, e.prefecture, "" if e.kind == "prefecture" else e.name, "", e.kana, False, "x")
        for e in shipped
        if e.kind != "ward"
    ]
    rows += [
        MinistryRow(e.code, e.prefecture, e.name, "", e.kana, True, "y")
        for e in shipped
        if e.kind in ("designated_city", "ward")
    ]
    update = build_update(shipped, MinistryList(rows, "2024-01-01"))
    assert update.changes == [] and update.inferred == []
    assert update.register.entries == shipped.entries
    assert hiragana("ｻｯﾎﾟﾛｼ") == "さっぽろし"


@pytest.mark.parametrize(
    "title, iso",
    [("R6.1.1現在の団体", "2024-01-01"), ("令和元年5月1日", "2019-05-01"), ("H30.10.1", "2018-10-01"), ("団体", None)],
)
def test_as_of_date(title: str, iso: str | None):
    assert as_of_date(title) == iso


def test_lookup_timing_in_process():
    register.clear_cache()
    start = time.perf_counter()
    assert register.get_register(register.SHIPPED).lookup("470007").name == "沖縄県"
    assert time.perf_counter() - start < 0.2
