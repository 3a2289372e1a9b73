"""Test data for identification, screening and decisions, made through the services.

An earlier return home needs a handover: the handover services belong to
another area, so ``returned_home`` writes the arrived handover row directly
and lets ``intake.group_status_refresh`` derive the group's status from it.
"""

from __future__ import annotations

import datetime
from typing import Any

from lk3.accounts.models import User
from lk3.people.models import Person
from lk3.people.tests.builders import TODAY
from lk3.repatriation import intake, members
from lk3.repatriation.models import (
    Decision,
    Handover,
    HandoverSource,
    HandoverStatus,
    HealthStatus,
    StrandedGroup,
    StrandedPerson,
)
from lk3.repatriation.tests.builders import take_in


def screened_fit(actor: User, member: StrandedPerson, **changes: Any) -> StrandedPerson:
    """The member screened fit to travel (other fields as given)."""
    values: dict[str, Any] = {
        "documents": member.documents,
        "health_status": HealthStatus.FIT,
        "screened_on": TODAY,
        "today": TODAY,
    }
    values.update(changes)
    return members.member_update(
        actor=actor, member=member, expected_version=member.version, **values
    )


def decide_return(actor: User, member: StrandedPerson, **extra: Any) -> StrandedPerson:
    """The member screened fit, then decided to return home."""
    member = screened_fit(actor, member)
    return members.member_decide(
        actor=actor,
        member=member,
        decision=Decision.RETURN_HOME,
        reason="Keluarga di Garut bersedia menerima.",
        expected_version=member.version,
        today=extra.pop("today", TODAY),
        **extra,
    )


def returned_home(actor: User, person: Person, on: datetime.date) -> StrandedGroup:
    """An earlier intake of ``person`` that was returned home and arrived on ``on``."""
    group = take_in(actor, [person], found_on=on, today=on)
    member = group.members.get()
    decide_return(actor, member, today=on)
    Handover.objects.create(
        source=HandoverSource.LOCAL,
        group=group,
        sending_organisation=actor.organisation,
        sender_name=str(actor.organisation),
        receiver_name="Dinas Sosial Kabupaten Garut",
        sent_on=on,
        status=HandoverStatus.ARRIVED,
        arrived_on=on,
        created_by=actor,
    )
    group.refresh_from_db()
    group.returned_on = on
    group.save(update_fields=["returned_on"])
    return intake.group_status_refresh(group)
