"""`merge` and `score --progress`: the parts of a team assessment read from answer files and
sheets, merged into one answer file, or counted."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dxassess.errors import InputError, InvalidFile, UsageError
from dxassess.filekinds import SHEET_SUFFIXES
from dxassess.text import msg, text


@dataclass
class PartFiles:
    """The parts read from the files given, grouped by nothing yet."""

    parts: list[Any] = field(default_factory=list)  # merge.PartInput
    questionnaire: Any = None  # the questionnaire every part answers
    yaml: dict[str, Path] = field(default_factory=dict)  # part name → its answer file
    covered: dict[str, tuple[str, ...]] = field(default_factory=dict)  # part source → a sheet's question columns


def _is_sheet(path: Path) -> bool:
    """A sheet by its name or its first bytes; opened without waiting (a FIFO, device or socket
    is no sheet, and the answer-file reader refuses it with its own line)."""
    from dxassess.files import open_input

    if path.suffix.lower() in SHEET_SUFFIXES:
        return True
    try:
        with open_input(path) as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def read_parts(
    paths: list[Path],
    questionnaire_ref: str | None,
    code: str | None,
    ignore: frozenset[str] = frozenset(),
    many: bool = False,
) -> PartFiles:
    """Every part in `paths`: each answer file is one part (named by its `part`, else by its file
    name); each sheet row is one (named by its `part` cell, else by its columns or file name, with
    the row number when a sheet holds several rows of one municipality). `code` keeps the rows
    of that municipality only (an answer file of another one is refused by the merge); without it
    a sheet must hold one municipality, unless `many` (progress groups them). Raises InvalidFile / InputError for a file that cannot be used."""
    from dxassess.inputs import load_assessment
    from dxassess.merge import PartInput
    from dxassess.resolver import RESOLVER

    search = RESOLVER.search_path(questionnaire_ref)
    found = PartFiles()
    sheets: list[Path] = []
    unique = {path.resolve(): path for path in reversed(paths)}  # a file given twice is one part
    for path in [p for p in paths if unique.get(p.resolve()) is p]:
        if _is_sheet(path):
            sheets.append(path)
            continue
        assessment = load_assessment(path, search, ignore=ignore)
        sheet = assessment.sheet
        name = sheet.part.name if sheet.part else path.stem
        respondent = (sheet.part.respondent if sheet.part else None) or None
        found.parts.append(PartInput(name, str(path), sheet, respondent))
        found.yaml[name] = path
        found.questionnaire = found.questionnaire or assessment.questionnaire
    if sheets:
        questionnaire = found.questionnaire or RESOLVER.select(questionnaire_ref).questionnaire
        found.questionnaire = questionnaire
        for path in sheets:
            _sheet_parts(path, questionnaire, code, found, many)
    return found


def _sheet_parts(path: Path, questionnaire: Any, code: str | None, found: PartFiles, many: bool = False) -> None:
    from dxassess.merge import PartInput
    from dxassess.model import AnswerSheet
    from dxassess.sheets.read import read_sheet

    rows = []
    for row in read_sheet(path, questionnaire, unique_codes=False):
        if row.problems:
            raise InvalidFile(row.problems)
        if code and row.code != code:
            continue
        rows.append(row)
    codes = sorted({row.code for row in rows if row.code})
    if code and not rows:
        raise InputError(msg("merge.no_rows", code=code), path=str(path), code="DX503")
    if not code and not many and len(codes) > 1:
        shown = ", ".join(codes[:5]) + (", …" if len(codes) > 5 else "")
        raise InputError(msg("merge.many_municipalities", count=len(codes), codes=shown), str(path), code="DX503")
    names = [(row.data or {}).get("part", {}).get("name") or path.stem for row in rows]
    for row, name in zip(rows, names):
        if sum(1 for r, n in zip(rows, names) if n == name and r.code == row.code) > 1:
            name = f"{name}:{row.line}"
        data = dict(row.data or {})
        sheet = AnswerSheet.model_validate(data)
        respondent = sheet.part.respondent if sheet.part else None
        found.parts.append(PartInput(name, row.source, sheet, respondent))
        found.covered[row.source] = row.questions


def _write_merged(output: Path, merged: Any, found: PartFiles, inputs: set[Path]) -> None:
    """The merged file: the existing output updated in place (its lines and comments kept where
    nothing changed), else the first part's file (by part name) with its comments, else new."""
    from dxassess.answerfile import AnswerFile, answer_text
    from dxassess.errors import DxassessError
    from dxassess.files import write_atomic

    order = [q.id for q in found.questionnaire.questions()]
    data = merged.data()
    base = None
    if output.exists():
        try:
            base = AnswerFile.load(output)
            doc = base.doc
            same = (doc.get("municipality") or {}).get("code") == data["municipality"]["code"] and dict(
                doc.get("questionnaire") or {}
            ) == data["questionnaire"]
            base = base if same else None
        except (DxassessError, AttributeError, TypeError):
            base = None
    if base is None:
        first = next(
            (found.yaml[p.name] for p in sorted(found.parts, key=lambda p: p.name) if p.name in found.yaml), None
        )
        if first is not None:
            base = AnswerFile.load(first)
    if base is None:
        write_atomic(output, answer_text(data, [msg("sheet.merged_header").ja, msg("sheet.merged_header").en]), inputs)
        return
    base.apply_merge(data, merged.mentioned, order)
    write_atomic(output, _merged_header(base.text()), protect=inputs)


def _merged_header(body: str) -> str:
    """The first part's file as the merged file's base: its header line saying it is a part
    ("Part X of a team assessment: answer these N questions") would mislead there, so it becomes
    the merged file's header, in the same language. The officer's own comments stay."""
    import re

    from dxassess.text import catalogue

    english, japanese = catalogue()["sheet.yaml_part"]
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            break  # only the header: comments further down are the officer's
        for template, lang in ((english, "en"), (japanese, "ja")):
            pattern = (
                re.escape("# " + template).replace(re.escape("{name}"), ".+").replace(re.escape("{count}"), r"\d+")
            )
            if re.fullmatch(pattern, line):
                lines[i] = "# " + text("sheet.merged_header", lang)
                break
    return "\n".join(lines)


def run_merge(
    paths: list[Path],
    output: Path,
    prefer: list[str],
    questionnaire_ref: str | None,
    code: str | None,
    lang: str,
) -> int:
    from dxassess import lgcode
    from dxassess.inputs import check_file
    from dxassess.merge import conflict_msg, merge

    if not paths:
        raise UsageError(msg("merge.nothing"))
    if code is not None:
        code = lgcode.normalise(code)
    found = read_parts(paths, questionnaire_ref, code)
    if not found.parts:
        raise InputError(msg("merge.no_rows", code=code or "—"), path=str(paths[0]), code="DX503")
    merged = merge(found.parts, found.questionnaire, prefer)
    inputs = set(paths)
    if questionnaire_ref and Path(questionnaire_ref).is_file():
        inputs.add(Path(questionnaire_ref))
    _write_merged(output, merged, found, inputs)
    for key, part in merged.details:
        line = msg("merge.detail_chosen", field=key, part=part).get(lang)
        sys.stderr.write(f"{output}: warning: DX502 {line}\n")
    for conflict in merged.conflicts:
        severity, code_ = ("error", "DX501") if conflict.chosen is None else ("warning", "DX502")
        sys.stderr.write(f"{output}: {severity}: {code_} {conflict_msg(conflict).get(lang)}\n")
    search = Path(questionnaire_ref) if questionnaire_ref else None
    for problem in check_file(output, search):
        if problem.code != "DX501":
            sys.stderr.write(problem.format_text(lang) + "\n")
    summary = text(
        "report.merge_summary",
        lang,
        parts=len(found.parts),
        output=output,
        answers=len(merged.answers),
        open=len(merged.open),
        resolved=len(merged.resolved),
    )
    sys.stderr.write(summary + "\n")
    return 1 if merged.open else 0


# -- progress ---------------------------------------------------------------------------------


def progress_data(paths: list[Path], questionnaire_ref: str | None) -> list[dict[str, Any]]:
    """The progress of every municipality the files hold, as JSON-ready data."""
    from dxassess.progress import progress

    found = read_parts(paths, questionnaire_ref, None, ignore=frozenset({"DX501"}), many=True)
    groups: dict[str, list[Any]] = {}
    for part in found.parts:
        groups.setdefault(part.sheet.municipality.code, []).append(part)
    out = []
    for code in sorted(groups):
        result = progress(found.questionnaire, groups[code], found.covered)
        out.append(
            {
                "municipality": result.municipality,
                "questionnaire": result.questionnaire,
                "parts": [t.as_dict() for t in result.parts],
                "departments": [{**t.as_dict(), "owner": t.name} for t in result.departments],
                "total": {k: v for k, v in result.total.as_dict().items() if k != "name"},
            }
        )
    return out


def _table(title: str, first: str, rows: list[tuple[str, dict[str, Any]]], lang: str) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column(first, overflow="fold")
    for key in ("questions", "answered", "skipped", "conflict", "review", "open"):
        table.add_column(text(f"report.progress_{key}", lang), justify="right", no_wrap=True)
    for label, row in rows:
        table.add_row(label, *(str(row[k]) for k in ("questions", "answered", "skipped", "conflict", "review", "open")))
    return table


def run_progress(paths: list[Path], as_json: bool, lang: str, questionnaire_ref: str | None) -> int:
    import json

    from dxassess.render.parts import owner_label

    if not paths:
        raise UsageError(msg("cmd.score_nothing"))
    data = progress_data(paths, questionnaire_ref)
    if as_json:
        payload: Any = data[0] if len(data) == 1 else data
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    from rich.console import Console

    console = Console(highlight=False, emoji=False)
    for block in data:
        m = block["municipality"]
        console.print(text("report.progress_title", lang, code=m["code"], name=m["name"]), style="bold")
        parts = []
        for row in block["parts"]:
            by = text("report.progress_by", lang, respondent=row["respondent"]) if row.get("respondent") else ""
            parts.append((f"{row['name']}{by}", row))
        console.print(_table(text("report.progress_parts", lang), text("report.progress_part", lang), parts, lang))
        owners = [
            (owner_label(row["owner"], lang) if row["owner"] != "none" else text("report.progress_no_owner", lang), row)
            for row in block["departments"]
        ]
        owners.append((text("report.progress_total", lang), block["total"]))
        console.print(
            _table(text("report.progress_departments", lang), text("report.progress_department", lang), owners, lang)
        )
    return 0
