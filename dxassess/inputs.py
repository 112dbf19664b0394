"""Input files, checked: every problem of a file (what `validate` prints), or a checked answer file
with the questionnaire and catalogue it is scored against (what every other command needs).

Reading is `load`'s job, finding questionnaires the resolver's, the rules the checker's; this
module puts them together for one file of any kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dxassess import checker
from dxassess.errors import InvalidFile
from dxassess.load import Document, LoadFailure, read_document
from dxassess.model import AnswerSheet, Catalogue, Questionnaire
from dxassess.problems import Problem
from dxassess.resolver import RESOLVER, Resolver


@dataclass(frozen=True)
class Assessment:
    """One checked answer file with the questionnaire and catalogue it is scored against."""

    path: str
    sheet: AnswerSheet
    questionnaire: Questionnaire
    catalogue: Catalogue | None
    doc: Document | None = None
    warnings: tuple[Problem, ...] = ()  # what validate would warn about (a name that does not match its code)


def _answers(
    doc: Document, search: Path | None, resolver: Resolver
) -> tuple[AnswerSheet | None, Questionnaire | None, Catalogue | None, list[Problem]]:
    model, problems = checker.model_of(doc, "answers")
    if model is None:
        return None, None, None, problems
    try:
        source = resolver.for_answers(model.questionnaire, search, Path(doc.path).parent)
    except InvalidFile as exc:
        return model, None, None, [checker.questionnaire_invalid(doc, exc)]
    questionnaire = source.questionnaire if source else None
    catalogue = source.catalogue if source else None
    return model, questionnaire, catalogue, checker.check_answers(doc, model, questionnaire)


def check_document(doc: Document, search: Path | None = None, resolver: Resolver = RESOLVER) -> list[Problem]:
    """Every problem of one parsed file, whatever its kind."""
    try:
        kind = checker.detect_kind(doc)
    except LoadFailure as exc:
        return [exc.problem]
    if kind == "questionnaire":
        return resolver.check_questionnaire_document(doc)[1]
    if kind == "answers":
        return _answers(doc, search, resolver)[3]
    model, problems = checker.model_of(doc, "catalogue")
    return problems if model is None else checker.check_catalogue(doc, model)


def check_file(path: Path | str, search: Path | None = None, resolver: Resolver = RESOLVER) -> list[Problem]:
    """Every problem of one file (for `validate`)."""
    try:
        doc = read_document(path)
    except LoadFailure as exc:
        return [exc.problem]
    return check_document(doc, search, resolver)


def assessment_from_document(
    doc: Document, search: Path | None = None, resolver: Resolver = RESOLVER, ignore: frozenset[str] = frozenset()
) -> Assessment:
    """A parsed answer file → Assessment. Raises InvalidFile. Errors with a code in `ignore` do
    not stop it (progress reads merged files with open conflicts, DX501)."""
    kind = checker.detect_kind(doc)
    if kind != "answers":
        raise checker.not_a(doc, kind, "answers")
    sheet, questionnaire, catalogue, problems = _answers(doc, search, resolver)
    errors = [p for p in problems if p.severity == "error" and p.code not in ignore]
    if errors or sheet is None or questionnaire is None:
        raise InvalidFile(errors or problems)
    return Assessment(doc.path, sheet, questionnaire, catalogue, doc, tuple(problems))


def load_assessment(
    path: Path | str, search: Path | None = None, resolver: Resolver = RESOLVER, ignore: frozenset[str] = frozenset()
) -> Assessment:
    """An answer file → Assessment (answers, questionnaire, catalogue). Raises InvalidFile."""
    try:
        return assessment_from_document(read_document(path), search, resolver, ignore)
    except LoadFailure as exc:
        raise InvalidFile([exc.problem]) from None


def load_questionnaire(path: Path | str, resolver: Resolver = RESOLVER) -> tuple[Questionnaire, Catalogue | None]:
    """A questionnaire file → (Questionnaire, Catalogue). Raises InvalidFile."""
    source = resolver.load(path)
    return source.questionnaire, source.catalogue
