"""The batch's speed tricks give the same output as the plain code they stand in for: the parts
of a report written in Python equal the template's own, the department calendar of the roadmap
counts as a scan of every action would, the text catalogue's memo gives what formatting gives."""

from __future__ import annotations

import errno
import os
import random
import shutil
import sys
from pathlib import Path

import pytest

from dxassess.api import assess
from dxassess.batch.work import write_scratch
from dxassess.render.context import build
from dxassess.render.html import render_html
from dxassess.roadmap import HORIZON, Calendar

from .conftest import run_cli


@pytest.fixture(scope="module")
def flagship_samples(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("flagship")
    proc = run_cli("sample", "--count", "24", "--seed", "19", "-o", str(folder))
    assert proc.returncode == 0, proc.stderr
    return sorted(folder.glob("*.yaml"))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_prerendered_parts_equal_the_template_on_many_reports(flagship_samples: list[Path], lang: str) -> None:
    """First actions, gap cards, roadmap items, annex and answer rows written in Python give the
    bytes the template gives, over reports with deadlines, overdue actions, quick wins,
    national figures and support schemes."""
    from dxassess.batch import rows

    seen = {"overdue": 0, "quick": 0, "national": 0, "support": 0}
    for path in flagship_samples:
        data = build(assess(path), lang)
        assert render_html(data, prerendered=rows.prerendered(data)) == render_html(data)
        for g in data["gaps"][:10]:
            seen["overdue"] += g["overdue"]
            seen["quick"] += g["quick_win"]
            seen["national"] += bool(g["national"])
            seen["support"] += bool(g["support"])
    assert all(seen.values()), seen  # the samples exercise every branch of a card


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_prerendered_domain_and_national_rows_cover_their_rarer_branches(
    flagship_samples: list[Path], lang: str
) -> None:
    """A domain not scored (nothing answered in it), a question without an answer in the national
    table, a change since an earlier assessment with and without a delta: the rows written in
    Python still equal the template's."""
    from dxassess.batch import rows

    data = build(assess(flagship_samples[0], previous=flagship_samples[0]), lang)
    first, second = list(data["domains"])[:2]
    data["domains"][first] = {**data["domains"][first], "score": None, "gap": None}
    data["previous"]["domains"] = [
        {**row, "delta": None} if row["id"] == second else row
        for row in data["previous"]["domains"]
        if row["id"] != first
    ]
    national = next(q for q in data["questions"] if q["national"])
    national.update(answer="", state_label="未回答")
    assert render_html(data, prerendered=rows.prerendered(data)) == render_html(data)


def _overlapping_by_scan(taken: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    return [(a, b) for a, b in taken if a < end and start < b]


def test_the_department_calendar_counts_as_a_scan_would() -> None:
    """Calendar.free_from finds the month a scan of every action finds: the first from
    `earliest` with fewer than `limit` overlapping actions, jumping to the earliest end."""
    rng = random.Random(19)
    for _ in range(400):
        calendar, taken = Calendar(), []
        limit = rng.randint(1, 6)
        for _ in range(rng.randint(0, 40)):
            earliest, months = rng.randint(0, 60), rng.randint(1, 24)
            start = earliest
            while start < HORIZON:
                overlapping = _overlapping_by_scan(taken, start, start + months)
                if len(overlapping) < limit:
                    break
                start = min(b for _, b in overlapping)
            assert calendar.free_from(earliest, months, limit) == start
            if rng.random() < 0.8:
                calendar.take(start, start + months)
                taken.append((start, start + months))
            assert calendar.overlapping(earliest, earliest + months) == len(
                _overlapping_by_scan(taken, earliest, earliest + months)
            )


def test_the_batch_resolver_loads_what_the_resolver_loads(tmp_path: Path) -> None:
    """Questionnaires and catalogues read by the C parser without positions (and, from the cache,
    as JSON) are the very models the checked reader makes; a broken one is refused with the
    checked reader's problems, lines included."""
    from dxassess import library
    from dxassess.batch.resolving import BatchResolver
    from dxassess.errors import InvalidFile
    from dxassess.resolver import Resolver

    from .conftest import MINI

    quick, checked = BatchResolver(), Resolver()
    for path in [*library.builtin_questionnaires(), MINI]:
        a, b = quick.load(path), checked.load(path)
        assert a.questionnaire == b.questionnaire and a.catalogue == b.catalogue, path
    again = BatchResolver(dict(quick.fresh))  # from the JSON the cache keeps
    for path in library.builtin_questionnaires():
        assert again.load(path).questionnaire == checked.load(path).questionnaire
    broken = tmp_path / "mini.yaml"
    shutil.copy(MINI.parent / "mini-catalogue.yaml", tmp_path / "mini-catalogue.yaml")
    broken.write_text(MINI.read_text(encoding="utf-8").replace("weight: 2", "weight: -2", 1), encoding="utf-8")
    with pytest.raises(InvalidFile) as ours:
        BatchResolver().load(broken)
    with pytest.raises(InvalidFile) as theirs:
        Resolver().load(broken)
    assert [p.format_text("en") for p in ours.value.problems] == [p.format_text("en") for p in theirs.value.problems]


def test_a_summary_rows_json_is_the_plain_dump_of_its_object(flagship_samples: list[Path]) -> None:
    """The summary row's JSON text, made with each gap's text kept from the first municipality
    with that gap, is the plain compact dump of the whole object (gaps in place), again when the
    same gaps come back for another municipality."""
    import json

    from dxassess.batch.work import Job, summary_row
    from dxassess.scoring import rounded

    shared = 0
    seen: set[int] = set()
    for path in flagship_samples:
        result = assess(path)
        raw = path.read_bytes()
        row = summary_row(result, Job(0, str(path), raw=raw, key="k"))
        doc = json.loads(row["json"] + b"}")
        assert list(doc) == [
            "municipality", "questionnaire", "assessed", "overall", "completeness", "tier", "band",
            "domains", "gaps", "expired_evidence", "scores", "source",
        ]  # fmt: skip
        plain = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))[:-1].encode("utf-8")
        assert row["json"] == plain
        assert doc["gaps"] == [
            {
                "question_id": g.question_id,
                "gap": rounded(g.gap),
                "priority": rounded(g.priority),
                "manual": list(g.manual),
                "needs_budget": g.needs_budget,
                "duration": g.months,
                "owner": g.owner.value if g.owner else None,
            }
            for g in result.gaps
        ]
        shared += sum(id(g) in seen for g in result.gaps)
        seen |= {id(g) for g in result.gaps}
    assert shared  # some gaps' texts were taken from an earlier municipality


def _visible_by_scan(questionnaire, values):  # type: ignore[no-untyped-def]
    """Every question in order, each `when` over the answers of the questions shown before it."""
    from dxassess import expr

    visible, seen = set(), {}
    for question in questionnaire.questions():
        if question.when is None or expr.evaluate(expr.compiled(question.when), seen):
            visible.add(question.id)
            if question.id in values:
                seen[question.id] = values[question.id]
    return visible


def test_the_questions_shown_are_those_a_scan_of_every_condition_shows() -> None:
    """`visible_questions` steps only through the questions with a condition or read by one: the
    same questions shown as a scan of every question, over answers that make each condition true
    and false, numbers, options and yes/no of every type, and answers left out."""
    from dxassess.resolver import RESOLVER
    from dxassess.scoring import visible_questions

    questionnaire = RESOLVER.select(None).questionnaire
    questions = questionnaire.questions()
    conditional = [q for q in questions if q.when]
    assert len(conditional) >= 5
    common: list[object] = [None, True, False, 0, 1, 0.0, 2.5, -1, "none", "x"]
    pools = {q.id: common + [o.key for o in getattr(q, "options", None) or []] for q in questions}
    rnd = random.Random(21)
    shown_somewhere, hidden_somewhere = set(), set()
    for _ in range(3000):
        values = {q.id: rnd.choice(pools[q.id]) for q in questions if rnd.random() < 0.8}
        values = {k: v for k, v in values.items() if v is not None}
        expected = _visible_by_scan(questionnaire, values)
        assert visible_questions(questionnaire, values) == expected
        shown_somewhere |= {q.id for q in conditional if q.id in expected}
        hidden_somewhere |= {q.id for q in conditional if q.id not in expected}
    assert shown_somewhere == hidden_somewhere == {q.id for q in conditional}


def test_question_scores_kept_for_the_batch_equal_those_made_anew(flagship_samples: list[Path]) -> None:
    """A question's score, made once per level and kept for the next answer file with that level,
    equals (value and type) the one made for the file alone."""
    from dxassess import scoring
    from dxassess.inputs import load_assessment

    assessments = [load_assessment(path) for path in flagship_samples]
    kept = [scoring.score(a.questionnaire, a.sheet) for a in assessments]
    for assessment, first in zip(assessments, kept):
        scoring._SCORES._entries.clear()
        alone = scoring.score(assessment.questionnaire, assessment.sheet)
        assert first == alone
        assert [(type(q.level), type(q.target)) for q in first.questions] == [
            (type(q.level), type(q.target)) for q in alone.questions
        ]
    shared = {id(q) for s in kept for q in s.questions}
    assert len(shared) < sum(len(s.questions) for s in kept)  # some were shared


def test_text_written_into_rows_is_escaped_as_markupsafe_escapes_it() -> None:
    """The rows' quick escape gives markupsafe's bytes for texts with and without the five
    characters it replaces, in Japanese and English, and for values that are not plain text."""
    from markupsafe import Markup, escape

    from dxassess.batch.rows import _text

    rnd = random.Random(5)
    alphabet = "あ課。、 a<>&'\"Z1\\\n\t"
    samples: list[object] = ["", "取組は進んでいる。", "a & b", '"quoted" <b>', "it's", Markup("<b>kept</b>"), 3, 2.5]
    samples += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30))) for _ in range(2000)]
    for value in samples:
        assert _text(value) == str(escape(value))


def test_scoring_and_rendering_reports_leave_no_cyclic_garbage(flagship_samples: list[Path], tmp_path: Path) -> None:
    """Everything a batch worker makes for a report (scores, gaps, roadmap, report data, HTML,
    summary row) is freed by reference counting, with no cycle such as a closure that calls
    itself keeping a plan alive: the batch's main process pauses the cyclic collector while it
    runs (`run._collector_paused`), and the workers' seldom runs."""
    import gc

    from dxassess.batch.work import Job, Settings, score_job

    (tmp_path / "work").mkdir()
    settings = Settings("ja", None, str(tmp_path / "work"), str(tmp_path / "reports"), 10, "k")
    for index, path in enumerate(flagship_samples[:2]):  # the questionnaire loaded, memos filled
        score_job(Job(index, str(path)), settings)
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for index, path in enumerate(flagship_samples[2:], start=2):
            _, row, problem = score_job(Job(index, str(path)), settings)
            assert problem is None and row is not None
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()


def test_a_batch_leaves_the_callers_garbage_collector_as_it_was(flagship_samples: list[Path], tmp_path: Path) -> None:
    """The Python API's `batch` pauses the collector, freezes what it made and changes its
    thresholds only while it runs, in an inline run, with workers and again into a folder it
    wrote (where what the cache holds is frozen before the collector is turned on again)."""
    import gc

    from dxassess.api import batch

    before = gc.get_threshold()
    for jobs in (1, 2, 2):
        outcome = batch(flagship_samples[:4], tmp_path / f"out{min(jobs, 2)}", jobs=jobs, lang="en")
        assert len(outcome.rows) == 4
        assert gc.isenabled()
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipe sizes are Linux's")
def test_the_pools_pipes_hold_a_whole_part_of_the_results() -> None:
    """A worker hands over a part of its results (32 rows, about 450 KB) in one write: the
    pool's pipes are widened from Linux's 64 KB (where the system allows it)."""
    import fcntl
    import multiprocessing

    from dxassess.batch.run import PIPE_BYTES, _widen_pipes

    limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
    if limit < PIPE_BYTES:
        pytest.skip(f"this system allows pipes of {limit} bytes")
    pool = multiprocessing.get_context("fork").Pool(1)
    try:
        _widen_pipes(pool)
        get_size = getattr(fcntl, "F_GETPIPE_SZ", 1032)
        for queue in (pool._outqueue, pool._inqueue):
            assert fcntl.fcntl(queue._reader.fileno(), get_size) >= PIPE_BYTES
        assert pool.apply(divmod, (7, 2)) == (3, 1)
    finally:
        pool.terminate()
        pool.join()


def test_a_gap_cards_kept_parts_follow_the_lists_it_shows(flagship_samples: list[Path]) -> None:
    """A card's kept parts are found by its values and by its lists' identity: a card showing
    other citations (new lists, made and dropped one after another) never gets another's parts."""
    import gc

    from dxassess.batch import rows
    from dxassess.render.html import labels_of

    data = build(assess(flagship_samples[0]), "en")
    labels, marks = labels_of("en"), rows._marks("en")
    gap = next(g for g in data["gaps"] if g["citations"])
    first = rows.gap_cards([gap], labels, marks)
    assert rows.gap_cards([dict(gap)], labels, marks) == first
    for n in range(50):
        other = dict(gap, citations=[dict(c, label=f"{c['label']} ({n})") for c in gap["citations"]])
        card = rows.gap_cards([other], labels, marks)
        assert f"({n})</a>" in card and card != first
        del other
        gc.collect()


def _parts() -> list[bytes | memoryview]:
    report = ("<p>報告書</p>" * 2000).encode("utf-8")
    view = memoryview(report)
    return [view[:1000], b" " * 300, view[1000:50_000], b"", b" " * 700, view[50_000:]]


def test_a_reports_parts_are_written_in_order(tmp_path: Path) -> None:
    parts = _parts()
    path = tmp_path / "r.html"
    path.write_bytes(b"x" * 500_000)  # an older, longer file is emptied first
    assert write_scratch(str(path), parts) == sum(map(len, parts))
    assert path.read_bytes() == b"".join(parts)


def test_a_short_write_goes_on_where_it_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """writev may take fewer bytes than given (a signal, a nearly full disk): the rest follows,
    cut inside a part as well as between parts."""
    if not hasattr(os, "writev"):
        pytest.skip("no writev here: the parts are written one by one")
    real = os.writev

    def short(fd: int, buffers: list[bytes | memoryview]) -> int:
        first = memoryview(buffers[0])
        return real(fd, [first[: max(1, len(first) // 3)]])

    monkeypatch.setattr(os, "writev", short)
    parts = _parts()
    path = tmp_path / "r.html"
    assert write_scratch(str(path), parts) == sum(map(len, parts))
    assert path.read_bytes() == b"".join(parts)


def test_a_write_that_takes_nothing_is_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(os, "writev"):
        pytest.skip("no writev here")
    monkeypatch.setattr(os, "writev", lambda fd, buffers: 0)
    with pytest.raises(OSError) as raised:
        write_scratch(str(tmp_path / "r.html"), _parts())
    assert raised.value.errno == errno.ENOSPC


def test_without_writev_the_parts_are_written_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As on Windows, which has no writev."""
    monkeypatch.delattr(os, "writev", raising=False)
    parts = _parts()
    path = tmp_path / "r.html"
    assert write_scratch(str(path), parts) == sum(map(len, parts))
    assert path.read_bytes() == b"".join(parts)
