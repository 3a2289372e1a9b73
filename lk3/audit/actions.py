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
PERSON_UPDATED = "people.person_updated"
PERSON_MERGED = "people.person_merged"
PERSON_MERGE_UNDONE = "people.person_merge_undone"
CONSENT_RECORDED = "people.consent_recorded"
CONSENT_WITHDRAWN = "people.consent_withdrawn"
FAMILY_CREATED = "people.family_created"
FAMILY_UPDATED = "people.family_updated"
FAMILY_MEMBER_ADDED = "people.family_member_added"
FAMILY_MEMBER_ENDED = "people.family_member_ended"
DUPLICATE_SEARCH_REQUESTED = "people.duplicate_search_requested"
DUPLICATE_SEARCH_FINISHED = "people.duplicate_search_finished"
DUPLICATE_DISMISSED = "people.duplicate_dismissed"
ADMIN_RECORD_CREATED = "admin.record_created"
ADMIN_RECORD_UPDATED = "admin.record_updated"
SEED_PERSONS_GENERATED = "seed.persons_generated"
CASE_OPENED = "cases.case_opened"
CASE_UPDATED = "cases.case_updated"
CASE_STAGE_CHANGED = "cases.stage_changed"
CASE_MEMBER_ADDED = "cases.member_added"
CASE_MEMBER_REMOVED = "cases.member_removed"
CASE_TRANSFERRED = "cases.case_transferred"
CASE_CLOSURE_REQUESTED = "cases.closure_requested"
CASE_CLOSURE_APPROVED = "cases.closure_approved"
CASE_CLOSURE_RETURNED = "cases.closure_returned"
CASE_REOPENED = "cases.case_reopened"
CHECK_IN_SCHEDULED = "cases.check_in_scheduled"
CHECK_IN_RECORDED = "cases.check_in_recorded"
ASSESSMENT_RECORDED = "cases.assessment_recorded"
ASSESSMENT_UPDATED = "cases.assessment_updated"
INSTRUMENT_PUBLISHED = "cases.instrument_published"
PLAN_REVISED = "cases.plan_revised"
SESSION_RECORDED = "cases.session_recorded"
SESSION_UPDATED = "cases.session_updated"
TASK_CREATED = "cases.task_created"
TASK_UPDATED = "cases.task_updated"
TASK_COMPLETED = "cases.task_completed"
TASK_REOPENED = "cases.task_reopened"
ATTACHMENT_ADDED = "cases.attachment_added"
STAGE_LABELS_CHANGED = "cases.stage_labels_changed"
SEED_CASES_GENERATED = "seed.cases_generated"
PARTNER_CREATED = "referrals.partner_created"
PARTNER_UPDATED = "referrals.partner_updated"
PARTNER_DEACTIVATED = "referrals.partner_deactivated"
PARTNER_CONTACT_ADDED = "referrals.partner_contact_added"
PARTNER_CONTACT_REMOVED = "referrals.partner_contact_removed"
AGREEMENT_ADDED = "referrals.agreement_added"
PARTNER_STAFF_LINKED = "referrals.partner_staff_linked"
PARTNER_STAFF_UNLINKED = "referrals.partner_staff_unlinked"
REFERRAL_SENT = "referrals.referral_sent"
REFERRAL_ANSWERED = "referrals.referral_answered"
REFERRAL_REVOKED = "referrals.referral_revoked"
REFERRAL_IN_RECORDED = "referrals.referral_in_recorded"
REFERRAL_IN_ACCEPTED = "referrals.referral_in_accepted"
REFERRAL_IN_DECLINED = "referrals.referral_in_declined"
FIELD_REPORT_FILED = "referrals.field_report_filed"
FIELD_REPORT_TAKEN = "referrals.field_report_taken"
FIELD_REPORT_LINKED = "referrals.field_report_linked"
FIELD_REPORT_DONE = "referrals.field_report_done"
LETTER_ISSUED = "referrals.letter_issued"
SEED_REFERRALS_GENERATED = "seed.referrals_generated"
STRANDED_TAKEN_IN = "repatriation.taken_in"
STRANDED_MEMBER_ADDED = "repatriation.member_added"
STRANDED_MEMBER_UPDATED = "repatriation.member_updated"
SHELTER_CHECKED_IN = "repatriation.shelter_checked_in"
SHELTER_CHECKED_OUT = "repatriation.shelter_checked_out"
TRACING_RECORDED = "repatriation.tracing_recorded"
STRANDED_DECIDED = "repatriation.decided"
RETURN_PLAN_SAVED = "repatriation.plan_saved"
RETURN_PLAN_SUBMITTED = "repatriation.plan_submitted"
RETURN_PLAN_APPROVED = "repatriation.plan_approved"
RETURN_PLAN_SENT_BACK = "repatriation.plan_sent_back"
REPATRIATION_DOCUMENT_ISSUED = "repatriation.document_issued"
HANDOVER_SENT = "repatriation.handover_sent"
HANDOVER_ARRIVED = "repatriation.handover_arrived"
HANDOVER_DECLINED = "repatriation.handover_declined"
HANDOVER_EXPORTED = "repatriation.handover_exported"
HANDOVER_IMPORTED = "repatriation.handover_imported"
REPATRIATION_REPORT_VIEWED = "repatriation.report_viewed"
CASE_CLOSED_ON_ARRIVAL = "cases.closed_on_arrival"
SEED_REPATRIATION_GENERATED = "seed.repatriation_generated"
REPORT_TEMPLATE_CHANGED = "reports.template_changed"
REPORT_RUN_REQUESTED = "reports.run_requested"
REPORT_DOWNLOADED = "reports.downloaded"
LIST_EXPORTED = "reports.list_exported"

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
    PERSON_UPDATED: _("Person updated"),
    PERSON_MERGED: _("Duplicate person records merged"),
    PERSON_MERGE_UNDONE: _("Merge of person records undone"),
    CONSENT_RECORDED: _("Consent recorded"),
    CONSENT_WITHDRAWN: _("Consent withdrawn"),
    FAMILY_CREATED: _("Family registered"),
    FAMILY_UPDATED: _("Family updated"),
    FAMILY_MEMBER_ADDED: _("Family member added"),
    FAMILY_MEMBER_ENDED: _("Family membership ended"),
    DUPLICATE_SEARCH_REQUESTED: _("Duplicate search started"),
    DUPLICATE_SEARCH_FINISHED: _("Duplicate search finished"),
    DUPLICATE_DISMISSED: _("Possible duplicate dismissed"),
    ADMIN_RECORD_CREATED: _("Record created in the administration site"),
    ADMIN_RECORD_UPDATED: _("Record changed in the administration site"),
    SEED_PERSONS_GENERATED: _("Demo persons generated"),
    CASE_OPENED: _("Case opened"),
    CASE_UPDATED: _("Case details changed"),
    CASE_STAGE_CHANGED: _("Case moved to another stage"),
    CASE_MEMBER_ADDED: _("Worker added to the case team"),
    CASE_MEMBER_REMOVED: _("Worker left the case team"),
    CASE_TRANSFERRED: _("Case transferred to another worker"),
    CASE_CLOSURE_REQUESTED: _("Closure requested"),
    CASE_CLOSURE_APPROVED: _("Closure approved"),
    CASE_CLOSURE_RETURNED: _("Closure returned with a comment"),
    CASE_REOPENED: _("Case reopened"),
    CHECK_IN_SCHEDULED: _("Follow-up check-in scheduled"),
    CHECK_IN_RECORDED: _("Follow-up check-in recorded"),
    ASSESSMENT_RECORDED: _("Assessment recorded"),
    ASSESSMENT_UPDATED: _("Assessment changed"),
    INSTRUMENT_PUBLISHED: _("Assessment instrument published"),
    PLAN_REVISED: _("Intervention plan revised"),
    SESSION_RECORDED: _("Session recorded"),
    SESSION_UPDATED: _("Session changed"),
    TASK_CREATED: _("Task created"),
    TASK_UPDATED: _("Task changed"),
    TASK_COMPLETED: _("Task completed"),
    TASK_REOPENED: _("Task reopened"),
    ATTACHMENT_ADDED: _("Attachment added"),
    STAGE_LABELS_CHANGED: _("Stage names changed"),
    SEED_CASES_GENERATED: _("Demo cases generated"),
    PARTNER_CREATED: _("Partner added to the directory"),
    PARTNER_UPDATED: _("Partner details changed"),
    PARTNER_DEACTIVATED: _("Partner deactivated"),
    PARTNER_CONTACT_ADDED: _("Partner contact added"),
    PARTNER_CONTACT_REMOVED: _("Partner contact removed"),
    AGREEMENT_ADDED: _("MoU/PKS recorded"),
    PARTNER_STAFF_LINKED: _("Partner staff account linked"),
    PARTNER_STAFF_UNLINKED: _("Partner staff account unlinked"),
    REFERRAL_SENT: _("Referral sent"),
    REFERRAL_ANSWERED: _("Referral answered by the partner"),
    REFERRAL_REVOKED: _("Referral revoked"),
    REFERRAL_IN_RECORDED: _("Referral in recorded"),
    REFERRAL_IN_ACCEPTED: _("Referral in accepted"),
    REFERRAL_IN_DECLINED: _("Referral in declined"),
    FIELD_REPORT_FILED: _("Field report filed"),
    FIELD_REPORT_TAKEN: _("Field report taken into a case"),
    FIELD_REPORT_LINKED: _("Field report linked to a case"),
    FIELD_REPORT_DONE: _("Field report closed without a case"),
    LETTER_ISSUED: _("Letter issued"),
    SEED_REFERRALS_GENERATED: _("Demo referral network generated"),
    STRANDED_TAKEN_IN: _("Stranded person or group taken in"),
    STRANDED_MEMBER_ADDED: _("Person added to a stranded intake"),
    STRANDED_MEMBER_UPDATED: _("Stranded person's documents, health or origin updated"),
    SHELTER_CHECKED_IN: _("Checked in to shelter"),
    SHELTER_CHECKED_OUT: _("Checked out of shelter"),
    TRACING_RECORDED: _("Family-tracing contact recorded"),
    STRANDED_DECIDED: _("Decision about a stranded person"),
    RETURN_PLAN_SAVED: _("Return plan saved"),
    RETURN_PLAN_SUBMITTED: _("Return plan submitted for approval"),
    RETURN_PLAN_APPROVED: _("Return plan approved"),
    RETURN_PLAN_SENT_BACK: _("Return plan sent back"),
    REPATRIATION_DOCUMENT_ISSUED: _("Repatriation document issued"),
    HANDOVER_SENT: _("Handover sent"),
    HANDOVER_ARRIVED: _("Arrival confirmed"),
    HANDOVER_DECLINED: _("Handover declined by the receiver"),
    HANDOVER_EXPORTED: _("Handover package exported"),
    HANDOVER_IMPORTED: _("Handover package imported"),
    REPATRIATION_REPORT_VIEWED: _("Repatriation report viewed"),
    CASE_CLOSED_ON_ARRIVAL: _("Case closed on confirmed arrival"),
    SEED_REPATRIATION_GENERATED: _("Demo stranded people generated"),
    REPORT_TEMPLATE_CHANGED: _("Report template changed"),
    REPORT_RUN_REQUESTED: _("Official report requested"),
    REPORT_DOWNLOADED: _("Official report downloaded"),
    LIST_EXPORTED: _("List exported"),
}


def label(code: str) -> str:
    return str(LABELS.get(code, code))
