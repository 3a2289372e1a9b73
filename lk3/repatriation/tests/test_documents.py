"""The letters of a return: covering letter, statement, handover record."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.core.errors import DomainError
from lk3.referrals.models import Letter, LetterKind
from lk3.referrals.tests.letter_builders import pdf_text, stored_pdf
from lk3.repatriation import plans
from lk3.repatriation.models import DocumentKind, RepatriationDocument, StrandedPerson
from lk3.repatriation.tests.builders import NIK_ASEP
from lk3.repatriation.tests.plan_builders import (
    GARUT_AGENCY,
    approved_plan,
    issue,
    ready_group,
    save_plan,
    submitted_plan,
)


@pytest.mark.parametrize("kind", [DocumentKind.COVERING, DocumentKind.HANDOVER])
def test_covering_letter_and_handover_record_need_an_approved_plan(budi, sari, kind):
    plan = submitted_plan(sari, ready_group(budi))

    with pytest.raises(DomainError) as refused:
        issue(sari, plan.group, kind)

    assert refused.value.code == "plan_not_approved"
    assert not Letter.objects.exists()
    assert not RepatriationDocument.objects.exists()


def test_the_covering_letter_lists_the_travellers_for_the_receiving_agency(budi, sari):
    plan = approved_plan(
        budi, ready_group(budi), via_relay="Dinas Sosial Provinsi Kalimantan Timur"
    )

    document = issue(sari, plan.group, DocumentKind.COVERING, dated=datetime.date(2026, 12, 1))

    letter = document.letter
    assert letter.kind == LetterKind.COVERING
    text = pdf_text(stored_pdf(letter))
    assert letter.number in text
    assert "1 Desember 2026" in text
    for name in ("Asep Saepudin", "Eneng Nurhayati", "Dede Saepudin"):
        assert name in text
    assert NIK_ASEP in text
    assert GARUT_AGENCY in text
    assert "Dinas Sosial Provinsi Kalimantan Timur" in text
    assert "Bontang - Balikpapan" in text
    event = AuditEvent.objects.get(action=actions.REPATRIATION_DOCUMENT_ISSUED)
    assert event.changes["kind"] == [None, "covering"]
    assert event.changes["letter"] == [None, letter.number]


def test_the_handover_record_names_both_parties(budi, sari):
    plan = approved_plan(budi, ready_group(budi))

    document = issue(sari, plan.group, DocumentKind.HANDOVER)

    text = pdf_text(stored_pdf(document.letter))
    assert document.letter.number in text
    assert "LK3 Kota Bontang" in text
    assert GARUT_AGENCY in text
    assert "Budi Santoso, S.Sos." in text
    assert "Dede Saepudin" in text


def test_a_statement_is_one_travellers(budi, sari):
    group = ready_group(budi)
    save_plan(sari, group)
    asep = StrandedPerson.objects.get(group=group, person__full_name="Asep Saepudin")

    document = issue(sari, group, DocumentKind.STATEMENT, member=asep)

    assert document.member == asep
    text = pdf_text(stored_pdf(document.letter))
    assert "Asep Saepudin" in text
    assert NIK_ASEP in text
    assert "Terminal Bus Bontang" in text
    assert "28 November 2026" in text  # found on
    assert "Eneng Nurhayati" not in text


def test_a_statement_needs_a_traveller_of_the_group(budi, sari):
    group = ready_group(budi)
    save_plan(sari, group)
    dede = StrandedPerson.objects.get(group=group, person__full_name="Dede Saepudin")
    StrandedPerson.objects.filter(pk=dede.pk).update(decision="other")
    dede.refresh_from_db()

    with pytest.raises(DomainError) as without:
        issue(sari, group, DocumentKind.STATEMENT)
    with pytest.raises(DomainError) as not_travelling:
        issue(sari, group, DocumentKind.STATEMENT, member=dede)

    assert without.value.field == "member"
    assert not_travelling.value.code == "not_a_traveller"
    assert not Letter.objects.exists()


def test_issuing_the_same_document_twice_returns_the_first(budi, sari):
    plan = approved_plan(budi, ready_group(budi))
    first = issue(sari, plan.group, DocumentKind.COVERING)

    again = issue(sari, plan.group, DocumentKind.COVERING)

    assert again.pk == first.pk
    assert Letter.objects.count() == 1
    assert AuditEvent.objects.filter(action=actions.REPATRIATION_DOCUMENT_ISSUED).count() == 1


def test_after_a_plan_change_a_new_letter_is_issued(budi, sari):
    plan = approved_plan(budi, ready_group(budi))
    first = issue(sari, plan.group, DocumentKind.COVERING)
    changed = save_plan(
        sari, plan.group, expected_version=plan.version, pocket_money=Decimal(200_000)
    )
    submitted = plans.plan_submit(actor=sari, plan=changed, expected_version=changed.version)
    plans.plan_approve(actor=budi, plan=submitted, expected_version=submitted.version)

    second = issue(sari, plan.group, DocumentKind.COVERING)

    assert second.pk != first.pk
    assert second.letter.sequence == first.letter.sequence + 1
