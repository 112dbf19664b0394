"""Semantic rules: each a small function yielding Problems about one validated file.

Rules see the model, the document (for positions) and what the file refers to (the catalogue of a
questionnaire, the questionnaire of an answer file). They never read files.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from dxassess import expr, lgcode, register
from dxassess.load import Document
from dxassess.model import (
    AnswerSheet,
    Catalogue,
    ChoiceQuestion,
    NumericQuestion,
    QuestionBase,
    Questionnaire,
    ScaleQuestion,
    YesNoQuestion,
)
from dxassess.problems import Problem
from dxassess.text import Msg, msg


@dataclass
class Context:
    doc: Document
    catalogue: Catalogue | None = None
    questionnaire: Questionnaire | None = None
    previous: Questionnaire | None = None  # the version a questionnaire's `migration` maps from

    def problem(
        self, loc: tuple[Any, ...], code: str, message: Msg, severity: str = "error", key: bool = False
    ) -> Problem:
        line, col = self.doc.position(loc, key=key)
        return Problem(self.doc.path, line, col, severity, code, message)


Rule = Callable[[Any, Context], Iterator[Problem]]

TEXT_FIELDS = {
    "title",
    "text",
    "help",
    "description",
    "label",
    "unit",
    "summary",
    "document",
    "yes_description",
    "targets_basis",
    "edition",
    "basis",
    "overdue",
    "reason",
    "name",
    "by",
    "what",
    "year",
    "source",
}


def _texts(obj: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], dict[str, str]]]:
    """Every user-facing text in a model tree, with its document path."""
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            if name in TEXT_FIELDS and isinstance(value, dict):
                yield loc + (name,), value
            elif name == "actions" and isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, dict):  # a catalogue action written as a bare text
                        yield loc + (name, i), item
                    else:
                        yield from _texts(item, loc + (name, i))
            else:
                yield from _texts(value, loc + (name,))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _texts(item, loc + (i,))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from _texts(item, loc + (key,))


def check_languages(model: Questionnaire | Catalogue, ctx: Context) -> Iterator[Problem]:
    """Every text carries exactly the declared languages, none empty: no officer sees a blank."""
    declared = list(model.languages)
    for loc, text in _texts(model, ()):
        missing = [lang for lang in declared if not str(text.get(lang, "")).strip()]
        extra = [lang for lang in text if lang not in declared]
        if missing:
            yield ctx.problem(
                loc,
                "DX206",
                msg("check.lang_missing", missing=", ".join(missing), declared=", ".join(declared)),
            )
        if extra:
            yield ctx.problem(loc, "DX206", msg("check.lang_extra", extra=", ".join(extra)))


def check_control_characters(model: Questionnaire | Catalogue, ctx: Context) -> Iterator[Problem]:
    """No text holds control characters (escape sequences, carriage returns, bidirectional
    overrides): they would act on the terminal of every officer who runs the interview."""
    from dxassess.controls import has_controls, printable

    for loc, text in _texts(model, ()):
        for lang, value in text.items():
            if isinstance(value, str) and has_controls(value):
                found = sorted({printable(c) for c in value if has_controls(c)})
                yield ctx.problem(loc + (lang,), "DX221", msg("check.control_characters", chars=" ".join(found)))


def _questions(q: Questionnaire) -> Iterator[tuple[tuple[Any, ...], Any]]:
    for di, domain in enumerate(q.domains):
        for qi, question in enumerate(domain.questions):
            yield ("domains", di, "questions", qi), question


def check_unique_ids(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Domain and question ids are unique: answers are keyed by them."""
    seen: dict[str, tuple[Any, ...]] = {}
    for di, domain in enumerate(q.domains):
        loc = ("domains", di, "id")
        if domain.id in seen:
            yield ctx.problem(loc, "DX201", msg("check.domain_id_twice", id=domain.id))
        seen.setdefault(domain.id, loc)
    seen = {}
    for loc, question in _questions(q):
        if question.id in seen:
            first = ctx.doc.position(seen[question.id])[0]
            yield ctx.problem(loc + ("id",), "DX201", msg("check.question_id_twice", id=question.id, line=first))
        seen.setdefault(question.id, loc + ("id",))


def check_id_prefix(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Question ids start with their domain id, so an id says where it belongs."""
    for di, domain in enumerate(q.domains):
        for qi, question in enumerate(domain.questions):
            if question.id.split(".")[0] != domain.id:
                yield ctx.problem(
                    ("domains", di, "questions", qi, "id"),
                    "DX202",
                    msg("check.id_prefix", id=question.id, domain=domain.id),
                )


def check_weights(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Weights are positive: a zero weight would silently drop a domain or question."""
    for di, domain in enumerate(q.domains):
        if domain.weight <= 0:
            yield ctx.problem(("domains", di, "weight"), "DX209", msg("check.domain_weight", weight=domain.weight))
    for loc, question in _questions(q):
        if question.weight <= 0:
            yield ctx.problem(loc + ("weight",), "DX209", msg("check.question_weight", weight=question.weight))


def check_manual_refs(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Every manual reference resolves, so every gap cites a real section."""
    if ctx.catalogue is None:
        from pathlib import Path

        from dxassess import library

        # there but unreadable or invalid is not "missing": say which file to fix
        found = library.find_catalogue(q.catalogue, Path(ctx.doc.path).parent) if ctx.doc.path else None
        what = (
            msg("check.catalogue_broken", name=q.catalogue, path=str(found))
            if found is not None
            else msg("check.catalogue_missing", name=q.catalogue)
        )
        yield ctx.problem(("catalogue",), "DX214", what)
        return
    sections = ctx.catalogue.section_map()
    for loc, question in _questions(q):
        for i, ref in enumerate(question.manual):
            if ref not in sections:
                yield ctx.problem(
                    loc + ("manual", i),
                    "DX203",
                    msg("check.unknown_section", ref=ref, catalogue=ctx.catalogue.catalogue),
                )


def check_scales(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Scale levels are contiguous from 0, and every scale question names a declared scale."""
    for name, scale in q.scales.items():
        levels = [lv.level for lv in scale.levels]
        if levels != list(range(len(levels))):
            yield ctx.problem(
                ("scales", name, "levels"),
                "DX207",
                msg("check.scale_levels", name=name, levels=levels),
            )
    for loc, question in _questions(q):
        if not isinstance(question, ScaleQuestion):
            continue
        declared = q.scales.get(question.scale)
        if declared is None:
            known = Msg(", ".join(q.scales), "、".join(q.scales)) if q.scales else msg("check.none_declared")
            yield ctx.problem(loc + ("scale",), "DX210", msg("check.unknown_scale", scale=question.scale, known=known))
            continue
        top = max(lv.level for lv in declared.levels)
        for level in question.levels:
            if level > top:
                yield ctx.problem(
                    loc + ("levels", level),
                    "DX215",
                    msg("check.level_override", level=level, scale=question.scale, top=top),
                )


def check_numeric(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Bounds are sane and thresholds ordered, so every number maps to one level."""
    for loc, question in _questions(q):
        if not isinstance(question, NumericQuestion):
            continue
        if question.min >= question.max:
            yield ctx.problem(loc + ("min",), "DX211", msg("check.min_max", min=question.min, max=question.max))
            continue
        t = question.thresholds
        ascending = question.direction == "higher"
        pairs = list(zip(t, t[1:]))
        ordered = all(a < b for a, b in pairs) if ascending else all(a > b for a, b in pairs)
        if not ordered:
            way = msg("check.ascending") if ascending else msg("check.descending")
            yield ctx.problem(loc + ("thresholds",), "DX208", msg("check.thresholds_order", thresholds=t, way=way))
        elif not all(question.min <= v <= question.max for v in t):
            yield ctx.problem(
                loc + ("thresholds",),
                "DX208",
                msg("check.thresholds_bounds", thresholds=t, min=question.min, max=question.max),
            )


def check_choices(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Option keys are unique, since answers store the key."""
    for loc, question in _questions(q):
        if isinstance(question, ChoiceQuestion):
            seen: set[str] = set()
            for i, option in enumerate(question.options):
                if option.key in seen:
                    yield ctx.problem(
                        loc + ("options", i, "key"),
                        "DX212",
                        msg("check.duplicate_option", key=option.key, question=question.id),
                    )
                seen.add(option.key)


def _can_hold(question: Any, op: str, value: Any) -> bool:
    """Whether `answer OP value` can ever be true for an answer the question accepts (as the
    evaluator compares: values of different kinds are never equal, nor unequal)."""
    numbers = isinstance(question, (NumericQuestion, ScaleQuestion))
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if op == "!=":  # true for some answer unless the kinds differ
        if numbers:
            return is_number
        return isinstance(value, bool) if isinstance(question, YesNoQuestion) else isinstance(value, str)
    if op in ("==", "in"):
        if isinstance(question, ScaleQuestion):
            return is_number and float(value).is_integer() and 0 <= value <= 5
        return bool(question.accepts(value))
    if not numbers or not is_number:
        return False  # ordering a yes/no or choice answer, or a number against text
    low, high = (question.min, question.max) if isinstance(question, NumericQuestion) else (0, 5)
    return bool({"<": low < value, "<=": low <= value, ">": high > value, ">=": high >= value}.get(op, True))


_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _comparison(node: Any) -> tuple[expr.Ref, str, Any] | None:
    """`question OP literal`, also when written `literal OP question`."""
    if isinstance(node, expr.Compare):
        if isinstance(node.left, expr.Ref) and isinstance(node.right, expr.Literal):
            return node.left, node.op, node.right.value
        if isinstance(node.left, expr.Literal) and isinstance(node.right, expr.Ref):
            return node.right, _FLIPPED[node.op], node.left.value
    return None


def _compared_literals(node: Any) -> Iterator[tuple[expr.Ref, str, Any]]:
    found = _comparison(node)
    if found is not None:
        yield found
    elif isinstance(node, expr.InList) and isinstance(node.left, expr.Ref):
        values = [item.value for item in node.items if isinstance(item, expr.Literal)]
        if len(values) == len(node.items):  # one finding for the whole list: `x in [...]`
            yield node.left, "in", values
    elif isinstance(node, expr.BoolOp):
        for operand in node.operands:
            yield from _compared_literals(operand)
    elif isinstance(node, expr.Not):
        yield from _compared_literals(node.operand)


def _not_options(question: Any, value: Any) -> list[Any]:
    """The text values compared with a choice question that are none of its option keys."""
    if not isinstance(question, ChoiceQuestion):
        return []
    keys = {o.key for o in question.options}
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str) and v not in keys]


def _holds(question: Any, op: str, value: Any) -> bool:
    if op == "in":
        return any(_can_hold(question, "==", v) for v in value)
    return _can_hold(question, op, value)


def _can_be_true(node: Any, earlier: dict[str, Any], want: bool = True) -> bool:
    """Whether the condition can evaluate to `want` for some answers to the earlier questions.
    Every comparison with an unanswered question is false, so anything can be false."""
    if isinstance(node, expr.Not):
        return _can_be_true(node.operand, earlier, not want)
    if isinstance(node, expr.BoolOp):
        results = [_can_be_true(o, earlier, want) for o in node.operands]
        return all(results) if (node.op == "and") == want else any(results)
    if not want:
        return not isinstance(node, expr.Literal) or node.value is not True
    found = _comparison(node)
    if found is not None:
        question = earlier.get(found[0].question_id)
        return question is None or _can_hold(question, found[1], found[2])
    if isinstance(node, expr.Compare) and isinstance(node.left, expr.Literal) and isinstance(node.right, expr.Literal):
        return expr.evaluate(node, {})
    if isinstance(node, expr.InList) and isinstance(node.left, expr.Ref):
        question = earlier.get(node.left.question_id)
        values = [item.value for item in node.items if isinstance(item, expr.Literal)]
        return question is None or len(values) < len(node.items) or _holds(question, "in", values)
    if isinstance(node, expr.Literal):
        return node.value is True
    if isinstance(node, expr.Ref):  # true only when the answer is `true`
        question = earlier.get(node.question_id)
        return question is None or isinstance(question, YesNoQuestion)
    return True


def check_when(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """`when` parses, refers only to earlier questions, and can be true (else unreachable): every
    comparison with a value its question can never have is named, and a condition that can never
    hold as a whole (`not (x < 100)` where x is at most 20) is reported too."""
    earlier: dict[str, Any] = {}
    for loc, question in _questions(q):
        if question.when is not None:
            try:
                tree = expr.parse(question.when)
            except expr.ExprError as exc:
                yield ctx.problem(loc + ("when",), "DX204", msg("check.when_syntax", pos=exc.offset + 1, error=exc.msg))
                tree = None
            if tree is not None:
                for ref in expr.references(tree):
                    if ref.question_id not in earlier:
                        where = msg("check.later") if ref.question_id in q.question_map() else msg("check.unknown")
                        yield ctx.problem(
                            loc + ("when",),
                            "DX205",
                            msg("check.when_reference", ref=ref.question_id, where=where),
                        )
                named = False
                for ref, op, value in _compared_literals(tree):
                    target = earlier.get(ref.question_id)
                    if target is None:
                        continue
                    if not _holds(target, op, value):
                        named = True
                        yield ctx.problem(
                            loc + ("when",),
                            "DX213",
                            msg("check.when_never", ref=ref.question_id, value=value),
                            severity="warning",
                        )
                        continue
                    # `!=` and a list hold for some answer whatever a typo in a value; a value
                    # that is no option of the question is still a typo (`!= "adoptd"`)
                    for typo in _not_options(target, value):
                        yield ctx.problem(
                            loc + ("when",),
                            "DX213",
                            msg("check.when_not_option", ref=ref.question_id, value=typo),
                            severity="warning",
                        )
                if not named and not _can_be_true(tree, earlier):
                    yield ctx.problem(
                        loc + ("when",), "DX213", msg("check.when_never_true", when=question.when), severity="warning"
                    )
        earlier[question.id] = question


def check_targets(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Every size band has a target in every domain, so no municipality is scored against none."""
    from dxassess.model.size import Band

    for di, domain in enumerate(q.domains):
        missing = [band.value for band in Band if domain.targets.for_band(band) is None]
        if missing:
            yield ctx.problem(
                ("domains", di, "targets"), "DX219", msg("check.targets_missing", bands=", ".join(missing))
            )


def check_references(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Actions, support schemes, national figures and `after` name things that exist, so a report
    never cites what is not there."""
    questions = q.question_map()
    known = {
        "action": ctx.catalogue.action_map() if ctx.catalogue else None,
        "scheme": ctx.catalogue.scheme_map() if ctx.catalogue else None,
        "figure": ctx.catalogue.figure_map() if ctx.catalogue else None,
    }

    def missing(kind: str, ref: str) -> bool:
        table = known[kind]
        return table is not None and ref not in table

    for loc, question in _questions(q):
        for i, ref in enumerate(question.actions):
            if missing("action", ref):
                yield ctx.problem(loc + ("actions", i), "DX217", msg("check.unknown_action", ref=ref))
        for i, ref in enumerate(question.national):
            if missing("figure", ref):
                yield ctx.problem(loc + ("national", i), "DX217", msg("check.unknown_figure", ref=ref))
        for level, step in question.steps.items():
            for i, ref in enumerate(step.support):
                if missing("scheme", ref):
                    yield ctx.problem(
                        loc + ("steps", level, "support", i), "DX217", msg("check.unknown_scheme", ref=ref)
                    )
        for i, ref in enumerate(question.after):
            if ref not in questions or ref == question.id:
                yield ctx.problem(loc + ("after", i), "DX217", msg("check.unknown_after", ref=ref))


def _reachable_gap_levels(q: Questionnaire, question: Any) -> list[int]:
    """The levels a gap of this question can ask to reach: each answer level whose level below
    falls short of the highest target any band sets (levels need not be consecutive: a choice
    of levels 0, 1, 3, 5 with a target of 4 can ask for 5)."""
    from dxassess.model.size import Band

    domain = q.domain_of(question.id)
    top = max((question.target_for(domain.targets, b) for b in Band), default=0.0)
    levels = question.answer_levels()
    return [high for low, high in zip(levels, levels[1:]) if low < top - 1e-9]


def check_steps(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Every gap has an action to take: a question whose answer can fall below its target says
    what reaches each level (a warning: the report then has no next step to show). A
    questionnaire that writes no steps at all gets one warning, not one per question."""
    if not any(question.steps for _, question in _questions(q)):
        yield ctx.problem(("domains",), "DX218", msg("check.no_steps"), severity="warning", key=True)
        return
    for loc, question in _questions(q):
        gaps = [lv for lv in _reachable_gap_levels(q, question) if question.step_for(lv) is None]
        if gaps:
            yield ctx.problem(
                loc + ("id",),
                "DX218",
                msg("check.step_missing", qid=question.id, levels=", ".join(str(lv) for lv in gaps), top=gaps[-1]),
                severity="warning",
            )
        for level in question.steps:
            if level not in question.answer_levels() or level == question.answer_levels()[0]:
                yield ctx.problem(
                    loc + ("steps", level),
                    "DX218",
                    msg("check.step_level", qid=question.id, level=level),
                    severity="warning",
                )


def check_migration(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Every question of the previous version is accounted for and maps onto questions that
    exist, so no answer is lost silently when a file moves to this version."""
    if q.migration is None:
        return
    loc = ("migration",)
    if ctx.previous is None:
        yield ctx.problem(
            loc + ("previous",),
            "DX220",
            msg("check.migration_previous", id=q.id, version=q.migration.previous),
        )
        return
    new_ids = q.question_map()
    old_ids = ctx.previous.question_map()
    for old, move in q.migration.questions.items():
        where = loc + ("questions", old)
        if old not in old_ids:
            yield ctx.problem(
                where, "DX220", msg("check.migration_unknown_old", qid=old, version=q.migration.previous), key=True
            )
        if move.removed and move.to:
            yield ctx.problem(where, "DX220", msg("check.migration_removed_to", qid=old))
        if not move.removed and not move.to:
            yield ctx.problem(where, "DX220", msg("check.migration_nowhere", qid=old))
        for i, target in enumerate(move.to):
            if target not in new_ids:
                yield ctx.problem(where + ("to", i), "DX220", msg("check.migration_unknown_new", qid=target))
        kept = [new_ids[t] for t in move.to if t in new_ids]
        for value_key, value in move.values.items():
            for new_q in kept:
                if not new_q.accepts(value):
                    yield ctx.problem(
                        where + ("values", value_key),
                        "DX220",
                        msg("check.migration_bad_value", value=value, old=old, new=new_q.id),
                    )
        if old in old_ids and not move.removed and not move.changed:
            yield from _unmapped_values(old_ids[old], move, kept, where, ctx)
    for old in old_ids:
        if old not in q.migration.questions:
            yield ctx.problem(
                loc + ("questions",),
                "DX220",
                msg("check.migration_missing", qid=old, version=q.migration.previous),
            )


def _unmapped_values(old_q: Any, move: Any, kept: list[Any], where: tuple[Any, ...], ctx: Context) -> Iterator[Problem]:
    """The answers the previous question could take (its options, yes and no) that the new one
    cannot, with no `values` entry to map them: such an answer is asked again on migration (kept
    under `migrated.dropped`). Usually an option renamed and its `values` forgotten."""
    from dxassess.migrate import as_text

    if isinstance(old_q, ChoiceQuestion):
        possible: list[Any] = [o.key for o in old_q.options]
    elif isinstance(old_q, YesNoQuestion):
        possible = [True, False]
    else:
        return
    for value in possible:
        if as_text(value) in move.values:  # mapped: the mapped value is checked on its own (DX220)
            continue
        for new_q in kept:
            if not new_q.accepts(value):
                yield ctx.problem(
                    where,
                    "DX222",
                    msg("check.migration_unmapped", value=as_text(value), old=old_q.id, new=new_q.id),
                    severity="warning",
                )


QUESTIONNAIRE_RULES: list[Rule] = [
    check_languages,
    check_control_characters,
    check_unique_ids,
    check_id_prefix,
    check_weights,
    check_manual_refs,
    check_scales,
    check_numeric,
    check_choices,
    check_when,
    check_targets,
    check_references,
    check_steps,
    check_migration,
]


def check_section_ids(c: Catalogue, ctx: Context) -> Iterator[Problem]:
    """Section ids are unique: questions and reports cite them."""
    seen: set[str] = set()
    for i, section in enumerate(c.sections):
        if section.id in seen:
            yield ctx.problem(("sections", i, "id"), "DX201", msg("check.section_twice", id=section.id))
        seen.add(section.id)


def check_catalogue_ids(c: Catalogue, ctx: Context) -> Iterator[Problem]:
    """Document, action, scheme and figure ids are unique, and what a section or action cites
    exists: questions and reports look them up by id."""
    groups: tuple[tuple[str, list[str]], ...] = (
        ("documents", [d.id for d in c.documents]),
        ("schemes", [s.id for s in c.schemes]),
        ("figures", [f.id for f in c.figures]),
    )
    for name, ids in groups:
        seen: set[str] = set()
        for i, item_id in enumerate(ids):
            if item_id in seen:
                yield ctx.problem((name, i, "id"), "DX201", msg("check.catalogue_id_twice", id=item_id))
            seen.add(item_id)
    documents = c.document_map()
    schemes = c.scheme_map()
    actions: set[str] = set()
    for si, section in enumerate(c.sections):
        loc = ("sections", si)
        if isinstance(section.document, str):
            if section.document not in documents:
                yield ctx.problem(loc + ("document",), "DX217", msg("check.unknown_document", ref=section.document))
        elif section.url is None or section.edition is None:
            yield ctx.problem(loc + ("document",), "DX102", msg("check.section_edition", id=section.id))
        for i, other in enumerate(section.also):
            if other.document not in documents:
                yield ctx.problem(
                    loc + ("also", i, "document"), "DX217", msg("check.unknown_document", ref=other.document)
                )
        for ai, action in enumerate(section.actions):
            if isinstance(action, dict):
                continue
            if action.id in actions:
                yield ctx.problem(loc + ("actions", ai, "id"), "DX201", msg("check.catalogue_id_twice", id=action.id))
            actions.add(action.id)
            for i, ref in enumerate(action.support):
                if ref not in schemes:
                    yield ctx.problem(
                        loc + ("actions", ai, "support", i), "DX217", msg("check.unknown_scheme", ref=ref)
                    )


CATALOGUE_RULES: list[Rule] = [check_languages, check_control_characters, check_section_ids, check_catalogue_ids]


def value_problem(question: QuestionBase, value: Any) -> Msg | None:
    """Why `value` does not fit `question`, or None when it does (the question's own rule)."""
    problem: Msg | None = question.problem(value)
    return problem


def check_code(a: AnswerSheet, ctx: Context) -> Iterator[Problem]:
    """The local government code is valid, so results join national data and peers."""
    problem = lgcode.code_problem_msg(a.municipality.code)
    if problem:
        yield ctx.problem(("municipality", "code"), "DX305", problem)
    elif a.municipality.prefecture and a.municipality.prefecture != lgcode.prefecture_of(a.municipality.code):
        yield ctx.problem(
            ("municipality", "prefecture"),
            "DX306",
            msg(
                "check.prefecture",
                prefecture=a.municipality.prefecture,
                code=a.municipality.code,
                expected=lgcode.prefecture_of(a.municipality.code),
            ),
        )


def check_register(a: AnswerSheet, ctx: Context) -> Iterator[Problem]:
    """The code belongs to a municipality of the register and the file names it (a sheet that pairs
    011002 with 札幌町 is noticed); a code of no municipality passes only in a file marked
    `synthetic: true`, and such a file does not borrow a real municipality's code."""
    m = a.municipality
    if lgcode.code_problem_msg(m.code):
        return  # check_code reports it
    entry = register.lookup(m.code)
    if a.synthetic:
        if entry is not None:
            where = ("synthetic",)
            text = msg("check.synthetic_real", code=m.code, name=entry.name, prefecture=entry.prefecture)
            yield ctx.problem(where, "DX312", text, severity="warning")
        return
    if entry is None:
        yield ctx.problem(("municipality", "code"), "DX311", msg("check.unknown_code", code=m.code))
        return
    if entry.kind == "ward":
        city = register.lookup(entry.parent or "")
        text = msg("check.ward_code", code=m.code, city=city.name if city else "", city_code=entry.parent or "")
        yield ctx.problem(("municipality", "code"), "DX311", text)
        return
    if not register.name_matches(m.code, m.name):
        text = msg("check.name_mismatch", name=m.name, code=m.code, expected=entry.name, prefecture=entry.prefecture)
        yield ctx.problem(("municipality", "name"), "DX310", text, severity="warning")
    if m.kind is not None and m.kind != entry.kind:
        label = msg(f"register.kind_{entry.kind}")
        text = msg("check.kind_mismatch", kind=m.kind, code=m.code, expected=entry.name, label=label)
        yield ctx.problem(("municipality", "kind"), "DX310", text, severity="warning")


def check_questionnaire_known(a: AnswerSheet, ctx: Context) -> Iterator[Problem]:
    """The answer file names the questionnaire it answers."""
    q = ctx.questionnaire
    if q is None or q.id != a.questionnaire.id or q.version != a.questionnaire.version:
        yield ctx.problem(
            ("questionnaire",),
            "DX301",
            msg("check.questionnaire_unknown", id=a.questionnaire.id, version=a.questionnaire.version),
        )


def check_answers(a: AnswerSheet, ctx: Context) -> Iterator[Problem]:
    """Every answer is for a known question, fits it, and uses N/A only where allowed."""
    q = ctx.questionnaire
    if q is None or q.id != a.questionnaire.id or q.version != a.questionnaire.version:
        return
    questions = q.question_map()
    for qid, answer in a.answers.items():
        loc = ("answers", qid)
        question = questions.get(qid)
        if question is None:
            near = difflib.get_close_matches(qid, list(questions), n=1, cutoff=0.75)
            message = msg("check.unknown_question", qid=qid, questionnaire=q.id, version=q.version)
            if near:
                message = msg("check.unknown_question_near", qid=qid, near=near[0])
            yield ctx.problem(loc, "DX302", message, key=True)
            continue
        if answer.na and not question.na_allowed:
            yield ctx.problem(loc + ("na",), "DX304", msg("check.na_not_allowed", qid=qid))
        if answer.value is not None:
            problem = value_problem(question, answer.value)
            if problem:
                yield ctx.problem(loc + ("value",), "DX303", problem)


def check_hidden_answers(a: AnswerSheet, ctx: Context) -> Iterator[Problem]:
    """An answer to a question whose `when` is false is not scored: say so, so nobody wonders
    why it does not count."""
    from dxassess.scoring import answer_values, visible_questions

    q = ctx.questionnaire
    if q is None or q.id != a.questionnaire.id or q.version != a.questionnaire.version:
        return
    questions = q.question_map()
    if not any(questions[qid].when for qid in a.answers if qid in questions):
        return
    visible = visible_questions(q, answer_values(a))
    undecided = set(a.conflicts)  # parts answered these differently: a condition on them is not false yet
    for qid, answer in a.answers.items():
        if qid in questions and qid not in visible and answer.value is not None:
            when = questions[qid].when
            if undecided and when and any(r.question_id in undecided for r in expr.references(expr.compiled(when))):
                continue
            yield ctx.problem(
                ("answers", qid),
                "DX307",
                msg("check.hidden_answer", qid=qid, when=questions[qid].when),
                severity="warning",
                key=True,
            )


def check_sharing_contact(a: AnswerSheet, ctx: Context) -> Iterator[Problem]:
    """Consent to be named needs a contact: peers are told whom to ask, or the consent is no use."""
    if a.sharing is not None and a.sharing.named and not (a.sharing.contact or "").strip():
        yield ctx.problem(("sharing", "named"), "DX601", msg("check.sharing_contact"))


# What only a person has, never a department: a Japanese mobile number (070/080/090 and eight
# digits) and an address at a free or mobile-carrier mail service. A department's own address
# (e.g. joho@city.example.lg.jp) cannot be told from a person's at the same office: not checked.
_MOBILE = re.compile(r"(?<![0-9])0[789]0[-‐－ー ]?[0-9]{4}[-‐－ー ]?[0-9]{4}(?![0-9])")
_FREEMAIL = (
    "gmail.com",
    "yahoo.co.jp",
    "ymail.ne.jp",
    "icloud.com",
    "me.com",
    "hotmail.com",
    "hotmail.co.jp",
    "outlook.com",
    "outlook.jp",
    "live.jp",
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "au.com",
    "softbank.ne.jp",
    "i.softbank.jp",
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def personal_contact(contact: str) -> list[Msg]:
    """What in a contact is plainly a person's own (a mobile number, a free or carrier mail
    address), never a department's number or address: the rule DX602, and the interview's check
    as the contact is typed."""
    found = []
    mobile = _MOBILE.search(contact)
    if mobile:
        found.append(msg("check.contact_mobile", found=mobile.group(0)))
    for m in _EMAIL.finditer(contact):
        if m.group(1).lower() in _FREEMAIL:
            found.append(msg("check.contact_freemail", found=m.group(0)))
            break
    return found


def check_contact_personal(a: AnswerSheet, ctx: Context) -> Iterator[Problem]:
    """The contact is shown to other municipalities: warn where it is plainly a person's own."""
    contact = (a.sharing.contact or "") if a.sharing is not None else ""
    for what in personal_contact(contact):
        yield ctx.problem(("sharing", "contact"), "DX602", what, "warning")


def check_private_notes(a: AnswerSheet, ctx: Context) -> Iterator[Problem]:
    """Public notes without consent are never shown to anyone: say so once, so nobody believes
    peers can read them."""
    from dxassess.sharing import consents

    if consents(a):
        return
    noted = [qid for qid, answer in a.answers.items() if answer.public_note and answer.public_note.strip()]
    if noted:
        yield ctx.problem(
            ("answers", noted[0], "public_note"),
            "DX603",
            msg("check.public_note_private", count=len(noted)),
            severity="warning",
        )


def check_carried_to_confirm(a: AnswerSheet, ctx: Context) -> Iterator[Problem]:
    """Answers carried from an earlier version whose question changed meaning (`migrated.ask_again`)
    are the defaults `run` asks again; until then they are scored as given, which may read an old
    answer in a new sense (years as a percentage): say so wherever the file is checked."""
    waiting = [qid for qid in (a.migrated.ask_again if a.migrated else []) if qid in a.answers]
    if waiting:
        what = msg(
            "check.carried_to_confirm",
            count=len(waiting),
            qids=", ".join(waiting[:3]),
            version=a.migrated.previous if a.migrated else "",
        )
        yield ctx.problem(("migrated", "ask_again"), "DX316", what, severity="warning")


def check_part_alone(a: AnswerSheet, ctx: Context) -> Iterator[Problem]:
    """A part of a team assessment scored on its own gives the municipality's scores from one
    department's questions (its overall reads as if the others answered nothing): say so, and
    how to merge, wherever the file is checked."""
    if a.part is not None:
        yield ctx.problem(("part",), "DX507", msg("check.part_alone", part=a.part.name), severity="warning")


def check_conflicts(a: AnswerSheet, ctx: Context) -> Iterator[Problem]:
    """A merged file where parts answered a question differently is not scored until someone
    decides: a score must never rest on an answer nobody chose."""
    from dxassess.merge import given_msg

    for qid, given in a.conflicts.items():
        entries: list[tuple[str, dict[str, Any], dt.date | None]] = [
            (name, answer.model_dump(exclude_defaults=True), None) for name, answer in given.items()
        ]
        yield ctx.problem(
            ("conflicts", qid), "DX501", msg("merge.conflict", qid=qid, given=given_msg(entries)), key=True
        )


# No assessment against the national DX plan can be older than its first edition: 総務省
# 「自治体DX推進計画」1.0, of 2020-12-25.
EARLIEST_ASSESSMENT = dt.date(2020, 12, 25)


def check_dates(a: AnswerSheet, ctx: Context) -> Iterator[Problem]:
    """The assessment date and the dates answers were given are plausible: not before the
    national DX plan existed, not in the future (a typo such as 0001-01-01 or 2062 for 2026
    would put the assessment in the wrong fiscal year and reorder every comparison)."""
    today = dt.date.today()
    dates: list[tuple[tuple[Any, ...], dt.date]] = [(("assessed",), a.assessed)]
    dates += [(("answers", qid, "answered_on"), x.answered_on) for qid, x in a.answers.items() if x.answered_on]
    for loc, date in dates:
        if date < EARLIEST_ASSESSMENT:
            why = msg("check.date_too_early", date=date.isoformat(), earliest=EARLIEST_ASSESSMENT.isoformat())
            yield ctx.problem(loc, "DX314", why, severity="warning")
        elif date > today:
            yield ctx.problem(loc, "DX314", msg("check.date_future", date=date.isoformat()), severity="warning")


ANSWER_RULES: list[Rule] = [
    check_code,
    check_register,
    check_questionnaire_known,
    check_answers,
    check_hidden_answers,
    check_conflicts,
    check_carried_to_confirm,
    check_part_alone,
    check_dates,
    check_sharing_contact,
    check_contact_personal,
    check_private_notes,
]
