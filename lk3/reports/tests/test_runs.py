"""Template rules, run requests and the background run (called directly, as the task would)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.core.errors import DomainError, StaleEditError
from lk3.reports import runs
from lk3.reports.models import ReportKind, ReportRun, RunStatus
from lk3.reports.tests.official_builders import NOVEMBER, november


def _save(actor, organisation, **changes):
    values = {
        "actor": actor,
        "organisation": organisation,
        "kind": ReportKind.MONTHLY,
        "expected_version": 0,
        "title": "Laporan Bulanan LK3 Kota Bontang",
        "introduction": "Pengantar.",
        "sections": ["summary", "pmks"],
        "closing": "Demikian.",
        "signatories": [{"title": "Ketua LK3", "name": "Dra. Hj. Rahmawati"}],
    }
    values.update(changes)
    return runs.template_save(**values)


def test_the_default_template_until_one_is_saved(budi, lk3_bontang):
    default = runs.template_for(lk3_bontang, ReportKind.MONTHLY)
    assert default.pk is None
    assert default.version == 0
    assert default.sections[0] == "summary"
    saved = _save(budi, lk3_bontang)
    assert runs.template_for(lk3_bontang, ReportKind.MONTHLY).pk == saved.pk
    assert saved.version == 1
    assert AuditEvent.objects.filter(action=actions.REPORT_TEMPLATE_CHANGED).count() == 1


def test_template_refuses_unknown_section_and_none(budi, lk3_bontang):
    with pytest.raises(DomainError) as unknown:
        _save(budi, lk3_bontang, sections=["summary", "gossip"])
    assert unknown.value.field == "sections"
    with pytest.raises(DomainError) as empty:
        _save(budi, lk3_bontang, sections=[])
    assert empty.value.field == "sections"
    assert not AuditEvent.objects.filter(action=actions.REPORT_TEMPLATE_CHANGED).exists()


def test_template_refuses_a_stale_edit(budi, lk3_bontang):
    _save(budi, lk3_bontang)
    _save(budi, lk3_bontang, expected_version=1, title="Judul baru")
    with pytest.raises(StaleEditError):
        _save(budi, lk3_bontang, expected_version=1, title="Judul lama diedit")
    assert runs.template_for(lk3_bontang, ReportKind.MONTHLY).title == "Judul baru"


def test_saving_the_same_again_is_harmless(budi, lk3_bontang):
    _save(budi, lk3_bontang)
    again = _save(budi, lk3_bontang, expected_version=0)
    assert again.version == 1
    assert AuditEvent.objects.filter(action=actions.REPORT_TEMPLATE_CHANGED).count() == 1


def test_only_the_coordinator_edits_the_template(pak_hendra, sari, lk3_bontang, budi):
    for actor in (pak_hendra, sari):
        with pytest.raises(PermissionDenied):
            _save(actor, lk3_bontang)


def test_too_many_signatories_are_refused(budi, lk3_bontang):
    with pytest.raises(DomainError) as refused:
        _save(budi, lk3_bontang, signatories=[{"title": f"T{n}", "name": ""} for n in range(4)])
    assert refused.value.field == "signatories"


def _request(actor, **changes):
    values = {
        "actor": actor,
        "kind": ReportKind.MONTHLY,
        "date_from": NOVEMBER[0],
        "date_to": NOVEMBER[1],
        "filters": {},
    }
    values.update(changes)
    return runs.run_request(**values)


def test_run_request_creates_a_queued_run_audited(
    budi, lk3_bontang, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        run = _request(budi)
    assert run.status == RunStatus.QUEUED
    assert run.organisation_ids == [lk3_bontang.pk]
    assert run.counts_only is False
    assert len(callbacks) == 1
    assert AuditEvent.objects.filter(action=actions.REPORT_RUN_REQUESTED).count() == 1
    # a double submit gives the same run back
    assert _request(budi).pk == run.pk
    assert ReportRun.objects.count() == 1


def test_run_request_of_a_supervisor_is_counts_only(pak_hendra, lk3_bontang, dinsos_bontang):
    run = _request(pak_hendra)
    assert run.counts_only is True
    assert set(run.organisation_ids) == {lk3_bontang.pk, dinsos_bontang.pk}


def test_run_request_refusals(budi, lk3_samarinda, sari):
    with pytest.raises(DomainError) as dates:
        _request(budi, date_from=NOVEMBER[1], date_to=NOVEMBER[0])
    assert dates.value.field == "date_to"
    with pytest.raises(DomainError) as codes:
        _request(budi, filters={"pmks": ["bukan-pmks"]})
    assert codes.value.field == "pmks"
    with pytest.raises(DomainError) as reach:
        _request(budi, organisation_ids=[lk3_samarinda.pk])
    assert reach.value.field == "organisations"
    with pytest.raises(PermissionDenied):
        _request(sari)
    assert not ReportRun.objects.exists()


def test_run_execute_stores_both_files_and_ends_done(budi, sari, lk3_bontang):
    november(budi)
    run = _request(budi)
    seen = []
    # when
    done = runs.run_execute(run.pk)
    seen.append(done.status)
    # then
    assert done.status == RunStatus.DONE
    assert done.progress == 100
    assert done.finished_at is not None
    assert done.xlsx.name.endswith(".xlsx")
    assert done.pdf.name.endswith(".pdf")
    assert "laporan-bulanan-lk3-bontang-2026-11" in done.pdf.name
    with done.pdf.open("rb") as stream:
        assert stream.read(5) == b"%PDF-"
    # running it again leaves it alone
    assert runs.run_execute(run.pk).pdf.name == done.pdf.name


def test_progress_is_saved_after_each_section(budi, lk3_bontang):
    run = _request(budi)
    values = []

    def spy(done, total):
        runs._progress(run.pk, runs.SECTIONS_SHARE * done // total)
        values.append(ReportRun.objects.get(pk=run.pk).progress)

    runs.build_document(run, progress=spy)
    assert values == sorted(values)
    assert values[-1] == runs.SECTIONS_SHARE
    assert len(values) == len(runs.template_for(lk3_bontang, run.kind).sections)


def test_a_run_that_fails_ends_failed_with_a_message_and_no_files(budi, lk3_bontang):
    # given: the run's filter names a code retired since it was asked for
    run = _request(budi)
    ReportRun.objects.filter(pk=run.pk).update(filters={"pmks": ["kode-dihapus"]})
    # when
    failed = runs.run_execute(run.pk)
    # then
    assert failed.status == RunStatus.FAILED
    assert "kode-dihapus" in failed.message
    assert not failed.xlsx
    assert not failed.pdf
    assert failed.finished_at is not None


def test_file_stem_of_an_annual_and_a_custom_period(budi):
    annual = _request(
        budi,
        kind=ReportKind.ANNUAL,
        date_from=datetime.date(2026, 1, 1),
        date_to=datetime.date(2026, 12, 31),
    )
    assert runs.file_stem(annual) == "laporan-tahunan-lk3-bontang-2026"
    custom = _request(budi, date_from=datetime.date(2026, 7, 1), date_to=datetime.date(2026, 9, 15))
    assert runs.file_stem(custom).endswith("2026-07-01_2026-09-15")
