"""Test data for casework, made through the services."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from lk3.accounts.models import User
from lk3.cases import services, stages
from lk3.cases.models import Case, ClosureOutcome, ClosureReason, ClosureRequest, Stage
from lk3.core.models import IntakeChannel, PmksCategory, ProblemType
from lk3.people.models import Person
from lk3.people.tests.builders import make_person

WALK_IN = "datang-sendiri"
FAMILY_PMKS = "keluarga-bermasalah-sosial-psikologis"
PROBLEM = "Suami sering marah dan anak tidak mau sekolah."


def intake_channel(code: str = WALK_IN) -> IntakeChannel:
    return IntakeChannel.objects.get(code=code)


def pmks(*codes: str) -> list[PmksCategory]:
    return list(PmksCategory.objects.filter(code__in=codes or (FAMILY_PMKS,)))


def problem_types(*codes: str) -> list[ProblemType]:
    return list(ProblemType.objects.filter(code__in=codes))


def open_case(actor: User, client: Person | None = None, **overrides: Any) -> Case:
    """A case of the actor's organisation about ``client`` (a new person when not given).

    The lead counsellor is ``sari`` when she exists in that organisation
    (the root conftest's assigned counsellor); pass ``lead_counsellor`` to
    change it, or ``lead_counsellor=None`` for an unassigned case.
    """
    if client is None and "family" not in overrides:
        client = make_person(actor, "Siti Aminah")
    values: dict[str, Any] = {
        "organisation": actor.organisation,
        "intake_channel": intake_channel(),
        "presenting_problem": PROBLEM,
        "pmks_categories": pmks(),
        "lead_counsellor": User.objects.filter(
            username="sari", organisation=actor.organisation
        ).first(),
    }
    values.update(overrides)
    return services.case_open(actor=actor, client=client, **values)


def move_to(actor: User, case: Case, stage: str) -> Case:
    """Moves the case forward, one stage at a time, until it reaches ``stage``."""
    while case.stage != stage:
        following = stages.next_stage(case.stage)
        assert following is not None, f"{stage} is not ahead of {case.stage}"
        case = services.case_stage_move(
            actor=actor, case=case, to_stage=following, expected_version=case.version
        )
    return case


def pending_closure(actor: User, **overrides: Any) -> ClosureRequest:
    """A case in follow-up with one scheduled check-in and a closure waiting for approval."""
    case = move_to(actor, open_case(actor, **overrides), Stage.FOLLOW_UP)
    services.check_in_schedule(
        actor=actor, case=case, due_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    case.refresh_from_db()
    return services.case_closure_request(
        actor=actor,
        case=case,
        reason=ClosureReason.GOALS_ACHIEVED,
        outcome=ClosureOutcome.IMPROVED,
        summary="Keluarga kembali harmonis; anak sekolah lagi.",
        expected_version=case.version,
    )
