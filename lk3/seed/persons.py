"""Persons for the registry: generated as plain rows, written in batches.

Rules:
- Generation is pure: ``person_rows`` makes no queries and, for the same
  stream and catalogue, yields the same rows (public ids included).
- Persons are split over the kab/kota by population (largest remainder),
  then over kecamatan (Bontang by its 2024 figures, elsewhere by number of
  villages) and evenly over the villages.
- Birth dates run 1940-2025 with more young than old people; sex is drawn
  first and the name follows it.
- About 8% have no NIK and a ``nik_absence`` reason; some of the older ones
  without documents have an estimated birth date (1 July of the year).
- A NIK is issued where the person lives for most of the young; older
  people more often carry one from their family's province of origin or
  another kab/kota of East Kalimantan (see ``names.ETHNICITIES``).
- About 4% have another name: women of the peoples with a family name
  (Batak, Minahasa, Toraja, Flores/NTT, Chinese-Indonesian) over 22 a
  married name with another family name of their people, everyone else a
  nickname made from a given name (Rizki → Kiki, Aminah → Minah). Whether
  and which are read from bits of the person's public id, so the persons
  stream is not drawn from and the other data does not move.
- Rows are written in batches (``bulk.bulk_insert``), one transaction per
  batch, so a million rows never sit in one transaction or in memory. Each
  batch writes its phones, other names and search postings too
  (``lk3.people.search_index.index_rows``); the name vocabulary is counted
  once at the end (``name_tokens_rebuild``).
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice

from django.db import connection, transaction

from lk3.people.identity import nik_lookup_hash
from lk3.people.models import (
    AliasKind,
    NikAbsence,
    Person,
    PersonAlias,
    PersonPhone,
    PersonSearchKey,
    Sex,
)
from lk3.people.search_index import IndexRow, index_rows, name_tokens_rebuild, search_name
from lk3.seed import contacts, names
from lk3.seed.bulk import bulk_insert
from lk3.seed.catalogue import Regency, RegionCatalogue
from lk3.seed.nik import NikSerials
from lk3.seed.streams import Weighted, pick, uuid_from

FIRST_BIRTH_YEAR = 1940
LAST_BIRTH_YEAR = 2025
REFERENCE_YEAR = 2026
MALE_SHARE = 0.515
NO_NIK_SHARE = 0.08
PHONE_SHARE_FROM_AGE_13 = 0.75
PHONE_FROM_AGE = 13
ESTIMATED_BIRTH_DATE_FROM_AGE = 50
BATCH_SIZE = 5_000

# Approximate 2024 population of each kab/kota (Bontang's is DOMAIN.md's
# figure); used only to spread demo persons.
POPULATION: dict[str, int] = {
    "64.01": 295_000,
    "64.02": 750_000,
    "64.03": 260_000,
    "64.07": 170_000,
    "64.08": 440_000,
    "64.09": 190_000,
    "64.11": 38_000,
    "64.71": 730_000,
    "64.72": 860_000,
    "64.74": 191_811,
}
KECAMATAN_POPULATION: dict[str, int] = {
    "64.74.01": 89_010,
    "64.74.02": 71_167,
    "64.74.03": 31_634,
}
NIK_ABSENCE = Weighted(
    {
        NikAbsence.NONE.value: 35,
        NikAbsence.LOST.value: 30,
        NikAbsence.UNKNOWN.value: 20,
        NikAbsence.NOT_RECORDED.value: 15,
    }
)


def _age_weight(age: int) -> float:
    """Relative number of people of an age: a young, migrant-heavy province."""
    if age < 20:
        return 1.0
    if age < 45:
        return 1.15
    if age < 60:
        return 0.8
    if age < 70:
        return 0.45
    if age < 80:
        return 0.2
    return 0.06


BIRTH_YEARS = Weighted(
    {
        year: _age_weight(REFERENCE_YEAR - year)
        for year in range(FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR + 1)
    }
)


@dataclass(frozen=True, slots=True)
class PersonRow:
    public_id: uuid.UUID
    regency_code: str
    full_name: str
    sex: str
    birth_date: datetime.date
    birth_date_is_estimated: bool
    birth_place: str
    nik: str
    nik_absence: str
    nik_region_code: str
    domicile_village: str
    address: str
    rt: str
    rw: str
    phone: str
    alias: str = ""
    alias_kind: str = ""


def apportion(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split ``total`` by ``weights`` into whole numbers (largest remainder)."""
    whole = sum(weights.values())
    exact = {key: total * weight / whole for key, weight in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    left = total - sum(counts.values())
    by_remainder = sorted(exact, key=lambda key: (counts[key] - exact[key], key))
    for key in by_remainder[:left]:
        counts[key] += 1
    return counts


def _local_nik_share(birth_year: int) -> float:
    """Share of people whose NIK was issued in the kab/kota where they live."""
    if birth_year >= 2005:
        return 0.9
    if birth_year >= 1990:
        return 0.6
    return 0.4


class _RegencyPlan:
    """Everything drawn per person in one kab/kota, prepared once."""

    def __init__(self, regency: Regency, catalogue: RegionCatalogue) -> None:
        self.regency = regency
        self.catalogue = catalogue
        kecamatan_weights = {
            place.code: KECAMATAN_POPULATION.get(place.code, len(regency.villages[place.code]))
            for place in regency.kecamatan
            if regency.villages[place.code]
        }
        self.kecamatan = Weighted(kecamatan_weights)
        self.mix = Weighted(
            {
                names.ETHNICITIES[key]: share
                for key, share in names.mix_for_regency(regency.code).items()
            }
        )
        self.origins = {
            ethnicity.key: catalogue.kecamatan_under(ethnicity.origin_prefixes)
            for ethnicity in names.ETHNICITIES.values()
        }
        self.elsewhere_in_province = Weighted(
            [
                (catalogue.regency(code), population)
                for code, population in POPULATION.items()
                if code != regency.code
            ]
        )


def _birth_date(rng: random.Random, year: int) -> datetime.date:
    first = datetime.date(year, 1, 1).toordinal()
    days = datetime.date(year + 1, 1, 1).toordinal() - first
    return datetime.date.fromordinal(first + int(rng.random() * days))


def _nik_kecamatan(
    rng: random.Random, plan: _RegencyPlan, ethnicity: names.Ethnicity, year: int, home: str
) -> str:
    if rng.random() < _local_nik_share(year):
        return home if rng.random() < 0.85 else pick(rng, plan.regency.kecamatan).code
    origins = plan.origins[ethnicity.key]
    if origins and rng.random() < 0.6:
        return pick(rng, origins).code
    return pick(rng, plan.elsewhere_in_province.pick(rng).kecamatan).code


def _origin_place(rng: random.Random, plan: _RegencyPlan, ethnicity: names.Ethnicity) -> str:
    """Where someone not born locally was born: the family's region of origin."""
    origins = plan.origins[ethnicity.key]
    if not origins:
        return plan.regency.short_name
    return plan.catalogue.regency_of(pick(rng, origins).code).short_name


# Peoples whose married women may take their husband's family name.
FAMILY_NAMES: dict[str, tuple[str, ...]] = {
    "batak": names.BATAK_MARGA,
    "manado": names.MINAHASA_FAMILY,
    "toraja": names.TORAJA_FAMILY,
    "ntt": names.NTT_FAMILY,
    "tionghoa": names.CHINESE_FAMILY,
}
ALIAS_PER_MILLE = 40
MARRIED_NAME_FROM_AGE = 22
# Words a nickname is never made from: titles and name prefixes.
NOT_NICKNAMES = frozenset(
    {names.BUGIS_NOBLE, names.KUTAI_NOBLE_MALE, names.KUTAI_NOBLE_FEMALE}
    | set(names.MUSLIM_MALE_PREFIXES)
)
VOWELS = frozenset("aeiou")


def _nickname(word: str) -> str:
    """A short form people use: the last syllable doubled (Kiki) or the first dropped (Minah)."""
    letters = word.lower().strip(".'")
    starts = [
        position
        for position in range(1, len(letters) - 1)
        if letters[position] not in VOWELS and letters[position + 1] in VOWELS
    ]
    if not starts:
        return word
    last = letters[starts[-1] :]
    if len(last) <= 3 and last[-1] in VOWELS:
        return (last * 2).capitalize()
    rest = letters[starts[0] :]
    return (rest if len(rest) >= 3 else last).capitalize()


def _alias(
    public_id: uuid.UUID, *, full_name: str, female: bool, age: int, ethnicity: str
) -> tuple[str, str]:
    """(name, kind) of the person's other name, or ("", ""); drawn from the id's random bits."""
    bits = public_id.int
    if bits % 1000 >= ALIAS_PER_MILLE:
        return "", ""
    words = full_name.split()
    family = FAMILY_NAMES.get(ethnicity, ())
    if female and age >= MARRIED_NAME_FROM_AGE and family and len(words) >= 2:
        husband = family[(bits >> 12) % len(family)]
        if husband != words[-1]:
            return " ".join([*words[:-1], husband]), AliasKind.MARRIED.value
    given = [word for word in words if word not in NOT_NICKNAMES] or words
    nickname = _nickname(given[(bits >> 24) % len(given)])
    if nickname.casefold() == full_name.casefold():
        return "", ""
    return nickname, AliasKind.NICKNAME.value


def _person(rng: random.Random, plan: _RegencyPlan, serials: NikSerials) -> PersonRow:
    public_id = uuid_from(rng)
    sex = Sex.MALE.value if rng.random() < MALE_SHARE else Sex.FEMALE.value
    year = BIRTH_YEARS.pick(rng)
    age = REFERENCE_YEAR - year
    birth_date = _birth_date(rng, year)
    ethnicity = plan.mix.pick(rng)
    full_name = names.full_name(rng, ethnicity=ethnicity, sex=sex, birth_year=year)
    home = plan.kecamatan.pick(rng)
    village = pick(rng, plan.regency.villages[home])
    address = contacts.street_address(rng, kecamatan_code=home)
    phone = ""
    if age >= PHONE_FROM_AGE and rng.random() < PHONE_SHARE_FROM_AGE_13:
        phone = contacts.mobile_number(rng)
    born_here = year >= 1990 or rng.random() < 0.5
    nik = nik_absence = nik_region_code = ""
    estimated = False
    if rng.random() < NO_NIK_SHARE:
        nik_absence = NIK_ABSENCE.pick(rng)
        if age >= ESTIMATED_BIRTH_DATE_FROM_AGE and rng.random() < 0.5:
            birth_date, estimated = datetime.date(year, 7, 1), True
        birth_place = plan.regency.short_name if born_here else _origin_place(rng, plan, ethnicity)
    else:
        nik_region_code = _nik_kecamatan(rng, plan, ethnicity, year, home)
        nik = serials.issue(
            kecamatan_code=nik_region_code,
            birth_date=birth_date,
            female=sex == Sex.FEMALE.value,
        )
        issued_here = nik_region_code.startswith(f"{plan.regency.code}.")
        if issued_here and born_here:
            birth_place = plan.regency.short_name
        elif issued_here:
            birth_place = _origin_place(rng, plan, ethnicity)
        else:
            birth_place = plan.catalogue.regency_of(nik_region_code).short_name
    alias, alias_kind = _alias(
        public_id,
        full_name=full_name,
        female=sex == Sex.FEMALE.value,
        age=age,
        ethnicity=ethnicity.key,
    )
    return PersonRow(
        public_id=public_id,
        regency_code=plan.regency.code,
        full_name=full_name,
        sex=sex,
        birth_date=birth_date,
        birth_date_is_estimated=estimated,
        birth_place=birth_place,
        nik=nik,
        nik_absence=nik_absence,
        nik_region_code=nik_region_code,
        domicile_village=village.code,
        address=address.line,
        rt=address.rt,
        rw=address.rw,
        phone=phone,
        alias=alias,
        alias_kind=alias_kind,
    )


def person_counts(total: int, *, regency_codes: Iterable[str]) -> dict[str, int]:
    """How many of ``total`` persons each kab/kota gets, by population."""
    return apportion(total, {code: POPULATION[code] for code in sorted(regency_codes)})


def person_rows(
    *, rng: random.Random, catalogue: RegionCatalogue, counts: Mapping[str, int]
) -> Iterator[PersonRow]:
    """``counts[code]`` persons living in each kab/kota, in code order."""
    serials = NikSerials(rng)
    for code in sorted(counts):
        plan = _RegencyPlan(catalogue.regency(code), catalogue)
        for _ in range(counts[code]):
            yield _person(rng, plan, serials)


def person_values(row: PersonRow, *, organisation_id: int) -> dict[str, object]:
    """The ``Person`` field values (by attname) of a generated row."""
    return {
        "public_id": row.public_id,
        "organisation_id": organisation_id,
        "full_name": row.full_name,
        "search_name": search_name(row.full_name),
        "nik": row.nik,
        "nik_hash": nik_lookup_hash(row.nik) if row.nik else "",
        "nik_absence": row.nik_absence,
        "nik_region_code": row.nik_region_code,
        "birth_date": row.birth_date,
        "birth_date_is_estimated": row.birth_date_is_estimated,
        "sex": row.sex,
        "birth_place": row.birth_place,
        "domicile_village_id": row.domicile_village,
        "address": row.address,
        "rt": row.rt,
        "rw": row.rw,
    }


def _related_write(batch: list[PersonRow], organisation_ids: Mapping[str, int]) -> None:
    """Rows that point at the batch's persons, once their ids exist."""
    ids = dict(
        Person.objects.filter(public_id__in=[row.public_id for row in batch]).values_list(
            "public_id", "id"
        )
    )
    phones = [
        {"person_id": ids[row.public_id], "number": row.phone, "is_whatsapp": True}
        for row in batch
        if row.phone
    ]
    bulk_insert(PersonPhone, phones)
    aliases = [
        {"person_id": ids[row.public_id], "name": row.alias, "kind": row.alias_kind}
        for row in batch
        if row.alias
    ]
    bulk_insert(PersonAlias, aliases)
    index_rows(
        [
            IndexRow(
                person_id=ids[row.public_id],
                organisation_id=organisation_ids[row.regency_code],
                full_name=row.full_name,
                aliases=(row.alias,) if row.alias else (),
            )
            for row in batch
        ]
    )


def _statistics_refresh() -> None:
    """PostgreSQL plans search queries from table statistics, stale after a bulk load."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    tables = ", ".join(
        quote(model._meta.db_table) for model in (Person, PersonPhone, PersonAlias, PersonSearchKey)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


@dataclass
class PersonTally:
    total: int = 0
    with_nik: int = 0
    without_nik: int = 0
    by_regency: dict[str, int] = field(default_factory=dict)

    def add(self, row: PersonRow) -> None:
        self.total += 1
        if row.nik:
            self.with_nik += 1
        else:
            self.without_nik += 1
        self.by_regency[row.regency_code] = self.by_regency.get(row.regency_code, 0) + 1


def persons_write(
    *,
    rows: Iterable[PersonRow],
    organisation_ids: Mapping[str, int],
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> PersonTally:
    """Insert ``rows``, registered by the LK3 of their kab/kota, one transaction per batch.

    ``progress(written)`` follows each batch when given.
    """
    tally = PersonTally()
    iterator = iter(rows)
    while batch := list(islice(iterator, batch_size)):
        values = []
        for row in batch:
            tally.add(row)
            values.append(person_values(row, organisation_id=organisation_ids[row.regency_code]))
        with transaction.atomic():
            bulk_insert(Person, values)
            _related_write(batch, organisation_ids)
        if progress is not None:
            progress(tally.total)
    name_tokens_rebuild()
    _statistics_refresh()
    return tally
