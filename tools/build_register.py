"""Rebuild dxassess/data/municipalities.csv (and its .meta.json) from public data.

Inputs (downloaded by hand; none of them is committed):

1. `localgovjp-utf8.csv` and `prefjp-utf8.csv` of the CC0 dataset code4fukui/localgovjp
   (https://github.com/code4fukui/localgovjp): codes, names and readings of every prefecture,
   municipality and designated-city ward.
2. Optionally, and for the shipped file, the ministry's list 「都道府県コード及び市区町村コード」
   (総務省, https://www.soumu.go.jp/denshijiti/code.html; the file used is
   https://www.soumu.go.jp/main_content/000925835.xlsx, as of 2024-01-01). It is the authority:
   it is applied with dxassess.register_update, exactly as a user's update would be, and the
   changes are printed.

Kinds: designated cities are the cities that have wards (checked against DESIGNATED below);
core cities are not in either source and come from CORE_CITIES below (source stated there).
No population is written: see docs/register.md.

    python tools/build_register.py --localgovjp localgovjp-utf8.csv --prefjp prefjp-utf8.csv \\
        --localgovjp-commit cd94f841f22235759ed29e7f38ecc2fbc6671e6b --ministry 000925835.xlsx
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dxassess.register import Entry, Register, normalise_code  # noqa: E402
from dxassess.register_update import build_update, read_ministry_file, render_csv  # noqa: E402

# The 20 designated cities (政令指定都市), first five digits of the code. Unchanged since 熊本市
# on 2012-04-01; the ministry's list of 2024-01-01 has exactly these in its second sheet.
DESIGNATED = {
    "01100": "札幌市", "04100": "仙台市", "11100": "さいたま市", "12100": "千葉市", "14100": "横浜市",
    "14130": "川崎市", "14150": "相模原市", "15100": "新潟市", "22100": "静岡市", "22130": "浜松市",
    "23100": "名古屋市", "26100": "京都市", "27100": "大阪市", "27140": "堺市", "28100": "神戸市",
    "33100": "岡山市", "34100": "広島市", "40100": "北九州市", "40130": "福岡市", "43100": "熊本市",
}  # fmt: skip

# The 62 core cities (中核市) as of 2024-04-01: the list of dxassess/lgcode.py ("as of 2024-04").
# The count 62 on 2024-04-01 is stated by 所沢市 (https://www.city.tokorozawa.saitama.jp/
# shiseijoho/chukakushi/qa.html, updated 2025-09-03); the cities of 北海道 to 大阪府 were checked
# against the per-prefecture table of https://uub.jp/prf/shitei.html (as of 2024-10-01). No
# designation after 2024-04-01 was found (所沢市 aims at 2030-04); later changes are unconfirmed.
CORE_CITIES = {
    "01202": "函館市", "01204": "旭川市", "02201": "青森市", "02203": "八戸市", "03201": "盛岡市",
    "05201": "秋田市", "06201": "山形市", "07201": "福島市", "07203": "郡山市", "07204": "いわき市",
    "08201": "水戸市", "09201": "宇都宮市", "10201": "前橋市", "10202": "高崎市", "11201": "川越市",
    "11203": "川口市", "11222": "越谷市", "12204": "船橋市", "12217": "柏市", "13201": "八王子市",
    "14201": "横須賀市", "16201": "富山市", "17201": "金沢市", "18201": "福井市", "19201": "甲府市",
    "20201": "長野市", "20202": "松本市", "21201": "岐阜市", "23201": "豊橋市", "23202": "岡崎市",
    "23203": "一宮市", "23211": "豊田市", "25201": "大津市", "27203": "豊中市", "27205": "吹田市",
    "27207": "高槻市", "27210": "枚方市", "27212": "八尾市", "27215": "寝屋川市", "27227": "東大阪市",
    "28201": "姫路市", "28202": "尼崎市", "28203": "明石市", "28204": "西宮市", "29201": "奈良市",
    "30201": "和歌山市", "31201": "鳥取市", "32201": "松江市", "33202": "倉敷市", "34202": "呉市",
    "34207": "福山市", "35201": "下関市", "37201": "高松市", "38201": "松山市", "39201": "高知市",
    "40203": "久留米市", "42201": "長崎市", "42202": "佐世保市", "44201": "大分市", "45201": "宮崎市",
    "46201": "鹿児島市", "47201": "那覇市",
}  # fmt: skip
CORE_CITIES_AS_OF = "2024-04-01"


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def from_localgovjp(municipalities: list[dict[str, str]], prefectures: list[dict[str, str]]) -> Register:
    """The register as localgovjp has it, with kinds from the name and the tables above."""
    entries = []
    for row in prefectures:
        code = normalise_code(row["lgcode"].zfill(6))
        assert code, row
        entries.append(Entry(code, row["pref"], row["pref"], row["prefkana"], "prefecture"))
    cities_by_name = {(r["pref"], r["city"]): r["lgcode"] for r in municipalities if " " not in r["city"]}
    parents = {cities_by_name[(r["pref"], r["city"].split(" ")[0])] for r in municipalities if " " in r["city"]}
    for row in municipalities:
        code = normalise_code(row["lgcode"])
        assert code, row
        name, kana = row["city"].replace(" ", ""), row["citykana"].replace(" ", "")
        if " " in row["city"]:
            parent = cities_by_name[(row["pref"], row["city"].split(" ")[0])]
            entries.append(Entry(code, row["pref"], name, kana, "ward", parent))
            continue
        if code in parents:
            kind = "designated_city"
        elif code[:5] in CORE_CITIES:
            kind = "core_city"
        elif name.endswith("区"):
            kind = "special_ward"
        else:
            kind = {"市": "city", "町": "town", "村": "village"}[name[-1]]
        entries.append(Entry(code, row["pref"], name, kana, kind))
    register = Register(entries, "localgovjp")
    check_tables(register)
    return register


def check_tables(register: Register) -> None:
    """Every code of the tables names the city the table says, and the designated cities are
    exactly the cities with wards."""
    for table, kind in ((DESIGNATED, "designated_city"), (CORE_CITIES, "core_city")):
        for head, name in table.items():
            entry = register.lookup(head + "0") or next((e for e in register if e.code[:5] == head), None)
            if entry is None or entry.name != name or entry.kind != kind:
                sys.exit(f"table says {head} {name} ({kind}); the data has {entry}")
    with_wards = {e.code[:5] for e in register if e.kind == "designated_city"}
    if with_wards != set(DESIGNATED):
        sys.exit(f"cities with wards differ from DESIGNATED: {sorted(with_wards ^ set(DESIGNATED))}")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--localgovjp", type=Path, required=True, help="localgovjp-utf8.csv")
    parser.add_argument("--prefjp", type=Path, required=True, help="prefjp-utf8.csv")
    parser.add_argument("--localgovjp-commit", default="", help="commit of code4fukui/localgovjp the files come from")
    parser.add_argument("--ministry", type=Path, help="the ministry's XLSX (applied as an update)")
    parser.add_argument("--ministry-url", default="https://www.soumu.go.jp/main_content/000925835.xlsx")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "dxassess" / "data" / "municipalities.csv")
    args = parser.parse_args(argv)

    register = from_localgovjp(read_csv(args.localgovjp), read_csv(args.prefjp))
    ministry_meta = None
    if args.ministry:
        update = build_update(register, read_ministry_file(args.ministry))
        for change in update.changes:
            print(change.describe().en)
        for row in update.ignored:
            print(f"left out: {row.code} {row.prefecture} {row.name} (Northern Territories)")
        if update.inferred:
            sys.exit(f"kinds inferred for {[e.code for e in update.inferred]}: add them to the tables first")
        register = update.register
        ministry_meta = {
            "name": "都道府県コード及び市区町村コード（全国地方公共団体コード）",
            "publisher": "総務省 (Ministry of Internal Affairs and Communications)",
            "page": "https://www.soumu.go.jp/denshijiti/code.html",
            "file": args.ministry_url,
            "sha256": sha256(args.ministry),
            "as_of": update.as_of,
            "licence": "政府標準利用規約（第2.0版）, compatible with CC BY 4.0: attribute the source and say the data was processed",
            "licence_unconfirmed": True,
            "used_for": "authority: codes, names and the wards of designated cities; changes applied as printed by this tool",
            "changes": [c.describe().en for c in update.changes],
            "left_out": {row.code: row.name for row in update.ignored},
        }
    else:
        print("no --ministry file: the localgovjp data is written as it is", file=sys.stderr)

    counts = register.counts()
    meta = {
        "file": "municipalities.csv",
        "columns": {
            "code": "全国地方公共団体コード, six digits with check digit",
            "prefecture": "prefecture name",
            "name": "name as in the ministry's list; wards as city + ward (札幌市中央区)",
            "kana": "reading in hiragana",
            "kind": "prefecture | designated_city | core_city | city | special_ward | town | village | ward",
            "parent": "for a ward: the code of its designated city",
            "population": "empty: no population figure is shipped (see docs/register.md)",
        },
        "sources": [
            {
                "name": "localgovjp",
                "publisher": "Code for FUKUI (code4fukui)",
                "url": "https://github.com/code4fukui/localgovjp",
                "commit": args.localgovjp_commit,
                "files": {
                    args.localgovjp.name: sha256(args.localgovjp),
                    args.prefjp.name: sha256(args.prefjp),
                },
                "licence": "CC0 1.0 (https://creativecommons.org/publicdomain/zero/1.0/)",
                "used_for": "codes, names and readings",
            },
            *([ministry_meta] if ministry_meta else []),
            {
                "name": "designated and core cities",
                "used_for": "kinds designated_city and core_city (tools/build_register.py: DESIGNATED, CORE_CITIES)",
                "as_of": CORE_CITIES_AS_OF,
                "core_cities_after_as_of_unconfirmed": True,
            },
        ],
        "population": None,
        "counts": dict(counts),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render_csv(register), encoding="utf-8", newline="\n")
    meta_path = args.output.with_name(args.output.stem + ".meta.json")
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8", newline="\n")
    print(f"{args.output}: {len(register)} rows; {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
