"""Values made once for the objects in use (a questionnaire, its catalogue) and reused while they
are: a batch scores 1,741 answer files against one questionnaire, and what depends only on it
(each question's target for a size band, the gap a question has at a given level) is the same
for all of them. Pure: nothing here reads or writes anything."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
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


class PerObject(Generic[K, T]):
    """`make(obj)`, kept by the identity of `obj` for up to `size` objects (all dropped at once
    when full): for values made from objects that many results share, such as a gap that
    dxassess.gaps makes once for every municipality with that answer. An entry holds its
    object, so its id cannot be given to another object while it lives."""

    def __init__(self, make: Callable[[K], T], size: int) -> None:
        self._make = make
        self._size = size
        self._entries: dict[int, tuple[K, T]] = {}

    def __call__(self, obj: K) -> T:
        found = self._entries.get(id(obj))
        if found is not None and found[0] is obj:
            return found[1]
        value = self._make(obj)
        if len(self._entries) >= self._size:
            self._entries.clear()
        self._entries[id(obj)] = (obj, value)
        return value
