"""The intake desk's pages for referrals in: the queue, recording, and the decision."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from lk3.audit import actions
from lk3.audit.models import AccessEvent, AuditEvent
from lk3.cases.models import Case
from lk3.cases.tests.builders import open_case
from lk3.core.models import IntakeChannel, PmksCategory
from lk3.people.models import Person
from lk3.people.tests.builders import NIK_SITI, make_person
from lk3.referrals import referrals_in
from lk3.referrals.models import Referral
from lk3.referrals.tests.intake_builders import REASON, record_referral_in
from lk3.referrals.tests.partner_builders import make_partner

QUEUE = reverse("referrals:intake_list")
NEW = reverse("referrals:intake_create")


def url(name: str, referral: Referral) -> str:
    return reverse(f"referrals:{name}", args=[referral.public_id])


def record_form(**overrides: str) -> dict[str, str]:
    data = {
        "referrer_name": "Puskesos Kelurahan Bontang Baru",
        "referrer_contact": "Bu Lina 0812-5555-1234",
        "external_reference": "SLRT/6474/2026/0117",
        "client_name": "Siti Aminah",
        "client_nik": "",
        "reason": REASON,
        "token": "t-1",
    }
    data.update(overrides)
    return data


def case_form(referral: Referral, **overrides: str) -> dict[str, str]:
    data = {
        "version": str(referral.version),
        "case-intake_channel": str(IntakeChannel.objects.get(code="slrt-puskesos").pk),
        "case-presenting_problem": REASON,
        "case-pmks_categories": str(
            PmksCategory.objects.get(code="keluarga-bermasalah-sosial-psikologis").pk
        ),
        "case-risk_level": "medium",
        "case-referrer_name": "Puskesos Kelurahan Bontang Baru",
        "case-lead_counsellor": "",
    }
    data.update(overrides)
    return data


NEW_PERSON = {
    "person-full_name": "Siti Aminah",
    "person-sex": "P",
    "person-birth_date": "1985-08-05",
    "person-nik_absence": "unknown",
    "person-consent_method": "tertulis",
}


# -- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["sari", "dewi", "putri", "rina", "pak_agus", "mitra_ppa"])
def test_the_queue_is_for_the_intake_desk_only(client, request, username):
    client.force_login(request.getfixturevalue(username))
    assert client.get(QUEUE).status_code == 403
    assert client.get(NEW).status_code == 403


def test_a_counsellor_cannot_reach_a_waiting_referral(client, intan, sari):
    referral = record_referral_in(intan)
    client.force_login(sari)
    assert client.get(url("intake_detail", referral)).status_code == 404
    response = client.post(url("intake_decline", referral), {"decline_reason": "x", "version": 1})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == "received"


def test_another_organisations_referral_is_not_found(client, budi, rudi):
    referral = record_referral_in(rudi)
    client.force_login(budi)
    for name in ("intake_detail", "intake_accept_new", "intake_accept_existing"):
        assert client.get(url(name, referral)).status_code == 404
    response = client.post(url("intake_decline", referral), {"decline_reason": "x", "version": 1})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == "received"


def test_the_lead_of_the_case_sees_the_referral_but_may_not_decide(client, intan, sari):
    referral = record_referral_in(intan)
    referrals_in.referral_in_accept_existing_case(
        actor=intan, referral=referral, expected_version=referral.version, case=open_case(intan)
    )
    client.force_login(sari)
    assert client.get(url("intake_detail", referral)).status_code == 200
    assert client.get(url("intake_accept_new", referral)).status_code == 403


# -- the queue and recording --------------------------------------------------------------


def test_the_queue_lists_waiting_referrals_first(client, intan):
    decided = record_referral_in(intan, client_name="Ani Lestari")
    referrals_in.referral_in_decline(
        actor=intan, referral=decided, expected_version=decided.version, reason="Dobel."
    )
    record_referral_in(intan, client_name="Citra Dewi")
    client.force_login(intan)
    response = client.get(QUEUE)
    assert response.status_code == 200
    rows = response.content.decode().split('data-testid="intake-row"')[1:]
    assert "Citra Dewi" in rows[0]
    assert "Ani Lestari" in rows[1]


def test_a_referral_is_recorded_from_the_form(client, intan, budi):
    partner = make_partner(budi, "UPTD PPA Kota Bontang")
    client.force_login(intan)
    response = client.post(
        NEW, record_form(partner=str(partner.public_id), referrer_name="", client_nik=NIK_SITI)
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("intake_detail", referral)
    assert (referral.partner, referral.client_nik, referral.status) == (
        partner,
        NIK_SITI,
        "received",
    )


def test_a_malformed_nik_is_shown_on_its_field(client, intan):
    client.force_login(intan)
    response = client.post(NEW, record_form(client_nik="6474-01"))
    assert response.status_code == 200
    assert response.context["form"].errors["client_nik"]
    assert 'id="id_client_nik_errors"' in response.content.decode()
    assert Referral.objects.count() == 0


def test_a_referral_without_an_agency_names_the_field(client, intan):
    client.force_login(intan)
    with translation.override("en"):
        response = client.post(NEW, record_form(referrer_name=""))
    assert response.context["form"].errors["referrer_name"] == [str(referrals_in.NEEDS_REFERRER)]
    assert Referral.objects.count() == 0


def test_a_double_submitted_record_form_records_one_referral(client, intan):
    client.force_login(intan)
    first = client.post(NEW, record_form())
    second = client.post(NEW, record_form())
    assert Referral.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_referral_page_records_who_saw_it(client, intan):
    referral = record_referral_in(intan)
    client.force_login(intan)
    response = client.get(url("intake_detail", referral))
    assert response.status_code == 200
    assert 'data-testid="decision"' in response.content.decode()
    assert AccessEvent.objects.filter(target_id=str(referral.public_id), actor=intan).exists()


# -- accepting into a new case ------------------------------------------------------------


def test_the_existing_person_is_offered_and_chosen_without_a_second_person(client, intan):
    # given
    siti = make_person(intan, "Siti Aminah", nik=NIK_SITI, nik_absence="")
    referral = record_referral_in(intan, client_nik=NIK_SITI)
    client.force_login(intan)
    # when: the page offers her
    page = client.get(url("intake_accept_new", referral))
    # then
    assert [match.person for match in page.context["matches"]] == [siti]
    assert f'value="{siti.public_id}"' in page.content.decode()
    # when: she is chosen
    response = client.post(
        url("intake_accept_new", referral), case_form(referral, client=str(siti.public_id))
    )
    # then
    assert response.status_code == 302
    referral.refresh_from_db()
    assert Person.objects.count() == 1
    assert referral.status == "accepted"
    assert referral.person == siti
    assert referral.case == Case.objects.get(client=siti)


def test_registering_a_new_person_like_an_existing_one_asks_first(client, intan):
    # given: the agency gave no NIK; the registry has a Siti Aminah born the same day
    make_person(intan, "Siti Aminah")
    referral = record_referral_in(intan)
    client.force_login(intan)
    data = case_form(referral, client="new", **NEW_PERSON)
    # when
    response = client.post(url("intake_accept_new", referral), data)
    # then: warned, nothing saved
    assert response.status_code == 200
    assert 'data-testid="duplicate-warning"' in response.content.decode()
    assert Person.objects.count() == 1
    assert Case.objects.count() == 0
    # when: confirmed as a different person
    response = client.post(url("intake_accept_new", referral), {**data, "confirm_new": "1"})
    # then
    assert response.status_code == 302
    assert Person.objects.count() == 2
    referral.refresh_from_db()
    assert referral.case is not None
    assert referral.case.client == referral.person


def test_a_new_person_without_a_sex_is_refused_on_the_person_form(client, intan):
    referral = record_referral_in(intan, client_name="Rahmawati")
    client.force_login(intan)
    data = case_form(referral, client="new", **{**NEW_PERSON, "person-sex": ""})
    response = client.post(url("intake_accept_new", referral), data)
    assert response.status_code == 200
    assert response.context["person_form"].errors["sex"]
    assert Case.objects.count() == 0


def test_no_client_chosen_names_the_field(client, intan):
    referral = record_referral_in(intan)
    client.force_login(intan)
    response = client.post(url("intake_accept_new", referral), case_form(referral))
    assert response.status_code == 200
    assert response.context["choice"].errors["client"]
    assert 'id="id_client_errors"' in response.content.decode()


def test_a_double_submitted_acceptance_opens_one_case(client, intan):
    siti = make_person(intan, "Siti Aminah")
    referral = record_referral_in(intan)
    client.force_login(intan)
    data = case_form(referral, client=str(siti.public_id))
    first = client.post(url("intake_accept_new", referral), data)
    second = client.post(url("intake_accept_new", referral), data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == url("intake_detail", referral)
    assert Case.objects.count() == 1
    assert AuditEvent.objects.filter(action=actions.REFERRAL_IN_ACCEPTED).count() == 1


def test_a_stale_acceptance_is_refused_with_the_current_version(client, intan):
    siti = make_person(intan, "Siti Aminah")
    referral = record_referral_in(intan)
    Referral.objects.filter(pk=referral.pk).update(version=referral.version + 1)
    client.force_login(intan)
    data = case_form(referral, client=str(siti.public_id))
    response = client.post(url("intake_accept_new", referral), data)
    assert response.status_code == 200
    assert response.context["stale"] is not None
    assert f'value="{referral.version + 1}"' in response.content.decode()
    assert Case.objects.count() == 0


# -- accepting into an existing case and declining ----------------------------------------


def test_the_open_case_of_the_person_is_offered_and_taken(client, intan, budi):
    siti = make_person(budi, "Siti Aminah", nik=NIK_SITI, nik_absence="")
    case = open_case(budi, siti)
    referral = record_referral_in(intan, client_nik=NIK_SITI)
    client.force_login(intan)
    page = client.get(url("intake_accept_existing", referral))
    assert list(page.context["candidates"]) == [case]
    response = client.post(
        url("intake_accept_existing", referral),
        {"case": str(case.public_id), "version": referral.version},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.case, referral.person) == ("accepted", case, siti)


def test_a_case_may_be_chosen_by_its_number(client, intan, budi):
    case = open_case(budi)
    referral = record_referral_in(intan, client_name="Nama Lain")
    client.force_login(intan)
    response = client.post(
        url("intake_accept_existing", referral),
        {"case_number": case.number.lower(), "version": referral.version},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.case == case


def test_an_unknown_case_number_is_named(client, intan):
    referral = record_referral_in(intan)
    client.force_login(intan)
    response = client.post(
        url("intake_accept_existing", referral),
        {"case_number": "KS-1999-0001", "version": referral.version},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["case_number"]
    referral.refresh_from_db()
    assert referral.status == "received"


def test_declining_without_a_reason_shows_the_form_again(client, intan):
    referral = record_referral_in(intan)
    client.force_login(intan)
    response = client.post(
        url("intake_decline", referral), {"decline_reason": "", "version": referral.version}
    )
    assert response.status_code == 200
    assert response.context["decline_form"].errors["decline_reason"]
    referral.refresh_from_db()
    assert referral.status == "received"


def test_declining_with_a_reason(client, intan):
    referral = record_referral_in(intan)
    client.force_login(intan)
    response = client.post(
        url("intake_decline", referral),
        {"decline_reason": "Sudah ditangani UPTD PPA.", "version": referral.version},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "Sudah ditangani UPTD PPA.")
    page = client.get(url("intake_detail", referral))
    assert 'data-testid="decision"' not in page.content.decode()
    assert 'data-testid="decline-reason"' in page.content.decode()
