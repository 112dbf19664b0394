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


# --- answer files in the layout dxassess writes, read line by line ------------------------------

from dxassess.batch.fastload import _load_lines  # noqa: E402

LINE_VALUES = [
    '"text"', '""', '"札幌市"', '"a, b: c"', '"with \\"escape\\""', '"back\\\\slash"', "'single'", "3", "-3", "0",
    "012", "3.50", "-28.6", "1e3", ".5", "1_000", "true", "false", "True", "null", "~", "Null", "yes", "on", "no",
    "2026-09-04", "2026-9-4", "2026-13-40", "slogan", "meeting_rooms", "札幌市", "庁議で報告。", "a b", "a: b",
    "a#b", "x # comment", "[1, 2]", "{}", "&anchor x", "*alias", "!tag x", "|", ">", "%x", "@x", "`x",
]  # fmt: skip
LINE_KEYS = ["value", "note", "review", "true", "null", "on", "Yes", "1", "_x", "a.b"]


def _same_as_ruamel_lines(text: str) -> None:
    """`_load_lines` either declines (None) or gives exactly what ruamel's safe loader gives."""
    quick = _load_lines(text)
    if quick is None:
        return
    assert repr(quick) == repr(_safe(text.encode())), text


@pytest.mark.parametrize("value", LINE_VALUES)
def test_line_reader_values_in_every_place(value: str) -> None:
    for text in (
        f"a: {value}\n",
        f"a:\n  b.c: {value}\n",
        f"a:\n  b.c: {{value: {value}}}\n",
        f"a:\n  b.c: {{value: 1, note: {value}}}\n",
        f"a:\n  b.c: {{note: {value}, review: true}}\n",
    ):
        _same_as_ruamel_lines(text)


@pytest.mark.parametrize("key", LINE_KEYS)
def test_line_reader_keys(key: str) -> None:
    for text in (f"{key}: 1\n", f"a:\n  {key}: 1\n", f"a: {{{key}: 1}}\n", f"a:\n  b: {{{key}: 1, x: 2}}\n"):
        _same_as_ruamel_lines(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",
        "a:\n  b: 1\n  b: 2\n",
        "a: {x: 1, x: 2}\n",
        "a:\n",
        "a:\n# only a comment\n",
        "a: 1\n  b: 2\n",
        "a:\n    b: 1\n",
        "a:\n\tb: 1\n",
        "a: 1\r\nb: 2\r\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "a: {x: 1,}\n",
        "a: {x: 1, }\n",
        "a: {x: 1 , y: 2}\n",
        "a: {x:1}\n",
        "answers:\n  a.b: {value: A?}\n",  # ruamel refuses `?` in a flow value (found by hypothesis, 2026-12-05)
        "a: 1 \n",
        "a: \n",
        "# header\na: {value: 3, note: 庁議で毎月報告している。}\n",
    ],
)
def test_line_reader_declines_or_agrees(text: str) -> None:
    _same_as_ruamel_lines(text)


def test_line_reader_reads_what_dxassess_writes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Files from `sample` (the layout every writer of dxassess uses) are read line by line, with
    the data the C loader gives."""
    from .conftest import MINI, run_cli

    for questionnaire in (None, MINI):
        folder = tmp_path / ("mini" if questionnaire else "flagship")
        args = ["sample", "--count", "12", "--seed", "5", "-o", str(folder)]
        proc = run_cli(*args, *(["-q", str(questionnaire)] if questionnaire else []))
        assert proc.returncode == 0, proc.stderr
        for path in sorted(folder.glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            quick = _load_lines(text)
            assert quick is not None, path
            assert repr(quick) == repr(_safe(text.encode()))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["value", "note", "review", "na", "skipped", "public_note"]),
            st.one_of(
                st.sampled_from(LINE_VALUES),
                st.integers(-(10**6), 10**6).map(str),
                st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
                st.text(max_size=12).map(lambda s: '"' + s + '"'),
                st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x30FF), max_size=8),
            ),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_line_reader_against_ruamel_on_made_up_answers(pairs: list[tuple[str, str]]) -> None:
    body = ", ".join(f"{k}: {v}" for k, v in pairs)
    text = f'questionnaire: {{id: mini, version: "1.0.0"}}\nanswers:\n  a.b: {{{body}}}\n'
    try:
        expected = _safe(text.encode())
    except Exception:
        expected = None
    quick = _load_lines(text)
    if quick is not None:
        assert expected is not None and repr(quick) == repr(expected), text
