"""What the report says, read as the mayor and the council would (a Japanese-reading review of the
reports, 2026-12-04): a domain below its target is never called strong; a fiscal year is named in
the era officers write (令和元年度, 平成30年度), a scheme not confirmed against its source is
marked wherever it is named, the first page too; a question without a written action still gets
an action, not a notice; the report names no command-line option."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from dxassess.api import assess, report
from dxassess.render.context import build
from dxassess.render.parts import fy_label

CASES = Path(__file__).parent / "cases" / "valid"
FLAGSHIP = CASES / "flagship-answers.yaml"
UNCONFIRMED_JA = "（記載内容は原典で要確認）"


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Twelve synthetic municipalities, written by the real command."""
    folder = tmp_path_factory.mktemp("samples")
    subprocess.run(
        [sys.executable, "-m", "dxassess", "sample", "--count", "12", "--seed", "3", "-o", str(folder)],
        check=True,
        capture_output=True,
    )
    return sorted(folder.glob("*.yaml"))


@pytest.mark.parametrize(
    ("fy", "ja", "en"),
    [
        (2026, "令和8年度（2026年度）", "FY2026"),
        (2020, "令和2年度（2020年度）", "FY2020"),
        (2019, "令和元年度（2019年度）", "FY2019"),
        (2018, "平成30年度（2018年度）", "FY2018"),
        (1989, "平成元年度（1989年度）", "FY1989"),
        (1988, "昭和63年度（1988年度）", "FY1988"),
    ],
)
def test_fiscal_years_are_named_in_the_era_officers_write(fy: int, ja: str, en: str) -> None:
    assert fy_label(fy, "ja") == ja
    assert fy_label(fy, "en") == en


def test_a_report_of_an_early_assessment_says_reiwa_gannen_and_heisei(tmp_path: Path) -> None:
    text = FLAGSHIP.read_text(encoding="utf-8")
    early = tmp_path / "early.yaml"
    early.write_text(re.sub(r"(?m)^assessed: .*$", "assessed: 2019-02-01", text, count=1), encoding="utf-8")
    page = report(assess(early), "md", "ja")
    assert "平成30年度（2018年度）" in page and "令和元年度" in page
    assert "令和0年度" not in page and "令和1年度" not in page and "令和-" not in page


def test_strengths_are_only_domains_at_their_target_or_else_called_closest(samples: list[Path]) -> None:
    labels = set()
    for path in samples:
        data = build(assess(path), "ja")
        summary = data["summary"]
        met = [d for d in data["domains"].values() if d["score"] is not None and d["score"] >= d["target"]]
        if met:
            assert summary["strengths_label"] == "既に進んでいる分野"
            assert summary["strengths"] and all(s["met"] for s in summary["strengths"]), path.name
        else:
            assert summary["strengths_label"] == "目標に近い分野（いずれも目標未達）"
            assert summary["strengths"] and not any(s["met"] for s in summary["strengths"]), path.name
            assert "目標に達した分野はまだなく" in summary["standing_text"]
        labels.add(summary["strengths_label"])
        page = report(assess(path), "md", "ja")
        assert f"### {summary['strengths_label']}" in page
    assert len(labels) == 2  # the twelve include both cases, so both branches are looked at


def test_an_unconfirmed_scheme_is_marked_on_the_first_page_and_in_markdown(samples: list[Path]) -> None:
    seen = marked_md = 0
    for path in samples:
        result = assess(path)
        data = build(result, "ja")
        schemes = {s["name"]: s["unconfirmed"] for g in data["gaps"] for s in g["support"]}
        for action in data["summary"]["first"]:
            for named in action["support"]:
                name = named.removesuffix(UNCONFIRMED_JA)
                assert (named != name) == schemes[name], named
                seen += named != name
        md = report(result, "md", "ja")
        html = report(result, "html", "ja")
        for name, unconfirmed in schemes.items():
            if unconfirmed:
                # every line of the Markdown naming it carries the mark (first page, gap details)
                lines = [line for line in md.splitlines() if name in line]
                assert all(UNCONFIRMED_JA in line for line in lines), name
                marked_md += len(lines)
                # the first page's "support" line of each action names it with the mark
                for named in re.findall(r"<b>活用できる支援:</b> ([^<]*)</span>", html):
                    assert name not in named or name + UNCONFIRMED_JA in named, named
    assert seen and marked_md  # the samples do name unconfirmed schemes among their first actions


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_question_without_a_written_action_gets_an_action_not_a_notice(lang: str, tmp_path: Path) -> None:
    """A user's questionnaire may leave a step out (DX218 warns); the shipped ones no longer do,
    so the case's questionnaire is copied with the DX unit's level-5 step taken out."""
    archived = Path(__file__).parents[1] / "questionnaires" / "archive" / "municipal-dx-1.0.0.yaml"
    source = archived.read_text(encoding="utf-8")
    step5 = source.index("          5: {", source.index("      - id: organisation.dx_unit\n"))
    (tmp_path / "q.yaml").write_text(source[:step5] + source[source.index("\n", step5) + 1 :], encoding="utf-8")
    catalogue = archived.parents[1] / "dx-manual.yaml"
    (tmp_path / "dx-manual.yaml").write_bytes(catalogue.read_bytes())
    data = build(assess(FLAGSHIP, questionnaire=tmp_path / "q.yaml"), lang)
    goals = [g for g in data["gaps"] if not g["has_step"]]
    assert [g["question_id"] for g in goals] == ["organisation.dx_unit"]
    for g in goals:
        step = g["next_step"]
        if lang == "ja":
            assert "取組を定めて実施する" in step and "設定されていません" not in step
        else:
            assert step.startswith("Plan and carry out an action") and "No action is written" not in step


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_report_names_no_command_line_option(lang: str) -> None:
    result = assess(FLAGSHIP)
    for fmt in ("html", "md"):
        page = report(result, fmt, lang)
        assert "--budget-cutoff" not in page
        prose = re.sub(r"<!--.*?-->|<style.*?</style>|<svg.*?</svg>", "", page, flags=re.S)  # not CSS variables
        found = re.search(r"(?<![\w-])--[a-z][a-z-]+", prose)
        assert found is None, (fmt, prose[max(found.start() - 80, 0) : found.end() + 40] if found else "")


def test_dates_and_budgets_read_as_officers_write_them(tmp_path: Path) -> None:
    """The page title and the printed running head give the date as 2026年11月27日, not ISO; a
    budget past the request deadline names the year it goes in first, then why."""
    text = FLAGSHIP.read_text(encoding="utf-8")
    late = tmp_path / "late.yaml"
    late.write_text(re.sub(r"(?m)^assessed: .*$", "assessed: 2026-11-27", text, count=1), encoding="utf-8")
    result = assess(late)
    html = report(result, "html", "ja")
    title = re.search(r"<title>(.*?)</title>", html)
    assert title and title.group(1).endswith("（2026年11月27日）")
    assert '（2026年11月27日）"; font-size' in html  # the running head of every printed page
    assert "当初予算に計上（来年度予算の要求締切（10月末と想定）を過ぎているため）。" in html
    assert "補正予算で対応" in html
    assert "2026-11-27" not in title.group(1)


def test_national_figures_are_whole_sentences(samples: list[Path]) -> None:
    """「全国では、…市区町村は1,741団体中898団体（51.6%）です（…）。」: a predicate, no slash."""
    whys = [
        why
        for path in samples[:4]
        for action in build(assess(path), "ja")["summary"]["first"]
        for why in action["why"]
        if why.startswith("全国")
    ]
    assert whys
    for why in whys:
        assert why.startswith("全国では、") and "です（" in why and why.endswith("。"), why
        assert not re.search(r"\d/\d", why), why
