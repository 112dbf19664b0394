"""`run`: the interactive assessment, wired to the real terminal, files, lock and signals."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dxassess.errors import DxassessError, InputError, OutputError, UsageError
from dxassess.text import msg, text


class Hangup(Exception):
    """SIGHUP or SIGTERM arrived: every answer is already on disk, so just stop."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_hangup(signum: int, frame: Any) -> None:
    raise Hangup(signum)


@contextmanager
def _stop_signals() -> Iterator[None]:
    """SIGHUP (terminal closed), SIGTERM and Windows' SIGBREAK end the session cleanly.
    SIGINT stays Python's KeyboardInterrupt."""
    previous = {}
    for name in ("SIGHUP", "SIGTERM", "SIGBREAK"):
        signum = getattr(signal, name, None)
        if signum is not None:
            try:
                previous[signum] = signal.signal(signum, _raise_hangup)
            except (OSError, ValueError):  # not the main thread, or not supported here
                pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def make_console() -> Any:
    from rich.console import Console

    try:  # a console in cp932 or a pipe must never crash on a character it lacks
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        pass
    from dxassess.kinsoku import use_japanese_line_breaking

    use_japanese_line_breaking()
    return Console(no_color=bool(os.environ.get("NO_COLOR")), highlight=False, emoji=False)


def _read_line(prompt: str) -> str:
    try:
        import readline  # noqa: F401  (line editing and history where available; absent on Windows)
    except ImportError:
        pass
    sys.stdout.flush()
    return input(prompt)


class _End:
    """The end of the session: the score table and the report, computed from the saved file."""

    def __init__(self, path: Path, search: Path | None, lang: str) -> None:
        self.path, self.search, self.lang = path, search, lang

    def _data(self) -> dict:
        from dxassess.api import assess
        from dxassess.render.context import build

        return build(assess(self.path, self.search), self.lang)

    def summary(self, term: Any) -> None:
        from dxassess.render.terminal import print_score_table

        print_score_table(self._data(), self.lang, term.console)

    def write_report(self, fmt: str) -> Path:
        from dxassess.api import assess, report
        from dxassess.files import write_atomic
        from dxassess.resolver import RESOLVER

        output = self.path.with_suffix("." + fmt)
        rendered = report(assess(self.path, self.search), fmt, self.lang)
        write_atomic(output, rendered, protect={self.path} | RESOLVER.files_read())
        return output


def _questionnaire_path(ref: str | None) -> Path:
    from dxassess.resolver import RESOLVER

    return RESOLVER.select(ref).path


def _incomplete(path: Path, search: Path | None) -> bool:
    from dxassess.inputs import load_assessment
    from dxassess.scoring import answer_values, visible_questions

    assessment = load_assessment(path, search)
    shown = visible_questions(assessment.questionnaire, answer_values(assessment.sheet))
    return any(qid not in assessment.sheet.answers for qid in shown)


def default_answers_path(code: str, search: Path | None, today: dt.date, part: str | None = None) -> Path:
    """`dx-CODE-DATE.yaml` here (`dx-CODE-PART-DATE.yaml` for a part of a team assessment):
    today's, or the newest earlier one still incomplete."""
    import glob

    from dxassess.files import safe_name

    stem = f"dx-{code}" + (f"-{safe_name(part, '')}" if part else "")
    todays = Path(f"{stem}-{today.isoformat()}.yaml")
    if todays.exists():
        return todays
    earlier = sorted(Path(".").glob(f"{glob.escape(stem)}-????-??-??.yaml"))
    if earlier:
        try:
            if _incomplete(earlier[-1], search):
                return earlier[-1]
        except DxassessError:
            pass
    return todays


def run_interview(
    questionnaire_ref: str | None,
    answers_path: Path | None,
    municipality: str | None,
    code: str | None,
    population: int | None,
    lang: str,
    team: dict[str, Any] | None = None,
) -> int:
    from dxassess import lgcode
    from dxassess.files import ensure_dir
    from dxassess.interview import Terminal, ask_code, code_reason, register_reason
    from dxassess.lock import AnswerLock, LockHeld

    team = team or {}
    chosen = bool(team.get("domains") or team.get("owners") or team.get("name"))
    part_name = (team.get("name") or _default_part_name(team)) if chosen else None
    interactive = sys.stdin is not None and sys.stdin.isatty()
    search = _questionnaire_path(questionnaire_ref) if questionnaire_ref else None
    if code is not None:
        code = lgcode.normalise(code)
        reason = code_reason(code, lang)
        if not reason and not (answers_path is not None and Path(answers_path).exists()):
            # a new answer file: only a municipality's code (an existing file is checked as it is read,
            # where a code of no municipality passes only with `synthetic: true`)
            reason = register_reason(code, lang)
        if reason:
            shown = code if len(code) <= 20 else code[:20] + "…"
            raise UsageError(text("interview.bad_code_option", lang, code=shown, reason=reason))
    term = Terminal(make_console(), _read_line)
    try:
        with _stop_signals():
            if answers_path is None:
                if code is None:
                    if not interactive:
                        raise InputError(text("interview.not_tty_profile", lang), code="DX903")
                    code = ask_code(term, lang)
                answers_path = default_answers_path(code, search, dt.date.today(), part_name)
            answers_path = Path(answers_path)
            if not answers_path.exists() and not interactive:
                raise InputError(text("interview.not_tty_profile", lang), path=str(answers_path), code="DX903")
            ensure_dir(answers_path.parent if str(answers_path.parent) else Path("."))
            # The lock sits beside the real file: a link and its target share one lock.
            lock = AnswerLock(Path(os.path.realpath(answers_path)))
            try:
                lock.acquire()
            except LockHeld as held:
                raise InputError(
                    text("interview.locked", lang, pid=held.pid or "?"), path=str(answers_path), code="DX902"
                ) from None
            except OSError as exc:
                reason = exc.strerror or str(exc)
                raise OutputError(text("interview.lock_failed", lang, reason=reason), path=str(lock.path)) from None
            try:
                return _session(
                    term,
                    interactive,
                    answers_path,
                    search,
                    municipality,
                    code,
                    population,
                    lang,
                    questionnaire_ref,
                    team,
                )
            finally:
                lock.release()
    except (KeyboardInterrupt, EOFError):  # Ctrl-C, or Ctrl-D (input ended) at a question before the first
        _stopped(term, answers_path, lang, questionnaire_ref)
        return 0
    except Hangup as stop:
        _stopped(term, answers_path, lang, questionnaire_ref)
        return 128 + stop.signum
    except OSError:  # the terminal went away (a read or write failed before SIGHUP came): as a hangup
        _stopped(term, answers_path, lang, questionnaire_ref)
        return 0


def _stopped(term: Any, answers_path: Path | None, lang: str, questionnaire_ref: str | None) -> None:
    """Stopped from outside the question loop: "every answer is saved" only when there is a file
    (before the code is known, at the code prompt, there is not even its name)."""
    if answers_path is None or not Path(answers_path).exists():
        _farewell(term, "stopped_early", None, lang, questionnaire_ref)
    else:
        _farewell(term, "interrupted", answers_path, lang, questionnaire_ref)


def _farewell(term: Any, key: str, path: Path | None, lang: str, questionnaire_ref: str | None) -> None:
    options = f" --questionnaire {questionnaire_ref}" if questionnaire_ref else ""
    try:
        term.say("")
        term.say(text(f"interview.{key}", lang), style="bold")
        if path is not None:
            term.say(text("interview.resume_hint", lang))
            term.say(f"  dxassess run{options} --answers {path}", soft_wrap=True)
    except (OSError, ValueError):  # the terminal is gone; the answers are on disk anyway
        pass


def _open(
    term: Any,
    path: Path,
    search: Path | None,
    municipality: str | None,
    code: str | None,
    population: int | None,
    lang: str,
    questionnaire_ref: str | None,
    team: dict[str, Any] | None = None,
) -> tuple[Any, Any, Any, Path | None]:
    """The answer file resumed or created → (AnswerFile, questionnaire, catalogue, search)."""
    from dxassess import lgcode, register
    from dxassess.answerfile import AnswerFile
    from dxassess.inputs import load_assessment, load_questionnaire
    from dxassess.interview import ask_code, ask_name, ask_population, identified

    if path.exists():
        assessment = load_assessment(path, search)
        sheet = assessment.sheet
        if questionnaire_ref:
            from dxassess.resolver import RESOLVER

            chosen = RESOLVER.select(questionnaire_ref).questionnaire
            if chosen.id != sheet.questionnaire.id:
                found = f"{sheet.questionnaire.id} {sheet.questionnaire.version}"
                raise UsageError(
                    text("interview.other_questionnaire", lang, found=found, given=questionnaire_ref), path=str(path)
                )
            if chosen.version != sheet.questionnaire.version:
                _carry_over(term, path, assessment, chosen, lang)
                assessment = load_assessment(path, search)
                sheet = assessment.sheet
        questionnaire = assessment.questionnaire
        if code is not None and code != sheet.municipality.code:
            raise UsageError(
                text("interview.code_mismatch", lang, found=sheet.municipality.code, given=code), path=str(path)
            )
        answers = AnswerFile.load(path)
        changed: dict[str, Any] = {}
        if municipality and municipality != sheet.municipality.name:
            changed["name"] = municipality
        if population and population != sheet.municipality.population:
            changed["population"] = population
        if changed:
            answers.set_municipality(**changed)
            term.say(text("interview.updated_profile", lang, fields=", ".join(changed)))
        return answers, questionnaire, assessment.catalogue, search
    qpath = search or _questionnaire_path(None)
    questionnaire, catalogue = load_questionnaire(qpath)
    part = _part(questionnaire, team or {})  # checked before anything is asked
    code = code or ask_code(term, lang)  # a municipality's code of the register (run_interview checks --code)
    entry = register.lookup(code)
    if municipality is None and entry is not None:  # the register fills name, prefecture and kind
        term.say(identified(code, lang), style="dim")
        name = entry.name
    else:
        name = municipality or ask_name(term, lang)
        if entry is not None and not register.name_matches(code, name):
            term.say(text("interview.name_differs", lang, name=name, code=code, expected=entry.name))
    population = population or ask_population(term, lang, entry.population if entry else None)
    answers = AnswerFile.create(
        path,
        questionnaire.id,
        questionnaire.version,
        code,
        name,
        entry.prefecture if entry else lgcode.prefecture_of(code),
        population,
        dt.date.today(),
        questionnaire_ref,
        part.model_dump(mode="json") if part else None,
    )
    term.say(text("interview.created", lang, path=path))
    return answers, questionnaire, catalogue, qpath


def _carry_over(term: Any, path: Path, assessment: Any, chosen: Any, lang: str) -> None:
    """Move an answer file to the newer questionnaire version it is resumed with: the file as it
    was is kept beside it, the answers are carried over (dxassess.migrate), and the interview
    then asks only what is new or changed."""
    from dxassess.answerfile import AnswerFile
    from dxassess.files import write_atomic
    from dxassess.migrate import answers_of, migrate
    from dxassess.resolver import RESOLVER

    old = assessment.questionnaire
    chain = RESOLVER.chain(chosen, old.version, path.parent)
    if chain is None:
        raise UsageError(msg("cmd.migrate_no_path", old=old.version, new=chosen.version, id=old.id), path=str(path))
    keep = path.with_name(f"{path.stem}.{old.version}{path.suffix}")
    number = 2
    while keep.exists():
        keep = path.with_name(f"{path.stem}.{old.version}-{number}{path.suffix}")
        number += 1
    write_atomic(keep, path.read_bytes(), protect={path})
    plan = migrate(answers_of(assessment.sheet), chain)
    AnswerFile.load(path).migrate(plan)
    term.say(
        text("interview.migrated", lang, old=old.version, new=chosen.version, kept=keep, again=len(plan.ask_again))
    )


def _session(
    term: Any,
    interactive: bool,
    path: Path,
    search: Path | None,
    municipality: str | None,
    code: str | None,
    population: int | None,
    lang: str,
    questionnaire_ref: str | None,
    team: dict[str, Any] | None = None,
) -> int:
    from dxassess.interview import Interview

    team = team or {}
    existed = path.exists()
    answers, questionnaire, catalogue, search = _open(
        term, path, search, municipality, code, population, lang, questionnaire_ref, team
    )
    only, respondent = _selection(questionnaire, answers, team, path, lang)
    interview = Interview(questionnaire, answers, lang, term, catalogue, only, respondent, max_age=team.get("max_age"))
    end = _End(path, search, lang)
    missing = interview.unanswered()
    if not interactive:
        if missing:
            raise InputError(text("interview.not_tty", lang, n=len(missing)), path=str(path), code="DX903")
        end.summary(term)
        return 0
    if existed:
        total = len(interview.visible())
        skipped = len(interview.skipped())
        done = total - len(missing) - skipped
        if skipped:
            term.say(text("interview.resumed_skipped", lang, path=path, done=done, total=total, skipped=skipped))
        else:
            term.say(text("interview.resumed", lang, path=path, done=done, total=total))
    term.say(text("interview.intro", lang), style="dim")
    if only is not None:
        by = respondent or (answers.doc.get("part") or {}).get("name") or "—"
        term.say(text("interview.part", lang, name=_part_label(answers, team), count=len(only), by=by), style="dim")
    stale = interview.stale_answers()
    if stale:
        term.say(text("interview.stale_notice", lang, n=len(stale), months=interview.max_age))
    start = None
    while True:
        if interview.run(start) == "quit" or interview.confirm_stale() == "quit":
            _farewell(term, "quit", path, lang, questionnaire_ref)
            return 0
        if interview.finish(end) != "back":
            return 0
        start = interview.last_visible()


# -- parts of a team assessment ----------------------------------------------------------------


def _default_part_name(team: dict[str, Any]) -> str | None:
    from dxassess.parts import default_name

    return default_name(team.get("domains") or [], team.get("owners") or []) or None


def _part(questionnaire: Any, team: dict[str, Any]) -> Any:
    from dxassess.parts import make_part

    return make_part(
        questionnaire, team.get("domains") or [], team.get("owners") or [], team.get("name"), team.get("respondent")
    )


def _part_label(answers: Any, team: dict[str, Any]) -> str:
    recorded = answers.doc.get("part") or {}
    return str(recorded.get("name") or team.get("name") or _default_part_name(team) or "—")


def _selection(
    questionnaire: Any, answers: Any, team: dict[str, Any], path: Path, lang: str
) -> tuple[list[str] | None, str | None]:
    """The questions to ask and who answers: the options given, else the part the file records;
    (None, None) for the whole questionnaire. Options that name another part than the file's
    are refused."""
    from dxassess.model import Part
    from dxassess.parts import part_questions

    given = _part(questionnaire, team)
    recorded = answers.doc.get("part")
    file_part = Part.model_validate(dict(recorded)) if isinstance(recorded, dict) else None
    if given is not None and file_part is not None:
        wanted = (sorted(given.domains), sorted(o.value for o in given.owners))
        found = (sorted(file_part.domains), sorted(o.value for o in file_part.owners))
        if wanted != found and (team.get("domains") or team.get("owners")):
            raise UsageError(msg("part.other_part", found=file_part.name, given=given.name), path=str(path))
    part = file_part or given
    if part is None:
        return None, None
    respondent = team.get("respondent") or part.respondent
    return part_questions(questionnaire, part), respondent
