"""files: a write replaces the file whole and tidies what a killed write left; a report's parts are
written in order; inputs are read whole within their limit."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest

from dxassess import files
from dxassess.files import STALE_AFTER, write_atomic, write_pieces


def test_a_killed_write_leaves_nothing_behind_after_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "dx-011002.yaml"
    orphan = tmp_path / ".dx-011002.yaml.k3j_9x2a.tmp"  # what mkstemp named before a kill -9
    recent = tmp_path / ".dx-011002.yaml.abcdefgh.tmp"  # maybe another write in progress
    other = tmp_path / ".dx-011002.yaml.notes.tmp"  # not a name write_atomic makes
    for path in (orphan, recent, other):
        path.write_text("half", encoding="utf-8")
    old = time.time() - STALE_AFTER - 60
    os.utime(orphan, (old, old))
    os.utime(other, (old, old))
    write_atomic(target, "answers: {}\n")
    assert target.read_text(encoding="utf-8") == "answers: {}\n"
    assert not orphan.exists()
    assert recent.exists() and other.exists()


def test_inputs_are_read_whole_and_within_their_limit(tmp_path: Path) -> None:
    import pytest

    from dxassess.files import TooLarge, read_input

    exact = tmp_path / "exact.yaml"
    exact.write_bytes(b"x" * 100)
    assert read_input(exact, 100) == b"x" * 100
    with pytest.raises(TooLarge):
        read_input(exact, 99)  # refused from its size, before reading
    empty = tmp_path / "empty.yaml"
    empty.write_bytes(b"")
    assert read_input(empty, 10) == b""


def test_a_file_larger_than_its_stated_size_is_read_to_its_end_or_refused() -> None:
    """Files whose size says 0 but that have content (Linux's /proc files; a file growing while
    it is read) are read further than the size said, and still only up to the limit."""
    import sys

    import pytest

    from dxassess.files import TooLarge, read_input

    if not sys.platform.startswith("linux"):
        pytest.skip("needs /proc")
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0
    data = read_input(status, 1_000_000)
    assert data.startswith(b"Name:") and b"\nPid:" in data
    with pytest.raises(TooLarge):
        read_input(status, 10)


def _parts() -> list[bytes | memoryview]:
    report = ("<p>報告書</p>" * 2000).encode("utf-8")
    view = memoryview(report)
    return [view[:1000], b" " * 300, view[1000:50_000], b"", b" " * 700, view[50_000:]]


def test_a_reports_parts_are_written_in_order(tmp_path: Path) -> None:
    parts = _parts()
    path = tmp_path / "r.html"
    path.write_bytes(b"x" * 500_000)  # an older, longer file is emptied first
    assert write_pieces(str(path), parts) == sum(map(len, parts))
    assert path.read_bytes() == b"".join(parts)


def test_a_short_write_goes_on_where_it_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """writev may take fewer bytes than given (a signal, a nearly full disk): the rest follows,
    cut inside a part as well as between parts."""
    if not hasattr(os, "writev"):
        pytest.skip("no writev here: the parts are written one by one")
    real = os.writev

    def short(fd: int, buffers: list[bytes | memoryview]) -> int:
        first = memoryview(buffers[0])
        return real(fd, [first[: max(1, len(first) // 3)]])

    monkeypatch.setattr(os, "writev", short)
    parts = _parts()
    path = tmp_path / "r.html"
    assert write_pieces(str(path), parts) == sum(map(len, parts))
    assert path.read_bytes() == b"".join(parts)


def test_a_write_that_takes_nothing_is_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(os, "writev"):
        pytest.skip("no writev here")
    monkeypatch.setattr(os, "writev", lambda fd, buffers: 0)
    with pytest.raises(OSError) as raised:
        write_pieces(str(tmp_path / "r.html"), _parts())
    assert raised.value.errno == errno.ENOSPC


def test_without_writev_the_parts_are_written_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As on Windows, which has no writev."""
    monkeypatch.delattr(files.os, "writev", raising=False)
    parts = _parts()
    path = tmp_path / "r.html"
    assert write_pieces(str(path), parts) == sum(map(len, parts))
    assert path.read_bytes() == b"".join(parts)
