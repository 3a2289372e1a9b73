"""Hand-built casework for the official report's tests: November 2026 with known answers.

``november(budi)`` makes, in LK3 Bontang (kelurahan codes are Bontang's):

======  =========  ==========  ==============  =========  ==============  =========
case    opened     closed      client          kelurahan  PMKS            channel
======  =========  ==========  ==============  =========  ==============  =========
boy     3 Nov      -           boy, 10         Bontang K. family          walk-in
woman   10 Nov     -           woman, 41       Tanjung L. family+migrant  hotline
closed  5 Oct      20 Nov      woman, 41       Bontang K. family          walk-in
old     1 Sep      -           man, 70         -          family          walk-in
======  =========  ==========  ==============  =========  ==============  =========

Sessions: counselling for "boy" on 15 Nov, a home visit for "woman" on 16 Nov,
counselling for "old" on 30 Oct (outside November).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from lk3.accounts.models import User
from lk3.cases import services, sessions
from lk3.cases.models import Case, ClosureOutcome, ClosureReason, SessionKind
from lk3.cases.tests.builders import FAMILY_PMKS, intake_channel, open_case, pmks
from lk3.people.tests.builders import guardian_consent, make_person
from lk3.regions.models import Region

NOVEMBER = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
MIGRANT_PMKS = "pekerja-migran-bermasalah-sosial"
HOTLINE = "hotline"
BONTANG_KUALA = "64.74.01.1001"
TANJUNG_LAUT = "64.74.02.1001"


@dataclass
class November:
    boy: Case
    woman: Case
    closed: Case
    old: Case


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def day(month: int, number: int) -> datetime.date:
    return datetime.date(2026, month, number)


def case_on(actor: User, on: datetime.date, **overrides: Any) -> Case:
    return open_case(actor, today=on, **overrides)


def close_on(actor: User, case: Case, on: datetime.date, outcome: str) -> Case:
    case.refresh_from_db()
    request = services.case_closure_request(
        actor=actor,
        case=case,
        reason=ClosureReason.CLIENT_WITHDREW,
        outcome=outcome,
        summary="Klien memilih berhenti.",
        expected_version=case.version,
    )
    return services.case_closure_approve(actor=actor, request=request, today=on)


def session_on(case: Case, kind: str, on: datetime.date) -> None:
    staff = case.lead_counsellor
    assert staff is not None
    sessions.session_record(
        actor=staff,
        case=case,
        kind=kind,
        held_on=on,
        duration_minutes=60,
        staff=[staff],
        notes="Sesi.",
        today=on,
    )


def november(actor: User) -> November:
    boy = case_on(
        actor,
        day(11, 3),
        client=make_person(
            actor,
            "Rizki Pratama",
            sex="L",
            birth_date=datetime.date(2016, 5, 1),
            consents=[guardian_consent()],
        ),
        kelurahan=region(BONTANG_KUALA),
    )
    woman = case_on(
        actor,
        day(11, 10),
        client=make_person(actor, "Siti Aminah"),
        kelurahan=region(TANJUNG_LAUT),
        pmks_categories=pmks(FAMILY_PMKS, MIGRANT_PMKS),
        intake_channel=intake_channel(HOTLINE),
    )
    closed = close_on(
        actor,
        case_on(
            actor,
            day(10, 5),
            client=make_person(actor, "Nur Hasanah"),
            kelurahan=region(BONTANG_KUALA),
        ),
        day(11, 20),
        ClosureOutcome.IMPROVED,
    )
    old = case_on(
        actor,
        day(9, 1),
        client=make_person(actor, "Pak Darmo", sex="L", birth_date=datetime.date(1956, 1, 1)),
    )
    session_on(boy, SessionKind.COUNSELLING, day(11, 15))
    session_on(woman, SessionKind.HOME_VISIT, day(11, 16))
    session_on(old, SessionKind.COUNSELLING, day(10, 30))
    return November(boy=boy, woman=woman, closed=closed, old=old)
