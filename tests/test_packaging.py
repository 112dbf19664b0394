"""The wheel carries the questionnaires and report templates: an installed tool works from any
folder without the source tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.fail(f"building the wheel failed: {proc.stderr[-2000:]}")
    return next(out.glob("dxassess-*.whl"))


def test_wheel_contains_data(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "dxassess/questionnaires/municipal-dx.yaml",
        "dxassess/questionnaires/dx-manual.yaml",
        "dxassess/questionnaires/quick-check.yaml",
        "dxassess/reports/report.html.j2",
        "dxassess/reports/report.md.j2",
        "dxassess/reports/index.html.j2",
    ):
        assert needed in names, needed
    assert not any(n.startswith("tests/") for n in names)


def test_installed_tool_works_without_the_source_tree(wheel: Path, tmp_path: Path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONIOENCODING": "utf-8"}

    def dx(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", "from dxassess.cli import main; main()", *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
        )

    where = subprocess.run(
        [sys.executable, "-c", "import dxassess; print(dxassess.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.startswith(str(site)), where.stdout
    listed = dx("questionnaires", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert {r["id"] for r in rows} >= {"municipal-dx", "quick-check"}
    shipped = site / "dxassess" / "questionnaires"
    assert dx("validate", str(shipped)).returncode == 0
    assert dx("sample", "--count", "1", "-o", "s").returncode == 0
    answers = next((elsewhere / "s").glob("*.yaml"))
    report = dx("report", str(answers), "--format", "html", "-o", "r.html")
    assert report.returncode == 0, report.stderr
    assert (elsewhere / "r.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
