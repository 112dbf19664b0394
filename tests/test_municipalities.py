"""`dxassess municipalities`: the register listed and searched as a table, JSON (the contract's
shape) or CSV, and updated from the ministry's list, all as real processes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from dxassess.register_update import render_csv

from .conftest import assert_clean_error, run_cli
from .test_register import CURRENT, code, ministry_xlsx

KINDS = {"prefecture", "designated_city", "core_city", "city", "special_ward", "town", "village"}


def listed(*args: str, env: dict | None = None) -> list[dict]:
    proc = run_cli("municipalities", *args, "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_json_is_the_contract_shape_with_every_municipality_and_prefecture():
    entries = listed()
    assert all(list(e) == ["code", "prefecture", "name", "kana", "kind"] for e in entries)
    assert {e["kind"] for e in entries} == KINDS
    assert len(entries) == 47 + 1741
    assert entries[0] == {
        "code": "010006",
        "prefecture": "北海道",
        "name": "北海道",
        "kana": "ほっかいどう",
        "kind": "prefecture",
    }
    with_wards = listed("--wards")
    assert len(with_wards) == 47 + 1741 + 171
    assert {e["kind"] for e in with_wards} == KINDS | {"ward"}


def test_search_by_prefecture_kind_name_reading_and_code():
    fukui = listed("--prefecture", "福井県")
    assert len(fukui) == 18 and fukui[0]["kind"] == "prefecture"  # 福井県 and its 17 municipalities
    assert listed("--prefecture", "ふくい", "--kind", "町") == [e for e in fukui if e["kind"] == "town"]
    assert len(listed("--kind", "core_city")) == len(listed("--kind", "中核市")) == 62
    assert [e["code"] for e in listed("ｻｯﾎﾟﾛ")] == ["011002"]
    assert [e["name"] for e in listed("011002")] == ["札幌市"]
    assert [e["name"] for e in listed("01100-2")] == ["札幌市"]
    assert listed("美深", "--prefecture", "沖縄") == []


def test_the_table_is_in_the_users_language():
    proc = run_cli("municipalities", "--prefecture", "18", "--kind", "core_city", "--lang", "ja")
    assert proc.returncode == 0, proc.stderr
    head, row = proc.stdout.splitlines()
    assert head.split() == ["団体コード", "都道府県", "団体名", "よみ", "種別"]
    assert row.split() == ["182010", "福井県", "福井市", "ふくいし", "中核市"]
    assert "1 件（dxassess 同梱の市区町村一覧）" in proc.stderr
    english = run_cli("municipalities", "014699", "--lang", "en")
    assert english.stdout.splitlines()[1].split() == ["014699", "北海道", "美深町", "びふかちょう", "Town"]


def test_csv_has_a_bom_and_no_cell_starts_a_formula(tmp_path: Path):
    proc = run_cli("municipalities", "--prefecture", "福井", "--csv")
    raw = proc.stdout.encode("utf-8")
    assert proc.returncode == 0 and raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(proc.stdout.lstrip("\ufeff"))))
    assert len(rows) == 18 and rows[1] == {
        "code": "182010",
        "prefecture": "福井県",
        "name": "福井市",
        "kana": "ふくいし",
        "kind": "core_city",
    }
    own = tmp_path / "own.csv"
    own.write_text(
        "code,prefecture,name,kana,kind,parent,population\n180009,福井県,福井県,ふくいけん,prefecture,,\n"
        "182010,福井県,=HYPERLINK(1),@x,core_city,,\n",
        encoding="utf-8",
    )
    proc = run_cli("municipalities", "--csv", env={"DXASSESS_REGISTER": str(own)})
    rows = list(csv.reader(io.StringIO(proc.stdout.lstrip("\ufeff"))))
    assert rows[2] == ["182010", "福井県", "'=HYPERLINK(1)", "'@x", "core_city"]


def test_wrong_options_are_usage_errors():
    for args in (
        ["--kind", "metropolis"],
        ["--prefecture", "福井道"],
        ["--json", "--csv"],
        ["x", "--update", "a.xlsx"],
    ):
        proc = run_cli("municipalities", *args)
        assert_clean_error(proc, 2)
        assert proc.stderr.count("\n") == 1, proc.stderr


def test_update_from_a_small_xlsx_reports_changes_and_writes_the_user_register(tmp_path: Path):
    """The ministry's list (a small XLSX in its layout) applied to the register in use: every change
    printed in the user's language, the user register written, and used by the next run."""
    data_home = tmp_path / "data"
    start = tmp_path / "start.csv"
    start.write_text(render_csv(CURRENT), encoding="utf-8")
    listed_file = ministry_xlsx(tmp_path / "000000000.xlsx")
    env = {"DXASSESS_REGISTER": str(start), "XDG_DATA_HOME": str(data_home)}
    proc = run_cli("municipalities", "--update", str(listed_file), "--lang", "ja", env=env)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert f"追加：{code('18210')} 福井県 甲乙市（一般市）（名称から推定）" in lines
    assert f"種別変更：{code('18321')} 福井県 丙市：町 → 一般市（名称から推定）" in lines
    assert len(lines) == 10
    assert "追加 2 件、削除 4 件、名称変更 2 件、種別変更 1 件、読み変更 1 件" in proc.stderr
    assert "北方領土" in proc.stderr and "中核市の区別がない" in proc.stderr
    # DXASSESS_REGISTER names the register in use: that file is the one updated
    updated = start.read_text(encoding="utf-8-sig")
    assert "甲乙市" in updated and "甲町" not in updated
    assert (tmp_path / "start.meta.json").exists()
    again = run_cli("municipalities", "--update", str(listed_file), "--lang", "en", env=env)
    assert again.returncode == 0 and again.stdout == "" and "nothing written" in again.stderr

    # without DXASSESS_REGISTER the shipped register is updated into the user's data folder
    proc = run_cli(
        "municipalities", "--update", str(listed_file), "--lang", "en", env={"XDG_DATA_HOME": str(data_home)}
    )
    assert proc.returncode == 0, proc.stderr
    user = data_home / "dxassess" / "municipalities.csv"
    assert user.exists() and f"register written: {user}" in proc.stderr
    assert "removed: 011002 北海道 札幌市 (Designated city)" in proc.stdout  # the small list has only 福井県
    after = run_cli("municipalities", "--json", env={"XDG_DATA_HOME": str(data_home)})
    assert {e["name"] for e in json.loads(after.stdout)} >= {"甲乙市", "丁山村"}
    assert f"your register {user}" in after.stderr


def test_update_with_a_file_that_is_not_the_list_is_one_clean_error(tmp_path: Path):
    other = tmp_path / "other.csv"
    other.write_text("番号,名前\n1,a\n", encoding="utf-8")
    proc = run_cli("municipalities", "--update", str(other), env={"XDG_DATA_HOME": str(tmp_path)})
    assert_clean_error(proc, 1)
    assert "DX102" in proc.stderr and not (tmp_path / "dxassess").exists()
