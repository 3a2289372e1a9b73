"""The core writes of casework: opening, editing, stages, team, transfer, closure, reopening,
follow-up check-ins and stage names."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.cases import services
from lk3.cases.models import (
    Case,
    CaseMember,
    CaseStatus,
    CaseTransfer,
    CheckIn,
    ClosureOutcome,
    ClosureReason,
    ClosureRequest,
    ClosureStatus,
    Stage,
    StageChange,
    StageLabel,
)
from lk3.cases.tests.builders import (
    intake_channel,
    move_to,
    open_case,
    pending_closure,
    pmks,
    problem_types,
)
from lk3.core.errors import DomainError, StaleEditError
from lk3.people import services as people_services
from lk3.people.tests.builders import TODAY, make_person


def codes(case: Case) -> list[str]:
    return sorted(term.code for term in case.pmks_categories.all())


def close_request(actor, case, **changes) -> ClosureRequest:
    values = {
        "reason": ClosureReason.CLIENT_WITHDREW,
        "outcome": ClosureOutcome.UNCHANGED,
        "summary": "Klien memilih berhenti.",
        "expected_version": case.version,
    }
    values.update(changes)
    return services.case_closure_request(actor=actor, case=case, **values)


def closed_case(budi, sari) -> Case:
    case = open_case(sari)
    request = close_request(sari, case)
    return services.case_closure_approve(actor=budi, request=request)


# -- opening ---------------------------------------------------------------------------------


def test_a_case_is_opened_for_a_person_with_their_family_as_context(sari):
    head = make_person(sari, "Budiman", sex="L")
    family = people_services.family_create(
        actor=sari, organisation=sari.organisation, head=head, today=TODAY
    )

    case = open_case(sari, head)

    assert (case.client, case.family) == (head, family)
    assert (case.stage, case.status) == (Stage.REGISTRATION, CaseStatus.OPEN)
    assert case.lead_counsellor == sari
    assert list(case.members.values_list("user__username", flat=True)) == ["sari"]


def test_a_case_is_opened_for_a_family_without_a_client(intan, sari):
    head = make_person(intan, "Budiman", sex="L")
    family = people_services.family_create(
        actor=intan, organisation=intan.organisation, head=head, today=TODAY
    )

    case = open_case(intan, family=family)

    assert (case.client, case.family) == (None, family)


def test_opening_records_the_first_stage_and_an_audit_row(sari):
    case = open_case(sari)

    change = StageChange.objects.get(case=case)
    event = AuditEvent.objects.get(action=actions.CASE_OPENED)
    assert (change.from_stage, change.to_stage) == ("", Stage.REGISTRATION)
    assert event.target_id == str(case.public_id)
    assert event.changes["presenting_problem"] == ["***", "***"]


def test_a_case_keeps_several_pmks_categories_and_problem_types(sari):
    case = open_case(
        sari,
        pmks_categories=pmks("keluarga-bermasalah-sosial-psikologis", "korban-tindak-kekerasan"),
        problem_types=problem_types("kekerasan-dalam-rumah-tangga", "pengasuhan"),
    )

    assert len(codes(case)) == 2
    assert sorted(case.problem_types.values_list("code", flat=True)) == [
        "kekerasan-dalam-rumah-tangga",
        "pengasuhan",
    ]


def test_opening_without_a_person_or_family_is_refused(sari):
    with pytest.raises(DomainError) as refused:
        services.case_open(
            actor=sari,
            organisation=sari.organisation,
            intake_channel=intake_channel(),
            presenting_problem="-",
            pmks_categories=pmks(),
        )

    assert refused.value.code == "needs_subject"
    assert Case.objects.count() == 0


def test_opening_without_a_pmks_category_is_refused(sari):
    with pytest.raises(DomainError) as refused:
        open_case(sari, pmks_categories=[])

    assert (refused.value.code, refused.value.field) == ("needs_pmks", "pmks_categories")


def test_another_organisations_person_is_refused(sari, rudi):
    outsider = make_person(rudi, "Siti Aminah")

    with pytest.raises(DomainError) as refused:
        open_case(sari, outsider)

    assert refused.value.code == "other_organisation"


@pytest.mark.parametrize("who", ["intan", "pak_agus"])
def test_the_lead_must_be_a_counsellor_psychologist_or_coordinator(request, sari, who):
    with pytest.raises(DomainError) as refused:
        open_case(sari, lead_counsellor=request.getfixturevalue(who))

    assert refused.value.code == "lead_not_allowed"


def test_a_lead_from_another_organisation_is_refused(sari, rudi):
    with pytest.raises(DomainError) as refused:
        open_case(sari, lead_counsellor=rudi)

    assert refused.value.code == "lead_not_allowed"


# -- editing ---------------------------------------------------------------------------------


def test_editing_changes_the_details_and_bumps_the_version(sari):
    case = open_case(sari)

    updated = services.case_update(
        actor=sari,
        case=case,
        expected_version=case.version,
        risk_level="high",
        is_confidential=True,
        problem_types=problem_types("kekerasan-dalam-rumah-tangga"),
    )

    assert (updated.risk_level, updated.is_confidential) == ("high", True)
    assert updated.version == case.version + 1
    event = AuditEvent.objects.get(action=actions.CASE_UPDATED)
    assert event.changes["risk_level"] == ["medium", "high"]
    assert event.changes["problem_types"] == [[], ["kekerasan-dalam-rumah-tangga"]]


def test_a_stale_edit_is_refused_with_what_changed(sari, budi):
    case = open_case(sari)
    services.case_update(actor=budi, case=case, expected_version=case.version, risk_level="urgent")

    with pytest.raises(StaleEditError) as refused:
        services.case_update(
            actor=sari, case=case, expected_version=case.version, referrer_name="Pak RT"
        )

    assert refused.value.changed_fields == {"risk_level": ["medium", "urgent"]}
    assert Case.objects.get().referrer_name == ""


def test_an_edit_that_changes_nothing_is_a_no_op_even_when_stale(sari, budi):
    case = open_case(sari)
    services.case_update(actor=budi, case=case, expected_version=case.version, risk_level="urgent")
    audit_rows = AuditEvent.objects.count()

    result = services.case_update(
        actor=sari,
        case=case,
        expected_version=case.version,
        risk_level="urgent",
        pmks_categories=pmks(),
    )

    assert result.version == case.version + 1
    assert AuditEvent.objects.count() == audit_rows


def test_an_edit_may_not_remove_every_pmks_category(sari):
    case = open_case(sari)

    with pytest.raises(DomainError) as refused:
        services.case_update(
            actor=sari, case=case, expected_version=case.version, pmks_categories=[]
        )

    assert refused.value.code == "needs_pmks"
    assert codes(Case.objects.get()) == ["keluarga-bermasalah-sosial-psikologis"]


# -- stages ----------------------------------------------------------------------------------


def test_a_case_moves_one_stage_forward(sari):
    case = open_case(sari)

    moved = services.case_stage_move(
        actor=sari, case=case, to_stage=Stage.INITIAL_ASSESSMENT, expected_version=case.version
    )

    assert moved.stage == Stage.INITIAL_ASSESSMENT
    assert StageChange.objects.filter(case=case).count() == 2
    assert AuditEvent.objects.get(action=actions.CASE_STAGE_CHANGED).changes["stage"] == [
        "registration",
        "initial_assessment",
    ]


def test_a_case_may_go_through_every_stage_in_order(sari):
    case = move_to(sari, open_case(sari), Stage.FOLLOW_UP)

    assert [change.to_stage for change in case.stage_changes.all()] == list(Stage.values)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Stage.REGISTRATION, Stage.IN_DEPTH_ASSESSMENT),
        (Stage.REGISTRATION, Stage.INTERVENTION),
        (Stage.PLANNING, Stage.EVALUATION),
        (Stage.INTERVENTION, Stage.INITIAL_ASSESSMENT),
        (Stage.PLANNING, Stage.PLANNING),
    ],
)
def test_skipping_a_stage_is_refused(sari, start, target):
    case = move_to(sari, open_case(sari), start)

    with pytest.raises(DomainError) as refused:
        services.case_stage_move(
            actor=sari, case=case, to_stage=target, expected_version=case.version, note="x"
        )

    assert (refused.value.code, refused.value.field) == ("stage_skipped", "to_stage")
    assert Case.objects.get(pk=case.pk).stage == start


def test_the_refusal_names_the_stage_that_comes_next_as_the_organisation_calls_it(budi, sari):
    services.stage_labels_update(
        actor=budi, organisation=budi.organisation, labels={"initial_assessment": "Asesmen awal"}
    )
    case = open_case(sari)

    with pytest.raises(DomainError) as refused:
        services.case_stage_move(
            actor=sari, case=case, to_stage=Stage.PLANNING, expected_version=case.version
        )

    assert "Asesmen awal" in str(refused.value.message)


def test_going_back_a_stage_needs_a_note(sari):
    case = move_to(sari, open_case(sari), Stage.EVALUATION)

    with pytest.raises(DomainError) as refused:
        services.case_stage_move(
            actor=sari, case=case, to_stage=Stage.INTERVENTION, expected_version=case.version
        )

    assert (refused.value.code, refused.value.field) == ("back_needs_note", "note")


def test_going_back_a_stage_with_a_note(sari):
    case = move_to(sari, open_case(sari), Stage.EVALUATION)

    moved = services.case_stage_move(
        actor=sari,
        case=case,
        to_stage=Stage.INTERVENTION,
        expected_version=case.version,
        note="Tujuan belum tercapai.",
    )

    assert moved.stage == Stage.INTERVENTION
    assert case.stage_changes.latest("id").note == "Tujuan belum tercapai."


def test_the_last_stage_has_no_next(sari):
    case = move_to(sari, open_case(sari), Stage.FOLLOW_UP)

    with pytest.raises(DomainError) as refused:
        services.case_stage_move(
            actor=sari, case=case, to_stage=Stage.REGISTRATION, expected_version=case.version
        )

    assert refused.value.code == "last_stage"


def test_a_stage_move_with_an_old_version_is_stale_and_moves_nothing(sari):
    case = open_case(sari)
    seen = case.version
    services.case_stage_move(
        actor=sari, case=case, to_stage=Stage.INITIAL_ASSESSMENT, expected_version=seen
    )

    with pytest.raises(StaleEditError) as refused:
        services.case_stage_move(
            actor=sari, case=case, to_stage=Stage.INITIAL_ASSESSMENT, expected_version=seen
        )

    assert refused.value.changed_fields == {"stage": ["registration", "initial_assessment"]}
    assert StageChange.objects.filter(case=case).count() == 2


def test_a_case_waiting_for_closure_does_not_move(sari):
    case = open_case(sari)
    close_request(sari, case)
    case.refresh_from_db()

    with pytest.raises(DomainError) as refused:
        services.case_stage_move(
            actor=sari, case=case, to_stage=Stage.INITIAL_ASSESSMENT, expected_version=case.version
        )

    assert refused.value.code == "not_open"


# -- team and transfer -------------------------------------------------------------------------


def test_a_worker_joins_and_leaves_the_team(sari, putri):
    case = open_case(sari)

    services.case_member_add(actor=sari, case=case, user=putri)
    services.case_member_remove(actor=sari, case=case, user=putri)

    member = CaseMember.objects.get(case=case, user=putri)
    assert member.removed_on == timezone.localdate()
    assert (
        AuditEvent.objects.filter(
            action__in=[actions.CASE_MEMBER_ADDED, actions.CASE_MEMBER_REMOVED]
        ).count()
        == 2
    )


def test_a_worker_is_on_the_team_once(sari, putri):
    case = open_case(sari)
    services.case_member_add(actor=sari, case=case, user=putri)

    with pytest.raises(DomainError) as refused:
        services.case_member_add(actor=sari, case=case, user=putri)

    assert refused.value.code == "already_member"


def test_removing_someone_not_on_the_team_changes_nothing(sari, putri):
    case = open_case(sari)
    audit_rows = AuditEvent.objects.count()

    services.case_member_remove(actor=sari, case=case, user=putri)

    assert AuditEvent.objects.count() == audit_rows


def test_the_lead_cannot_leave_the_team(sari):
    case = open_case(sari)

    with pytest.raises(DomainError) as refused:
        services.case_member_remove(actor=sari, case=case, user=sari)

    assert refused.value.code == "member_is_lead"


def test_a_transfer_changes_the_lead_and_keeps_the_history(budi, sari, dewi):
    case = open_case(sari)

    moved = services.case_transfer(
        actor=budi, case=case, to_user=dewi, reason="Sari cuti.", expected_version=case.version
    )

    transfer = CaseTransfer.objects.get(case=case)
    assert moved.lead_counsellor == dewi
    assert (transfer.from_user, transfer.to_user, transfer.reason) == (sari, dewi, "Sari cuti.")
    assert set(
        CaseMember.objects.filter(case=case, removed_on__isnull=True).values_list(
            "user__username", flat=True
        )
    ) == {"sari", "dewi"}


def test_a_transfer_needs_a_reason(budi, sari, dewi):
    case = open_case(sari)

    with pytest.raises(DomainError) as refused:
        services.case_transfer(
            actor=budi, case=case, to_user=dewi, reason=" ", expected_version=case.version
        )

    assert refused.value.code == "needs_reason"
    assert Case.objects.get().lead_counsellor == sari


def test_a_transfer_to_the_current_lead_is_refused(budi, sari):
    case = open_case(sari)

    with pytest.raises(DomainError) as refused:
        services.case_transfer(
            actor=budi, case=case, to_user=sari, reason="x", expected_version=case.version
        )

    assert refused.value.code == "same_lead"


def test_an_unassigned_case_gets_its_lead_by_transfer(budi, intan, sari):
    case = open_case(intan, lead_counsellor=None)

    moved = services.case_transfer(
        actor=budi,
        case=case,
        to_user=sari,
        reason="Pembagian kasus.",
        expected_version=case.version,
    )

    assert moved.lead_counsellor == sari
    assert CaseTransfer.objects.get().from_user is None


# -- closure and reopening -------------------------------------------------------------------------


def test_closing_without_a_reason_is_refused(sari):
    case = open_case(sari)

    with pytest.raises(DomainError) as refused:
        close_request(sari, case, reason="")

    assert (refused.value.code, refused.value.field) == ("needs_reason", "reason")
    assert Case.objects.get().status == CaseStatus.OPEN
    assert ClosureRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "code"),
    [({"outcome": ""}, "needs_outcome"), ({"summary": "  "}, "needs_summary")],
)
def test_closing_needs_an_outcome_and_a_summary(sari, changes, code):
    case = open_case(sari)

    with pytest.raises(DomainError) as refused:
        close_request(sari, case, **changes)

    assert refused.value.code == code


def test_goals_achieved_needs_termination_or_follow_up(sari):
    case = move_to(sari, open_case(sari), Stage.EVALUATION)

    with pytest.raises(DomainError) as refused:
        close_request(sari, case, reason=ClosureReason.GOALS_ACHIEVED)

    assert (refused.value.code, refused.value.field) == ("too_early", "reason")


def test_a_closure_request_waits_for_the_coordinator(sari):
    case = open_case(sari)

    request = close_request(sari, case)

    case.refresh_from_db()
    assert (case.status, request.status) == (CaseStatus.CLOSURE_REQUESTED, ClosureStatus.PENDING)
    assert case.closed_on is None


def test_one_closure_request_waits_at_a_time(sari):
    case = open_case(sari)
    close_request(sari, case)
    case.refresh_from_db()

    with pytest.raises(DomainError) as refused:
        close_request(sari, case)

    assert refused.value.code == "closure_pending"
    assert ClosureRequest.objects.count() == 1


def test_the_coordinator_approves_and_the_case_closes(budi, sari):
    request = pending_closure(sari)

    case = services.case_closure_approve(actor=budi, request=request)

    request.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.CLOSED, timezone.localdate())
    assert (case.closure_reason, case.closure_outcome) == ("goals_achieved", "improved")
    assert (request.status, request.decided_by) == (ClosureStatus.APPROVED, budi)
    assert case.next_due_on is None


def test_the_coordinator_returns_the_request_with_a_comment(budi, sari):
    request = pending_closure(sari)

    case = services.case_closure_return(
        actor=budi, request=request, comment="Kunjungan rumah terakhir belum dilakukan."
    )

    request.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert (request.status, request.comment) == (
        ClosureStatus.RETURNED,
        "Kunjungan rumah terakhir belum dilakukan.",
    )


def test_returning_needs_a_comment(budi, sari):
    request = pending_closure(sari)

    with pytest.raises(DomainError) as refused:
        services.case_closure_return(actor=budi, request=request, comment="")

    assert refused.value.code == "needs_comment"
    assert ClosureRequest.objects.get().status == ClosureStatus.PENDING


def test_a_decided_request_is_not_decided_again(budi, sari):
    request = pending_closure(sari)
    services.case_closure_approve(actor=budi, request=request)

    with pytest.raises(DomainError) as refused:
        services.case_closure_return(actor=budi, request=request, comment="Belum.")

    assert refused.value.code == "already_decided"
    assert Case.objects.get().status == CaseStatus.CLOSED


def test_a_returned_case_may_ask_again(budi, sari):
    request = pending_closure(sari)
    case = services.case_closure_return(actor=budi, request=request, comment="Belum.")

    again = close_request(sari, case, reason=ClosureReason.GOALS_ACHIEVED)

    assert again.status == ClosureStatus.PENDING
    assert ClosureRequest.objects.count() == 2


def test_a_closed_case_is_reopened_at_the_initial_assessment(budi, sari):
    case = closed_case(budi, sari)

    reopened = services.case_reopen(
        actor=sari, case=case, reason="Konflik muncul lagi.", expected_version=case.version
    )

    assert (reopened.status, reopened.stage) == (CaseStatus.OPEN, Stage.INITIAL_ASSESSMENT)
    assert (reopened.closed_on, reopened.closure_reason, reopened.times_reopened) == (None, "", 1)
    assert reopened.stage_changes.latest("id").note == "Konflik muncul lagi."


def test_reopening_needs_a_reason(budi, sari):
    case = closed_case(budi, sari)

    with pytest.raises(DomainError) as refused:
        services.case_reopen(actor=sari, case=case, reason="", expected_version=case.version)

    assert refused.value.code == "needs_reason"
    assert Case.objects.get().status == CaseStatus.CLOSED


def test_only_a_closed_case_is_reopened(sari):
    case = open_case(sari)

    with pytest.raises(DomainError) as refused:
        services.case_reopen(actor=sari, case=case, reason="x", expected_version=case.version)

    assert refused.value.code == "not_closed"


def test_reopening_twice_from_the_same_page_is_stale(budi, sari):
    case = closed_case(budi, sari)
    services.case_reopen(actor=sari, case=case, reason="Lagi.", expected_version=case.version)

    with pytest.raises(StaleEditError):
        services.case_reopen(actor=sari, case=case, reason="Lagi.", expected_version=case.version)

    assert Case.objects.get().times_reopened == 1


# -- follow-up -----------------------------------------------------------------------------------


def test_check_ins_are_scheduled_in_follow_up_and_set_the_next_due_date(sari):
    case = move_to(sari, open_case(sari), Stage.FOLLOW_UP)
    due = timezone.localdate() + datetime.timedelta(days=14)

    services.check_in_schedule(actor=sari, case=case, due_on=due)

    assert Case.objects.get().next_due_on == due


def test_check_ins_wait_for_follow_up(sari):
    case = move_to(sari, open_case(sari), Stage.TERMINATION)

    with pytest.raises(DomainError) as refused:
        services.check_in_schedule(actor=sari, case=case, due_on=timezone.localdate())

    assert refused.value.code == "not_follow_up"


def test_a_recorded_check_in_clears_the_due_date(sari):
    case = move_to(sari, open_case(sari), Stage.FOLLOW_UP)
    check_in = services.check_in_schedule(actor=sari, case=case, due_on=timezone.localdate())

    services.check_in_record(
        actor=sari, check_in=check_in, done_on=timezone.localdate(), note="Keluarga baik."
    )

    check_in.refresh_from_db()
    assert (check_in.done_by, check_in.note) == (sari, "Keluarga baik.")
    assert Case.objects.get().next_due_on is None


def test_a_check_in_is_recorded_once(sari):
    case = move_to(sari, open_case(sari), Stage.FOLLOW_UP)
    check_in = services.check_in_schedule(actor=sari, case=case, due_on=timezone.localdate())
    services.check_in_record(actor=sari, check_in=check_in, done_on=timezone.localdate(), note="")

    with pytest.raises(DomainError) as refused:
        services.check_in_record(
            actor=sari, check_in=check_in, done_on=timezone.localdate(), note="lagi"
        )

    assert refused.value.code == "already_done"
    assert CheckIn.objects.get().note == ""


def test_a_check_in_in_the_future_is_refused(sari):
    case = move_to(sari, open_case(sari), Stage.FOLLOW_UP)
    check_in = services.check_in_schedule(actor=sari, case=case, due_on=timezone.localdate())

    with pytest.raises(DomainError) as refused:
        services.check_in_record(
            actor=sari,
            check_in=check_in,
            done_on=timezone.localdate() + datetime.timedelta(days=1),
            note="",
        )

    assert refused.value.code == "future"


# -- stage names ----------------------------------------------------------------------------------


def test_an_organisation_names_its_stages(budi):
    services.stage_labels_update(
        actor=budi,
        organisation=budi.organisation,
        labels={"registration": "  Registrasi   awal ", "planning": ""},
    )

    assert list(StageLabel.objects.values_list("stage", "label")) == [
        ("registration", "Registrasi awal")
    ]
    assert AuditEvent.objects.get(action=actions.STAGE_LABELS_CHANGED).changes == {
        "registration": [None, "Registrasi awal"]
    }


def test_an_empty_name_restores_the_standard_one(budi):
    services.stage_labels_update(
        actor=budi, organisation=budi.organisation, labels={"registration": "Registrasi"}
    )

    services.stage_labels_update(
        actor=budi, organisation=budi.organisation, labels={"registration": ""}
    )

    assert StageLabel.objects.count() == 0


def test_saving_the_same_names_writes_nothing(budi):
    labels = {"registration": "Registrasi"}
    services.stage_labels_update(actor=budi, organisation=budi.organisation, labels=labels)

    services.stage_labels_update(actor=budi, organisation=budi.organisation, labels=labels)

    assert AuditEvent.objects.filter(action=actions.STAGE_LABELS_CHANGED).count() == 1


def test_an_unknown_risk_level_is_refused_and_takes_no_number(sari):
    with pytest.raises(ValidationError):
        open_case(sari, risk_level="extreme")

    assert open_case(sari).sequence == 1
