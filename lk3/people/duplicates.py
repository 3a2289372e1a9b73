"""Finding likely duplicates: before a registration, and over a whole registry.

Rules:
- Before a person is registered, the records most like the draft (same
  NIK, or similar name with agreeing birth date/sex) are shown so the user
  can take one instead (``likely_duplicates_for_draft``).
- The batch search runs in the background (django-tasks), one at a time per
  organisation, over its active persons; it records its progress on the
  ``DedupRun`` row as it goes and writes the pairs above the matcher's
  threshold to the review queue. A pair already decided (dismissed or
  merged) is never queued again.
- The matcher (``lk3.people.matching``) decides; a NIK helps but is never
  trusted alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from lk3.accounts.models import Organisation, User
from lk3.audit import actions
from lk3.audit.services import audit_record
from lk3.core.errors import DomainError
from lk3.people.identity import nik_lookup_hash
from lk3.people.matching import Comparison, Record, find_duplicates, likely_duplicates
from lk3.people.models import (
    CandidateStatus,
    DedupRun,
    DuplicateCandidate,
    Person,
    PersonSearchKey,
    PersonStatus,
    RunStatus,
)
from lk3.people.names import index_keys
from lk3.regions.identity import parse_nik

RUN_ALREADY_ACTIVE = _("A duplicate search is already running for this organisation.")
CANDIDATE_ALREADY_DECIDED = _("This pair has already been decided.")
PROGRESS_EVERY = 5_000
DRAFT_CANDIDATE_LIMIT = 300
LOAD_BATCH = 5_000


# -- records ----------------------------------------------------------------------------


def person_record(person: Person, aliases: Iterable[str] = ()) -> Record:
    return Record(
        id=str(person.pk),
        full_name=person.full_name,
        birth_date=person.birth_date,
        sex=person.sex,
        nik=person.nik or "",
        birth_place=person.birth_place,
        address=person.address,
        kelurahan_code=person.domicile_village_id or "",
        aliases=tuple(aliases),
    )


def _records(persons: models.QuerySet[Person]) -> Iterator[Record]:
    """The organisation's records in batches, aliases included, without N+1 queries."""
    last = 0
    while True:
        batch = list(
            persons.filter(pk__gt=last).order_by("pk").prefetch_related("aliases")[:LOAD_BATCH]
        )
        if not batch:
            return
        for person in batch:
            yield person_record(person, (alias.name for alias in person.aliases.all()))
        last = batch[-1].pk


# -- before registering ------------------------------------------------------------------


# Why the matcher thinks two records are one person, in words.
REASON_LABELS = {
    "nik_same": _("same NIK"),
    "nik_one_digit": _("NIK differs in one digit"),
    "nik_transposed": _("NIK with two digits swapped"),
    "name_exact": _("same name"),
    "name_variant": _("name spelled differently"),
    "name_typo": _("name with a typo"),
    "married_name": _("name changed by marriage"),
    "birth_date_same": _("same birth date"),
    "birth_date_day_month_swapped": _("birth day and month swapped"),
    "birth_year_close": _("birth year close"),
    "birth_date_one_part_differs": _("birth date differs in one part"),
    "sex_differs": _("sex differs"),
    "same_kelurahan": _("same kelurahan"),
    "address_similar": _("similar address"),
    "birth_place_same": _("same place of birth"),
}


def reason_labels(reasons: Iterable[str]) -> list[str]:
    return [str(REASON_LABELS.get(reason, reason)) for reason in reasons]


@dataclass(frozen=True)
class DraftMatch:
    person: Person
    comparison: Comparison

    @property
    def reason_labels(self) -> list[str]:
        return reason_labels(self.comparison.reasons)


def likely_duplicates_for_draft(
    *,
    organisation: Organisation,
    full_name: str,
    birth_date: datetime.date | None,
    sex: str,
    nik: str = "",
    birth_place: str = "",
    address: str = "",
    kelurahan_code: str = "",
    exclude: Person | None = None,
) -> list[DraftMatch]:
    """Active persons of the organisation that may be the person being registered."""
    digits = parse_nik(nik).number if nik.strip() else ""
    keys = [key for key in index_keys(full_name) if not key.startswith("i:")]
    candidates = Q(nik_hash=nik_lookup_hash(digits)) if digits else Q(pk__in=[])
    if keys:
        candidates |= Q(
            pk__in=PersonSearchKey.objects.filter(organisation=organisation, key__in=keys).values(
                "person_id"
            )
        )
    persons = Person.objects.filter(
        candidates, organisation=organisation, status=PersonStatus.ACTIVE
    )
    if exclude is not None:
        persons = persons.exclude(pk=exclude.pk)
    if birth_date is not None and not digits:
        persons = persons.filter(
            Q(birth_date__isnull=True)
            | Q(birth_date__year__range=(birth_date.year - 2, birth_date.year + 2))
        )
    found = {
        str(person.pk): person
        for person in persons.prefetch_related("aliases")[:DRAFT_CANDIDATE_LIMIT]
    }
    draft = Record(
        id="draft",
        full_name=full_name,
        birth_date=birth_date,
        sex=sex,
        nik=digits,
        birth_place=birth_place,
        address=address,
        kelurahan_code=kelurahan_code,
    )
    records = [person_record(p, (a.name for a in p.aliases.all())) for p in found.values()]
    return [
        DraftMatch(person=found[record.id], comparison=comparison)
        for record, comparison in likely_duplicates(draft, records)
    ]


# -- the batch search ---------------------------------------------------------------------


@transaction.atomic
def dedup_run_request(*, actor: User, organisation: Organisation) -> DedupRun:
    active = DedupRun.objects.select_for_update().filter(
        organisation=organisation, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    )
    if active.exists():
        raise DomainError(RUN_ALREADY_ACTIVE, code="run_active")
    run = DedupRun.objects.create(organisation=organisation, requested_by=actor)
    audit_record(
        actor=actor,
        action=actions.DUPLICATE_SEARCH_REQUESTED,
        target=run,
        organisation=organisation,
    )
    transaction.on_commit(lambda: dedup_run_task.enqueue(run_id=run.pk))
    return run


@task()
def dedup_run_task(run_id: int) -> None:
    dedup_run_execute(run_id=run_id)


def _progress(run_id: int) -> object:
    def report(done: int, total: int) -> None:
        # Written straight away (not in a transaction) so the page sees it.
        DedupRun.objects.filter(pk=run_id).update(processed=done, total=total)

    return report


def dedup_run_execute(*, run_id: int) -> DedupRun:
    run = DedupRun.objects.select_related("organisation").get(pk=run_id)
    persons = Person.objects.filter(organisation=run.organisation, status=PersonStatus.ACTIVE)
    total = persons.count()
    DedupRun.objects.filter(pk=run_id).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), total=total
    )
    try:
        pairs = find_duplicates(_records(persons), progress=_progress(run_id))  # type: ignore[arg-type]
        written = _queue_pairs(run.organisation, pairs)
    except Exception as error:
        DedupRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=repr(error)[:2000]
        )
        raise
    with transaction.atomic():
        DedupRun.objects.filter(pk=run_id).update(
            status=RunStatus.DONE, finished_at=timezone.now(), processed=total, pairs_found=written
        )
        run.refresh_from_db()
        audit_record(
            actor=None,
            action=actions.DUPLICATE_SEARCH_FINISHED,
            target=run,
            organisation=run.organisation,
            changes={"persons": [None, total], "pairs_queued": [None, written]},
        )
    return run


def _queue_pairs(organisation: Organisation, pairs: Iterable[object]) -> int:
    rows = []
    for pair in pairs:
        first, second = sorted((int(pair.id_a), int(pair.id_b)))  # type: ignore[attr-defined]
        rows.append(
            DuplicateCandidate(
                organisation=organisation,
                person_a_id=first,
                person_b_id=second,
                score=round(float(pair.score), 4),  # type: ignore[attr-defined]
                reasons=list(pair.reasons),  # type: ignore[attr-defined]
            )
        )
    before = DuplicateCandidate.objects.filter(organisation=organisation).count()
    with transaction.atomic():
        # A pair already queued or decided keeps its row and its decision.
        DuplicateCandidate.objects.bulk_create(rows, batch_size=2_000, ignore_conflicts=True)
    return DuplicateCandidate.objects.filter(organisation=organisation).count() - before


@transaction.atomic
def candidate_dismiss(*, actor: User, candidate: DuplicateCandidate) -> DuplicateCandidate:
    current = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if current.status != CandidateStatus.OPEN:
        raise DomainError(CANDIDATE_ALREADY_DECIDED, code="already_decided")
    current.status = CandidateStatus.DISMISSED
    current.decided_by = actor
    current.decided_at = timezone.now()
    current.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=actions.DUPLICATE_DISMISSED,
        target=current.person_a,
        organisation=current.organisation,
        changes={
            "pair": [None, [str(current.person_a.public_id), str(current.person_b.public_id)]]
        },
    )
    return current
