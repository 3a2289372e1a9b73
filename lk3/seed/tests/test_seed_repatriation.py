"""The seeded stranded people: every state, the receiving office in Garut, deterministic.

The checks share one ``seed --scale demo`` (``seeded``, rolled back at the
module's end).
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from lk3.accounts.models import Organisation, OrganisationKind, User
from lk3.accounts.roles import Role
from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.cases.models import Case, CaseStatus, ClosureReason
from lk3.people.models import Person
from lk3.regions.identity import parse_nik
from lk3.repatriation.intake import group_status_of
from lk3.repatriation.models import (
    GroupStatus,
    Handover,
    HandoverStatus,
    PlanStatus,
    ReturnPlan,
    ShelterStay,
    StrandedGroup,
    StrandedPerson,
    TracingContact,
)
from lk3.repatriation.permissions import handovers_in_for_user
from lk3.repatriation.reports import repatriation_report
from lk3.seed import repatriation as seed_repatriation
from lk3.seed.catalogue import catalogue_load
from lk3.seed.demo_accounts import demo_accounts_present
from lk3.seed.run import seed_run
from lk3.seed.scales import DEMO
from lk3.seed.streams import DEFAULT_RANDOM_SEED, stream

PERSONS = 400
CASES = 120


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One ``seed --scale demo`` for the module (the checks only read), rolled back at its end."""
    output = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "seed",
            "--scale",
            "demo",
            "--persons",
            str(PERSONS),
            "--cases",
            str(CASES),
            stdout=output,
        )
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _seeded_database(seeded, db):
    """Each check in a savepoint inside the module's seed."""


def _bontang() -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.LK3, region_id="64.74")


def _garut() -> Organisation:
    return Organisation.objects.get(name="Dinas Sosial Kabupaten Garut")


def test_every_state_of_an_intake_is_seeded(seeded):
    statuses = set(StrandedGroup.objects.values_list("status", flat=True))

    assert statuses == set(GroupStatus.values)


def test_bontang_has_at_least_the_demo_number_of_intakes(seeded):
    groups = StrandedGroup.objects.filter(organisation=_bontang())

    assert groups.count() == seed_repatriation.MIN_INTAKES
    sizes = set(groups.annotate(people=Count("members")).values_list("people", flat=True))
    assert sizes <= {1, 2, 3, 4}
    assert len(sizes) > 1


def test_the_stored_status_is_the_derived_one(seeded):
    for group in StrandedGroup.objects.all():
        assert group.status == group_status_of(group), group.number


def test_the_receiving_office_and_dadang_exist(seeded):
    garut = _garut()
    dadang = User.objects.get(username="dadang")

    assert (garut.region_id, garut.kind, garut.time_zone) == (
        "32.05",
        OrganisationKind.CITY_SOCIAL_OFFICE,
        "Asia/Jakarta",
    )
    assert (dadang.organisation, dadang.role) == (garut, Role.COORDINATOR)
    assert dadang in demo_accounts_present()


def test_handovers_to_garut_are_in_its_queue(seeded):
    garut = _garut()
    dadang = User.objects.get(username="dadang")
    to_garut = Handover.objects.filter(receiving_organisation=garut)

    assert set(to_garut.values_list("status", flat=True)) == set(HandoverStatus.values)
    assert set(handovers_in_for_user(dadang)) == set(to_garut)
    for handover in to_garut.select_related("group"):
        assert handover.group is not None
        assert handover.group.members.filter(origin_regency_code="32.05").exists()
    waiting = to_garut.filter(status=HandoverStatus.SENT).get()
    assert waiting.group is not None
    assert waiting.group.status == GroupStatus.HANDED_OVER


def test_some_handovers_go_through_the_provincial_relay(seeded):
    relayed = ReturnPlan.objects.filter(
        receiving_organisation__isnull=True, group__handovers__isnull=False
    )

    assert relayed.exists()
    for plan in relayed:
        assert plan.via_relay.startswith("Dinas Sosial Provinsi Kalimantan Timur")
        assert plan.receiving_agency


def test_a_declined_handover_is_planned_again(seeded):
    declined = Handover.objects.get(status=HandoverStatus.DECLINED)

    assert declined.declined_reason
    assert declined.answered_by == User.objects.get(username="dadang")
    assert declined.group is not None
    plan = declined.group.plan
    assert plan.status == PlanStatus.SUBMITTED
    assert plan.submitted_at is not None
    assert declined.answered_at is not None
    assert plan.submitted_at > declined.answered_at


def test_one_plan_awaiting_approval_is_above_the_ceiling_with_a_reason(seeded):
    awaiting = ReturnPlan.objects.filter(status=PlanStatus.SUBMITTED)
    over = [plan for plan in awaiting if plan.cost_per_person > (plan.ceiling_per_person or 0)]

    assert over
    assert all(plan.over_ceiling_reason for plan in over)
    for plan in ReturnPlan.objects.exclude(status=PlanStatus.DRAFT):
        assert plan.ceiling_per_person == 450_000
        assert bool(plan.over_ceiling_reason) == (plan.cost_per_person > 450_000)


def test_costs_follow_the_distance_home(seeded):
    for plan in ReturnPlan.objects.select_related("group"):
        province = plan.group.members.values_list("origin_province_code", flat=True)[0]
        per_person = plan.cost_per_person
        if province in ("71", "72", "73", "74", "75", "76"):
            assert 240_000 <= per_person <= 420_000 or plan.mode == "air", plan.route
        if province in ("32", "33", "35"):
            assert 340_000 <= per_person <= 700_000, plan.route


def test_arrived_groups_have_closed_cases_and_the_rest_are_open(seeded):
    for group in StrandedGroup.objects.select_related("case"):
        case = group.case
        assert case.intake_channel.code == "orang-terlantar"
        assert case.client is not None
        assert case.client.strandings.filter(group=group).exists()
        if group.status == GroupStatus.ARRIVED:
            assert case.status == CaseStatus.CLOSED
            assert case.closure_reason == ClosureReason.REPATRIATED
            assert case.closed_on == group.returned_on
            assert group.returned_on is not None
            assert 3 <= (group.returned_on - group.found_on).days <= 30
        else:
            assert case.status == CaseStatus.OPEN
            assert group.returned_on is None


def test_people_come_from_many_provinces_with_valid_niks(seeded):
    members = StrandedPerson.objects.select_related("person")
    provinces = {m.origin_province_code for m in members if m.origin_province_code}

    assert len(provinces) >= 6
    assert provinces - {"64", "65"} == provinces
    with_nik = [m for m in members if m.person.nik]
    without = [m for m in members if not m.person.nik]
    assert with_nik
    assert without
    for member in with_nik:
        parsed = parse_nik(
            member.person.nik, birth_date=member.person.birth_date, sex=member.person.sex
        )
        assert parsed.valid, parsed.error_codes
        assert not parsed.warnings, parsed.warning_codes
        assert parsed.region_code == member.person.nik_region_code
        assert member.origin_province_code == member.person.nik_region_code[:2]
    assert any("police_lost" in m.documents for m in without)
    with_region = [m for m in members if m.origin_region_id]
    assert len(with_region) > len(members) / 2
    for member in with_region:
        assert member.origin_regency_code == str(member.origin_region_id)[:5]


def test_shelter_stays_and_tracing_are_recorded(seeded):
    open_stays = ShelterStay.objects.filter(checked_out_at__isnull=True)

    assert open_stays.exists()
    assert not open_stays.filter(member__group__status=GroupStatus.ARRIVED).exists()
    assert TracingContact.objects.filter(result="will_receive").exists()
    assert set(TracingContact.objects.values_list("group", flat=True)) == set(
        StrandedGroup.objects.values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    "model", [StrandedGroup, StrandedPerson, ReturnPlan, Handover, TracingContact, ShelterStay]
)
def test_seeded_records_pass_full_clean(seeded, model):
    sample = list(model._default_manager.order_by("pk")[:30])

    assert sample
    for record in sample:
        record.full_clean()


def test_texts_are_encrypted_at_rest(seeded):
    group = StrandedGroup.objects.exclude(circumstances="").first()
    assert group is not None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT circumstances FROM {StrandedGroup._meta.db_table} WHERE id = %s",  # noqa: S608
            [group.pk],
        )
        stored = cursor.fetchone()[0]

    assert group.circumstances not in stored


def test_numbers_and_counters(seeded):
    lk3 = _bontang()
    numbers = list(
        StrandedGroup.objects.filter(organisation=lk3)
        .order_by("found_on", "sequence")
        .values_list("number", "year", "sequence")
    )

    assert len({n for n, _y, _s in numbers}) == len(numbers)
    for number, year, sequence in numbers:
        assert number == f"OT-{year}-{sequence:04d}"
    case_numbers = Case.objects.filter(organisation=lk3).values_list("number", flat=True)
    assert len(set(case_numbers)) == len(case_numbers)


def test_the_report_reads_the_seeded_data(seeded):
    today = timezone.localdate()
    report = repatriation_report(
        organisations=[_bontang()],
        date_from=today - datetime.timedelta(days=400),
        date_to=today,
    )

    assert report.groups == seed_repatriation.MIN_INTAKES
    assert report.totals.returned > 0
    assert report.totals.stayed > 0
    assert report.costs.over_ceiling >= 1
    assert report.days.median is not None


def test_the_command_reports_and_the_event_counts(seeded):
    event = AuditEvent.objects.get(action=actions.SEED_REPATRIATION_GENERATED)

    assert event.changes["intakes"] == [0, StrandedGroup.objects.count()]
    assert event.changes["people"] == [0, StrandedPerson.objects.count()]
    assert f"Orang terlantar: {StrandedGroup.objects.count()} penerimaan" in seeded
    assert "dadang" in seeded


def test_a_second_run_adds_nothing(seeded):
    before = (StrandedGroup.objects.count(), Person.objects.count(), User.objects.count())

    result = seed_run(scale=DEMO, persons=PERSONS, cases=CASES)

    assert result.repatriation is None
    assert (StrandedGroup.objects.count(), Person.objects.count(), User.objects.count()) == before


def test_the_same_seed_draws_the_same_intakes(seeded):
    lk3 = _bontang()
    garut = _garut()
    dadang = User.objects.get(username="dadang")
    today = timezone.localdate()

    def draw() -> list[tuple]:
        origins = seed_repatriation.origins_load(stream(DEFAULT_RANDOM_SEED, "stranded-origins"))
        context = seed_repatriation._context(
            lk3,
            catalogue_load().regency("64.74"),
            receiver=garut,
            dadang=dadang,
            origins=origins,
            today=today,
        )
        drawn = seed_repatriation.intakes_draw(
            stream(DEFAULT_RANDOM_SEED, "stranded:64.74"),
            context,
            seed_repatriation.MIN_INTAKES,
            required=True,
        )
        return [
            (item.group["public_id"], item.status, item.found_on, len(item.persons))
            for item in drawn
        ]

    first = draw()

    assert first == draw()
    stored = set(
        StrandedGroup.objects.filter(organisation=lk3)
        .annotate(people=Count("members"))
        .values_list("public_id", "status", "found_on", "people")
    )
    assert set(first) == stored
