"""Test data for assessments and intervention plans, made through the services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from lk3.accounts.models import User
from lk3.cases import assessments, plans
from lk3.cases.models import Activity, Assessment, Case, Goal, Instrument
from lk3.cases.tests.builders import open_case

FAMILY = "fungsi-keluarga"
RISK = "faktor-risiko"
INITIAL = "asesmen-awal"
IN_DEPTH = "asesmen-mendalam"
# The family-functioning items said the other way round (scored 5 - answer).
NEGATIVE_ITEMS = ("fk02", "fk04", "fk06", "fk08", "fk10", "fk12")


def instrument(code: str) -> Instrument:
    found = assessments.instrument_for_form(code)
    assert found is not None, f"{code} is not loaded (load_reference)"
    return found


def family_answers(positive: int, negative: int) -> dict[str, object]:
    """Every positive statement answered ``positive``, every negative one ``negative``."""
    return {
        f"fk{number:02d}": negative if f"fk{number:02d}" in NEGATIVE_ITEMS else positive
        for number in range(1, 13)
    }


def risk_answers(**present: bool) -> dict[str, object]:
    """No risk factor, every protective factor present, unless said otherwise."""
    answers: dict[str, object] = dict.fromkeys(
        (
            "r_kekerasan",
            "r_anak_korban",
            "r_napza",
            "r_jiwa",
            "r_perkawinan_anak",
            "r_pangan",
            "r_tempat_tinggal",
            "r_putus_sekolah",
            "r_terkucil",
            "r_riwayat",
        ),
        False,
    )
    answers.update(
        dict.fromkeys(("p_pengasuh", "p_dukungan", "p_penghasilan", "p_kemauan", "p_layanan"), True)
    )
    answers.update(present)
    return answers


def record_assessment(
    actor: User,
    case: Case | None = None,
    *,
    code: str = FAMILY,
    answers: dict[str, object] | None = None,
    assessed_on: datetime.date | None = None,
    narrative: str = "Keluarga mulai terbuka membicarakan masalah.",
) -> Assessment:
    return assessments.assessment_record(
        actor=actor,
        case=case or open_case(actor),
        instrument=instrument(code),
        assessed_on=assessed_on or timezone.localdate(),
        answers=family_answers(2, 3) if answers is None else answers,
        narrative=narrative,
    )


def add_goal(actor: User, case: Case | None = None, **values: Any) -> Goal:
    values.setdefault("description", "Anak kembali bersekolah secara teratur")
    return plans.goal_add(actor=actor, case=case or open_case(actor), **values)


def add_activity(actor: User, goal: Goal | None = None, **values: Any) -> Activity:
    values.setdefault("description", "Kunjungan rumah bersama wali kelas")
    values.setdefault("responsible_other", "Wali kelas SDN 001 Bontang Utara")
    values.setdefault("due_on", timezone.localdate() + datetime.timedelta(days=14))
    return plans.activity_add(actor=actor, goal=goal or add_goal(actor), **values)


@dataclass(frozen=True)
class Casework:
    """A case with an assessment and a plan of one goal with one activity."""

    case: Case
    assessment: Assessment
    goal: Goal
    activity: Activity


def casework(actor: User) -> Casework:
    case = open_case(actor)
    assessment = record_assessment(actor, case)
    activity = add_activity(actor, add_goal(actor, case))
    return Casework(case=case, assessment=assessment, goal=activity.goal, activity=activity)
