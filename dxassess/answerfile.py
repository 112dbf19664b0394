"""Answer files written and edited: the one module that writes them.

`answer_text` writes a new answer file (import, sample, a new interview, migrate, merge) in the
documented layout: one flow mapping per answer, strings double-quoted, dates quoted (so YAML 1.1
tools read them as text too), numbers as Python writes them exactly. `AnswerFile` edits an
existing one in ruamel's round-trip mode, so the comments and key order people wrote survive
every edit; every change is saved at once through `files.write_atomic`. No terminal I/O here.

Files that `import` and `sample` write carry a first line `# dxassess-generated sha256:…` with
a hash of the rest: they replace such a file only while it is unchanged, and never a file that
dxassess did not write, unless told to (`--force`).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any, cast

from dxassess.errors import InputError, OutputError
from dxassess.files import TooLarge, read_input, write_atomic
from dxassess.text import Msg, msg
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
EVIDENCE_KEYS = ("document", "link", "owner", "expires")


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
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
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
        lines.append(f"  {qid}: {flow(ordered_answer(answer))}")
    conflicts = data.get("conflicts") or {}
    if conflicts:
        lines += [f"# {line}" for line in conflicts_comment()]
        lines.append("conflicts:")
        for qid, given in conflicts.items():
            lines.append(f"  {qid}:")
            lines += [f"    {yaml_string(name)}: {flow(ordered_answer(a))}" for name, a in given.items()]
    return "\n".join(lines) + "\n"


def ordered_answer(answer: dict[str, Any]) -> dict[str, Any]:
    """An answer's keys in the order they are written (evidence's too)."""
    ordered = {k: answer[k] for k in ANSWER_KEYS if k in answer}
    ordered.update({k: v for k, v in answer.items() if k not in ordered})
    evidence = ordered.get("evidence")
    if isinstance(evidence, dict):
        ordered["evidence"] = {k: evidence[k] for k in EVIDENCE_KEYS if evidence.get(k) is not None}
    return ordered


def conflicts_comment() -> list[str]:
    """The comment above `conflicts` in a merged file, Japanese then English."""
    note = msg("sheet.conflicts_comment")
    return [note.ja, note.en]


# --- files written by import and sample: replaced only while unchanged ----------------------

MARKER = "dxassess-generated"
_MARKER_LINE = re.compile(rf"# {MARKER} sha256:([0-9a-f]{{16}})(?: .*)?")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def stamped(text: str) -> str:
    """`text` with a first line saying dxassess wrote it, with a hash of the rest (see
    `replaceable`)."""
    note = "編集すると上書きされません / kept if edited"
    return f"# {MARKER} sha256:{_digest(text)} {note}\n{text}"


def replaceable(path: Path) -> Msg | None:
    """None when `path` may be replaced by a generated file: it does not exist, or dxassess wrote
    it and it is unchanged since. Otherwise why not (a Msg)."""
    from dxassess.load import MAX_BYTES

    try:
        raw = read_input(path, MAX_BYTES)
    except FileNotFoundError:
        return None
    except TooLarge:
        return msg("answerfile.not_generated")
    except OSError:  # unreadable, a folder, a device: the write says why
        return None
    first, _, rest = raw.decode("utf-8", errors="replace").partition("\n")
    match = _MARKER_LINE.fullmatch(first.rstrip("\r"))
    if match is None:
        return msg("answerfile.not_generated")
    if match.group(1) != _digest(rest):
        return msg("answerfile.changed")
    return None


class KeptFile(OutputError):
    """A generated file was not written because a file that dxassess did not write, or that was
    changed since, stands in its place."""


def write_generated(path: Path, text: str, protect: set[Path] | frozenset[Path], force: bool = False) -> None:
    """Write a generated answer file (`import`, `sample`), stamped. An existing file that
    dxassess did not write, or that was changed since, is kept (KeptFile) unless `force`."""
    if not force:
        reason = replaceable(Path(path))
        if reason is not None:
            raise KeptFile(msg("output.refuse_overwrite", reason=reason), path=str(path))
    write_atomic(Path(path), stamped(text), protect=protect)


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
        part: dict[str, Any] | None = None,
    ) -> AnswerFile:
        """A new answer file with a short bilingual header, saved at once. `questionnaire_ref`
        (the `--questionnaire` given) goes into the header's resume command; `part` records the
        part of a team assessment the file holds."""
        header = HEADER.format(name=_arg(Path(path).name), options=_questionnaire_option(questionnaire_ref))
        data: dict[str, Any] = {
            "questionnaire": {"id": questionnaire_id, "version": questionnaire_version},
            "municipality": {"code": code, "name": name, "prefecture": prefecture, "population": population},
            "assessed": assessed,
            "answers": {},
        }
        if part:
            data["part"] = {k: v for k, v in part.items() if v not in (None, [], "")}
        write_atomic(Path(path), answer_text(data, header.splitlines()))
        return cls.load(path)

    @classmethod
    def load(cls, path: Path) -> AnswerFile:
        """An existing answer file, for update. Raises InputError when it cannot be read."""
        from ruamel.yaml.comments import CommentedMap
        from ruamel.yaml.error import YAMLError

        from dxassess.load import MAX_BYTES

        path = Path(path)
        try:
            text = read_input(path, MAX_BYTES).decode("utf-8-sig")
            doc = _yaml().load(text)
        except TooLarge as exc:
            raise InputError(msg("load.too_large", mb=exc.size / 1e6), path=str(path), code="DX001") from None
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
        _unshare(doc, {id(doc)})
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

    def is_skipped(self, question_id: str) -> bool:
        """Skipped ("answer later"), with no value given."""
        found = self.answers.get(question_id)
        return isinstance(found, dict) and found.get("skipped") is True and found.get("value") is None

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
        aside: dict[str, Any] = {}  # comments of answers that go to `migrated.dropped`
        for old_id in list(answers.keys()):
            keys = list(answers.keys())
            position = keys.index(old_id)
            comment = answers.ca.items.pop(old_id, None)
            if comment is not None and not targets.get(old_id):
                aside[old_id] = comment
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
                if old_id in aside:  # the officer's comment goes with the answer kept aside
                    dropped.ca.items[old_id] = aside[old_id]
            migrated["dropped"] = dropped
        position = list(self.doc.keys()).index("questionnaire") + 1
        if "migrated" in self.doc:
            del self.doc["migrated"]
        self.doc.insert(position, "migrated", migrated)
        self.save()

    # -- editing (each call saves) --------------------------------------------------------

    def set_value(
        self, question_id: str, value: Any, order: list[str] | None = None, stamp: dict[str, Any] | None = None
    ) -> None:
        """Set the answer's value; `stamp` sets `answered_by` / `answered_on` with it (team parts)."""
        self._set_state(question_id, "value", value, order, stamp)

    def set_na(self, question_id: str, order: list[str] | None = None, stamp: dict[str, Any] | None = None) -> None:
        self._set_state(question_id, "na", True, order, stamp)

    def set_skipped(
        self, question_id: str, order: list[str] | None = None, stamp: dict[str, Any] | None = None
    ) -> None:
        self._set_state(question_id, "skipped", True, order, stamp)

    def confirm(self, question_id: str, stamp: dict[str, Any], expires: dt.date | None | bool = False) -> None:
        """Confirm an existing answer as still valid: `stamp` (`answered_on`, maybe `answered_by`)
        renews it; `expires` a date sets the evidence's new expiry, None removes it, False keeps it."""
        entry = self._existing(question_id)
        self._stamp(entry, stamp)
        evidence = entry.get("evidence")
        if expires is not False and isinstance(evidence, dict):
            if expires is None:
                evidence.pop("expires", None)
                if not evidence:
                    del entry["evidence"]
            elif isinstance(expires, dt.date):
                evidence["expires"] = _quoted(expires)
        self.save()

    def apply_merge(self, data: dict[str, Any], mentioned: set[str], order: list[str]) -> None:
        """Make the document hold the merged `data`, changing only what differs, so unchanged
        lines keep their bytes and comments: the `part` key goes, the municipality and date are
        updated, answers to `mentioned` questions follow the parts (answers no part mentions
        stay), and `conflicts` is replaced when it changed. Does not save: the caller writes
        `text()` to the merged file (never over a part)."""
        doc = self.doc
        if "part" in doc:
            del doc["part"]
        for key in ("questionnaire", "municipality", "sharing"):
            if data.get(key):
                _update_mapping(doc, key, data[key])
        if _deep_plain(doc.get("assessed")) != data["assessed"]:
            doc["assessed"] = data["assessed"]
        if data.get("synthetic") and not doc.get("synthetic"):
            doc["synthetic"] = True
        answers = self.answers
        for qid in [q for q in answers if q in mentioned and q not in data["answers"]]:
            del answers[qid]
        for qid, answer in data["answers"].items():
            existing = answers.get(qid)
            if isinstance(existing, dict):
                if not same_answer(existing, answer):
                    _update_entry(existing, _flow_answer(answer))
            else:
                self._insert(qid, _flow_answer(answer), order)
        wanted = data.get("conflicts") or {}
        if not wanted:
            if "conflicts" in doc:
                del doc["conflicts"]
        elif not _same_conflicts(doc.get("conflicts"), wanted):
            from ruamel.yaml.comments import CommentedMap

            block = CommentedMap()
            for qid, given in wanted.items():
                block[qid] = CommentedMap((name, _flow_answer(a)) for name, a in given.items())
            if "conflicts" not in doc:
                doc["conflicts"] = block
                doc.yaml_set_comment_before_after_key("conflicts", before="\n".join(conflicts_comment()))
            else:
                doc["conflicts"] = block

    def clear(self, question_id: str) -> None:
        """Remove the answer altogether."""
        if question_id in self.answers:
            del self.answers[question_id]
            self.save()

    def set_note(self, question_id: str, note: str | None) -> None:
        """Set the note of an existing answer; None or "" removes it."""
        entry = self._existing(question_id)
        if note:
            entry["note"] = _written(note)
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

    @property
    def sharing(self) -> dict[str, Any] | None:
        """The file's consent to be named ({named, contact}), or None when it says nothing."""
        found = self.doc.get("sharing")
        return dict(found) if found is not None else None

    def set_sharing(self, named: bool, contact: str | None = None) -> None:
        """Record the consent to be named to peers (with the department to contact), placed
        after `questionnaire` as new files have it."""
        entry = _flow(named=named, **({"contact": _written(contact)} if contact else {}))
        if "sharing" in self.doc:
            self.doc["sharing"] = entry
        else:
            keys = list(self.doc)
            at = keys.index("questionnaire") + 1 if "questionnaire" in keys else 0
            self.doc.insert(at, "sharing", entry)
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

    def _set_state(
        self, question_id: str, key: str, value: Any, order: list[str] | None, stamp: dict[str, Any] | None = None
    ) -> None:
        value = _written(value)
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
            entry = _flow(**{key: value})
            self._insert(question_id, entry, order)
        if stamp:
            self._stamp(entry, stamp)
        self.save()

    @staticmethod
    def _stamp(entry: Any, stamp: dict[str, Any]) -> None:
        """Set `answered_by` / `answered_on` on an answer, in their place among its keys."""
        for key in ("answered_by", "answered_on"):
            value = stamp.get(key)
            if value is None:
                continue
            value = _quoted(value) if isinstance(value, dt.date) else _written(value)
            if key in entry:
                entry[key] = value
            else:
                later = [k for k in ANSWER_KEYS[ANSWER_KEYS.index(key) + 1 :] if k in entry]
                position = list(entry).index(later[0]) if later else len(entry)
                entry.insert(position, key, value)

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


def _quoted(value: str | dt.date) -> Any:
    """A version or a date written as answer_text writes it: `"1.1.0"`, `"2026-10-01"` (YAML 1.1
    tools read such a date as text)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(value.isoformat() if isinstance(value, dt.date) else value)


def _written(value: Any) -> Any:
    """A value the interview writes into a round-trip document, as answer_text writes it: text
    in double quotes, so that no YAML reader takes a note `10:30` for a number of minutes or `No`
    for false, and a flow mapping stays readable by every parser."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(value) if isinstance(value, str) and not hasattr(value, "style") else value


def _flow_answer(answer: dict[str, Any]) -> Any:
    """An answer as a one-line flow mapping for a round-trip document (keys in the written order)."""
    items: dict[str, Any] = {}
    for key, value in ordered_answer(answer).items():
        if value is None:
            continue
        if isinstance(value, dict):
            value = _flow(**{k: _quoted(v) if isinstance(v, dt.date) else v for k, v in value.items()})
        elif isinstance(value, dt.date):
            value = _quoted(value)
        items[key] = value
    return _flow(**items)


def _update_entry(entry: Any, wanted: Any) -> None:
    """Make the mapping `entry` equal `wanted` in place: values that are the same keep their
    quoting, the mapping keeps its style and comment, new keys go where `wanted` has them."""
    for key in [k for k in entry if k not in wanted]:
        del entry[key]
    for position, (key, value) in enumerate(wanted.items()):
        if key in entry:
            if isinstance(value, dict) and isinstance(entry[key], dict):
                _update_entry(entry[key], value)
            elif _deep_plain(entry[key]) != _deep_plain(value) or type(_plain(entry[key])) is not type(_plain(value)):
                entry[key] = value
        else:
            entry.insert(min(position, len(entry)), key, value)


def _update_mapping(doc: Any, key: str, wanted: dict[str, Any]) -> None:
    """Set the keys of `doc[key]` that differ from `wanted`, keeping the mapping's style."""
    current = doc.get(key)
    if not isinstance(current, dict):
        doc[key] = _flow(**{k: v for k, v in wanted.items() if v is not None})
        return
    for k, v in wanted.items():
        if v is None:
            continue
        if _deep_plain(current.get(k)) != _deep_plain(v):
            current[k] = v


def _deep_plain(value: Any) -> Any:
    """ruamel's containers and scalars → plain dicts, lists and values (dates as dates)."""
    if isinstance(value, dict):
        return {str(k): _deep_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.date() if (value.hour, value.minute, value.second) == (0, 0, 0) else value
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    return _plain(value)


def _normal(answer: Any) -> Any:
    """An answer as the model reads it (so `"2026-10-01"` and a date, 3 and 3.0 compare equal)."""
    from pydantic import ValidationError

    from dxassess.model import Answer

    try:
        return Answer.model_validate(_deep_plain(answer)).model_dump(exclude_defaults=True)
    except ValidationError:
        return ("invalid", repr(_deep_plain(answer)))


def same_answer(a: Any, b: Any) -> bool:
    """Whether two answers (from a file or from data) say exactly the same."""
    return bool(_normal(a) == _normal(b))


def _same_conflicts(current: Any, wanted: dict[str, dict[str, Any]]) -> bool:
    if not isinstance(current, dict) or list(current) != list(wanted):
        return False
    for qid, given in wanted.items():
        found = current[qid]
        if not isinstance(found, dict) or list(map(str, found)) != list(given):
            return False
        if not all(same_answer(found[name], answer) for name, answer in given.items()):
            return False
    return True


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


def _unshare(node: Any, seen: set[int]) -> None:
    """Give every mapping and list its own copy where the file shares one through an anchor and
    aliases (`a: &x {value: true}` / `b: *x`), so that an edit changes only the answer it is
    for. The data stays equal; the copies leave their anchor and comments with the original."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    items = list(node.items()) if isinstance(node, CommentedMap) else list(enumerate(node))
    for key, value in items:
        if not isinstance(value, (CommentedMap, CommentedSeq)):
            continue
        if id(value) in seen:
            value = copy.deepcopy(value)
            _drop_comments(value)
            node[key] = value
        seen.add(id(value))
        _unshare(value, seen)


def _drop_comments(node: Any) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, (CommentedMap, CommentedSeq)):
        node.ca.comment = None
        node.ca.items.clear()
        node.ca.end = []
        for value in node.values() if isinstance(node, CommentedMap) else node:
            _drop_comments(value)


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
