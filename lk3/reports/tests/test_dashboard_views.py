"""The dashboard page: each role's template, the city office's counts only, the access log."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from lk3.accounts.roles import Role
from lk3.audit.models import AccessEvent
from lk3.cases.tests.builders import FAMILY_PMKS, open_case, pending_closure
from lk3.people.tests.builders import make_person
from lk3.reports.tests.test_dashboards import (
    ELDERLY,
    NEGLECTED_CHILD,
    cases_with,
    overdue_task,
    queries,
)

DASHBOARD = reverse("reports:dashboard")


@pytest.mark.parametrize(
    ("username", "template"),
    [
        ("sari", "reports/dashboard_counsellor.html"),
        ("putri", "reports/dashboard_counsellor.html"),
        ("budi", "reports/dashboard_coordinator.html"),
        ("intan", "reports/dashboard_coordinator.html"),
        ("pak_hendra", "reports/dashboard_city.html"),
        ("viewer", "reports/dashboard_city.html"),
        ("rina", "reports/_dashboard_other.html"),
        ("pak_agus", "reports/_dashboard_other.html"),
        ("mitra_ppa", "reports/_dashboard_other.html"),
    ],
)
def test_each_role_gets_its_dashboard(request, client, username, template):
    # given
    client.force_login(request.getfixturevalue(username))
    # when
    response = client.get(DASHBOARD)
    # then
    assert response.status_code == 200
    assert template in [used.name for used in response.templates]


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_user_without_an_organisation_is_refused(client, db):
    # given
    client.force_login(make_user("tanpa_lembaga", Role.COUNSELLOR, None))
    # when
    response = client.get(DASHBOARD)
    # then
    assert response.status_code == 403


def test_the_counsellor_page_links_her_overdue_work_to_its_case(client, budi, sari, dewi):
    # given
    mine = open_case(budi)
    overdue_task(budi, mine, "Kunjungan rumah", days_late=2)
    theirs = open_case(budi, lead_counsellor=dewi)
    overdue_task(budi, theirs, "Tugas Dewi", days_late=2)
    client.force_login(sari)
    # when
    response = client.get(DASHBOARD)
    # then
    page = response.content.decode()
    assert reverse("cases:case_detail", kwargs={"public_id": mine.public_id}) in page
    assert "Kunjungan rumah" in page
    assert theirs.number not in page
    assert "Tugas Dewi" not in page
    assert response.context["board"].open_total == 1


def test_the_coordinator_page_shows_approvals_and_the_overdue_link(client, budi, sari):
    # given
    request = pending_closure(budi)
    overdue_task(budi, open_case(budi), "Kunjungan rumah", days_late=1)
    client.force_login(budi)
    # when
    response = client.get(DASHBOARD)
    # then
    page = response.content.decode()
    assert 'data-testid="approvals-closures"' in page
    assert request.case.number in page
    assert f'href="{reverse("cases:caseload")}?overdue=on"' in page
    assert 'data-testid="overdue-tasks">1<' in page


def test_the_pages_charts_carry_no_style_attribute(client, budi, sari):
    # given
    open_case(budi)
    client.force_login(budi)
    # when
    page = client.get(DASHBOARD).content.decode()
    # then
    assert page.count('class="report-chart progress-chart bar-chart"') == 2
    assert "style=" not in page


@pytest.fixture
def bontang_and_samarinda(budi, sari, rudi):
    cases_with(budi, FAMILY_PMKS, 6)
    cases_with(budi, NEGLECTED_CHILD, 2)
    cases_with(budi, ELDERLY, 5)
    open_case(rudi, client=make_person(rudi, "Rahmat Samarinda"))


def test_the_city_page_shows_small_cells_as_a_range(client, bontang_and_samarinda, pak_hendra):
    # given
    client.force_login(pak_hendra)
    # when
    response = client.get(DASHBOARD)
    # then
    page = response.content.decode()
    assert "&lt;5" in page
    assert page.count('data-suppressed="yes"') >= 2
    assert 'data-testid="chart-months"' in page
    assert 'data-testid="chart-pmks"' in page


def test_the_city_page_names_nobody_and_links_no_case(
    client, budi, sari, bontang_and_samarinda, pak_hendra
):
    # given
    case = open_case(budi, client=make_person(budi, "Nur Hidayah"))
    client.force_login(pak_hendra)
    # when
    page = client.get(DASHBOARD).content.decode()
    # then
    assert "Nur Hidayah" not in page
    assert "Siti Aminah" not in page
    assert "Rahmat Samarinda" not in page
    assert case.number not in page
    assert "/cases/" not in page


def test_the_city_page_is_recorded_in_the_access_log(client, pak_hendra, dinsos_bontang):
    # given
    client.force_login(pak_hendra)
    # when
    client.get(DASHBOARD, {"year": str(timezone.localdate().year)})
    # then
    event = AccessEvent.objects.get(purpose="dashboard")
    assert event.actor == pak_hendra
    assert event.organisation == dinsos_bontang
    assert event.path.startswith(DASHBOARD)


def test_the_city_page_shows_the_year_chosen(client, bontang_and_samarinda, pak_hendra):
    # given
    last_year = timezone.localdate().year - 1
    client.force_login(pak_hendra)
    # when
    response = client.get(DASHBOARD, {"year": str(last_year)})
    # then
    assert response.context["board"].year == last_year
    assert response.context["board"].months_total.cell == 0


def test_a_year_out_of_range_names_the_field_and_shows_this_year(client, pak_hendra):
    # given
    client.force_login(pak_hendra)
    # when
    response = client.get(DASHBOARD, {"year": "1990"})
    # then
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert response.context["board"].year == timezone.localdate().year


def test_other_roles_are_pointed_to_their_pages(client, pak_agus):
    # given
    client.force_login(pak_agus)
    # when
    page = client.get(DASHBOARD).content.decode()
    # then
    assert f'href="{reverse("accounts:dashboard")}"' in page
    assert reverse("referrals:field_report_create") in page


def test_the_city_page_costs_the_same_whatever_the_data(client, budi, sari, pak_hendra):
    # given
    client.force_login(pak_hendra)
    cases_with(budi, FAMILY_PMKS, 2)
    client.get(DASHBOARD)  # the first request of a session reads what later ones find cached
    small = queries(lambda: client.get(DASHBOARD))
    cases_with(budi, ELDERLY, 4)
    # when
    large = queries(lambda: client.get(DASHBOARD))
    # then
    assert small == large
