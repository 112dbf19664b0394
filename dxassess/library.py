"""Where questionnaires, catalogues and report templates live: built-in ones and users' own."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """`questionnaires` or `reports`: inside the installed package, or at the source tree's top."""
    packaged = _PACKAGE / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name


def yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


_HEAD = {
    "id": re.compile(r"^id:\s*['\"]?([A-Za-z0-9_.-]+)", re.M),
    "version": re.compile(r"^version:\s*['\"]?([0-9A-Za-z_.-]+)", re.M),
    "catalogue": re.compile(r"^catalogue:\s*['\"]?([A-Za-z0-9_.-]+)", re.M),
    "domains": re.compile(r"^domains:", re.M),
    "sections": re.compile(r"^sections:", re.M),
}


def header(path: Path) -> dict[str, str]:
    """Cheap look at a file's top-level keys, to pick files without parsing every one. Kept by
    the file's full path, size and time: a process that lives on (the Python API) sees a file
    that changed, and a relative path from another working folder is another file."""
    try:
        stat = os.stat(path)
    except OSError:
        return {}
    return _header(os.path.abspath(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=256)
def _header(path: str, size: int, mtime: int) -> dict[str, str]:
    from dxassess.files import open_input

    try:
        with open_input(path) as fh:  # never waits: a FIFO or device is no questionnaire
            head = fh.read(65536).decode("utf-8-sig", errors="replace")
    except OSError:
        return {}
    found = {}
    for key, pattern in _HEAD.items():
        match = pattern.search(head)
        if match:
            found[key] = match.group(1) if match.groups() else "yes"
    return found


def _candidates(near: Path | None) -> list[Path]:
    files: list[Path] = []
    if near is not None:
        folder = near if near.is_dir() else near.parent
        files += [p for p in sorted(folder.glob("*.y*ml")) if p.is_file()]
    files += yaml_files(data_dir("questionnaires"))
    return files


def find_catalogue(catalogue_id: str, near: Path | None = None) -> Path | None:
    """The catalogue file with this id: beside `near` first, then among the built-ins."""
    for path in _candidates(near):
        head = header(path)
        if "sections" in head and head.get("catalogue") == catalogue_id:
            return path
    return None


def _nearest_first(folder: Path) -> list[Path]:
    """The YAML files under `folder`, those in the folder itself first, then one level down, and
    so on (a copy of the same questionnaire kept in a subfolder, say `archive/`, never wins over
    the one beside the answers)."""
    return sorted(yaml_files(folder), key=lambda p: len(p.relative_to(folder).parts))


def find_questionnaire(qid: str, version: str, search: Path | None = None, builtin: bool = True) -> Path | None:
    """The questionnaire file with this id and version: in `search` (file or folder), then
    built-in (unless `builtin` is false)."""
    paths: list[Path] = []
    if search is not None:
        paths += [search] if search.is_file() else _nearest_first(search)
    if builtin:
        paths += yaml_files(data_dir("questionnaires"))
    for path in paths:
        head = header(path)
        if "domains" in head and head.get("id") == qid and head.get("version") == version:
            return path
    return None


def newest_questionnaire(qid: str, search: Path | None = None) -> Path | None:
    """The newest version of the questionnaire `qid` in `search` (file or folder) and among the
    built-ins; of two files with the same version, the one in `search`."""
    paths: list[Path] = []
    if search is not None:
        paths += [search] if search.is_file() else _nearest_first(search)
    paths += yaml_files(data_dir("questionnaires"))
    best: tuple[tuple[int, ...], Path] | None = None
    for path in paths:
        head = header(path)
        if "domains" in head and head.get("id") == qid:
            key = version_key(head.get("version", "0"))
            if best is None or key > best[0]:
                best = (key, path)
    return None if best is None else best[1]


def version_key(version: str) -> tuple[int, ...]:
    """A version as numbers to compare ("1.10.0" after "1.9.2")."""
    return tuple(int(x) for x in re.findall(r"\d+", version))


def builtin_questionnaires() -> list[Path]:
    return [p for p in yaml_files(data_dir("questionnaires")) if "domains" in header(p)]
