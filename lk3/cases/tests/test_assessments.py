"""Assessments: recording, checking, scoring, correcting, who may, and the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lk3.audit import actions
from lk3.audit.models import AccessEvent, AuditEvent
from lk3.cases import assessments, services
from lk3.cases.models import Assessment, ClosureOutcome, ClosureReason
from lk3.cases.tests.assessment_builders import (
    FAMILY,
    RISK,
    family_answers,
    instrument,
    record_assessment,
    risk_answers,
)
from lk3.cases.tests.builders import open_case, pending_closure
from lk3.core.errors import DomainError, StaleEditError

TODAY = timezone.localdate()


def form_data(answers: dict[str, object], **extra: str) -> dict[str, str]:
    """What the browser sends for these answers."""
    data = {"assessed_on": TODAY.isoformat(), "narrative": ""}
    for code, value in answers.items():
        data[code] = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    data.update(extra)
    return data


def create_url(case, code=FAMILY):
    return reverse("cases:assessment_create", args=[case.public_id, code])


# -- recording ---------------------------------------------------------------------------------


def test_recording_scores_the_answers_with_the_instrument(sari):
    case = open_case(sari)

    assessment = record_assessment(sari, case, answers=family_answers(3, 2))

    assert assessment.score == Decimal("3.00")
    assert assessment.instrument == instrument(FAMILY)
    assert assessment.assessed_by == sari
    assert AuditEvent.objects.filter(
        action=actions.ASSESSMENT_RECORDED, target_id=str(assessment.public_id)
    ).exists()


def test_the_narrative_is_encrypted_and_kept_out_of_the_audit_trail(sari):
    assessment = record_assessment(sari, narrative="Suami mengakui pernah memukul istri.")

    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM cases_assessment WHERE id = %s", [assessment.pk])
        stored = cursor.fetchone()[0]
    event = AuditEvent.objects.get(action=actions.ASSESSMENT_RECORDED)
    assert "memukul" not in stored
    assert (
        Assessment.objects.get(pk=assessment.pk).narrative == "Suami mengakui pernah memukul istri."
    )
    assert event.changes["narrative"] == ["***", "***"]
    assert "memukul" not in str(event.changes)


def test_a_missing_required_answer_is_refused_and_nothing_is_saved(sari):
    case = open_case(sari)
    answers = family_answers(3, 2)
    del answers["fk05"]

    with pytest.raises(ValidationError) as refusal, translation.override("en"):
        assessments.assessment_record(
            actor=sari,
            case=case,
            instrument=instrument(FAMILY),
            assessed_on=TODAY,
            answers=answers,
        )

    assert refusal.value.message_dict == {
        "fk05": ["“Kami saling menerima apa adanya.” needs an answer."]
    }
    assert not Assessment.objects.exists()


def test_an_answer_out_of_range_is_refused(sari):
    with pytest.raises(ValidationError) as refusal:
        record_assessment(sari, answers={**family_answers(3, 2), "fk01": 5})

    assert list(refusal.value.message_dict) == ["fk01"]
    assert not Assessment.objects.exists()


def test_an_assessment_cannot_be_dated_in_the_future(sari):
    with pytest.raises(DomainError) as refusal:
        record_assessment(sari, assessed_on=TODAY + datetime.timedelta(days=1))

    assert (refusal.value.code, refusal.value.field) == ("future", "assessed_on")


def test_a_case_waiting_for_closure_gets_no_new_assessment(budi):
    case = pending_closure(budi).case

    with pytest.raises(DomainError) as refusal:
        record_assessment(budi, case)

    assert refusal.value.code == "not_open"


def test_a_double_submit_records_the_assessment_once(sari):
    case = open_case(sari)

    first = record_assessment(sari, case)
    second = record_assessment(sari, case)

    assert first == second
    assert Assessment.objects.count() == 1


# -- correcting --------------------------------------------------------------------------------


def test_a_correction_rescores_and_records_which_answers_changed(sari):
    assessment = record_assessment(sari, answers=family_answers(3, 2))

    updated = assessments.assessment_update(
        actor=sari,
        assessment=assessment,
        expected_version=assessment.version,
        assessed_on=assessment.assessed_on,
        answers={**family_answers(3, 2), "fk01": 4},
        narrative=assessment.narrative,
    )

    event = AuditEvent.objects.get(action=actions.ASSESSMENT_UPDATED)
    assert updated.version == 2
    assert updated.score == Decimal("3.08")
    assert event.changes == {
        "answers.fk01": ["***", "***"],
        "score": ["3.00", "3.08"],
        "version": [1, 2],
    }


def test_a_stale_correction_is_refused_with_what_changed(sari, budi):
    assessment = record_assessment(sari, answers=family_answers(3, 2))
    assessments.assessment_update(
        actor=budi,
        assessment=assessment,
        expected_version=1,
        assessed_on=assessment.assessed_on,
        answers={**family_answers(3, 2), "fk12": 1},
        narrative="Dicek ulang oleh koordinator.",
    )

    with pytest.raises(StaleEditError) as refusal:
        assessments.assessment_update(
            actor=sari,
            assessment=assessment,
            expected_version=1,
            assessed_on=assessment.assessed_on,
            answers={**family_answers(3, 2), "fk01": 1},
            narrative=assessment.narrative,
        )

    assert refusal.value.current_version == 2
    assert set(refusal.value.changed_fields) == {"answers.fk12", "narrative", "score"}
    assert Assessment.objects.get().answers["fk01"] == 3


def test_a_double_submitted_correction_is_not_stale(sari):
    assessment = record_assessment(sari, answers=family_answers(3, 2))
    change = {
        "actor": sari,
        "assessment": assessment,
        "expected_version": 1,
        "assessed_on": assessment.assessed_on,
        "answers": {**family_answers(3, 2), "fk01": 4},
        "narrative": assessment.narrative,
    }

    assessments.assessment_update(**change)
    again = assessments.assessment_update(**change)

    assert again.version == 2
    assert AuditEvent.objects.filter(action=actions.ASSESSMENT_UPDATED).count() == 1


def test_old_assessments_are_read_with_their_own_version(sari, budi):
    old = record_assessment(sari, answers=family_answers(3, 2))
    first = instrument(FAMILY)
    schema = {**first.schema, "scoring": {**first.schema["scoring"], "method": "sum"}}
    schema["scoring"]["bands"] = [{"min": 12, "label": "Dijumlah"}]
    assessments.instrument_publish(
        actor=budi, code=FAMILY, kind=first.kind, name=first.name, schema=schema
    )

    updated = assessments.assessment_update(
        actor=sari,
        assessment=old,
        expected_version=1,
        assessed_on=old.assessed_on,
        answers=family_answers(4, 1),
        narrative="",
    )

    assert updated.instrument_id == first.pk
    assert updated.score == Decimal("4.00")  # still the mean of version 1


# -- pages -------------------------------------------------------------------------------------


def test_the_form_is_built_from_the_schema_with_radio_buttons(client, sari):
    case = open_case(sari)
    client.force_login(sari)

    page = client.get(create_url(case)).content.decode()

    assert page.count('type="radio"') == 12 * 4
    assert "Sangat tidak sesuai" in page
    assert "Suasana di rumah sering tegang dan tidak nyaman." in page
    assert 'name="instrument_version" value="1"' in page


def test_filling_in_the_form_records_the_assessment(client, sari):
    case = open_case(sari)
    client.force_login(sari)

    response = client.post(create_url(case), form_data(family_answers(4, 1), narrative="Membaik."))

    assessment = Assessment.objects.get()
    assert response["Location"] == reverse(
        "cases:assessment_detail", args=[case.public_id, assessment.public_id]
    )
    assert assessment.score == Decimal("4.00")
    assert assessment.answers["fk02"] == 1
    assert assessment.narrative == "Membaik."


def test_yes_no_numbers_and_choices_come_through_typed(client, sari):
    case = open_case(sari)
    client.force_login(sari)
    answers = {
        "keluhan_utama": "Suami sering marah.",
        "kebutuhan_utama": "konseling",
        "kedaruratan": "segera",
        **dict.fromkeys(("ancaman_kekerasan", "anak_terancam", "menyakiti_diri"), False),
        "tempat_aman": True,
        "butuh_medis": False,
    }

    client.post(create_url(case, "asesmen-awal"), form_data(answers))

    assessment = Assessment.objects.get()
    assert assessment.answers["tempat_aman"] is True
    assert assessment.answers["kedaruratan"] == "segera"
    assert assessment.score == Decimal("2.00")


def test_a_number_may_be_written_with_thousands_dots(client, sari):
    case = open_case(sari)
    client.force_login(sari)
    answers = {
        "riwayat_keluarga": "Menikah 2010, dua anak.",
        "kebutuhan_dasar": 3,
        "kesehatan_fisik": 1,
        "kesehatan_jiwa": 2,
        "kekuatan_keluarga": "Nenek tinggal dekat dan membantu.",
    }

    client.post(create_url(case, "asesmen-mendalam"), form_data(answers, penghasilan="1.500.000"))

    assessment = Assessment.objects.get()
    assert assessment.answers["penghasilan"] == 1500000
    assert assessment.score == Decimal("2.00")


def test_the_form_names_each_unanswered_question(client, sari):
    case = open_case(sari)
    client.force_login(sari)
    answers = family_answers(3, 2)
    del answers["fk03"]

    response = client.post(create_url(case), form_data(answers))

    assert response.status_code == 200
    assert "“Saat ada masalah, kami mencari jalan keluarnya bersama-sama.” wajib dijawab." in (
        response.content.decode()
    )
    assert not Assessment.objects.exists()


def test_the_detail_shows_answers_score_and_band_to_the_team_and_logs_it(client, sari):
    assessment = record_assessment(sari, answers=family_answers(2, 3))
    client.force_login(sari)

    response = client.get(
        reverse("cases:assessment_detail", args=[assessment.case.public_id, assessment.public_id])
    )

    page = response.content.decode()
    assert "Fungsi keluarga perlu diperbaiki" in page  # every item 2 after reverse scoring
    assert "2 — Tidak sesuai" in page
    assert "Keluarga mulai terbuka membicarakan masalah." in page
    assert AccessEvent.objects.filter(
        actor=sari, purpose="assessment", target_id=str(assessment.public_id)
    ).exists()


def test_an_intake_officer_sees_the_score_but_not_the_answers(client, sari, intan):
    assessment = record_assessment(sari)
    client.force_login(intan)

    response = client.get(
        reverse("cases:assessment_detail", args=[assessment.case.public_id, assessment.public_id])
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Keluarga mulai terbuka" not in page
    assert 'data-question="fk01"' not in page
    assert not AccessEvent.objects.filter(actor=intan, purpose="assessment").exists()


def test_a_stale_correction_shows_what_the_other_person_changed(client, sari, budi):
    assessment = record_assessment(sari, answers=family_answers(3, 2))
    assessments.assessment_update(
        actor=budi,
        assessment=assessment,
        expected_version=1,
        assessed_on=assessment.assessed_on,
        answers={**family_answers(3, 2), "fk12": 1},
        narrative=assessment.narrative,
    )
    client.force_login(sari)
    url = reverse("cases:assessment_edit", args=[assessment.case.public_id, assessment.public_id])

    response = client.post(url, form_data({**family_answers(3, 2), "fk01": 1}, version="1"))

    page = response.content.decode()
    assert response.status_code == 409
    assert "Suasana di rumah sering tegang dan tidak nyaman." in page
    assert "1 — Sangat tidak sesuai" in page
    assert 'name="version" value="2"' in page
    assert Assessment.objects.get().answers["fk01"] == 3


def test_a_counsellor_off_the_case_does_not_see_it(client, sari, dewi):
    case = open_case(sari)
    client.force_login(dewi)

    response = client.post(create_url(case), form_data(family_answers(3, 2)))

    assert response.status_code == 404
    assert not Assessment.objects.exists()


def test_an_intake_officer_may_not_record_an_assessment(client, sari, intan):
    case = open_case(sari)
    client.force_login(intan)

    response = client.post(create_url(case), form_data(family_answers(3, 2)))

    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_an_intake_officer_may_not_correct_one(client, sari, intan):
    assessment = record_assessment(sari)
    client.force_login(intan)
    url = reverse("cases:assessment_edit", args=[assessment.case.public_id, assessment.public_id])

    response = client.post(url, form_data(family_answers(4, 1), version="1"))

    assert response.status_code == 403
    assert Assessment.objects.get().version == 1


def test_an_unknown_instrument_is_not_found(client, sari):
    case = open_case(sari)
    client.force_login(sari)

    assert client.get(create_url(case, "tidak-ada")).status_code == 404


# -- progress over time ------------------------------------------------------------------------


def test_the_progress_chart_draws_every_score_by_date(client, sari):
    case = open_case(sari)
    days = [TODAY - datetime.timedelta(days=days) for days in (60, 30, 0)]
    for day, (positive, negative) in zip(days, [(2, 3), (3, 2), (4, 1)], strict=True):
        record_assessment(sari, case, answers=family_answers(positive, negative), assessed_on=day)
    record_assessment(sari, case, code=RISK, answers=risk_answers(r_kekerasan=True))
    client.force_login(sari)

    page = client.get(reverse("cases:assessment_progress", args=[case.public_id])).content.decode()

    chart = page[page.index('data-instrument="fungsi-keluarga"') :]
    chart = chart[: chart.index("</svg>")]
    assert chart.count("<circle") == 3
    assert "<polyline" in chart
    assert [label in chart for label in (">2</text>", ">3</text>", ">4</text>")] == [True] * 3
    description = chart[chart.index("<desc") : chart.index("</desc>")]
    assert "Fungsi keluarga baik" in description
    assert str(days[0].year) in description
    assert 'data-instrument="faktor-risiko"' in page


def test_the_case_page_panel_lists_assessments_with_score_band_and_chart(client, sari):
    case = open_case(sari)
    record_assessment(sari, case, answers=family_answers(2, 3), assessed_on=TODAY.replace(day=1))
    record_assessment(sari, case, answers=family_answers(4, 1))
    client.force_login(sari)

    page = client.get(reverse("cases:case_detail", args=[case.public_id])).content.decode()

    panel = page[page.index('id="panel-assessments"') :]
    panel = panel[: panel.index("</section>")]
    assert panel.count('data-testid="assessment-row"') == 2
    assert "Fungsi keluarga baik" in panel
    assert 'data-instrument="fungsi-keluarga"' in panel
    assert reverse("cases:assessment_create", args=[case.public_id, RISK]) in panel


def test_the_panel_offers_no_new_assessment_to_who_cannot_work_on_the_case(client, sari, intan):
    case = open_case(sari)
    client.force_login(intan)

    page = client.get(reverse("cases:case_detail", args=[case.public_id])).content.decode()

    assert reverse("cases:assessment_create", args=[case.public_id, FAMILY]) not in page


def test_a_case_waiting_for_closure_keeps_its_assessments_as_they_are(sari):
    case = open_case(sari)
    assessment = record_assessment(sari, case)
    case.refresh_from_db()
    services.case_closure_request(
        actor=sari,
        case=case,
        reason=ClosureReason.CLIENT_WITHDREW,
        outcome=ClosureOutcome.UNKNOWN,
        summary="Klien pindah ke Samarinda.",
        expected_version=case.version,
    )

    with pytest.raises(DomainError) as refusal:
        assessments.assessment_update(
            actor=sari,
            assessment=assessment,
            expected_version=1,
            assessed_on=assessment.assessed_on,
            answers=family_answers(4, 1),
            narrative="",
        )

    assert refusal.value.code == "not_open"
    assert Assessment.objects.get().version == 1


def test_the_progress_page_does_not_query_more_for_more_assessments(client, sari):
    case = open_case(sari)
    record_assessment(sari, case, assessed_on=TODAY - datetime.timedelta(days=40))
    url = reverse("cases:assessment_progress", args=[case.public_id])
    client.force_login(sari)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for days, positive in ((30, 3), (20, 4)):
        record_assessment(
            sari,
            case,
            answers=family_answers(positive, 1),
            assessed_on=TODAY - datetime.timedelta(days=days),
        )
    record_assessment(sari, case, code=RISK, answers=risk_answers())

    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many.captured_queries) == len(few.captured_queries)
