"""Merging two records of one person, and undoing it.

Rules:
- Both records must be active and belong to the same organisation; a
  record is never merged with itself.
- The survivor keeps its values unless the user chose the other record's
  value for a field; the NIK moves as one piece (NIK, hash, region, reason).
- Everything that pointed at the merged record moves to the survivor:
  other names, phone numbers, consents (given and received as guardian),
  family memberships (a second current family is ended, not kept twice),
  and the relations later apps register in ``MERGE_RELATIONS``. The merged
  record's name becomes an "other name" of the survivor, so searches still
  find it.
- The merged record is kept (status "merged", pointing at the survivor):
  nothing is deleted. Open duplicate pairs that involved it are closed.
- Undo (coordinator or user administrator) restores what the merge did,
  except fields changed again since, which are kept and reported. A merge
  is undone only after any later merge into the same survivor.
- What undo needs is kept in ``PersonMerge.snapshot``, encrypted (it holds
  NIKs). Both actions are audited in their transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import User
from lk3.audit import actions
from lk3.audit.services import audit_record, snapshot
from lk3.core.errors import DomainError
from lk3.people.models import (
    AliasKind,
    CandidateStatus,
    Consent,
    DuplicateCandidate,
    FamilyMembership,
    MembershipEnd,
    Person,
    PersonAlias,
    PersonMerge,
    PersonPhone,
    PersonStatus,
)
from lk3.people.search_index import person_index, person_unindex

MERGE_SAME_RECORD = _("A record cannot be merged with itself.")
MERGE_OTHER_ORGANISATION = _(
    "These records belong to different organisations and cannot be merged here."
)
MERGE_NOT_ACTIVE = _("%(name)s was already merged into another record.")
MERGE_ALREADY_UNDONE = _("This merge has already been undone.")
MERGE_LATER_MERGE = _("Undo the later merge into %(name)s first.")

# The identity travels as one piece: taking the other record's NIK takes
# its hash, region of issue and absence reason too.
IDENTITY_GROUP = ("nik", "nik_hash", "nik_region_code", "nik_absence")
CHOOSABLE_FIELDS = (
    "full_name",
    "nik",
    "birth_date",
    "birth_date_is_estimated",
    "sex",
    "birth_place",
    "religion",
    "marital_status",
    "education",
    "occupation",
    "disability",
    "domicile_village",
    "address",
    "rt",
    "rw",
    "photo",
)
STORED_FIELDS = tuple(dict.fromkeys((*CHOOSABLE_FIELDS, *IDENTITY_GROUP)))


@dataclass(frozen=True)
class Relation:
    """A foreign key to Person whose rows move to the survivor on merge."""

    model: type[models.Model]
    attname: str

    @property
    def key(self) -> str:
        return f"{self.model._meta.label_lower}.{self.attname}"


# Later apps (cases, referrals) add their person foreign keys here in
# their AppConfig.ready(), so a merge moves their rows too.
MERGE_RELATIONS: list[Relation] = [
    Relation(PersonAlias, "person_id"),
    Relation(PersonPhone, "person_id"),
    Relation(Consent, "person_id"),
    Relation(Consent, "giver_person_id"),
]


@dataclass
class MergeState:
    """What a merge did, enough to undo it. Stored as JSON, encrypted."""

    before: dict[str, Any]
    after: dict[str, Any] = field(default_factory=dict)
    moved: dict[str, list[int]] = field(default_factory=dict)
    moved_memberships: list[int] = field(default_factory=list)
    ended_memberships: list[int] = field(default_factory=list)
    alias_created: int | None = None
    candidates: dict[str, str] = field(default_factory=dict)

    def dumps(self) -> str:
        return json.dumps(self.__dict__, default=str)

    @classmethod
    def loads(cls, text: str) -> MergeState:
        return cls(**json.loads(text))


def _values(person: Person) -> dict[str, Any]:
    values = snapshot(person, STORED_FIELDS)
    values["photo"] = person.photo.name or ""
    return {name: _plain(value) for name, value in values.items()}


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _check_mergeable(survivor: Person, merged: Person) -> None:
    if survivor.pk == merged.pk:
        raise DomainError(MERGE_SAME_RECORD, code="same_record")
    if survivor.organisation_id != merged.organisation_id:
        raise DomainError(MERGE_OTHER_ORGANISATION, code="other_organisation")
    for person in (survivor, merged):
        if person.status != PersonStatus.ACTIVE:
            raise DomainError(MERGE_NOT_ACTIVE % {"name": person.full_name}, code="not_active")


def _lock_pair(survivor: Person, merged: Person) -> tuple[Person, Person]:
    locked = {
        person.pk: person
        for person in Person.objects.select_for_update().filter(pk__in=[survivor.pk, merged.pk])
    }
    return locked[survivor.pk], locked[merged.pk]


def _take_fields(survivor: Person, merged: Person, take_from_merged: set[str]) -> None:
    chosen = set(take_from_merged) & set(CHOOSABLE_FIELDS)
    if "nik" in chosen:
        chosen |= set(IDENTITY_GROUP)
    for name in chosen:
        attname = survivor._meta.get_field(name).attname  # type: ignore[union-attr]
        setattr(survivor, attname, getattr(merged, attname))


def _move_relations(survivor: Person, merged: Person, state: MergeState) -> None:
    for relation in MERGE_RELATIONS:
        rows = relation.model._default_manager.filter(**{relation.attname: merged.pk})
        state.moved[relation.key] = list(rows.values_list("pk", flat=True))
        rows.update(**{relation.attname: survivor.pk})


def _move_memberships(survivor: Person, merged: Person, state: MergeState, today: Any) -> None:
    survivor_has_family = FamilyMembership.objects.filter(
        person=survivor, ended_on__isnull=True
    ).exists()
    for membership in FamilyMembership.objects.filter(person=merged):
        if membership.ended_on is None and survivor_has_family:
            membership.ended_on = today
            membership.end_reason = MembershipEnd.MERGED
            membership.save(update_fields=["ended_on", "end_reason"])
            state.ended_memberships.append(membership.pk)
        else:
            membership.person = survivor
            membership.save(update_fields=["person"])
            state.moved_memberships.append(membership.pk)


def _close_candidates(merged: Person, state: MergeState) -> None:
    pairs = DuplicateCandidate.objects.filter(
        models.Q(person_a=merged) | models.Q(person_b=merged), status=CandidateStatus.OPEN
    )
    state.candidates = {str(pk): CandidateStatus.OPEN for pk in pairs.values_list("pk", flat=True)}
    pairs.update(status=CandidateStatus.MERGED, decided_at=timezone.now())


@transaction.atomic
def person_merge(
    *,
    actor: User,
    survivor: Person,
    merged: Person,
    take_from_merged: set[str] | frozenset[str] = frozenset(),
) -> PersonMerge:
    survivor, merged = _lock_pair(survivor, merged)
    _check_mergeable(survivor, merged)
    state = MergeState(before=_values(survivor))
    _take_fields(survivor, merged, set(take_from_merged))
    survivor.version += 1
    survivor.save()
    _move_relations(survivor, merged, state)
    _move_memberships(survivor, merged, state, timezone.localdate())
    if merged.full_name.strip().lower() != survivor.full_name.strip().lower():
        alias = PersonAlias.objects.create(
            person=survivor, name=merged.full_name, kind=AliasKind.PREVIOUS
        )
        state.alias_created = alias.pk
    _close_candidates(merged, state)
    merged.status = PersonStatus.MERGED
    merged.merged_into = survivor
    merged.version += 1
    merged.save(update_fields=["status", "merged_into", "version", "updated_at"])
    state.after = _values(survivor)
    record = PersonMerge.objects.create(
        organisation=survivor.organisation,
        survivor=survivor,
        merged=merged,
        snapshot=state.dumps(),
        performed_by=actor,
    )
    person_unindex(merged)
    person_index(survivor)
    audit_record(
        actor=actor,
        action=actions.PERSON_MERGED,
        target=survivor,
        organisation=survivor.organisation,
        changes={
            "merged": [None, str(merged.public_id)],
            "fields_taken": [None, sorted(set(take_from_merged) & set(CHOOSABLE_FIELDS))],
            "moved": [None, {key: len(ids) for key, ids in state.moved.items()}],
        },
    )
    return record


# -- undo -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UndoResult:
    merge: PersonMerge
    kept_fields: tuple[str, ...]  # changed again after the merge, so not restored


def _restore_fields(survivor: Person, state: MergeState) -> tuple[str, ...]:
    now = _values(survivor)
    kept = []
    for name, before in state.before.items():
        after = state.after.get(name)
        if before == after:
            continue
        if now.get(name) != after:
            kept.append(name)
            continue
        attname = survivor._meta.get_field(name).attname  # type: ignore[union-attr]
        value = survivor._meta.get_field(name).to_python(before)  # type: ignore[union-attr]
        setattr(survivor, attname, value)
    return tuple(sorted(kept))


def _move_back(survivor: Person, merged: Person, state: MergeState) -> None:
    for relation in MERGE_RELATIONS:
        ids = state.moved.get(relation.key, [])
        relation.model._default_manager.filter(
            pk__in=ids, **{relation.attname: survivor.pk}
        ).update(**{relation.attname: merged.pk})
    FamilyMembership.objects.filter(pk__in=state.moved_memberships, person=survivor).update(
        person=merged
    )
    FamilyMembership.objects.filter(
        pk__in=state.ended_memberships, end_reason=MembershipEnd.MERGED
    ).update(ended_on=None, end_reason="")
    if state.alias_created is not None:
        PersonAlias.objects.filter(pk=state.alias_created, person=survivor).delete()
    for pk, status in state.candidates.items():
        DuplicateCandidate.objects.filter(pk=int(pk), status=CandidateStatus.MERGED).update(
            status=status, decided_at=None
        )


@transaction.atomic
def person_merge_undo(*, actor: User, merge: PersonMerge) -> UndoResult:
    current = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if current.undone_at is not None:
        raise DomainError(MERGE_ALREADY_UNDONE, code="already_undone")
    survivor, merged = _lock_pair(current.survivor, current.merged)
    later = PersonMerge.objects.filter(
        survivor=survivor, undone_at__isnull=True, performed_at__gt=current.performed_at
    ).exclude(pk=current.pk)
    if later.exists() or survivor.status != PersonStatus.ACTIVE:
        raise DomainError(MERGE_LATER_MERGE % {"name": survivor.full_name}, code="later_merge")
    state = MergeState.loads(current.snapshot)
    kept = _restore_fields(survivor, state)
    survivor.version += 1
    survivor.save()
    _move_back(survivor, merged, state)
    merged.status = PersonStatus.ACTIVE
    merged.merged_into = None
    merged.version += 1
    merged.save(update_fields=["status", "merged_into", "version", "updated_at"])
    current.undone_at = timezone.now()
    current.undone_by = actor
    current.save(update_fields=["undone_at", "undone_by"])
    person_index(survivor)
    person_index(merged)
    audit_record(
        actor=actor,
        action=actions.PERSON_MERGE_UNDONE,
        target=survivor,
        organisation=survivor.organisation,
        changes={"merged": [str(merged.public_id), None], "kept_fields": [None, list(kept)]},
    )
    return UndoResult(merge=current, kept_fields=kept)
