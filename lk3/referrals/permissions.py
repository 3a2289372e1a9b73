"""Who may see and do what in the referral network.

Rules:
- The partner directory is read by the organisation's casework roles and
  managed (partners, contacts, MoUs, partner staff accounts) by the
  coordinator and the user administrator.
- A referral out is sent from a case by whoever may work on the case
  (``cases.permissions.can_work_on``); the LK3 side reaches the
  organisation's referrals through the case (a referral of a case the
  user cannot open is a 404). The coordinator reaches all of them.
- Partner staff (role ``partner`` with a ``PartnerMember`` link) reach only
  the referrals sent to their own partner, and of those only what was
  shared: never the case, the person's record or another partner's
  referrals. A partner account without a link reaches nothing.
- Referrals in and field reports land at the intake desk: intake officers
  and the coordinator take them into cases.
- Field officers (Bhabinkamtibmas, Babinsa, TKSK, PSM; role
  ``field_officer``) file reports and see the status of their own, never
  the case a report became.
- Anything outside the user's reach is a 404; a reachable record with a
  forbidden action is a 403.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from lk3.accounts.permissions import is_active_member
from lk3.accounts.roles import Role
from lk3.cases.permissions import CASE_ROLES, cases_for_user, is_coordinator
from lk3.referrals.models import FieldReport, Partner, PartnerMember, Referral

DIRECTORY_MANAGERS = frozenset({Role.COORDINATOR, Role.ADMIN})
INTAKE_DESK = frozenset({Role.COORDINATOR, Role.INTAKE})


# -- partners -------------------------------------------------------------------------------


def can_read_directory(user: Any) -> bool:
    return is_active_member(user) and user.role in CASE_ROLES | DIRECTORY_MANAGERS


def can_manage_directory(user: Any) -> bool:
    return is_active_member(user) and user.role in DIRECTORY_MANAGERS


def partners_for_user(user: Any) -> QuerySet[Partner]:
    if not can_read_directory(user):
        return Partner.objects.none()
    return Partner.objects.filter(organisation_id=user.organisation_id)


def partner_get_for_user(user: Any, public_id: UUID, *, for_change: bool = False) -> Partner:
    partner = partners_for_user(user).filter(public_id=public_id).first()
    if partner is None:
        raise Http404
    if for_change and not can_manage_directory(user):
        raise PermissionDenied
    return partner


# -- partner staff --------------------------------------------------------------------------


def partner_of(user: Any) -> Partner | None:
    """The partner a partner-staff account works for (None for anyone else)."""
    if not (is_active_member(user) and user.role == Role.PARTNER):
        return None
    membership = (
        PartnerMember.objects.select_related("partner")
        .filter(user=user, partner__is_active=True)
        .first()
    )
    return membership.partner if membership else None


def is_partner_staff(user: Any) -> bool:
    return partner_of(user) is not None


# -- referrals ------------------------------------------------------------------------------


def referrals_for_user(user: Any) -> QuerySet[Referral]:
    """Every referral the user reaches, unordered.

    LK3 side: the referrals of the cases the user reaches, plus, at the
    intake desk, the referrals in not yet taken into a case. Partner
    staff: the referrals sent to their partner.
    """
    partner = partner_of(user)
    if partner is not None:
        return Referral.objects.filter(partner=partner, direction="out")
    if not (is_active_member(user) and user.role in CASE_ROLES):
        return Referral.objects.none()
    in_organisation = Referral.objects.filter(organisation_id=user.organisation_id)
    if is_coordinator(user):
        return in_organisation
    reachable = in_organisation.filter(case__in=cases_for_user(user))
    if user.role in INTAKE_DESK:
        waiting = in_organisation.filter(direction="in", case__isnull=True)
        return reachable | waiting
    return reachable


def referral_get_for_user(user: Any, public_id: UUID) -> Referral:
    """Fetch-and-check for a referral: pages, letters and the API all come through here."""
    referral = (
        referrals_for_user(user)
        .select_related("organisation", "case", "person", "partner", "service")
        .filter(public_id=public_id)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def can_take_intake(user: Any) -> bool:
    """Referrals in and field reports: the intake desk takes them into cases."""
    return is_active_member(user) and user.role in INTAKE_DESK


# -- field reports --------------------------------------------------------------------------


def can_file_field_report(user: Any) -> bool:
    return is_active_member(user) and user.role == Role.FIELD_OFFICER


def field_reports_for_user(user: Any) -> QuerySet[FieldReport]:
    """The officer's own reports; the intake desk's organisation's reports."""
    if can_file_field_report(user):
        return FieldReport.objects.filter(reported_by=user)
    if can_take_intake(user):
        return FieldReport.objects.filter(organisation_id=user.organisation_id)
    return FieldReport.objects.none()


def field_report_get_for_user(user: Any, public_id: UUID) -> FieldReport:
    report = field_reports_for_user(user).filter(public_id=public_id).first()
    if report is None:
        raise Http404
    return report
