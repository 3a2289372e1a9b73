"""The handover pages: the group page's card, sending, the receiver's queue and handover,
confirming, declining, the letters, the package download and the import page."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lk3.audit import actions
from lk3.audit.models import AccessEvent, AuditEvent
from lk3.cases.models import CaseStatus
from lk3.people.tests.builders import TODAY
from lk3.repatriation import handovers, packages
from lk3.repatriation.models import (
    DocumentKind,
    Handover,
    HandoverSource,
    HandoverStatus,
    PlanStatus,
    StrandedGroup,
)
from lk3.repatriation.tests.builders import NIK_ASEP, take_in
from lk3.repatriation.tests.handover_builders import (
    approved_group,
    decide_return,
    issue_letter,
    lone_traveller,
    make_plan,
    send,
    unzip,
)


def _login(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(name, target, **kwargs):
    return reverse(f"repatriation:{name}", kwargs={"public_id": target.public_id, **kwargs})


# -- the sender --------------------------------------------------------------------------------


def test_the_group_page_offers_sending_and_the_package(client, budi, dinsos_garut):
    group = approved_group(budi, receiving_organisation=dinsos_garut)

    page = _login(client, budi).get(_url("group_detail", group)).content.decode()

    assert 'data-testid="handover-card"' in page
    assert _url("handover_send", group) in page
    assert _url("package_export", group) in page


def test_sending_from_the_card(client, budi, dinsos_garut):
    group = approved_group(budi, receiving_organisation=dinsos_garut)

    response = _login(client, budi).post(
        _url("handover_send", group), {"sent_on": timezone.localdate().isoformat()}
    )

    assert response.status_code == 302
    assert response.url == _url("group_detail", group)
    handover = Handover.objects.get(group=group)
    assert handover.status == HandoverStatus.SENT
    page = client.get(response.url).content.decode()
    assert "Send the handover" not in page
    assert 'data-status="sent"' in page


def test_sending_a_plan_not_approved_says_why(client, budi):
    group = take_in(budi)
    decide_return(group)
    make_plan(group, budi, status=PlanStatus.SUBMITTED)

    response = _login(client, budi).post(_url("handover_send", group), {}, follow=True)

    assert "not approved yet" in response.content.decode()
    assert not Handover.objects.exists()


def test_a_counsellor_without_access_cannot_send(client, budi, dewi):
    group = approved_group(budi)

    response = _login(client, dewi).post(_url("handover_send", group), {})

    assert response.status_code in (403, 404)
    assert not Handover.objects.exists()


def test_the_sender_records_an_external_arrival(client, budi):
    handover = send(budi)
    group = StrandedGroup.objects.get(handovers=handover)
    page = _login(client, budi).get(_url("group_detail", group)).content.decode()
    assert _url("handover_record_arrival", handover) in page

    response = client.post(
        _url("handover_record_arrival", handover),
        {
            "arrival-arrived_on": timezone.localdate().isoformat(),
            "arrival-received_by_name": "Euis",
        },
    )

    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ARRIVED
    assert StrandedGroup.objects.get(pk=group.pk).case.status == CaseStatus.CLOSED


def test_recording_an_arrival_with_bad_input_shows_the_form_again(client, budi):
    handover = send(budi)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()

    response = _login(client, budi).post(
        _url("handover_record_arrival", handover),
        {"arrival-arrived_on": future, "arrival-received_by_name": "Euis"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be in the future" in page
    assert 'value="Euis"' in page  # nothing lost
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.SENT


def test_the_sender_cannot_record_an_arrival_the_receiver_confirms(client, budi, dinsos_garut):
    handover = send(budi, receiving_organisation=dinsos_garut)

    response = _login(client, budi).post(
        _url("handover_record_arrival", handover),
        {"arrival-arrived_on": TODAY.isoformat(), "arrival-received_by_name": "Euis"},
    )

    assert response.status_code == 403
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.SENT


def test_the_package_download(client, budi):
    group = approved_group(budi)
    issue_letter(budi, group)

    response = _login(client, budi).get(_url("package_export", group))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"serah-terima-{group.number}.zip" in response["Content-Disposition"]
    assert packages.package_read(response.content)["handover"]["group"]["number"] == group.number
    assert AuditEvent.objects.filter(action=actions.HANDOVER_EXPORTED).count() == 1
    assert AccessEvent.objects.filter(purpose="handover_package").count() == 1


def test_no_package_download_for_a_plan_not_approved(client, budi):
    group = take_in(budi)
    decide_return(group)
    make_plan(group, budi, status=PlanStatus.DRAFT)

    response = _login(client, budi).get(_url("package_export", group), follow=True)

    assert response.redirect_chain[0][0] == _url("group_detail", group)
    assert "only for an approved return plan" in response.content.decode()


# -- the receiver --------------------------------------------------------------------------------


def test_the_queue_lists_waiting_handovers_first(client, budi, dinsos_garut, dadang):
    answered = send(budi, receiving_organisation=dinsos_garut)
    handovers.handover_decline(actor=dadang, handover=answered, reason="Bukan warga Garut")
    waiting = send(budi, receiving_organisation=dinsos_garut, persons=lone_traveller(budi))

    page = _login(client, dadang).get(reverse("repatriation:handover_queue")).content.decode()

    assert page.index(_url("handover_detail", waiting)) < page.index(
        _url("handover_detail", answered)
    )


def test_the_queue_costs_the_same_queries_for_one_handover_or_three(
    client, budi, dinsos_garut, dadang
):
    def queue_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("repatriation:handover_queue"))
        assert response.status_code == 200
        return len(captured)

    family = send(budi, receiving_organisation=dinsos_garut)
    _login(client, dadang)
    queue_queries()  # the first request after logging in also reads and rotates the session
    one = queue_queries()
    for name in ("Ujang Suherman", "Cecep Gorbachev"):
        send(budi, receiving_organisation=dinsos_garut, persons=lone_traveller(budi, name))

    assert queue_queries() == one
    rows = client.get(reverse("repatriation:handover_queue")).context["rows"]
    assert {(row.pk, count) for row, count in rows} >= {(family.pk, 3)}


def test_the_queue_is_for_the_receiving_desk(client, sari):
    response = _login(client, sari).get(reverse("repatriation:handover_queue"))

    assert response.status_code == 403


def test_the_receiver_sees_the_travellers_but_not_the_health_note_or_the_case(
    client, budi, dinsos_garut, dadang
):
    group = approved_group(budi, receiving_organisation=dinsos_garut)
    group.members.update(health_note="Riwayat depresi berat, minum obat rutin.")
    issue_letter(budi, group)
    handover = handovers.handover_send(actor=budi, group=group, sent_on=TODAY, today=TODAY)

    response = _login(client, dadang).get(_url("handover_detail", handover))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Asep Saepudin" in page
    assert NIK_ASEP in page
    assert "Kabupaten Garut" in page
    assert "Fit to travel" in page
    assert "Riwayat depresi" not in page
    assert group.case.number not in page
    assert reverse("cases:case_detail", kwargs={"public_id": group.case.public_id}) not in page
    assert AccessEvent.objects.filter(purpose="handover").exists()


def test_another_organisation_does_not_reach_the_handover(client, budi, rudi, dinsos_garut):
    handover = send(budi, receiving_organisation=dinsos_garut)

    response = _login(client, rudi).get(_url("handover_detail", handover))

    assert response.status_code == 404


def test_confirming_in_the_queue_closes_the_senders_case(client, budi, dinsos_garut, dadang):
    handover = send(budi, receiving_organisation=dinsos_garut)

    response = _login(client, dadang).post(
        _url("handover_confirm", handover),
        {
            "arrival-arrived_on": timezone.localdate().isoformat(),
            "arrival-received_by_name": "Euis",
        },
    )

    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ARRIVED
    assert StrandedGroup.objects.get(handovers=handover).case.status == CaseStatus.CLOSED
    # A double submit changes nothing.
    again = client.post(
        _url("handover_confirm", handover),
        {"arrival-arrived_on": timezone.localdate().isoformat(), "arrival-received_by_name": "X"},
    )
    assert again.status_code == 302
    handover.refresh_from_db()
    assert handover.received_by_name == "Euis"


def test_confirming_without_a_name_says_which_field(client, budi, dinsos_garut, dadang):
    handover = send(budi, receiving_organisation=dinsos_garut)

    response = _login(client, dadang).post(
        _url("handover_confirm", handover), {"arrival-arrived_on": TODAY.isoformat()}
    )

    assert response.status_code == 200
    assert "Write the name of the person who received the travellers." in response.content.decode()
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.SENT


def test_declining_needs_a_reason_then_returns_the_plan(client, budi, dinsos_garut, dadang):
    handover = send(budi, receiving_organisation=dinsos_garut)
    _login(client, dadang)

    empty = client.post(_url("handover_decline", handover), {"decline-reason": " "})
    assert empty.status_code == 200
    assert "Say why the handover is declined." in empty.content.decode()

    response = client.post(
        _url("handover_decline", handover), {"decline-reason": "Keluarga tidak ditemukan"}
    )
    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.DECLINED
    assert StrandedGroup.objects.get(handovers=handover).plan.status == PlanStatus.DRAFT


def test_declining_an_arrived_handover_is_refused_on_the_page(client, budi, dinsos_garut, dadang):
    handover = send(budi, receiving_organisation=dinsos_garut)
    handovers.handover_confirm_arrival(
        actor=dadang,
        handover=handover,
        arrived_on=timezone.localdate(),
        received_by_name="Euis",
    )

    response = _login(client, dadang).post(
        _url("handover_decline", handover), {"decline-reason": "Terlambat"}
    )

    assert response.status_code == 200
    assert "cannot be declined" in response.content.decode()


def test_the_receiver_downloads_a_letter(client, budi, dinsos_garut, dadang):
    group = approved_group(budi, receiving_organisation=dinsos_garut)
    document = issue_letter(budi, group)
    handover = handovers.handover_send(actor=budi, group=group, sent_on=TODAY, today=TODAY)
    _login(client, dadang)

    response = client.get(_url("handover_letter", handover, position=1))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    with document.letter.pdf.open("rb") as stream:
        assert b"".join(response.streaming_content) == stream.read()
    assert AccessEvent.objects.filter(purpose="handover_letter").count() == 1
    assert client.get(_url("handover_letter", handover, position=2)).status_code == 404


def test_the_receiver_downloads_a_letter_of_an_imported_handover(
    client, budi, dinsos_garut, dadang
):
    group = approved_group(budi)
    issue_letter(budi, group, DocumentKind.HANDOVER)
    data = packages.package_build(actor=budi, group=group)
    handover = packages.package_import(actor=dadang, organisation=dinsos_garut, data=data)

    response = _login(client, dadang).get(_url("handover_letter", handover, position=1))

    assert response.status_code == 200
    name = handover.payload["letters"][0]["file"]
    assert b"".join(response.streaming_content) == unzip(data)[name]


# -- the import page -----------------------------------------------------------------------------


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("paket.zip", data, content_type="application/zip")


def test_importing_on_the_page(client, budi, dinsos_garut, dadang):
    data = packages.package_build(actor=budi, group=approved_group(budi))

    response = _login(client, dadang).post(
        reverse("repatriation:package_import"), {"package": _upload(data)}
    )

    handover = Handover.objects.get(source=HandoverSource.IMPORTED)
    assert response.status_code == 302
    assert response.url == _url("handover_detail", handover)
    page = client.get(response.url).content.decode()
    assert "Asep Saepudin" in page
    assert "imported from a package" in page


def test_the_import_page_shows_why_a_package_is_refused(client, budi, dinsos_garut, dadang):
    data = packages.package_build(actor=budi, group=approved_group(budi))

    response = _login(client, dadang).post(
        reverse("repatriation:package_import"), {"package": _upload(data[: len(data) // 2])}
    )

    assert response.status_code == 200
    assert "truncated or damaged" in response.content.decode()
    assert not Handover.objects.filter(source=HandoverSource.IMPORTED).exists()


def test_the_import_page_speaks_indonesian_by_default(client, budi, dinsos_garut, dadang):
    client.force_login(dadang)

    response = client.post(reverse("repatriation:package_import"), {})

    assert response.status_code == 200
    assert 'lang="id"' in response.content.decode()


def test_the_import_page_is_for_the_receiving_desk(client, sari):
    response = _login(client, sari).get(reverse("repatriation:package_import"))

    assert response.status_code == 403
