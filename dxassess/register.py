"""The register of every prefecture, municipality and designated-city ward, by local government code.

Pure: nothing here prints or writes. The register is read from a CSV file (docs/register.md) the
first time it is needed, once per file: a user register when there is one (`DXASSESS_REGISTER`,
else the per-user data folder), else the one shipped in `dxassess/data/`. Only the standard
library is imported, so importing this module costs nothing noticeable.

    from dxassess import register
    register.lookup("011002")             # Entry(code='011002', name='札幌市', kind='designated_city', ...)
    register.search("さっぽろ")             # by name or reading, width and kana insensitive
    register.municipalities_of("福井")      # the 17 municipalities of 福井県, in code order
    register.name_matches("014699", "美深町")
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SHIPPED = Path(__file__).with_name("data") / "municipalities.csv"
ENV_VAR = "DXASSESS_REGISTER"
COLUMNS = ("code", "prefecture", "name", "kana", "kind", "parent", "population")
REQUIRED_COLUMNS = ("code", "prefecture", "name", "kind")

# The kinds, in the order of the contract (municipalities --json); their labels are in the text
# catalogue (`register.kind_<kind>`, text/reports.py).
KINDS = (
    "prefecture",
    "designated_city",
    "core_city",
    "city",
    "special_ward",
    "town",
    "village",
    "ward",
)
MUNICIPAL_KINDS = frozenset({"designated_city", "core_city", "city", "special_ward", "town", "village"})
CITY_KINDS = frozenset({"designated_city", "core_city", "city"})
_KIND_WORDS = {  # other words a user may type for a kind (folded before lookup)
    "市": "city",
    "区": "special_ward",
    "政令市": "designated_city",
    "指定都市": "designated_city",
}

# Spellings that differ between sources for the same name (the ministry's list writes 梼原町, the
# town 檮原町); folded to one form before names are compared. ヶ/ケ and ヵ/カ are folded as kana.
_VARIANTS = str.maketrans({"檮": "梼", "﨑": "崎", "髙": "高", "德": "徳", "邊": "辺", "邉": "辺"})
_SMALL_KANA = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")
_SPACES = re.compile(r"[\s\u3000・･]+")


def fold(text: str) -> str:
    """A form of `text` for comparison: NFKC (full-width letters and digits, half-width kana),
    no spaces, lower case, katakana as hiragana, small kana as large, ケ/ヶ and known kanji
    variants as one: 「関ヶ原町」 and 「関ケ原町」 fold alike, 「ｾｷｶﾞﾊﾗ」 and 「せきがはら」 too."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_VARIANTS)
    text = _SPACES.sub("", text).lower()
    text = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)
    return text.translate(_SMALL_KANA)


def check_digit(first_five: str) -> int:
    """The check digit: weights 6,5,4,3,2; r = sum mod 11; digit = (11 − r) mod 10."""
    d = first_five
    total = int(d[0]) * 6 + int(d[1]) * 5 + int(d[2]) * 4 + int(d[3]) * 3 + int(d[4]) * 2
    return (11 - total % 11) % 10


def normalise_code(value: Any) -> str | None:
    """A six-digit code with a right check digit from a cell or argument ("011002", 11002,
    "０１１００２", "01100-2"), or None. Five digits are taken as a code that lost its leading
    zero in a spreadsheet when that gives a right check digit."""
    if type(value) is str and len(value) == 6 and value.isascii() and value.isdigit():  # the usual case, fast
        return value if int(value[5]) == check_digit(value) else None
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().replace("-", "").replace(" ", "")
    if len(text) == 5 and text.isdigit():
        text = "0" + text
    if len(text) != 6 or not text.isascii() or not text.isdigit():
        return None
    return text if int(text[5]) == check_digit(text[:5]) else None


@dataclass(frozen=True, slots=True)
class Entry:
    """One prefecture, municipality or ward of a designated city."""

    code: str
    prefecture: str
    name: str
    kana: str = ""
    kind: str = "city"
    parent: str | None = None  # for a ward: the code of its designated city
    population: int | None = None

    @property
    def is_municipality(self) -> bool:
        """One of the 1,741 市区町村 (not a prefecture, not a ward)."""
        return self.kind in MUNICIPAL_KINDS

    def label(self, lang: str = "ja") -> str:
        """The kind in words (政令指定都市, Core city …)."""
        return kind_label(self.kind, lang)

    def to_dict(self) -> dict[str, str]:
        """The shape `municipalities --json` prints: code, prefecture, name, kana, kind."""
        return {
            "code": self.code,
            "prefecture": self.prefecture,
            "name": self.name,
            "kana": self.kana,
            "kind": self.kind,
        }


def kind_label(kind: str, lang: str | None = "ja") -> str:
    """A kind in words, from the text catalogue (政令指定都市, Core city …)."""
    from dxassess.text import text

    return text(f"register.kind_{kind}", lang)


def parse_kind(value: str) -> str:
    """A kind from its id or its label in either language (`core_city`, `中核市`, `Core city`, `町`);
    ValueError naming the accepted values otherwise."""
    if value in KINDS:
        return value
    folded = fold(value).replace(" ", "_")
    for kind in KINDS:
        labels = (fold(kind_label(kind, "ja")), fold(kind_label(kind, "en")).replace(" ", "_"))
        if folded == kind or folded in labels:
            return kind
    for word, kind in _KIND_WORDS.items():
        if folded == fold(word):
            return kind
    raise ValueError(f"unknown kind {value!r}: use one of {', '.join(KINDS)}")


class Register:
    """The entries of one register file, indexed by code (read-only)."""

    def __init__(self, entries: Iterable[Entry], source: str = "") -> None:
        self.entries: tuple[Entry, ...] = tuple(sorted(entries, key=lambda e: e.code))
        self.source = source
        self._by_code = {e.code: e for e in self.entries}
        self._prefectures = {e.prefecture: e for e in self.entries if e.kind == "prefecture"}
        self._folded: dict[str, tuple[str, str]] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def lookup(self, code: Any) -> Entry | None:
        """The entry of a code (any form `normalise_code` accepts), or None."""
        normal = normalise_code(code)
        return self._by_code.get(normal) if normal else None

    def prefecture(self, value: str) -> str | None:
        """The prefecture's full name from 福井県, 福井, ふくい, 18 or 180009; None if unknown."""
        text = fold(value)
        if text.isascii() and text.isdigit() and len(text) <= 2:
            text = text.zfill(2) + "000"
        if text.isascii() and text.isdigit():
            code = normalise_code(text if len(text) == 6 else text[:5] + str(check_digit(text[:5])))
            entry = self._by_code.get(code or "")
            return entry.prefecture if entry and entry.kind == "prefecture" else None
        for name, entry in self._prefectures.items():
            short = name if name == "北海道" else name[:-1]
            kana = fold(entry.kana)
            kana_short = kana if name == "北海道" else re.sub(r"(と|ふ|けん)$", "", kana)
            if text in (fold(name), fold(short), kana, kana_short):
                return name
        return None

    def search(
        self,
        query: str | None = None,
        prefecture: str | None = None,
        kind: str | Iterable[str] | None = None,
        wards: bool = False,
    ) -> list[Entry]:
        """Entries whose name or reading contains `query` (fold-insensitive), in `prefecture`, of
        `kind` (one or several; ids or labels), in code order. Wards are left out unless `wards`
        or asked for by kind. ValueError for an unknown prefecture or kind."""
        kinds: set[str] | None = None
        if kind is not None:
            kinds = {parse_kind(kind)} if isinstance(kind, str) else {parse_kind(k) for k in kind}
        pref = None
        if prefecture is not None:
            pref = self.prefecture(prefecture)
            if pref is None:
                raise ValueError(f"unknown prefecture {prefecture!r}")
        needle = fold(query) if query else ""
        found = []
        for entry in self.entries:
            if kinds is not None and entry.kind not in kinds:
                continue
            if entry.kind == "ward" and not wards and not (kinds and "ward" in kinds):
                continue
            if pref is not None and entry.prefecture != pref:
                continue
            if needle:
                name, kana = self._fold_entry(entry)
                if needle not in name and needle not in kana:
                    continue
            found.append(entry)
        return found

    def municipalities(self) -> list[Entry]:
        """The municipalities (市区町村), without prefectures and wards, in code order."""
        return [e for e in self.entries if e.is_municipality]

    def municipalities_of(self, prefecture: str) -> list[Entry]:
        """The municipalities of one prefecture (福井県 or 福井), in code order; ValueError if the
        prefecture is unknown."""
        pref = self.prefecture(prefecture)
        if pref is None:
            raise ValueError(f"unknown prefecture {prefecture!r}")
        return [e for e in self.entries if e.is_municipality and e.prefecture == pref]

    def wards_of(self, code: Any) -> list[Entry]:
        """The wards of a designated city."""
        city = self.lookup(code)
        return [e for e in self.entries if city and e.parent == city.code]

    def name_matches(self, code: Any, name: str) -> bool:
        """Whether `name` names the entry of `code`: spaces, width, ケ/ヶ and kanji variants do not
        matter; a prefecture before the name (北海道美深町), a district (中川郡美深町), the reading, or
        for a ward its short name (中央区 for 札幌市中央区) are accepted. False for an unknown code."""
        entry = self.lookup(code)
        if entry is None or not str(name).strip():
            return False
        wanted, kana = self._fold_entry(entry)
        given = fold(name)
        if given in (wanted, kana):
            return True
        pref = fold(entry.prefecture)
        if given.startswith(pref) and given != pref:
            given = given[len(pref) :]
        if given == wanted:
            return True
        district = re.fullmatch(r".+?郡(.+)", given)
        if district and district.group(1) == wanted and entry.kind in ("town", "village"):
            return True
        parent = self._by_code.get(entry.parent or "")
        return parent is not None and fold(parent.name) + given == wanted

    def counts(self) -> dict[str, int]:
        """How many entries of each kind, with `municipality` (the 市区町村 together)."""
        counts = dict.fromkeys(KINDS, 0)
        for entry in self.entries:
            counts[entry.kind] += 1
        counts["municipality"] = sum(counts[k] for k in MUNICIPAL_KINDS)
        return counts

    def _fold_entry(self, entry: Entry) -> tuple[str, str]:
        folded = self._folded.get(entry.code)
        if folded is None:
            folded = self._folded[entry.code] = (fold(entry.name), fold(entry.kana))
        return folded


# --- reading a register file ----------------------------------------------------------------


def _error(key: str, path: str, row: int | None = None, problem: str = "DX100", /, **values: Any) -> Exception:
    """An InputError (code `problem`, at line `row`) with the catalogue's text `key`, its fields
    from `values`; the catalogue is imported here, so reading a register needs none."""
    from dxassess.errors import InputError
    from dxassess.text import msg

    return InputError(msg(key, **values), path, row, 1 if row else None, code=problem)


def decode(data: bytes, path: str) -> str:
    """The text of a CSV: UTF-8 with or without BOM, else cp932 (Excel's Japanese CSV)."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _error("register.not_text", path, None, "DX002")


def parse_register(text: str, source: str = "register", checked: bool = True) -> Register:
    """A register from CSV text in the shipped layout (COLUMNS; extra columns are ignored).
    Every row is checked: the code and its check digit, a known kind, a ward's parent, the
    population; the first bad row raises InputError naming its line. `checked=False` trusts a
    file in exactly the shipped layout (the shipped file, which the tests check) and is faster."""
    reader = csv.reader(io.StringIO(text))
    first = next(reader, [])
    if not checked and tuple(first) == COLUMNS:
        return Register(
            (Entry(c[0], c[1], c[2], c[3], c[4], c[5] or None, int(c[6]) if c[6] else None) for c in reader if c),
            source,
        )
    header = [fold(h) for h in first]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise _error(
            "register.columns_missing", source, 1, "DX102", missing=", ".join(missing), columns=",".join(COLUMNS)
        )
    index = [(name, header.index(name)) for name in COLUMNS if name in header]
    width = max(i for _, i in index) + 1
    entries: dict[str, tuple[Entry, int]] = {}
    for line, cells in enumerate(reader, start=2):
        if len(cells) < width:
            if not any(c.strip() for c in cells):
                continue
            cells = cells + [""] * (width - len(cells))
        entry = _entry({name: cells[i].strip() for name, i in index}, source, line)
        if entry.code in entries:
            raise _error("register.code_twice", source, line, "DX201", code=entry.code, line=entries[entry.code][1])
        entries[entry.code] = (entry, line)
    for entry, line in entries.values():
        if entry.kind == "ward":
            parent = entries.get(entry.parent or "")
            if parent is None or parent[0].kind != "designated_city":
                from dxassess.text import msg

                parent_code = entry.parent or msg("register.parent_empty")
                raise _error(
                    "register.ward_parent", source, line, "DX100", code=entry.code, name=entry.name, parent=parent_code
                )
    return Register((e for e, _ in entries.values()), source)


def _entry(cell: Mapping[str, str], source: str, line: int) -> Entry:
    code = normalise_code(cell["code"])
    if code is None:
        raise _error("register.bad_code", source, line, "DX305", value=cell["code"])
    try:
        kind = parse_kind(cell["kind"])
    except ValueError:
        raise _error("register.bad_kind", source, line, "DX100", value=cell["kind"], kinds=", ".join(KINDS)) from None
    population: int | None = None
    raw = cell.get("population", "").replace(",", "")
    if raw:
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:  # int() refuses other digits
            raise _error("register.bad_population", source, line, "DX100", value=cell["population"])
        population = int(raw)
    parent = normalise_code(cell.get("parent", "")) if cell.get("parent") else None
    if not cell["name"] or not cell["prefecture"]:
        raise _error("register.name_empty", source, line, "DX102")
    return Entry(code, cell["prefecture"], cell["name"], cell.get("kana", ""), kind, parent, population)


MAX_REGISTER_BYTES = 20_000_000  # the shipped register (1,741 + 47 + 175 rows) is about 0.2 MB


def read_register(path: Path, checked: bool = True) -> Register:
    """Read a register file and check it (see parse_register)."""
    from dxassess.files import TooLarge, read_input

    try:
        data = read_input(path, MAX_REGISTER_BYTES)
    except TooLarge:
        raise _error("register.too_large", str(path), None, "DX001", mb=MAX_REGISTER_BYTES // 1_000_000) from None
    except OSError as exc:
        from dxassess.text.problems import os_reason

        raise _error("register.unreadable", str(path), None, "DX009", reason=os_reason(exc)) from None
    return parse_register(decode(data, str(path)), str(path), checked)


# --- which register is in use ---------------------------------------------------------------


def user_register_path(env: Mapping[str, str] | None = None, platform: str | None = None) -> Path:
    """Where a user's own register lives: %APPDATA%\\dxassess\\municipalities.csv on Windows,
    $XDG_DATA_HOME/dxassess/ (or ~/.local/share/dxassess/) elsewhere. It may not exist."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform == "win32":
        base = Path(env["APPDATA"]) if env.get("APPDATA") else Path.home() / "AppData" / "Roaming"
    else:
        xdg = env.get("XDG_DATA_HOME", "")
        base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".local" / "share"
    return base / "dxassess" / "municipalities.csv"


def register_path(env: Mapping[str, str] | None = None, platform: str | None = None) -> tuple[Path, str]:
    """The register in use and why: (path, "env" | "user" | "shipped"). `DXASSESS_REGISTER` wins
    and must name an existing file; then the user's file when it exists; else the shipped one."""
    env = os.environ if env is None else env
    chosen = env.get(ENV_VAR, "").strip()
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise _error("register.env_missing", str(path), None, "DX009", var=ENV_VAR)
        return path, "env"
    user = user_register_path(env, platform)
    if user.is_file():
        return user, "user"
    return SHIPPED, "shipped"


_loaded: dict[Path, Register] = {}
_in_use: list[Register] = []  # the register in use, once chosen


def get_register(path: Path | None = None) -> Register:
    """The register in use (or the one at `path`), read on first use and kept for the run."""
    if path is None:
        if _in_use:
            return _in_use[0]
        path, _ = register_path()
        _in_use.append(get_register(path))
        return _in_use[0]
    key = Path(path).resolve()
    register = _loaded.get(key)
    if register is None:
        register = _loaded[key] = read_register(key, checked=key != SHIPPED.resolve())
    return register


def clear_cache() -> None:
    """Forget the registers read so far and which one is in use (after an update, or in tests)."""
    _loaded.clear()
    _in_use.clear()


# --- shortcuts on the register in use -------------------------------------------------------


def lookup(code: Any) -> Entry | None:
    """The entry of a code in the register in use, or None."""
    return get_register().lookup(code)


def search(
    query: str | None = None,
    prefecture: str | None = None,
    kind: str | Iterable[str] | None = None,
    wards: bool = False,
) -> list[Entry]:
    """Search the register in use (see Register.search)."""
    return get_register().search(query, prefecture, kind, wards)


def municipalities_of(prefecture: str) -> list[Entry]:
    """The municipalities of a prefecture in the register in use, in code order."""
    return get_register().municipalities_of(prefecture)


def name_matches(code: Any, name: str) -> bool:
    """Whether `name` names the entry of `code` in the register in use (see Register.name_matches)."""
    return get_register().name_matches(code, name)
