"""`score`, `report` and `compare`: one assessment (or two) in, scores and reports out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from dxassess.errors import InvalidFile, UsageError
from dxassess.i18n import label
from dxassess.messages import msg


def _load(path: Path, questionnaire: Path | None) -> Any:
    from dxassess.validate import load_assessment

    return load_assessment(path, questionnaire)


def run_score(paths: list[Path], as_json: bool, lang: str, questionnaire: Path | None) -> int:
    from dxassess.render.context import build
    from dxassess.render.templates import render_json

    if not paths:
        raise UsageError(msg("cmd.score_nothing"))
    results: list[dict] = []
    failed = 0
    for path in paths:
        try:
            results.append(build(_load(path, questionnaire), lang))
        except InvalidFile as exc:
            sys.stderr.write(exc.one_line(lang) + "\n")
            failed += 1
    if as_json:
        if results:
            import json

            payload = results[0] if len(paths) == 1 else results
            if len(paths) == 1:
                sys.stdout.write(render_json(payload))
            else:
                sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        for data in results:
            print_score_table(data, lang)
    return 1 if failed else 0


def print_score_table(data: dict, lang: str, console: Any = None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    m = data["municipality"]
    title = f"{m['name']} ({m['code']}) — {data['tier_label']} — {label('assessed', lang)} {data['assessed']}"
    table = Table(title=title, title_justify="left")
    table.add_column(label("domain", lang))
    table.add_column(label("score", lang), justify="right")
    table.add_column(label("target", lang), justify="right")
    table.add_column(label("gap", lang), justify="right")
    table.add_column("", no_wrap=True)
    for d in data["domains"].values():
        score, target = d["score"], d["target"]
        bar = "—" if score is None else "■" * int(round(score)) + "□" * (5 - int(round(score)))
        table.add_row(d["title"], _fmt(score), _fmt(target), _fmt(d["gap"]), bar)
    table.add_section()
    table.add_row(label("overall", lang), _fmt(data["overall"]), _fmt(data["overall_target"]), "", "")
    console.print(table)
    console.print(
        f"{label('completeness', lang)}: {data['completeness'] * 100:.0f}%   {label('gaps', lang)}: {len(data['gaps'])}"
    )


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def render_report(data: dict, fmt: str, template: Path | None) -> str:
    from dxassess.render.templates import render_json, render_shipped, render_user_template

    if template is not None:
        return render_user_template(template, data)
    if fmt == "json":
        return render_json(data)
    if fmt == "md":
        return render_shipped("report.md.j2", data)
    from dxassess.render.html import render_html

    return render_html(data)


def run_report(
    path: Path,
    fmt: str,
    output: Path | None,
    template: Path | None,
    previous: Path | None,
    lang: str,
    questionnaire: Path | None,
) -> int:
    from dxassess.files import write_atomic
    from dxassess.render.context import build

    assessment = _load(path, questionnaire)
    old = _load(previous, questionnaire) if previous else None
    if old is not None and old.sheet.municipality.code != assessment.sheet.municipality.code:
        raise UsageError(
            msg(
                "cmd.previous_other",
                old=old.sheet.municipality.code,
                new=assessment.sheet.municipality.code,
            )
        )
    text = render_report(build(assessment, lang, previous=old), fmt, template)
    if output is None:
        sys.stdout.write(text)
    else:
        protect = {path} | {p for p in (previous, template, questionnaire) if p is not None and p.is_file()}
        write_atomic(output, text, protect=protect)
        sys.stderr.write(f"{label('report_title', lang)}: {output}\n")
    return 0


def run_compare(old_path: Path, new_path: Path, as_json: bool, lang: str, questionnaire: Path | None) -> int:
    from dxassess.render.context import build
    from dxassess.render.templates import render_json

    old = _load(old_path, questionnaire)
    new = _load(new_path, questionnaire)
    if old.sheet.municipality.code != new.sheet.municipality.code:
        raise UsageError(
            msg(
                "cmd.compare_other",
                old_path=old_path,
                old=old.sheet.municipality.code,
                new_path=new_path,
                new=new.sheet.municipality.code,
            )
        )
    data = build(new, lang, previous=old)
    change = data["previous"]
    if as_json:
        sys.stdout.write(
            render_json(
                {
                    "municipality": data["municipality"],
                    "old": {
                        "assessed": old.sheet.assessed.isoformat(),
                        "questionnaire": old.sheet.questionnaire.version,
                    },
                    "new": {
                        "assessed": new.sheet.assessed.isoformat(),
                        "questionnaire": new.sheet.questionnaire.version,
                    },
                    **{k: change[k] for k in ("overall", "domains", "questions", "counts")},
                }
            )
        )
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(
        title=f"{data['municipality']['name']}: {change['assessed']} → {data['assessed']}", title_justify="left"
    )
    for name in ("domain", "previous", "current", "delta"):
        table.add_column(label(name, lang), justify="left" if name == "domain" else "right")
    table.add_column("")
    for row in [change["overall"], *change["domains"]]:
        sign = "" if row["delta"] is None else f"{row['delta']:+.2f}"
        marker = {"improved": "▲", "worsened": "▼", "unchanged": "＝"}.get(row["status"], "")
        table.add_row(row["title"], _fmt(row["old"]), _fmt(row["new"]), sign, f"{marker} {row['status_label']}")
    console.print(table)
    counts = change["counts"]
    console.print(
        f"{label('question', lang)}: {label('improved', lang)} {counts['improved']} / "
        f"{label('worsened', lang)} {counts['worsened']} / {label('unchanged', lang)} {counts['unchanged']}"
    )
    return 0
