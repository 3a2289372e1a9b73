import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.core.errors import DomainError, StaleEditError
from lk3.people import services
from lk3.people.identity import nik_lookup_hash
from lk3.people.models import (
    AliasKind,
    Consent,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    Person,
    PersonSearchKey,
)
from lk3.people.tests.builders import NIK_CHILD, NIK_SITI, TODAY, guardian_consent, make_person


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}


def test_a_person_is_registered_with_nik_decoded(sari):
    person = make_person(sari, "Siti Aminah", nik="6474 0145 0885 0003", nik_absence="")

    assert (person.nik, person.nik_region_code) == (NIK_SITI, "64.74.01")
    assert person.nik_hash == nik_lookup_hash(NIK_SITI)
    assert person.search_name
    assert PersonSearchKey.objects.filter(person=person).exists()


def test_the_audit_never_contains_the_nik(sari):
    make_person(sari, "Siti Aminah", nik=NIK_SITI, nik_absence="")

    event = AuditEvent.objects.get(action=actions.PERSON_CREATED)
    assert event.changes["nik"] == ["***", "***"]
    assert NIK_SITI not in str(event.changes)


def test_a_malformed_nik_is_refused_naming_the_field(sari):
    with pytest.raises(ValidationError) as refused:
        make_person(sari, "Siti Aminah", nik="6474014508850", nik_absence="")

    assert messages_of(refused.value) == {"nik": ["NIK harus 16 angka; yang diisi 13 angka."]}
    assert Person.objects.count() == 0


def test_without_nik_the_reason_is_required(sari):
    with pytest.raises(ValidationError) as refused:
        make_person(sari, "Siti Aminah", nik="", nik_absence="")

    assert "nik_absence" in refused.value.message_dict


def test_a_nik_already_registered_is_refused(sari):
    make_person(sari, "Siti Aminah", nik=NIK_SITI, nik_absence="")

    with pytest.raises(ValidationError) as refused:
        make_person(sari, "Siti Aminah Rahman", nik=NIK_SITI, nik_absence="")

    assert messages_of(refused.value)["nik"] == [
        "NIK ini sudah terdaftar atas nama Siti Aminah. Buka data tersebut."
    ]
    assert Person.objects.count() == 1


def test_the_same_nik_in_another_organisation_is_not_seen(sari, rudi):
    make_person(sari, "Siti Aminah", nik=NIK_SITI, nik_absence="")

    make_person(rudi, "Siti Aminah", nik=NIK_SITI, nik_absence="")

    assert Person.objects.count() == 2


def test_a_birth_date_in_the_future_is_refused(sari):
    with pytest.raises(ValidationError) as refused:
        make_person(sari, "Bayi", birth_date=TODAY + datetime.timedelta(days=1))

    assert messages_of(refused.value)["birth_date"] == ["Tanggal lahir tidak boleh di masa depan."]


def test_a_child_without_guardian_consent_is_refused(sari):
    with pytest.raises(ValidationError) as refused:
        make_person(
            sari, "Nur Aisyah", nik=NIK_CHILD, nik_absence="", birth_date=datetime.date(2015, 6, 15)
        )

    assert messages_of(refused.value)["consent"] == [
        "Orang ini masih anak (di bawah 18 tahun): catat persetujuan orang tua atau wali."
    ]
    assert Person.objects.count() == 0


def test_a_child_with_guardian_consent_is_registered(sari):
    child = make_person(
        sari,
        "Nur Aisyah",
        nik=NIK_CHILD,
        nik_absence="",
        birth_date=datetime.date(2015, 6, 15),
        consents=[guardian_consent()],
    )

    consent = Consent.objects.get(person=child)
    assert (consent.given_by, consent.giver_name, consent.recorded_by) == (
        "orang_tua",
        "Siti Aminah",
        sari,
    )


def test_guardian_consent_must_name_the_guardian(sari):
    consent = guardian_consent(name="")

    with pytest.raises(ValidationError) as refused:
        make_person(sari, "Nur Aisyah", birth_date=datetime.date(2015, 6, 15), consents=[consent])

    assert "giver_name" in refused.value.message_dict


def test_aliases_and_phones_are_kept_and_normalised(sari):
    person = make_person(
        sari,
        "Siti Aminah",
        aliases=[services.AliasInput("Mina", AliasKind.NICKNAME)],
        phones=["+62 812-3456-7890", "0812 3456 7890"],
    )

    assert list(person.aliases.values_list("name", flat=True)) == ["Mina"]
    assert list(person.phones.values_list("number", flat=True)) == ["081234567890"]


def test_a_bad_phone_is_refused(sari):
    with pytest.raises(ValidationError) as refused:
        make_person(sari, "Siti Aminah", phones=["12"])

    assert "phones" in refused.value.message_dict


def test_an_update_records_the_diff(sari):
    person = make_person(sari, "Siti Aminah")

    services.person_update(actor=sari, person=person, expected_version=1, occupation="Pedagang")

    event = AuditEvent.objects.get(action=actions.PERSON_UPDATED)
    assert event.changes == {"occupation": ["", "Pedagang"], "version": [1, 2]}


def test_a_stale_update_is_refused(sari, intan):
    person = make_person(sari, "Siti Aminah")
    services.person_update(actor=intan, person=person, expected_version=1, occupation="Pedagang")

    with pytest.raises(StaleEditError) as stale:
        services.person_update(actor=sari, person=person, expected_version=1, occupation="Guru")

    assert stale.value.changed_fields == {"occupation": ["", "Pedagang"]}


def test_renaming_updates_the_search_keys(sari):
    person = make_person(sari, "Siti Aminah")

    services.person_update(actor=sari, person=person, expected_version=1, full_name="Dewi Lestari")

    keys = set(PersonSearchKey.objects.filter(person=person).values_list("key", flat=True))
    assert "t:dewi" in keys
    assert "t:siti" not in keys


def test_the_nik_is_encrypted_in_the_database(sari):
    make_person(sari, "Siti Aminah", nik=NIK_SITI, nik_absence="")

    with connection.cursor() as cursor:
        cursor.execute("SELECT nik FROM people_person")
        (stored,) = cursor.fetchone()
    assert NIK_SITI not in stored


def test_consent_withdrawal_is_kept_and_audited(sari):
    person = make_person(sari, "Siti Aminah")
    own = services.ConsentInput(
        purpose=ConsentPurpose.DATA_SHARING,
        given_by=ConsentGiver.SELF,
        method=ConsentMethod.ORAL,
        given_on=TODAY,
    )
    consent = services.consent_record(actor=sari, person=person, consent=own, today=TODAY)

    services.consent_withdraw(actor=sari, consent=consent, withdrawn_on=TODAY)

    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY
    with pytest.raises(DomainError):
        services.consent_withdraw(actor=sari, consent=consent)
