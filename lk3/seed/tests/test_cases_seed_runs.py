"""Runs of the case seed: the same data again, cases added to older demo data, accounts, writing."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import QuerySet

from lk3.accounts.models import Organisation, OrganisationKind, User
from lk3.accounts.roles import Role
from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.cases.models import Case, CaseSession, Stage, Task
from lk3.cases.tests.builders import open_case
from lk3.people.models import Person
from lk3.seed import bulk
from lk3.seed.cases import case_workers_create
from lk3.seed.catalogue import catalogue_load
from lk3.seed.persons import person_counts, person_rows, persons_write
from lk3.seed.run import _persons_audit, _structure_create, seed_run
from lk3.seed.scales import DEMO
from lk3.seed.streams import DEFAULT_RANDOM_SEED, stream


def _casework() -> QuerySet[Case]:
    """The case seed's cases (stranded people's intakes are the repatriation step's)."""
    return Case.objects.filter(stranded_group__isnull=True)


PERSONS = 200
CASES = 40
TODAY = datetime.date(2026, 11, 28)


# -- accounts ------------------------------------------------------------------------------------


def test_an_lk3_without_casework_accounts_gets_them(lk3_samarinda, rudi):
    audited = AuditEvent.objects.filter(action=actions.USER_CREATED).count()

    with transaction.atomic():
        created = case_workers_create(
            organisation=lk3_samarinda,
            regency=catalogue_load().regency("64.72"),
            cases=4_000,
            rng=stream(1, "case-workers:64.72"),
        )

    users = User.objects.filter(organisation=lk3_samarinda).exclude(pk=rudi.pk)
    assert created == users.count() == 4
    assert set(users.values_list("role", flat=True)) == {Role.INTAKE, Role.COUNSELLOR}
    assert set(users.values_list("username", flat=True)) == {
        "samarinda.intake",
        "samarinda.konselor01",
        "samarinda.konselor02",
        "samarinda.konselor03",
    }
    assert not any(user.has_usable_password() for user in users)
    assert AuditEvent.objects.filter(action=actions.USER_CREATED).count() == audited + 4


def test_creating_casework_accounts_twice_creates_none_the_second_time(lk3_samarinda, rudi):
    arguments = {
        "organisation": lk3_samarinda,
        "regency": catalogue_load().regency("64.72"),
        "cases": 4_000,
    }
    with transaction.atomic():
        case_workers_create(rng=stream(1, "w"), **arguments)
        again = case_workers_create(rng=stream(1, "w"), **arguments)

    assert again == 0


# -- runs ------------------------------------------------------------------------------------------


def _case_snapshot() -> list[tuple]:
    return [
        (
            case.public_id,
            case.number,
            case.stage,
            case.status,
            case.presenting_problem,
            case.lead_counsellor.username if case.lead_counsellor else None,
            case.next_due_on,
            tuple(case.sessions.order_by("held_on", "id").values_list("public_id", "held_on")),
            tuple(s.notes for s in case.sessions.order_by("held_on", "id")),
            tuple(case.tasks.order_by("due_on", "id").values_list("title", "due_on")),
            tuple(case.assessments.order_by("assessed_on", "id").values_list("score", flat=True)),
        )
        for case in Case.objects.select_related("lead_counsellor").order_by("number")
    ]


def test_the_same_seed_and_day_give_the_same_cases(db):
    with transaction.atomic():
        seed_run(scale=DEMO, persons=PERSONS, cases=CASES, today=TODAY)
        first = _case_snapshot()
        transaction.set_rollback(True)
    assert not Case.objects.exists()

    seed_run(scale=DEMO, persons=PERSONS, cases=CASES, today=TODAY)

    assert _case_snapshot() == first


def test_another_seed_gives_other_cases(db):
    with transaction.atomic():
        seed_run(scale=DEMO, persons=PERSONS, cases=CASES, today=TODAY)
        first = _case_snapshot()
        transaction.set_rollback(True)

    seed_run(scale=DEMO, persons=PERSONS, cases=CASES, today=TODAY, random_seed=7)

    assert [row[0] for row in _case_snapshot()] != [row[0] for row in first]


def test_a_second_run_adds_no_cases(db):
    seed_run(scale=DEMO, persons=PERSONS, cases=CASES, today=TODAY)
    before = (Case.objects.count(), CaseSession.objects.count(), AuditEvent.objects.count())

    result = seed_run(scale=DEMO, persons=PERSONS, cases=CASES, today=TODAY)

    assert not result.created
    assert result.cases is None
    assert (Case.objects.count(), CaseSession.objects.count(), AuditEvent.objects.count()) == before


def _seed_without_cases() -> None:
    """Demo data as the seed wrote it before cases existed: persons, no case event."""
    catalogue = catalogue_load()
    organisations, _users, _members = _structure_create(
        scale=DEMO, catalogue=catalogue, random_seed=DEFAULT_RANDOM_SEED
    )
    rows = person_rows(
        rng=stream(DEFAULT_RANDOM_SEED, "persons"),
        catalogue=catalogue,
        counts=person_counts(PERSONS, regency_codes=["64.74"]),
    )
    tally = persons_write(rows=rows, organisation_ids={"64.74": organisations.bontang_lk3.pk})
    with transaction.atomic():
        _persons_audit(
            scale=DEMO,
            random_seed=DEFAULT_RANDOM_SEED,
            organisations=organisations,
            tally=tally,
        )


def test_demo_data_seeded_before_cases_gets_its_cases(db):
    _seed_without_cases()

    result = seed_run(scale=DEMO, today=TODAY)

    assert not result.created
    assert result.cases is not None
    assert _casework().count() == DEMO.cases_for(PERSONS) == result.cases.total
    assert AuditEvent.objects.filter(action=actions.SEED_CASES_GENERATED).count() == 1


def test_cases_of_their_own_keep_the_seed_from_adding_any(db):
    _seed_without_cases()
    lk3 = Organisation.objects.get(kind=OrganisationKind.LK3, region_id="64.74")
    coordinator = User.objects.get(username="budi", organisation=lk3)
    open_case(coordinator, client=Person.objects.filter(organisation=lk3).first())

    result = seed_run(scale=DEMO, today=TODAY)

    assert result.cases is None
    assert Case.objects.count() == 1


# -- writing ---------------------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the shortcuts are SQLite's")
@pytest.mark.parametrize(
    ("model", "attname", "value"),
    [
        (
            Case,
            "last_activity_at",
            datetime.datetime(2026, 3, 4, 9, 15, 7, 12, tzinfo=datetime.UTC),
        ),
        (
            Case,
            "created_at",
            datetime.datetime(
                2026, 3, 4, 9, 15, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
            ),
        ),
        (Case, "opened_on", datetime.date(2026, 1, 31)),
        (Case, "public_id", uuid.UUID("6f1c8a0e-3b5d-4c2a-9e7f-0a1b2c3d4e5f")),
        (Case, "number", "KS-2026-0001"),
        (Case, "stage", Stage.PLANNING),
        (Case, "sequence", 12),
        (Case, "is_confidential", True),
        (Case, "lead_counsellor_id", 7),
        (Case, "kelurahan_id", "64.74.01.1002"),
        (Case, "closed_on", None),
        (Task, "session_id", None),
    ],
)
def test_bulk_writes_what_the_orm_would_store(db, model, attname, value):
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)

    prepared = bulk._preparer(field, connection)(value)

    assert prepared == field.get_db_prep_save(value, connection)
    assert type(prepared) is type(field.get_db_prep_save(value, connection))


# -- the command -----------------------------------------------------------------------------------


def test_the_seed_command_reports_the_cases(db):
    output = io.StringIO()

    call_command(
        "seed", "--scale", "demo", "--persons", str(PERSONS), "--cases", str(CASES), stdout=output
    )

    text = output.getvalue()
    assert _casework().count() == CASES
    sessions = CaseSession.objects.count()
    assert f"{CASES} (" in text
    assert f" {sessions} " in text


def test_the_seed_command_adds_cases_to_older_demo_data(db):
    _seed_without_cases()
    output = io.StringIO()

    call_command("seed", "--scale", "demo", stdout=output)

    assert _casework().count() == DEMO.cases_for(PERSONS)
    assert f"{_casework().count()} (" in output.getvalue()
