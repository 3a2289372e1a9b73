#!/usr/bin/env python3
"""A registry of persons with known duplicates, for ``bench/dedup_bench``.

    bench/dedup/generate.py demo|city|province [--seed N] [--output-dir DIR]

Writes ``persons-SCALE-SEED.csv`` in the columns ``manage.py dedup_csv``
reads and ``truth-SCALE-SEED.csv`` with ``id,cluster,household,kinds,note``:
records of one person share ``cluster``; ``kinds`` lists what was changed
in a duplicate record (empty for the first record of a person); people of
one household share ``household``, and ``note`` says how a person is a hard
negative (``relative``, ``shared_nik``, ``twin``).

Rules:
- Same scale and seed, same files: every draw comes from one
  ``random.Random`` seeded with a string (``lk3.seed.streams``).
- Persons are drawn as ``lk3.seed`` draws them: sex, birth year
  (``persons.BIRTH_YEARS``), a name fitting the kab/kota's ethnic mix
  (``names.full_name``, ``names.mix_for_regency``), a street address
  (``contacts.street_address``), a kelurahan/desa of the Kemendagri table
  (``lk3/regions/data/wilayah.csv``), and 92% a NIK: the kecamatan where it
  was issued (home, elsewhere in the province, or the ethnicity's region of
  origin), DDMMYY with 40 added to a woman's day, a serial.
- About 10% of persons get one more record, a fifth of them two; each
  applies 1-3 of ``KINDS``. Changes that contradict each other (a swapped
  and a missing birth date; a missing and a mistyped NIK) never meet.
- Hard negatives come naturally: the name lists are short, so many people
  share a name. On top, 6% of persons are relatives of an earlier one (same
  address and kelurahan, often the family name, never the head's full name;
  a fifth of them wrongly given the head's NIK) and 0.3% are twins (same
  birth date and address, NIK serials one apart).
- ``rows`` counts records, duplicates included; their order is shuffled and
  ids (``P0000001``) follow that order.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import random
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from lk3.seed import contacts, names  # noqa: E402
from lk3.seed.nik import NikSerials  # noqa: E402
from lk3.seed.persons import BIRTH_YEARS, FAMILY_NAMES, MALE_SHARE, NO_NIK_SHARE  # noqa: E402
from lk3.seed.persons import POPULATION as REGENCY_POPULATION  # noqa: E402
from lk3.seed.streams import Weighted, pick  # noqa: E402

WILAYAH = ROOT / "lk3" / "regions" / "data" / "wilayah.csv"
OUT = ROOT / "bench" / "out"
DEFAULT_SEED = 20260201
BONTANG = "64.74"
SCALES: dict[str, tuple[int, tuple[str, ...]]] = {
    "demo": (20_000, (BONTANG,)),
    "city": (200_000, (BONTANG,)),
    "province": (1_000_000, tuple(sorted(REGENCY_POPULATION))),
}
COLUMNS = (
    "id",
    "full_name",
    "birth_date",
    "sex",
    "nik",
    "birth_place",
    "address",
    "kelurahan_code",
)
TRUTH_COLUMNS = ("id", "cluster", "household", "kinds", "note")
MALE, FEMALE = "L", "P"

DUPLICATED_SHARE = 0.10
SECOND_DUPLICATE_SHARE = 0.20
RELATIVE_SHARE = 0.06
SHARED_NIK_SHARE = 0.20
TWIN_SHARE = 0.003
RECENT_HOUSEHOLDS = 2_000
MAX_NAME_DRAWS = 20
MARRIED_FROM_AGE = 20
REFERENCE_YEAR = 2026
DEFAULT_BIRTH_YEAR = 1990
KIND_COUNT = Weighted({1: 50, 2: 35, 3: 15})

TYPO = "typo"
VARIANT = "variant"
SWAPPED_DATE = "swapped_date"
NO_BIRTH_DATE = "no_birth_date"
NO_NIK = "no_nik"
NIK_DIGIT = "nik_digit"
MOVED = "moved"
MARRIED_NAME = "married_name"
KINDS = {
    TYPO: 20,
    VARIANT: 20,
    SWAPPED_DATE: 8,
    NO_BIRTH_DATE: 8,
    NO_NIK: 12,
    NIK_DIGIT: 8,
    MOVED: 15,
    MARRIED_NAME: 9,
}
EXCLUSIVE = ({SWAPPED_DATE, NO_BIRTH_DATE}, {NO_NIK, NIK_DIGIT})

NOTE_RELATIVE = "relative"
NOTE_SHARED_NIK = "shared_nik"
NOTE_TWIN = "twin"

LETTERS = "abcdefghijklmnopqrstuvwxyz"
VOWELS = frozenset("aeiou")
MUHAMMAD = ("Muhammad", "Muh.", "Moh.", "M.", "Mohammad", "Muhamad", "Mochammad")
NUR = ("Nur", "Nurul", "Noor")
SITI = ("Siti", "Sitti", "St.")
ABDUL = ("Abdul", "Abd.")
AHMAD = ("Ahmad", "Achmad", "Akhmad")
MEN_TITLES = ("H.", "Drs.", "Ir.")
WOMEN_TITLES = ("Hj.", "Dra.", "Ny.")
DEGREES = ("S.Pd.", "S.E.", "S.H.", "A.Md.", "S.Kom.", "S.Sos.", "S.Pd.I.")


@dataclass
class Regions:
    """The parts of the Kemendagri table the generator draws from."""

    regency_names: dict[str, str]
    kecamatan: dict[str, list[str]]
    villages: dict[str, list[str]]

    def short_name(self, code: str) -> str:
        name = self.regency_names.get(code[:5], "")
        for word in ("Kabupaten ", "Kota "):
            if name.startswith(word):
                return name[len(word) :]
        return name

    def kecamatan_under(self, prefixes: tuple[str, ...]) -> list[str]:
        return [
            code for codes in self.kecamatan.values() for code in codes if code.startswith(prefixes)
        ]


def regions_read(path: Path = WILAYAH) -> Regions:
    regency_names: dict[str, str] = {}
    kecamatan: dict[str, list[str]] = defaultdict(list)
    villages: dict[str, list[str]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            code, level = row["kode"], row["tingkat"]
            if level == "kabupaten_kota":
                regency_names[code] = row["nama"]
            elif level == "kecamatan":
                kecamatan[code[:5]].append(code)
            elif level == "desa_kelurahan" and code.startswith("64."):
                villages[code[:8]].append(code)
    return Regions(regency_names, dict(kecamatan), dict(villages))


@dataclass
class _RegencyPlan:
    code: str
    kecamatan: Weighted[str]
    mix: Weighted[names.Ethnicity]


@dataclass
class Person:
    full_name: str
    birth_date: datetime.date | None
    sex: str
    nik: str
    birth_place: str
    address: str
    kelurahan_code: str
    regency: str
    ethnicity: names.Ethnicity
    cluster: int
    household: int
    note: str = ""
    kinds: tuple[str, ...] = ()


@dataclass
class Generator:
    rng: random.Random
    regions: Regions
    regency_codes: tuple[str, ...]
    serials: NikSerials = field(init=False)
    plans: dict[str, _RegencyPlan] = field(init=False)
    regency_pick: Weighted[str] = field(init=False)
    origins: dict[str, list[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.serials = NikSerials(self.rng)
        self.plans = {
            code: _RegencyPlan(
                code=code,
                kecamatan=Weighted(
                    {
                        kecamatan: len(self.regions.villages[kecamatan])
                        for kecamatan in self.regions.kecamatan[code]
                        if self.regions.villages.get(kecamatan)
                    }
                ),
                mix=Weighted(
                    {
                        names.ETHNICITIES[key]: share
                        for key, share in names.mix_for_regency(code).items()
                    }
                ),
            )
            for code in self.regency_codes
        }
        self.regency_pick = Weighted(
            {code: REGENCY_POPULATION[code] for code in self.regency_codes}
        )
        self.origins = {
            key: self.regions.kecamatan_under(ethnicity.origin_prefixes)
            for key, ethnicity in names.ETHNICITIES.items()
        }
        self.province_kecamatan = [
            code for regency in REGENCY_POPULATION for code in self.regions.kecamatan[regency]
        ]

    # -- persons -----------------------------------------------------------------------

    def _birth_date(self, year: int) -> datetime.date:
        first = datetime.date(year, 1, 1).toordinal()
        days = datetime.date(year + 1, 1, 1).toordinal() - first
        return datetime.date.fromordinal(first + int(self.rng.random() * days))

    def _home(self, regency: str) -> tuple[str, str, str]:
        """(kecamatan, village, address line) somewhere in ``regency``."""
        kecamatan = self.plans[regency].kecamatan.pick(self.rng)
        village = pick(self.rng, self.regions.villages[kecamatan])
        address = contacts.street_address(self.rng, kecamatan_code=kecamatan).line
        return kecamatan, village, address

    def _nik_kecamatan(self, ethnicity: names.Ethnicity, year: int, home: str) -> str:
        local = 0.85 if year >= 1990 else 0.5
        if self.rng.random() < local:
            return home
        origins = self.origins[ethnicity.key]
        if origins and self.rng.random() < 0.6:
            return pick(self.rng, origins)
        return pick(self.rng, self.province_kecamatan)

    def person(self, cluster: int) -> Person:
        rng = self.rng
        regency = self.regency_pick.pick(rng)
        plan = self.plans[regency]
        sex = MALE if rng.random() < MALE_SHARE else FEMALE
        year = BIRTH_YEARS.pick(rng)
        birth_date = self._birth_date(year)
        ethnicity = plan.mix.pick(rng)
        full_name = names.full_name(rng, ethnicity=ethnicity, sex=sex, birth_year=year)
        home, village, address = self._home(regency)
        nik = ""
        birth_place = self.regions.short_name(regency)
        if rng.random() >= NO_NIK_SHARE:
            issued = self._nik_kecamatan(ethnicity, year, home)
            nik = self.serials.issue(
                kecamatan_code=issued, birth_date=birth_date, female=sex == FEMALE
            )
            if not issued.startswith(regency):
                birth_place = self.regions.short_name(issued)
        return Person(
            full_name=full_name,
            birth_date=birth_date,
            sex=sex,
            nik=nik,
            birth_place=birth_place,
            address=address,
            kelurahan_code=village,
            regency=regency,
            ethnicity=ethnicity,
            cluster=cluster,
            household=cluster,
        )

    def _household_name(self, head: Person, *, sex: str, birth_year: int) -> str:
        """A name for someone of the head's household: the family name where the people
        has one, never the head's own name (nobody names a twin after their sibling)."""
        for _attempt in range(MAX_NAME_DRAWS):
            words = names.full_name(
                self.rng, ethnicity=head.ethnicity, sex=sex, birth_year=birth_year
            ).split()
            head_words = head.full_name.split()
            has_family_name = head.ethnicity.key in FAMILY_NAMES or self.rng.random() < 0.3
            if has_family_name and len(words) >= 2 and len(head_words) >= 2:
                words[-1] = head_words[-1]
            name = " ".join(dict.fromkeys(words))
            if name.casefold() != head.full_name.casefold():
                break
        return name

    def relative(self, cluster: int, head: Person) -> Person:
        """Someone of the head's household: another person, often very like them."""
        fresh = self.person(cluster)
        relative = replace(
            fresh,
            address=head.address,
            kelurahan_code=head.kelurahan_code,
            regency=head.regency,
            ethnicity=head.ethnicity,
            household=head.household,
            note=NOTE_RELATIVE,
        )
        relative.full_name = self._household_name(
            head,
            sex=fresh.sex,
            birth_year=fresh.birth_date.year if fresh.birth_date else DEFAULT_BIRTH_YEAR,
        )
        if head.nik and self.rng.random() < SHARED_NIK_SHARE:
            relative.nik = head.nik
            relative.note = NOTE_SHARED_NIK
        return relative

    def twin(self, cluster: int, head: Person) -> Person:
        """Born the same day to the same parents: NIKs one serial apart."""
        assert head.birth_date is not None
        sex = MALE if self.rng.random() < MALE_SHARE else FEMALE
        twin = replace(head, sex=sex, cluster=cluster, note=NOTE_TWIN, kinds=())
        twin.full_name = self._household_name(head, sex=sex, birth_year=head.birth_date.year)
        if head.nik:
            twin.nik = self.serials.issue(
                kecamatan_code=f"{head.nik[:2]}.{head.nik[2:4]}.{head.nik[4:6]}",
                birth_date=head.birth_date,
                female=sex == FEMALE,
            )
        return twin

    # -- duplicates --------------------------------------------------------------------

    def applicable(self, person: Person) -> dict[str, float]:
        kinds = dict(KINDS)
        date = person.birth_date
        if date is None:
            del kinds[SWAPPED_DATE], kinds[NO_BIRTH_DATE]
        elif date.day > 12 or date.day == date.month:
            del kinds[SWAPPED_DATE]
        if not person.nik:
            del kinds[NO_NIK], kinds[NIK_DIGIT]
        too_young = date is not None and REFERENCE_YEAR - date.year < MARRIED_FROM_AGE
        if person.sex != FEMALE or too_young:
            del kinds[MARRIED_NAME]
        return kinds

    def duplicate(self, person: Person) -> Person:
        available = self.applicable(person)
        count = KIND_COUNT.pick(self.rng)
        chosen: list[str] = []
        while available and len(chosen) < count:
            kind = Weighted(available).pick(self.rng)
            chosen.append(kind)
            for group in (*EXCLUSIVE, {kind}):
                if kind in group:
                    for other in group:
                        available.pop(other, None)
        record = replace(person, kinds=tuple(sorted(chosen)))
        # In CHANGES order: the husband's name goes before a degree, not after it.
        for kind, change in CHANGES.items():
            if kind in chosen:
                change(self, record)
        return record

    def _typo(self, record: Person) -> None:
        rng = self.rng
        words = record.full_name.split()
        candidates = [i for i, word in enumerate(words) if sum(c.isalpha() for c in word) >= 4]
        if not candidates:
            candidates = list(range(len(words)))
        index = pick(rng, candidates)
        word = words[index]
        start = 0 if rng.random() < 0.1 or len(word) < 3 else 1
        position = start + int(rng.random() * (len(word) - start))
        letter = pick(rng, LETTERS)
        operation = int(rng.random() * 4)
        if operation == 0 and len(word) > 3:
            changed = word[:position] + word[position + 1 :]
        elif operation == 1 and position < len(word) - 1:
            changed = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
        elif operation == 2:
            changed = word[:position] + letter + word[position:]
        else:
            if word[position].lower() == letter:
                letter = LETTERS[(LETTERS.index(letter) + 1) % len(LETTERS)]
            changed = word[:position] + letter + word[position + 1 :]
        if position == 0:
            changed = changed[:1].upper() + changed[1:]
        words[index] = changed
        record.full_name = " ".join(words)

    def _variant(self, record: Person) -> None:
        rng = self.rng
        words = record.full_name.split()
        options: list[Callable[[], list[str]]] = []

        def swap_word(index: int, choices: Sequence[str]) -> Callable[[], list[str]]:
            def change() -> list[str]:
                others = [choice for choice in choices if choice != words[index]]
                return [*words[:index], pick(rng, others), *words[index + 1 :]]

            return change

        def respell(index: int, old: str, new: str) -> Callable[[], list[str]]:
            def change() -> list[str]:
                word = words[index]
                at = word.lower().find(old)
                spelled = word[:at] + new + word[at + len(old) :]
                if at == 0:
                    spelled = spelled[:1].upper() + spelled[1:]
                return [*words[:index], spelled, *words[index + 1 :]]

            return change

        def doubled(index: int) -> Callable[[], list[str]]:
            def change() -> list[str]:
                word = words[index]
                for at in range(1, len(word)):
                    if word[at].lower() == word[at - 1].lower():
                        return [*words[:index], word[:at] + word[at + 1 :], *words[index + 1 :]]
                places = [
                    at
                    for at in range(1, len(word) - 1)
                    if word[at].isalpha() and word[at].lower() not in VOWELS
                ]
                if not places:
                    return words
                at = pick(rng, places)
                return [*words[:index], word[:at] + word[at] + word[at:], *words[index + 1 :]]

            return change

        for index, word in enumerate(words):
            for family in (MUHAMMAD, NUR, SITI, ABDUL, AHMAD):
                if word in family:
                    options.append(swap_word(index, family))
            lower = word.lower()
            if lower.startswith("nur") and len(lower) > 5:
                options.append(respell(index, "nur", "noor"))
            consonants = any(c.isalpha() and c not in VOWELS for c in lower[1:-1])
            repeated = any(a == b for a, b in pairwise(lower))
            if len(word) >= 4 and (consonants or repeated):
                options.append(doubled(index))
            if "u" in lower[1:]:
                options.append(respell(index, "u", "oe"))
            if "j" in lower:
                options.append(respell(index, "j", "dj"))
            if "c" in lower:
                options.append(respell(index, "c", "tj"))

        def title() -> list[str]:
            female = record.sex == FEMALE
            if rng.random() < 0.5:
                return [pick(rng, WOMEN_TITLES if female else MEN_TITLES), *words]
            return [*words[:-1], f"{words[-1]},", pick(rng, DEGREES)]

        options.append(title)
        record.full_name = " ".join(pick(rng, options)())

    def _swapped_date(self, record: Person) -> None:
        date = record.birth_date
        assert date is not None
        record.birth_date = datetime.date(date.year, date.day, date.month)

    def _no_birth_date(self, record: Person) -> None:
        record.birth_date = None

    def _no_nik(self, record: Person) -> None:
        record.nik = ""

    def _nik_digit(self, record: Person) -> None:
        position = int(self.rng.random() * len(record.nik))
        old = record.nik[position]
        digit = pick(self.rng, [d for d in "0123456789" if d != old])
        record.nik = record.nik[:position] + digit + record.nik[position + 1 :]

    def _moved(self, record: Person) -> None:
        regency = record.regency
        if len(self.regency_codes) > 1 and self.rng.random() < 0.2:
            regency = self.regency_pick.pick(self.rng)
        for _attempt in range(5):
            _kecamatan, village, address = self._home(regency)
            if village != record.kelurahan_code:
                break
        record.address, record.kelurahan_code, record.regency = address, village, regency

    def _married_name(self, record: Person) -> None:
        year = record.birth_date.year if record.birth_date else DEFAULT_BIRTH_YEAR
        husband = names.full_name(
            self.rng, ethnicity=record.ethnicity, sex=MALE, birth_year=year - 3
        ).split()[-1]
        if husband not in record.full_name.split():
            record.full_name = f"{record.full_name} {husband}"


CHANGES: dict[str, Callable[[Generator, Person], None]] = {
    MARRIED_NAME: Generator._married_name,
    TYPO: Generator._typo,
    VARIANT: Generator._variant,
    SWAPPED_DATE: Generator._swapped_date,
    NO_BIRTH_DATE: Generator._no_birth_date,
    NO_NIK: Generator._no_nik,
    NIK_DIGIT: Generator._nik_digit,
    MOVED: Generator._moved,
}


def generate(rows: int, *, seed: int, regency_codes: tuple[str, ...]) -> list[Person]:
    """``rows`` records, duplicates included, in a shuffled order."""
    rng = random.Random(f"lk3-dedup-bench:{seed}")
    generator = Generator(rng=rng, regions=regions_read(), regency_codes=regency_codes)
    records: list[Person] = []
    recent: list[Person] = []
    cluster = 0
    while len(records) < rows:
        cluster += 1
        draw = rng.random()
        if recent and draw < TWIN_SHARE:
            head = pick(rng, recent)
            person = generator.twin(cluster, head) if head.birth_date else generator.person(cluster)
        elif recent and draw < TWIN_SHARE + RELATIVE_SHARE:
            person = generator.relative(cluster, pick(rng, recent))
        else:
            person = generator.person(cluster)
            recent.append(person)
            if len(recent) > RECENT_HOUSEHOLDS:
                recent.pop(int(rng.random() * len(recent)))
        records.append(person)
        if rng.random() < DUPLICATED_SHARE:
            copies = 2 if rng.random() < SECOND_DUPLICATE_SHARE else 1
            records.extend(generator.duplicate(person) for _ in range(copies))
    del records[rows:]
    rng.shuffle(records)
    return records


def paths(scale: str, seed: int, directory: Path = OUT) -> tuple[Path, Path]:
    return (
        directory / f"dedup-persons-{scale}-{seed}.csv",
        directory / f"dedup-truth-{scale}-{seed}.csv",
    )


def write(records: Sequence[Person], persons_path: Path, truth_path: Path) -> None:
    persons_path.parent.mkdir(parents=True, exist_ok=True)
    persons_partial = persons_path.with_suffix(".partial")
    truth_partial = truth_path.with_suffix(".partial")
    with (
        persons_partial.open("w", newline="", encoding="utf-8") as persons_file,
        truth_partial.open("w", newline="", encoding="utf-8") as truth_file,
    ):
        persons = csv.writer(persons_file, lineterminator="\n")
        truth = csv.writer(truth_file, lineterminator="\n")
        persons.writerow(COLUMNS)
        truth.writerow(TRUTH_COLUMNS)
        for number, record in enumerate(records, start=1):
            record_id = f"P{number:07d}"
            persons.writerow(
                (
                    record_id,
                    record.full_name,
                    record.birth_date.isoformat() if record.birth_date else "",
                    record.sex,
                    record.nik,
                    record.birth_place,
                    record.address,
                    record.kelurahan_code,
                )
            )
            truth.writerow(
                (record_id, record.cluster, record.household, "+".join(record.kinds), record.note)
            )
    # Written last, so a cached pair of files is always complete.
    truth_partial.replace(truth_path)
    persons_partial.replace(persons_path)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", choices=list(SCALES))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--output-dir", type=Path, default=OUT)
    options = parser.parse_args(argv)
    rows, regency_codes = SCALES[options.scale]
    records = generate(rows, seed=options.seed, regency_codes=regency_codes)
    persons_path, truth_path = paths(options.scale, options.seed, options.output_dir)
    write(records, persons_path, truth_path)
    print(f"{persons_path} ({len(records)} rows), {truth_path}")


if __name__ == "__main__":
    main(sys.argv[1:])
