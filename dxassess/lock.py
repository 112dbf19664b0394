"""The per-answer-file lock: one `run` at a time on an answer file.

An OS lock (flock on Linux and macOS, msvcrt.locking on Windows) on a sidecar file
`<answers>.lock`. The OS drops it when the process ends, however it ends, so a lock left by a
killed process never locks the user out.
"""

from __future__ import annotations

import os
from pathlib import Path

_PID_OFFSET = 16  # Windows locks byte 0; the holder's pid is written after it, readable by others


class LockHeld(Exception):
    """Another live process holds the lock."""

    def __init__(self, path: Path, pid: int | None) -> None:
        super().__init__(f"{path} is locked by process {pid or '?'}")
        self.path = path
        self.pid = pid


def lock_path(answers: Path) -> Path:
    return Path(answers).with_name(Path(answers).name + ".lock")


def _try_lock(fd: int) -> bool:
    if os.name == "nt":
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    try:
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass


def _holder(fd: int) -> int | None:
    try:
        os.lseek(fd, _PID_OFFSET, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", errors="ignore").strip("\x00 \n")
        return int(text) if text.isdigit() else None
    except (OSError, ValueError):
        return None


class AnswerLock:
    """`with AnswerLock(path):` holds the lock or raises LockHeld at once (never waits).

    OSError (e.g. a read-only folder) propagates for the caller to report."""

    def __init__(self, answers: Path) -> None:
        self.path = lock_path(answers)
        self._fd: int | None = None

    def acquire(self) -> None:
        for _ in range(5):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
            if not _try_lock(fd):
                pid = _holder(fd)
                os.close(fd)
                raise LockHeld(self.path, pid)
            if os.name != "nt" and not self._still_linked(fd):
                _unlock(fd)  # the previous holder removed the file as we opened it: retry
                os.close(fd)
                continue
            self._fd = fd
            self._write_pid(fd)
            return
        raise LockHeld(self.path, None)

    def _still_linked(self, fd: int) -> bool:
        try:
            return os.path.samestat(os.fstat(fd), os.stat(self.path))
        except OSError:
            return False

    @staticmethod
    def _write_pid(fd: int) -> None:
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, _PID_OFFSET, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        except OSError:
            pass  # the pid is only for the message of a second process

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if os.name != "nt":  # remove while still locked, so no one locks a file about to vanish
            try:
                os.unlink(self.path)
            except OSError:
                pass
        _unlock(fd)
        os.close(fd)
        if os.name == "nt":
            try:
                os.unlink(self.path)
            except OSError:
                pass  # another process opened it meanwhile; the next run reuses it

    def __enter__(self) -> AnswerLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
