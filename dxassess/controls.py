"""Control characters kept out of terminals and CI logs.

Text from input files (municipality names, notes, question texts, file names) reaches terminals
and log viewers. An escape sequence in it could retitle the window, write to the clipboard
(OSC 52) or forge lines; a carriage return or a newline could forge a whole problem line or a
GitHub workflow command. Everything printed passes through `printable`, which writes such
characters as visible escapes (`\\x1b`, `\\u202e`), so the text stays readable and nothing acts.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, bidirectional embeddings, overrides and
# isolates (they reorder what a reader sees), and the Unicode line and paragraph separators.
_ALWAYS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029"
_CONTROL_MULTILINE = re.compile(f"[{_ALWAYS}]")
_CONTROL_ONE_LINE = re.compile(f"[{_ALWAYS}\n]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, multiline: bool = False) -> str:
    """`text` with every control character written as a visible escape; newlines too unless
    `multiline` (tabs stay)."""
    value = str(text)
    pattern = _CONTROL_MULTILINE if multiline else _CONTROL_ONE_LINE
    return pattern.sub(_escaped, value) if pattern.search(value) else value


def has_controls(text: str) -> bool:
    """Whether `text` holds a character `printable` would escape (newlines and tabs allowed)."""
    return _CONTROL_MULTILINE.search(text) is not None


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_for_terminal(text: str) -> str:
    """JSON text with the characters `json.dumps(ensure_ascii=False)` leaves raw but a terminal
    acts on (DEL, C1 controls, bidirectional controls, line separators) written as `\\uXXXX`:
    the same JSON value, safe to print."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
