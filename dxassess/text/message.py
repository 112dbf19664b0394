"""`Msg`: one text in both languages, the one type every message and label travels as."""

from __future__ import annotations

from typing import Any


class Msg:
    """One text in English and Japanese (immutable). Built by `dxassess.text.msg(key, ...)` from
    the catalogue, or directly for text that only exists at run time (a parser's own words)."""

    __slots__ = ("en", "ja")
    en: str
    ja: str

    def __init__(self, en: str, ja: str) -> None:
        object.__setattr__(self, "en", en)
        object.__setattr__(self, "ja", ja)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Msg is immutable")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.en, self.ja) == (other.en, other.ja)

    def __hash__(self) -> int:
        return hash((self.en, self.ja))

    def __repr__(self) -> str:
        return f"Msg(en={self.en!r}, ja={self.ja!r})"

    def get(self, lang: str | None) -> str:
        """The text in `lang` (`ja` or `en`; Japanese falls back to English where it is empty)."""
        return self.ja if lang == "ja" and self.ja else self.en

    def __str__(self) -> str:
        return self.en
