"""The partner scorecard, on hand-built referrals with known answers."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lk3.referrals.models import Referral, ReferralSettings
from lk3.referrals.partner_selectors import Period, scorecard, scorecard_total
from lk3.referrals.tests.partner_builders import add_agreement, make_partner

SCORECARD = reverse("referrals:partner_scorecard")
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def refer(actor, partner, *, status, days_ago=30, answer_after=None, direction="out", **kw):
    """A referral out sent ``days_ago``, first answered ``answer_after`` days later."""
    sent_at = timezone.now() - datetime.timedelta(days=days_ago)
    return Referral.objects.create(
        organisation=kw.pop("organisation", actor.organisation),
        direction=direction,
        partner=partner,
        reason="Butuh pendampingan hukum.",
        sent_at=sent_at,
        answer_due_on=(sent_at + 3 * DAY).date(),
        status=status,
        first_answer_at=(
            sent_at + datetime.timedelta(days=answer_after) if answer_after is not None else None
        ),
        created_by=actor,
        **kw,
    )


@pytest.fixture
def network(budi):
    ppa = make_partner(budi, "UPTD PPA Kota Bontang", short_name="UPTD PPA")
    quiet = make_partner(budi, "Puskesmas Lok Tuan", short_name="PKM Lok Tuan")
    refer(budi, ppa, status="accepted", answer_after=1)
    refer(budi, ppa, status="declined", answer_after=3)
    refer(budi, ppa, status="completed", answer_after=2)
    refer(budi, ppa, status="in_service", answer_after=5)
    refer(budi, ppa, status="sent")
    return {"ppa": ppa, "quiet": quiet}


def _by_name(scores):
    return {score.partner.short_name: score for score in scores}


def test_the_scorecard_figures(budi, network):
    scores = _by_name(
        scorecard(organisation_id=budi.organisation_id, period=Period.default(TODAY), today=TODAY)
    )
    ppa = scores["UPTD PPA"]
    assert ppa.sent == 5
    assert ppa.answered == 4
    assert ppa.accepted_percent == 75  # accepted, completed, in service over 4 answered
    assert ppa.median_answer_days == 2.5  # of 1, 2, 3 and 5 days
    assert ppa.completed_percent == 33  # 1 completed of 3 accepted
    quiet = scores["PKM Lok Tuan"]
    assert (quiet.sent, quiet.accepted_percent, quiet.median_answer_days) == (0, None, None)
    assert quiet.completed_percent is None


def test_the_scorecard_counts_only_referrals_out_of_the_period(budi, rudi, lk3_samarinda, network):
    ppa = network["ppa"]
    refer(budi, ppa, status="completed", answer_after=1, days_ago=400)  # before the period
    refer(budi, ppa, status="accepted", answer_after=1, direction="in")  # a referral in
    period = Period.default(TODAY)
    (score,) = scorecard(
        organisation_id=budi.organisation_id, period=period, today=TODAY, partners=[ppa]
    )
    assert score.sent == 5
    older = Period(start=TODAY - 500 * DAY, end=TODAY - 300 * DAY)
    (score,) = scorecard(
        organisation_id=budi.organisation_id, period=older, today=TODAY, partners=[ppa]
    )
    assert (score.sent, score.completed_percent) == (1, 100)


def test_a_revoked_or_unanswered_referral_counts_as_sent_only(budi):
    partner = make_partner(budi)
    refer(budi, partner, status="revoked")
    refer(budi, partner, status="received", answer_after=0.5)
    (score,) = scorecard(
        organisation_id=budi.organisation_id, period=Period.default(TODAY), today=TODAY
    )
    assert (score.sent, score.answered, score.accepted_percent) == (2, 0, None)
    assert score.median_answer_days == 0.5


def test_the_scorecard_counts_mous_ending_within_the_warning_days(budi, lk3_bontang):
    ReferralSettings.objects.create(organisation=lk3_bontang, agreement_warning_days=30)
    partner = make_partner(budi)
    add_agreement(budi, partner, valid_from=TODAY - 300 * DAY, valid_until=TODAY + 20 * DAY)
    add_agreement(budi, partner, valid_from=TODAY - 300 * DAY, valid_until=TODAY + 40 * DAY)
    add_agreement(budi, partner, valid_from=TODAY - 300 * DAY, valid_until=TODAY - DAY)
    (score,) = scorecard(
        organisation_id=budi.organisation_id, period=Period.default(TODAY), today=TODAY
    )
    assert score.expiring_agreements == 1


def test_the_total_row_adds_up(budi, network):
    scores = scorecard(
        organisation_id=budi.organisation_id, period=Period.default(TODAY), today=TODAY
    )
    total = scorecard_total(scores)
    assert (total.sent, total.accepted_percent, total.median_answer_days) == (5, 75, 2.5)


def test_the_scorecard_takes_four_queries_whatever_the_size(
    budi, network, django_assert_num_queries
):
    for number in range(6):
        partner = make_partner(budi, f"Posyandu Melati {number}")
        refer(budi, partner, status="accepted", answer_after=1)
        add_agreement(budi, partner, valid_from=TODAY - DAY, valid_until=TODAY + DAY)
    # warning days, partners, referrals, agreements
    with django_assert_num_queries(4):
        scores = scorecard(
            organisation_id=budi.organisation_id, period=Period.default(TODAY), today=TODAY
        )
    assert len(scores) == 8


# -- the page -----------------------------------------------------------------------------------


def test_the_scorecard_page_shows_figures_and_dashes(client, budi, network):
    client.force_login(budi)
    response = client.get(SCORECARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="score-row"') == 2
    ppa_row = html.split(f'data-partner="{network["ppa"].public_id}"')[1].split("</tr>")[0]
    assert "75%" in ppa_row
    assert "33%" in ppa_row
    assert "2,5" in ppa_row  # Indonesian number format (Django's, not our catalogue)
    quiet_row = html.split(f'data-partner="{network["quiet"].public_id}"')[1].split("</tr>")[0]
    assert quiet_row.count("—") == 5


def test_the_scorecard_page_takes_a_period(client, budi, network):
    refer(budi, network["ppa"], status="completed", answer_after=1, days_ago=400)
    client.force_login(budi)
    start, end = TODAY - 500 * DAY, TODAY - 300 * DAY
    response = client.get(SCORECARD, {"date_from": start.isoformat(), "date_to": end.isoformat()})
    assert response.context["period"] == Period(start=start, end=end)
    assert response.context["total"].sent == 1
    bad = client.get(SCORECARD, {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert bad.status_code == 200
    assert bad.context["form"].errors["date_to"]
    assert bad.context["period"] == Period.default(TODAY)


def test_the_scorecard_page_query_count_does_not_grow(client, budi, network):
    client.force_login(budi)
    client.get(SCORECARD)
    with CaptureQueriesContext(connection) as few:
        client.get(SCORECARD)
    for number in range(5):
        partner = make_partner(budi, f"Posyandu Mawar {number}")
        refer(budi, partner, status="completed", answer_after=2)
    with CaptureQueriesContext(connection) as many:
        client.get(SCORECARD)
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("budi", 200),
        ("rina", 200),
        ("sari", 403),
        ("intan", 403),
        ("pak_agus", 403),
        ("mitra_ppa", 403),
        ("viewer", 403),
        ("pak_hendra", 403),
        ("rudi", 200),
    ],
)
def test_the_scorecard_is_for_directory_managers(client, request, network, username, status):
    user = request.getfixturevalue(username)
    client.force_login(user)
    response = client.get(SCORECARD)
    assert response.status_code == status
    if username == "rudi":  # another LK3's coordinator sees only its own network
        assert response.context["scores"] == []


def test_the_partner_page_shows_its_own_figures(client, sari, network):
    client.force_login(sari)
    response = client.get(
        reverse("referrals:partner_detail", kwargs={"public_id": network["ppa"].public_id})
    )
    score = response.context["score"]
    assert (score.sent, score.accepted_percent, score.completed_percent) == (5, 75, 33)
    assert 'data-testid="partner-figures"' in response.content.decode()
