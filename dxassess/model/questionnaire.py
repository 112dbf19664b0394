"""Pydantic types of a questionnaire file: domains, questions, scales, targets."""

from __future__ import annotations

from enum import Enum
from functools import cached_property
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
QUESTION_ID_PATTERN = r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$"
SECTION_ID_PATTERN = r"^S[0-9]+(\.[0-9]+)*$"
VERSION_PATTERN = r"^[0-9]+\.[0-9]+\.[0-9]+$"

Text = Annotated[
    dict[str, str],
    Field(
        description="A user-facing text: one entry per language declared in `languages`, e.g. {ja: ..., en: ...}.",
        json_schema_extra={
            "propertyNames": {"enum": ["ja", "en"]},
            "minProperties": 1,
            "additionalProperties": {"type": "string", "minLength": 1},
        },
    ),
]
Level = Annotated[int, Field(ge=0, le=5, description="A maturity level, 0 to 5.")]
TargetLevel = Annotated[float, Field(ge=0, le=5, description="A target level, 0 to 5.")]


class Strict(BaseModel):
    """Base of every file model: unknown keys are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Tier(str, Enum):
    """Municipality size tiers (domain.md): targets differ by tier."""

    designated_city = "designated_city"
    core_city = "core_city"
    city = "city"
    special_ward = "special_ward"
    town_village = "town_village"


class Targets(Strict):
    """Target level for each size tier. Every tier must be given."""

    designated_city: TargetLevel = Field(description="政令指定都市 / designated city")
    core_city: TargetLevel = Field(description="中核市 / core city")
    city: TargetLevel = Field(description="その他の市 / other city")
    special_ward: TargetLevel = Field(description="特別区 / special ward of Tokyo")
    town_village: TargetLevel = Field(description="町村 / town or village")

    def for_tier(self, tier: Tier) -> float:
        return float(getattr(self, tier.value))


class ScaleLevel(Strict):
    """One level of a maturity scale: what a municipality at this level looks like."""

    level: Level
    label: Text = Field(description="Short name of the level, e.g. {ja: 全庁展開, en: Organisation-wide}.")
    description: Text = Field(
        description="Concrete description of the level; the gap report uses the next level's "
        "description as the next step."
    )


class Scale(Strict):
    """A reusable maturity scale: levels 0 to 5, contiguous, each described."""

    levels: list[ScaleLevel] = Field(min_length=2, description="Levels in ascending order, contiguous from 0.")


class LevelOverride(Strict):
    """A per-question replacement of one level's description (and optionally its label)."""

    label: Text | None = Field(default=None, description="Replacement label of the level.")
    description: Text = Field(description="Replacement description of the level for this question.")


class QuestionBase(Strict):
    id: str = Field(pattern=QUESTION_ID_PATTERN, description="Stable id `domain.name`, unique in the file.")
    text: Text = Field(description="The question as shown to the officer.")
    help: Text | None = Field(default=None, description="What counts as evidence; shown on `?`.")
    weight: float = Field(
        default=1.0,
        description="Weight within its domain; must be > 0.",
        json_schema_extra={"exclusiveMinimum": 0},
    )
    manual: list[str] = Field(
        min_length=1,
        description="Section ids of the manual catalogue this question assesses, e.g. [S2.1].",
        json_schema_extra={"items": {"pattern": SECTION_ID_PATTERN}},
    )
    when: str | None = Field(
        default=None,
        description="Skip condition over earlier answers, e.g. `org.cio == true and skills.trained_share >= 50`. "
        "The question is asked only when it holds.",
    )
    na_allowed: bool = Field(default=False, description="Whether the answer N/A (not applicable) is allowed.")
    targets: Targets | None = Field(default=None, description="Per-tier targets overriding the domain's.")


class ScaleQuestion(QuestionBase):
    """A maturity question answered with a level 0–5 of a named scale."""

    type: Literal["scale"] = Field(description="Answer type: a maturity level 0–5 of a named scale.")
    scale: str = Field(pattern=ID_PATTERN, description="Name of a scale declared under `scales`.")
    levels: dict[Level, LevelOverride] = Field(
        default_factory=dict,
        description="Per-question level descriptions overriding the scale's, keyed by level 0–5.",
        json_schema_extra={"propertyNames": {"pattern": "^[0-5]$"}},
    )


class NumericQuestion(QuestionBase):
    """A number (PC age, bandwidth, share of staff) mapped to a level by thresholds."""

    type: Literal["numeric"] = Field(description="Answer type: a number mapped to a level by thresholds.")
    unit: Text = Field(description="Unit shown after the number, e.g. {ja: 年, en: years}.")
    min: float = Field(description="Smallest accepted value.")
    max: float = Field(description="Largest accepted value.")
    integer: bool = Field(default=False, description="Whether only whole numbers are accepted.")
    direction: Literal["higher", "lower"] = Field(
        default="higher", description="`higher` if a larger value is better, `lower` if smaller is better."
    )
    thresholds: list[float] = Field(
        min_length=5,
        max_length=5,
        description="Values at which levels 1..5 are reached: ascending for `higher` (value >= t), "
        "descending for `lower` (value <= t). Below the first threshold the level is 0.",
    )


class ChoiceOption(Strict):
    key: str = Field(pattern=ID_PATTERN, description="Stable key stored in answer files.")
    label: Text = Field(description="The option as shown to the officer.")
    level: Level = Field(description="The maturity level this option stands for.")


class ChoiceQuestion(QuestionBase):
    """A single choice among options, each carrying a level."""

    type: Literal["choice"] = Field(description="Answer type: one option among several, each with a level.")
    options: list[ChoiceOption] = Field(min_length=2, description="The options, in the order shown.")


class YesNoQuestion(QuestionBase):
    """A yes/no question; yes and no each carry a level."""

    type: Literal["yesno"] = Field(description="Answer type: yes or no.")
    yes_level: Level = Field(default=5, description="Level of the answer yes.")
    no_level: Level = Field(default=0, description="Level of the answer no.")
    yes_description: Text | None = Field(default=None, description="What `yes` means; the next step when no.")


Question = Annotated[
    Union[ScaleQuestion, NumericQuestion, ChoiceQuestion, YesNoQuestion],
    Field(discriminator="type"),
]


class Domain(Strict):
    id: str = Field(pattern=ID_PATTERN, description="Stable domain id, e.g. `leadership`.")
    title: Text = Field(description="Title of the domain.")
    description: Text | None = Field(default=None, description="What the domain covers.")
    weight: float = Field(
        default=1.0,
        description="Weight in the overall score; must be > 0.",
        json_schema_extra={"exclusiveMinimum": 0},
    )
    targets: Targets = Field(description="Target level of the domain for each size tier.")
    questions: list[Question] = Field(min_length=1, description="The questions, in the order asked.")


class Questionnaire(Strict):
    """A maturity questionnaire: the top-level mapping of a questionnaire file."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description="Stable questionnaire id, e.g. `municipal-dx`.")
    version: str = Field(pattern=VERSION_PATTERN, description='Semantic version, quoted: "1.0.0".')
    languages: list[Literal["ja", "en"]] = Field(min_length=1, description="Languages every text carries.")
    title: Text = Field(description="Title of the questionnaire.")
    description: Text | None = Field(default=None, description="What the questionnaire assesses and for whom.")
    catalogue: str = Field(description="Id of the manual catalogue the `manual` references resolve in.")
    targets_basis: Text | None = Field(default=None, description="How the per-tier targets were derived.")
    scales: dict[str, Scale] = Field(default_factory=dict, description="Reusable named maturity scales.")
    domains: list[Domain] = Field(min_length=1, description="The domains, in the order asked.")

    def questions(self) -> list[QuestionBase]:
        return list(self._questions)

    def question_map(self) -> dict[str, QuestionBase]:
        """Question id → question (computed once; do not modify)."""
        return self._question_map

    @cached_property
    def _questions(self) -> tuple[QuestionBase, ...]:
        return tuple(q for d in self.domains for q in d.questions)

    @cached_property
    def _question_map(self) -> dict[str, QuestionBase]:
        return {q.id: q for q in self._questions}

    def domain_of(self, question_id: str) -> Domain:
        for d in self.domains:
            for q in d.questions:
                if q.id == question_id:
                    return d
        raise KeyError(question_id)
