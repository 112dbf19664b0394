"""What a person types for an answer, in either language: the one word list the interview and
the spreadsheet import share, and how typed text is normalised. Whether the value then fits the
question is the question's own rule (`Question.problem`)."""

from __future__ import annotations

import unicodedata

YES = frozenset({"yes", "y", "true", "はい"})
NO = frozenset({"no", "false", "いいえ"})
NA = frozenset({"na", "n/a", "該当なし"})
SKIP = frozenset({"skip", "スキップ"})


def normalised(raw: str) -> str:
    """Typed text as compared: full-width letters and digits folded (NFKC), spaces trimmed,
    case folded."""
    return unicodedata.normalize("NFKC", raw).strip().casefold()


def yes_no(word: str) -> bool | None:
    """True for a yes word, False for a no word, None otherwise (`word` already normalised)."""
    if word in YES:
        return True
    if word in NO:
        return False
    return None
