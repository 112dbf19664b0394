"""Shared fixtures: paths to the small test files, and a helper to run the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CASES = HERE / "cases"
VALID = CASES / "valid"
BROKEN = CASES / "broken"
# the workplace's shared folder (official schemas in data/): beside the checkout, or where
# DXASSESS_SHARED_DIR says (a checkout elsewhere)
SHARED = Path(os.environ.get("DXASSESS_SHARED_DIR") or ROOT.parent / "shared")
MINI = VALID / "mini.yaml"
MINI_ANSWERS = VALID / "mini-answers.yaml"


def run_cli(
    *args: str, cwd: Path | None = None, input: str | None = None, env: dict | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run `python -m dxassess ARGS` as a real process, as a user's script would."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    full_env.setdefault("LANG", "C.UTF-8")
    full_env = {key: value for key, value in full_env.items() if value is not None}  # None: unset it
    return subprocess.run(
        [sys.executable, "-m", "dxassess", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        timeout=timeout,
    )


def assert_clean_error(proc: subprocess.CompletedProcess, code: int = 1) -> None:
    """One-line errors, the documented exit code, never a traceback."""
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English whatever the developer's locale: tests that check Japanese set
    `DXASSESS_LANG=ja` (or unset it and set a Japanese locale) themselves."""
    monkeypatch.setenv("DXASSESS_LANG", "en")


@pytest.fixture(autouse=True)
def _shipped_register(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The shipped register of municipalities, whatever register the developer keeps: no
    `DXASSESS_REGISTER`, and an empty per-user data folder (tests that need another set their own)."""
    empty = tmp_path_factory.getbasetemp() / "no-user-data"
    empty.mkdir(exist_ok=True)
    monkeypatch.delenv("DXASSESS_REGISTER", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(empty))
    monkeypatch.setenv("APPDATA", str(empty))


@pytest.fixture
def mini_answers_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini questionnaire, catalogue and answers in one folder."""
    for name in ("mini.yaml", "mini-catalogue.yaml", "mini-answers.yaml"):
        (tmp_path / name).write_bytes((VALID / name).read_bytes())
    return tmp_path / "mini-answers.yaml"
