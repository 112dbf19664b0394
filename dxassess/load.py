"""YAML text → plain data with the position of every node, within safe input limits.

One grammar for every command: the document is composed into nodes (ruamel's C parser first;
where it refuses a file, the round-trip parser, pure Python, tries again before the file is
rejected), then converted to plain Python values while a
map from JSON path to (line, col) is recorded. Duplicate keys, nesting depth and alias expansion
are checked during that conversion. Nothing here touches the file system.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

from dxassess.problems import Problem
from dxassess.text import Msg, msg
from dxassess.text.problems import foreign

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 100
MAX_NODES = 1_000_000  # nodes after alias expansion

Loc = tuple[Any, ...]  # a JSON path into a document: keys and list indexes


@dataclass
class Document:
    """Plain data of one YAML file plus the 1-based position of every value and key."""

    path: str
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc, key: bool = False) -> tuple[int, int]:
        """Position of the deepest known node along `loc`; with `key`, of the key itself when
        the whole path is known (for unknown keys). Unknown path items are skipped."""
        current: Loc = ()
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


def count_values(path: str, text: str) -> None:
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

    count_values(path, text)
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
        self.positions: dict[Loc, tuple[int, int]] = {}
        self.key_positions: dict[Loc, tuple[int, int]] = {}
        self.count = 0
        self.seen: set[int] = set()
        self.aliased = False

    @staticmethod
    def _pos(node: Any) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def convert(self, node: Any, loc: Loc, depth: int) -> Any:
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


def read_bytes(path: FilePath | str) -> bytes:
    """The bytes of an input file. Raises LoadFailure naming why it cannot be read: DX009 (missing,
    a folder, a device, FIFO or socket, unreadable) or DX001 (over MAX_BYTES, found before
    anything is read; the read itself is bounded too)."""
    from dxassess.files import SpecialFile, TooLarge, read_input
    from dxassess.text.problems import os_reason

    name = str(path)
    try:
        return read_input(path, MAX_BYTES)
    except TooLarge as exc:
        raise _fail(name, 1, 1, "DX001", msg("load.too_large", mb=exc.size / 1e6)) from None
    except SpecialFile:
        raise _fail(name, 1, 1, "DX009", msg("read.special_file")) from None
    except IsADirectoryError:
        raise _fail(name, 1, 1, "DX009", msg("read.is_folder")) from None
    except FileNotFoundError:
        raise _fail(name, 1, 1, "DX009", msg("read.not_found")) from None
    except OSError as exc:
        raise _fail(name, 1, 1, "DX009", msg("read.cannot_read", reason=os_reason(exc))) from None


def read_document(path: FilePath | str) -> Document:
    """An input file → Document. Raises LoadFailure with one problem."""
    return parse_bytes(str(path), read_bytes(path))
