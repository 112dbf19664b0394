"""`validate` and `questionnaires`: check files, list the built-in questionnaires."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from dxassess.controls import json_for_terminal, printable
from dxassess.errors import UsageError
from dxassess.text import msg, pick


def run_validate(paths: list[Path], fmt: str, strict: bool, questionnaire: str | None, lang: str) -> int:
    """Check files and print their problems, messages in `lang`."""
    from dxassess.api import check
    from dxassess.library import yaml_files
    from dxassess.reporters import FORMATS

    if not paths:
        raise UsageError(msg("cmd.validate_nothing"))
    files = 0
    for path in paths:
        if path.is_dir():
            found = len(yaml_files(path))
            if not found:
                sys.stderr.write(f"{printable(path)}: warning: {msg('cmd.no_yaml_in_folder').get(lang)}\n")
            files += found
        else:
            files += 1
    problems = check(paths, questionnaire)
    sys.stdout.write(FORMATS[fmt](problems, lang))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if fmt == "text":
        summary = msg("cmd.validate_summary", files=files, errors=errors, warnings=warnings)
        sys.stderr.write(summary.get(lang) + "\n")
    failed = errors > 0 or (strict and warnings > 0)
    return 1 if failed else 0


def run_questionnaires(as_json: bool, lang: str) -> None:
    from dxassess.resolver import RESOLVER

    rows: list[dict[str, Any]] = []
    for source in RESOLVER.builtins():
        q = source.questionnaire
        rows.append(
            {
                "id": q.id,
                "version": q.version,
                "title": q.title,
                "domains": [d.id for d in q.domains],
                "questions": len(q.questions()),
                "path": str(source.path),
            }
        )
    if as_json:
        sys.stdout.write(json_for_terminal(json.dumps(rows, ensure_ascii=False, indent=2) + "\n"))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from dxassess.text import text

    table = Table(*(text(f"report.list_{key}", lang) for key in ("id", "version", "title", "domains", "questions")))
    for row in rows:
        cells = (row["id"], row["version"], pick(row["title"], lang), str(len(row["domains"])), str(row["questions"]))
        table.add_row(*(Text(printable(cell)) for cell in cells))
    Console().print(table)
