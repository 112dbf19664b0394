"""Typed errors of the core and the documented exit codes of every command."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from dxassess.text import Msg


class ExitCode(IntEnum):
    """Exit codes of every command (contract.md)."""

    OK = 0
    INPUT = 1  # the inputs have problems, or an output cannot be written
    USAGE = 2  # the command line is wrong
    INTERRUPTED = 130  # stopped with Ctrl-C (the shell's convention: 128 + SIGINT)


class DxassessError(Exception):
    """An error meant for the user: one line naming the file, the position and the fix."""

    exit_code = ExitCode.INPUT

    def __init__(
        self,
        message: Any,  # str, or a dxassess.text.Msg for both languages
        path: str | None = None,
        line: int | None = None,
        col: int | None = None,
        code: str = "DX000",
    ) -> None:
        english, japanese = (message.en, message.ja) if isinstance(message, Msg) else (message, "")
        super().__init__(english)
        self.message = english
        self.message_ja = japanese  # empty: as in English
        self.path = path
        self.line = line
        self.col = col
        self.code = code

    def text(self, lang: str | None = "en") -> str:
        """The message in `lang` (`ja` or `en`)."""
        return self.message_ja if lang == "ja" and self.message_ja else self.message

    def one_line(self, lang: str | None = "en") -> str:
        """The error as one line, its message in `lang`."""
        where = ""
        if self.path:
            where = self.path
            if self.line:
                where += f":{self.line}"
                if self.col:
                    where += f":{self.col}"
            where += ": "
        from dxassess.controls import printable

        return printable(f"{where}error: {self.code} {self.text(lang)}".replace("\n", " "))


class InputError(DxassessError):
    """An input file is invalid or unreadable."""


class OutputError(DxassessError):
    """An output cannot be written."""

    def __init__(self, message: Any, path: str | None = None, code: str = "DX901") -> None:
        super().__init__(message, path=path, code=code)


class UsageError(DxassessError):
    """The command line is wrong."""

    exit_code = ExitCode.USAGE


class InvalidFile(InputError):
    """A file failed validation; carries every problem found."""

    def __init__(self, problems: list[Any]) -> None:  # list[Problem]
        first = next((p for p in problems if p.severity == "error"), problems[0])
        super().__init__(first.msg(), first.path, first.line, first.col, first.code)
        self.problems = problems

    def one_line(self, lang: str | None = "en") -> str:
        first = next((p for p in self.problems if p.severity == "error"), self.problems[0])
        more = len([p for p in self.problems if p.severity == "error"]) - 1
        from dxassess.text.problems import more_problems

        suffix = more_problems(more, first.path).get(lang) if more > 0 else ""
        return str(first.format_text(lang)) + suffix
