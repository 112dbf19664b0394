"""File → validated model: reading, model validation with positions, and the semantic rules.

`check_file` returns every problem of one file (for `validate`); the `load_*` functions return
models or raise InvalidFile (for every other command).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from dxassess import checks, library
from dxassess.errors import InvalidFile
from dxassess.load import Document, LoadFailure, detect_kind, parse_bytes
from dxassess.messages import Msg, msg, os_reason, pydantic_message
from dxassess.problems import Problem


@dataclass(frozen=True)
class Assessment:
    """One answer file with the questionnaire and catalogue it is scored against."""

    path: str
    sheet: Any  # AnswerSheet
    questionnaire: Any  # Questionnaire
    catalogue: Any  # Catalogue
    doc: Document | None = None


def read_document(path: Path | str) -> Document:
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError:
        raise LoadFailure(Problem(name, 0, 0, "error", "DX009", msg("read.is_folder"))) from None
    except FileNotFoundError:
        raise LoadFailure(Problem(name, 0, 0, "error", "DX009", msg("read.not_found"))) from None
    except OSError as exc:
        reason = os_reason(exc)
        raise LoadFailure(Problem(name, 0, 0, "error", "DX009", msg("read.cannot_read", reason=reason))) from None
    return parse_bytes(name, raw)


def _known_fields() -> set[str]:
    from dxassess import model

    names: set[str] = set()
    for obj in vars(model).values():
        if isinstance(obj, type) and hasattr(obj, "model_fields"):
            names.update(obj.model_fields)
    return names


_QUESTION_TYPES = {"scale", "numeric", "choice", "yesno"}


def _plain_loc(loc: Any) -> tuple:
    """A pydantic error location without the union tags and `[key]` markers pydantic inserts."""
    out: list = []
    for item in loc:
        if item == "[key]":
            continue
        if item in _QUESTION_TYPES and len(out) >= 2 and out[-2] == "questions" and isinstance(out[-1], int):
            continue
        out.append(item)
    return tuple(out)


def _schema_problems(doc: Document, exc: Any) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = _plain_loc(err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            key = loc[-1]
            line, col = doc.position(loc, key=True)
            hint = difflib.get_close_matches(str(key), _known_fields(), n=1)
            fix = msg("schema.did_you_mean", hint=hint[0]) if hint else msg("schema.remove_it")
            problems.append(Problem(doc.path, line, col, "error", "DX101", msg("schema.unknown_key", key=key, fix=fix)))
        elif kind == "missing":
            line, col = doc.position(loc[:-1])
            path = ".".join(str(x) for x in loc[:-1])
            where = Msg(path, f"{path} ") if path else msg("schema.top_level")
            problems.append(
                Problem(doc.path, line, col, "error", "DX102", msg("schema.missing_key", key=loc[-1], where=where))
            )
        elif kind == "union_tag_not_found":
            line, col = doc.position(loc)
            problems.append(
                Problem(
                    doc.path,
                    line,
                    col,
                    "error",
                    "DX102",
                    msg("schema.missing_type"),
                )
            )
        elif kind == "union_tag_invalid":
            line, col = doc.position(loc + ("type",))
            problems.append(
                Problem(
                    doc.path,
                    line,
                    col,
                    "error",
                    "DX100",
                    msg("schema.bad_type", type=err["input"].get("type")),
                )
            )
        else:
            line, col = doc.position(loc)
            field = (
                ".".join(
                    str(x)
                    for x in loc
                    if not str(x).startswith(("scale", "numeric", "choice", "yesno")) or isinstance(x, int)
                )
                or "value"
            )
            given = err.get("input")
            shown = (
                Msg("", "") if isinstance(given, (dict, list)) or given is None else msg("schema.found", given=given)
            )
            text = msg("schema.value", field=field, message=pydantic_message(err), shown=shown)
            problems.append(Problem(doc.path, line, col, "error", "DX100", text))
    return problems


def model_of(doc: Document, kind: str) -> tuple[Any, list[Problem]]:
    from pydantic import ValidationError

    from dxassess.model import AnswerSheet, Catalogue, Questionnaire

    cls = {"questionnaire": Questionnaire, "answers": AnswerSheet, "catalogue": Catalogue}[kind]
    try:
        return cls.model_validate(doc.data), []
    except ValidationError as exc:
        return None, _schema_problems(doc, exc)


@lru_cache(maxsize=32)
def _catalogue_at(path: Path) -> Any:
    doc = read_document(path)
    model, problems = model_of(doc, "catalogue")
    if problems:
        raise InvalidFile(problems)
    return model


def catalogue_for(questionnaire: Any, near: Path | None) -> Any:
    found = library.find_catalogue(questionnaire.catalogue, near)
    if found is None:
        return None
    try:
        return _catalogue_at(found.resolve())
    except (LoadFailure, InvalidFile):
        return None


def _run(rules: list, model: Any, ctx: checks.Context) -> list[Problem]:
    return [p for rule in rules for p in rule(model, ctx)]


def _check_questionnaire(doc: Document) -> tuple[Any, Any, list[Problem]]:
    model, problems = model_of(doc, "questionnaire")
    if model is None:
        return None, None, problems
    catalogue = catalogue_for(model, Path(doc.path))
    previous = None
    if model.migration is not None:
        found = library.find_questionnaire(model.id, model.migration.previous, Path(doc.path).parent)
        if found is not None:
            try:
                previous = load_questionnaire(found)[0]
            except InvalidFile:
                previous = None
    ctx = checks.Context(doc, catalogue=catalogue, previous=previous)
    return model, catalogue, _run(checks.QUESTIONNAIRE_RULES, model, ctx)


@lru_cache(maxsize=32)
def _questionnaire_at(path: Path) -> tuple[Any, Any]:
    doc = read_document(path)
    kind = detect_kind(doc)
    if kind != "questionnaire":
        raise InvalidFile([Problem(str(path), 1, 1, "error", "DX008", msg("kind.not_questionnaire", kind=kind))])
    model, catalogue, problems = _check_questionnaire(doc)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InvalidFile(errors)
    return model, catalogue


def load_questionnaire(path: Path | str) -> tuple[Any, Any]:
    """A questionnaire file → (Questionnaire, Catalogue). Raises InvalidFile."""
    try:
        return _questionnaire_at(Path(path).resolve())
    except LoadFailure as exc:
        raise InvalidFile([exc.problem]) from None


def questionnaire_for(ref: Any, search: Path | None) -> tuple[Any, Any] | None:
    found = library.find_questionnaire(ref.id, ref.version, search)
    if found is None:
        return None
    return load_questionnaire(found)


def _check_answers(doc: Document, search: Path | None) -> tuple[Assessment | None, list[Problem]]:
    model, problems = model_of(doc, "answers")
    if model is None:
        return None, problems
    pair = questionnaire_for(model.questionnaire, search) or questionnaire_for(
        model.questionnaire, Path(doc.path).parent if search is None else None
    )
    questionnaire, catalogue = pair if pair else (None, None)
    ctx = checks.Context(doc, questionnaire=questionnaire)
    problems = _run(checks.ANSWER_RULES, model, ctx)
    return Assessment(doc.path, model, questionnaire, catalogue, doc), problems


def check_document(doc: Document, search: Path | None = None) -> list[Problem]:
    """Every problem of one parsed file, whatever its kind."""
    try:
        kind = detect_kind(doc)
    except LoadFailure as exc:
        return [exc.problem]
    if kind == "questionnaire":
        return _check_questionnaire(doc)[2]
    if kind == "answers":
        try:
            return _check_answers(doc, search)[1]
        except InvalidFile as exc:
            return [
                Problem(
                    doc.path,
                    1,
                    1,
                    "error",
                    "DX301",
                    msg(
                        "answers.questionnaire_invalid",
                        first=Msg(exc.problems[0].format_text("en"), exc.problems[0].format_text("ja")),
                    ),
                )
            ]
    model, problems = model_of(doc, "catalogue")
    if model is None:
        return problems
    return _run(checks.CATALOGUE_RULES, model, checks.Context(doc))


def check_file(path: Path | str, search: Path | None = None) -> list[Problem]:
    """Every problem of one file (for `validate`)."""
    try:
        doc = read_document(path)
    except LoadFailure as exc:
        return [exc.problem]
    return check_document(doc, search)


def assessment_from_document(doc: Document, search: Path | None = None) -> Assessment:
    """A parsed answer file → Assessment. Raises InvalidFile."""
    kind = detect_kind(doc)
    if kind != "answers":
        raise InvalidFile([Problem(doc.path, 1, 1, "error", "DX008", msg("kind.not_answers", kind=kind))])
    assessment, problems = _check_answers(doc, search)
    errors = [p for p in problems if p.severity == "error"]
    if errors or assessment is None:
        raise InvalidFile(errors or problems)
    return assessment


def load_assessment(path: Path | str, search: Path | None = None) -> Assessment:
    """An answer file → Assessment (answers, questionnaire, catalogue). Raises InvalidFile."""
    try:
        return assessment_from_document(read_document(path), search)
    except LoadFailure as exc:
        raise InvalidFile([exc.problem]) from None
