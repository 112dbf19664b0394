"""The 全国地方公共団体コード: check digit, prefecture, and the size tier of a municipality.

Which municipality a code belongs to, and its legal status, is the register's (`register.py`);
PREFECTURES stays here because it is the fixed table of prefecture numbers (JIS X 0401) that a
code is checked against, also for synthetic codes and whatever register is in use."""

from __future__ import annotations

import unicodedata

from dxassess import register
from dxassess.model.size import Tier
from dxassess.text import Msg, msg

PREFECTURES = (
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
)


def normalise(code: str) -> str:
    """Full-width digits and stray spaces → a plain digit string."""
    return unicodedata.normalize("NFKC", str(code)).strip().replace(" ", "").replace("-", "")


def check_digit(first_five: str) -> int:
    """Check digit: weights 6,5,4,3,2 on the first five digits, r = sum mod 11, (11 − r) mod 10."""
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2)))
    return (11 - total % 11) % 10


def with_check_digit(first_five: str) -> str:
    return first_five + str(check_digit(first_five))


def code_problem(code: str) -> str | None:
    """Why `code` is not a valid municipality code (in English), or None when it is."""
    problem = code_problem_msg(code)
    return problem.en if problem else None


def code_problem_msg(code: str, in_yaml: bool = True) -> Msg | None:
    """Why `code` is not a valid municipality code, in both languages, or None when it is
    (`in_yaml`: the fix says to quote it, as a YAML file needs)."""
    if len(code) != 6 or not (code.isascii() and code.isdigit()):  # int() refuses other digits
        return msg("code.digits" if in_yaml else "code.digits_sheet", code=code[:20])
    pref = int(code[:2])
    if not 1 <= pref <= 47:
        return msg("code.prefecture_number", code=code, number=code[:2])
    expected = check_digit(code[:5])
    if int(code[5]) != expected:
        return msg("code.check_digit", code=code, digit=code[5], expected=expected)
    if code[2:5] == "000":
        return msg("code.prefecture_code", code=code)
    return None


def prefecture_of(code: str) -> str:
    return PREFECTURES[int(code[:2]) - 1]


# The register's kind of a municipality → its size tier (towns and villages share one).
TIER_OF_KIND = {
    "designated_city": Tier.designated_city,
    "core_city": Tier.core_city,
    "city": Tier.city,
    "special_ward": Tier.special_ward,
    "town": Tier.town_village,
    "village": Tier.town_village,
}


def tier_of(code: str, name: str, population: int, kind: str | None = None) -> Tier:
    """The size tier (legal status) of a municipality: its kind in the register. The population
    band within the tier is `model.size.band_of`'s.

    A code the register does not hold is synthetic data (`dxassess sample`, `synthetic: true`:
    validate rejects any other unknown code), so nothing official tells its status. Only then the
    file's own `kind` is used, and failing that the name's suffix (市 city, 区 special ward, 町/村
    town or village) and, for a name without one, the population."""
    entry = register.lookup(code)
    if entry is not None and entry.kind == "ward" and entry.parent:  # a ward: its city's status
        entry = register.lookup(entry.parent)
    if entry is not None and entry.kind in TIER_OF_KIND:
        return TIER_OF_KIND[entry.kind]
    if kind in TIER_OF_KIND:
        return TIER_OF_KIND[kind]
    name = name.strip()
    if name.endswith(("町", "村")):
        return Tier.town_village
    if name.endswith("区"):
        return Tier.special_ward
    if name.endswith("市"):
        return Tier.city
    return Tier.city if population >= 50_000 else Tier.town_village
