"""The people registry: one person, many cases over the years.

This is the registry's core (identity and domicile); the registry issue
adds families, consent, aliases, search and duplicate handling.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lk3.core.fields import EncryptedTextField
from lk3.core.models import BaseModel


class Sex(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class NikAbsence(models.TextChoices):
    NONE = "none", _("Has no NIK")
    LOST = "lost", _("Documents lost")
    UNKNOWN = "unknown", _("NIK unknown")
    NOT_RECORDED = "not_recorded", _("Not yet recorded")


class Person(BaseModel):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("registered by organisation"),
        on_delete=models.PROTECT,
        related_name="persons",
    )
    full_name = models.CharField(_("full name"), max_length=200)
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
    domicile_village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("domicile village"),
        to_field="code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
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
        ]

    def __str__(self) -> str:
        return self.full_name
