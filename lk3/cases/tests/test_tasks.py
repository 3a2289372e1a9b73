import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.cases import services, tasks
from lk3.cases.models import Task
from lk3.cases.tests.builders import open_case, pending_closure
from lk3.core.errors import DomainError, StaleEditError

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def case(budi, sari):
    return open_case(budi)


def add(actor, case, title="Telepon sekolah", assignee=None, due_on=None, **extra):
    return tasks.task_create(
        actor=actor,
        case=case,
        title=title,
        assignee=assignee or actor,
        due_on=due_on or TODAY + 7 * DAY,
        **extra,
    )


def due_of(case):
    case.refresh_from_db()
    return case.next_due_on


# -- creating ------------------------------------------------------------------------------


def test_a_task_sets_when_the_case_is_next_due(sari, case):
    task = add(sari, case, due_on=TODAY + 3 * DAY)

    assert due_of(case) == TODAY + 3 * DAY
    event = AuditEvent.objects.get(action=actions.TASK_CREATED)
    assert event.target_id == str(task.public_id)
    assert event.changes["due_on"] == [None, (TODAY + 3 * DAY).isoformat()]


def test_the_earliest_open_task_decides(sari, case):
    add(sari, case, "Kunjungan rumah", due_on=TODAY + 9 * DAY)
    add(sari, case, "Telepon ibu", due_on=TODAY + 2 * DAY)

    assert due_of(case) == TODAY + 2 * DAY


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"title": "   "}, "needs_title", "title"),
        ({"title": "x" * 201}, "title_too_long", "title"),
        ({"due_on": TODAY - DAY}, "due_in_past", "due_on"),
    ],
)
def test_a_task_is_refused_with_the_field_named(sari, case, changes, code, field):
    with pytest.raises(DomainError) as refused:
        add(sari, case, **changes)

    assert (refused.value.code, refused.value.field) == (code, field)
    assert Task.objects.count() == 0
    assert due_of(case) is None


def test_a_task_goes_to_a_case_worker_only(sari, dewi, case):
    with pytest.raises(DomainError) as refused:
        add(sari, case, assignee=dewi)

    assert (refused.value.code, refused.value.field) == ("assignee_not_worker", "assignee")


def test_a_team_member_and_the_coordinator_may_be_given_tasks(sari, budi, putri, case):
    services.case_member_add(actor=budi, case=case, user=putri)

    for_putri = add(sari, case, assignee=putri)
    for_budi = add(sari, case, "Rapat kasus", assignee=budi)

    assert (for_putri.assignee, for_budi.assignee) == (putri, budi)


def test_a_double_submitted_task_is_created_once(sari, case):
    first = add(sari, case)

    second = add(sari, case)

    assert second == first
    assert Task.objects.count() == 1


def test_no_task_on_a_closed_case(budi):
    closure = pending_closure(budi)
    case = services.case_closure_approve(actor=budi, request=closure)

    with pytest.raises(DomainError) as refused:
        add(budi, case)

    assert refused.value.code == "case_closed"


# -- completing and reopening ------------------------------------------------------------------


def test_completing_a_task_moves_the_due_date_to_the_next_one(sari, case):
    soon = add(sari, case, "Telepon ibu", due_on=TODAY + DAY)
    add(sari, case, "Kunjungan rumah", due_on=TODAY + 5 * DAY)

    done = tasks.task_complete(actor=sari, task=soon)

    assert (done.completed_by, done.version) == (sari, 2)
    assert done.completed_at is not None
    assert due_of(case) == TODAY + 5 * DAY


def test_completing_the_last_task_clears_the_due_date(sari, case):
    task = add(sari, case)

    tasks.task_complete(actor=sari, task=task)

    assert due_of(case) is None


def test_completing_twice_is_harmless(sari, budi, case):
    task = add(sari, case)
    tasks.task_complete(actor=sari, task=task)

    again = tasks.task_complete(actor=budi, task=task)

    assert again.completed_by == sari
    assert AuditEvent.objects.filter(action=actions.TASK_COMPLETED).count() == 1


def test_reopening_brings_the_due_date_back(sari, case):
    task = add(sari, case, due_on=TODAY + 4 * DAY)
    tasks.task_complete(actor=sari, task=task)

    reopened = tasks.task_reopen(actor=sari, task=task)

    assert (reopened.completed_at, reopened.completed_by) == (None, None)
    assert due_of(case) == TODAY + 4 * DAY
    assert AuditEvent.objects.filter(action=actions.TASK_REOPENED).count() == 1


def test_reopening_an_open_task_changes_nothing(sari, case):
    task = add(sari, case)

    tasks.task_reopen(actor=sari, task=task)

    assert not AuditEvent.objects.filter(action=actions.TASK_REOPENED).exists()


# -- changing ----------------------------------------------------------------------------------


def test_changing_a_task_is_audited_with_the_version(sari, budi, case):
    task = add(sari, case)

    changed = tasks.task_update(
        actor=sari,
        task=task,
        expected_version=1,
        title="Telepon wali kelas",
        assignee=budi,
        due_on=TODAY + 2 * DAY,
    )

    event = AuditEvent.objects.get(action=actions.TASK_UPDATED)
    assert (changed.version, changed.assignee) == (2, budi)
    assert event.changes["title"] == ["Telepon sekolah", "Telepon wali kelas"]
    assert event.changes["version"] == [1, 2]
    assert due_of(case) == TODAY + 2 * DAY


def test_a_stale_task_edit_is_refused_with_what_changed(sari, budi, case):
    task = add(sari, case)
    tasks.task_update(
        actor=budi,
        task=task,
        expected_version=1,
        title="Rapat kasus",
        assignee=sari,
        due_on=task.due_on,
    )

    with pytest.raises(StaleEditError) as refused:
        tasks.task_update(
            actor=sari,
            task=task,
            expected_version=1,
            title="Telepon ibu",
            assignee=sari,
            due_on=task.due_on,
        )

    assert refused.value.changed_fields == {"title": ["Telepon sekolah", "Rapat kasus"]}
    assert Task.objects.get().title == "Rapat kasus"


def test_a_double_submitted_task_edit_is_a_no_op(sari, case):
    task = add(sari, case)
    values = {"title": "Rapat kasus", "assignee": sari, "due_on": task.due_on}
    tasks.task_update(actor=sari, task=task, expected_version=1, **values)

    again = tasks.task_update(actor=sari, task=task, expected_version=1, **values)

    assert again.version == 2
    assert AuditEvent.objects.filter(action=actions.TASK_UPDATED).count() == 1


def test_an_overdue_task_can_be_renamed_but_not_moved_into_the_past(sari, case):
    task = add(sari, case, due_on=TODAY - 3 * DAY, today=TODAY - 5 * DAY)

    renamed = tasks.task_update(
        actor=sari,
        task=task,
        expected_version=1,
        title="Telepon ibu lagi",
        assignee=sari,
        due_on=task.due_on,
    )
    with pytest.raises(DomainError) as refused:
        tasks.task_update(
            actor=sari,
            task=renamed,
            expected_version=2,
            title=renamed.title,
            assignee=sari,
            due_on=TODAY - 4 * DAY,
        )

    assert refused.value.code == "due_in_past"


def test_a_done_task_is_reopened_before_it_changes(sari, case):
    task = add(sari, case)
    done = tasks.task_complete(actor=sari, task=task)

    with pytest.raises(DomainError) as refused:
        tasks.task_update(
            actor=sari,
            task=done,
            expected_version=2,
            title="Lain",
            assignee=sari,
            due_on=task.due_on,
        )

    assert refused.value.code == "task_done"


# -- pages -------------------------------------------------------------------------------------


def test_adding_a_task_on_the_page(client, sari, case):
    client.force_login(sari)

    response = client.post(
        reverse("cases:task_create", args=[case.public_id]),
        {
            "title": "Antar ke Puskesmas",
            "assignee": str(sari.public_id),
            "due_on": TODAY.isoformat(),
        },
    )

    assert response["Location"] == reverse("cases:case_detail", args=[case.public_id])
    assert Task.objects.get().title == "Antar ke Puskesmas"


def test_a_task_for_a_worker_off_the_case_is_not_offered(client, sari, dewi, case):
    client.force_login(sari)

    response = client.post(
        reverse("cases:task_create", args=[case.public_id]),
        {
            "title": "Antar ke Puskesmas",
            "assignee": str(dewi.public_id),
            "due_on": TODAY.isoformat(),
        },
    )

    assert "assignee" in response.context["form"].errors
    assert Task.objects.count() == 0


def test_done_from_the_panel_with_htmx_swaps_the_panel(client, sari, case):
    done = add(sari, case, "Telepon ibu")
    add(sari, case, "Kunjungan rumah")
    client.force_login(sari)

    response = client.post(
        reverse("cases:task_complete", args=[case.public_id, done.public_id]),
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="panel-tasks"' in page
    assert "Kunjungan rumah" in page
    assert "Telepon ibu" not in page
    assert Task.objects.get(pk=done.pk).completed_at is not None


def test_done_without_htmx_goes_back_to_the_page_it_came_from(client, sari, case):
    task = add(sari, case)
    client.force_login(sari)
    listing = reverse("cases:task_list", args=[case.public_id])

    response = client.post(
        reverse("cases:task_complete", args=[case.public_id, task.public_id]), {"next": listing}
    )

    assert response["Location"] == listing


def test_a_foreign_next_address_is_ignored(client, sari, case):
    task = add(sari, case)
    client.force_login(sari)

    response = client.post(
        reverse("cases:task_reopen", args=[case.public_id, task.public_id]),
        {"next": "https://phishing.example/lk3"},
    )

    assert response["Location"] == reverse("cases:case_detail", args=[case.public_id])


def test_intake_sees_the_tasks_but_may_not_complete_them(client, sari, intan, case):
    task = add(sari, case)
    client.force_login(intan)

    listing = client.get(reverse("cases:task_list", args=[case.public_id]))
    response = client.post(reverse("cases:task_complete", args=[case.public_id, task.public_id]))

    assert task.title in listing.content.decode()
    assert response.status_code == 403
    assert Task.objects.get().completed_at is None


def test_a_stale_task_edit_on_the_page_names_the_new_assignee(client, sari, budi, case):
    task = add(sari, case)
    tasks.task_update(
        actor=budi,
        task=task,
        expected_version=1,
        title=task.title,
        assignee=budi,
        due_on=task.due_on,
    )
    client.force_login(sari)

    response = client.post(
        reverse("cases:task_edit", args=[case.public_id, task.public_id]),
        {
            "title": "Lain",
            "assignee": str(sari.public_id),
            "due_on": task.due_on.isoformat(),
            "version": "1",
        },
    )

    assert response.status_code == 409
    assert response.context["stale_rows"][0][1:] == (sari.full_name, budi.full_name)


def test_the_tasks_panel_marks_overdue_tasks(client, sari, case):
    add(sari, case, "Telepon ibu", due_on=TODAY - DAY, today=TODAY - 3 * DAY)
    client.force_login(sari)

    page = client.get(reverse("cases:case_detail", args=[case.public_id])).content.decode()

    assert "task-overdue" in page
    assert reverse("cases:task_list", args=[case.public_id]) in page


def _queries_for(client, url):
    client.get(url)  # the first request of a login also updates the session row
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_task_list_costs_the_same_queries_for_more_tasks(client, sari, budi, case):
    client.force_login(sari)
    url = reverse("cases:task_list", args=[case.public_id])
    add(sari, case, "Satu")
    few = _queries_for(client, url)

    for number in range(5):
        done = add(sari, case, f"Tugas {number}", assignee=budi if number % 2 else sari)
        if number % 2:
            tasks.task_complete(actor=budi, task=done)

    assert _queries_for(client, url) == few
