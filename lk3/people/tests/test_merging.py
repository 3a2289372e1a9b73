import datetime

import pytest

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.core.errors import DomainError
from lk3.people import merging, services
from lk3.people.models import (
    AliasKind,
    FamilyMembership,
    MembershipEnd,
    PersonMerge,
    PersonSearchKey,
    PersonStatus,
    Relationship,
)
from lk3.people.tests.builders import NIK_SITI, TODAY, guardian_consent, make_person


@pytest.fixture
def pair(sari):
    kept = make_person(sari, "Siti Aminah", nik=NIK_SITI, nik_absence="", phones=["081111111111"])
    duplicate = make_person(
        sari,
        "St. Aminah",
        birth_place="Samarinda",
        phones=["082222222222"],
        aliases=[services.AliasInput("Mina", AliasKind.NICKNAME)],
    )
    return kept, duplicate


def test_merge_moves_everything_to_the_survivor(budi, pair):
    kept, duplicate = pair
    consent = services.consent_record(
        actor=budi, person=duplicate, consent=guardian_consent(), today=TODAY
    )

    merging.person_merge(actor=budi, survivor=kept, merged=duplicate)

    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (PersonStatus.MERGED, kept)
    assert sorted(kept.phones.values_list("number", flat=True)) == ["081111111111", "082222222222"]
    assert sorted(kept.aliases.values_list("name", flat=True)) == ["Mina", "St. Aminah"]
    assert kept.consents.get() == consent
    assert not PersonSearchKey.objects.filter(person=duplicate).exists()


def test_chosen_fields_come_from_the_merged_record(budi, pair):
    kept, duplicate = pair

    merging.person_merge(
        actor=budi, survivor=kept, merged=duplicate, take_from_merged={"birth_place"}
    )

    kept.refresh_from_db()
    assert (kept.birth_place, kept.nik) == ("Samarinda", NIK_SITI)


def test_taking_the_nik_takes_its_hash_and_region(budi, pair):
    kept, duplicate = pair

    merging.person_merge(actor=budi, survivor=duplicate, merged=kept, take_from_merged={"nik"})

    duplicate.refresh_from_db()
    assert (duplicate.nik, duplicate.nik_region_code, duplicate.nik_absence) == (
        NIK_SITI,
        "64.74.01",
        "",
    )


def test_a_second_current_family_is_ended_not_duplicated(budi, sari, pair):
    kept, duplicate = pair
    first = services.family_create(actor=sari, organisation=sari.organisation, today=TODAY)
    second = services.family_create(actor=sari, organisation=sari.organisation, today=TODAY)
    services.family_member_add(
        actor=sari, family=first, person=kept, relationship=Relationship.WIFE, started_on=TODAY
    )
    services.family_member_add(
        actor=sari,
        family=second,
        person=duplicate,
        relationship=Relationship.WIFE,
        started_on=TODAY,
    )

    merging.person_merge(actor=budi, survivor=kept, merged=duplicate)

    ended = FamilyMembership.objects.get(family=second)
    assert (ended.person_id, ended.end_reason) == (duplicate.pk, MembershipEnd.MERGED)


def test_merging_a_record_with_itself_is_refused(budi, pair):
    kept, _duplicate = pair

    with pytest.raises(DomainError) as refused:
        merging.person_merge(actor=budi, survivor=kept, merged=kept)

    assert refused.value.code == "same_record"


def test_merging_across_organisations_is_refused(budi, rudi, pair):
    kept, _duplicate = pair
    outsider = make_person(rudi, "Siti Aminah")

    with pytest.raises(DomainError) as refused:
        merging.person_merge(actor=budi, survivor=kept, merged=outsider)

    assert (
        str(refused.value.message)
        == "Data ini milik lembaga yang berbeda dan tidak dapat digabungkan di sini."
    )
    assert PersonMerge.objects.count() == 0


def test_undo_restores_two_records(budi, pair):
    kept, duplicate = pair
    merge = merging.person_merge(
        actor=budi, survivor=kept, merged=duplicate, take_from_merged={"birth_place"}
    )

    result = merging.person_merge_undo(actor=budi, merge=merge)

    kept.refresh_from_db()
    duplicate.refresh_from_db()
    assert (kept.birth_place, duplicate.status) == ("", PersonStatus.ACTIVE)
    assert list(kept.phones.values_list("number", flat=True)) == ["081111111111"]
    assert list(duplicate.aliases.values_list("name", flat=True)) == ["Mina"]
    assert list(kept.aliases.values_list("name", flat=True)) == []
    assert result.kept_fields == ()
    assert PersonSearchKey.objects.filter(person=duplicate).exists()
    assert AuditEvent.objects.filter(action=actions.PERSON_MERGE_UNDONE).count() == 1


def test_undo_keeps_a_field_changed_after_the_merge(budi, pair):
    kept, duplicate = pair
    merge = merging.person_merge(
        actor=budi, survivor=kept, merged=duplicate, take_from_merged={"birth_place"}
    )
    kept.refresh_from_db()
    services.person_update(
        actor=budi, person=kept, expected_version=kept.version, birth_place="Bontang"
    )

    result = merging.person_merge_undo(actor=budi, merge=merge)

    kept.refresh_from_db()
    assert (kept.birth_place, result.kept_fields) == ("Bontang", ("birth_place",))


def test_undo_twice_is_refused(budi, pair):
    kept, duplicate = pair
    merge = merging.person_merge(actor=budi, survivor=kept, merged=duplicate)
    merging.person_merge_undo(actor=budi, merge=merge)

    with pytest.raises(DomainError) as refused:
        merging.person_merge_undo(actor=budi, merge=merge)

    assert refused.value.code == "already_undone"


def test_an_older_merge_waits_for_the_later_one(budi, sari, pair):
    kept, duplicate = pair
    third = make_person(sari, "Siti Aminah", birth_date=datetime.date(1985, 8, 5))
    first = merging.person_merge(actor=budi, survivor=kept, merged=duplicate)
    merging.person_merge(actor=budi, survivor=kept, merged=third)

    with pytest.raises(DomainError) as refused:
        merging.person_merge_undo(actor=budi, merge=first)

    assert refused.value.code == "later_merge"


def test_the_snapshot_does_not_hold_the_nik_in_clear(budi, pair):
    from django.db import connection

    kept, duplicate = pair
    merging.person_merge(actor=budi, survivor=kept, merged=duplicate)

    with connection.cursor() as cursor:
        cursor.execute("SELECT snapshot FROM people_personmerge")
        (stored,) = cursor.fetchone()
    assert NIK_SITI not in stored
