"""The interview session: one question at a time, every answer saved the moment it is given.

Terminal I/O is injected (`Terminal`: a rich Console and a `read_line(prompt)` function), so the
whole session runs in tests from scripted input. Keys follow contract.md: numbers answer,
Enter keeps the current answer, `?` help, `b` back, `s` skip, `n` note, `r` review, `q` quit;
and `c` confirms that an answer still holds (its evidence expired, or it is old).

A part of a team assessment (`only`: its question ids) asks only those questions, and each
answer records who gave it and when (`answered_by`, `answered_on`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from rich.console import Console, RenderableType
from rich.text import Text

from dxassess import lgcode, parts, provenance, register, typed
from dxassess.answerfile import AnswerFile
from dxassess.controls import printable
from dxassess.interview_view import (
    NARROW,
    default_key,
    help_screen,
    number,
    option_rows,
    question_screen,
    value_text,
)
from dxassess.model import ChoiceQuestion, NumericQuestion, Questionnaire, ScaleQuestion, YesNoQuestion
from dxassess.scoring import visible_questions
from dxassess.text import pick, text

NA_KEY = "x"  # the key the interview shows for N/A; the shared words are accepted too
CONFIRM_KEY = "c"  # confirm that an answer still holds


@dataclass
class Terminal:
    """Where the session writes and reads. `read_line` raises EOFError when input has ended."""

    console: Console
    read_line: Callable[[str], str]

    def say(
        self, text: str | RenderableType, style: str | None = None, soft_wrap: bool = False, clip: bool = False
    ) -> None:
        """Print a line (or a renderable). `soft_wrap` leaves long lines to the terminal (commands
        people copy); `clip` cuts a long line to one row with an ellipsis."""
        renderable = Text(printable(text, multiline=True), style=style or "") if isinstance(text, str) else text
        if clip:
            self.console.print(renderable, no_wrap=True, overflow="ellipsis")
        else:
            self.console.print(renderable, soft_wrap=soft_wrap)

    def ask(self, prompt: str) -> str:
        return self.read_line(prompt)


def _number_of(key: str) -> float | None:
    """A typed number (grouping commas allowed), or None; only ASCII digits count."""
    plain = key.replace(",", "")
    if not plain.isascii() or len(plain) > 30:
        return None
    try:
        value = float(plain)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _without_unit(key: str, question: NumericQuestion) -> str:
    """A typed number without the question's own unit after it (45%, 6.5年, 100 Mbps; 4回 for
    回／年: the unit's first part too)."""
    units = {typed.normalised(u) for u in question.unit.values() if u.strip()}
    units |= {u.split("/")[0].strip() for u in units if "/" in u}
    for unit in sorted(units | ({"%"} if question.percentage else set()), key=len, reverse=True):
        if key.endswith(unit):
            return key[: -len(unit)].strip()
    return key


class Finish(Protocol):
    """What happens when every question is answered (score table, report); injected."""

    def summary(self, term: Terminal) -> None: ...

    def write_report(self, fmt: str) -> Path: ...


def parse_answer(questionnaire: Questionnaire, question: Any, key: str, lang: str) -> tuple[Any, str | None]:
    """A typed key (already normalised) → (value, None), or (None, why it does not fit)."""
    if isinstance(question, NumericQuestion):
        found = _number_of(_without_unit(key, question))
        value: Any = None if found is None else (int(found) if found.is_integer() else found)
        if value is None or not question.min <= value <= question.max:
            unit = question.unit.get(lang, "")
            return None, text(
                "interview.pick_number", lang, min=number(question.min), max=number(question.max), unit=unit
            )
        if not question.accepts(value):
            return None, text("interview.pick_whole", lang)
        return value, None
    rows = [row[0] for row in option_rows(questionnaire, question, lang) if row[0] != NA_KEY]
    pick_one = text("interview.pick_one", lang, keys=", ".join(rows))
    if isinstance(question, YesNoQuestion):
        answer = {"1": True, "2": False}.get(key, typed.yes_no(key))  # options are numbered from 1
        return (answer, None) if answer is not None else (None, pick_one)
    if isinstance(question, ChoiceQuestion):
        keys = [o.key for o in question.options]
        if key in rows:
            return keys[int(key) - 1], None
        if question.accepts(key):
            return key, None
        return None, pick_one
    if isinstance(question, ScaleQuestion) and key in rows:
        return int(key), None
    return None, pick_one


class Interview:
    """One questionnaire answered into one answer file."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        answers: AnswerFile,
        lang: str,
        term: Terminal,
        catalogue: Any = None,
        only: Iterable[str] | None = None,
        respondent: str | None = None,
        today: dt.date | None = None,
        max_age: int | None = None,
    ) -> None:
        self.only = None if only is None else list(only)  # a part: its question ids
        self.respondent = respondent
        self.today = today or dt.date.today()
        self.max_age = max_age or provenance.DEFAULT_MAX_AGE
        self.questionnaire = questionnaire
        self.answers = answers
        self.lang = lang
        self.term = term
        self.catalogue = catalogue
        self.order = [q.id for q in questionnaire.questions()]
        self.rank = {qid: i for i, qid in enumerate(self.order)}
        self.questions = questionnaire.question_map()
        self.domain_ids = [d.id for d in questionnaire.domains]
        self.domain_of = {q.id: d.id for d in questionnaire.domains for q in d.questions}
        self.last: str | None = None  # the answer `n` and `r` apply to
        # skipped ("answer later") in an earlier session: asked once more, after the unanswered
        self.revisit = {qid for qid in self.order if answers.is_skipped(qid)}

    # -- state ------------------------------------------------------------------------------

    def visible(self) -> list[str]:
        if self.only is not None:
            return parts.asked(self.questionnaire, self.answers.values(), self.only)
        shown = visible_questions(self.questionnaire, self.answers.values())
        return [qid for qid in self.order if qid in shown]

    def stale(self, qid: str) -> str | None:
        """`expired` or `old` when the answer needs confirming today, else None."""
        answer = self.answers.answer(qid)
        return provenance.staleness(answer, self.today, self.max_age) if answer else None

    def stale_answers(self) -> list[str]:
        return [qid for qid in self.visible() if self.answers.is_answered(qid) and self.stale(qid)]

    def stamp(self, qid: str) -> dict[str, Any] | None:
        """Who answered and when, recorded in a part, or where the answer already carries a date."""
        current = self.answers.answer(qid) or {}
        if self.only is None and not current.get("answered_on"):
            return None
        return {"answered_on": self.today, "answered_by": self.respondent}

    def unanswered(self) -> list[str]:
        return [qid for qid in self.visible() if self.answers.needs_answer(qid)]

    def hidden_answered(self) -> list[str]:
        shown = set(self.visible())
        return [qid for qid in self.order if qid not in shown and self.answers.is_answered(qid)]

    # -- the loop ---------------------------------------------------------------------------

    def named(self, qid: str) -> str:
        """A question as the screen numbers it, with its id (for whoever edits the file):
        設問10（skills.trained_share）."""
        visible = self.visible()
        if qid not in visible:
            return qid
        return text("interview.question_named", self.lang, n=visible.index(qid) + 1, qid=qid)

    def skipped(self) -> list[str]:
        return [qid for qid in self.visible() if self.answers.is_skipped(qid)]

    def run(self, start: str | None = None) -> str:
        """Ask until every visible question is answered ("done") or the user quits ("quit").
        After an answer comes the next question that needs one (a resumed file is not walked
        through again; `b` goes back one by one); once none is left, the questions skipped in an
        earlier session are asked once more (`s` skips them again)."""
        current = start or next(iter(self.unanswered()), None)
        told = False
        while True:
            if current is None:
                missing = self.unanswered()
                again = [qid for qid in self.visible() if qid in self.revisit]
                if not missing and not again:
                    return "done"
                if missing:
                    self.term.say(text("interview.unanswered_left", self.lang, n=len(missing)))
                    current = missing[0]
                else:
                    if not told:
                        self.term.say(text("interview.revisit_skipped", self.lang, n=len(again)))
                        told = True
                    current = again[0]
            action = self.ask(current)
            if action == "quit":
                return "quit"
            visible = self.visible()
            if action == "back":
                earlier = [qid for qid in visible if self.rank[qid] < self.rank[current]]
                if earlier:
                    current = earlier[-1]
                else:
                    self.term.say(text("interview.first_question", self.lang))
            else:
                self.revisit.discard(current)
                later = (qid for qid in visible if self.rank[qid] > self.rank[current])
                current = next((qid for qid in later if self.answers.needs_answer(qid)), None)

    def ask(self, qid: str) -> str:
        """Show one question and read keys until it is answered: "next", "back" or "quit"."""
        question = self.questions[qid]
        self.show(question)
        doubted = None  # a share such as 0.45 typed for a percentage, asked about once
        while True:
            answer = self.answers.answer(qid)
            default = default_key(question, answer)
            prompt = (
                text("interview.prompt_default", self.lang, default=default)
                if default
                else text("interview.prompt", self.lang)
            )
            try:
                raw = self.term.ask(prompt)
            except EOFError:
                return "quit"
            key = typed.normalised(raw)
            if key == "?":
                narrow = self.term.console.width < NARROW  # the options were shown without descriptions
                rows = option_rows(self.questionnaire, question, self.lang) if narrow else None
                self.term.say(help_screen(question, self.catalogue, self.lang, rows))
            elif key == "b":
                return "back"
            elif key == "q":
                return "quit"
            elif key == "n":
                self.note(qid)
            elif key == "r":
                self.review(qid)
            elif key == "" and default is None:
                self.term.say(text("interview.need_answer", self.lang))
            elif key == "":
                self.last = qid
                self.answers.asked(qid)  # a carried answer, confirmed
                return "next"
            elif key == CONFIRM_KEY:
                if self.confirm(qid):
                    return "next"
            elif key == "s":
                self.answers.set_skipped(qid, self.order, self.stamp(qid))
                return self.saved(question)
            elif key == NA_KEY or key in typed.NA:
                if not question.na_allowed:
                    self.term.say(text("interview.na_not_allowed", self.lang))
                    continue
                self.answers.set_na(qid, self.order, self.stamp(qid))
                return self.saved(question)
            else:
                value, problem = parse_answer(self.questionnaire, question, key, self.lang)
                if problem:
                    self.term.say(problem)
                    continue
                if isinstance(question, NumericQuestion) and question.looks_like_share(value) and key != doubted:
                    meant = number(round(value * 100, 9))
                    self.term.say(text("interview.percent_share", self.lang, value=number(value), meant=meant))
                    doubted = key  # the same again: kept as typed
                    continue
                self.answers.set_value(qid, value, self.order, self.stamp(qid))
                return self.saved(question)

    def saved(self, question: Any) -> str:
        self.last = question.id
        self.answers.asked(question.id)
        shown = value_text(self.questionnaire, question, self.answers.answer(question.id), self.lang)
        self.term.say(
            text("interview.saved", self.lang, qid=self.named(question.id), value=shown), style="dim", clip=True
        )
        return "next"

    def show(self, question: Any) -> None:
        visible = self.visible()
        domains = []
        for did in self.domain_ids:
            ids = [qid for qid in visible if self.domain_of[qid] == did]
            done = sum(1 for qid in ids if self.answers.is_answered(qid))
            domains.append((did, done, len(ids)))
        self.term.say(
            question_screen(
                self.questionnaire,
                question,
                self.answers.answer(question.id),
                (visible.index(question.id) + 1, len(visible)),
                (self.domain_ids.index(self.domain_of[question.id]), len(self.domain_ids)),
                domains,
                self.term.console.width,
                self.lang,
                self.stale_label(question.id),
                self.changed_reason(question.id),
            )
        )

    def changed_reason(self, qid: str) -> str | None:
        """For an answer carried from an earlier version to be asked again, why the question
        changed (the migration's `reason`, "" when it gives none); None for any other answer."""
        if qid not in self.answers.ask_again() or not self.answers.is_answered(qid):
            return None
        migration = self.questionnaire.migration
        moves = migration.questions.values() if migration is not None else []
        reasons = [pick(m.reason, self.lang) for m in moves if qid in m.to and m.reason]
        return reasons[0] if reasons else ""

    # -- confirming answers whose evidence expired or that are old ---------------------------

    def stale_label(self, qid: str) -> str | None:
        flag = self.stale(qid)
        if flag is None:
            return None
        answer = self.answers.answer(qid) or {}
        day = provenance.expires(answer) if flag == provenance.EXPIRED else answer.get("answered_on")
        return text(f"interview.stale_{flag}", self.lang, date=str(day), months=self.max_age)

    def confirm(self, qid: str) -> bool:
        """`c`: the answer still holds. It is dated today; evidence that expired asks for its new
        expiry date (Enter removes the date). False when there is no answer to confirm."""
        if not self.answers.is_answered(qid):
            self.term.say(text("interview.no_answer_to_confirm", self.lang))
            return False
        stamp = {"answered_on": self.today, "answered_by": self.respondent}
        until = provenance.expires(self.answers.answer(qid) or {})
        expires: dt.date | None | bool = False
        if until is not None and until < self.today:
            expires = self.ask_expiry()
        self.answers.confirm(qid, stamp, expires)
        self.last = qid
        self.term.say(
            text("interview.confirmed", self.lang, qid=self.named(qid), date=self.today.isoformat()), style="dim"
        )
        return True

    def ask_expiry(self) -> dt.date | None:
        while True:
            try:
                raw = typed.normalised(self.term.ask(text("interview.ask_expiry", self.lang)))
            except EOFError:
                return None
            if not raw:
                return None
            try:
                day = dt.date.fromisoformat(raw)
            except ValueError:
                self.term.say(text("interview.bad_expiry", self.lang))
                continue
            if day < self.today:
                self.term.say(text("interview.past_expiry", self.lang))
                continue
            return day

    def confirm_stale(self) -> str:
        """After the unanswered questions: each answer that needs confirming, shown once (Enter
        keeps it as it is, c confirms it, a new answer replaces it). "done", or "quit"."""
        waiting = self.stale_answers()
        i = 0
        while i < len(waiting):
            action = self.ask(waiting[i])
            if action == "quit":
                return "quit"
            i = max(0, i - 1) if action == "back" else i + 1
        return "done"

    # -- notes and review marks ------------------------------------------------------------

    def _target(self, qid: str) -> str | None:
        """`n` and `r` apply to the last answer given; when revisiting, to the one shown."""
        if self.last and self.answers.is_answered(self.last):
            return self.last
        return qid if self.answers.is_answered(qid) else None

    def note(self, qid: str) -> None:
        target = self._target(qid)
        if target is None:
            self.term.say(text("interview.no_last_answer", self.lang))
            return
        current = (self.answers.answer(target) or {}).get("note")
        if current:
            self.term.say(text("interview.note_current", self.lang, note=current), style="dim")
        try:
            typed = self.term.ask(text("interview.note_prompt", self.lang, qid=self.named(target))).strip()
        except EOFError:
            typed = ""
        if not typed:
            self.term.say(text("interview.note_unchanged", self.lang), style="dim")
        elif typed in ("-", "ー", "－"):
            self.answers.set_note(target, None)
            self.term.say(text("interview.note_removed", self.lang, qid=self.named(target)), style="dim")
        else:
            self.answers.set_note(target, typed)
            self.term.say(text("interview.note_saved", self.lang, qid=self.named(target)), style="dim")

    def review(self, qid: str) -> None:
        target = self._target(qid)
        if target is None:
            self.term.say(text("interview.no_last_answer", self.lang))
            return
        marked = not (self.answers.answer(target) or {}).get("review")
        self.answers.set_review(target, marked)
        self.term.say(
            text("interview.review_on" if marked else "interview.review_off", self.lang, qid=self.named(target))
        )

    # -- the end ----------------------------------------------------------------------------

    def prune_hidden(self) -> None:
        """Answers of questions that no longer apply (an earlier answer changed) leave the file."""
        hidden = self.hidden_answered()
        for qid in hidden:
            self.answers.clear(qid)
        if hidden:
            self.term.say(text("interview.pruned", self.lang, ids=", ".join(hidden)))

    def finish(self, end: Finish, offer_report: bool = True) -> str:
        """Score table and the offer of a report. Returns "done", or "back" to revise answers."""
        self.prune_hidden()
        skipped = self.skipped()
        if skipped:
            self.term.say(text("interview.all_done_skipped", self.lang, n=len(skipped)), style="bold")
        else:
            self.term.say(text("interview.all_done", self.lang), style="bold")
        self.ask_sharing()
        end.summary(self.term)
        if not offer_report:
            return "done"
        while True:
            try:
                key = typed.normalised(self.term.ask(text("interview.report_offer", self.lang)))
            except EOFError:
                return "done"
            if key in ("", "q"):
                return "done"
            if key == "b":
                return "back"
            if key in ("1", "2", "html", "md"):
                fmt = "html" if key in ("1", "html") else "md"
                try:
                    path = end.write_report(fmt)
                except Exception as exc:  # the report is an extra: never lose the session over it
                    in_lang = getattr(exc, "text", None)
                    reason = (
                        (in_lang(self.lang) if callable(in_lang) else None)
                        or getattr(exc, "message", None)
                        or str(exc)
                        or type(exc).__name__
                    )
                    self.term.say(text("interview.report_failed", self.lang, reason=reason))
                    continue
                self.term.say(text("interview.report_written", self.lang, path=path))
                return "done"
            self.term.say(text("interview.report_pick", self.lang))

    def ask_sharing(self) -> None:
        """Once, at the end: may peers of the same size see the municipality's name, contact and
        public notes? Asked until answered (Enter leaves it for next time); once answered, only
        said, with how to change it."""
        lang = self.lang
        if self.answers.doc.get("part") is not None:
            return  # a part of a team assessment: consent is the whole municipality's, given once merged
        current = self.answers.sharing
        if current is not None:
            if current.get("named"):
                self.term.say(
                    text("interview.sharing_is_yes", lang, contact=current.get("contact") or "—"), style="dim"
                )
            else:
                self.term.say(text("interview.sharing_is_no", lang), style="dim")
            return
        self.term.say(text("interview.sharing_title", lang), style="bold")
        self.term.say(text("interview.sharing_explain", lang))
        while True:
            try:
                key = typed.normalised(self.term.ask(text("interview.sharing_ask", lang)))
            except EOFError:
                key = ""
            if key == "":
                self.term.say(text("interview.sharing_later", lang), style="dim")
                return
            said = typed.yes_no(key)
            if key == "2" or said is False:
                self.answers.set_sharing(False)
                self.term.say(text("interview.sharing_saved_no", lang))
                return
            if key == "1" or said is True:
                break
            self.term.say(text("interview.sharing_pick", lang))
        from dxassess.checks import personal_contact

        warned = None
        while True:
            try:
                contact = self.term.ask(text("interview.sharing_contact", lang)).strip()
            except EOFError:
                contact = ""
            personal = personal_contact(contact)
            if not personal or contact == warned:  # the same again: kept as given
                break
            for what in personal:  # shown to other municipalities: say so before it is saved
                self.term.say(what.get(lang))
            self.term.say(text("interview.sharing_contact_again", lang))
            warned = contact
        if not contact:
            self.term.say(text("interview.sharing_no_contact", lang))
            return
        self.answers.set_sharing(True, contact[:200])
        self.term.say(text("interview.sharing_saved_yes", lang, contact=contact[:200]))

    def last_visible(self) -> str | None:
        visible = self.visible()
        return visible[-1] if visible else None


# -- the municipality's profile -------------------------------------------------------------


def code_reason(code: str, lang: str) -> str | None:
    """Why `code` is not a municipality's code, in `lang`; None when it is valid."""
    if lgcode.code_problem(code) is None:
        return None
    if len(code) != 6 or not (code.isascii() and code.isdigit()):  # int() refuses other digits
        return text("interview.code_digits", lang)
    if not 1 <= int(code[:2]) <= 47:
        return text("interview.code_prefecture", lang, pref=code[:2])
    if int(code[5]) != lgcode.check_digit(code[:5]):
        return text("interview.code_check", lang, expected=lgcode.check_digit(code[:5]))
    return text("interview.code_prefectural", lang)


def parse_population(raw: str) -> int | None:
    from dxassess.model.answers import MAX_POPULATION

    digits = typed.normalised(raw).replace(",", "").replace("人", "").strip()
    if not (digits.isascii() and digits.isdigit()) or len(digits) > len(str(MAX_POPULATION)):
        return None
    return int(digits) if 1 <= int(digits) <= MAX_POPULATION else None


def register_reason(code: str, lang: str) -> str | None:
    """Why a valid code is not a municipality's of the register (none has it, or it is a ward's),
    in `lang`; None when it is one."""
    entry = register.lookup(code)
    if entry is None:
        return text("interview.code_unknown", lang)
    if entry.kind == "ward":
        city = register.lookup(entry.parent or "")
        return text("interview.code_ward", lang, city=city.name if city else "", city_code=entry.parent or "")
    return None


def identified(code: str, lang: str) -> str:
    """The municipality of a code as the register has it: 札幌市（北海道・政令指定都市）."""
    entry = register.lookup(code)
    assert entry is not None
    return text("interview.identified", lang, name=entry.name, prefecture=entry.prefecture, kind=entry.label(lang))


NAME_MATCHES = 10  # municipalities listed for a name typed at the code prompt


def ask_code(term: Terminal, lang: str) -> str:
    """A municipality's code of the register, asked until one is given. A name (or part of it,
    in kana too) may be typed instead: one match is taken, a few are listed with their codes."""
    while True:
        raw = term.ask(text("interview.ask_code", lang))
        code = lgcode.normalise(raw)
        if code and not any(c.isdigit() for c in code):
            found = by_name(code, lang)
            if isinstance(found, str):
                return found
            term.say(found[0])
            for line in found[1:]:
                term.say(line, clip=True)
            continue
        reason = code_reason(code, lang) or register_reason(code, lang)
        if reason is None:
            return code
        term.say(reason)


def by_name(name: str, lang: str) -> str | list[str]:
    """The code of the one municipality whose name (or reading) holds `name`, or the lines to
    show: the matches with their codes, or why there is none."""
    matches = [e for e in register.search(name) if e.is_municipality]
    if len(matches) == 1:
        return matches[0].code
    if not matches:
        return [text("interview.name_none", lang, name=name)]
    if len(matches) > NAME_MATCHES:
        return [text("interview.name_many", lang, name=name, n=len(matches))]
    lines = [text("interview.name_some", lang, name=name, n=len(matches))]
    for e in matches:
        lines.append(
            f"  {e.code}  "
            + text("interview.identified", lang, name=e.name, prefecture=e.prefecture, kind=e.label(lang))
        )
    return lines


def ask_name(term: Terminal, lang: str) -> str:
    while True:
        name = unicodedata.normalize("NFKC", term.ask(text("interview.ask_name", lang))).strip()
        if name:
            return name
        term.say(text("interview.name_empty", lang))


def ask_population(term: Terminal, lang: str, default: int | None = None) -> int:
    """The population; Enter alone accepts `default` (the register's figure, where it has one)."""
    prompt = (
        text("interview.ask_population_default", lang, default=f"{default:,}")
        if default
        else text("interview.ask_population", lang)
    )
    while True:
        raw = term.ask(prompt)
        if default and not raw.strip():
            return default
        population = parse_population(raw)
        if population is not None:
            return population
        term.say(text("interview.bad_population", lang))
