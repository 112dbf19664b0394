"""The units of batch work, run in worker processes: score one input; finish one report; refresh
the peer sections of a report kept from an earlier run.

Scoring assesses the input, renders the municipality's HTML report into a work folder leaving
room (spaces) for its position in its size group, and returns a small summary row taken from the
Result (never from report text) that says where that room is, so the main process holds only the
summary while the peer benchmarks are computed. Finishing writes the peer sections into the room
and renames the file to reports/CODE.html: a reader of the reports folder sees a complete report
or none, and no report is read or copied twice. A report kept from an earlier run whose group
changed gets its new peer sections written into the same rooms.
"""

from __future__ import annotations

import errno
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dxassess.memo import PerObject
from dxassess.text import Msg, msg

Problem = Any  # dxassess.problems.Problem (imported where it is made: a re-run that scores
# nothing never loads the scoring modules)


@dataclass(frozen=True)
class Job:
    index: int
    source: str  # what the user gave: a path, or "sheet.xlsx:5"
    raw: bytes | None = None  # an answer file's bytes (read once, by the main process)
    data: dict[str, Any] | None = None  # or a sheet row already in the answer-file shape
    key: str = ""  # its cache key
    warnings: tuple[Problem, ...] = ()  # a sheet row's warnings, at its row and column
    sheet: str = ""  # a sheet row's file, and where each of its values came from (row, column):
    positions: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)  # the checker names the cell


@dataclass(frozen=True)
class Settings:
    lang: str
    search: str | None  # --questionnaire, as a file or folder to search
    work: str  # folder for the reports waiting for their peer section
    reports: str  # folder for reports/CODE.html
    budget_cutoff: int  # the month by whose end next year's budget requests are in
    run_key: str = ""  # what every cached result of the run depends on (batch.cache.run_key)


# What every worker shares: set in the main process before the workers start (and by the pool's
# initializer where workers do not inherit it).
PREVIOUS: dict[str, Any] = {}  # code → previous.Before, with --previous
_RESOLVER: list[Any] = []


_STORED: list[dict[str, Any] | None] = [None]
_CODE: list[str | None] = [None]


def resolver() -> Any:
    """The batch's questionnaire resolver (one per process, made when first needed)."""
    if not _RESOLVER:
        from dxassess.batch.resolving import BatchResolver

        _RESOLVER.append(BatchResolver(_STORED[0], _CODE[0]))
    return _RESOLVER[0]


def setup(stored: dict[str, Any] | None, previous: dict[str, Any], code: str | None = None) -> None:
    """Set what the workers share (the main process, before the workers start): the
    questionnaires the cache kept, the earlier batch's municipalities, and the program's
    `cache.code_key()` for the user's store of checked questionnaires (None: not used)."""
    _RESOLVER.clear()
    _STORED[0] = stored
    _CODE[0] = code
    PREVIOUS.clear()
    PREVIOUS.update(previous)


def keep_freed_memory() -> None:
    """Ask glibc's allocator to keep what a worker frees for its next report instead of handing
    it back to the system at once: a report's text (about 180 KB) is over the size glibc maps
    apart and unmaps when freed, so each report cost hundreds of page faults (about 470,000 in a
    run of 1,741 reports, half the run's system time). Linux with glibc only; elsewhere, or when
    the call is missing, nothing changes. Workers end with the run; a run that scores in its own
    process (one job) asks it of that process, which then keeps up to 64 MB it freed for reuse."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc: musl has it too, as a no-op
        return
    trim_threshold, mmap_threshold = -1, -3  # M_TRIM_THRESHOLD, M_MMAP_THRESHOLD (malloc.h)
    mallopt(mmap_threshold, 4 * 1024 * 1024)
    mallopt(trim_threshold, 64 * 1024 * 1024)


def init_worker(previous: dict[str, Any]) -> None:
    """The pool's initializer: where a worker did not inherit the previous batch, it gets it;
    its allocator keeps freed memory (`keep_freed_memory`); and its garbage collector is on
    (the main process pauses its own while it forks workers, `run._collector_paused`)."""
    import gc

    gc.enable()
    keep_freed_memory()
    if PREVIOUS is not previous and not PREVIOUS:
        PREVIOUS.update(previous)


def rejection(source: str, exc: BaseException, lang: str) -> Problem:
    """Why an input is not scored, as a Problem (the reporters print it)."""
    from dxassess.errors import DxassessError, InvalidFile
    from dxassess.load import LoadFailure
    from dxassess.problems import Problem
    from dxassess.text.problems import more_problems, os_reason

    if isinstance(exc, LoadFailure):
        return exc.problem
    if isinstance(exc, InvalidFile):
        first = next((p for p in exc.problems if p.severity == "error"), exc.problems[0])
        more = sum(p.severity == "error" for p in exc.problems) - 1
        if more <= 0:
            return first
        suffix = more_problems(more, first.path)
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
    from dxassess.errors import InvalidFile
    from dxassess.inputs import assessment_from_document
    from dxassess.load import Document, parse

    if job.data is not None:  # a sheet row: problems name the sheet, the row and the cell's column
        return assessment_from_document(Document(job.sheet or job.source, job.data, job.positions), search, resolver())
    assert job.raw is not None
    raw = job.raw
    doc = parse_fast(job.source, raw)
    try:
        assessment = assessment_from_document(doc, search, resolver())
    except InvalidFile:
        if doc.positions:
            raise
        # Loaded without positions: read again keeping them, so the error names the line.
        return assessment_from_document(parse(job.source, raw.decode("utf-8-sig")), search, resolver())
    if assessment.warnings and not doc.positions:  # the same for a warning (a rare file)
        return assessment_from_document(parse(job.source, raw.decode("utf-8-sig")), search, resolver())
    return assessment


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def summary_row(result: Any, job: Job) -> dict[str, Any]:
    """What the main process keeps of one municipality: figures from the Result, rounded as
    every report rounds them, the unrounded scores a later `--previous` compares with, and the
    municipality's object of summary.json (without its position in the group, which comes later)
    as JSON text. JSON values only: a row kept in the cache reads back the same."""
    from dxassess.batch.prefectures import pref_of
    from dxassess.provenance import expired_count
    from dxassess.scoring import rounded

    m = result.municipality
    q = result.questionnaire
    score = result.score
    domains: dict[str, Any] = {d.domain_id: rounded(d.score) for d in score.domains}
    targets: dict[str, Any] = {d.domain_id: rounded(d.target) for d in score.domains}
    prefecture = m.prefecture or _prefecture(m.code)
    # summary.json's object of the municipality: these keys, its gaps, then `after`
    doc = {
        "municipality": {"code": m.code, "name": m.name, "prefecture": prefecture, "population": m.population},
        "questionnaire": {"id": q.id, "version": q.version},
        "assessed": result.assessed.isoformat(),
        "overall": rounded(result.overall),
        "completeness": rounded(result.completeness, 3),
        "tier": result.tier.value,
        "band": result.band.value,
        "domains": {
            d: {
                "score": domains[d],
                "target": targets[d],
                "gap": None if domains[d] is None else round(max(0.0, targets[d] - domains[d]), 2),
            }
            for d in domains
        },
    }
    after = {
        "expired_evidence": expired_count(result.sheet),
        # unrounded, for a later `batch --previous`
        "scores": {
            "overall": score.overall,
            "domains": {d.domain_id: d.score for d in score.domains},
            "questions": {x.question_id: x.level for x in score.questions},
        },
        "source": job.source,
    }
    return {
        "source": job.source,
        "code": m.code,
        "name": m.name,
        "prefecture": prefecture,
        "pref": pref_of(m.code),
        "population": m.population,
        "tier": result.tier.value,
        "band": result.band.value,
        "assessed": result.assessed.isoformat(),
        "questionnaire": f"{q.id} {q.version}",
        "overall": doc["overall"],
        "completeness": doc["completeness"],
        "domains": domains,
        "targets": targets,
        "exact": {"overall": score.overall, "domains": {d.domain_id: d.score for d in score.domains}},
        "gaps": [g.question_id for g in result.gaps],
        "expired_evidence": after["expired_evidence"],  # answers whose evidence has expired
        "json": _doc_json(doc, result.gaps, after).encode("utf-8"),
        "share": share_of(result),
    }


def _made_gap_json(g: Any) -> str:
    """One gap in summary.json: the contract's keys of a gap in `score --json`, with the same
    values."""
    from dxassess.scoring import rounded

    return _dumps(
        {
            "question_id": g.question_id,
            "gap": rounded(g.gap),
            "priority": rounded(g.priority),
            "manual": list(g.manual),
            "needs_budget": g.needs_budget,
            "duration": g.months,
            "owner": g.owner.value if g.owner else None,
        }
    )


GAP_JSON_KEPT = 10_000  # far above the distinct gaps of a batch (questions × levels × bands)
# A gap is made once per question and level and shared by the municipalities with that answer
# (dxassess.gaps), so its text is made once too (kept with the gap, for that object).
_gap_json: PerObject[Any, str] = PerObject(_made_gap_json, GAP_JSON_KEPT)


def _doc_json(before: dict[str, Any], gaps: list[Any], after: dict[str, Any]) -> str:
    """The compact JSON text of `before`'s keys, "gaps", then `after`'s keys, without its closing
    brace (the group's figures follow)."""
    return _dumps(before)[:-1] + ',"gaps":[' + ",".join(map(_gap_json, gaps)) + "]," + _dumps(after)[1:-1]


def share_of(result: Any) -> dict[str, Any]:
    """What "who to ask" needs of one municipality: its peers.json entry if it consented to be
    named (else None: nothing of it is ever shown to another), the questions of its gap cards
    with their targets, and the question ids of the first page's actions."""
    from dxassess.render.html import CARD_COUNT
    from dxassess.sharing import named_of

    named = named_of(result)
    cards = list(result.gaps[:CARD_COUNT])
    carded = {g.question_id for g in cards}  # one gap per question: its id tells it apart
    by_id = {g.question_id: g for g in result.gaps}
    asking = cards + [by_id[q] for q in result.first if q in by_id and q not in carded]
    return {
        "named": named.as_dict() if named is not None else None,
        "asking": [[g.question_id, g.target] for g in asking],
        "first": [qid for qid in result.first if qid in by_id],  # numbered on the first page in this order
    }


def _prefecture(code: str) -> str:
    from dxassess.lgcode import prefecture_of

    return prefecture_of(code)


def score_job(job: Job, settings: Settings) -> tuple[int, dict[str, Any] | None, Problem | None]:
    """(index, summary row, None) for a scored input, or (index, None, the problem). The row also
    says where the report's rooms are (`slot`), the report's size, the files its questionnaire
    was made from and the earlier batch's entry it was compared with (`prev`)."""
    from dxassess.assess import assess
    from dxassess.batch.cache import encode_head
    from dxassess.batch.reports import PEER_SLOT, PEER_SUMMARY_SLOT, render_waiting
    from dxassess.errors import DxassessError
    from dxassess.load import LoadFailure
    from dxassess.problems import Problem
    from dxassess.render.context import build

    try:
        if job.raw is None and job.data is None:  # a fresh run: read here, keyed for the next run
            from dataclasses import replace

            from dxassess.batch.cache import input_key
            from dxassess.load import read_bytes

            raw = read_bytes(job.source)  # type, size and read bounded
            job = replace(job, raw=raw, key=input_key(settings.run_key, job.source, raw))
        assessment = _assessment(job, Path(settings.search) if settings.search else None)
        files = resolver().files_of(resolver().last)
        result = assess(
            assessment.sheet, assessment.questionnaire, assessment.catalogue, budget_cutoff=settings.budget_cutoff
        )
        texts = _texts(assessment, settings.lang)
        data = build(result, settings.lang, texts=texts)
    except (LoadFailure, DxassessError, OSError, RecursionError) as exc:
        return job.index, None, rejection(job.source, exc, settings.lang)
    before = PREVIOUS.get(result.municipality.code)
    if before is not None:
        from dxassess.batch.previous import report_change

        data["previous"] = report_change(before, result, texts, settings.lang)
    payload, slots = render_waiting(data)
    waiting = os.path.join(settings.work, f"{job.index}.html")
    # the report's parts with room for each slot, written without being joined (or copied) first
    view = memoryview(payload)
    pieces: list[bytes | memoryview] = []
    rooms = []  # (offset in the file, bytes of room) of each slot
    done = at = 0
    for (offset, room), marker in zip(slots, (PEER_SUMMARY_SLOT, PEER_SLOT)):
        pieces += (view[done:offset], b" " * room)
        at += offset - done
        rooms.append([at, room])
        at += room
        done = offset + len(marker)
    pieces.append(view[done:])
    try:
        size = write_scratch(waiting, pieces)
    except OSError as exc:  # disk full, permission denied: this input is not scored
        from dxassess.files import reason_of

        reason = msg("batch.cannot_write_report", reason=reason_of(exc))
        return job.index, None, Problem(waiting, 1, 1, "error", "DX901", reason)
    row = summary_row(result, job)
    row["index"] = job.index
    row["key"] = job.key
    row["slot"] = rooms
    row["size"] = size
    row["files"] = files
    row["prev"] = before.digest if before is not None else ""
    row["titles"] = {key: d["title"] for key, d in data["domains"].items()}
    row["ask"] = ["", 0]  # no "who to ask" yet: the regions are empty
    row["head"] = encode_head(row, rooms)  # the start of its cache line, made here in parallel
    warnings = _warnings(job, assessment.warnings)
    if warnings:  # as JSON values, so a row kept in the cache reads back the same
        row["warnings"] = [p.as_dict("en") for p in warnings]
    return job.index, row, None


def write_scratch(path: str, pieces: list[bytes | memoryview]) -> int:
    """Create (or empty) the scratch file `path` and write `pieces` one after the other without
    joining them first: in one system call where the platform has `writev` (a report's parts,
    150 KB), else one per part (Windows). The bytes written; an OSError as the system raises it
    (a write that takes nothing is a full disk)."""
    fd = os.open(
        path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0), 0o666
    )
    try:
        left = [memoryview(piece) for piece in pieces if len(piece)]
        total = sum(map(len, left))
        writev = getattr(os, "writev", None)
        while left:
            done = writev(fd, left) if writev is not None else os.write(fd, left[0])
            if done == 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)
            while left and done >= len(left[0]):
                done -= len(left[0])
                left.pop(0)
            if left and done:
                left[0] = left[0][done:]
        return total
    finally:
        os.close(fd)


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


def peer_sections(peer_data: dict[str, Any], peer: dict[str, Any], lang: str) -> list[bytes]:
    """The first page's paragraph and the table of a municipality's position in its group.
    `peer_data`: the municipality's {"group_label", "overall", "scores": {domain: score},
    "titles": {domain: title}}."""
    from dxassess.render.html import peer_section, peer_summary

    scores, titles = peer_data["scores"], peer_data["titles"]
    data = {
        "lang": lang,
        "tier_label": peer_data["group_label"],
        "overall": peer_data["overall"],
        "domains": {key: {"title": titles[key], "score": score} for key, score in scores.items()},
    }
    return [peer_summary(data, peer).encode("utf-8"), peer_section(data, peer).encode("utf-8")]


def finish_job(
    index: int,
    code: str,
    slot: list[list[int]],
    peer_data: dict[str, Any],
    peer: dict[str, Any],
    settings: Settings,
    asks: dict[str, bytes] | None = None,
) -> tuple[int, Problem | None]:
    """Write the peer sections into their rooms `slot` ([offset, bytes] of the first-page
    paragraph and of the table) of a waiting report, and "who to ask" (`asks`, by region) into
    its regions, and move it to reports/CODE.html; (index, None) or (index, the problem)."""
    from dxassess.errors import DxassessError
    from dxassess.files import output_target, write_atomic
    from dxassess.problems import Problem
    from dxassess.text.problems import os_reason

    waiting = os.path.join(settings.work, f"{index}.html")
    sections = peer_sections(peer_data, peer, settings.lang)
    moved = False
    try:
        report = _report_path(settings.reports, code)
        new = _absent(report)  # a fresh run's report: nothing there to keep the mode or links of
        # A link is written through to its target; a device, FIFO or socket is refused.
        target = report if new else output_target(report)
        fits = all(len(section) <= room for section, (_, room) in zip(sections, slot))
        html: bytes | None = None
        if fits and (new or _single_link(target)):
            if asks:  # "who to ask" changes the size: the report is written anew, then renamed
                from dxassess.render.asks import fill

                with open(waiting, "rb") as fh:
                    html = fill(_in_rooms(fh.read(), sections, slot, pad=True), asks)
                with open(waiting, "wb") as fh:
                    fh.write(html)
            else:
                with open(waiting, "r+b") as fh:
                    for section, (offset, room) in zip(sections, slot):
                        fh.seek(offset)
                        fh.write(section.ljust(room))
            try:
                if not new:
                    _keep_mode(waiting, target)
                os.replace(waiting, target)
                moved = True
                return index, None
            except OSError:  # another file system, say: copy it instead
                pass
        if html is None:
            with open(waiting, "rb") as fh:
                # with "who to ask", the rooms keep their size: a later refresh finds them where they were
                html = _in_rooms(fh.read(), sections, slot, pad=bool(asks))
            if asks:
                from dxassess.render.asks import fill

                html = fill(html, asks)
        write_atomic(target, html)
    except DxassessError as exc:
        return index, rejection(waiting, exc, settings.lang)
    except OSError as exc:
        reason = msg("batch.cannot_finish_report", reason=os_reason(exc))
        return index, Problem(waiting, 1, 1, "error", "DX901", reason)
    finally:
        if not moved:
            try:
                os.unlink(waiting)
            except OSError:
                pass
    return index, None


def _absent(path: Path) -> bool:
    """Whether nothing at all is at `path` (not even a dangling link)."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:  # a file in the way, say: output_target names it
        return False
    return False


def refresh_job(
    index: int,
    code: str,
    slot: list[list[int]],
    peer_data: dict[str, Any],
    peer: dict[str, Any],
    settings: Settings,
    asks: dict[str, bytes] | None = None,
) -> tuple[int, Problem | None]:
    """New peer sections and "who to ask" for reports/CODE.html, kept from an earlier run: the
    report with the sections in their rooms (whose offsets hold with the "who to ask" regions
    emptied) and `asks` in its regions is written to the work folder and renamed over the old
    one (a reader sees the old report or the new, as with a fresh one). A section that does not
    fit its room (never, by the rooms' design) is an error."""
    from dxassess.errors import DxassessError
    from dxassess.files import inside, output_target, safe_name, write_atomic
    from dxassess.problems import Problem
    from dxassess.render.asks import fill

    sections = peer_sections(peer_data, peer, settings.lang)
    waiting = os.path.join(settings.work, f"{index}.html")
    try:
        # A link is written through to its target; a device, FIFO or socket is refused.
        target = output_target(inside(Path(settings.reports), safe_name(code, ".html")))
        if not all(len(section) <= room for section, (_, room) in zip(sections, slot)):
            raise OSError("the peer section does not fit its room")
        with open(target, "rb") as fh:
            html = fill(_in_rooms(fill(fh.read(), {}), sections, slot, pad=True), asks or {})
        if not _single_link(target):  # other names of the report see the new content too
            write_atomic(target, html)
            return index, None
        os.makedirs(settings.work, exist_ok=True)
        with open(waiting, "wb") as fh:
            fh.write(html)
        _keep_mode(waiting, target)
        os.replace(waiting, target)
    except (DxassessError, OSError) as exc:
        try:
            os.unlink(waiting)
        except OSError:
            pass
        reason = msg("batch.cannot_finish_report", reason=str(exc))
        return index, Problem(str(Path(settings.reports) / f"{code}.html"), 1, 1, "error", "DX901", reason)
    return index, None


def _in_rooms(html: bytes, sections: list[bytes], slot: list[list[int]], pad: bool) -> bytes:
    """`html` with each section in its room ([offset, bytes]); `pad`: filled up with spaces."""
    pieces, done = [], 0
    for section, (offset, room) in zip(sections, slot):
        pieces += [html[done:offset], section.ljust(room) if pad else section]
        done = offset + room
    return b"".join(pieces) + html[done:]


_FOLDERS: dict[tuple[str, str], Path] = {}


def _report_path(reports: str, code: str) -> Path:
    """reports/CODE.html, for a report moved there by rename (a name that `safe_name` keeps to
    one plain component cannot leave the folder; the folder is resolved once per process)."""
    from dxassess.files import inside, safe_name

    name = safe_name(code, ".html")
    key = (os.getcwd(), reports)  # a relative folder is another one after a chdir (the Python API)
    folder = _FOLDERS.get(key)
    if folder is None:
        folder = _FOLDERS[key] = Path(reports).resolve()
    if os.sep in name or (os.altsep and os.altsep in name) or name in (".", ".."):
        return inside(Path(reports), name)
    return folder / name


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
