"""The referral network: partners, referrals out and in, field-officer reports, letters, notifications.

Statuses and who may move a referral live in ``lk3.referrals.transitions``
and the services; this module only holds the records. What a referral says
about the client (reason, shared information, feedback) and what a field
officer reports are encrypted at rest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lk3.cases.storage import PrivateStorage
from lk3.core.fields import EncryptedTextField
from lk3.core.models import BaseModel
from lk3.people.models import Sex

# -- partners -------------------------------------------------------------------------------


class PartnerKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    COMMUNITY = "community", _("Community")
    BUSINESS = "business", _("Business")
    PSKS = "psks", _("PSKS (social-welfare resource)")


class Partner(BaseModel):
    """An organisation in an LK3's network (UPTD PPA, Puskesmas, a company's CSR unit, ...).

    ``organisation`` is the LK3 whose directory holds it: each LK3 keeps its
    own network, and partner staff accounts belong to one partner.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("network of"),
        on_delete=models.PROTECT,
        related_name="partners",
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices)
    psks_category = models.ForeignKey(
        "core.PsksCategory",
        verbose_name=_("PSKS category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    services = models.ManyToManyField(
        "core.ServiceType", verbose_name=_("services offered"), related_name="+", blank=True
    )
    description = models.TextField(_("what the partner does"), blank=True)
    service_area = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("service area"),
        related_name="+",
        blank=True,
        help_text=_("Kelurahan, kecamatan or kab/kota served; empty means the whole city."),
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="partner_name_unique"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class PartnerContact(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")

    def __str__(self) -> str:
        return self.name


class AgreementKind(models.TextChoices):
    MOU = "mou", _("MoU (memorandum of understanding)")
    PKS = "pks", _("PKS (cooperation agreement)")


class Agreement(BaseModel):
    """An MoU or PKS with a partner, valid between two dates."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(_("kind"), max_length=8, choices=AgreementKind.choices)
    number = models.CharField(_("number"), max_length=120)
    title = models.CharField(_("title"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        ordering = ["-valid_until"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="agreement_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class PartnerMember(models.Model):
    """A partner staff account: the user sees only what was referred to this partner."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="members")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_membership"
    )
    added_on = models.DateField(_("added on"))

    class Meta:
        verbose_name = _("partner staff account")
        verbose_name_plural = _("partner staff accounts")

    def __str__(self) -> str:
        return f"{self.user} · {self.partner}"


# -- referrals ------------------------------------------------------------------------------


class Direction(models.TextChoices):
    OUT = "out", _("Referral out (LK3 to a partner)")
    IN = "in", _("Referral in (an agency to LK3)")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_SERVICE = "in_service", _("In service")
    COMPLETED = "completed", _("Completed")
    REVOKED = "revoked", _("Revoked")


class LegalBasis(models.TextChoices):
    """Why a referral may go without the client's consent (UU PDP art. 20)."""

    CONSENT = "consent", _("Consent of the client (or parent/guardian)")
    VITAL_INTEREST = "vital_interest", _("Protecting the client's life or safety")
    LEGAL_OBLIGATION = "legal_obligation", _("A legal obligation (e.g. reporting violence)")
    PUBLIC_TASK = "public_task", _("Public service under a legal mandate")


class SharedItem(models.TextChoices):
    """What a referral may share with the partner; only the identity minimum by default."""

    NAME = "name", _("Name")
    BIRTH_DATE = "birth_date", _("Date of birth and age")
    SEX = "sex", _("Sex")
    CONTACT = "contact", _("Phone number")
    ADDRESS = "address", _("Address")
    NIK = "nik", _("NIK")
    FAMILY = "family", _("Family members")
    PROBLEM = "problem", _("Presenting problem")
    RISK = "risk", _("Risk level")


class Referral(BaseModel):
    """A referral out (a case's client to a partner's service) or in (an agency to LK3).

    Out: ``case`` and ``partner`` are set when sent. In: ``partner`` is the
    referring agency when it is in the directory, else ``referrer_name``;
    ``case`` is set when the intake desk accepts it.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals"
    )
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices)
    number = models.CharField(_("number"), max_length=40, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    service = models.ForeignKey(
        "core.ServiceType",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referrer_name = models.CharField(_("referred by"), max_length=200, blank=True)
    referrer_contact = models.CharField(_("referrer's contact"), max_length=100, blank=True)
    external_reference = models.CharField(
        _("the referrer's reference number"),
        max_length=80,
        blank=True,
        help_text=_("For example an SLRT/Puskesos number or the agency's letter number."),
    )
    # Referral in, before it is accepted: the person as the agency describes them.
    client_name = models.CharField(_("client's name"), max_length=200, blank=True)
    client_nik = EncryptedTextField(_("client's NIK"), blank=True)
    client_birth_date = models.DateField(_("client's birth date"), null=True, blank=True)
    client_sex = models.CharField(_("client's sex"), max_length=1, choices=Sex.choices, blank=True)
    reason = EncryptedTextField(_("reason for the referral"))
    shared_items = models.JSONField(_("information shared"), default=list, blank=True)
    shared_summary = EncryptedTextField(_("what the partner is told"), blank=True)
    legal_basis = models.CharField(
        _("legal basis"), max_length=20, choices=LegalBasis.choices, blank=True
    )
    legal_basis_note = models.TextField(_("legal basis, explained"), blank=True)
    consent = models.ForeignKey(
        "people.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_at = models.DateTimeField(_("sent at"))
    answer_due_on = models.DateField(_("answer due on"))
    first_answer_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    feedback = EncryptedTextField(_("feedback from the partner"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The one-time token of the form that sent it: a double-clicked "send" finds it.
    send_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["organisation", "status", "answer_due_on"]),
            models.Index(fields=["partner", "status"]),
        ]

    def __str__(self) -> str:
        # Never the client's name: audit labels are read by people without case access.
        return f"{self._meta.verbose_name} {self.number or self.pk}"


class ReferralNumberCounter(models.Model):
    """The last referral number given per organisation and year (numbers are never reused)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="referral_counter_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class ReferralEvent(models.Model):
    """One status change of a referral, with who and why (its history and timeline)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ReferralStatus.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")

    def __str__(self) -> str:
        return f"{self.referral} → {self.to_status}"


class ReferralSettings(models.Model):
    """An organisation's referral rules (DOMAIN.md section 7: settings, not code)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="referral_settings"
    )
    answer_days = models.PositiveSmallIntegerField(_("days a partner has to answer"), default=3)
    agreement_warning_days = models.PositiveSmallIntegerField(
        _("days before an MoU ends that it is flagged"), default=60
    )

    class Meta:
        verbose_name = _("referral settings")
        verbose_name_plural = _("referral settings")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.organisation_id}"


# -- field-officer reports ------------------------------------------------------------------


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    SOON = "soon", _("Within a few days")
    URGENT = "urgent", _("Urgent: today")


class FieldReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    HANDLED = "handled", _("Being handled")
    DONE = "done", _("Done")


class FieldReport(BaseModel):
    """A Bhabinkamtibmas, Babinsa, TKSK or PSM report of a family needing help.

    The officer sees its status, never the case it becomes. ``draft_key`` is
    the id the phone gave its draft, so a report sent twice (a lost
    connection, a retry) is kept once.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="field_reports"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="field_reports"
    )
    draft_key = models.UUIDField(_("draft id"))
    person_name = models.CharField(_("who"), max_length=200)
    kelurahan = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kelurahan"),
        to_field="code",
        on_delete=models.PROTECT,
        related_name="+",
    )
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    address = models.CharField(_("address or landmark"), max_length=300, blank=True)
    what_happened = EncryptedTextField(_("what happened"))
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    photo = models.ImageField(
        _("photo"), upload_to="field/%Y/%m/", storage=PrivateStorage(), blank=True, max_length=300
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=FieldReportStatus.choices,
        default=FieldReportStatus.RECEIVED,
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    done_note = EncryptedTextField(_("note on closing the report"), blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="field_reports"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("field report")
        verbose_name_plural = _("field reports")
        constraints = [
            models.UniqueConstraint(
                fields=["reported_by", "draft_key"], name="field_report_draft_once"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


# -- letters --------------------------------------------------------------------------------


class LetterKind(models.TextChoices):
    REFERRAL = "referral", _("Referral letter (surat rujukan)")
    COVERING = "covering", _("Covering letter")
    STATEMENT = "statement", _("Statement")
    HANDOVER = "handover", _("Handover record (berita acara serah terima)")
    OTHER = "other", _("Other letter")


class LetterNumberCounter(models.Model):
    """The last letter number given per organisation and year (numbers are never reused)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="letter_counter_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class Letter(BaseModel):
    """An entry of the organisation's letter register, with its PDF.

    ``verification_code`` is the random part of the QR code's address: the
    verification page shows that the letter is genuine (number, date,
    organisation, signatory, kind) and never what it says.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="letters"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LetterKind.choices)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=80)
    dated = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=300)
    signatory_name = models.CharField(_("signed by"), max_length=200)
    signatory_position = models.CharField(_("position"), max_length=200)
    verification_code = models.CharField(max_length=64, unique=True)
    sha256 = models.CharField(max_length=64)
    pdf = models.FileField(upload_to="letters/%Y/", storage=PrivateStorage(), max_length=300)
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "sequence"], name="letter_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number


# -- notifications --------------------------------------------------------------------------


class Notification(models.Model):
    """A message in a user's inbox. Never case content: what happened and a link.

    Email and the SMS/WhatsApp gateway carry the same text; ``emailed_at``
    and ``pushed_at`` record that they went.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]

    def __str__(self) -> str:
        return self.text
