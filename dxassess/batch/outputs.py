"""Batch summaries: summary.csv (UTF-8 with BOM), summary.xlsx, summary.json and index.html.

No cell that came from an input may start a spreadsheet formula: text cells go through
`safe_cell` (CSV) and `put_text` (XLSX).
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
from dxassess.sheets.write import in_memory, put_text, safe_cell, stable_xlsx
from dxassess.text import Msg, msg, text

TIERS = ("designated_city", "core_city", "city", "special_ward", "town_village")


def _columns(domain_ids: list[str]) -> list[str]:
    return [
        "code",
        "name",
        "prefecture",
        "population",
        "tier",
        "overall",
        "tier_percentile",
        "completeness",
        "assessed",
        "questionnaire",
        *domain_ids,
        "gaps",
        "expired_evidence",
    ]


def _record(row: dict[str, Any], domain_ids: list[str]) -> list[Any]:
    return [
        row["code"],
        row["name"],
        row["prefecture"],
        row["population"],
        row["tier"],
        row["overall"],
        row.get("percentile", {}).get("overall"),
        row["completeness"],
        row["assessed"],
        row["questionnaire"],
        *[row["domains"].get(d) for d in domain_ids],
        len(row["gaps"]),
        row.get("expired_evidence", 0),
    ]


def summary_csv(rows: list[dict[str, Any]], domain_ids: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_columns(domain_ids))
    for row in rows:
        writer.writerow(
            [safe_cell(v) if isinstance(v, str) else ("" if v is None else v) for v in _record(row, domain_ids)]
        )
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


# summary.xlsx: (catalogue key of the header, column width in characters, number format)
_XLSX_COLUMNS = {
    "code": ("report.code", 11, "@"),
    "name": ("report.municipality", 16, "General"),
    "prefecture": ("report.prefecture", 10, "General"),
    "population": ("report.population", 12, "#,##0"),
    "tier": ("report.tier", 14, "General"),
    "overall": ("report.overall", 10, "0.00"),
    "tier_percentile": ("report.index_percentile", 10, "0"),
    "completeness": ("report.completeness", 10, "0%"),
    "assessed": ("report.assessed", 12, "yyyy-mm-dd"),
    "questionnaire": ("report.questionnaire", 20, "General"),
    "gaps": ("report.summary_gap_count", 11, "0"),
    "expired_evidence": ("report.summary_expired_evidence", 11, "0"),
}
DOMAIN_COLUMN = (11, "0.00")


def _xlsx_value(key: str, value: Any, lang: str) -> Any:
    """A summary value as a spreadsheet should hold it: dates as dates, tiers by their name."""
    import datetime as dt

    if key == "assessed" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if key == "tier" and isinstance(value, str):
        return text(f"report.tier_{value}", lang)
    return value


def _sheet_setup(ws: Any, widths: list[float], rows: int) -> None:
    """Frozen header, filters, widths, A4 landscape fitted to the page width, header on every page."""
    from openpyxl.utils import get_column_letter

    last = get_column_letter(len(widths))
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.auto_filter.ref = f"A1:{last}{max(rows, 1) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = "9"  # A4 (openpyxl's Worksheet.PAPERSIZE_A4)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def summary_xlsx(
    rows: list[dict[str, Any]], domain_ids: list[str], bench: Benchmarks, titles: dict[str, str], lang: str
) -> bytes:
    """The summary and the tier benchmarks as a workbook for people: headers and size tiers in
    `lang`, dates as dates, number formats, widths, filters, a frozen header, A4 landscape
    (written in memory, without temporary files). Scripts read summary.csv or summary.json, which keep the ids."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook(write_only=True)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")

    def header(sheet: Any, names: list[str]) -> None:
        cells = []
        for name in names:
            cell = put_text(WriteOnlyCell(sheet), name)
            cell.font, cell.fill, cell.alignment = bold, fill, wrap
            cells.append(cell)
        sheet.row_dimensions[1].height = 46  # three lines of a wrapped domain title
        sheet.append(cells)

    keys = _columns(domain_ids)
    specs = [_XLSX_COLUMNS.get(key, (None, *DOMAIN_COLUMN)) for key in keys]
    ws = wb.create_sheet(text("report.summary_sheet", lang))
    ws.freeze_panes = "C2"
    _sheet_setup(ws, [width for _, width, _ in specs], len(rows))
    in_memory(ws)  # no temporary files: nothing to leak, no file-size limit to hit
    header(ws, [text(spec[0], lang) if spec[0] else titles.get(key, key) for key, spec in zip(keys, specs)])
    for row in rows:
        cells = []
        for key, (_, _, fmt), value in zip(keys, specs, _record(row, domain_ids)):
            value = _xlsx_value(key, value, lang)
            cell = WriteOnlyCell(ws)
            if isinstance(value, str):
                put_text(cell, value)  # text that would start a formula goes in as an explicit string
            else:
                cell.value = value
            cell.number_format = fmt
            cells.append(cell)
        ws.append(cells)

    bs = wb.create_sheet(text("report.benchmarks_sheet", lang))
    bench_keys = ("tier", "domain", "summary_n", "summary_q1", "index_median", "summary_q3", "summary_min")
    names = [text(f"report.{k}", lang) for k in bench_keys]
    names += [text("report.summary_max", lang), text("report.summary_suppressed", lang)]
    stats_rows = [
        (tier, key, stats.as_dict()) for tier in TIERS for key, stats in bench.tier_stats(tier).items() if stats.n
    ]
    bs.freeze_panes = "C2"
    _sheet_setup(bs, [16, 24, 9, 11, 11, 11, 9, 9, 14], len(stats_rows))
    in_memory(bs)
    header(bs, names)
    yes, no = text("report.yes", lang), text("report.no", lang)
    overall = text("report.overall", lang)
    for tier, key, d in stats_rows:
        label = overall if key == "overall" else titles.get(key, key)
        bs.append(
            [
                put_text(WriteOnlyCell(bs), text(f"report.tier_{tier}", lang)),
                put_text(WriteOnlyCell(bs), label),
                d["n"],
                d["q1"],
                d["median"],
                d["q3"],
                d["min"],
                d["max"],
                yes if d["suppressed"] else no,
            ]
        )
    return stable_xlsx(wb)


def summary_json(
    rows: list[dict[str, Any]],
    rejected: list[Any],
    bench: Benchmarks,
    domain_ids: list[str],
    lang: str,
    warnings: Sequence[Any] = (),
) -> str:
    municipalities = [
        {
            "municipality": {k: row[k] for k in ("code", "name", "prefecture", "population")},
            "questionnaire": dict(zip(("id", "version"), row["questionnaire"].split(" "), strict=False)),
            "assessed": row["assessed"],
            "overall": row["overall"],
            "completeness": row["completeness"],
            "tier": row["tier"],
            "domains": {
                d: {
                    "score": row["domains"][d],
                    "target": row["targets"][d],
                    "gap": None
                    if row["domains"][d] is None
                    else round(max(0.0, row["targets"][d] - row["domains"][d]), 2),
                }
                for d in domain_ids
            },
            "gaps": [
                {"question_id": q, "gap": gap, "priority": priority, "manual": list(manual)}
                for q, gap, priority, manual in row["gaps"]
            ],
            "tier_percentile": row.get("percentile", {}),
            "expired_evidence": row.get("expired_evidence", 0),
            "source": row["source"],
        }
        for row in rows
    ]
    benchmarks = {
        tier: {key: s.as_dict() for key, s in bench.tier_stats(tier).items()} for tier in TIERS if bench.counts[tier]
    }
    payload = {
        "municipalities": municipalities,
        "benchmarks": benchmarks,
        "minimum_group": MIN_GROUP,
        "rejected": _rejected(rejected, lang),
        "warnings": _rejected(warnings, lang),
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"


def _rejected(rejected: Sequence[Any], lang: str) -> list[dict[str, str]]:
    """The rejected inputs (or the warnings of scored ones): what the user gave and the problem,
    as `validate` would print it."""
    return [{"input": r.source, "reason": r.problem.format_text(lang)} for r in rejected]


def _box_svg(stats_by_tier: dict[str, Any], tier_labels: dict[str, str], title: str) -> str:
    """A horizontal box plot (quartiles, min–max) per tier on a 0–5 axis; suppressed tiers say so."""
    from markupsafe import escape

    width, left, row_h = 520, 130, 26
    scale = (width - left - 20) / 5
    tiers = [t for t in TIERS if stats_by_tier.get(t) and stats_by_tier[t]["n"]]
    height = 30 + row_h * len(tiers)
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
    for k, tier in enumerate(tiers):
        s = stats_by_tier[tier]
        y = 10 + k * row_h
        parts.append(
            f'<text x="{left - 6}" y="{y + 13}" font-size="12" text-anchor="end">'
            f"{escape(tier_labels[tier])} (n={s['n']})</text>"
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


def index_html(
    rows: list[dict[str, Any]],
    rejected: list[Any],  # batch.run.Rejection
    bench: Benchmarks,
    domain_ids: list[str],
    titles: dict[str, str],
    question_texts: dict[str, str],
    lang: str,
    warnings: Sequence[Any] = (),
) -> str:
    from markupsafe import Markup

    from dxassess.model import Tier
    from dxassess.render.templates import render_shipped

    tier_labels = {t.value: text(f"report.tier_{t.value}", lang) for t in Tier}
    titles = {**{d: d for d in domain_ids}, **titles}  # --questionnaire may not be the inputs' own
    bench_view = []
    for key in ["overall", *domain_ids]:
        per_tier = {tier: bench.tier_stats(tier)[key].as_dict() for tier in TIERS if bench.counts[tier]}
        title = text("report.overall", lang) if key == "overall" else titles.get(key, key)
        bench_view.append(
            {"key": key, "title": title, "tiers": per_tier, "svg": Markup(_box_svg(per_tier, tier_labels, title))}
        )
    missed = {
        tier: [
            {"id": qid, "text": question_texts.get(qid, qid), "count": n, "share": share}
            for qid, n, share in bench.most_missed(tier)
        ]
        for tier in TIERS
        if bench.counts[tier]
    }
    data = {
        "lang": lang,
        "rows": rows,
        "domain_ids": domain_ids,
        "titles": titles,
        "tier_labels": tier_labels,
        "tiers": [t for t in TIERS if bench.counts[t]],
        "counts": dict(bench.counts),
        "benchmarks": bench_view,
        "missed": missed,
        "rejected": _rejected(rejected, lang),
        "warned": _rejected(warnings, lang),
        "warned_title": text("report.batch_warnings", lang),
        "min_group": MIN_GROUP,
    }
    return render_shipped("index.html.j2", data)


def write_all(
    out: Path,
    rows: list[dict[str, Any]],
    rejected: list[Any],  # batch.run.Rejection
    bench: Benchmarks,
    titles: dict[str, str],
    question_texts: dict[str, str],
    lang: str,
    protect: set[Path],
    warnings: Sequence[Any] = (),  # batch.run.InputWarning
) -> None:
    """Write the four summaries. The workbook, the slowest, is written by a forked process
    (where the platform forks) while this one writes the others."""
    domain_ids = bench.domain_ids
    xlsx = _Beside(
        out / "summary.xlsx",
        lambda: write_atomic(
            out / "summary.xlsx", summary_xlsx(rows, domain_ids, bench, titles, lang), protect=protect
        ),
    )
    try:
        write_atomic(out / "summary.csv", summary_csv(rows, domain_ids), protect=protect)
        write_atomic(
            out / "summary.json", summary_json(rows, rejected, bench, domain_ids, lang, warnings), protect=protect
        )
        write_atomic(
            out / "index.html",
            index_html(rows, rejected, bench, domain_ids, titles, question_texts, lang, warnings),
            protect=protect,
        )
    finally:
        xlsx.wait()


class _Beside:
    """Run `task`, which writes `path`, in a forked child process, or at `wait()` where there is
    no fork. `wait()` raises the task's DxassessError (or an OutputError naming `path` if the
    child died) in this process."""

    def __init__(self, path: Path, task: Callable[[], None]) -> None:
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

    def wait(self) -> None:
        if self.child is None:
            self.task()
            return
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
            raise OutputError(msg("batch.xlsx_failed", reason=message[1][:200]), path=str(self.path))
        if message[0] == "died":
            raise OutputError(msg("batch.xlsx_stopped", exit_code=self.child.exitcode), path=str(self.path))


def _child(task: Callable[[], None], writer: Any) -> None:
    try:
        task()
    except DxassessError as exc:
        writer.send(("error", exc.message, exc.message_ja, exc.path, exc.code))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which exits cleanly
        writer.send(("died", repr(exc)))
    else:
        writer.send(("ok",))
    writer.close()
