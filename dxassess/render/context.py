"""Result → the plain, JSON-ready data every report, `score --json` and user templates get,
texts in one language. No computation of scores or gaps here: they come from the Result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dxassess import gaps as gapmod
from dxassess import lgcode
from dxassess.assess import Result
from dxassess.compare import Comparison
from dxassess.model import ChoiceQuestion, NumericQuestion, YesNoQuestion
from dxassess.scoring import rounded
from dxassess.text import pick, text
from dxassess.text.reports import POLICY_LINES


def _answer_text(question: Any, answer: Any, lang: str) -> str:
    if answer is None or answer.value is None:
        return ""
    value = answer.value
    if isinstance(question, YesNoQuestion):
        return text("report.yes" if value else "report.no", lang)
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
            "status_label": text(f"report.{change.status}", lang),
        }

    return {
        "overall": row(cmp.overall),
        "domains": [row(c) for c in cmp.domains],
        "questions": [row(c) for c in cmp.questions if c.status != "not_comparable"],
        "counts": cmp.counts(),
    }


@dataclass
class Texts:
    """The questionnaire's and the catalogue's texts in one language. Made once per report; batch
    keeps one per worker and language, so thousands of reports share them."""

    lang: str
    domains: dict[str, str]
    questions: dict[str, str]
    catalogue: Any
    _actions: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)

    def actions(self, refs: tuple[str, ...]) -> tuple[str, ...]:
        """What the cited sections ask, in this language."""
        found = self._actions.get(refs)
        if found is None:
            found = self._actions[refs] = tuple(pick(a, self.lang) for a in gapmod.actions_for(self.catalogue, refs))
        return found


def citation(catalogue: Any, section: Any, lang: str) -> dict[str, Any]:
    """A section as a person looks it up: document, edition, number, heading, pages, link."""
    document = catalogue.document_map().get(section.document) if isinstance(section.document, str) else None
    if document is not None:
        title, edition = pick(document.title, lang), pick(document.edition, lang)
        url = section.url or document.url
        unconfirmed = section.unconfirmed or document.unconfirmed
    else:
        title = pick(section.document, lang) if isinstance(section.document, dict) else str(section.document)
        edition, url, unconfirmed = section.edition, section.url, section.unconfirmed
    return {
        "id": section.id,
        "title": pick(section.title, lang),
        "document": title,
        "edition": edition,
        "number": section.number,
        "pages": section.pages,
        "url": url,
        "unconfirmed": unconfirmed,
    }


def texts_of(questionnaire: Any, catalogue: Any, lang: str) -> Texts:
    return Texts(
        lang,
        {d.id: pick(d.title, lang) for d in questionnaire.domains},
        {qid: pick(question.text, lang) for qid, question in questionnaire.question_map().items()},
        catalogue,
    )


def build(result: Result, lang: str, texts: Texts | None = None) -> dict[str, Any]:
    """The report data of one assessment, texts in `lang`. Deterministic: same input, same data."""
    q, sheet, catalogue = result.questionnaire, result.sheet, result.catalogue
    texts = texts or texts_of(q, catalogue, lang)
    questions = q.question_map()
    sections = catalogue.section_map() if catalogue else {}
    domain_titles, question_titles = texts.domains, texts.questions
    m = sheet.municipality

    def gap_row(g: gapmod.Gap) -> dict[str, Any]:
        key, values = g.next_step
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
            "next_step": text(key, lang, **values),
            "manual": list(g.manual),
            "actions": list(texts.actions(g.manual)),
            "quick_win": g.quick_win,
            "phase": g.phase,
        }

    order = catalogue.section_order() if catalogue else {}
    cited = sorted(
        {ref for question in questions.values() for ref in question.manual}, key=lambda r: order.get(r, len(order))
    )
    domains: dict[str, Any] = {}
    for ds, domain in zip(result.score.domains, q.domains):
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
    for qs in result.score.questions:
        question = questions[qs.question_id]
        answer = sheet.answers.get(qs.question_id)
        rows.append(
            {
                "id": qs.question_id,
                "domain": qs.domain_id,
                "text": question_titles[qs.question_id],
                "state": qs.state,
                "state_label": "" if qs.state == "answered" else text(f"report.state_{qs.state}", lang),
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
        "synthetic": sheet.synthetic,
        "assessed": sheet.assessed.isoformat(),
        "fiscal_year": fy,
        "lang": lang,
        "tier": result.tier.value,
        "tier_label": text(f"report.tier_{result.tier.value}", lang),
        "overall": rounded(result.overall),
        "overall_target": rounded(result.score.overall_target),
        "completeness": rounded(result.completeness, 3),
        "domains": domains,
        "gaps": [gap_row(g) for g in result.gaps],
        "roadmap": [
            {
                "phase": p.key,
                "label": text(f"report.{p.key}", lang),
                "fiscal_year": p.fiscal_year,
                "period": text(
                    "report.fy_later" if p.key == "later" else "report.fy",
                    lang,
                    fy=p.fiscal_year,
                    reiwa=gapmod.reiwa(p.fiscal_year),
                ),
                "gaps": [g.question_id for g in p.gaps],
            }
            for p in result.roadmap
        ],
        "questions": rows,
        "manual": [citation(catalogue, sections[ref], lang) for ref in cited if ref in sections],
        "policy": [text(f"report.policy_{i}", lang) for i in range(1, POLICY_LINES + 1)],
        "previous": None,
    }
    if result.previous is not None and result.comparison is not None:
        titles = {**domain_titles, **question_titles, "overall": text("report.overall", lang)}
        data["previous"] = {
            "assessed": result.previous.assessed.isoformat(),
            **_comparison(result.comparison, titles, lang),
        }
    return data
