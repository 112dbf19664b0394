"""`sample`: realistic, valid, deterministic synthetic municipalities."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from pathlib import Path

from dxassess import lgcode
from dxassess.inputs import check_file, load_assessment
from dxassess.model import Tier
from dxassess.sample import MIX, municipalities
from dxassess.scoring import score

from .conftest import assert_clean_error, run_cli


def test_sample_writes_exactly_n_valid_files(tmp_path: Path):
    proc = run_cli("sample", "--count", "25", "-o", str(tmp_path / "out"), "--seed", "5")
    assert proc.returncode == 0, proc.stderr
    files = sorted((tmp_path / "out").glob("*.yaml"))
    assert len(files) == 25 and len(list((tmp_path / "out").iterdir())) == 25
    codes = set()
    for path in files:
        assert check_file(path) == [], path
        a = load_assessment(path)
        codes.add(a.sheet.municipality.code)
        assert lgcode.code_problem(a.sheet.municipality.code) is None
        for answer in a.sheet.answers.values():
            assert answer.note and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", answer.note)
    assert len(codes) == 25


def test_seed_makes_it_deterministic(tmp_path: Path):
    for name in ("a", "b"):
        assert run_cli("sample", "--count", "5", "-o", str(tmp_path / name), "--seed", "9").returncode == 0
    for path in (tmp_path / "a").glob("*.yaml"):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def test_full_mix_matches_the_nation():
    ms = municipalities(1741, seed=1)
    assert len({m.code for m in ms}) == 1741
    assert Counter(m.tier for m in ms) == {tier: n for tier, n in MIX}
    for m in ms:
        assert lgcode.tier_of(m.code, m.name, m.population) is m.tier, m
        assert lgcode.prefecture_of(m.code) == m.prefecture
    towns = [m.population for m in ms if m.tier is Tier.town_village]
    assert 5_000 < statistics.median(towns) < 20_000


def test_answers_vary_with_size(tmp_path: Path):
    from dxassess.inputs import load_questionnaire
    from dxassess.sample import generate

    from .conftest import ROOT

    q, _ = load_questionnaire(ROOT / "questionnaires" / "municipal-dx.yaml")
    by_tier: dict[Tier, list[float]] = {}
    for name, text in generate(q, 300, seed=2):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        a = load_assessment(path)
        result = score(a.questionnaire, a.sheet)
        by_tier.setdefault(result.tier, []).append(result.overall)
    assert statistics.mean(by_tier[Tier.city]) > statistics.mean(by_tier[Tier.town_village])


def test_bad_count_is_a_usage_error(tmp_path: Path):
    assert_clean_error(run_cli("sample", "--count", "0", "-o", str(tmp_path)), 2)
    assert_clean_error(run_cli("sample", "--count", "5"), 2)
