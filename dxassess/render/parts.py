"""The pieces of a report as a reader sees them, in one language: citations, national figures,
support schemes, catalogue actions, owners, durations, dates on the municipal calendar, answers
with their labels. Each function takes model objects and returns plain values or dicts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from dxassess.gaps import fiscal_year, reiwa
from dxassess.model import ChoiceQuestion, NumericQuestion, ScaleQuestion, YesNoQuestion
from dxassess.text import pick, text


def era_label(fy: int, lang: str) -> str:
    """The Japanese era name and year of a fiscal year, as officers write it: 令和8, 令和元 for
    FY2019 (the year 令和 began), 平成30 for FY2018 and earlier. A fiscal year is named by the era
    in force at its end, as budgets since 令和元年度 are."""
    if fy >= 2019:
        return text("report.era_reiwa", lang, n=reiwa(fy)) if fy > 2019 else text("report.era_reiwa_first", lang)
    if fy >= 1989:
        return text("report.era_heisei", lang, n=fy - 1988) if fy > 1989 else text("report.era_heisei_first", lang)
    if fy >= 1926:  # no assessment of a DX plan dates from then; a typo in a date still reads right
        return text("report.era_showa", lang, n=fy - 1925)
    return text("report.era_western", lang, n=fy)


def fy_label(fy: int, lang: str, later: bool = False) -> str:
    """A fiscal year as officers write it: 令和9年度（2027年度） / FY2027; `later`: that year onward."""
    return text("report.fy_later" if later else "report.fy", lang, fy=fy, era=era_label(fy, lang))


def date_label(day: dt.date | str, lang: str) -> str:
    """A date as officers write it: 2026年3月31日 / 2026-03-31."""
    value = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return text("report.date", lang, year=value.year, month=value.month, day=value.day)


def written_date(day: str, lang: str) -> str:
    """A date given as text (a peer's assessment date in peers.json, whose shape alone is
    checked) as the report writes dates; one the calendar does not have, as it was written."""
    try:
        return date_label(day, lang)
    except ValueError:
        return day


def month_label(day: dt.date, lang: str) -> str:
    return text("report.month", lang, year=day.year, month=day.month)


def owner_label(owner: Any, lang: str) -> str:
    return text(f"report.owner_{owner.value if hasattr(owner, 'value') else owner}", lang) if owner else ""


def duration_label(months: int | None, lang: str) -> str:
    if not months:
        return ""
    if months % 12 == 0 and months >= 12:
        years = months // 12
        return text("report.duration_year" if years == 1 else "report.duration_years", lang, n=years)
    return text("report.duration_month" if months == 1 else "report.duration_months", lang, n=months)


def citation(catalogue: Any, section: Any, lang: str) -> dict[str, Any]:
    """A section as a person looks it up: document, edition, number, heading, pages, link, and
    the whole as one line (`label`)."""
    document = catalogue.document_map().get(section.document) if isinstance(section.document, str) else None
    if document is not None:
        title, edition = pick(document.title, lang), pick(document.edition, lang)
        url = section.url or document.url
        unconfirmed = section.unconfirmed or document.unconfirmed
    else:
        title = pick(section.document, lang) if isinstance(section.document, dict) else str(section.document)
        edition, url, unconfirmed = section.edition, section.url, section.unconfirmed
    heading = pick(section.title, lang)
    parts = [title, edition or "", section.number or "", heading if heading != title else ""]
    label = " ".join(p for p in parts if p)
    if section.pages:
        label += text("report.pages", lang, pages=section.pages)
    return {
        "id": section.id,
        "title": heading,
        "document": title,
        "edition": edition,
        "number": section.number,
        "pages": section.pages,
        "url": url,
        "unconfirmed": unconfirmed,
        "label": label,
    }


def _share(value: float) -> str:
    """A share as the sources print it, to one decimal everywhere (30.0%, 64.3%)."""
    return f"{value * 100:.1f}%"


def figure_view(figure: Any, band: str, tier: str, lang: str) -> dict[str, Any]:
    """A national figure beside a municipality's answer: what is counted, the value, the value
    for its size group where one is published, the year and the source."""
    if figure.count is not None and figure.total:
        value = text("report.figure_count", lang, count=f"{figure.count:,}", total=f"{figure.total:,}")
        share = figure.share if figure.share is not None else figure.count / figure.total
        value += text("report.figure_share_after", lang, share=_share(share))
    elif figure.share is not None:
        value = _share(figure.share)
    elif figure.count is not None:
        value = text("report.figure_count_only", lang, count=f"{figure.count:,}")
    else:
        value = ""
    size_key = band if band in figure.by_size else tier if tier in figure.by_size else None
    own_size = None
    if size_key is not None:
        own_size = {"group": size_key, "share": figure.by_size[size_key]}
    view = {
        "id": figure.id,
        "what": pick(figure.what, lang),
        "value": value,
        "share": figure.share,
        "count": figure.count,
        "total": figure.total,
        "size_group": own_size,
        "year": pick(figure.year, lang),
        "source": pick(figure.source, lang),
        "url": figure.url,
        "unconfirmed": figure.unconfirmed,
    }
    size = ""
    if own_size is not None:
        size = text("report.figure_size", lang, group=size_label(size_key, lang), share=_share(own_size["share"]))
    view["label"] = text(
        "report.figure_line", lang, what=view["what"], value=value, size=size, year=view["year"], source=view["source"]
    )
    view["short"] = text("report.figure_short", lang, what=view["what"], value=value, year=view["year"])
    return view


def size_label(key: str | None, lang: str) -> str:
    if not key:
        return ""
    from dxassess.model.size import Band, Tier

    if key in Band.__members__:
        return text(f"report.band_{key}", lang)
    if key in Tier.__members__:
        return text(f"report.tier_{key}", lang)
    return key


def year_label(year: str, lang: str) -> str:
    """A year as the catalogue gives it (`FY2025`, `2025`, `2025-04`), in officers' words."""
    found = re.fullmatch(r"FY(\d{4})", year.strip())
    return fy_label(int(found.group(1)), lang) if found else year


def scheme_view(scheme: Any, lang: str) -> dict[str, Any]:
    view = {
        "id": scheme.id,
        "name": pick(scheme.name, lang),
        "by": pick(scheme.by, lang),
        "summary": pick(scheme.summary, lang),
        "year": year_label(scheme.year, lang),
        "url": scheme.url,
        "unconfirmed": scheme.unconfirmed,
    }
    view["label"] = text("report.scheme_line", lang, name=view["name"], by=view["by"], year=view["year"])
    return view


def action_view(action: Any, lang: str) -> dict[str, Any]:
    """A catalogue action: its instruction and what it takes."""
    return {
        "id": action.id,
        "text": pick(action.text, lang),
        "owner": action.owner.value,
        "owner_label": owner_label(action.owner, lang),
        "needs_budget": action.needs_budget,
        "duration": action.months,
        "duration_label": duration_label(action.months, lang),
    }


def answer_text(questionnaire: Any, question: Any, answer: Any, lang: str) -> str:
    """An answer as a person reads it: `4 定量管理・継続`, `はい`, `6.5年`, the option's label."""
    if answer is None or answer.value is None:
        return ""
    value = answer.value
    if isinstance(question, YesNoQuestion):
        return text("report.yes" if value else "report.no", lang)
    if isinstance(question, ChoiceQuestion):
        option = question.option(value)
        return pick(option.label, lang) if option else str(value)
    if isinstance(question, NumericQuestion):
        unit = pick(question.unit, lang)
        return f"{value:g}{unit}" if lang == "ja" else f"{value:g} {unit}"
    if isinstance(question, ScaleQuestion):
        scale = questionnaire.scales.get(question.scale)
        override = question.levels.get(value)
        level = next((lv for lv in scale.levels if lv.level == value), None) if scale else None
        label = override.label if override and override.label else (level.label if level else None)
        return f"{value} {pick(label, lang)}".strip() if label else str(value)
    return str(value)


def start_label(start: dt.date, assessed: dt.date, lang: str) -> str:
    """When an action starts: now, or a fiscal year and month."""
    if start <= assessed.replace(day=1):
        return text("report.start_now", lang, month=month_label(start, lang))
    return text("report.start_from", lang, fy=fy_label(fiscal_year(start), lang), month=month_label(start, lang))


def budget_label(item: Any, cutoff: int, lang: str) -> str:
    """How an action is funded: nothing needed, the next 当初予算, or (the cut-off passed) the one
    after with a 補正予算 as the faster way."""
    if item.budget == "none":
        return text("report.budget_none", lang)
    initial = fy_label(item.budget_fy, lang)
    if item.overdue:
        return text("report.budget_overdue", lang, supplementary=fy_label(item.supplementary_fy, lang))
    if item.budget == "initial":
        return text("report.budget_initial", lang, fy=initial, cutoff=cutoff)
    return text(
        "report.budget_initial_late",
        lang,
        fy=initial,
        cutoff=cutoff,
        supplementary=fy_label(item.supplementary_fy, lang),
    )
