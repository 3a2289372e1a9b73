"""Drives tests/matrix.py: one test per URL x role x ownership row.

Also asserts that a refused request changed nothing: no audit row was
written and the record's version is the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import (
    CAST_ACCOUNTS,
    ensure_reference_data,
    make_board_member,
    make_cast_user,
    make_dinsos_bontang,
    make_lk3_bontang,
    make_lk3_samarinda,
    tiny_png,
)
from lk3.audit.models import AuditEvent
from lk3.cases import attachments, sessions, tasks
from lk3.cases.tests.assessment_builders import FAMILY, casework
from lk3.cases.tests.builders import open_case, pending_closure
from lk3.people import merging, services
from lk3.people.models import ConsentGiver, ConsentMethod, ConsentPurpose, DuplicateCandidate
from lk3.people.tests.builders import TODAY, make_person
from tests import (
    matrix_field,
    matrix_intake,
    matrix_letters,
    matrix_notifications,
    matrix_partners,
    matrix_referrals,
    matrix_repatriation_handovers,
    matrix_repatriation_intake,
    matrix_repatriation_plans,
    matrix_repatriation_reports,
    matrix_reports_dashboards,
    matrix_reports_exports,
    matrix_reports_indicators,
    matrix_reports_official,
)
from tests.matrix import ANONYMOUS, CAST, EXEMPT_NAMESPACES, Row
from tests.matrix import ROWS as CORE_ROWS

# The referral network's and repatriation's rows live beside their areas (one
# file each), with the records they target and how their URLs name them.
AREAS = [
    matrix_partners,
    matrix_referrals,
    matrix_intake,
    matrix_field,
    matrix_letters,
    matrix_notifications,
    matrix_repatriation_intake,
    matrix_repatriation_plans,
    matrix_repatriation_handovers,
    matrix_repatriation_reports,
    matrix_reports_dashboards,
    matrix_reports_indicators,
    matrix_reports_exports,
    matrix_reports_official,
]
ROWS = CORE_ROWS + [row for area in AREAS for row in area.ROWS]

SELF_CONSENT = services.ConsentInput(
    purpose=ConsentPurpose.SERVICES,
    given_by=ConsentGiver.SELF,
    method=ConsentMethod.WRITTEN,
    given_on=TODAY,
)
CASES = [(row, role) for row in ROWS for role in row.expect]


def _url_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_a_row():
    covered = {row.url_name for row in ROWS}
    names = {
        name
        for name in _url_names(get_resolver().url_patterns)
        if name.split(":")[0] not in EXEMPT_NAMESPACES
    }
    assert sorted(names - covered) == []


def test_every_row_names_a_real_url():
    names = _url_names(get_resolver().url_patterns)
    assert sorted({row.url_name for row in ROWS} - names) == []


def _registry_records(clerk: Any, member: Any) -> dict[str, Any]:
    """One record of every registry type, registered by ``clerk``'s organisation."""
    person = make_person(clerk, "Siti Aminah")
    person.photo.save("foto.png", ContentFile(tiny_png()))
    consent = services.consent_record(actor=clerk, person=person, consent=SELF_CONSENT, today=TODAY)
    family = services.family_create(
        actor=clerk, organisation=clerk.organisation, head=person, started_on=TODAY, today=TODAY
    )
    first, second = make_person(clerk, "Rina Wati"), make_person(clerk, "Rina Wati", sex="P")
    candidate = DuplicateCandidate.objects.create(
        organisation=clerk.organisation, person_a=first, person_b=second, score=0.9
    )
    merged_a, merged_b = make_person(clerk, "Ani"), make_person(clerk, "Ani S.")
    merge = merging.person_merge(actor=clerk, survivor=merged_a, merged=merged_b)
    closure = pending_closure(clerk)
    work = casework(clerk)
    return {
        "member": member,
        "person": person,
        "consent": consent,
        "family": family,
        "membership": family.memberships.get(),
        "pair": (first, second),
        "candidate": candidate,
        "merge": merge,
        "case": open_case(clerk, person),
        "closure": closure,
        "check_in": closure.case.check_ins.get(),
        "casework": work.case,
        "assessment": work.assessment,
        "assessment_form": work.assessment,
        "goal": work.goal,
        "activity": work.activity,
        **_work_records(clerk, closure.case),
    }


def _work_records(clerk: Any, case: Any) -> dict[str, Any]:
    """A session, a task and a file on ``case``, recorded by ``clerk`` (its coordinator)."""
    today = timezone.localdate()
    session = sessions.session_record(
        actor=clerk,
        case=case,
        kind="counselling",
        held_on=today,
        duration_minutes=45,
        staff=[clerk],
    )
    task = tasks.task_create(
        actor=clerk, case=case, title="Telepon ibu", assignee=clerk, due_on=today
    )
    pdf = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    attachment = attachments.attachment_add(
        actor=clerk, case=case, kind="letter", title="Surat", upload=pdf
    )
    return {"session": session, "task": task, "attachment": attachment}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:
    """The cast and one record of every type in each organisation, built once per module.

    Built inside an outer transaction that is rolled back at the end; each
    test runs in a savepoint inside it (the ``db`` fixture), so whatever a
    request writes is undone before the next row. About 1,600 rows share it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> dict[str, Any]:
    dinsos = make_dinsos_bontang()
    organisations = {
        "dinsos_bontang": dinsos,
        "lk3_bontang": make_lk3_bontang(dinsos),
        "lk3_samarinda": make_lk3_samarinda(),
    }
    for name in ("lk3_bontang", "dinsos_bontang"):
        organisations[name].logo.save("logo.png", ContentFile(tiny_png()))
    accounts = {name: make_cast_user(name, organisations) for name in CAST_ACCOUNTS}
    bontang, samarinda = organisations["lk3_bontang"], organisations["lk3_samarinda"]
    same = make_board_member(bontang, "Serka Dedi Kurniawan", kelurahan=["64.74.02.1001"])
    other = make_board_member(samarinda, "Serda Yohanes Lado", kelurahan=[])
    return {
        "users": {role: accounts[name] for role, name in CAST.items()},
        "same_org": {
            **_registry_records(accounts["budi"], same),
            **_area_records(accounts["budi"], bontang),
        },
        "other_org": {
            **_registry_records(accounts["rudi"], other),
            **_area_records(accounts["rudi"], samarinda),
        },
    }


def _area_records(clerk: Any, organisation: Any) -> dict[str, Any]:
    records: dict[str, Any] = {}
    for area in AREAS:
        records.update(area.build_records(clerk, organisation))
    return records


KWARGS = {
    "member": lambda record: {"public_id": record.public_id},
    "person": lambda record: {"public_id": record.public_id},
    "consent": lambda record: {"public_id": record.public_id},
    "family": lambda record: {"public_id": record.public_id},
    "membership": lambda record: {"public_id": record.family.public_id, "membership_id": record.pk},
    "pair": lambda pair: {"first": pair[0].public_id, "second": pair[1].public_id},
    "candidate": lambda record: {"candidate_id": record.pk},
    "merge": lambda record: {"merge_id": record.pk},
    "case": lambda record: {"public_id": record.public_id},
    "closure": lambda record: {"public_id": record.case.public_id, "closure_id": record.pk},
    "check_in": lambda record: {"public_id": record.case.public_id, "check_in_id": record.pk},
    "casework": lambda record: {"public_id": record.public_id},
    "assessment": lambda record: {
        "public_id": record.case.public_id,
        "assessment_id": record.public_id,
    },
    "assessment_form": lambda record: {"public_id": record.case.public_id, "code": FAMILY},
    "goal": lambda record: {"public_id": record.case.public_id, "goal_id": record.public_id},
    "activity": lambda record: {
        "public_id": record.goal.case.public_id,
        "activity_id": record.public_id,
    },
    "session": lambda record: {"public_id": record.case.public_id, "session_id": record.public_id},
    "task": lambda record: {"public_id": record.case.public_id, "task_id": record.public_id},
    "attachment": lambda record: {
        "public_id": record.case.public_id,
        "attachment_id": record.public_id,
    },
}


ALL_KWARGS = {**KWARGS, **{target: how for area in AREAS for target, how in area.KWARGS.items()}}


def _kwargs(row: Row, world: dict[str, Any]) -> dict[str, Any]:
    if row.ownership == "none":
        return dict(row.kwargs)
    return ALL_KWARGS[row.target](world[row.ownership][row.target])


def _is_refusal(response: Any, role: str) -> bool:
    if response.status_code in (403, 404):
        return True
    return role == ANONYMOUS and response.get("Location", "").startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{row.id} {role}" for row, role in CASES])
def test_permission_matrix(db, client, world, row: Row, role: str):
    # given
    if role != ANONYMOUS:
        client.force_login(world["users"][role])
    url = reverse(row.url_name, kwargs=_kwargs(row, world))
    audit_before = AuditEvent.objects.count()
    target = world[row.ownership][row.target] if row.ownership != "none" else None
    # when
    send = client.post if row.method == "POST" else client.get
    response = send(url, data=dict(row.data))
    # then
    assert response.status_code == row.expect[role]
    if row.method == "POST" and _is_refusal(response, role):
        assert AuditEvent.objects.count() == audit_before
        if target is not None and hasattr(target, "version"):
            assert type(target).objects.get(pk=target.pk).version == target.version
