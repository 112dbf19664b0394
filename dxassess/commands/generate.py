"""`sample`: write synthetic answer files into a folder."""

from __future__ import annotations

import sys
from pathlib import Path

from dxassess.errors import UsageError
from dxassess.messages import msg


def run_sample(count: int, output: Path, seed: int, questionnaire_ref: str | None) -> int:
    from dxassess.files import ensure_dir, inside, write_atomic
    from dxassess.library import resolve_questionnaire
    from dxassess.sample import MAX_COUNT, generate
    from dxassess.validate import load_questionnaire

    if count > MAX_COUNT:
        raise UsageError(msg("cmd.count_too_large", count=count, limit=MAX_COUNT))
    path = resolve_questionnaire(questionnaire_ref)
    if path is None:
        raise UsageError(msg("cmd.questionnaire_not_found", ref=questionnaire_ref))
    questionnaire, _ = load_questionnaire(path)
    ensure_dir(output)
    written = 0
    for name, text in generate(questionnaire, count, seed):
        write_atomic(inside(output, name), text)
        written += 1
    sys.stderr.write(f"{written} answer files written to {output} / {written}件の回答ファイルを作成しました\n")
    return 0
