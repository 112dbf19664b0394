"""`template` and `import`: blank answer sheets out, filled sheets in as answer files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from dxassess.errors import UsageError
from dxassess.text import msg, text

SUFFIXES = {"csv": (".csv",), "xlsx": (".xlsx", ".xlsm"), "yaml": (".yaml", ".yml")}


def files_read() -> set[Path]:
    """Every questionnaire and catalogue file read so far (named or found beside another), to
    protect them from being overwritten."""
    from dxassess.resolver import RESOLVER

    return RESOLVER.files_read()


def run_template(
    output: Path,
    fmt: str,
    questionnaire_ref: str | None,
    lang: str,
    team: dict[str, Any] | None = None,
    prefecture: str | None = None,
) -> int:
    from dxassess.files import write_atomic
    from dxassess.parts import make_part, part_questions
    from dxassess.resolver import RESOLVER
    from dxassess.sheets.write import csv_template, prefilled_rows, xlsx_template, yaml_template

    suffix = output.suffix.lower()
    wanted = next((f for f, ends in SUFFIXES.items() if suffix in ends), None)
    if wanted is not None and wanted != fmt:
        raise UsageError(msg("cmd.suffix_format", suffix=suffix, fmt=fmt, wanted=wanted), str(output))
    rows = None
    if prefecture is not None:
        from dxassess import register

        if fmt == "yaml":  # one answer file is one municipality: a sheet holds the rows
            raise UsageError(msg("cmd.template_prefecture_yaml"), str(output))
        try:
            rows = prefilled_rows(register.municipalities_of(prefecture))
        except ValueError:
            raise UsageError(msg("cmd.unknown_prefecture", prefecture=prefecture)) from None
    questionnaire = RESOLVER.select(questionnaire_ref).questionnaire
    team = team or {}
    part = make_part(
        questionnaire, team.get("domains", ()), team.get("owners", ()), team.get("name"), team.get("respondent")
    )
    if fmt == "csv":
        data: bytes | str = csv_template(questionnaire, lang, part, rows)
    elif fmt == "yaml":
        data = yaml_template(questionnaire, lang, part)
    else:
        data = xlsx_template(questionnaire, lang, part, rows)
    write_atomic(output, data, protect=files_read())
    count = len(part_questions(questionnaire, part))
    summary = text(
        "report.template_summary",
        lang,
        output=output,
        fmt=fmt,
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        count=count,
    )
    sys.stderr.write(summary + "\n")
    if rows is not None:
        name = rows[0]["prefecture"] if rows else prefecture
        sys.stderr.write(text("report.template_prefilled", lang, count=len(rows), prefecture=name) + "\n")
    return 0


def format_problem(problem: Any, lang: str = "en") -> str:
    """`SHEET:ROW:COL: error: CODE message` with the message in `lang`, as every command writes a
    problem (`batch` a sheet's too): the column by its number there, and by the letter the user
    sees in the message ("column F"). A problem of the whole file names the file alone."""
    from dxassess.controls import printable

    if problem.line:
        return str(problem.format_text(lang))
    return f"{printable(problem.path)}: {problem.severity}: {problem.code} {printable(problem.text(lang))}"


def run_import(
    sheets: list[Path], output_dir: Path, questionnaire_ref: str | None, lang: str, force: bool = False
) -> int:
    from pydantic import ValidationError

    from dxassess.answerfile import KeptFile, answer_text, write_generated
    from dxassess.commands.output import ProblemLines
    from dxassess.files import ensure_dir, safe_name
    from dxassess.model import AnswerSheet
    from dxassess.resolver import RESOLVER
    from dxassess.sheets.read import read_sheet
    from dxassess.text import Msg
    from dxassess.text.problems import pydantic_message

    if not sheets:
        raise UsageError(msg("cmd.import_nothing"))
    questionnaire = RESOLVER.select(questionnaire_ref).questionnaire
    ensure_dir(output_dir)
    protect = set(sheets) | files_read()
    seen: dict[str, str] = {}
    written = rejected = warned = 0
    unfilled: list[str] = []
    lines = ProblemLines(lang)
    for sheet in sheets:
        for row in read_sheet(sheet, questionnaire, seen, unfilled):
            for problem in [*row.problems, *row.warnings]:
                lines.add(format_problem(problem, lang))
            warned += bool(row.warnings) and not row.problems
            if row.problems:
                rejected += 1
                continue
            try:
                AnswerSheet.model_validate(row.data)
            except ValidationError as exc:  # a guard: read_sheet has checked every cell
                first = exc.errors(include_url=False)[0]
                given = Msg(first["msg"], pydantic_message(dict(first)).ja)
                line = msg("cmd.check_row", message=given).get(lang)
                lines.add(f"{row.source}: error: DX100 {line}")
                rejected += 1
                continue
            target = output_dir / safe_name(row.code or "unnamed", ".yaml")
            source = text("sheet.imported_from", "en", source=f"{Path(sheet).name}:{row.line}")
            try:
                write_generated(target, answer_text(row.data or {}, [source]), protect, force)
            except KeptFile as exc:
                lines.add(exc.one_line(lang))  # kept: not written by dxassess, or edited since
                rejected += 1
                continue
            written += 1
    lines.close()
    summary = msg("cmd.import_summary", written=written, output=output_dir, rejected=rejected)
    sys.stderr.write(summary.get(lang) + "\n")
    if warned:
        sys.stderr.write(msg("cmd.import_warned", warned=warned).get(lang) + "\n")
    if unfilled:
        sys.stderr.write(msg("cmd.import_unfilled", count=len(unfilled)).get(lang) + "\n")
    return 1 if rejected else 0
