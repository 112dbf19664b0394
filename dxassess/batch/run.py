"""Batch orchestration: inputs → jobs → parallel scoring → peer benchmarks → reports, summaries."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from dxassess.batch.peers import Benchmarks
from dxassess.batch.work import Job, Settings, render_job, score_job

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


def expand(inputs: list[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
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
                bad.append((str(path), f"{path}: error: DX009 no *.yaml or *.yml answer files in this folder"))
            files += found
        elif path.is_file():
            files.append(path)
        else:
            bad.append((str(path), f"{path}: error: DX009 not found; check the path"))
    return files, bad


def jobs_from(files: list[Path], questionnaire_ref: str | None, rejected: list) -> Iterator[Job]:
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
                rejected.append((index, str(path), f"{path}: error: DX301 questionnaire not found for this sheet"))
                index += 1
                continue
            questionnaire, _ = load_questionnaire(qpath)
            for row in read_sheet(path, questionnaire, seen):
                if row.problems:
                    for problem in row.problems:
                        rejected.append((index, row.source, problem.format_text()))
                else:
                    yield Job(index, row.source, data=row.data)
                index += 1
        else:
            yield Job(index, str(path), path=str(path))
            index += 1


def _map(fn: Callable, items: Iterable, workers: int, total: int, progress: Callable[[int], None]) -> Iterator:
    """`fn` over items, in worker processes when workers > 1; results as they complete."""
    if workers <= 1:
        for item in items:
            yield fn(item)
            progress(1)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    with context.Pool(workers) as pool:
        chunk = max(1, min(32, total // (workers * 8) or 1))
        for result in pool.imap_unordered(fn, items, chunksize=chunk):
            yield result
            progress(1)


def _score(settings: Settings, job: Job) -> Any:
    return score_job(job, settings)


def _render(settings: Settings, args: tuple[int, str, dict]) -> Any:
    return render_job(*args, settings)


def run(
    inputs: list[Path],
    out: Path,
    workers: int,
    lang: str,
    questionnaire: Path | None,
    progress_factory: Callable[[str, int], Callable[[int], None]],
) -> Outcome:
    """Score every input into `out`. Invalid inputs are rejected with their reason; the others
    are still scored. Re-running into the same folder completes or refreshes it."""
    from dxassess.files import ensure_dir
    from dxassess.validate import load_questionnaire

    files, bad = expand(inputs)
    outcome = Outcome()
    ensure_dir(out)
    reports = ensure_dir(out / "reports")
    work = out / WORK_DIR
    shutil.rmtree(work, ignore_errors=True)
    ensure_dir(work)
    settings = Settings(lang, str(questionnaire) if questionnaire else None, str(work), str(reports))
    if questionnaire is None:  # load the flagship once before forking, so workers share it
        from dxassess.library import resolve_questionnaire

        flagship = resolve_questionnaire(None)
        if flagship is not None:
            load_questionnaire(flagship)

    sheet_rejections: list[tuple[int, str, str]] = []
    jobs = list(jobs_from(files, str(questionnaire) if questionnaire else None, sheet_rejections))
    outcome.inputs = len(jobs) + len({r[0] for r in sheet_rejections}) + len(bad)
    rows: dict[int, dict[str, Any]] = {}
    sources = {job.index: job.source for job in jobs}
    tick = progress_factory("scoring", len(jobs))
    for index, row, reason in _map(partial(_score, settings), jobs, workers, len(jobs), tick):
        if row is None:
            outcome.rejected.append((index, sources[index], reason or ""))
        else:
            rows[index] = row
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
                    f"{row['source']}: error: DX308 code {row['code']} is "
                    f"also in {first['source']}; each municipality may appear once per batch",
                )
            )
            try:
                os.unlink(work / f"{index}.pickle")
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
        renders.append((row["index"], row["code"], peer))
    tick = progress_factory("reports", len(renders))
    for index, reason in _map(partial(_render, settings), renders, workers, len(renders), tick):
        if reason:
            outcome.rejected.append((index, sources.get(index, "?"), reason))
    shutil.rmtree(work, ignore_errors=True)
    return outcome
