"""Kemendagri administrative regions (Kepmendagri 300.2.2-2138/2025).

Codes are the dotted Kemendagri form (``64.74.01.1001``), which NIK,
Dukcapil and SIKS-NG use; BPS codes differ and are never stored here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "provinsi", _("Province")
    REGENCY = "kabupaten_kota", _("Regency/city")
    DISTRICT = "kecamatan", _("District")
    VILLAGE = "desa_kelurahan", _("Village")


class Region(models.Model):
    code = models.CharField(_("code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=128)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        to_field="code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # Lower-cased, title words removed ("Kabupaten", "Kota"), for name search.
    search_name = models.CharField(_("search name"), max_length=128, db_index=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Retired codes stay so that old NIKs still decode."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_kelurahan(self) -> bool:
        """Village codes starting with 1 are kelurahan, with 2 desa."""
        return self.level == RegionLevel.VILLAGE and self.code.rsplit(".", 1)[-1].startswith("1")
