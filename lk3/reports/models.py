"""Dashboards, indicators and official reports: the settings, the report templates and the runs.

Figures are computed from the case records when asked (``indicators``,
``official``); only what an organisation chooses (its report template and
its suppression threshold) and the files of a report run are stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lk3.cases.storage import PrivateStorage
from lk3.core.models import BaseModel

DEFAULT_THRESHOLD = 5


class ReportSettings(models.Model):
    """An organisation's privacy rule for aggregate views (DOMAIN.md section 7: a setting)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="report_settings"
    )
    suppression_threshold = models.PositiveSmallIntegerField(
        _("smallest count shown in aggregate views"),
        default=DEFAULT_THRESHOLD,
        help_text=_("Counts from 1 to one less than this are shown as a range, never exactly."),
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")

    def __str__(self) -> str:
        return f"{self.organisation_id}"


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly report")
    ANNUAL = "annual", _("Annual report")


class ReportTemplate(BaseModel):
    """What an organisation's monthly or annual report holds and how it is headed and signed.

    ``sections`` lists section codes of ``lk3.reports.official.SECTIONS`` in
    the order printed; ``signatories`` is a list of ``{"title": ..., "name":
    ...}`` printed side by side at the end.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="report_templates"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    sections = models.JSONField(_("sections"), default=list)
    closing = models.TextField(_("closing text"), blank=True)
    signatories = models.JSONField(_("signatories"), default=list)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="report_template_once"),
        ]

    def __str__(self) -> str:
        return self.title


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportRun(BaseModel):
    """One official report asked for: its period and filters, its progress, and its files."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="report_runs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    # The organisations counted (ids) and the filters chosen (PMKS, kelurahan, channel codes).
    organisation_ids = models.JSONField(default=list)
    filters = models.JSONField(default=dict, blank=True)
    counts_only = models.BooleanField(
        _("small counts suppressed"),
        default=False,
        help_text=_("Asked by a role that sees counts only: small cells are suppressed."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    xlsx = models.FileField(storage=PrivateStorage(), upload_to="reports/", blank=True)
    pdf = models.FileField(storage=PrivateStorage(), upload_to="reports/", blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")

    def __str__(self) -> str:
        return f"{self.kind} {self.date_from} - {self.date_to}"
