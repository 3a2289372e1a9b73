"""Who may see and do what with organisations, accounts and board members.

Rules:
- A user sees the records of their own organisation and of the
  organisations it supervises (a city office sees its LK3).
- The member directory is for the LK3's own team (``INTERNAL_ROLES``);
  partner staff and aggregate viewers never see it.
- Only the user administrator and the chair/coordinator change members,
  and only in their own organisation.
- A record outside the user's reach is a 404 (its existence is not
  revealed); a reachable record with a forbidden action is a 403.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from lk3.accounts.models import BoardMember, Organisation, User
from lk3.accounts.roles import AUDIT_READER_ROLES, INTERNAL_ROLES, STAFF_MANAGER_ROLES


def is_active_member(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.organisation_id)


def visible_organisation_ids(user: User) -> set[int]:
    """The user's organisation and every organisation below it."""
    if not is_active_member(user):
        return set()
    assert user.organisation_id is not None
    visible = {user.organisation_id}
    frontier = {user.organisation_id}
    while frontier:
        below = set(
            Organisation.objects.filter(supervisor_id__in=frontier).values_list("id", flat=True)
        )
        frontier = below - visible
        visible |= frontier
    return visible


def can_view_staff_directory(user: Any) -> bool:
    return is_active_member(user) and user.role in INTERNAL_ROLES


def can_manage_staff(user: Any) -> bool:
    return is_active_member(user) and user.role in STAFF_MANAGER_ROLES


def can_edit_board_member(user: Any, member: BoardMember) -> bool:
    return can_manage_staff(user) and member.organisation_id == user.organisation_id


def can_edit_organisation(user: Any, organisation: Organisation) -> bool:
    return can_manage_staff(user) and organisation.pk == user.organisation_id


def can_read_audit(user: Any) -> bool:
    return is_active_member(user) and user.role in AUDIT_READER_ROLES


def board_member_get_for_user(
    user: User, public_id: UUID, *, for_edit: bool = False
) -> BoardMember:
    """Fetch-and-check for a board member; the one way pages and API reach one."""
    if not can_view_staff_directory(user):
        raise Http404
    member = (
        BoardMember.objects.select_related("organisation", "user")
        .filter(public_id=public_id, organisation_id__in=visible_organisation_ids(user))
        .first()
    )
    if member is None:
        raise Http404
    if for_edit and not can_edit_board_member(user, member):
        raise PermissionDenied
    return member


def organisation_get_for_user(
    user: User, public_id: UUID, *, for_edit: bool = False
) -> Organisation:
    organisation = Organisation.objects.filter(
        public_id=public_id, id__in=visible_organisation_ids(user)
    ).first()
    if organisation is None:
        raise Http404
    if for_edit and not can_edit_organisation(user, organisation):
        raise PermissionDenied
    return organisation
