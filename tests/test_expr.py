"""The `when` language: parsing, evaluation, errors, and that nothing is ever executed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxassess import expr


@pytest.mark.parametrize(
    "source,answers,expected",
    [
        ("a.x == true", {"a.x": True}, True),
        ("a.x == true", {"a.x": False}, False),
        ("a.x == true", {}, False),
        ('a.c != "none"', {"a.c": "some"}, True),
        ('a.c != "none"', {}, False),
        ("a.n >= 50", {"a.n": 50}, True),
        ("a.n > 50.5", {"a.n": 50}, False),
        ("a.n < 3 or a.x == true", {"a.n": 5, "a.x": True}, True),
        ("not a.x == true", {"a.x": False}, True),
        ("(a.n > 1 and a.n < 3) or not (a.x == false)", {"a.n": 2}, True),
        ('a.c in ["p", "q"]', {"a.c": "q"}, True),
        ('a.c in ["p", "q"]', {"a.c": "r"}, False),
        ("a.c in []", {"a.c": "r"}, False),
        ('a.n == "3"', {"a.n": 3}, False),
        ('a.c > "b"', {"a.c": "c"}, False),
        ("a.x == 1", {"a.x": True}, False),
        ("a.x", {"a.x": True}, True),
        ("a.n == -2", {"a.n": -2}, True),
    ],
)
def test_evaluate(source: str, answers: dict, expected: bool):
    assert expr.evaluate(expr.parse(source), answers) is expected


@pytest.mark.parametrize(
    "source,offset",
    [
        ("", 0),
        ("a.x ==", 6),
        ("a.x === 1", 6),
        ("a.x == 1)", 8),
        ("(a.x == 1", 9),
        ("x == 1", 0),
        ("a.x !! 1", 4),
        ("__import__('os').system('echo hi')", 0),
        ("a.x == 'single'", 7),
        ("a.x in [1, 2", 12),
        ("a.x and", 7),
    ],
)
def test_parse_errors_have_offsets(source: str, offset: int):
    with pytest.raises(expr.ExprError) as info:
        expr.parse(source)
    assert info.value.offset == offset


def test_nesting_and_length_limits():
    with pytest.raises(expr.ExprError, match="nested deeper"):
        expr.parse("(" * 200 + "a.x == 1" + ")" * 200)
    with pytest.raises(expr.ExprError, match="not" + "|nested"):
        expr.parse("not " * 200 + "a.x == 1")
    with pytest.raises(expr.ExprError, match="longer than"):
        expr.parse("a.x == 1 or " * 300 + "a.x == 1")


def test_references_in_order():
    tree = expr.parse('a.x == true and (b.y in ["k"] or not c.z > 3)')
    assert [r.question_id for r in expr.references(tree)] == ["a.x", "b.y", "c.z"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_parses_or_fails_cleanly(source: str):
    try:
        tree = expr.parse(source)
    except expr.ExprError:
        return
    assert expr.evaluate(tree, {}) in (True, False)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab.xyz()[]=!<>,\"' 0123456789andornotintruefalse", max_size=60))
def test_grammar_like_text_parses_or_fails_cleanly(source: str):
    try:
        expr.evaluate(expr.parse(source), {"a.x": 1, "b.y": "z"})
    except expr.ExprError:
        pass
