"""The export pages: who may download which list, and that every download is recorded."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse

from lk3.audit import actions
from lk3.audit.models import AccessEvent, AuditEvent
from lk3.audit.services import record_reference
from lk3.cases.tests.builders import open_case
from lk3.people.tests.builders import NIK_SITI, make_person

pytestmark = pytest.mark.django_db

EXPORTERS = ["budi", "sari", "putri", "intan"]
REFUSED = ["rina", "pak_agus", "mitra_ppa", "viewer", "pak_hendra"]


def _url(kind: str, file_format: str = "csv") -> str:
    return reverse("reports:export", kwargs={"kind": kind, "file_format": file_format})


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize("username", EXPORTERS)
def test_casework_roles_see_the_export_page_with_every_list(client, request, username):
    # given
    client.force_login(request.getfixturevalue(username))
    # when
    response = client.get(reverse("reports:exports"))
    # then
    assert response.status_code == 200
    assert [entry["kind"].code for entry in response.context["entries"]] == [
        "cases",
        "persons",
        "referrals",
    ]
    assert b'data-testid="export-cases-xlsx"' in response.content


@pytest.mark.parametrize("username", REFUSED)
def test_other_roles_may_not_export(client, request, username):
    # given
    client.force_login(request.getfixturevalue(username))
    # when
    page = client.get(reverse("reports:exports"))
    downloads = [client.get(_url(kind)).status_code for kind in ("cases", "persons", "referrals")]
    # then
    assert page.status_code == 403
    assert downloads == [403, 403, 403]
    assert not AccessEvent.objects.filter(purpose__startswith="export_").exists()


@pytest.mark.parametrize(("kind", "file_format"), [("diaries", "csv"), ("cases", "pdf")])
def test_an_unknown_kind_or_format_is_not_found(client, budi, kind, file_format):
    # given
    client.force_login(budi)
    # when
    response = client.get(_url(kind, file_format))
    # then
    assert response.status_code == 404


def test_anonymous_is_sent_to_log_in(client, lk3_bontang):
    # when
    response = client.get(_url("cases"))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_csv_download_is_streamed_and_recorded_with_its_row_count(client, budi):
    # given
    open_case(budi, make_person(budi, "Siti Aminah"))
    open_case(budi, make_person(budi, "Rizki Pratama"))
    client.force_login(budi)
    # when
    response = client.get(_url("cases"), {"status": "open"})
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="ekspor-cases-')
    assert len(_csv_rows(response)) == 3
    access = AccessEvent.objects.get(purpose="export_cases")
    assert (access.actor, access.organisation) == (budi, budi.organisation)
    assert (access.target_type, access.target_id) == (
        "accounts.organisation",
        record_reference(budi.organisation),
    )
    audit = AuditEvent.objects.get(action=actions.LIST_EXPORTED)
    assert audit.actor == budi
    assert audit.changes == {
        "kind": [None, "cases"],
        "format": [None, "csv"],
        "rows": [None, 2],
        "filters": [None, {"status": "open"}],
    }


def test_an_xlsx_download_reads_back_and_is_recorded(client, budi):
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    # given
    make_person(budi, "Siti Aminah", nik=NIK_SITI, nik_absence="")
    client.force_login(budi)
    # when
    response = client.get(_url("persons", "xlsx"))
    # then
    assert response.status_code == 200
    assert NIK_SITI.encode() not in response.content
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert "6474********0003" in rows[1]
    audit = AuditEvent.objects.get(action=actions.LIST_EXPORTED)
    assert audit.changes["format"] == [None, "xlsx"]
    assert audit.changes["rows"] == [None, 1]
    assert AccessEvent.objects.filter(purpose="export_persons", actor=budi).count() == 1


def test_an_unknown_filter_value_is_refused_with_the_field_named(client, budi):
    # given
    client.force_login(budi)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # when
    response = client.get(_url("cases"), {"status": "lost"}, HTTP_ACCEPT_LANGUAGE="en")
    # then
    assert response.status_code == 400
    assert response.context["errors"] == ["Status: “lost” is not one of the choices."]
    assert not AuditEvent.objects.filter(action=actions.LIST_EXPORTED).exists()
    assert not AccessEvent.objects.filter(purpose="export_cases").exists()


def test_the_counsellors_download_holds_only_her_cases(client, budi, sari, dewi):
    # given
    mine = open_case(budi, make_person(budi, "Siti Aminah"))
    open_case(budi, make_person(budi, "Rizki Pratama"), lead_counsellor=dewi)
    client.force_login(sari)
    # when
    response = client.get(_url("cases"))
    # then
    rows = _csv_rows(response)
    assert [row[0] for row in rows[1:]] == [mine.number]
    assert AuditEvent.objects.get(action=actions.LIST_EXPORTED).changes["rows"] == [None, 1]
