"""`sample`: realistic, valid, deterministic synthetic municipalities."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from pathlib import Path

from dxassess import lgcode, register
from dxassess.inputs import check_file, load_assessment
from dxassess.model import Tier
from dxassess.sample import MAX_COUNT, MIX, SYNTHETIC_NUMBERS, municipalities
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
        assert a.sheet.synthetic and "synthetic: true" in path.read_text(encoding="utf-8")
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
    assert Counter(m.kind for m in ms)["village"] == 183
    for m in ms:
        assert lgcode.tier_of(m.code, m.name, m.population, m.kind) is m.tier, m
        assert lgcode.prefecture_of(m.code) == m.prefecture
        assert m.tier is not Tier.special_ward or m.prefecture == "東京都"
    towns = [m.population for m in ms if m.tier is Tier.town_village]
    assert 5_000 < statistics.median(towns) < 20_000


def test_samples_contain_no_real_code_and_no_real_name():
    """Every sample code passes the check digit, is no prefecture's, and belongs to no municipality,
    prefecture or ward of the register; no sample takes a real municipality's name."""
    shipped = register.get_register(register.SHIPPED)
    real_names = {register.fold(e.name) for e in shipped}
    ms = municipalities(MAX_COUNT, seed=3)
    assert len({m.code for m in ms}) == MAX_COUNT == 47 * 100
    for m in ms:
        assert lgcode.code_problem(m.code) is None, m
        assert shipped.lookup(m.code) is None, m
        assert int(m.code[2:5]) in SYNTHETIC_NUMBERS
        assert register.fold(m.name) not in real_names, m
    assert max(int(e.code[2:5]) for e in shipped) < SYNTHETIC_NUMBERS.start


def test_a_report_from_a_sample_says_it_is_synthetic(tmp_path: Path):
    assert run_cli("sample", "--count", "1", "-o", str(tmp_path), "--seed", "2").returncode == 0
    [path] = tmp_path.glob("*.yaml")
    for fmt, words in (("md", "dxassess sample"), ("html", "dxassess sample")):
        proc = run_cli("report", str(path), "--format", fmt, "--lang", "ja")
        assert proc.returncode == 0, proc.stderr
        assert "架空のデータ" in proc.stdout and words in proc.stdout
    english = run_cli("report", str(path), "--format", "md", "--lang", "en").stdout
    assert "Synthetic data" in english.split("\n\n")[0]  # right under the title
    assert '"synthetic": true' in run_cli("report", str(path), "--format", "json").stdout


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
    assert_clean_error(run_cli("sample", "--count", str(MAX_COUNT + 1), "-o", str(tmp_path)), 2)


def test_notes_cite_the_last_fiscal_year_completed_before_the_assessment(tmp_path: Path):
    """A survey quoted in an answer's note is of a year already over (an assessment of June 2026
    cannot cite the FY2026 survey), as an officer would write it."""
    from dxassess.gaps import fiscal_year

    proc = run_cli("sample", "--count", "12", "--seed", "3", "-o", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    cited = 0
    for path in tmp_path.glob("*.yaml"):
        sheet = load_assessment(path).sheet
        for year in re.findall(r"(\d{4})年度の庁内調査", path.read_text(encoding="utf-8")):
            assert int(year) == fiscal_year(sheet.assessed) - 1, (path.name, year, sheet.assessed)
            cited += 1
    assert cited
