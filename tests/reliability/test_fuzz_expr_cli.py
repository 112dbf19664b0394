"""Fuzzing the `when` language and the command line.

The `when` parser may only return a tree or raise ExprError; evaluation only returns a bool;
code written as an expression is never run. The command line only ends with 0, 1 or 2, one
line per error, never a traceback, in typer's runner and in real processes.
"""

from __future__ import annotations

import ast
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from dxassess import expr
from dxassess.cli import app
from tests.reliability import helpers as h
from tests.reliability.registry import Case, assert_passed, tally

WORK = Path(tempfile.mkdtemp(prefix="dx-reliability-cli-"))
SENTINEL = WORK / "PWNED"
QIDS = ["leadership.mayor_commitment", "leadership.policy", "infrastructure.pc_age", "infrastructure.wifi"]
ANSWER_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10), st.floats(), st.sampled_from(["none", "x", ""])
)


def run_expression(case: Case, source: str, answers: dict[str, Any]) -> None:
    try:
        tree = expr.parse(source)
    except expr.ExprError as exc:
        if not 0 <= exc.offset <= len(source):
            case.crash(f"error offset {exc.offset} outside the expression")
        if "\n" in str(exc):
            case.crash("the error message spans lines")
        case.outcome = "refused (ExprError)"
        return
    expr.references(tree)
    result = expr.evaluate(tree, answers)
    if not isinstance(result, bool):
        case.crash(f"evaluate returned {result!r}, not a bool")
    case.outcome = "parsed and evaluated"


def test_random_text_as_a_when_expression() -> None:
    t = tally("when-random")
    alphabet = st.sampled_from(
        list("()[]<>=!,.\"'\\ _-0123456789aeinortdfsu") + ["and", "or", "not", "in", "true", "false", *QIDS, "\u3000"]
    )

    @h.fuzz(600)
    @given(
        st.one_of(
            st.text(max_size=60),
            st.lists(alphabet, max_size=40).map(" ".join),
            st.lists(alphabet, max_size=40).map("".join),
        ),
        st.dictionaries(st.sampled_from(QIDS), ANSWER_VALUES),
    )
    def case(source: str, answers: dict[str, Any]) -> None:
        with t.case(repr(source)[:120], limit=10) as c:
            run_expression(c, source, answers)

    case()
    t.done()


def grammar() -> st.SearchStrategy[str]:
    atom = st.one_of(
        st.integers(-(10**30), 10**30).map(str),
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9).map(lambda f: f"{f:.3f}"),
        st.sampled_from(['"none"', '"a\\"b"', '""', "true", "false", *QIDS, "leadership.unknown"]),
    )
    op = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, op, inner).map(" ".join),
            st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(" ".join),
            inner.map(lambda s: f"not {s}"),
            inner.map(lambda s: f"({s})"),
            st.tuples(atom, st.lists(atom, max_size=4)).map(lambda p: f"{p[0]} in [{', '.join(p[1])}]"),
        )

    well_formed = st.recursive(atom, extend, max_leaves=30)
    deep = st.integers(1, 200).map(lambda n: "(" * n + QIDS[0] + " == 1" + ")" * n)
    nots = st.integers(1, 200).map(lambda n: "not " * n + "true")
    return st.one_of(well_formed, deep, nots, well_formed.map(lambda s: s[: len(s) // 2]))


def test_generated_when_expressions() -> None:
    t = tally("when-grammar")

    @h.fuzz(500)
    @given(grammar(), st.dictionaries(st.sampled_from(QIDS), ANSWER_VALUES))
    def case(source: str, answers: dict[str, Any]) -> None:
        with t.case(repr(source)[:120], limit=10) as c:
            run_expression(c, source, answers)

    case()
    t.done()


INJECTIONS = [
    f"__import__('os').system('touch {SENTINEL}')",
    f'__import__("os").system("touch {SENTINEL}")',
    f"open('{SENTINEL}', 'w')",
    "().__class__.__bases__[0].__subclasses__()",
    "leadership.mayor_commitment.__class__",
    "leadership.mayor_commitment == 1 or exec('x=1')",
    "eval('1')",
    "lambda: 1",
    "[x for x in ().__class__.__mro__]",
    "1 if True else 2",
    "leadership.mayor_commitment == 1; import os",
    f"leadership.mayor_commitment == 1\nimport os; os.system('touch {SENTINEL}')",
    "{{ 7*7 }}",
    "${7*7}",
    "`id`",
    "$(id)",
    "globals()",
    "leadership.mayor_commitment == __builtins__",
    "a" * 2001,
    "(" * 10000,
]


def test_code_in_a_when_expression_is_never_run() -> None:
    t = tally("when-code-injection")
    for source in INJECTIONS:
        with t.case(source[:60]) as c:
            run_expression(c, source, {QIDS[0]: 1})
            if SENTINEL.exists():
                c.escape("code in a `when` expression ran")
            if c.outcome != "refused (ExprError)":
                c.escape(f"{source[:40]!r} parsed as an expression")
    # The same sources in a questionnaire, through `validate`.
    runner = CliRunner()
    folder = WORK / "when"
    h.copy_mini(folder)
    original = (folder / "mini.yaml").read_text(encoding="utf-8")
    for source in INJECTIONS[:12]:
        with t.case("questionnaire: " + source[:50]) as c:
            from dxassess.answerfile import yaml_string

            text = original.replace('when: infrastructure.wifi != "none"', f"when: {yaml_string(source)}")
            (folder / "mini.yaml").write_text(text, encoding="utf-8")
            h.fresh_caches()
            result = runner.invoke(app, ["validate", str(folder / "mini.yaml")])
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                c.crash(repr(result.exception))
            h.check_cli(c, result.exit_code, result.stdout, result.stderr, allowed=(1,))
            if SENTINEL.exists():
                c.escape("code in a `when` expression ran")
    # And no eval/exec/compile anywhere in the expression module.
    with t.case("expr.py has no eval, exec, compile or __import__") as c:
        tree = ast.parse(Path(expr.__file__).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in ("eval", "exec", "compile", "__import__"):
                c.escape(f"expr.py line {node.lineno} uses {node.id}")
        c.outcome = "no dynamic code"
    t.done()


# --- the command line -------------------------------------------------------------------------

COMMANDS = [
    "validate",
    "schema",
    "questionnaires",
    "score",
    "report",
    "compare",
    "sample",
    "run",
    "template",
    "import",
    "batch",
    "migrate",
    "municipalities",
    "merge",
]
OPTIONS = [
    "--json",
    "--format",
    "-f",
    "-o",
    "--output",
    "-q",
    "--questionnaire",
    "--lang",
    "--strict",
    "--template",
    "--previous",
    "--count",
    "-n",
    "--seed",
    "--jobs",
    "-j",
    "--answers",
    "--code",
    "--municipality",
    "--population",
    "--help",
    "--version",
    "--progress",
    "--prefer",
    "--max-age",
    "--part",
    "--domain",
    "--owner",
    "--respondent",
    "--peers",
    "--fresh",
    "--force",
    "--to",
    "--prefecture",
    "--kind",
    "--wards",
    "--csv",
    "--",
]
VALUES = [
    "mini-answers.yaml",
    "mini.yaml",
    "mini-catalogue.yaml",
    "missing.yaml",
    "out",
    "out/x.html",
    "out/r.md",
    "dir",
    ".",
    "",
    "-",
    "ja",
    "en",
    "xx",
    "html",
    "md",
    "json",
    "csv",
    "xlsx",
    "yaml",
    "sarif",
    "github",
    "text",
    "0",
    "1",
    "2",
    "-1",
    "99999999999999999999",
    "abc",
    "011002",
    "011003",
    "札幌市",
    "answers",
    "questionnaire",
    "catalogue",
    "municipal-dx",
    "quick-check",
    "t.j2",
    "sheet.csv",
    "\x00",
    "a\nb",
    "../x",
    "newest",
    "leadership",
    "総務課",
    "福井",
    "village",
]


def test_random_command_lines() -> None:
    """Random argv through typer's runner, in a folder of valid and broken inputs."""
    t = tally("cli-argv")
    folder = WORK / "argv"
    h.copy_mini(folder)
    (folder / "dir").mkdir(exist_ok=True)
    (folder / "t.j2").write_text("{{ municipality.name }}", encoding="utf-8")
    (folder / "sheet.csv").write_text("code,name\n011002,x\n", encoding="utf-8")
    runner = CliRunner()
    inputs = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}

    @h.fuzz(300)
    @given(
        st.sampled_from(COMMANDS), st.lists(st.one_of(st.sampled_from(OPTIONS), st.sampled_from(VALUES)), max_size=6)
    )
    def case(command: str, rest: list[str]) -> None:
        if command == "sample" or "--count" in rest or "-n" in rest:
            rest = [v if v != "99999999999999999999" else "3" for v in rest]
        argv = [command, *rest]
        old = os.getcwd()
        os.chdir(folder)
        try:
            with t.case(repr(argv), limit=60) as c:
                result = runner.invoke(app, argv, catch_exceptions=True)
                if result.exception is not None and not isinstance(result.exception, SystemExit):
                    c.crash(f"{type(result.exception).__name__}: {result.exception}")
                h.check_cli(c, result.exit_code, result.stdout, result.stderr)
                for name, raw in inputs.items():
                    if (folder / name).read_bytes() != raw:
                        c.escape(f"the input {name} was overwritten by {argv}")
                        (folder / name).write_bytes(raw)
        finally:
            os.chdir(old)

    case()
    t.done()


def test_mutated_inputs_through_the_real_program() -> None:
    """A smaller number of mutated files through `python -m dxassess`: tracebacks on stderr count."""
    t = tally("cli-subprocess")
    folder = WORK / "proc"
    h.copy_mini(folder)
    import random

    rng = random.Random(20261127)
    seeds = [h.MINI_ANSWERS, h.MINI, h.FLAGSHIP_ANSWERS]
    from tests.reliability.helpers import TEXT_INSERTS

    commands = [
        ["validate", "{f}", "-q", "mini.yaml"],
        ["validate", "--format", "sarif", "{f}"],
        ["score", "{f}", "--json", "-q", "mini.yaml"],
        ["report", "{f}", "-o", "out/r.html", "-q", "mini.yaml"],
        ["report", "{f}", "--format", "md", "-q", "mini.yaml"],
        ["batch", "{f}", "mini-answers.yaml", "-o", "out/batch", "-j", "1", "-q", "mini.yaml"],
        ["merge", "{f}", "mini-answers.yaml", "-o", "out/merged.yaml", "-q", "mini.yaml"],
        ["score", "--progress", "{f}", "-q", "mini.yaml"],
    ]
    for i in range(12):
        seed = seeds[i % len(seeds)]
        raw = seed.read_bytes()
        at = rng.randrange(len(raw))
        if i % 3 == 0:
            raw = raw[:at]
        else:
            raw = raw[:at] + rng.choice(TEXT_INSERTS) + raw[at:]
        target = folder / f"case{i}.yaml"
        target.write_bytes(raw)
        argv = [a.replace("{f}", target.name) for a in commands[i % len(commands)]]
        with t.case(f"{seed.name} #{i}: {' '.join(argv)}", limit=None) as c:
            proc = h.python_cli(*argv, cwd=folder, timeout=60)
            h.check_cli(c, proc.returncode, proc.stdout, proc.stderr, allowed=(0, 1))
            if proc.returncode == 1 and argv[0] in ("score", "report"):
                lines = proc.stderr.strip().splitlines()
                if len(lines) != 1 or not lines[0].startswith(target.name):
                    c.crash(f"not one line naming the file: {proc.stderr[:300]!r}")
    t.done()


def test_zz_every_case_of_this_module_passed() -> None:
    """Each case asserts as it runs; this states the module's result: cases tried, none failed."""
    assert_passed(["when-random", "when-grammar", "when-code-injection", "cli-argv", "cli-subprocess"])
