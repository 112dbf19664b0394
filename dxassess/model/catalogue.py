"""Pydantic types of the manual catalogue: the sections of the national DX manual and plan."""

from __future__ import annotations

from functools import cached_property

from pydantic import Field

from dxassess.model.questionnaire import SECTION_ID_PATTERN, Strict, Text


class ManualSection(Strict):
    """One section of a national document, cited by questions and reports by its id."""

    id: str = Field(pattern=SECTION_ID_PATTERN, description="Section id, e.g. `S2.1` (ours, not official).")
    title: Text = Field(description="Title of the section.")
    document: Text = Field(description="The official document the section belongs to.")
    edition: str = Field(description="Edition or date of the document the section was checked against.")
    url: str = Field(pattern=r"^https://", description="Official URL of the document.")
    pages: str | None = Field(default=None, description="Pages in that edition, where known, e.g. `p.5-8`.")
    summary: Text = Field(description="What the section says, in the catalogue authors' own words.")
    actions: list[Text] = Field(
        default_factory=list, description="What the manual asks a municipality to do; cited as next actions."
    )
    unconfirmed: bool = Field(
        default=False, description="True where a fact in this entry could not be confirmed against the source."
    )
    assessed: bool = Field(default=True, description="False for a section that no question assesses on purpose.")


class Catalogue(Strict):
    """A manual catalogue file: the top-level mapping."""

    catalogue: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description="Stable catalogue id, e.g. `dx-manual`.")
    version: str = Field(description="Version of this catalogue file.")
    languages: list[str] = Field(min_length=1, description="Languages every text carries.")
    title: Text = Field(description="Title of the catalogue.")
    sections: list[ManualSection] = Field(min_length=1, description="The sections, in the manual's order.")

    def section_map(self) -> dict[str, ManualSection]:
        """Section id → section (computed once; do not modify)."""
        return self._section_map

    def section_order(self) -> dict[str, int]:
        """Section id → its position in the manual (computed once; do not modify)."""
        return self._section_order

    @cached_property
    def _section_map(self) -> dict[str, ManualSection]:
        return {s.id: s for s in self.sections}

    @cached_property
    def _section_order(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.sections)}
