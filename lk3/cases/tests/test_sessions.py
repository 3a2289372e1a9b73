import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lk3.audit import actions
from lk3.audit.models import AccessEvent, AuditEvent
from lk3.cases import services, sessions
from lk3.cases.models import CaseSession, SessionKind, Task
from lk3.cases.tests.builders import open_case, pending_closure
from lk3.core.errors import DomainError, StaleEditError
from lk3.people import services as people_services
from lk3.people.models import Relationship
from lk3.people.tests.builders import guardian_consent, make_person

NOTE = "Ibu menceritakan suaminya marah setiap malam; anak takut pulang ke rumah."


def today():
    return timezone.localdate()


@pytest.fixture
def mother(budi):
    return make_person(budi, "Siti Aminah")


@pytest.fixture
def child(budi):
    return make_person(
        budi,
        "Rizki Pratama",
        sex="L",
        birth_date=datetime.date(2015, 6, 15),
        consents=[guardian_consent()],
    )


@pytest.fixture
def case(budi, sari, mother, child):
    """Siti's case (lead: sari), her family with her son Rizki."""
    family = people_services.family_create(
        actor=budi, organisation=budi.organisation, head=mother, started_on=today()
    )
    people_services.family_member_add(
        actor=budi, family=family, person=child, relationship=Relationship.CHILD, started_on=today()
    )
    return open_case(budi, mother)


def record(actor, case, **changes):
    values = {
        "kind": SessionKind.COUNSELLING,
        "held_on": today(),
        "duration_minutes": 60,
        "staff": [actor],
        "participants": [],
        "outside_participants": "",
        "notes": NOTE,
    }
    values.update(changes)
    return sessions.session_record(actor=actor, case=case, **values)


# -- recording --------------------------------------------------------------------------


def test_a_session_records_who_was_there_and_its_follow_up_tasks(sari, case, mother, child):
    due = today() + datetime.timedelta(days=7)

    session = record(
        sari,
        case,
        kind=SessionKind.HOME_VISIT,
        participants=[mother, child],
        outside_participants="  Bripka Andi (Polsek Bontang Utara)\n\n Ibu Rina, wali kelas ",
        follow_up_tasks=[sessions.FollowUpTask("Kunjungi sekolah Rizki", sari, due)],
    )

    session.refresh_from_db()
    assert session.kind == SessionKind.HOME_VISIT
    assert set(session.participants.all()) == {mother, child}
    assert list(session.staff.all()) == [sari]
    assert (
        session.outside_participants == "Bripka Andi (Polsek Bontang Utara)\nIbu Rina, wali kelas"
    )
    assert session.notes == NOTE
    task = Task.objects.get()
    assert (task.session, task.title, task.assignee, task.due_on) == (
        session,
        "Kunjungi sekolah Rizki",
        sari,
        due,
    )


def test_recording_a_session_marks_the_case_active_and_due(sari, case):
    before = case.last_activity_at
    due = today() + datetime.timedelta(days=3)

    record(sari, case, follow_up_tasks=[sessions.FollowUpTask("Telepon ibu", sari, due)])

    case.refresh_from_db()
    assert case.last_activity_at > before
    assert case.next_due_on == due
    assert case.version == 1


def test_the_notes_are_encrypted_in_the_database_and_not_in_the_audit_trail(sari, case):
    session = record(sari, case)

    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM cases_casesession WHERE id = %s", [session.pk])
        (stored,) = cursor.fetchone()
    event = AuditEvent.objects.get(action=actions.SESSION_RECORDED)
    assert "marah" not in stored
    assert event.changes["notes"] == ["***", "***"]
    assert event.changes["case"] == [None, case.number]


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"held_on": datetime.date.today() + datetime.timedelta(days=2)}, "future", "held_on"),
        ({"duration_minutes": 0}, "duration", "duration_minutes"),
        ({"duration_minutes": 601}, "duration", "duration_minutes"),
        ({"duration_minutes": None}, "duration", "duration_minutes"),
        ({"kind": "telepati"}, "needs_kind", "kind"),
        ({"staff": []}, "needs_staff", "staff"),
    ],
)
def test_a_session_is_refused_with_the_field_named(sari, case, changes, code, field):
    audit_before = AuditEvent.objects.count()

    with pytest.raises(DomainError) as refused:
        record(sari, case, **changes)

    assert (refused.value.code, refused.value.field) == (code, field)
    assert CaseSession.objects.count() == 0
    assert AuditEvent.objects.count() == audit_before


def test_only_case_workers_can_be_present(sari, dewi, case):
    with pytest.raises(DomainError) as refused:
        record(sari, case, staff=[sari, dewi])

    assert refused.value.code == "staff_not_worker"


def test_the_coordinator_may_be_present_without_being_on_the_team(sari, budi, case):
    session = record(sari, case, kind=SessionKind.CASE_CONFERENCE, staff=[sari, budi])

    assert set(session.staff.all()) == {sari, budi}


def test_participants_come_from_the_clients_family(sari, budi, case):
    neighbour = make_person(budi, "Wati Tetangga")

    with pytest.raises(DomainError) as refused:
        record(sari, case, participants=[neighbour])

    assert (refused.value.code, refused.value.field) == ("participant_not_family", "participants")


def test_a_refused_follow_up_task_leaves_no_session_behind(sari, dewi, case):
    due = today() + datetime.timedelta(days=7)
    tasks = [
        sessions.FollowUpTask("Telepon sekolah", sari, due),
        sessions.FollowUpTask("Kunjungan rumah", dewi, due),
    ]

    with pytest.raises(DomainError) as refused:
        record(sari, case, follow_up_tasks=tasks)

    assert (refused.value.code, refused.value.field) == ("assignee_not_worker", "task_2_assignee")
    assert (CaseSession.objects.count(), Task.objects.count()) == (0, 0)


def test_a_double_submitted_session_is_recorded_once(sari, case):
    first = record(sari, case)

    second = record(sari, case)

    assert second == first
    assert CaseSession.objects.count() == 1
    assert AuditEvent.objects.filter(action=actions.SESSION_RECORDED).count() == 1


def test_two_sessions_on_one_day_with_other_notes_are_two(sari, case):
    record(sari, case)

    record(sari, case, notes="Sesi kedua: anak ikut bicara.")

    assert CaseSession.objects.count() == 2


def test_no_session_is_recorded_on_a_closed_case(budi, sari):
    closure = pending_closure(budi)
    case = services.case_closure_approve(actor=budi, request=closure)

    with pytest.raises(DomainError) as refused:
        record(sari, case)

    assert refused.value.code == "case_closed"


def test_a_session_may_be_recorded_while_the_closure_waits(budi, sari):
    closure = pending_closure(budi)

    session = record(sari, closure.case, kind=SessionKind.CONSULTATION)

    assert session.case == closure.case


# -- changing -----------------------------------------------------------------------------


def edit(actor, session, version, **changes):
    values = {
        "kind": session.kind,
        "held_on": session.held_on,
        "duration_minutes": session.duration_minutes,
        "staff": list(session.staff.all()),
        "participants": list(session.participants.all()),
        "outside_participants": session.outside_participants,
        "notes": session.notes,
    }
    values.update(changes)
    return sessions.session_update(actor=actor, session=session, expected_version=version, **values)


def test_changing_a_session_is_audited_without_the_notes(sari, case, child):
    session = record(sari, case)

    changed = edit(sari, session, 1, duration_minutes=90, participants=[child], notes="Diperbaiki.")

    event = AuditEvent.objects.get(action=actions.SESSION_UPDATED)
    assert (changed.version, changed.duration_minutes, changed.notes) == (2, 90, "Diperbaiki.")
    assert event.changes["duration_minutes"] == [60, 90]
    assert event.changes["notes"] == ["***", "***"]
    assert event.changes["participants"] == [[], [str(child.public_id)]]
    assert event.changes["version"] == [1, 2]


def test_a_stale_edit_is_refused_with_what_changed(sari, budi, case):
    session = record(sari, case)
    edit(budi, session, 1, duration_minutes=45)

    with pytest.raises(StaleEditError) as refused:
        edit(sari, session, 1, duration_minutes=75)

    assert refused.value.changed_fields == {"duration_minutes": [60, 45]}
    assert CaseSession.objects.get().duration_minutes == 45


def test_a_double_submitted_edit_is_a_no_op(sari, case):
    session = record(sari, case)
    edit(sari, session, 1, duration_minutes=45)

    again = edit(sari, session, 1, duration_minutes=45)

    assert again.version == 2
    assert AuditEvent.objects.filter(action=actions.SESSION_UPDATED).count() == 1


def test_an_edit_keeps_a_participant_who_has_left_the_family_since(sari, budi, case, child):
    session = record(sari, case, participants=[child])
    membership = child.memberships.get(ended_on__isnull=True)
    people_services.family_member_end(
        actor=budi, membership=membership, ended_on=today(), reason="pindah"
    )

    changed = edit(sari, session, 1, duration_minutes=30)

    assert list(changed.participants.all()) == [child]


# -- pages --------------------------------------------------------------------------------


def form_data(**changes):
    data = {
        "kind": SessionKind.COUNSELLING,
        "held_on": today().isoformat(),
        "duration_minutes": "50",
        "notes": NOTE,
    }
    data.update(changes)
    return data


def test_recording_a_session_on_the_page(client, sari, case, mother):
    client.force_login(sari)
    due = today() + datetime.timedelta(days=5)

    response = client.post(
        reverse("cases:session_create", args=[case.public_id]),
        form_data(
            staff=[str(sari.public_id)],
            participants=[str(mother.public_id)],
            task_1_title="Antar ke Puskesmas",
            task_1_assignee=str(sari.public_id),
            task_1_due_on=due.isoformat(),
        ),
    )

    session = CaseSession.objects.get()
    assert response["Location"] == reverse("cases:case_detail", args=[case.public_id])
    assert list(session.participants.all()) == [mother]
    assert session.tasks.get().title == "Antar ke Puskesmas"


def test_the_form_offers_the_family_and_the_team(client, sari, budi, case):
    outsider = make_person(budi, "Wati Tetangga")
    client.force_login(sari)

    page = client.get(reverse("cases:session_create", args=[case.public_id])).content.decode()

    assert "Rizki Pratama" in page
    assert "Siti Aminah" in page
    assert outsider.full_name not in page
    assert sari.full_name in page


def test_a_future_date_is_refused_on_the_page_in_indonesian(client, sari, case):
    client.force_login(sari)
    tomorrow = today() + datetime.timedelta(days=1)

    response = client.post(
        reverse("cases:session_create", args=[case.public_id]),
        form_data(held_on=tomorrow.isoformat(), staff=[str(sari.public_id)]),
    )

    assert response.status_code == 200
    assert "tanggal tidak boleh di masa depan" in response.content.decode()
    assert CaseSession.objects.count() == 0


def test_a_follow_up_task_without_a_due_date_is_refused_on_its_row(client, sari, case):
    client.force_login(sari)

    response = client.post(
        reverse("cases:session_create", args=[case.public_id]),
        form_data(
            staff=[str(sari.public_id)],
            task_1_title="Telepon ibu",
            task_1_assignee=str(sari.public_id),
        ),
    )

    assert "task_1_due_on" in response.context["form"].errors
    assert CaseSession.objects.count() == 0


def test_the_team_reads_the_notes_and_the_reading_is_logged(client, sari, case):
    session = record(sari, case)
    client.force_login(sari)

    response = client.get(reverse("cases:session_detail", args=[case.public_id, session.public_id]))

    assert NOTE in response.content.decode()
    event = AccessEvent.objects.get(purpose="session_notes")
    assert (event.actor, event.target_id) == (sari, str(session.public_id))


def test_intake_sees_the_session_but_not_its_notes(client, sari, intan, case):
    session = record(sari, case)
    client.force_login(intan)

    response = client.get(reverse("cases:session_detail", args=[case.public_id, session.public_id]))

    assert response.status_code == 200
    assert NOTE not in response.content.decode()
    assert not AccessEvent.objects.filter(purpose="session_notes").exists()


def test_a_counsellor_off_the_case_does_not_find_the_session(client, sari, dewi, case):
    session = record(sari, case)
    client.force_login(dewi)

    response = client.get(reverse("cases:session_detail", args=[case.public_id, session.public_id]))

    assert response.status_code == 404


def test_a_session_of_another_case_is_not_found_under_this_one(client, sari, budi, case):
    other = open_case(budi, make_person(budi, "Ani"))
    session = record(sari, other)
    client.force_login(sari)

    response = client.get(reverse("cases:session_detail", args=[case.public_id, session.public_id]))

    assert response.status_code == 404


def test_a_stale_edit_on_the_page_shows_what_changed(client, sari, budi, case):
    session = record(sari, case)
    edit(budi, session, 1, duration_minutes=45, staff=[sari, budi])
    client.force_login(sari)

    response = client.post(
        reverse("cases:session_edit", args=[case.public_id, session.public_id]),
        form_data(duration_minutes="75", staff=[str(sari.public_id)], version="1"),
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert budi.full_name in page  # the worker the other person added, by name
    assert response.context["form"].data["version"] == "2"
    assert CaseSession.objects.get().duration_minutes == 45


def test_the_sessions_panel_and_list_show_the_session(client, sari, case):
    record(sari, case, kind=SessionKind.HOME_VISIT)
    client.force_login(sari)

    panel = client.get(reverse("cases:case_detail", args=[case.public_id])).content.decode()
    listing = client.get(reverse("cases:session_list", args=[case.public_id])).content.decode()

    assert reverse("cases:session_create", args=[case.public_id]) in panel
    assert "Kunjungan rumah" in panel
    assert "Kunjungan rumah" in listing


def _queries_for(client, url):
    client.get(url)  # the first request of a login also updates the session row
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_session_list_costs_the_same_queries_for_more_sessions(client, sari, budi, case):
    client.force_login(sari)
    url = reverse("cases:session_list", args=[case.public_id])
    record(sari, case, notes="Satu")
    few = _queries_for(client, url)

    for number in range(5):
        record(sari, case, notes=f"Sesi {number}", staff=[sari, budi])

    assert _queries_for(client, url) == few
