"""`batch`: score many municipalities into an output folder, with peer benchmarks."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from dxassess.errors import UsageError
from dxassess.messages import msg


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


def run_batch(inputs: list[Path], output: Path, jobs: int | None, lang: str, questionnaire: Path | None) -> int:
    from dxassess.batch import outputs
    from dxassess.batch.run import Outcome, run
    from dxassess.i18n import pick
    from dxassess.library import resolve_questionnaire
    from dxassess.validate import load_questionnaire

    if not inputs:
        raise UsageError(msg("cmd.batch_nothing"))
    if output.exists() and not output.is_dir():
        raise UsageError(msg("cmd.batch_output_file", output=output))
    workers = jobs or os.cpu_count() or 1
    qpath = questionnaire if questionnaire and questionnaire.is_file() else resolve_questionnaire(None)
    titles: dict[str, str] = {}
    texts: dict[str, str] = {}
    if qpath is not None:
        q, _ = load_questionnaire(qpath)
        titles = {d.id: pick(d.title, lang) for d in q.domains}
        texts = {x.id: pick(x.text, lang) for x in q.questions()}
    protect = {p for p in inputs if p.is_file()}

    def summarise(outcome: Outcome) -> None:
        outputs.write_all(output, outcome.rows, outcome.rejected, outcome.benchmarks, titles, texts, lang, protect)

    with ExitStack() as stack:
        outcome = run(inputs, output, workers, lang, questionnaire, _progress(stack), summarise)
    for _, _, line in outcome.rejected:
        sys.stderr.write(line + "\n")
    sys.stderr.write(
        f"{len(outcome.rows)} scored, {len(outcome.rejected)} rejected → {output} / "
        f"{len(outcome.rows)}団体を採点、{len(outcome.rejected)}件を除外\n"
    )
    return 1 if outcome.rejected else 0
