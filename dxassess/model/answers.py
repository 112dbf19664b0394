"""Pydantic types of an answer file: one municipality's assessment."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from dxassess.model.questionnaire import ID_PATTERN, VERSION_PATTERN, Date, OwnerName, Strict

MAX_POPULATION = 10_000_000  # the largest municipality has under 4 million people
MAX_NOTE = 2000  # characters of a note: a paragraph, not a document


class QuestionnaireRef(Strict):
    id: str = Field(description="Id of the questionnaire answered.")
    version: str = Field(pattern=VERSION_PATTERN, description="Its version, quoted.")


class Municipality(Strict):
    code: str = Field(pattern=r"^[0-9]{6}$", description="全国地方公共団体コード: six digits with check digit, quoted.")
    name: str = Field(min_length=1, max_length=100, description="Name of the municipality, e.g. 札幌市.")
    prefecture: str | None = Field(default=None, description="Prefecture; derived from the code when absent.")
    population: int = Field(
        ge=1, le=MAX_POPULATION, strict=True, description="Population (a whole number of at least 1)."
    )
    kind: Literal["designated_city", "core_city", "city", "special_ward", "town", "village"] | None = Field(
        default=None,
        description="Legal status, for synthetic data only: a code in the register takes the register's kind.",
    )


Value = bool | int | float | str


class Evidence(Strict):
    """The document an answer rests on, and how long it holds."""

    document: str | None = Field(
        default=None, max_length=300, description="Name of the document, e.g. 令和7年度研修実施報告."
    )
    link: str | None = Field(default=None, max_length=1000, description="Where it is kept: a URL or a file path.")
    owner: str | None = Field(default=None, max_length=100, description="The department that keeps it.")
    expires: Date | None = Field(
        default=None, description="When it stops being valid (a policy revised yearly, a figure for one year)."
    )


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
    note: str | None = Field(default=None, max_length=MAX_NOTE, description="Note or evidence for the answer.")
    review: bool = Field(default=False, description="Marked for review.")
    public_note: str | None = Field(
        default=None,
        max_length=MAX_NOTE,
        description="What the municipality did to get there, for peers; shown to others only with `sharing`.",
    )
    answered_by: str | None = Field(
        default=None, max_length=100, description="Who answered: a department or a role, e.g. 人事課."
    )
    answered_on: Date | None = Field(default=None, description="When it was answered (YYYY-MM-DD).")
    evidence: Evidence | None = Field(default=None, description="The document the answer rests on.")

    @model_validator(mode="after")
    def _one_state(self) -> Answer:
        states = (self.value is not None) + self.na + self.skipped
        if states != 1:
            raise ValueError("an answer needs exactly one of `value`, `na: true` or `skipped: true`")
        return self


class Sharing(Strict):
    """Consent to be named as an example to peers of the same size, with a department contact."""

    named: bool = Field(description="True: the municipality may be named to its peers with its public notes.")
    contact: str | None = Field(
        default=None,
        max_length=200,
        description="The department to contact, optionally with its public e-mail or phone (never a person's).",
    )


class Part(Strict):
    """Which part of a team assessment this file holds, and who answered it."""

    name: str = Field(min_length=1, max_length=100, description="Name of the part, e.g. 人事 or infrastructure.")
    domains: list[str] = Field(
        default_factory=list,
        description="The domains handed out in this part.",
        json_schema_extra={"items": {"pattern": ID_PATTERN}},
    )
    owners: list[OwnerName] = Field(
        default_factory=list, description="The departments whose questions this part holds."
    )
    respondent: str | None = Field(default=None, max_length=100, description="Who answered the part.")


class Migrated(Strict):
    """Where the answers came from when the file was moved to a newer questionnaire version."""

    previous: str = Field(pattern=VERSION_PATTERN, description="The version the answers were first given for.")
    ask_again: list[str] = Field(
        default_factory=list,
        description="Questions whose meaning changed: their carried answer is the default, and `run` asks them again.",
    )
    dropped: dict[str, Answer] = Field(
        default_factory=dict, description="Answers to questions the newer version removed, kept for the record."
    )


class AnswerSheet(Strict):
    """An answer file: the top-level mapping."""

    questionnaire: QuestionnaireRef
    municipality: Municipality
    assessed: Date = Field(description="Date of the assessment (YYYY-MM-DD).")
    answers: dict[str, Answer] = Field(default_factory=dict, description="Question id → answer.")
    sharing: Sharing | None = Field(default=None, description="Consent to be named to peers, with a contact.")
    part: Part | None = Field(default=None, description="The part of a team assessment this file holds.")
    conflicts: dict[str, dict[str, Answer]] = Field(
        default_factory=dict,
        description="Question id → part name → answer: questions the merged parts answered differently. "
        "The file is not scored while any is left (DX501): decide, write the answer under `answers`, "
        "and delete the entry (or merge again with `--prefer`).",
    )
    synthetic: bool = Field(
        default=False, description="True for made-up data (`dxassess sample`): its code belongs to no municipality."
    )
    migrated: Migrated | None = Field(
        default=None, description="Set by `dxassess migrate` (and `run`) when answers moved to a newer version."
    )
