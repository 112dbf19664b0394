"""What a batch keeps in its output folder for the next run into the same folder, so that a
re-run scores and renders only the inputs that changed (`--fresh` ignores it).

The cache is one file, `.dxassess-cache`, apart from every output: a header line (format,
run key, checksum of the rest), then one line per scored input and per questionnaire kept.

- An input's line is keyed by the hash of the run key, its source and its content (the file's
  bytes, or a sheet row's data). It holds the summary row, where the report's peer sections
  are, the report's size, what the peer sections were made from, the earlier batch's entry it
  was compared with, and the files its questionnaire was made from with their hashes.
- The run key covers everything else that changes an output: this cache's format, the dxassess
  version and the hash of its own files (code, texts, report templates, register), the Python
  and library versions, the language, the budget cut-off and `--questionnaire`.
- A questionnaire's line keeps the checked questionnaire and catalogue as JSON, with the files
  they were made from, so a re-run need not parse the YAML again.

Nothing in the file is trusted: a wrong format, run key or checksum, or a line that does not
have the expected shape, and the whole cache is ignored (the run is then a fresh one). It holds
data only (JSON, never pickle or code), and a cached result is used only when its input, its
questionnaire's files and its report on disk (by size) are as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dxassess.files import open_input

NAME = ".dxassess-cache"
FORMAT = 2  # 2: consent to be named and who to ask (issue 22), and each input's warnings
MAGIC = b"dxassess-batch-cache"


def digest(*parts: bytes) -> str:
    """A content hash (SHA-256, the fastest strong hash on these machines, cut to 128 bits)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()[:32]


def checksum(body: bytes | memoryview) -> bytes:
    """The cache body's checksum (CRC-32 and length: it finds a damaged or cut file; what the
    cache depends on is in its keys)."""
    return b"%08x-%d" % (zlib.crc32(body), len(body))


_FILES: dict[tuple[str, int, int], str] = {}


def file_digest(path: str | Path) -> str | None:
    """The hash of a file's content (None when it cannot be read), once per file version."""
    try:
        stat = os.stat(path)
        stamp = (str(path), stat.st_size, stat.st_mtime_ns)
        found = _FILES.get(stamp)
        if found is None:
            with open_input(path) as fh:  # never waits on a FIFO
                found = _FILES[stamp] = digest(fh.read())
        return found
    except OSError:
        return None


def fingerprint() -> str:
    """The hash of dxassess's own files: its code, texts, register data and report templates
    (an edit between two runs of the same version is a different program)."""
    from dxassess.library import data_dir

    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for root in (package, data_dir("reports")):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
                h.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
                h.update(path.read_bytes())
    return h.hexdigest()[:32]


_LIBRARIES = ("jinja2", "markupsafe", "pydantic", "pydantic-core", "ruamel.yaml", "openpyxl")


def _versions() -> str:
    """The versions of the libraries an output depends on, from the names of their installed
    `*.dist-info` folders (one listing per folder on the path; importing importlib.metadata
    and asking it costs a re-run about 0.1 s). A library not found that way is asked for."""
    wanted = {_normal(name): name for name in _LIBRARIES}
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in names:
            if entry.endswith(".dist-info"):
                project, _, version = entry[: -len(".dist-info")].partition("-")
                name = wanted.get(_normal(project))
                if name is not None and name not in found:
                    found[name] = version
        if len(found) == len(wanted):
            break
    if len(found) < len(wanted):
        from importlib import metadata

        for name in _LIBRARIES:
            if name not in found:
                try:
                    found[name] = metadata.version(name)
                except metadata.PackageNotFoundError:
                    found[name] = "-"
    return ";".join(f"{name}={found[name]}" for name in _LIBRARIES)


def _normal(project: str) -> str:
    """A project's name as the packaging standards compare it (case and - _ . alike)."""
    return project.lower().replace("-", "_").replace(".", "_")


def code_key() -> str:
    """The program a cached result is made by: dxassess's version and files, Python's version and
    the libraries'."""
    from dxassess import __version__

    parts = [
        f"format={FORMAT}",
        f"dxassess={__version__}",
        f"files={fingerprint()}",
        f"python={sys.version_info[:3]}",
        _versions(),
    ]
    return digest(*(p.encode("utf-8", "surrogateescape") for p in parts))


def run_key(lang: str, budget_cutoff: int, search: str | None, code: str | None = None) -> str:
    """What every cached result of this run depends on besides its own input and questionnaire
    (`code`: `code_key()`, made already)."""
    parts = [
        f"code={code or code_key()}",
        f"lang={lang}",
        f"cutoff={budget_cutoff}",
        f"questionnaire={search or ''}",
        f"register={_register_digest()}",
    ]
    return digest(*(p.encode("utf-8", "surrogateescape") for p in parts))


def _register_digest() -> str:
    """The municipality register in use (the shipped one, or the user's own after
    `municipalities --update`): tiers and the name checks come from it."""
    from dxassess.register import register_path

    path, _ = register_path()
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:32]
    except OSError:
        return "-"


def input_key(run: str, source: str, content: bytes) -> str:
    return digest(run.encode(), source.encode("utf-8", "surrogateescape"), content)


# --- the file --------------------------------------------------------------------------------


@dataclass
class Cache:
    """The cache of one output folder: entries by input key (with their line as read, so an
    unchanged entry is written back as it was), questionnaires by their file's hash, the texts of
    each questionnaire in the run's language (domain ids and titles in order, question texts; by
    its file's hash), and what the summaries were made from."""

    run: str
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    lines: dict[str, bytes] = field(default_factory=dict)  # input key → its line (without "E\tkey\t")
    questionnaires: dict[str, dict[str, Any]] = field(default_factory=dict)
    texts: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # → {"titles", "questions"}
    summaries: str = ""  # the hash of what the summaries were made from, and of each summary

    @classmethod
    def load(cls, folder: Path, run: str) -> Cache | None:
        """The cache kept in `folder` for this run key; None when there is none, or it is
        damaged, of another format or of another program or setting."""
        try:
            with open_input(folder / NAME) as fh:  # a FIFO or device there is no cache
                raw = fh.read()
        except OSError:
            return None
        try:
            # The lines are cut out of the file as read, not out of copies of its body and of
            # its lines (the file is some 24 MB for 1,741 inputs: each copy cost a re-run ~10 ms).
            end = raw.find(b"\n")
            head, start = (raw, len(raw)) if end < 0 else (raw[:end], end + 1)
            magic, version, key, summaries, check = head.split(b" ")
            if magic != MAGIC or version != str(FORMAT).encode() or key.decode() != run:
                return None
            if checksum(memoryview(raw)[start:]) != check:
                return None
            cache = cls(run, summaries="" if summaries == b"-" else summaries.decode())
            loads = json.loads
            find, size = raw.find, len(raw)
            while start < size:
                stop = find(b"\n", start)
                if stop < 0:
                    stop = size
                if start == stop:  # an empty line
                    start += 1
                    continue
                first = find(b"\t", start, stop)
                second = find(b"\t", first + 1, stop) if first >= 0 else -1
                if second < 0:
                    raise ValueError("a line without its three fields")
                kind, name, payload = raw[start:first], raw[first + 1 : second], raw[second + 1 : stop]
                start = stop + 1
                if kind == b"E":  # read when asked for (`entry`): a re-run knows first what is new
                    cache.lines[name.decode()] = payload
                    continue
                value = loads(payload)
                if kind == b"Q" and valid_questionnaire(value):
                    cache.questionnaires[name.decode()] = value
                elif kind == b"D" and _valid_texts(value):
                    cache.texts[name.decode()] = value
                else:
                    return None
            return cache
        except (ValueError, UnicodeDecodeError, TypeError, KeyError, AttributeError, IndexError):
            return None

    def entry(self, key: str) -> dict[str, Any] | None:
        """The entry of an input key; None when there is none or its line does not have the
        shape a run relies on (that input is then scored again)."""
        found = self.entries.get(key)
        if found is None and key in self.lines:
            try:
                data, fragment = self.lines[key].split(b"\t")
                found = decode(json.loads(data.decode()), fragment, self.texts)  # str: no encoding sniffing
            except (ValueError, UnicodeDecodeError, TypeError, KeyError, AttributeError, IndexError):
                found = None
            if found is None:
                del self.lines[key]
            else:
                self.entries[key] = found
        return found

    def payload(self) -> bytes:
        """The file's bytes: the same content gives the same bytes (a questionnaire's texts come
        before the entries that need its domain ids)."""
        # pieces joined once (the entries are some 24 MB for 1,741 inputs): no line is copied twice
        pieces: list[bytes] = []
        for kind, table in ((b"Q", self.questionnaires), (b"D", self.texts)):
            for k, v in sorted(table.items()):
                pieces += (kind, b"\t", k.encode(), b"\t", dumps(v), b"\n")
        for k in sorted(set(self.entries) | set(self.lines)):
            pieces += (b"E\t", k.encode(), b"\t", self.lines.get(k) or encode(self.entries[k]), b"\n")
        crc = 0
        for piece in pieces:
            crc = zlib.crc32(piece, crc)
        check = b"%08x-%d" % (crc, sum(map(len, pieces)))  # checksum() of the body, without making it
        summaries = self.summaries.encode() or b"-"
        head = b" ".join([MAGIC, str(FORMAT).encode(), self.run.encode(), summaries, check])
        return b"".join([head, b"\n", *pieces])


def dumps(value: Any) -> bytes:
    # key order is kept; the same value gives the same bytes
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# An input's line is a JSON array (fields in this order), a tab, and the municipality's object
# of summary.json as it is (JSON text holds no tab or line break, so it needs no quoting).
# Domain scores are lists in the order of the questionnaire's domains (its "D" line's titles).
ROW_FIELDS = ("source", "code", "name", "prefecture", "population", "tier", "band", "assessed", "questionnaire")


def encode_head(row: dict[str, Any], slot: list[list[int]]) -> bytes:
    """The JSON array of an input's line as far as it is known once the input is scored (its
    fields up to the report's rooms): the worker that scored it makes this part, and the main
    process only adds what the size bands decide (`encode`)."""
    values = [row[k] for k in ROW_FIELDS] + [
        row["overall"],
        row["completeness"],
        list(row["domains"].values()),
        row["exact"]["overall"],
        list(row["exact"]["domains"].values()),
        " ".join(row["gaps"]),
        slot[0] + slot[1],
    ]
    return dumps(values)


def encode(entry: dict[str, Any], head: bytes | None = None) -> bytes:
    """An input's line. `head`: `encode_head` of its row, made already; the array is then closed
    with the other fields, byte for byte as one `dumps` of all of them."""
    row = entry["row"]
    return _line(head or encode_head(row, entry["slot"]), entry, row)


def line_of(row: dict[str, Any]) -> bytes:
    """The line of a run's row, which holds its entry's fields beside its own (and `head`, made
    by the worker that scored it): as `encode` of the row as its entry, without making that."""
    head = row.get("head")
    return _line(head or encode_head(row, row["slot"]), row, row)


def _line(start: bytes, entry: dict[str, Any], row: dict[str, Any]) -> bytes:
    rest = [
        entry["size"],
        entry["files"],
        entry["prev"],
        entry["group"],
        list(entry["percentile"].values()),
        entry["peer"],
        row["share"],
        entry["ask"],
        row.get("warnings", []),
    ]
    return b"".join((start[:-1], b",", dumps(rest)[1:], b"\t", row["json"]))


_NUMBERS = {int, float, type(None)}
_STR, _INT, _LISTS = {str}, {int}, (list, list, list, list)


def _strings(values: Any) -> bool:
    return set(map(type, values)) <= {str}


def _numbers(values: Any) -> bool:
    return set(map(type, values)) <= _NUMBERS


def _files(v: Any) -> bool:
    return type(v) is list and all(type(f) is list and len(f) == 2 and _strings(f) for f in v)


def decode(values: Any, fragment: bytes, texts: dict[str, dict[str, dict[str, str]]]) -> dict[str, Any] | None:
    """An entry from its line, or None when the line does not have the shape a run relies on
    (every field, its type)."""
    n = len(ROW_FIELDS)
    if type(values) is not list or len(values) != n + 16:
        return None
    fixed = values[:n]
    overall, completeness, scores, exact, exact_scores, gaps, slot, size, files, prev, group, position, peer = values[
        n : n + 13
    ]
    share, ask, warnings = values[n + 13 :]
    if type(warnings) is not list or not all(type(w) is dict for w in warnings):
        return None
    if (
        not _share(share)
        or type(ask) is not list
        or len(ask) != 2
        or type(ask[0]) is not str
        or type(ask[1]) is not int
    ):
        return None
    population = fixed.pop(4)
    if type(population) is not int or set(map(type, fixed)) != _STR or not _files(files) or not files:
        return None
    fixed.insert(4, population)
    ids = list(texts[files[0][1]]["titles"]) if files[0][1] in texts else []
    shapes = (type(scores), type(exact_scores), type(position), type(slot))
    sizes = (len(scores), len(exact_scores), len(position), len(slot)) if shapes == _LISTS else ()
    if not ids or sizes != (len(ids), len(ids), len(ids) + 1, 4):
        return None
    if not set(map(type, [overall, completeness, exact, *scores, *exact_scores, *position])) <= _NUMBERS:
        return None
    if set(map(type, slot)) != _INT or min(slot) < 0 or type(size) is not int:
        return None
    if set(map(type, (gaps, prev, group, peer))) != _STR or len(fixed[1]) < 2:
        return None
    row = dict(zip(ROW_FIELDS, fixed))
    row.update(
        pref=row["code"][:2],
        overall=overall,
        completeness=completeness,
        domains=dict(zip(ids, scores)),
        exact={"overall": exact, "domains": dict(zip(ids, exact_scores))},
        gaps=gaps.split(),
        json=fragment,
        share=share,
    )
    if warnings:  # as the worker gives it: only a row with warnings has the key
        row["warnings"] = warnings
    return {
        "row": row,
        "slot": [slot[:2], slot[2:]],
        "size": size,
        "files": files,
        "prev": prev,
        "group": group,
        "percentile": dict(zip(["overall", *ids], position)),
        "peer": peer,
        "ask": ask,
    }


def _share(value: Any) -> bool:
    """A row's `share`: {"named": its peers.json entry or None, "asking": [[question id,
    target]], "first": [question ids]} (its full shape is checked where it is read)."""
    if type(value) is not dict or set(value) != {"named", "asking", "first"}:
        return False
    if value["named"] is not None and type(value["named"]) is not dict:
        return False
    return type(value["asking"]) is list and type(value["first"]) is list


def store(folder: Path, payload: bytes, protect: set[Path]) -> None:
    """Write the cache (`Cache.payload()`, atomically). A cache that cannot be written is no
    error: the one before stays, and it still describes the folder (a run that changes reports
    removes it first, `forget`), so the next run trusts no more than it may."""
    from dxassess.errors import DxassessError
    from dxassess.files import write_atomic

    try:
        write_atomic(folder / NAME, payload, protect=protect, durable=False)
    except (DxassessError, OSError):
        pass


def forget(folder: Path) -> None:
    """Remove the cache before outputs change under it: if the run stops half-way, the next run
    is a fresh one rather than one that trusts a description of files that changed."""
    try:
        os.unlink(folder / NAME)
    except OSError:
        pass


def _valid_texts(value: Any) -> bool:
    if type(value) is not dict or set(value) != {"titles", "questions"}:
        return False
    return all(type(v) is dict and _strings(v) and _strings(v.values()) for v in value.values())


def valid_questionnaire(q: Any) -> bool:
    """Whether a kept questionnaire entry has the shape a run relies on (its files, models as JSON)."""
    if type(q) is not dict or type(q.get("questionnaire")) is not str:
        return False
    return (q.get("catalogue") is None or type(q["catalogue"]) is str) and _files(q.get("files"))
