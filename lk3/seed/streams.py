"""Named random streams, so each generator's output is fixed by the seed alone.

``random.Random`` seeded with a string hashes it with SHA-512 (version 2
seeding), which does not depend on ``PYTHONHASHSEED``: the same seed and
name give the same sequence on every machine and Python 3 release.
"""

from __future__ import annotations

import random
import uuid
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")

DEFAULT_RANDOM_SEED = 20240115
NO_WEIGHTS = "Weighted needs at least one item and non-negative weights with a positive sum."


def stream(seed: int, name: str) -> random.Random:
    """An independent generator for one part of the data (``"persons"``, ``"board"``)."""
    return random.Random(f"lk3-seed:{seed}:{name}")


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """``rng.choice`` without its per-call overhead (one ``random()`` call)."""
    return items[int(rng.random() * len(items))]


def uuid_from(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID drawn from ``rng``, so public ids repeat with the seed."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


class Weighted(Generic[T]):
    """Choose among items by weight with one ``random()`` call (bisect on the cumulative sum)."""

    def __init__(self, weights: Mapping[T, float] | Sequence[tuple[T, float]]) -> None:
        pairs = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
        if not pairs or any(weight < 0 for _item, weight in pairs):
            raise ValueError(NO_WEIGHTS)
        self.items: list[T] = [item for item, _weight in pairs]
        self._cumulative = list(accumulate(weight for _item, weight in pairs))
        self._total = self._cumulative[-1]
        if self._total <= 0:
            raise ValueError(NO_WEIGHTS)

    def pick(self, rng: random.Random) -> T:
        index = bisect_right(self._cumulative, rng.random() * self._total)
        return self.items[min(index, len(self.items) - 1)]
