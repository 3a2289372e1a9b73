"""The report template, and official report runs: asked for, prepared in the background.

Rules:
- ``template_for`` gives the organisation's saved template of a kind, else
  the default (``official.default_template``), unsaved.
- Only the coordinator changes the template. It names at least one section,
  only sections of ``official.SECTIONS`` (each once, in the order given) and
  at most three signatories; an edit made on a version that changed since
  is refused (stale). Every change is audited.
- ``run_request`` checks the period (the end not before the start, at most
  ``MAX_PERIOD_DAYS``), the organisations (only those the reader reaches;
  none chosen means all of them) and the filters (known codes only), creates
  the run with ``counts_only`` of the reader, audits it, and queues the
  task after the commit. Asking again for the same report while it is still
  queued or running gives that run back (a double submit is harmless).
- ``run_execute`` (the task's body) marks the run running, builds the
  sections of the organisation's template one at a time (progress saved
  after each), then the XLSX and the PDF, and stores both files with status
  done. On any error the run ends failed with a message and no file.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from lk3.accounts.models import Organisation, User
from lk3.audit import actions
from lk3.audit.services import audit_record, refuse_if_stale
from lk3.core.errors import DomainError
from lk3.reports import official
from lk3.reports.models import ReportKind, ReportRun, ReportTemplate, RunStatus
from lk3.reports.official_pdf import report_pdf
from lk3.reports.official_xlsx import workbook_bytes
from lk3.reports.permissions import (
    can_edit_template,
    can_read_reports,
    counts_only,
    report_organisation_ids,
)

logger = logging.getLogger(__name__)

MAX_SIGNATORIES = 3
MAX_PERIOD_DAYS = 366 * 5
# Progress: the sections take this share; the files the rest.
SECTIONS_SHARE = 80
XLSX_DONE = 90

NOT_COORDINATOR = _("Only the coordinator changes the report template.")
NOT_A_READER = _("Your role does not ask for official reports.")
UNKNOWN_KIND = _("Unknown kind of report: %(kind)s.")
NO_SECTIONS = _("Choose at least one section.")
UNKNOWN_SECTIONS = _("Unknown sections: %(codes)s.")
NO_TITLE = _("Give the report a title.")
TOO_MANY_SIGNATORIES = _("At most %(count)s signatories.")
SIGNATORY_TITLE = _("Give each signatory a position (for example Ketua LK3).")
DATES_OUT_OF_ORDER = _("The end date cannot be before the start date.")
PERIOD_TOO_LONG = _("A report covers at most five years.")
ORGANISATION_OUT_OF_REACH = _("You do not read the figures of one of the organisations chosen.")
FAILED = _("The report could not be prepared: %(reason)s")
UNEXPECTED = _("an unexpected error; the administrator can find it in the log")

TEMPLATE_FIELDS = ("title", "introduction", "sections", "closing", "signatories")


def _check_kind(kind: str) -> None:
    if kind not in ReportKind.values:
        raise DomainError(UNKNOWN_KIND, code="unknown_kind", field="kind", params={"kind": kind})


# -- the template ------------------------------------------------------------------------------


def template_for(organisation: Organisation, kind: str) -> ReportTemplate:
    """The organisation's template of ``kind``: the saved one, else the default (not saved)."""
    _check_kind(kind)
    saved = ReportTemplate.objects.filter(organisation=organisation, kind=kind).first()
    if saved is not None:
        return saved
    return ReportTemplate(
        organisation=organisation,
        kind=kind,
        version=0,
        **official.default_template(organisation, kind),
    )


def _clean_sections(sections: Sequence[str]) -> list[str]:
    codes = list(dict.fromkeys(str(code) for code in sections if str(code)))
    unknown = [code for code in codes if code not in official.SECTIONS]
    if unknown:
        raise DomainError(
            UNKNOWN_SECTIONS,
            code="unknown_section",
            field="sections",
            params={"codes": ", ".join(unknown)},
        )
    if not codes:
        raise DomainError(NO_SECTIONS, code="no_sections", field="sections")
    return codes


def _clean_signatories(signatories: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    lines = [
        {
            "title": str(line.get("title", "")).strip(),
            "name": str(line.get("name", "")).strip(),
        }
        for line in signatories
    ]
    lines = [line for line in lines if line["title"] or line["name"]]
    if len(lines) > MAX_SIGNATORIES:
        raise DomainError(
            TOO_MANY_SIGNATORIES,
            code="too_many_signatories",
            field="signatories",
            params={"count": MAX_SIGNATORIES},
        )
    if any(not line["title"] for line in lines):
        raise DomainError(SIGNATORY_TITLE, code="signatory_title", field="signatories")
    return lines


@transaction.atomic
def template_save(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    expected_version: int | None = None,
    title: str,
    introduction: str,
    sections: Sequence[str],
    closing: str,
    signatories: Sequence[Mapping[str, Any]],
) -> ReportTemplate:
    """Save the organisation's template of ``kind`` (``expected_version``: the version seen).

    A template never saved has version 0 (``template_for``'s default).
    """
    if not can_edit_template(actor) or actor.organisation_id != organisation.pk:
        raise PermissionDenied(str(NOT_COORDINATOR))
    _check_kind(kind)
    wanted = {
        "title": title.strip(),
        "introduction": introduction.strip(),
        "sections": _clean_sections(sections),
        "closing": closing.strip(),
        "signatories": _clean_signatories(signatories),
    }
    if not wanted["title"]:
        raise DomainError(NO_TITLE, code="no_title", field="title")
    current = (
        ReportTemplate.objects.select_for_update()
        .filter(organisation=organisation, kind=kind)
        .first()
    )
    seen = expected_version if expected_version is not None else 0
    if current is None:
        if seen != 0:
            # It was saved and then deleted: the user edited something that is gone.
            raise DomainError(_("The template was removed; open it again."), code="stale_edit")
        current = ReportTemplate(organisation=organisation, kind=kind, version=0)
        before: dict[str, Any] = dict.fromkeys(TEMPLATE_FIELDS)
    else:
        before = {name: getattr(current, name) for name in TEMPLATE_FIELDS}
        if before == wanted:
            return current  # nothing to change (a double submit, or saved as it was)
        refuse_if_stale(current, seen)
    changes = {
        name: [before[name], wanted[name]]
        for name in TEMPLATE_FIELDS
        if before[name] != wanted[name]
    }
    if not changes:
        return current
    for name, value in wanted.items():
        setattr(current, name, value)
    current.updated_by = actor
    current.version += 1
    current.save()
    changes["version"] = [seen, current.version]
    audit_record(
        actor=actor,
        action=actions.REPORT_TEMPLATE_CHANGED,
        target=current,
        organisation=organisation,
        changes=changes,
    )
    return current


# -- runs --------------------------------------------------------------------------------------


@transaction.atomic
def run_request(
    *,
    actor: User,
    kind: str,
    date_from: datetime.date,
    date_to: datetime.date,
    filters: Mapping[str, Sequence[str]] | None = None,
    organisation_ids: Sequence[int] = (),
) -> ReportRun:
    """Ask for an official report of ``kind``; it is prepared in the background."""
    if not can_read_reports(actor) or actor.organisation is None:
        raise PermissionDenied(str(NOT_A_READER))
    _check_kind(kind)
    if date_to < date_from:
        raise DomainError(DATES_OUT_OF_ORDER, code="dates_out_of_order", field="date_to")
    if (date_to - date_from).days > MAX_PERIOD_DAYS:
        raise DomainError(PERIOD_TOO_LONG, code="period_too_long", field="date_to")
    reachable = report_organisation_ids(actor)
    chosen = set(organisation_ids) or reachable
    if not chosen <= reachable:
        raise DomainError(
            ORGANISATION_OUT_OF_REACH, code="organisation_out_of_reach", field="organisations"
        )
    cleaned = official.clean_filters(filters or {})
    values = {
        "organisation": actor.organisation,
        "requested_by": actor,
        "kind": kind,
        "date_from": date_from,
        "date_to": date_to,
        "organisation_ids": sorted(chosen),
        "filters": cleaned,
        "counts_only": counts_only(actor),
    }
    waiting = (
        ReportRun.objects.select_for_update()
        .filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING], **values)
        .first()
    )
    if waiting is not None:
        return waiting
    run = ReportRun.objects.create(**values)
    audit_record(
        actor=actor,
        action=actions.REPORT_RUN_REQUESTED,
        target=run,
        organisation=actor.organisation,
        changes={
            "kind": [None, kind],
            "date_from": [None, date_from.isoformat()],
            "date_to": [None, date_to.isoformat()],
            "organisation_ids": [None, sorted(chosen)],
            "filters": [None, cleaned],
            "counts_only": [None, run.counts_only],
        },
    )
    transaction.on_commit(lambda: report_run_task.enqueue(run_id=run.pk))
    return run


@task()
def report_run_task(run_id: int) -> None:
    run_execute(run_id)


def _progress(run_id: int, percent: int) -> None:
    # Written straight away (not in a transaction) so the page polling it sees it.
    ReportRun.objects.filter(pk=run_id).update(progress=percent, updated_at=timezone.now())


def file_stem(run: ReportRun) -> str:
    """A readable file name without extension: "laporan-bulanan-lk3-bontang-2026-11"."""
    words = "laporan-bulanan" if run.kind == ReportKind.MONTHLY else "laporan-tahunan"
    period = official.period_code(run.date_from, run.date_to)
    name = run.organisation.short_name or run.organisation.name
    return f"{words}-{slugify(name)}-{period}"


def build_document(run: ReportRun, *, progress: Any = None) -> official.ReportDocument:
    """The report of a run, built from the organisation's template as it is now."""
    template = template_for(run.organisation, run.kind)
    scope = official.scope_for(
        organisation_ids=run.organisation_ids,
        date_from=run.date_from,
        date_to=run.date_to,
        filters=run.filters,
        suppress=run.counts_only,
    )
    sections = official.build_sections(template.sections, scope, progress=progress)
    return official.ReportDocument(
        organisation=run.organisation,
        kind=run.kind,
        title=template.title,
        introduction=template.introduction,
        closing=template.closing,
        signatories=list(template.signatories),
        period=official.period_text(run.date_from, run.date_to),
        filters=official.filter_names(scope_filters(scope)),
        generated_at=timezone.now(),
        counts_only=run.counts_only,
        threshold=scope.threshold,
        sections=sections,
    )


def scope_filters(scope: official.Scope) -> dict[str, list[str]]:
    return {
        "pmks": list(scope.pmks),
        "kelurahan": list(scope.kelurahan),
        "channels": list(scope.channels),
    }


def run_execute(run_id: int) -> ReportRun:
    """Prepare the run's files (the task's body); a run already finished is left as it is."""
    run = ReportRun.objects.select_related("organisation").get(pk=run_id)
    if run.status in (RunStatus.DONE, RunStatus.FAILED):
        return run
    ReportRun.objects.filter(pk=run_id).update(
        status=RunStatus.RUNNING, progress=0, message="", updated_at=timezone.now()
    )

    def progress(done: int, total: int) -> None:
        _progress(run_id, SECTIONS_SHARE * done // max(total, 1))

    stored: list[Any] = []
    try:
        document = build_document(run, progress=progress)
        xlsx = workbook_bytes(document)
        _progress(run_id, XLSX_DONE)
        pdf = report_pdf(document)
        stem = file_stem(run)
        run.refresh_from_db()
        run.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        stored.append(run.xlsx)
        run.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        stored.append(run.pdf)
        run.status = RunStatus.DONE
        run.progress = 100
        run.message = ""
        run.finished_at = timezone.now()
        run.save(
            update_fields=[
                "xlsx",
                "pdf",
                "status",
                "progress",
                "message",
                "finished_at",
                "updated_at",
            ]
        )
    except Exception as error:
        logger.exception("Report run %s failed", run_id)
        for file in stored:
            file.delete(save=False)
        reason = error.message if isinstance(error, DomainError) else UNEXPECTED
        ReportRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED,
            message=str(FAILED % {"reason": reason})[:300],
            xlsx="",
            pdf="",
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    run.refresh_from_db()
    return run
