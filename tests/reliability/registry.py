"""The registry of case classes: every reliability test counts what it tried and how it ended.

A test opens a `Tally` for its case class, runs each case inside `tally.case()`, and closes it
with `tally.done()`. The last test of the suite (`test_zz_table.py`) renders the registry as the
table of `docs/reliability.md` and checks the document holds exactly that table; with
`DXASSESS_UPDATE_RELIABILITY=1` it rewrites the table instead.

Outcome words:
- crash: a traceback, an unexpected exception, a hang (time limit), an undocumented exit code,
  or an error that is not one line;
- lost: data lost, i.e. a file written earlier changed, vanished or was corrupted;
- escape: a file written outside the output folder, an input overwritten, markup unescaped, a
  formula cell, or code executed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
START = "<!-- reliability-table:start -->"
END = "<!-- reliability-table:end -->"
UPDATE = os.environ.get("DXASSESS_UPDATE_RELIABILITY") == "1"

# The case classes, in the order of the table: id → what is tried.
CLASSES: dict[str, str] = {
    # loaders
    "yaml-random-bytes": "random bytes as a questionnaire, answer file or catalogue",
    "yaml-random-text": "random YAML-ish text (flow and block syntax, anchors, tags, quotes, control chars)",
    "questionnaire-mutations": "questionnaires mutated: keys deleted/duplicated/renamed, values retyped, "
    "unicode and control chars, huge numbers, deep nesting",
    "answers-mutations": "answer files mutated the same way, then scored and rendered (HTML, Markdown, JSON) when valid",
    "catalogue-mutations": "manual catalogues mutated the same way",
    "yaml-text-mutations": "valid files cut, spliced and salted at the byte level (truncation, BOM, NUL, anchors/aliases)",
    "fast-loader-agreement": "the batch loader (`parse_fast`) and the checked loader accept the same files, same data",
    "limits": "10 MB, depth 100 and alias-expansion limits through every loader and command (time and memory capped)",
    # sheets
    "csv-random": "random bytes and random text as a CSV sheet",
    "csv-mutations": "template CSV rows with hostile cells (formulas, huge/odd numbers, dates, unicode, delimiters)",
    "xlsx-cells": "XLSX sheets with hostile cells of every type (formulas, errors, dates, huge numbers, booleans)",
    "xlsx-damaged": "a valid XLSX damaged at the byte level (zip and XML corruption, truncation)",
    # the `when` language
    "when-random": "random text as a `when` expression: parse, then evaluate against random answers",
    "when-grammar": "generated well-formed and near-well-formed `when` expressions, nested, evaluated",
    "when-code-injection": "Python code as a `when` expression, in the parser and in questionnaires through `validate`",
    # the command line
    "cli-argv": "random command lines through typer's runner (every command, odd paths and values)",
    "cli-subprocess": "mutated inputs through the real program (`python -m dxassess`): validate, score, report, batch, merge, score --progress",
    # outputs
    "output-names": "file names built from input (codes, names): never leave the output folder",
    "output-over-input": "an output path that is an input (answer file, template, questionnaire, sheet, link)",
    "output-unwritable": "disk full, permission denied, read-only file system, I/O error at each step of a write, "
    "for every command that writes",
    "atomic-writes": "every place in dxassess that opens a file for writing goes through the atomic helper",
    "html-escaping": "markup in every text of questionnaire, catalogue and answers: HTML report, batch index",
    "spreadsheet-formulas": "formula starts in input texts (names, notes, questionnaire texts): summary.csv, summary.xlsx, "
    "CSV and XLSX templates",
    "template-sandbox": "hostile user templates: Python internals, files, imports, huge numbers, strings and loops",
    # faults
    "kill-interview": "kill -9 at seeded random points of the interview (also between keystrokes), then resume",
    "two-processes": "a second `run` on an answer file in use; a lock left by a killed process",
    "kill-batch": "kill -9 of a whole batch at seeded random moments, fresh and over a finished run, then run again",
    # round two (issue 21): inputs
    "answer-aliases": "answer files sharing answers through anchors and aliases, edited the way the interview edits: "
    "only the answer given changes",
    "input-special-files": "devices, FIFOs, sockets, folders and oversized files as every kind of input "
    "(time and memory capped)",
    "csv-mixed-encoding": "CSV sheets in UTF-8 with rows in cp932 or other bytes, and single-encoding controls: "
    "every bad cell reported at its row, no text garbled",
    "spreadsheet-bombs": "sheets with huge cells, zip bombs, 100,000 rows, cells in the last column, "
    "100,000 bad rows, oversized files",
    "odd-digits": "digits int() refuses and 5,000-digit numbers at every prompt of the interview, "
    "in options and in code cells",
    "number-ranges": "extreme values (population, answer values, numeric bounds, weights, deadlines, dates): what "
    "validate accepts, every command finishes; workbooks built without a temporary folder",
    "small-checks": "population true, implausible dates, compare with the newer file first, impossible `when` "
    "comparisons, -o '' and -o through a file, unreadable inputs",
    # round two: outputs
    "output-special-files": "-o naming a symbolic link, a dangling link, a link to /dev/null, a device, a FIFO, "
    "a socket or a folder, for every command that writes",
    "output-over-implicit-input": "outputs over files read without being named: the catalogue beside a "
    "questionnaire, a questionnaire found in a folder, the version it migrates from",
    "overwrite-foreign-files": "import and sample over files they did not write, or wrote and someone edited "
    "(with and without --force)",
    "linked-answer-files": "answer files that are symbolic or hard links, edited by the interview: every name "
    "sees the answers, one lock for all names",
    "batch-stale-outputs": "batch re-run with fewer inputs, a now-rejected input, a file it did not write, "
    "a damaged record",
    "stdout-faults": "standard output full (/dev/full) or closed for every command that prints, "
    "and a file-size limit (ulimit -f) for every command that writes",
    # round two: escapes
    "template-growth": "templates growing results through every operator, filter and method "
    "(`*` on integers, `%`, replace, indent, join, center, format, wordwrap, sum, ...)",
    "terminal-escapes": "escape sequences and control characters in names, notes, texts and file names: "
    "every table, screen, problem and error line; validate flags them in questionnaires",
}

COLUMNS = ("case class", "what is tried", "how many", "crashes", "data lost", "escapes", "outcome")


class Hang(BaseException):
    """A case ran past its time limit (BaseException: no `except Exception` in the code under
    test can swallow it)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise Hang in this thread after `seconds` (POSIX main thread; elsewhere no limit)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum: int, frame: object) -> None:
        raise Hang(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Case:
    """One case: its outcome kind (`result`, `clean error`, ...) and any harm seen."""

    outcome: str = "result"
    crashes: int = 0
    lost: int = 0
    escapes: int = 0
    notes: list[str] = field(default_factory=list)

    def lose(self, why: str) -> None:
        self.lost += 1
        self.notes.append("data lost: " + why)

    def escape(self, why: str) -> None:
        self.escapes += 1
        self.notes.append("escape: " + why)

    def crash(self, why: str) -> None:
        self.crashes += 1
        self.notes.append("crash: " + why)


@dataclass
class Tally:
    id: str
    cases: int = 0
    crashes: int = 0
    lost: int = 0
    escapes: int = 0
    outcomes: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    @contextlib.contextmanager
    def case(self, label: str = "", limit: float | None = 20.0) -> Iterator[Case]:
        """Run one case. An exception escaping the block, or a hang past `limit` seconds, is a
        crash. The block sets `case.outcome` and calls `case.lose()` / `case.escape()`."""
        case = Case()
        try:
            with time_limit(limit) if limit else contextlib.nullcontext():
                yield case
        except Hang as exc:
            case.crash(f"hang: {exc}")
        except Exception as exc:  # the point of the suite: anything unexpected is a crash
            import traceback

            tb = "".join(traceback.format_exception(exc)[-3:])
            case.crash(f"{type(exc).__name__}: {exc}\n{tb}")
        self.cases += 1
        self.crashes += case.crashes
        self.lost += case.lost
        self.escapes += case.escapes
        self.outcomes["crash" if case.crashes else case.outcome] += 1
        if case.crashes or case.lost or case.escapes:
            self.failures.append(f"{label}: " + "; ".join(case.notes))
            # Fail at once, inside hypothesis too, so it shrinks and shows the smallest input.
            raise AssertionError(f"[{self.id}] {label}: " + "; ".join(case.notes))

    def done(self, minimum: int = 1) -> None:
        assert self.cases >= minimum, f"{self.id}: only {self.cases} cases ran"
        assert not self.failures, "\n".join(self.failures[:5])

    def outcome_text(self) -> str:
        parts = [f"{n} {kind}" for kind, n in sorted(self.outcomes.items(), key=lambda kv: (-kv[1], kv[0]))]
        harmless = not (self.crashes or self.lost or self.escapes)
        return ("pass: " if harmless else "FAIL: ") + ", ".join(parts)

    def row(self) -> str:
        cells = [
            f"`{self.id}`",
            CLASSES[self.id],
            str(self.cases),
            str(self.crashes),
            str(self.lost),
            str(self.escapes),
            self.outcome_text(),
        ]
        return "| " + " | ".join(cells) + " |"


REGISTRY: dict[str, Tally] = {}


def tally(class_id: str) -> Tally:
    """A fresh tally for a case class (a re-run of the same test starts again from zero)."""
    if class_id not in CLASSES:
        raise KeyError(f"unknown case class {class_id!r}: add it to CLASSES in {__file__}")
    REGISTRY[class_id] = Tally(class_id)
    return REGISTRY[class_id]


def assert_passed(class_ids: list[str]) -> None:
    """A module's result, stated at its end: each of its classes that ran tried cases and none
    crashed, lost data or escaped (each case also asserts as it runs)."""
    for class_id in class_ids:
        result = REGISTRY.get(class_id)
        if result is None:
            continue  # not run in this session (a -k selection)
        assert result.cases > 0, class_id
        assert (result.crashes, result.lost, result.escapes) == (0, 0, 0), result.row()


def header() -> list[str]:
    return ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]


def table() -> str:
    rows = [REGISTRY[c].row() for c in CLASSES if c in REGISTRY]
    total = [REGISTRY[c] for c in CLASSES if c in REGISTRY]
    summary = (
        f"| **all {len(total)} classes** | | **{sum(t.cases for t in total)}** | "
        f"**{sum(t.crashes for t in total)}** | **{sum(t.lost for t in total)}** | "
        f"**{sum(t.escapes for t in total)}** | |"
    )
    return "\n".join([*header(), *rows, summary])


def documented_rows(text: str) -> dict[str, str]:
    """Case class id → its row, from the table in the document."""
    block = text.split(START, 1)[1].split(END, 1)[0]
    rows = {}
    for line in block.strip().splitlines():
        if line.startswith("| `"):
            rows[line.split("`", 2)[1]] = line
    return rows
