"""Hand-built casework with fixed dates, for the indicators and reports' tests.

Everything goes through the services with their ``today=`` parameter, so a
case is opened, a session held, a case closed or a check-in done on the day
given. One exception: ``referral_sent_on`` moves a referral's ``sent_at``
with an explicit ``update()``, because ``referral_send`` stamps the current
time and takes no date.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from lk3.accounts.models import User
from lk3.cases import services, sessions
from lk3.cases.models import (
    Case,
    CheckIn,
    ClosureOutcome,
    ClosureReason,
    SessionKind,
    Stage,
)
from lk3.cases.tests.assessment_builders import family_answers, record_assessment
from lk3.cases.tests.builders import move_to, open_case
from lk3.referrals.models import Referral
from lk3.referrals.tests.referral_builders import answer, send_referral

# The period most tests look at, and days around it.
OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
SEPTEMBER_30 = datetime.date(2026, 9, 30)
NOVEMBER_1 = datetime.date(2026, 11, 1)


def day(month: int, number: int) -> datetime.date:
    return datetime.date(2026, month, number)


def opened_on(actor: User, on: datetime.date, **overrides: Any) -> Case:
    """A case opened on ``on`` (``lk3.cases.tests.builders.open_case``, any of its overrides)."""
    return open_case(actor, today=on, **overrides)


def close(
    actor: User,
    case: Case,
    on: datetime.date,
    outcome: str = ClosureOutcome.IMPROVED,
) -> Case:
    """Closes the case on ``on``: a closure asked for and approved the same day."""
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


def closed_case(
    actor: User,
    opened: datetime.date,
    closed: datetime.date,
    outcome: str = ClosureOutcome.IMPROVED,
    **overrides: Any,
) -> Case:
    return close(actor, opened_on(actor, opened, **overrides), closed, outcome)


def reopen(actor: User, case: Case) -> Case:
    case.refresh_from_db()
    return services.case_reopen(
        actor=actor, case=case, reason="Masalah muncul lagi.", expected_version=case.version
    )


def session_on(case: Case, on: datetime.date, worker: User | None = None) -> None:
    """A counselling session held on ``on`` by the case's lead counsellor (or ``worker``)."""
    staff = worker or case.lead_counsellor
    assert staff is not None, "the case has no lead counsellor"
    sessions.session_record(
        actor=staff,
        case=case,
        kind=SessionKind.COUNSELLING,
        held_on=on,
        duration_minutes=60,
        staff=[staff],
        notes=f"Sesi {on.isoformat()}",
        today=on,
    )


def check_ins(
    actor: User, due: Sequence[tuple[datetime.date, datetime.date | None]], **overrides: Any
) -> Case:
    """A case in follow-up with a check-in per (due on, done on or None)."""
    case = move_to(
        actor, opened_on(actor, min(due_on for due_on, _done in due), **overrides), Stage.FOLLOW_UP
    )
    for due_on, done_on in due:
        check_in = services.check_in_schedule(actor=actor, case=case, due_on=due_on)
        if done_on is not None:
            services.check_in_record(
                actor=actor,
                check_in=check_in,
                done_on=done_on,
                note="Sudah dihubungi.",
                today=done_on,
            )
    return case


def done_check_ins(case: Case) -> int:
    return CheckIn.objects.filter(case=case, done_on__isnull=False).count()


def referral_sent_on(
    actor: User, partner_staff: User, on: datetime.date, answers: Sequence[str] = (), **kw: Any
) -> Referral:
    """A referral out sent on ``on`` (noon, the organisation's time) and answered in order.

    ``sent_at`` is set with an ``update()``: the service stamps the current time.
    """
    referral = send_referral(actor, today=on, **kw)
    local = datetime.datetime.combine(on, datetime.time(12), tzinfo=timezone.get_current_timezone())
    Referral.objects.filter(pk=referral.pk).update(sent_at=local)
    for status in answers:
        text = "Sudah ditangani." if status in ("declined", "completed") else ""
        referral = answer(partner_staff, referral, status, text)
    referral.refresh_from_db()
    return referral


def family_scores(actor: User, case: Case, scores: Sequence[tuple[datetime.date, int]]) -> Case:
    """Family-functioning assessments on the dates given, scored 1 to 4 (whole points).

    Every positive statement is answered ``score`` and every negative one
    ``5 - score``, so the mean score is exactly ``score``.
    """
    for assessed_on, score in scores:
        record_assessment(
            actor, case, answers=family_answers(score, 5 - score), assessed_on=assessed_on
        )
    return case
