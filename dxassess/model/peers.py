"""The shape of peers.json (`dxassess.peersfile` reads and writes the file; docs/peers-format.md
holds its JSON Schema, generated from `PeersDoc`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from dxassess.model.answers import MAX_NOTE, MAX_POPULATION, QuestionnaireRef
from dxassess.model.questionnaire import Strict

BandName = Literal[
    "designated_city",
    "core_city",
    "special_ward",
    "city_100k_plus",
    "city_50k_100k",
    "city_under_50k",
    "town_village_20k_plus",
    "town_village_5k_20k",
    "town_village_under_5k",
]  # the values of model.size.Band (a test keeps them equal)


class PeerEntry(Strict):
    """One consenting municipality."""

    code: str = Field(pattern=r"^[0-9]{6}$", description="全国地方公共団体コード.")
    name: str = Field(min_length=1, max_length=100)
    prefecture: str | None = None
    population: int = Field(ge=1, le=MAX_POPULATION)
    band: BandName = Field(description="Its size band (dxassess.model.size).")
    assessed: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="Date of its assessment.")
    questionnaire: QuestionnaireRef
    contact: str = Field(min_length=1, max_length=200, description="The department to contact.")
    levels: dict[str, float] = Field(description="Question id → the level reached (0–5).")
    public_notes: dict[str, str] = Field(default_factory=dict, description="Question id → what it did.")
    reached: list[str] = Field(default_factory=list, description="Question ids at or above its own target.")


class PeersDoc(Strict):
    """The whole file."""

    format: Literal["dxassess-peers"]
    version: Literal[1]
    municipalities: list[PeerEntry]


def too_long_note(doc: PeersDoc) -> str | None:
    for i, m in enumerate(doc.municipalities):
        for qid, note in m.public_notes.items():
            if len(note) > MAX_NOTE:
                return f"municipalities.{i}.public_notes.{qid}"
    return None
