"""Every write goes through here: atomic replace, safe output names, inputs never overwritten."""

from __future__ import annotations

import errno
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from dxassess.errors import OutputError
from dxassess.text import Msg, msg
from dxassess.text.problems import os_reason


def reason_of(exc: OSError) -> Msg:
    """Why a write failed, and the fix, in both languages."""
    if exc.errno == errno.ENOSPC:
        return msg("output.disk_full")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return msg("output.permission")
    if exc.errno == errno.EROFS:
        return msg("output.read_only")
    if exc.errno == errno.EISDIR:
        return msg("output.is_folder")
    if exc.errno == errno.ENOTDIR:
        return msg("output.not_dir")
    return msg("output.other", reason=os_reason(exc))


def ensure_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(msg("output.cannot_create_folder", reason=reason_of(exc)), path=str(path)) from None
    if not path.is_dir():
        raise OutputError(msg("output.file_not_folder"), path=str(path))
    return path


def _is_input(path: Path, protect: frozenset[Path] | set[Path]) -> bool:
    """`path` names one of the inputs: the same path, a symbolic link to it, or a hard link."""
    if path.resolve() in {Path(p).resolve() for p in protect}:
        return True
    for p in protect:
        try:
            if os.path.samefile(path, p):
                return True
        except OSError:  # one of them does not exist
            continue
    return False


def write_atomic(
    path: Path, data: str | bytes, protect: frozenset[Path] | set[Path] = frozenset(), durable: bool = True
) -> None:
    """Write to a temporary file in the same folder, fsync, then replace: a reader sees the old
    file or the new one, never half of one. `protect` lists inputs that must not be overwritten.
    `durable=False` skips the fsync, for a file that may be lost in a power cut (batch's cache,
    which is checked and rebuilt when damaged)."""
    path = Path(path)
    if protect and _is_input(path, protect):
        raise OutputError(msg("output.is_input"), path=str(path))
    ensure_dir(path.parent if str(path.parent) else Path("."))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent or "."))
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        if path.exists():
            try:
                os.chmod(tmp_name, path.stat().st_mode & 0o7777)
            except OSError:
                pass
        else:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp_name, 0o666 & ~mask)
        os.replace(tmp_name, path)
        tmp_name = None
        _remove_stale_temporaries(path)
    except OSError as exc:
        raise OutputError(msg("output.cannot_write", reason=reason_of(exc)), path=str(path)) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


STALE_AFTER = 600  # seconds: no write takes that long, so an older temporary file is an orphan


def _remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files an earlier write of `path` left behind when its process was
    killed between writing and renaming (`.NAME.xxxxxxxx.tmp`, older than STALE_AFTER)."""
    import glob
    import time

    pattern = re.compile(rf"\.{re.escape(path.name)}\.[A-Za-z0-9_]{{8}}\.tmp")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        candidates = [p for p in folder.glob(f".{glob.escape(path.name)}.*.tmp") if pattern.fullmatch(p.name)]
        now = time.time()
        for candidate in candidates:
            if now - candidate.lstat().st_mtime > STALE_AFTER:
                candidate.unlink()
    except OSError:  # tidying is a courtesy: never fail a write over it
        pass


_UNSAFE = re.compile(r"[^0-9A-Za-z_.\-\u3040-\u30ff\u3400-\u9fff]")


def safe_name(stem: str, suffix: str) -> str:
    """A file name built from input (a code, a name) that cannot leave its folder."""
    text = unicodedata.normalize("NFKC", str(stem))
    text = _UNSAFE.sub("_", text).strip("._") or "unnamed"
    return text[:80] + suffix


def inside(folder: Path, name: str) -> Path:
    """`folder / name`, refusing any name that would resolve outside `folder`."""
    target = (folder / name).resolve()
    if folder.resolve() not in target.parents:
        raise OutputError(msg("output.leaves_folder", name=name), path=str(folder))
    return target
