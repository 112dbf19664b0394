"""The memos that let a batch make what many results share once (dxassess.memo)."""

from __future__ import annotations

import gc
import weakref

from dxassess.memo import PerObject, PerObjects


class Thing:
    """An object compared by value but kept by identity (as a frozen dataclass is)."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Thing) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)


def test_a_value_is_made_once_per_object_not_per_equal_object() -> None:
    made: list[int] = []

    def make(thing: Thing) -> str:
        made.append(thing.value)
        return f"<{thing.value}>"

    memo: PerObject[Thing, str] = PerObject(make, size=10)
    first, twin = Thing(1), Thing(1)
    assert memo(first) == "<1>" and memo(first) == "<1>"
    assert made == [1]
    assert memo(twin) == "<1>"  # equal, but another object: made for it too
    assert made == [1, 1]


def test_a_full_memo_starts_again_and_still_gives_each_object_its_own_value() -> None:
    memo: PerObject[Thing, int] = PerObject(lambda thing: thing.value * 10, size=3)
    things = [Thing(i) for i in range(10)]
    for _ in range(3):
        assert [memo(t) for t in things] == [i * 10 for i in range(10)]
    assert len(memo._entries) <= 3


def test_an_entry_keeps_its_object_so_its_id_is_never_another_objects() -> None:
    memo: PerObject[Thing, int] = PerObject(lambda thing: thing.value, size=10)
    thing = Thing(7)
    ref = weakref.ref(thing)
    memo(thing)
    del thing
    gc.collect()
    assert ref() is not None  # kept alive by the entry: a new object cannot take its id
    for i in range(50):  # new objects, some of which may reuse freed ids, get their own values
        other = Thing(i)
        assert memo(other) == i


def test_per_objects_keeps_the_last_tuples_by_identity() -> None:
    calls: list[tuple[int, ...]] = []

    def make(*things: Thing) -> int:
        calls.append(tuple(t.value for t in things))
        return sum(t.value for t in things)

    memo: PerObjects[int] = PerObjects(make, size=2)
    a, b, c = Thing(1), Thing(2), Thing(3)
    assert memo(a, b) == 3 and memo(a, b) == 3
    assert memo(b, c) == 5 and memo(a, c) == 4  # (a, b) is now the oldest of three: dropped
    assert memo(a, c) == 4 and memo(a, b) == 3
    assert calls == [(1, 2), (2, 3), (1, 3), (1, 2)]
