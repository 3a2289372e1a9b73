"""Letter numbers: Indonesian office style, per organisation and year, never given twice."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, transaction

from lk3.accounts.models import Organisation
from lk3.core.errors import DomainError
from lk3.referrals import letters
from lk3.referrals.models import Letter, LetterKind, LetterNumberCounter

DAY = datetime.date(2026, 11, 30)
NEW_YEAR = datetime.date(2027, 1, 4)


def _take(organisation, dated=DAY) -> tuple[int, int]:
    with transaction.atomic():
        return letters.letter_number_take(organisation, dated)


def _plain_letter(actor, dated=DAY, subject="Undangan rapat koordinasi") -> Letter:
    return letters.letter_issue(
        actor=actor,
        organisation=actor.organisation,
        kind=LetterKind.OTHER,
        subject=subject,
        dated=dated,
        signatory_name="Budi",
        signatory_position="Koordinator LK3 Bontang",
        body_template=letters.TEXT_LETTER_BODY,
        context={"paragraphs": ["Dengan hormat, kami mengundang Bapak/Ibu."]},
    )


def test_the_number_reads_as_an_indonesian_office_number(lk3_bontang):
    number = letters.letter_number_format(lk3_bontang, sequence=12, dated=DAY)

    assert number == "012/LK3-BTG/XI/2026"


@pytest.mark.parametrize(
    ("short_name", "code"),
    [("LK3 Bontang", "BTG"), ("LK3 Balikpapan", "BPN"), ("LK3 Kota Bontang", "BTG")],
)
def test_the_organisation_code_comes_from_its_place(short_name, code):
    assert letters.letter_code(Organisation(short_name=short_name)) == code


@pytest.mark.parametrize(("month", "roman"), [(1, "I"), (4, "IV"), (8, "VIII"), (12, "XII")])
def test_the_month_is_written_in_roman_numerals(lk3_bontang, month, roman):
    number = letters.letter_number_format(
        lk3_bontang, sequence=1, dated=datetime.date(2026, month, 1)
    )

    assert number.split("/")[2] == roman


def test_sequences_count_up_per_organisation(lk3_bontang, lk3_samarinda):
    first, second = _take(lk3_bontang), _take(lk3_bontang)

    theirs = _take(lk3_samarinda)

    assert (first, second, theirs) == ((2026, 1), (2026, 2), (2026, 1))


def test_a_new_year_starts_again_at_one(lk3_bontang):
    _take(lk3_bontang)
    _take(lk3_bontang)

    assert _take(lk3_bontang, NEW_YEAR) == (2027, 1)
    assert _take(lk3_bontang) == (2026, 3)


def test_issued_letters_get_consecutive_numbers(budi):
    first = _plain_letter(budi)

    second = _plain_letter(budi, subject="Laporan bulanan")

    assert (first.sequence, second.sequence) == (1, 2)
    assert second.number == "002/LK3-BTG/XI/2026"
    assert (second.year, second.dated) == (2026, DAY)


def test_a_refused_letter_gives_its_number_back(budi):
    with pytest.raises(DomainError) as refused:
        letters.letter_issue(
            actor=budi,
            organisation=budi.organisation,
            kind=LetterKind.OTHER,
            subject="Undangan",
            dated=DAY,
            signatory_name="  ",
            signatory_position="Koordinator",
            body_template=letters.TEXT_LETTER_BODY,
            context={"paragraphs": []},
        )

    assert refused.value.field == "signatory_name"
    assert _plain_letter(budi).sequence == 1


# Outside a transaction the counter row would not stay locked until the letter is saved.
@pytest.mark.django_db(transaction=True)
def test_a_number_is_only_taken_inside_a_transaction(lk3_bontang):
    with pytest.raises(transaction.TransactionManagementError):
        letters.letter_number_take(lk3_bontang, DAY)

    assert not LetterNumberCounter.objects.exists()


# -- at once ----------------------------------------------------------------------------------


def _take_at_once(organisation, at_once: int) -> tuple[list[int], list[BaseException]]:
    """``at_once`` numbers taken from their own threads (own database connections), all at once."""
    start = threading.Barrier(at_once)
    sequences: list[int] = []
    errors: list[BaseException] = []

    def take_one() -> None:
        try:
            start.wait(timeout=30)
            with transaction.atomic():
                sequences.append(letters.letter_number_take(organisation, DAY)[1])
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take_one) for _ in range(at_once)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sequences, errors


@pytest.mark.parametrize("at_once", [2, 8])
@pytest.mark.django_db(transaction=True)
def test_numbers_taken_at_once_are_distinct_and_consecutive(lk3_bontang, at_once):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")

    sequences, errors = _take_at_once(lk3_bontang, at_once)

    assert errors == []
    assert sorted(sequences) == list(range(1, at_once + 1))
    assert LetterNumberCounter.objects.get(organisation=lk3_bontang, year=2026).last == at_once
