"""Semantic rules: each a small function yielding Problems about one validated file.

Rules see the model, the document (for positions) and what the file refers to (the catalogue of a
questionnaire, the questionnaire of an answer file). They never read files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from dxassess import expr, lgcode
from dxassess.load import Document
from dxassess.model import (
    AnswerSheet,
    Catalogue,
    ChoiceQuestion,
    NumericQuestion,
    Questionnaire,
    ScaleQuestion,
    YesNoQuestion,
)
from dxassess.problems import Problem


@dataclass
class Context:
    doc: Document
    catalogue: Catalogue | None = None
    questionnaire: Questionnaire | None = None

    def problem(self, loc: tuple, code: str, message: str, severity: str = "error", key: bool = False) -> Problem:
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
}


def _texts(obj: Any, loc: tuple) -> Iterator[tuple[tuple, dict[str, str]]]:
    """Every user-facing text in a model tree, with its document path."""
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            if name in TEXT_FIELDS and isinstance(value, dict):
                yield loc + (name,), value
            elif name == "actions" and isinstance(value, list):
                for i, item in enumerate(value):
                    yield loc + (name, i), item
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
                f"text lacks language {', '.join(missing)}; add it (every text needs {', '.join(declared)})",
            )
        if extra:
            yield ctx.problem(
                loc, "DX206", f"text has undeclared language {', '.join(extra)}; remove it or add it to `languages`"
            )


def _questions(q: Questionnaire) -> Iterator[tuple[tuple, Any]]:
    for di, domain in enumerate(q.domains):
        for qi, question in enumerate(domain.questions):
            yield ("domains", di, "questions", qi), question


def check_unique_ids(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Domain and question ids are unique: answers are keyed by them."""
    seen: dict[str, tuple] = {}
    for di, domain in enumerate(q.domains):
        loc = ("domains", di, "id")
        if domain.id in seen:
            yield ctx.problem(loc, "DX201", f"domain id {domain.id!r} is used twice; rename one")
        seen.setdefault(domain.id, loc)
    seen = {}
    for loc, question in _questions(q):
        if question.id in seen:
            first = ctx.doc.position(seen[question.id])[0]
            yield ctx.problem(
                loc + ("id",), "DX201", f"question id {question.id!r} is already used on line {first}; rename one"
            )
        seen.setdefault(question.id, loc + ("id",))


def check_id_prefix(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Question ids start with their domain id, so an id says where it belongs."""
    for di, domain in enumerate(q.domains):
        for qi, question in enumerate(domain.questions):
            if question.id.split(".")[0] != domain.id:
                yield ctx.problem(
                    ("domains", di, "questions", qi, "id"),
                    "DX202",
                    f"question id {question.id!r} must start with its domain id '{domain.id}.'",
                )


def check_weights(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Weights are positive: a zero weight would silently drop a domain or question."""
    for di, domain in enumerate(q.domains):
        if domain.weight <= 0:
            yield ctx.problem(
                ("domains", di, "weight"), "DX209", f"domain weight {domain.weight} must be greater than 0"
            )
    for loc, question in _questions(q):
        if question.weight <= 0:
            yield ctx.problem(loc + ("weight",), "DX209", f"question weight {question.weight} must be greater than 0")


def check_manual_refs(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Every manual reference resolves, so every gap cites a real section."""
    if ctx.catalogue is None:
        yield ctx.problem(
            ("catalogue",),
            "DX214",
            f"manual catalogue {q.catalogue!r} not found; put its file beside the "
            "questionnaire or use a built-in catalogue id",
        )
        return
    sections = ctx.catalogue.section_map()
    for loc, question in _questions(q):
        for i, ref in enumerate(question.manual):
            if ref not in sections:
                yield ctx.problem(
                    loc + ("manual", i),
                    "DX203",
                    f"manual section {ref!r} is not in catalogue {ctx.catalogue.catalogue!r}; "
                    "use one of its section ids",
                )


def check_scales(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Scale levels are contiguous from 0, and every scale question names a declared scale."""
    for name, scale in q.scales.items():
        levels = [lv.level for lv in scale.levels]
        if levels != list(range(len(levels))):
            yield ctx.problem(
                ("scales", name, "levels"),
                "DX207",
                f"scale {name!r} has levels {levels}; number them 0, 1, 2, ... in order",
            )
    for loc, question in _questions(q):
        if not isinstance(question, ScaleQuestion):
            continue
        scale = q.scales.get(question.scale)
        if scale is None:
            known = ", ".join(q.scales) or "none declared"
            yield ctx.problem(
                loc + ("scale",), "DX210", f"scale {question.scale!r} is not declared under `scales` (known: {known})"
            )
            continue
        top = max(lv.level for lv in scale.levels)
        for level in question.levels:
            if level > top:
                yield ctx.problem(
                    loc + ("levels", level), "DX215", f"level {level} is not in scale {question.scale!r} (0–{top})"
                )


def check_numeric(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """Bounds are sane and thresholds ordered, so every number maps to one level."""
    for loc, question in _questions(q):
        if not isinstance(question, NumericQuestion):
            continue
        if question.min >= question.max:
            yield ctx.problem(loc + ("min",), "DX211", f"min {question.min} must be below max {question.max}")
            continue
        t = question.thresholds
        ascending = question.direction == "higher"
        pairs = list(zip(t, t[1:]))
        ordered = all(a < b for a, b in pairs) if ascending else all(a > b for a, b in pairs)
        if not ordered:
            way = "ascending (direction: higher)" if ascending else "descending (direction: lower)"
            yield ctx.problem(loc + ("thresholds",), "DX208", f"thresholds {t} must be strictly {way}")
        elif not all(question.min <= v <= question.max for v in t):
            yield ctx.problem(
                loc + ("thresholds",),
                "DX208",
                f"thresholds {t} must lie within min {question.min} and max {question.max}",
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
                        f"option key {option.key!r} is used twice in {question.id}",
                    )
                seen.add(option.key)


def _literal_fits(question: Any, value: Any) -> bool:
    if isinstance(question, YesNoQuestion):
        return isinstance(value, bool)
    if isinstance(question, ChoiceQuestion):
        return isinstance(value, str) and value in {o.key for o in question.options}
    if isinstance(question, ScaleQuestion):
        return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 5
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _compared_literals(node: Any) -> Iterator[tuple[expr.Ref, Any]]:
    if isinstance(node, expr.Compare) and isinstance(node.left, expr.Ref) and isinstance(node.right, expr.Literal):
        if node.op in ("==", "!="):
            yield node.left, node.right.value
    elif isinstance(node, expr.InList) and isinstance(node.left, expr.Ref):
        for item in node.items:
            if isinstance(item, expr.Literal):
                yield node.left, item.value
    elif isinstance(node, expr.BoolOp):
        for operand in node.operands:
            yield from _compared_literals(operand)
    elif isinstance(node, expr.Not):
        yield from _compared_literals(node.operand)


def check_when(q: Questionnaire, ctx: Context) -> Iterator[Problem]:
    """`when` parses, refers only to earlier questions, and can be true (else unreachable)."""
    earlier: dict[str, Any] = {}
    for loc, question in _questions(q):
        if question.when is not None:
            try:
                tree = expr.parse(question.when)
            except expr.ExprError as exc:
                yield ctx.problem(
                    loc + ("when",), "DX204", f"`when` does not parse at character {exc.offset + 1}: {exc}"
                )
                tree = None
            if tree is not None:
                for ref in expr.references(tree):
                    if ref.question_id not in earlier:
                        where = "later in the file" if ref.question_id in q.question_map() else "unknown"
                        yield ctx.problem(
                            loc + ("when",),
                            "DX205",
                            f"`when` refers to {ref.question_id!r} ({where}); refer only to questions asked earlier",
                        )
                for ref, value in _compared_literals(tree):
                    target = earlier.get(ref.question_id)
                    if target is not None and not _literal_fits(target, value):
                        yield ctx.problem(
                            loc + ("when",),
                            "DX213",
                            f"`when` compares {ref.question_id} with {value!r}, a value it can "
                            "never have; the comparison is always false",
                            severity="warning",
                        )
        earlier[question.id] = question


QUESTIONNAIRE_RULES: list[Rule] = [
    check_languages,
    check_unique_ids,
    check_id_prefix,
    check_weights,
    check_manual_refs,
    check_scales,
    check_numeric,
    check_choices,
    check_when,
]


def check_section_ids(c: Catalogue, ctx: Context) -> Iterator[Problem]:
    """Section ids are unique: questions and reports cite them."""
    seen: set[str] = set()
    for i, section in enumerate(c.sections):
        if section.id in seen:
            yield ctx.problem(("sections", i, "id"), "DX201", f"section id {section.id!r} is used twice")
        seen.add(section.id)


CATALOGUE_RULES: list[Rule] = [check_languages, check_section_ids]


def value_problem(question: Any, value: Any) -> str | None:
    """Why `value` does not fit `question`, or None when it does."""
    if isinstance(question, YesNoQuestion):
        if not isinstance(value, bool):
            return f"{question.id} is a yes/no question: answer true or false, not {value!r}"
    elif isinstance(question, ChoiceQuestion):
        keys = [o.key for o in question.options]
        if value not in keys:
            return f"{question.id} takes one of {', '.join(keys)}, not {value!r}"
    elif isinstance(question, ScaleQuestion):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
            return f"{question.id} takes a level from 0 to 5, not {value!r}"
    elif isinstance(question, NumericQuestion):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{question.id} takes a number, not {value!r}"
        if not question.min <= value <= question.max:
            return f"{question.id} takes a number from {question.min:g} to {question.max:g}, not {value:g}"
        if question.integer and value != int(value):
            return f"{question.id} takes a whole number, not {value:g}"
    return None


def check_code(a: AnswerSheet, ctx: Context) -> Iterator[Problem]:
    """The local government code is valid, so results join national data and peers."""
    problem = lgcode.code_problem(a.municipality.code)
    if problem:
        yield ctx.problem(("municipality", "code"), "DX305", problem)
    elif a.municipality.prefecture and a.municipality.prefecture != lgcode.prefecture_of(a.municipality.code):
        yield ctx.problem(
            ("municipality", "prefecture"),
            "DX306",
            f"prefecture {a.municipality.prefecture!r} does not match code "
            f"{a.municipality.code} ({lgcode.prefecture_of(a.municipality.code)})",
        )


def check_questionnaire_known(a: AnswerSheet, ctx: Context) -> Iterator[Problem]:
    """The answer file names the questionnaire it answers."""
    q = ctx.questionnaire
    if q is None or q.id != a.questionnaire.id or q.version != a.questionnaire.version:
        yield ctx.problem(
            ("questionnaire",),
            "DX301",
            f"questionnaire {a.questionnaire.id!r} version {a.questionnaire.version!r} is not "
            "installed; pass --questionnaire PATH or fix the id and version",
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
            yield ctx.problem(
                loc,
                "DX302",
                f"question {qid!r} is not in {q.id} {q.version}; remove the answer or fix the id",
                key=True,
            )
            continue
        if answer.na and not question.na_allowed:
            yield ctx.problem(loc + ("na",), "DX304", f"{qid} does not allow N/A; answer it or skip it")
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
    for qid, answer in a.answers.items():
        if qid in questions and qid not in visible and answer.value is not None:
            yield ctx.problem(
                ("answers", qid),
                "DX307",
                f"{qid} is answered, but its condition `{questions[qid].when}` is false, so the "
                "answer is not scored; remove it or check the earlier answers",
                severity="warning",
                key=True,
            )


ANSWER_RULES: list[Rule] = [check_code, check_questionnaire_known, check_answers, check_hidden_answers]
