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
