"""Who may see and change the people registry.

Rules:
- The registry is casework data: the chair/coordinator, intake officers,
  counsellors and psychologists of an organisation search, view, register
  and edit the persons and families their organisation registered.
- User administrators (no case content), field referrers (status of their
  own reports only), partner staff and aggregate roles never see it.
- Merging duplicates is for the coordinator and intake officers; undoing a
  merge is for the coordinator and the user administrator (who sees only
  the merge record, not the file).
- A person or family outside the user's reach is a 404; a reachable one
  with a forbidden action is a 403. Merged-away records stay reachable
  (they show where they went).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from lk3.accounts.permissions import is_active_member
from lk3.accounts.roles import Role
from lk3.people.models import Family, Person, PersonMerge

REGISTRY_ROLES = frozenset({Role.COORDINATOR, Role.INTAKE, Role.COUNSELLOR, Role.PSYCHOLOGIST})
MERGE_ROLES = frozenset({Role.COORDINATOR, Role.INTAKE})
UNDO_MERGE_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})


def can_use_registry(user: Any) -> bool:
    return is_active_member(user) and user.role in REGISTRY_ROLES


def can_merge(user: Any) -> bool:
    return is_active_member(user) and user.role in MERGE_ROLES


def can_undo_merge(user: Any) -> bool:
    return is_active_member(user) and user.role in UNDO_MERGE_ROLES


def registry_organisation_ids(user: Any) -> set[int]:
    """The organisations whose registry the user works in (their own)."""
    return {user.organisation_id} if can_use_registry(user) else set()


def person_get_for_user(user: Any, public_id: UUID, *, for_edit: bool = False) -> Person:
    """Fetch-and-check for a person: pages, API, exports and PDFs all come through here."""
    person = (
        Person.objects.select_related("organisation", "domicile_village", "merged_into")
        .filter(public_id=public_id, organisation_id__in=registry_organisation_ids(user))
        .first()
    )
    if person is None:
        raise Http404
    if for_edit and not can_use_registry(user):
        raise PermissionDenied
    return person


def family_get_for_user(user: Any, public_id: UUID) -> Family:
    family = (
        Family.objects.select_related("organisation", "domicile_village")
        .filter(public_id=public_id, organisation_id__in=registry_organisation_ids(user))
        .first()
    )
    if family is None:
        raise Http404
    return family


def merge_get_for_user(user: Any, merge_id: int) -> PersonMerge:
    """Undo is reached by the coordinator and the user administrator of the organisation."""
    if not (can_undo_merge(user) or can_use_registry(user)):
        raise Http404
    merge = (
        PersonMerge.objects.select_related("survivor", "merged")
        .filter(pk=merge_id, organisation_id=user.organisation_id)
        .first()
    )
    if merge is None:
        raise Http404
    if not can_undo_merge(user):
        raise PermissionDenied
    return merge
