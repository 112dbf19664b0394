"""Pydantic types of the manual catalogue: the national documents the questionnaires cite, their
sections with the actions a municipality can take, support schemes and national figures."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated

from pydantic import Field

from dxassess.model.questionnaire import REF_PATTERN, SECTION_ID_PATTERN, OwnerName, Strict, Text


class Document(Strict):
    """One edition of an official document, cited by its sections."""

    id: str = Field(pattern=REF_PATTERN, description="Catalogue id of this edition, e.g. `plan-2.3`.")
    title: Text = Field(description="Official title of the document.")
    edition: Text = Field(description="The edition, as people cite it, e.g. {ja: 第2.3版, en: edition 2.3}.")
    date: str = Field(
        pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$", description="Publication date: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    url: str = Field(pattern=r"^https://", description="Official URL of this edition (or of the ministry's index).")
    unconfirmed: bool = Field(default=False, description="True where the edition or date could not be confirmed.")


class Action(Strict):
    """One thing the document asks a municipality to do, with what it takes."""

    id: str = Field(pattern=REF_PATTERN, description="Stable action id, cited by questions, e.g. `org.appoint_cio`.")
    text: Text = Field(description="The action, as an instruction to the municipality (paraphrased).")
    owner: OwnerName = Field(description="Department that usually owns it.")
    needs_budget: bool = Field(default=False, description="Whether it needs money in a budget.")
    months: int = Field(ge=1, le=60, description="Roughly how many months it takes.")
    support: list[str] = Field(
        default_factory=list,
        description="Ids of support schemes that can fund or help it.",
        json_schema_extra={"items": {"pattern": REF_PATTERN}},
    )


class OtherEdition(Strict):
    """Where the same section sits in another edition of its document."""

    document: str = Field(pattern=REF_PATTERN, description="Id of the other edition under `documents`.")
    number: str | None = Field(default=None, description="Section number there, e.g. `3.1(7)`.")
    pages: str | None = Field(default=None, description="Pages there, where known.")
    unconfirmed: bool = Field(default=False, description="True where the placement could not be confirmed.")


class ManualSection(Strict):
    """One section of a national document, cited by questions and reports by its id."""

    id: str = Field(pattern=SECTION_ID_PATTERN, description="Section id, e.g. `S2.1` (ours, not official).")
    title: Text = Field(description="Heading of the section.")
    document: str | Text = Field(
        description="Id of the edition under `documents` (or, in a catalogue without `documents`, "
        "the document's title as a text)."
    )
    number: str | None = Field(default=None, description="The section's own number in the document, e.g. `3.1(7)`.")
    edition: str | None = Field(
        default=None, description="Edition checked against, for a section whose `document` is a title."
    )
    url: str | None = Field(
        default=None, pattern=r"^https://", description="Official URL (default: the edition's own URL)."
    )
    pages: str | None = Field(default=None, description="Pages in that edition, where known, e.g. `p.5-8`.")
    summary: Text = Field(description="What the section says, in the catalogue authors' own words.")
    actions: list[Action | Text] = Field(
        default_factory=list, description="What the section asks a municipality to do, each with an id."
    )
    also: list[OtherEdition] = Field(
        default_factory=list, description="Where the section sits in other editions of its document."
    )
    unconfirmed: bool = Field(
        default=False, description="True where a fact in this entry could not be confirmed against the source."
    )
    assessed: bool = Field(default=True, description="False for a section that no question assesses on purpose.")


class Scheme(Strict):
    """A national or prefectural support scheme an action may use."""

    id: str = Field(pattern=REF_PATTERN, description="Stable scheme id, cited by actions and steps.")
    name: Text = Field(description="The scheme's official name.")
    by: Text = Field(description="Who runs it, e.g. {ja: 総務省, en: MIC}.")
    summary: Text = Field(description="What it offers a municipality, in the catalogue authors' own words.")
    year: str = Field(description="The fiscal year or date the facts were checked for, e.g. `FY2025`.")
    url: str | None = Field(default=None, pattern=r"^https://", description="Official page, where known.")
    unconfirmed: bool = Field(default=False, description="True where the name, terms or year could not be confirmed.")


MAX_COUNT = 100_000  # far above the 1,788 local governments of Japan: a count is never larger
Share = Annotated[float, Field(ge=0, le=1)]


class Figure(Strict):
    """A published national figure a question can be compared with."""

    id: str = Field(pattern=REF_PATTERN, description="Stable figure id, cited by questions (`national`).")
    what: Text = Field(description="What is counted, e.g. {ja: CIOを任命している市区町村, en: ...}.")
    share: float | None = Field(default=None, ge=0, le=1, description="The share of municipalities, 0–1.")
    count: int | None = Field(default=None, ge=0, le=MAX_COUNT, description="The number of municipalities.")
    total: int | None = Field(default=None, ge=1, le=MAX_COUNT, description="Out of how many.")
    by_size: dict[str, Share] = Field(
        default_factory=dict,
        description="Shares (0–1) by size tier or band where published, keyed by tier or band id.",
    )
    year: Text = Field(description="The survey year, e.g. {ja: 令和5年度, en: FY2023}.")
    source: Text = Field(description="The survey and who publishes it.")
    url: str | None = Field(default=None, pattern=r"^https://", description="Where the figure is published.")
    unconfirmed: bool = Field(default=False, description="True where the figure could not be confirmed.")


class Catalogue(Strict):
    """A manual catalogue file: the top-level mapping."""

    catalogue: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description="Stable catalogue id, e.g. `dx-manual`.")
    version: str = Field(description="Version of this catalogue file.")
    languages: list[str] = Field(min_length=1, description="Languages every text carries.")
    title: Text = Field(description="Title of the catalogue.")
    documents: list[Document] = Field(default_factory=list, description="The editions the sections cite.")
    sections: list[ManualSection] = Field(min_length=1, description="The sections, in the manual's order.")
    schemes: list[Scheme] = Field(default_factory=list, description="Support schemes actions may cite.")
    figures: list[Figure] = Field(default_factory=list, description="National figures questions may cite.")

    def section_map(self) -> dict[str, ManualSection]:
        """Section id → section (computed once; do not modify)."""
        return self._section_map

    def section_order(self) -> dict[str, int]:
        """Section id → its position in the manual (computed once; do not modify)."""
        return self._section_order

    def document_map(self) -> dict[str, Document]:
        return self._documents

    def action_map(self) -> dict[str, Action]:
        """Action id → action, over every section."""
        return self._actions

    def scheme_map(self) -> dict[str, Scheme]:
        return self._schemes

    def figure_map(self) -> dict[str, Figure]:
        return self._figures

    @cached_property
    def _section_map(self) -> dict[str, ManualSection]:
        return {s.id: s for s in self.sections}

    @cached_property
    def _section_order(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.sections)}

    @cached_property
    def _documents(self) -> dict[str, Document]:
        return {d.id: d for d in self.documents}

    @cached_property
    def _actions(self) -> dict[str, Action]:
        return {a.id: a for s in self.sections for a in s.actions if isinstance(a, Action)}

    @cached_property
    def _schemes(self) -> dict[str, Scheme]:
        return {s.id: s for s in self.schemes}

    @cached_property
    def _figures(self) -> dict[str, Figure]:
        return {f.id: f for f in self.figures}
