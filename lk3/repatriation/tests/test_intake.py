"""Taking stranded people in: one case, one intake, numbers, and refusals."""

from __future__ import annotations

import datetime

import pytest

from lk3.audit.models import AuditEvent
from lk3.cases.models import Case
from lk3.core.errors import DomainError
from lk3.people.tests.builders import TODAY, make_person
from lk3.repatriation import intake
from lk3.repatriation.models import GroupStatus, StrandedGroup
from lk3.repatriation.tests.builders import take_in


def test_taking_a_family_in_opens_one_case_with_every_member(budi, sari):
    group = take_in(budi)
    assert group.number == "OT-2026-0001"
    assert group.status == GroupStatus.INTAKE
    assert group.case.client is not None
    assert group.case.client.full_name == "Asep Saepudin"
    assert group.case.intake_channel.code == intake.CHANNEL_CODE
    assert list(group.case.problem_types.values_list("code", flat=True)) == [intake.PROBLEM_CODE]
    assert group.case.lead_counsellor == sari
    assert group.members.count() == 3
    assert AuditEvent.objects.filter(action="repatriation.taken_in").count() == 1


def test_the_origin_starts_as_the_nik_region_of_issue(budi):
    group = take_in(budi)
    asep, eneng, child = group.members.order_by("pk")
    assert (asep.origin_province_code, asep.origin_regency_code) == ("32", "32.05")
    assert eneng.origin_regency_code == "32.05"
    assert (child.origin_province_code, child.origin_regency_code) == ("", "")


def test_numbers_follow_each_other(budi):
    first = take_in(budi, [make_person(budi, "Udin")])
    second = take_in(budi, [make_person(budi, "Ujang")])
    assert (first.number, second.number) == ("OT-2026-0001", "OT-2026-0002")


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"found_place": "  "}, "needs_place"),
        ({"found_at": "airport-lounge"}, "found_at_unknown"),
        ({"found_on": TODAY + datetime.timedelta(days=1)}, "future"),
    ],
)
def test_bad_intake_is_refused_and_nothing_is_kept(budi, overrides, code):
    person = make_person(budi, "Udin")
    with pytest.raises(DomainError) as refused:
        take_in(budi, [person], **overrides)
    assert refused.value.code == code
    assert not StrandedGroup.objects.exists()
    assert not Case.objects.exists()


def test_the_same_person_twice_or_nobody_is_refused(budi):
    person = make_person(budi, "Udin")
    with pytest.raises(DomainError, match="twice"):
        take_in(budi, [person, person])
    with pytest.raises(DomainError):
        take_in(budi, [])


def test_a_person_of_another_organisation_is_refused(budi, rudi):
    stranger = make_person(rudi, "Udin")
    with pytest.raises(DomainError) as refused:
        take_in(budi, [stranger])
    assert refused.value.code == "other_organisation"


def test_adding_a_member_later_and_twice(budi):
    group = take_in(budi, [make_person(budi, "Udin")])
    brother = make_person(budi, "Ujang")
    intake.stranded_member_add(actor=budi, group=group, person=brother)
    with pytest.raises(DomainError) as refused:
        intake.stranded_member_add(actor=budi, group=group, person=brother)
    assert refused.value.code == "already_in_group"
    assert group.members.count() == 2
