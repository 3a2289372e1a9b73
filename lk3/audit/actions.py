"""The catalogue of audit action codes: a public contract.

Reports, exports and other deployments read these codes. Add new ones;
never rename or reuse one. Labels may be reworded freely.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LOGIN_SUCCEEDED = "auth.login_succeeded"
LOGIN_FAILED = "auth.login_failed"
LOGIN_LOCKED = "auth.login_locked"
LOGOUT = "auth.logout"
PASSWORD_CHANGED = "auth.password_changed"  # noqa: S105 -- an action code
PASSWORD_RESET_BY_ADMIN = "auth.password_reset_by_admin"  # noqa: S105 -- an action code
SESSION_EXPIRED = "auth.session_expired"
ORGANISATION_CREATED = "accounts.organisation_created"
ORGANISATION_UPDATED = "accounts.organisation_updated"
USER_CREATED = "accounts.user_created"
USER_UPDATED = "accounts.user_updated"
BOARD_MEMBER_CREATED = "accounts.board_member_created"
BOARD_MEMBER_UPDATED = "accounts.board_member_updated"
BOARD_MEMBER_DEACTIVATED = "accounts.board_member_deactivated"
REFERENCE_DATA_LOADED = "core.reference_data_loaded"
PERSON_CREATED = "people.person_created"
ADMIN_RECORD_CREATED = "admin.record_created"
ADMIN_RECORD_UPDATED = "admin.record_updated"
SEED_PERSONS_GENERATED = "seed.persons_generated"

LABELS = {
    LOGIN_SUCCEEDED: _("Logged in"),
    LOGIN_FAILED: _("Failed login"),
    LOGIN_LOCKED: _("Login locked after repeated failures"),
    LOGOUT: _("Logged out"),
    PASSWORD_CHANGED: _("Password changed"),
    PASSWORD_RESET_BY_ADMIN: _("Password reset by an administrator"),
    SESSION_EXPIRED: _("Session ended after inactivity"),
    ORGANISATION_CREATED: _("Organisation created"),
    ORGANISATION_UPDATED: _("Organisation updated"),
    USER_CREATED: _("User account created"),
    USER_UPDATED: _("User account updated"),
    BOARD_MEMBER_CREATED: _("Board member added"),
    BOARD_MEMBER_UPDATED: _("Board member updated"),
    BOARD_MEMBER_DEACTIVATED: _("Board member deactivated"),
    REFERENCE_DATA_LOADED: _("Reference data loaded"),
    PERSON_CREATED: _("Person registered"),
    ADMIN_RECORD_CREATED: _("Record created in the administration site"),
    ADMIN_RECORD_UPDATED: _("Record changed in the administration site"),
    SEED_PERSONS_GENERATED: _("Demo persons generated"),
}


def label(code: str) -> str:
    return str(LABELS.get(code, code))
