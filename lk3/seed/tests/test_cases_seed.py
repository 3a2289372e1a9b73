"""Seeded cases: every stage and status, consistent histories, the services' rules kept.

The checks share one seed (``seeded``); runs of the seed itself are in
``test_cases_seed_runs.py``.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections import defaultdict

import pytest
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from lk3.accounts.models import User
from lk3.accounts.roles import Role
from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.cases import instruments as schemas
from lk3.cases import stages
from lk3.cases.models import (
    Activity,
    Assessment,
    Case,
    CaseMember,
    CaseNumberCounter,
    CaseSession,
    CaseStatus,
    CaseTransfer,
    CheckIn,
    ClosureReason,
    ClosureRequest,
    ClosureStatus,
    Goal,
    PlanRevision,
    Stage,
    StageChange,
    Task,
)
from lk3.cases.permissions import can_lead
from lk3.cases.plans import plan_snapshot
from lk3.seed.case_records import MAX_SESSIONS
from lk3.seed.run import (
    seed_run,
)
from lk3.seed.scales import DEMO


def _casework() -> QuerySet[Case]:
    """The case seed's cases (stranded people's intakes are the repatriation step's)."""
    return Case.objects.filter(stranded_group__isnull=True)


PERSONS = 400
CASES = 120
TODAY = datetime.date(2026, 11, 28)
YESTERDAY = TODAY - datetime.timedelta(days=1)
NUMBER = re.compile(r"^KS-(?P<year>\d{4})-(?P<sequence>\d{4,})$")
CONFIDENTIAL_PMKS = {
    "korban-tindak-kekerasan",
    "anak-korban-kekerasan",
    "anak-berhadapan-dengan-hukum",
    "anak-perlindungan-khusus",
    "anak-telantar",
    "korban-trafficking",
}
CHILD_PMKS = CONFIDENTIAL_PMKS - {"korban-tindak-kekerasan", "korban-trafficking"}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One seed for the whole module (the checks only read), rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_run(scale=DEMO, persons=PERSONS, cases=CASES, today=TODAY)
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _seeded_database(seeded, db):
    """Each check in a savepoint inside the module's seed."""


def _cases():
    return _casework().order_by("organisation_id", "year", "sequence")


def _local_date(moment: datetime.datetime | None) -> datetime.date:
    assert moment is not None
    return timezone.localtime(moment).date()


# -- what is there -----------------------------------------------------------------------------


def test_every_stage_has_open_cases_and_every_status_is_present(seeded):
    open_stages = set(_casework().filter(status=CaseStatus.OPEN).values_list("stage", flat=True))

    assert open_stages == set(Stage.values)
    assert set(_casework().values_list("status", flat=True)) == set(CaseStatus.values)
    assert _casework().filter(status=CaseStatus.OPEN, times_reopened=1).exists()
    assert _casework().count() == CASES


def test_closed_cases_have_reasons_and_outcomes_and_open_ones_none(seeded):
    closed = _casework().filter(status=CaseStatus.CLOSED)

    assert closed.exists()
    assert not closed.filter(closed_on=None).exists()
    assert not closed.filter(closure_reason="").exists()
    assert not closed.filter(closure_outcome="").exists()
    others = _casework().exclude(status=CaseStatus.CLOSED)
    assert not others.exclude(closed_on=None).exists()
    assert not others.exclude(closure_reason="").exists()
    assert len(set(closed.values_list("closure_reason", flat=True))) >= 2


def test_the_seed_writes_one_audit_event_with_the_counts(seeded):
    event = AuditEvent.objects.get(action=actions.SEED_CASES_GENERATED)

    assert event.changes["cases"] == [0, CASES]
    assert event.changes["today"] == [None, TODAY.isoformat()]
    assert event.changes["sessions"] == [0, CaseSession.objects.count()]
    assert event.changes["cases:LK3 Bontang"] == [0, CASES]
    assert not AuditEvent.objects.filter(action=actions.CASE_OPENED).exists()
    assert seeded.cases.total == CASES


# -- numbers -------------------------------------------------------------------------------------


def test_case_numbers_run_without_gaps_in_order_of_opening(seeded):
    by_year = defaultdict(list)
    for case in _cases():
        match = NUMBER.match(case.number)
        assert match, case.number
        assert int(match["year"]) == case.year == case.opened_on.year
        assert int(match["sequence"]) == case.sequence
        by_year[(case.organisation_id, case.year)].append(case)

    for cases in by_year.values():
        assert [case.sequence for case in cases] == list(range(1, len(cases) + 1))
        opened = [case.opened_on for case in cases]
        assert opened == sorted(opened)


def test_number_counters_stand_at_the_last_number_given(seeded):
    last: defaultdict[tuple[int, int], int] = defaultdict(int)
    for case in Case.objects.all():
        key = (case.organisation_id, case.year)
        last[key] = max(last[key], case.sequence)

    counters = {
        (counter.organisation_id, counter.year): counter.last
        for counter in CaseNumberCounter.objects.all()
    }

    assert counters == dict(last)


# -- the rules of the services ---------------------------------------------------------------------


def test_every_seeded_record_passes_model_validation(seeded):
    for model in (Case, ClosureRequest, CaseSession, Task, Assessment, Goal, Activity):
        for record in model.objects.all():
            record.full_clean()


def test_clients_belong_to_the_organisation_and_the_kelurahan_is_theirs(seeded):
    for case in _casework().select_related("client"):
        client = case.client
        assert client is not None
        assert client.birth_date is not None
        assert client.organisation_id == case.organisation_id
        assert case.kelurahan_id == client.domicile_village_id
        assert client.birth_date < case.opened_on
        assert case.pmks_categories.exists()


def test_violence_and_children_cases_are_confidential(seeded):
    for case in _casework().prefetch_related("pmks_categories").select_related("client"):
        codes = {category.code for category in case.pmks_categories.all()}
        assert case.is_confidential == bool(codes & CONFIDENTIAL_PMKS), (case.number, codes)
        if codes & CHILD_PMKS:
            assert case.client is not None
            assert case.client.birth_date is not None
            age = (case.opened_on - case.client.birth_date).days / 365.25
            assert age < 18, (case.number, age)
    assert _casework().filter(is_confidential=True).exists()


def test_leads_and_team_members_may_lead_cases_of_their_organisation(seeded):
    for case in _casework().select_related("lead_counsellor"):
        if case.lead_counsellor is not None:
            assert case.lead_counsellor.organisation_id == case.organisation_id
            assert can_lead(case.lead_counsellor)
            assert case.members.filter(user=case.lead_counsellor, removed_on=None).exists()
    for member in CaseMember.objects.select_related("user", "case"):
        assert can_lead(member.user)
        assert member.user.organisation_id == member.case.organisation_id
    unassigned = _casework().filter(lead_counsellor=None)
    assert not unassigned.exclude(stage=Stage.REGISTRATION, status=CaseStatus.OPEN).exists()


def test_stage_history_moves_one_step_at_a_time_to_the_current_stage(seeded):
    for case in _casework().all():
        changes = list(StageChange.objects.filter(case=case).order_by("changed_at", "id"))
        assert (changes[0].from_stage, changes[0].to_stage) == ("", Stage.REGISTRATION)
        reopened = 0
        for before, change in itertools.pairwise(changes):
            assert change.from_stage == before.to_stage
            assert change.changed_at >= before.changed_at
            if stages.is_forward(change.from_stage, change.to_stage):
                continue
            assert change.note, (case.number, change.from_stage, change.to_stage)
            if not stages.is_back(change.from_stage, change.to_stage):
                assert change.to_stage == stages.REOPEN_STAGE
                reopened += 1
        assert changes[-1].to_stage == case.stage
        assert reopened == case.times_reopened


def test_closures_follow_the_approval_rules(seeded):
    for case in _casework().all():
        requests = list(ClosureRequest.objects.filter(case=case).order_by("requested_at"))
        pending = [r for r in requests if r.status == ClosureStatus.PENDING]
        assert len(pending) == (1 if case.status == CaseStatus.CLOSURE_REQUESTED else 0)
        for request in requests:
            assert request.summary
            if request.status != ClosureStatus.PENDING:
                assert request.decided_by is not None
                assert request.decided_by.role == Role.COORDINATOR
                assert _local_date(request.decided_at) > _local_date(request.requested_at)
            if request.status == ClosureStatus.RETURNED:
                assert request.comment
        if case.status == CaseStatus.CLOSED:
            last = requests[-1]
            assert last.status == ClosureStatus.APPROVED
            assert (last.reason, last.outcome) == (case.closure_reason, case.closure_outcome)
            assert _local_date(last.decided_at) == case.closed_on


def test_goals_achieved_only_from_termination_or_follow_up(seeded):
    achieved = ClosureRequest.objects.filter(reason=ClosureReason.GOALS_ACHIEVED)

    assert achieved.exists()
    for request in achieved.select_related("case"):
        changes = StageChange.objects.filter(
            case=request.case, changed_at__lte=request.requested_at
        ).order_by("-changed_at", "-id")
        last = changes.first()
        assert last is not None
        assert last.to_stage in {str(stage) for stage in stages.CLOSING_STAGES}


def test_nothing_happens_after_yesterday_or_before_the_opening(seeded):
    for case in _casework().all():
        days = [case.opened_on, _local_date(case.last_activity_at)]
        days += [_local_date(c.changed_at) for c in case.stage_changes.all()]
        days += list(case.sessions.values_list("held_on", flat=True))
        days += list(case.assessments.values_list("assessed_on", flat=True))
        days += [_local_date(t.created_at) for t in case.tasks.all()]
        days += [_local_date(t.completed_at) for t in case.tasks.exclude(completed_at=None)]
        days += [_local_date(r.requested_at) for r in case.closure_requests.all()]
        days += [_local_date(r.decided_at) for r in case.closure_requests.exclude(decided_at=None)]
        days += [d for d in case.check_ins.values_list("done_on", flat=True) if d]
        days += [_local_date(t.transferred_at) for t in case.transfers.all()]
        days += [_local_date(r.created_at) for r in case.plan_revisions.all()]

        assert min(days) >= case.opened_on, case.number
        assert max(days) <= YESTERDAY, case.number
        assert _local_date(case.last_activity_at) == max(days), case.number


def test_next_due_on_is_the_earliest_open_task_or_check_in(seeded):
    overdue = 0
    for case in _casework().all():
        dues = list(case.tasks.filter(completed_at=None).values_list("due_on", flat=True))
        dues += list(case.check_ins.filter(done_on=None).values_list("due_on", flat=True))
        expected = None if case.status == CaseStatus.CLOSED or not dues else min(dues)

        assert case.next_due_on == expected, case.number
        overdue += bool(expected and expected < TODAY)
    assert overdue > 0
    assert _casework().filter(next_due_on__gte=TODAY).exists()


def test_closed_cases_have_no_open_work(seeded):
    closed = _casework().filter(status=CaseStatus.CLOSED)

    assert not Task.objects.filter(case__in=closed, completed_at=None).exists()
    assert not CheckIn.objects.filter(case__in=closed, done_on=None).exists()


def test_check_ins_belong_to_follow_up(seeded):
    check_ins = CheckIn.objects.select_related("case")

    assert check_ins.exists()
    for check_in in check_ins:
        entered = (
            StageChange.objects.filter(case=check_in.case, to_stage=Stage.FOLLOW_UP)
            .order_by("changed_at")
            .first()
        )
        assert entered is not None
        assert check_in.due_on > _local_date(entered.changed_at)
        if check_in.done_on:
            assert check_in.note
            assert check_in.done_by is not None


def test_sessions_are_held_by_the_case_workers(seeded):
    for case in _casework().prefetch_related("sessions__staff", "sessions__participants"):
        sessions = list(case.sessions.all())
        ever_on_team = set(case.members.values_list("user_id", flat=True))
        coordinators = set(
            User.objects.filter(
                organisation_id=case.organisation_id, role=Role.COORDINATOR
            ).values_list("id", flat=True)
        )
        assert 1 <= len(sessions) <= MAX_SESSIONS, case.number
        for session in sessions:
            staff = {user.pk for user in session.staff.all()}
            assert staff
            assert staff <= ever_on_team | coordinators
            assert session.recorded_by_id in staff
            assert 1 <= session.duration_minutes <= 600
            assert {p.pk for p in session.participants.all()} <= {case.client_id}
            assert session.notes


def test_tasks_are_given_to_the_case_workers(seeded):
    tasks = Task.objects.select_related("case")

    assert tasks.filter(completed_at=None).exists()
    assert tasks.exclude(completed_at=None).exists()
    for task in tasks:
        workers = set(task.case.members.values_list("user_id", flat=True))
        workers |= set(
            User.objects.filter(
                organisation_id=task.case.organisation_id, role=Role.COORDINATOR
            ).values_list("id", flat=True)
        )
        assert task.assignee_id in workers
        assert task.due_on >= _local_date(task.created_at)
        if task.session is not None:
            assert task.session.case_id == task.case_id
        if task.completed_at:
            assert task.completed_by_id == task.assignee_id


def test_assessments_fit_their_instruments_and_carry_their_score(seeded):
    assessments = Assessment.objects.select_related("instrument")

    assert {a.instrument.kind for a in assessments} == {
        "initial",
        "in_depth",
        "risk",
        "family_functioning",
    }
    for assessment in assessments:
        schema = assessment.instrument.schema
        assert schemas.answers_check(schema, assessment.answers) == {}
        assert assessment.score == schemas.score(schema, assessment.answers)


def test_plans_start_at_planning_and_their_last_revision_is_the_plan(seeded):
    for case in _casework().filter(goals__isnull=False).distinct():
        revisions = list(PlanRevision.objects.filter(case=case).order_by("number"))
        assert [r.number for r in revisions] == list(range(1, len(revisions) + 1))
        assert revisions[-1].snapshot == plan_snapshot(case)
        assert StageChange.objects.filter(case=case, to_stage=Stage.PLANNING).exists()
    assert not Goal.objects.filter(case__stage=Stage.REGISTRATION, case__times_reopened=0).exists()


def test_transfers_record_the_lead_counsellors(seeded):
    for case in _casework().filter(transfers__isnull=False).distinct():
        transfers = list(CaseTransfer.objects.filter(case=case).order_by("transferred_at"))
        assert transfers[-1].to_user_id == case.lead_counsellor_id
        assert all(t.reason for t in transfers)


def test_sensitive_texts_are_stored_encrypted(seeded):
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM cases_casesession")
        notes = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT presenting_problem FROM cases_case")
        problems = [row[0] for row in cursor.fetchall()]

    assert notes
    assert problems
    assert all(value.startswith("v1:") for value in notes + problems)
    session = CaseSession.objects.first()
    assert session is not None
    assert session.notes
    assert not session.notes.startswith("v1:")
