"""The table of docs/reliability.md is what this suite produced (runs last: `zz`).

Regenerate it with: DXASSESS_UPDATE_RELIABILITY=1 .venv/bin/pytest tests/reliability
"""

from __future__ import annotations

import pytest

from tests.reliability.registry import CLASSES, DOC, END, REGISTRY, START, UPDATE, documented_rows, table


def test_the_reliability_table_is_what_the_tests_produced() -> None:
    if not REGISTRY:
        pytest.skip("no reliability test ran in this session")
    text = DOC.read_text(encoding="utf-8")
    assert START in text and END in text, f"{DOC} lacks the table markers"
    complete = set(REGISTRY) == set(CLASSES)
    if UPDATE:
        assert complete, f"run the whole suite to regenerate: missing {sorted(set(CLASSES) - set(REGISTRY))}"
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        DOC.write_text(f"{head}{START}\n{table()}\n{END}{tail}", encoding="utf-8")
        return
    documented = documented_rows(text)
    fix = "regenerate: DXASSESS_UPDATE_RELIABILITY=1 .venv/bin/pytest tests/reliability"
    for class_id, tally in REGISTRY.items():
        assert documented.get(class_id) == tally.row(), (
            f"{class_id}: the document says\n{documented.get(class_id)}\nthe tests produced\n{tally.row()}\n{fix}"
        )
    if complete:
        block = text.split(START, 1)[1].split(END, 1)[0].strip()
        assert block == table(), f"the table differs from what the tests produced; {fix}"
    for tally in REGISTRY.values():
        assert (tally.crashes, tally.lost, tally.escapes) == (0, 0, 0), tally.row()
