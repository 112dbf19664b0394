"""Deterministic hypothesis for the reliability suite, so the table's counts never change.

hypothesis mixes constants found in the project's loaded modules into what it generates; which
modules are loaded depends on what ran before, so the same derandomized test would try other
cases in a full run than alone. Within this folder it draws from its own constants only.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _no_local_constants(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - another hypothesis layout: nothing to pin
        yield
        return
    if hasattr(providers, "_get_local_constants") and hasattr(providers, "CONSTANTS_CACHE"):
        monkeypatch.setattr(providers, "_get_local_constants", lambda: providers.Constants())
        providers.CONSTANTS_CACHE.cache.clear()
    yield
    if hasattr(providers, "CONSTANTS_CACHE"):
        providers.CONSTANTS_CACHE.cache.clear()
