"""Writes for organisations, accounts, the board, and logging in.

Rules enforced here:
- Every change writes its AuditEvent in the same transaction.
- Board members are deactivated, never deleted.
- An edit made from a stale version is refused (``StaleEditError``).
- Login lockout: ``LK3_LOGIN_MAX_FAILURES`` failures for one username within
  ``LK3_LOGIN_LOCKOUT_MINUTES`` lock that username for the same time; a
  success resets the count. One address failing on many usernames is
  locked after ``LK3_LOGIN_MAX_FAILURES_PER_ADDRESS``. While locked, even
  the right password is refused, so guessing gains nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import BoardMember, LoginAttempt, Organisation, User
from lk3.audit import actions
from lk3.audit.services import audit_record, field_diff, refuse_if_stale, snapshot
from lk3.core.concurrency import lock_for_edit
from lk3.core.errors import DomainError
from lk3.regions.models import Region

LOGIN_INVALID = _("The username or password is wrong.")
LOGIN_LOCKED = _(
    "Too many failed logins. This account is locked for %(minutes)d minutes; "
    "try again later or ask the user administrator."
)
LOGIN_INACTIVE = _("This account is not active. Ask the user administrator.")
KELURAHAN_OUTSIDE_ORGANISATION = _("Kelurahan %(code)s is outside the organisation's region.")
ALREADY_INACTIVE = _("This board member is already inactive.")

BOARD_MEMBER_FIELDS = (
    "full_name",
    "position",
    "institution",
    "function",
    "unit",
    "phone",
    "email",
    "decree_number",
    "decree_date",
    "term_start",
    "term_end",
    "is_active",
)
ORGANISATION_FIELDS = (
    "name",
    "short_name",
    "kind",
    "agency_name",
    "region",
    "supervisor",
    "address",
    "phone",
    "email",
    "letterhead_text",
    "logo",
    "time_zone",
    "is_active",
)


# -- logging in ---------------------------------------------------------------


def _window_start(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(minutes=settings.LK3_LOGIN_LOCKOUT_MINUTES)


def login_is_locked(
    *, username: str, ip_address: str | None, now: datetime.datetime | None = None
) -> bool:
    now = now or timezone.now()
    username = username.strip().lower()
    since = _window_start(now)
    last_success = LoginAttempt.objects.filter(
        username=username, succeeded=True, attempted_at__gte=since
    ).aggregate(last=Max("attempted_at"))["last"]
    failures = LoginAttempt.objects.filter(
        username=username, succeeded=False, attempted_at__gte=last_success or since
    ).count()
    if failures >= settings.LK3_LOGIN_MAX_FAILURES:
        return True
    if ip_address is None:
        return False
    address_failures = LoginAttempt.objects.filter(
        ip_address=ip_address, succeeded=False, attempted_at__gte=since
    ).count()
    return address_failures >= settings.LK3_LOGIN_MAX_FAILURES_PER_ADDRESS


@transaction.atomic
def login_failure_record(*, username: str, ip_address: str | None) -> bool:
    """Record a failed login; return True when this failure locks the account."""
    username = username.strip().lower()
    attempt = LoginAttempt.objects.create(username=username, ip_address=ip_address, succeeded=False)
    user = User.objects.filter(username=username).first()
    organisation = user.organisation if user else None
    audit_record(actor=user, action=actions.LOGIN_FAILED, target=attempt, organisation=organisation)
    locked = login_is_locked(username=username, ip_address=ip_address)
    if locked:
        audit_record(
            actor=user, action=actions.LOGIN_LOCKED, target=attempt, organisation=organisation
        )
    return locked


@transaction.atomic
def login_success_record(*, user: User, ip_address: str | None) -> None:
    attempt = LoginAttempt.objects.create(
        username=user.username, ip_address=ip_address, succeeded=True
    )
    audit_record(
        actor=user, action=actions.LOGIN_SUCCEEDED, target=attempt, organisation=user.organisation
    )


@transaction.atomic
def logout_record(*, user: User, expired: bool = False) -> None:
    audit_record(
        actor=user,
        action=actions.SESSION_EXPIRED if expired else actions.LOGOUT,
        target=user,
        organisation=user.organisation,
    )


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(
        actor=user,
        action=actions.PASSWORD_CHANGED,
        target=user,
        organisation=user.organisation,
        changes={"password": ["***", "***"]},
    )


# -- organisations and accounts -------------------------------------------------


@transaction.atomic
def organisation_create(*, actor: User | None, **fields: Any) -> Organisation:
    organisation = Organisation(**fields)
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=actor,
        action=actions.ORGANISATION_CREATED,
        target=organisation,
        organisation=organisation,
        changes=field_diff({}, snapshot(organisation, ORGANISATION_FIELDS)),
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: User, organisation: Organisation, expected_version: int, **fields: Any
) -> Organisation:
    current = lock_for_edit(organisation)
    refuse_if_stale(current, expected_version)
    before = snapshot(current, ORGANISATION_FIELDS)
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.full_clean()
    current.save()
    audit_record(
        actor=actor,
        action=actions.ORGANISATION_UPDATED,
        target=current,
        organisation=current,
        changes={
            **field_diff(before, snapshot(current, ORGANISATION_FIELDS)),
            "version": [expected_version, current.version],
        },
    )
    return current


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    role: str,
    organisation: Organisation | None,
    password: str | None,
    email: str = "",
    phone: str = "",
    kelurahan: Iterable[Region] = (),
    is_staff: bool = False,
) -> User:
    user = User(
        username=username.strip().lower(),
        full_name=full_name,
        role=role,
        organisation=organisation,
        email=email,
        phone=phone,
        is_staff=is_staff,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.kelurahan.set(list(kelurahan))
    audit_record(
        actor=actor,
        action=actions.USER_CREATED,
        target=user,
        organisation=organisation,
        changes=field_diff(
            {}, snapshot(user, ("username", "full_name", "role", "organisation", "kelurahan"))
        ),
    )
    return user


# -- board members ----------------------------------------------------------------


def _check_kelurahan(organisation: Organisation, kelurahan: Iterable[Region]) -> list[Region]:
    chosen = list(kelurahan)
    for region in chosen:
        if not region.code.startswith(f"{organisation.region_id}."):
            raise DomainError(
                KELURAHAN_OUTSIDE_ORGANISATION % {"code": region.code}, code="kelurahan_outside"
            )
    return chosen


def _already_applied(
    current: dict[str, Any], fields: dict[str, Any], kelurahan: Iterable[Region] | None
) -> bool:
    wanted = dict(fields)
    if kelurahan is not None:
        wanted["kelurahan"] = sorted(region.code for region in kelurahan)
    return not field_diff({name: current[name] for name in wanted}, wanted)


@transaction.atomic
def board_member_create(
    *,
    actor: User | None,
    organisation: Organisation,
    kelurahan: Iterable[Region] = (),
    user: User | None = None,
    **fields: Any,
) -> BoardMember:
    chosen = _check_kelurahan(organisation, kelurahan)
    member = BoardMember(organisation=organisation, user=user, **fields)
    member.full_clean()
    member.save()
    member.kelurahan.set(chosen)
    audit_record(
        actor=actor,
        action=actions.BOARD_MEMBER_CREATED,
        target=member,
        organisation=organisation,
        changes=field_diff({}, snapshot(member, (*BOARD_MEMBER_FIELDS, "kelurahan"))),
    )
    return member


@transaction.atomic
def board_member_update(
    *,
    actor: User,
    member: BoardMember,
    expected_version: int,
    kelurahan: Iterable[Region] | None = None,
    **fields: Any,
) -> BoardMember:
    current = lock_for_edit(member)
    tracked = (*BOARD_MEMBER_FIELDS, "kelurahan")
    before = snapshot(current, tracked)
    if current.version != expected_version and _already_applied(before, fields, kelurahan):
        # A double-submitted form: the first submit already made this change.
        return current
    refuse_if_stale(current, expected_version)
    for name, value in fields.items():
        if name not in BOARD_MEMBER_FIELDS:
            raise TypeError(f"board_member_update() got an unexpected field {name!r}")
        setattr(current, name, value)
    current.version += 1
    current.full_clean()
    current.save()
    if kelurahan is not None:
        current.kelurahan.set(_check_kelurahan(current.organisation, kelurahan))
    changes = field_diff(before, snapshot(current, tracked))
    action = actions.BOARD_MEMBER_UPDATED
    if before["is_active"] and not current.is_active:
        action = actions.BOARD_MEMBER_DEACTIVATED
    audit_record(
        actor=actor,
        action=action,
        target=current,
        organisation=current.organisation,
        changes={**changes, "version": [expected_version, current.version]},
    )
    return current


def board_member_deactivate(
    *, actor: User, member: BoardMember, expected_version: int
) -> BoardMember:
    if not member.is_active:
        raise DomainError(ALREADY_INACTIVE, code="already_inactive")
    return board_member_update(
        actor=actor, member=member, expected_version=expected_version, is_active=False
    )
