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

    def municipality(self) -> dict[str, Any]:
        return dict(self.doc.get("municipality") or {})

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
        write_atomic(self.path, self.text())

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
