"""Every write goes through here: atomic replace, safe output names, inputs never overwritten.
Inputs are opened here too, so that no reader blocks on a FIFO or swallows a device whole.

Outputs: a symbolic link is followed and its target written (atomically) in its place; a file
with several hard links is rewritten in place, so that every link sees the new content; a
folder, device, FIFO or socket is refused.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
import unicodedata
from pathlib import Path
from typing import BinaryIO

from dxassess.errors import OutputError
from dxassess.text import Msg, msg
from dxassess.text.problems import os_reason


class SpecialFile(OSError):
    """A path that names a device, FIFO or socket: neither read nor written as a file."""


class TooLarge(Exception):
    """An input file is larger than the limit its reader sets."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def open_input(path: Path | str) -> BinaryIO:
    """Open an input file for reading. Never blocks: a FIFO is opened without waiting for a
    writer and refused (SpecialFile) like a device or a socket; a folder raises IsADirectoryError."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise SpecialFile(errno.EINVAL, "not a regular file", str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return open(fd, "rb", closefd=True)
    except BaseException:
        os.close(fd)
        raise


def read_input(path: Path | str, limit: int) -> bytes:
    """The bytes of an input file of at most `limit` bytes, its size checked before anything is
    read and the read bounded (a file growing meanwhile is refused too). Raises TooLarge,
    SpecialFile or another OSError."""
    with open_input(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise TooLarge(size)
        # One byte more than its size, not `limit` (a read of n bytes sets n bytes aside first:
        # 10 MB for every small answer file); only a file that grew meanwhile is read further.
        data = fh.read(size + 1)
        if len(data) > size:
            data += fh.read(limit + 1 - len(data))
    if len(data) > limit:
        raise TooLarge(len(data))
    return data


def silence(stream: object) -> None:
    """Point the descriptor under `stream` (standard output, after a failed write) at the null
    device, so that the interpreter's own flush at exit has nothing left to fail on."""
    try:
        fd = stream.fileno()  # type: ignore[attr-defined]
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
    except (AttributeError, OSError, ValueError):
        pass


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
    if exc.errno == errno.EFBIG:
        return msg("output.file_size_limit")
    return msg("output.other", reason=os_reason(exc))


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest existing ancestor of `path` (itself included) that is not a folder."""
    for candidate in (path, *path.parents):
        if os.path.lexists(candidate):
            return None if candidate.is_dir() else candidate
    return None


def ensure_dir(path: Path) -> Path:
    """`path` as a folder, created with its parents when missing. A file where a folder is needed
    is named in the error."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOTDIR):
            blocking = _file_in_the_way(path)
            if blocking is not None:
                raise OutputError(msg("output.file_in_the_way", file=blocking), path=str(path)) from None
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


def output_target(path: Path) -> Path:
    """The file an output path writes: the path itself, or the target of a symbolic link (so the
    link stays a link). Refuses a folder, a device, a FIFO or a socket, and a path that runs
    through a file, each with its own message."""
    path = Path(path)
    try:
        mode: int | None = os.stat(path).st_mode  # follows links
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            blocking = _file_in_the_way(path.parent)
            if blocking is not None:
                raise OutputError(msg("output.file_in_the_way", file=blocking), path=str(path)) from None
        mode = None  # missing (or a dangling link): written as a new file
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(msg("output.is_folder"), path=str(path))
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError(msg("output.special_file"), path=str(path))
    if os.path.islink(path):
        return Path(os.path.realpath(path))
    return path


def write_atomic(
    path: Path, data: str | bytes, protect: frozenset[Path] | set[Path] = frozenset(), durable: bool = True
) -> None:
    """Write to a temporary file in the same folder, fsync, then replace: a reader sees the old
    file or the new one, never half of one. `protect` lists inputs that must not be overwritten.
    A symbolic link is written through to its target; a file with other hard links is rewritten
    in place (`_rewrite_in_place`); a folder, device, FIFO or socket is refused. `durable=False`
    skips the fsync, for a file that may be lost in a power cut (batch's cache, which is checked
    and rebuilt when damaged)."""
    given = Path(path)
    path = output_target(given)
    if protect and _is_input(path, protect):
        raise OutputError(msg("output.is_input"), path=str(given))
    ensure_dir(path.parent if str(path.parent) else Path("."))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if _hard_linked(path):
        _rewrite_in_place(path, payload, given)
        return
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
        raise OutputError(msg("output.cannot_write", reason=reason_of(exc)), path=str(given)) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def _hard_linked(path: Path) -> bool:
    try:
        return os.stat(path).st_nlink > 1
    except OSError:
        return False


def _rewrite_in_place(path: Path, payload: bytes, given: Path) -> None:
    """Rewrite a file that has other hard links in place, so that every link sees the new
    content (a replace would leave the other names on the old file). Not atomic: if the write
    fails, the old content is written back."""
    try:
        with open_input(path) as fh:
            old = fh.read()
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise OutputError(msg("output.cannot_write", reason=reason_of(exc)), path=str(given)) from None
    try:
        _overwrite(fd, payload)
    except OSError as exc:
        try:
            _overwrite(fd, old)
        except OSError:
            pass
        raise OutputError(msg("output.cannot_write", reason=reason_of(exc)), path=str(given)) from None
    finally:
        os.close(fd)


def _overwrite(fd: int, payload: bytes) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    os.ftruncate(fd, len(payload))
    os.fsync(fd)


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
