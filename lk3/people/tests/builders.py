"""Test data for the registry, made through the services."""

from __future__ import annotations

import datetime
from typing import Any

from lk3.people import services
from lk3.people.models import ConsentGiver, ConsentMethod, ConsentPurpose, Person

TODAY = datetime.date(2026, 11, 28)
# Valid NIKs issued in Bontang Utara (64.74.01).
NIK_SITI = "6474014508850003"  # woman, 5 Aug 1985
NIK_RIZKI = "6474011203900002"  # man, 12 Mar 1990
NIK_CHILD = "6474015506150001"  # girl, 15 Jun 2015


def guardian_consent(name: str = "Siti Aminah") -> services.ConsentInput:
    return services.ConsentInput(
        purpose=ConsentPurpose.SERVICES,
        given_by=ConsentGiver.PARENT,
        method=ConsentMethod.WRITTEN,
        given_on=TODAY,
        giver_name=name,
    )


def make_person(actor: Any, full_name: str, **fields: Any) -> Person:
    values: dict[str, Any] = {
        "sex": "P",
        "birth_date": datetime.date(1985, 8, 5),
        "nik_absence": "unknown",
    }
    values.update(fields)
    return services.person_create(
        actor=actor, organisation=actor.organisation, full_name=full_name, today=TODAY, **values
    )
