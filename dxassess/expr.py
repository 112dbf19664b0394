"""The `when` language: a tokenizer, a recursive-descent parser and an evaluator. Never `eval`.

Grammar::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := atom (("==" | "!=" | "<" | "<=" | ">" | ">=") atom | "in" list)?
    atom    := NUMBER | STRING | "true" | "false" | QUESTION_ID | "(" expr ")"
    list    := "[" (atom ("," atom)*)? "]"

A question id evaluates to its answer's value, or to nothing when the question was not
answered (skipped, N/A, not asked); every comparison with nothing is false.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dxassess.text import Msg, msg

MAX_LENGTH = 2000
MAX_DEPTH = 50

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>-?[0-9]+(?:\.[0-9]+)?)
      | (?P<str>"(?:[^"\\]|\\.)*")
      | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
      | (?P<name>[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}


class ExprError(ValueError):
    """The expression does not parse; `offset` is the 0-based character position."""

    def __init__(self, message: Msg, offset: int) -> None:
        super().__init__(message.en)
        self.msg = message  # both languages
        self.offset = offset


@dataclass(frozen=True)
class Ref:
    """A reference to an earlier question's answer."""

    question_id: str
    offset: int


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Compare:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class InList:
    left: Any
    items: tuple[Any, ...]


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple[Any, ...]


@dataclass(frozen=True)
class Not:
    operand: Any


def tokenize(source: str) -> list[tuple[str, str, int]]:
    if len(source) > MAX_LENGTH:
        raise ExprError(msg("expr.too_long", limit=MAX_LENGTH), 0)
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        match = _TOKEN.match(source, pos)
        if not match or match.end() == pos:
            bad = source[pos:].lstrip()
            offset = len(source) - len(bad)
            raise ExprError(msg("expr.unexpected_character", char=bad[:1]), offset)
        kind = match.lastgroup or ""
        text = match.group(kind)
        start = match.start(kind)
        if kind == "name" and text in _KEYWORDS:
            kind = "kw"
        tokens.append((kind, text, start))
        pos = match.end()
    tokens.append(("end", "", len(source)))
    return tokens


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = tokenize(source)
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expect(self, text: str) -> None:
        kind, value, offset = self.take()
        if value != text:
            found = value or "end of expression"
            raise ExprError(msg("expr.expected", expected=text, found=found), offset)

    def parse(self) -> Any:
        node = self.or_()
        kind, value, offset = self.peek()
        if kind != "end":
            raise ExprError(msg("expr.unexpected", token=value), offset)
        return node

    def nested(self, fn: Any) -> Any:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(msg("expr.too_deep", limit=MAX_DEPTH), self.peek()[2])
        try:
            return fn()
        finally:
            self.depth -= 1

    def or_(self) -> Any:
        operands = [self.and_()]
        while self.peek()[:2] == ("kw", "or"):
            self.take()
            operands.append(self.and_())
        return operands[0] if len(operands) == 1 else BoolOp("or", tuple(operands))

    def and_(self) -> Any:
        operands = [self.not_()]
        while self.peek()[:2] == ("kw", "and"):
            self.take()
            operands.append(self.not_())
        return operands[0] if len(operands) == 1 else BoolOp("and", tuple(operands))

    def not_(self) -> Any:
        if self.peek()[:2] == ("kw", "not"):
            self.take()
            return Not(self.nested(self.not_))
        return self.compare()

    def compare(self) -> Any:
        left = self.atom()
        kind, value, _ = self.peek()
        if kind == "op" and value in ("==", "!=", "<", "<=", ">", ">="):
            self.take()
            return Compare(value, left, self.atom())
        if (kind, value) == ("kw", "in"):
            self.take()
            self.expect("[")
            items: list[Any] = []
            if self.peek()[1] != "]":
                items.append(self.atom())
                while self.peek()[1] == ",":
                    self.take()
                    items.append(self.atom())
            self.expect("]")
            return InList(left, tuple(items))
        return left

    def atom(self) -> Any:
        kind, value, offset = self.take()
        if kind == "num":
            return Literal(float(value) if "." in value else int(value))
        if kind == "str":
            return Literal(re.sub(r"\\(.)", r"\1", value[1:-1]))
        if kind == "kw" and value in ("true", "false"):
            return Literal(value == "true")
        if kind == "name":
            if "." not in value:
                raise ExprError(msg("expr.not_question_id", value=value), offset)
            return Ref(value, offset)
        if value == "(":
            node = self.nested(self.or_)
            self.expect(")")
            return node
        raise ExprError(msg("expr.unexpected", token=value) if value else msg("expr.unexpected_end"), offset)


def parse(source: str) -> Any:
    """Parse a `when` expression into a tree; raises ExprError."""
    if not source.strip():
        raise ExprError(msg("expr.empty"), 0)
    return _Parser(source).parse()


@lru_cache(maxsize=4096)
def compiled(source: str) -> Any:
    """`parse`, cached: questionnaires repeat the same conditions for every answer file."""
    return parse(source)


def references(node: Any) -> list[Ref]:
    """Every question reference in the tree, in source order."""
    if isinstance(node, Ref):
        return [node]
    if isinstance(node, Compare):
        return references(node.left) + references(node.right)
    if isinstance(node, InList):
        return references(node.left) + [r for item in node.items for r in references(item)]
    if isinstance(node, BoolOp):
        return [r for operand in node.operands for r in references(operand)]
    if isinstance(node, Not):
        return references(node.operand)
    return []


_MISSING = object()


def _value(node: Any, answers: dict[str, Any]) -> Any:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Ref):
        value = answers.get(node.question_id)
        return _MISSING if value is None else value
    return evaluate(node, answers)


def _comparable(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    numbers = (int, float)
    return (isinstance(a, numbers) and isinstance(b, numbers)) or (isinstance(a, str) and isinstance(b, str))


def evaluate(node: Any, answers: dict[str, Any]) -> bool:
    """Evaluate a parsed expression against answer values (question id → value or None)."""
    if isinstance(node, BoolOp):
        if node.op == "and":
            return all(evaluate(o, answers) for o in node.operands)
        return any(evaluate(o, answers) for o in node.operands)
    if isinstance(node, Not):
        return not evaluate(node.operand, answers)
    if isinstance(node, Compare):
        left, right = _value(node.left, answers), _value(node.right, answers)
        if left is _MISSING or right is _MISSING or not _comparable(left, right):
            return False
        if node.op == "==":
            return bool(left == right)
        if node.op == "!=":
            return bool(left != right)
        if isinstance(left, bool) or isinstance(left, str):
            return False  # ordering is defined for numbers only
        return bool({"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[node.op])
    if isinstance(node, InList):
        left = _value(node.left, answers)
        if left is _MISSING:
            return False
        return any(_comparable(left, v) and left == v for v in (_value(i, answers) for i in node.items))
    value = _value(node, answers)
    return value is True  # a bare reference or literal is true only when it is `true`
