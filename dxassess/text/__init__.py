"""The one text catalogue of dxassess: every sentence and label a user sees, in Japanese and
English, looked up by key.

    text("report.overall", "ja")                 -> "総合スコア"
    msg("load.too_large", mb=12.5)               -> Msg(en=..., ja=...)   (both languages)
    text("interview.progress", "en", i=3, n=75)  -> "Question 3 of 75"

The catalogues are split by audience — problems (`text/problems.py`: problems in files, one-line
errors), reports (`text/reports.py`: reports, batch pages, charts), interview
(`text/interview.py`) and sheets (`text/sheets.py`) — and merged here. The pure core never
builds a sentence: it returns keys and values, and adapters turn them into text with `text()`.
A value that is itself a `Msg` is put in the same language as the text around it.
"""

from __future__ import annotations

import locale
import os
import sys
from typing import Any

from dxassess.text.message import Msg

__all__ = ["Msg", "default_lang", "msg", "pick", "sentences", "text", "text_of", "LANGS"]

LANGS = ("ja", "en")
_CATALOGUE: dict[str, tuple[str, str]] = {}


def catalogue() -> dict[str, tuple[str, str]]:
    """Every key → (English, Japanese), merged from the audience catalogues on first use."""
    if not _CATALOGUE:
        from dxassess.text.interview import INTERVIEW
        from dxassess.text.problems import PROBLEMS
        from dxassess.text.reports import REPORTS
        from dxassess.text.sheets import SHEETS

        for part in (PROBLEMS, REPORTS, INTERVIEW, SHEETS):
            clash = set(part) & set(_CATALOGUE)
            if clash:
                raise KeyError(f"text keys defined twice: {sorted(clash)}")
            _CATALOGUE.update(part)
    return _CATALOGUE


def _fill(template: str, lang: str, values: dict[str, Any]) -> str:
    return template.format(**{k: (v.get(lang) if isinstance(v, Msg) else v) for k, v in values.items()})


_MEMO: dict[Any, str] = {}
_MEMO_SIZE = 50_000


def text(key: str, lang: str | None, /, **values: Any) -> str:
    """The text `key` in `lang` (English where the language is unknown or its text is empty),
    with its `{name}` fields filled from `values`. Made once per key, language and values (each
    value with its type: 1 and 1.0 format differently): a batch asks the same labels thousands
    of times."""
    try:
        memo = (key, lang, *((name, type(v), v) for name, v in values.items()))
        found = _MEMO.get(memo)
    except TypeError:  # a value that cannot be a key (a list, say): no memo
        memo, found = None, None
    if found is not None:
        return found
    en, ja = catalogue()[key]
    made = _fill(ja, "ja", values) if lang == "ja" and ja else _fill(en, "en", values)
    if memo is not None:
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.clear()
        _MEMO[memo] = made
    return made


def msg(key: str, /, **values: Any) -> Msg:
    """The text `key` in both languages, fields filled."""
    en, ja = catalogue()[key]
    return Msg(_fill(en, "en", values), _fill(ja, "ja", values) if ja else "")


def sentences(parts: list[str], lang: str | None) -> str:
    """Sentences run together as the language writes them: Japanese without a space after 。,
    English with one."""
    return ("" if lang == "ja" else " ").join(p for p in parts if p)


def text_of(value: Any, lang: str | None) -> str:
    """A message (Msg or plain text) in `lang`."""
    return value.get(lang) if isinstance(value, Msg) else str(value)


def pick(bilingual: dict[str, str] | None, lang: str | None) -> str:
    """One language of a bilingual text from a file ({ja: ..., en: ...}), falling back to the other."""
    if not bilingual:
        return ""
    return bilingual.get(lang or "en") or bilingual.get("en") or next(iter(bilingual.values()), "")


def default_lang() -> str:
    """`ja` when the user's locale is Japanese (on Windows too), else `en`: `DXASSESS_LANG`, then
    `LC_ALL`, `LC_MESSAGES`, `LANG`, `LANGUAGE`, then Windows' display language."""
    for var in ("DXASSESS_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    if sys.platform == "win32":
        try:
            import ctypes

            lang_id = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
            return "ja" if lang_id & 0x3FF == 0x11 else "en"
        except (AttributeError, OSError):
            pass
    try:
        current = locale.getlocale()[0] or ""
    except ValueError:
        current = ""
    return "ja" if current.lower().startswith(("ja", "japanese")) else "en"
