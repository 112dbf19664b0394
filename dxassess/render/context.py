"""Result → the plain, JSON-ready data every report, `score --json` and user templates get,
texts in one language. No computation of scores, gaps or dates here: they come from the Result;
this module only puts them in words (docs/report-data.md documents every key)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dxassess import gaps as gapmod
from dxassess import lgcode, provenance
from dxassess.assess import Result
from dxassess.compare import Comparison
from dxassess.memo import PerObjects
from dxassess.render import parts
from dxassess.render.summary import summary
from dxassess.scoring import rounded
from dxassess.text import pick, text
from dxassess.text.reports import POLICY_LINES


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
        "versions": list(cmp.versions) if any(cmp.versions) else None,
        "not_comparable": [{"id": qid, "title": titles.get(qid, qid)} for qid in cmp.not_comparable],
    }


@dataclass
class Texts:
    """The questionnaire's and the catalogue's texts in one language, made once per report; batch
    keeps one per worker and language, so thousands of reports share them."""

    lang: str
    domains: dict[str, str]
    questions: dict[str, str]
    catalogue: Any
    _memo: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    def _once(self, key: tuple[str, Any], make: Any) -> Any:
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = make()
        return found

    def section_actions(self, refs: tuple[str, ...]) -> tuple[str, ...]:
        """What the cited sections ask (for questions that name no catalogue actions)."""
        return self._once(
            ("sections", refs), lambda: tuple(pick(a, self.lang) for a in gapmod.actions_for(self.catalogue, refs))
        )

    def actions(self, refs: tuple[str, ...]) -> list[dict[str, Any]]:
        table = self.catalogue.action_map() if self.catalogue else {}
        return self._once(
            ("actions", refs), lambda: [parts.action_view(table[r], self.lang) for r in refs if r in table]
        )

    def schemes(self, refs: tuple[str, ...]) -> list[dict[str, Any]]:
        table = self.catalogue.scheme_map() if self.catalogue else {}
        return self._once(
            ("schemes", refs), lambda: [parts.scheme_view(table[r], self.lang) for r in refs if r in table]
        )

    def figures(self, refs: tuple[str, ...], band: str, tier: str) -> list[dict[str, Any]]:
        table = self.catalogue.figure_map() if self.catalogue else {}
        return self._once(
            ("figures", (refs, band, tier)),
            lambda: [parts.figure_view(table[r], band, tier, self.lang) for r in refs if r in table],
        )

    def answer(self, questionnaire: Any, question: Any, answer: Any) -> str:
        """`parts.answer_text`, once per question and value (a number is written each time: few
        numbers repeat)."""
        if answer is None or answer.value is None or question.type == "numeric":
            return parts.answer_text(questionnaire, question, answer, self.lang)
        value = answer.value
        key = ("answer", (question.id, type(value), value))
        return self._once(key, lambda: parts.answer_text(questionnaire, question, answer, self.lang))

    def question_row(
        self, questionnaire: Any, question: Any, qs: Any, answer: Any, band: str, tier: str
    ) -> dict[str, Any]:
        """A question's row of the report data, as for an answer without note, review, author,
        date, evidence or age (`build` fills those in): made once per question, state, level,
        target and answer (a number's answer each time: few numbers repeat). A new dict."""
        value = None if answer is None else answer.value
        if value is not None and question.type == "numeric":
            return self._question_row(questionnaire, question, qs, answer, band, tier)
        key = ("question", qs.question_id, qs.state, qs.level, qs.target, value.__class__, value, band, tier)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._question_row(questionnaire, question, qs, answer, band, tier)
        return dict(found)

    def _question_row(
        self, questionnaire: Any, question: Any, qs: Any, answer: Any, band: str, tier: str
    ) -> dict[str, Any]:
        return {
            "id": qs.question_id,
            "domain": qs.domain_id,
            "text": self.questions[qs.question_id],
            "state": qs.state,
            "state_label": "" if qs.state == "answered" else text(f"report.state_{qs.state}", self.lang),
            "level": rounded(qs.level),
            "target": rounded(qs.target),
            "answer": self.answer(questionnaire, question, answer),
            "note": "",
            "review": False,
            "national": self.figures(tuple(question.national), band, tier),
            "answered_by": "",
            "answered_on": None,
            "evidence": None,
            "stale": None,
            "stale_label": "",
        }

    def owner(self, owner: Any) -> str:
        return self._once(("owner", owner), lambda: parts.owner_label(owner, self.lang))

    def duration(self, months: int | None) -> str:
        return self._once(("duration", months), lambda: parts.duration_label(months, self.lang))

    def start_of(self, start: Any, assessed: Any) -> tuple[str, str]:
        """An action's start month as YYYY-MM and in words (which depend on the assessment's
        month only)."""
        key = ("start", start, assessed.year, assessed.month)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = (start.isoformat()[:7], parts.start_label(start, assessed, self.lang))
        return found

    def gap_fixed(self, g: gapmod.Gap, band: str, tier: str) -> dict[str, Any]:
        """`_gap_fixed`, once per question, level, target, priority, overdue and group (do not
        modify: `_gap_row` copies it)."""
        key = ("gap", g.question_id, g.current, g.target, g.priority, g.overdue, band, tier)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = _gap_fixed(g, band, tier, self, self.lang)
        return found

    def budget(self, item: Any, cutoff: int) -> str:
        key = ("budget", (item.budget, item.budget_fy, item.supplementary_fy, item.overdue, cutoff))
        return self._once(key, lambda: parts.budget_label(item, cutoff, self.lang))

    def citations(self, refs: tuple[str, ...]) -> list[dict[str, Any]]:
        sections = self.catalogue.section_map() if self.catalogue else {}
        return self._once(
            ("citations", refs),
            lambda: [parts.citation(self.catalogue, sections[r], self.lang) for r in refs if r in sections],
        )


def texts_of(questionnaire: Any, catalogue: Any, lang: str) -> Texts:
    return Texts(
        lang,
        {d.id: pick(d.title, lang) for d in questionnaire.domains},
        {qid: pick(question.text, lang) for qid, question in questionnaire.question_map().items()},
        catalogue,
    )


def _gap_fixed(g: gapmod.Gap, band: str, tier: str, texts: Texts, lang: str) -> dict[str, Any]:
    """A gap's row without what depends on the municipality's answer and calendar (answer, quick
    win, start, budget, phase: filled in by `_gap_row`): the same for every municipality of a band
    with that level, so a batch makes it once per worker."""
    key, values = g.next_step
    deadline = None
    if g.deadline is not None:
        deadline = {
            "date": g.deadline.date.isoformat(),
            "date_label": parts.date_label(g.deadline.date, lang),
            "basis": pick(g.deadline.basis, lang),
            "overdue": pick(g.deadline.overdue, lang) if g.deadline.overdue else "",
        }
    return {
        "question_id": g.question_id,
        "domain": g.domain_id,
        "domain_title": texts.domains[g.domain_id],
        "text": texts.questions[g.question_id],
        "answer": "",
        "current": rounded(g.current),
        "target": rounded(g.target),
        "gap": rounded(g.gap),
        "priority": rounded(g.priority),
        "next_level": g.next_level,
        "next_step": text(key, lang, **values),
        "has_step": g.step is not None,
        "owner": g.owner.value if g.owner else None,
        "owner_label": texts.owner(g.owner),
        "needs_budget": g.needs_budget,
        "duration": g.months,
        "duration_label": texts.duration(g.months),
        "manual": list(g.manual),
        "citations": texts.citations(g.manual),
        "actions": texts.actions(g.actions) if g.actions else [{"text": a} for a in texts.section_actions(g.manual)],
        "support": texts.schemes(g.support),
        "national": texts.figures(g.national, band, tier),
        "deadline": deadline,
        "overdue": g.overdue,
        "after": list(g.after),
        "quick_win": False,
        "start": "",
        "start_label": "",
        "budget_label": "",
        "phase": "",
    }


def _gap_row(
    g: gapmod.Gap,
    texts: Texts,
    item: Any,
    answer: str,
    phase: str,
    band: str,
    tier: str,
    assessed: Any,
    cutoff: int,
) -> dict[str, Any]:
    row: dict[str, Any] = dict(texts.gap_fixed(g, band, tier))
    row["answer"] = answer
    row["quick_win"] = g.quick_win
    row["start"], row["start_label"] = texts.start_of(item.start, assessed)
    row["budget_label"] = texts.budget(item, cutoff)
    row["phase"] = phase
    return row


def _evidence(answer: Any) -> dict[str, Any] | None:
    evidence = answer.evidence if answer is not None else None
    if evidence is None:
        return None
    data: dict[str, Any] = evidence.model_dump()
    data["expires"] = evidence.expires.isoformat() if evidence.expires else None
    return data


def _cited(questionnaire: Any, catalogue: Any) -> tuple[str, ...]:
    """Every manual section the questionnaire cites, in the catalogue's order."""
    order = catalogue.section_order() if catalogue else {}
    refs = {ref for question in questionnaire.question_map().values() for ref in question.manual}
    return tuple(sorted(refs, key=lambda r: order.get(r, 0)))


_CITED: PerObjects[tuple[str, ...]] = PerObjects(_cited)  # the same for every report of a batch


def build(result: Result, lang: str, texts: Texts | None = None, max_age: int | None = None) -> dict[str, Any]:
    """The report data of one assessment, texts in `lang`. Deterministic: same input, same data.
    `max_age`: answers given more than this many months before the file's date are flagged."""
    q, sheet, catalogue = result.questionnaire, result.sheet, result.catalogue
    months = max_age or provenance.DEFAULT_MAX_AGE
    as_of = provenance.as_of(sheet)
    texts = texts or texts_of(q, catalogue, lang)
    questions = q.question_map()
    m = sheet.municipality
    items = {item.question_id: item for phase in result.roadmap for item in phase.items}
    cited = _CITED(q, catalogue)
    domains: dict[str, Any] = {}
    for ds, domain in zip(result.score.domains, q.domains):
        domains[ds.domain_id] = {
            "title": texts.domains[ds.domain_id],
            "score": rounded(ds.score),
            "target": rounded(ds.target),
            "gap": rounded(ds.gap),
            "weight": domain.weight,
            "answered": ds.answered,
            "applicable": ds.applicable,
        }
    band, tier = result.band.value, result.tier.value
    rows: list[dict[str, Any]] = []
    stale: list[dict[str, Any]] = []
    for qs in result.score.questions:
        question = questions[qs.question_id]
        answer = sheet.answers.get(qs.question_id)
        flag = provenance.staleness(answer, as_of, months) if answer and qs.state != "hidden" else None
        flag_label = ""
        if flag and answer is not None:
            day = provenance.expires(answer) if flag == provenance.EXPIRED else answer.answered_on
            flag_label = text(f"report.stale_{flag}", lang, date=parts.date_label(day or as_of, lang), months=months)
            stale.append(
                {"id": qs.question_id, "text": texts.questions[qs.question_id], "reason": flag, "label": flag_label}
            )
        row = texts.question_row(q, question, qs, answer, band, tier)
        if answer is not None:
            row["note"] = answer.note or ""
            row["review"] = bool(answer.review)
            row["answered_by"] = answer.answered_by or ""
            row["answered_on"] = answer.answered_on.isoformat() if answer.answered_on else None
            row["evidence"] = None if answer.evidence is None else _evidence(answer)
        row["stale"] = flag
        row["stale_label"] = flag_label
        rows.append(row)
    answers: dict[str, str] = {row["id"]: row["answer"] for row in rows}
    phases = {qid: p.key for p in result.roadmap for qid in p.question_ids}
    assessed, cutoff = result.assessed, result.budget_cutoff
    gaps = [
        _gap_row(
            g,
            texts,
            items[g.question_id],
            answers.get(g.question_id, ""),
            phases[g.question_id],
            band,
            tier,
            assessed,
            cutoff,
        )
        for g in result.gaps
    ]
    gaps_by_id = {g["question_id"]: g for g in gaps}
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
        "assessed_label": parts.date_label(sheet.assessed, lang),
        "fiscal_year": fy,
        "fiscal_year_label": parts.fy_label(fy, lang),
        "lang": lang,
        "tier": tier,
        "tier_label": text(f"report.tier_{tier}", lang),
        "band": band,
        "band_label": text(f"report.band_{band}", lang),
        "overall": rounded(result.overall),
        "overall_target": rounded(result.score.overall_target),
        "completeness": rounded(result.completeness, 3),
        "budget_cutoff": result.budget_cutoff,
        "domains": domains,
        "gaps": gaps,
        "roadmap": [
            {
                "phase": p.key,
                "label": text(f"report.{p.key}", lang),
                "fiscal_year": p.fiscal_year,
                "period": parts.fy_label(p.fiscal_year, lang, later=p.key == "later"),
                "gaps": list(p.question_ids),
            }
            for p in result.roadmap
        ],
        "questions": rows,
        "manual": texts.citations(cited),
        "policy": [text(f"report.policy_{i}", lang, cutoff=result.budget_cutoff) for i in range(1, POLICY_LINES + 1)],
        "previous": None,
        "provenance": {
            "as_of": as_of.isoformat(),
            "max_age": months,
            "intro": text("report.stale_intro", lang, date=parts.date_label(as_of, lang), months=months),
            "stale": stale,
        },
    }
    if result.previous is not None and result.comparison is not None:
        titles = {**texts.domains, **texts.questions, "overall": text("report.overall", lang)}
        data["previous"] = {
            "assessed": result.previous.assessed.isoformat(),
            "assessed_label": parts.date_label(result.previous.assessed, lang),
            **_comparison(result.comparison, titles, lang),
        }
    data["summary"] = summary(result, data, gaps_by_id, lang)
    return data
