"""`migrate`: an answer file carried to a newer version of its questionnaire, notes and comments kept."""

from __future__ import annotations

import sys
from pathlib import Path

from dxassess.errors import UsageError
from dxassess.text import msg, text


def run_migrate(answers: Path, output: Path, to: str | None, questionnaire: str | None, lang: str) -> int:
    from dxassess.answerfile import AnswerFile
    from dxassess.inputs import load_assessment
    from dxassess.migrate import answers_of, migrate
    from dxassess.resolver import RESOLVER

    search = RESOLVER.search_path(questionnaire)
    assessment = load_assessment(answers, search)
    old = assessment.questionnaire
    # where the versions are: the --questionnaire given, else beside the answer file (as the
    # answer file's own questionnaire is found), and the built-ins
    near = search or answers.parent
    target = RESOLVER.version(old.id, to, near) if to else RESOLVER.newest(old.id, near)
    if target is None:
        raise UsageError(msg("cmd.migrate_no_version", id=old.id, version=to))
    if target.questionnaire.version == old.version:
        raise UsageError(msg("cmd.migrate_same", path=answers, version=old.version))
    chain = RESOLVER.chain(target.questionnaire, old.version, search, answers.parent)
    if chain is None:
        raise UsageError(msg("cmd.migrate_no_path", old=old.version, new=target.questionnaire.version, id=old.id))
    plan = migrate(answers_of(assessment.sheet), chain)
    edited = AnswerFile.load(answers)
    edited.save_as(output, protect={answers})
    edited.migrate(plan)
    sys.stderr.write(summary(plan, output, lang) + "\n")
    return 0


def summary(plan: object, output: Path, lang: str) -> str:
    """One line: what the migration did."""
    from dxassess.migrate import Plan

    assert isinstance(plan, Plan)
    return text(
        "report.migrate_summary",
        lang,
        old=plan.previous,
        new=plan.version,
        output=output,
        carried=len(plan.answers) - len(plan.ask_again),
        again=len(plan.ask_again),
        new_questions=len(plan.new),
        dropped=len(plan.dropped),
    )
