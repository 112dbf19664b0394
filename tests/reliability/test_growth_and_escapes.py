"""Round two of escapes (issue 21): user templates that grow results through any operator, filter
or method, and control characters from input reaching a terminal."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.reliability import helpers as h
from tests.reliability.registry import assert_passed, tally

WORK = Path(tempfile.mkdtemp(prefix="dx-reliability-growth-"))

# Every way to grow a result that a template has, one template each; `{M}` is a million `x`.
M = "'x' * 1000000"
GROWTH = {
    "int * int in a loop": "{% set ns = namespace(x=7) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}{% endfor %}",
    "int * int": "{{ (10 ** 50000) * (10 ** 50000) }}",
    "% width": "{{ '%999999999s' % 'a' }}",
    "% with many fields": f"{{{{ ('%s' * 1000000) % ({M},) }}}}",
    "format filter width": "{{ '%99999999s'|format('a') }}",
    "format filter *": "{{ '%*s'|format(10 ** 9, 'a') }}",
    "str.format width": "{{ '{:>999999999}'.format('a') }}",
    "str.format nested width": "{{ '{0:>{1}}'.format('a', 10 ** 9) }}",
    "str.format many fields": f"{{{{ ('{{0}}' * 1000000).format({M}) }}}}",
    "format_map": "{{ '{a:>999999999}'.format_map({'a': 'b'}) }}",
    "replace filter": f"{{{{ ({M})|replace('x', {M}) }}}}",
    "str.replace": f"{{{{ ({M}).replace('x', {M}) }}}}",
    "indent width": "{{ ('a\\n' * 100000)|indent(1000000) }}",
    "indent string": "{{ ('a\\n' * 1000000)|indent('x' * 100000) }}",
    "join filter": f"{{{{ ([{M}] * 1000000)|join }}}}",
    "str.join": f"{{{{ ''.join([{M}] * 1000000) }}}}",
    "center filter": "{{ 'a'|center(10 ** 9) }}",
    "str.center": "{{ 'a'.center(10 ** 9) }}",
    "str.ljust": "{{ 'a'.ljust(10 ** 9) }}",
    "str.zfill": "{{ 'a'.zfill(10 ** 9) }}",
    "str.expandtabs": "{{ ('\\t' * 1000000).expandtabs(1000) }}",
    "str.translate": f"{{{{ ({M}).translate({{120: {M}}}) }}}}",
    "wordwrap": f"{{{{ ('a ' * 500000)|wordwrap(1, wrapstring={M}) }}}}",
    "batch": "{{ [1]|batch(10 ** 9, 'x')|list }}",
    "slice": "{{ [1]|slice(10 ** 9)|list }}",
    "sum of lists": "{{ ([['x'] * 1000000] * 1000000)|sum(start=[])|length }}",
    "map over a million": f"{{{{ ([{M}] * 1000000)|map('upper')|list|length }}}}",
    "unique over a million": f"{{{{ ([{M}] * 1000000)|unique|list|length }}}}",
    "sort over a million": f"{{{{ ([{M}] * 1000000)|sort|list|length }}}}",
    "tojson": f"{{{{ ([{M}] * 1000000)|tojson }}}}",
    "pprint": f"{{{{ ([{M}] * 1000000)|pprint }}}}",
    "string": f"{{{{ ([{M}] * 1000000)|string }}}}",
    "escape": f"{{{{ ([{M}] * 1000000)|join|escape }}}}",
    "urlencode": f"{{{{ ([{M}] * 1000000)|urlencode }}}}",
    "printing a list": f"{{{{ [{M}] * 1000000 }}}}",
    "printing a namespace": f"{{{{ namespace(a=[{M}] * 1000000) }}}}",
    "printing a dict": f"{{{{ dict(a=[{M}] * 1000000) }}}}",
    "~ with a list": f"{{{{ 'a' ~ ([{M}] * 1000000) }}}}",
    "output in a loop": f"{{% for i in range(100000) %}}{{{{ {M} }}}}{{% endfor %}}",
    "list of ranges": "{{ (range(100000)|list * 100)|length }}",
}
# Templates a report writer would use: they must still work.
HARMLESS = {
    "names and numbers": "{{ municipality.name }} {{ '%d'|format(municipality.population) }} "
    "{{ '{:,}'.format(municipality.population) }} {{ municipality.population|thousands }}",
    "loops and joins": "{{ range(2020, 2030)|list|join(',') }} {% for d in domains.values() %}{{ d.title|center(20) }}{% endfor %}",
    "filters": "{{ gaps|map(attribute='question_id')|unique|sort|join(', ') }} {{ 'abc'|replace('b', 'B')|upper }}",
}

DRIVER = r"""
import json, signal, sys, time
from pathlib import Path
from dxassess.api import assess, report
from dxassess.errors import DxassessError

def alarm(signum, frame):
    raise TimeoutError("over 20 s")

signal.signal(signal.SIGALRM, alarm)
result = assess("mini-answers.yaml", "mini.yaml")
for path in sys.argv[1:]:
    start = time.monotonic()
    signal.alarm(20)
    try:
        out = report(result, "html", "en", path)
        outcome, detail = "rendered", len(out)
    except DxassessError as exc:
        outcome, detail = exc.code, exc.one_line()
    except BaseException as exc:
        outcome, detail = "crash", f"{type(exc).__name__}: {exc}"[:300]
    finally:
        signal.alarm(0)
    print(json.dumps({"path": path, "outcome": outcome, "detail": detail, "seconds": time.monotonic() - start}), flush=True)
"""


def test_templates_cannot_grow_results() -> None:
    t = tally("template-growth")
    folder = WORK / "growth"
    h.copy_mini(folder)
    names = {}
    for i, (label, source) in enumerate({**GROWTH, **HARMLESS}.items()):
        (folder / f"t{i}.j2").write_text(source, encoding="utf-8")
        names[f"t{i}.j2"] = label
    (folder / "driver.py").write_text(DRIVER, encoding="utf-8")

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    proc = subprocess.run(
        [sys.executable, "driver.py", *names],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit if os.name == "posix" else None,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    results = {r["path"]: r for r in (json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{"))}
    for name, label in names.items():
        with t.case(label) as c:
            found = results.get(name)
            if found is None:
                c.crash(f"the process died before this template (exit {proc.returncode}): {proc.stderr[-300:]!r}")
                continue
            if found["seconds"] > 15:
                c.crash(f"took {found['seconds']:.0f} s")
            if label in HARMLESS:
                if found["outcome"] != "rendered":
                    c.crash(f"a harmless template was refused: {found['detail']}")
                c.outcome = "rendered"
            else:
                if found["outcome"] != "DX402":
                    c.crash(f"not refused by the sandbox: {found['outcome']} {str(found['detail'])[:200]}")
                c.outcome = "refused (DX402) before anything grew"
    t.done()


# --- class 8: control characters from input reaching a terminal -------------------------------

PAYLOADS = {
    "title (OSC 0)": "\x1b]0;PWNED\x07",
    "clipboard (OSC 52)": "\x1b]52;c;ZWNobyBwd25lZA==\x07",
    "8-bit CSI": "\x9b2J",
    "forged line": "\r\n::error file=x::forged",
    "bidi override": "\u202eexe.txt",
}
# Characters that must never reach a terminal raw (tabs and the newlines between lines are fine).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _salted(payload: str) -> dict[str, bytes]:
    answers = h.plain_data(h.MINI_ANSWERS)
    answers["municipality"]["name"] = "札幌" + payload + "市"
    answers["answers"]["leadership.policy"]["note"] = "メモ" + payload
    questionnaire = h.plain_data(h.MINI)
    questionnaire["domains"][0]["title"]["en"] = "Leadership" + payload
    questionnaire["domains"][0]["title"]["ja"] = "首長" + payload
    question = questionnaire["domains"][0]["questions"][1]
    question["text"] = {"ja": "方針" + payload + "ありますか。", "en": "Policy" + payload + "?"}
    catalogue = h.plain_data(h.MINI_CATALOGUE)
    return {
        "mini-answers.yaml": h.dump_yaml(answers),
        "mini.yaml": h.dump_yaml(questionnaire),
        "mini-catalogue.yaml": h.dump_yaml(catalogue),
    }


def _screens(folder: Path) -> str:
    """What the interview shows for every question (screens and help), as the terminal gets it."""
    from rich.console import Console

    from dxassess.answerfile import AnswerFile
    from dxassess.inputs import load_questionnaire
    from dxassess.interview import Interview, Terminal
    from dxassess.model import Questionnaire

    # Built directly from the data: validate refuses such texts (DX221), so a user cannot run the
    # interview on them; the screens must still show nothing raw.
    questionnaire = Questionnaire.model_validate(h.plain_data(folder / "titled.yaml"))
    catalogue = load_questionnaire(h.MINI)[1]
    out = io.StringIO()
    console = Console(file=out, width=80, no_color=True, force_terminal=False, highlight=False, emoji=False)
    answers = AnswerFile.load(folder / "mini-answers.yaml")
    interview = Interview(questionnaire, answers, "en", Terminal(console, lambda prompt: "q"), catalogue)
    for qid in interview.visible():
        interview.show(questionnaire.question_map()[qid])
        interview.term.say(f"note: {(answers.answer(qid) or {}).get('note', '')}")
    from dxassess.interview_view import help_screen

    for question in questionnaire.questions():
        console.print(help_screen(question, catalogue, "ja"))
    return out.getvalue()


def test_no_control_character_reaches_a_terminal() -> None:
    t = tally("terminal-escapes")
    folder = WORK / "escapes"
    h.copy_mini(folder)
    originals = {p.name: p.read_bytes() for p in (h.MINI, h.MINI_ANSWERS, h.MINI_CATALOGUE)}
    for label, payload in PAYLOADS.items():
        salted = _salted(payload)
        for name, raw in salted.items():
            (folder / name).write_bytes(raw)
        h.fresh_caches()
        odd_name = f"x{payload}.yaml".replace("/", "_")
        (folder / odd_name).write_bytes(b"answers: [\n")
        q = ["-q", "mini.yaml"]
        # the questionnaire has control characters: validate says so; the answers still score
        with t.case(f"validate --strict, {label}") as c:
            result = h.cli_invoke(c, ["validate", "--strict", "mini.yaml"], folder, (1,))
            if "DX221" not in result.stdout:
                c.escape(f"control characters in the questionnaire passed validate: {result.stdout[-300:]!r}")
            c.outcome = "flagged (DX221)"
        (folder / "mini.yaml").write_bytes(originals["mini.yaml"])
        h.fresh_caches()
        (folder / "titled.yaml").write_bytes(salted["mini.yaml"])
        surfaces = {
            "score table": (["score", "mini-answers.yaml", *q], (0,)),
            "compare table": (["compare", "mini-answers.yaml", "mini-answers.yaml", *q], (0,)),
            "validate, file name": (["validate", odd_name], (1,)),
            "validate --format github, file name": (["validate", "-f", "github", odd_name], (1,)),
            "score error line, file name": (["score", odd_name, *q], (1,)),
            "batch problem line, file name": (["batch", odd_name, *q, "-o", "b", "-j", "1"], (1,)),
            "score --json": (["score", "mini-answers.yaml", *q, "--json"], (0,)),
            "validate a salted questionnaire": (["validate", "titled.yaml"], (1,)),
        }
        for surface, (argv, allowed) in surfaces.items():
            with t.case(f"{surface}, {label}") as c:
                result = h.cli_invoke(c, argv, folder, allowed)
                output = result.stdout + result.stderr
                raw = RAW.findall(output.replace("\r\n", "\n").replace("\n", ""))
                if raw:
                    c.escape(f"raw control characters printed: {sorted(set(raw))!r}")
                lines = [line for line in output.splitlines() if line.startswith("::")]
                if "github" in surface and len(lines) != 1:
                    c.escape(f"a file name forged workflow commands: {lines!r}")
                c.outcome = "escaped"
        with t.case(f"interview screens, {label}") as c:
            raw = RAW.findall(_screens(folder).replace("\n", ""))
            if raw:
                c.escape(f"raw control characters on the interview screen: {sorted(set(raw))!r}")
            c.outcome = "escaped"
        for name, raw_bytes in originals.items():
            (folder / name).write_bytes(raw_bytes)
        (folder / odd_name).unlink()
    t.done()


def test_zz_every_case_of_this_module_passed() -> None:
    """Each case asserts as it runs; this states the module's result: cases tried, none failed."""
    assert_passed(["template-growth", "terminal-escapes"])
