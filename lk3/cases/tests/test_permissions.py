"""Who reaches a case (404 otherwise) and who may work on it (403 otherwise)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lk3.cases import services
from lk3.cases.permissions import (
    can_work_on,
    case_get_for_coordinator,
    case_get_for_user,
    cases_for_user,
)
from lk3.cases.tests.builders import open_case


def reaches(user, case) -> bool:
    return cases_for_user(user).filter(pk=case.pk).exists()


@pytest.fixture
def case(budi, sari):
    return open_case(budi)


@pytest.fixture
def confidential(budi, sari):
    return open_case(budi, is_confidential=True)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("budi", True),
        ("sari", True),
        ("intan", True),
        ("dewi", False),
        ("putri", False),
        ("rina", False),
        ("pak_agus", False),
        ("mitra_ppa", False),
        ("viewer", False),
        ("pak_hendra", False),
        ("rudi", False),
    ],
)
def test_who_reaches_a_case(request, case, who, expected):
    assert reaches(request.getfixturevalue(who), case) is expected


@pytest.mark.parametrize(
    ("who", "expected"), [("budi", True), ("sari", True), ("intan", False), ("dewi", False)]
)
def test_a_confidential_case_is_for_the_team_and_the_coordinator(
    request, confidential, who, expected
):
    assert reaches(request.getfixturevalue(who), confidential) is expected


def test_the_intake_officer_keeps_a_confidential_case_they_opened_until_it_has_a_lead(
    budi, intan, sari
):
    case = open_case(intan, is_confidential=True, lead_counsellor=None)
    assert reaches(intan, case)

    services.case_transfer(
        actor=budi, case=case, to_user=sari, reason="Ditangani Sari.", expected_version=case.version
    )

    assert not reaches(intan, case)


def test_a_counsellor_reaches_the_cases_they_opened(dewi):
    case = open_case(dewi, lead_counsellor=None)

    assert reaches(dewi, case)


def test_a_team_member_reaches_the_case_until_they_leave(case, sari, putri):
    services.case_member_add(actor=sari, case=case, user=putri)
    assert reaches(putri, case)
    assert can_work_on(putri, case)

    services.case_member_remove(actor=sari, case=case, user=putri)

    assert not reaches(putri, case)


def test_a_transferred_counsellor_stays_on_the_team(budi, case, sari, dewi):
    services.case_transfer(
        actor=budi, case=case, to_user=dewi, reason="Cuti.", expected_version=case.version
    )

    assert reaches(sari, case)
    assert reaches(dewi, case)


@pytest.mark.parametrize(("who", "expected"), [("budi", True), ("sari", True), ("intan", False)])
def test_who_may_work_on_a_case(request, case, who, expected):
    assert can_work_on(request.getfixturevalue(who), case) is expected


def test_an_unassigned_counsellor_gets_a_404(case, dewi):
    with pytest.raises(Http404):
        case_get_for_user(dewi, case.public_id)


def test_the_intake_officer_reads_but_may_not_work(case, intan):
    assert case_get_for_user(intan, case.public_id) == case

    with pytest.raises(PermissionDenied):
        case_get_for_user(intan, case.public_id, for_work=True)


def test_another_organisation_never_sees_the_case(case, rudi):
    with pytest.raises(Http404):
        case_get_for_user(rudi, case.public_id)


def test_coordinator_actions_are_refused_to_the_lead(case, sari, budi):
    assert case_get_for_coordinator(budi, case.public_id) == case

    with pytest.raises(PermissionDenied):
        case_get_for_coordinator(sari, case.public_id)


def test_an_inactive_coordinator_reaches_nothing(case, budi):
    budi.is_active = False

    assert not reaches(budi, case)
