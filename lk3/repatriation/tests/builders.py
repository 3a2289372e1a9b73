"""Test data for stranded people and their return, made through the services."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from lk3.accounts.models import User
from lk3.cases.tests.builders import pmks
from lk3.people.models import Person
from lk3.people.tests.builders import TODAY, guardian_consent, make_person
from lk3.repatriation import intake
from lk3.repatriation.models import FoundAt, StrandedGroup

# Valid NIKs issued in Garut Kota, Kabupaten Garut, Jawa Barat (32.05.01).
NIK_ASEP = "3205011203900002"  # man, 12 Mar 1990
NIK_ENENG = "3205014508920003"  # woman, 5 Aug 1992
GARUT = "32.05"
KOTA_KULON = "32.05.01.1001"  # a kelurahan of Garut Kota
STRANDED_PMKS = "pekerja-migran-bermasalah-sosial"


def stranded_family(actor: User) -> list[Person]:
    """A West Java couple and their child, registered by the actor's organisation."""
    return [
        make_person(
            actor, "Asep Saepudin", sex="L", nik=NIK_ASEP, birth_date=datetime.date(1990, 3, 12)
        ),
        make_person(
            actor, "Eneng Nurhayati", sex="P", nik=NIK_ENENG, birth_date=datetime.date(1992, 8, 5)
        ),
        make_person(
            actor,
            "Dede Saepudin",
            sex="L",
            birth_date=datetime.date(2018, 1, 9),
            consents=[guardian_consent("Eneng Nurhayati")],
        ),
    ]


def take_in(
    actor: User, persons: Sequence[Person] | None = None, **overrides: Any
) -> StrandedGroup:
    """A family found at Bontang's bus terminal (a new one when ``persons`` is not given).

    The lead counsellor is ``sari`` when she exists in the actor's organisation.
    """
    values: dict[str, Any] = {
        "organisation": actor.organisation,
        "found_at": FoundAt.BUS_TERMINAL,
        "found_place": "Terminal Bus Bontang",
        "found_on": TODAY,
        "brought_by": "Polsek Bontang Utara",
        "police_letter_ref": "B/123/XI/2026/Sek-BTU",
        "pmks_categories": pmks(STRANDED_PMKS),
        "lead_counsellor": User.objects.filter(
            username="sari", organisation=actor.organisation
        ).first(),
        "today": TODAY,
    }
    values.update(overrides)
    chosen = list(persons) if persons is not None else stranded_family(actor)
    return intake.stranded_take_in(actor=actor, persons=chosen, **values)
