"""The repatriation report page and its CSV: who reads it, over which organisations."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import make_user
from lk3.accounts.roles import Role
from lk3.audit.models import AccessEvent
from lk3.repatriation.models import Decision
from lk3.repatriation.tests.report_builders import intake_in_state

REPORT = reverse("repatriation:report")
CSV = reverse("repatriation:report_csv")
YEAR_2026 = {"date_from": "2026-01-01", "date_to": "2026-12-31"}


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


@pytest.fixture
def intakes(budi, rudi, dinsos_bontang):
    """Bontang's LK3: two intakes (one arrived); the Bontang office: one; Samarinda: one."""
    intake_in_state(
        budi,
        found_on=d(3, 10),
        origins=["32.05", "32.05"],
        decision=Decision.RETURN_HOME,
        plan_cost=800_000,
        arrived_on=d(3, 20),
    )
    intake_in_state(budi, found_on=d(4, 1), origins=["73.71"])
    office = make_user("kepala_bidang", Role.COORDINATOR, dinsos_bontang)
    intake_in_state(office, found_on=d(5, 1), origins=["35.78"])
    intake_in_state(rudi, found_on=d(5, 2), origins=["12.71"])


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_a_coordinator_reads_the_figures_of_their_own_organisation(client, budi, intakes):
    client.force_login(budi)

    response = client.get(REPORT, YEAR_2026)

    assert response.status_code == 200
    report = response.context["report"]
    assert report.groups == 2
    assert [row.code for row in report.provinces] == ["32", "73"]
    assert response.context["choose_organisation"] is False
    assert 'data-testid="by-province"' in response.text
    assert "Rp 800" in response.text


def test_the_supervisor_reads_their_office_and_the_lk3_it_supervises(
    client, pak_hendra, intakes, lk3_bontang
):
    client.force_login(pak_hendra)

    everything = client.get(REPORT, YEAR_2026)
    one = client.get(REPORT, {**YEAR_2026, "organisation": str(lk3_bontang.public_id)})

    assert everything.context["report"].groups == 3  # not Samarinda's
    assert everything.context["choose_organisation"] is True
    assert one.context["report"].groups == 2


def test_another_organisation_cannot_be_chosen(client, pak_hendra, intakes, lk3_samarinda):
    client.force_login(pak_hendra)

    response = client.get(REPORT, {**YEAR_2026, "organisation": str(lk3_samarinda.public_id)})

    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert response.context["report"].groups == 3


def test_the_aggregate_viewer_reads_the_report(client, viewer, intakes):
    client.force_login(viewer)

    response = client.get(REPORT, YEAR_2026)

    assert response.status_code == 200
    assert response.context["report"].groups == 2


@pytest.mark.parametrize("username", ["sari", "intan", "rina", "pak_agus", "mitra_ppa"])
def test_other_roles_are_refused(client, request, username):
    client.force_login(request.getfixturevalue(username))

    assert client.get(REPORT).status_code == 403
    assert client.get(CSV).status_code == 403


def test_the_default_period_is_this_calendar_year(client, budi, intakes):
    client.force_login(budi)

    response = client.get(REPORT)

    report = response.context["report"]
    year = datetime.date.today().year
    assert (report.date_from, report.date_to) == (
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
    )


def test_one_date_alone_means_its_calendar_year(client, budi, intakes):
    client.force_login(budi)

    response = client.get(REPORT, {"date_from": "2026-04-01"})

    report = response.context["report"]
    assert (report.date_from, report.date_to) == (d(4, 1), d(12, 31))
    assert report.groups == 1


def test_dates_out_of_order_are_refused_by_name(client, budi, intakes):
    client.force_login(budi)
    _english(client)

    response = client.get(REPORT, {"date_from": "2026-05-01", "date_to": "2026-01-01"})

    assert response.status_code == 200
    assert response.context["form"].errors["date_to"] == [
        "The end date cannot be before the start date."
    ]


def test_viewing_the_report_is_recorded(client, budi, intakes, lk3_bontang):
    client.force_login(budi)

    client.get(REPORT, YEAR_2026)

    event = AccessEvent.objects.get(purpose="repatriation_report")
    assert event.actor == budi
    assert event.organisation == lk3_bontang
    assert event.path.startswith(REPORT)


def test_the_csv_has_every_table_and_is_recorded(client, budi, intakes, lk3_bontang):
    client.force_login(budi)
    _english(client)

    response = client.get(CSV, YEAR_2026)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="pemulangan-20260101-20261231.csv"'
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    titles = [row[0] for row, before in zip(rows, [[], *rows], strict=False) if not before and row]
    assert titles == [
        "Repatriation report",
        "By origin province",
        "By origin kab/kota",
        "By month",
        "Costs (Rp)",
        "Days from intake to return",
    ]
    assert ["2026-01-01", "2026-12-31", "LK3 Kota Bontang", "2"] in rows
    assert ["32", "Jawa Barat", "2", "2", "0", "0"] in rows
    assert ["73", "Sulawesi Selatan", "1", "0", "0", "1"] in rows
    assert ["", "Total", "3", "2", "0", "1"] in rows
    assert ["32.05", "Kabupaten Garut", "Jawa Barat", "2", "2", "0", "0"] in rows
    assert ["2026-03", "2", "2"] in rows
    assert ["Total of approved plans", "800000"] in rows
    assert ["Average cost per person", "400000"] in rows
    assert ["1", "10.0", "10.0", "10"] in rows
    assert "Samarinda" not in text
    event = AccessEvent.objects.get(purpose="repatriation_report_export")
    assert (event.actor, event.organisation) == (budi, lk3_bontang)
    assert not AccessEvent.objects.filter(purpose="repatriation_report").exists()


def test_the_csv_holds_no_names(client, budi, intakes):
    client.force_login(budi)

    text = client.get(CSV, YEAR_2026).content.decode("utf-8-sig")

    assert "Orang Terlantar" not in text


def test_the_csv_link_keeps_the_filters(client, budi, intakes):
    client.force_login(budi)

    response = client.get(REPORT, YEAR_2026)

    assert f"{CSV}?date_from=2026-01-01&amp;date_to=2026-12-31" in response.text


def test_an_empty_period_says_so(client, budi, intakes):
    client.force_login(budi)

    response = client.get(REPORT, {"date_from": "2020-01-01", "date_to": "2020-12-31"})

    assert 'data-testid="report-empty"' in response.text
