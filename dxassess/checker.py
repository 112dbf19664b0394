"""The checker: a parsed document → its model and every problem in it (pydantic's model
validation, placed at the line and column of the value, then the semantic rules of `checks`).

What a check needs beyond the document (the catalogue of a questionnaire, the questionnaire of an
answer file, the previous version a questionnaire migrates from) is given to it: finding and
caching those files is the resolver's job, reading files is `load`'s.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel

from dxassess import checks
from dxassess.errors import InvalidFile
from dxassess.load import Document, LoadFailure
from dxassess.model import AnswerSheet, Catalogue, Questionnaire
from dxassess.problems import Problem
from dxassess.text import Msg, msg
from dxassess.text.problems import pydantic_message


def _kinds() -> dict[str, type[BaseModel]]:
    from dxassess.model import KINDS

    return dict(KINDS)


def detect_kind(doc: Document) -> str:
    """`questionnaire`, `answers` or `catalogue`: by the key each kind alone has (`domains`,
    `answers` or `municipality`, `sections`), else by which kind's top-level keys the file has
    most of (a misspelt `domians:` still makes a questionnaire, so its typo is reported at its
    own line). Raises LoadFailure (DX007, DX008) for anything else."""
    if not isinstance(doc.data, dict):
        name = type(doc.data).__name__
        found_keys = {
            "list": "load.found_list",
            "str": "load.found_text",
            "int": "load.found_number",
            "float": "load.found_number",
        }
        found = msg(found_keys[name]) if name in found_keys else Msg(name, f" {name} ")
        raise LoadFailure(Problem(doc.path, 1, 1, "error", "DX007", msg("load.top_not_mapping", found=found)))
    keys = {str(k) for k in doc.data}
    if "domains" in keys:
        return "questionnaire"
    if "sections" in keys or ("catalogue" in keys and not keys & {"answers", "municipality", "id"}):
        return "catalogue"
    if "answers" in keys or "municipality" in keys:
        return "answers"
    scores = {}
    for kind, cls in _kinds().items():
        fields = set(_field_names(cls))
        exact = len(keys & fields)
        near = sum(1 for k in keys - fields if difflib.get_close_matches(k, fields, n=1, cutoff=0.75))
        scores[kind] = exact + near
    best = max(scores, key=lambda k: scores[k])
    if scores[best] >= 3 and list(scores.values()).count(scores[best]) == 1:
        return best
    raise LoadFailure(Problem(doc.path, 1, 1, "error", "DX008", msg("load.unknown_kind")))


def _field_names(cls: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in cls.model_fields.items()]


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation can hold (through Optional, list, dict, Union, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found += _models_in(arg)
    return found


def _model_at(root: type[BaseModel], data: Any, loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class of the mapping at `loc` in a document of `root`, following the data (a
    question's `type` picks its class). None where no model describes it."""
    cls: type[BaseModel] | None = root
    i = 0
    while i < len(loc) and cls is not None:
        info = cls.model_fields.get(loc[i]) or next((f for f in cls.model_fields.values() if f.alias == loc[i]), None)
        if info is None:
            return None
        data = data.get(loc[i]) if isinstance(data, dict) else None
        candidates = _models_in(info.annotation)
        origin = typing.get_origin(info.annotation)
        nested = origin in (list, dict) or any(
            typing.get_origin(a) in (list, dict) for a in typing.get_args(info.annotation)
        )
        i += 1
        if nested and i < len(loc):  # a list index or a mapping key
            data = data[loc[i]] if isinstance(data, (list, dict)) and _has(data, loc[i]) else None
            i += 1
        if len(candidates) > 1 and isinstance(data, dict):
            typed = [c for c in candidates if "type" in c.model_fields and _literal(c) == data.get("type")]
            candidates = typed or candidates
        cls = candidates[0] if candidates else None
    return cls


def _has(container: Any, key: Any) -> bool:
    return (0 <= key < len(container)) if isinstance(container, list) and isinstance(key, int) else key in container


def _literal(cls: type[BaseModel]) -> Any:
    args = typing.get_args(cls.model_fields["type"].annotation)
    return args[0] if args else None


def _suggestion(kind: str, doc: Document, loc: tuple[Any, ...]) -> str | None:
    """The field of the model at `loc` that the unknown key `loc[-1]` most likely meant."""
    cls = _model_at(_kinds()[kind], doc.data, loc[:-1])
    if cls is None:
        return None
    hint = difflib.get_close_matches(str(loc[-1]), _field_names(cls), n=1, cutoff=0.6)
    return hint[0] if hint else None


_QUESTION_TYPES = {"scale", "numeric", "choice", "yesno"}


def _plain_loc(loc: Any) -> tuple[Any, ...]:
    """A pydantic error location without the union tags and `[key]` markers pydantic inserts."""
    out: list[Any] = []
    tag_next = False  # pydantic puts the union's tag right after a question's index
    for item in loc:
        if item == "[key]":
            continue
        if tag_next and item in _QUESTION_TYPES:
            tag_next = False
            continue
        tag_next = len(out) >= 1 and out[-1] == "questions" and isinstance(item, int)
        out.append(item)
    return tuple(out)


def _schema_problems(doc: Document, exc: Any, kind_of_file: str) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = _plain_loc(err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            key = loc[-1]
            line, col = doc.position(loc, key=True)
            hint = _suggestion(kind_of_file, doc, loc)
            fix = msg("schema.did_you_mean", hint=hint) if hint else msg("schema.remove_it")
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
            field = ".".join(str(x) for x in loc) or "value"
            given = err.get("input")
            shown = (
                Msg("", "") if isinstance(given, (dict, list)) or given is None else msg("schema.found", given=given)
            )
            shown = _with_quoting_hint(shown, kind, loc, given)
            if given is None or given == "":  # left blank (a blank template): say to fill it in
                shown = Msg(shown.en + msg("schema.fill_in").en, shown.ja + msg("schema.fill_in").ja)
            text = msg("schema.value", field=field, message=pydantic_message(err), shown=shown)
            problems.append(Problem(doc.path, line, col, "error", "DX100", text))
    return problems


def _with_quoting_hint(shown: Msg, kind: str, loc: tuple[Any, ...], given: Any) -> Msg:
    """Text where a number was written (`code: 011002` is read as the number 11002), or a number
    in quotes (`max: "100"`): say how to write it."""
    key = str(loc[-1]) if loc else "value"
    is_number = isinstance(given, (int, float)) and not isinstance(given, bool)
    if kind == "string_type" and is_number:
        if key == "code" and isinstance(given, int) and 0 <= given < 1_000_000:
            hint = msg("schema.quote_code", key=key, text=str(given).zfill(6))
        else:
            hint = msg("schema.quote_it", key=key, text=given)
    elif kind in ("int_type", "float_type") and isinstance(given, str) and _looks_numeric(given):
        hint = msg("schema.unquote_it", key=key, text=given.strip())
    elif kind == "bool_type" and isinstance(given, str) and given.strip().lower() in ("true", "false"):
        hint = msg("schema.unquote_it", key=key, text=given.strip().lower())
    else:
        return shown
    return Msg(shown.en + hint.en, shown.ja + hint.ja)


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def model_of(doc: Document, kind: str) -> tuple[Any, list[Problem]]:
    from pydantic import ValidationError

    cls = _kinds()[kind]
    try:
        return cls.model_validate(doc.data), []
    except ValidationError as exc:
        return None, _schema_problems(doc, exc, kind)


def _run(rules: list[checks.Rule], model: Any, ctx: checks.Context) -> list[Problem]:
    return [p for rule in rules for p in rule(model, ctx)]


def check_questionnaire(
    doc: Document, model: Questionnaire, catalogue: Catalogue | None, previous: Questionnaire | None
) -> list[Problem]:
    """The semantic problems of a questionnaire whose model validated."""
    ctx = checks.Context(doc, catalogue=catalogue, previous=previous)
    return _run(checks.QUESTIONNAIRE_RULES, model, ctx)


def check_catalogue(doc: Document, model: Catalogue) -> list[Problem]:
    return _run(checks.CATALOGUE_RULES, model, checks.Context(doc))


def check_answers(doc: Document, model: AnswerSheet, questionnaire: Questionnaire | None) -> list[Problem]:
    """The semantic problems of an answer file against its questionnaire (None: not found)."""
    return _run(checks.ANSWER_RULES, model, checks.Context(doc, questionnaire=questionnaire))


def not_a(doc: Document, kind: str, wanted: str) -> InvalidFile:
    """The error for a file of another kind than the command needs."""
    key = "kind.not_questionnaire" if wanted == "questionnaire" else "kind.not_answers"
    return InvalidFile([Problem(doc.path, 1, 1, "error", "DX008", msg(key, kind=kind))])


def questionnaire_invalid(doc: Document, exc: InvalidFile) -> Problem:
    """An answer file's problem: the questionnaire it names does not load."""
    first = exc.problems[0]
    return Problem(
        doc.path,
        1,
        1,
        "error",
        "DX301",
        msg("answers.questionnaire_invalid", first=Msg(first.format_text("en"), first.format_text("ja"))),
    )
