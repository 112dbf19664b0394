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
from dxassess.text import text


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
    from dxassess.interview_view import use_japanese_line_breaking

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


def default_answers_path(code: str, search: Path | None, today: dt.date) -> Path:
    """`dx-CODE-DATE.yaml` here: today's, or the newest earlier one still incomplete."""
    todays = Path(f"dx-{code}-{today.isoformat()}.yaml")
    if todays.exists():
        return todays
    earlier = sorted(Path(".").glob(f"dx-{code}-????-??-??.yaml"))
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
) -> int:
    from dxassess import lgcode
    from dxassess.files import ensure_dir
    from dxassess.interview import Terminal, ask_code, code_reason
    from dxassess.lock import AnswerLock, LockHeld

    interactive = sys.stdin is not None and sys.stdin.isatty()
    search = _questionnaire_path(questionnaire_ref) if questionnaire_ref else None
    if code is not None:
        code = lgcode.normalise(code)
        reason = code_reason(code, lang)
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
                answers_path = default_answers_path(code, search, dt.date.today())
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
                    term, interactive, answers_path, search, municipality, code, population, lang, questionnaire_ref
                )
            finally:
                lock.release()
    except KeyboardInterrupt:
        _farewell(term, "interrupted", answers_path, lang, questionnaire_ref)
        return 0
    except Hangup as stop:
        _farewell(term, "interrupted", answers_path, lang, questionnaire_ref)
        return 128 + stop.signum
    except OSError:  # the terminal went away (a read or write failed before SIGHUP came): as a hangup
        _farewell(term, "interrupted", answers_path, lang, questionnaire_ref)
        return 0


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
) -> tuple[Any, Any, Any, Path | None]:
    """The answer file resumed or created → (AnswerFile, questionnaire, catalogue, search)."""
    from dxassess import lgcode
    from dxassess.answerfile import AnswerFile
    from dxassess.inputs import load_assessment, load_questionnaire
    from dxassess.interview import ask_code, ask_name, ask_population

    if path.exists():
        assessment = load_assessment(path, search)
        questionnaire, sheet = assessment.questionnaire, assessment.sheet
        if questionnaire_ref and search is not None and sheet.questionnaire.id != questionnaire.id:
            found = f"{sheet.questionnaire.id} {sheet.questionnaire.version}"
            raise UsageError(
                text("interview.other_questionnaire", lang, found=found, given=questionnaire_ref), path=str(path)
            )
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
    code = code or ask_code(term, lang)
    name = municipality or ask_name(term, lang)
    population = population or ask_population(term, lang)
    answers = AnswerFile.create(
        path,
        questionnaire.id,
        questionnaire.version,
        code,
        name,
        lgcode.prefecture_of(code),
        population,
        dt.date.today(),
        questionnaire_ref,
    )
    term.say(text("interview.created", lang, path=path))
    return answers, questionnaire, catalogue, qpath


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
) -> int:
    from dxassess.interview import Interview

    existed = path.exists()
    answers, questionnaire, catalogue, search = _open(
        term, path, search, municipality, code, population, lang, questionnaire_ref
    )
    interview = Interview(questionnaire, answers, lang, term, catalogue)
    end = _End(path, search, lang)
    missing = interview.unanswered()
    if not interactive:
        if missing:
            raise InputError(text("interview.not_tty", lang, n=len(missing)), path=str(path), code="DX903")
        end.summary(term)
        return 0
    if existed:
        total = len(interview.visible())
        term.say(text("interview.resumed", lang, path=path, done=total - len(missing), total=total))
    term.say(text("interview.intro", lang), style="dim")
    start = None
    while True:
        if interview.run(start) == "quit":
            _farewell(term, "quit", path, lang, questionnaire_ref)
            return 0
        if interview.finish(end) != "back":
            return 0
        start = interview.last_visible()
