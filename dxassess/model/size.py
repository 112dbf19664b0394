"""Size of a municipality: its legal status (tier) and its population band within that status.

The one place that says which band a municipality falls in. Tiers follow legal status
(政令指定都市, 中核市, other cities, Tokyo's special wards, towns and villages); bands split the
two large, mixed tiers by population, following the population classes of MIC's 類似団体区分
(other cities under 50,000 / 50,000–100,000 / over; towns and villages under 5,000 / 5,000–20,000
/ over), merged where a class would be too small to benchmark. The reasoning is in
docs/questionnaire-content.md.
"""

from __future__ import annotations

from enum import Enum


class Tier(str, Enum):
    """Municipality size tiers by legal status (domain.md): targets differ by tier."""

    designated_city = "designated_city"
    core_city = "core_city"
    city = "city"
    special_ward = "special_ward"
    town_village = "town_village"


class Band(str, Enum):
    """Size bands: the tier, split by population where the tier mixes very different sizes."""

    designated_city = "designated_city"
    core_city = "core_city"
    special_ward = "special_ward"
    city_100k_plus = "city_100k_plus"
    city_50k_100k = "city_50k_100k"
    city_under_50k = "city_under_50k"
    town_village_20k_plus = "town_village_20k_plus"
    town_village_5k_20k = "town_village_5k_20k"
    town_village_under_5k = "town_village_under_5k"


# band → its tier, and the population from which a municipality belongs to it (bands of one
# tier in descending order of that threshold).
BAND_TIER: dict[Band, Tier] = {
    Band.designated_city: Tier.designated_city,
    Band.core_city: Tier.core_city,
    Band.special_ward: Tier.special_ward,
    Band.city_100k_plus: Tier.city,
    Band.city_50k_100k: Tier.city,
    Band.city_under_50k: Tier.city,
    Band.town_village_20k_plus: Tier.town_village,
    Band.town_village_5k_20k: Tier.town_village,
    Band.town_village_under_5k: Tier.town_village,
}
BAND_FROM: dict[Band, int] = {
    Band.city_100k_plus: 100_000,
    Band.city_50k_100k: 50_000,
    Band.city_under_50k: 0,
    Band.town_village_20k_plus: 20_000,
    Band.town_village_5k_20k: 5_000,
    Band.town_village_under_5k: 0,
}

# Bands in order of size, largest first: the order of tables and of the "nearest larger group".
BAND_ORDER: tuple[Band, ...] = (
    Band.designated_city,
    Band.core_city,
    Band.special_ward,
    Band.city_100k_plus,
    Band.city_50k_100k,
    Band.city_under_50k,
    Band.town_village_20k_plus,
    Band.town_village_5k_20k,
    Band.town_village_under_5k,
)


def bands_of(tier: Tier) -> tuple[Band, ...]:
    """The bands of one tier, largest first."""
    return tuple(b for b in BAND_ORDER if BAND_TIER[b] is tier)


def band_of(tier: Tier, population: int) -> Band:
    """The band of a municipality of `tier` with `population` people."""
    for band in bands_of(tier):
        if population >= BAND_FROM.get(band, 0):
            return band
    return bands_of(tier)[-1]


# The nearest larger group by population (the fallback when a band has no example to show).
_LARGER: dict[Band, Band] = {
    Band.core_city: Band.designated_city,
    Band.special_ward: Band.core_city,
    Band.city_100k_plus: Band.core_city,
    Band.city_50k_100k: Band.city_100k_plus,
    Band.city_under_50k: Band.city_50k_100k,
    Band.town_village_20k_plus: Band.city_under_50k,
    Band.town_village_5k_20k: Band.town_village_20k_plus,
    Band.town_village_under_5k: Band.town_village_5k_20k,
}


def larger_band(band: Band) -> Band | None:
    """The nearest larger band, or None for the largest."""
    return _LARGER.get(band)
