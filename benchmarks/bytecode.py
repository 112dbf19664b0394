"""Compile dxassess's bytecode before a benchmark times it, as `pip install` does.

These machines (and CI) set PYTHONDONTWRITEBYTECODE=1, so an editable install would compile
the package's sources again in every process it starts: a cost users who installed with pip
never pay, and one the yardsticks (typer, ruamel, already compiled) do not pay either.
"""

from __future__ import annotations

import compileall
import importlib.util
from pathlib import Path


def compile_package() -> Path:
    """Write the bytecode of the dxassess package that `python -m dxassess` runs; its folder."""
    spec = importlib.util.find_spec("dxassess")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("dxassess is not installed in this Python")
    folder = Path(next(iter(spec.submodule_search_locations)))
    if not compileall.compile_dir(str(folder), quiet=1):
        raise SystemExit(f"could not compile {folder}")
    return folder
