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
from dxassess.messages import msg

SHEET_SUFFIXES = (".csv", ".xlsx", ".xlsm")
YAML_SUFFIXES = (".yaml", ".yml")
WORK_DIR = ".dxassess-work"


@dataclass
class Outcome:
    """What a batch run produced: accepted summary rows (input order) and rejected inputs."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (index, source, one line)
    benchmarks: Benchmarks | None = None
    inputs: int = 0


def expand(inputs: list[Path], lang: str = "en") -> tuple[list[Path], list[tuple[str, str]]]:
    """Input paths → files (folders searched for answer files); unusable paths with reasons."""
    files: list[Path] = []
    bad: list[tuple[str, str]] = []
    for path in inputs:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in YAML_SUFFIXES and p.is_file() and WORK_DIR not in p.parts
            )
            if not found:
                bad.append((str(path), f"{path}: error: DX009 {msg('batch.no_answer_files').get(lang)}"))
            files += found
        elif path.is_file():
            files.append(path)
        else:
            bad.append((str(path), f"{path}: error: DX009 {msg('read.not_found').get(lang)}"))
    return files, bad


def jobs_from(files: list[Path], questionnaire_ref: str | None, rejected: list, lang: str = "en") -> Iterator[Job]:
    """One job per answer file and per sheet row; sheet problems go to `rejected`."""
    index = 0
    seen: dict[str, str] = {}
    for path in files:
        if path.suffix.lower() in SHEET_SUFFIXES:
            from dxassess.library import resolve_questionnaire
            from dxassess.sheets.read import read_sheet
            from dxassess.validate import load_questionnaire

            qpath = resolve_questionnaire(questionnaire_ref)
            if qpath is None:
                reason = msg("batch.sheet_questionnaire").get(lang)
                rejected.append((index, str(path), f"{path}: error: DX301 {reason}"))
                index += 1
                continue
            questionnaire, _ = load_questionnaire(qpath)
            for row in read_sheet(path, questionnaire, seen):
                if row.problems:
                    for problem in row.problems:
                        rejected.append((index, row.source, problem.format_text(lang)))
                else:
                    yield Job(index, row.source, data=row.data)
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


def _finish(settings: Settings, args: tuple[int, str, tuple[int, int], dict, dict]) -> Any:
    return finish_job(*args, settings)


def _warm(questionnaire: Path | None) -> None:
    """Load what every worker needs before the workers are forked, so they share it: the
    questionnaire, the compiled report templates, the rendering modules."""
    import gc

    from dxassess.library import resolve_questionnaire
    from dxassess.render import context, html  # noqa: F401
    from dxassess.render.templates import shipped_environment
    from dxassess.validate import load_questionnaire

    path = questionnaire if questionnaire is not None and questionnaire.is_file() else resolve_questionnaire(None)
    if path is not None:
        try:
            load_questionnaire(path)
        except Exception:  # a broken questionnaire is reported per input by the workers
            pass
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
    questionnaire: Path | None,
    progress_factory: Callable[[str, int], Callable[[int], None]],
    summarise: Callable[[Outcome], None] | None = None,
) -> Outcome:
    """Score every input into `out`. Invalid inputs are rejected with their reason; the others
    are still scored. `summarise` is called once the scores and benchmarks are known, while the
    workers finish the reports (and again at the end if finishing a report failed). Re-running
    into the same folder completes or refreshes it."""
    from dxassess.files import ensure_dir

    files, bad = expand(inputs, lang)
    outcome = Outcome()
    ensure_dir(out)
    reports = ensure_dir(out / "reports")
    work = out / WORK_DIR
    shutil.rmtree(work, ignore_errors=True)
    ensure_dir(work)
    settings = Settings(lang, str(questionnaire) if questionnaire else None, str(work), str(reports))
    _warm(questionnaire)
    with _Workers(workers) as pool:
        return _passes(pool, files, bad, settings, outcome, questionnaire, progress_factory, summarise)


def _passes(
    pool: _Workers,
    files: list[Path],
    bad: list[tuple[str, str]],
    settings: Settings,
    outcome: Outcome,
    questionnaire: Path | None,
    progress_factory: Callable[[str, int], Callable[[int], None]],
    summarise: Callable[[Outcome], None] | None,
) -> Outcome:
    work = Path(settings.work)
    sheet_rejections: list[tuple[int, str, str]] = []
    jobs = list(jobs_from(files, str(questionnaire) if questionnaire else None, sheet_rejections, settings.lang))
    outcome.inputs = len(jobs) + len({r[0] for r in sheet_rejections}) + len(bad)
    rows: dict[int, dict[str, Any]] = {}
    compact = _Compactor()
    sources = {job.index: job.source for job in jobs}
    tick = progress_factory("scoring", len(jobs))
    for index, row, reason in pool.map(partial(_score, settings), jobs, tick):
        if row is None:
            outcome.rejected.append((index, sources[index], reason or ""))
        else:
            rows[index] = compact(row)
    outcome.rejected += sheet_rejections
    outcome.rejected += [(10**9 + i, source, line) for i, (source, line) in enumerate(bad)]

    by_code: dict[str, dict[str, Any]] = {}
    for index in sorted(rows):
        row = rows[index]
        first = by_code.get(row["code"])
        if first is not None:
            outcome.rejected.append(
                (
                    index,
                    row["source"],
                    f"{row['source']}: error: DX308 "
                    + msg("batch.duplicate_code", code=row["code"], other=first["source"]).get(settings.lang),
                )
            )
            try:
                os.unlink(work / f"{index}.html")
            except OSError:
                pass
            continue
        if outcome.rows and list(row["domains"]) != list(outcome.rows[0]["domains"]):
            first = outcome.rows[0]
            outcome.rejected.append(
                (
                    index,
                    row["source"],
                    f"{row['source']}: error: DX309 "
                    + msg(
                        "batch.other_domains",
                        questionnaire=row["questionnaire"],
                        first=first["questionnaire"],
                        source=first["source"],
                    ).get(settings.lang),
                )
            )
            try:
                os.unlink(work / f"{index}.html")
            except OSError:
                pass
            continue
        by_code[row["code"]] = row
        outcome.rows.append(row)
    outcome.rejected.sort(key=lambda r: r[0])

    domain_ids = list(outcome.rows[0]["domains"]) if outcome.rows else []
    bench = Benchmarks(domain_ids)
    for row in outcome.rows:
        bench.add(row)
    outcome.benchmarks = bench

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
    if summarise is not None:
        summarise(outcome)
    failed = False
    for index, reason in finished:
        if reason:
            outcome.rejected.append((index, sources.get(index, "?"), reason))
            failed = True
    shutil.rmtree(work, ignore_errors=True)
    if failed and summarise is not None:
        outcome.rejected.sort(key=lambda r: r[0])
        summarise(outcome)
    return outcome
