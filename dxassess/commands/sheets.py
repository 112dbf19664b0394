"""`template` and `import`: blank answer sheets out, filled sheets in as answer files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from dxassess.errors import UsageError
from dxassess.text import msg, text

SUFFIXES = {"csv": (".csv",), "xlsx": (".xlsx", ".xlsm"), "yaml": (".yaml", ".yml")}


def questionnaire_file(ref: str | None) -> set[Path]:
    """The questionnaire file given by `--questionnaire`, to protect it from being overwritten."""
    return {Path(ref)} if ref and Path(ref).is_file() else set()


def run_template(output: Path, fmt: str, questionnaire_ref: str | None, lang: str) -> int:
    from dxassess.files import write_atomic
    from dxassess.resolver import RESOLVER
    from dxassess.sheets.write import csv_template, xlsx_template, yaml_template

    suffix = output.suffix.lower()
    wanted = next((f for f, ends in SUFFIXES.items() if suffix in ends), None)
    if wanted is not None and wanted != fmt:
        raise UsageError(msg("cmd.suffix_format", suffix=suffix, fmt=fmt, wanted=wanted), str(output))
    questionnaire = RESOLVER.select(questionnaire_ref).questionnaire
    if fmt == "csv":
        data: bytes | str = csv_template(questionnaire, lang)
    elif fmt == "yaml":
        data = yaml_template(questionnaire, lang)
    else:
        data = xlsx_template(questionnaire, lang)
    write_atomic(output, data, protect=questionnaire_file(questionnaire_ref))
    count = len(questionnaire.questions())
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
    return 0


def format_problem(problem: Any, lang: str = "en") -> str:
    """`SHEET:ROW:COL: error: CODE message`, the column named by its letter as the user sees it,
    the message in `lang`."""
    from dxassess.sheets.read import column_letter

    message = problem.text(lang)
    if not problem.line:
        return f"{problem.path}: {problem.severity}: {problem.code} {message}"
    col = column_letter(problem.col) if problem.col else "A"
    return f"{problem.path}:{problem.line}:{col}: {problem.severity}: {problem.code} {message}"


def run_import(sheets: list[Path], output_dir: Path, questionnaire_ref: str | None, lang: str) -> int:
    from pydantic import ValidationError

    from dxassess.answerfile import answer_text
    from dxassess.files import ensure_dir, safe_name, write_atomic
    from dxassess.model import AnswerSheet
    from dxassess.resolver import RESOLVER
    from dxassess.sheets.read import read_sheet
    from dxassess.text import Msg
    from dxassess.text.problems import pydantic_message

    if not sheets:
        raise UsageError(msg("cmd.import_nothing"))
    questionnaire = RESOLVER.select(questionnaire_ref).questionnaire
    ensure_dir(output_dir)
    protect = set(sheets) | questionnaire_file(questionnaire_ref)
    seen: dict[str, str] = {}
    written = rejected = 0
    for sheet in sheets:
        for row in read_sheet(sheet, questionnaire, seen):
            for problem in row.problems:
                sys.stderr.write(format_problem(problem, lang) + "\n")
            if row.errors:
                rejected += 1
                continue
            try:
                AnswerSheet.model_validate(row.data)
            except ValidationError as exc:  # a guard: read_sheet has checked every cell
                first = exc.errors(include_url=False)[0]
                given = Msg(first["msg"], pydantic_message(dict(first)).ja)
                line = msg("cmd.check_row", message=given).get(lang)
                sys.stderr.write(f"{row.source}: error: DX100 {line}\n")
                rejected += 1
                continue
            target = output_dir / safe_name(row.code or "unnamed", ".yaml")
            source = text("sheet.imported_from", "en", source=f"{Path(sheet).name}:{row.line}")
            write_atomic(target, answer_text(row.data or {}, [source]), protect)
            written += 1
    summary = msg("cmd.import_summary", written=written, output=output_dir, rejected=rejected)
    sys.stderr.write(summary.get(lang) + "\n")
    return 1 if rejected else 0
