"""The fixed cast every test shares (STYLE.md), set up through services.

Bontang (LK3 Bontang, supervised by Dinsos Bontang):
  budi        chair/coordinator         sari   counsellor (assigned)
  dewi        counsellor without access putri  psychologist
  intan       intake officer            rina   user administrator
  pak_agus    Bhabinkamtibmas (field)   mitra_ppa  partner staff (UPTD PPA)
  viewer      aggregate viewer
Dinsos Bontang: pak_hendra supervisor.
Samarinda (another LK3, never visible to Bontang): rudi chair.

Tests use the ``db`` / ``transactional_db`` fixtures (not the bare marker),
so the reference data is present even after a transactional flush.
"""

from __future__ import annotations

import datetime
import io
import os
import tempfile

import pytest
from django.core.management import call_command

from lk3.accounts import services as account_services
from lk3.accounts.models import (
    BoardMember,
    Function,
    Institution,
    Organisation,
    OrganisationKind,
    Position,
    User,
)
from lk3.accounts.roles import Role
from lk3.regions.models import Region

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PASSWORD = "kata-sandi-uji-2026"


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    if not hasattr(config, "workerinput"):
        # Indonesian messages are asserted verbatim: compile the catalogues
        # once, in the controlling process, before any worker starts.
        call_command("compilemessages", ignore_patterns=[".venv"], verbosity=0)
        # A catalogue loaded before the compile would hide the new messages.
        from django.utils.translation import trans_real

        trans_real._translations = {}  # type: ignore[attr-defined]
        trans_real._default = None  # type: ignore[attr-defined]

    # The manifest storage needs collectstatic; tests serve source files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="lk3-media-")
    settings.LK3_PRIVATE_ROOT = tempfile.mkdtemp(prefix="lk3-private-")
    settings.STATIC_ROOT = tempfile.mkdtemp(prefix="lk3-static-")


def tiny_png() -> bytes:
    """A valid 2x2 PNG, for logo and upload tests."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (15, 92, 77)).save(buffer, format="PNG")
    return buffer.getvalue()


def ensure_reference_data() -> None:
    if not Region.objects.filter(code="64.74").exists():
        call_command("load_reference", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_reference_data()


@pytest.fixture
def db(db):
    ensure_reference_data()


@pytest.fixture
def transactional_db(transactional_db):
    ensure_reference_data()


# -- organisations ----------------------------------------------------------------


def make_dinsos_bontang() -> Organisation:
    return account_services.organisation_create(
        actor=None,
        name="Dinas Sosial dan Pemberdayaan Masyarakat Kota Bontang",
        short_name="Dinsos Bontang",
        kind=OrganisationKind.CITY_SOCIAL_OFFICE,
        agency_name="Dinas Sosial dan Pemberdayaan Masyarakat",
        region=Region.objects.get(code="64.74"),
    )


def make_lk3_bontang(supervisor: Organisation) -> Organisation:
    return account_services.organisation_create(
        actor=None,
        name="LK3 Kota Bontang",
        short_name="LK3 Bontang",
        kind=OrganisationKind.LK3,
        agency_name="Dinas Sosial dan Pemberdayaan Masyarakat",
        region=Region.objects.get(code="64.74"),
        supervisor=supervisor,
    )


def make_lk3_samarinda() -> Organisation:
    return account_services.organisation_create(
        actor=None,
        name="LK3 Kota Samarinda",
        short_name="LK3 Samarinda",
        kind=OrganisationKind.LK3,
        agency_name="Dinas Sosial Kota Samarinda",
        region=Region.objects.get(code="64.72"),
    )


def make_dinsos_garut() -> Organisation:
    """A regency social office far away: where stranded people from Garut are handed over."""
    return account_services.organisation_create(
        actor=None,
        name="Dinas Sosial Kabupaten Garut",
        short_name="Dinsos Garut",
        kind=OrganisationKind.CITY_SOCIAL_OFFICE,
        agency_name="Dinas Sosial Kabupaten Garut",
        region=Region.objects.get(code="32.05"),
        time_zone="Asia/Jakarta",
    )


@pytest.fixture
def dinsos_bontang(db) -> Organisation:
    return make_dinsos_bontang()


@pytest.fixture
def lk3_bontang(dinsos_bontang) -> Organisation:
    return make_lk3_bontang(dinsos_bontang)


@pytest.fixture
def dinsos_garut(db) -> Organisation:
    return make_dinsos_garut()


@pytest.fixture
def lk3_samarinda(db) -> Organisation:
    return make_lk3_samarinda()


# -- people with accounts ---------------------------------------------------------


def make_user(username: str, role: str, organisation: Organisation | None, kelurahan=()) -> User:
    return account_services.user_create(
        actor=None,
        username=username,
        full_name=username.replace("_", " ").title(),
        role=role,
        organisation=organisation,
        password=PASSWORD,
        kelurahan=[Region.objects.get(code=code) for code in kelurahan],
    )


# Each account of the cast: role, organisation ("lk3_bontang", "dinsos_bontang",
# "lk3_samarinda") and the kelurahan it covers.
CAST_ACCOUNTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "budi": (Role.COORDINATOR, "lk3_bontang", ()),
    "sari": (Role.COUNSELLOR, "lk3_bontang", ("64.74.01.1002",)),
    "dewi": (Role.COUNSELLOR, "lk3_bontang", ()),
    "putri": (Role.PSYCHOLOGIST, "lk3_bontang", ()),
    "intan": (Role.INTAKE, "lk3_bontang", ()),
    "rina": (Role.ADMIN, "lk3_bontang", ()),
    "pak_agus": (Role.FIELD_OFFICER, "lk3_bontang", ("64.74.01.1003",)),
    "mitra_ppa": (Role.PARTNER, "lk3_bontang", ()),
    "viewer": (Role.AGGREGATE_VIEWER, "lk3_bontang", ()),
    "pak_hendra": (Role.SUPERVISOR, "dinsos_bontang", ()),
    "rudi": (Role.COORDINATOR, "lk3_samarinda", ()),
}


def make_cast_user(username: str, organisations: dict[str, Organisation]) -> User:
    role, organisation, kelurahan = CAST_ACCOUNTS[username]
    return make_user(username, role, organisations[organisation], kelurahan)


def _cast_user(request: pytest.FixtureRequest, username: str) -> User:
    organisation = CAST_ACCOUNTS[username][1]
    return make_cast_user(username, {organisation: request.getfixturevalue(organisation)})


@pytest.fixture
def budi(request, lk3_bontang) -> User:
    return _cast_user(request, "budi")


@pytest.fixture
def sari(request, lk3_bontang) -> User:
    return _cast_user(request, "sari")


@pytest.fixture
def dewi(request, lk3_bontang) -> User:
    return _cast_user(request, "dewi")


@pytest.fixture
def putri(request, lk3_bontang) -> User:
    return _cast_user(request, "putri")


@pytest.fixture
def intan(request, lk3_bontang) -> User:
    return _cast_user(request, "intan")


@pytest.fixture
def rina(request, lk3_bontang) -> User:
    return _cast_user(request, "rina")


@pytest.fixture
def pak_agus(request, lk3_bontang) -> User:
    return _cast_user(request, "pak_agus")


@pytest.fixture
def mitra_ppa(request, lk3_bontang) -> User:
    return _cast_user(request, "mitra_ppa")


@pytest.fixture
def viewer(request, lk3_bontang) -> User:
    return _cast_user(request, "viewer")


@pytest.fixture
def pak_hendra(request, dinsos_bontang) -> User:
    return _cast_user(request, "pak_hendra")


@pytest.fixture
def rudi(request, lk3_samarinda) -> User:
    return _cast_user(request, "rudi")


@pytest.fixture
def dadang(dinsos_garut) -> User:
    """The coordinator of Dinsos Garut, who receives people handed over to Garut."""
    return make_user("dadang", Role.COORDINATOR, dinsos_garut)


# -- board members ------------------------------------------------------------------


def make_board_member(organisation: Organisation, full_name: str, **fields) -> BoardMember:
    values = {
        "full_name": full_name,
        "position": Position.KELURAHAN_MEMBER,
        "institution": Institution.POLICE,
        "function": Function.BHABINKAMTIBMAS,
        "decree_number": "100.3.3.2/123/HK/2026",
        "decree_date": datetime.date(2026, 3, 9),
        "term_start": datetime.date(2026, 3, 9),
        "term_end": datetime.date(2029, 3, 8),
        **fields,
    }
    kelurahan = [Region.objects.get(code=code) for code in values.pop("kelurahan", [])]
    return account_services.board_member_create(
        actor=None, organisation=organisation, kelurahan=kelurahan, **values
    )


@pytest.fixture
def member_agus(lk3_bontang, pak_agus) -> BoardMember:
    return make_board_member(
        lk3_bontang,
        "Aipda Agus Setiawan",
        user=pak_agus,
        unit="Polsek Bontang Utara",
        kelurahan=["64.74.01.1003"],
    )


@pytest.fixture
def member_samarinda(lk3_samarinda) -> BoardMember:
    return make_board_member(
        lk3_samarinda,
        "Serda Yohanes Lado",
        institution=Institution.ARMY,
        function=Function.BABINSA,
        kelurahan=[],
    )
