"""The search postings: written for names and aliases, kept current, counted."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import transaction

from lk3.people import services
from lk3.people.merging import person_merge
from lk3.people.models import AliasKind, NameToken, Person, PersonAlias, PersonSearchKey
from lk3.people.names import index_keys, name_tokens
from lk3.people.search_index import (
    IndexRow,
    index_rows,
    name_keys,
    name_tokens_rebuild,
    person_index,
    person_unindex,
    search_name,
    whole_name_key,
)
from lk3.people.tests.builders import make_person
from lk3.seed import persons as seed_persons
from lk3.seed.run import seed_run
from lk3.seed.scales import DEMO


def expected_keys(*names: str) -> set[str]:
    return set().union(*(index_keys(name) | {whole_name_key(name_tokens(name))} for name in names))


def keys_of(person: Person) -> set[str]:
    return set(PersonSearchKey.objects.filter(person=person).values_list("key", flat=True))


def token_counts() -> dict[str, int]:
    return dict(NameToken.objects.values_list("token", "person_count"))


def test_keys_are_written_for_the_full_name_and_every_alias(intan):
    person = make_person(
        intan,
        "Siti Aminah",
        aliases=[services.AliasInput(name="Ami"), services.AliasInput(name="Aminah Rahman")],
    )

    assert keys_of(person) == (
        index_keys("Siti Aminah")
        | index_keys("Ami")
        | index_keys("Aminah Rahman")
        | {"f:aminah siti", "f:ami", "f:aminah rahman"}
    )


def test_keys_carry_the_persons_organisation(intan):
    person = make_person(intan, "Siti Aminah")

    organisations = set(
        PersonSearchKey.objects.filter(person=person).values_list("organisation_id", flat=True)
    )

    assert organisations == {intan.organisation_id}


def test_search_name_holds_the_canonical_tokens(intan):
    person = make_person(intan, "Hj. Siti  AMINAH, S.Pd.")

    person.refresh_from_db()

    assert person.search_name == "siti aminah"


def test_a_rename_replaces_the_keys(intan):
    person = make_person(intan, "Siti Aminah")

    services.person_update(
        actor=intan, person=person, expected_version=person.version, full_name="Siti Rahmawati"
    )

    assert keys_of(person) == index_keys("Siti Rahmawati") | {"f:rahmawati siti"}


def test_removing_an_alias_removes_its_keys(intan):
    person = make_person(intan, "Siti Aminah", aliases=[services.AliasInput(name="Ami")])

    services.person_update(actor=intan, person=person, expected_version=person.version, aliases=[])

    assert keys_of(person) == index_keys("Siti Aminah") | {"f:aminah siti"}


def test_name_tokens_count_persons(intan):
    make_person(intan, "Siti Aminah")
    make_person(intan, "Siti Rahma")

    assert token_counts() == {"siti": 2, "aminah": 1, "rahma": 1}


def test_a_token_in_the_name_and_an_alias_counts_once(intan):
    make_person(intan, "Siti Aminah", aliases=[services.AliasInput(name="Aminah")])

    assert token_counts() == {"siti": 1, "aminah": 1}


def test_a_rename_moves_the_counts(intan):
    make_person(intan, "Siti Aminah")
    person = make_person(intan, "Siti Rahma")

    services.person_update(
        actor=intan, person=person, expected_version=person.version, full_name="Nur Rahma"
    )

    assert token_counts() == {"siti": 1, "aminah": 1, "rahma": 1, "nur": 1}


def test_a_merged_person_leaves_the_index(budi):
    survivor = make_person(budi, "Siti Aminah")
    merged = make_person(budi, "Sitti Aminah Lestari")

    person_merge(actor=budi, survivor=survivor, merged=merged)

    assert keys_of(merged) == set()
    # The merged name lives on as the survivor's previous name.
    assert keys_of(survivor) == expected_keys("Siti Aminah", "Sitti Aminah Lestari")
    assert token_counts()["lestari"] == 1
    assert token_counts()["aminah"] == 1


def test_unindex_removes_keys_and_counts(intan):
    person = make_person(intan, "Siti Aminah")

    with transaction.atomic():
        person_unindex(person)

    assert keys_of(person) == set()
    assert token_counts() == {"siti": 0, "aminah": 0}


def test_indexing_twice_changes_nothing(intan):
    person = make_person(intan, "Siti Aminah")
    before = (keys_of(person), token_counts())

    with transaction.atomic():
        person_index(person)

    assert (keys_of(person), token_counts()) == before


@pytest.mark.django_db(transaction=True)
def test_indexing_needs_the_callers_transaction(intan):
    person = make_person(intan, "Siti Aminah")

    with pytest.raises(transaction.TransactionManagementError):
        person_index(person)


# -- bulk loads -------------------------------------------------------------------------


def test_index_rows_writes_the_same_keys_as_person_index(intan):
    person = Person.objects.create(
        organisation=intan.organisation, full_name="Muhammad Rizki", sex="L"
    )

    written = index_rows([IndexRow(person.pk, intan.organisation_id, person.full_name, ("Iki",))])

    expected = expected_keys("Muhammad Rizki", "Iki")
    assert keys_of(person) == expected
    assert written == len(expected)


def test_name_tokens_rebuild_counts_from_the_keys(intan):
    first = Person.objects.create(organisation=intan.organisation, full_name="Siti Aminah", sex="P")
    second = Person.objects.create(organisation=intan.organisation, full_name="Siti Rahma", sex="P")
    index_rows(
        [
            IndexRow(first.pk, intan.organisation_id, first.full_name, ("Aminah",)),
            IndexRow(second.pk, intan.organisation_id, second.full_name),
        ]
    )

    name_tokens_rebuild()

    assert token_counts() == {"siti": 2, "aminah": 1, "rahma": 1}


def test_name_tokens_rebuild_sets_gone_tokens_to_zero(intan):
    NameToken.objects.create(token="paijo", person_count=3)
    person = Person.objects.create(organisation=intan.organisation, full_name="Siti", sex="P")
    index_rows([IndexRow(person.pk, intan.organisation_id, person.full_name)])

    name_tokens_rebuild()

    assert token_counts() == {"paijo": 0, "siti": 1}


# -- the seed ---------------------------------------------------------------------------

SEEDED = 300


@pytest.fixture
def seeded(db):
    return seed_run(scale=DEMO, persons=SEEDED)


def test_seeded_persons_have_their_search_name_and_keys(seeded):
    aliases: dict[int, list[str]] = {}
    for person_id, name in PersonAlias.objects.values_list("person_id", "name"):
        aliases.setdefault(person_id, []).append(name)

    for person in Person.objects.all():
        assert person.search_name == search_name(person.full_name)
        assert keys_of(person) == name_keys([person.full_name, *aliases.get(person.pk, [])])


def test_a_few_seeded_persons_have_another_name(seeded):
    kinds = Counter(PersonAlias.objects.values_list("kind", flat=True))

    assert 0 < sum(kinds.values()) < SEEDED * 0.1
    assert set(kinds) <= {AliasKind.NICKNAME, AliasKind.MARRIED}


def test_seeded_name_tokens_count_persons(seeded):
    expected: Counter[str] = Counter()
    for person_id in Person.objects.values_list("pk", flat=True):
        keys = PersonSearchKey.objects.filter(person_id=person_id).values_list("key", flat=True)
        expected.update({key[2:] for key in keys if key.startswith("t:")})

    assert token_counts() == dict(expected)


@pytest.mark.parametrize(
    ("given", "nickname"),
    [("Rizki", "Kiki"), ("Siti", "Titi"), ("Aminah", "Minah"), ("Fajar", "Jar"), ("Ai", "Ai")],
)
def test_nicknames_are_made_from_syllables(given, nickname):
    assert seed_persons._nickname(given) == nickname
