"""Pydantic types of a questionnaire file: domains, questions, scales, targets."""

from __future__ import annotations

import datetime as dt
import math
from enum import Enum
from functools import cached_property
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from dxassess.model.size import BAND_TIER, Band

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
# Numbers a questionnaire may set (bounds, thresholds): far beyond any real figure, small enough
# that every computation on them stays exact and finite.
Bound = Annotated[float, Field(ge=-1e12, le=1e12, allow_inf_nan=False, strict=True)]
REF_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"


class Strict(BaseModel):
    """Base of every file model: unknown keys are errors, so a typo never passes silently; and a
    value must have the type the JSON Schema says, so `dxassess validate` and an editor agree:
    no number or true/false given as text (`max: "100"`, `na: "yes"`). Dates (`Date`) and
    department names (`OwnerName`) are the two values that come as text and are converted."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Owner(str, Enum):
    """The department that usually owns a question's evidence and the actions to close its gap."""

    dx = "dx"  # DX推進・情報政策担当課
    personnel = "personnel"  # 人事担当課
    finance = "finance"  # 財政・契約担当課
    general_affairs = "general_affairs"  # 総務担当課
    departments = "departments"  # 窓口・各課
    executive = "executive"  # 首長・幹部


# Text that the models convert (everything else is taken strictly as written): a date, quoted or
# not (YAML reads an unquoted 2026-11-27 as a date), and a department name.
Date = Annotated[dt.date, Field(strict=False)]
OwnerName = Annotated[Owner, Field(strict=False)]


class Targets(Strict):
    """Target level per size tier, and optionally per size band within a tier (a band without its
    own target takes its tier's). Every band must end up with a target (DX216 otherwise)."""

    designated_city: TargetLevel | None = Field(default=None, description="政令指定都市 / designated city")
    core_city: TargetLevel | None = Field(default=None, description="中核市 / core city")
    city: TargetLevel | None = Field(default=None, description="その他の市 / other city (every band below)")
    special_ward: TargetLevel | None = Field(default=None, description="特別区 / special ward of Tokyo")
    town_village: TargetLevel | None = Field(default=None, description="町村 / town or village (every band below)")
    city_100k_plus: TargetLevel | None = Field(default=None, description="一般市 人口10万人以上 / other city, 100,000+")
    city_50k_100k: TargetLevel | None = Field(
        default=None, description="一般市 人口5万〜10万人 / other city, 50,000–99,999"
    )
    city_under_50k: TargetLevel | None = Field(
        default=None, description="一般市 人口5万人未満 / other city, under 50,000"
    )
    town_village_20k_plus: TargetLevel | None = Field(
        default=None, description="町村 人口2万人以上 / town or village, 20,000+"
    )
    town_village_5k_20k: TargetLevel | None = Field(
        default=None, description="町村 人口5千〜2万人 / town or village, 5,000–19,999"
    )
    town_village_under_5k: TargetLevel | None = Field(
        default=None, description="町村 人口5千人未満 / town or village, under 5,000"
    )

    def for_band(self, band: Band) -> float | None:
        """The target of a band: its own, else its tier's (None when neither is given)."""
        own = getattr(self, band.value)
        if own is None:
            own = getattr(self, BAND_TIER[band].value)
        return None if own is None else float(own)


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


class Step(Strict):
    """The action that brings a question to one level: an instruction to the municipality (what to
    do, by whom), with what it takes. The gap report's next step for that level."""

    text: Text = Field(description="The action, written as an instruction (what to do, by whom).")
    owner: OwnerName | None = Field(
        default=None, description="Department that usually owns it (default: the question's)."
    )
    needs_budget: bool = Field(default=False, description="Whether it needs money in a budget (当初予算 or 補正予算).")
    months: int = Field(ge=1, le=60, description="Roughly how many months it takes.")
    support: list[str] = Field(
        default_factory=list,
        description="Ids of support schemes in the catalogue that can fund or help it.",
        json_schema_extra={"items": {"pattern": REF_PATTERN}},
    )


class Deadline(Strict):
    """A legal or national deadline for the question's target (e.g. standardisation by FY2025)."""

    date: Date = Field(description="The deadline (YYYY-MM-DD), e.g. the end of a fiscal year.")
    basis: Text = Field(description="Where the deadline comes from (the law or plan, with its year).")
    overdue: Text | None = Field(default=None, description="What to do once the deadline has passed.")


class QuestionBase(Strict):
    id: str = Field(pattern=QUESTION_ID_PATTERN, description="Stable id `domain.name`, unique in the file.")
    text: Text = Field(description="The question as shown to the officer.")
    help: Text | None = Field(default=None, description="What counts as evidence; shown on `?`.")
    weight: float = Field(
        default=1.0,
        description="Weight within its domain; must be > 0.",
        le=1000,
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
    owner: OwnerName | None = Field(default=None, description="Department that usually holds the evidence and acts.")
    steps: dict[Level, Step] = Field(
        default_factory=dict,
        description="The action that reaches each level, keyed by level 1–5; the next step of a gap.",
        json_schema_extra={"propertyNames": {"pattern": "^[0-5]$"}},
    )
    actions: list[str] = Field(
        default_factory=list,
        description="Ids of the catalogue actions this question relies on (shown with its gap).",
        json_schema_extra={"items": {"pattern": REF_PATTERN}},
    )
    national: list[str] = Field(
        default_factory=list,
        description="Ids of national figures in the catalogue that match this question.",
        json_schema_extra={"items": {"pattern": REF_PATTERN}},
    )
    after: list[str] = Field(
        default_factory=list,
        description="Question ids whose gaps must be closed first (a policy before the plan that implements it).",
        json_schema_extra={"items": {"pattern": QUESTION_ID_PATTERN}},
    )
    deadline: Deadline | None = Field(default=None, description="A legal or national deadline for the target.")

    # -- behaviour: what an answer may be and what level it stands for ------------------------

    def problem(self, value: Any) -> Any:
        """Why `value` is not an answer to this question (a Msg), or None when it is one."""
        raise NotImplementedError

    def accepts(self, value: Any) -> bool:
        return self.problem(value) is None

    def level_of(self, value: Any) -> float:
        """The level 0–5 of an accepted value."""
        raise NotImplementedError

    def answer_levels(self) -> tuple[int, ...]:
        """Every level an answer can have, ascending."""
        return (0, 1, 2, 3, 4, 5)

    def next_level(self, level: float) -> int | None:
        """The first level an answer can reach above `level`, or None at the top."""
        return next((lv for lv in self.answer_levels() if lv > level + 1e-9), None)

    def step_for(self, level: int) -> Step | None:
        """The action that reaches `level`: the step written for it, else for the nearest level
        above (whose action passes through it)."""
        found = [lv for lv in self.steps if lv >= level]
        return self.steps[min(found)] if found else None

    def target_for(self, domain_targets: Targets, band: Band) -> float:
        """This question's target for a band: its own where set, else its domain's (0 when
        neither sets one), but never above the highest level an answer can have: a yes/no
        question whose yes is level 3 is met by yes even where its domain aims at 4."""
        value = self.targets.for_band(band) if self.targets is not None else None
        if value is None:
            value = domain_targets.for_band(band)
        return min(0.0 if value is None else value, float(self.answer_levels()[-1]))


class _Shown:
    """A number for a message's `{value:g}`: an int too large for a float (10**400) is shown by
    its order of magnitude instead of failing to format."""

    def __init__(self, value: int | float) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        if isinstance(self.value, int) and self.value.bit_length() > 1000:
            sign = "-" if self.value < 0 else ""
            return f"{sign}~1e+{int(self.value.bit_length() * 0.30103)}"
        return format(self.value, spec)


def _is_number(value: Any) -> bool:
    """A finite number (an int of any size is finite: `math.isfinite` would overflow on 10**400)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) or math.isfinite(value)


class ScaleQuestion(QuestionBase):
    """A maturity question answered with a level 0–5 of a named scale."""

    type: Literal["scale"] = Field(description="Answer type: a maturity level 0–5 of a named scale.")
    scale: str = Field(pattern=ID_PATTERN, description="Name of a scale declared under `scales`.")
    levels: dict[Level, LevelOverride] = Field(
        default_factory=dict,
        description="Per-question level descriptions overriding the scale's, keyed by level 0–5.",
        json_schema_extra={"propertyNames": {"pattern": "^[0-5]$"}},
    )

    def problem(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
            from dxassess.text import msg  # here, not per answer checked

            return msg("check.value_level", qid=self.id, value=value)
        return None

    def level_of(self, value: Any) -> float:
        return float(value)


class NumericQuestion(QuestionBase):
    """A number (PC age, bandwidth, share of staff) mapped to a level by thresholds."""

    type: Literal["numeric"] = Field(description="Answer type: a number mapped to a level by thresholds.")
    unit: Text = Field(description="Unit shown after the number, e.g. {ja: 年, en: years}.")
    min: Bound = Field(description="Smallest accepted value.")
    max: Bound = Field(description="Largest accepted value.")
    integer: bool = Field(default=False, description="Whether only whole numbers are accepted.")
    direction: Literal["higher", "lower"] = Field(
        default="higher", description="`higher` if a larger value is better, `lower` if smaller is better."
    )
    thresholds: list[Bound] = Field(
        min_length=5,
        max_length=5,
        description="Values at which levels 1..5 are reached: ascending for `higher` (value >= t), "
        "descending for `lower` (value <= t). Below the first threshold the level is 0.",
    )

    def problem(self, value: Any) -> Any:
        if _is_number(value) and self.min <= value <= self.max and (not self.integer or value == int(value)):
            return None
        from dxassess.text import msg  # here, not per answer checked

        if not _is_number(value):
            return msg("check.value_number", qid=self.id, value=value)
        if not self.min <= value <= self.max:
            return msg("check.value_range", qid=self.id, min=self.min, max=self.max, value=_Shown(value))
        return msg("check.value_whole", qid=self.id, value=value)

    def level_of(self, value: Any) -> float:
        level = 0
        for i, threshold in enumerate(self.thresholds, start=1):
            if (value >= threshold) if self.direction == "higher" else (value <= threshold):
                level = i
        return float(level)

    @property
    def percentage(self) -> bool:
        """Whether the number is a percentage (its unit is `%` or `％`): spreadsheets then hold it
        as 45% or 0.45 where 45 is meant."""
        return any(unit.strip() in ("%", "％") for unit in self.unit.values())

    def looks_like_share(self, value: float) -> bool:
        """Whether `value` in a 0–100 percentage looks like a share typed as 0–1 (0.45 where 45%
        is meant). Narrower or signed ranges (IT staff 0–20%, a change of -100–1000%) are left
        alone: small values are real there."""
        return self.percentage and self.min >= 0 and self.max >= 100 and 0 < value <= 1

    def threshold_for(self, level: int) -> float:
        """The value at which `level` (1–5) is reached."""
        return self.thresholds[max(1, min(level, 5)) - 1]


class ChoiceOption(Strict):
    key: str = Field(pattern=ID_PATTERN, description="Stable key stored in answer files.")
    label: Text = Field(description="The option as shown to the officer.")
    level: Level = Field(description="The maturity level this option stands for.")


class ChoiceQuestion(QuestionBase):
    """A single choice among options, each carrying a level."""

    type: Literal["choice"] = Field(description="Answer type: one option among several, each with a level.")
    options: list[ChoiceOption] = Field(min_length=2, description="The options, in the order shown.")

    def problem(self, value: Any) -> Any:
        if not isinstance(value, str) or value not in self._levels:
            from dxassess.text import msg  # here, not per answer checked

            keys = ", ".join(o.key for o in self.options)
            return msg("check.value_choice", qid=self.id, keys=keys, value=value)
        return None

    def level_of(self, value: Any) -> float:
        return self._levels[value]

    @cached_property
    def _levels(self) -> dict[str, float]:
        """Option key → its level, in the options' order (computed once; do not modify)."""
        return {o.key: float(o.level) for o in self.options}

    def answer_levels(self) -> tuple[int, ...]:
        return tuple(sorted({o.level for o in self.options}))

    def option(self, key: str) -> ChoiceOption | None:
        return next((o for o in self.options if o.key == key), None)


class YesNoQuestion(QuestionBase):
    """A yes/no question; yes and no each carry a level."""

    type: Literal["yesno"] = Field(description="Answer type: yes or no.")
    yes_level: Level = Field(default=5, description="Level of the answer yes.")
    no_level: Level = Field(default=0, description="Level of the answer no.")
    yes_description: Text | None = Field(default=None, description="What `yes` means, in the question's terms.")

    def problem(self, value: Any) -> Any:
        if not isinstance(value, bool):
            from dxassess.text import msg  # here, not per answer checked

            return msg("check.value_yesno", qid=self.id, value=value)
        return None

    def level_of(self, value: Any) -> float:
        return float(self.yes_level if value else self.no_level)

    def answer_levels(self) -> tuple[int, ...]:
        return tuple(sorted({self.yes_level, self.no_level}))


Question = Annotated[
    Union[ScaleQuestion, NumericQuestion, ChoiceQuestion, YesNoQuestion],
    Field(discriminator="type"),
]


class QuestionMove(Strict):
    """What became of one question of the previous version."""

    to: list[str] = Field(
        default_factory=list,
        description="The question id(s) that take its answer: the same id when kept, another when renamed, "
        "several when split, shared by several old ids when merged.",
        json_schema_extra={"items": {"pattern": QUESTION_ID_PATTERN}},
    )
    removed: bool = Field(default=False, description="The question was dropped; its answer is not carried over.")
    changed: bool = Field(
        default=False,
        description="Its meaning changed: the carried answer is offered as the default but asked again, "
        "and `compare` does not compare it.",
    )
    values: dict[str, bool | int | float | str] = Field(
        default_factory=dict,
        description="Old answer value (as text: `true`, `3`, `slogan`) → the new value, where the answer type "
        "or the options changed.",
    )
    reason: Text | None = Field(default=None, description="Why it moved (shown when an answer is re-asked).")


class Migration(Strict):
    """How the answers of the previous version map onto this one. Every question of the previous
    version must be listed (DX220 otherwise); questions of this version that no entry reaches are new."""

    previous: str = Field(pattern=VERSION_PATTERN, description='The previous version, quoted: "1.0.0".')
    questions: dict[str, QuestionMove] = Field(description="Question id of the previous version → what became of it.")


class Domain(Strict):
    id: str = Field(pattern=ID_PATTERN, description="Stable domain id, e.g. `leadership`.")
    title: Text = Field(description="Title of the domain.")
    description: Text | None = Field(default=None, description="What the domain covers.")
    weight: float = Field(
        default=1.0,
        description="Weight in the overall score; must be > 0.",
        le=1000,
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
    migration: Migration | None = Field(
        default=None, description="How answers to the previous version carry over to this one."
    )

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
