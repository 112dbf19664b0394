"""`sample`: write synthetic answer files into a folder."""

from __future__ import annotations

import sys
from pathlib import Path

from dxassess.errors import UsageError
from dxassess.text import msg, text


def run_sample(
    count: int, output: Path, seed: int, questionnaire_ref: str | None, lang: str, force: bool = False
) -> int:
    from dxassess.answerfile import KeptFile, write_generated
    from dxassess.files import ensure_dir, inside
    from dxassess.resolver import RESOLVER
    from dxassess.sample import MAX_COUNT, generate

    if count > MAX_COUNT:
        raise UsageError(msg("cmd.count_too_large", count=count, limit=MAX_COUNT))
    questionnaire = RESOLVER.select(questionnaire_ref).questionnaire
    ensure_dir(output)
    written = 0
    protect = RESOLVER.files_read()
    kept = 0
    for name, content in generate(questionnaire, count, seed):
        try:  # real answers or notes by hand are never overwritten without --force
            write_generated(inside(output, name), content, protect, force)
        except KeptFile as exc:
            sys.stderr.write(exc.one_line(lang) + "\n")
            kept += 1
            continue
        written += 1
    sys.stderr.write(text("report.sample_summary", lang, count=written, output=output) + "\n")
    return 1 if kept else 0
