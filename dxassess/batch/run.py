"""Batch orchestration: inputs → jobs → (what the cache cannot give) parallel scoring → peer
benchmarks → reports' peer sections → summaries; and the cache for the next run.

A re-run into the same folder takes from the cache (batch/cache.py) every input whose content,
questionnaire files and report are as they were, scores only the others, recomputes the group
statistics, rewrites the peer sections of the reports whose group changed and the summaries
whose bytes changed. Its output is byte for byte that of a fresh run (`--fresh`)."""

from __future__ import annotations

import itertools
import os
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from dxassess.batch import cache as cachemod
from dxassess.batch.peers import Benchmarks
from dxassess.batch.work import Job, Settings, finish_job, refresh_job, score_job
from dxassess.filekinds import SHEET_SUFFIXES, is_sheet
from dxassess.text import Msg, msg, text

YAML_SUFFIXES = (".yaml", ".yml")
WORK_DIR = ".dxassess-work"
MANIFEST = ".dxassess-batch.json"  # the reports batch wrote into the folder, so a re-run removes stale ones
MANIFEST_MAX_BYTES = 10_000_000  # far above 1,741 names; a larger file is not one batch wrote
INLINE = 8  # this many inputs to score or fewer: no worker processes
# What a cache entry keeps beside the summary row: where the report's rooms are, its size, the
# files its questionnaire was made from, the earlier batch's entry it was compared with, its
# group's values and its position in it, and what its peer sections were made from.
ENTRY_FIELDS = ("slot", "size", "files", "prev", "group", "percentile", "peer", "ask")


@dataclass(frozen=True)
class Rejection:
    """An input the batch did not score: where it came from and why."""

    index: int  # its place among the inputs (rejections are listed in input order)
    source: str  # the path, or "sheet.xlsx:5"
    problem: Any  # dxassess.problems.Problem


@dataclass(frozen=True)
class InputWarning:
    """A scored input with a warning (its name does not match its code, say): listed, not rejected."""

    index: int
    source: str
    problem: Any  # dxassess.problems.Problem


@dataclass
class Outcome:
    """What a batch run produced: accepted summary rows (input order), rejected inputs, and the
    warnings of scored inputs."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)
    benchmarks: Benchmarks | None = None
    inputs: int = 0
    scored: int = 0  # inputs scored and rendered in this run
    kept: int = 0  # results and reports kept from the earlier run as they were
    refreshed: int = 0  # kept reports whose peer sections were rewritten
    change: dict[str, Any] | None = None  # with --previous: the change across the batch

    @property
    def rejected_inputs(self) -> int:
        """How many inputs (files, sheet rows) were not scored: a row with two bad cells is one."""
        return len({r.index for r in self.rejected})


def _problem(path: Path | str, code: str, message: Msg) -> Any:
    """A problem of an input: a file, or a sheet's row ("sheet.csv:4", named at that row)."""
    from dxassess.problems import Problem

    sheet, _, row = str(path).rpartition(":")
    if sheet and row.isdigit() and Path(sheet).suffix.lower() in SHEET_SUFFIXES:
        return Problem(sheet, int(row), 1, "error", code, message)
    return Problem(str(path), 1, 1, "error", code, message)


def _answer_files(folder: Path) -> list[Path]:
    """Every *.yaml / *.yml file under `folder` (not in a batch's work folder), sorted."""
    found: list[str] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir():
                if entry.name != WORK_DIR:
                    stack.append(Path(entry.path))
            elif os.path.splitext(entry.name)[1].lower() in YAML_SUFFIXES and entry.is_file():
                found.append(entry.path)
    # the order of sorted Paths (part by part), without comparing Path objects (slow for many)
    return [Path(path) for path in sorted(found, key=lambda path: os.path.normcase(path).split(os.sep))]


def _no_answer_files(folder: Path) -> Msg:
    """Why a folder gave nothing to score; if it holds returned sheets (which a folder is not
    searched for: a batch's own summary.xlsx or a blank template may lie beside them), how to
    name them."""
    try:
        sheets = sorted({os.path.splitext(e.name)[1].lower() for e in os.scandir(folder) if is_sheet(e.name)})
    except OSError:
        sheets = []
    if not sheets:
        return msg("batch.no_answer_files")
    named = " ".join(str(folder / f"*{suffix}") for suffix in sheets)
    return msg("batch.no_answer_files_sheets", named=named)


def expand(inputs: list[Path]) -> tuple[list[Path], list[Any]]:
    """Input paths → files (folders searched for answer files), each file once however often it
    is named (`batch a a/x.yaml`); the problems of unusable paths."""
    files: list[Path] = []
    bad: list[Any] = []
    for path in inputs:
        if path.is_dir():
            found = _answer_files(path)
            if not found:
                bad.append(_problem(path, "DX009", _no_answer_files(path)))
            files += found
        elif path.is_file():
            files.append(path)
        elif path.exists():
            bad.append(_problem(path, "DX009", msg("read.special_file")))
        else:
            bad.append(_problem(path, "DX009", msg("read.not_found")))
    if len(inputs) > 1:  # one folder cannot name a file twice
        once: dict[str, Path] = {}
        for path in files:
            once.setdefault(os.path.normcase(os.path.abspath(path)), path)
        files = list(once.values())
    return files, bad


def jobs_from(
    files: list[Path], questionnaire_ref: str | None, rejected: list[Rejection], run_key: str = "", read: bool = True
) -> Iterator[Job]:
    """One job per answer file and per sheet row; sheet errors and unreadable files go to
    `rejected` (the warnings of sheet rows still scored go with their job). `read`: read each file here, once, and key it by its content (to look it up in the
    cache); else the worker reads it (a fresh run)."""
    import json

    from dxassess.batch.cache import input_key

    index = 0
    seen: dict[str, str] = {}
    for path in files:
        if path.suffix.lower() in SHEET_SUFFIXES:
            from dxassess.batch.work import resolver
            from dxassess.errors import DxassessError
            from dxassess.sheets.read import read_sheet

            try:
                questionnaire = resolver().select(questionnaire_ref).questionnaire
            except DxassessError:
                rejected.append(Rejection(index, str(path), _problem(path, "DX301", msg("batch.sheet_questionnaire"))))
                index += 1
                continue
            for row in read_sheet(path, questionnaire, seen):  # pre-filled rows nobody answered are skipped
                if row.problems:
                    rejected += [Rejection(index, row.source, problem) for problem in row.problems]
                else:
                    # the row's warnings follow from its cells: in the key with its data
                    content = json.dumps(  # the columns too: a problem names its cell
                        [row.data, [p.as_dict("en") for p in row.warnings], row.columns],
                        sort_keys=True,
                        default=str,
                        ensure_ascii=False,
                    ).encode()
                    key = input_key(run_key, row.source, content)
                    yield Job(
                        index,
                        row.source,
                        data=row.data,
                        key=key,
                        warnings=tuple(row.warnings),
                        sheet=row.path,
                        positions=row.positions(),
                    )
                index += 1
        elif not read:
            yield Job(index, str(path))
            index += 1
        else:
            from dxassess.load import LoadFailure, read_bytes

            source = str(path)
            try:
                raw = read_bytes(path)  # type, size and read bounded
            except LoadFailure as exc:
                rejected.append(Rejection(index, source, exc.problem))
            else:
                yield Job(index, source, raw=raw, key=input_key(run_key, source, raw))
            index += 1


class _Workers:
    """The worker processes of a run, started when first needed. Many inputs to score: what they
    share is loaded first (`_warm`) and then all cores' workers are forked, sharing it. A few
    (a re-run after some changes): one helper process is forked at once and loads what it needs
    itself, while this process reads the cache. Nothing to hand out: no process at all."""

    def __init__(self, workers: int, previous: dict[str, Any], settings: Settings) -> None:
        self.workers = workers
        self.previous = previous
        self.settings = settings
        self.pool: Any = None
        self.size = 0  # worker processes running
        self.used = True  # work was handed out (an unused helper is stopped at once)
        self.warmed = False  # this process loaded the questionnaire and templates

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop(bool(exc[0]) or not self.used)

    def _stop(self, failed: bool = False) -> None:
        if self.pool is not None:
            self.pool.terminate() if failed else self.pool.close()
            self.pool.join()
            self.pool, self.size = None, 0

    def helper(self) -> None:
        """Start the one helper process now, loading what scoring needs while this process reads
        the inputs and the cache (a re-run: whatever turns out to have changed is scored at once,
        and the peer sections are rewritten while this process writes the summaries). Stopped
        unused if nothing changed."""
        if self.workers <= 1 or self.pool is not None:
            return
        import multiprocessing

        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
        self.pool = context.Pool(1, initializer=_helper_start, initargs=(self.previous, self.settings.search))
        _widen_pipes(self.pool)
        self.size = 1
        self.used = False

    def ready(self, jobs: int) -> None:
        """Processes fit for `jobs` inputs to score (more can be asked for later)."""
        wanted = 1 if jobs <= INLINE else self.workers
        if self.workers <= 1 or wanted <= self.size:
            if self.workers <= 1 and jobs and not self.warmed:
                _warm(self.settings.search)
                self.warmed = True
            if self.workers <= 1 and jobs > INLINE:
                # this process scores them all (`--jobs 1`, one core): its allocator keeps what it
                # frees as a worker's does (about a tenth of such a run); it stays so afterwards
                from dxassess.batch.work import keep_freed_memory

                keep_freed_memory()
            return
        self._stop()
        if wanted > 1:  # share the loaded questionnaire and compiled templates with every worker
            _warm(self.settings.search)
            self.warmed = True
        import multiprocessing

        from dxassess.batch.work import init_worker

        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
        self.pool = context.Pool(wanted, initializer=init_worker, initargs=(self.previous,))
        _widen_pipes(self.pool)
        self.size = wanted

    def map(self, fn: Callable[..., Any], items: list[Any], progress: Callable[[int], None]) -> Iterator[Any]:
        """`fn` over items; results as they complete. With a pool, the work is handed out at
        once, so the caller may do other work before it reads the results."""
        if not items:
            return iter(())
        self.used = True
        if self.pool is None and self.workers > 1 and len(items) > 1:
            self.ready(0)  # a helper for peer sections, while this process writes the summaries
        if self.pool is None:
            return self._inline(fn, items, progress)
        chunk = max(1, min(32, len(items) // (self.size * 8) or 1))
        # The last round in small parts, handed out after the others: a worker that finishes
        # early then takes some of it instead of waiting for the other's last part of `chunk`.
        last = len(items) - self.size * chunk
        parts = [self.pool.imap_unordered(fn, items[:last], chunksize=chunk)] if last > 0 else []
        parts.append(self.pool.imap_unordered(fn, items[max(last, 0) :], chunksize=max(1, chunk // 8)))
        results = itertools.chain.from_iterable(parts)

        def read() -> Iterator[Any]:
            for result in results:
                progress(1)
                yield result

        return read()

    @staticmethod
    def _inline(fn: Callable[..., Any], items: list[Any], progress: Callable[[int], None]) -> Iterator[Any]:
        for item in items:
            yield fn(item)
            progress(1)


PIPE_BYTES = 1 << 20  # Linux's limit for a pipe an unprivileged process sizes (/proc/sys/fs/pipe-max-size)


def _widen_pipes(pool: Any) -> None:
    """Give the pool's pipes room for a whole part of the results (32 rows, about 450 KB) instead
    of Linux's 64 KB: a worker then hands its results over in one write and goes on, where it
    waited on a full pipe until this process, sharing the cores with the workers, came round to
    reading it (hundreds of waits in a run). Linux only; anything unexpected leaves them as
    they are (the pipes are the pool's own, so this reaches into it)."""
    if not sys.platform.startswith("linux"):
        return
    import fcntl

    set_size = getattr(fcntl, "F_SETPIPE_SZ", 1031)
    for name in ("_outqueue", "_inqueue"):
        try:
            fcntl.fcntl(getattr(pool, name)._writer.fileno(), set_size, PIPE_BYTES)
        except (AttributeError, OSError, ValueError):  # another Pool, or a lower system limit
            pass


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the main process's share of a run once the inputs
    are read: what it makes then (every row, the cache's entries) lives to the end of the run,
    and it makes almost no cyclic garbage (about a thousand objects in a run of 1,741 inputs),
    so collections only scanned the rows again and again as they grew (a tenth of a re-run).
    Workers forked meanwhile turn it on again (`work.init_worker`). Turned on again, it would
    first scan everything made meanwhile (all of it young: 35-50 ms at the end of a re-run, for
    a few hundred objects found), so that is frozen first; `run` unfreezes it when it returns."""
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.enable()


_WARMED: list[str | None] = []  # what this process warmed up for (the questionnaire searched)


def _prepare_summaries() -> None:
    """Load what writing the summaries needs (modules, the index template)."""
    from dxassess.batch import outputs, prefectures  # noqa: F401
    from dxassess.render.templates import shipped_environment

    shipped_environment().get_template("index.html.j2")


def _helper_start(previous: dict[str, Any], search: str | None) -> None:
    from dxassess.batch.work import init_worker

    init_worker(previous)
    _warm(search)


def _score(settings: Settings, job: Job) -> Any:
    if not _WARMED:
        _warm(settings.search)
    return score_job(job, settings)


def _finish(
    settings: Settings,
    args: tuple[str, int, str, list[list[int]], dict[str, Any], dict[str, Any], dict[str, bytes]],
) -> Any:
    kind, index, code, slot, mine, peer, asks = args
    if kind == "finish":
        return finish_job(index, code, slot, mine, peer, settings, asks)
    return refresh_job(index, code, slot, mine, peer, settings, asks)


def _warm(questionnaire: str | None) -> None:
    """Load what scoring needs once per process (and before workers are forked, so they share
    it): the questionnaire, the compiled report templates, the rendering modules."""
    import gc

    from dxassess import register
    from dxassess.batch import reports  # noqa: F401
    from dxassess.batch.work import resolver
    from dxassess.errors import DxassessError
    from dxassess.render import context, html  # noqa: F401
    from dxassess.render.templates import shipped_environment

    _WARMED[:] = [questionnaire]
    try:
        resolver().select(questionnaire)
    except DxassessError:  # a broken or missing one is reported per input by the workers
        pass
    register.get_register()  # read once here, shared by the workers (a broken one is an error now)
    env = shipped_environment()
    for name in ("report.html.j2", "sources.html.j2"):
        env.get_template(name)
    # Long-lived objects need no cyclic-GC scans in the workers, and scoring makes many small
    # objects that reference counting frees: collect the young generation less often. Frozen as
    # they are: the garbage among them is a few hundred objects (221 measured), not worth a full
    # collection (26–43 ms) before the workers can start.
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def run(
    inputs: list[Path],
    out: Path,
    workers: int,
    lang: str,
    questionnaire: str | Path | None,
    progress_factory: Callable[[str, int], Callable[[int], None]],
    budget_cutoff: int | None = None,
    previous: Path | None = None,
    fresh: bool = False,
) -> Outcome:
    """Score every input into `out` and write the summaries. Invalid inputs are rejected with
    their problem; the others are still scored. Re-running into the same folder completes or
    refreshes it, and scores again only the inputs that changed (unless `fresh`).
    `questionnaire`: the `--questionnaire` given (a file or folder searched first, or an id),
    which also reads sheets. `previous`: an earlier batch's output folder, to add the change
    since then."""
    from dxassess.batch import work as workmod
    from dxassess.batch.cache import Cache, code_key, run_key
    from dxassess.files import ensure_dir

    ref = None if questionnaire is None else str(questionnaire)
    search = None
    if ref:
        from dxassess.resolver import RESOLVER

        search = RESOLVER.search_path(ref)
    earlier = None
    if previous is not None:
        from dxassess.batch.previous import read_previous

        earlier = read_previous(previous)
        if os.path.exists(out / "summary.json") and os.path.samefile(earlier.path, out / "summary.json"):
            from dxassess.errors import InputError

            raise InputError(msg("batch.previous_is_output"), path=earlier.path, code="DX315")
    from dxassess import register

    register.get_register()  # a broken register of the user's is one error now, before any work
    files, bad = expand(inputs)
    ensure_dir(out)
    reports = ensure_dir(out / "reports")
    work = out / WORK_DIR
    if work.exists():
        shutil.rmtree(work, ignore_errors=True)
    cutoff = budget_cutoff or 10  # roadmap.DEFAULT_BUDGET_CUTOFF, without importing the core
    code = code_key()
    key = run_key(lang, cutoff, str(search) if search else None, code)
    settings = Settings(lang, str(search) if search else None, str(work), str(reports), cutoff, key)
    kept = None if fresh else Cache.load(out, key)
    # --fresh takes nothing kept: neither this folder's cache nor the user's checked questionnaires
    stored = kept.questionnaires if kept else None
    workmod.setup(stored, earlier.municipalities if earlier else {}, None if fresh else code)
    state = _Run(out, settings, key, kept, earlier, ref, progress_factory, {p for p in inputs if p.is_file()})
    import gc

    thresholds = gc.get_threshold()
    try:
        return state.go(files, bad, workers)
    finally:
        gc.set_threshold(*thresholds)  # the caller's process (the Python API) as it was
        gc.unfreeze()


class _Run:
    """One batch run: what it was given and what it has found so far."""

    def __init__(
        self,
        out: Path,
        settings: Settings,
        key: str,
        kept: cachemod.Cache | None,
        earlier: Any,
        ref: str | None,
        progress_factory: Callable[[str, int], Callable[[int], None]],
        protect: set[Path],
    ) -> None:
        self.out, self.settings, self.key, self.kept, self.earlier = out, settings, key, kept, earlier
        self.ref, self.progress_factory, self.protect = ref, progress_factory, protect
        self.outcome = Outcome()
        self.lines: dict[str, bytes] = {}  # input key → its line in the cache (unchanged entries)
        # questionnaire (its file's hash) → {"titles": domain id → title, "questions": id → text}
        self.texts: dict[str, dict[str, dict[str, str]]] = dict(kept.texts) if kept else {}
        self.warmed = False
        self.dirty = False  # the reports folder changed (the cache no longer describes it)
        self.summary_key = ""
        self.summary_digests: dict[str, str] = {}
        self._resolved: dict[tuple[str, str, str], str | None] = {}
        self._digests: dict[str, str] = {}  # questionnaire files' hashes, once per run
        self._bands: dict[str, tuple[dict[str, Any], bytes]] = {}  # see _band

    # -- what the cache can give -------------------------------------------------------------

    def _resolve(self, questionnaire: str, near: str) -> str | None:
        """The questionnaire file an answer file naming `questionnaire` ("id version") gets now."""
        memo = (questionnaire, near, self.settings.search or "")
        if memo not in self._resolved:
            from dxassess import library

            qid, _, version = questionnaire.partition(" ")
            search = Path(self.settings.search) if self.settings.search else None
            if search is not None:
                found = library.find_questionnaire(qid, version, search)
            else:
                found = library.find_questionnaire(qid, version, None) or library.find_questionnaire(
                    qid, version, Path(near)
                )
            self._resolved[memo] = None if found is None else str(found.resolve())
        return self._resolved[memo]

    def _usable(self, job: Job, entry: dict[str, Any]) -> bool:
        """Whether an earlier run's result for this very input still holds: the questionnaire it
        was scored with is still the one found and its files are unchanged, it was compared with
        the same entry of the earlier batch, and its report is the one that run left. A result
        warned about its dates (DX314: before the DX plan, or in the future) is not kept: "in the
        future" depends on the day of the run, so it is checked again (such files are rare)."""
        from dxassess.batch.cache import file_digest

        row = entry["row"]
        files = entry["files"]
        if any(w.get("code") == "DX314" for w in row.get("warnings", ())):
            return False
        if (
            row["source"] != job.source
            or self._resolve(row["questionnaire"], os.path.dirname(job.source)) != files[0][0]
        ):
            return False
        digests = self._digests
        for path, found in files:
            now = digests.get(path)
            if now is None:
                now = digests[path] = file_digest(path) or "-"
            if now != found:
                return False
        before = self.earlier.municipalities.get(row["code"]) if self.earlier else None
        if entry["prev"] != (before.digest if before else ""):
            return False
        from dxassess.files import safe_name

        code = row["code"]
        name = code + ".html" if code.isdigit() and len(code) == 6 else safe_name(code, ".html")
        try:
            return os.stat(os.path.join(self.settings.reports, name)).st_size == entry["size"]
        except OSError:
            return False

    # -- the run -----------------------------------------------------------------------------

    def go(self, files: list[Path], bad: list[Any], workers: int) -> Outcome:
        with ExitStack() as paused:
            return self._go(files, bad, workers, paused)

    def _go(self, files: list[Path], bad: list[Any], workers: int, paused: ExitStack) -> Outcome:
        outcome = self.outcome
        sheet_rejections: list[Rejection] = []
        rows: dict[int, dict[str, Any]] = {}
        kept = self.kept
        known = kept.lines if kept else {}
        with _Workers(workers, self._previous(), self.settings) as pool:
            if kept is not None:
                pool.helper()
            jobs = list(jobs_from(files, self.ref, sheet_rejections, self.key, read=kept is not None))
            paused.enter_context(_collector_paused())  # the inputs are read (a sheet's reader makes garbage)
            outcome.inputs = len(jobs) + len({r.index for r in sheet_rejections}) + len(bad)
            # inputs the cache has never seen go to the workers at once; the others are looked
            # at meanwhile, and any that no longer hold follow
            new = [job for job in jobs if job.key not in known]
            scoring = [self._score(pool, new, len(new))] if new else []
            again = []
            for job in jobs:
                if job.key not in known:
                    continue
                assert kept is not None
                entry = kept.entry(job.key)
                if entry is not None and self._usable(job, entry):
                    row = dict(entry["row"], index=job.index, key=job.key, kept=True)
                    for name in ENTRY_FIELDS:
                        row[name] = entry[name]
                    rows[job.index] = row
                    self.lines[job.key] = kept.lines[job.key]
                else:
                    again.append(job)
            if again:
                scoring.append(self._score(pool, again, len(new) + len(again)))
            if scoring or len(rows) != len(known):
                _prepare_summaries()  # while the workers score
            for results in scoring:
                self._collect(results, rows)
            self.warmed = pool.warmed
            outcome.rejected += sheet_rejections
            outcome.rejected += [Rejection(10**9 + i, problem.path, problem) for i, problem in enumerate(bad)]
            self._accept(rows)
            self._benchmarks()
            # Every report this run will write is listed before any is written, so a run killed
            # from here on still leaves them on record for the next run to tidy.
            before = _reports_written_before(self.out)
            planned = {row["code"]: _report_name(row["code"]) for row in outcome.rows}
            _record_reports(self.out, before | set(planned.values()), self.protect)
            self._finish(pool)
        if os.path.exists(self.settings.work):
            shutil.rmtree(self.settings.work, ignore_errors=True)
        self._tidy(before, planned)
        self._save()
        return outcome

    def _tidy(self, before: set[str], planned: dict[str, str]) -> None:
        """Remove the reports an earlier run wrote that this one did not (an input removed, or
        now rejected), and record this run's. After a failed write (a full disk) nothing is
        removed: the report that failed may be a good earlier one."""
        scored = {row["code"] for row in self.outcome.rows}
        this_run = {name for code, name in planned.items() if code in scored}
        recorded = before | _reports_written_before(self.out)
        if any(r.problem.code == "DX901" for r in self.outcome.rejected):
            _record_reports(self.out, recorded | this_run, self.protect)
            return
        _remove_reports(self.out, recorded - this_run)
        _record_reports(self.out, this_run, self.protect)

    def _previous(self) -> dict[str, Any]:
        return self.earlier.municipalities if self.earlier else {}

    def _score(self, pool: _Workers, todo: list[Job], total: int) -> tuple[dict[int, str], Iterator[Any]]:
        """Hand `todo` to the workers (`total`: every input to score in this run so far)."""
        from dxassess.files import ensure_dir

        ensure_dir(Path(self.settings.work))
        pool.ready(total)
        tick = self.progress_factory("scoring", len(todo))
        return {job.index: job.source for job in todo}, pool.map(partial(_score, self.settings), todo, tick)

    def _collect(self, results: tuple[dict[int, str], Iterator[Any]], rows: dict[int, dict[str, Any]]) -> None:
        sources, done = results
        for index, row, problem in done:
            if row is None:
                self.outcome.rejected.append(Rejection(index, sources[index], problem))
                continue
            titles = row.pop("titles")
            if row["files"][0][1] not in self.texts:
                self.texts[row["files"][0][1]] = {"titles": titles, "questions": {}}
            rows[index] = row
            self.outcome.scored += 1

    def _accept(self, rows: dict[int, dict[str, Any]]) -> None:
        """Rows in input order; a repeated code, or a questionnaire with other domains than most
        inputs' (ties: the first input's), is rejected: one odd file never turns the others away."""
        outcome = self.outcome
        by_code: dict[str, dict[str, Any]] = {}
        shapes = Counter(tuple(rows[index]["domains"]) for index in sorted(rows))
        common = max(shapes, key=lambda shape: shapes[shape], default=())  # the first seen wins a tie
        model = next((rows[index] for index in sorted(rows) if tuple(rows[index]["domains"]) == common), None)
        for index in sorted(rows):
            row = rows[index]
            first = by_code.get(row["code"])
            reason = None
            if first is not None:
                reason = _problem(
                    row["source"], "DX308", msg("batch.duplicate_code", code=row["code"], other=first["source"])
                )
            elif model is not None and tuple(row["domains"]) != common:
                first = model
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
                if not row.get("kept"):
                    try:
                        os.unlink(Path(self.settings.work) / f"{index}.html")
                    except OSError:
                        pass
                continue
            by_code[row["code"]] = row
            outcome.rows.append(row)
            outcome.warnings += [InputWarning(index, row["source"], _warning(d)) for d in row.get("warnings", ())]
        outcome.rejected.sort(key=lambda r: r.index)

    def _benchmarks(self) -> None:
        outcome = self.outcome
        domain_ids = list(outcome.rows[0]["domains"]) if outcome.rows else []
        bench = Benchmarks(domain_ids)
        if self.earlier is not None:
            from dxassess.batch.previous import row_change

        for row in outcome.rows:
            before = self.earlier.municipalities.get(row["code"]) if self.earlier else None
            row["change"] = row_change(row, before) if before is not None else None
            row["overall_change"] = row["change"]["delta"] if row["change"] else None
            bench.add(row)
        outcome.benchmarks = bench
        if self.earlier is not None:
            from dxassess.batch.previous import group_change

            outcome.change = {"path": self.earlier.path, **group_change(outcome.rows, self.earlier, domain_ids)}

    def _band(self, band: str, bench: Benchmarks) -> tuple[dict[str, Any], bytes]:
        """A size band's figures in every peer section of its municipalities (their label, count,
        medians and quartiles), and their text for the sections' digest; once per band."""
        found = self._bands.get(band)
        if found is None:
            stats = bench.group_stats(band)
            figures = {
                "tier_label": text(f"report.band_{band}", self.settings.lang),
                "n": bench.counts[band],
                "median": {key: s.median for key, s in stats.items()},
                "q1": {key: s.q1 for key, s in stats.items()},
                "q3": {key: s.q3 for key, s in stats.items()},
            }
            found = self._bands[band] = (figures, repr(figures).encode())
        return found

    def _peer(self, row: dict[str, Any], bench: Benchmarks) -> tuple[dict[str, Any], dict[str, Any], str]:
        """What a municipality's peer sections show: itself, and its size band's figures; and
        the digest of both (the sections are written again only when it changes)."""
        figures, shown = self._band(row["band"], bench)
        label = figures["tier_label"]
        peer = {
            "tier_label": label,
            "n": figures["n"],
            "percentile": row["percentile"],
            "median": figures["median"],
            "q1": figures["q1"],
            "q3": figures["q3"],
        }
        mine = {
            "group_label": label,
            "overall": row["overall"],
            "scores": row["domains"],
            "titles": self._titles(row),
        }
        seen = cachemod.digest(repr(mine).encode(), repr(row["percentile"]).encode(), shown)  # dicts in a fixed order
        return mine, peer, seen

    def _named(self) -> list[Any]:
        """The municipalities of this batch that consented to be named (peers.json's)."""
        from dxassess.sharing import Named

        return [Named.from_dict(row["share"]["named"]) for row in self.outcome.rows if row["share"]["named"]]

    def _asks(self, row: dict[str, Any], index: Any) -> dict[str, bytes]:
        """A report's "who to ask" sections by region (dxassess.render.asks), from the
        consenting municipalities (a sharing.PeerIndex, None when nobody consented)."""
        if index is None:
            return {}
        from dxassess.peersfile import ask_items
        from dxassess.render.asks import parts_of

        lang = self.settings.lang
        share = row["share"]
        gaps = [(qid, target) for qid, target in share["asking"]]
        items = ask_items(row["code"], row["band"], row["population"], gaps, index, lang)
        if not items:
            return {}
        first = list(share["first"])
        from dxassess.render.html import CARD_COUNT

        cards = [qid for qid, _ in gaps[: min(CARD_COUNT, len(row["gaps"]))]]
        parts = parts_of(items, cards, first, lang)
        return {name: part.encode("utf-8") for name, part in parts.items()}

    def _titles(self, row: dict[str, Any]) -> dict[str, str]:
        found = self.texts.get(row["files"][0][1])
        return found["titles"] if found else {d: d for d in row["domains"]}

    def _finish(self, pool: _Workers) -> None:
        """Peer sections into the reports scored now, and into kept ones whose group changed,
        while this process writes the summaries. A kept report in a group whose values are all
        as they were keeps its position and its peer sections without a look."""
        outcome = self.outcome
        bench = outcome.benchmarks
        assert bench is not None
        groups = {band: bench.group_digest(band) for band in bench.counts}
        named = self._named()
        index = None
        if named:
            from dxassess.sharing import PeerIndex

            index = PeerIndex(named)
        tasks = []
        for row in outcome.rows:
            group = groups[row["band"]]
            asks = self._asks(row, index)
            ask = [
                cachemod.digest(*(k.encode() + b"=" + v for k, v in sorted(asks.items()))),
                sum(map(len, asks.values())),
            ]
            if row.get("kept") and row["group"] == group and row["ask"] == ask:
                outcome.kept += 1
                continue
            ask_changed = row["ask"] != ask
            row["size"] += ask[1] - row["ask"][1]
            row["ask"] = ask
            row["percentile"] = bench.position(row)
            mine, peer, seen = self._peer(row, bench)
            row["group"] = group
            self.lines.pop(row["key"], None)
            if not row.get("kept"):
                tasks.append(("finish", row["index"], row["code"], row["slot"], mine, peer, asks))
            elif row["peer"] != seen or ask_changed:
                tasks.append(("refresh", row["index"], row["code"], row["slot"], mine, peer, asks))
                outcome.refreshed += 1
            else:
                outcome.kept += 1
            row["peer"] = seen
        if tasks:
            cachemod.forget(self.out)
            self.dirty = True
        sources = {row["index"]: row["source"] for row in outcome.rows}
        tick = self.progress_factory("reports", len(tasks))
        finished = pool.map(partial(_finish, self.settings), tasks, tick)
        self._summarise(meanwhile=self._lines)  # the cache's lines while the summaries are written
        failed = False
        for index, problem in finished:
            if problem is not None:
                outcome.rejected.append(Rejection(index, sources.get(index, "?"), problem))
                failed = True
        if failed:
            bad = {r.index for r in outcome.rejected}
            outcome.rows = [row for row in outcome.rows if row["index"] not in bad]
            outcome.rejected.sort(key=lambda r: r.index)
            self._summarise(force=True)

    def _lines(self) -> None:
        """The cache's line of every row that has none yet."""
        lines = self.lines
        for row in self.outcome.rows:
            if row["key"] not in lines:
                lines[row["key"]] = cachemod.line_of(row)

    # -- summaries ---------------------------------------------------------------------------

    def _summary_key(self) -> str:
        """What the summaries are made from: every accepted row (its input, the questionnaire
        files it was scored with, the earlier entry it was compared with, its group's values),
        the rejections and the earlier batch."""
        outcome = self.outcome
        parts = [self.key.encode(), (self.earlier.path if self.earlier else "").encode()]
        for row in outcome.rows:
            files = ",".join(d for _, d in row["files"])
            parts.append(f"{row['key']} {files} {row['prev']} {row['group']} {row['peer']}".encode())
        if self.earlier is not None:
            parts += [b.digest.encode() for _, b in sorted(self.earlier.municipalities.items())]
        parts += [r.problem.format_text(self.settings.lang).encode() + r.source.encode() for r in outcome.rejected]
        return cachemod.digest(*parts)

    def _summarise(self, force: bool = False, meanwhile: Callable[[], None] | None = None) -> None:
        """Write the four summaries, unless they are exactly what they were made from last time
        (and still on disk as written); `meanwhile` is done while they are written (or after)."""
        from dxassess.batch import outputs
        from dxassess.batch.cache import file_digest

        names = outputs.NAMES  # the four summaries and peers.json
        self.summary_key = self._summary_key()
        if not force and self.kept is not None and self.kept.summaries:
            recorded = dict(item.split("=", 1) for item in self.kept.summaries.split(",")[1:])
            if self.kept.summaries.split(",")[0] == self.summary_key and all(
                file_digest(self.out / name) == recorded.get(name) for name in names
            ):
                self.summary_digests = recorded
                if meanwhile is not None:
                    meanwhile()
                return
        from dxassess.batch import outputs

        # no summary may replace an input: the answers, and the questionnaires and catalogues read
        read = {Path(path) for path in {path for row in self.outcome.rows for path, _ in row["files"]}}
        self.summary_digests = outputs.write_all(self.out, self._makers(), self.protect | read, meanwhile)

    def _makers(self) -> dict[str, Callable[[], bytes]]:
        from dxassess.batch import outputs, prefectures
        from dxassess.peersfile import peers_json

        outcome = self.outcome
        rows, rejected, bench = outcome.rows, outcome.rejected, outcome.benchmarks
        assert bench is not None
        lang = self.settings.lang
        titles, texts = self._texts()
        with_change = outcome.change is not None
        view = prefectures.view(rows, bench.domain_ids, texts, lang)
        return {
            "summary.csv": lambda: outputs.summary_csv(rows, bench.domain_ids, with_change),
            "summary.json": lambda: outputs.summary_json(
                rows, rejected, bench, lang, view, outcome.change, outcome.warnings
            ),
            "summary.xlsx": lambda: outputs.summary_xlsx(rows, bench.domain_ids, bench, with_change, titles, lang),
            "index.html": lambda: outputs.index_html(
                rows, rejected, bench, titles, texts, lang, view, outcome.change, outcome.warnings
            ).encode("utf-8"),
            "peers.json": lambda: peers_json(self._named()),
        }

    def _texts(self) -> tuple[dict[str, str], dict[str, str]]:
        """Domain titles and question texts of the questionnaire the scored inputs answer: kept
        in the cache, or taken from the questionnaire (and kept for the next run)."""
        outcome = self.outcome
        if not outcome.rows:
            return {}, {}
        first = outcome.rows[0]
        key = first["files"][0][1]
        kept = self.texts.get(key)
        if kept and kept["questions"]:
            return kept["titles"], kept["questions"]
        from dxassess.batch.work import resolver
        from dxassess.errors import DxassessError
        from dxassess.model import QuestionnaireRef
        from dxassess.text import pick

        qid, _, version = first["questionnaire"].partition(" ")
        try:
            search = Path(self.settings.search) if self.settings.search else None
            near = Path(first["source"]).parent
            source = resolver().for_answers(QuestionnaireRef(id=qid, version=version), search, near)
        except DxassessError:
            source = None
        if source is None:
            return self._titles(first), {}
        lang = self.settings.lang
        titles = {d.id: pick(d.title, lang) for d in source.questionnaire.domains}
        questions = {x.id: pick(x.text, lang) for x in source.questionnaire.questions()}
        if list(titles) == list(first["domains"]):
            self.texts[key] = {"titles": titles, "questions": questions}
        return titles, questions

    # -- the cache for the next run ----------------------------------------------------------

    def _save(self) -> None:
        """Keep what this run found for the next one (unless it is what the cache already says)."""
        from dxassess.batch.work import resolver

        kept = self.kept
        rows = self.outcome.rows
        summaries = ",".join(
            [self.summary_key, *(f"{name}={self.summary_digests[name]}" for name in sorted(self.summary_digests))]
        )
        questionnaires = resolver().fresh if self.warmed or kept is None else kept.questionnaires
        used = {row["files"][0][1] for row in rows}
        texts = {q: t for q, t in self.texts.items() if q in used}
        if (
            kept is not None
            and not self.dirty
            and summaries == kept.summaries
            and len(rows) == len(kept.lines)
            and all(self.lines.get(row["key"]) == kept.lines.get(row["key"]) for row in rows)
            and texts == kept.texts
            and questionnaires == kept.questionnaires
        ):
            return  # the same rows, lines, summaries, questionnaires: the file says it already
        new = cachemod.Cache(self.key, questionnaires=dict(questionnaires), texts=texts, summaries=summaries)
        for row in rows:
            line = self.lines.get(row["key"])
            if line is None:
                line = self.lines[row["key"]] = cachemod.line_of(row)
            new.lines[row["key"]] = line
        cachemod.store(self.out, new.payload(), self.protect)


def _warning(data: dict[str, Any]) -> Any:
    """A warning kept in a summary row (as JSON values) as a Problem again."""
    from dxassess.problems import Problem

    message = Msg(data["message_en"], data["message_ja"])
    return Problem(data["path"], data["line"], data["col"], data["severity"], data["code"], message)


def _report_name(code: str) -> str:
    from dxassess.files import safe_name

    return "reports/" + safe_name(code, ".html")


def _reports_written_before(out: Path) -> set[str]:
    """The reports an earlier batch recorded in this folder's manifest (none when there is no
    manifest, or it is not one batch wrote: then nothing is removed)."""
    import json

    from dxassess.files import read_input

    try:
        data = json.loads(read_input(out / MANIFEST, MANIFEST_MAX_BYTES).decode("utf-8"))
    except Exception:  # missing, unreadable or damaged: nothing on record
        return set()
    names = data.get("reports", []) if isinstance(data, dict) else []
    return {n for n in names if isinstance(n, str) and n.startswith("reports/") and n.count("/") == 1}


def _record_reports(out: Path, names: set[str], protect: set[Path]) -> None:
    import json

    from dxassess.files import TooLarge, read_input, write_atomic

    payload = {"written_by": "dxassess batch", "reports": sorted(names)}
    text = json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
    try:
        if read_input(out / MANIFEST, MANIFEST_MAX_BYTES) == text.encode("utf-8"):
            return  # a re-run that changed nothing writes nothing
    except (OSError, TooLarge):
        pass
    write_atomic(out / MANIFEST, text, protect=protect)


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
