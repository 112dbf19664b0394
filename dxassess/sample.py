"""Realistic synthetic municipalities and their answers, for demos, tests and benchmarks (pure).

The mix of tiers follows Japan's 1,741 municipalities (20 designated cities, 62 core cities, 23
special wards, 710 other cities, 743 towns and 183 villages). No sample is a real municipality:
every one has an invented name and a code that passes the check digit but belongs to no
municipality, and its file says `synthetic: true` (validate accepts the unknown code only then;
every report made from it says it is synthetic) and states its `kind`, since the register cannot.

Sample codes use the municipality numbers 900–999 (SYNTHETIC_NUMBERS): municipalities are
numbered 100–199 (designated cities and their wards, Tokyo's special wards), from 201 (cities)
and from 301 (towns and villages, by district); the highest number in the register is 694, and
every sample code is checked against the register. Whether the ministry's separate list of
一部事務組合等 codes (numbered by the prefectures) uses any of 900–999 is not confirmed.

Answers depend on the tier the way the national survey figures do: larger municipalities are
further along (e.g. CIO appointed by about 73% overall, far fewer small towns have a DX unit).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from dxassess import expr, lgcode, register
from dxassess.gaps import fiscal_year
from dxassess.model import ChoiceQuestion, NumericQuestion, Questionnaire, ScaleQuestion, Tier, YesNoQuestion

# Municipality numbers of sample codes: used by no municipality (see the module's docstring).
SYNTHETIC_NUMBERS = range(900, 1000)
MAX_COUNT = 47 * len(SYNTHETIC_NUMBERS)  # distinct codes there are

MIX = (
    (Tier.designated_city, 20),
    (Tier.core_city, 62),
    (Tier.special_ward, 23),
    (Tier.city, 710),
    (Tier.town_village, 926),
)
TOTAL = sum(n for _, n in MIX)
TOWNS, VILLAGES = 743, 183  # of the 926 towns and villages (the register's counts)
TOKYO = 13  # special wards exist only in Tokyo

# Invented place names: prefix + stem, in the way Japanese place names are built.
_PREFIXES = ("東", "西", "南", "北", "上", "下", "新", "大", "小", "中", "高", "若", "本", "古")
_STEMS = (
    "川",
    "山",
    "田",
    "野",
    "原",
    "沢",
    "浜",
    "島",
    "崎",
    "津",
    "岡",
    "森",
    "谷",
    "宮",
    "松",
    "梅",
    "桜",
    "杉",
    "瀬",
    "浦",
    "坂",
    "里",
    "井",
    "石",
    "泉",
    "滝",
    "葉",
    "城",
    "橋",
    "丘",
)
_MIDDLES = ("見", "和", "吉", "安", "豊", "美", "富", "長", "白", "青", "朝", "日", "緑", "栄", "浅", "清")

# (median population, log-sd, minimum, maximum) per tier for invented municipalities.
_POPULATION = {
    Tier.designated_city: (1_000_000, 0.5, 690_000, 3_770_000),
    Tier.core_city: (350_000, 0.35, 180_000, 650_000),
    Tier.special_ward: (300_000, 0.6, 65_000, 940_000),
    Tier.city: (55_000, 0.75, 3_000, 450_000),
    Tier.town_village: (9_000, 1.0, 170, 58_000),
}
# Mean maturity (0–1) per tier, from the national figures' gradient by size.
_PROPENSITY = {
    Tier.designated_city: 0.70,
    Tier.core_city: 0.62,
    Tier.special_ward: 0.64,
    Tier.city: 0.50,
    Tier.town_village: 0.36,
}

_NOTES = {
    "high": (
        "全庁で定着しており、毎年度実績を確認している。",
        "計画どおり全庁展開済み。庁議で進捗を報告している。",
        "他団体からの視察も受けている。",
    ),
    "mid": (
        "取組は進んでいるが、課によって差がある。",
        "方針はあるが、実施は担当課任せになっている。",
        "取組は始めたが、効果の測定はこれから。",
    ),
    "low": (
        "未着手。予算と人員の確保が課題。",
        "必要性は認識しているが、担当者が兼務で手が回らない。",
        "検討段階。近隣団体の事例を調べている。",
    ),
    "yes": ("要綱・決裁文書で確認済み。", "例規集に掲載済み。", "庁議資料で確認した。"),
    "no": ("未整備。次年度の検討課題とする。", "現時点では予定なし。", "必要性は認識しているが未着手。"),
    "numeric": (
        "{value}（{year}年度の庁内調査より）。",  # the last fiscal year completed before the assessment
        "{value}（所管課の集計による）。",
        "{value}（担当課への照会結果）。",
    ),
    "na": ("本団体には該当する施設・業務がないため。", "業務を一部事務組合で処理しているため。"),
    "skipped": ("担当課に確認中。", "所管課が未定のため保留。"),
}


@dataclass(frozen=True)
class SampleMunicipality:
    code: str
    name: str
    prefecture: str
    population: int
    tier: Tier
    kind: str  # the register's kind it would have: designated_city … village


def _tiers(count: int, rng: random.Random) -> list[Tier]:
    if count >= TOTAL:
        tiers = [t for t, n in MIX for _ in range(n)]
        tiers += rng.choices([t for t, _ in MIX], weights=[n for _, n in MIX], k=count - TOTAL)
    else:
        tiers = rng.choices([t for t, _ in MIX], weights=[n for _, n in MIX], k=count)
    rng.shuffle(tiers)
    return tiers


def _population(tier: Tier, rng: random.Random) -> int:
    median, sd, low, high = _POPULATION[tier]
    value = int(math.exp(math.log(median) + rng.gauss(0, sd)))
    return max(low, min(high, value))


def _villages(tiers: list[Tier], rng: random.Random) -> set[int]:
    """Which of the towns and villages are villages: the nation's share of them (183 of 926)."""
    small = [i for i, tier in enumerate(tiers) if tier is Tier.town_village]
    return set(rng.sample(small, round(len(small) * VILLAGES / (TOWNS + VILLAGES))))


_SUFFIX = {
    "designated_city": "市",
    "core_city": "市",
    "city": "市",
    "special_ward": "区",
    "town": "町",
    "village": "村",
}


def _shipped() -> register.Register:
    """The shipped register: samples depend on it, never on a user's, so they stay the same bytes."""
    return register.get_register(register.SHIPPED)


def _real_names() -> set[str]:
    """Every name of the register, folded: no sample takes a real municipality's name."""
    return {register.fold(e.name) for e in _shipped()} | {register.fold(e.name) for e in register.get_register()}


def _is_real(code: str) -> bool:
    return _shipped().lookup(code) is not None or register.lookup(code) is not None


def municipalities(count: int, seed: int) -> list[SampleMunicipality]:
    """`count` invented municipalities with distinct synthetic codes, drawn from the national mix;
    prefectures are drawn in proportion to their number of municipalities while they have codes left."""
    rng = random.Random(seed)
    tiers = _tiers(count, rng)
    shipped = _shipped()
    weights = {
        n: sum(e.kind != "special_ward" for e in shipped.municipalities_of(lgcode.PREFECTURES[n - 1]))
        for n in range(1, 48)
    }
    free = {n: list(SYNTHETIC_NUMBERS) for n in weights}
    wards_left = min(tiers.count(Tier.special_ward), len(SYNTHETIC_NUMBERS))  # Tokyo keeps room for them
    villages = _villages(tiers, rng)
    real_names = _real_names()
    used_names: set[tuple[str, str]] = set()
    out = []
    for i, tier in enumerate(tiers):
        if tier is Tier.special_ward and not free[TOKYO]:
            tier = Tier.city  # more special wards than Tokyo has room for: an ordinary city instead
        kind = ("village" if i in villages else "town") if tier is Tier.town_village else tier.value
        if tier is Tier.special_ward:
            wards_left -= 1
        while True:
            if tier is Tier.special_ward:
                pref_no = TOKYO
            else:
                open_prefs = [n for n in weights if len(free[n]) > (wards_left if n == TOKYO else 0)]
                pref_no = rng.choices(open_prefs, weights=[weights[n] for n in open_prefs])[0]
            number = free[pref_no].pop(rng.randrange(len(free[pref_no])))
            code = lgcode.with_check_digit(f"{pref_no:02d}{number:03d}")
            if not _is_real(code):
                break
        pref = lgcode.PREFECTURES[pref_no - 1]
        for _ in range(50):
            stem = rng.choice(_PREFIXES + _MIDDLES) + rng.choice(_STEMS)
            if rng.random() < 0.3:
                stem = rng.choice(_MIDDLES) + stem
            name = stem + _SUFFIX[kind]
            if (pref, name) not in used_names and register.fold(name) not in real_names:
                break
        used_names.add((pref, name))
        out.append(SampleMunicipality(code, name, pref, _population(tier, rng), tier, kind))
    return out


def _latent(propensity: float, rng: random.Random) -> int:
    return max(0, min(5, round(rng.gauss(propensity * 5, 1.1))))


def _numeric_value(question: NumericQuestion, level: int, rng: random.Random) -> float:
    t = list(question.thresholds)
    if question.direction == "higher":
        low = question.min if level == 0 else t[level - 1]
        high = t[level] if level < 5 else question.max
    else:
        high = question.max if level == 0 else t[level - 1]
        low = t[level] if level < 5 else question.min
    if question.direction == "higher" and level < 5:
        high = high - (high - low) * 0.01
    if question.direction == "lower" and level < 5:
        low = low + (high - low) * 0.01
    value = low + (high - low) * rng.random()
    value = max(question.min, min(question.max, value))
    return float(round(value)) if question.integer else round(value, 1)


def _answer(question: Any, propensity: float, rng: random.Random, year: int) -> dict[str, Any]:
    level = _latent(propensity, rng)
    band = "high" if level >= 4 else "mid" if level >= 2 else "low"
    if isinstance(question, YesNoQuestion):
        value: Any = rng.random() < min(0.97, max(0.03, propensity + rng.gauss(0, 0.15)))
        note = rng.choice(_NOTES["yes" if value else "no"])
    elif isinstance(question, ScaleQuestion):
        value, note = level, rng.choice(_NOTES[band])
    elif isinstance(question, ChoiceQuestion):
        value = min(question.options, key=lambda o: (abs(o.level - level), rng.random())).key
        note = rng.choice(_NOTES[band])
    else:
        value = _numeric_value(question, level, rng)
        shown = f"{value:g}{question.unit.get('ja', '')}"
        note = rng.choice(_NOTES["numeric"]).format(value=shown, year=year)
    answer: dict[str, Any] = {"value": value, "note": note}
    if rng.random() < 0.03:
        answer["review"] = True
    return answer


def answers_for(
    questionnaire: Questionnaire, m: SampleMunicipality, rng: random.Random, assessed: dt.date
) -> dict[str, dict[str, Any]]:
    """Answers in questionnaire order; `when` conditions are honoured as an officer would."""
    base = _PROPENSITY[m.tier] + rng.gauss(0, 0.12)
    domain_effect = {d.id: rng.gauss(0, 0.08) for d in questionnaire.domains}
    values: dict[str, Any] = {}
    out: dict[str, dict[str, Any]] = {}
    for domain in questionnaire.domains:
        for question in domain.questions:
            if question.when and not expr.evaluate(expr.compiled(question.when), values):
                continue
            roll = rng.random()
            if question.na_allowed and roll < 0.04:
                out[question.id] = {"na": True, "note": rng.choice(_NOTES["na"])}
            elif roll > 0.985:
                out[question.id] = {"skipped": True, "note": rng.choice(_NOTES["skipped"])}
            else:
                propensity = max(0.0, min(1.0, base + domain_effect[domain.id]))
                out[question.id] = _answer(question, propensity, rng, fiscal_year(assessed) - 1)
                values[question.id] = out[question.id]["value"]
    return out


SAMPLE_NOTE = (
    "架空の団体の回答例です（dxassess sample で作成）。実在の団体の状況ではありません。",
    "団体コードはどの団体にも割り当てられていない架空のコードです。",
    "Synthetic answers made by `dxassess sample`: an invented municipality, with a code that belongs to no municipality.",
)


def answer_file_text(
    questionnaire: Questionnaire, m: SampleMunicipality, assessed: dt.date, answers: dict[str, dict[str, Any]]
) -> str:
    from dxassess.answerfile import answer_text

    data = {
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "synthetic": True,
        "municipality": {
            "code": m.code,
            "name": m.name,
            "prefecture": m.prefecture,
            "population": m.population,
            "kind": m.kind,
        },
        "assessed": assessed,
        "answers": answers,
    }
    return answer_text(data, SAMPLE_NOTE)


def generate(questionnaire: Questionnaire, count: int, seed: int) -> Iterator[tuple[str, str]]:
    """Yield (file name, answer file text) for `count` synthetic municipalities."""
    fy_start = dt.date(2026, 6, 1)
    for i, m in enumerate(municipalities(count, seed)):
        rng = random.Random(f"{seed}:{i}:{m.code}")
        assessed = fy_start + dt.timedelta(days=rng.randint(0, 180))
        answers = answers_for(questionnaire, m, rng, assessed)
        yield f"{m.code}.yaml", answer_file_text(questionnaire, m, assessed, answers)
