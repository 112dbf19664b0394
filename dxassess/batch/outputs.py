"""Batch summaries: summary.csv (UTF-8 with BOM), summary.xlsx, summary.json and index.html.

Each is made from the summary rows alone (never from report text), the same rows whether they
were scored in this run or kept from an earlier one, so a re-run gives the bytes of a fresh run;
and a summary whose bytes did not change is not written again.

No cell that came from an input may start a spreadsheet formula: text cells go through
`safe_cell` (CSV) and are inline strings with the quote prefix (XLSX, `batch.xlsx`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dxassess.batch.peers import MIN_GROUP, Benchmarks
from dxassess.errors import DxassessError, OutputError
from dxassess.files import write_atomic
from dxassess.model.size import BAND_ORDER
from dxassess.sheets.cells import safe_cell
from dxassess.text import Msg, msg, text

BANDS = tuple(b.value for b in BAND_ORDER)
NAMES = ("summary.csv", "summary.json", "summary.xlsx", "index.html", "peers.json")


def _columns(domain_ids: list[str], with_change: bool) -> list[str]:
    return [
        "code",
        "name",
        "prefecture",
        "population",
        "tier",
        "band",
        "overall",
        "band_percentile",
        "completeness",
        "assessed",
        "questionnaire",
        *domain_ids,
        "gaps",
        "expired_evidence",
        *(["overall_previous", "overall_change"] if with_change else []),
    ]


def _record(row: dict[str, Any], domain_ids: list[str], with_change: bool) -> list[Any]:
    change = row.get("change") or {}
    return [
        row["code"],
        row["name"],
        row["prefecture"],
        row["population"],
        row["tier"],
        row["band"],
        row["overall"],
        row["percentile"]["overall"],
        row["completeness"],
        row["assessed"],
        row["questionnaire"],
        *[row["domains"].get(d) for d in domain_ids],
        len(row["gaps"]),
        row.get("expired_evidence", 0),
        *([change.get("overall"), change.get("delta")] if with_change else []),
    ]


def summary_csv(rows: list[dict[str, Any]], domain_ids: list[str], with_change: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_columns(domain_ids, with_change))
    for row in rows:
        writer.writerow(
            [
                safe_cell(v) if isinstance(v, str) else ("" if v is None else v)
                for v in _record(row, domain_ids, with_change)
            ]
        )
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


# summary.xlsx: (catalogue key of the header, column width in characters, number format)
_XLSX_COLUMNS = {
    "code": ("report.code", 11, "@"),
    "name": ("report.municipality", 16, "General"),
    "prefecture": ("report.prefecture", 10, "General"),
    "population": ("report.population", 12, "#,##0"),
    "tier": ("report.tier", 14, "General"),
    "band": ("report.band", 22, "General"),
    "overall": ("report.overall", 10, "0.00"),
    "band_percentile": ("report.idx_group_percentile", 10, "0"),
    "completeness": ("report.completeness", 10, "0%"),
    "assessed": ("report.assessed", 12, "yyyy-mm-dd"),
    "questionnaire": ("report.questionnaire", 20, "General"),
    "gaps": ("report.summary_gap_count", 11, "0"),
    "expired_evidence": ("report.summary_expired_evidence", 11, "0"),
    "overall_previous": ("report.summary_overall_previous", 11, "0.00"),
    "overall_change": ("report.overall_change", 11, "0.00"),
}
DOMAIN_COLUMN = (11, "0.00")


def _xlsx_value(key: str, value: Any, lang: str) -> Any:
    """A summary value as a spreadsheet should hold it: dates as dates, size groups by name."""
    import datetime as dt

    if key == "assessed" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if key in ("tier", "band") and isinstance(value, str):
        return text(f"report.{key}_{value}", lang)
    return value


def summary_xlsx(
    rows: list[dict[str, Any]],
    domain_ids: list[str],
    bench: Benchmarks,
    with_change: bool,
    titles: dict[str, str],
    lang: str,
) -> bytes:
    """The summary and the size-group benchmarks as a workbook for people: headers and size
    groups in `lang`, dates as dates, number formats, widths, filters, a frozen header, A4
    landscape. Scripts read summary.csv or summary.json, which keep the ids."""
    from dxassess.batch import xlsx

    keys = _columns(domain_ids, with_change)
    specs = [_XLSX_COLUMNS.get(key, (None, *DOMAIN_COLUMN)) for key in keys]
    names = [text(spec[0], lang) if spec[0] else titles.get(key, key) for key, spec in zip(keys, specs)]
    layout = xlsx.Layout([width for _, width, _ in specs], [fmt for _, _, fmt in specs])
    summary = xlsx.sheet_xml(
        names,
        ([_xlsx_value(k, v, lang) for k, v in zip(keys, _record(row, domain_ids, with_change))] for row in rows),
        freeze="C2",
        layout=layout,
    )
    yes, no = text("report.yes", lang), text("report.no", lang)
    overall = text("report.overall", lang)
    lines = []
    for band in BANDS:
        for key, stats in bench.group_stats(band).items():
            if stats.n == 0:
                continue
            d = stats.as_dict()
            lines.append(
                [
                    text(f"report.band_{band}", lang),
                    overall if key == "overall" else titles.get(key, key),
                    d["n"],
                    d["q1"],
                    d["median"],
                    d["q3"],
                    d["min"],
                    d["max"],
                    yes if d["suppressed"] else no,
                ]
            )
    bench_keys = ("band", "domain", "summary_n", "summary_q1", "index_median", "summary_q3", "summary_min")
    heads = [text(f"report.{k}", lang) for k in bench_keys]
    heads += [text("report.summary_max", lang), text("report.summary_suppressed", lang)]
    bench_layout = xlsx.Layout(
        [24, 24, 9, 11, 11, 11, 9, 9, 14],
        ["General", "General", "0", "0.00", "0.00", "0.00", "0.00", "0.00", "General"],
    )
    benchmarks = xlsx.sheet_xml(heads, lines, freeze="C2", layout=bench_layout)
    sheets = [(text("report.summary_sheet", lang), summary), (text("report.benchmarks_sheet", lang), benchmarks)]
    return xlsx.workbook(sheets, print_titles=True)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def summary_json(
    rows: list[dict[str, Any]],
    rejected: list[Any],
    bench: Benchmarks,
    lang: str,
    prefectures: dict[str, Any],
    change: dict[str, Any] | None,
    warnings: Sequence[Any] = (),  # batch.run.InputWarning
) -> bytes:
    """summary.json: each municipality's object (made by the worker, `row["json"]`) with its
    position in its size group (and its change, with --previous) added; the benchmarks per size
    band and per prefecture; the change across the batch; the rejected inputs."""
    pieces = [b'{"municipalities":[']  # joined once: 20 MB for 1,741 municipalities, copied once
    for row in rows:
        tail = ',"band_percentile":' + _dumps(row["percentile"])
        if change is not None:
            tail += ',"change":' + _dumps(row.get("change"))
        pieces += (row["json"], tail.encode("utf-8"), b"},")
    if rows:
        pieces[-1] = b"}"
    benchmarks = {
        band: {key: s.as_dict() for key, s in bench.group_stats(band).items()} for band in BANDS if bench.counts[band]
    }
    by_pref = {
        p["pref"]: {
            "n": p["n"],
            "suppressed": p["suppressed"],
            "overall": p["overall"],
            "completeness": p["completeness"],
            "overall_change": p["change"],
            "domains": p["domains"],
            "most_missed": [{"question_id": m["id"], "count": m["count"], "share": m["share"]} for m in p["missed"]],
        }
        for p in prefectures["table"]
    }
    rest: dict[str, Any] = {
        "benchmarks": benchmarks,
        "prefectures": by_pref,
        "minimum_group": MIN_GROUP,
    }
    if change is not None:
        rest["change"] = {
            "previous": change["path"],
            "compared": change["compared"],
            "counts": change["counts"],
            "most_improved": [r["code"] for r in change["improved"]],
            "most_worsened": [r["code"] for r in change["worsened"]],
            "bands": change["bands"],
            "domains": change["domains"],
            "still_below_target": [{"question_id": q, "count": c, "share": s} for q, c, s in change["still_missed"]],
            "new": [r["code"] for r in change["new"]],
            "missing": change["missing"],
        }
        if change["other_versions"]["n"]:  # compared with scores of another questionnaire version
            rest["change"]["other_versions"] = change["other_versions"]
    rest["rejected"] = _rejected(rejected, lang)
    rest["warnings"] = _rejected(warnings, lang)
    pieces += (b"],", _dumps(rest)[1:].encode("utf-8"), b"\n")
    return b"".join(pieces)


def _rejected(rejected: Sequence[Any], lang: str) -> list[dict[str, str]]:
    """The rejected inputs (or the warnings of scored ones): what the user gave and the problem,
    as `validate` would print it."""
    return [{"input": r.source, "reason": r.problem.format_text(lang)} for r in rejected]


def _box_svg(stats_by_group: dict[str, Any], group_labels: dict[str, str], title: str) -> str:
    """A horizontal box plot (quartiles, min–max) per size band on a 0–5 axis; suppressed bands
    say so."""
    from markupsafe import escape

    width, left, row_h = 560, 190, 26
    scale = (width - left - 20) / 5
    groups = [g for g in BANDS if stats_by_group.get(g) and stats_by_group[g]["n"]]
    height = 30 + row_h * len(groups)
    parts = [
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i in range(6):
        x = left + i * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 18}" stroke="#ccc"/>'
            f'<text x="{x:.1f}" y="{height - 4}" font-size="11" text-anchor="middle">{i}</text>'
        )
    for k, group in enumerate(groups):
        s = stats_by_group[group]
        y = 10 + k * row_h
        parts.append(
            f'<text x="{left - 6}" y="{y + 13}" font-size="11" text-anchor="end">'
            f"{escape(group_labels[group])} (n={s['n']})</text>"
        )
        if s["suppressed"]:
            parts.append(f'<text x="{left + 4}" y="{y + 13}" font-size="11" fill="#555">n&lt;{MIN_GROUP}: —</text>')
            continue
        at = {key: left + s[key] * scale for key in ("min", "q1", "median", "q3", "max")}
        parts.append(
            f'<line x1="{at["min"]:.1f}" y1="{y + 9}" x2="{at["max"]:.1f}" y2="{y + 9}" stroke="#333"/>'
            f'<rect x="{at["q1"]:.1f}" y="{y + 2}" width="{max(1.0, at["q3"] - at["q1"]):.1f}" height="14" '
            f'fill="#9ecae1" stroke="#08519c"/>'
            f'<line x1="{at["median"]:.1f}" y1="{y}" x2="{at["median"]:.1f}" y2="{y + 18}" stroke="#08306b" '
            f'stroke-width="3"><title>median {s["median"]}</title></line>'
        )
    parts.append("</svg>")
    return "".join(parts)


def table_rows(rows: list[dict[str, Any]], domain_ids: list[str], band_labels: dict[str, str], change: bool) -> str:
    """The <tr> rows of the index's table of every municipality (written here rather than in the
    template: a batch has up to 1,741 of them, and a re-run writes them all again)."""
    from markupsafe import escape

    from dxassess.render.templates import num

    def score(value: Any) -> str:  # `num`, for the scores (rounded floats or None)
        return f"{value:.2f}" if type(value) is float else num(value)

    labels = {band: str(escape(label)) for band, label in band_labels.items()}
    out = []
    for r in rows:
        code = escape(r["code"])
        position = r["percentile"]["overall"]
        cells = [
            f'<tr><td class="text">{code}</td><td class="text name"><a href="reports/{code}.html">'
            f'{escape(r["name"])}</a></td><td class="text">{escape(r["prefecture"])}</td>\n'
            f'<td class="num" data-v="{r["population"]}">{r["population"]:,}</td>'
            f'<td class="text">{labels[r["band"]]}</td>\n'
            f'<td class="num">{score(r["overall"])}</td><td class="num">{"—" if position is None else num(position, 0)}</td>\n'
        ]
        if change:
            delta = r["change"]["delta"] if r.get("change") else None
            cells.append(f'<td class="num">{"—" if delta is None else format(delta, "+.2f")}</td>')
        domains = r["domains"]
        cells += [f'<td class="num">{score(domains.get(d))}</td>' for d in domain_ids]
        cells.append("</tr>")
        out.append("".join(cells))
    return "\n".join(out)


def index_html(
    rows: list[dict[str, Any]],
    rejected: list[Any],  # batch.run.Rejection
    bench: Benchmarks,
    titles: dict[str, str],
    question_texts: dict[str, str],
    lang: str,
    prefectures: dict[str, Any],
    change: dict[str, Any] | None,
    warnings: Sequence[Any] = (),  # batch.run.InputWarning
) -> str:
    from markupsafe import Markup

    from dxassess.render.templates import render_shipped

    domain_ids = bench.domain_ids
    band_labels = {b: text(f"report.band_{b}", lang) for b in BANDS}
    titles = {**{d: d for d in domain_ids}, **titles}  # --questionnaire may not be the inputs' own
    bench_view = []
    for key in ["overall", *domain_ids]:
        per_band = {band: bench.group_stats(band)[key].as_dict() for band in BANDS if bench.counts[band]}
        title = text("report.overall", lang) if key == "overall" else titles.get(key, key)
        bench_view.append(
            {"key": key, "title": title, "tiers": per_band, "svg": Markup(_box_svg(per_band, band_labels, title))}
        )
    missed = {
        band: [
            {"id": qid, "text": question_texts.get(qid, qid), "count": n, "share": share}
            for qid, n, share in bench.most_missed(band)
        ]
        for band in BANDS
        if bench.counts[band]
    }
    if change is not None:
        change = {
            **change,
            "still_missed": [
                {"id": q, "text": question_texts.get(q, q), "count": c, "share": s}
                for q, c, s in change["still_missed"]
            ],
        }
    data = {
        "lang": lang,
        "rows": rows,
        "domain_ids": domain_ids,
        "titles": titles,
        "tier_labels": band_labels,
        "tiers": [b for b in BANDS if bench.counts[b]],
        "counts": dict(bench.counts),
        "benchmarks": bench_view,
        "missed": missed,
        "rejected": _rejected(rejected, lang),
        "rejected_inputs": len({r.index for r in rejected}),  # a sheet row with two bad cells is one input
        "warned": _rejected(warnings, lang),
        "warned_title": text("report.batch_warnings", lang),
        "min_group": MIN_GROUP,
        "prefectures": prefectures,
        "change": change,
        "table_rows": Markup(table_rows(rows, domain_ids, band_labels, change is not None)),
        "practices": practices_view(rows, question_texts),
    }
    return render_shipped("index.html.j2", data)


PRACTICE_QUESTIONS = 10  # questions on the practices page: those most often below target


def practices_view(rows: list[dict[str, Any]], question_texts: dict[str, str]) -> list[dict[str, Any]]:
    """The practices page's data: for the questions most often below target across the batch,
    the consenting municipalities that reached their target, by band (dxassess.sharing)."""
    from collections import Counter

    from dxassess.sharing import Named, practices

    named = [Named.from_dict(row["share"]["named"]) for row in rows if row["share"]["named"]]
    if not named:
        return []
    missed = Counter(qid for row in rows for qid in row["gaps"])
    ranked = [qid for qid, _ in sorted(missed.items(), key=lambda kv: (-kv[1], kv[0]))]
    out = []
    for qid, groups in practices(ranked, named, BANDS):
        out.append(
            {
                "id": qid,
                "text": question_texts.get(qid, qid),
                "count": missed[qid],
                "groups": [
                    {
                        "band": band,
                        "peers": [
                            {
                                "name": p.name,
                                "prefecture": p.prefecture,
                                "level": f"{p.levels[qid]:g}",
                                "contact": p.contact,
                                "public_note": p.notes.get(qid),
                                "assessed": p.assessed,
                            }
                            for p in members
                        ],
                    }
                    for band, members in groups
                ],
            }
        )
        if len(out) == PRACTICE_QUESTIONS:
            break
    return out


def _unchanged(path: Path, payload: bytes) -> bool:
    try:
        return path.stat().st_size == len(payload) and path.read_bytes() == payload
    except OSError:
        return False


def _write(path: Path, payload: bytes, protect: set[Path]) -> str:
    """Write `payload` to `path` unless the file already holds it; its hash."""
    from dxassess.batch.cache import digest

    if not _unchanged(path, payload):
        write_atomic(path, payload, protect=protect)
    return digest(payload)


def write_all(
    out: Path,
    makers: dict[str, Callable[[], bytes]],
    protect: set[Path],
    meanwhile: Callable[[], None] | None = None,
) -> dict[str, str]:
    """Write the summaries and peers.json (those whose bytes changed) and return their hashes. The
    JSON and CSV summaries, and the workbook, are made and written by two forked processes (where
    the platform forks) while this one makes the others and then does `meanwhile`."""

    def task(*names: str) -> Callable[[], dict[str, str]]:
        def write() -> dict[str, str]:
            written, failed = {}, None
            for name in names:  # one that cannot be written does not keep the other from its file
                try:
                    written[name] = _write(out / name, makers[name](), protect)
                except DxassessError as exc:
                    failed = failed or exc
            if failed is not None:
                raise failed
            return written

        return write

    aside = [
        _Beside(out / "summary.json", task("summary.json", "summary.csv")),
        _Beside(out / "summary.xlsx", task("summary.xlsx")),
    ]
    written: dict[str, str] = {}
    try:
        for name in ("index.html", "peers.json"):
            written[name] = _write(out / name, makers[name](), protect)
        if meanwhile is not None:
            meanwhile()
    finally:
        for child in aside:
            written.update(child.wait())
    return written


class _Beside:
    """Run `task`, which writes `path` and returns a text, in a forked child process, or at
    `wait()` where there is no fork. `wait()` returns the task's text, or raises the task's
    DxassessError (or an OutputError naming `path` if the child died) in this process."""

    def __init__(self, path: Path, task: Callable[[], Any]) -> None:
        import multiprocessing
        import sys

        self.path, self.task = path, task
        self.child: Any = None
        if sys.platform.startswith("linux"):
            context = multiprocessing.get_context("fork")
            self.reader, writer = context.Pipe(duplex=False)
            self.child = context.Process(target=_child, args=(task, writer), daemon=True)
            self.child.start()
            writer.close()

    def wait(self) -> Any:
        if self.child is None:
            return self.task()
        try:
            message = self.reader.recv()
        except EOFError:
            message = ("died", "")
        finally:
            self.child.join()
            self.reader.close()
        if message[0] == "error":
            _, english, japanese, path, code = message
            raise OutputError(Msg(english, japanese or english), path=path, code=code)
        if message[0] == "died" and message[1]:  # an exception, reported by the child: say which
            raise OutputError(msg("batch.summary_failed", reason=message[1][:200]), path=str(self.path))
        if message[0] == "died":
            raise OutputError(msg("batch.summary_stopped", exit_code=self.child.exitcode), path=str(self.path))
        return message[1] if len(message) > 1 else None


def _child(task: Callable[[], Any], writer: Any) -> None:
    try:
        result = task()
    except DxassessError as exc:
        writer.send(("error", exc.message, exc.message_ja, exc.path, exc.code))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which exits cleanly
        writer.send(("died", repr(exc)))
    else:
        writer.send(("ok", result))
    writer.close()
