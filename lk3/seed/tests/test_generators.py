"""The pure generators: names, NIKs, person rows and board specs."""

from __future__ import annotations

import datetime
import random
from collections import Counter

import pytest

from lk3.accounts.models import Function
from lk3.seed import names
from lk3.seed.board import BONTANG_ACTIVE_MEMBERS, bontang_board, regency_board
from lk3.seed.catalogue import BONTANG, EAST_KALIMANTAN_REGENCIES, catalogue_load
from lk3.seed.nik import NikSerials, nik_date_part
from lk3.seed.persons import apportion, person_counts, person_rows
from lk3.seed.streams import Weighted, stream


@pytest.fixture
def catalogue(db):
    return catalogue_load()


def test_women_add_40_to_the_day_of_birth():
    born = datetime.date(1987, 10, 14)

    assert nik_date_part(born, female=True) == "541087"
    assert nik_date_part(born, female=False) == "141087"


def test_nik_serials_never_repeat_for_the_same_region_and_date():
    serials = NikSerials(random.Random(1))
    born = datetime.date(2001, 2, 3)

    niks = [
        serials.issue(kecamatan_code="64.74.01", birth_date=born, female=False) for _ in range(50)
    ]

    assert len(set(niks)) == 50
    assert all(nik.startswith("647401030201") and nik[12:] != "0000" for nik in niks)


def test_apportion_splits_the_whole_total():
    counts = apportion(1000, {"a": 1, "b": 1, "c": 1})

    assert sum(counts.values()) == 1000
    assert sorted(counts.values()) == [333, 333, 334]


def test_person_counts_follow_population():
    counts = person_counts(1_000_000, regency_codes=EAST_KALIMANTAN_REGENCIES)

    assert sum(counts.values()) == 1_000_000
    assert counts["64.72"] > counts["64.74"] > counts["64.11"]


def test_weighted_never_picks_a_zero_weight():
    choice = Weighted({"yes": 1.0, "no": 0.0})
    rng = random.Random(3)

    assert {choice.pick(rng) for _ in range(1000)} == {"yes"}


def test_person_rows_repeat_with_the_same_seed(catalogue):
    counts = {BONTANG: 500}

    first = list(person_rows(rng=stream(1, "persons"), catalogue=catalogue, counts=counts))
    second = list(person_rows(rng=stream(1, "persons"), catalogue=catalogue, counts=counts))
    other = list(person_rows(rng=stream(2, "persons"), catalogue=catalogue, counts=counts))

    assert first == second
    assert first != other


def test_person_rows_spread_over_ages_including_children(catalogue):
    rows = list(person_rows(rng=stream(1, "persons"), catalogue=catalogue, counts={BONTANG: 2000}))
    ages = [2026 - row.birth_date.year for row in rows]

    assert min(ages) >= 1
    assert max(ages) <= 86
    assert 0.15 < sum(age < 18 for age in ages) / len(ages) < 0.4
    assert sum(age >= 65 for age in ages) > 0


def test_most_niks_of_bontang_residents_were_issued_in_bontang(catalogue):
    rows = list(person_rows(rng=stream(1, "persons"), catalogue=catalogue, counts={BONTANG: 2000}))
    provinces = Counter(row.nik_region_code[:5] for row in rows if row.nik)

    assert provinces.most_common(1)[0][0] == BONTANG
    assert {code[:2] for code in provinces} >= {"64", "73", "33", "35"}


def test_no_refused_public_figure_names(catalogue):
    rows = person_rows(rng=stream(1, "persons"), catalogue=catalogue, counts={BONTANG: 5000})

    assert not {row.full_name.casefold() for row in rows} & names.REFUSED_FULL_NAMES


@pytest.mark.parametrize("ethnicity", sorted(names.ETHNICITIES))
def test_women_get_womens_given_names(ethnicity):
    rng = random.Random(5)
    lists = {name: value for name, value in vars(names).items() if isinstance(value, tuple)}
    womens = {word for name, words in lists.items() if name.endswith("FEMALE") for word in words}
    mens = {word for name, words in lists.items() if name.endswith("_MALE") for word in words}
    titles = {names.BUGIS_NOBLE, names.KUTAI_NOBLE_FEMALE}

    women = [
        names.full_name(rng, ethnicity=names.ETHNICITIES[ethnicity], sex="P", birth_year=year)
        for year in range(1945, 2025)
    ]

    given = {next(word for word in name.split() if word not in titles) for name in women}
    assert not given & (mens - womens)


def test_bontang_board_specs_have_149_active_members(catalogue):
    specs = bontang_board(stream(1, "board"), catalogue.regency(BONTANG))

    assert sum(spec.is_active for spec in specs) == BONTANG_ACTIVE_MEMBERS
    assert len({spec.phone for spec in specs}) == len(specs)


@pytest.mark.parametrize("code", [code for code in EAST_KALIMANTAN_REGENCIES if code != BONTANG])
def test_other_boards_have_40_to_90_members_and_a_tksk_per_kecamatan(catalogue, code):
    regency = catalogue.regency(code)

    specs = regency_board(stream(1, f"board:{code}"), regency)

    assert 40 <= len(specs) <= 90
    tksk = [spec for spec in specs if spec.function == Function.TKSK]
    assert len(tksk) == len(regency.kecamatan)
    villages = {spec.kelurahan[0] for spec in specs if spec.function == Function.BABINSA}
    assert villages
    assert all(village.startswith(f"{code}.") for village in villages)
