"""The permission matrix: every URL x every role x ownership, in one table.

Each row names a URL, a method, the ownership of the record it is asked
about (``same_org``: a record of LK3 Bontang, where the cast works — for the
city-office supervisor it is the organisation under supervision;
``other_org``: LK3 Samarinda; ``none``: the URL has no record), and the
status each role gets. ``test_every_url_has_a_row`` fails when a URL is
added without a row here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from lk3.accounts.roles import Role

ANONYMOUS = "anonymous"
ALL_ROLES = [role.value for role in Role]
INTERNAL = [
    Role.ADMIN,
    Role.COORDINATOR,
    Role.COUNSELLOR,
    Role.PSYCHOLOGIST,
    Role.INTAKE,
    Role.FIELD_OFFICER,
    Role.SUPERVISOR,
]
EXTERNAL = [Role.PARTNER, Role.AGGREGATE_VIEWER]
MANAGERS = [Role.ADMIN, Role.COORDINATOR]
REGISTRY = [Role.COORDINATOR, Role.INTAKE, Role.COUNSELLOR, Role.PSYCHOLOGIST]
MERGERS = [Role.COORDINATOR, Role.INTAKE]
UNDOERS = [Role.COORDINATOR, Role.ADMIN]
# The user each role is played by (fixtures in the root conftest.py).
CAST = {
    Role.ADMIN: "rina",
    Role.COORDINATOR: "budi",
    Role.COUNSELLOR: "sari",
    Role.PSYCHOLOGIST: "putri",
    Role.INTAKE: "intan",
    Role.FIELD_OFFICER: "pak_agus",
    Role.PARTNER: "mitra_ppa",
    Role.SUPERVISOR: "pak_hendra",
    Role.AGGREGATE_VIEWER: "viewer",
}

OK, FOUND, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404


def roles(default: int, anonymous: int = FOUND, **overrides: int) -> dict[str, int]:
    """Expected statuses: ``default`` for every role unless overridden by role value."""
    expected = dict.fromkeys(ALL_ROLES, default)
    expected.update(overrides)
    expected[ANONYMOUS] = anonymous
    return expected


def only(
    allowed: Iterable[str], yes: int, no: int, anonymous: int = FOUND, **extra: int
) -> dict[str, int]:
    allowed_values = {str(role) for role in allowed}
    expected = {role: (yes if role in allowed_values else no) for role in ALL_ROLES}
    expected.update(extra)
    expected[ANONYMOUS] = anonymous
    return expected


def edit_rights(yes: int) -> dict[str, int]:
    """Managers may; the rest of the team sees the record but may not (403);
    outsiders do not see it at all (404)."""
    expected = only(MANAGERS, yes, FORBIDDEN)
    for role in EXTERNAL:
        expected[role] = NOT_FOUND
    return expected


@dataclass(frozen=True)
class Row:
    url_name: str
    expect: Mapping[str, int]
    method: str = "GET"
    ownership: str = "none"
    data: Mapping[str, str] = field(default_factory=dict)
    kwargs: Mapping[str, str] = field(default_factory=dict)
    target: str = "member"  # which record of that ownership the URL names

    @property
    def id(self) -> str:
        return f"{self.method} {self.url_name} [{self.ownership}]"


def registry(yes: int, other_org: bool = False) -> dict[str, int]:
    """The registry: its roles get ``yes`` (404 for another organisation's record);
    every other role is refused the whole area (403)."""
    return only(REGISTRY, NOT_FOUND if other_org else yes, FORBIDDEN)


def registry_action(allowed: Iterable[str], yes: int) -> dict[str, int]:
    """A registry action for some roles: other registry roles see the record but may not act."""
    return only(allowed, yes, FORBIDDEN)


def _undo(yes: int) -> dict[str, int]:
    """Undo: coordinator and user administrator; the rest of the registry sees a 403;
    roles outside the registry never learn the merge exists (404)."""
    expected = only(UNDOERS, yes, NOT_FOUND)
    for role in REGISTRY:
        if role not in UNDOERS:
            expected[role] = FORBIDDEN
    return expected


ROWS: list[Row] = [
    # accounts
    Row("accounts:login", roles(FOUND, anonymous=OK)),
    Row("accounts:logout", roles(FOUND), method="POST"),
    Row("accounts:password_change", roles(OK)),
    Row("accounts:dashboard", roles(OK)),
    Row("accounts:board_member_list", only(INTERNAL, OK, FORBIDDEN)),
    Row("accounts:board_member_create", only(MANAGERS, OK, FORBIDDEN)),
    Row("accounts:board_member_create", only(MANAGERS, OK, FORBIDDEN), method="POST"),
    Row(
        "accounts:board_member_detail",
        only(INTERNAL, OK, NOT_FOUND),
        ownership="same_org",
    ),
    Row("accounts:board_member_detail", roles(NOT_FOUND), ownership="other_org"),
    Row("accounts:board_member_edit", edit_rights(OK), ownership="same_org"),
    Row("accounts:board_member_edit", roles(NOT_FOUND), ownership="other_org"),
    Row("accounts:board_member_edit", edit_rights(OK), method="POST", ownership="same_org"),
    Row("accounts:board_member_edit", roles(NOT_FOUND), method="POST", ownership="other_org"),
    Row(
        "accounts:board_member_deactivate",
        edit_rights(FOUND),
        method="POST",
        ownership="same_org",
    ),
    Row(
        "accounts:board_member_deactivate",
        roles(NOT_FOUND),
        method="POST",
        ownership="other_org",
    ),
    Row("accounts:organisation_detail", roles(OK)),
    Row("accounts:organisation_edit", only(MANAGERS, OK, FORBIDDEN)),
    Row("accounts:organisation_edit", only(MANAGERS, OK, FORBIDDEN), method="POST"),
    Row("accounts:organisation_logo", roles(OK)),
    # people registry
    Row("people:search", registry(OK)),
    Row("people:person_create", registry(OK)),
    Row("people:person_create", registry(OK), method="POST"),
    Row("people:nik_check", registry(OK), data={"nik": "6474014508850003"}),
    Row("people:kk_check", registry(OK), data={"kk_number": "6474011503100002"}),
    Row("people:person_detail", registry(OK), ownership="same_org", target="person"),
    Row(
        "people:person_detail", registry(OK, other_org=True), ownership="other_org", target="person"
    ),
    Row("people:person_edit", registry(OK), ownership="same_org", target="person"),
    Row("people:person_edit", registry(OK), method="POST", ownership="same_org", target="person"),
    Row("people:person_edit", registry(OK, other_org=True), ownership="other_org", target="person"),
    Row("people:person_photo", registry(OK), ownership="same_org", target="person"),
    Row(
        "people:person_photo", registry(OK, other_org=True), ownership="other_org", target="person"
    ),
    Row("people:consent_create", registry(OK), ownership="same_org", target="person"),
    Row(
        "people:consent_create", registry(OK), method="POST", ownership="same_org", target="person"
    ),
    Row(
        "people:consent_create",
        registry(OK, other_org=True),
        ownership="other_org",
        target="person",
    ),
    Row(
        "people:consent_withdraw",
        registry(FOUND),
        method="POST",
        ownership="same_org",
        target="consent",
    ),
    Row(
        "people:consent_withdraw",
        registry(FOUND, other_org=True),
        method="POST",
        ownership="other_org",
        target="consent",
    ),
    Row("people:family_create", registry(OK)),
    Row("people:family_create", registry(OK), method="POST"),
    Row("people:family_detail", registry(OK), ownership="same_org", target="family"),
    Row(
        "people:family_detail", registry(OK, other_org=True), ownership="other_org", target="family"
    ),
    Row("people:family_edit", registry(OK), ownership="same_org", target="family"),
    Row(
        "people:family_edit",
        registry(FOUND),
        method="POST",
        ownership="same_org",
        target="family",
        data={"version": "1"},
    ),
    Row("people:family_edit", registry(OK, other_org=True), ownership="other_org", target="family"),
    Row(
        "people:family_member_add",
        registry(FOUND),
        method="POST",
        ownership="same_org",
        target="family",
    ),
    Row(
        "people:family_member_add",
        registry(FOUND, other_org=True),
        method="POST",
        ownership="other_org",
        target="family",
    ),
    Row("people:family_member_candidates", registry(OK), ownership="same_org", target="family"),
    Row(
        "people:family_member_candidates",
        registry(OK, other_org=True),
        ownership="other_org",
        target="family",
    ),
    Row(
        "people:family_member_end",
        registry(FOUND),
        method="POST",
        ownership="same_org",
        target="membership",
    ),
    Row(
        "people:family_member_end",
        registry(FOUND, other_org=True),
        method="POST",
        ownership="other_org",
        target="membership",
    ),
    Row("people:duplicate_list", registry(OK)),
    Row("people:dedup_run_start", registry_action(MERGERS, FOUND), method="POST"),
    Row("people:dedup_run_progress", registry(OK)),
    Row(
        "people:candidate_dismiss",
        registry_action(MERGERS, FOUND),
        method="POST",
        ownership="same_org",
        target="candidate",
    ),
    Row(
        "people:candidate_dismiss",
        only(MERGERS, NOT_FOUND, FORBIDDEN),
        method="POST",
        ownership="other_org",
        target="candidate",
    ),
    Row("people:person_merge", registry_action(MERGERS, OK), ownership="same_org", target="pair"),
    Row(
        "people:person_merge",
        registry_action(MERGERS, FOUND),
        method="POST",
        ownership="same_org",
        target="pair",
    ),
    Row("people:person_merge", registry(OK, other_org=True), ownership="other_org", target="pair"),
    Row("people:merge_list", only(UNDOERS, OK, FORBIDDEN)),
    Row("people:merge_undo", _undo(OK), ownership="same_org", target="merge"),
    Row("people:merge_undo", _undo(FOUND), method="POST", ownership="same_org", target="merge"),
    Row("people:merge_undo", roles(NOT_FOUND), ownership="other_org", target="merge"),
    # audit
    Row("audit:event_list", only(MANAGERS, OK, FORBIDDEN)),
    Row("audit:access_list", only(MANAGERS, OK, FORBIDDEN)),
    # regions
    Row("regions:search", roles(OK)),
    Row("regions:nik_check", roles(OK)),
    Row("regions:kk_check", roles(OK)),
    # api
    Row("api:schema", roles(OK, anonymous=FORBIDDEN)),
    Row("api:docs", roles(OK, anonymous=FORBIDDEN)),
    Row("api:region_search", roles(OK, anonymous=FORBIDDEN), data={"q": "Bontang Baru"}),
    Row("api:region_detail", roles(OK, anonymous=FORBIDDEN), kwargs={"code": "64.74.01.1002"}),
    Row(
        "api:nik_check",
        roles(OK, anonymous=FORBIDDEN),
        method="POST",
        data={"nik": "6474015708900001"},
    ),
    Row(
        "api:kk_check",
        roles(OK, anonymous=FORBIDDEN),
        method="POST",
        data={"kk": "6474011503100002"},
    ),
    # -- cases: caseload --
    # Every casework role has its own cases and tasks (the registry roles).
    Row("cases:my_cases", only(REGISTRY, OK, FORBIDDEN)),
    Row("cases:caseload", only([Role.COORDINATOR, Role.INTAKE], OK, FORBIDDEN)),
    Row("cases:my_tasks", only(REGISTRY, OK, FORBIDDEN)),
    Row("cases:overdue", only([Role.COORDINATOR], OK, FORBIDDEN)),
    # -- cases: assessments and plan --
    # Each record sits on a case led by the counsellor: the coordinator and
    # she work on it, the intake officer reads it (403 on work), the
    # psychologist does not reach it (404), roles outside casework get 403.
    *[
        Row(
            name,
            only(REGISTRY, OK, FORBIDDEN, psychologist=NOT_FOUND),
            ownership="same_org",
            target=target,
        )
        for name, target in [
            ("cases:assessment_progress", "casework"),
            ("cases:assessment_detail", "assessment"),
            ("cases:plan_detail", "casework"),
            ("cases:plan_revisions", "casework"),
        ]
    ],
    *[
        Row(
            name,
            only([Role.COORDINATOR, Role.COUNSELLOR], status, FORBIDDEN, psychologist=NOT_FOUND),
            method=method,
            ownership="same_org",
            target=target,
        )
        for name, target, method, status in [
            ("cases:assessment_create", "assessment_form", "GET", OK),
            ("cases:assessment_create", "assessment_form", "POST", OK),
            ("cases:assessment_edit", "assessment", "GET", OK),
            ("cases:assessment_edit", "assessment", "POST", OK),
            ("cases:goal_create", "casework", "GET", OK),
            ("cases:goal_create", "casework", "POST", OK),
            ("cases:goal_edit", "goal", "GET", OK),
            ("cases:goal_edit", "goal", "POST", OK),
            ("cases:goal_status", "goal", "POST", FOUND),
            ("cases:activity_create", "goal", "GET", OK),
            ("cases:activity_create", "goal", "POST", OK),
            ("cases:activity_edit", "activity", "GET", OK),
            ("cases:activity_edit", "activity", "POST", OK),
            ("cases:activity_status", "activity", "POST", FOUND),
        ]
    ],
    *[
        Row(name, registry(OK, other_org=True), method=method, ownership="other_org", target=target)
        for name, target, method in [
            ("cases:assessment_progress", "casework", "GET"),
            ("cases:assessment_detail", "assessment", "GET"),
            ("cases:assessment_create", "assessment_form", "POST"),
            ("cases:assessment_edit", "assessment", "POST"),
            ("cases:plan_detail", "casework", "GET"),
            ("cases:plan_revisions", "casework", "GET"),
            ("cases:goal_create", "casework", "POST"),
            ("cases:goal_edit", "goal", "POST"),
            ("cases:goal_status", "goal", "POST"),
            ("cases:activity_create", "goal", "POST"),
            ("cases:activity_edit", "activity", "POST"),
            ("cases:activity_status", "activity", "POST"),
        ]
    ],
    # -- cases: sessions, tasks, attachments --
    # On a case led by the counsellor: the coordinator and she work on it,
    # the intake officer reads it (403 on work), the psychologist does not
    # reach it (404), roles outside casework get 403; another organisation's
    # case is not found. Empty POSTs show the form again (200).
    *[
        Row(
            name,
            only(REGISTRY, OK, FORBIDDEN, psychologist=NOT_FOUND),
            ownership="same_org",
            target=target,
        )
        for name, target in [
            ("cases:session_list", "case"),
            ("cases:session_detail", "session"),
            ("cases:task_list", "case"),
            ("cases:attachment_download", "attachment"),
        ]
    ],
    *[
        Row(
            name,
            only([Role.COORDINATOR, Role.COUNSELLOR], status, FORBIDDEN, psychologist=NOT_FOUND),
            method=method,
            ownership="same_org",
            target=target,
        )
        for name, target, method, status in [
            ("cases:session_create", "case", "GET", OK),
            ("cases:session_create", "case", "POST", OK),
            ("cases:session_edit", "session", "GET", OK),
            ("cases:session_edit", "session", "POST", OK),
            ("cases:task_create", "case", "GET", OK),
            ("cases:task_create", "case", "POST", OK),
            ("cases:task_edit", "task", "GET", OK),
            ("cases:task_edit", "task", "POST", OK),
            ("cases:task_complete", "task", "POST", FOUND),
            ("cases:task_reopen", "task", "POST", FOUND),
            ("cases:attachment_create", "case", "GET", OK),
            ("cases:attachment_create", "case", "POST", OK),
        ]
    ],
    *[
        Row(name, registry(OK, other_org=True), method=method, ownership="other_org", target=target)
        for name, target, method in [
            ("cases:session_list", "case", "GET"),
            ("cases:session_detail", "session", "GET"),
            ("cases:session_create", "case", "POST"),
            ("cases:session_edit", "session", "POST"),
            ("cases:task_list", "case", "GET"),
            ("cases:task_create", "case", "POST"),
            ("cases:task_edit", "task", "POST"),
            ("cases:task_complete", "task", "POST"),
            ("cases:task_reopen", "task", "POST"),
            ("cases:attachment_create", "case", "POST"),
            ("cases:attachment_download", "attachment", "GET"),
        ]
    ],
    # -- cases: case pages --
    # The "case" is led by the counsellor: the coordinator and she work on it,
    # the intake officer reads it (403 on work), the psychologist is not on its
    # team (404); roles outside casework are refused the area (403). Empty
    # POSTs show the action's form again (200); approving needs no input (302).
    Row("cases:case_open", only(REGISTRY, OK, FORBIDDEN)),
    Row("cases:case_open", only(REGISTRY, OK, FORBIDDEN), method="POST"),
    Row("cases:stage_labels", only([Role.COORDINATOR], OK, FORBIDDEN)),
    Row("cases:stage_labels", only([Role.COORDINATOR], FOUND, FORBIDDEN), method="POST"),
    Row(
        "cases:case_detail",
        only(REGISTRY, OK, FORBIDDEN, psychologist=NOT_FOUND),
        ownership="same_org",
        target="case",
    ),
    *[
        Row(
            name,
            only(allowed, status, FORBIDDEN, psychologist=NOT_FOUND),
            method=method,
            ownership="same_org",
            target=target,
        )
        for name, target, method, allowed, status in [
            ("cases:case_edit", "case", "GET", [Role.COORDINATOR, Role.COUNSELLOR], OK),
            ("cases:case_edit", "case", "POST", [Role.COORDINATOR, Role.COUNSELLOR], OK),
            ("cases:case_stage_move", "case", "POST", [Role.COORDINATOR, Role.COUNSELLOR], OK),
            ("cases:case_closure_request", "case", "POST", [Role.COORDINATOR, Role.COUNSELLOR], OK),
            ("cases:case_reopen", "case", "POST", [Role.COORDINATOR, Role.COUNSELLOR], OK),
            ("cases:case_member_add", "case", "POST", [Role.COORDINATOR, Role.COUNSELLOR], OK),
            ("cases:case_member_remove", "case", "POST", [Role.COORDINATOR, Role.COUNSELLOR], OK),
            ("cases:check_in_schedule", "case", "POST", [Role.COORDINATOR, Role.COUNSELLOR], OK),
            ("cases:check_in_record", "check_in", "POST", [Role.COORDINATOR, Role.COUNSELLOR], OK),
            ("cases:case_transfer", "case", "POST", [Role.COORDINATOR], OK),
            ("cases:case_closure_approve", "closure", "POST", [Role.COORDINATOR], FOUND),
            ("cases:case_closure_return", "closure", "POST", [Role.COORDINATOR], OK),
        ]
    ],
    *[
        Row(name, registry(OK, other_org=True), method=method, ownership="other_org", target=target)
        for name, target, method in [
            ("cases:case_detail", "case", "GET"),
            ("cases:case_edit", "case", "GET"),
            ("cases:case_edit", "case", "POST"),
            ("cases:case_stage_move", "case", "POST"),
            ("cases:case_closure_request", "case", "POST"),
            ("cases:case_reopen", "case", "POST"),
            ("cases:case_member_add", "case", "POST"),
            ("cases:case_member_remove", "case", "POST"),
            ("cases:check_in_schedule", "case", "POST"),
            ("cases:check_in_record", "check_in", "POST"),
            ("cases:case_transfer", "case", "POST"),
            ("cases:case_closure_approve", "closure", "POST"),
            ("cases:case_closure_return", "closure", "POST"),
        ]
    ],
    # project
    Row("set_language", roles(FOUND), method="POST", data={"language": "en"}),
    Row("health", roles(OK, anonymous=OK)),
]

# URLs outside the matrix, with the reason.
EXEMPT_NAMESPACES = {
    "admin": "Django's administration site checks its own model permissions",
}
