"""Append-only records of what was changed (AuditEvent) and seen (AccessEvent).

Both tables refuse UPDATE and DELETE in the database (see
``lk3/core/append_only.py``). Rows refer to users and organisations by
foreign key without cascading, and keep a label copied at write time, so the
trail still reads correctly after a rename.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Action codes are a public contract (reports and exports read them):
    # add new ones, never rename.
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("record type"), max_length=80)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    target_label = models.CharField(_("record"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["organisation", "-occurred_at"], name="audit_org_time"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"


class AccessEvent(models.Model):
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    target_type = models.CharField(_("record type"), max_length=80)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    target_label = models.CharField(_("record"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=40)
    path = models.CharField(_("page"), max_length=300, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        indexes = [
            models.Index(fields=["organisation", "-occurred_at"], name="access_org_time"),
            models.Index(fields=["target_type", "target_id"], name="access_target"),
            models.Index(fields=["actor", "-occurred_at"], name="access_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.target_label}"
