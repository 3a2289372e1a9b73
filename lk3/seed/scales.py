"""The three sizes of the demo data.

- ``demo``: Bontang only, about 2,000 persons and 300 cases, for ``make run``.
- ``city``: Bontang only, about the city's population (200,000 persons)
  and 60,000 cases.
- ``province``: the ten kab/kota of Kalimantan Timur, each with an LK3 and
  a social office, one million persons spread roughly by population and
  300,000 cases spread like the persons.

Cases are a stress load, not a forecast: Bontang's LK3 opens a few hundred
a year. The same share of persons per case keeps ``--persons`` runs alike.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    persons: int
    all_regencies: bool
    cases: int

    def cases_for(self, persons: int | None) -> int:
        """The scale's cases, or as many per person when ``persons`` overrides its count."""
        if persons is None or persons == self.persons:
            return self.cases
        return round(self.cases * persons / self.persons)


DEMO = Scale(name="demo", persons=2_000, all_regencies=False, cases=300)
CITY = Scale(name="city", persons=200_000, all_regencies=False, cases=60_000)
PROVINCE = Scale(name="province", persons=1_000_000, all_regencies=True, cases=300_000)

SCALES: dict[str, Scale] = {scale.name: scale for scale in (DEMO, CITY, PROVINCE)}
