"""The base every lk3 record shares."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """UUID public id for URLs, timestamps, and a version for stale-edit checks.

    The integer primary key never leaves the server: URLs and the API use
    ``public_id`` so record counts and neighbours cannot be guessed.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class ReferenceDataLoad(models.Model):
    """Which reference data set was loaded, so loading again is a no-op."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    checksum = models.CharField(_("checksum"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("reference data load")
        verbose_name_plural = _("reference data loads")

    def __str__(self) -> str:
        return f"{self.name} ({self.rows})"


class ReferenceTerm(models.Model):
    """An entry of an editable vocabulary (PMKS, PSKS, service types, ...).

    The official lists have no codes (they are lettered), so ``code`` is our
    stable slug; logic may depend on a code, never on a name, because an
    administrator may rename, reorder or retire any entry.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class PmksCategory(ReferenceTerm):
    """PMKS/PPKS, Permensos 8/2012 and 5/2019 (26 in the national list)."""

    class Meta(ReferenceTerm.Meta):
        verbose_name = _("PMKS category")
        verbose_name_plural = _("PMKS categories")


class PsksCategory(ReferenceTerm):
    """PSKS, the 12 kinds of social-welfare resource."""

    class Meta(ReferenceTerm.Meta):
        verbose_name = _("PSKS category")
        verbose_name_plural = _("PSKS categories")


class ServiceType(ReferenceTerm):
    class Meta(ReferenceTerm.Meta):
        verbose_name = _("service type")
        verbose_name_plural = _("service types")


class IntakeChannel(ReferenceTerm):
    class Meta(ReferenceTerm.Meta):
        verbose_name = _("intake channel")
        verbose_name_plural = _("intake channels")


class ProblemType(ReferenceTerm):
    """What the family's trouble is (marital conflict, domestic violence, ...): an editable list."""

    class Meta(ReferenceTerm.Meta):
        verbose_name = _("problem type")
        verbose_name_plural = _("problem types")
