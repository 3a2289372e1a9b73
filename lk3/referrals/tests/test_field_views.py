"""The field-report pages: the officer's form (plain and sent by script), list and status page;
the intake queue and the desk's actions."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_user, tiny_png
from lk3.cases.models import Case
from lk3.cases.tests.builders import FAMILY_PMKS, intake_channel, open_case, pmks
from lk3.people.tests.builders import make_person
from lk3.referrals import field_reports
from lk3.referrals.models import FieldReport, FieldReportStatus, Urgency
from lk3.referrals.tests.field_builders import WHAT_HAPPENED, file_report

NEW = reverse("referrals:field_report_create")
MINE = reverse("referrals:field_report_mine")
QUEUE = reverse("referrals:field_report_queue")
SCRIPT = {"HTTP_X_FIELD_DRAFT": "1"}


def detail(report: FieldReport) -> str:
    return reverse("referrals:field_report_detail", args=[report.public_id])


def _form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "draft_key": str(uuid.uuid4()),
        "person_name": "Ibu Wati",
        "kelurahan": "64.74.01.1003",
        "rt": "4",
        "rw": "2",
        "address": "Belakang masjid",
        "what_happened": WHAT_HAPPENED,
        "urgency": Urgency.SOON,
    }
    data.update(overrides)
    return data


def _take(intan, report, person):
    return field_reports.field_report_take_into_case(
        actor=intan,
        report=report,
        person=person,
        intake_channel=intake_channel("bhabinkamtibmas"),
        pmks_categories=pmks(),
        presenting_problem=report.what_happened,
        risk_level="medium",
        lead_counsellor=None,
    )


@pytest.fixture
def pak_joko(lk3_bontang):
    """Another field officer of LK3 Bontang (a Babinsa)."""
    return make_user("pak_joko", "field_officer", lk3_bontang, ["64.74.02.1001"])


# -- the form -----------------------------------------------------------------------------------


def test_the_form_offers_the_officers_kelurahan_first(client, pak_agus):
    client.force_login(pak_agus)

    response = client.get(NEW)

    assert response.status_code == 200
    choices = list(response.context["form"].fields["kelurahan"].choices)
    assert choices[1][0] == "64.74.01.1003"
    assert len(choices) > 10  # the rest of the city follows
    assert response.context["form"].initial["kelurahan"] == "64.74.01.1003"
    body = response.content.decode()
    assert 'name="draft_key"' in body
    assert "js/field_report.js" in body
    assert "<script>" not in body  # strict CSP: no inline script


def test_the_form_carries_its_messages_for_the_script(client, pak_agus):
    client.force_login(pak_agus)

    body = client.get(NEW).content.decode()

    for name in ("offline", "sending", "restored", "failed", "check"):
        assert f"data-text-{name}=" in body
    assert f'data-draft-owner="{pak_agus.public_id}"' in body


def test_a_plain_post_files_the_report_and_shows_its_status(client, pak_agus, intan):
    client.force_login(pak_agus)

    response = client.post(NEW, _form_data())

    report = FieldReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(report)
    assert (report.person_name, report.urgency, report.rt) == ("Ibu Wati", Urgency.SOON, "4")


def test_sending_the_same_draft_again_keeps_one_report(client, pak_agus):
    client.force_login(pak_agus)
    data = _form_data()

    first = client.post(NEW, data)
    again = client.post(NEW, data, **SCRIPT)

    report = FieldReport.objects.get()
    assert first["Location"] == detail(report)
    assert again.json() == {"url": detail(report)}


def test_bad_input_shows_the_form_again_with_the_field_marked(client, pak_agus):
    client.force_login(pak_agus)

    response = client.post(NEW, _form_data(rt="12a", person_name=""))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["rt"] == [str(field_reports.RT_RW_DIGITS)]
    assert errors["person_name"] == [str(field_reports.NEEDS_NAME)]
    assert 'id="id_rt_errors"' in response.content.decode()
    assert FieldReport.objects.count() == 0


def test_the_script_gets_the_errors_per_field(client, pak_agus):
    client.force_login(pak_agus)

    response = client.post(NEW, _form_data(what_happened="", kelurahan="64.72.01.1001"), **SCRIPT)

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"what_happened", "kelurahan"}
    assert FieldReport.objects.count() == 0


def test_a_photo_is_sent_with_the_form(client, pak_agus):
    client.force_login(pak_agus)

    client.post(NEW, _form_data(photo=SimpleUploadedFile("wati.png", tiny_png())))

    report = FieldReport.objects.get()
    response = client.get(reverse("referrals:field_report_photo", args=[report.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == tiny_png()


def test_a_request_declared_too_large_is_refused_before_it_is_read(client, pak_agus, settings):
    settings.LK3_ATTACHMENT_MAX_BYTES = 10
    client.force_login(pak_agus)

    response = client.post(
        NEW, _form_data(photo=SimpleUploadedFile("foto.png", b"x" * 200_000)), **SCRIPT
    )

    assert response.status_code == 413
    assert list(response.json()["errors"]) == ["photo"]
    assert FieldReport.objects.count() == 0


def test_a_photo_growing_past_the_limit_is_refused(client, pak_agus, settings):
    settings.LK3_ATTACHMENT_MAX_BYTES = len(tiny_png()) - 1
    client.force_login(pak_agus)

    response = client.post(NEW, _form_data(photo=SimpleUploadedFile("foto.png", tiny_png())))

    assert response.status_code == 413
    assert "photo" in response.context["form"].errors
    assert FieldReport.objects.count() == 0


@pytest.mark.parametrize("username", ["intan", "sari", "budi", "mitra_ppa"])
def test_only_field_officers_file_reports(client, request, username):
    client.force_login(request.getfixturevalue(username))

    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _form_data()).status_code == 403
    assert FieldReport.objects.count() == 0


# -- the officer's reports ----------------------------------------------------------------------


def test_the_officer_sees_only_their_own_reports(client, pak_agus, pak_joko):
    mine = file_report(pak_agus, person_name="Ibu Wati")
    theirs = file_report(pak_joko, person_name="Pak Darto", kelurahan="64.74.02.1001")
    client.force_login(pak_agus)

    response = client.get(MINE)

    body = response.content.decode()
    assert detail(mine) in body
    assert "Pak Darto" not in body
    assert client.get(detail(theirs)).status_code == 404
    assert (
        client.get(reverse("referrals:field_report_photo", args=[theirs.public_id])).status_code
        == 404
    )


def test_the_officer_never_sees_the_case(client, pak_agus, intan, sari):
    report = file_report(pak_agus)
    case = _take(intan, report, make_person(intan, "Wati Susanti"))
    Case.objects.filter(pk=case.pk).update(lead_counsellor=sari)
    client.force_login(pak_agus)

    pages = [client.get(MINE), client.get(detail(report))]

    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        assert case.number not in body
        assert str(case.public_id) not in body
        assert "/cases/" not in body
        assert sari.full_name not in body
        assert intan.full_name not in body
        assert "Wati Susanti" not in body  # the registered name is the case's, not the report's
    assert 'data-status="handled"' in pages[1].content.decode()


def test_the_officer_cannot_act_on_their_own_report(client, pak_agus, intan):
    report = file_report(pak_agus)
    client.force_login(pak_agus)

    done = client.post(
        reverse("referrals:field_report_done", args=[report.public_id]), {"note": "Selesai"}
    )

    assert done.status_code == 403
    assert client.get(QUEUE).status_code == 403
    report.refresh_from_db()
    assert report.status == FieldReportStatus.RECEIVED


@pytest.mark.parametrize("username", ["sari", "putri", "rina", "mitra_ppa", "rudi"])
def test_reports_are_out_of_reach_for_everyone_else(client, request, pak_agus, username):
    report = file_report(pak_agus)
    client.force_login(request.getfixturevalue(username))

    assert client.get(detail(report)).status_code == 404


# -- the intake desk ----------------------------------------------------------------------------


def test_the_queue_shows_the_most_urgent_then_the_newest(client, pak_agus, intan):
    older_normal = file_report(pak_agus, person_name="Satu")
    urgent = file_report(pak_agus, person_name="Dua", urgency=Urgency.URGENT)
    newer_normal = file_report(pak_agus, person_name="Tiga")
    soon = file_report(pak_agus, person_name="Empat", urgency=Urgency.SOON)
    client.force_login(intan)

    response = client.get(QUEUE)

    order = [row["public_id"] for row in response.context["rows"]]
    assert order == [r.public_id for r in (urgent, soon, newer_normal, older_normal)]


def test_the_queue_filters_by_status_and_kelurahan(client, pak_agus, pak_joko, intan):
    waiting = file_report(pak_agus, person_name="Satu")
    elsewhere = file_report(pak_joko, person_name="Dua", kelurahan="64.74.02.1001")
    done = file_report(pak_agus, person_name="Tiga")
    field_reports.field_report_mark_done(actor=intan, report=done, note="Pindah ke luar kota.")
    client.force_login(intan)

    def shown(query: dict[str, str]) -> set[uuid.UUID]:
        return {row["public_id"] for row in client.get(QUEUE, query).context["rows"]}

    assert shown({}) == {waiting.public_id, elsewhere.public_id}
    assert shown({"status": "done"}) == {done.public_id}
    assert shown({"status": "all"}) == {waiting.public_id, elsewhere.public_id, done.public_id}
    assert shown({"kelurahan": "64.74.02.1001"}) == {elsewhere.public_id}


def test_the_queue_shows_only_the_organisations_reports(client, pak_agus, rudi, lk3_samarinda):
    samarinda_officer = make_user("pak_yohanes", "field_officer", lk3_samarinda)
    village = "64.72.01.1001"
    file_report(samarinda_officer, kelurahan=village, person_name="Samarinda")
    file_report(pak_agus, person_name="Bontang")
    client.force_login(rudi)

    rows = client.get(QUEUE).context["rows"]

    assert [row["person_name"] for row in rows] == ["Samarinda"]


def test_the_queue_query_count_is_pinned(client, pak_agus, intan, django_assert_num_queries):
    for index in range(8):
        file_report(pak_agus, person_name=f"Warga {index}", urgency=Urgency.URGENT)
    client.force_login(intan)
    client.get(QUEUE)

    with django_assert_num_queries(6):
        response = client.get(QUEUE, {"status": "all"})

    assert len(response.context["rows"]) == 8


def test_the_officers_list_query_count_is_pinned(client, pak_agus, django_assert_num_queries):
    for index in range(8):
        file_report(pak_agus, person_name=f"Warga {index}")
    client.force_login(pak_agus)
    client.get(MINE)

    with django_assert_num_queries(5):
        response = client.get(MINE)

    assert len(response.context["rows"]) == 8


def test_the_desk_page_finds_the_reported_name_in_the_registry(client, pak_agus, intan):
    report = file_report(pak_agus, person_name="Wati Susanti")
    wati = make_person(intan, "Wati Susanti")
    client.force_login(intan)

    response = client.get(detail(report))

    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("referrals:field_report_take", args=[report.public_id, wati.public_id]) in body
    assert reverse("people:person_create") in body


def test_the_desk_takes_a_report_into_a_case_from_the_page(client, pak_agus, intan, sari):
    report = file_report(pak_agus, urgency=Urgency.URGENT)
    wati = make_person(intan, "Wati Susanti")
    url = reverse("referrals:field_report_take", args=[report.public_id, wati.public_id])
    client.force_login(intan)

    form = client.get(url)
    assert form.context["form"].initial["intake_channel"] == intake_channel("bhabinkamtibmas").pk
    assert form.context["form"].initial["risk_level"] == "high"
    data = {
        "intake_channel": intake_channel("bhabinkamtibmas").pk,
        "presenting_problem": WHAT_HAPPENED,
        "pmks_categories": [pmks(FAMILY_PMKS)[0].pk],
        "risk_level": "high",
        "lead_counsellor": str(sari.public_id),
    }
    response = client.post(url, data)
    again = client.post(url, data)

    case = Case.objects.get()
    assert response["Location"] == reverse("cases:case_detail", args=[case.public_id])
    assert again.status_code == 302
    assert (case.client, case.lead_counsellor) == (wati, sari)
    report.refresh_from_db()
    assert (report.case, report.status) == (case, FieldReportStatus.HANDLED)


def test_taking_into_a_case_without_pmks_names_the_field(client, pak_agus, intan):
    report = file_report(pak_agus)
    wati = make_person(intan, "Wati Susanti")
    client.force_login(intan)

    response = client.post(
        reverse("referrals:field_report_take", args=[report.public_id, wati.public_id]),
        {
            "intake_channel": intake_channel("bhabinkamtibmas").pk,
            "presenting_problem": "x",
            "risk_level": "medium",
        },
    )

    assert response.status_code == 200
    assert "pmks_categories" in response.context["form"].errors
    assert Case.objects.count() == 0


def test_the_desk_links_a_report_to_the_persons_open_case(client, pak_agus, intan, budi):
    wati = make_person(intan, "Wati Susanti")
    case = open_case(budi, wati)
    report = file_report(pak_agus, person_name="Wati Susanti")
    client.force_login(intan)

    page = client.get(detail(report)).content.decode()
    assert case.number in page
    response = client.post(
        reverse("referrals:field_report_link", args=[report.public_id]),
        {"case": str(case.public_id)},
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.case == case
    assert case.number in client.get(detail(report)).content.decode()


def test_the_desk_marks_a_report_done_with_a_note(client, pak_agus, intan):
    report = file_report(pak_agus)
    client.force_login(intan)
    url = reverse("referrals:field_report_done", args=[report.public_id])

    empty = client.post(url, {"note": ""})
    report.refresh_from_db()
    assert empty.status_code == 200
    assert report.status == FieldReportStatus.RECEIVED

    done = client.post(url, {"note": "Sudah dibantu Puskesmas."})
    report.refresh_from_db()
    assert done.status_code == 302
    assert report.status == FieldReportStatus.DONE


def test_the_desk_cannot_take_another_organisations_person(client, pak_agus, intan, rudi):
    report = file_report(pak_agus)
    stranger = make_person(rudi, "Wati Susanti")
    client.force_login(intan)

    response = client.get(
        reverse("referrals:field_report_take", args=[report.public_id, stranger.public_id])
    )

    assert response.status_code == 404
