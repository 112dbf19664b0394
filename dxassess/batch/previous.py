"""`batch --previous OLD_OUT`: an earlier batch's summary.json, and the change since then — per
municipality (the report's year-on-year section, as `report --previous` gives it), per size
group and across the whole batch (the index).

The earlier summary is read as data only. Each municipality's comparison uses the unrounded
scores and question levels summary.json keeps under `scores`; a summary written before they
were kept gives the domain and overall change from its rounded scores and no question changes.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dxassess.batch.peers import MIN_GROUP
from dxassess.errors import InputError
from dxassess.text import msg

MOVERS = 10  # municipalities named as most improved and most worsened
STILL_MISSED = 10  # questions listed as still most often below target


@dataclass(frozen=True)
class Before:
    """One municipality as the earlier batch scored it."""

    code: str
    name: str
    prefecture: str
    assessed: str
    overall: float | None
    domains: dict[str, float | None]
    questions: dict[str, float | None] | None  # None: the earlier summary kept no levels
    gaps: frozenset[str]
    digest: str  # of its entry in the earlier summary: what a cached report depends on
    questionnaire: str = ""  # "id version" it answered ("" when the summary does not say)


@dataclass(frozen=True)
class Previous:
    """An earlier batch: its municipalities by code, and where it was read from."""

    path: str
    municipalities: dict[str, Before]


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("not a number")
    return float(value)


def _before(m: dict[str, Any]) -> Before:
    who = m["municipality"]
    code = who["code"]
    if not isinstance(code, str):
        raise TypeError("code")
    exact = m.get("scores")
    if isinstance(exact, dict):
        overall = _number(exact["overall"])
        domains = {str(k): _number(v) for k, v in exact["domains"].items()}
        questions: dict[str, float | None] | None = {str(k): _number(v) for k, v in exact["questions"].items()}
    else:  # an older summary: its rounded scores, no question levels
        overall = _number(m["overall"])
        domains = {str(k): _number(v["score"]) for k, v in m["domains"].items()}
        questions = None
    digest = hashlib.blake2b(json.dumps(m, sort_keys=True, ensure_ascii=False).encode(), digest_size=16).hexdigest()
    q = m.get("questionnaire")
    answered = f"{q.get('id')} {q.get('version')}" if isinstance(q, dict) and q.get("id") and q.get("version") else ""
    return Before(
        code,
        str(who.get("name") or ""),
        str(who.get("prefecture") or ""),
        str(m["assessed"]),
        overall,
        domains,
        questions,
        frozenset(str(g["question_id"]) for g in m.get("gaps") or []),
        digest,
        answered,
    )


def read_previous(folder: Path) -> Previous:
    """OLD_OUT (a batch output folder, or its summary.json) → Previous. Raises InputError when it
    cannot be read or is not a batch summary."""
    from dxassess.files import SpecialFile, open_input

    path = folder / "summary.json" if folder.is_dir() else folder
    try:
        with open_input(path) as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise InputError(msg("batch.previous_missing"), path=str(path), code="DX009") from None
    except SpecialFile:
        raise InputError(msg("read.special_file"), path=str(path), code="DX009") from None
    except OSError as exc:
        from dxassess.text.problems import os_reason

        raise InputError(msg("read.cannot_read", reason=os_reason(exc)), path=str(path), code="DX009") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
        found: dict[str, Before] = {}
        for m in data["municipalities"]:
            before = _before(m)
            found.setdefault(before.code, before)
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise InputError(msg("batch.previous_not_summary"), path=str(path), code="DX315") from None
    return Previous(str(path), found)


def score_of(before: Before, like: Any) -> Any:
    """A Score holding what `compare` reads of the earlier assessment (its overall, domain and
    question levels); `like` is the current Score, for the fields compare does not read."""
    from dxassess.scoring import DomainScore, QuestionScore, Score

    domains = tuple(DomainScore(d, s, 0.0, None, 0, 0) for d, s in before.domains.items())
    levels = before.questions or {}
    questions = tuple(
        QuestionScore(q, "", "answered" if v is not None else "unanswered", v, 0.0, 0.0) for q, v in levels.items()
    )
    return Score(like.tier, like.band, before.overall, 0.0, 0.0, domains, questions)


def other_version(before: Before, questionnaire: str) -> str | None:
    """The version of the questionnaire `before` answered, when it is not the one answered now
    (`questionnaire`: "id version"); None when they are the same or the summary does not say."""
    if not before.questionnaire or before.questionnaire == questionnaire:
        return None
    return before.questionnaire.partition(" ")[2] or before.questionnaire


def report_change(before: Before, result: Any, texts: Any, lang: str) -> dict[str, Any]:
    """The report data's `previous` key for a municipality scored now and `before`: what
    `report --previous` puts there (render/context.py), from the earlier summary. Answered for
    another version of the questionnaire, the earlier summary holds its scores but not its
    answers, so they cannot be carried to this version as `report --previous` does: the change
    is of the scores each version gave, without the questions, and says so (`scored_apart`)."""
    from dataclasses import replace

    from dxassess.compare import compare
    from dxassess.render.context import _comparison
    from dxassess.render.parts import date_label
    from dxassess.text import text

    q = result.questionnaire
    old_version = other_version(before, f"{q.id} {q.version}")
    comparison = compare(score_of(before, result.score), result.score)
    if before.questions is None or old_version is not None:  # domain and overall change only
        comparison = replace(comparison, questions=())
    if old_version is not None:
        comparison = replace(comparison, versions=(old_version, q.version))
    titles = {**texts.domains, **texts.questions, "overall": text("report.overall", lang)}
    data = {
        "assessed": before.assessed,
        "assessed_label": date_label(before.assessed, lang),
        **_comparison(comparison, titles, lang),
    }
    if old_version is not None:
        data["scored_apart"] = True
    return data


# --- the change across the batch (index and summaries) -----------------------------------------


def _status(old: float | None, new: float | None) -> tuple[float | None, str]:
    """compare.change_status, with a side missing not comparable (a summary has no new/removed
    for a single score)."""
    from dxassess.compare import change_status

    delta, status = change_status(old, new)
    return (None, "not_comparable") if status in ("new", "removed") else (delta, status)


def row_change(row: dict[str, Any], before: Before) -> dict[str, Any]:
    """A municipality's change since `before` for the summaries: overall and per domain."""
    from dxassess.scoring import rounded

    delta, status = _status(before.overall, row["exact"]["overall"])
    domains = {}
    for d in row["domains"]:
        d_delta, _ = _status(before.domains.get(d), row["exact"]["domains"].get(d))
        domains[d] = rounded(d_delta)
    change = {
        "assessed": before.assessed,
        "overall": rounded(before.overall),
        "delta": rounded(delta),
        "status": status,
        "domains": domains,
    }
    if other_version(before, row["questionnaire"]) is not None:  # the scores each version gave
        change["questionnaire"] = before.questionnaire
    return change


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if len(values) >= MIN_GROUP else None


def group_change(rows: list[dict[str, Any]], previous: Previous, domain_ids: list[str]) -> dict[str, Any]:
    """The change across the batch: counts, movers, change per size band and per domain, the
    questions still most often below target, municipalities new or missing since then."""
    compared = [r for r in rows if r.get("change") is not None]
    status = Counter(r["change"]["status"] for r in compared)
    moved = [r for r in compared if r["change"]["delta"] is not None]
    up = sorted(
        (r for r in moved if r["change"]["status"] == "improved"), key=lambda r: (-r["change"]["delta"], r["code"])
    )
    down = sorted(
        (r for r in moved if r["change"]["status"] == "worsened"), key=lambda r: (r["change"]["delta"], r["code"])
    )
    bands: dict[str, dict[str, Any]] = {}
    for r in moved:
        bands.setdefault(r["band"], {"rows": []})["rows"].append(r)
    by_band = {}
    for band, group in bands.items():
        n = len(group["rows"])
        counts = Counter(r["change"]["status"] for r in group["rows"])
        by_band[band] = {
            "n": n,
            "suppressed": n < MIN_GROUP,
            "before": _median([r["change"]["overall"] for r in group["rows"]]),
            "now": _median([r["overall"] for r in group["rows"]]),
            "delta": _median([r["change"]["delta"] for r in group["rows"]]),
            "improved": counts["improved"] if n >= MIN_GROUP else None,
            "worsened": counts["worsened"] if n >= MIN_GROUP else None,
        }
    by_domain = {}
    for d in domain_ids:
        deltas = [r["change"]["domains"][d] for r in compared if r["change"]["domains"].get(d) is not None]
        n = len(deltas)
        by_domain[d] = {
            "n": n,
            "suppressed": n < MIN_GROUP,
            "delta": _median(deltas),
            "improved": sum(x > 0 for x in deltas) if n >= MIN_GROUP else None,
            "worsened": sum(x < 0 for x in deltas) if n >= MIN_GROUP else None,
        }
    still: Counter[str] = Counter()
    for r in compared:
        before = previous.municipalities[r["code"]]
        still.update(q for q in r["gaps"] if q in before.gaps)
    n = len(compared)
    ranked = sorted(still.items(), key=lambda kv: (-kv[1], kv[0]))[:STILL_MISSED] if n >= MIN_GROUP else []
    present = {r["code"] for r in rows}
    missing = sorted((b for code, b in previous.municipalities.items() if code not in present), key=lambda b: b.code)
    apart = Counter(r["change"]["questionnaire"] for r in compared if "questionnaire" in r["change"])
    return {
        "compared": n,
        "other_versions": {"n": sum(apart.values()), "versions": sorted(apart)},
        "counts": {k: status[k] for k in ("improved", "worsened", "unchanged", "not_comparable")},
        "improved": up[:MOVERS],
        "worsened": down[:MOVERS],
        "bands": by_band,
        "domains": by_domain,
        "still_missed": [(q, count, round(count / n, 3)) for q, count in ranked],
        "new": [r for r in rows if r.get("change") is None],
        "missing": [
            {"code": b.code, "name": b.name, "prefecture": b.prefecture, "assessed": b.assessed} for b in missing
        ],
    }
