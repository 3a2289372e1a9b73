"""Permission-matrix rows of the field-report pages (area C1), wired into tests/matrix.py by the lead.

The Bontang report is filed by the cast's field officer (``pak_agus``), so
he reaches it; another organisation's report is filed by an officer of
that organisation. Field officers file and see their own reports (the
actions on them are the intake desk's: 403); the intake desk (intake
officer, coordinator) reaches its organisation's; everyone else never
learns a report exists (404). Empty POSTs show the form again (200) or,
for linking, go back to the report with a message (302).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import PASSWORD, tiny_png
from lk3.accounts import services as account_services
from lk3.accounts.models import Organisation, User
from lk3.accounts.roles import Role
from lk3.people.tests.builders import make_person
from lk3.referrals.field_reports import kelurahan_of_organisation
from lk3.referrals.tests.field_builders import file_report
from tests.matrix import FORBIDDEN, FOUND, NOT_FOUND, OK, Row, only, roles

OFFICER = [Role.FIELD_OFFICER]
DESK = [Role.COORDINATOR, Role.INTAKE]


def _reaches_report(yes: int) -> dict[str, int]:
    """The officer who filed it and the desk get ``yes``; anyone else a 404."""
    return only([*OFFICER, *DESK], yes, NOT_FOUND)


def _desk_action(yes: int) -> dict[str, int]:
    """The desk acts; the officer reaches the report but may not act (403); others 404."""
    return only(DESK, yes, NOT_FOUND, **{Role.FIELD_OFFICER.value: FORBIDDEN})


ROWS: list[Row] = [
    Row("referrals:field_report_create", only(OFFICER, OK, FORBIDDEN)),
    Row("referrals:field_report_create", only(OFFICER, OK, FORBIDDEN), method="POST"),
    Row("referrals:field_report_mine", only(OFFICER, OK, FORBIDDEN)),
    Row("referrals:field_report_queue", only(DESK, OK, FORBIDDEN)),
    Row(
        "referrals:field_report_detail",
        _reaches_report(OK),
        ownership="same_org",
        target="field_report",
    ),
    Row(
        "referrals:field_report_detail",
        roles(NOT_FOUND),
        ownership="other_org",
        target="field_report",
    ),
    Row(
        "referrals:field_report_photo",
        _reaches_report(OK),
        ownership="same_org",
        target="field_report",
    ),
    Row(
        "referrals:field_report_photo",
        roles(NOT_FOUND),
        ownership="other_org",
        target="field_report",
    ),
    Row("referrals:field_report_take", _desk_action(OK), ownership="same_org", target="field_take"),
    Row(
        "referrals:field_report_take",
        _desk_action(OK),
        method="POST",
        ownership="same_org",
        target="field_take",
    ),
    Row(
        "referrals:field_report_take", roles(NOT_FOUND), ownership="other_org", target="field_take"
    ),
    Row(
        "referrals:field_report_take",
        roles(NOT_FOUND),
        method="POST",
        ownership="other_org",
        target="field_take",
    ),
    Row(
        "referrals:field_report_link",
        _desk_action(FOUND),
        method="POST",
        ownership="same_org",
        target="field_report",
    ),
    Row(
        "referrals:field_report_link",
        roles(NOT_FOUND),
        method="POST",
        ownership="other_org",
        target="field_report",
    ),
    Row(
        "referrals:field_report_done",
        _desk_action(OK),
        method="POST",
        ownership="same_org",
        target="field_report",
    ),
    Row(
        "referrals:field_report_done",
        roles(NOT_FOUND),
        method="POST",
        ownership="other_org",
        target="field_report",
    ),
]


def _field_officer(organisation: Organisation) -> User:
    """The organisation's field officer (``pak_agus`` in Bontang), made when there is none."""
    found = User.objects.filter(
        organisation=organisation, role=Role.FIELD_OFFICER, is_active=True
    ).first()
    if found is not None:
        return found
    return account_services.user_create(
        actor=None,
        username=f"petugas_lapangan_{organisation.pk}",
        full_name="Petugas Lapangan",
        role=Role.FIELD_OFFICER,
        organisation=organisation,
        password=PASSWORD,
        kelurahan=[],
    )


def build_records(clerk: Any, organisation: Organisation) -> dict[str, Any]:
    """A report (with a photo) by the organisation's field officer, and a registered person."""
    officer = _field_officer(organisation)
    kelurahan = (
        officer.kelurahan.values_list("code", flat=True).first()
        or kelurahan_of_organisation(organisation)
        .order_by("code")
        .values_list("code", flat=True)[0]
    )
    report = file_report(
        officer,
        kelurahan=kelurahan,
        photo=SimpleUploadedFile("foto.png", tiny_png()),
    )
    person = make_person(clerk, "Wati Susanti")
    return {"field_report": report, "field_take": (report, person)}


KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "field_report": lambda record: {"public_id": record.public_id},
    "field_take": lambda pair: {"public_id": pair[0].public_id, "person_id": pair[1].public_id},
}
