"""Test data for handovers and packages: a group with an approved plan, its letters, a handover.

The approved state is made directly (the decisions and the plan's approval
are other areas' services): members return home, fit to travel, with
Garut Kota as their origin; the plan is APPROVED by the coordinator.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile
from decimal import Decimal
from typing import Any

from django.utils import timezone

from lk3.accounts.models import Organisation, User
from lk3.people.models import Person
from lk3.people.tests.builders import TODAY, make_person
from lk3.referrals import letters
from lk3.referrals.models import LetterKind
from lk3.repatriation import handovers, intake
from lk3.repatriation.models import (
    Decision,
    DocumentKind,
    Handover,
    HealthStatus,
    IdentityDocument,
    PlanStatus,
    RepatriationDocument,
    ReturnPlan,
    StrandedGroup,
    TravelMode,
)
from lk3.repatriation.tests.builders import KOTA_KULON, take_in

GARUT_AGENCY = "Dinas Sosial Kabupaten Garut"
LETTER_KINDS: dict[str, str] = {
    DocumentKind.COVERING: LetterKind.COVERING,
    DocumentKind.STATEMENT: LetterKind.STATEMENT,
    DocumentKind.HANDOVER: LetterKind.HANDOVER,
}
SIGNATORY = ("Dra. Hj. Rahmawati, M.Si.", "Ketua LK3 Kota Bontang")


def decide_return(group: StrandedGroup, origin: str | None = KOTA_KULON) -> None:
    """Every member returns home, fit to travel, from ``origin``."""
    province, regency = intake.origin_codes(origin or "")
    group.members.update(
        decision=Decision.RETURN_HOME,
        health_status=HealthStatus.FIT,
        decision_reason="Keluarga di Garut bersedia menerima.",
        decided_on=TODAY,
        documents=[IdentityDocument.KTP, IdentityDocument.KK],
        stated_origin="Kampung Sukasari, Garut",
        origin_region_id=origin,
        origin_province_code=province,
        origin_regency_code=regency,
    )


def make_plan(
    group: StrandedGroup,
    coordinator: User,
    *,
    receiving_organisation: Organisation | None = None,
    status: str = PlanStatus.APPROVED,
    **fields: Any,
) -> ReturnPlan:
    travellers = group.members.filter(decision=Decision.RETURN_HOME).count()
    values: dict[str, Any] = {
        "mode": TravelMode.MIXED,
        "route": "Bontang - Balikpapan (bus), Balikpapan - Surabaya (kapal), Surabaya - Garut (bus)",
        "departure_on": TODAY,
        "escort": "Pak Joko (pendamping LK3)",
        "ticket_cost": Decimal(900_000),
        "pocket_money": Decimal(150_000),
        "other_cost": Decimal(120_000),
        "travellers": travellers,
        "receiving_organisation": receiving_organisation,
        "receiving_agency": GARUT_AGENCY,
        "status": status,
        "ceiling_per_person": Decimal(450_000) if status != PlanStatus.DRAFT else None,
    }
    if status == PlanStatus.APPROVED:
        values.update(decided_by=coordinator, decided_at=timezone.now())
    values.update(fields)
    plan = ReturnPlan.objects.create(group=group, **values)
    intake.group_status_refresh(group)
    return plan


def approved_group(
    coordinator: User,
    *,
    receiving_organisation: Organisation | None = None,
    origin: str | None = KOTA_KULON,
    persons: list[Person] | None = None,
    **plan_fields: Any,
) -> StrandedGroup:
    """The Garut family taken in at the bus terminal, going home on an approved plan
    (``persons`` instead, when given)."""
    group = take_in(coordinator, persons)
    decide_return(group, origin)
    make_plan(group, coordinator, receiving_organisation=receiving_organisation, **plan_fields)
    group.refresh_from_db()
    return group


def lone_traveller(actor: User, name: str = "Ujang Suherman") -> list[Person]:
    """One man without a NIK (a second group in the same organisation)."""
    return [make_person(actor, name, sex="L", birth_date=datetime.date(1979, 4, 2))]


def issue_letter(
    actor: User, group: StrandedGroup, kind: str = DocumentKind.COVERING
) -> RepatriationDocument:
    """A letter of the group in the one register, linked as a repatriation document."""
    assert actor.organisation is not None
    letter = letters.letter_issue(
        actor=actor,
        organisation=actor.organisation,
        kind=LETTER_KINDS[kind],
        subject="Pemulangan orang terlantar asal Kabupaten Garut",
        dated=TODAY,
        signatory_name=SIGNATORY[0],
        signatory_position=SIGNATORY[1],
        body_template=letters.TEXT_LETTER_BODY,
        context={
            "addressee": GARUT_AGENCY,
            "paragraphs": ["Dengan hormat, bersama ini kami serahkan warga Bapak/Ibu."],
        },
    )
    return RepatriationDocument.objects.create(group=group, kind=kind, letter=letter)


def send(
    coordinator: User,
    *,
    receiving_organisation: Organisation | None = None,
    sent_on: datetime.date = TODAY,
    persons: list[Person] | None = None,
) -> Handover:
    """An approved group's handover, sent."""
    group = approved_group(
        coordinator, receiving_organisation=receiving_organisation, persons=persons
    )
    return handovers.handover_send(actor=coordinator, group=group, sent_on=sent_on, today=TODAY)


# -- packages ----------------------------------------------------------------------------------


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_handover(data: bytes, change: Any) -> bytes:
    """The package with ``handover.json`` changed by ``change(content)`` and its digest updated
    (a package that is well formed but says something wrong)."""
    files = unzip(data)
    content = json.loads(files["handover.json"])
    change(content)
    files["handover.json"] = json.dumps(content).encode()
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["handover.json"] = hashlib.sha256(files["handover.json"]).hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()
    return rezip(files)


def with_manifest(data: bytes, change: Any) -> bytes:
    files = unzip(data)
    manifest = json.loads(files["manifest.json"])
    change(manifest)
    files["manifest.json"] = json.dumps(manifest).encode()
    return rezip(files)
