"""Values made once for the objects in use (a questionnaire, its catalogue) and reused while they
are: a batch scores 1,741 answer files against one questionnaire, and what depends only on it
(each question's target for a size band, the gap a question has at a given level) is the same
for all of them. Pure: nothing here reads or writes anything."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerObjects(Generic[T]):
    """`make(*objects)`, kept for the last `size` tuples of objects, which are compared by identity
    (a pydantic model is not hashable). An entry holds its objects, so their ids cannot be given
    to other objects while it lives."""

    def __init__(self, make: Callable[..., T], size: int = 4) -> None:
        self._make = make
        self._size = size
        self._entries: list[tuple[tuple[object, ...], T]] = []

    def __call__(self, *objects: object) -> T:
        for kept, value in self._entries:
            if len(kept) == len(objects) and all(a is b for a, b in zip(kept, objects)):
                return value
        value = self._make(*objects)
        self._entries.append((objects, value))
        del self._entries[: -self._size]
        return value
