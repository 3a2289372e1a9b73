"""The people registry: one person, many cases over the years.

Persons and families belong to the organisation that registered them.
Nothing here is deleted from the interface: a duplicate is merged into the
surviving record (reversibly), a family membership is ended, a consent is
withdrawn.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lk3.core.fields import EncryptedTextField
from lk3.core.models import BaseModel

CHILD_AGE_LIMIT = 18  # UU 35/2014: a child is under 18


class Sex(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class NikAbsence(models.TextChoices):
    NONE = "none", _("Has no NIK")
    LOST = "lost", _("Documents lost")
    UNKNOWN = "unknown", _("NIK unknown")
    NOT_RECORDED = "not_recorded", _("Not yet recorded")


class Religion(models.TextChoices):
    """As on the KTP (Dukcapil)."""

    ISLAM = "islam", _("Islam")
    PROTESTANT = "kristen", _("Christian (Protestant)")
    CATHOLIC = "katolik", _("Catholic")
    HINDU = "hindu", _("Hindu")
    BUDDHIST = "buddha", _("Buddhist")
    CONFUCIAN = "khonghucu", _("Confucian")
    BELIEF = "kepercayaan", _("Belief in One God (kepercayaan)")


class MaritalStatus(models.TextChoices):
    """As on the KTP, plus unregistered marriage (kawin siri), common in casework."""

    SINGLE = "belum_kawin", _("Not married")
    MARRIED = "kawin_tercatat", _("Married (registered)")
    MARRIED_UNREGISTERED = "kawin_belum_tercatat", _("Married (not registered)")
    DIVORCED = "cerai_hidup", _("Divorced")
    WIDOWED = "cerai_mati", _("Widowed")


class Education(models.TextChoices):
    NONE = "tidak_sekolah", _("No schooling")
    PRIMARY_UNFINISHED = "belum_tamat_sd", _("Primary school not finished")
    PRIMARY = "sd", _("Primary school (SD)")
    JUNIOR = "smp", _("Junior high school (SMP)")
    SENIOR = "sma", _("Senior high school (SMA/SMK)")
    DIPLOMA = "diploma", _("Diploma (D1-D4)")
    BACHELOR = "s1", _("Bachelor (S1)")
    POSTGRADUATE = "s2_s3", _("Postgraduate (S2/S3)")


class Disability(models.TextChoices):
    """UU 8/2016 groups."""

    PHYSICAL = "fisik", _("Physical")
    INTELLECTUAL = "intelektual", _("Intellectual")
    MENTAL = "mental", _("Mental (psychosocial)")
    SENSORY = "sensorik", _("Sensory")
    MULTIPLE = "ganda", _("Multiple")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MERGED = "merged", _("Merged into another record")


class Person(BaseModel):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("registered by organisation"),
        on_delete=models.PROTECT,
        related_name="persons",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    # Canonical name tokens (lk3.people.names), kept for ranking without
    # normalising every candidate again.
    search_name = models.CharField(_("search name"), max_length=200, blank=True)
    # The NIK is sensitive: kept encrypted, found through its keyed hash.
    nik = EncryptedTextField(_("NIK"), blank=True)
    nik_hash = models.CharField(_("NIK lookup hash"), max_length=64, blank=True, db_index=True)
    nik_absence = models.CharField(
        _("reason there is no NIK"), max_length=20, choices=NikAbsence.choices, blank=True
    )
    # Region where the NIK was issued (first six digits), which is not the
    # person's domicile and may be a code retired by a region split.
    nik_region_code = models.CharField(_("NIK region of issue"), max_length=8, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_date_is_estimated = models.BooleanField(_("birth date estimated"), default=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("place of birth"), max_length=120, blank=True)
    religion = models.CharField(_("religion"), max_length=20, choices=Religion.choices, blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=24, choices=MaritalStatus.choices, blank=True
    )
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    occupation = models.CharField(_("occupation"), max_length=120, blank=True)
    disability = models.CharField(
        _("disability"), max_length=20, choices=Disability.choices, blank=True
    )
    domicile_village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("domicile kelurahan/desa"),
        to_field="code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    photo = models.ImageField(_("photo"), upload_to="person-photos/", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["organisation", "full_name"], name="person_org_name"),
            models.Index(fields=["birth_date"], name="person_birth_date"),
            models.Index(fields=["organisation", "status"], name="person_org_status"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def age_on(self, day: datetime.date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)

    def is_child_on(self, day: datetime.date) -> bool:
        age = self.age_on(day)
        return age is not None and age < CHILD_AGE_LIMIT


class AliasKind(models.TextChoices):
    NICKNAME = "panggilan", _("Nickname")
    ALIAS = "alias", _("Alias")
    MARRIED = "nama_menikah", _("Married name")
    PREVIOUS = "nama_lama", _("Previous name")


class PersonAlias(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AliasKind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("other name")
        verbose_name_plural = _("other names")

    def __str__(self) -> str:
        return self.name


class PersonPhone(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="phones"
    )
    # National form, digits only ("081234567890"): what people type and dial.
    number = models.CharField(_("phone number"), max_length=20, db_index=True)
    label = models.CharField(_("label"), max_length=60, blank=True)
    is_whatsapp = models.BooleanField(_("WhatsApp"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")

    def __str__(self) -> str:
        return self.number


class ConsentPurpose(models.TextChoices):
    SERVICES = "layanan", _("Registration and social services")
    DATA_SHARING = "berbagi_data", _("Sharing data with referral partners")
    PHOTO = "foto", _("Photographs and documentation")
    CONTACT = "kontak", _("Contact by phone or WhatsApp")


class ConsentGiver(models.TextChoices):
    SELF = "diri_sendiri", _("The person themself")
    PARENT = "orang_tua", _("Parent")
    GUARDIAN = "wali", _("Guardian")


class ConsentMethod(models.TextChoices):
    WRITTEN = "tertulis", _("Signed form")
    THUMBPRINT = "cap_jempol", _("Thumbprint")
    ORAL = "lisan", _("Oral, witnessed")


class Consent(BaseModel):
    """UU PDP: who agreed to what, when, recorded by whom. Withdrawn, never deleted."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given_by = models.CharField(_("given by"), max_length=20, choices=ConsentGiver.choices)
    giver_name = models.CharField(_("name of the parent or guardian"), max_length=200, blank=True)
    giver_person = models.ForeignKey(
        Person,
        verbose_name=_("parent or guardian in the registry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents_given",
    )
    method = models.CharField(_("method"), max_length=20, choices=ConsentMethod.choices)
    given_on = models.DateField(_("date given"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_on = models.DateField(_("date withdrawn"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_purpose_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class Family(BaseModel):
    """A household as on its Kartu Keluarga (KK), the unit LK3 works with."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("registered by organisation"),
        on_delete=models.PROTECT,
        related_name="families",
    )
    kk_number = EncryptedTextField(_("KK number"), blank=True)
    kk_hash = models.CharField(_("KK lookup hash"), max_length=64, blank=True, db_index=True)
    domicile_village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kelurahan/desa"),
        to_field="code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("family")
        verbose_name_plural = _("families")

    def __str__(self) -> str:
        head = (
            self.memberships.filter(relationship=Relationship.HEAD, ended_on__isnull=True)
            .select_related("person")
            .first()
        )
        if head is not None:
            return str(_("Family of %(name)s") % {"name": head.person.full_name})
        return str(_("Family without a head"))


class Relationship(models.TextChoices):
    """Status hubungan dalam keluarga, as printed on the KK."""

    HEAD = "kepala_keluarga", _("Head of family")
    HUSBAND = "suami", _("Husband")
    WIFE = "istri", _("Wife")
    CHILD = "anak", _("Child")
    CHILD_IN_LAW = "menantu", _("Son/daughter-in-law")
    GRANDCHILD = "cucu", _("Grandchild")
    PARENT = "orang_tua", _("Parent")
    PARENT_IN_LAW = "mertua", _("Parent-in-law")
    OTHER_RELATIVE = "famili_lain", _("Other relative")
    HOUSEHOLD_HELP = "pembantu", _("Household help")
    OTHER = "lainnya", _("Other")


class MembershipEnd(models.TextChoices):
    MOVED = "pindah", _("Moved to another family")
    NEW_FAMILY = "pisah_kk", _("Started a new family card")
    DIED = "meninggal", _("Died")
    CORRECTION = "koreksi", _("Recorded by mistake")
    MERGED = "digabung", _("Person record merged")


class FamilyMembership(models.Model):
    """A person's place in a family over time: history is kept, never rewritten."""

    family = models.ForeignKey(
        Family, verbose_name=_("family"), on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason it ended"), max_length=20, choices=MembershipEnd.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["family", "started_on", "id"]
        verbose_name = _("family membership")
        verbose_name_plural = _("family memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_current_family",
                violation_error_message=_("This person is already a member of another family."),
            ),
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(ended_on__isnull=True, relationship="kepala_keluarga"),
                name="membership_one_head",
                violation_error_message=_("This family already has a head."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_relationship_display()}"


class PersonMerge(models.Model):
    """One merge of a duplicate into a surviving record, with what is needed to undo it."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    survivor = models.ForeignKey(
        Person, verbose_name=_("kept record"), on_delete=models.PROTECT, related_name="merges_kept"
    )
    merged = models.ForeignKey(
        Person,
        verbose_name=_("merged record"),
        on_delete=models.PROTECT,
        related_name="merges_absorbed",
    )
    # JSON: the survivor's fields before and after, and which related rows
    # moved. Encrypted, because it holds NIKs.
    snapshot = EncryptedTextField(_("state before the merge"))
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    performed_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        ordering = ["-performed_at", "-id"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self) -> str:
        return f"{self.merged} → {self.survivor}"


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    DISMISSED = "dismissed", _("Not the same person")
    MERGED = "merged", _("Merged")


class DuplicateCandidate(models.Model):
    """A pair the matcher thinks may be one person, waiting for a human decision."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person_a = models.ForeignKey(
        Person, verbose_name=_("first record"), on_delete=models.PROTECT, related_name="+"
    )
    person_b = models.ForeignKey(
        Person, verbose_name=_("second record"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN
    )
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="candidate_pair_once"),
            models.CheckConstraint(
                condition=Q(person_a__lt=models.F("person_b")), name="candidate_pair_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "-score"], name="candidate_queue")
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.score:.2f})"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class DedupRun(models.Model):
    """One pass of the duplicate finder over an organisation's registry, with its progress."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("records"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    pairs_found = models.PositiveIntegerField(_("pairs found"), default=0)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("duplicate search")
        verbose_name_plural = _("duplicate searches")

    def __str__(self) -> str:
        return f"{self.organisation} {self.requested_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0


class PersonSearchKey(models.Model):
    """Search postings: one row per (person, name key) — see lk3.people.names.index_keys."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("key"), max_length=48)

    class Meta:
        verbose_name = _("search key")
        verbose_name_plural = _("search keys")
        indexes = [models.Index(fields=["organisation", "key", "person"], name="search_key_lookup")]

    def __str__(self) -> str:
        return self.key


class NameToken(models.Model):
    """The distinct name tokens in the registry, for expanding a mistyped search word."""

    token = models.CharField(_("token"), max_length=48, unique=True)
    person_count = models.PositiveIntegerField(_("persons"), default=0)

    class Meta:
        verbose_name = _("name token")
        verbose_name_plural = _("name tokens")

    def __str__(self) -> str:
        return self.token
