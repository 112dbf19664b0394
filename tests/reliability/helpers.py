"""Shared pieces of the reliability suite: hypothesis settings, seed files, structured
mutations, and the checks that turn one run into an outcome."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.reliability.registry import Case

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "cases" / "valid"
MINI = VALID / "mini.yaml"
MINI_CATALOGUE = VALID / "mini-catalogue.yaml"
MINI_ANSWERS = VALID / "mini-answers.yaml"
FLAGSHIP_ANSWERS = VALID / "flagship-answers.yaml"


def fuzz(n: int) -> settings:
    """Deterministic hypothesis settings: the same cases on every run, so the table is stable."""
    return settings(
        derandomize=True,
        database=None,
        max_examples=n,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )


def copy_mini(folder: Path) -> Path:
    """mini.yaml, its catalogue and its answers into `folder`; returns the answers' path."""
    folder.mkdir(parents=True, exist_ok=True)
    for src in (MINI, MINI_CATALOGUE, MINI_ANSWERS):
        shutil.copyfile(src, folder / src.name)
    return folder / MINI_ANSWERS.name


def fresh_caches() -> None:
    """Mutated files are rewritten under one name (within one clock tick): drop what the resolver
    keeps by path."""
    from dxassess.resolver import RESOLVER

    RESOLVER.clear()


# --- hostile values ---------------------------------------------------------------------------

HOSTILE_TEXT = [
    "",
    " ",
    "\t",
    "\u3000",
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1",
    "\r=1",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    "{% raw %}",
    "../../etc/passwd",
    "..\\..\\windows",
    "CON",
    "a\x00b",
    "\x1b[31mred",
    "\u202egnp.exe",
    "\ud7ff\ufeff\ufffd",
    "𠮷野家",
    "ｶﾀｶﾅ全角１２３",
    "x" * 5000,
    "line\nbreak",
    "null",
    "~",
    "yes",
    "0o17",
    "1e400",
    "-.inf",
    ".nan",
    "2026-02-30",
    "*alias",
    "&anchor",
    "!!python/object/apply:os.system ['echo pwned']",
    "__import__('os').system('echo pwned')",
    "leadership.mayor_commitment",
]

HOSTILE_SCALARS: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    6,
    2**63,
    -(2**70),
    10**40,
    1.5,
    -0.0,
    1e308,
    float("inf"),
    float("-inf"),
    float("nan"),
    dt.date(1, 1, 1),
    dt.date(9999, 12, 31),
    dt.datetime(2026, 11, 27, 9, 30),
    [],
    {},
    [1, "a", None],
    {"value": 3},
    {"ja": "x", "en": "y"},
]


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.text(max_size=40),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    )


def hostile_value() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(HOSTILE_SCALARS),
        hostile_text(),
        st.integers(),
        st.floats(),
        st.recursive(
            st.none() | st.integers(-3, 7) | st.text(max_size=5), lambda c: st.lists(c, max_size=3), max_leaves=6
        ),
    )


def nested(depth: int) -> Any:
    value: Any = "deep"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


# --- structured mutations ---------------------------------------------------------------------


def paths_of(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a node (the root included)."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths_of(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths_of(value, prefix + (i,))
    return found


def _get(data: Any, path: tuple) -> Any:
    for item in path:
        data = data[item]
    return data


def mutate(draw: Any, data: Any) -> tuple[Any, list[str]]:
    """Apply 1–4 structured mutations to a copy of `data`; returns it and what was done."""
    import copy

    data = copy.deepcopy(data)
    done = []
    for _ in range(draw(st.integers(1, 4))):
        paths = paths_of(data)
        path = draw(st.sampled_from(paths))
        op = draw(
            st.sampled_from(
                ["delete", "rename", "retype", "swap", "add", "salt", "deep", "repeat", "empty", "huge-list"]
            )
        )
        parent_path, key = (path[:-1], path[-1]) if path else ((), None)
        parent = _get(data, parent_path) if path else None
        node = _get(data, path)
        if op == "delete" and path:
            del parent[key]
        elif op == "rename" and path and isinstance(parent, dict):
            new = draw(
                st.one_of(st.sampled_from(["id", "type", "value", "note", "when", "hlep", "Value"]), hostile_text())
            )
            if new not in parent:
                parent[new] = parent.pop(key)
        elif op == "retype":
            value = draw(hostile_value())
            if path:
                parent[key] = value
            else:
                data = value
        elif op == "swap" and path:
            other = draw(st.sampled_from(paths))
            parent[key] = copy.deepcopy(_get(data, other))
        elif op == "add" and isinstance(node, dict):
            node[draw(hostile_text())] = draw(hostile_value())
        elif op == "add" and isinstance(node, list):
            node.insert(draw(st.integers(0, len(node))), draw(hostile_value()))
        elif op == "salt" and path and isinstance(node, str):
            at = draw(st.integers(0, len(node)))
            parent[key] = node[:at] + draw(hostile_text()) + node[at:]
        elif op == "deep" and path:
            parent[key] = nested(draw(st.sampled_from([3, 50, 99, 100, 101, 150])))
        elif op == "repeat" and isinstance(node, list) and node:
            node.extend(copy.deepcopy(node[:1]) * draw(st.integers(1, 3)))
        elif op == "empty" and path:
            parent[key] = type(node)() if isinstance(node, (dict, list, str)) else None
        elif op == "huge-list" and path:
            parent[key] = list(range(draw(st.sampled_from([100, 3000]))))
        done.append(f"{op} {'.'.join(map(str, path)) or '<root>'}")
    return data, done


def dump_yaml(data: Any) -> bytes:
    """Plain data → YAML bytes (ruamel's safe dumper)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=False)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue().encode("utf-8", errors="surrogatepass")


def plain_data(path: Path) -> Any:
    from dxassess.load import parse_bytes

    return parse_bytes(str(path), path.read_bytes()).data


TEXT_INSERTS = [
    b"&a ",
    b"*a",
    b"<<: *a\n",
    b"!!python/object/apply:os.system ['touch PWNED']",
    b"!!binary aGVsbG8=",
    b"!custom ",
    b"? [a, b]\n: c\n",
    b"%YAML 1.1\n---\n",
    b"---\n",
    b"...\n",
    b"\t",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x81\x40",
    b"\x1b",
    b"\r",
    b": ",
    b"- ",
    b"{",
    b"}",
    b"[",
    b"]",
    b'"',
    b"'",
    b"|\n",
    b">-\n",
    b"#",
    b"\\u0000",
    b"\xe3\x81",
    b"99999999999999999999999999999999999",
    b"1e999",
    b"0x1F",
    b"2026-13-45",
    b"\n" + b"  " * 60,
    b"[" * 120 + b"]" * 120,
    b"{a: " * 110 + b"1" + b"}" * 110,
]


def mutate_bytes(draw: Any, raw: bytes) -> tuple[bytes, str]:
    """A byte-level mutation of a file: cut, splice, salt, duplicate or swap lines."""
    lines = raw.split(b"\n")
    op = draw(st.sampled_from(["truncate", "insert", "delete", "dup-line", "swap-lines", "indent", "replace"]))
    if op == "truncate":
        at = draw(st.integers(0, len(raw)))
        return raw[:at], f"truncate at {at}"
    if op == "insert":
        at = draw(st.integers(0, len(raw)))
        piece = draw(st.one_of(st.sampled_from(TEXT_INSERTS), st.binary(max_size=8)))
        return raw[:at] + piece + raw[at:], f"insert {piece[:20]!r} at {at}"
    if op == "delete":
        at = draw(st.integers(0, len(raw)))
        n = draw(st.integers(1, 20))
        return raw[:at] + raw[at + n :], f"delete {n} at {at}"
    i = draw(st.integers(0, len(lines) - 1))
    if op == "dup-line":
        lines.insert(i, lines[i])
    elif op == "swap-lines":
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "indent":
        lines[i] = b" " * draw(st.integers(1, 5)) + lines[i]
    else:
        lines[i] = draw(st.sampled_from(TEXT_INSERTS)) + lines[i][draw(st.integers(0, len(lines[i]))) :]
    return b"\n".join(lines), f"{op} line {i + 1}"


# --- checks -----------------------------------------------------------------------------------


def check_problems(case: Case, path: Path, problems: list, raw: bytes | None = None) -> None:
    """Problems from `validate`: one line each, naming this file, with a sane position."""
    lines = len(raw.decode("utf-8", "replace").splitlines()) + 2 if raw is not None else None
    for p in problems:
        text = p.format_text()
        if "\n" in text or "\r" in text:
            case.crash(f"a problem spans lines: {text[:200]!r}")
        if p.path != str(path):
            case.crash(f"a problem names another file: {text[:200]!r}")
        if p.line < 0 or p.col < 0 or (lines is not None and p.line > lines):
            case.crash(f"a problem points outside the file: {text[:200]!r}")
        if p.severity not in ("error", "warning") or not re.fullmatch(r"DX\d{3}", p.code):
            case.crash(f"a problem without severity or code: {text[:200]!r}")


def clean_error(case: Case, exc: Exception, path: Path | None = None) -> None:
    """A DxassessError must format as one line naming the file."""
    text = exc.one_line()  # type: ignore[attr-defined]
    if "\n" in text or "\r" in text:
        case.crash(f"an error spans lines: {text[:200]!r}")
    if path is not None and str(path) not in text:
        case.crash(f"the error does not name the file: {text[:200]!r}")
    case.outcome = "clean error"


def check_cli(case: Case, code: int | None, stdout: str, stderr: str, allowed: tuple[int, ...] = (0, 1, 2)) -> None:
    """A finished command: a documented exit code, no traceback, errors on one line each."""
    if code not in allowed:
        case.crash(f"exit code {code}: {stderr[-400:]}")
    if "Traceback" in stderr or "Traceback" in stdout:
        case.crash("traceback: " + stderr[-600:])
    if code in (1, 2) and not (stderr.strip() or stdout.strip()):  # machine formats report on stdout
        case.crash(f"exit {code} without a message")
    case.outcome = {0: "exit 0", 1: "exit 1 (clean error)", 2: "exit 2 (usage)"}.get(code or 0, f"exit {code}")


def python_cli(
    *args: str, cwd: Path, timeout: float = 60, memory_mb: int | None = 1024, env: dict | None = None
) -> subprocess.CompletedProcess:
    """`python -m dxassess ARGS` with a time limit and (POSIX) an address-space limit."""

    def limit() -> None:
        if memory_mb:
            import resource

            size = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LANG": "C.UTF-8", "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "dxassess", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=full_env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        preexec_fn=limit if os.name == "posix" else None,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Relative path → bytes of every file under `folder`."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def cli_invoke(case: Case, argv: list[str], cwd: Path, allowed: tuple[int, ...] = (0, 1, 2)) -> Any:
    """`dxassess ARGV` through typer's runner in `cwd`: a documented exit code, no traceback, no
    unexpected exception."""
    from typer.testing import CliRunner

    from dxassess.cli import app

    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, argv)
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        case.crash(f"{type(result.exception).__name__}: {result.exception}")
    check_cli(case, result.exit_code, result.stdout, result.stderr, allowed)
    return result


def one_line_errors(case: Case, stderr: str, name: str | None = None) -> None:
    """Every error line is `... error: DXnnn ...` on its own line, naming `name` when given."""
    errors = [line for line in stderr.splitlines() if " error: DX" in line or line.startswith("error: DX")]
    if not errors:
        case.crash(f"no error line: {stderr[-300:]!r}")
    if name is not None and not any(name in line for line in errors):
        case.crash(f"the error does not name {name}: {stderr[-300:]!r}")


def time_limited(seconds: float) -> Any:
    """A time limit inside a case that has none of its own (see registry.time_limit)."""
    from tests.reliability.registry import time_limit

    return time_limit(seconds)
