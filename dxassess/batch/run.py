"""Batch orchestration: inputs → jobs → parallel scoring → peer benchmarks → reports, summaries."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from dxassess.batch.peers import Benchmarks
from dxassess.batch.work import Job, Settings, finish_job, score_job
from dxassess.problems import Problem
from dxassess.text import Msg, msg

SHEET_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".ods")  # .ods: read_sheet says to save it as .xlsx
YAML_SUFFIXES = (".yaml", ".yml")
WORK_DIR = ".dxassess-work"
MANIFEST = ".dxassess-batch.json"  # the reports batch wrote into the folder, so a re-run removes stale ones


@dataclass(frozen=True)
class Rejection:
    """An input the batch did not score: where it came from and why."""

    index: int  # its place among the inputs (rejections are listed in input order)
    source: str  # the path, or "sheet.xlsx:5"
    problem: Problem


@dataclass(frozen=True)
class InputWarning:
    """A scored input with a warning (its name does not match its code, say): listed, not rejected."""

    index: int
    source: str
    problem: Problem


@dataclass
class Outcome:
    """What a batch run produced: accepted summary rows (input order), rejected inputs, and the
    warnings of scored inputs."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)
    benchmarks: Benchmarks | None = None
    inputs: int = 0


def _problem(path: Path | str, code: str, message: Msg) -> Problem:
    return Problem(str(path), 1, 1, "error", code, message)


def expand(inputs: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Input paths → files (folders searched for answer files); the problems of unusable paths."""
    files: list[Path] = []
    bad: list[Problem] = []
    for path in inputs:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in YAML_SUFFIXES and p.is_file() and WORK_DIR not in p.parts
            )
            if not found:
                bad.append(_problem(path, "DX009", msg("batch.no_answer_files")))
            files += found
        elif path.is_file():
            files.append(path)
        elif path.exists():
            bad.append(_problem(path, "DX009", msg("read.special_file")))
        else:
            bad.append(_problem(path, "DX009", msg("read.not_found")))
    return files, bad


def jobs_from(files: list[Path], questionnaire_ref: str | None, rejected: list[Rejection]) -> Iterator[Job]:
    """One job per answer file and per sheet row; sheet errors go to `rejected`; the warnings of
    rows still scored go with their job."""
    index = 0
    seen: dict[str, str] = {}
    for path in files:
        if path.suffix.lower() in SHEET_SUFFIXES:
            from dxassess.errors import DxassessError
            from dxassess.resolver import RESOLVER
            from dxassess.sheets.read import read_sheet

            try:
                questionnaire = RESOLVER.select(questionnaire_ref).questionnaire
            except DxassessError:
                rejected.append(Rejection(index, str(path), _problem(path, "DX301", msg("batch.sheet_questionnaire"))))
                index += 1
                continue
            for row in read_sheet(path, questionnaire, seen):  # pre-filled rows nobody answered are skipped
                if row.problems:
                    rejected += [Rejection(index, row.source, problem) for problem in row.problems]
                else:
                    yield Job(index, row.source, data=row.data, warnings=tuple(row.warnings))
                index += 1
        else:
            yield Job(index, str(path), path=str(path))
            index += 1


class _Workers:
    """Worker processes shared by both passes (inline when there is one worker)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: Any = None

    def __enter__(self) -> _Workers:
        if self.workers > 1:
            import multiprocessing

            context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
            self.pool = context.Pool(self.workers)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.terminate() if exc[0] else self.pool.close()
            self.pool.join()

    def map(self, fn: Callable, items: list, progress: Callable[[int], None]) -> Iterator:
        """`fn` over items; results as they complete. With a pool, the work is handed out at
        once, so the caller may do other work before it reads the results."""
        if self.pool is None:
            return self._inline(fn, items, progress)
        chunk = max(1, min(32, len(items) // (self.workers * 8) or 1))
        results = self.pool.imap_unordered(fn, items, chunksize=chunk)

        def read() -> Iterator:
            for result in results:
                progress(1)
                yield result

        return read()

    @staticmethod
    def _inline(fn: Callable, items: list, progress: Callable[[int], None]) -> Iterator:
        for item in items:
            yield fn(item)
            progress(1)


class _Compactor:
    """One object for the strings and tuples every row repeats (question and domain ids, titles,
    manual references), so the summary held in memory costs little per municipality."""

    def __init__(self) -> None:
        self.titles: dict[tuple, dict[str, str]] = {}
        self.manual: dict[tuple[str, ...], tuple[str, ...]] = {}

    def __call__(self, row: dict[str, Any]) -> dict[str, Any]:
        intern = sys.intern
        for key in ("tier", "tier_label", "questionnaire", "prefecture"):
            if isinstance(row[key], str):
                row[key] = intern(row[key])
        row["domains"] = {intern(k): v for k, v in row["domains"].items()}
        row["targets"] = {intern(k): v for k, v in row["targets"].items()}
        titles = row["titles"]
        row["titles"] = self.titles.setdefault((row["questionnaire"], *titles.items()), titles)
        manual = self.manual
        row["gaps"] = [(intern(q), gap, priority, manual.setdefault(m, m)) for q, gap, priority, m in row["gaps"]]
        return row


def _score(settings: Settings, job: Job) -> Any:
    return score_job(job, settings)


def _finish(settings: Settings, args: tuple[int, str, tuple[tuple[int, int], ...], dict, dict]) -> Any:
    return finish_job(*args, settings)


def _warm(questionnaire: str | None) -> None:
    """Load what every worker needs before the workers are forked, so they share it: the
    questionnaire, the compiled report templates, the rendering modules."""
    import gc

    from dxassess import register
    from dxassess.batch import reports  # noqa: F401
    from dxassess.errors import DxassessError
    from dxassess.render import context, html  # noqa: F401
    from dxassess.render.templates import shipped_environment
    from dxassess.resolver import RESOLVER

    try:
        RESOLVER.select(questionnaire)
    except DxassessError:  # a broken or missing one is reported per input by the workers
        pass
    register.get_register()  # read once here, shared by the workers (a broken one is an error now)
    env = shipped_environment()
    for name in ("report.html.j2", "sources.html.j2"):
        env.get_template(name)
    # Long-lived objects need no cyclic-GC scans in the workers.
    gc.collect()
    gc.freeze()


def run(
    inputs: list[Path],
    out: Path,
    workers: int,
    lang: str,
    questionnaire: str | Path | None,
    progress_factory: Callable[[str, int], Callable[[int], None]],
    budget_cutoff: int | None = None,
) -> Outcome:
    """Score every input into `out` and write the summaries. Invalid inputs are rejected with
    their problem; the others are still scored. Re-running into the same folder completes or
    refreshes it. `questionnaire`: the `--questionnaire` given (a file or folder searched first,
    or an id), which also reads sheets."""
    from dxassess.files import ensure_dir
    from dxassess.resolver import RESOLVER

    ref = None if questionnaire is None else str(questionnaire)
    search = RESOLVER.search_path(ref)
    files, bad = expand(inputs)
    outcome = Outcome()
    ensure_dir(out)
    reports = ensure_dir(out / "reports")
    work = out / WORK_DIR
    shutil.rmtree(work, ignore_errors=True)
    ensure_dir(work)
    from dxassess.roadmap import DEFAULT_BUDGET_CUTOFF

    settings = Settings(
        lang, str(search) if search else None, str(work), str(reports), budget_cutoff or DEFAULT_BUDGET_CUTOFF
    )
    _warm(ref)
    protect = {p for p in inputs if p.is_file()}
    with _Workers(workers) as pool:
        return _passes(pool, files, bad, settings, outcome, ref, progress_factory, out, protect)


def _summarise(out: Path, outcome: Outcome, settings: Settings, protect: set[Path]) -> None:
    """Write the four summaries, with the texts of the questionnaire the scored inputs answer."""
    from dxassess.batch import outputs
    from dxassess.resolver import RESOLVER
    from dxassess.text import pick

    titles: dict[str, str] = {}
    texts: dict[str, str] = {}
    source = _questionnaire_of(outcome, settings)
    if source is not None:
        titles = {d.id: pick(d.title, settings.lang) for d in source.questionnaire.domains}
        texts = {x.id: pick(x.text, settings.lang) for x in source.questionnaire.questions()}
    assert outcome.benchmarks is not None
    protect = protect | RESOLVER.files_read()  # questionnaires and catalogues, named or found
    outputs.write_all(
        out,
        outcome.rows,
        outcome.rejected,
        outcome.benchmarks,
        titles,
        texts,
        settings.lang,
        protect,
        outcome.warnings,
    )


def _questionnaire_of(outcome: Outcome, settings: Settings) -> Any:
    """The questionnaire of the first scored input (every row of a batch shares its domains)."""
    from dxassess.errors import DxassessError
    from dxassess.model import QuestionnaireRef
    from dxassess.resolver import RESOLVER

    if not outcome.rows:
        return None
    qid, _, version = outcome.rows[0]["questionnaire"].partition(" ")
    try:
        search = Path(settings.search) if settings.search else None
        return RESOLVER.for_answers(QuestionnaireRef(id=qid, version=version), search, None)
    except DxassessError:
        return None


def _passes(
    pool: _Workers,
    files: list[Path],
    bad: list[Problem],
    settings: Settings,
    outcome: Outcome,
    questionnaire: str | None,
    progress_factory: Callable[[str, int], Callable[[int], None]],
    out: Path,
    protect: set[Path],
) -> Outcome:
    work = Path(settings.work)
    sheet_rejections: list[Rejection] = []
    jobs = list(jobs_from(files, questionnaire, sheet_rejections))
    outcome.inputs = len(jobs) + len({r.index for r in sheet_rejections}) + len(bad)
    rows: dict[int, dict[str, Any]] = {}
    compact = _Compactor()
    sources = {job.index: job.source for job in jobs}
    tick = progress_factory("scoring", len(jobs))
    warned: dict[int, list[Problem]] = {}
    for index, row, problem in pool.map(partial(_score, settings), jobs, tick):
        if row is None:
            assert problem is not None
            outcome.rejected.append(Rejection(index, sources[index], problem))
        else:
            if "warnings" in row:
                warned[index] = row.pop("warnings")
            rows[index] = compact(row)
    outcome.rejected += sheet_rejections
    outcome.rejected += [Rejection(10**9 + i, problem.path, problem) for i, problem in enumerate(bad)]

    by_code: dict[str, dict[str, Any]] = {}
    for index in sorted(rows):
        row = rows[index]
        first = by_code.get(row["code"])
        reason = None
        if first is not None:
            reason = _problem(
                row["source"], "DX308", msg("batch.duplicate_code", code=row["code"], other=first["source"])
            )
        elif outcome.rows and list(row["domains"]) != list(outcome.rows[0]["domains"]):
            first = outcome.rows[0]
            reason = _problem(
                row["source"],
                "DX309",
                msg(
                    "batch.other_domains",
                    questionnaire=row["questionnaire"],
                    first=first["questionnaire"],
                    source=first["source"],
                ),
            )
        if reason is not None:
            outcome.rejected.append(Rejection(index, row["source"], reason))
            try:
                os.unlink(work / f"{index}.html")
            except OSError:
                pass
            continue
        by_code[row["code"]] = row
        outcome.rows.append(row)
        outcome.warnings += [InputWarning(index, row["source"], p) for p in warned.get(index, ())]
    outcome.rejected.sort(key=lambda r: r.index)

    domain_ids = list(outcome.rows[0]["domains"]) if outcome.rows else []
    bench = Benchmarks(domain_ids)
    for row in outcome.rows:
        bench.add(row)
    outcome.benchmarks = bench

    # Every report this run will write is listed before any is written, so a run killed from
    # here on still leaves them on record for the next run to tidy.
    earlier = _reports_written_before(out)
    planned = {row["code"]: _report_name(row["code"]) for row in outcome.rows}
    _record_reports(out, earlier | set(planned.values()), protect)

    renders = []
    for row in outcome.rows:
        stats = bench.tier_stats(row["tier"])
        row["percentile"] = bench.position(row)
        peer = {
            "tier_label": row["tier_label"],
            "n": bench.counts[row["tier"]],
            "percentile": row["percentile"],
            "median": {key: s.median for key, s in stats.items()},
            "q1": {key: s.q1 for key, s in stats.items()},
            "q3": {key: s.q3 for key, s in stats.items()},
        }
        mine = {
            "tier_label": row["tier_label"],
            "overall": row["overall"],
            "scores": row["domains"],
            "titles": row.pop("titles"),
        }
        renders.append((row["index"], row["code"], row.pop("slot"), mine, peer))
    tick = progress_factory("reports", len(renders))
    finished = pool.map(partial(_finish, settings), renders, tick)
    _summarise(out, outcome, settings, protect)
    failed = False
    codes = {row["index"]: row["code"] for row in outcome.rows}
    for index, problem in finished:
        if problem is not None:
            outcome.rejected.append(Rejection(index, sources.get(index, "?"), problem))
            planned.pop(codes.get(index, ""), None)
            failed = True
    shutil.rmtree(work, ignore_errors=True)
    if failed:
        outcome.rejected.sort(key=lambda r: r.index)
        _summarise(out, outcome, settings, protect)
    this_run = set(planned.values())
    recorded = earlier | _reports_written_before(out)
    if any(r.problem.code == "DX901" for r in outcome.rejected):
        # Something could not be written (a full disk): keep every earlier report, since the one
        # that failed may be among them, and leave the tidying to the next complete run.
        _record_reports(out, recorded | this_run, protect)
        return outcome
    _remove_reports(out, recorded - this_run)
    _record_reports(out, this_run, protect)
    return outcome


def _report_name(code: str) -> str:
    from dxassess.files import safe_name

    return "reports/" + safe_name(code, ".html")


def _reports_written_before(out: Path) -> set[str]:
    """The reports an earlier batch recorded in this folder's manifest (none when there is no
    manifest, or it is not one batch wrote: then nothing is removed)."""
    import json

    from dxassess.files import read_input

    try:
        data = json.loads(read_input(out / MANIFEST, 10_000_000).decode("utf-8"))
    except Exception:  # missing, unreadable or damaged: nothing on record
        return set()
    names = data.get("reports", []) if isinstance(data, dict) else []
    return {n for n in names if isinstance(n, str) and n.startswith("reports/") and n.count("/") == 1}


def _record_reports(out: Path, names: set[str], protect: set[Path]) -> None:
    import json

    from dxassess.files import write_atomic

    payload = {"written_by": "dxassess batch", "reports": sorted(names)}
    write_atomic(out / MANIFEST, json.dumps(payload, ensure_ascii=False, indent=1) + "\n", protect=protect)


def _remove_reports(out: Path, names: set[str]) -> None:
    """Remove reports an earlier run wrote that this run did not (an input removed, or now
    rejected): afterwards the folder holds exactly this run's outputs. Only regular files in
    the reports folder named in the manifest are removed."""
    import stat

    from dxassess.errors import OutputError
    from dxassess.files import inside

    for name in sorted(names):
        try:
            target = inside(out / "reports", name.split("/", 1)[1])
            if stat.S_ISREG(os.lstat(target).st_mode):
                os.unlink(target)
        except (OSError, OutputError):  # already gone, or not ours to remove
            continue
