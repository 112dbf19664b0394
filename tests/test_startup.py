"""Start-up stays light: commands import heavy libraries only when they need them (the figures
are measured by benchmarks/startup.py, never timed here)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("pydantic", "ruamel", "jinja2", "openpyxl", "rich", "charset_normalizer")


def imported(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "dxassess", *args], capture_output=True, text=True)
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def test_help_imports_nothing_heavy():
    assert not imported("--help") & set(HEAVY)


@pytest.mark.parametrize(
    "args,allowed",
    [
        (["validate", "questionnaires/quick-check.yaml"], {"pydantic", "ruamel"}),
        (["schema", "answers"], {"pydantic"}),
    ],
)
def test_commands_import_only_what_they_use(args, allowed):
    from .conftest import ROOT

    proc_args = [a if not a.startswith("questionnaires/") else str(ROOT / a) for a in args]
    heavy = imported(*proc_args) & set(HEAVY)
    assert heavy <= allowed, heavy - allowed
