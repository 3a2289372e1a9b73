"""Organisations, user accounts and the LK3 board (pengurus)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lk3.accounts.roles import CASE_SCOPE, Role, Scope
from lk3.core.models import BaseModel


class OrganisationKind(models.TextChoices):
    LK3 = "lk3", _("LK3")
    CITY_SOCIAL_OFFICE = "dinsos_kota", _("City/regency social office")
    PROVINCE_SOCIAL_OFFICE = "dinsos_provinsi", _("Province social office")


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (Asia/Jakarta)")
    WITA = "Asia/Makassar", _("WITA (Asia/Makassar)")
    WIT = "Asia/Jayapura", _("WIT (Asia/Jayapura)")


class Organisation(BaseModel):
    """An LK3 or a social office unit: the boundary of most data access."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    # The agency's name has changed over the years (Dinsosnaker, DSPM,
    # Dinsos), so it is data, never a literal in code or templates.
    agency_name = models.CharField(_("agency name"), max_length=200)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        to_field="code",
        on_delete=models.PROTECT,
        related_name="+",
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("supervising organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised",
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    letterhead_text = models.TextField(
        _("letterhead text"),
        blank=True,
        help_text=_("Lines printed at the top of letters, e.g. the government and agency name."),
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    letter_code = models.CharField(
        _("letter code"),
        max_length=20,
        blank=True,
        help_text=_("The short code in letter numbers, e.g. BTG in 012/LK3-BTG/XI/2026."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=40, choices=TimeZone.choices, default=TimeZone.WITA
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(username=username.strip().lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("role", Role.ADMIN)
        fields.setdefault("full_name", username)
        return self.create_user(username, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    username = models.CharField(
        _("username"),
        max_length=60,
        unique=True,
        help_text=_("Lower-case letters, digits, dots, hyphens and underscores."),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    kelurahan = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("assigned kelurahan"),
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("administration site access"),
        default=False,
        help_text=_("Can open the administration site (reference data, accounts)."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # How many of the user's notifications are unread, kept by the notification
    # services: the menu shows it on every page without a query of its own.
    unread_notifications = models.PositiveIntegerField(
        _("unread notifications"), default=0, editable=False
    )

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def case_scope(self) -> Scope:
        return CASE_SCOPE.get(self.role, Scope.NONE)


class Position(models.TextChoices):
    PATRON = "penanggung_jawab", _("Person in charge")
    GENERAL_CHAIR = "ketua_umum", _("General chair")
    CHAIR = "ketua", _("Chair")
    VICE_CHAIR = "wakil_ketua", _("Vice chair")
    SECRETARY = "sekretaris", _("Secretary")
    TREASURER = "bendahara", _("Treasurer")
    DIVISION_COORDINATOR = "koordinator_bidang", _("Division coordinator")
    PROFESSIONAL = "tenaga_profesional", _("Professional staff")
    KELURAHAN_MEMBER = "anggota_kelurahan", _("Kelurahan network member")
    MEMBER = "anggota", _("Member")


class Institution(models.TextChoices):
    SOCIAL_OFFICE = "dinsos", _("Social office (Dinsos)")
    POLICE = "polri", _("Police (Polri)")
    ARMY = "tni", _("Army (TNI)")
    HEALTH = "kesehatan", _("Health")
    COMMUNITY = "masyarakat", _("Community")
    RELIGIOUS = "keagamaan", _("Religious")
    EDUCATION = "pendidikan", _("Education")
    LEGAL = "hukum", _("Legal")
    LOCAL_GOVERNMENT = "pemerintah_daerah", _("Local government")


class Function(models.TextChoices):
    """What the member does in the network (used for intake and referrals)."""

    SOCIAL_WORKER = "pekerja_sosial", _("Social worker")
    PSYCHOLOGIST = "psikolog", _("Psychologist")
    COUNSELLOR = "konselor", _("Counsellor")
    HEALTH_WORKER = "tenaga_kesehatan", _("Health worker")
    BHABINKAMTIBMAS = "bhabinkamtibmas", _("Bhabinkamtibmas (village police officer)")
    BABINSA = "babinsa", _("Babinsa (village army officer)")
    TKSK = "tksk", _("TKSK (district social welfare worker)")
    PSM = "psm", _("PSM (community social worker)")
    RELIGIOUS_COUNSELLOR = "penyuluh_agama", _("Religious counsellor")
    EDUCATOR = "pendidik", _("Educator")
    LAWYER = "advokat", _("Lawyer / legal aid")
    COMMUNITY_LEADER = "tokoh_masyarakat", _("Community leader")
    CIVIL_SERVANT = "aparatur", _("Civil servant")


class BoardMember(BaseModel):
    """A member of the LK3 board (pengurus), appointed by mayoral decree (SK).

    Most of the 149 Bontang members never log in: ``user`` is optional.
    Members are deactivated, never deleted, so past SKs stay on record.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="board_members",
    )
    user = models.OneToOneField(
        User,
        verbose_name=_("user account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="board_member",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=32, choices=Position.choices)
    institution = models.CharField(_("institution"), max_length=32, choices=Institution.choices)
    function = models.CharField(_("function"), max_length=32, choices=Function.choices)
    unit = models.CharField(
        _("unit"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Polsek Bontang Utara, Puskesmas Lok Tuan."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    decree_number = models.CharField(_("decree (SK) number"), max_length=120)
    decree_date = models.DateField(_("decree (SK) date"))
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))
    kelurahan = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("assigned kelurahan"),
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("board member")
        verbose_name_plural = _("board members")
        indexes = [
            models.Index(fields=["organisation", "full_name"], name="board_org_name"),
            models.Index(fields=["organisation", "term_end"], name="board_org_term_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__gte=models.F("term_start")),
                name="board_term_end_after_start",
                violation_error_message=_("The term cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def term_is_active(self, today: datetime.date) -> bool:
        return self.term_start <= today <= self.term_end

    def term_days_left(self, today: datetime.date) -> int:
        return (self.term_end - today).days


class LoginAttempt(models.Model):
    """Every login attempt, for the lockout rule and for the security log."""

    username = models.CharField(_("username"), max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    succeeded = models.BooleanField(_("succeeded"))
    attempted_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-attempted_at"]
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")
        indexes = [models.Index(fields=["username", "attempted_at"], name="login_user_time")]

    def __str__(self) -> str:
        return f"{self.username} {self.attempted_at:%Y-%m-%d %H:%M}"
