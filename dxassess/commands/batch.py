"""`batch`: score many municipalities into an output folder, with peer benchmarks."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from dxassess.errors import OutputError, UsageError
from dxassess.text import msg, text


def _progress(stack: ExitStack) -> Callable[[str, int], Callable[[int], None]]:
    """A rich progress bar on a terminal; nothing when stderr is not one."""
    if not sys.stderr.isatty():
        return lambda name, total: lambda n: None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = stack.enter_context(
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
    )

    def factory(name: str, total: int) -> Callable[[int], None]:
        task = progress.add_task(name, total=total)
        return lambda n: progress.advance(task, n)

    return factory


def run_batch(
    inputs: list[Path],
    output: Path,
    jobs: int | None,
    lang: str,
    questionnaire: str | None,
    cutoff: int | None = None,
    previous: Path | None = None,
    fresh: bool = False,
) -> int:
    from dxassess.api import batch
    from dxassess.commands.output import ProblemLines

    if not inputs:
        raise UsageError(msg("cmd.batch_nothing"))
    if output.exists() and not output.is_dir():
        raise OutputError(msg("output.file_not_folder"), path=str(output))
    with ExitStack() as stack:
        outcome = batch(inputs, output, jobs, lang, questionnaire, _progress(stack), cutoff, previous, fresh)
    lines = ProblemLines(lang)
    for problem in [r.problem for r in outcome.rejected] + [w.problem for w in outcome.warnings]:
        lines.add(problem.format_text(lang))
    lines.close()
    kept = outcome.kept + outcome.refreshed
    summary = text(
        "report.batch_summary_kept" if kept else "report.batch_summary",
        lang,
        scored=len(outcome.rows),
        kept=kept,
        rejected=outcome.rejected_inputs,
        output=output,
    )
    sys.stderr.write(summary + "\n")
    if outcome.warnings:
        sys.stderr.write(text("report.batch_warned", lang, warned=len(outcome.warnings)) + "\n")
    return 1 if outcome.rejected else 0
