"""Case numbers: readable, per organisation and year, never reused, safe when opened at once."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, transaction

from lk3.cases import services
from lk3.cases.models import Case, CaseNumberCounter
from lk3.cases.tests.builders import open_case
from lk3.people.tests.builders import make_person

NEW_YEAR = datetime.date(2027, 1, 2)


def test_numbers_count_up_per_organisation_and_year(sari):
    first, second = open_case(sari), open_case(sari)

    assert (first.sequence, second.sequence) == (1, 2)
    assert second.number == f"KS-{second.year}-0002"


def test_each_organisation_counts_on_its_own(sari, rudi):
    ours = open_case(sari)

    theirs = open_case(rudi)

    assert ours.number == theirs.number
    assert ours.organisation != theirs.organisation


def test_a_new_year_starts_again_at_one(sari):
    open_case(sari)

    case = open_case(sari, today=NEW_YEAR)

    assert (case.number, case.year, case.opened_on) == ("KS-2027-0001", 2027, NEW_YEAR)


def test_a_number_is_never_given_twice_even_after_a_reopening(sari, budi):
    first = open_case(sari)
    request = services.case_closure_request(
        actor=sari,
        case=first,
        reason="client_withdrew",
        outcome="unknown",
        summary="Pindah.",
        expected_version=first.version,
    )
    closed = services.case_closure_approve(actor=budi, request=request)
    services.case_reopen(
        actor=sari, case=closed, reason="Kembali.", expected_version=closed.version
    )

    second = open_case(sari)

    assert Case.objects.get(pk=first.pk).number != second.number
    assert second.sequence == 2


# Outside a transaction the counter row would not stay locked until the case is saved.
@pytest.mark.django_db(transaction=True)
def test_a_number_is_only_taken_inside_a_transaction(sari):
    with pytest.raises(transaction.TransactionManagementError):
        services.case_number_next(sari.organisation, 2026)

    assert not CaseNumberCounter.objects.exists()


# -- two at once ------------------------------------------------------------------------------


def _open_at_once(actor, clients) -> tuple[list[str], list[BaseException]]:
    """Each client's case opened from its own thread (own database connection), all at once."""
    start = threading.Barrier(len(clients))
    numbers: list[str] = []
    errors: list[BaseException] = []

    def open_one(client) -> None:
        try:
            start.wait(timeout=30)
            numbers.append(open_case(actor, client).number)
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_one, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return numbers, errors


@pytest.mark.parametrize("at_once", [2, 6])
@pytest.mark.django_db(transaction=True)
def test_cases_opened_at_once_get_distinct_consecutive_numbers(sari, at_once):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    clients = [make_person(sari, f"Klien {index}") for index in range(at_once)]

    numbers, errors = _open_at_once(sari, clients)

    year = Case.objects.values_list("year", flat=True).first()
    assert errors == []
    assert sorted(numbers) == [f"KS-{year}-{sequence:04d}" for sequence in range(1, at_once + 1)]
    assert CaseNumberCounter.objects.get(organisation=sari.organisation).last == at_once
