"""Fuzzing the YAML loaders: questionnaires, answer files, catalogues, and the limits.

Every input must end in a result or clean problems / one clean error: never an unexpected
exception, never a hang. Valid answer files go on through scoring and every report format.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from dxassess.batch.fastload import parse_fast
from dxassess.checker import detect_kind
from dxassess.errors import DxassessError
from dxassess.inputs import check_document, check_file, load_assessment, load_questionnaire
from dxassess.load import LoadFailure, parse_bytes, read_document
from tests.reliability import helpers as h
from tests.reliability.registry import Case, assert_passed, tally

WORK = Path(tempfile.mkdtemp(prefix="dx-reliability-"))


def downstream(case: Case, assessment) -> None:
    """A valid answer file: score it, build the report data and render every format."""
    from dxassess.assess import assess
    from dxassess.render.context import build
    from dxassess.render.html import render_html
    from dxassess.render.templates import render_json, render_shipped

    result = assess(assessment.sheet, assessment.questionnaire, assessment.catalogue)
    for lang in ("ja", "en"):
        data = build(result, lang)
        html = render_html(data)
        if not html.rstrip().endswith("</html>"):
            case.crash("the HTML report is incomplete")
        render_shipped("report.md.j2", data)
        render_json(data)
    case.outcome = "valid, scored and rendered"


def exercise(case: Case, path: Path, raw: bytes, search: Path | None = h.MINI) -> None:
    """Write `raw` to `path`, validate it as `validate` does, then load it as the other commands
    do (which must agree with validate) and, when valid, score and render it."""
    path.write_bytes(raw)
    h.fresh_caches()
    try:
        doc = read_document(path)
    except LoadFailure as exc:
        h.check_problems(case, path, [exc.problem], raw)
        doc = None
    problems = check_document(doc, search) if doc is not None else []
    h.check_problems(case, path, problems, raw)
    errors = [p for p in problems if p.severity == "error"]
    case.outcome = "problems reported" if errors or doc is None else "valid"
    is_questionnaire = doc is not None and isinstance(doc.data, dict) and "domains" in doc.data
    if is_questionnaire and (errors or doc is None):
        return  # load_questionnaire refuses by the same rules; checked on valid files below
    try:
        if is_questionnaire:
            load_questionnaire(path)
        else:
            assessment = load_assessment(path, search)
            if errors:
                case.crash("validate reported errors but the answer file loaded")
            downstream(case, assessment)
    except DxassessError as exc:
        is_answers = doc is not None and detect(doc) == "answers"
        if not errors and is_answers:
            case.crash(f"validate found no error but loading failed: {exc.one_line()}")
        h.clean_error(case, exc, path)
        case.outcome = "problems reported" if errors or doc is None else "clean error"


def detect(doc) -> str | None:
    try:
        return detect_kind(doc)
    except LoadFailure:
        return None


def test_random_bytes_are_clean_problems() -> None:
    t = tally("yaml-random-bytes")
    folder = WORK / "bytes"
    h.copy_mini(folder)

    @h.fuzz(300)
    @given(st.binary(max_size=400), st.sampled_from([b"", b"answers:\n", b"domains:\n", b"sections:\n"]))
    def case(raw: bytes, prefix: bytes) -> None:
        with t.case(repr((prefix + raw)[:80])) as c:
            exercise(c, folder / "x.yaml", prefix + raw)

    case()
    t.done()


YAMLISH = st.sampled_from(
    list("{}[]:-?,&*!|>#'\"%@` \t\n\r\\.0123456789abcxyz") + ["\n  ", "\u3000", "あ", "\x85", "\u2028", "\ufeff"]
)


def test_random_yaml_text_is_clean_problems() -> None:
    t = tally("yaml-random-text")
    folder = WORK / "text"
    h.copy_mini(folder)
    keys = ["answers:", "domains:", "sections:", "municipality:", "questionnaire:", "id:", "value:", ""]

    @h.fuzz(400)
    @given(st.sampled_from(keys), st.lists(YAMLISH, max_size=120).map("".join))
    def case(key: str, text: str) -> None:
        raw = (key + text).encode("utf-8")
        with t.case(repr(raw[:80])) as c:
            exercise(c, folder / "x.yaml", raw)

    case()
    t.done()


def _structured(class_id: str, seeds: list[Path], target: str, n: int) -> None:
    t = tally(class_id)
    folder = WORK / class_id
    h.copy_mini(folder)
    originals = {seed: h.plain_data(seed) for seed in seeds}

    @h.fuzz(n)
    @given(st.sampled_from(seeds), st.data())
    def case(seed: Path, data: st.DataObject) -> None:
        mutated, done = h.mutate(data.draw, originals[seed])
        raw = h.dump_yaml(mutated)
        with t.case(f"{seed.name}: {done}") as c:
            path = folder / (target if seed.parent == h.VALID and target else seed.name)
            exercise(c, path, raw, search=folder / "mini.yaml")
            if target == "mini.yaml" and c.outcome in ("valid", "clean error"):
                # the mutated questionnaire, when valid, must also score its answers
                try:
                    downstream(c, load_assessment(folder / "mini-answers.yaml", folder / "mini.yaml"))
                except DxassessError as exc:
                    h.clean_error(c, exc)
        # restore the seed files for the next case
        h.copy_mini(folder)

    case()
    t.done()


def test_questionnaire_mutations() -> None:
    _structured("questionnaire-mutations", [h.MINI], "mini.yaml", 150)


def test_answer_file_mutations_are_scored_or_refused() -> None:
    _structured("answers-mutations", [h.MINI_ANSWERS, h.FLAGSHIP_ANSWERS], "", 200)


def test_catalogue_mutations() -> None:
    _structured("catalogue-mutations", [h.MINI_CATALOGUE], "mini-catalogue.yaml", 100)


def test_byte_level_mutations_of_valid_files() -> None:
    t = tally("yaml-text-mutations")
    folder = WORK / "bytes-mut"
    seeds = [h.MINI, h.MINI_ANSWERS, h.MINI_CATALOGUE, h.FLAGSHIP_ANSWERS]
    raws = {s: s.read_bytes() for s in seeds}

    @h.fuzz(250)
    @given(st.sampled_from(seeds), st.data())
    def case(seed: Path, data: st.DataObject) -> None:
        raw, what = raws[seed], []
        for _ in range(data.draw(st.integers(1, 3))):
            raw, step = h.mutate_bytes(data.draw, raw)
            what.append(step)
        h.copy_mini(folder)
        with t.case(f"{seed.name}: {what}") as c:
            exercise(c, folder / seed.name, raw, search=folder / "mini.yaml")

    case()
    t.done()


def _same_load(c: Case, path: Path, raw: bytes) -> None:
    """parse_fast and parse_bytes: the same data, or both refuse."""
    try:
        slow = parse_bytes(str(path), raw).data
    except LoadFailure:
        slow = LoadFailure
    try:
        fast = parse_fast(str(path), raw).data
    except LoadFailure:
        fast = LoadFailure
    if (slow is LoadFailure) != (fast is LoadFailure):
        c.crash(f"the batch loader {'refuses' if fast is LoadFailure else 'accepts'} what the checked loader does not")
    elif slow is not LoadFailure and repr(slow) != repr(fast):
        c.crash(f"the two loaders read different data: {repr(slow)[:120]} vs {repr(fast)[:120]}")
    c.outcome = "both refuse" if slow is LoadFailure else "same data"


def test_the_batch_loader_agrees_with_the_checked_loader() -> None:
    t = tally("fast-loader-agreement")
    seeds = [h.MINI_ANSWERS, h.FLAGSHIP_ANSWERS, h.MINI]
    raws = {s: s.read_bytes() for s in seeds}
    datas = {s: h.plain_data(s) for s in seeds}
    path = WORK / "fast.yaml"

    @h.fuzz(200)
    @given(st.sampled_from(seeds), st.data())
    def case(seed: Path, data: st.DataObject) -> None:
        if data.draw(st.booleans()):
            raw, what = h.mutate_bytes(data.draw, raws[seed])
        else:
            mutated, done = h.mutate(data.draw, datas[seed])
            raw, what = h.dump_yaml(mutated), str(done)
        with t.case(f"{seed.name}: {what}") as c:
            _same_load(c, path, raw)

    case()
    t.done()


# --- limits -----------------------------------------------------------------------------------

ANSWERS_HEAD = b'questionnaire: {id: mini, version: "1.0.0"}\nmunicipality: {code: "011002", name: x, population: 5}\n'


def limit_files() -> dict[str, tuple[bytes, str]]:
    """Name → (file content, the problem code every loader must give)."""
    big_note = b"x" * (10 * 1024 * 1024)
    depth = 101
    block = b"".join(b"  " * i + b"k:\n" for i in range(depth)) + b"  " * depth + b"v\n"
    laughs = [b"a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 10).encode()
        laughs.append(f"a{i}: &a{i} [".encode() + refs + b"]")
    return {
        "over-10mb": (
            ANSWERS_HEAD + b"answers:\n  leadership.policy: {value: true, note: " + big_note + b"}\n",
            "DX001",
        ),
        "exactly-limit-plus-one": (b"a" * (10 * 1024 * 1024 + 1), "DX001"),
        "depth-101-flow": (ANSWERS_HEAD + b"answers: " + b"[" * depth + b"]" * depth + b"\n", "DX004"),
        "depth-101-block": (ANSWERS_HEAD + b"answers:\n" + block, "DX004"),
        "depth-5000-flow": (b"answers: " + b"[" * 5000 + b"]" * 5000 + b"\n", "DX004"),
        "billion-laughs": (ANSWERS_HEAD + b"\n".join(laughs) + b"\nanswers: *a8\n", "DX005"),
        "recursive-alias": (ANSWERS_HEAD + b"answers: &x {a: *x}\n", "DX004"),
        "million-values": (ANSWERS_HEAD + b"answers: [" + b"0," * 1_000_001 + b"0]\n", "DX001"),
        "10mb-of-values": (ANSWERS_HEAD + b"answers: [" + b"0," * 5_200_000 + b"0]\n", "DX001"),
    }


def test_limits_hold_in_every_loader_and_command() -> None:
    """In-process loaders (time-limited), then the real program (time- and memory-limited)."""
    t = tally("limits")
    folder = WORK / "limits"
    h.copy_mini(folder)
    files = limit_files()
    for name, (raw, code) in files.items():
        path = folder / f"{name}.yaml"
        path.write_bytes(raw)
        slow = {"billion-laughs": ("check_file",), "million-values": ("check_file",), "10mb-of-values": ("parse_fast",)}
        for loader in slow.get(name, ("check_file", "load_assessment", "parse_fast")):  # slow ones: ~2 s a path
            with t.case(f"{name} {loader}", limit=60) as c:
                try:
                    if loader == "check_file":
                        problems = check_file(path, folder / "mini.yaml")
                        h.check_problems(c, path, problems)
                        codes = {p.code for p in problems}
                    elif loader == "load_assessment":
                        load_assessment(path, folder / "mini.yaml")
                        codes = set()
                    else:
                        parse_fast(str(path), raw)
                        codes = set()
                except DxassessError as exc:
                    h.clean_error(c, exc, path)
                    codes = {exc.code}
                except LoadFailure as exc:
                    codes = {exc.problem.code}
                if code not in codes and not (name == "recursive-alias" and codes & {"DX003", "DX004", "DX005"}):
                    c.crash(f"expected {code}, got {sorted(codes)}")
                c.outcome = f"refused with {code}"
    # The same files through the real commands, each process capped at 1 GB and 60 s.
    argvs = {
        "validate": lambda p: ["validate", str(p), "-q", str(folder / "mini.yaml")],
        "score": lambda p: ["score", str(p), "-q", str(folder / "mini.yaml")],
        "batch": lambda p: [
            "batch",
            str(p),
            "-o",
            str(folder / f"out-{p.stem}"),
            "-j",
            "1",
            "-q",
            str(folder / "mini.yaml"),
        ],
    }
    plan = {
        "over-10mb": ("validate", "score", "batch"),
        "depth-101-block": ("validate", "batch"),
        "depth-5000-flow": ("validate", "score"),
        "billion-laughs": ("validate",),
        "10mb-of-values": ("validate", "batch"),
    }
    for name, commands in plan.items():
        path = folder / f"{name}.yaml"
        for command in commands:
            argv = argvs[command]
            with t.case(f"{name} {command}", limit=None) as c:
                proc = h.python_cli(*argv(path), cwd=folder)
                h.check_cli(c, proc.returncode, proc.stdout, proc.stderr, allowed=(1,))
                if files[name][1] not in proc.stdout + proc.stderr:
                    c.crash(f"{command}: the message lacks {files[name][1]}: {proc.stderr[-300:]}")
                c.outcome = f"refused with {files[name][1]}"
    t.done()


def test_zz_every_case_of_this_module_passed() -> None:
    """Each case asserts as it runs; this states the module's result: cases tried, none failed."""
    assert_passed(["yaml-random-bytes", "yaml-random-text", "yaml-text-mutations", "fast-loader-agreement", "limits"])
