"""Stranded people (orang terlantar) and their return home (pemulangan); DOMAIN.md section 5.

A ``StrandedGroup`` is one intake: a person or a group travelling together,
found somewhere (bus terminal, port, street) and taken in as one case. Each
``StrandedPerson`` is a registry person in the group with their documents,
health screening, origin and the decision about them. The group's
``ReturnPlan`` (route, costs, receiving agency) needs the coordinator's
approval; a ``Handover`` takes the travellers to the receiving agency, in
this deployment (its own queue) or outside it (the sender records the
arrival, or a package is exported). What people say about their health and
what the tracing log records are encrypted at rest.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lk3.core.fields import EncryptedJSONField, EncryptedTextField
from lk3.core.models import BaseModel


class FoundAt(models.TextChoices):
    BUS_TERMINAL = "bus_terminal", _("Bus terminal")
    PORT = "port", _("Port")
    AIRPORT = "airport", _("Airport")
    STREET = "street", _("Street or public place")
    POLICE = "police", _("Brought in by the police")
    OTHER = "other", _("Other place")


class GroupStatus(models.TextChoices):
    """Where an intake stands; the services move it (``lk3.repatriation.services``)."""

    INTAKE = "intake", _("Taken in")
    PLANNING = "planning", _("Return being planned")
    AWAITING_APPROVAL = "awaiting_approval", _("Plan awaiting approval")
    APPROVED = "approved", _("Return approved")
    HANDED_OVER = "handed_over", _("On the way / handed over")
    ARRIVED = "arrived", _("Arrived home")
    SETTLED = "settled", _("Stays (no return)")


OPEN_STATUSES = (
    GroupStatus.INTAKE,
    GroupStatus.PLANNING,
    GroupStatus.AWAITING_APPROVAL,
    GroupStatus.APPROVED,
    GroupStatus.HANDED_OVER,
)


class StrandedNumberCounter(models.Model):
    """The last intake number given per organisation and year (numbers are never reused)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="stranded_counter_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class StrandedGroup(BaseModel):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="stranded_groups"
    )
    number = models.CharField(_("number"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="stranded_group"
    )
    found_at = models.CharField(_("where found"), max_length=16, choices=FoundAt.choices)
    found_place = models.CharField(_("place"), max_length=200)
    found_on = models.DateField(_("found on"))
    brought_by = models.CharField(_("found or brought in by"), max_length=200, blank=True)
    police_letter_ref = models.CharField(_("police letter reference"), max_length=100, blank=True)
    circumstances = EncryptedTextField(_("circumstances"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=GroupStatus.choices, default=GroupStatus.INTAKE
    )
    returned_on = models.DateField(_("arrived home on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-found_on", "-sequence"]
        verbose_name = _("stranded intake")
        verbose_name_plural = _("stranded intakes")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "sequence"], name="stranded_number_unique"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="stranded_org_status")]

    def __str__(self) -> str:
        return self.number


class IdentityDocument(models.TextChoices):
    KTP = "ktp", _("KTP (identity card)")
    KK = "kk", _("KK (family card)")
    POLICE_LOST = "police_lost", _("Police letter on lost documents")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    PASSPORT = "passport", _("Passport")
    OTHER = "other", _("Other document")


class HealthStatus(models.TextChoices):
    NOT_SCREENED = "not_screened", _("Not screened yet")
    FIT = "fit", _("Fit to travel")
    NEEDS_TREATMENT = "needs_treatment", _("Needs treatment first")
    IN_TREATMENT = "in_treatment", _("In treatment")


class Decision(models.TextChoices):
    RETURN_HOME = "return_home", _("Return home")
    LOCAL_EMPLOYMENT = "local_employment", _("Local employment")
    OTHER = "other", _("Other")


class StrandedPerson(BaseModel):
    group = models.ForeignKey(StrandedGroup, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="strandings")
    documents = models.JSONField(_("identity documents held"), default=list, blank=True)
    documents_note = models.CharField(_("about the documents"), max_length=300, blank=True)
    health_status = models.CharField(
        _("health"), max_length=20, choices=HealthStatus.choices, default=HealthStatus.NOT_SCREENED
    )
    health_note = EncryptedTextField(_("health and mental state"), blank=True)
    screened_on = models.DateField(_("screened on"), null=True, blank=True)
    stated_origin = models.CharField(
        _("origin as the person states it"), max_length=300, blank=True
    )
    origin_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region of origin"),
        to_field="code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Province and kab/kota of origin, kept for the reports (codes like "32", "32.05").
    origin_province_code = models.CharField(max_length=2, blank=True, db_index=True)
    origin_regency_code = models.CharField(max_length=5, blank=True, db_index=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    returned_before_note = models.TextField(_("exception to the return rule"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("stranded person")
        verbose_name_plural = _("stranded people")
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="stranded_person_once"),
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.person_id}"


class ShelterStay(models.Model):
    """A night or more in temporary shelter (rumah singgah, shelter of the Dinsos)."""

    member = models.ForeignKey(StrandedPerson, on_delete=models.CASCADE, related_name="stays")
    shelter = models.CharField(_("shelter"), max_length=200)
    checked_in_at = models.DateTimeField(_("checked in"))
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["checked_in_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(checked_out_at__isnull=True),
                name="shelter_one_open_stay",
            ),
        ]

    def __str__(self) -> str:
        return self.shelter


class TracingMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    WHATSAPP = "whatsapp", _("WhatsApp")
    DINSOS = "dinsos", _("Through the origin Dinsos")
    POLICE = "police", _("Through the police")
    DUKCAPIL = "dukcapil", _("Dukcapil identification")
    VISIT = "visit", _("Visit")
    OTHER = "other", _("Other")


class TracingResult(models.TextChoices):
    WILL_RECEIVE = "will_receive", _("Reached: family will receive")
    CANNOT_RECEIVE = "cannot_receive", _("Reached: family cannot receive")
    NO_ANSWER = "no_answer", _("No answer")
    WRONG_CONTACT = "wrong_contact", _("Wrong or unknown contact")
    IDENTIFIED = "identified", _("Identity confirmed")
    OTHER = "other", _("Other")


class TracingContact(models.Model):
    """One attempt to trace a family: who was contacted, how, with what result."""

    group = models.ForeignKey(StrandedGroup, on_delete=models.CASCADE, related_name="tracing")
    member = models.ForeignKey(
        StrandedPerson, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    contacted_on = models.DateField(_("date"))
    contact = models.CharField(_("who was contacted"), max_length=200)
    method = models.CharField(_("how"), max_length=12, choices=TracingMethod.choices)
    result = models.CharField(_("result"), max_length=16, choices=TracingResult.choices)
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["contacted_on", "pk"]

    def __str__(self) -> str:
        return self.contact


class TravelMode(models.TextChoices):
    BUS = "bus", _("Bus")
    SHIP = "ship", _("Ship")
    AIR = "air", _("Air")
    MIXED = "mixed", _("Several modes")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")


class ReturnPlan(BaseModel):
    """How the travellers of a group go home, what it costs and who receives them."""

    group = models.OneToOneField(StrandedGroup, on_delete=models.CASCADE, related_name="plan")
    mode = models.CharField(_("travel mode"), max_length=8, choices=TravelMode.choices)
    route = models.TextField(_("route"))
    departure_on = models.DateField(_("departure date"), null=True, blank=True)
    tickets = models.TextField(_("tickets"), blank=True)
    escort = models.CharField(_("escort"), max_length=200, blank=True)
    ticket_cost = models.DecimalField(_("tickets (Rp)"), max_digits=12, decimal_places=0, default=0)
    pocket_money = models.DecimalField(
        _("pocket money (Rp)"), max_digits=12, decimal_places=0, default=0
    )
    escort_cost = models.DecimalField(_("escort (Rp)"), max_digits=12, decimal_places=0, default=0)
    other_cost = models.DecimalField(
        _("meals and other (Rp)"), max_digits=12, decimal_places=0, default=0
    )
    travellers = models.PositiveSmallIntegerField(_("travellers"), default=0)
    receiving_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("receiving organisation (in this system)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    receiving_agency = models.CharField(_("receiving agency"), max_length=200)
    via_relay = models.CharField(_("relayed through"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    ceiling_per_person = models.DecimalField(
        _("ceiling per person (Rp)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    over_ceiling_reason = models.TextField(_("why the cost is over the ceiling"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("coordinator's note"), blank=True)

    class Meta:
        verbose_name = _("return plan")
        verbose_name_plural = _("return plans")

    def __str__(self) -> str:
        return f"{self.group_id}: {self.route[:40]}"

    @property
    def total_cost(self) -> Decimal:
        return self.ticket_cost + self.pocket_money + self.escort_cost + self.other_cost

    @property
    def cost_per_person(self) -> Decimal:
        if not self.travellers:
            return self.total_cost
        return (self.total_cost / self.travellers).quantize(Decimal(1))


class DocumentKind(models.TextChoices):
    """The letters of a return; each is a ``referrals.Letter`` in the one register."""

    COVERING = "covering", _("Covering letter to the origin Dinsos")
    STATEMENT = "statement", _("Statement of the person")
    HANDOVER = "handover", _("Handover record (berita acara serah terima)")


class RepatriationDocument(models.Model):
    group = models.ForeignKey(StrandedGroup, on_delete=models.CASCADE, related_name="documents")
    member = models.ForeignKey(
        StrandedPerson, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    letter = models.OneToOneField("referrals.Letter", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.letter_id}"


class HandoverStatus(models.TextChoices):
    SENT = "sent", _("On the way")
    ARRIVED = "arrived", _("Arrival confirmed")
    DECLINED = "declined", _("Declined by the receiver")


class HandoverSource(models.TextChoices):
    LOCAL = "local", _("Sent in this system")
    IMPORTED = "imported", _("Imported from a package")


class Handover(BaseModel):
    """The travellers of a group given to a receiving agency.

    Sent in this deployment: ``group`` is the sender's intake and, when the
    receiver uses this system, ``receiving_organisation`` is set and the
    receiver answers in its queue; otherwise the sender records the arrival.
    Imported from another deployment: ``group`` is empty, the sender is
    named only, and ``payload`` holds the package's people and plan.
    """

    source = models.CharField(max_length=10, choices=HandoverSource.choices)
    group = models.ForeignKey(
        StrandedGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="handovers"
    )
    sending_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sender_name = models.CharField(_("sender"), max_length=200)
    receiving_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers_in",
    )
    receiver_name = models.CharField(_("receiver"), max_length=200)
    sent_on = models.DateField(_("sent on"))
    status = models.CharField(
        _("status"), max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.SENT
    )
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    received_by_name = models.CharField(_("received by"), max_length=200, blank=True)
    declined_reason = models.TextField(_("why it was declined"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    package_id = models.UUIDField(_("package id"), null=True, blank=True)
    package_sha256 = models.CharField(max_length=64, blank=True)
    payload = EncryptedJSONField(_("package contents"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            models.UniqueConstraint(
                fields=["receiving_organisation", "package_id"],
                condition=Q(package_id__isnull=False, source="imported"),
                name="handover_package_once",
            ),
        ]
        indexes = [
            models.Index(fields=["receiving_organisation", "status"], name="handover_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.sender_name} → {self.receiver_name}"


class RepatriationSettings(models.Model):
    """An organisation's repatriation rules (DOMAIN.md section 7: settings, not code)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="repatriation_settings"
    )
    cost_ceiling_per_person = models.DecimalField(
        _("cost ceiling per person (Rp)"), max_digits=12, decimal_places=0, default=450_000
    )
    returns_allowed = models.PositiveSmallIntegerField(
        _("returns allowed per person in the window"),
        default=1,
        help_text=_("0 means no limit."),
    )
    return_window_days = models.PositiveSmallIntegerField(_("window (days)"), default=365)
    provincial_relay = models.CharField(
        _("provincial relay"), max_length=200, default="Dinas Sosial Provinsi Kalimantan Timur"
    )

    class Meta:
        verbose_name = _("repatriation settings")
        verbose_name_plural = _("repatriation settings")

    def __str__(self) -> str:
        return f"{self.organisation_id}"
