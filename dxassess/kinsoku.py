"""Japanese line breaking (kinsoku) for rich, which otherwise breaks wide text between any two
characters: no line starts with closing punctuation or a small kana, none ends with an opening
bracket. Installed once per process by every command that prints Japanese to a terminal."""

from __future__ import annotations

from typing import Any

# Japanese line breaking (kinsoku): no line starts with closing punctuation or a small kana, and
# none ends with an opening bracket. rich breaks wide text between any two characters.
NO_LINE_START = frozenset(
    "、。，．・：；？！ー゛゜ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ）」』】〕〉》…‥,.:;?!)]}"
)
NO_LINE_END = frozenset("（「『【〔〈《([{")


NUMBER_PARTS = frozenset("0123456789.,%０１２３４５６７８９．，％")
LONGEST_NUMBER = 12  # characters a number is kept whole over (2026.11.27, 1,973,395)


def _number_start(text: str, offset: int, previous: int) -> int:
    """`offset` moved back to the start of the number it would cut (2.9 / 7); unchanged when it
    cuts none, or when the number fills the line (then it is folded where it must be)."""
    start = offset
    while (
        previous < start - 1
        and offset - start < LONGEST_NUMBER
        and start < len(text)
        and text[start] in NUMBER_PARTS
        and text[start - 1] in NUMBER_PARTS
    ):
        start -= 1
    return start if start < len(text) and text[start - 1] not in NUMBER_PARTS else offset


def better_break(text: str, offset: int, previous: int) -> int:
    """A line-break offset (character index) moved back a character or two where a line would
    start or end badly, and to the start of a number it would cut (目標（2. / 97）); the line
    before it is never left empty."""
    moved = _number_start(text, offset, previous)
    base = moved
    while (
        moved - 1 > previous
        and base - moved < 2
        and moved < len(text)
        and (text[moved] in NO_LINE_START or text[moved - 1] in NO_LINE_END)
    ):
        moved -= 1
    if moved < len(text) and (text[moved] in NO_LINE_START or text[moved - 1] in NO_LINE_END):
        return base  # nowhere better within two characters: keep the break
    again = _number_start(text, moved, previous)  # moved back into a number: take it whole
    if again != moved and not (again - 1 > previous and text[again - 1] in NO_LINE_END):
        return again
    if again != moved and again - 2 > previous:
        return again - 1  # with the bracket that opens it
    return moved


def kinsoku_divide(divide: Any, text: str, width: int, fold: bool = True) -> list[int]:
    """Line breaks of `text` by rich's `divide` (words kept whole, long ones folded), each moved
    by `better_break`; the rest of the text is divided again after every moved break, so no line
    grows past `width`."""
    offsets: list[int] = []
    start = 0
    while start < len(text):
        rest = divide(text[start:], width, fold)
        if not rest:
            break
        offset = better_break(text, start + rest[0], start)
        offsets.append(offset)
        start = offset
    return offsets


def use_japanese_line_breaking() -> None:
    """Make rich wrap Japanese text by `kinsoku_divide` in this process (the interview's terminal).
    rich looks the line divider up by name when it wraps; an unknown rich version is left as is."""
    import rich.text

    divide = getattr(rich.text, "divide_line", None)
    if divide is None or getattr(divide, "_kinsoku", False):
        return

    def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
        return kinsoku_divide(divide, text, width, fold)

    divide_line._kinsoku = True  # type: ignore[attr-defined]
    rich.text.divide_line = divide_line
