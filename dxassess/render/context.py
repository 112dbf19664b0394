"""Assessment → the plain, JSON-ready data every report, `score --json` and user templates get."""

from __future__ import annotations

from typing import Any

from dxassess import gaps as gapmod
from dxassess import lgcode
from dxassess.compare import Comparison, compare
from dxassess.i18n import label, pick
from dxassess.model import ChoiceQuestion, NumericQuestion, YesNoQuestion
from dxassess.scoring import POLICY, Score, rounded, score
from dxassess.validate import Assessment


def _answer_text(question: Any, answer: Any, lang: str) -> str:
    if answer is None or answer.value is None:
        return ""
    value = answer.value
    if isinstance(question, YesNoQuestion):
        return label("yes" if value else "no", lang)
    if isinstance(question, ChoiceQuestion):
        return pick(next(o.label for o in question.options if o.key == value), lang)
    if isinstance(question, NumericQuestion):
        unit = pick(question.unit, lang)
        return f"{value:g}{unit}" if lang == "ja" else f"{value:g} {unit}"
    return str(value)


def _comparison(cmp: Comparison, titles: dict[str, str], lang: str) -> dict[str, Any]:
    def row(change: Any) -> dict[str, Any]:
        return {
            "id": change.id,
            "title": titles.get(change.id, change.id),
            "old": rounded(change.old),
            "new": rounded(change.new),
            "delta": rounded(change.delta),
            "status": change.status,
            "status_label": label(change.status, lang),
        }

    return {
        "overall": row(cmp.overall),
        "domains": [row(c) for c in cmp.domains],
        "questions": [row(c) for c in cmp.questions if c.status != "not_comparable"],
        "counts": cmp.counts(),
    }


_CACHE: dict[tuple, Any] = {}


def _cached(owner: Any, key: tuple, make: Any) -> Any:
    """Per-questionnaire texts in one language, computed once (batch builds thousands of reports
    against the same questionnaire). Keyed by the owner's identity, which the entry keeps alive
    and checks, so a recycled id can never return another model's texts."""
    entry = _CACHE.get(key)
    if entry is None or entry[0] is not owner:
        if len(_CACHE) > 4096:
            _CACHE.clear()
        entry = _CACHE[key] = (owner, make())
    return entry[1]


def _titles(q: Any, lang: str) -> tuple[dict[str, str], dict[str, str]]:
    return _cached(
        q,
        ("titles", id(q), lang),
        lambda: (
            {d.id: pick(d.title, lang) for d in q.domains},
            {qid: pick(question.text, lang) for qid, question in q.question_map().items()},
        ),
    )


def _actions(catalogue: Any, refs: tuple[str, ...], lang: str) -> tuple[str, ...]:
    return _cached(
        catalogue,
        ("actions", id(catalogue), refs, lang),
        lambda: tuple(pick(a, lang) for a in gapmod.actions_for(catalogue, refs)),
    )


def build(
    assessment: Assessment, lang: str, previous: Assessment | None = None, result: Score | None = None
) -> dict[str, Any]:
    """The report data of one assessment, texts in `lang`. Deterministic: same input, same data."""
    q, sheet, catalogue = assessment.questionnaire, assessment.sheet, assessment.catalogue
    result = result or score(q, sheet)
    found = gapmod.find_gaps(q, catalogue, result)
    phases = gapmod.roadmap(found, sheet.assessed)
    questions = q.question_map()
    sections = catalogue.section_map() if catalogue else {}
    domain_titles, question_titles = _titles(q, lang)
    m = sheet.municipality

    def gap_row(g: gapmod.Gap) -> dict[str, Any]:
        return {
            "question_id": g.question_id,
            "domain": g.domain_id,
            "domain_title": domain_titles[g.domain_id],
            "text": question_titles[g.question_id],
            "current": rounded(g.current),
            "target": rounded(g.target),
            "gap": rounded(g.gap),
            "priority": rounded(g.priority),
            "next_level": g.next_level,
            "next_step": pick(g.next_step, lang),
            "manual": list(g.manual),
            "actions": list(_actions(catalogue, g.manual, lang)),
            "quick_win": g.quick_win,
            "phase": g.phase,
        }

    order = catalogue.section_order() if catalogue else {}
    cited = sorted(
        {ref for question in questions.values() for ref in question.manual}, key=lambda r: order.get(r, len(order))
    )
    domains: dict[str, Any] = {}
    for ds, domain in zip(result.domains, q.domains):
        domains[ds.domain_id] = {
            "title": domain_titles[ds.domain_id],
            "score": rounded(ds.score),
            "target": rounded(ds.target),
            "gap": rounded(ds.gap),
            "weight": domain.weight,
            "answered": ds.answered,
            "applicable": ds.applicable,
        }
    rows = []
    for qs in result.questions:
        question = questions[qs.question_id]
        answer = sheet.answers.get(qs.question_id)
        rows.append(
            {
                "id": qs.question_id,
                "domain": qs.domain_id,
                "text": question_titles[qs.question_id],
                "state": qs.state,
                "state_label": "" if qs.state == "answered" else label(f"state_{qs.state}", lang),
                "level": rounded(qs.level),
                "target": rounded(qs.target),
                "answer": _answer_text(question, answer, lang),
                "note": (answer.note or "") if answer else "",
                "review": bool(answer and answer.review),
            }
        )
    fy = gapmod.fiscal_year(sheet.assessed)
    data: dict[str, Any] = {
        "municipality": {
            "code": m.code,
            "name": m.name,
            "prefecture": m.prefecture or lgcode.prefecture_of(m.code),
            "population": m.population,
        },
        "questionnaire": {"id": q.id, "version": q.version, "title": pick(q.title, lang)},
        "assessed": sheet.assessed.isoformat(),
        "fiscal_year": fy,
        "lang": lang,
        "tier": result.tier.value,
        "tier_label": lgcode.TIER_LABELS[result.tier][lang],
        "overall": rounded(result.overall),
        "overall_target": rounded(result.overall_target),
        "completeness": rounded(result.completeness, 3),
        "domains": domains,
        "gaps": [gap_row(g) for g in found],
        "roadmap": [
            {
                "phase": p.key,
                "label": label(p.key, lang),
                "fiscal_year": p.fiscal_year,
                "period": label(
                    "fy_later" if p.key == "later" else "fy", lang, fy=p.fiscal_year, reiwa=gapmod.reiwa(p.fiscal_year)
                ),
                "gaps": [g.question_id for g in p.gaps],
            }
            for p in phases
        ],
        "questions": rows,
        "manual": [
            {
                "id": ref,
                "title": pick(sections[ref].title, lang),
                "document": pick(sections[ref].document, lang),
                "edition": sections[ref].edition,
                "pages": sections[ref].pages,
                "url": sections[ref].url,
                "unconfirmed": sections[ref].unconfirmed,
            }
            for ref in cited
            if ref in sections
        ],
        "policy": POLICY[lang] if lang in POLICY else POLICY["en"],
        "previous": None,
    }
    if previous is not None:
        old = score(previous.questionnaire, previous.sheet)
        titles = {**domain_titles, **question_titles, "overall": label("overall", lang)}
        data["previous"] = {
            "assessed": previous.sheet.assessed.isoformat(),
            **_comparison(compare(old, result), titles, lang),
        }
    return data
