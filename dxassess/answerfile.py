"""Answer files written and edited: the one module that writes them.

`answer_text` writes a new answer file (import, sample, a new interview, migrate, merge) in the
documented layout: one flow mapping per answer, strings double-quoted, dates quoted (so YAML 1.1
tools read them as text too), numbers as Python writes them exactly. `AnswerFile` edits an
existing one in ruamel's round-trip mode, so the comments and key order people wrote survive
every edit; every change is saved at once through `files.write_atomic`. No terminal I/O here.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any, cast

from dxassess.errors import InputError
from dxassess.files import write_atomic
from dxassess.text import msg
from dxassess.text.problems import os_reason

STATE_KEYS = ("value", "na", "skipped")

# Keys of an answer in the order they are written.
ANSWER_KEYS = (
    "value",
    "na",
    "skipped",
    "note",
    "review",
    "public_note",
    "answered_by",
    "answered_on",
    "evidence",
)


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar (JSON escapes are valid YAML); non-printables escaped."""
    quoted = json.dumps(str(text), ensure_ascii=False)
    return "".join(c if c.isprintable() else _escape(c) for c in quoted)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def scalar(value: Any) -> str:
    """One value as YAML: exact numbers (never `1.23457e+06`), quoted strings and dates."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        if "e" in text or "E" in text:
            text = f"{value:.12f}".rstrip("0")
            text = text + "0" if text.endswith(".") else text
        return text
    if isinstance(value, (dt.date, dt.datetime)):
        return f'"{value.isoformat()}"'
    if isinstance(value, dict):
        return flow(value)
    return yaml_string(value)


def flow(mapping: dict[str, Any]) -> str:
    """A flow mapping `{key: value, ...}`, leaving out keys whose value is None."""
    return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in mapping.items() if v is not None) + "}"


def answer_text(data: dict[str, Any], comments: list[str] | tuple[str, ...] = ()) -> str:
    """A new answer file from data in the answer-file shape, with comment lines on top."""
    lines = [f"# {line}" if line else "#" for line in comments]
    lines.append(f"questionnaire: {flow(data['questionnaire'])}")
    for key in ("part", "sharing"):
        if data.get(key):
            lines.append(f"{key}: {flow(data[key])}")
    if data.get("synthetic"):
        lines.append("synthetic: true")
    lines.append(f"municipality: {flow(data['municipality'])}")
    lines.append(f"assessed: {scalar(data['assessed'])}")
    answers = data.get("answers") or {}
    lines.append("answers:" if answers else "answers: {}")
    for qid, answer in answers.items():
        ordered = {k: answer[k] for k in ANSWER_KEYS if k in answer}
        ordered.update({k: v for k, v in answer.items() if k not in ordered})
        lines.append(f"  {qid}: {flow(ordered)}")
    return "\n".join(lines) + "\n"


HEADER = (
    "dxassess 回答ファイル / answer file\n"
    "続きから回答するには / to resume:  dxassess run{options} --answers {name}\n"
    "コメント（#）は書き換え後も残ります。 / Comments (#) you add here are kept."
)


def _arg(text: str) -> str:
    """A command-line argument as the user would type it (quoted when it has spaces)."""
    return f'"{text}"' if any(c.isspace() for c in text) else text


def _questionnaire_option(ref: str | None) -> str:
    return f" --questionnaire {_arg(ref)}" if ref else ""


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096  # keep each answer on one line
    yaml.preserve_quotes = True
    return yaml


def _flow(**items: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap(**items)
    mapping.fa.set_flow_style()
    return mapping


class AnswerFile:
    """One answer file held as a round-trip document; `save()` writes it atomically."""

    def __init__(self, path: Path, doc: Any) -> None:
        self.path = Path(path)
        self.doc = doc
        self.protect: set[Path] = set()  # files a save must never overwrite (the one migrated from)

    def save_as(self, path: Path, protect: set[Path]) -> None:
        """From now on, save to `path`, never over the files in `protect`."""
        self.path, self.protect = Path(path), set(protect)

    # -- creating and loading -------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        questionnaire_id: str,
        questionnaire_version: str,
        code: str,
        name: str,
        prefecture: str,
        population: int,
        assessed: dt.date,
        questionnaire_ref: str | None = None,
    ) -> AnswerFile:
        """A new answer file with a short bilingual header, saved at once. `questionnaire_ref`
        (the `--questionnaire` given) goes into the header's resume command."""
        header = HEADER.format(name=_arg(Path(path).name), options=_questionnaire_option(questionnaire_ref))
        data = {
            "questionnaire": {"id": questionnaire_id, "version": questionnaire_version},
            "municipality": {"code": code, "name": name, "prefecture": prefecture, "population": population},
            "assessed": assessed,
            "answers": {},
        }
        write_atomic(Path(path), answer_text(data, header.splitlines()))
        return cls.load(path)

    @classmethod
    def load(cls, path: Path) -> AnswerFile:
        """An existing answer file, for update. Raises InputError when it cannot be read."""
        from ruamel.yaml.comments import CommentedMap
        from ruamel.yaml.error import YAMLError

        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
            doc = _yaml().load(text)
        except OSError as exc:
            raise InputError(msg("read.cannot_read", reason=os_reason(exc)), path=str(path)) from None
        except (YAMLError, UnicodeDecodeError) as exc:
            raise InputError(msg("answerfile.unreadable", reason=str(exc)), path=str(path)) from None
        if not isinstance(doc, CommentedMap):
            raise InputError(msg("answerfile.not_mapping"), path=str(path))
        answers = doc.get("answers")
        if answers is None:
            doc["answers"] = CommentedMap()
        elif not isinstance(answers, CommentedMap):
            raise InputError(msg("answerfile.answers_not_mapping"), path=str(path))
        elif not answers:
            answers.fa.set_block_style()  # `answers: {}` grows into one line per answer
        return cls(path, doc)

    # -- reading --------------------------------------------------------------------------

    @property
    def answers(self) -> Any:
        return self.doc["answers"]

    def answer(self, question_id: str) -> dict[str, Any] | None:
        """The answer as a plain dict (`value`, `na`, `skipped`, `note`, `review`), or None."""
        found = self.answers.get(question_id)
        return dict(found) if isinstance(found, dict) else None

    def values(self) -> dict[str, Any]:
        """Question id → value, for skip conditions (N/A and skipped give none)."""
        return {
            qid: _plain(a["value"])
            for qid, a in self.answers.items()
            if isinstance(a, dict) and a.get("value") is not None
        }

    def is_answered(self, question_id: str) -> bool:
        found = self.answers.get(question_id)
        if not isinstance(found, dict):
            return False
        return found.get("value") is not None or found.get("na") is True or found.get("skipped") is True

    def municipality(self) -> dict[str, Any]:
        return dict(self.doc.get("municipality") or {})

    def ask_again(self) -> list[str]:
        """Questions a migration marked to be asked again (their carried answer is the default)."""
        migrated = self.doc.get("migrated")
        found = migrated.get("ask_again") if isinstance(migrated, dict) else None
        return [str(q) for q in found] if isinstance(found, list) else []

    def needs_answer(self, question_id: str) -> bool:
        return not self.is_answered(question_id) or question_id in self.ask_again()

    def asked(self, question_id: str) -> None:
        """The officer answered a question the migration asked again: take it off the list."""
        migrated = self.doc.get("migrated")
        if not isinstance(migrated, dict) or question_id not in self.ask_again():
            return
        migrated["ask_again"].remove(question_id)
        if not migrated["ask_again"]:
            del migrated["ask_again"]
        self.save()

    # -- moving to a newer version of the questionnaire ------------------------------------

    def migrate(self, plan: Any) -> None:
        """Carry the answers to `plan.version` (a dxassess.migrate.Plan), in place: answers keep
        their place, comments and notes under their new ids; answers of removed questions move to
        `migrated.dropped`; questions to ask again are listed in `migrated.ask_again`. Saved at once."""
        from ruamel.yaml.comments import CommentedMap

        self.doc["questionnaire"]["version"] = _quoted(plan.version)
        answers = self.answers
        targets: dict[str, list[str]] = {}
        for new_id, old_id in plan.renamed.items():
            targets.setdefault(old_id, []).append(new_id)
        for old_id in list(answers.keys()):
            keys = list(answers.keys())
            position = keys.index(old_id)
            comment = answers.ca.items.pop(old_id, None)
            entry = answers.pop(old_id)
            for offset, new_id in enumerate(targets.get(old_id, [])):
                fresh = entry if offset == 0 else _flow()
                _fill(fresh, plan.answers[new_id])
                answers.insert(position + offset, new_id, fresh)
                if comment is not None and offset == 0:
                    answers.ca.items[new_id] = comment
        migrated = CommentedMap()
        migrated["previous"] = _quoted(plan.previous)
        if plan.ask_again:
            migrated["ask_again"] = list(plan.ask_again)
        if plan.dropped:
            dropped = CommentedMap()
            for old_id, answer in plan.dropped.items():
                dropped[old_id] = _fill(_flow(), answer)
            migrated["dropped"] = dropped
        position = list(self.doc.keys()).index("questionnaire") + 1
        if "migrated" in self.doc:
            del self.doc["migrated"]
        self.doc.insert(position, "migrated", migrated)
        self.save()

    # -- editing (each call saves) --------------------------------------------------------

    def set_value(self, question_id: str, value: Any, order: list[str] | None = None) -> None:
        self._set_state(question_id, "value", value, order)

    def set_na(self, question_id: str, order: list[str] | None = None) -> None:
        self._set_state(question_id, "na", True, order)

    def set_skipped(self, question_id: str, order: list[str] | None = None) -> None:
        self._set_state(question_id, "skipped", True, order)

    def clear(self, question_id: str) -> None:
        """Remove the answer altogether."""
        if question_id in self.answers:
            del self.answers[question_id]
            self.save()

    def set_note(self, question_id: str, note: str | None) -> None:
        """Set the note of an existing answer; None or "" removes it."""
        entry = self._existing(question_id)
        if note:
            entry["note"] = note
        elif "note" in entry:
            del entry["note"]
        self.save()

    def set_review(self, question_id: str, review: bool) -> None:
        """Mark an existing answer for review, or remove the mark."""
        entry = self._existing(question_id)
        if review:
            entry["review"] = True
        elif "review" in entry:
            del entry["review"]
        self.save()

    def set_municipality(self, **fields: Any) -> None:
        for key, value in fields.items():
            self.doc["municipality"][key] = value
        self.save()

    # -- writing --------------------------------------------------------------------------

    def text(self) -> str:
        stream = io.StringIO()
        _yaml().dump(self.doc, stream)
        return stream.getvalue()

    def save(self) -> None:
        write_atomic(self.path, self.text(), protect=self.protect)

    # -- internals ------------------------------------------------------------------------

    def _existing(self, question_id: str) -> Any:
        entry = self.answers.get(question_id)
        if not isinstance(entry, dict):
            raise KeyError(question_id)
        return entry

    def _set_state(self, question_id: str, key: str, value: Any, order: list[str] | None) -> None:
        entry: Any = self.answers.get(question_id)
        if isinstance(entry, dict):
            for other in STATE_KEYS:
                if other != key and other in entry:
                    del entry[other]
            if key in entry:
                entry[key] = value
            else:  # the state goes first, before a note or review flag
                cast(Any, entry).insert(0, key, value)  # a ruamel CommentedMap keeps key order
        else:
            self._insert(question_id, _flow(**{key: value}), order)
        self.save()

    def _insert(self, question_id: str, entry: Any, order: list[str] | None) -> None:
        """Add a new answer where the questionnaire puts its question (else at the end)."""
        answers = self.answers
        if order and question_id in order:
            rank = {qid: i for i, qid in enumerate(order)}
            mine = rank[question_id]
            keys = list(answers.keys())
            for pos, existing in enumerate(keys):
                if rank.get(existing, -1) > mine:
                    answers.insert(pos, question_id, entry)
                    return
        answers[question_id] = entry


def _quoted(text: str) -> Any:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(text)


def _fill(entry: Any, answer: dict[str, Any]) -> Any:
    """Make a round-trip mapping hold exactly `answer`, keeping the keys it shares in place."""
    for key in [k for k in entry if k not in answer]:
        del entry[key]
    for key in ANSWER_KEYS:
        if key in answer and entry.get(key) != answer[key]:
            entry[key] = answer[key]
    for key, value in answer.items():
        if key not in entry:
            entry[key] = value
    return entry


def _plain(value: Any) -> Any:
    """ruamel's scalar subclasses → plain Python values (for comparisons and pydantic)."""
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value
