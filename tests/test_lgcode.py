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
        ("013030", "何とか", 80_000, Tier.town_village),  # the register's kind, not the name or the size
        ("182010", "福井町", 3_000, Tier.core_city),
        ("011011", "札幌市中央区", 240_000, Tier.designated_city),  # a ward: its city's status
    ],
)
def test_tier_comes_from_the_register(code: str, name: str, population: int, tier: Tier):
    assert lgcode.tier_of(code, name, population) is tier
    assert lgcode.tier_of(code, name, population, kind="village") is tier  # the register wins
    assert lgcode.prefecture_of(code) in lgcode.PREFECTURES


def test_every_municipality_of_the_register_has_its_tier():
    from collections import Counter

    from dxassess import register

    tiers = Counter(lgcode.tier_of(e.code, "", 1) for e in register.get_register(register.SHIPPED).municipalities())
    assert tiers == {
        Tier.designated_city: 20,
        Tier.core_city: 62,
        Tier.city: 710,
        Tier.special_ward: 23,
        Tier.town_village: 926,
    }


@pytest.mark.parametrize(
    "code,name,population,kind,tier",
    [
        ("019909", "架空市", 300_000, "core_city", Tier.core_city),  # the file's own kind
        ("019909", "架空市", 300_000, None, Tier.city),  # else the name's suffix
        ("019909", "架空町", 300_000, None, Tier.town_village),
        ("139904", "架空区", 300_000, None, Tier.special_ward),
        ("019909", "架空", 80_000, None, Tier.city),  # no suffix: the population
        ("019909", "架空", 8_000, None, Tier.town_village),
    ],
)
def test_tier_of_a_synthetic_code(code: str, name: str, population: int, kind: str | None, tier: Tier):
    assert lgcode.code_problem(code) is None
    assert lgcode.tier_of(code, name, population, kind) is tier
