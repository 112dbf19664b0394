"""Realistic synthetic municipalities and their answers, for demos, tests and benchmarks (pure).

The mix of tiers follows Japan's 1,741 municipalities (20 designated cities, 62 core cities, 23
special wards, 710 other cities, 926 towns and villages). Designated cities, core cities and wards
use their real codes and names; other cities, towns and villages get invented names with valid
codes. Answers depend on the tier the way the national survey figures do: larger municipalities
are further along (e.g. CIO appointed by about 73% overall, far fewer small towns have a DX unit).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from dxassess import expr, lgcode
from dxassess.model import ChoiceQuestion, NumericQuestion, Questionnaire, ScaleQuestion, Tier, YesNoQuestion

MAX_COUNT = 10_000

MIX = (
    (Tier.designated_city, 20),
    (Tier.core_city, 62),
    (Tier.special_ward, 23),
    (Tier.city, 710),
    (Tier.town_village, 926),
)
TOTAL = sum(n for _, n in MIX)

WARDS = (
    "千代田区",
    "中央区",
    "港区",
    "新宿区",
    "文京区",
    "台東区",
    "墨田区",
    "江東区",
    "品川区",
    "目黒区",
    "大田区",
    "世田谷区",
    "渋谷区",
    "中野区",
    "杉並区",
    "豊島区",
    "北区",
    "荒川区",
    "板橋区",
    "練馬区",
    "足立区",
    "葛飾区",
    "江戸川区",
)

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
        "一部の課で実施中。来年度に全庁展開を予定。",
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
        "{value}（{year}年度の庁内調査より）。",
        "{value}（資産台帳・契約書から算出）。",
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


def municipalities(count: int, seed: int) -> list[SampleMunicipality]:
    """`count` municipalities with distinct valid codes, drawn from the national mix."""
    rng = random.Random(seed)
    tiers = _tiers(count, rng)
    real = {
        Tier.designated_city: list(lgcode.DESIGNATED_CITIES.items()),
        Tier.core_city: list(lgcode.CORE_CITIES.items()),
        Tier.special_ward: [(f"131{i:02d}", name) for i, name in enumerate(WARDS, start=1)],
    }
    for items in real.values():
        rng.shuffle(items)
    reserved = {head for items in real.values() for head, _ in items}
    used_heads: set[str] = set()
    used_names: set[tuple[str, str]] = set()
    out = []
    for tier in tiers:
        pool = real.get(tier)
        if pool:
            head, name = pool.pop()
            pref = lgcode.prefecture_of(head + "0")
        else:
            if tier in real:  # more of this tier than exist: invent ordinary cities instead
                tier = Tier.city
            while True:
                pref_no = rng.randint(1, 47)
                number = rng.randint(202, 229) if tier == Tier.city else rng.randint(301, 589)
                if tier == Tier.city and rng.random() < 0.3:
                    number = rng.randint(230, 299)
                head = f"{pref_no:02d}{number:03d}"
                if head not in used_heads and head not in reserved:
                    break
            pref = lgcode.PREFECTURES[pref_no - 1]
            suffix = "市" if tier == Tier.city else rng.choice("町町町村")
            for _ in range(50):
                stem = rng.choice(_PREFIXES + _MIDDLES) + rng.choice(_STEMS)
                if rng.random() < 0.3:
                    stem = rng.choice(_MIDDLES) + stem
                name = stem + suffix
                if (pref, name) not in used_names:
                    break
            used_names.add((pref, name))
        used_heads.add(head)
        out.append(SampleMunicipality(lgcode.with_check_digit(head), name, pref, _population(tier, rng), tier))
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
                out[question.id] = _answer(question, propensity, rng, assessed.year)
                values[question.id] = out[question.id]["value"]
    return out


SAMPLE_NOTE = (
    "架空の団体の回答例です（dxassess sample で作成）。実在の団体の状況ではありません。",
    "Synthetic answers made by `dxassess sample`; not a real municipality's situation.",
)


def answer_file_text(
    questionnaire: Questionnaire, m: SampleMunicipality, assessed: dt.date, answers: dict[str, dict[str, Any]]
) -> str:
    from dxassess.answerfile import answer_text

    data = {
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "municipality": {"code": m.code, "name": m.name, "prefecture": m.prefecture, "population": m.population},
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
