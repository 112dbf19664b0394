"""`template` and `import`: blank answer sheets out, filled sheets in as answer files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from dxassess.errors import UsageError
from dxassess.messages import msg

SUFFIXES = {"csv": (".csv",), "xlsx": (".xlsx", ".xlsm"), "yaml": (".yaml", ".yml")}


def questionnaire_file(ref: str | None) -> set[Path]:
    """The questionnaire file given by `--questionnaire`, to protect it from being overwritten."""
    return {Path(ref)} if ref and Path(ref).is_file() else set()


def load_questionnaire_ref(ref: str | None) -> Any:
    """`--questionnaire ID|FILE|FOLDER` (default: the flagship) → Questionnaire."""
    from dxassess.errors import InvalidFile
    from dxassess.library import resolve_questionnaire, yaml_files
    from dxassess.validate import load_questionnaire

    path = resolve_questionnaire(ref)
    if path is None:
        shown = ref or "municipal-dx"
        raise UsageError(msg("cmd.questionnaire_neither", ref=shown))
    if path.is_dir():
        found = []
        for candidate in yaml_files(path):
            try:
                found.append(load_questionnaire(candidate)[0])
            except InvalidFile:
                continue
        if len(found) != 1:
            raise UsageError(
                msg("cmd.folder_many_questionnaires", path=path, count=len(found)),
            )
        return found[0]
    return load_questionnaire(path)[0]


def run_template(output: Path, fmt: str, questionnaire_ref: str | None, lang: str) -> int:
    from dxassess.files import write_atomic
    from dxassess.sheets.write import csv_template, xlsx_template, yaml_template

    suffix = output.suffix.lower()
    wanted = next((f for f, ends in SUFFIXES.items() if suffix in ends), None)
    if wanted is not None and wanted != fmt:
        raise UsageError(msg("cmd.suffix_format", suffix=suffix, fmt=fmt, wanted=wanted), str(output))
    questionnaire = load_questionnaire_ref(questionnaire_ref)
    if fmt == "csv":
        data: bytes | str = csv_template(questionnaire, lang)
    elif fmt == "yaml":
        data = yaml_template(questionnaire, lang)
    else:
        data = xlsx_template(questionnaire, lang)
    write_atomic(output, data, protect=questionnaire_file(questionnaire_ref))
    count = len(questionnaire.questions())
    sys.stderr.write(
        f"wrote {output}: {fmt} template of {questionnaire.id} {questionnaire.version}, {count} questions\n"
    )
    return 0


def format_problem(problem: Any, lang: str = "en") -> str:
    """`SHEET:ROW:COL: error: CODE message`, the column named by its letter as the user sees it,
    the message in `lang`."""
    from dxassess.sheets.read import column_letter

    text = problem.text(lang)
    if not problem.line:
        return f"{problem.path}: {problem.severity}: {problem.code} {text}"
    col = column_letter(problem.col) if problem.col else "A"
    return f"{problem.path}:{problem.line}:{col}: {problem.severity}: {problem.code} {text}"


def run_import(sheets: list[Path], output_dir: Path, questionnaire_ref: str | None) -> int:
    from pydantic import ValidationError

    from dxassess.files import ensure_dir, safe_name, write_atomic
    from dxassess.i18n import default_lang
    from dxassess.messages import Msg, pydantic_message
    from dxassess.model import AnswerSheet
    from dxassess.sheets.read import read_sheet
    from dxassess.sheets.write import answer_yaml

    if not sheets:
        raise UsageError(msg("cmd.import_nothing"))
    lang = default_lang()
    questionnaire = load_questionnaire_ref(questionnaire_ref)
    ensure_dir(output_dir)
    protect = set(sheets) | questionnaire_file(questionnaire_ref)
    seen: dict[str, str] = {}
    written = rejected = 0
    for sheet in sheets:
        for row in read_sheet(sheet, questionnaire, seen):
            for problem in row.problems:
                sys.stderr.write(format_problem(problem, lang) + "\n")
            if row.problems:
                rejected += 1
                continue
            try:
                AnswerSheet.model_validate(row.data)
            except ValidationError as exc:  # a guard: read_sheet has checked every cell
                first = exc.errors(include_url=False)[0]
                given = Msg(first["msg"], pydantic_message(first).ja)
                text = msg("cmd.check_row", message=given).get(lang)
                sys.stderr.write(f"{row.source}: error: DX100 {text}\n")
                rejected += 1
                continue
            target = output_dir / safe_name(row.code or "unnamed", ".yaml")
            write_atomic(target, answer_yaml(row.data or {}, f"{Path(sheet).name}:{row.line}"), protect)
            written += 1
    summary = msg("cmd.import_summary", written=written, output=output_dir, rejected=rejected)
    sys.stderr.write(summary.get(lang) + "\n")
    return 1 if rejected else 0
