"""What commands print besides their results: problem lines to stderr, at most MAX_SHOWN of them,
so that a sheet with 100,000 bad rows prints a hundred lines and a count, not 100,000 lines."""

from __future__ import annotations

import sys

from dxassess.text import text

MAX_SHOWN = 100  # problem lines printed before the rest are only counted


class ProblemLines:
    """Print problem lines to stderr up to `limit`; `close()` says how many more there were."""

    def __init__(self, lang: str, limit: int = MAX_SHOWN) -> None:
        self.lang = lang
        self.limit = limit
        self.count = 0

    def add(self, line: str) -> None:
        self.count += 1
        if self.count <= self.limit:
            sys.stderr.write(line.rstrip("\n") + "\n")

    def close(self) -> None:
        hidden = self.count - self.limit
        if hidden > 0:
            sys.stderr.write(text("report.problems_not_shown", self.lang, hidden=hidden, shown=self.limit) + "\n")
