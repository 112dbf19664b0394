"""The Python API: what the commands do, as functions that return results instead of printing.

    from dxassess.api import check, assess, report, batch

    problems = check(["questionnaires/"])               # what `validate` prints
    result = assess("dx-011002-2026-11-27.yaml")        # what `score` shows
    print(result.overall, result.completeness)
    for gap in result.gaps[:5]:
        print(gap.question_id, gap.current, "→", gap.target)
    html = report(result, format="html", lang="ja")     # what `report` writes
    outcome = batch(["answers/"], "out")                # what `batch` writes, and its summary

Every function raises `dxassess.errors.DxassessError` (with `.one_line()` and `.exit_code`) for
an input it cannot use. The command-line interface is a thin formatter over these functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dxassess.assess import Result
    from dxassess.batch.run import Outcome
    from dxassess.problems import Problem

__all__ = ["assess", "batch", "check", "report"]

PathLike = str | Path


def _paths(paths: PathLike | Iterable[PathLike]) -> list[Path]:
    if isinstance(paths, (str, Path)):
        return [Path(paths)]
    return [Path(p) for p in paths]


def check(paths: PathLike | Iterable[PathLike], questionnaire: PathLike | None = None) -> list[Problem]:
    """Every problem of questionnaire files, answer files and catalogues (folders are searched for
    `*.yaml` and `*.yml`), sorted as `validate` prints them. Lines and columns are 1-based."""
    import os

    from dxassess import library
    from dxassess.inputs import check_file
    from dxassess.problems import Problem
    from dxassess.resolver import RESOLVER
    from dxassess.text import msg

    search = RESOLVER.search_path(questionnaire)
    problems: list[Problem] = []
    for path in _paths(paths):
        if path.is_dir() and not os.access(path, os.R_OK | os.X_OK):  # else searched as if empty
            reason = msg("read.cannot_read", reason=msg("read.folder_denied"))
            problems.append(Problem(str(path), 1, 1, "error", "DX009", reason))
            continue
        files = library.yaml_files(path) if path.is_dir() else [path]
        for file in files:
            problems += sorted(check_file(file, search), key=lambda p: (p.line, p.col, p.code))
    return problems


def assess(
    answers: PathLike,
    questionnaire: PathLike | None = None,
    previous: PathLike | Result | None = None,
    budget_cutoff: int | None = None,
) -> Result:
    """An answer file, scored: `.overall` (0–5 or None), `.completeness` (0–1), `.domains`
    (domain id → score, target, gap), `.gaps` (highest priority first), `.roadmap`, and with
    `previous` (an earlier answer file of the same municipality, or its Result) `.comparison`.
    `questionnaire`: a questionnaire file or folder searched first for the id and version the
    answer file names. `budget_cutoff`: the month by whose end next year's budget requests are
    in (default: October), which decides when actions that need money can start."""
    from dxassess.assess import assess as assess_sheet
    from dxassess.errors import InputError
    from dxassess.inputs import load_assessment
    from dxassess.resolver import RESOLVER
    from dxassess.roadmap import DEFAULT_BUDGET_CUTOFF
    from dxassess.text import msg

    search = RESOLVER.search_path(questionnaire)
    current = load_assessment(answers, search)
    cutoff = budget_cutoff or DEFAULT_BUDGET_CUTOFF
    earlier = assess(previous, questionnaire, None, cutoff) if isinstance(previous, (str, Path)) else previous
    if earlier is not None and earlier.municipality.code != current.sheet.municipality.code:
        # the inputs do not go together (exit 1, as `compare` of the same two files)
        old_path = previous if isinstance(previous, (str, Path)) else earlier.municipality.code
        what = msg(
            "cmd.compare_other",
            old_path=old_path,
            old=earlier.municipality.code,
            new_path=answers,
            new=current.sheet.municipality.code,
        )
        raise InputError(what, path=str(answers), code="DX503")
    result = assess_sheet(current.sheet, current.questionnaire, current.catalogue, earlier, cutoff)
    if earlier is not None:
        places = [search, Path(answers).parent]
        if isinstance(previous, (str, Path)):
            places.append(Path(previous).parent)
        result = _across(result, earlier, places)
    if current.warnings:
        from dataclasses import replace

        result = replace(result, warnings=current.warnings)
    return result


def _across(result: Result, earlier: Result, places: list[Path | None]) -> Result:
    """Where the two assessments answer different versions of one questionnaire, compare like
    with like (the earlier answers carried to the later version) and name what is not comparable."""
    from dxassess.assess import across_versions, with_previous
    from dxassess.resolver import RESOLVER

    new_q, old_q = result.questionnaire, earlier.questionnaire
    if old_q.id != new_q.id or old_q.version == new_q.version:
        return result
    chain = RESOLVER.chain(new_q, old_q.version, *places)
    if chain is None:  # compared from the later one back: carry the later answers is not possible
        return result
    return with_previous(result, earlier, across_versions(result, earlier, chain))


def report(
    result: Result | PathLike,
    format: str = "html",
    lang: str | None = None,
    template: PathLike | None = None,
    questionnaire: PathLike | None = None,
    max_age: int | None = None,
    peers: PathLike | None = None,
) -> str:
    """The gap report of a Result (or of an answer file) as text: `html` (self-contained),
    `md` or `json`; `template` renders the report data with your own Jinja2 template in a
    sandbox. `lang` is `ja` or `en` (default: from the locale). `max_age`: answers given more
    than this many months before the file's date are flagged for confirmation (default 12).
    `peers`: the peers.json of a batch, to show under each top gap who of the same size group to
    ask (data key `peers`)."""
    from dxassess.render.report import report_text
    from dxassess.text import default_lang

    if isinstance(result, (str, Path)):
        result = assess(result, questionnaire)
    named = None
    if peers is not None:
        from dxassess.peersfile import load_peers

        named = (Path(peers), load_peers(Path(peers)))
    return report_text(result, format, lang or default_lang(), Path(template) if template else None, max_age, named)


def batch(
    inputs: PathLike | Iterable[PathLike],
    output: PathLike,
    jobs: int | None = None,
    lang: str | None = None,
    questionnaire: PathLike | None = None,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
    budget_cutoff: int | None = None,
    previous: PathLike | None = None,
    fresh: bool = False,
) -> Outcome:
    """Score many municipalities into `output` (summaries, index, one report each). Inputs the
    batch rejects are listed in the outcome with their problems; the others are still scored.
    `previous`: an earlier batch's output folder, to add the change since then. A run into a
    folder an earlier run wrote scores again only the inputs that changed, unless `fresh`."""
    import os

    from dxassess.batch.run import run
    from dxassess.text import default_lang

    def quiet(name: str, total: int) -> Callable[[int], None]:
        return lambda n: None

    return run(
        _paths(inputs),
        Path(output),
        jobs or os.cpu_count() or 1,
        lang or default_lang(),
        questionnaire,
        progress or quiet,
        budget_cutoff,
        None if previous is None else Path(previous),
        fresh,
    )
