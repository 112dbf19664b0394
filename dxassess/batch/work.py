"""The two units of batch work, run in worker processes: score one input; finish one report.

Scoring assesses the input, renders the municipality's HTML report into a work folder leaving
room (spaces) for its position in its size tier, and returns a small summary row taken from the
Result (never from report text) that says where that room is, so the main process holds only the
summary while the peer benchmarks are computed. Finishing writes the peer section into the room
and renames the file to reports/CODE.html: a reader of the reports folder sees a complete report
or none, and no report is read or copied twice.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dxassess.errors import DxassessError, InvalidFile
from dxassess.load import Document, LoadFailure, parse
from dxassess.problems import Problem
from dxassess.text import Msg, msg
from dxassess.text.problems import os_reason


@dataclass(frozen=True)
class Job:
    index: int
    source: str  # what the user gave: a path, or "sheet.xlsx:5"
    path: str | None = None  # an answer file to read
    data: dict[str, Any] | None = None  # or a sheet row already in the answer-file shape
    warnings: tuple[Problem, ...] = ()  # a sheet row's warnings, at its row and column


@dataclass(frozen=True)
class Settings:
    lang: str
    search: str | None  # --questionnaire, as a file or folder to search
    work: str  # folder for the reports waiting for their peer section
    reports: str  # folder for reports/CODE.html
    budget_cutoff: int  # the month by whose end next year's budget requests are in


def rejection(source: str, exc: BaseException, lang: str) -> Problem:
    """Why an input is not scored, as a Problem (the reporters print it)."""
    if isinstance(exc, LoadFailure):
        return exc.problem
    if isinstance(exc, InvalidFile):
        first = next((p for p in exc.problems if p.severity == "error"), exc.problems[0])
        more = sum(p.severity == "error" for p in exc.problems) - 1
        if more <= 0:
            return first
        suffix = msg("error.more", more=more, path=first.path)
        message = Msg(first.message + suffix.en, (first.message_ja or first.message) + suffix.ja)
        return Problem(first.path, first.line, first.col, "error", first.code, message)
    if isinstance(exc, DxassessError):
        message = Msg(exc.message, exc.message_ja or exc.message)
        return Problem(exc.path or source, exc.line or 1, exc.col or 1, "error", exc.code, message)
    if isinstance(exc, RecursionError):
        return Problem(source, 1, 1, "error", "DX004", msg("batch.too_deep"))
    if isinstance(exc, OSError):
        return Problem(source, 1, 1, "error", "DX009", msg("read.cannot_read", reason=os_reason(exc)))
    raise exc


def _assessment(job: Job, search: Path | None) -> Any:
    from dxassess.batch.fastload import parse_fast
    from dxassess.inputs import assessment_from_document
    from dxassess.load import read_bytes

    if job.data is not None:
        return assessment_from_document(Document(job.source, job.data), search)
    raw = read_bytes(job.path) if job.path else b""  # type, size and read bounded
    doc = parse_fast(job.source, raw)
    try:
        assessment = assessment_from_document(doc, search)
    except InvalidFile:
        if doc.positions:
            raise
        # Loaded without positions: read again keeping them, so the error names the line.
        return assessment_from_document(parse(job.source, raw.decode("utf-8-sig")), search)
    if assessment.warnings and not doc.positions:  # the same for a warning (a rare file)
        return assessment_from_document(parse(job.source, raw.decode("utf-8-sig")), search)
    return assessment


def summary_row(result: Any, job: Job) -> dict[str, Any]:
    """What the main process keeps of one municipality: figures from the Result, rounded as
    every report rounds them."""
    from dxassess.provenance import expired_count
    from dxassess.scoring import rounded

    m = result.municipality
    q = result.questionnaire
    return {
        "index": job.index,
        "source": job.source,
        "code": m.code,
        "name": m.name,
        "prefecture": m.prefecture or _prefecture(m.code),
        "population": m.population,
        "tier": result.tier.value,
        "band": result.band.value,
        "assessed": result.assessed.isoformat(),
        "questionnaire": f"{q.id} {q.version}",
        "overall": rounded(result.overall),
        "completeness": rounded(result.completeness, 3),
        "domains": {d.domain_id: rounded(d.score) for d in result.score.domains},
        "targets": {d.domain_id: rounded(d.target) for d in result.score.domains},
        # (question id, gap, priority, manual section ids): tuples travel and keep cheaply
        "gaps": [(g.question_id, rounded(g.gap), rounded(g.priority), g.manual) for g in result.gaps],
        "expired_evidence": expired_count(result.sheet),  # answers whose evidence has expired
    }


def _prefecture(code: str) -> str:
    from dxassess.lgcode import prefecture_of

    return prefecture_of(code)


def score_job(job: Job, settings: Settings) -> tuple[int, dict[str, Any] | None, Problem | None]:
    """(index, summary row, None) for a scored input, or (index, None, the problem)."""
    from dxassess.assess import assess
    from dxassess.batch.reports import PEER_SLOT, PEER_SUMMARY_SLOT, render_waiting
    from dxassess.render.context import build

    try:
        assessment = _assessment(job, Path(settings.search) if settings.search else None)
        result = assess(
            assessment.sheet, assessment.questionnaire, assessment.catalogue, budget_cutoff=settings.budget_cutoff
        )
        data = build(result, settings.lang, texts=_texts(assessment, settings.lang))
    except (LoadFailure, DxassessError, OSError, RecursionError) as exc:
        return job.index, None, rejection(job.source, exc, settings.lang)
    payload, slots = render_waiting(data)
    waiting = os.path.join(settings.work, f"{job.index}.html")
    rooms = []  # (offset in the file, bytes of room) of each slot
    try:
        with open(waiting, "wb") as fh:
            done = 0
            for (offset, room), marker in zip(slots, (PEER_SUMMARY_SLOT, PEER_SLOT)):
                fh.write(payload[done:offset])
                rooms.append((fh.tell(), room))
                fh.write(b" " * room)
                done = offset + len(marker)
            fh.write(payload[done:])
    except OSError as exc:  # disk full, permission denied: this input is not scored
        from dxassess.files import reason_of

        reason = msg("batch.cannot_write_report", reason=reason_of(exc))
        return job.index, None, Problem(waiting, 1, 1, "error", "DX901", reason)
    row = summary_row(result, job)
    warnings = _warnings(job, assessment.warnings)
    if warnings:
        row["warnings"] = warnings
    row["slot"] = tuple(rooms)
    row["tier_label"] = data["tier_label"]
    row["titles"] = {key: d["title"] for key, d in data["domains"].items()}
    return job.index, row, None


def _warnings(job: Job, found: tuple[Problem, ...]) -> list[Problem]:
    """The warnings of a scored input: a sheet row's own (they name its row and column) and those
    of the checker that the sheet did not already give."""
    codes = {p.code for p in job.warnings}
    return [*job.warnings, *(p for p in found if p.code not in codes)]


_TEXTS: dict[tuple[str, str, str], tuple[Any, Any]] = {}


def _texts(assessment: Any, lang: str) -> Any:
    """The questionnaire's texts in one language, made once per worker and questionnaire (the
    entry keeps the questionnaire it was made from and is used only for that very object)."""
    from dxassess.render.context import texts_of

    q = assessment.questionnaire
    key = (q.id, q.version, lang)
    entry = _TEXTS.get(key)
    if entry is None or entry[0] is not q:
        entry = _TEXTS[key] = (q, texts_of(q, assessment.catalogue, lang))
    return entry[1]


def finish_job(
    index: int,
    code: str,
    slot: tuple[tuple[int, int], ...],
    peer_data: dict[str, Any],
    peer: dict[str, Any],
    settings: Settings,
) -> tuple[int, Problem | None]:
    """Write the peer sections into their rooms `slot` ((offset, bytes) of the first-page
    paragraph and of the table) of a waiting report and move it to reports/CODE.html; (index,
    None) or (index, the problem). `peer_data`: the municipality's {"tier_label", "overall",
    "scores": {domain: score}, "titles": {domain: title}}."""
    from dxassess.files import inside, output_target, safe_name, write_atomic
    from dxassess.render.html import peer_section, peer_summary

    scores, titles = peer_data["scores"], peer_data["titles"]
    data = {
        "lang": settings.lang,
        "tier_label": peer_data["tier_label"],
        "overall": peer_data["overall"],
        "domains": {key: {"title": titles[key], "score": score} for key, score in scores.items()},
    }
    waiting = os.path.join(settings.work, f"{index}.html")
    sections = [peer_summary(data, peer).encode("utf-8"), peer_section(data, peer).encode("utf-8")]
    try:
        # A link is written through to its target; a device, FIFO or socket is refused.
        target = output_target(inside(Path(settings.reports), safe_name(code, ".html")))
        fits = all(len(section) <= room for section, (_, room) in zip(sections, slot))
        if fits and _single_link(target):
            with open(waiting, "r+b") as fh:
                for section, (offset, room) in zip(sections, slot):
                    fh.seek(offset)
                    fh.write(section.ljust(room))
            try:
                _keep_mode(waiting, target)
                os.replace(waiting, target)
                return index, None
            except OSError:  # another file system, say: copy it instead
                pass
        with open(waiting, "rb") as fh:
            html = fh.read()
        pieces, done = [], 0
        for section, (offset, room) in zip(sections, slot):
            pieces += [html[done:offset], section]
            done = offset + room
        write_atomic(target, b"".join(pieces) + html[done:])
    except DxassessError as exc:
        return index, rejection(waiting, exc, settings.lang)
    except OSError as exc:
        reason = msg("batch.cannot_finish_report", reason=os_reason(exc))
        return index, Problem(waiting, 1, 1, "error", "DX901", reason)
    finally:
        try:
            os.unlink(waiting)
        except OSError:
            pass
    return index, None


def _single_link(path: Path) -> bool:
    """Whether replacing `path` by a rename keeps every name of it (no other hard link)."""
    try:
        return os.stat(path).st_nlink <= 1
    except OSError:
        return True


def _keep_mode(new: str, old: Path) -> None:
    """A refreshed report keeps the permissions the user gave the one it replaces."""
    try:
        mode = os.stat(old).st_mode & 0o7777
    except OSError:
        return
    os.chmod(new, mode)
