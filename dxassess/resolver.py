"""The questionnaire resolver: `--questionnaire ID|ID@VERSION|PATH` (or an answer file's id and
version) → the checked questionnaire and its catalogue. The one place that finds questionnaire
and catalogue files and keeps them loaded.

    RESOLVER.select("municipal-dx@1.0.0")      a questionnaire chosen on the command line
    RESOLVER.for_answers(ref, search, near)     the questionnaire an answer file names

Built-in files live in the package (`library`); a user's own are given as a file, or a folder to
search. Loaded questionnaires are kept per file (path, size and modification time), so a batch or
an interview loads each once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dxassess import checker, library
from dxassess.errors import InvalidFile, UsageError
from dxassess.load import Document, LoadFailure, read_document
from dxassess.model import Catalogue, Questionnaire, QuestionnaireRef
from dxassess.problems import Problem
from dxassess.text import msg

DEFAULT_ID = "municipal-dx"  # the flagship: what `--questionnaire` means when not given


@dataclass(frozen=True)
class Source:
    """A loaded, checked questionnaire with its catalogue (None when the catalogue is missing,
    which validation reports) and the file it came from."""

    questionnaire: Questionnaire
    catalogue: Catalogue | None
    path: Path


def _stamp(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


Stamp = tuple[str, int, int]
_Files = tuple[tuple[Path, Stamp], ...]  # files with their stamps


def _unchanged(files: _Files) -> bool:
    """Whether every file a loaded questionnaire was made from is still as it was."""
    for path, stamp in files:
        try:
            if _stamp(path) != stamp:
                return False
        except OSError:
            return False
    return True


class Resolver:
    """Finds questionnaires and catalogues and keeps what it loaded."""

    def __init__(self) -> None:
        # a questionnaire's result by its file's stamp, with the other files it was made from
        # (its catalogue, the version it migrates from) and theirs: a process that lives on
        # (the Python API) sees an edit to any of them
        self._questionnaires: dict[Stamp, tuple[tuple[Source | None, list[Problem]], _Files]] = {}
        self._catalogues: dict[Stamp, Catalogue | None] = {}
        self._read: dict[str, Path] = {}  # every questionnaire and catalogue file used, by real path
        self._making: list[list[tuple[Path, Stamp]]] = []  # the files of each questionnaire being loaded

    def clear(self) -> None:
        """Forget every loaded file (tests that rewrite files under one name)."""
        self._questionnaires.clear()
        self._catalogues.clear()
        self._read.clear()

    def files_read(self) -> set[Path]:
        """Every questionnaire and catalogue file this resolver has used (loaded or taken from its
        cache), named on the command line or found beside another file: outputs must never
        overwrite them."""
        return set(self._read.values())

    def _used(self, path: Path, key: Stamp) -> None:
        self._read.setdefault(key[0], path)
        for files in self._making:  # a file a questionnaire being loaded is made from
            files.append((path, key))

    # -- loading one file -------------------------------------------------------------------

    def check_questionnaire_file(self, path: Path) -> tuple[Source | None, list[Problem]]:
        """A questionnaire file → (Source or None, every problem). Raises LoadFailure when the
        file cannot be read or parsed."""
        key = _stamp(path)
        self._used(path, key)
        found = self._questionnaires.get(key)
        if found is None or not _unchanged(found[1]):
            files: list[tuple[Path, Stamp]] = []
            self._making.append(files)
            try:
                result = self._load_questionnaire(path)
            finally:
                self._making.pop()
            found = self._questionnaires[key] = (result, tuple(files))
            for outer in self._making:  # what the version it migrates from was made from
                outer += files
        else:
            for outer in self._making:
                outer += found[1]
        return found[0]

    def _load_questionnaire(self, path: Path) -> tuple[Source | None, list[Problem]]:
        return self.check_questionnaire_document(read_document(path))

    def check_questionnaire_document(self, doc: Document) -> tuple[Source | None, list[Problem]]:
        """A parsed questionnaire → (Source or None, every problem), with its catalogue and the
        version it migrates from looked up beside it."""
        path = Path(doc.path)
        kind = checker.detect_kind(doc)
        if kind != "questionnaire":
            return None, checker.not_a(doc, kind, "questionnaire").problems
        model, problems = checker.model_of(doc, "questionnaire")
        if model is None:
            return None, problems
        catalogue = self.catalogue_for(model, path)
        previous = None
        if model.migration is not None:
            found = library.find_questionnaire(model.id, model.migration.previous, path.parent)
            if found is not None and found.resolve() != path.resolve():
                try:
                    previous = self.load(found).questionnaire
                except InvalidFile:
                    previous = None
        problems = checker.check_questionnaire(doc, model, catalogue, previous)
        return Source(model, catalogue, path), problems

    def load(self, path: Path | str) -> Source:
        """A questionnaire file that must be valid → Source. Raises InvalidFile."""
        try:
            source, problems = self.check_questionnaire_file(Path(path))
        except LoadFailure as exc:
            raise InvalidFile([exc.problem]) from None
        errors = [p for p in problems if p.severity == "error"]
        if errors or source is None:
            raise InvalidFile(errors or problems)
        return source

    def catalogue_for(self, questionnaire: Questionnaire, near: Path | None) -> Catalogue | None:
        """The catalogue a questionnaire names: beside it first, then built-in. None when it is
        missing or broken (validating the questionnaire says so)."""
        found = library.find_catalogue(questionnaire.catalogue, near)
        if found is None:
            return None
        try:
            key = _stamp(found)
        except OSError:
            return None
        self._used(found, key)
        if key not in self._catalogues:
            self._catalogues[key] = self._load_catalogue(found)
        return self._catalogues[key]

    @staticmethod
    def _load_catalogue(path: Path) -> Catalogue | None:
        try:
            doc = read_document(path)
        except LoadFailure:
            return None
        model, problems = checker.model_of(doc, "catalogue")
        return None if problems else model

    # -- choosing ----------------------------------------------------------------------------

    def select(self, ref: str | Path | None) -> Source:
        """The questionnaire a command is told to use: None (the flagship), an id (its newest
        built-in version), `id@version`, a file, or a folder holding exactly one questionnaire.
        Raises UsageError when there is none, InvalidFile when it is broken."""
        if ref is None or str(ref) == "":
            ref = DEFAULT_ID
        path = Path(ref)
        _refuse_unreadable(path)
        if path.is_dir():
            return self._only_one_in(path)
        if path.is_file():
            return self.load(path)
        text = str(ref)
        qid, _, version = text.partition("@")
        found = library.find_questionnaire(qid, version, None) if version else self._newest(qid)
        if found is None:
            raise UsageError(msg("cmd.questionnaire_neither", ref=text))
        return self.load(found)

    @staticmethod
    def _newest(qid: str) -> Path | None:
        return library.newest_questionnaire(qid, None)

    def _only_one_in(self, folder: Path) -> Source:
        found: list[Source] = []
        for candidate in library.yaml_files(folder):
            if "domains" not in library.header(candidate):
                continue
            try:
                found.append(self.load(candidate))
            except InvalidFile:
                continue
        if len(found) != 1:
            raise UsageError(msg("cmd.folder_many_questionnaires", path=folder, count=len(found)))
        return found[0]

    def for_answers(self, ref: QuestionnaireRef, search: Path | None, near: Path | None) -> Source | None:
        """The questionnaire an answer file names (id and version): in `search` (the
        `--questionnaire` file or folder), else beside the answer file (`near`) when no search
        was given, else among the built-ins. None when it is not found anywhere. Raises
        InvalidFile when the one found is broken."""
        found = self.find_for_answers(ref.id, ref.version, search, near)
        return None if found is None else self.load(found)

    def find_for_answers(self, qid: str, version: str, search: Path | None, near: Path | None) -> Path | None:
        """The file `for_answers` loads: the questionnaire `qid` at `version` in `search`, else
        built-in, else beside the answer file."""
        if search is not None:
            return library.find_questionnaire(qid, version, search)
        return library.find_questionnaire(qid, version, None) or (
            library.find_questionnaire(qid, version, near) if near is not None else None
        )

    def search_path(self, ref: str | Path | None) -> Path | None:
        """What `--questionnaire` means to a command that reads answer files: a file or folder
        searched first for the id and version each answer file names. An id or `id@version`
        names a built-in file. Raises UsageError for a path or id that does not exist."""
        if ref is None or str(ref) == "":
            return None
        path = Path(ref)
        _refuse_unreadable(path)
        if path.exists():
            return path
        return self.select(ref).path

    def version(self, qid: str, version: str, near: Path | None = None) -> Source | None:
        """A questionnaire by id and version: beside `near` (a file or folder) first, then built-in."""
        found = library.find_questionnaire(qid, version, near)
        return None if found is None else self.load(found)

    def newest(self, qid: str, near: Path | None = None) -> Source | None:
        """The newest version of a questionnaire: beside `near` (a file or folder) or built-in."""
        found = library.newest_questionnaire(qid, near)
        return None if found is None else self.load(found)

    def chain(self, target: Questionnaire, version: str, *places: Path | None) -> list[Questionnaire] | None:
        """The questionnaires from `version` to `target` along their migrations, or None. Each
        earlier version is looked for in `places` (files or folders: the `--questionnaire`
        given, the answer files' folders), in that order, then among the built-ins."""
        from dxassess.migrate import chain_to

        def find(wanted: str) -> Questionnaire | None:
            for near in [p for p in places if p is not None]:
                found = library.find_questionnaire(target.id, wanted, near, builtin=False)
                if found is not None:
                    try:
                        return self.load(found).questionnaire
                    except InvalidFile:
                        continue
            try:
                source = self.version(target.id, wanted, None)
            except InvalidFile:
                return None
            return None if source is None else source.questionnaire

        return chain_to(target, version, find)

    def builtins(self) -> list[Source]:
        """Every built-in questionnaire, every version."""
        return [self.load(p) for p in library.builtin_questionnaires()]


def _refuse_unreadable(path: Path) -> None:
    """A path that exists but cannot be looked at (permission denied on it or a folder above)
    is an unreadable input (InvalidFile, exit 1), not an unknown questionnaire id (exit 2)."""
    import os

    from dxassess.text.problems import os_reason

    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError, ValueError):
        return
    except OSError as exc:
        raise InvalidFile(
            [Problem(str(path), 1, 1, "error", "DX009", msg("read.cannot_read", reason=os_reason(exc)))]
        ) from None
    if path.is_dir() and not os.access(path, os.R_OK | os.X_OK):
        raise InvalidFile(
            [Problem(str(path), 1, 1, "error", "DX009", msg("read.cannot_read", reason=msg("read.folder_denied")))]
        )


RESOLVER = Resolver()  # the process's resolver: every command shares what it loaded

__all__ = ["DEFAULT_ID", "RESOLVER", "Resolver", "Source"]
