"""`sample`: write synthetic answer files into a folder."""

from __future__ import annotations

import sys
from pathlib import Path

from dxassess.errors import UsageError
from dxassess.text import msg, text


def run_sample(count: int, output: Path, seed: int, questionnaire_ref: str | None, lang: str) -> int:
    from dxassess.files import ensure_dir, inside, write_atomic
    from dxassess.resolver import RESOLVER
    from dxassess.sample import MAX_COUNT, generate

    if count > MAX_COUNT:
        raise UsageError(msg("cmd.count_too_large", count=count, limit=MAX_COUNT))
    questionnaire = RESOLVER.select(questionnaire_ref).questionnaire
    ensure_dir(output)
    written = 0
    for name, content in generate(questionnaire, count, seed):
        write_atomic(inside(output, name), content)
        written += 1
    sys.stderr.write(text("report.sample_summary", lang, count=written, output=output) + "\n")
    return 0
