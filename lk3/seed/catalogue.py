"""The regions the seed draws from, read from the Region table in two queries.

Rules:
- Only active codes are used, so every generated NIK and domicile decodes
  against the current Kepmendagri table.
- East Kalimantan (64) is read down to the villages; the provinces migrants
  come from (``ORIGIN_PROVINCES``) down to the kecamatan.
- Generators receive this plain-data catalogue, never a queryset, so they
  run the same in tests and make no queries per row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lk3.regions.models import Region, RegionLevel

EAST_KALIMANTAN = "64"
BONTANG = "64.74"
# The ten kab/kota of Kalimantan Timur since Kalimantan Utara split off (2012).
EAST_KALIMANTAN_REGENCIES = (
    "64.01",
    "64.02",
    "64.03",
    "64.07",
    "64.08",
    "64.09",
    "64.11",
    "64.71",
    "64.72",
    "64.74",
)
# Where East Kalimantan's migrants' NIKs were issued: Java (32, 33, 35),
# North Sumatra (12), NTT (53), South Kalimantan (63), North and South
# Sulawesi (71, 73).
ORIGIN_PROVINCES = ("12", "32", "33", "35", "53", "63", "71", "73")
TITLE_WORDS = ("Kabupaten ", "Kota ")

CATALOGUE_INCOMPLETE = _("Region %(code)s is missing: run `manage.py load_reference` first.")


@dataclass(frozen=True)
class Place:
    code: str
    name: str

    @property
    def title(self) -> str:
        """``Kelurahan Lok Tuan`` or ``Desa Bukit Raya``: a village code's 4th part starts 1 or 2."""
        kind = "Kelurahan" if self.code.rsplit(".", 1)[-1].startswith("1") else "Desa"
        return f"{kind} {self.name}"


@dataclass
class Regency:
    """A kab/kota with its kecamatan and (East Kalimantan only) villages."""

    code: str
    name: str
    kecamatan: list[Place] = field(default_factory=list)
    villages: dict[str, list[Place]] = field(default_factory=dict)

    @property
    def short_name(self) -> str:
        """``Bontang`` for ``Kota Bontang``: how a place of birth is written."""
        for word in TITLE_WORDS:
            if self.name.startswith(word):
                return self.name[len(word) :]
        return self.name

    @property
    def is_city(self) -> bool:
        return int(self.code.split(".")[1]) >= 71

    def all_villages(self) -> list[Place]:
        return [village for places in self.villages.values() for village in places]


@dataclass
class RegionCatalogue:
    regencies: dict[str, Regency]

    def regency(self, code: str) -> Regency:
        try:
            return self.regencies[code]
        except KeyError:
            raise LookupError(CATALOGUE_INCOMPLETE % {"code": code}) from None

    def kecamatan_under(self, prefixes: tuple[str, ...]) -> list[Place]:
        """Kecamatan whose code starts with one of ``prefixes`` (``"73."``, ``"64.02."``)."""
        return [
            place
            for regency in self.regencies.values()
            for place in regency.kecamatan
            if place.code.startswith(prefixes)
        ]

    def regency_of(self, code: str) -> Regency:
        return self.regency(code[:5])


def catalogue_load() -> RegionCatalogue:
    origins = reduce(or_, (Q(code__startswith=f"{code}.") for code in ORIGIN_PROVINCES))
    rows = Region.objects.filter(is_active=True).filter(
        Q(code__startswith=f"{EAST_KALIMANTAN}.")
        | (origins & Q(level__in=[RegionLevel.REGENCY, RegionLevel.DISTRICT]))
    )
    regencies: dict[str, Regency] = {}
    villages: dict[str, list[Place]] = defaultdict(list)
    for code, name, level in rows.order_by("code").values_list("code", "name", "level"):
        if level == RegionLevel.REGENCY:
            regencies[code] = Regency(code=code, name=name)
        elif level == RegionLevel.DISTRICT:
            regencies[code[:5]].kecamatan.append(Place(code=code, name=name))
        elif level == RegionLevel.VILLAGE:
            villages[code[:8]].append(Place(code=code, name=name))
    for regency in regencies.values():
        regency.villages = {place.code: villages[place.code] for place in regency.kecamatan}
    catalogue = RegionCatalogue(regencies=regencies)
    for code in EAST_KALIMANTAN_REGENCIES:
        catalogue.regency(code)
    return catalogue
