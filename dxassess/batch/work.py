"""The two units of batch work, run in worker processes: score one input; render one report.

Scoring writes the report data to a work folder (pickled) and returns a small summary row, so
the main process holds only the summary while the peer benchmarks are computed; rendering then
reads the data back and writes the municipality's HTML report with its position in its tier.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dxassess.errors import DxassessError, InvalidFile
from dxassess.load import Document, LoadFailure, parse, parse_fast


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
    work: str  # folder for the pickled report data
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
    from dxassess.scoring import score

    try:
        assessment = _assessment(job, Path(settings.search) if settings.search else None)
        result = score(assessment.questionnaire, assessment.sheet)
        data = build(assessment, settings.lang, result=result)
    except LoadFailure as exc:
        return job.index, None, exc.problem.format_text()
    except DxassessError as exc:
        return job.index, None, exc.one_line()
    except OSError as exc:
        return job.index, None, f"{job.source}: error: DX009 cannot read the file: {exc.strerror or exc}"
    except RecursionError:
        return job.index, None, f"{job.source}: error: DX004 nesting is too deep"
    with open(os.path.join(settings.work, f"{job.index}.pickle"), "wb") as fh:
        pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
    m = data["municipality"]
    row = {
        "index": job.index,
        "source": job.source,
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
        "missed": [g["question_id"] for g in data["gaps"]],
        "gaps": [
            {"question_id": g["question_id"], "gap": g["gap"], "priority": g["priority"], "manual": g["manual"]}
            for g in data["gaps"]
        ],
    }
    return job.index, row, None


def render_job(index: int, code: str, peer: dict[str, Any], settings: Settings) -> tuple[int, str | None]:
    """Write reports/CODE.html from the pickled data; (index, None) or (index, reason)."""
    from dxassess.files import inside, safe_name, write_atomic
    from dxassess.render.html import render_html

    pickled = os.path.join(settings.work, f"{index}.pickle")
    try:
        with open(pickled, "rb") as fh:
            data = pickle.load(fh)
        html = render_html(data, peer)
        write_atomic(inside(Path(settings.reports), safe_name(code, ".html")), html)
    except DxassessError as exc:
        return index, exc.one_line()
    finally:
        try:
            os.unlink(pickled)
        except OSError:
            pass
    return index, None
