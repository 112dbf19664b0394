"""The questionnaire resolver of a batch: it records which files each questionnaire was made
from (questionnaire, catalogue, the version it migrates from) with their hashes, so a cached
result can be checked against them; and it takes a questionnaire kept (as JSON) in the output
folder's cache, or in the user's store beside the compiled templates, when those files are
unchanged, instead of parsing and checking its YAML again."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from dxassess.batch.cache import file_digest
from dxassess.files import read_input
from dxassess.resolver import Resolver, Source


def _where(path: Path | str) -> str:
    return str(Path(path).resolve())


def _quick_data(path: Path) -> dict[str, Any] | None:
    """A questionnaire's or catalogue's data by the C parser, without positions, within the
    loader's limits; None when it cannot be read so (merge keys, a %YAML directive, a complex key,
    anything the C parser refuses)."""
    from dxassess.batch.fastload import _load_plain, _within_limits
    from dxassess.load import MAX_BYTES, count_values, decode

    try:
        raw = read_input(path, MAX_BYTES)
        count_values(str(path), decode(str(path), raw))
        if any(marker in raw for marker in (b"<<", b"%YAML", b"\n?")):
            return None
        data = _load_plain(raw)
    except Exception:  # noqa: BLE001 - anything the C parser refuses goes the checked way
        return None
    return data if isinstance(data, dict) and _within_limits(data) else None


class BatchResolver(Resolver):
    """The resolver of a batch: records which files each questionnaire was made from
    (questionnaire, catalogue, the version it migrates from) with their hashes, so a cached
    result can be checked against them; and takes a questionnaire from the cache when those
    files are unchanged, instead of parsing its YAML again."""

    def __init__(self, stored: dict[str, dict[str, Any]] | None = None, code: str | None = None) -> None:
        super().__init__()
        self.stored = stored or {}
        self.code = code  # the program's `cache.code_key()`: the user's store is used (None: it is not)
        self.made: dict[str, list[list[str]]] = {}  # questionnaire (resolved path) → [[path, hash]] of its files
        self.fresh: dict[str, dict[str, Any]] = {}  # questionnaires loaded from YAML in this process
        self.last: Path | None = None  # the questionnaire file for_answers found last
        self._stack: list[set[tuple[str, str]]] = []
        self.found: dict[tuple[str, str, Path | None, Path | None], Path | None] = {}  # see find_for_answers
        self._loaded: dict[str, Source] = {}  # see load
        self._resolved: dict[str, str] = {}  # see _real

    def clear(self) -> None:
        super().clear()
        self._loaded.clear()
        self._resolved.clear()
        self.found.clear()

    def _record(self, path: Path | str) -> None:
        found = file_digest(path) or ""
        for files in self._stack:
            files.add((_where(path), found))

    def load(self, path: Path | str) -> Source:
        """As the resolver loads it, once per run for each path: a run takes each questionnaire
        as it found it first (looking at the file again for each of 1,741 answer files, its
        path resolved and its size and time read, was most of the system calls of scoring one)."""
        key = str(path)
        source = self._loaded.get(key)
        if source is None:
            source = self._loaded[key] = super().load(path)
        for files in self._stack:
            files.update((p, d) for p, d in self.made.get(self._real(path), ()))
        return source

    def _real(self, path: Path | str) -> str:
        """`_where(path)`, once per run for each path."""
        key = str(path)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = _where(path)
        return found

    def _load_questionnaire(self, path: Path) -> tuple[Source | None, list[Any]]:
        files: set[tuple[str, str]] = set()
        self._stack.append(files)
        try:
            self._record(path)
            stored = self._from_store(path, files)
            if stored is not None:
                result: tuple[Source | None, list[Any]] = stored
            else:
                result = self._load_quickly(path) or super()._load_questionnaire(path)
                top = len(self._stack) == 1  # not one loaded for another's migration
                if top and result[0] is not None and not any(p.severity == "error" for p in result[1]):
                    self._keep(path, result[0], files)
        finally:
            self._stack.pop()
        own = [_where(path), file_digest(path) or ""]
        self.made[_where(path)] = [own] + sorted([p, d] for p, d in files if p != own[0])
        for outer in self._stack:
            outer.update(files)
        return result

    @staticmethod
    def _load_catalogue(path: Path) -> Any:
        """The catalogue, read by the C parser where it can be (the checked reader otherwise)."""
        from dxassess import checker
        from dxassess.load import Document

        data = _quick_data(path)
        if data is not None:
            model, problems = checker.model_of(Document(str(path), data), "catalogue")
            if model is not None and not problems:
                return model
        return Resolver._load_catalogue(path)

    def _load_quickly(self, path: Path) -> tuple[Source | None, list[Any]] | None:
        """A questionnaire read by the C parser without positions and checked; None when it has
        errors (or uses merge keys or a %YAML directive): the checked path, with positions, then
        reads it again and names every problem's line."""
        from dxassess.load import Document

        data = _quick_data(path)
        if data is None:
            return None
        source, problems = self.check_questionnaire_document(Document(str(path), data))
        if source is None or any(p.severity == "error" for p in problems):
            return None
        return source, problems

    def catalogue_for(self, questionnaire: Any, near: Path | None) -> Any:
        from dxassess import library

        found = library.find_catalogue(questionnaire.catalogue, near)
        if found is not None:
            self._record(found)
        return super().catalogue_for(questionnaire, near)

    def find_for_answers(self, qid: str, version: str, search: Path | None, near: Path | None) -> Path | None:
        """As the resolver finds it, once per run for each questionnaire, search and folder: the
        answer files of a folder all look in the same places, and listing the built-in folder
        for each of 1,741 files was a tenth of a batch's reading."""
        key = (qid, version, search, near)
        if key not in self.found:
            self.found[key] = super().find_for_answers(qid, version, search, near)
        return self.found[key]

    def for_answers(self, ref: Any, search: Path | None, near: Path | None) -> Source | None:
        source = super().for_answers(ref, search, near)
        self.last = None if source is None else source.path
        return source

    def files_of(self, path: Path | None) -> list[list[str]]:
        """The files (with hashes) the questionnaire at `path` was made from."""
        return [] if path is None else self.made.get(self._real(path), [])

    def _keep(self, path: Path, source: Source, files: set[tuple[str, str]]) -> None:
        found = file_digest(path) or ""
        entry = self.fresh[found] = {
            "files": sorted([p, d] for p, d in files),
            "questionnaire": source.questionnaire.model_dump_json(),
            "catalogue": None if source.catalogue is None else source.catalogue.model_dump_json(),
        }
        if self.code is not None and found:
            store(self.code, found, entry)

    def _from_store(self, path: Path, files: set[tuple[str, str]]) -> tuple[Source, list[Any]] | None:
        """The questionnaire at `path` from the cache, if every file it was made from is
        unchanged and would still be found where it was."""
        from dxassess import library
        from dxassess.model import Catalogue, Questionnaire

        content = file_digest(path) or ""
        kept = self.stored.get(content)
        if kept is None and self.code is not None and content:
            kept = stored_entry(self.code, content)
        if kept is None:
            return None
        try:
            if any(file_digest(p) != d for p, d in kept["files"]):
                return None
            questionnaire = Questionnaire.model_validate_json(kept["questionnaire"])
            catalogue = None if kept["catalogue"] is None else Catalogue.model_validate_json(kept["catalogue"])
        except ValueError:
            return None
        expected = {p for p, _ in kept["files"]}
        found = library.find_catalogue(questionnaire.catalogue, path)
        if (found is None) != (catalogue is None) or (found is not None and _where(found) not in expected):
            return None
        if questionnaire.migration is not None:
            before = library.find_questionnaire(questionnaire.id, questionnaire.migration.previous, path.parent)
            if before is not None and _where(before) != _where(path) and _where(before) not in expected:
                return None
        files.update((p, d) for p, d in kept["files"])
        if len(self._stack) == 1:
            self.fresh[content] = kept
        return Source(questionnaire, catalogue, path), []


# The user's store of checked questionnaires: one file per program and questionnaire file, in the
# folder the compiled templates are kept in (a folder only this user may use). Checking the
# flagship questionnaire from its YAML (and the version it migrates from, and the catalogue)
# takes a batch about 0.13 s before any worker can start; reading it back, about 0.01 s.
STORE_KEPT = 8  # entries kept (the newest): a few questionnaires, and the programs of an upgrade
STORE_MAX_BYTES = 20_000_000
_STORE_PREFIX = "dxassess-questionnaire-"


def _store_path(code: str, questionnaire: str) -> str | None:
    from dxassess.batch.cache import digest
    from dxassess.render.templates import kept_folder

    folder = kept_folder()
    if folder is None:
        return None
    return os.path.join(folder, f"{_STORE_PREFIX}{digest(code.encode(), questionnaire.encode())}.json")


def stored_entry(code: str, questionnaire: str) -> dict[str, Any] | None:
    """The entry the store keeps for this program and questionnaire file (by its hash), as the
    output folder's cache keeps one; None when there is none, or it is damaged or of another
    shape (the caller still checks every file it names, and the models, before using it)."""
    from dxassess.batch.cache import digest, valid_questionnaire
    from dxassess.files import read_input

    path = _store_path(code, questionnaire)
    if path is None:
        return None
    try:
        raw = read_input(Path(path), STORE_MAX_BYTES)
        check, _, payload = raw.partition(b"\n")
        if check.decode("ascii") != digest(payload):
            return None
        entry = json.loads(payload)
    except Exception:  # noqa: BLE001 - missing, unreadable or damaged: read from the YAML
        return None
    return entry if valid_questionnaire(entry) else None


def store(code: str, questionnaire: str, entry: dict[str, Any]) -> None:
    """Keep a checked questionnaire's entry for the next run (written whole or not at all), and
    remove all but the newest STORE_KEPT entries. Nothing it cannot do is an error."""
    from dxassess.batch.cache import digest
    from dxassess.errors import DxassessError
    from dxassess.files import write_atomic

    path = _store_path(code, questionnaire)
    if path is None:
        return
    payload = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    try:
        write_atomic(Path(path), digest(payload).encode("ascii") + b"\n" + payload, durable=False)
        folder = os.path.dirname(path)
        kept = sorted(
            (e for e in os.scandir(folder) if e.name.startswith(_STORE_PREFIX) and e.name.endswith(".json")),
            key=lambda e: e.stat().st_mtime_ns,
            reverse=True,
        )
        for old in kept[STORE_KEPT:]:
            os.unlink(old.path)
    except (DxassessError, OSError):
        pass
