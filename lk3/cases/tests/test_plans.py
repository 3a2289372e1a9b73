"""The intervention plan: goals, activities, revisions kept, stale edits, who may, the pages."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.cases import plans, services
from lk3.cases.models import Activity, Goal, PlanItemStatus, PlanRevision
from lk3.cases.tests.assessment_builders import add_activity, add_goal
from lk3.cases.tests.builders import open_case
from lk3.core.errors import DomainError, StaleEditError

IN_TWO_WEEKS = timezone.localdate() + datetime.timedelta(days=14)


def plan_url(case, name="plan_detail"):
    return reverse(f"cases:{name}", args=[case.public_id])


# -- revisions --------------------------------------------------------------------------------


def test_every_change_keeps_a_revision_of_the_whole_plan(sari):
    case = open_case(sari)

    goal = add_goal(sari, case, note="Hasil konferensi kasus")
    activity = add_activity(sari, goal, responsible=sari, responsible_other="")
    plans.goal_update(actor=sari, goal=goal, expected_version=1, status=PlanItemStatus.IN_PROGRESS)

    revisions = list(PlanRevision.objects.filter(case=case).order_by("number"))
    assert [revision.number for revision in revisions] == [1, 2, 3]
    assert revisions[0].note == "Hasil konferensi kasus"
    assert revisions[0].snapshot == {
        "goals": [
            {
                "id": str(goal.public_id),
                "description": "Anak kembali bersekolah secara teratur",
                "status": "planned",
                "activities": [],
            }
        ]
    }
    assert revisions[1].snapshot["goals"][0]["activities"] == [
        {
            "id": str(activity.public_id),
            "description": "Kunjungan rumah bersama wali kelas",
            "who": "Sari",
            "responsible": "sari",
            "responsible_other": "",
            "due_on": IN_TWO_WEEKS.isoformat(),
            "status": "planned",
        }
    ]
    assert revisions[2].snapshot["goals"][0]["status"] == "in_progress"
    assert revisions[1].snapshot["goals"][0]["status"] == "planned"


def test_each_revision_is_audited_without_the_plan_text(sari):
    goal = add_goal(sari)

    plans.goal_update(
        actor=sari, goal=goal, expected_version=1, description="Anak bersekolah setiap hari"
    )

    events = AuditEvent.objects.filter(action=actions.PLAN_REVISED).order_by("id")
    assert [event.changes["plan_revision"] for event in events] == [[0, 1], [1, 2]]
    assert events[1].changes["description"] == ["***", "***"]
    assert "bersekolah" not in str([event.changes for event in events])


def test_a_revision_shows_what_was_new_or_changed_since_the_one_before(sari):
    goal = add_goal(sari)
    add_activity(sari, goal)
    plans.goal_update(actor=sari, goal=goal, expected_version=1, status=PlanItemStatus.DONE)
    first, second, third = PlanRevision.objects.order_by("number")

    with translation.override("en"):
        adding = plans.revision_view(second, first)
        finishing = plans.revision_view(third, second)

    assert adding[0].activities[0].is_new
    assert not adding[0].is_new
    assert finishing[0].changed == ["status"]
    assert finishing[0].status_label == "Done"


def test_revisions_are_numbered_per_case(sari):
    add_goal(sari, open_case(sari))
    other = open_case(sari)

    add_goal(sari, other)

    assert list(other.plan_revisions.values_list("number", flat=True)) == [1]


# -- goals and activities ---------------------------------------------------------------------


def test_a_goal_needs_words(sari):
    with pytest.raises(DomainError) as refusal:
        add_goal(sari, description="   ")

    assert (refusal.value.code, refusal.value.field) == ("needs_description", "description")
    assert not PlanRevision.objects.exists()


def test_the_same_goal_twice_is_refused(sari):
    case = open_case(sari)
    add_goal(sari, case)

    with pytest.raises(DomainError) as refusal:
        add_goal(sari, case)

    assert refusal.value.code == "already_in_plan"
    assert Goal.objects.count() == 1


def test_an_activity_needs_someone_to_do_it(sari):
    with pytest.raises(DomainError) as refusal:
        add_activity(sari, responsible=None, responsible_other="  ")

    assert (refusal.value.code, refusal.value.field) == ("needs_who", "responsible")
    assert not Activity.objects.exists()


def test_an_activity_needs_a_date(sari):
    with pytest.raises(DomainError) as refusal:
        add_activity(sari, due_on=None)

    assert (refusal.value.code, refusal.value.field) == ("needs_due_date", "due_on")


def test_an_activity_goes_to_the_team_or_to_someone_outside_by_name(sari, dewi):
    goal = add_goal(sari)

    with pytest.raises(DomainError) as refusal:
        add_activity(sari, goal, responsible=dewi, responsible_other="")
    outside = add_activity(
        sari, goal, description="Cek kesehatan anak", responsible_other="Puskesmas Bontang Utara I"
    )

    assert refusal.value.code == "not_on_team"
    assert outside.responsible is None


def test_a_team_member_who_left_keeps_their_activity_when_its_status_changes(sari, budi, putri):
    case = open_case(sari)
    services.case_member_add(actor=budi, case=case, user=putri)
    activity = add_activity(sari, add_goal(sari, case), responsible=putri)
    services.case_member_remove(actor=budi, case=case, user=putri)

    done = plans.activity_update(
        actor=sari, activity=activity, expected_version=1, status=PlanItemStatus.DONE
    )

    assert (done.status, done.responsible) == (PlanItemStatus.DONE, putri)


def test_a_stale_change_is_refused_and_says_what_changed(sari, budi):
    activity = add_activity(sari)
    plans.activity_update(
        actor=budi,
        activity=activity,
        expected_version=1,
        due_on=IN_TWO_WEEKS + datetime.timedelta(days=7),
    )

    with pytest.raises(StaleEditError) as refusal:
        plans.activity_update(
            actor=sari, activity=activity, expected_version=1, status=PlanItemStatus.DONE
        )

    assert refusal.value.changed_fields["due_on"] == [
        IN_TWO_WEEKS.isoformat(),
        (IN_TWO_WEEKS + datetime.timedelta(days=7)).isoformat(),
    ]
    assert Activity.objects.get().status == PlanItemStatus.PLANNED
    assert PlanRevision.objects.count() == 3


def test_a_double_submitted_change_is_a_no_op(sari):
    goal = add_goal(sari)

    plans.goal_update(actor=sari, goal=goal, expected_version=1, status=PlanItemStatus.DONE)
    again = plans.goal_update(actor=sari, goal=goal, expected_version=1, status=PlanItemStatus.DONE)

    assert again.version == 2
    assert PlanRevision.objects.count() == 2


def test_an_unknown_status_is_refused(sari):
    goal = add_goal(sari)

    with pytest.raises(DomainError) as refusal:
        plans.goal_update(actor=sari, goal=goal, expected_version=1, status="finished")

    assert refusal.value.code == "unknown_status"


def test_the_plan_of_a_case_waiting_for_closure_does_not_change(sari):
    case = open_case(sari)
    goal = add_goal(sari, case)
    case.refresh_from_db()
    services.case_closure_request(
        actor=sari,
        case=case,
        reason="client_withdrew",
        outcome="unknown",
        summary="Klien menolak melanjutkan.",
        expected_version=case.version,
    )

    with pytest.raises(DomainError) as refusal:
        plans.goal_update(actor=sari, goal=goal, expected_version=1, status=PlanItemStatus.DROPPED)

    assert refusal.value.code == "not_open"
    assert PlanRevision.objects.count() == 1


# -- pages -------------------------------------------------------------------------------------


def test_adding_a_goal_from_the_page(client, sari):
    case = open_case(sari)
    client.force_login(sari)

    response = client.post(
        plan_url(case, "goal_create"), {"description": "Suami-istri berbicara tanpa kekerasan"}
    )

    assert response["Location"] == plan_url(case)
    assert Goal.objects.get(case=case).description == "Suami-istri berbicara tanpa kekerasan"


def test_adding_an_activity_offers_the_team_and_names_the_missing_date(client, sari):
    goal = add_goal(sari)
    client.force_login(sari)
    url = reverse("cases:activity_create", args=[goal.case.public_id, goal.public_id])

    form = client.get(url).content.decode()
    response = client.post(url, {"description": "Konseling pasangan", "responsible": sari.pk})

    assert f'<option value="{sari.pk}">Sari</option>' in form
    assert response.status_code == 200
    assert "Isi tanggal kegiatan ini harus selesai." in response.content.decode()
    assert not Activity.objects.exists()


def test_the_plan_page_shows_goals_activities_and_status_forms(client, sari):
    activity = add_activity(sari)
    client.force_login(sari)

    page = client.get(plan_url(activity.goal.case)).content.decode()

    assert "Anak kembali bersekolah secara teratur" in page
    assert "Wali kelas SDN 001 Bontang Utara" in page
    assert (
        reverse("cases:activity_status", args=[activity.goal.case.public_id, activity.public_id])
        in page
    )
    assert 'hx-trigger="change"' in page


def test_a_quick_status_change_with_htmx_returns_just_the_activity(client, sari):
    activity = add_activity(sari)
    client.force_login(sari)
    url = reverse("cases:activity_status", args=[activity.goal.case.public_id, activity.public_id])

    response = client.post(
        url, {"status": PlanItemStatus.DONE, "version": "1"}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith("<li")
    assert f'id="activity-{activity.public_id.hex}"' in page
    assert Activity.objects.get().status == PlanItemStatus.DONE


def test_a_quick_status_change_without_script_comes_back_to_the_plan(client, sari):
    goal = add_goal(sari)
    client.force_login(sari)
    url = reverse("cases:goal_status", args=[goal.case.public_id, goal.public_id])

    response = client.post(url, {"status": PlanItemStatus.IN_PROGRESS, "version": "1"})

    assert response["Location"] == plan_url(goal.case)
    assert Goal.objects.get().status == PlanItemStatus.IN_PROGRESS


def test_a_stale_quick_status_change_says_so_in_place(client, sari, budi):
    goal = add_goal(sari)
    plans.goal_update(actor=budi, goal=goal, expected_version=1, status=PlanItemStatus.DROPPED)
    client.force_login(sari)
    url = reverse("cases:goal_status", args=[goal.case.public_id, goal.public_id])

    response = client.post(
        url, {"status": PlanItemStatus.DONE, "version": "1"}, headers={"HX-Request": "true"}
    )

    assert 'role="alert"' in response.content.decode()
    assert Goal.objects.get().status == PlanItemStatus.DROPPED


def test_a_stale_goal_edit_shows_the_other_persons_change(client, sari, budi):
    goal = add_goal(sari)
    plans.goal_update(
        actor=budi, goal=goal, expected_version=1, description="Anak bersekolah setiap hari"
    )
    client.force_login(sari)
    url = reverse("cases:goal_edit", args=[goal.case.public_id, goal.public_id])

    response = client.post(
        url, {"description": "Anak sekolah lagi", "status": "planned", "version": "1"}
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "Anak bersekolah setiap hari" in page
    assert 'name="version" value="2"' in page
    assert Goal.objects.get().description == "Anak bersekolah setiap hari"


def test_any_revision_can_be_shown_again(client, sari):
    goal = add_goal(sari)
    plans.goal_update(
        actor=sari, goal=goal, expected_version=1, description="Anak bersekolah setiap hari"
    )
    client.force_login(sari)

    first = client.get(plan_url(goal.case, "plan_revisions"), {"number": "1"}).content.decode()
    newest = client.get(plan_url(goal.case, "plan_revisions")).content.decode()

    assert "Anak kembali bersekolah secara teratur" in first
    assert "Anak bersekolah setiap hari" not in first
    assert "Anak bersekolah setiap hari" in newest
    assert client.get(plan_url(goal.case, "plan_revisions"), {"number": "9"}).status_code == 404


def test_the_case_page_panel_shows_the_plan(client, sari):
    activity = add_activity(sari)
    client.force_login(sari)

    page = client.get(reverse("cases:case_detail", args=[activity.goal.case.public_id]))

    panel = page.content.decode()
    panel = panel[panel.index('id="panel-plan"') :]
    assert "Anak kembali bersekolah secara teratur" in panel[: panel.index("</section>")]
    assert plan_url(activity.goal.case, "plan_revisions") in panel


@pytest.mark.parametrize(("user", "status"), [("dewi", 404), ("intan", 403), ("rina", 403)])
def test_who_may_not_work_on_the_case_changes_nothing(client, sari, request, user, status):
    goal = add_goal(sari)
    client.force_login(request.getfixturevalue(user))
    case = goal.case

    responses = [
        client.post(plan_url(case, "goal_create"), {"description": "Tujuan lain"}),
        client.post(
            reverse("cases:goal_status", args=[case.public_id, goal.public_id]),
            {"status": "done", "version": "1"},
        ),
        client.post(
            reverse("cases:activity_create", args=[case.public_id, goal.public_id]),
            {"description": "Kegiatan", "responsible_other": "Klien", "due_on": "2030-01-01"},
        ),
    ]

    assert [response.status_code for response in responses] == [status] * 3
    assert PlanRevision.objects.count() == 1
    assert Goal.objects.get().version == 1


def test_an_intake_officer_reads_the_plan_without_the_forms(client, sari, intan):
    goal = add_goal(sari)
    client.force_login(intan)

    page = client.get(plan_url(goal.case)).content.decode()

    assert "Anak kembali bersekolah secara teratur" in page
    assert "hx-post" not in page


def test_the_plan_page_does_not_query_more_for_a_longer_plan(client, sari):
    goal = add_goal(sari)
    add_activity(sari, goal, responsible=sari)
    client.force_login(sari)
    url = plan_url(goal.case)
    client.get(url)  # the session and the user are loaded once
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for number in range(3):
        more = add_goal(sari, goal.case, description=f"Tujuan tambahan {number}")
        add_activity(sari, more, responsible=sari)
        add_activity(sari, more, description="Konseling keluarga", responsible=sari)

    with CaptureQueriesContext(connection) as long:
        client.get(url)

    assert len(long.captured_queries) == len(short.captured_queries)
