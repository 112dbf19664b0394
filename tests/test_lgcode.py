"""The local government code: check digits, prefectures, tiers."""

from __future__ import annotations

import pytest

from dxassess import lgcode
from dxassess.model import Tier


@pytest.mark.parametrize("code", ["011002", "131016", "141003", "271004"])
def test_known_codes_are_valid(code: str):
    assert lgcode.code_problem(code) is None
    assert lgcode.with_check_digit(code[:5]) == code


@pytest.mark.parametrize("code", ["010006", "470007"])
def test_prefecture_codes_are_not_municipalities(code: str):
    assert lgcode.check_digit(code[:5]) == int(code[5])
    assert "prefecture" in lgcode.code_problem(code)


@pytest.mark.parametrize(
    "code,reason", [("011003", "check digit"), ("01100", "6 digits"), ("991000", "01–47"), ("abcdef", "6 digits")]
)
def test_invalid_codes(code: str, reason: str):
    assert reason in lgcode.code_problem(code)


def test_every_listed_city_has_a_valid_code():
    assert len(lgcode.DESIGNATED_CITIES) == 20
    assert len(lgcode.CORE_CITIES) == 62
    for head in list(lgcode.DESIGNATED_CITIES) + list(lgcode.CORE_CITIES):
        assert lgcode.code_problem(lgcode.with_check_digit(head)) is None


def test_normalise_full_width_and_spaces():
    assert lgcode.normalise(" ０１１００２ ") == "011002"


@pytest.mark.parametrize(
    "code,name,population,tier",
    [
        ("011002", "札幌市", 1_973_395, Tier.designated_city),
        ("012025", "函館市", 240_000, Tier.core_city),
        ("131016", "千代田区", 68_000, Tier.special_ward),
        ("012033", "小樽市", 105_000, Tier.city),
        ("013030", "当別町", 15_000, Tier.town_village),
        ("013030", "何とか", 15_000, Tier.town_village),
        ("013030", "何とか", 80_000, Tier.city),
    ],
)
def test_tier(code: str, name: str, population: int, tier: Tier):
    assert lgcode.tier_of(code, name, population) is tier
    assert lgcode.prefecture_of(code) in lgcode.PREFECTURES
