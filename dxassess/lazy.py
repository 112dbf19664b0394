"""Packages whose names are loaded on first use (PEP 562), so that importing one light module of
a package does not load its heavy siblings (the pydantic models, the sheet readers)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def names(package: str, where: dict[str, str]) -> Callable[[str], Any]:
    """A package's module `__getattr__`: `where` maps each name to the submodule that defines it.
    A name is looked up once, then kept in the package's namespace."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(importlib.import_module(package), name, value)
        return value

    return __getattr__
