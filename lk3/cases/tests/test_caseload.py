"""Caseload pages: my cases, the organisation's caseload, my tasks, overdue lists."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lk3.cases import caseload, services, tasks
from lk3.cases.models import Case, CaseStatus, RiskLevel, Stage
from lk3.cases.tests.builders import move_to, open_case, pending_closure, pmks
from lk3.people.tests.builders import guardian_consent, make_person
from lk3.regions.models import Region

MY_CASES = reverse("cases:my_cases")
CASELOAD = reverse("cases:caseload")
MY_TASKS = reverse("cases:my_tasks")
OVERDUE = reverse("cases:overdue")
DAY = datetime.timedelta(days=1)
CHILD_PMKS = "anak-berhadapan-dengan-hukum"


@pytest.fixture
def today():
    return timezone.localdate()


def numbers(response):
    return [row.number for row in response.context["rows"]]


def subjects(response):
    return [row.subject for row in response.context["rows"]]


def task_titles(response):
    return [row.item.title for row in response.context["rows"]]


def overdue_task(actor, case, title, *, days_late, assignee=None):
    """A task that fell due ``days_late`` days ago (created when it was still ahead)."""
    due = timezone.localdate() - days_late * DAY
    return tasks.task_create(
        actor=actor,
        case=case,
        title=title,
        assignee=assignee or case.lead_counsellor,
        due_on=due,
        today=due - 7 * DAY,
    )


def task_due_in(actor, case, title, *, days, assignee=None):
    return tasks.task_create(
        actor=actor,
        case=case,
        title=title,
        assignee=assignee or case.lead_counsellor,
        due_on=timezone.localdate() + days * DAY,
    )


# -- my cases -----------------------------------------------------------------------------------


def test_my_cases_are_the_ones_i_lead(client, budi, sari, dewi):
    # given
    mine = open_case(budi)
    open_case(budi, lead_counsellor=dewi)
    client.force_login(sari)
    # when
    response = client.get(MY_CASES)
    # then
    assert numbers(response) == [mine.number]


def test_another_counsellor_does_not_see_my_cases(client, budi, sari, dewi):
    # given
    open_case(budi)
    client.force_login(dewi)
    # when
    response = client.get(MY_CASES)
    # then
    assert numbers(response) == []
    assert "Siti Aminah" not in response.content.decode()


def test_my_cases_include_the_cases_i_am_on_the_team_of(client, budi, sari, putri):
    # given
    case = open_case(budi)
    services.case_member_add(actor=budi, case=case, user=putri)
    client.force_login(putri)
    # when
    response = client.get(MY_CASES)
    # then
    assert numbers(response) == [case.number]


def test_leaving_the_team_takes_the_case_off_my_cases(client, budi, sari, putri):
    # given
    case = open_case(budi)
    services.case_member_add(actor=budi, case=case, user=putri)
    services.case_member_remove(actor=budi, case=case, user=putri)
    client.force_login(putri)
    # when
    response = client.get(MY_CASES)
    # then
    assert numbers(response) == []


def test_an_intake_officers_cases_are_the_ones_they_opened(client, budi, intan, sari):
    # given
    opened = open_case(intan, lead_counsellor=None)
    open_case(budi)
    client.force_login(intan)
    # when
    response = client.get(MY_CASES)
    # then
    assert numbers(response) == [opened.number]


def test_my_cases_leave_out_closed_cases_unless_asked(client, budi, sari):
    # given
    request = pending_closure(budi)
    services.case_closure_approve(actor=budi, request=request)
    still_open = open_case(budi)
    client.force_login(sari)
    # when
    default = client.get(MY_CASES)
    closed = client.get(MY_CASES, {"status": CaseStatus.CLOSED})
    every = client.get(MY_CASES, {"status": caseload.STATUS_ALL})
    # then
    assert numbers(default) == [still_open.number]
    assert numbers(closed) == [request.case.number]
    assert sorted(numbers(every)) == sorted([still_open.number, request.case.number])


def test_my_cases_page_has_no_lead_filter(client, sari):
    client.force_login(sari)

    response = client.get(MY_CASES)

    assert "lead" not in response.context["form"].fields


# -- the organisation's caseload -----------------------------------------------------------------------


def test_coordinator_sees_every_case_of_the_organisation_only(client, budi, sari, dewi, rudi):
    # given
    first = open_case(budi)
    second = open_case(budi, lead_counsellor=dewi)
    open_case(rudi, lead_counsellor=None)
    client.force_login(budi)
    # when
    response = client.get(CASELOAD)
    # then
    assert sorted(numbers(response)) == sorted([first.number, second.number])


def test_intake_does_not_see_a_confidential_case_assigned_to_a_counsellor(
    client, budi, sari, intan
):
    # given
    open_case(budi, is_confidential=True)
    ordinary = open_case(budi)
    client.force_login(intan)
    # when
    response = client.get(CASELOAD)
    # then
    assert numbers(response) == [ordinary.number]


@pytest.mark.parametrize("user", ["sari", "dewi", "putri", "rina", "pak_agus", "viewer"])
def test_the_caseload_is_only_for_coordinator_and_intake(client, request, budi, user):
    client.force_login(request.getfixturevalue(user))

    response = client.get(CASELOAD)

    assert response.status_code == 403


def test_caseload_filters_by_stage(client, budi, sari):
    # given
    assessed = move_to(budi, open_case(budi), Stage.INITIAL_ASSESSMENT)
    open_case(budi)
    client.force_login(budi)
    # when
    response = client.get(CASELOAD, {"stage": Stage.INITIAL_ASSESSMENT})
    # then
    assert numbers(response) == [assessed.number]


def test_caseload_filters_by_status(client, budi, sari):
    # given
    waiting = pending_closure(budi).case
    open_case(budi)
    client.force_login(budi)
    # when
    response = client.get(CASELOAD, {"status": CaseStatus.CLOSURE_REQUESTED})
    # then
    assert numbers(response) == [waiting.number]


def test_caseload_filters_by_risk(client, budi, sari):
    # given
    urgent = open_case(budi, risk_level=RiskLevel.URGENT)
    open_case(budi, risk_level=RiskLevel.LOW)
    client.force_login(budi)
    # when
    response = client.get(CASELOAD, {"risk": RiskLevel.URGENT})
    # then
    assert numbers(response) == [urgent.number]


def test_caseload_filters_by_pmks(client, budi, sari):
    # given
    child = open_case(budi, pmks_categories=pmks(CHILD_PMKS))
    open_case(budi)
    client.force_login(budi)
    # when
    response = client.get(CASELOAD, {"pmks": CHILD_PMKS})
    # then
    assert numbers(response) == [child.number]


def test_caseload_filters_by_kelurahan(client, budi, sari):
    # given
    api_api = Region.objects.get(code="64.74.01.1002")
    here = open_case(budi, kelurahan=api_api)
    open_case(budi, kelurahan=Region.objects.get(code="64.74.02.1001"))
    client.force_login(budi)
    # when
    response = client.get(CASELOAD, {"kelurahan": api_api.code})
    # then
    assert numbers(response) == [here.number]


def test_caseload_filters_by_lead_counsellor(client, budi, sari, dewi):
    # given
    open_case(budi)
    dewis = open_case(budi, lead_counsellor=dewi)
    client.force_login(budi)
    # when
    response = client.get(CASELOAD, {"lead": str(dewi.public_id)})
    # then
    assert numbers(response) == [dewis.number]


def test_caseload_filters_overdue_cases(client, budi, sari):
    # given
    late = open_case(budi)
    overdue_task(budi, late, "Kunjungan rumah", days_late=3)
    on_time = open_case(budi)
    task_due_in(budi, on_time, "Telepon klien", days=2)
    client.force_login(budi)
    # when
    response = client.get(CASELOAD, {"overdue": "on"})
    # then
    assert numbers(response) == [late.number]
    assert response.context["rows"][0].is_overdue


def test_caseload_finds_a_case_by_number(client, budi, sari):
    # given
    wanted = open_case(budi)
    open_case(budi)
    client.force_login(budi)
    # when
    response = client.get(CASELOAD, {"number": wanted.number.lower()})
    # then
    assert numbers(response) == [wanted.number]


def test_a_filter_naming_nothing_known_finds_nothing(client, budi, sari):
    # given
    open_case(budi)
    client.force_login(budi)
    # when
    response = client.get(CASELOAD, {"lead": "00000000-0000-0000-0000-000000000000"})
    # then
    assert numbers(response) == []


def test_a_malformed_filter_is_shown_as_an_error_and_left_out(client, budi, sari):
    # given
    urgent = open_case(budi, risk_level=RiskLevel.URGENT)
    open_case(budi, risk_level=RiskLevel.LOW)
    client.force_login(budi)
    # when
    response = client.get(CASELOAD, {"lead": "sari", "risk": RiskLevel.URGENT})
    # then
    assert response.context["form"].errors["lead"]
    assert numbers(response) == [urgent.number]


def test_overdue_cases_come_first_then_next_due_then_nothing_due(client, budi, sari):
    # given
    nothing_due = open_case(budi)
    next_week = open_case(budi)
    task_due_in(budi, next_week, "Evaluasi", days=7)
    late = open_case(budi)
    overdue_task(budi, late, "Kunjungan rumah", days_late=2)
    tomorrow = open_case(budi)
    task_due_in(budi, tomorrow, "Telepon sekolah", days=1)
    client.force_login(budi)
    # when
    response = client.get(CASELOAD)
    # then
    assert numbers(response) == [late.number, tomorrow.number, next_week.number, nothing_due.number]


def test_newest_first_on_request(client, budi, sari):
    # given
    first, second, third = open_case(budi), open_case(budi), open_case(budi)
    task_due_in(budi, first, "Evaluasi", days=1)
    client.force_login(budi)
    # when
    response = client.get(CASELOAD, {"sort": caseload.SORT_OPENED})
    # then
    assert numbers(response) == [third.number, second.number, first.number]


def test_closed_cases_are_listed_newest_first(client, budi, sari):
    # given
    closed = []
    for _ in range(2):
        request = pending_closure(budi)
        closed.append(services.case_closure_approve(actor=budi, request=request))
    client.force_login(budi)
    # when
    response = client.get(CASELOAD, {"status": CaseStatus.CLOSED})
    # then
    assert numbers(response) == [closed[1].number, closed[0].number]


def test_caseload_shows_the_organisations_stage_names(client, budi, sari):
    # given
    from lk3.cases.models import StageLabel

    StageLabel.objects.create(
        organisation=budi.organisation, stage=Stage.REGISTRATION, label="Pendaftaran"
    )
    open_case(budi)
    client.force_login(budi)
    # when
    response = client.get(CASELOAD)
    # then
    assert [row.stage_label for row in response.context["rows"]] == ["Pendaftaran"]


def test_caseload_answers_htmx_with_rows_only(client, budi, sari):
    client.force_login(budi)

    response = client.get(CASELOAD, headers={"HX-Request": "true"})

    assert response.templates[0].name == "cases/_caseload_rows.html"


# -- masking ---------------------------------------------------------------------------------------------


def test_a_confidential_clients_name_is_initials_for_intake_before_assignment(client, budi, intan):
    # given
    open_case(intan, lead_counsellor=None, is_confidential=True)
    client.force_login(intan)
    # when
    response = client.get(CASELOAD)
    # then
    assert subjects(response) == ["S. A."]
    assert "Siti Aminah" not in response.content.decode()


@pytest.mark.parametrize("viewer", ["budi", "sari"])
def test_coordinator_and_lead_see_a_confidential_clients_name(client, request, budi, sari, viewer):
    # given
    open_case(budi, is_confidential=True)
    client.force_login(request.getfixturevalue(viewer))
    # when
    response = client.get(MY_CASES if viewer == "sari" else CASELOAD)
    # then
    assert subjects(response) == ["Siti Aminah"]


def test_a_child_clients_name_is_initials_off_the_team(client, budi, sari, intan):
    # given
    child = make_person(
        budi,
        "Rizky Ramadhan",
        sex="L",
        birth_date=timezone.localdate() - datetime.timedelta(days=365 * 12),
        consents=[guardian_consent()],
    )
    open_case(budi, client=child)
    # when
    client.force_login(intan)
    for_intake = client.get(CASELOAD)
    client.force_login(sari)
    for_lead = client.get(MY_CASES)
    # then
    assert subjects(for_intake) == ["R. R."]
    assert subjects(for_lead) == ["Rizky Ramadhan"]


def test_a_team_member_sees_the_name(client, budi, sari, putri):
    # given
    case = open_case(budi, is_confidential=True)
    services.case_member_add(actor=budi, case=case, user=putri)
    client.force_login(putri)
    # when
    response = client.get(MY_CASES)
    # then
    assert subjects(response) == ["Siti Aminah"]


def test_a_family_case_shows_the_head_of_the_family(client, budi, sari):
    # given
    from lk3.people import services as people_services

    head = make_person(budi, "Ahmad Fauzi", sex="L")
    family = people_services.family_create(
        actor=budi, organisation=budi.organisation, head=head, started_on=timezone.localdate()
    )
    open_case(budi, family=family)
    client.force_login(budi)
    # when
    response = client.get(CASELOAD)
    # then
    assert subjects(response) == ["Keluarga Ahmad Fauzi"]


def test_initials_keep_one_letter_per_word():
    assert caseload.initials("siti  nur aminah") == "S. N. A."


# -- pagination and cost -----------------------------------------------------------------------------------


def test_caseload_pages_by_25(client, budi, sari):
    # given
    for _ in range(27):
        open_case(budi, client=make_person(budi, "Dian Lestari"))
    client.force_login(budi)
    # when
    first = client.get(CASELOAD)
    second = client.get(CASELOAD, {"page": 2})
    # then
    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 2
    assert set(numbers(first)).isdisjoint(numbers(second))
    assert first.context["page"].paginator.count == 27


def test_counting_stops_at_the_cap(budi, sari, today):
    # given
    for _ in range(4):
        open_case(budi, client=make_person(budi, "Dian Lestari"))
    cases = caseload.caseload_for_user(user=budi, filters=caseload.CaseloadFilters(), today=today)
    # when
    paginator = caseload.CappedPaginator(cases, 2, cap=3)
    # then
    assert (paginator.count, paginator.is_capped, paginator.num_pages) == (3, True, 2)


def test_a_capped_list_says_there_are_more(client, budi, sari, monkeypatch):
    # given
    monkeypatch.setattr(caseload, "COUNT_CAP", 2)
    for _ in range(3):
        open_case(budi, client=make_person(budi, "Dian Lestari"))
    client.force_login(budi)
    # when
    response = client.get(CASELOAD)
    # then
    assert response.context["page"].paginator.is_capped
    assert "Lebih dari 2 kasus" in response.content.decode()


def _fill(budi, lead, count, *, start=0, opener=None):
    """Cases of every shape a row can take: client, family, confidential, overdue, unassigned."""
    opener = opener or budi
    from lk3.people import services as people_services

    for number in range(start, start + count):
        shape = number % 4
        if shape == 0:
            case = open_case(
                opener, client=make_person(budi, f"Klien {number}"), lead_counsellor=lead
            )
            overdue_task(budi, case, "Kunjungan", days_late=1)
        elif shape == 1:
            open_case(
                opener,
                client=make_person(budi, f"Klien {number}"),
                lead_counsellor=lead,
                is_confidential=True,
            )
        elif shape == 2:
            head = make_person(budi, f"Kepala {number}", sex="L")
            family = people_services.family_create(
                actor=budi,
                organisation=budi.organisation,
                head=head,
                started_on=timezone.localdate(),
            )
            open_case(opener, client=None, family=family, lead_counsellor=lead)
        else:
            open_case(opener, client=make_person(budi, f"Klien {number}"), lead_counsellor=None)


@pytest.mark.parametrize(
    ("viewer", "url"),
    [("budi", CASELOAD), ("intan", CASELOAD), ("sari", MY_CASES), ("intan", MY_CASES)],
)
def test_list_query_count_does_not_grow_with_rows(client, request, budi, sari, intan, viewer, url):
    # given
    user = request.getfixturevalue(viewer)
    opener = user if user.role == "intake" and url == MY_CASES else budi
    client.force_login(user)
    _fill(budi, sari, 4, opener=opener)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        few_rows = len(client.get(url).context["rows"])
    _fill(budi, sari, 16, start=4, opener=opener)
    # when
    with CaptureQueriesContext(connection) as many:
        many_rows = len(client.get(url).context["rows"])
    # then
    assert many_rows > few_rows
    assert len(many) == len(few)


def test_caseload_query_count_is_pinned(client, budi, sari, django_assert_num_queries):
    # given
    _fill(budi, sari, 12)
    client.force_login(budi)
    client.get(CASELOAD)
    # when / then: session, user, organisation, stage names, PMKS choices,
    # kelurahan choices, lead choices, the capped count, the page, family heads
    with django_assert_num_queries(10):
        client.get(CASELOAD, {"risk": RiskLevel.MEDIUM})


def test_my_cases_query_count_is_pinned(client, budi, sari, django_assert_num_queries):
    # given
    _fill(budi, sari, 12)
    client.force_login(sari)
    client.get(MY_CASES)
    # when / then: as the caseload, with the viewer's team memberships instead of lead choices
    with django_assert_num_queries(10):
        client.get(MY_CASES)


# -- my tasks -----------------------------------------------------------------------------------------


def test_my_tasks_are_open_tasks_assigned_to_me_overdue_first(client, budi, sari, dewi):
    # given
    case = open_case(budi)
    later = task_due_in(budi, case, "Evaluasi bulanan", days=10)
    late = overdue_task(budi, case, "Kunjungan rumah", days_late=2)
    done = task_due_in(budi, case, "Telepon sekolah", days=1)
    tasks.task_complete(actor=sari, task=done)
    other = open_case(budi, lead_counsellor=dewi)
    task_due_in(budi, other, "Tugas Dewi", days=1)
    client.force_login(sari)
    # when
    response = client.get(MY_TASKS)
    # then
    assert task_titles(response) == [late.title, later.title]
    assert [row.is_overdue for row in response.context["rows"]] == [True, False]


def test_my_tasks_leave_out_cases_i_no_longer_reach(client, budi, sari, putri):
    # given
    case = open_case(budi, is_confidential=True)
    services.case_member_add(actor=budi, case=case, user=putri)
    task_due_in(budi, case, "Asesmen psikologis", days=3, assignee=putri)
    services.case_member_remove(actor=budi, case=case, user=putri)
    client.force_login(putri)
    # when
    response = client.get(MY_TASKS)
    # then
    assert task_titles(response) == []


def test_my_tasks_query_count_does_not_grow_with_tasks(client, budi, sari):
    # given
    case = open_case(budi)
    client.force_login(sari)
    task_due_in(budi, case, "Tugas 0", days=1)
    client.get(MY_TASKS)
    with CaptureQueriesContext(connection) as few:
        client.get(MY_TASKS)
    for number in range(1, 12):
        other = open_case(budi, client=make_person(budi, f"Klien {number}"))
        task_due_in(budi, other, f"Tugas {number}", days=number)
    # when
    with CaptureQueriesContext(connection) as many:
        response = client.get(MY_TASKS)
    # then
    assert len(response.context["rows"]) == 12
    assert len(many) == len(few)


# -- overdue -----------------------------------------------------------------------------------------


def test_overdue_lists_the_organisations_late_tasks_oldest_first(client, budi, sari, dewi, rudi):
    # given
    first = open_case(budi)
    overdue_task(budi, first, "Kunjungan rumah", days_late=1)
    second = open_case(budi, lead_counsellor=dewi)
    overdue_task(budi, second, "Laporan ke sekolah", days_late=5)
    task_due_in(budi, second, "Evaluasi", days=3)
    client.force_login(budi)
    # when
    response = client.get(OVERDUE)
    # then
    assert task_titles(response) == ["Laporan ke sekolah", "Kunjungan rumah"]


def test_overdue_tasks_by_worker(client, budi, sari, dewi):
    # given
    overdue_task(budi, open_case(budi), "Kunjungan rumah", days_late=1)
    overdue_task(budi, open_case(budi, lead_counsellor=dewi), "Laporan", days_late=5)
    client.force_login(budi)
    # when
    response = client.get(OVERDUE, {"worker": str(dewi.public_id)})
    # then
    assert task_titles(response) == ["Laporan"]


def test_overdue_check_ins(client, budi, sari, today):
    # given
    case = move_to(budi, open_case(budi), Stage.FOLLOW_UP)
    late = services.check_in_schedule(actor=budi, case=case, due_on=today - 4 * DAY)
    case.refresh_from_db()
    services.check_in_schedule(actor=budi, case=case, due_on=today + 4 * DAY)
    client.force_login(budi)
    # when
    response = client.get(OVERDUE, {"kind": "check_ins"})
    # then
    assert [row.item for row in response.context["rows"]] == [late]
    assert response.context["other"].count == 0


def test_a_closed_cases_tasks_are_not_overdue(client, budi, sari, today):
    # given
    request = pending_closure(budi)
    overdue_task(budi, request.case, "Tugas lama", days_late=3)
    services.case_closure_approve(actor=budi, request=request)
    client.force_login(budi)
    # when
    response = client.get(OVERDUE)
    # then
    assert task_titles(response) == []


def test_overdue_query_count_does_not_grow_with_rows(client, budi, sari):
    # given
    client.force_login(budi)
    overdue_task(budi, open_case(budi), "Tugas 0", days_late=1)
    client.get(OVERDUE)
    with CaptureQueriesContext(connection) as few:
        client.get(OVERDUE)
    for number in range(1, 10):
        case = open_case(budi, client=make_person(budi, f"Klien {number}"), is_confidential=True)
        overdue_task(budi, case, f"Tugas {number}", days_late=number)
    # when
    with CaptureQueriesContext(connection) as many:
        response = client.get(OVERDUE)
    # then
    assert len(response.context["rows"]) == 10
    assert len(many) == len(few)


@pytest.mark.parametrize("user", ["sari", "intan"])
def test_overdue_is_the_coordinators(client, request, user):
    client.force_login(request.getfixturevalue(user))

    response = client.get(OVERDUE)

    assert response.status_code == 403


def test_case_numbers_are_unique_across_the_lists(budi, sari, today):
    """The sort's tie-breaker keeps pages stable: no case on two pages."""
    for _ in range(6):
        open_case(budi, client=make_person(budi, "Dian Lestari"))
    cases = caseload.caseload_for_user(user=budi, filters=caseload.CaseloadFilters(), today=today)
    pages = caseload.CappedPaginator(cases, 4)

    seen = [case.pk for number in pages.page_range for case in pages.page(number)]

    assert sorted(seen) == sorted(Case.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("viewer", "url"), [("budi", CASELOAD), ("sari", MY_TASKS), ("budi", OVERDUE)]
)
def test_lists_never_read_encrypted_text(client, request, budi, sari, viewer, url):
    # given
    case = open_case(budi)
    overdue_task(budi, case, "Kunjungan rumah", days_late=1)
    client.force_login(request.getfixturevalue(viewer))
    # when
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # then
    assert len(response.context["rows"]) == 1
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"presenting_problem"' not in sql
    assert '"people_person"."nik"' not in sql
