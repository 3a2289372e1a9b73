"""The pages of referrals out: the form on a case, the LK3's list, the partner's inbox,
a referral's two sides, answering, revoking, and the case page's referrals card."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from conftest import make_user
from lk3.accounts.models import User
from lk3.accounts.roles import Role
from lk3.cases.models import Case
from lk3.cases.tests.builders import open_case
from lk3.people.models import ConsentPurpose
from lk3.referrals import referrals
from lk3.referrals.models import Notification, Referral, ReferralStatus
from lk3.referrals.tests.referral_builders import (
    REASON,
    answer,
    case_of,
    data_sharing_consent,
    link_staff,
    partner_for,
    revoke,
    send_referral,
)
from tests import matrix_referrals
from tests.matrix import ANONYMOUS, CAST

S = ReferralStatus
HTMX = {"HX-Request": "true"}
LIST = reverse("referrals:referral_list")
INBOX = reverse("referrals:referral_inbox")


@pytest.fixture
def ppa(budi, mitra_ppa):
    partner = partner_for(budi)
    link_staff(mitra_ppa, partner)
    return partner


@pytest.fixture
def puskesmas_staff(budi, lk3_bontang):
    partner = partner_for(budi, name="Puskesmas Bontang Utara", short_name="Puskesmas")
    user = make_user("staf_puskesmas", Role.PARTNER, lk3_bontang)
    link_staff(user, partner)
    return user


def new_url(case: Case) -> str:
    return reverse("referrals:referral_new", args=[case.public_id])


def detail(referral: Referral) -> str:
    return reverse("referrals:referral_detail", args=[referral.public_id])


def answer_url(referral: Referral) -> str:
    return reverse("referrals:referral_answer", args=[referral.public_id])


def revoke_url(referral: Referral) -> str:
    return reverse("referrals:referral_revoke", args=[referral.public_id])


def send_form(partner, consent=None, **changes) -> dict[str, object]:
    data: dict[str, object] = {
        "partner": str(partner.public_id),
        "service": "pendampingan",
        "reason": REASON,
        "shared_items": ["name", "sex", "birth_date"],
        "legal_basis": "consent",
        "consent": str(consent.public_id) if consent else "",
        "legal_basis_note": "",
        "token": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


# -- the form on a case -----------------------------------------------------------------------


def test_the_form_offers_the_directory_the_minimum_and_the_clients_consents(
    client, sari, rudi, ppa
):
    case = open_case(sari)
    consent = data_sharing_consent(sari, case.client)
    data_sharing_consent(sari, case.client, purpose=ConsentPurpose.PHOTO)
    elsewhere = partner_for(rudi, name="UPTD PPA Samarinda")
    client.force_login(sari)

    response = client.get(new_url(case))

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["partner"].queryset) == [ppa]
    assert elsewhere not in form.fields["partner"].queryset
    assert list(form.fields["consent"].queryset) == [consent]
    assert form.initial["consent"] == consent.public_id
    assert sorted(form.initial["shared_items"]) == ["birth_date", "name", "sex"]
    html = response.content.decode()
    assert 'name="token"' in html


def test_sending_from_the_form_goes_to_the_referral(client, sari, ppa, mitra_ppa):
    case = open_case(sari)
    consent = data_sharing_consent(sari, case.client)
    client.force_login(sari)

    response = client.post(new_url(case), send_form(ppa, consent))

    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(referral)
    assert (referral.case, referral.partner, referral.consent) == (case, ppa, consent)
    assert Notification.objects.filter(recipient=mitra_ppa).count() == 1


def test_a_double_clicked_send_makes_one_referral(client, sari, ppa):
    case = open_case(sari)
    data = send_form(ppa, data_sharing_consent(sari, case.client))
    client.force_login(sari)

    first = client.post(new_url(case), data)
    second = client.post(new_url(case), data)

    assert Referral.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_sending_without_consent_or_a_note_shows_the_field_error(client, sari, ppa):
    case = open_case(sari)
    client.force_login(sari)

    no_consent = client.post(new_url(case), send_form(ppa))
    no_note = client.post(new_url(case), send_form(ppa, legal_basis="vital_interest"))

    assert no_consent.status_code == 200
    assert no_consent.context["form"].errors["consent"]
    assert no_note.context["form"].errors["legal_basis_note"]
    assert not Referral.objects.exists()
    assert 'data-testid="no-consent"' in no_consent.content.decode()


def test_only_who_works_on_the_case_reaches_the_form(client, sari, dewi, intan, mitra_ppa, ppa):
    case = open_case(sari)
    expected = {dewi: 404, intan: 403, mitra_ppa: 403}
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(new_url(case)).status_code == status
        assert client.post(new_url(case), send_form(ppa)).status_code == status
    assert not Referral.objects.exists()


def test_a_closed_case_shows_no_form(client, budi, sari, ppa):
    from lk3.cases.tests.test_services import closed_case

    case = closed_case(budi, sari)
    client.force_login(sari)

    response = client.get(new_url(case))

    assert response.status_code == 200
    assert 'data-testid="case-not-open"' in response.content.decode()
    assert 'name="token"' not in response.content.decode()


# -- the LK3's list ---------------------------------------------------------------------------


def test_the_list_flags_and_filters_overdue_answers(client, sari, ppa, mitra_ppa):
    past = timezone.localdate() - datetime.timedelta(days=10)
    late = send_referral(sari, partner=ppa, today=past)
    fresh = send_referral(sari, partner=ppa)
    client.force_login(sari)

    everything = client.get(LIST)
    overdue = client.get(LIST, {"overdue": "on"})

    assert [row.pk for row in everything.context["rows"]] == [fresh.pk, late.pk]
    assert [row.overdue for row in everything.context["rows"]] == [False, True]
    assert [row.pk for row in overdue.context["rows"]] == [late.pk]
    assert everything.content.decode().count('data-testid="overdue"') == 1


def test_the_list_filters_by_status_and_partner(client, sari, budi, ppa, mitra_ppa):
    puskesmas = partner_for(budi, name="Puskesmas Bontang Utara", short_name="Puskesmas")
    accepted = answer(mitra_ppa, send_referral(sari, partner=ppa), S.ACCEPTED)
    other = send_referral(sari, partner=puskesmas)
    client.force_login(sari)

    by_status = client.get(LIST, {"status": "accepted"})
    by_partner = client.get(LIST, {"partner": str(puskesmas.public_id)})

    assert [row.pk for row in by_status.context["rows"]] == [accepted.pk]
    assert [row.pk for row in by_partner.context["rows"]] == [other.pk]


def test_the_list_shows_only_referrals_of_cases_the_user_reaches(client, sari, dewi, rudi, ppa):
    mine = send_referral(sari, partner=ppa)
    send_referral(rudi)
    client.force_login(dewi)
    assert list(client.get(LIST).context["rows"]) == []
    client.force_login(sari)
    assert [row.pk for row in client.get(LIST).context["rows"]] == [mine.pk]


def test_the_list_query_count_does_not_grow_with_rows(client, sari, ppa):
    send_referral(sari, partner=ppa)
    client.force_login(sari)
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for _ in range(3):
        send_referral(sari, partner=ppa)
    with CaptureQueriesContext(connection) as four:
        client.get(LIST)
    assert len(four) == len(one)


def test_the_list_is_for_casework_roles(client, mitra_ppa, rina, viewer, pak_agus, ppa):
    for user in (mitra_ppa, rina, viewer, pak_agus):
        client.force_login(user)
        assert client.get(LIST).status_code == 403


# -- the partner's inbox and side -------------------------------------------------------------


def test_the_inbox_holds_only_the_partners_own_referrals(
    client, sari, ppa, mitra_ppa, puskesmas_staff
):
    past = timezone.localdate() - datetime.timedelta(days=10)
    mine = send_referral(sari, partner=ppa, today=past)
    theirs = send_referral(sari, partner=partner_for(sari, name="Puskesmas Bontang Utara"))
    client.force_login(mitra_ppa)

    response = client.get(INBOX)

    assert [row.pk for row in response.context["rows"]] == [mine.pk]
    assert response.context["rows"][0].overdue
    html = response.content.decode()
    assert case_of(mine).number not in html
    assert theirs.number not in html


def test_a_partner_account_without_a_partner_and_lk3_staff_get_no_inbox(client, mitra_ppa, sari):
    for user in (mitra_ppa, sari):
        client.force_login(user)
        assert client.get(INBOX).status_code == 403


def test_the_partner_sees_only_the_snapshot_never_the_case(client, sari, ppa, mitra_ppa):
    referral = send_referral(sari, partner=ppa)
    other = send_referral(sari, partner=ppa, case=open_case(sari))
    client.force_login(mitra_ppa)

    response = client.get(detail(referral))

    assert response.status_code == 200
    assert response.context["partner_side"]
    html = response.content.decode()
    assert referral.number in html
    assert "Siti Aminah" in html  # the shared name, from the snapshot
    assert case_of(referral).number not in html
    assert str(case_of(referral).public_id) not in html
    assert str(referral.person.public_id if referral.person else "-") not in html
    assert case_of(referral).presenting_problem not in html
    assert other.number not in html
    assert 'data-testid="referral-case"' not in html
    assert 'data-testid="answer-forms"' in html
    assert 'data-testid="revoke-form"' not in html


def test_another_partners_staff_get_404_on_the_referral_and_403_on_the_case(
    client, sari, ppa, puskesmas_staff
):
    referral = send_referral(sari, partner=ppa)
    client.force_login(puskesmas_staff)

    assert client.get(detail(referral)).status_code == 404
    assert client.post(answer_url(referral), {"to_status": "received"}).status_code == 404
    # Partner staff are outside casework altogether: the case page refuses them.
    case_page = reverse("cases:case_detail", args=[case_of(referral).public_id])
    assert client.get(case_page).status_code == 403


def test_the_lk3_side_shows_the_case_and_the_revoke_form(client, sari, ppa):
    referral = send_referral(sari, partner=ppa)
    client.force_login(sari)

    response = client.get(detail(referral))

    html = response.content.decode()
    assert not response.context["partner_side"]
    assert reverse("cases:case_detail", args=[case_of(referral).public_id]) in html
    assert 'data-testid="revoke-form"' in html
    assert 'data-testid="answer-forms"' not in html


# -- answering --------------------------------------------------------------------------------


def test_the_partner_accepts_from_the_page(client, sari, ppa, mitra_ppa):
    referral = send_referral(sari, partner=ppa)
    client.force_login(mitra_ppa)

    response = client.post(
        answer_url(referral), {"to_status": "accepted", "text": "", "version": referral.version}
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED
    assert Notification.objects.filter(recipient=sari, kind="referral_answered").exists()


def test_declining_without_a_reason_shows_the_error(client, sari, ppa, mitra_ppa):
    referral = send_referral(sari, partner=ppa)
    client.force_login(mitra_ppa)

    response = client.post(
        answer_url(referral), {"to_status": "declined", "text": "", "version": referral.version}
    )

    assert response.status_code == 200
    declined = [
        form for status, _, form in response.context["answer_forms"] if status == "declined"
    ]
    assert declined[0].errors["text"]
    referral.refresh_from_db()
    assert referral.status == S.SENT


def test_a_stale_answer_shows_what_changed(client, sari, ppa, mitra_ppa):
    referral = send_referral(sari, partner=ppa)
    seen = referral.version
    answer(mitra_ppa, referral, S.RECEIVED)
    client.force_login(mitra_ppa)
    data = {"to_status": "accepted", "text": "", "version": seen}

    plain = client.post(answer_url(referral), data)
    with_htmx = client.post(answer_url(referral), data, headers=HTMX)

    assert plain.status_code == 409
    assert with_htmx.status_code == 200
    assert plain.context["stale"] is not None
    referral.refresh_from_db()
    assert referral.status == S.RECEIVED


def test_answering_a_revoked_referral_is_refused_with_a_message(client, sari, ppa, mitra_ppa):
    referral = send_referral(sari, partner=ppa)
    seen = referral.version
    revoke(sari, referral)
    client.force_login(mitra_ppa)

    response = client.post(
        answer_url(referral), {"to_status": "accepted", "text": "", "version": seen}
    )

    assert response.status_code == 200
    assert response.context["stale"] is None
    assert 'data-testid="revoked"' in response.content.decode()
    assert response.context["refusals"] == [str(referrals.ANSWER_REVOKED)]
    referral.refresh_from_db()
    assert referral.status == S.REVOKED


def test_lk3_staff_may_not_answer(client, sari, budi, ppa):
    referral = send_referral(sari, partner=ppa)
    for user in (sari, budi):
        client.force_login(user)
        data = {"to_status": "accepted", "version": referral.version}
        assert client.post(answer_url(referral), data).status_code == 403


# -- revoking ---------------------------------------------------------------------------------


def test_revoking_from_the_page(client, sari, ppa, mitra_ppa):
    referral = send_referral(sari, partner=ppa)
    client.force_login(sari)

    empty = client.post(revoke_url(referral), {"reason": "", "version": referral.version})
    done = client.post(
        revoke_url(referral), {"reason": "Klien menolak.", "version": referral.version}
    )

    assert empty.status_code == 200
    assert empty.context["revoke_form"].errors["reason"]
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.REVOKED
    assert Notification.objects.filter(recipient=mitra_ppa, kind="referral_revoked").exists()


def test_only_who_works_on_the_case_revokes(client, sari, intan, dewi, mitra_ppa, ppa):
    referral = send_referral(sari, partner=ppa)
    for user, status in ((intan, 403), (mitra_ppa, 403), (dewi, 404)):
        client.force_login(user)
        data = {"reason": "x", "version": referral.version}
        assert client.post(revoke_url(referral), data).status_code == status
    referral.refresh_from_db()
    assert referral.status == S.SENT


# -- the case page ----------------------------------------------------------------------------


def test_the_case_page_lists_the_referrals_and_their_events(client, sari, ppa, mitra_ppa):
    case = open_case(sari)
    referral = answer(mitra_ppa, send_referral(sari, case=case, partner=ppa), S.ACCEPTED)
    client.force_login(sari)

    response = client.get(reverse("cases:case_detail", args=[case.public_id]))

    html = response.content.decode()
    assert 'data-testid="case-referrals"' in html
    assert 'data-testid="refer-button"' in html
    assert detail(referral) in html
    assert [r.pk for r in response.context["referrals"]] == [referral.pk]
    kinds = [event.kind for event in response.context["timeline"].events]
    assert kinds.count("referral") == 2
    newest = response.context["timeline"].events[0]
    assert (newest.kind, newest.record.to_status) == ("referral", S.ACCEPTED)


def test_the_timeline_stays_cut_with_referral_events(client, sari, ppa, mitra_ppa):
    case = open_case(sari)
    referral = send_referral(sari, case=case, partner=ppa)
    answer(mitra_ppa, referral, S.RECEIVED)
    answer(mitra_ppa, referral, S.ACCEPTED)
    client.force_login(sari)

    response = client.get(reverse("cases:case_detail", args=[case.public_id]), {"events": 2})

    timeline = response.context["timeline"]
    assert [event.record.to_status for event in timeline.events] == [S.ACCEPTED, S.RECEIVED]
    assert timeline.has_more


def test_the_refer_button_is_for_who_works_on_the_case(client, sari, intan, ppa):
    case = open_case(sari)
    client.force_login(intan)
    html = client.get(reverse("cases:case_detail", args=[case.public_id])).content.decode()
    assert 'data-testid="case-referrals"' in html
    assert 'data-testid="refer-button"' not in html


# -- the permission matrix rows (tests/matrix_referrals.py), checked here until wired in --------


@pytest.fixture
def matrix_world(rina, budi, sari, putri, intan, pak_agus, mitra_ppa, pak_hendra, viewer, rudi):
    users = {role: User.objects.get(username=name) for role, name in CAST.items()}
    return {
        "users": users,
        "same_org": matrix_referrals.build_records(budi, budi.organisation),
        "other_org": matrix_referrals.build_records(rudi, rudi.organisation),
    }


@pytest.mark.parametrize("row", matrix_referrals.ROWS, ids=lambda row: row.id)
def test_matrix_rows(client, matrix_world, row):
    if row.ownership == "none":
        kwargs = dict(row.kwargs)
    else:
        record = matrix_world[row.ownership][row.target]
        kwargs = matrix_referrals.KWARGS[row.target](record)
    url = reverse(row.url_name, kwargs=kwargs)
    got = {}
    for role in row.expect:
        client.logout()
        if role != ANONYMOUS:
            client.force_login(matrix_world["users"][role])
        send = client.post if row.method == "POST" else client.get
        got[role] = send(url, data=dict(row.data)).status_code
    assert got == dict(row.expect)


def test_the_case_page_query_count_does_not_grow_with_referrals(client, sari, ppa, mitra_ppa):
    case = open_case(sari)
    send_referral(sari, case=case, partner=ppa)
    page = reverse("cases:case_detail", args=[case.public_id])
    client.force_login(sari)
    client.get(page)
    with CaptureQueriesContext(connection) as one:
        client.get(page)
    for _ in range(3):
        answer(mitra_ppa, send_referral(sari, case=case, partner=ppa), S.RECEIVED)
    with CaptureQueriesContext(connection) as more:
        client.get(page)
    assert len(more) == len(one)


def test_a_referral_event_reads_in_the_case_timeline(sari, ppa, mitra_ppa):
    referral = answer(mitra_ppa, send_referral(sari, partner=ppa), S.DECLINED, "Di luar wilayah.")
    event = referral.events.select_related("referral__partner", "by").last()
    with translation.override("en"):
        html = render_to_string(
            "referrals/referral_timeline_event.html", {"record": event, "event": event}
        )
    assert f"Referral {referral.number} to UPTD PPA Kota Bontang: Declined" in html
    assert "Di luar wilayah." in html
