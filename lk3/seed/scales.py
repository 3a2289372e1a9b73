"""The three sizes of the demo data.

- ``demo``: Bontang only, about 2,000 persons, for ``make run``.
- ``city``: Bontang only, about the city's population (200,000 persons).
- ``province``: the ten kab/kota of Kalimantan Timur, each with an LK3 and
  a social office, one million persons spread roughly by population.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    persons: int
    all_regencies: bool


DEMO = Scale(name="demo", persons=2_000, all_regencies=False)
CITY = Scale(name="city", persons=200_000, all_regencies=False)
PROVINCE = Scale(name="province", persons=1_000_000, all_regencies=True)

SCALES: dict[str, Scale] = {scale.name: scale for scale in (DEMO, CITY, PROVINCE)}
