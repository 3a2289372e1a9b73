"""Field-officer reports: filing (once per draft), bad input, photos, the intake desk taking them on,
and the status the officer sees."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from conftest import make_user, tiny_png
from lk3.accounts.roles import Role
from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.cases import services as case_services
from lk3.cases.models import Case, CaseStatus, ClosureOutcome, ClosureReason, Stage
from lk3.cases.tests.builders import intake_channel, move_to, open_case, pmks
from lk3.core.errors import DomainError
from lk3.people.tests.builders import make_person
from lk3.referrals import field_reports, field_selectors
from lk3.referrals.models import FieldReport, FieldReportStatus, Notification, Urgency
from lk3.referrals.tests.field_builders import WHAT_HAPPENED, file_report
from lk3.regions.models import Region


def _picture(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), (200, 10, 10)).save(buffer, format=kind)
    return buffer.getvalue()


def _take(actor, report, person, **overrides):
    values = {
        "actor": actor,
        "report": report,
        "person": person,
        "intake_channel": intake_channel("bhabinkamtibmas"),
        "pmks_categories": pmks(),
        "presenting_problem": report.what_happened,
        "risk_level": "medium",
    }
    values.update(overrides)
    return field_reports.field_report_take_into_case(**values)


def _close(actor, case: Case) -> Case:
    case = move_to(actor, case, Stage.TERMINATION)
    request = case_services.case_closure_request(
        actor=actor,
        case=case,
        reason=ClosureReason.GOALS_ACHIEVED,
        outcome=ClosureOutcome.IMPROVED,
        summary="Anak kembali diasuh neneknya.",
        expected_version=case.version,
    )
    return case_services.case_closure_approve(actor=actor, request=request)


def _shown(report: FieldReport) -> str:
    return field_selectors.field_report_for_page(report)["shown_status"]


# -- filing -------------------------------------------------------------------------------------


def test_a_report_is_filed_with_what_the_officer_wrote(pak_agus):
    report = file_report(pak_agus, person_name="  Ibu Wati  ", urgency=Urgency.URGENT)

    report.refresh_from_db()
    assert report.organisation == pak_agus.organisation
    assert report.reported_by == pak_agus
    assert report.person_name == "Ibu Wati"
    assert report.kelurahan_id == "64.74.01.1003"
    assert (report.rt, report.rw) == ("004", "002")
    assert report.what_happened == WHAT_HAPPENED
    assert report.status == FieldReportStatus.RECEIVED
    assert report.case is None


def test_filing_is_audited_without_what_was_reported(pak_agus):
    report = file_report(pak_agus)

    event = AuditEvent.objects.get(action=actions.FIELD_REPORT_FILED)
    assert event.target_id == str(report.public_id)
    assert event.actor == pak_agus
    assert WHAT_HAPPENED not in str(event.changes)
    assert "Ibu Wati" not in str(event.changes)


def test_filing_tells_the_intake_desk_without_case_content(pak_agus, intan, budi, sari, rudi):
    report = file_report(pak_agus)

    notes = Notification.objects.filter(kind=field_reports.NOTIFY_FILED)
    assert sorted(note.recipient.username for note in notes) == ["budi", "intan"]
    for note in notes:
        assert "Wati" not in note.text
        assert "malam" not in note.text
        assert note.url.endswith(f"/field/{report.public_id}/")


def test_the_same_draft_sent_twice_is_kept_once(pak_agus):
    key = uuid.uuid4()

    first = file_report(pak_agus, draft_key=key)
    again = file_report(pak_agus, draft_key=str(key), person_name="Ibu Wati (dikirim ulang)")

    assert again.pk == first.pk
    assert FieldReport.objects.count() == 1
    assert AuditEvent.objects.filter(action=actions.FIELD_REPORT_FILED).count() == 1
    assert Notification.objects.count() == 0  # nobody at the desk in this test


def test_two_officers_may_use_the_same_draft_id(pak_agus, lk3_bontang):
    from conftest import make_user

    other = make_user("pak_joko", "field_officer", lk3_bontang, ["64.74.01.1003"])
    key = uuid.uuid4()

    file_report(pak_agus, draft_key=key)
    file_report(other, draft_key=key)

    assert FieldReport.objects.count() == 2


def _samarinda_village() -> str:
    return Region.objects.filter(parent__parent__code="64.72").values_list("code", flat=True)[0]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("person_name", "   ", field_reports.NEEDS_NAME),
        ("kelurahan", "", field_reports.NEEDS_KELURAHAN),
        ("kelurahan", "samarinda", field_reports.KELURAHAN_OUTSIDE),
        ("rt", "12a", field_reports.RT_RW_DIGITS),
        ("rt", "1234", field_reports.RT_RW_DIGITS),
        ("rw", "-1", field_reports.RT_RW_DIGITS),
        ("what_happened", "  \n ", field_reports.NEEDS_WHAT_HAPPENED),
        ("urgency", "whenever", field_reports.BAD_URGENCY),
        ("draft_key", "not-a-uuid", field_reports.BAD_DRAFT),
    ],
)
def test_bad_input_is_refused_on_its_field(pak_agus, intan, field, value, message):
    if value == "samarinda":
        value = _samarinda_village()

    with pytest.raises(DomainError) as refused:
        file_report(pak_agus, **{field: value})

    assert refused.value.field == field
    assert refused.value.message == message
    assert FieldReport.objects.count() == 0
    assert AuditEvent.objects.filter(action=actions.FIELD_REPORT_FILED).count() == 0
    assert Notification.objects.count() == 0


def test_bad_input_reads_in_indonesian(pak_agus):
    # Needs the merged catalogue (/tmp/tr_field.po).
    with pytest.raises(DomainError) as refused:
        file_report(pak_agus, rt="12a")

    with translation.override("id"):
        assert str(refused.value.message) == "Tulis 1 sampai 3 angka, misalnya 004."


def test_empty_rt_and_rw_are_allowed(pak_agus):
    report = file_report(pak_agus, rt="", rw="")

    assert (report.rt, report.rw) == ("", "")


# -- photos -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.png", tiny_png()),
        ("foto.jpg", _picture("JPEG")),
        ("foto.webp", _picture("WEBP")),
        ("foto.txt", tiny_png()),  # the content decides, not the name
    ],
)
def test_a_photo_is_kept_under_a_random_name(pak_agus, name, content):
    report = file_report(pak_agus, photo=SimpleUploadedFile(name, content))

    assert report.photo.name.startswith("field/")
    assert "foto" not in report.photo.name
    with report.photo.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"%PDF-1.4\n%%EOF\n", "type_not_allowed"),
        (b"GIF89a" + b"\x00" * 20, "type_not_allowed"),
        (b"\x7fELF" + b"\x00" * 20, "type_not_allowed"),
        (b"\x89PNG\r\n\x1a\n" + b"not really a picture", "damaged"),
        (b"", "empty"),
    ],
)
def test_a_photo_that_is_not_a_picture_is_refused(pak_agus, content, code):
    with pytest.raises(DomainError) as refused:
        file_report(pak_agus, photo=SimpleUploadedFile("foto.png", content))

    assert (refused.value.field, refused.value.code) == ("photo", code)
    assert FieldReport.objects.count() == 0


def test_a_photo_over_the_limit_is_refused(pak_agus, settings):
    content = tiny_png()
    settings.LK3_ATTACHMENT_MAX_BYTES = len(content) - 1

    with pytest.raises(DomainError) as refused:
        file_report(pak_agus, photo=SimpleUploadedFile("foto.png", content))

    assert (refused.value.field, refused.value.code) == ("photo", "too_large")
    assert FieldReport.objects.count() == 0


# -- the intake desk ----------------------------------------------------------------------------


def test_the_desk_takes_a_report_into_a_new_case(pak_agus, intan, sari):
    report = file_report(pak_agus)
    wati = make_person(intan, "Wati Susanti")

    case = _take(intan, report, wati, lead_counsellor=sari)

    report.refresh_from_db()
    assert report.case == case
    assert report.status == FieldReportStatus.HANDLED
    assert report.handled_by == intan
    assert report.status_changed_at is not None
    assert case.client == wati
    assert case.intake_channel.code == "bhabinkamtibmas"
    assert case.referrer_name == pak_agus.full_name
    assert case.kelurahan_id == report.kelurahan_id
    assert AuditEvent.objects.filter(action=actions.FIELD_REPORT_TAKEN).count() == 1


def test_taking_a_report_tells_the_officer_without_the_case(pak_agus, intan):
    report = file_report(pak_agus)

    case = _take(intan, report, make_person(intan, "Wati Susanti"))

    note = Notification.objects.get(recipient=pak_agus)
    assert note.kind == field_reports.NOTIFY_STATUS
    assert case.number not in note.text
    assert "Wati" not in note.text


def test_taking_a_report_twice_opens_one_case(pak_agus, intan):
    report = file_report(pak_agus)
    wati = make_person(intan, "Wati Susanti")

    first = _take(intan, report, wati)
    again = _take(intan, report, wati)

    assert again == first
    assert Case.objects.count() == 1


def test_the_desk_cannot_take_a_report_for_another_organisations_person(pak_agus, intan, rudi):
    report = file_report(pak_agus)
    stranger = make_person(rudi, "Wati Susanti")

    with pytest.raises(DomainError) as refused:
        _take(intan, report, stranger)

    assert refused.value.field == "person"
    assert Case.objects.count() == 0
    report.refresh_from_db()
    assert report.status == FieldReportStatus.RECEIVED


def test_a_failed_case_opening_leaves_the_report_waiting(pak_agus, intan):
    report = file_report(pak_agus)

    with pytest.raises(DomainError):
        _take(intan, report, make_person(intan, "Wati"), pmks_categories=[])

    report.refresh_from_db()
    assert (report.status, report.case) == (FieldReportStatus.RECEIVED, None)
    assert Notification.objects.filter(recipient=pak_agus).count() == 0


def test_the_desk_links_a_report_to_an_open_case(pak_agus, intan, budi):
    report = file_report(pak_agus)
    case = open_case(budi)

    field_reports.field_report_link_case(actor=intan, report=report, case=case)

    report.refresh_from_db()
    assert (report.case, report.status) == (case, FieldReportStatus.HANDLED)
    assert AuditEvent.objects.filter(action=actions.FIELD_REPORT_LINKED).count() == 1


def test_a_report_is_not_linked_to_another_organisations_case(pak_agus, intan, rudi):
    report = file_report(pak_agus)
    case = open_case(rudi)

    with pytest.raises(DomainError) as refused:
        field_reports.field_report_link_case(actor=intan, report=report, case=case)

    assert refused.value.field == "case"
    report.refresh_from_db()
    assert report.case is None


def test_marking_done_needs_a_note(pak_agus, intan):
    report = file_report(pak_agus)

    with pytest.raises(DomainError) as refused:
        field_reports.field_report_mark_done(actor=intan, report=report, note="  ")

    assert refused.value.field == "note"
    report.refresh_from_db()
    assert report.status == FieldReportStatus.RECEIVED


def test_marking_done_without_a_case(pak_agus, intan):
    report = file_report(pak_agus)

    field_reports.field_report_mark_done(
        actor=intan, report=report, note="Sudah ditangani Puskesmas Bontang Utara."
    )

    report.refresh_from_db()
    assert (report.status, report.handled_by, report.case) == (FieldReportStatus.DONE, intan, None)
    assert Notification.objects.filter(recipient=pak_agus).count() == 1
    with pytest.raises(DomainError):
        _take(intan, report, make_person(intan, "Wati"))


# -- the status the officer sees ----------------------------------------------------------------


def test_status_reads_done_once_the_case_closes(pak_agus, intan, budi):
    report = file_report(pak_agus)
    case = open_case(budi)
    field_reports.field_report_link_case(actor=intan, report=report, case=case)
    assert _shown(report) == FieldReportStatus.HANDLED

    closed = _close(budi, case)

    assert closed.status == CaseStatus.CLOSED
    report.refresh_from_db()
    assert report.status == FieldReportStatus.HANDLED  # stored: unchanged
    assert _shown(report) == FieldReportStatus.DONE
    row = field_selectors.my_field_reports(user=pak_agus).get()
    assert row["shown_status"] == FieldReportStatus.DONE


def test_status_reads_done_once_a_referral_of_its_case_is_completed(pak_agus, intan, budi):
    from lk3.referrals.models import ReferralStatus
    from lk3.referrals.tests.partner_builders import link_staff, make_partner
    from lk3.referrals.tests.referral_builders import answer, send_referral

    report = file_report(pak_agus)
    case = open_case(budi)
    field_reports.field_report_link_case(actor=intan, report=report, case=case)
    partner = make_partner(budi, "UPTD PPA Kota Bontang")
    staff = make_user("staf_ppa", Role.PARTNER, budi.organisation)
    link_staff(budi, partner, staff)
    referral = send_referral(budi, case=case, partner=partner)

    answer(staff, referral, ReferralStatus.ACCEPTED)
    assert _shown(report) == FieldReportStatus.HANDLED
    answer(staff, referral, ReferralStatus.COMPLETED, "Pendampingan selesai.")

    assert _shown(report) == FieldReportStatus.DONE
