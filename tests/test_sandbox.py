"""`report --template`: a user's Jinja2 template gets the report data and nothing else."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxassess.cli import app

CASES = Path(__file__).parent / "cases" / "valid"
MINI = CASES / "mini-answers.yaml"
runner = CliRunner()


def template(tmp_path: Path, source: str, name: str = "t.j2") -> Path:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return path


def report(*args: str) -> object:
    return runner.invoke(app, ["report", str(MINI), *args])


def test_template_receives_the_score_json_data(tmp_path: Path) -> None:
    scored = runner.invoke(app, ["score", str(MINI), "--json", "--lang", "en"])
    assert scored.exit_code == 0
    expected = json.loads(scored.stdout)
    source = (
        "{{ municipality.name }}|{{ municipality.code }}|{{ tier }}|{{ overall }}|{{ completeness }}|"
        "{% for id, d in domains.items() %}{{ id }}={{ d.score }}/{{ d.target }};{% endfor %}|"
        "{{ gaps | map(attribute='question_id') | join(',') }}|{{ gaps[0].manual | join(',') }}|"
        "{{ t('overall') }}|{{ overall | num }}"
    )
    result = report("--template", str(template(tmp_path, source)), "--lang", "en")
    assert result.exit_code == 0, result.output
    domains = "".join(f"{k}={v['score']}/{v['target']};" for k, v in expected["domains"].items())
    assert result.stdout == "|".join(
        [
            expected["municipality"]["name"],
            expected["municipality"]["code"],
            expected["tier"],
            str(expected["overall"]),
            str(expected["completeness"]),
            domains,
            ",".join(g["question_id"] for g in expected["gaps"]),
            ",".join(expected["gaps"][0]["manual"]),
            "Overall score",
            f"{expected['overall']:.2f}",
        ]
    )


HOSTILE = {
    "mro": "{{ ''.__class__.__mro__ }}",
    "class": "{{ municipality.name.__class__ }}",
    "cycler_globals": "{{ cycler.__init__.__globals__ }}",
    "label_globals": "{{ t.__globals__ }}",
    "include": "{% include '/etc/passwd' %}",
    "import": "{% import 'x' as y %}",
    "extends": "{% extends '/etc/passwd' %}",
    "template_context": "{{ self._TemplateReference__context }}",
    "lipsum_globals": "{{ lipsum.__globals__ }}",
    "huge_range": "{% for i in range(10**9) %}{{ i }}{% endfor %}",
    "huge_repeat": "{{ 'a' * 10**10 }}",
    "huge_power": "{{ 7 ** 999999999 }}",
    "format_attribute": "{{ '{0.__class__}'.format(1) }}",
    "doubling_tilde": "{% set ns = namespace(s='a' * 1000) %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "doubling_plus": "{% set ns = namespace(s='a' * 1000) %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "doubling_list": "{% set ns = namespace(s=[0] * 1000) %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "undefined_filter": "{{ overall | no_such_filter }}",
    "syntax": "{% for %}",
}


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_refused_templates_fail_with_one_line(tmp_path: Path, source: str) -> None:
    path = template(tmp_path, source)
    result = report("--template", str(path))
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{path}") and "error: DX40" in lines[0]
    assert "Traceback" not in result.stderr and "root:" not in result.stderr


def test_joining_text_still_works(tmp_path: Path) -> None:
    path = template(
        tmp_path, "{{ municipality.name ~ '（' ~ municipality.code ~ '）' }} {{ 'a' + 'b' }} {{ [1] + [2] }}"
    )
    result = report("--template", str(path))
    assert result.exit_code == 0, result.output
    assert "（011002） ab [1, 2]" in result.stdout


def test_user_templates_are_autoescaped(tmp_path: Path) -> None:
    for name in ("mini.yaml", "mini-catalogue.yaml"):
        shutil.copy(CASES / name, tmp_path / name)
    answers = tmp_path / "answers.yaml"
    text = MINI.read_text(encoding="utf-8").replace("name: 札幌市", "name: '<b onmouseover=x>札幌市</b>'")
    answers.write_text(text, encoding="utf-8")
    path = template(tmp_path, "{{ municipality.name }}")
    result = runner.invoke(app, ["report", str(answers), "--template", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "&lt;b onmouseover=x&gt;札幌市&lt;/b&gt;"


def test_number_filter_cannot_ask_for_huge_output(tmp_path: Path) -> None:
    result = report("--template", str(template(tmp_path, "{{ overall | num(10**9) }}")))
    assert result.exit_code == 0 and len(result.stdout) < 20


def test_refused_template_in_a_real_process(tmp_path: Path) -> None:
    path = template(tmp_path, "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "dxassess", "report", str(MINI), "--template", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env=env,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "DX402" in done.stderr and "Traceback" not in done.stderr

    ok = template(tmp_path, "{{ municipality.name }} {{ overall | num }}", "ok.j2")
    done = subprocess.run(
        [sys.executable, "-m", "dxassess", "report", str(MINI), "--template", str(ok), "-o", str(tmp_path / "o.txt")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "o.txt").read_text(encoding="utf-8") == "札幌市 1.83"


def test_a_refused_template_is_explained_in_japanese(tmp_path: Path) -> None:
    path = template(tmp_path, "{{ ''.__class__ }}")
    result = report("--template", str(path), "--lang", "ja")
    assert result.exit_code == 1
    assert "error: DX402 安全のための制限により" in result.stderr
