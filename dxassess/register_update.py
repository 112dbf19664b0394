"""Update the register from the ministry's 全国地方公共団体コード list, and report what changed.

The ministry (総務省) publishes 「都道府県コード及び市区町村コード」 at
https://www.soumu.go.jp/denshijiti/code.html as an XLSX file with two sheets: the bodies
(sheet 「R6.1.1現在の団体」: 47 prefectures and the municipalities) and the designated cities with
their wards (「R6.1.1政令指定都市」). Both have the columns 団体コード, 都道府県名（漢字）,
市区町村名（漢字）, 都道府県名（カナ）, 市区町村名（カナ） (headers broken over two lines, kana
half-width, codes as text or numbers). A CSV saved from either sheet is read too.

`read_ministry_file` reads such a file; `build_update` (pure) turns the current register and the
list into the new register and its changes; `write_register` is the thin writer. The list does
not say which cities are core cities, nor any population: those are kept from the current
register; the kind of a new entry is inferred from its name (市/町/村/区) and reported as inferred.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dxassess.errors import InputError
from dxassess.register import (
    CITY_KINDS,
    COLUMNS,
    KINDS,
    MUNICIPAL_KINDS,
    Entry,
    Register,
    check_digit,
    decode,
    fold,
)
from dxassess.text import Msg, msg

# The six villages of the Northern Territories (北方領土) are in the ministry's list (its sheet of
# bodies has 1,747 municipality rows) but are not among the 1,741 municipalities that exist in
# practice, so the register leaves them out. Codes and names as in the list of 2024-01-01.
NORTHERN_TERRITORIES = {
    "016951": "色丹村",
    "016969": "泊村",
    "016977": "留夜別村",
    "016985": "留別村",
    "016993": "紗那村",
    "017001": "蘂取村",
}
HEADERS = {
    "団体コード": "code",
    "都道府県名(漢字)": "prefecture",
    "市区町村名(漢字)": "name",
    "都道府県名(カナ)": "prefecture_kana",
    "市区町村名(カナ)": "name_kana",
}
_SPACES = re.compile(r"[\s\u3000]+")
_ERA = re.compile(r"([RH令平])(?:和|成)?\s*(\d+|元)[.年](\d+)[.月](\d+)")


@dataclass(frozen=True)
class MinistryRow:
    """One row of the ministry's list."""

    code: str
    prefecture: str
    name: str  # empty for a prefecture
    prefecture_kana: str
    name_kana: str
    designated_sheet: bool  # from the sheet of designated cities and their wards
    where: str  # "file.xlsx:R6.1.1現在の団体:12", for messages


@dataclass
class MinistryList:
    """What a ministry file holds: its rows, and the date in its sheet names (R6.1.1 → 2024-01-01)."""

    rows: list[MinistryRow] = field(default_factory=list)
    as_of: str | None = None


@dataclass(frozen=True)
class Change:
    """One difference between the current register and the updated one."""

    kind: str  # added | removed | renamed | kind_changed | kana_changed
    code: str
    before: Entry | None
    after: Entry | None
    inferred: bool = False  # the new kind was inferred from the name

    def describe(self) -> Msg:
        """The change as one line in both languages (text/reports.py, `register.change_*`)."""
        e = self.after or self.before
        assert e is not None
        entry = f"{e.code} {e.prefecture} {e.name if e.kind != 'prefecture' else ''}".rstrip()
        inferred: Msg | str = msg("register.inferred") if self.inferred else ""
        if self.kind in ("added", "removed"):
            return msg(f"register.change_{self.kind}", entry=entry, kind=_kind(e.kind), inferred=inferred)
        b, a = self.before, self.after
        assert a is not None and b is not None
        if self.kind == "renamed":
            return msg("register.change_renamed", code=a.code, prefecture=a.prefecture, old=b.name, new=a.name)
        if self.kind == "kind_changed":
            return msg("register.change_kind", entry=entry, old=_kind(b.kind), new=_kind(a.kind), inferred=inferred)
        return msg("register.change_kana", entry=entry, old=b.kana, new=a.kana)


def _kind(kind: str) -> Msg:
    """A kind's label in both languages."""
    return msg(f"register.kind_{kind}")


@dataclass
class RegisterUpdate:
    """The updated register, what changed, and what needs a person's check."""

    register: Register
    changes: list[Change]
    inferred: list[Entry]  # entries whose kind was inferred from the name (a new city may be a core city)
    ignored: list[MinistryRow]  # rows left out on purpose (the Northern Territories)
    wards_checked: bool  # False when the list had no sheet of designated cities: wards kept as they were
    as_of: str | None

    def summary(self) -> Msg:
        """How many changes of each kind, in both languages."""
        counts = {
            k: sum(1 for c in self.changes if c.kind == k)
            for k in ("added", "removed", "renamed", "kind_changed", "kana_changed")
        }
        return msg("register.summary", **counts)


# --- reading the ministry's file ------------------------------------------------------------


def _fail(key: str, path: str, problem: str = "DX100", /, **values: Any) -> InputError:
    """An InputError (code `problem`) with the catalogue's text `key`, its fields from `values`."""
    return InputError(msg(key, **values), path, code=problem)


def _header(cells: Sequence[Any]) -> dict[str, int] | None:
    """Column positions when `cells` is the header row, else None."""
    names = [re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(c))) if c is not None else "" for c in cells]
    found = {HEADERS[n]: i for i, n in enumerate(names) if n in HEADERS}
    return found if "code" in found and "prefecture" in found and "name" in found else None


def as_of_date(title: str) -> str | None:
    """The date in a sheet name: R6.1.1 → 2024-01-01, 令和6年1月1日 too; None if there is none."""
    m = _ERA.search(unicodedata.normalize("NFKC", title))
    if not m:
        return None
    era, year, month, day = m.groups()
    base = 2018 if era in "R令" else 1988
    try:
        return dt.date(base + (1 if year == "元" else int(year)), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _code(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    text = unicodedata.normalize("NFKC", str(int(value) if isinstance(value, float) else value)).strip()
    return text.zfill(6) if text.isdigit() and len(text) in (5, 6) else None


def _table(rows: Iterable[Sequence[Any]], title: str, where: str, out: MinistryList) -> None:
    columns = None
    designated = "政令" in title or "指定都市" in title
    found: list[MinistryRow] = []
    for number, cells in enumerate(rows, start=1):
        if columns is None:
            columns = _header(cells) if number <= 10 else None
            if columns is None and number >= 10:
                return  # not a sheet of the list (notes, a cover page)
            continue
        cell = {
            k: (str(cells[i]).strip() if i < len(cells) and cells[i] is not None else "") for k, i in columns.items()
        }
        code = _code(cells[columns["code"]] if columns["code"] < len(cells) else None)
        if code is None:
            continue  # blank rows and footnotes
        if int(code[5]) != check_digit(code[:5]):
            raise _fail("update.check_digit", where, "DX305", where=where, row=number, code=code)
        found.append(
            MinistryRow(
                code,
                cell["prefecture"],
                _SPACES.sub("", cell["name"]),
                cell.get("prefecture_kana", ""),
                _SPACES.sub("", cell.get("name_kana", "")),
                designated,
                f"{where}:{number}",
            )
        )
    if found and not designated and not any(r.code[2:5] == "000" for r in found):
        found = [replace(r, designated_sheet=True) for r in found]  # a CSV saved from the second sheet
    out.rows.extend(found)
    out.as_of = out.as_of or as_of_date(title)


def read_ministry_file(path: Path, into: MinistryList | None = None) -> MinistryList:
    """Read the ministry's XLSX (every sheet with the list's header) or a CSV saved from one of
    its sheets (UTF-8, UTF-8 with BOM or cp932). Call again with `into` to add a second file."""
    from dxassess.files import SpecialFile, TooLarge, read_input
    from dxassess.sheets.read import MAX_SHEET_BYTES  # the list is a sheet: the sheets' bound

    path = Path(path)
    out = into if into is not None else MinistryList()
    try:
        data = read_input(path, MAX_SHEET_BYTES)
    except SpecialFile:
        raise _fail("read.special_file", str(path), "DX009") from None
    except TooLarge as exc:
        limit = MAX_SHEET_BYTES // (1024 * 1024)
        raise _fail("read.too_large", str(path), "DX009", mb=exc.size / 1e6, limit=limit) from None
    except OSError as exc:
        from dxassess.text.problems import os_reason

        raise _fail("update.unreadable", str(path), "DX009", reason=os_reason(exc)) from None
    before = len(out.rows)
    if data[:4] == b"PK\x03\x04":
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            for sheet in book.worksheets:
                _table(sheet.iter_rows(values_only=True), sheet.title, f"{path.name}:{sheet.title}", out)
            book.close()
        except InputError:
            raise
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            from dxassess.text.problems import xlsx_damage

            raise _fail("update.bad_xlsx", str(path), "DX009", error=xlsx_damage(exc)) from None
    else:
        text = decode(data, str(path))
        first = text.split("\n", 1)[0]
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        _table(csv.reader(io.StringIO(text), delimiter=delimiter), path.stem, path.name, out)
    if len(out.rows) == before:
        raise _fail("update.no_rows", str(path), "DX102")
    return out


# --- building the new register (pure) -------------------------------------------------------


def hiragana(text: str) -> str:
    """Half- or full-width katakana → hiragana (ｻｯﾎﾟﾛｼ → さっぽろし)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def kind_from_name(name: str, code: str) -> str | None:
    """The kind a name's last character tells: 市 city, 町 town, 村 village, 区 (Tokyo) special ward."""
    if name.endswith("区") and code.startswith("13"):
        return "special_ward"
    return {"市": "city", "町": "town", "村": "village"}.get(name[-1:])


def _keeps(kind: str, suffix: str | None) -> bool:
    return suffix is None or (kind in CITY_KINDS if suffix == "city" else kind == suffix)


def build_update(current: Register, ministry: MinistryList) -> RegisterUpdate:
    """The register the ministry's list describes, with kinds and populations the list does not
    carry taken from `current`, and the changes from `current` to it."""
    main = [r for r in ministry.rows if not r.designated_sheet]
    second = [r for r in ministry.rows if r.designated_sheet]
    if not main:
        raise _fail("update.no_bodies", "list", "DX102")
    wards_checked = bool(second)
    main_codes = {r.code for r in main}
    designated = {r.code for r in second if r.code in main_codes}
    ignored = [r for r in main if r.code in NORTHERN_TERRITORIES]
    entries: list[Entry] = []
    inferred: list[Entry] = []
    for row in main:
        if row.code in NORTHERN_TERRITORIES:
            continue
        old = current.lookup(row.code)
        kana = hiragana(row.name_kana or row.prefecture_kana)
        if old is not None and (not kana or fold(old.kana) == fold(kana)):
            kana = old.kana  # the list writes some small kana large (ｼﾖｳﾅｲ for しょうない)
        if not row.name:
            entries.append(Entry(row.code, row.prefecture, row.prefecture, kana, "prefecture"))
            continue
        suffix = kind_from_name(row.name, row.code)
        guessed = False
        if wards_checked and row.code in designated:
            kind = "designated_city"
        elif (
            old is not None
            and old.kind in MUNICIPAL_KINDS
            and _keeps(old.kind, suffix)
            and not (wards_checked and old.kind == "designated_city")
        ):
            kind = old.kind
        else:
            kind, guessed = suffix or (old.kind if old and old.kind in MUNICIPAL_KINDS else "city"), True
        entry = Entry(row.code, row.prefecture, row.name, kana, kind, None, old.population if old else None)
        entries.append(entry)
        if guessed:
            inferred.append(entry)
    cities = sorted((e for e in entries if e.kind == "designated_city"), key=lambda e: e.code)
    if wards_checked:
        for row in second:
            if row.code in main_codes:
                continue
            parent = next((c for c in reversed(cities) if c.code[:2] == row.code[:2] and c.code < row.code), None)
            if parent is None:
                raise _fail(
                    "update.ward_orphan",
                    row.where.split(":")[0],
                    "DX100",
                    where=row.where,
                    code=row.code,
                    name=row.name,
                )
            old = current.lookup(row.code)
            kana = hiragana(row.name_kana)
            if old is not None and (not kana or fold(old.kana) == fold(kana)):
                kana = old.kana
            population = old.population if old else None
            entries.append(Entry(row.code, row.prefecture, row.name, kana, "ward", parent.code, population))
    else:
        kept = {c.code for c in cities}
        entries.extend(e for e in current if e.kind == "ward" and e.parent in kept)
    new = Register(entries, current.source)
    return RegisterUpdate(new, list(changes(current, new, inferred)), inferred, ignored, wards_checked, ministry.as_of)


def changes(old: Register, new: Register, inferred: Sequence[Entry] = ()) -> Iterable[Change]:
    """The differences between two registers, in code order."""
    guessed = {e.code for e in inferred}
    for code in sorted({e.code for e in old} | {e.code for e in new}):
        before, after = old.lookup(code), new.lookup(code)
        if before is None:
            yield Change("added", code, None, after, code in guessed)
        elif after is None:
            yield Change("removed", code, before, None)
        else:
            if before.name != after.name:
                yield Change("renamed", code, before, after)
            if before.kind != after.kind:
                yield Change("kind_changed", code, before, after, code in guessed)
            if fold(before.kana) != fold(after.kana) and before.name == after.name:  # a new name is read anew
                yield Change("kana_changed", code, before, after)


# --- writing --------------------------------------------------------------------------------


def render_csv(register: Register) -> str:
    """The register as CSV text in the shipped layout (LF line ends, code order)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for e in register:
        population = "" if e.population is None else str(e.population)
        writer.writerow([e.code, e.prefecture, e.name, e.kana, e.kind, e.parent or "", population])
    return out.getvalue()


def render_meta(update: RegisterUpdate, sources: Sequence[str]) -> str:
    """A small JSON note of where an updated register came from (deterministic: no clock time)."""
    counts = update.register.counts()
    meta = {
        "source": {
            "name": "全国地方公共団体コード（都道府県コード及び市区町村コード）, 総務省",
            "url": "https://www.soumu.go.jp/denshijiti/code.html",
            "files": list(sources),
            "as_of": update.as_of,
        },
        "kept_from_previous_register": ["core_city kinds", "population"],
        "inferred_kinds": [e.code for e in update.inferred],
        "wards_checked": update.wards_checked,
        "counts": {k: counts[k] for k in (*KINDS, "municipality")},
    }
    return json.dumps(meta, ensure_ascii=False, indent=2) + "\n"


def write_register(path: Path, update: RegisterUpdate, sources: Sequence[str] = ()) -> None:
    """Write the updated register (UTF-8 with BOM, so spreadsheet software shows Japanese) and its
    note `municipalities.meta.json` beside it, each by atomic replace."""
    from dxassess.files import write_atomic

    path = Path(path)
    write_atomic(path, "\ufeff" + render_csv(update.register))
    write_atomic(path.with_name(path.stem + ".meta.json"), render_meta(update, sources))
