import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_board_member
from lk3.accounts import services
from lk3.accounts.models import BoardMember, Function, Institution, Position
from lk3.audit import actions
from lk3.audit.models import AccessEvent, AuditEvent
from lk3.core.errors import DomainError, StaleEditError
from lk3.regions.models import Region

LIST = reverse("accounts:board_member_list")


def form_data(member, **changes):
    data = {
        "full_name": member.full_name,
        "position": member.position,
        "institution": member.institution,
        "function": member.function,
        "unit": member.unit,
        "phone": member.phone,
        "email": member.email,
        "decree_number": member.decree_number,
        "decree_date": member.decree_date.isoformat(),
        "term_start": member.term_start.isoformat(),
        "term_end": member.term_end.isoformat(),
        "kelurahan": [region.pk for region in member.kelurahan.all()],
        "version": member.version,
    }
    data.update(changes)
    return data


@pytest.fixture
def babinsa(lk3_bontang):
    return make_board_member(
        lk3_bontang,
        "Serka Bambang Wijaya",
        institution=Institution.ARMY,
        function=Function.BABINSA,
        kelurahan=["64.74.02.1001"],
    )


@pytest.fixture
def old_member(lk3_bontang):
    return make_board_member(
        lk3_bontang,
        "Hj. Siti Rahmah",
        institution=Institution.RELIGIOUS,
        function=Function.RELIGIOUS_COUNSELLOR,
        position=Position.MEMBER,
        decree_date=datetime.date(2020, 3, 9),
        term_start=datetime.date(2020, 3, 9),
        term_end=datetime.date(2023, 3, 8),
    )


def names(response):
    return [member.full_name for member, _status in response.context["rows"]]


def test_list_filters_by_kelurahan(client, sari, member_agus, babinsa):
    client.force_login(sari)

    response = client.get(LIST, {"kelurahan": "64.74.02.1001"})

    assert names(response) == ["Serka Bambang Wijaya"]


def test_list_filters_by_institution(client, sari, member_agus, babinsa):
    client.force_login(sari)

    response = client.get(LIST, {"institution": Institution.POLICE})

    assert names(response) == ["Aipda Agus Setiawan"]


def test_list_filters_by_role_of_the_login(client, sari, member_agus, babinsa):
    client.force_login(sari)

    response = client.get(LIST, {"role": "field_officer"})

    assert names(response) == ["Aipda Agus Setiawan"]


def test_list_filters_by_term(client, sari, member_agus, old_member):
    client.force_login(sari)

    ended = client.get(LIST, {"term": "expired"})
    active = client.get(LIST, {"term": "active"})

    assert names(ended) == ["Hj. Siti Rahmah"]
    assert "Aipda Agus Setiawan" in names(active)


def test_list_never_shows_another_organisation(client, sari, member_agus, member_samarinda):
    client.force_login(sari)

    response = client.get(LIST)

    assert names(response) == ["Aipda Agus Setiawan"]


def test_supervisor_sees_the_supervised_lk3(client, pak_hendra, member_agus, member_samarinda):
    client.force_login(pak_hendra)

    response = client.get(LIST)

    assert names(response) == ["Aipda Agus Setiawan"]


def test_list_answers_htmx_with_rows_only(client, sari, member_agus):
    client.force_login(sari)

    response = client.get(LIST, headers={"HX-Request": "true"})

    assert response.templates[0].name == "accounts/_board_rows.html"


def test_list_query_count_does_not_grow_with_members(client, sari, lk3_bontang):
    client.force_login(sari)
    for number in range(3):
        make_board_member(lk3_bontang, f"Anggota {number}", kelurahan=["64.74.01.1001"])
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for number in range(3, 20):
        make_board_member(lk3_bontang, f"Anggota {number}", kelurahan=["64.74.01.1001"])

    with CaptureQueriesContext(connection) as many:
        client.get(LIST)

    assert len(many) == len(few)


def test_member_page_shows_term_expiry(client, sari, lk3_bontang):
    today = datetime.date.today()
    member = make_board_member(
        lk3_bontang, "Bripka Yusuf", term_end=today + datetime.timedelta(days=30)
    )
    client.force_login(sari)

    response = client.get(reverse("accounts:board_member_detail", args=[member.public_id]))

    assert "Masa jabatan berakhir dalam 30 hari" in response.content.decode()


def test_viewing_a_member_is_recorded(client, sari, member_agus):
    client.force_login(sari)

    client.get(reverse("accounts:board_member_detail", args=[member_agus.public_id]))

    event = AccessEvent.objects.get()
    assert (event.actor, event.target_id) == (sari, str(member_agus.public_id))


def test_another_organisations_member_is_not_found(client, sari, member_samarinda):
    client.force_login(sari)

    response = client.get(
        reverse("accounts:board_member_detail", args=[member_samarinda.public_id])
    )

    assert response.status_code == 404
    assert (
        "Halaman ini tidak ada, atau tidak tersedia untuk akun Anda." in response.content.decode()
    )
    assert AccessEvent.objects.count() == 0


def test_coordinator_adds_a_member(client, budi):
    client.force_login(budi)
    lok_tuan = Region.objects.get(code="64.74.01.1003")
    data = {
        "full_name": "Bripda Rahmat Hidayat",
        "position": Position.KELURAHAN_MEMBER,
        "institution": Institution.POLICE,
        "function": Function.BHABINKAMTIBMAS,
        "unit": "Polsek Bontang Utara",
        "decree_number": "100.3.3.2/45/HK/2026",
        "decree_date": "2026-06-01",
        "term_start": "2026-06-01",
        "term_end": "2029-05-31",
        "kelurahan": [lok_tuan.pk],
    }

    response = client.post(reverse("accounts:board_member_create"), data)

    member = BoardMember.objects.get(full_name="Bripda Rahmat Hidayat")
    assert response["Location"] == reverse("accounts:board_member_detail", args=[member.public_id])
    assert list(member.kelurahan.all()) == [lok_tuan]
    event = AuditEvent.objects.get(action=actions.BOARD_MEMBER_CREATED)
    assert event.changes["kelurahan"] == [None, ["64.74.01.1003"]]


def test_term_ending_before_it_starts_is_refused(client, budi, member_agus):
    client.force_login(budi)
    url = reverse("accounts:board_member_edit", args=[member_agus.public_id])

    response = client.post(url, form_data(member_agus, term_end="2020-01-01"))

    assert response.status_code == 200
    assert (
        "Akhir masa jabatan harus sama dengan atau setelah awal masa jabatan."
        in response.content.decode()
    )
    member_agus.refresh_from_db()
    assert member_agus.term_end == datetime.date(2029, 3, 8)


def test_kelurahan_outside_the_organisation_is_refused(budi, lk3_bontang):
    samarinda_village = Region.objects.filter(
        code__startswith="64.72.", level="desa_kelurahan"
    ).first()
    assert samarinda_village is not None

    with pytest.raises(DomainError) as refusal:
        make_board_member(lk3_bontang, "Orang Luar", kelurahan=[samarinda_village.code])

    assert refusal.value.code == "kelurahan_outside"
    assert not BoardMember.objects.filter(full_name="Orang Luar").exists()


def test_edit_records_the_field_diff(client, budi, member_agus):
    client.force_login(budi)
    url = reverse("accounts:board_member_edit", args=[member_agus.public_id])

    client.post(url, form_data(member_agus, phone="081234567890"))

    event = AuditEvent.objects.get(action=actions.BOARD_MEMBER_UPDATED)
    assert event.changes == {"phone": ["", "081234567890"], "version": [1, 2]}


def test_a_stale_edit_is_refused_and_shows_what_changed(client, budi, rina, member_agus):
    services.board_member_update(
        actor=rina, member=member_agus, expected_version=1, unit="Polres Bontang"
    )
    client.force_login(budi)
    url = reverse("accounts:board_member_edit", args=[member_agus.public_id])

    response = client.post(url, form_data(member_agus, phone="0811111111", version=1))

    member_agus.refresh_from_db()
    page = response.content.decode()
    assert response.status_code == 409
    assert (member_agus.phone, member_agus.unit) == ("", "Polres Bontang")
    assert "Polres Bontang" in page
    assert "Orang lain menyimpan data ini saat Anda sedang mengubahnya." in page
    assert 'name="version" value="2"' in page


def test_saving_again_after_a_stale_warning_is_a_decision(client, budi, rina, member_agus):
    services.board_member_update(
        actor=rina, member=member_agus, expected_version=1, unit="Polres Bontang"
    )
    client.force_login(budi)
    url = reverse("accounts:board_member_edit", args=[member_agus.public_id])

    response = client.post(
        url, form_data(member_agus, phone="0811111111", unit="Polsek", version=2)
    )

    member_agus.refresh_from_db()
    assert response.status_code == 302
    assert (member_agus.phone, member_agus.unit, member_agus.version) == ("0811111111", "Polsek", 3)


def test_stale_error_lists_changed_fields(rina, budi, member_agus):
    services.board_member_update(
        actor=rina, member=member_agus, expected_version=1, unit="Polres Bontang"
    )

    with pytest.raises(StaleEditError) as stale:
        services.board_member_update(actor=budi, member=member_agus, expected_version=1, phone="08")

    assert stale.value.changed_fields == {"unit": ["Polsek Bontang Utara", "Polres Bontang"]}


def test_deactivating_keeps_the_member(client, budi, member_agus):
    client.force_login(budi)

    client.post(
        reverse("accounts:board_member_deactivate", args=[member_agus.public_id]), {"version": 1}
    )

    member_agus.refresh_from_db()
    assert member_agus.is_active is False
    assert AuditEvent.objects.filter(action=actions.BOARD_MEMBER_DEACTIVATED).count() == 1


def test_deactivating_twice_is_refused_with_a_message(client, budi, member_agus):
    client.force_login(budi)
    url = reverse("accounts:board_member_deactivate", args=[member_agus.public_id])
    client.post(url, {"version": 1})

    response = client.post(url, {"version": 2}, follow=True)

    assert "Anggota pengurus ini sudah tidak aktif." in response.content.decode()


def test_a_double_submitted_edit_changes_once(client, budi, member_agus):
    client.force_login(budi)
    url = reverse("accounts:board_member_edit", args=[member_agus.public_id])
    data = form_data(member_agus, phone="0822")

    first = client.post(url, data)
    second = client.post(url, data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert AuditEvent.objects.filter(action=actions.BOARD_MEMBER_UPDATED).count() == 1
