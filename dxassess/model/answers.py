"""Pydantic types of an answer file: one municipality's assessment."""

from __future__ import annotations

import datetime as dt

from pydantic import ConfigDict, Field, model_validator

from dxassess.model.questionnaire import VERSION_PATTERN, Strict


class QuestionnaireRef(Strict):
    id: str = Field(description="Id of the questionnaire answered.")
    version: str = Field(pattern=VERSION_PATTERN, description="Its version, quoted.")


class Municipality(Strict):
    code: str = Field(pattern=r"^[0-9]{6}$", description="全国地方公共団体コード: six digits with check digit, quoted.")
    name: str = Field(min_length=1, description="Name of the municipality, e.g. 札幌市.")
    prefecture: str | None = Field(default=None, description="Prefecture; derived from the code when absent.")
    population: int = Field(ge=1, description="Population (at least 1).")


Value = bool | int | float | str


class Answer(Strict):
    """One answer: a value, or N/A, or skipped; with an optional note and review flag."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "oneOf": [
                {"required": ["value"]},
                {"required": ["na"], "properties": {"na": {"const": True, "description": "N/A."}}},
                {"required": ["skipped"], "properties": {"skipped": {"const": True, "description": "Skipped."}}},
            ]
        },
    )

    value: Value | None = Field(
        default=None,
        description="Level 0–5 (scale), number (numeric), option key (choice), true/false (yesno).",
    )
    na: bool = Field(default=False, description="Not applicable (only where the question allows it).")
    skipped: bool = Field(default=False, description="The officer skipped the question.")
    note: str | None = Field(default=None, description="Note or evidence for the answer.")
    review: bool = Field(default=False, description="Marked for review.")

    @model_validator(mode="after")
    def _one_state(self) -> Answer:
        states = (self.value is not None) + self.na + self.skipped
        if states != 1:
            raise ValueError("an answer needs exactly one of `value`, `na: true` or `skipped: true`")
        return self

    @property
    def has_value(self) -> bool:
        return self.value is not None


class AnswerSheet(Strict):
    """An answer file: the top-level mapping."""

    questionnaire: QuestionnaireRef
    municipality: Municipality
    assessed: dt.date = Field(description="Date of the assessment (YYYY-MM-DD).")
    answers: dict[str, Answer] = Field(default_factory=dict, description="Question id → answer.")
