"""Pages of the return plan and the documents: edit, submit, review, approve, issue, download."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from lk3.audit import actions
from lk3.audit.models import AccessEvent, AuditEvent
from lk3.repatriation.models import DocumentKind, PlanStatus, ReturnPlan
from lk3.repatriation.plan_selectors import plan_card
from lk3.repatriation.tests.plan_builders import (
    approved_plan,
    issue,
    plan_values,
    ready_group,
    save_plan,
    submitted_plan,
)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(name: str, group) -> str:
    return reverse(f"repatriation:{name}", kwargs={"public_id": group.public_id})


def _form(**overrides) -> dict[str, str]:
    values = plan_values()
    data = {
        name: "" if value is None else str(value)
        for name, value in values.items()
        if name not in ("receiving_organisation", "via_relay")
    }
    data.update(overrides)
    return data


def test_the_plan_page_saves_and_shows_the_costs(client, budi, sari):
    group = ready_group(budi)
    client.force_login(sari)

    response = client.post(
        _url("plan_edit", group), _form(ticket_cost="Rp 900.000", use_relay="on")
    )

    assert response.status_code == 302
    plan = ReturnPlan.objects.get(group=group)
    assert plan.ticket_cost == Decimal(900_000)
    assert plan.via_relay == "Dinas Sosial Provinsi Kalimantan Timur"
    page = client.get(_url("plan_edit", group))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="plan-total">Rp 1.200.000' in html
    assert 'data-testid="plan-ceiling">Rp 450.000' in html


def test_a_bad_cost_is_shown_on_its_field(client, budi, sari):
    group = ready_group(budi)
    client.force_login(sari)

    response = client.post(_url("plan_edit", group), _form(pocket_money="-5"))

    assert response.status_code == 200
    assert "pocket_money" in response.context["form"].errors
    assert not ReturnPlan.objects.exists()


def test_the_receiving_organisation_list_holds_other_social_offices_only(
    client, budi, sari, dinsos_garut, dinsos_bontang, lk3_samarinda
):
    client.force_login(sari)

    response = client.get(_url("plan_edit", ready_group(budi)))

    choices = list(response.context["form"].fields["receiving_organisation"].queryset)
    assert dinsos_garut in choices
    assert dinsos_bontang in choices
    assert lk3_samarinda not in choices


def test_a_stale_plan_edit_shows_what_changed(client, budi, sari):
    group = ready_group(budi)
    plan = save_plan(sari, group)
    save_plan(budi, group, expected_version=plan.version, escort="Pak Yusuf")
    client.force_login(sari)

    response = client.post(
        _url("plan_edit", group), _form(version=str(plan.version), pocket_money="300000")
    )

    assert response.status_code == 409
    assert response.context["stale"] is not None
    plan.refresh_from_db()
    assert plan.pocket_money == Decimal(150_000)


def test_editing_an_approved_plan_warns_that_approval_is_needed_again(english, budi, sari):
    plan = approved_plan(budi, ready_group(budi))
    english.force_login(sari)

    response = english.post(
        _url("plan_edit", plan.group),
        _form(version=str(plan.version), escort="Pak Yusuf"),
        follow=True,
    )

    assert "needs the coordinator&#x27;s approval again" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_submitting_over_the_ceiling_without_a_reason_shows_the_field(english, budi, sari):
    plan = save_plan(sari, ready_group(budi), other_cost=Decimal(600_000))
    english.force_login(sari)

    response = english.post(_url("plan_submit", plan.group), {"version": plan.version})

    assert response.status_code == 200
    assert "over_ceiling_reason" in response.context["submit_form"].errors
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_submitting_with_a_reason_sends_it_for_approval(client, budi, sari):
    plan = save_plan(sari, ready_group(budi), other_cost=Decimal(600_000))
    client.force_login(sari)

    response = client.post(
        _url("plan_submit", plan.group),
        {"version": plan.version, "over_ceiling_reason": "Harga tiket kapal naik."},
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_the_coordinator_reviews_and_approves_with_the_tick(client, budi, sari):
    plan = submitted_plan(
        sari, ready_group(budi), other_cost=Decimal(600_000), over_ceiling_reason="Kapal."
    )
    client.force_login(budi)
    review = client.get(_url("plan_review", plan.group))
    assert review.status_code == 200
    assert 'data-testid="over-ceiling"' in review.content.decode()

    refused = client.post(_url("plan_approve", plan.group), {"version": plan.version})
    assert refused.status_code == 200
    assert "accept_over_ceiling" in refused.context["approve_form"].errors

    approved = client.post(
        _url("plan_approve", plan.group),
        {"version": plan.version, "accept_over_ceiling": "on", "note": "Disetujui."},
    )
    assert approved.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


@pytest.mark.parametrize("name", ["plan_review", "plan_approve", "plan_send_back"])
def test_only_the_coordinator_answers_a_plan(client, budi, sari, name):
    plan = submitted_plan(sari, ready_group(budi))
    client.force_login(sari)
    before = AuditEvent.objects.count()

    send = client.get if name == "plan_review" else client.post
    response = send(_url(name, plan.group), {"version": plan.version, "note": "x"})

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert AuditEvent.objects.count() == before


def test_sending_back_without_a_note_shows_the_field(client, budi, sari):
    plan = submitted_plan(sari, ready_group(budi))
    client.force_login(budi)

    response = client.post(_url("plan_send_back", plan.group), {"version": plan.version})

    assert response.status_code == 200
    assert "note" in response.context["send_back_form"].errors
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_the_plan_card_shows_the_ceiling_badge_and_actions(budi, sari):
    plan = submitted_plan(
        sari, ready_group(budi), other_cost=Decimal(600_000), over_ceiling_reason="Kapal."
    )

    for_lead = plan_card(plan.group, sari)
    for_coordinator = plan_card(plan.group, budi)

    assert for_lead["over_ceiling"] is True
    assert for_lead["can_edit_plan"] is True
    assert for_lead["can_review_plan"] is False
    assert for_coordinator["can_review_plan"] is True
    assert for_lead["can_issue_approved"] is False


# -- documents --


def test_issuing_a_covering_letter_from_the_group_page(client, budi, sari):
    plan = approved_plan(budi, ready_group(budi))
    client.force_login(sari)

    response = client.post(_url("document_issue", plan.group), {"kind": DocumentKind.COVERING})
    client.post(_url("document_issue", plan.group), {"kind": DocumentKind.COVERING})

    assert response.status_code == 302
    assert response["Location"].endswith("#documents")
    document = plan.group.documents.get()
    assert document.letter.signatory_name == "Sari"
    assert AuditEvent.objects.filter(action=actions.REPATRIATION_DOCUMENT_ISSUED).count() == 1


def test_issuing_before_approval_is_refused_with_a_message(english, budi, sari):
    plan = submitted_plan(sari, ready_group(budi))
    english.force_login(sari)

    response = english.post(
        _url("document_issue", plan.group), {"kind": DocumentKind.HANDOVER}, follow=True
    )

    assert "once the coordinator has approved the return plan" in response.content.decode()
    assert not plan.group.documents.exists()


def test_downloading_a_document_streams_the_pdf_privately(client, budi, sari):
    plan = approved_plan(budi, ready_group(budi))
    document = issue(sari, plan.group, DocumentKind.COVERING)
    client.force_login(sari)

    response = client.get(
        reverse("repatriation:document_download", kwargs={"public_id": document.letter.public_id})
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AccessEvent.objects.filter(purpose="repatriation_document").count() == 1


def test_another_organisations_document_is_not_found(client, budi, rudi):
    plan = approved_plan(budi, ready_group(budi))
    document = issue(budi, plan.group, DocumentKind.COVERING)
    client.force_login(rudi)

    response = client.get(
        reverse("repatriation:document_download", kwargs={"public_id": document.letter.public_id})
    )

    assert response.status_code == 404
    assert not AccessEvent.objects.filter(purpose="repatriation_document").exists()


def test_the_group_page_shows_the_plan_and_documents_cards(client, budi, sari):
    plan = approved_plan(
        budi, ready_group(budi), other_cost=Decimal(600_000), over_ceiling_reason="Kapal."
    )
    document = issue(sari, plan.group, DocumentKind.COVERING)
    client.force_login(sari)

    response = client.get(_url("group_detail", plan.group))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="plan-card"' in html
    assert 'data-testid="over-ceiling"' in html
    assert document.letter.number in html
    assert 'data-testid="issue-covering"' in html
    assert 'data-testid="issue-statement"' in html
