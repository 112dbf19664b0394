"""Turn a list of Problems into text, GitHub annotations, JSON or SARIF 2.1.0."""

from __future__ import annotations

import json

from dxassess import __version__
from dxassess.controls import json_for_terminal, printable
from dxassess.problems import CODES, WARNING_CODES, Problem

INFO_URI = "https://github.com/dxassess/dxassess/blob/main/docs/validation-codes.md"


def text(problems: list[Problem], lang: str = "en") -> str:
    return "".join(p.format_text(lang) + "\n" for p in problems)


def _escape_property(value: str) -> str:
    escaped = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(escaped.replace(":", "%3A").replace(",", "%2C"))


def _escape_data(value: str) -> str:
    return printable(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def github(problems: list[Problem], lang: str = "en") -> str:
    lines = []
    for p in problems:
        props = f"file={_escape_property(p.path)},line={max(p.line, 1)},col={max(p.col, 1)}"
        lines.append(f"::{p.severity} {props}::{_escape_data(p.code + ' ' + p.text(lang))}\n")
    return "".join(lines)


def as_json(problems: list[Problem], lang: str = "en") -> str:
    """The contract's fields, `message` in `lang`, plus `message_en` and `message_ja`."""
    return json_for_terminal(json.dumps([p.as_dict(lang) for p in problems], ensure_ascii=False, indent=2) + "\n")


def sarif(problems: list[Problem], lang: str = "en") -> str:
    used = sorted({p.code for p in problems} | set(CODES))
    index = {code: i for i, code in enumerate(used)}
    rules = []
    for code in used:
        name, short, help_text = CODES.get(code, ("problem", "A problem.", "See the message."))
        rules.append(
            {
                "id": code,
                "name": name,
                "shortDescription": {"text": short},
                "fullDescription": {"text": f"{short} {help_text}"},
                "help": {"text": help_text},
                "helpUri": f"{INFO_URI}#{code.lower()}",
                "defaultConfiguration": {"level": "warning" if code in WARNING_CODES else "error"},
            }
        )
    results = []
    for p in problems:
        region = {"startLine": max(p.line, 1), "startColumn": max(p.col, 1)}
        results.append(
            {
                "ruleId": p.code,
                "ruleIndex": index[p.code],
                "level": "error" if p.severity == "error" else "warning",
                "message": {"text": p.text(lang)},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": p.path.replace("\\", "/")},
                            "region": region,
                        }
                    }
                ],
            }
        )
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dxassess",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://github.com/dxassess/dxassess",
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json_for_terminal(json.dumps(log, ensure_ascii=False, indent=2) + "\n")


FORMATS = {"text": text, "github": github, "json": as_json, "sarif": sarif}
