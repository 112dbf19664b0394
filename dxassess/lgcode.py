"""The 全国地方公共団体コード: check digit, prefecture, and the size tier of a municipality."""

from __future__ import annotations

import unicodedata

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

# First five digits of the 20 designated cities (政令指定都市).
DESIGNATED_CITIES = {
    "01100": "札幌市",
    "04100": "仙台市",
    "11100": "さいたま市",
    "12100": "千葉市",
    "14100": "横浜市",
    "14130": "川崎市",
    "14150": "相模原市",
    "15100": "新潟市",
    "22100": "静岡市",
    "22130": "浜松市",
    "23100": "名古屋市",
    "26100": "京都市",
    "27100": "大阪市",
    "27140": "堺市",
    "28100": "神戸市",
    "33100": "岡山市",
    "34100": "広島市",
    "40100": "北九州市",
    "40130": "福岡市",
    "43100": "熊本市",
}

# First five digits of the 62 core cities (中核市), as of 2024-04.
CORE_CITIES = {
    "01202": "函館市",
    "01204": "旭川市",
    "02201": "青森市",
    "02203": "八戸市",
    "03201": "盛岡市",
    "05201": "秋田市",
    "06201": "山形市",
    "07201": "福島市",
    "07203": "郡山市",
    "07204": "いわき市",
    "08201": "水戸市",
    "09201": "宇都宮市",
    "10201": "前橋市",
    "10202": "高崎市",
    "11201": "川越市",
    "11203": "川口市",
    "11222": "越谷市",
    "12204": "船橋市",
    "12217": "柏市",
    "13201": "八王子市",
    "14201": "横須賀市",
    "16201": "富山市",
    "17201": "金沢市",
    "18201": "福井市",
    "19201": "甲府市",
    "20201": "長野市",
    "20202": "松本市",
    "21201": "岐阜市",
    "23201": "豊橋市",
    "23202": "岡崎市",
    "23203": "一宮市",
    "23211": "豊田市",
    "25201": "大津市",
    "27203": "豊中市",
    "27205": "吹田市",
    "27207": "高槻市",
    "27210": "枚方市",
    "27212": "八尾市",
    "27215": "寝屋川市",
    "27227": "東大阪市",
    "28201": "姫路市",
    "28202": "尼崎市",
    "28203": "明石市",
    "28204": "西宮市",
    "29201": "奈良市",
    "30201": "和歌山市",
    "31201": "鳥取市",
    "32201": "松江市",
    "33202": "倉敷市",
    "34202": "呉市",
    "34207": "福山市",
    "35201": "下関市",
    "37201": "高松市",
    "38201": "松山市",
    "39201": "高知市",
    "40203": "久留米市",
    "42201": "長崎市",
    "42202": "佐世保市",
    "44201": "大分市",
    "45201": "宮崎市",
    "46201": "鹿児島市",
    "47201": "那覇市",
}


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


def tier_of(code: str, name: str, population: int) -> Tier:
    """The size tier: from the code where it tells a designated or core city or a Tokyo ward,
    from the name's suffix (市/区/町/村), else from the population."""
    head = code[:5]
    if head in DESIGNATED_CITIES:
        return Tier.designated_city
    if head in CORE_CITIES:
        return Tier.core_city
    if head[:2] == "13" and "101" <= head[2:5] <= "123":
        return Tier.special_ward
    name = name.strip()
    if name.endswith(("町", "村")):
        return Tier.town_village
    if name.endswith("市"):
        return Tier.city
    return Tier.city if population >= 50_000 else Tier.town_village
