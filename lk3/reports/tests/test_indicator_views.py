"""The indicators page: who may open it, the period form, suppression and its query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lk3.audit.models import AccessEvent
from lk3.reports.indicators import INDICATORS
from lk3.reports.tests.builders import OCTOBER, closed_case, day, opened_on, session_on

URL = reverse("reports:indicators")
OCTOBER_QUERY = {"period": "custom", "date_from": "2026-10-01", "date_to": "2026-10-31"}


def page(client, user, **query):
    client.force_login(user)
    with translation.override("en"):
        return client.get(URL, query)


@pytest.mark.parametrize(
    "name", ["sari", "dewi", "putri", "intan", "rina", "pak_agus", "mitra_ppa"]
)
def test_roles_without_reports_are_refused(client, request, name):
    user = request.getfixturevalue(name)
    assert page(client, user).status_code == 403
    assert not AccessEvent.objects.filter(actor=user).exists()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302


def test_default_is_the_current_month_and_every_indicator_with_its_definition(client, budi):
    response = page(client, budi)

    assert response.status_code == 200
    scope = response.context["scope"]
    assert (scope.date_from.day, scope.date_to.month) == (1, scope.date_from.month)
    rows = response.context["rows"]
    assert [item.code for item, _figure in rows] == [item.code for item in INDICATORS]
    text = response.content.decode()
    for item in INDICATORS:
        with translation.override("id"):  # the page's language
            assert str(item.definition) in text.replace("&#x27;", "'")
    access = AccessEvent.objects.get(actor=budi)
    assert access.purpose == "indicators"


def test_a_custom_period_counts_its_cases(client, budi):
    opened_on(budi, OCTOBER[0])
    opened_on(budi, OCTOBER[1])
    opened_on(budi, day(11, 1))

    response = page(client, budi, **OCTOBER_QUERY)

    figures = {item.code: figure for item, figure in response.context["rows"]}
    assert figures["new_cases"].value == 2


def test_a_year_and_a_month_period(client, budi):
    yearly = page(client, budi, period="year", year="2025").context["scope"]
    monthly = page(client, budi, period="month", month="2026-02").context["scope"]

    assert (yearly.date_from.isoformat(), yearly.date_to.isoformat()) == (
        "2025-01-01",
        "2025-12-31",
    )
    assert (monthly.date_from.isoformat(), monthly.date_to.isoformat()) == (
        "2026-02-01",
        "2026-02-28",
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "custom", "date_from": "2026-10-31", "date_to": "2026-10-01"}, "date_to"),
        ({"period": "custom", "date_from": "2026-02-30", "date_to": "2026-03-01"}, "date_from"),
        ({"period": "custom", "date_from": "2026-10-01"}, "date_to"),
        ({"period": "month", "month": "2026-13"}, "month"),
        ({"period": "year", "year": "1890"}, "year"),
    ],
)
def test_bad_dates_are_shown_on_the_field_with_no_figures(client, budi, query, field):
    opened_on(budi, OCTOBER[0])

    response = page(client, budi, **query)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["rows"] == []
    assert 'data-testid="indicators"' not in response.content.decode()


def test_the_supervisor_sees_small_counts_suppressed(client, budi, pak_hendra):
    closed_case(budi, day(9, 1), day(10, 3))
    closed_case(budi, day(9, 1), day(10, 4))

    response = page(client, pak_hendra, **OCTOBER_QUERY)

    figures = {item.code: figure for item, figure in response.context["rows"]}
    assert str(figures["closure_outcomes"].value) == "<5"
    assert 'data-code="closure_outcomes"' in response.content.decode()
    assert "&lt;5" in response.content.decode()


def test_the_coordinator_sees_small_counts_exactly(client, budi):
    closed_case(budi, day(9, 1), day(10, 3))
    closed_case(budi, day(9, 1), day(10, 4))

    response = page(client, budi, **OCTOBER_QUERY)

    figures = {item.code: figure for item, figure in response.context["rows"]}
    assert figures["closure_outcomes"].value == 2
    assert "&lt;5" not in response.content.decode()


def test_the_supervisor_may_narrow_to_one_organisation_but_not_reach_another(
    client, budi, rudi, pak_hendra, lk3_bontang, lk3_samarinda
):
    for on in range(1, 7):
        opened_on(budi, day(10, on))
        opened_on(rudi, day(10, on))

    mine = page(client, pak_hendra, organisation=str(lk3_bontang.public_id), **OCTOBER_QUERY)
    other = page(client, pak_hendra, organisation=str(lk3_samarinda.public_id), **OCTOBER_QUERY)

    figures = {item.code: figure for item, figure in mine.context["rows"]}
    assert figures["new_cases"].value == 6
    assert "organisation" in other.context["form"].errors
    assert other.context["rows"] == []


def test_the_page_query_count_is_fixed(client, budi, sari):
    for on in range(1, 4):
        closed_case(budi, day(9, on), day(10, on))
    session_on(opened_on(budi, day(10, 5)), day(10, 6))
    client.force_login(budi)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, OCTOBER_QUERY)
    assert response.status_code == 200
    # Session, user and organisation 3, the form's lists 4, the threshold 1, the
    # figures 13 (one per indicator, two medians 2 each), the access record 3
    # (in a savepoint), the session saved 3.
    assert len(queries) == 27, "\n".join(query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize("name", ["budi", "pak_hendra", "viewer"])
def test_report_readers_open_the_page(client, request, name):
    assert page(client, request.getfixturevalue(name)).status_code == 200
