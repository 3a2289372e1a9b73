import datetime

import pytest
from django.core.management import call_command

from lk3.core.errors import DomainError
from lk3.people import duplicates
from lk3.people.models import CandidateStatus, DedupRun, DuplicateCandidate, RunStatus
from lk3.people.tests.builders import NIK_SITI, make_person


@pytest.fixture
def registry(sari):
    make_person(
        sari, "Siti Aminah", nik=NIK_SITI, nik_absence="", birth_date=datetime.date(1985, 8, 5)
    )
    make_person(sari, "Hj. Siti Aminah, S.Pd.", birth_date=datetime.date(1985, 8, 5))
    make_person(sari, "Budi Santoso", sex="L", birth_date=datetime.date(1970, 1, 1))


def test_the_draft_check_finds_the_same_person(sari, registry):
    matches = duplicates.likely_duplicates_for_draft(
        organisation=sari.organisation,
        full_name="Siti Aminah",
        birth_date=datetime.date(1985, 8, 5),
        sex="P",
        nik=NIK_SITI,
    )

    assert {match.person.full_name for match in matches} >= {"Siti Aminah"}
    assert all(match.person.full_name != "Budi Santoso" for match in matches)


# The worker closes its database connection when it is done: outside a test
# transaction, as in production, Django reconnects for the next query.
@pytest.mark.django_db(transaction=True)
def test_a_background_run_queues_the_pairs(budi, registry):
    run = duplicates.dedup_run_request(actor=budi, organisation=budi.organisation)

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    run.refresh_from_db()
    pair = DuplicateCandidate.objects.get()
    assert (run.status, run.total, run.processed, run.pairs_found) == (RunStatus.DONE, 3, 3, 1)
    assert {pair.person_a.full_name, pair.person_b.full_name} == {
        "Siti Aminah",
        "Hj. Siti Aminah, S.Pd.",
    }


def test_only_one_run_at_a_time(budi, registry):
    duplicates.dedup_run_request(actor=budi, organisation=budi.organisation)

    with pytest.raises(DomainError) as refused:
        duplicates.dedup_run_request(actor=budi, organisation=budi.organisation)

    assert refused.value.code == "run_active"


def test_a_dismissed_pair_is_not_queued_again(budi, registry):
    first = DedupRun.objects.create(organisation=budi.organisation)
    duplicates.dedup_run_execute(run_id=first.pk)
    duplicates.candidate_dismiss(actor=budi, candidate=DuplicateCandidate.objects.get())
    again = DedupRun.objects.create(organisation=budi.organisation)

    run = duplicates.dedup_run_execute(run_id=again.pk)

    assert run.pairs_found == 0
    assert DuplicateCandidate.objects.get().status == CandidateStatus.DISMISSED
