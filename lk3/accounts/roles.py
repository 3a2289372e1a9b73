"""Roles (what a person may do) and scopes (over which records).

DESIGN.md section 3. The mapping from role to scope is here and only here;
permission functions in each app read it instead of comparing role names.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("User administrator")
    COORDINATOR = "coordinator", _("Chair / coordinator")
    COUNSELLOR = "counsellor", _("Counsellor / social worker")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    INTAKE = "intake", _("Intake officer")
    FIELD_OFFICER = "field_officer", _("Field referrer")
    PARTNER = "partner", _("Partner staff")
    SUPERVISOR = "supervisor", _("Social office supervisor")
    AGGREGATE_VIEWER = "aggregate_viewer", _("Aggregate viewer")


class Scope(models.TextChoices):
    OWN = "own", _("Assigned to or created by me")
    REPORTED_BY_ME = "reported_by_me", _("Reported by me (status only)")
    ORGANISATION = "organisation", _("My organisation")
    KELURAHAN = "kelurahan", _("My kelurahan")
    AGGREGATE = "aggregate", _("Counts only")
    NONE = "none", _("No case records")


# Which case records each role reaches (cases arrive with a later issue; the
# people registry and staff pages already follow it).
CASE_SCOPE: dict[str, Scope] = {
    Role.ADMIN: Scope.NONE,
    Role.COORDINATOR: Scope.ORGANISATION,
    Role.COUNSELLOR: Scope.OWN,
    Role.PSYCHOLOGIST: Scope.OWN,
    Role.INTAKE: Scope.ORGANISATION,
    Role.FIELD_OFFICER: Scope.REPORTED_BY_ME,
    Role.PARTNER: Scope.NONE,
    Role.SUPERVISOR: Scope.AGGREGATE,
    Role.AGGREGATE_VIEWER: Scope.AGGREGATE,
}

# Roles that belong to the LK3's own team and see its directory of members.
INTERNAL_ROLES = frozenset(
    {
        Role.ADMIN,
        Role.COORDINATOR,
        Role.COUNSELLOR,
        Role.PSYCHOLOGIST,
        Role.INTAKE,
        Role.FIELD_OFFICER,
        Role.SUPERVISOR,
    }
)
STAFF_MANAGER_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})
AUDIT_READER_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})
