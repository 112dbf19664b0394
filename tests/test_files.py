"""files.write_atomic: a write replaces the file whole, and tidies what a killed write left."""

from __future__ import annotations

import os
import time
from pathlib import Path

from dxassess.files import STALE_AFTER, write_atomic


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
