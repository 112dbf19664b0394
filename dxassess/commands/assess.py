"""`score`, `report` and `compare`: thin formatters over `dxassess.api`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from dxassess.controls import json_for_terminal, printable
from dxassess.errors import InputError, InvalidFile, UsageError
from dxassess.text import msg, text


def run_score(
    paths: list[Path],
    as_json: bool,
    lang: str,
    questionnaire: str | None,
    cutoff: int | None = None,
    max_age: int | None = None,
) -> int:
    from dxassess.api import assess
    from dxassess.render.context import build
    from dxassess.render.templates import render_json
    from dxassess.render.terminal import print_score_table

    if not paths:
        raise UsageError(msg("cmd.score_nothing"))
    results: list[dict] = []
    failed = 0
    for path in paths:
        try:
            result = assess(path, questionnaire, None, cutoff)
            _warnings(result, lang)
            results.append(build(result, lang, max_age=max_age))
        except InvalidFile as exc:
            sys.stderr.write(exc.one_line(lang) + "\n")
            failed += 1
    if as_json:
        if results:
            import json

            if len(paths) == 1:
                sys.stdout.write(json_for_terminal(render_json(results[0])))
            else:
                sys.stdout.write(json_for_terminal(json.dumps(results, ensure_ascii=False, indent=2) + "\n"))
    else:
        for data in results:
            print_score_table(data, lang)
    return 1 if failed else 0


def run_report(
    path: Path,
    fmt: str,
    output: Path | None,
    template: Path | None,
    previous: Path | None,
    lang: str,
    questionnaire: str | None,
    cutoff: int | None = None,
    max_age: int | None = None,
    peers: Path | None = None,
) -> int:
    from dxassess.api import assess, report
    from dxassess.files import write_atomic

    result = assess(path, questionnaire, previous, cutoff)
    rendered = report(result, fmt, lang, template, max_age=max_age, peers=peers)
    _warnings(result, lang)  # once the report is made: a failure stays one line
    if previous is not None and result.previous is not None:
        _warn_if_reversed(previous, result.previous.assessed, path, result.assessed, lang)
    if output is None:
        if sys.stdout.isatty():  # nothing from the input may act on the terminal
            rendered = printable(json_for_terminal(rendered), multiline=True)
        sys.stdout.write(rendered)
    else:
        from dxassess.resolver import RESOLVER

        # every file read, named or found beside another (a questionnaire's catalogue)
        protect = {path} | {p for p in (previous, template, peers) if p is not None} | RESOLVER.files_read()
        write_atomic(output, rendered, protect=protect)
        title = text("report.report_title", lang)
        sys.stderr.write(text("report.report_written", lang, title=title, output=output) + "\n")
    return 0


def _warnings(result: Any, lang: str) -> None:
    """What checking the answer file warned about (`validate`'s warnings), one line each on
    stderr beside the scores they qualify (a part scored alone, a date in the future, a name that
    does not match its code), as `batch` lists them for its inputs."""
    for problem in result.warnings:
        sys.stderr.write(problem.format_text(lang) + "\n")


def _warn_if_reversed(old_path: Path, old: Any, new_path: Path, new: Any, lang: str) -> None:
    """An earlier assessment given as the later one turns every improvement into a decline:
    say so (the comparison is still made as asked)."""
    if old > new:
        line = msg(
            "cmd.compare_reversed", old_path=old_path, old=old.isoformat(), new_path=new_path, new=new.isoformat()
        )
        sys.stderr.write(printable(f"warning: {line.get(lang)}") + "\n")


def run_compare(old_path: Path, new_path: Path, as_json: bool, lang: str, questionnaire: str | None) -> int:
    from dxassess.api import assess
    from dxassess.render.context import build
    from dxassess.render.templates import render_json
    from dxassess.render.terminal import print_change_table

    old, new = assess(old_path, questionnaire), assess(new_path, questionnaire)
    if old.municipality.code != new.municipality.code:  # the inputs do not go together: exit 1
        raise InputError(
            msg(
                "cmd.compare_other",
                old_path=old_path,
                old=old.municipality.code,
                new_path=new_path,
                new=new.municipality.code,
            ),
            path=str(new_path),
            code="DX503",
        )
    _warn_if_reversed(old_path, old.assessed, new_path, new.assessed, lang)
    result = assess(new_path, questionnaire, old)
    data = build(result, lang)
    change = data["previous"]
    if as_json:
        assert result.previous is not None
        sys.stdout.write(
            json_for_terminal(
                render_json(
                    {
                        "municipality": data["municipality"],
                        "old": {
                            "assessed": result.previous.assessed.isoformat(),
                            "questionnaire": result.previous.questionnaire.version,
                        },
                        "new": {"assessed": result.assessed.isoformat(), "questionnaire": result.questionnaire.version},
                        **{k: change[k] for k in ("overall", "domains", "questions", "counts", "not_comparable")},
                    }
                )
            )
        )
        return 0
    print_change_table(data, lang)
    return 0
