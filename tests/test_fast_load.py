"""The batch loader's quick construction gives exactly what ruamel's C-backed safe loader gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from dxassess.batch.fastload import _load_plain, parse_fast

TRICKY_SCALARS = [
    "0", "-0", "+12", "0x1F", "0o17", "0b101", "1_000", "012", "3.5", "-.5", "1e3", "1.5e-3", ".inf",
    "-.Inf", ".nan", "NaN", "true", "False", "TRUE", "yes", "no", "on", "off", "y", "n", "null", "Null",
    "~", "", "2026-09-04", "2026-9-4", "2026-09-04 10:00:00", "2026-09-04T10:00:00+09:00", "12:30",
    "札幌市", "'quoted'", '"0x10"', "'true'", "a: b", "- x", "1.0.0", "011002", "+", "-", ".", "_1",
]  # fmt: skip


def _safe(raw: bytes) -> object:
    return YAML(typ="safe", pure=False).load(raw)


def _same_as_ruamel(raw: bytes) -> None:
    """The quick construction gives what ruamel gives, or refuses with ruamel's error."""
    try:
        expected = _safe(raw)
    except Exception as exc:
        with pytest.raises(type(exc)):
            _load_plain(raw)
    else:
        assert repr(_load_plain(raw)) == repr(expected), raw


@pytest.mark.parametrize("scalar", TRICKY_SCALARS)
def test_scalars_as_keys_values_and_items(scalar: str) -> None:
    for text in (f"k: {scalar}\n", f"- {scalar}\n", f"{{k: [{scalar}]}}\n", f"{scalar}: 1\nother: 2\n"):
        _same_as_ruamel(text.encode())


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate keys: refused as ruamel refuses them
        "1: x\n1.0: y\n",
        "true: x\n1: y\n",
        "[a, b]: c\n",  # a complex key: ruamel builds a tuple
        "? a\n: b\n",
        "{a: 1, a: 2}\n",
    ],
)
def test_what_ruamel_refuses_or_builds_specially(text: str) -> None:
    _same_as_ruamel(text.encode())


def test_empty_and_comment_only_documents() -> None:
    for raw in (b"", b"# nothing\n", b"---\n", b"--- ~\n"):
        assert _load_plain(raw) == _safe(raw)


scalar_text = st.one_of(st.sampled_from(TRICKY_SCALARS[:-6]), st.from_regex(r"[a-z0-9._]{1,8}", fullmatch=True))
yaml_values = st.recursive(
    scalar_text,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True), inner, max_size=4).map(
            lambda d: "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"
        ),
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z][a-z0-9_.]{0,10}", fullmatch=True), yaml_values, max_size=6))
def test_generated_documents(doc: dict[str, str]) -> None:
    raw = "".join(f"{k}: {v}\n" for k, v in doc.items()).encode()
    try:
        expected = _safe(raw)
    except Exception:
        expected = Exception
    try:
        got = _load_plain(raw)
    except Exception:
        got = Exception
    assert repr(got) == repr(expected), raw


def test_parse_fast_names_the_line_of_a_duplicate_key() -> None:
    from dxassess.load import LoadFailure

    with pytest.raises(LoadFailure) as info:
        parse_fast("answers.yaml", b"answers:\n  a: {value: 1}\n  a: {value: 2}\n")
    assert info.value.problem.line == 3
