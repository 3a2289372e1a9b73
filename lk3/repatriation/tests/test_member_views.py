"""The pages of one stranded person: identification, origin picker, shelter, tracing, decision."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from lk3.people.tests.builders import TODAY, make_person
from lk3.repatriation.models import (
    Decision,
    HealthStatus,
    ShelterStay,
    TracingContact,
)
from lk3.repatriation.tests.builders import KOTA_KULON, NIK_ASEP, take_in
from lk3.repatriation.tests.member_builders import returned_home, screened_fit


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _asep(group):
    return group.members.select_related("person").get(person__full_name="Asep Saepudin")


def _member_data(member, **overrides):
    data = {
        "documents": ["police_lost"],
        "documents_note": "KTP hilang di kapal",
        "health_status": HealthStatus.FIT,
        "health_note": "Sehat, sedikit lelah.",
        "screened_on": TODAY.isoformat(),
        "stated_origin": "Garut, dekat alun-alun",
        "origin_query": "",
        "origin_region": "",
        "version": member.version,
    }
    data.update(overrides)
    return data


# -- identification --------------------------------------------------------------------------


def test_identification_is_saved_from_the_form(client, budi):
    member = _asep(take_in(budi))
    client.force_login(budi)
    url = reverse("repatriation:member_edit", args=[member.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, _member_data(member, origin_region=KOTA_KULON))
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.health_status, member.origin_region_id) == (HealthStatus.FIT, KOTA_KULON)
    assert member.health_note == "Sehat, sedikit lelah."


def test_an_unknown_origin_code_is_shown_on_its_field(client, budi):
    member = _asep(take_in(budi))
    client.force_login(budi)
    url = reverse("repatriation:member_edit", args=[member.public_id])
    response = client.post(url, _member_data(member, origin_region="12.34.56.7890"))
    assert response.status_code == 200
    assert "12.34.56.7890" in str(response.context["form"].errors["origin_region"])
    member.refresh_from_db()
    assert member.health_status == HealthStatus.NOT_SCREENED


def test_finding_the_origin_without_script_saves_nothing_and_offers_regions(client, budi):
    member = _asep(take_in(budi))
    client.force_login(budi)
    url = reverse("repatriation:member_edit", args=[member.public_id])
    response = client.post(url, _member_data(member, origin_query="kota kulon", find_origin="1"))
    assert response.status_code == 200
    assert KOTA_KULON in [match.region.code for match in response.context["matches"]]
    member.refresh_from_db()
    assert member.health_status == HealthStatus.NOT_SCREENED
    picked = client.post(url, _member_data(member, origin_pick=KOTA_KULON))
    assert picked.status_code == 302
    member.refresh_from_db()
    assert member.origin_regency_code == "32.05"


def test_the_origin_search_tolerates_typos(client, budi):
    member = _asep(take_in(budi))
    client.force_login(budi)
    url = reverse("repatriation:member_origin_search", args=[member.public_id])
    response = client.get(url, {"origin_query": "kota kulom"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert KOTA_KULON in [match.region.code for match in response.context["matches"]]
    assert f'value="{KOTA_KULON}"' in response.content.decode()


def test_the_nik_region_of_issue_comes_first_among_same_named_villages(client, budi):
    # Two "Kota Kulon" in West Java (Garut and Sumedang); Asep's NIK was issued in Garut.
    member = _asep(take_in(budi))
    client.force_login(budi)
    url = reverse("repatriation:member_origin_search", args=[member.public_id])
    response = client.get(url, {"origin_query": "kota kulom"}, HTTP_HX_REQUEST="true")
    codes = [match.region.code for match in response.context["matches"]]
    assert codes[0] == KOTA_KULON
    assert len(codes) == len(set(codes))


def test_a_stale_identification_edit_shows_what_changed(english, budi, sari):
    member = _asep(take_in(budi))
    screened_fit(sari, member, stated_origin="Garut")
    english.force_login(budi)
    url = reverse("repatriation:member_edit", args=[member.public_id])
    response = english.post(url, _member_data(member, health_status=HealthStatus.IN_TREATMENT))
    assert response.status_code == 409
    assert response.context["stale"] is not None
    assert "Someone else saved this record" in response.content.decode()
    member.refresh_from_db()
    assert member.health_status == HealthStatus.FIT


def test_an_intake_officer_may_read_but_not_work(client, budi, intan):
    group = take_in(budi)
    client.force_login(intan)
    assert (
        client.get(reverse("repatriation:group_detail", args=[group.public_id])).status_code == 200
    )
    url = reverse("repatriation:member_edit", args=[_asep(group).public_id])
    assert client.get(url).status_code == 403


def test_a_counsellor_not_on_the_case_gets_403_and_an_outsider_404(client, dewi, rudi):
    group = take_in(dewi)  # opened by dewi, led by sari
    member = _asep(group)
    client.force_login(dewi)
    assert (
        client.get(reverse("repatriation:member_edit", args=[member.public_id])).status_code == 403
    )
    assert (
        client.get(reverse("repatriation:tracing_add", args=[group.public_id])).status_code == 403
    )
    client.force_login(rudi)
    assert (
        client.get(reverse("repatriation:member_edit", args=[member.public_id])).status_code == 404
    )


# -- shelter ---------------------------------------------------------------------------------


def test_check_in_twice_shows_a_message_and_keeps_one_stay(english, budi):
    member = _asep(take_in(budi))
    english.force_login(budi)
    url = reverse("repatriation:shelter_check_in", args=[member.public_id])
    assert english.post(url, {"shelter": "Rumah Singgah Bontang"}).status_code == 302
    again = english.post(url, {"shelter": "Rumah Singgah Bontang"})
    assert again.status_code == 200
    assert "already in Rumah Singgah Bontang" in str(again.context["form"].errors["shelter"])
    assert ShelterStay.objects.filter(member=member).count() == 1


def test_check_out_from_the_group_page(client, budi):
    member = _asep(take_in(budi))
    client.force_login(budi)
    client.post(reverse("repatriation:shelter_check_in", args=[member.public_id]), {"shelter": "X"})
    stay = ShelterStay.objects.get()
    url = reverse("repatriation:shelter_check_out", args=[member.public_id, stay.pk])
    assert client.post(url).status_code == 302
    stay.refresh_from_db()
    assert stay.checked_out_at is not None
    again = client.post(url)
    assert again.status_code == 200
    assert again.context["form"].non_field_errors()


def test_check_out_before_check_in_is_refused_on_its_field(english, budi):
    member = _asep(take_in(budi))
    yesterday = timezone.localtime() - datetime.timedelta(days=1)
    english.force_login(budi)
    english.post(
        reverse("repatriation:shelter_check_in", args=[member.public_id]),
        {"shelter": "X", "checked_in_at": yesterday.strftime("%Y-%m-%dT%H:%M")},
    )
    stay = ShelterStay.objects.get()
    url = reverse("repatriation:shelter_check_out", args=[member.public_id, stay.pk])
    earlier = yesterday - datetime.timedelta(hours=1)
    response = english.post(url, {"checked_out_at": earlier.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 200
    assert response.context["form"].errors["checked_out_at"]
    stay.refresh_from_db()
    assert stay.checked_out_at is None


# -- tracing ---------------------------------------------------------------------------------


def test_a_tracing_contact_from_the_form(client, budi):
    group = take_in(budi)
    client.force_login(budi)
    url = reverse("repatriation:tracing_add", args=[group.public_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "member": str(_asep(group).public_id),
            "contacted_on": TODAY.isoformat(),
            "contact": "Dinsos Kabupaten Garut",
            "method": "dinsos",
            "result": "identified",
            "note": "Identitas dikonfirmasi lewat Dukcapil.",
        },
    )
    assert response.status_code == 302
    entry = TracingContact.objects.get()
    assert entry.member == _asep(group)
    page = client.get(reverse("repatriation:group_detail", args=[group.public_id]))
    assert "Dinsos Kabupaten Garut" in page.content.decode()


# -- decision --------------------------------------------------------------------------------


def test_the_decision_form_warns_of_an_earlier_return(english, budi, sari):
    asep = make_person(budi, "Asep Saepudin", sex="L", nik=NIK_ASEP)
    earlier = returned_home(budi, asep, TODAY - datetime.timedelta(days=60))
    member = screened_fit(budi, take_in(budi, [asep]).members.get())
    english.force_login(sari)
    url = reverse("repatriation:member_decide", args=[member.public_id])
    page = english.get(url)
    assert page.status_code == 200
    assert earlier.number in page.content.decode()
    assert "exception_note" not in page.context["form"].fields
    refused = english.post(
        url, {"decision": Decision.RETURN_HOME, "reason": "Ingin pulang", "version": member.version}
    )
    assert refused.status_code == 200
    assert "Only the coordinator" in str(refused.context["form"].errors["decision"])
    member.refresh_from_db()
    assert member.decision == ""
    english.force_login(budi)
    allowed = english.post(
        url,
        {
            "decision": Decision.RETURN_HOME,
            "reason": "Ingin pulang",
            "exception_note": "Ibunya meninggal, keluarga menjemput.",
            "version": member.version,
        },
    )
    assert allowed.status_code == 302
    member.refresh_from_db()
    assert member.returned_before_note.startswith("Ibunya")


def test_return_home_before_screening_is_refused_on_the_form(english, budi):
    member = _asep(take_in(budi))
    english.force_login(budi)
    url = reverse("repatriation:member_decide", args=[member.public_id])
    response = english.post(
        url, {"decision": Decision.RETURN_HOME, "reason": "Pulang", "version": member.version}
    )
    assert response.status_code == 200
    assert "fit to travel" in str(response.context["form"].errors["decision"])


def test_a_double_submitted_decision_is_harmless(client, budi):
    member = _asep(take_in(budi))
    client.force_login(budi)
    url = reverse("repatriation:member_decide", args=[member.public_id])
    data = {"decision": Decision.LOCAL_EMPLOYMENT, "reason": "Bekerja", "version": member.version}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert member.version == 2
