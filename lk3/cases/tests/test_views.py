"""The case pages: opening, the case page and its quick actions, editing, stage names, and the
cases shown on the registry pages."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lk3.accounts.navigation import navigation_for
from lk3.audit import actions
from lk3.audit.models import AccessEvent, AuditEvent
from lk3.cases import services, views
from lk3.cases.models import (
    Activity,
    Assessment,
    Attachment,
    Case,
    CaseMember,
    CaseSession,
    CaseStatus,
    CheckIn,
    ClosureRequest,
    ClosureStatus,
    Goal,
    Instrument,
    PlanRevision,
    RiskLevel,
    SessionKind,
    Stage,
    StageChange,
    Task,
)
from lk3.cases.tests.builders import (
    intake_channel,
    move_to,
    open_case,
    pending_closure,
    pmks,
)
from lk3.core.errors import STALE_EDIT
from lk3.people import services as people_services
from lk3.people.models import Relationship
from lk3.people.tests.builders import TODAY, make_person

OPEN = reverse("cases:case_open")
HTMX = {"HX-Request": "true"}


def page(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.public_id])


def action(name: str, case: Case, *args: object) -> str:
    return reverse(f"cases:{name}", args=[case.public_id, *args])


def opening_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "intake_channel": intake_channel().pk,
        "presenting_problem": "Pertengkaran suami-istri setiap malam.",
        "pmks_categories": [term.pk for term in pmks()],
        "risk_level": "medium",
        "token": uuid.uuid4().hex,
    }
    data.update(changes)
    return data


def text(response) -> str:
    return response.content.decode()


# -- opening ---------------------------------------------------------------------------------


def test_opening_without_a_subject_sends_the_user_to_the_registry(client, intan):
    client.force_login(intan)

    response = client.get(OPEN)

    assert response.status_code == 200
    assert reverse("people:search") in text(response)


def test_a_case_is_opened_from_the_persons_page(client, intan, sari):
    person = make_person(intan, "Siti Aminah")
    client.force_login(intan)

    response = client.post(
        f"{OPEN}?person={person.public_id}", opening_form(lead_counsellor=sari.public_id)
    )

    case = Case.objects.get()
    assert response["Location"] == page(case)
    assert (case.client, case.lead_counsellor, case.opened_by) == (person, sari, intan)
    assert case.presenting_problem == "Pertengkaran suami-istri setiap malam."


def test_a_case_is_opened_for_a_family_with_a_member_as_client(client, sari):
    head = make_person(sari, "Budiman", sex="L")
    wife = make_person(sari, "Siti Aminah")
    family = people_services.family_create(
        actor=sari, organisation=sari.organisation, head=head, today=TODAY
    )
    people_services.family_member_add(
        actor=sari, family=family, person=wife, relationship=Relationship.WIFE, started_on=TODAY
    )
    client.force_login(sari)

    response = client.post(f"{OPEN}?family={family.public_id}", opening_form(client=wife.public_id))

    case = Case.objects.get()
    assert response.status_code == 302
    assert (case.family, case.client) == (family, wife)


def test_a_double_submitted_opening_form_opens_one_case(client, sari):
    person = make_person(sari, "Siti Aminah")
    client.force_login(sari)
    form = opening_form()

    first = client.post(f"{OPEN}?person={person.public_id}", form)
    second = client.post(f"{OPEN}?person={person.public_id}", form)

    case = Case.objects.get()
    assert first["Location"] == second["Location"] == page(case)
    assert AuditEvent.objects.filter(action=actions.CASE_OPENED).count() == 1


def test_a_second_form_opens_a_second_case(client, sari):
    person = make_person(sari, "Siti Aminah")
    client.force_login(sari)

    client.post(f"{OPEN}?person={person.public_id}", opening_form())
    client.post(f"{OPEN}?person={person.public_id}", opening_form())

    assert Case.objects.count() == 2


def test_opening_without_a_pmks_category_keeps_the_input(client, sari):
    person = make_person(sari, "Siti Aminah")
    client.force_login(sari)

    response = client.post(f"{OPEN}?person={person.public_id}", opening_form(pmks_categories=[]))

    assert response.status_code == 200
    assert str(services.NEEDS_PMKS) in text(response)
    assert "Pertengkaran suami-istri setiap malam." in text(response)
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    "subject", ["person=not-a-uuid", "person=3916a3eb-8546-426d-b7d9-a5b3e865dfba"]
)
def test_an_unknown_subject_is_not_found(client, sari, subject):
    client.force_login(sari)

    assert client.get(f"{OPEN}?{subject}").status_code == 404


def test_another_organisations_person_is_not_found(client, sari, rudi):
    outsider = make_person(rudi, "Siti Aminah")
    client.force_login(sari)

    response = client.post(f"{OPEN}?person={outsider.public_id}", opening_form())

    assert response.status_code == 404
    assert Case.objects.count() == 0


# -- the case page ----------------------------------------------------------------------------


def test_opening_the_case_page_is_recorded(client, sari):
    case = open_case(sari)
    client.force_login(sari)

    client.get(page(case))

    event = AccessEvent.objects.get()
    assert (event.target_id, event.purpose, event.actor) == (str(case.public_id), "case_file", sari)


def test_an_unassigned_counsellor_gets_a_404_and_nothing_is_recorded(client, sari, dewi):
    case = open_case(sari)
    client.force_login(dewi)

    response = client.get(page(case))

    assert response.status_code == 404
    assert not AccessEvent.objects.exists()


def test_the_header_shows_the_case_at_a_glance(client, budi, sari):
    services.stage_labels_update(
        actor=budi, organisation=budi.organisation, labels={"registration": "Registrasi klien"}
    )
    case = open_case(sari, is_confidential=True, risk_level="urgent")
    client.force_login(sari)

    content = text(client.get(page(case)))

    assert case.number in content
    assert "Registrasi klien" in content
    assert "Siti Aminah" in content
    assert 'class="badge badge-warning">Rahasia' in content
    assert "Suami sering marah dan anak tidak mau sekolah." in content


def test_the_intake_officer_reads_the_case_without_quick_actions(client, budi, intan):
    case = open_case(budi)
    client.force_login(intan)

    content = text(client.get(page(case)))

    assert case.number in content
    assert action("case_stage_move", case) not in content
    assert action("case_edit", case) not in content


def test_the_timeline_lists_what_happened_newest_first(client, budi, sari):
    case = open_case(sari)
    case = services.case_stage_move(
        actor=sari, case=case, to_stage=Stage.INITIAL_ASSESSMENT, expected_version=case.version
    )
    services.case_transfer(
        actor=budi, case=case, to_user=budi, reason="Kasus berat.", expected_version=case.version
    )
    client.force_login(sari)

    content = text(client.get(page(case)))

    transfer, move, opened = (
        content.index("timeline-transfer"),
        content.index("timeline-stage"),
        content.index("timeline-opened"),
    )
    assert transfer < move < opened
    assert "Kasus berat." in content


def test_a_long_timeline_is_cut_with_a_link_to_more(client, sari):
    case = move_to(sari, open_case(sari), Stage.FOLLOW_UP)
    client.force_login(sari)

    short = text(client.get(page(case), {"events": 3}))
    longer = text(client.get(page(case), {"events": 33}))

    assert short.count('class="timeline-event') == 3
    assert "?events=33#timeline" in short
    assert longer.count('class="timeline-event') == 9
    assert "#timeline" not in longer.split('id="timeline"')[1].split("</ol>")[1]


def _history(case: Case, budi, sari, putri) -> Case:
    """A case with something of every kind in its timeline and its panels (``putri`` joins)."""
    services.case_member_add(actor=sari, case=case, user=putri)
    request = services.case_closure_request(
        actor=sari,
        case=case,
        reason="client_withdrew",
        outcome="unknown",
        summary="Klien menolak.",
        expected_version=case.version,
    )
    case = services.case_closure_return(actor=budi, request=request, comment="Coba lagi.")
    case = move_to(sari, case, Stage.FOLLOW_UP)
    check_in = services.check_in_schedule(actor=sari, case=case, due_on=timezone.localdate())
    services.check_in_record(actor=sari, check_in=check_in, done_on=timezone.localdate(), note="")
    services.check_in_schedule(actor=sari, case=case, due_on=timezone.localdate())
    # The other areas' rows are written directly: this is about reading the history;
    # each area's own services are tested in its own files.
    instrument, _ = Instrument.objects.get_or_create(
        code="uji", version=1, defaults={"kind": "initial", "name": "Uji", "schema": {}}
    )
    session = CaseSession.objects.create(
        case=case,
        kind=SessionKind.COUNSELLING,
        held_on=timezone.localdate(),
        duration_minutes=60,
        recorded_by=sari,
    )
    session.staff.set([sari, putri])
    Assessment.objects.create(
        case=case, instrument=instrument, assessed_on=timezone.localdate(), assessed_by=sari
    )
    Task.objects.create(
        case=case,
        title="Kunjungan rumah",
        assignee=sari,
        due_on=timezone.localdate(),
        created_by=sari,
        completed_at=timezone.now(),
        completed_by=sari,
    )
    Task.objects.create(
        case=case, title="Telepon sekolah", assignee=putri, due_on=TODAY, created_by=sari
    )
    Attachment.objects.create(
        case=case,
        kind="letter",
        title="Surat pengantar",
        file="cases/surat.pdf",
        original_name="surat.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=sari,
    )
    goal = Goal.objects.create(case=case, description="Anak kembali sekolah.")
    Activity.objects.create(goal=goal, description="Bertemu wali kelas.", responsible=sari)
    number = PlanRevision.objects.filter(case=case).count() + 1
    PlanRevision.objects.create(
        case=case, number=number, snapshot={}, created_at=timezone.now(), created_by=sari
    )
    return Case.objects.get(pk=case.pk)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_case_page_query_count_does_not_grow_with_the_history(client, budi, sari, putri, dewi):
    case = _history(open_case(sari), budi, sari, putri)
    client.force_login(sari)
    client.get(page(case))
    before = _queries(client, page(case))

    case = services.case_stage_move(
        actor=sari,
        case=case,
        to_stage=Stage.TERMINATION,
        expected_version=case.version,
        note="Belum selesai.",
    )
    _history(case, budi, sari, dewi)

    assert _queries(client, page(case)) == before


def test_the_case_page_query_count_is_pinned(client, budi, sari, putri, django_assert_num_queries):
    case = _history(open_case(sari), budi, sari, putri)
    client.force_login(sari)
    client.get(page(case))

    # Session, user and organisation (3), the case (1), the access record (3: savepoint,
    # insert, release), stage names (1), team (1), timeline sources (9), check-ins (1),
    # PMKS and problem types (2), panels (10), the team form's choices (1), referrals
    # and their events (2). The lead works on the case without a query; the client has
    # no family to name.
    with django_assert_num_queries(34):
        client.get(page(case))


# -- quick actions ------------------------------------------------------------------------------


def stage_form(case: Case, to_stage: str, **changes: object) -> dict[str, object]:
    return {"to_stage": to_stage, "version": case.version, "note": "", **changes}


def test_moving_a_stage_forward_returns_to_the_case_page(client, sari):
    case = open_case(sari)
    client.force_login(sari)

    response = client.post(
        action("case_stage_move", case), stage_form(case, Stage.INITIAL_ASSESSMENT)
    )

    assert response["Location"] == page(case)
    assert Case.objects.get().stage == Stage.INITIAL_ASSESSMENT


def test_a_quick_action_by_htmx_gets_the_same_redirect(client, sari):
    case = open_case(sari)
    client.force_login(sari)

    response = client.post(
        action("case_stage_move", case),
        stage_form(case, Stage.INITIAL_ASSESSMENT),
        headers=HTMX,
    )

    assert response["Location"] == page(case)
    assert Case.objects.get().stage == Stage.INITIAL_ASSESSMENT


def test_the_case_page_wires_its_quick_actions_for_htmx(client, sari):
    case = open_case(sari)
    client.force_login(sari)

    content = text(client.get(page(case)))

    assert f'hx-post="{action("case_stage_move", case)}"' in content
    assert 'hx-select="#main"' in content


def test_a_double_clicked_stage_move_moves_once_and_says_it_was_stale(client, sari):
    case = open_case(sari)
    client.force_login(sari)
    form = stage_form(case, Stage.INITIAL_ASSESSMENT)

    client.post(action("case_stage_move", case), form)
    second = client.post(action("case_stage_move", case), form)

    assert second.status_code == 409
    assert str(STALE_EDIT) in text(second)
    assert StageChange.objects.filter(case=case).count() == 2
    assert Case.objects.get().stage == Stage.INITIAL_ASSESSMENT


def test_a_stale_quick_action_by_htmx_is_shown_as_a_page_htmx_swaps(client, sari):
    case = open_case(sari)
    client.force_login(sari)
    form = stage_form(case, Stage.INITIAL_ASSESSMENT)
    client.post(action("case_stage_move", case), form)

    second = client.post(action("case_stage_move", case), form, headers=HTMX)

    assert second.status_code == 200
    assert str(STALE_EDIT) in text(second)


def test_skipping_a_stage_is_refused_on_the_page(client, sari):
    case = open_case(sari)
    client.force_login(sari)

    response = client.post(action("case_stage_move", case), stage_form(case, Stage.PLANNING))

    assert response.status_code == 200
    assert "errorlist" in text(response)
    assert Case.objects.get().stage == Stage.REGISTRATION


def test_going_back_without_a_note_keeps_the_case_where_it_is(client, sari):
    case = move_to(sari, open_case(sari), Stage.PLANNING)
    client.force_login(sari)

    response = client.post(
        action("case_stage_move", case), stage_form(case, Stage.IN_DEPTH_ASSESSMENT)
    )

    assert str(services.STAGE_BACK_NEEDS_NOTE) in text(response)
    assert Case.objects.get().stage == Stage.PLANNING


def closure_form(case: Case, **changes: object) -> dict[str, object]:
    data = {
        "reason": "client_withdrew",
        "outcome": "unknown",
        "summary": "Klien pindah ke Samarinda.",
        "version": case.version,
    }
    data.update(changes)
    return data


def test_closing_without_a_reason_is_refused_and_keeps_the_summary(client, sari):
    case = open_case(sari)
    client.force_login(sari)

    response = client.post(action("case_closure_request", case), closure_form(case, reason=""))

    assert response.status_code == 200
    assert str(services.CLOSURE_NEEDS_REASON) in text(response)
    assert "Klien pindah ke Samarinda." in text(response)
    assert not ClosureRequest.objects.exists()
    assert Case.objects.get().status == CaseStatus.OPEN


def test_a_closure_request_waits_on_the_page_for_the_coordinator(client, budi, sari):
    case = open_case(sari)
    client.force_login(sari)

    client.post(action("case_closure_request", case), closure_form(case))
    for_sari = text(client.get(page(case)))
    client.force_login(budi)
    for_budi = text(client.get(page(case)))

    closure = ClosureRequest.objects.get()
    approve = action("case_closure_approve", case, closure.pk)
    assert Case.objects.get().status == CaseStatus.CLOSURE_REQUESTED
    assert approve not in for_sari
    assert approve in for_budi


def test_the_coordinator_approves_the_closure_once(client, budi, sari):
    closure = pending_closure(sari)
    client.force_login(budi)
    url = action("case_closure_approve", closure.case, closure.pk)

    first = client.post(url)
    second = client.post(url)

    assert first.status_code == 302
    assert second.status_code == 200
    assert str(services.CLOSURE_ALREADY_DECIDED) in text(second)
    assert Case.objects.get(pk=closure.case_id).status == CaseStatus.CLOSED
    assert AuditEvent.objects.filter(action=actions.CASE_CLOSURE_APPROVED).count() == 1


def test_the_lead_may_not_approve_their_own_closure(client, sari):
    closure = pending_closure(sari)
    client.force_login(sari)

    response = client.post(action("case_closure_approve", closure.case, closure.pk))

    assert response.status_code == 403
    assert ClosureRequest.objects.get().status == ClosureStatus.PENDING


def test_the_coordinator_returns_the_closure_with_a_comment(client, budi, sari):
    closure = pending_closure(sari)
    client.force_login(budi)

    client.post(
        action("case_closure_return", closure.case, closure.pk),
        {"comment": "Kunjungan terakhir dulu."},
    )

    closure.refresh_from_db()
    assert (closure.status, closure.comment) == (ClosureStatus.RETURNED, "Kunjungan terakhir dulu.")
    content = text(client.get(page(closure.case)))
    assert "Kunjungan terakhir dulu." in content


def test_returning_without_a_comment_is_refused(client, budi, sari):
    closure = pending_closure(sari)
    client.force_login(budi)

    response = client.post(action("case_closure_return", closure.case, closure.pk), {})

    assert str(services.RETURN_NEEDS_COMMENT) in text(response)
    assert ClosureRequest.objects.get().status == ClosureStatus.PENDING


def test_a_closed_case_is_reopened_from_its_page(client, budi, sari):
    case = services.case_closure_approve(actor=budi, request=pending_closure(sari))
    client.force_login(sari)

    response = client.post(
        action("case_reopen", case), {"reason": "Masalah muncul lagi.", "version": case.version}
    )

    assert response.status_code == 302
    assert Case.objects.get().stage == Stage.INITIAL_ASSESSMENT


def test_the_coordinator_transfers_the_case(client, budi, sari, dewi):
    case = open_case(sari)
    client.force_login(budi)

    client.post(
        action("case_transfer", case),
        {"to_user": dewi.public_id, "reason": "Sari cuti.", "version": case.version},
    )

    assert Case.objects.get().lead_counsellor == dewi


def test_the_lead_may_not_transfer_the_case(client, sari, dewi):
    case = open_case(sari)
    client.force_login(sari)

    response = client.post(
        action("case_transfer", case),
        {"to_user": dewi.public_id, "reason": "x", "version": case.version},
    )

    assert response.status_code == 403
    assert Case.objects.get().lead_counsellor == sari


def test_the_team_grows_and_shrinks_from_the_case_page(client, sari, putri):
    case = open_case(sari)
    client.force_login(sari)

    client.post(action("case_member_add", case), {"user": putri.public_id})
    on_team = CaseMember.objects.filter(case=case, removed_on__isnull=True).count()
    client.post(action("case_member_remove", case), {"user": putri.public_id})

    assert on_team == 2
    assert CaseMember.objects.filter(case=case, removed_on__isnull=True).count() == 1


def test_check_ins_are_scheduled_and_recorded_from_the_case_page(client, sari):
    case = move_to(sari, open_case(sari), Stage.FOLLOW_UP)
    client.force_login(sari)
    today = timezone.localdate()

    client.post(action("check_in_schedule", case), {"due_on": today.isoformat()})
    check_in = CheckIn.objects.get()
    client.post(
        action("check_in_record", case, check_in.pk),
        {"done_on": today.isoformat(), "note": "Anak sudah sekolah."},
    )

    check_in.refresh_from_db()
    assert (check_in.done_on, check_in.note) == (today, "Anak sudah sekolah.")
    assert "Anak sudah sekolah." in text(client.get(page(case)))


# -- editing ----------------------------------------------------------------------------------


def edit_form(case: Case, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "intake_channel": case.intake_channel_id,
        "referrer_name": case.referrer_name,
        "referrer_contact": case.referrer_contact,
        "presenting_problem": case.presenting_problem,
        "pmks_categories": [term.pk for term in case.pmks_categories.all()],
        "problem_types": [term.pk for term in case.problem_types.all()],
        "risk_level": case.risk_level,
        "kelurahan": case.kelurahan_id or "",
        "version": case.version,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not False}


def test_editing_the_details(client, sari):
    case = open_case(sari)
    client.force_login(sari)

    response = client.post(
        action("case_edit", case), edit_form(case, risk_level="high", is_confidential="on")
    )

    case.refresh_from_db()
    assert response["Location"] == page(case)
    assert (case.risk_level, case.is_confidential) == ("high", True)


def test_a_stale_edit_shows_what_the_other_person_changed(client, budi, sari):
    case = open_case(sari)
    seen = edit_form(case, referrer_name="Pak RT Yusuf")
    services.case_update(actor=budi, case=case, expected_version=case.version, risk_level="urgent")
    client.force_login(sari)

    response = client.post(action("case_edit", case), seen)

    content = text(response)
    assert response.status_code == 409
    assert "Pak RT Yusuf" in content
    assert f'name="version" value="{case.version + 1}"' in content
    with translation.override("id"):
        assert f"<td>{RiskLevel.URGENT.label}</td>" in content
    assert Case.objects.get().referrer_name == ""


def test_a_double_submitted_edit_saves_once(client, sari):
    case = open_case(sari)
    form = edit_form(case, referrer_name="Pak RT Yusuf")
    client.force_login(sari)

    first = client.post(action("case_edit", case), form)
    second = client.post(action("case_edit", case), form)

    assert first.status_code == second.status_code == 302
    assert AuditEvent.objects.filter(action=actions.CASE_UPDATED).count() == 1


def test_the_intake_officer_may_not_edit(client, budi, intan):
    case = open_case(budi)
    client.force_login(intan)

    response = client.post(action("case_edit", case), edit_form(case, risk_level="low"))

    assert response.status_code == 403
    assert Case.objects.get().risk_level == "medium"


# -- stage names --------------------------------------------------------------------------------


def test_the_coordinator_names_the_stages(client, budi, sari):
    case = open_case(sari)
    client.force_login(budi)

    response = client.post(reverse("cases:stage_labels"), {"registration": "Pendekatan awal"})

    assert response.status_code == 302
    assert "Pendekatan awal" in text(client.get(page(case)))


def test_a_counsellor_may_not_name_the_stages(client, sari):
    client.force_login(sari)

    response = client.post(reverse("cases:stage_labels"), {"registration": "X"})

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=actions.STAGE_LABELS_CHANGED).exists()


# -- the registry pages and the menu ----------------------------------------------------------------


def test_the_persons_page_lists_their_cases_and_offers_to_open_one(client, sari):
    person = make_person(sari, "Siti Aminah")
    case = open_case(sari, person)
    client.force_login(sari)

    content = text(client.get(reverse("people:person_detail", args=[person.public_id])))

    assert page(case) in content
    assert f"{OPEN}?person={person.public_id}" in content


def test_a_confidential_case_is_not_listed_to_those_who_do_not_reach_it(client, budi, intan):
    person = make_person(budi, "Siti Aminah")
    case = open_case(budi, person, is_confidential=True)
    client.force_login(intan)

    content = text(client.get(reverse("people:person_detail", args=[person.public_id])))

    assert page(case) not in content


def test_the_family_page_lists_the_members_open_cases(client, budi, sari):
    head = make_person(sari, "Budiman", sex="L")
    family = people_services.family_create(
        actor=sari, organisation=sari.organisation, head=head, today=TODAY
    )
    current = open_case(sari, head)
    closed = services.case_closure_approve(actor=budi, request=pending_closure(sari, client=head))
    client.force_login(sari)

    content = text(client.get(reverse("people:family_detail", args=[family.public_id])))

    assert page(current) in content
    assert page(closed) not in content
    assert f"{OPEN}?family={family.public_id}" in content


@pytest.mark.parametrize(("who", "shown"), [("sari", True), ("intan", True), ("rina", False)])
def test_the_menu_offers_cases_to_casework_roles(request, who, shown):
    user = request.getfixturevalue(who)

    assert ("cases:my_cases" in {item.url_name for item in navigation_for(user)}) is shown


def test_the_opened_tokens_kept_are_bounded(client, sari):
    person = make_person(sari, "Siti Aminah")
    client.force_login(sari)

    for _ in range(views.OPENED_KEPT + 2):
        client.post(f"{OPEN}?person={person.public_id}", opening_form())

    assert len(client.session[views.OPENED_SESSION_KEY]) == views.OPENED_KEPT
