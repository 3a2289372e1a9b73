"""The seed at demo scale, with 300 persons to keep the tests quick."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from lk3.accounts.models import BoardMember, Function, Organisation, User
from lk3.accounts.roles import Role
from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.people.identity import nik_lookup_hash
from lk3.people.models import Person
from lk3.regions.identity import parse_nik
from lk3.regions.models import Region, RegionLevel
from lk3.seed.board import BONTANG_ACTIVE_MEMBERS, BONTANG_CURRENT_DECREE_NUMBER
from lk3.seed.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from lk3.seed.organisations import BONTANG_LK3_NAME
from lk3.seed.run import seed_run
from lk3.seed.scales import CITY, DEMO

PERSONS = 300
TODAY = datetime.date(2026, 11, 28)
BONTANG_KELURAHAN = 15


@pytest.fixture
def seeded(db):
    return seed_run(scale=DEMO, persons=PERSONS)


@pytest.fixture
def lk3_bontang(seeded) -> Organisation:
    return Organisation.objects.get(name=BONTANG_LK3_NAME)


def _active_board(organisation: Organisation):
    return BoardMember.objects.filter(organisation=organisation, is_active=True)


def _kelurahan_covered(organisation: Organisation, function: str) -> set[str]:
    members = _active_board(organisation).filter(function=function)
    return set(members.values_list("kelurahan__code", flat=True))


# -- the board -------------------------------------------------------------------------


def test_bontang_board_has_149_active_members(lk3_bontang):
    assert _active_board(lk3_bontang).count() == BONTANG_ACTIVE_MEMBERS == 149


@pytest.mark.parametrize("function", [Function.BHABINKAMTIBMAS, Function.BABINSA])
def test_every_bontang_kelurahan_has_a_police_and_an_army_officer(lk3_bontang, function):
    villages = Region.objects.filter(parent__parent__code="64.74", level=RegionLevel.VILLAGE)
    kelurahan = {village.code for village in villages if village.is_kelurahan}

    covered = _kelurahan_covered(lk3_bontang, function)

    assert len(kelurahan) == BONTANG_KELURAHAN
    assert covered == kelurahan
    assert _active_board(lk3_bontang).filter(function=function).count() == BONTANG_KELURAHAN


def test_bontang_officers_serve_in_their_own_kecamatan(lk3_bontang):
    officer = _active_board(lk3_bontang).get(
        function=Function.BHABINKAMTIBMAS, kelurahan__code="64.74.03.1003"
    )
    soldier = _active_board(lk3_bontang).get(
        function=Function.BABINSA, kelurahan__code="64.74.03.1003"
    )

    assert officer.unit == "Polsek Bontang Barat"
    assert soldier.unit == "Koramil 0908-03/Bontang Barat"
    assert officer.full_name.split()[0] in {"Aipda", "Bripka", "Brigpol", "Aiptu", "Briptu"}


def test_current_term_ends_in_january_2027(lk3_bontang):
    current = _active_board(lk3_bontang).filter(decree_number=BONTANG_CURRENT_DECREE_NUMBER)

    assert current.count() > 140
    assert set(current.values_list("term_start", "term_end")) == {
        (datetime.date(2024, 1, 15), datetime.date(2027, 1, 14))
    }


def test_previous_members_are_kept_inactive_and_expired(lk3_bontang):
    previous = BoardMember.objects.filter(organisation=lk3_bontang, is_active=False)

    assert 8 <= previous.count() <= 12
    assert all(member.term_end < TODAY for member in previous)


def test_members_appointed_in_2026_serve_past_the_current_term(lk3_bontang):
    later = _active_board(lk3_bontang).filter(decree_date__year=2026)

    assert 3 <= later.count() <= 5
    assert all(member.term_end > datetime.date(2027, 1, 14) for member in later)


# -- demo accounts -----------------------------------------------------------------------


def test_every_role_has_a_demo_account(seeded):
    roles = set(User.objects.values_list("role", flat=True))

    assert roles == set(Role.values)
    assert User.objects.filter(is_superuser=True).count() == 0


def test_demo_accounts_log_in_with_the_demo_password(seeded):
    user = User.objects.get(username="budi")

    assert user.check_password(DEMO_PASSWORD)


@pytest.mark.parametrize("username", ["budi", "sari", "dewi", "putri", "intan", "pak_agus"])
def test_staff_accounts_are_board_members(seeded, username):
    member = BoardMember.objects.get(user__username=username)

    assert member.organisation.name == BONTANG_LK3_NAME
    assert member.is_active


def test_pak_agus_is_the_bhabinkamtibmas_of_lok_tuan(seeded):
    user = User.objects.get(username="pak_agus")

    assert user.board_member.function == Function.BHABINKAMTIBMAS
    assert list(user.board_member.kelurahan.values_list("code", flat=True)) == ["64.74.01.1003"]
    assert list(user.kelurahan.values_list("code", flat=True)) == ["64.74.01.1003"]


def test_sari_is_assigned_bontang_baru(seeded):
    sari = User.objects.get(username="sari")

    assert list(sari.kelurahan.values_list("code", flat=True)) == ["64.74.01.1002"]


def test_rina_administers_accounts_and_reference_data_but_not_people(seeded):
    rina = User.objects.get(username="rina")

    assert rina.is_staff
    assert rina.has_perms(
        [
            "accounts.view_user",
            "accounts.change_organisation",
            "accounts.add_boardmember",
            "regions.change_region",
            "core.change_pmkscategory",
            "core.add_intakechannel",
        ]
    )
    assert not rina.has_perm("people.view_person")
    assert not rina.has_perm("accounts.delete_user")


def test_supervisor_and_viewer_belong_to_the_social_offices(seeded):
    offices = dict(User.objects.values_list("username", "organisation__short_name"))

    assert offices["pak_hendra"] == "Dinsos Bontang"
    assert offices["viewer"] == "Dinsos Kaltim"


# -- persons -----------------------------------------------------------------------------


def test_generated_niks_are_valid_and_match_the_person(seeded):
    persons = Person.objects.exclude(nik_hash="")

    assert persons.count() > PERSONS * 0.8
    for person in persons:
        result = parse_nik(person.nik, birth_date=person.birth_date, sex=person.sex, today=TODAY)
        assert result.valid, (person.nik, result.errors)
        assert result.warnings == (), (person.nik, result.warnings)
        assert result.region is not None
        assert result.sex == person.sex
        assert result.birth_date == person.birth_date
        assert result.region_code == person.nik_region_code
        assert person.nik_hash == nik_lookup_hash(person.nik)


def test_niks_are_unique(seeded):
    niks = [person.nik for person in Person.objects.exclude(nik_hash="")]

    assert len(niks) == len(set(niks))


def test_persons_without_nik_say_why(seeded):
    without = Person.objects.filter(nik_hash="")

    assert 0 < without.count() < PERSONS * 0.2
    assert not without.filter(nik_absence="").exists()
    assert not Person.objects.exclude(nik_hash="").exclude(nik_absence="").exists()


def test_nik_is_not_stored_in_clear(seeded):
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik FROM people_person WHERE nik <> ''")
        stored = [row[0] for row in cursor.fetchall()]

    assert stored
    assert all(value.startswith("v1:") for value in stored)
    assert not any(value.isdigit() for value in stored)


def test_persons_live_in_bontang_kelurahan_and_are_registered_by_its_lk3(lk3_bontang):
    villages = set(
        Person.objects.filter(strandings__isnull=True).values_list(
            "domicile_village__code", flat=True
        )
    )

    assert Person.objects.filter(strandings__isnull=True).count() == PERSONS
    assert all(code.startswith("64.74.") for code in villages)
    assert set(Person.objects.values_list("organisation", flat=True)) == {lk3_bontang.pk}


def test_the_person_load_writes_one_audit_event_with_counts(seeded, lk3_bontang):
    events = AuditEvent.objects.filter(action=actions.SEED_PERSONS_GENERATED)

    assert events.count() == 1
    changes = events.get().changes
    assert changes["scale"] == [None, "demo"]
    assert changes["persons"] == [0, PERSONS]
    assert changes["with_nik"][1] + changes["without_nik"][1] == PERSONS
    assert changes["persons:LK3 Bontang"] == [0, PERSONS]
    assert not AuditEvent.objects.filter(action=actions.PERSON_CREATED).exists()


# -- idempotency and determinism ------------------------------------------------------


def _counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "board": BoardMember.objects.count(),
        "persons": Person.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_a_second_run_changes_nothing(seeded):
    before = _counts()

    result = seed_run(scale=DEMO, persons=PERSONS)

    assert not result.created
    assert result.present_scale == "demo"
    assert _counts() == before


def test_a_second_run_at_another_scale_reports_the_scale_present(seeded):
    before = _counts()

    result = seed_run(scale=CITY, persons=PERSONS)

    assert not result.created
    assert result.present_scale == "demo"
    assert _counts() == before


def _snapshot() -> dict[str, list[tuple]]:
    persons = [
        (
            p.public_id,
            p.full_name,
            p.nik,
            p.nik_absence,
            p.birth_date,
            p.sex,
            p.birth_place,
            p.domicile_village_id,
            p.address,
            p.rt,
            tuple(phone.number for phone in p.phones.all()),
        )
        for p in Person.objects.prefetch_related("phones").order_by("public_id")
    ]
    members = [
        (
            m.full_name,
            m.position,
            m.function,
            m.unit,
            m.phone,
            m.decree_number,
            m.is_active,
            tuple(sorted(m.kelurahan.values_list("code", flat=True))),
        )
        for m in BoardMember.objects.order_by("organisation__name", "full_name", "unit", "phone")
    ]
    users = list(User.objects.order_by("username").values_list("username", "role", "full_name"))
    return {"persons": persons, "members": members, "users": users}


def test_the_same_seed_gives_the_same_data(db):
    with transaction.atomic():
        seed_run(scale=DEMO, persons=PERSONS)
        first = _snapshot()
        transaction.set_rollback(True)
    assert not Person.objects.exists()

    seed_run(scale=DEMO, persons=PERSONS)

    assert _snapshot() == first


def test_another_seed_gives_other_persons(db):
    with transaction.atomic():
        seed_run(scale=DEMO, persons=PERSONS)
        first = _snapshot()
        transaction.set_rollback(True)

    seed_run(scale=DEMO, persons=PERSONS, random_seed=7)

    assert _snapshot()["persons"] != first["persons"]


# -- the commands ------------------------------------------------------------------------


def test_demo_logins_lists_every_demo_account_with_the_password(seeded):
    output = io.StringIO()

    call_command("demo_logins", stdout=output)

    text = output.getvalue()
    for account in DEMO_ACCOUNTS:
        assert account.username in text
    assert DEMO_PASSWORD in text
    assert "LK3 Bontang" in text


def test_demo_logins_prints_only_accounts_that_exist(db):
    output = io.StringIO()

    call_command("demo_logins", stdout=output)

    assert DEMO_PASSWORD not in output.getvalue()


def test_seed_command_says_when_the_data_is_already_present(seeded):
    output = io.StringIO()

    call_command("seed", "--scale", "demo", "--persons", str(PERSONS), stdout=output)

    assert "demo" in output.getvalue()
    assert Person.objects.filter(strandings__isnull=True).count() == PERSONS
