"""`validate` and `questionnaires`: check files, list the built-in questionnaires."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from dxassess.errors import UsageError
from dxassess.messages import msg


def expand(paths: list[Path], lang: str = "en") -> list[Path]:
    """Files as given; folders searched for *.yaml and *.yml (sorted)."""
    from dxassess.library import yaml_files

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = yaml_files(path)
            if not found:
                sys.stderr.write(f"{path}: warning: {msg('cmd.no_yaml_in_folder').get(lang)}\n")
            files += found
        else:
            files.append(path)
    return files


def run_validate(paths: list[Path], fmt: str, strict: bool, questionnaire: Path | None, lang: str | None = None) -> int:
    """Check files and print their problems, messages in `lang` (default: from the locale)."""
    from dxassess.i18n import default_lang
    from dxassess.reporters import FORMATS
    from dxassess.validate import check_file

    lang = lang or default_lang()
    if not paths:
        raise UsageError(msg("cmd.validate_nothing"))
    files = expand(paths, lang)
    problems = []
    for path in files:
        problems += sorted(check_file(path, questionnaire), key=lambda p: (p.line, p.col, p.code))
    sys.stdout.write(FORMATS[fmt](problems, lang))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if fmt == "text":
        summary = msg("cmd.validate_summary", files=len(files), errors=errors, warnings=warnings)
        sys.stderr.write(summary.get(lang) + "\n")
    failed = errors > 0 or (strict and warnings > 0)
    return 1 if failed else 0


def run_questionnaires(as_json: bool) -> None:
    from dxassess.library import builtin_questionnaires
    from dxassess.validate import load_questionnaire

    rows = []
    for path in builtin_questionnaires():
        q, _ = load_questionnaire(path)
        rows.append(
            {
                "id": q.id,
                "version": q.version,
                "title": q.title,
                "domains": [d.id for d in q.domains],
                "questions": len(q.questions()),
                "path": str(path),
            }
        )
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "version", "title", "domains", "questions")
    for row in rows:
        title = row["title"]
        table.add_row(
            row["id"],
            row["version"],
            f"{title.get('ja', '')}\n{title.get('en', '')}",
            str(len(row["domains"])),
            str(row["questions"]),
        )
    Console().print(table)
