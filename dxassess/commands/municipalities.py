"""`municipalities`: list or search the register of municipalities, or update it from the
ministry's list (全国地方公共団体コード)."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

from dxassess.errors import UsageError
from dxassess.text import msg, text

CSV_COLUMNS = ("code", "prefecture", "name", "kana", "kind")  # the shape of `--json` (contract)


def find(query: str | None, prefecture: str | None, kind: str | None, wards: bool) -> list[Any]:
    """The register entries asked for: a code (any form people type) gives its entry; else a search
    by name or reading, prefecture and kind. UsageError for an unknown prefecture or kind."""
    from dxassess import register

    if kind is not None:
        try:
            kind = register.parse_kind(kind)
        except ValueError:
            raise UsageError(msg("cmd.unknown_kind", kind=kind, kinds=", ".join(register.KINDS))) from None
    if prefecture is not None and register.get_register().prefecture(prefecture) is None:
        raise UsageError(msg("cmd.unknown_prefecture", prefecture=prefecture))
    if query and register.normalise_code(query):
        entry = register.lookup(query)
        found = [entry] if entry is not None else []
        return [e for e in found if e in register.search(None, prefecture, kind, wards=True)]
    return register.search(query or None, prefecture, kind, wards)


def _width(value: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in value)


def table(entries: list[Any], lang: str) -> str:
    """A plain table aligned for a terminal (Japanese characters take two columns)."""
    head = [text(f"register.col_{key}", lang) for key in ("code", "prefecture", "name", "kana", "kind")]
    rows = [head] + [[e.code, e.prefecture, e.name, e.kana, e.label(lang)] for e in entries]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(head))]
    lines = []
    for row in rows:
        cells = [cell + " " * (width - _width(cell)) for cell, width in zip(row, widths)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def csv_bytes(entries: list[Any]) -> bytes:
    """UTF-8 with BOM (spreadsheet software shows Japanese), no cell that starts a formula."""
    import csv
    import io

    from dxassess.sheets.cells import safe_cell

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        row = entry.to_dict()
        writer.writerow([safe_cell(row[key]) for key in CSV_COLUMNS])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _write_text(value: str) -> None:
    try:  # a console in cp932 must never crash on a character it lacks
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        pass
    sys.stdout.write(value)
    sys.stdout.flush()


def run_municipalities(
    query: str | None,
    prefecture: str | None,
    kind: str | None,
    wards: bool,
    as_json: bool,
    as_csv: bool,
    update: list[Path],
    lang: str,
) -> int:
    from dxassess import register

    if as_json and as_csv:
        raise UsageError(msg("cmd.json_or_csv"))
    if update:
        if query or prefecture or kind or wards or as_json or as_csv:
            raise UsageError(msg("cmd.update_alone"))
        return run_update(update, lang)
    entries = find(query, prefecture, kind, wards)
    if as_json:
        _write_text(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2) + "\n")
    elif as_csv:
        sys.stdout.buffer.write(csv_bytes(entries))
        sys.stdout.flush()
    elif entries:
        _write_text(table(entries, lang))
    path, why = register.register_path()
    source = text(f"register.source_{why}", lang, path=path)
    sys.stderr.write(text("register.found", lang, count=len(entries), source=source) + "\n")
    return 0


def run_update(files: list[Path], lang: str) -> int:
    """Apply the ministry's list to the register in use and write the result as the user's
    register (or into the file `DXASSESS_REGISTER` names); print every change."""
    from dxassess import register
    from dxassess.register_update import build_update, read_ministry_file, write_register

    current_path, why = register.register_path()
    current = register.get_register(current_path)
    listed = None
    for path in files:
        listed = read_ministry_file(path, listed)
    assert listed is not None
    update = build_update(current, listed)
    lines = [change.describe().get(lang) for change in update.changes]
    _write_text("".join(line + "\n" for line in lines))
    err = sys.stderr
    err.write(update.summary().get(lang) + "\n")
    if update.ignored:
        err.write(text("register.left_out", lang, count=len(update.ignored)) + "\n")
    if not update.wards_checked:
        err.write(text("register.wards_kept", lang) + "\n")
    if not update.changes:
        err.write(text("register.unchanged", lang, path=current_path) + "\n")
        return 0
    target = current_path if why in ("env", "user") else register.user_register_path()
    write_register(target, update, [Path(f).name for f in files])
    register.clear_cache()
    if update.inferred:
        codes = ", ".join(e.code for e in update.inferred)
        err.write(text("register.check_inferred", lang, count=len(update.inferred), codes=codes, path=target) + "\n")
    as_of = update.as_of or text("register.as_of_unknown", lang)
    count = update.register.counts()["municipality"]
    err.write(text("register.written", lang, path=target, count=count, as_of=as_of) + "\n")
    return 0
