"""One demo login per role, the same at every scale.

Rules:
- Created through ``user_create`` (audited) with the published demo
  password; ``seed`` never creates a superuser.
- budi, sari, dewi, putri, intan and pak_agus are also board members
  (``board.py`` links them by username).
- rina administers accounts and reference data on the administration site:
  she gets Django model permissions for those and nothing on people data.
  Granting them is audited as a change to her account.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import Organisation, User
from lk3.accounts.roles import Role
from lk3.accounts.services import user_create
from lk3.audit import actions
from lk3.audit.services import audit_record
from lk3.core.vocabularies import VOCABULARIES
from lk3.regions.models import Region

DEMO_PASSWORD = "bontang2026"  # noqa: S105 -- the published password of the demo only
LK3 = "lk3"
CITY_OFFICE = "city_office"
PROVINCE_OFFICE = "province_office"
RECEIVING_OFFICE = "receiving_office"  # Dinsos Garut, made by the repatriation step
RECEIVER_LOGIN = "dadang"
ADMIN_ACTIONS = ("view", "change", "add")
PERMISSIONS_MISSING = _(
    "Model permissions are missing (%(missing)s): run `manage.py migrate` first."
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    organisation: str
    kelurahan: tuple[str, ...] = ()
    is_staff: bool = False
    phone: str = ""


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "budi", "Budi Prasetyo, S.Sos., M.Si.", Role.COORDINATOR, LK3, phone="081253408871"
    ),
    DemoAccount(
        "sari",
        "Sari Wulandari, S.Tr.Sos.",
        Role.COUNSELLOR,
        LK3,
        kelurahan=("64.74.01.1002",),
        phone="082154617730",
    ),
    DemoAccount("dewi", "Dewi Kartikasari, S.Psi.", Role.COUNSELLOR, LK3, phone="085246180953"),
    DemoAccount(
        "putri",
        "Putri Anggraini, S.Psi., M.Psi., Psikolog",
        Role.PSYCHOLOGIST,
        LK3,
        phone="081350927714",
    ),
    DemoAccount("intan", "Intan Permatasari, S.Sos.", Role.INTAKE, LK3, phone="085332190846"),
    DemoAccount(
        "rina", "Rina Marlina, S.Kom.", Role.ADMIN, LK3, is_staff=True, phone="081346720518"
    ),
    DemoAccount(
        "pak_agus",
        "Aipda Agus Setiawan",
        Role.FIELD_OFFICER,
        LK3,
        kelurahan=("64.74.01.1003",),
        phone="082255039164",
    ),
    DemoAccount(
        "pak_hendra",
        "Hendra Saputra, S.Sos., M.AP.",
        Role.SUPERVISOR,
        CITY_OFFICE,
        phone="081254772609",
    ),
    DemoAccount("mitra_ppa", "Nurhasanah Lubis, S.H.", Role.PARTNER, LK3, phone="085387214450"),
    DemoAccount(
        "viewer", "Yohanes Paembonan, S.E.", Role.AGGREGATE_VIEWER, PROVINCE_OFFICE, phone=""
    ),
    DemoAccount(
        RECEIVER_LOGIN,
        "Dadang Hermawan, S.Sos.",
        Role.COORDINATOR,
        RECEIVING_OFFICE,
        phone="081320457718",
    ),
)
DEMO_ACCOUNTS_BY_USERNAME = {account.username: account for account in DEMO_ACCOUNTS}


def admin_permission_targets() -> list[tuple[str, str]]:
    """``(app_label, model)`` pairs rina administers: accounts, regions, vocabularies."""
    targets = [
        ("accounts", "user"),
        ("accounts", "organisation"),
        ("accounts", "boardmember"),
        ("regions", "region"),
    ]
    targets += [(model._meta.app_label, model._meta.model_name or "") for model, _ in VOCABULARIES]
    return targets


def _admin_permissions() -> list[Permission]:
    wanted = {
        (app_label, f"{action}_{model}")
        for app_label, model in admin_permission_targets()
        for action in ADMIN_ACTIONS
    }
    found = [
        permission
        for permission in Permission.objects.filter(
            content_type__app_label__in={app_label for app_label, _ in wanted},
            codename__in={codename for _, codename in wanted},
        ).select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise LookupError(PERMISSIONS_MISSING % {"missing": ", ".join(sorted(map(str, missing)))})
    return sorted(found, key=lambda p: (p.content_type.app_label, p.codename))


@transaction.atomic
def admin_permissions_grant(*, user: User) -> None:
    permissions = _admin_permissions()
    user.user_permissions.set(permissions)
    codes = [f"{p.content_type.app_label}.{p.codename}" for p in permissions]
    audit_record(
        actor=None,
        action=actions.USER_UPDATED,
        target=user,
        organisation=user.organisation,
        changes={"user_permissions": [[], codes]},
    )


def demo_accounts_create(*, organisations: Mapping[str, Organisation]) -> dict[str, User]:
    """The demo users of the organisations given.

    ``organisations`` maps ``LK3``/``CITY_OFFICE``/``PROVINCE_OFFICE`` (the
    structure) or ``RECEIVING_OFFICE`` (the repatriation step); accounts of
    an organisation not given are left for the step that makes it.
    """
    codes = {code for account in DEMO_ACCOUNTS for code in account.kelurahan}
    regions = Region.objects.in_bulk(codes, field_name="code")
    users: dict[str, User] = {}
    for account in DEMO_ACCOUNTS:
        if account.organisation not in organisations:
            continue
        user = user_create(
            actor=None,
            username=account.username,
            full_name=account.full_name,
            role=account.role,
            organisation=organisations[account.organisation],
            password=DEMO_PASSWORD,
            phone=account.phone,
            kelurahan=[regions[code] for code in account.kelurahan],
            is_staff=account.is_staff,
        )
        if account.role == Role.ADMIN:
            admin_permissions_grant(user=user)
        users[account.username] = user
    return users


def demo_accounts_present() -> list[User]:
    """The demo accounts that exist, in the order of ``DEMO_ACCOUNTS``."""
    found = User.objects.select_related("organisation").in_bulk(
        list(DEMO_ACCOUNTS_BY_USERNAME), field_name="username"
    )
    return [found[account.username] for account in DEMO_ACCOUNTS if account.username in found]
