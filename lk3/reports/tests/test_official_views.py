"""The official report pages: ask, watch, download; the template page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lk3.audit import actions
from lk3.audit.models import AccessEvent, AuditEvent
from lk3.reports import runs
from lk3.reports.models import ReportKind, ReportRun, RunStatus
from lk3.reports.tests.official_builders import NOVEMBER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def _done_run(actor):
    run = runs.run_request(
        actor=actor, kind=ReportKind.MONTHLY, date_from=NOVEMBER[0], date_to=NOVEMBER[1]
    )
    return runs.run_execute(run.pk)


def test_asking_for_a_month_creates_a_run_and_redirects(client, budi):
    client.force_login(budi)
    response = client.post(reverse("reports:official"), {"kind": "monthly", "month": "2026-11"})
    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:official_run", args=[run.public_id])
    assert (run.date_from, run.date_to) == NOVEMBER
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'hx-trigger="every 2s"' in page.content.decode()
    assert b"<progress" in page.content


def test_an_annual_report_for_a_year(client, budi):
    client.force_login(budi)
    client.post(reverse("reports:official"), {"kind": "annual", "year": "2025"})
    run = ReportRun.objects.get()
    assert (run.date_from.isoformat(), run.date_to.isoformat()) == ("2025-01-01", "2025-12-31")


def test_bad_input_is_shown_on_the_field(client, budi):
    client.force_login(budi)
    response = client.post(
        reverse("reports:official"),
        {"kind": "monthly", "date_from": "2026-11-30", "date_to": "2026-11-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]
    response = client.post(
        reverse("reports:official"), {"kind": "monthly", "month": "2026-11", "pmks": ["bukan"]}
    )
    assert response.context["form"].errors["pmks"]
    assert not ReportRun.objects.exists()


def test_status_stops_polling_when_done_and_links_the_files(client, budi):
    run = _done_run(budi)
    client.force_login(budi)
    response = client.get(reverse("reports:official_run_status", args=[run.public_id]))
    body = response.content.decode()
    assert "every 2s" not in body
    assert reverse("reports:official_download", args=[run.public_id, "pdf"]) in body
    assert reverse("reports:official_download", args=[run.public_id, "xlsx"]) in body


def test_download_is_logged_audited_and_private(client, budi):
    run = _done_run(budi)
    client.force_login(budi)
    response = client.get(reverse("reports:official_download", args=[run.public_id, "pdf"]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert 'filename="laporan-bulanan-lk3-bontang-2026-11.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AccessEvent.objects.filter(purpose="official_report").count() == 1
    assert AuditEvent.objects.filter(action=actions.REPORT_DOWNLOADED).count() == 1
    xlsx = client.get(reverse("reports:official_download", args=[run.public_id, "xlsx"]))
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].endswith('.xlsx"')


def test_another_reader_gets_404_and_nothing_is_logged(client, budi, pak_hendra):
    run = _done_run(budi)
    client.force_login(pak_hendra)
    for url in (
        reverse("reports:official_run", args=[run.public_id]),
        reverse("reports:official_download", args=[run.public_id, "pdf"]),
    ):
        assert client.get(url).status_code == 404
    assert not AccessEvent.objects.filter(purpose="official_report").exists()


def test_no_download_before_the_run_is_done(client, budi):
    run = runs.run_request(
        actor=budi, kind=ReportKind.MONTHLY, date_from=NOVEMBER[0], date_to=NOVEMBER[1]
    )
    client.force_login(budi)
    assert run.status == RunStatus.QUEUED
    url = reverse("reports:official_download", args=[run.public_id, "pdf"])
    assert client.get(url).status_code == 404


def test_roles_without_reports_get_403(client, sari):
    client.force_login(sari)
    assert client.get(reverse("reports:official")).status_code == 403


def test_coordinator_edits_the_template(client, budi):
    client.force_login(budi)
    url = reverse("reports:official_template", args=["monthly"])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "version": "0",
        "title": "Laporan Bulanan LK3",
        "introduction": "",
        "closing": "",
        "section_pmks": "on",
        "order_pmks": "2",
        "section_summary": "on",
        "order_summary": "1",
        "section_outcome": "on",
        "signatory_0_title": "Ketua LK3",
        "signatory_0_name": "Dra. Hj. Rahmawati",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    template = runs.template_for(budi.organisation, ReportKind.MONTHLY)
    assert template.sections == ["summary", "pmks", "outcome"]
    assert template.signatories == [{"title": "Ketua LK3", "name": "Dra. Hj. Rahmawati"}]
    # a second tab still on version 0 is refused as stale
    stale = client.post(url, {**data, "title": "Lain"})
    assert stale.status_code == 200
    assert runs.template_for(budi.organisation, ReportKind.MONTHLY).title == "Laporan Bulanan LK3"


def test_template_with_no_section_is_refused(client, budi):
    client.force_login(budi)
    url = reverse("reports:official_template", args=["annual"])
    response = client.post(url, {"version": "0", "title": "Laporan"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_template_page_for_others(client, pak_hendra, sari):
    url = reverse("reports:official_template", args=["monthly"])
    client.force_login(pak_hendra)
    assert client.get(url).status_code == 403
    client.force_login(sari)
    assert client.get(url).status_code == 403
