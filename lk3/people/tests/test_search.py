"""The person search selector: names, numbers, scope, ranking and cost."""

from __future__ import annotations

import datetime

import pytest

from lk3.people import search, services
from lk3.people.merging import person_merge
from lk3.people.models import Relationship
from lk3.people.search import person_search_for_user
from lk3.people.tests.builders import NIK_RIZKI, NIK_SITI, TODAY, make_person

KK_NUMBER = "6474011503200001"  # Bontang Utara, recorded 15 Mar 2020


@pytest.fixture(autouse=True)
def fresh_vocabulary():
    # Test databases roll back; a vocabulary cached by another test is not this one's.
    search.vocabulary_cache_clear()


@pytest.fixture
def siti(intan):
    return make_person(
        intan, "Siti Aminah", nik=NIK_SITI, nik_absence="", phones=["0812-3456-7890"]
    )


@pytest.fixture
def rizki(intan):
    return make_person(
        intan,
        "Muhammad Rizki",
        sex="L",
        birth_date=datetime.date(1990, 3, 12),
        nik=NIK_RIZKI,
        nik_absence="",
    )


@pytest.fixture
def others(intan):
    return [
        make_person(intan, "Budi Santoso", sex="L"),
        make_person(intan, "Nur Hasanah"),
        make_person(intan, "Rahmawati"),
    ]


def names_found(user, query, **kwargs):
    page = person_search_for_user(user=user, query=query, **kwargs)
    return [hit.person.full_name for hit in page.hits]


def first_hit(user, query):
    return person_search_for_user(user=user, query=query).hits[0]


# -- names ----------------------------------------------------------------------------


def test_a_misspelled_name_is_found(intan, siti, rizki, others):
    hit = first_hit(intan, "Siti Aminh")

    assert (hit.person, hit.reasons) == (siti, (search.REASON_TYPO,))


def test_a_variant_spelling_is_found(intan, siti, rizki, others):
    hit = first_hit(intan, "Moh. Rizki")

    assert (hit.person, hit.reasons) == (rizki, (search.REASON_VARIANT,))


def test_titles_and_degrees_are_ignored(intan, siti, rizki, others):
    hit = first_hit(intan, "Hj. Siti Aminah, S.Pd.")

    assert (hit.person, hit.reasons) == (siti, (search.REASON_EXACT,))


def test_word_order_does_not_matter(intan, siti, rizki, others):
    hit = first_hit(intan, "Aminah Siti")

    assert (hit.person, hit.reasons) == (siti, (search.REASON_REORDERED,))


def test_another_name_is_found(intan, siti, others):
    person = make_person(intan, "Rosmawati Sitorus", aliases=[services.AliasInput(name="Butet")])

    hit = first_hit(intan, "Butet")

    assert (hit.person, hit.reasons) == (person, (search.REASON_EXACT, search.REASON_ALIAS))


def test_an_unrelated_name_finds_nobody(intan, siti, rizki, others):
    page = person_search_for_user(user=intan, query="Yohanes Lado")

    assert (page.hits, page.total, page.query_kind) == ([], 0, search.QUERY_NAME)


def test_the_exact_name_ranks_above_a_typo(intan, others):
    near = make_person(intan, "Siti Aminah Lestari")
    typo = make_person(intan, "Siti Amina")
    exact = make_person(intan, "Siti Aminah")

    page = person_search_for_user(user=intan, query="Siti Aminah")

    assert [hit.person for hit in page.hits][:1] == [exact]
    assert {near, typo} <= {hit.person for hit in page.hits[1:]}
    scores = [hit.score for hit in page.hits]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[1]


def test_equal_scores_are_ordered_by_name_then_record(intan):
    first = make_person(intan, "Siti Aminah")
    second = make_person(intan, "Siti Aminah")

    page = person_search_for_user(user=intan, query="siti aminah")

    assert [hit.person for hit in page.hits] == sorted([first, second], key=lambda p: p.pk)


def test_results_are_paginated_without_overlap(intan):
    persons = [make_person(intan, "Siti Aminah") for _ in range(25)]

    first = person_search_for_user(user=intan, query="Siti Aminah", page=1, per_page=20)
    second = person_search_for_user(user=intan, query="Siti Aminah", page=2, per_page=20)

    assert (first.total, first.num_pages, first.has_next, first.has_previous) == (
        25,
        2,
        True,
        False,
    )
    assert (second.page, second.has_next, second.has_previous) == (2, False, True)
    assert (len(first.hits), len(second.hits)) == (20, 5)
    found = [hit.person.pk for hit in first.hits + second.hits]
    assert sorted(found) == sorted(person.pk for person in persons)


def test_a_page_past_the_end_shows_the_last_page(intan, siti):
    page = person_search_for_user(user=intan, query="Siti Aminah", page=9)

    assert (page.page, [hit.person for hit in page.hits]) == (1, [siti])


# -- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [NIK_SITI, "6474 0145 0885 0003", "6474.0145.0885.0003"])
def test_a_nik_finds_its_person(intan, siti, rizki, typed):
    page = person_search_for_user(user=intan, query=typed)

    assert page.query_kind == search.QUERY_NIK
    assert [(hit.person, hit.reasons) for hit in page.hits] == [(siti, (search.REASON_NIK,))]


def test_a_kk_number_shows_the_current_members_head_first(intan, siti, rizki, others):
    family = services.family_create(
        actor=intan, organisation=intan.organisation, kk_number=KK_NUMBER, head=rizki, today=TODAY
    )
    services.family_member_add(
        actor=intan, family=family, person=siti, relationship=Relationship.WIFE, started_on=TODAY
    )

    page = person_search_for_user(user=intan, query="6474-0115-0320-0001")

    assert page.query_kind == search.QUERY_KK
    assert [(hit.person, hit.reasons) for hit in page.hits] == [
        (rizki, (search.REASON_KK,)),
        (siti, (search.REASON_KK,)),
    ]


@pytest.mark.parametrize("typed", ["+62 812 3456 7890", "62-812-3456-7890", "081234567890"])
def test_a_phone_number_finds_its_person(intan, siti, rizki, typed):
    page = person_search_for_user(user=intan, query=typed)

    assert page.query_kind == search.QUERY_PHONE
    assert [(hit.person, hit.reasons, hit.score) for hit in page.hits] == [
        (siti, (search.REASON_PHONE,), 1.0)
    ]


def test_the_start_of_a_phone_number_finds_it_from_eight_digits(intan, siti, rizki):
    assert [h.person for h in person_search_for_user(user=intan, query="0812 3456").hits] == [siti]
    assert person_search_for_user(user=intan, query="0812 345").hits == []


def test_an_exact_phone_number_ranks_above_a_longer_one(intan):
    longer = make_person(intan, "Nur Hasanah", phones=["0812345678901"])
    exact = make_person(intan, "Siti Aminah", phones=["081234567890"])

    page = person_search_for_user(user=intan, query="081234567890")

    assert [hit.person for hit in page.hits] == [exact, longer]


# -- scope ---------------------------------------------------------------------------------


def test_another_organisations_person_is_never_returned(intan, rudi, siti):
    make_person(rudi, "Siti Aminah", nik=NIK_SITI, nik_absence="", phones=["081234567890"])

    for query in ["Siti Aminah", NIK_SITI, "081234567890"]:
        assert [hit.person for hit in person_search_for_user(user=intan, query=query).hits] == [
            siti
        ]


@pytest.mark.parametrize("user", ["mitra_ppa", "rina", "viewer", "pak_agus"])
def test_users_outside_the_registry_find_nothing(request, siti, user):
    page = person_search_for_user(user=request.getfixturevalue(user), query="Siti Aminah")

    assert (page.hits, page.total, page.query_kind) == ([], 0, search.QUERY_EMPTY)


def test_a_merged_away_person_is_not_a_result(budi, siti):
    duplicate = make_person(budi, "Siti Aminah")

    person_merge(actor=budi, survivor=siti, merged=duplicate)

    assert [hit.person for hit in person_search_for_user(user=budi, query="Siti Aminah").hits] == [
        siti
    ]


def test_an_empty_query_searches_nothing(intan, siti, django_assert_num_queries):
    with django_assert_num_queries(0):
        page = person_search_for_user(user=intan, query="   ")

    assert (page.hits, page.total, page.query_kind, page.num_pages) == ([], 0, "empty", 1)


# -- cost ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persons", [1, 30])
def test_a_name_search_costs_five_queries_whatever_it_finds(
    intan, django_assert_num_queries, persons
):
    for _ in range(persons):
        make_person(intan, "Siti Aminah", aliases=[services.AliasInput(name="Ami")])
    person_search_for_user(user=intan, query="Siti")  # loads the vocabulary

    # vocabulary check, postings, names, other names, the page's persons
    with django_assert_num_queries(5):
        page = person_search_for_user(user=intan, query="Siti Aminh")

    assert page.total == persons


def test_a_new_name_refreshes_the_vocabulary_once(intan, siti, django_assert_num_queries):
    person_search_for_user(user=intan, query="Siti")
    make_person(intan, "Paijo Sukarjo", sex="L")

    with django_assert_num_queries(6):
        page = person_search_for_user(user=intan, query="Paijo Sukarjp")

    assert [hit.person.full_name for hit in page.hits] == ["Paijo Sukarjo"]


def test_a_nik_search_costs_two_queries(intan, siti, django_assert_num_queries):
    with django_assert_num_queries(2):
        person_search_for_user(user=intan, query=NIK_SITI)


# -- retrieval order, when more persons match than are ranked -------------------------------


@pytest.fixture
def one_candidate(monkeypatch):
    monkeypatch.setattr(search, "CANDIDATE_LIMIT", 1)


def test_the_whole_name_is_retrieved_first(intan, one_candidate):
    make_person(intan, "Siti Aminah Lestari")
    exact = make_person(intan, "Siti Aminah")

    page = person_search_for_user(user=intan, query="Aminah Siti")

    assert ([hit.person for hit in page.hits], page.truncated) == ([exact], True)


def test_an_initial_retrieves_the_names_with_it_first(intan, one_candidate):
    make_person(intan, "Siti Rahma")
    aminah = make_person(intan, "Siti Aminah")
    make_person(intan, "Siti Nurhaliza")

    page = person_search_for_user(user=intan, query="Siti A.")

    assert [hit.person for hit in page.hits] == [aminah]


def test_an_exact_word_is_retrieved_before_a_typo(intan, one_candidate):
    make_person(intan, "Amina Lestari")
    exact = make_person(intan, "Aminah Lestari")

    page = person_search_for_user(user=intan, query="Aminah")

    assert [hit.person for hit in page.hits] == [exact]
