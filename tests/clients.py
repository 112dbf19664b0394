"""The programs users open dxassess's files with, driven headless by the tests: LibreOffice
(saves sheets as Calc does, converts to PDF), Chromium (screens and print), Node with the YAML
language server and ajv (editors' and other tools' schema validation).

Each helper skips the test cleanly when its program is missing; `.ci/run` installs them all.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = Path(__file__).resolve().parent / "node"


def soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui; CI's .ci/run installs it)")


def convert(source: Path, target_format: str, outdir: Path, infilter: str | None = None) -> Path:
    """`soffice --convert-to`: the file as LibreOffice Calc saves it (own profile, so tests and a
    user's open LibreOffice never share one). Returns the written file."""
    profile = outdir / "lo-profile"
    command = [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", target_format, "--outdir", str(outdir), str(source)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=180)
    suffix = target_format.split(":", 1)[0]
    written = outdir / f"{source.stem}.{suffix}"
    assert written.exists(), (proc.stdout, proc.stderr)
    return written


def chromium() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip("Chromium is not installed (apt-get install chromium fonts-noto-cjk; CI's .ci/run installs it)")


def browser(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium that cannot reach the network (any host name fails to resolve)."""
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, encoding="utf-8")


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        pytest.skip(f"{tool} is not installed (apt-get install poppler-utils; CI's .ci/run installs it)")
    return found


def pdf_pages(pdf: Path) -> list[str]:
    """The text of every page of a PDF (pdftotext -layout), in order."""
    out = subprocess.run(
        [poppler("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run([poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def node_tools() -> Path:
    """tests/node with its npm packages installed (`npm ci --prefix tests/node`, which .ci/run does)."""
    if not shutil.which("node"):
        pytest.skip("Node.js is not installed (apt-get install nodejs npm; CI's .ci/run installs it)")
    if not (NODE_DIR / "node_modules" / "yaml-language-server").is_dir():
        pytest.skip("npm packages of tests/node are missing: npm ci --prefix tests/node (CI's .ci/run runs it)")
    return NODE_DIR


def node(script: str, payload: object, timeout: float = 180) -> object:
    """Run tests/node/SCRIPT with a JSON payload on stdin; its JSON answer from stdout."""
    folder = node_tools()
    proc = subprocess.run(
        ["node", str(folder / script)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        cwd=folder,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)
