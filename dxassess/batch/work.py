"""The two units of batch work, run in worker processes: score one input; finish one report.

Scoring renders the municipality's HTML report into a work folder, leaving room (spaces) for
its position in its size tier, and returns a small summary row that says where that room is, so
the main process holds only the summary while the peer benchmarks are computed. Finishing writes
the peer section into the room and renames the file to reports/CODE.html: a reader of the
reports folder sees a complete report or none, and no report is read or copied twice.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dxassess.errors import DxassessError, InvalidFile
from dxassess.load import Document, LoadFailure, parse, parse_fast
from dxassess.messages import msg, os_reason


@dataclass(frozen=True)
class Job:
    index: int
    source: str  # what the user gave: a path, or "sheet.xlsx:5"
    path: str | None = None  # an answer file to read
    data: dict[str, Any] | None = None  # or a sheet row already in the answer-file shape


@dataclass(frozen=True)
class Settings:
    lang: str
    search: str | None  # --questionnaire
    work: str  # folder for the reports waiting for their peer section
    reports: str  # folder for reports/CODE.html


def _assessment(job: Job, search: Path | None) -> Any:
    from dxassess.validate import assessment_from_document

    if job.data is not None:
        return assessment_from_document(Document(job.source, job.data), search)
    raw = Path(job.path).read_bytes() if job.path else b""
    doc = parse_fast(job.source, raw)
    try:
        return assessment_from_document(doc, search)
    except InvalidFile:
        if doc.positions:
            raise
        # Loaded without positions: read again keeping them, so the error names the line.
        return assessment_from_document(parse(job.source, raw.decode("utf-8-sig")), search)


def score_job(job: Job, settings: Settings) -> tuple[int, dict[str, Any] | None, str | None]:
    """(index, summary row, None) for a scored input, or (index, None, one-line reason)."""
    from dxassess.render.context import build
    from dxassess.render.html import PEER_SLOT, peer_capacity, render_html
    from dxassess.scoring import score

    try:
        assessment = _assessment(job, Path(settings.search) if settings.search else None)
        result = score(assessment.questionnaire, assessment.sheet)
        data = build(assessment, settings.lang, result=result)
    except LoadFailure as exc:
        return job.index, None, exc.problem.format_text(settings.lang)
    except DxassessError as exc:
        return job.index, None, exc.one_line(settings.lang)
    except OSError as exc:
        reason = msg("read.cannot_read", reason=os_reason(exc)).get(settings.lang)
        return job.index, None, f"{job.source}: error: DX009 {reason}"
    except RecursionError:
        return job.index, None, f"{job.source}: error: DX004 {msg('batch.too_deep').get(settings.lang)}"
    payload = render_html(data, peer_slot=True).encode("utf-8")
    offset = payload.index(PEER_SLOT.encode("ascii"))
    capacity = peer_capacity(data)
    waiting = os.path.join(settings.work, f"{job.index}.html")
    try:
        with open(waiting, "wb") as fh:
            fh.write(payload[:offset])
            fh.write(b" " * capacity)
            fh.write(payload[offset + len(PEER_SLOT) :])
    except OSError as exc:  # disk full, permission denied: this input is not scored
        from dxassess.files import reason_of

        reason = msg("batch.cannot_write_report", reason=reason_of(exc)).get(settings.lang)
        return job.index, None, f"{waiting}: error: DX901 {reason}"
    m = data["municipality"]
    row = {
        "index": job.index,
        "source": job.source,
        "slot": (offset, capacity),
        "code": m["code"],
        "name": m["name"],
        "prefecture": m["prefecture"],
        "population": m["population"],
        "tier": data["tier"],
        "tier_label": data["tier_label"],
        "assessed": data["assessed"],
        "questionnaire": f"{data['questionnaire']['id']} {data['questionnaire']['version']}",
        "overall": data["overall"],
        "completeness": data["completeness"],
        "domains": {key: d["score"] for key, d in data["domains"].items()},
        "targets": {key: d["target"] for key, d in data["domains"].items()},
        "titles": {key: d["title"] for key, d in data["domains"].items()},
        # (question id, gap, priority, manual section ids): tuples travel and keep cheaply
        "gaps": [(g["question_id"], g["gap"], g["priority"], tuple(g["manual"])) for g in data["gaps"]],
    }
    return job.index, row, None


def finish_job(
    index: int,
    code: str,
    slot: tuple[int, int],
    peer_data: dict[str, Any],
    peer: dict[str, Any],
    settings: Settings,
) -> tuple[int, str | None]:
    """Write the peer section into the room `slot` (offset, bytes) of a waiting report and move
    it to reports/CODE.html; (index, None) or (index, one-line reason). `peer_data`: the
    municipality's {"tier_label", "overall", "scores": {domain: score}, "titles": {domain: title}}."""
    from dxassess.files import inside, safe_name, write_atomic
    from dxassess.render.html import peer_section

    scores, titles = peer_data["scores"], peer_data["titles"]
    data = {
        "lang": settings.lang,
        "tier_label": peer_data["tier_label"],
        "overall": peer_data["overall"],
        "domains": {key: {"title": titles[key], "score": score} for key, score in scores.items()},
    }
    waiting = os.path.join(settings.work, f"{index}.html")
    offset, capacity = slot
    section = peer_section(data, peer).encode("utf-8")
    try:
        target = inside(Path(settings.reports), safe_name(code, ".html"))
        if len(section) <= capacity:
            with open(waiting, "r+b") as fh:
                fh.seek(offset)
                fh.write(section.ljust(capacity))
            try:
                _keep_mode(waiting, target)
                os.replace(waiting, target)
                return index, None
            except OSError:  # another file system, say: copy it instead
                pass
        with open(waiting, "rb") as fh:
            html = fh.read()
        write_atomic(target, html[:offset] + section + html[offset + capacity :])
    except DxassessError as exc:
        return index, exc.one_line(settings.lang)
    except OSError as exc:
        reason = msg("batch.cannot_finish_report", reason=os_reason(exc)).get(settings.lang)
        return index, f"{waiting}: error: DX901 {reason}"
    finally:
        try:
            os.unlink(waiting)
        except OSError:
            pass
    return index, None


def _keep_mode(new: str, old: Path) -> None:
    """A refreshed report keeps the permissions the user gave the one it replaces."""
    try:
        mode = os.stat(old).st_mode & 0o7777
    except OSError:
        return
    os.chmod(new, mode)
