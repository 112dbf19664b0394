"""Faults: kill -9 during the interview and during a batch, two processes on one answer file.

Kill points come from fixed seeds, so every run tries the same moments. After each kill, what
was written before must still be there and whole; running again must complete the work.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from dxassess.inputs import load_assessment
from tests.reliability import helpers as h
from tests.reliability.registry import Case, tally

pexpect = pytest.importorskip("pexpect")
WORK = Path(tempfile.mkdtemp(prefix="dx-reliability-faults-"))
PROFILE = ["--code", "011002", "--municipality", "札幌市", "--population", "1973395"]
QUESTIONS = [
    ("leadership.mayor_commitment", {"0": 0, "3": 3, "5": 5}),
    ("leadership.policy", {"1": True, "2": False}),
    ("infrastructure.pc_age", {"0": 0, "6.5": 6.5, "20": 20}),
    ("infrastructure.wifi", {"2": "meeting_rooms", "3": "everywhere"}),
    ("infrastructure.wifi_secured", {"1": True, "2": False}),
]
PROMPT = r"回答( \[Enter=[^\]]*\])?: "


def spawn(folder: Path, *args: str) -> pexpect.spawn:
    env = dict(os.environ, NO_COLOR="1", LANG="C.UTF-8", TERM="xterm", PYTHONDONTWRITEBYTECODE="1")
    argv = ["-m", "dxassess", "run", "--questionnaire", str(folder / "mini.yaml"), "--lang", "ja", *args]
    return pexpect.spawn(
        sys.executable, argv, cwd=str(folder), env=env, dimensions=(24, 80), encoding="utf-8", timeout=15
    )


def kill(child: pexpect.spawn) -> None:
    child.kill(signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()


def saved_answers(case: Case, path: Path, folder: Path) -> dict:
    """The answer file after a kill: it must parse and validate."""
    try:
        sheet = load_assessment(path, folder / "mini.yaml").sheet
    except Exception as exc:  # DxassessError included: a file the kill left invalid is data lost
        case.lose(f"the answer file no longer loads: {exc}")
        return {}
    return {qid: a.value for qid, a in sheet.answers.items()}


def test_kill_9_during_the_interview_loses_no_confirmed_answer() -> None:
    t = tally("kill-interview")
    for run in range(8):
        rng = random.Random(1127 + run)
        folder = WORK / f"interview{run}"
        h.copy_mini(folder)
        path = folder / "a.yaml"
        confirmed: dict = {}
        plan = [(qid, rng.choice(sorted(keys))) for qid, keys in QUESTIONS]
        answered = rng.randrange(0, 4)
        where = rng.choice(["mid-save", "between-keys", "at-prompt", "in-note", "after-delay"])
        with t.case(f"run {run}: {answered} answers, kill {where}", limit=None) as c:
            child = spawn(folder, "--answers", "a.yaml", *PROFILE)
            for qid, key in plan[:answered]:
                child.expect(PROMPT)
                child.sendline(key)
                child.expect(rf"保存しました: 設問\d+（{re.escape(qid)}）")  # numbered as on screen
                confirmed[qid] = dict(QUESTIONS)[qid][key]
            child.expect(PROMPT)
            qid, key = plan[answered]
            if where == "mid-save":
                child.sendline(key)
            elif where == "between-keys":
                child.send(key[:1])
            elif where == "in-note" and confirmed:
                child.sendline("n")
                child.expect("メモ")
                child.send("途中まで")
            elif where == "after-delay":
                child.sendline(key)
                time.sleep(rng.uniform(0.0, 0.2))
            kill(child)
            in_flight = (qid, dict(QUESTIONS)[qid][key]) if where in ("mid-save", "after-delay") else None
            found = saved_answers(c, path, folder)
            for q, value in confirmed.items():
                if found.get(q) != value:
                    c.lose(f"{q} was {value!r} before the kill, now {found.get(q)!r}")
            extra = {q: v for q, v in found.items() if q not in confirmed}
            if extra and (in_flight is None or extra != dict([in_flight])):
                c.lose(f"answers appeared that were never given: {extra}")
            # Running again resumes at the first unanswered question and keeps everything.
            again = spawn(folder, "--answers", "a.yaml")
            again.expect(r"(\d+)/\d+問 回答済み")
            again.expect(PROMPT)
            again.sendline("q")
            again.expect(pexpect.EOF)
            again.close()
            if again.exitstatus != 0:
                c.crash(f"the resumed run ended with {again.exitstatus}")
            if saved_answers(c, path, folder) != found:
                c.lose("resuming and quitting changed the answers")
            c.outcome = "answers kept, resumed"
    t.done()


def test_two_processes_on_one_answer_file() -> None:
    t = tally("two-processes")
    folder = WORK / "two"
    h.copy_mini(folder)
    path = folder / "a.yaml"
    first = spawn(folder, "--answers", "a.yaml", *PROFILE)
    first.expect(PROMPT)
    first.sendline("3")
    first.expect("保存しました")
    first.expect(PROMPT)
    before = path.read_bytes()
    # A second interview in a terminal, then plain processes (as a script would start them).
    with t.case("second run in a terminal") as c:
        second = spawn(folder, "--answers", "a.yaml")
        second.expect(r"別の dxassess run（プロセス \d+）で使用中です")
        second.expect(pexpect.EOF)
        second.close()
        if second.exitstatus != 1:
            c.crash(f"the second run ended with {second.exitstatus}")
        c.outcome = "refused (exit 1)"
    for i in range(4):
        with t.case(f"second run as a plain process #{i}", limit=None) as c:
            proc = h.python_cli(
                "run", "--questionnaire", "mini.yaml", "--answers", "a.yaml", "--lang", "en", cwd=folder, memory_mb=None
            )
            h.check_cli(c, proc.returncode, proc.stdout, proc.stderr, allowed=(1,))
            if "DX902" not in proc.stderr or len(proc.stderr.strip().splitlines()) != 1:
                c.crash(f"not one DX902 line: {proc.stderr!r}")
            c.outcome = "refused (exit 1)"
    with t.case("the file is untouched by the refused runs") as c:
        if path.read_bytes() != before:
            c.lose("a refused run changed the answer file")
        c.outcome = "untouched"
    kill(first)
    with t.case("a lock left by a killed process does not lock the user out") as c:
        again = spawn(folder, "--answers", "a.yaml")
        again.expect(r"1/\d+問 回答済み")
        again.expect(PROMPT)
        again.sendline("q")
        again.expect(pexpect.EOF)
        again.close()
        if again.exitstatus != 0:
            c.crash(f"after the kill, run ended with {again.exitstatus}")
        c.outcome = "resumed"
    t.done()


# --- batch ------------------------------------------------------------------------------------


def complete(case: Case, out: Path, clean: dict[str, bytes]) -> None:
    """Every output file that exists is whole: byte-identical to the clean run's (batch output is
    deterministic), and in any case HTML ends with </html>, JSON parses, CSV rows are even."""
    for p in sorted(out.rglob("*")):
        if not p.is_file():
            continue
        rel = str(p.relative_to(out))
        if ".dxassess-work" in rel or rel.endswith(".tmp"):
            continue  # scratch space and unfinished temporary files: never outputs
        raw = p.read_bytes()
        if rel.endswith(".html") and not raw.rstrip().endswith(b"</html>"):
            case.lose(f"{rel} is cut short")
        elif rel.endswith(".json"):
            try:
                json.loads(raw)
            except ValueError:
                case.lose(f"{rel} does not parse")
        elif rel.endswith(".csv"):
            widths = {len(line.split(b",")) for line in raw.splitlines() if line}
            if len(widths) > 1 and b'"' not in raw:
                case.lose(f"{rel} has ragged rows")
        if rel in clean and raw != clean[rel]:
            case.lose(f"{rel} differs from the clean run's")
        elif rel not in clean:
            case.escape(f"{rel} is not an output of the clean run")


def batch(inputs: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LANG": "C.UTF-8", "NO_COLOR": "1"}
    argv = [sys.executable, "-m", "dxassess", "batch", str(inputs), "-o", str(out), "-j", "2", "-q", str(h.MINI)]
    return subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, text=True
    )


def test_kill_9_during_a_batch_then_run_again() -> None:
    t = tally("kill-batch")
    inputs = WORK / "samples"
    made = h.python_cli("sample", "--count", "60", "-q", str(h.MINI), "-o", str(inputs), cwd=WORK)
    assert made.returncode == 0, made.stderr
    originals = h.snapshot(inputs)
    clean_out = WORK / "clean"
    started = time.monotonic()
    proc = batch(inputs, clean_out)
    _, err = proc.communicate(timeout=120)
    duration = time.monotonic() - started
    assert proc.returncode == 0, err
    clean = h.snapshot(clean_out)
    assert "summary.csv" in clean and len([k for k in clean if k.startswith("reports/")]) == 60
    rng = random.Random(20261127)
    for run in range(9):
        over_finished = run % 3 == 2  # a third of the runs kill a re-run over a finished output
        out = WORK / f"killed{run}"
        if over_finished:
            import shutil

            shutil.copytree(clean_out, out)
        delay = rng.uniform(0.05, duration * 1.1)
        with t.case(
            f"run {run}: kill after {delay:.2f}s{' over a finished run' if over_finished else ''}", limit=None
        ) as c:
            proc = batch(inputs, out)
            time.sleep(delay)
            if proc.poll() is None:  # (near the end, the batch may have finished: timing decides)
                os.killpg(proc.pid, signal.SIGKILL)
            c.outcome = "whole after the kill, re-run identical to a clean run"
            proc.communicate(timeout=60)
            time.sleep(0.05)  # let the killed workers' exits settle
            if out.exists():
                complete(c, out, clean)
            if h.snapshot(inputs) != originals:
                c.lose("an input file changed")
            again = batch(inputs, out)
            _, err = again.communicate(timeout=120)
            if again.returncode != 0 or "Traceback" in err:
                c.crash(f"the re-run ended with {again.returncode}: {err[-300:]}")
            rerun = {k: v for k, v in h.snapshot(out).items() if not k.endswith(".tmp")}
            if rerun != clean:
                missing = sorted(set(clean) - set(rerun))[:3]
                differ = sorted(k for k in clean if k in rerun and rerun[k] != clean[k])[:3]
                extra = sorted(set(rerun) - set(clean))[:3]
                c.lose(f"the re-run differs from a clean run: missing {missing}, differ {differ}, extra {extra}")
    t.done()
