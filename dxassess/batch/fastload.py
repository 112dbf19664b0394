"""The batch's own YAML reader: answer files read fast, the same data or the same refusal as
`dxassess.load`, which every other command uses.

Plain files (no anchors, merge keys, complex keys, tags or `%YAML` directive) are composed by
ruamel's C parser and turned into values by a small function instead of ruamel's
SafeConstructor, with a resolver that remembers the tag of each plain scalar. Anything else, and
any file the C parser or that function refuses, takes `load.parse` (the checked path with
positions), so every error names its line. This touches ruamel internals (resolver tables,
`get_constructor_parser`): pyproject pins ruamel.yaml below its next minor version, and
tests/test_fast_load.py checks both paths give the same data.
"""

from __future__ import annotations

import re
from typing import Any

from dxassess.load import MAX_DEPTH, MAX_NODES, Document, count_values, decode, parse

_PLAIN_UNSAFE = (b"&", b"<<", b"\n?", b"!", b"%YAML")
_FAST: list[Any] = []


def _fast_yaml() -> Any:
    """The C-backed safe loader, for files without a %YAML directive (where the version is always
    ruamel's default), with a resolver that gives the same tags for less: the version's table is
    looked up once per loader instead of once per scalar (ruamel walks a chain of attribute
    errors for it), quoted scalars are strings without a look at the table, and the tag of a
    plain scalar is remembered by its text (answer files repeat keys and values)."""
    if not _FAST:
        from ruamel.yaml import YAML
        from ruamel.yaml.nodes import ScalarNode
        from ruamel.yaml.resolver import VersionedResolver

        remembered: dict[str, Any] = {}
        shared: dict[str, Any] = {}

        class DefaultVersionResolver(VersionedResolver):
            _table: Any = None

            @property
            def versioned_resolver(self) -> Any:
                if self._table is None:
                    self._table = VersionedResolver.versioned_resolver.fget(self)  # type: ignore[attr-defined]
                return self._table

            def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
                if kind is not ScalarNode or self.yaml_path_resolvers:
                    return super().resolve(kind, value, implicit)
                if not implicit[0]:  # quoted, or a block scalar: always a string
                    return self.DEFAULT_SCALAR_TAG
                tag = remembered.get(value)
                if tag is None:
                    tag = super().resolve(kind, value, implicit)
                    tag = shared.setdefault(str(tag), tag)
                    if len(remembered) > 50_000:  # bounded, whatever the files hold
                        remembered.clear()
                    remembered[value] = tag
                return tag

        fast = YAML(typ="safe", pure=False)
        fast.Resolver = DefaultVersionResolver
        _FAST.append(fast)
    return _FAST[0]


class _NotPlain(Exception):
    """A node the quick construction leaves to ruamel's constructor."""


def _load_plain(raw: bytes) -> Any:
    """`_fast_yaml().load(raw)`, with the nodes turned into values by `_construct` rather than
    ruamel's SafeConstructor where they are plain (string, number, boolean, null and date
    scalars; mappings with scalar keys; sequences). Same values, same errors."""
    from ruamel.yaml.docinfo import DocInfo, version

    yaml = _fast_yaml()
    del yaml.doc_infos[:-1]  # ruamel keeps one per load
    yaml.doc_infos.append(DocInfo(requested_version=version(yaml.version)))
    yaml.tags = {}
    constructor, parser = yaml.get_constructor_parser(raw)
    try:
        node = constructor.composer.get_single_node()
        if node is None:
            return None
        try:
            return _construct(node, constructor)
        except _NotPlain:
            return constructor.construct_document(node)
    finally:
        parser.dispose()


_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")


def _construct(node: Any, constructor: Any) -> Any:
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    str_tag = constructor.resolver.DEFAULT_SCALAR_TAG
    by_tag = constructor.yaml_constructors

    def value(node: Any) -> Any:
        kind = type(node)
        if kind is ScalarNode:
            tag = node.ctag
            if tag is str_tag:
                return node.value
            text = node.value
            tag_name = str(tag)
            # The two commonest numbers, as ruamel's constructors would read them.
            if tag_name == _INT and text.isascii() and text.isdigit() and (text[0] != "0" or text == "0"):
                return int(text)
            if tag_name == _FLOAT and _DECIMAL.fullmatch(text):
                return float(text)
            build = by_tag.get(tag_name)
            if build is None:
                raise _NotPlain
            return build(constructor, node)
        if kind is MappingNode:
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not ScalarNode:
                    raise _NotPlain  # a complex key: ruamel decides
                key = value(key_node)
                if key in mapping:
                    raise _NotPlain  # a duplicate: ruamel's constructor raises its error
                mapping[key] = value(value_node)
            return mapping
        if kind is SequenceNode:
            return [value(item) for item in node.value]
        raise _NotPlain

    return value(node)


# --- answer files in the layout dxassess writes, read line by line --------------------------------
#
# A top-level key with a value, or with a block of `  key: value` lines under it; values are flow
# mappings of `key: value` on one line, double-quoted strings without escapes, and plain scalars
# whose type YAML 1.2 settles without doubt (decimal integers and fractions, true/false/null, a
# date, words that cannot be anything but text). Anything else (escapes, quotes of another kind,
# comments after a value, tabs, sequences, anchors, a key twice ...) is not this layout: the file
# goes to the C loader below, as it did before. tests/test_fast_load.py checks both agree.

_TOP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?")
_NESTED = re.compile(r"  ([A-Za-z_][A-Za-z0-9_.\-]*): (.+)")
_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
_VAL = r'"[^"\\]*"|[^\s,{}\[\]"\'#][^,{}\[\]"#]*?'
_FLOW = re.compile(rf"\{{{_KEY}: (?:{_VAL})(?:, {_KEY}: (?:{_VAL}))*\}}")
_PAIRS = re.compile(rf"({_KEY}): ({_VAL})(?=, |$)")
# starts with a letter or a wide character; no `?` (in a flow mapping ruamel ends the word there
# and refuses the rest, so such a value is left to it and its error)
_WORD = re.compile(r"[^\x00-\x40\[\\\]^`{|}~][^\s:,{}\[\]\"\'#?]*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?")
_AMBIGUOUS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}  # in some YAML version or case


class _NotLines(Exception):
    """Not the layout `_load_lines` reads."""


def _scalar(text: str) -> Any:
    if text[0] == '"':
        if len(text) < 2 or not text.endswith('"') or '"' in text[1:-1] or "\\" in text or not text.isprintable():
            raise _NotLines
        return text[1:-1]
    found = _PLAIN.get(text, _UNSEEN)
    if found is _UNSEEN:
        found = _plain(text)
        if len(_PLAIN) >= PLAIN_KEPT:
            _PLAIN.clear()
        _PLAIN[text] = found
    return found


_UNSEEN = object()
_PLAIN: dict[str, Any] = {}  # unquoted scalar → its value (answer files repeat levels and option keys)
PLAIN_KEPT = 10_000


def _plain(text: str) -> Any:
    """An unquoted scalar's value (immutable: int, float, bool, None, date or str)."""
    number = _NUMBER.fullmatch(text)
    if number:
        return float(text) if number.group(1) else int(text)
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    if _DATE.fullmatch(text):
        import datetime as dt

        try:
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
        except ValueError:
            raise _NotLines from None
    if _WORD.fullmatch(text) and text.lower() not in _AMBIGUOUS and text.isprintable():
        return text
    raise _NotLines


def _key(text: str) -> str:
    """A key that is text in every YAML version and case (not `true`, `null`, `on` ...)."""
    if text.lower() in _AMBIGUOUS:
        raise _NotLines
    return text


def _value(text: str) -> Any:
    if not text:
        raise _NotLines
    if text[0] == "{":
        if _FLOW.fullmatch(text) is None:
            raise _NotLines
        pairs = _PAIRS.findall(text, 1, len(text) - 1)
        mapping = {}
        for key, value in pairs:
            if key.lower() in _AMBIGUOUS:
                raise _NotLines
            mapping[key] = _scalar(value)
        if len(mapping) != len(pairs):
            raise _NotLines  # a key twice: the checked path names it
        return mapping
    return _scalar(text)


def _load_lines(text: str) -> dict[str, Any] | None:
    """An answer file in the layout dxassess writes, as data (what ruamel's safe loader gives
    for it); None when the file is not in that layout."""
    if "\t" in text or "\r" in text:
        return None
    data: dict[str, Any] = {}
    block: dict[str, Any] | None = None
    nested_line, top_line = _NESTED.fullmatch, _TOP.fullmatch
    try:
        for line in text.split("\n"):
            if not line or line[0] == "#":
                continue
            if line[:2] == "  ":
                nested = nested_line(line)
                if block is None or nested is None:
                    return None
                key, value = nested.groups()
                if key in block or key.lower() in _AMBIGUOUS:
                    return None
                block[key] = _value(value)
                continue
            top = top_line(line)
            if top is None or top.group(1) in data:
                return None
            key = _key(top.group(1))
            if top.group(2) is None:
                block = data[key] = {}
            else:
                block = None
                data[key] = _value(top.group(2))
    except _NotLines:
        return None
    if not data or any(v == {} for v in data.values()):
        return None  # an empty block is null in YAML, not a mapping
    return data


def parse_fast(path: str, raw: bytes) -> Document:
    """Like `parse_bytes`, for batch work: answer files in the layout dxassess writes are read
    line by line (`_load_lines`); other plain files (no anchors, merge keys, complex keys or tags)
    with the C-backed safe loader without positions; anything else, and any file the C loader
    refuses (duplicate keys, syntax), goes through the position-keeping path. Every path accepts
    exactly the same files and gives the same data."""
    text = decode(path, raw)
    count_values(path, text)  # before the C loader builds a node per value
    quick = _load_lines(text)
    if quick is not None:
        return Document(path, quick)
    if not any(marker in raw for marker in _PLAIN_UNSAFE):
        try:
            data = _load_plain(raw)
        except Exception:  # the C loader refused the file: retry where positions are kept
            data = None
        else:
            if data is not None and (not _could_exceed_limits(raw) or _within_limits(data)):
                return Document(path, data)
    return parse(path, text)


def _could_exceed_limits(raw: bytes) -> bool:
    """Whether a file might break the depth or size limits, by a cheap look at its bytes: every
    level of nesting costs a flow bracket or at least one more character of line indentation
    (block mappings and sequences), and every value at least two characters."""
    if len(raw) >= MAX_NODES:
        return True
    indent = MAX_DEPTH - 1 - raw.count(b"[") - raw.count(b"{")  # the indentation that could be too deep
    return indent <= 0 or re.search(rb"\n[ \t-]{%d}" % indent, b"\n" + raw) is not None


def _within_limits(data: Any) -> bool:
    """The depth and size limits `parse` enforces, checked on data the C loader built (a file
    over them goes through `parse`, which names the problem and its line)."""
    stack = [(data, 0)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH or count > MAX_NODES:
            return False
        if isinstance(node, dict):
            stack.extend((value, depth + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node)
    return True
