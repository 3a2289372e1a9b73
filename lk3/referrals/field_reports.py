"""Writes of field-officer reports: filing one, and the intake desk taking it on.

Rules:
- A field officer (``permissions.can_file_field_report``) files a report
  of a family in need: who, where (a kelurahan of the organisation's city,
  RT and RW of one to three digits), what happened, how urgent, and
  optionally one photo (JPEG, PNG or WebP recognised by its content, at
  most ``attachments.max_bytes()``).
- ``draft_key`` is the id the officer's phone gave the draft: sending the
  same draft again (a retry after a lost connection, a double tap) returns
  the report already filed, never a second one.
- Filing tells the organisation's intake officers and coordinator; a
  status change tells the officer. Notifications never carry what was
  reported (no names, no story): a phone's lock screen is not the file.
- The intake desk takes a received report into a case (a new case for a
  registered person, through ``cases.services.case_open``, or an open case
  the person already has) or marks it done without a case, with a note.
  The report then stays linked; doing it again is a no-op.
- The officer sees the status only: received, being handled, done. A
  report whose case has closed reads as done (``shown_status``), derived
  when reading, so closing a case needs no hook here.
- Every write is atomic and audited in the same transaction; the photo is
  written inside it and removed again if the transaction fails.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image

from lk3.accounts.models import Organisation, User
from lk3.accounts.roles import Role
from lk3.audit import actions
from lk3.audit.services import audit_record
from lk3.cases import attachments
from lk3.cases import services as case_services
from lk3.cases.models import Case, CaseStatus
from lk3.cases.permissions import cases_for_user
from lk3.core.concurrency import lock_for_edit
from lk3.core.errors import DomainError
from lk3.core.models import IntakeChannel, PmksCategory, ProblemType
from lk3.people.models import Person
from lk3.referrals.models import FieldReport, FieldReportStatus, Urgency
from lk3.referrals.notifications import notify
from lk3.regions.models import Region

# Audit action codes (a public contract: never renamed or reused).

NOTIFY_FILED = "field_report_filed"
NOTIFY_STATUS = "field_report_status"

NEEDS_NAME = _("Write the name of the person or family.")
NEEDS_KELURAHAN = _("Choose the kelurahan.")
KELURAHAN_OUTSIDE = _("Choose a kelurahan of your organisation's city.")
RT_RW_DIGITS = _("Write 1 to 3 digits, for example 004.")
NEEDS_WHAT_HAPPENED = _("Write what happened.")
BAD_URGENCY = _("Choose how urgent it is.")
BAD_DRAFT = _("The form is out of date: reload the page and send it again.")
PHOTO_EMPTY = _("The photo is empty.")
PHOTO_TOO_LARGE = _("The photo is too large: at most %(limit)s.")
PHOTO_NOT_ALLOWED = _("Only JPEG, PNG or WebP photos can be sent.")
PHOTO_DAMAGED = _("This photo is damaged or not really a picture: choose another one.")
REPORT_DONE_ALREADY = _("This report is already done.")
REPORT_HAS_CASE = _("This report is already linked to a case.")
NEEDS_PERSON = _("Choose the registered person the case is about.")
PERSON_OTHER_ORGANISATION = _("This person is registered by another organisation.")
CASE_NOT_REACHABLE = _("Choose an open case of this organisation.")
DONE_NEEDS_NOTE = _("Say why the report is done without a case.")

RT_RW = re.compile(r"^[0-9]{1,3}$")
PHOTO_TYPES = (attachments.JPEG, attachments.PNG, attachments.WEBP)
# Which intake channel a case opened from a report gets, by the officer's function.
CHANNEL_BY_FUNCTION = {
    "bhabinkamtibmas": "bhabinkamtibmas",
    "babinsa": "babinsa",
    "tksk": "tksk",
    "psm": "psm",
}
DEFAULT_CHANNEL = "bhabinkamtibmas"


# -- photo -----------------------------------------------------------------------------------


def photo_check(upload: UploadedFile) -> attachments.FileType:
    """The photo's real type (by content, never by its name), or a refusal on ``photo``."""
    if not upload.size:
        raise DomainError(PHOTO_EMPTY, code="empty", field="photo")
    if upload.size > attachments.max_bytes():
        raise photo_too_large_error()
    stream: Any = upload.file
    stream.seek(0)
    head = stream.read(attachments.HEAD_BYTES)
    file_type = attachments.sniff(head)
    if file_type not in PHOTO_TYPES:
        raise DomainError(PHOTO_NOT_ALLOWED, code="type_not_allowed", field="photo")
    stream.seek(0)
    try:
        with Image.open(stream, formats=[attachments.PILLOW_FORMATS[file_type]]) as image:
            image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise DomainError(PHOTO_DAMAGED, code="damaged", field="photo") from error
    stream.seek(0)
    return file_type


def photo_too_large_error() -> DomainError:
    return DomainError(
        PHOTO_TOO_LARGE,
        code="too_large",
        field="photo",
        params={"limit": filesizeformat(attachments.max_bytes())},
    )


# -- filing ----------------------------------------------------------------------------------


def kelurahan_of_organisation(organisation: Organisation) -> QuerySet[Region]:
    """The kelurahan/desa of the organisation's city (through the parent index, as caseload does)."""
    return Region.objects.filter(parent__parent__code=organisation.region_id, is_active=True)


def _clean_kelurahan(organisation: Organisation, kelurahan: Region | str | None) -> Region:
    code = kelurahan.code if isinstance(kelurahan, Region) else (kelurahan or "")
    if not code:
        raise DomainError(NEEDS_KELURAHAN, code="needs_kelurahan", field="kelurahan")
    found = kelurahan_of_organisation(organisation).filter(code=code).first()
    if found is None:
        raise DomainError(KELURAHAN_OUTSIDE, code="kelurahan_outside", field="kelurahan")
    return found


def rt_rw_check(value: str, field: str) -> str:
    value = (value or "").strip()
    if value and not RT_RW.match(value):
        raise DomainError(RT_RW_DIGITS, code="rt_rw_digits", field=field)
    return value


def _draft_uuid(draft_key: uuid.UUID | str) -> uuid.UUID:
    try:
        return draft_key if isinstance(draft_key, uuid.UUID) else uuid.UUID(str(draft_key))
    except ValueError as error:
        raise DomainError(BAD_DRAFT, code="bad_draft", field="draft_key") from error


@transaction.atomic
def field_report_file(
    *,
    actor: User,
    draft_key: uuid.UUID | str,
    person_name: str,
    kelurahan: Region | str | None,
    what_happened: str,
    urgency: str = Urgency.NORMAL,
    rt: str = "",
    rw: str = "",
    address: str = "",
    photo: UploadedFile | None = None,
) -> FieldReport:
    """File the officer's report, or return the one this draft already became."""
    key = _draft_uuid(draft_key)
    already = FieldReport.objects.filter(reported_by=actor, draft_key=key).first()
    if already is not None:
        return already
    organisation = actor.organisation
    assert organisation is not None
    if urgency not in Urgency.values:
        raise DomainError(BAD_URGENCY, code="bad_urgency", field="urgency")
    report = FieldReport(
        organisation=organisation,
        reported_by=actor,
        draft_key=key,
        person_name=_required(person_name, NEEDS_NAME, "person_name"),
        kelurahan=_clean_kelurahan(organisation, kelurahan),
        rt=rt_rw_check(rt, "rt"),
        rw=rt_rw_check(rw, "rw"),
        address=(address or "").strip(),
        what_happened=_required(what_happened, NEEDS_WHAT_HAPPENED, "what_happened"),
        urgency=urgency,
    )
    file_type = photo_check(photo) if photo is not None else None
    # The draft constraint is the database's to enforce (a race ends in the except below).
    report.full_clean(exclude=["photo"], validate_constraints=False)
    stored = _store_photo(report, photo, file_type)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # The same draft arrived twice at once: the other request filed it.
        _remove_photo(stored)
        return FieldReport.objects.get(reported_by=actor, draft_key=key)
    try:
        _record_filed(actor, report)
    except BaseException:
        _remove_photo(stored)
        raise
    return report


def _required(value: str, message: Any, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(message, code="required", field=field)
    return text


def _store_photo(
    report: FieldReport, photo: UploadedFile | None, file_type: attachments.FileType | None
) -> str:
    if photo is None or file_type is None:
        return ""
    # A random name: the officer's file name may carry the family's name.
    report.photo.save(f"{secrets.token_hex(16)}{file_type.extension}", photo, save=False)
    return report.photo.name or ""


def _remove_photo(stored: str) -> None:
    if stored:
        FieldReport._meta.get_field("photo").storage.delete(stored)


def _record_filed(actor: User, report: FieldReport) -> None:
    audit_record(
        actor=actor,
        action=actions.FIELD_REPORT_FILED,
        target=report,
        organisation=report.organisation,
        changes={
            "kelurahan": [None, report.kelurahan_id],
            "urgency": [None, report.urgency],
            "what_happened": ["***", "***"],
            "person_name": ["***", "***"],
            "photo": [None, bool(report.photo)],
        },
    )
    notify(
        recipients=_intake_desk(report.organisation_id),
        kind=NOTIFY_FILED,
        text=_in_default_language(_filed_text, report),
        url=reverse("referrals:field_report_detail", args=[report.public_id]),
    )


def _filed_text(report: FieldReport) -> str:
    if report.urgency == Urgency.URGENT:
        return gettext("An urgent field report arrived: please look at it today.")
    return gettext("A new field report arrived at the intake desk.")


def _intake_desk(organisation_id: int) -> QuerySet[User]:
    return User.objects.filter(
        organisation_id=organisation_id,
        is_active=True,
        role__in=[Role.INTAKE, Role.COORDINATOR],
    )


def _in_default_language(build: Any, report: FieldReport) -> str:
    # Inbox texts are stored once and read later by their recipient, in the
    # organisation's language rather than the sender's.
    with translation.override(settings.LANGUAGE_CODE):
        return str(build(report))


# -- the intake desk -------------------------------------------------------------------------


def channel_for(report: FieldReport) -> IntakeChannel | None:
    """The intake channel of a case opened from the report: the officer's kind of referral."""
    member = getattr(report.reported_by, "board_member", None)
    function = getattr(member, "function", "") if member is not None else ""
    code = CHANNEL_BY_FUNCTION.get(function, DEFAULT_CHANNEL)
    return IntakeChannel.objects.filter(code=code, is_active=True).first()


def _require_waiting(report: FieldReport) -> None:
    if report.status == FieldReportStatus.DONE:
        raise DomainError(REPORT_DONE_ALREADY, code="done")


@transaction.atomic
def field_report_take_into_case(
    *,
    actor: User,
    report: FieldReport,
    person: Person | None,
    intake_channel: IntakeChannel,
    pmks_categories: Iterable[PmksCategory],
    presenting_problem: str,
    risk_level: str,
    problem_types: Iterable[ProblemType] = (),
    lead_counsellor: User | None = None,
    is_confidential: bool = False,
) -> Case:
    """Open a case for the registered person the report is about, and link the report to it.

    A report that already has its case returns that case (a double submit).
    """
    current = lock_for_edit(report)
    if current.case_id is not None:
        return Case.objects.get(pk=current.case_id)
    _require_waiting(current)
    if person is None:
        raise DomainError(NEEDS_PERSON, code="needs_person", field="person")
    if person.organisation_id != current.organisation_id:
        raise DomainError(PERSON_OTHER_ORGANISATION, code="other_organisation", field="person")
    reporter = current.reported_by
    case = case_services.case_open(
        actor=actor,
        organisation=current.organisation,
        client=person,
        intake_channel=intake_channel,
        presenting_problem=presenting_problem,
        pmks_categories=pmks_categories,
        problem_types=problem_types,
        lead_counsellor=lead_counsellor,
        risk_level=risk_level,
        is_confidential=is_confidential,
        referrer_name=reporter.full_name[:200],
        referrer_contact=reporter.phone[:100],
        kelurahan=person.domicile_village if person.domicile_village_id else current.kelurahan,
    )
    _link(actor, current, case, action=actions.FIELD_REPORT_TAKEN)
    return case


@transaction.atomic
def field_report_link_case(*, actor: User, report: FieldReport, case: Case) -> FieldReport:
    """Link the report to an open case the desk reaches (the person already has one)."""
    current = lock_for_edit(report)
    if current.case_id == case.pk:
        return current
    if current.case_id is not None:
        raise DomainError(REPORT_HAS_CASE, code="has_case", field="case")
    _require_waiting(current)
    reachable = cases_for_user(actor).filter(
        pk=case.pk, organisation_id=current.organisation_id, status=CaseStatus.OPEN
    )
    if not reachable.exists():
        raise DomainError(CASE_NOT_REACHABLE, code="case_not_reachable", field="case")
    _link(actor, current, case, action=actions.FIELD_REPORT_LINKED)
    return current


def _link(actor: User, report: FieldReport, case: Case, *, action: str) -> None:
    before = report.status
    report.case = case
    report.status = FieldReportStatus.HANDLED
    report.status_changed_at = timezone.now()
    report.handled_by = actor
    report.version += 1
    report.save(update_fields=["case", "status", "status_changed_at", "handled_by", "version"])
    audit_record(
        actor=actor,
        action=action,
        target=report,
        organisation=report.organisation,
        changes={"status": [before, report.status], "case": [None, case.number]},
    )
    _tell_officer(report)


@transaction.atomic
def field_report_mark_done(*, actor: User, report: FieldReport, note: str) -> FieldReport:
    """Done without a case (already helped, not found, no need), with the desk's note."""
    current = lock_for_edit(report)
    if current.status == FieldReportStatus.DONE:
        return current
    text = _required(note, DONE_NEEDS_NOTE, "note")
    before = current.status
    current.status = FieldReportStatus.DONE
    current.status_changed_at = timezone.now()
    current.handled_by = actor
    current.done_note = text
    current.version += 1
    current.save(
        update_fields=["status", "status_changed_at", "handled_by", "done_note", "version"]
    )
    audit_record(
        actor=actor,
        action=actions.FIELD_REPORT_DONE,
        target=current,
        organisation=current.organisation,
        # The note is encrypted on the report; the audit row only says it was written.
        changes={"status": [before, current.status], "done_note": [None, "***"]},
    )
    _tell_officer(current)
    return current


def _tell_officer(report: FieldReport) -> None:
    notify(
        recipients=[report.reported_by],
        kind=NOTIFY_STATUS,
        text=_in_default_language(_status_text, report),
        url=reverse("referrals:field_report_detail", args=[report.public_id]),
    )


def _status_text(report: FieldReport) -> str:
    if report.status == FieldReportStatus.DONE:
        return gettext("A report you sent is done. Thank you.")
    return gettext("A report you sent is being handled by the LK3.")
