"""YAML text → plain data with the position of every node, within safe input limits.

One grammar for every command: the document is composed into nodes (ruamel's C parser first;
where it refuses a file, the round-trip parser, pure Python, tries again before the file is
rejected), then converted to plain Python values while a
map from JSON path to (line, col) is recorded. Duplicate keys, nesting depth and alias expansion
are checked during that conversion. Nothing here touches the file system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dxassess.messages import Msg, foreign, msg
from dxassess.problems import Problem

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 100
MAX_NODES = 1_000_000  # nodes after alias expansion

Path = tuple[Any, ...]


@dataclass
class Document:
    """Plain data of one YAML file plus the 1-based position of every value and key."""

    path: str
    data: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Path, key: bool = False) -> tuple[int, int]:
        """Position of the deepest known node along `loc`; with `key`, of the key itself when
        the whole path is known (for unknown keys). Unknown path items are skipped."""
        current: Path = ()
        for item in loc:
            if current + (item,) in self.positions:
                current = current + (item,)
        if key and loc and current and current[-1] == loc[-1] and current in self.key_positions:
            return self.key_positions[current]
        return self.positions.get(current, (1, 1))


class LoadFailure(Exception):
    """The text is not loadable; carries exactly one problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _fail(path: str, line: int, col: int, code: str, message: Msg) -> LoadFailure:
    return LoadFailure(Problem(path, line, col, "error", code, message))


def decode(path: str, raw: bytes) -> str:
    """Bytes → text: size limit, UTF-8 (a BOM is allowed), no binary content."""
    if len(raw) > MAX_BYTES:
        raise _fail(path, 1, 1, "DX001", msg("load.too_large", mb=len(raw) / 1e6))
    if not raw.strip():
        raise _fail(path, 1, 1, "DX010", msg("load.empty"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _fail(path, line, col, "DX002", msg("load.not_utf8")) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise _fail(path, line, 1, "DX002", msg("load.binary"))
    return text


_YAML_CACHE: dict[bool, Any] = {}


def _yaml(pure: bool) -> Any:
    """The C-backed safe loader, or (`pure`) the round-trip loader, ruamel's pure-Python parser
    that `run` also edits answer files with: a file the C parser refuses is tried again there."""
    if pure not in _YAML_CACHE:
        from ruamel.yaml import YAML

        _YAML_CACHE[pure] = YAML(typ="rt") if pure else YAML(typ="safe", pure=False)
    return _YAML_CACHE[pure]


def _count_values(path: str, text: str) -> None:
    """Refuse a file with more than MAX_NODES values before its node tree is built: composing
    costs about 1 KB and 10 µs per node, so a 10 MB file of `[0,0,0,...]` would otherwise take a
    minute and gigabytes to refuse. Values are counted as `_Converter` counts them (mapping keys
    are not values; an alias counts once here, its expansion is counted while converting). Only
    large texts can hold that many values (each takes at least two characters)."""
    if len(text) < MAX_NODES:
        return
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent, MappingStartEvent, NodeEvent

    for pure in (False, True):
        count = 0
        # per open collection: True / False = a mapping expecting a key / a value; None = a list
        open_: list[bool | None] = []
        try:
            for event in _yaml(pure).parse(text):
                if isinstance(event, CollectionEndEvent):
                    open_.pop()
                    continue
                if not isinstance(event, NodeEvent):
                    continue
                is_key = bool(open_) and open_[-1] is True
                if open_ and open_[-1] is not None:
                    open_[-1] = not open_[-1]
                if not is_key:
                    count += 1
                    if count > MAX_NODES:
                        mark = event.start_mark
                        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
                        raise _fail(path, line, col, "DX001", msg("load.too_many_values", limit=MAX_NODES))
                if isinstance(event, CollectionStartEvent):
                    open_.append(True if isinstance(event, MappingStartEvent) else None)
            return
        except LoadFailure:
            raise
        except Exception:  # a syntax error: `compose` reports it with its position
            continue


def compose(path: str, text: str) -> Any:
    """Text → YAML node tree. Tries the C parser first, then the round-trip (pure-Python) parser."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    _count_values(path, text)
    last: Exception | None = None
    for pure in (False, True):
        try:
            return _yaml(pure).compose(text)
        except MarkedYAMLError as exc:
            last = exc
        except (YAMLError, ValueError, RecursionError) as exc:
            last = exc
    mark = getattr(last, "problem_mark", None) or getattr(last, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(last, "problem", None) or str(last).splitlines()[0]
    if isinstance(last, RecursionError):
        raise _fail(path, 1, 1, "DX004", msg("load.too_deep", limit=MAX_DEPTH))
    raise _fail(path, line, col, "DX003", msg("load.yaml_syntax", problem=foreign(str(problem))))


class _Converter:
    def __init__(self, path: str, constructor: Any) -> None:
        self.path = path
        self.constructor = constructor
        self.positions: dict[Path, tuple[int, int]] = {}
        self.key_positions: dict[Path, tuple[int, int]] = {}
        self.count = 0
        self.seen: set[int] = set()
        self.aliased = False

    @staticmethod
    def _pos(node: Any) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def convert(self, node: Any, loc: Path, depth: int) -> Any:
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        self.count += 1
        if self.count > MAX_NODES:
            line, col = self._pos(node)
            if self.aliased:
                raise _fail(self.path, line, col, "DX005", msg("load.alias_bomb"))
            raise _fail(self.path, line, col, "DX001", msg("load.too_many_values", limit=MAX_NODES))
        if depth > MAX_DEPTH:
            line, col = self._pos(node)
            raise _fail(self.path, line, col, "DX004", msg("load.too_deep", limit=MAX_DEPTH))
        if isinstance(node, (MappingNode, SequenceNode)):
            if id(node) in self.seen:
                self.aliased = True
            self.seen.add(id(node))
        self.positions.setdefault(loc, self._pos(node))
        if isinstance(node, MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, (MappingNode, SequenceNode)):
                    line, col = self._pos(key_node)
                    raise _fail(self.path, line, col, "DX011", msg("load.key_not_plain"))
                if key_node.tag == "tag:yaml.org,2002:merge":
                    line, col = self._pos(key_node)
                    raise _fail(self.path, line, col, "DX011", msg("load.merge_key"))
                key = self.scalar(key_node)
                if isinstance(key, (list, dict)) or key is None:
                    line, col = self._pos(key_node)
                    raise _fail(self.path, line, col, "DX011", msg("load.key_not_plain"))
                if key in result:
                    line, col = self._pos(key_node)
                    raise _fail(self.path, line, col, "DX006", msg("load.duplicate_key", key=key))
                self.key_positions.setdefault(loc + (key,), self._pos(key_node))
                result[key] = self.convert(value_node, loc + (key,), depth + 1)
            return result
        if isinstance(node, SequenceNode):
            return [self.convert(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: Any) -> Any:
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except Exception as exc:  # a scalar the safe constructor refuses (unknown tag, bad date)
            line, col = self._pos(node)
            reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise _fail(self.path, line, col, "DX003", msg("load.yaml_value", reason=foreign(str(reason)))) from None


def _check_expansion(path: str, root: Any) -> None:
    """Refuse alias bombs before expanding anything: the expanded size of the node graph is
    computed once per distinct node (aliases share nodes), counting values as `_Converter` does."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    def children(node: Any) -> list[Any]:
        if isinstance(node, MappingNode):
            return [value for _, value in node.value]
        if isinstance(node, SequenceNode):
            return list(node.value)
        return []

    sizes: dict[int, int] = {}
    open_: set[int] = set()
    shared = False
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children(node))
            if sizes[key] > MAX_NODES:
                line, col = node.start_mark.line + 1, node.start_mark.column + 1
                if shared:
                    raise _fail(path, line, col, "DX005", msg("load.alias_bomb"))
                raise _fail(path, line, col, "DX001", msg("load.too_many_values", limit=MAX_NODES))
            continue
        if key in sizes:
            shared = True
            continue
        if key in open_:
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
            raise _fail(path, line, col, "DX005", msg("load.alias_recursive"))
        open_.add(key)
        stack.append((node, True))
        for child in children(node):
            if id(child) in sizes:
                shared = True
            else:
                stack.append((child, False))


def parse(path: str, text: str) -> Document:
    """YAML text → Document. Raises LoadFailure with one problem."""
    node = compose(path, text)
    if node is None:
        raise _fail(path, 1, 1, "DX010", msg("load.no_content"))
    _check_expansion(path, node)
    converter = _Converter(path, _yaml(False).constructor)
    try:
        data = converter.convert(node, (), 0)
    except RecursionError:
        raise _fail(path, 1, 1, "DX004", msg("load.too_deep", limit=MAX_DEPTH)) from None
    return Document(path, data, converter.positions, converter.key_positions)


def parse_bytes(path: str, raw: bytes) -> Document:
    return parse(path, decode(path, raw))


def detect_kind(doc: Document) -> str:
    """`questionnaire`, `answers` or `catalogue`, from the top-level keys."""
    if not isinstance(doc.data, dict):
        name = type(doc.data).__name__
        keys = {
            "list": "load.found_list",
            "str": "load.found_text",
            "int": "load.found_number",
            "float": "load.found_number",
        }
        found = msg(keys[name]) if name in keys else Msg(name, f" {name} ")
        raise _fail(doc.path, 1, 1, "DX007", msg("load.top_not_mapping", found=found))
    keys = set(doc.data)
    if "domains" in keys:
        return "questionnaire"
    if (
        "sections" in keys
        or "catalogue" in keys
        and "domains" not in keys
        and "answers" not in keys
        and "municipality" not in keys
        and "id" not in keys
    ):
        return "catalogue"
    if "answers" in keys or "municipality" in keys:
        return "answers"
    raise _fail(
        doc.path,
        1,
        1,
        "DX008",
        msg("load.unknown_kind"),
    )


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


def parse_fast(path: str, raw: bytes) -> Document:
    """Like `parse_bytes`, for batch work: plain files (no anchors, merge keys, complex keys or
    tags) are loaded with the C-backed safe loader without positions; anything else, and any
    file the C loader refuses (duplicate keys, syntax), goes through the position-keeping path.
    Both paths accept exactly the same files and give the same data."""
    text = decode(path, raw)
    _count_values(path, text)  # before the C loader builds a node per value
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
