"""Writes and reads of assessments and their instruments.

Rules:
- An instrument version never changes once an assessment used it: a changed
  form is published as the next version (``instrument_publish``), which
  retires the older ones for new assessments. Answers keep pointing at the
  version they were given to, and are always read with that version.
- The default instruments ship as JSON (``data/instruments``) and are
  loaded by ``load_reference`` by (code, version): loading again adds what
  is missing and never overwrites.
- Answers are checked against the instrument's schema before anything is
  saved; the refusal names each question. The score is computed here,
  never taken from the form.
- Only an open case gets new or changed assessments; the assessment date
  cannot be in the future. Narratives are encrypted at rest and never
  written to the audit trail, nor are answers (only which ones changed).
- Changes take the version the user saw; a stale one is refused with what
  changed. Saving the same assessment twice (a double submit) is a no-op.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import User
from lk3.audit import actions
from lk3.audit.services import audit_record, refuse_if_stale
from lk3.cases import instruments
from lk3.cases.instruments import Schema
from lk3.cases.models import Assessment, Case, CaseStatus, Instrument
from lk3.cases.services import CASE_NOT_OPEN, DATE_IN_FUTURE
from lk3.core.concurrency import lock_for_edit
from lk3.core.errors import DomainError

DATA_DIR = Path(__file__).resolve().parent / "data" / "instruments"

INSTRUMENT_INVALID = _("The instrument's form is not valid: %(problems)s")
INSTRUMENT_IN_USE = _(
    "This version of the instrument has been used in assessments: publish a new version instead."
)
REDACTED = ["***", "***"]


# -- instruments ------------------------------------------------------------------------------


def instrument_is_used(instrument: Instrument) -> bool:
    return Assessment.objects.filter(instrument=instrument).exists()


def _valid_schema(schema: object) -> Schema:
    problems = instruments.schema_check(schema)
    if problems:
        raise DomainError(
            INSTRUMENT_INVALID, code="invalid_schema", params={"problems": "; ".join(problems)}
        )
    return cast(Schema, schema)


def _instrument_create(
    *, actor: User | None, code: str, version: int, kind: str, name: str, schema: Schema
) -> Instrument:
    instrument = Instrument(code=code, version=version, kind=kind, name=name, schema=schema)
    instrument.full_clean()
    instrument.save()
    newest = Instrument.objects.filter(code=code).aggregate(newest=Max("version"))["newest"]
    if newest == version:
        Instrument.objects.filter(code=code, version__lt=version).update(is_active=False)
    audit_record(
        actor=actor,
        action=actions.INSTRUMENT_PUBLISHED,
        target=instrument,
        changes={"instrument": [None, code], "instrument_version": [None, version]},
    )
    return instrument


@transaction.atomic
def instrument_publish(
    *, actor: User | None, code: str, kind: str, name: str, schema: object
) -> Instrument:
    """The next version of an instrument (the first when the code is new).

    Publishing what the newest version already says changes nothing.
    """
    checked = _valid_schema(schema)
    newest = Instrument.objects.select_for_update().filter(code=code).order_by("-version").first()
    if newest is not None and (newest.kind, newest.name, newest.schema) == (kind, name, checked):
        return newest
    version = newest.version + 1 if newest is not None else 1
    return _instrument_create(
        actor=actor, code=code, version=version, kind=kind, name=name, schema=checked
    )


@transaction.atomic
def instrument_edit(
    *, actor: User, instrument: Instrument, name: str, schema: object
) -> Instrument:
    """Correct a version nobody has used yet (a typo found before the first assessment)."""
    checked = _valid_schema(schema)
    current = lock_for_edit(instrument)
    if instrument_is_used(current):
        raise DomainError(INSTRUMENT_IN_USE, code="instrument_in_use")
    before = {"name": current.name, "schema": current.schema}
    current.name, current.schema = name, checked
    current.full_clean()
    current.save(update_fields=["name", "schema"])
    audit_record(
        actor=actor,
        action=actions.INSTRUMENT_PUBLISHED,
        target=current,
        changes={
            key: [before[key], value]
            for key, value in (("name", name), ("schema", checked))
            if before[key] != value
        },
    )
    return current


@dataclass(frozen=True)
class InstrumentsLoad:
    created: int
    existing: int


@transaction.atomic
def instruments_load(directory: Path = DATA_DIR) -> InstrumentsLoad:
    """The default instruments, by (code, version); present versions are left as they are."""
    documents = [json.loads(path.read_text("utf-8")) for path in sorted(directory.glob("*.json"))]
    documents.sort(key=lambda document: (document["code"], document["version"]))
    present = set(Instrument.objects.values_list("code", "version"))
    created = 0
    for document in documents:
        if (document["code"], document["version"]) in present:
            continue
        _instrument_create(
            actor=None,
            code=document["code"],
            version=document["version"],
            kind=document["kind"],
            name=document["name"],
            schema=_valid_schema(document["schema"]),
        )
        created += 1
    return InstrumentsLoad(created=created, existing=len(documents) - created)


def instruments_active() -> QuerySet[Instrument]:
    """The instruments offered for new assessments, newest version of each."""
    return Instrument.objects.filter(is_active=True).order_by("kind", "name", "-version")


def instrument_for_form(code: str, version: str | int | None = None) -> Instrument | None:
    """The version a form is filled in: the one it was shown with, else the active one."""
    found = Instrument.objects.filter(code=code)
    if version:
        try:
            return found.filter(version=int(version)).first()
        except (TypeError, ValueError):
            return None
    return found.filter(is_active=True).order_by("-version").first()


# -- assessments ------------------------------------------------------------------------------


def _require_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise DomainError(CASE_NOT_OPEN, code="not_open")


def _check_date(assessed_on: datetime.date, today: datetime.date) -> None:
    if assessed_on > today:
        raise DomainError(DATE_IN_FUTURE, code="future", field="assessed_on")


def _checked_answers(schema: Schema, answers: Mapping[str, object]) -> dict[str, object]:
    problems = instruments.answers_check(schema, answers)
    if problems:
        raise ValidationError({code: [message] for code, message in problems.items()})
    return instruments.answers_clean(schema, answers)


def _touch_case(case: Case) -> None:
    # Activity on the case without a new version: nobody's case edit goes stale.
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now())


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    case: Case,
    instrument: Instrument,
    assessed_on: datetime.date,
    answers: Mapping[str, object],
    narrative: str = "",
    today: datetime.date | None = None,
) -> Assessment:
    today = today or timezone.localdate()
    current = lock_for_edit(case)
    _require_open(current)
    _check_date(assessed_on, today)
    schema = cast(Schema, instrument.schema)
    clean = _checked_answers(schema, answers)
    duplicate = _same_assessment(current, instrument, assessed_on, clean, narrative.strip())
    if duplicate is not None:
        return duplicate
    assessment = Assessment(
        case=current,
        instrument=instrument,
        assessed_on=assessed_on,
        assessed_by=actor,
        answers=clean,
        score=instruments.score(schema, clean),
        narrative=narrative.strip(),
    )
    assessment.full_clean(exclude=["answers"])  # checked against the schema above
    assessment.save()
    _touch_case(current)
    audit_record(
        actor=actor,
        action=actions.ASSESSMENT_RECORDED,
        target=assessment,
        organisation=current.organisation,
        changes={
            "case": [None, current.number],
            "instrument": [None, f"{instrument.code} v{instrument.version}"],
            "assessed_on": [None, assessed_on.isoformat()],
            "score": [None, _text(assessment.score)],
            **({"narrative": REDACTED} if assessment.narrative else {}),
        },
    )
    return assessment


def _same_assessment(
    case: Case,
    instrument: Instrument,
    assessed_on: datetime.date,
    answers: dict[str, object],
    narrative: str,
) -> Assessment | None:
    """The assessment a double-submitted form already saved, if any."""
    for existing in Assessment.objects.filter(
        case=case, instrument=instrument, assessed_on=assessed_on
    ):
        if existing.answers == answers and existing.narrative == narrative:
            return existing
    return None


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@transaction.atomic
def assessment_update(
    *,
    actor: User,
    assessment: Assessment,
    expected_version: int,
    assessed_on: datetime.date,
    answers: Mapping[str, object],
    narrative: str = "",
    today: datetime.date | None = None,
) -> Assessment:
    """New answers for the same instrument version (the one the assessment was given with)."""
    today = today or timezone.localdate()
    current = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("instrument", "case")
        .get(pk=assessment.pk)
    )
    schema = cast(Schema, current.instrument.schema)
    clean = _checked_answers(schema, answers)
    unchanged = (
        current.assessed_on == assessed_on
        and current.answers == clean
        and current.narrative == narrative.strip()
    )
    if unchanged and current.version != expected_version:
        return current  # A double-submitted form: the first submit already made this change.
    refuse_if_stale(current, expected_version)
    _require_open(current.case)
    _check_date(assessed_on, today)
    if unchanged:
        return current
    changes = _assessment_diff(current, assessed_on, clean, narrative.strip())
    old_score = current.score
    current.assessed_on = assessed_on
    current.answers = clean
    current.narrative = narrative.strip()
    current.score = instruments.score(schema, clean)
    current.version += 1
    current.full_clean(exclude=["answers"])  # checked against the schema above
    current.save()
    _touch_case(current.case)
    if current.score != old_score:
        changes["score"] = [_text(old_score), _text(current.score)]
    audit_record(
        actor=actor,
        action=actions.ASSESSMENT_UPDATED,
        target=current,
        organisation=current.case.organisation,
        changes={**changes, "version": [expected_version, current.version]},
    )
    return current


def _assessment_diff(
    current: Assessment, assessed_on: datetime.date, answers: dict[str, object], narrative: str
) -> dict[str, list[Any]]:
    """What changed; answers and narrative only as "changed" (they are case content)."""
    changes: dict[str, list[Any]] = {}
    if current.assessed_on != assessed_on:
        changes["assessed_on"] = [current.assessed_on.isoformat(), assessed_on.isoformat()]
    for code in sorted(set(current.answers) | set(answers)):
        if current.answers.get(code) != answers.get(code):
            changes[f"answers.{code}"] = REDACTED
    if current.narrative != narrative:
        changes["narrative"] = REDACTED
    return changes


# -- reads ------------------------------------------------------------------------------------


def assessments_of(case: Case) -> QuerySet[Assessment]:
    """A case's assessments by date, with their instrument and assessor."""
    return (
        Assessment.objects.filter(case=case)
        .select_related("instrument", "assessed_by")
        .order_by("assessed_on", "id")
    )


@dataclass(frozen=True)
class Series:
    """One instrument's scores over time (across its versions), for a progress chart."""

    code: str
    name: str
    kind: str
    higher_is_better: bool
    low: Decimal
    high: Decimal
    bands: list[tuple[Decimal, str]]
    points: list[tuple[datetime.date, Decimal]]


def progress_series(assessments: list[Assessment], *, kinds: tuple[str, ...] = ()) -> list[Series]:
    """Scored assessments grouped by instrument code; the newest version used sets the scale."""
    grouped: dict[str, list[Assessment]] = {}
    for assessment in sorted(assessments, key=lambda item: (item.assessed_on, item.pk)):
        if assessment.score is None or (kinds and assessment.instrument.kind not in kinds):
            continue
        grouped.setdefault(assessment.instrument.code, []).append(assessment)
    series = []
    for code, items in grouped.items():
        newest = max((item.instrument for item in items), key=lambda instrument: instrument.version)
        schema = cast(Schema, newest.schema)
        limits = instruments.score_range(schema)
        if limits is None:
            continue
        series.append(
            Series(
                code=code,
                name=newest.name,
                kind=newest.kind,
                higher_is_better=instruments.higher_is_better(schema),
                low=limits[0],
                high=limits[1],
                bands=[
                    (Decimal(str(band["min"])), band["label"])
                    for band in schema["scoring"].get("bands", [])
                ],
                points=[(item.assessed_on, cast(Decimal, item.score)) for item in items],
            )
        )
    return series
