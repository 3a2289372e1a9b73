import datetime

import pytest
from django.urls import reverse

from lk3.audit.models import AccessEvent
from lk3.people import merging, services
from lk3.people.models import DuplicateCandidate, Family, Person, PersonStatus
from lk3.people.tests.builders import NIK_SITI, TODAY, make_person
from lk3.regions.models import Region

CREATE = reverse("people:person_create")


def form(**changes):
    data = {
        "full_name": "Siti Aminah",
        "nik": NIK_SITI,
        "sex": "P",
        "birth_date": "1985-08-05",
        "consent_given_by": "",
        "consent_method": "tertulis",
    }
    data.update(changes)
    return data


def test_registering_a_new_person(client, sari):
    client.force_login(sari)

    response = client.post(CREATE, form())

    person = Person.objects.get()
    assert response["Location"] == reverse("people:person_detail", args=[person.public_id])


@pytest.mark.parametrize(
    ("next_url", "back_to_sender"),
    [
        ("/referrals/field/3f1c9a52-0d7e-4a53-9a53-2a43f4b0c6d1/", True),
        ("https://example.com/", False),
        ("//example.com/", False),
    ],
)
def test_registering_returns_to_the_page_that_asked_when_it_is_ours(
    client, sari, next_url, back_to_sender
):
    client.force_login(sari)

    response = client.post(f"{CREATE}?next={next_url}", form())

    person = Person.objects.get()
    expected = (
        next_url if back_to_sender else reverse("people:person_detail", args=[person.public_id])
    )
    assert response["Location"] == expected


def test_a_likely_duplicate_is_shown_before_saving(client, sari):
    make_person(sari, "Siti Aminah", nik=NIK_SITI, nik_absence="")
    client.force_login(sari)

    response = client.post(CREATE, form(full_name="Hj. Siti Aminah", nik=""), follow=False)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Orang ini mungkin sudah terdaftar." in page
    assert Person.objects.count() == 1


def test_the_warning_says_why_each_record_matched(client, sari):
    make_person(sari, "Siti Aminah", nik=NIK_SITI, nik_absence="")
    client.force_login(sari)

    page = client.post(CREATE, form(full_name="Sitti Aminah", nik="")).content.decode()

    assert "nama dengan ejaan lain" in page
    assert "tanggal lahir sama" in page


def test_the_user_may_register_anyway_after_seeing_the_duplicates(client, sari):
    make_person(sari, "Siti Aminah", nik=NIK_SITI, nik_absence="")
    client.force_login(sari)

    response = client.post(
        CREATE, form(full_name="Siti Aminah", nik="", nik_absence="unknown", confirm_new="1")
    )

    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_the_same_nik_is_refused_even_when_confirmed(client, sari):
    make_person(sari, "Siti Aminah", nik=NIK_SITI, nik_absence="")
    client.force_login(sari)

    response = client.post(CREATE, form(full_name="Dewi", confirm_new="1"))

    assert "NIK ini sudah terdaftar atas nama Siti Aminah." in response.content.decode()
    assert Person.objects.count() == 1


def test_the_form_needs_a_birth_date_or_an_age(client, sari):
    client.force_login(sari)

    response = client.post(CREATE, form(birth_date=""))

    assert (
        "Isi tanggal lahir, atau umur bila tanggal pastinya tidak diketahui."
        in response.content.decode()
    )


def test_an_age_gives_an_estimated_birth_date(client, sari):
    client.force_login(sari)

    client.post(CREATE, form(birth_date="", age="40", nik="", nik_absence="none"))

    person = Person.objects.get()
    assert person.birth_date_is_estimated
    assert person.birth_date is not None
    assert person.birth_date.month == 7


def test_the_live_nik_check_names_an_existing_holder(client, sari):
    holder = make_person(sari, "Siti Aminah", nik=NIK_SITI, nik_absence="")
    client.force_login(sari)

    response = client.get(
        reverse("people:nik_check"), {"nik": NIK_SITI}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert "Bontang Utara" in page
    assert reverse("people:person_detail", args=[holder.public_id]) in page


def test_the_live_nik_check_reports_a_malformed_nik(client, sari):
    client.force_login(sari)

    response = client.get(reverse("people:nik_check"), {"nik": "6474\uff10\uff11"})

    assert "NIK berisi angka dari aksara lain; ketik dengan angka 0-9." in response.content.decode()


def test_opening_a_person_is_recorded(client, sari):
    person = make_person(sari, "Siti Aminah")
    client.force_login(sari)

    client.get(reverse("people:person_detail", args=[person.public_id]))

    assert AccessEvent.objects.get().target_id == str(person.public_id)


def test_another_organisations_person_is_not_found(client, sari, rudi):
    outsider = make_person(rudi, "Siti Aminah")
    client.force_login(sari)

    response = client.get(reverse("people:person_detail", args=[outsider.public_id]))

    assert response.status_code == 404


def test_the_family_page_draws_the_diagram(client, sari):
    head = make_person(sari, "Budiman", sex="L", birth_date=datetime.date(1980, 1, 1))
    family = services.family_create(
        actor=sari, organisation=sari.organisation, head=head, today=TODAY
    )
    client.force_login(sari)

    page = client.get(reverse("people:family_detail", args=[family.public_id])).content.decode()

    assert "<svg" in page
    assert "Kepala Keluarga" in page


FAMILY_CREATE = reverse("people:family_create")
BONTANG_UTARA_VILLAGE = "64.74.01.1001"


def test_a_family_at_the_same_address_is_shown_before_saving(client, sari):
    head = make_person(sari, "Budiman", sex="L", birth_date=datetime.date(1980, 1, 1))
    services.family_create(
        actor=sari,
        organisation=sari.organisation,
        head=head,
        today=TODAY,
        address="Jl. Cendana No. 4",
        domicile_village=Region.objects.get(code=BONTANG_UTARA_VILLAGE),
    )
    client.force_login(sari)
    data = {"address": "jl.  cendana no. 4", "domicile_village": BONTANG_UTARA_VILLAGE}

    warned = client.post(FAMILY_CREATE, data)
    confirmed = client.post(FAMILY_CREATE, {**data, "confirm_new": "1"})

    assert "Keluarga ini mungkin sudah terdaftar." in warned.content.decode()
    assert confirmed.status_code == 302
    assert Family.objects.count() == 2


def test_the_heads_current_family_is_shown_before_saving(client, sari):
    head = make_person(sari, "Budiman", sex="L", birth_date=datetime.date(1980, 1, 1))
    family = services.family_create(
        actor=sari, organisation=sari.organisation, head=head, today=TODAY
    )
    client.force_login(sari)

    page = client.post(f"{FAMILY_CREATE}?head={head.public_id}", {"address": "Jl. Lain"})

    assert reverse("people:family_detail", args=[family.public_id]) in page.content.decode()
    assert Family.objects.count() == 1


@pytest.fixture
def pair(sari):
    return make_person(sari, "Siti Aminah", nik=NIK_SITI, nik_absence=""), make_person(
        sari, "St. Aminah"
    )


def test_the_merge_page_shows_both_records_side_by_side(client, budi, pair):
    client.force_login(budi)

    response = client.get(
        reverse("people:person_merge", args=[pair[0].public_id, pair[1].public_id])
    )

    page = response.content.decode()
    assert "St. Aminah" in page
    assert 'name="field_full_name"' in page


def test_merging_from_the_page_keeps_the_chosen_record(client, budi, pair):
    client.force_login(budi)
    url = reverse("people:person_merge", args=[pair[0].public_id, pair[1].public_id])

    client.post(url, {"keep": str(pair[1].public_id), "field_nik": "merged"})

    pair[0].refresh_from_db()
    pair[1].refresh_from_db()
    assert (pair[0].status, pair[1].nik) == (PersonStatus.MERGED, NIK_SITI)


def test_a_counsellor_may_not_merge(client, sari, pair):
    client.force_login(sari)

    response = client.post(
        reverse("people:person_merge", args=[pair[0].public_id, pair[1].public_id])
    )

    assert response.status_code == 403
    assert Person.objects.filter(status=PersonStatus.MERGED).count() == 0


def test_the_user_administrator_undoes_a_merge_from_the_list(client, budi, rina, pair):
    merge = merging.person_merge(actor=budi, survivor=pair[0], merged=pair[1])
    client.force_login(rina)

    listing = client.get(reverse("people:merge_list")).content.decode()
    response = client.post(reverse("people:merge_undo", args=[merge.pk]))

    assert "St. Aminah" in listing
    assert response["Location"] == reverse("people:merge_list")
    assert Person.objects.filter(status=PersonStatus.ACTIVE).count() == 2


def test_the_queue_lists_open_pairs_with_reasons(client, budi, pair):
    DuplicateCandidate.objects.create(
        organisation=budi.organisation,
        person_a=pair[0],
        person_b=pair[1],
        score=0.93,
        reasons=["name_variant"],
    )
    client.force_login(budi)

    page = client.get(reverse("people:duplicate_list")).content.decode()

    assert "nama dengan ejaan lain" in page
    assert "0,93" in page


def test_starting_a_search_shows_its_progress(client, budi, pair):
    client.force_login(budi)

    client.post(reverse("people:dedup_run_start"))
    fragment = client.get(reverse("people:dedup_run_progress")).content.decode()

    assert 'hx-trigger="every 2s"' in fragment
