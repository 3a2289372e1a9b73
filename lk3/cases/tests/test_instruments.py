"""Instruments as data: schema checks, answer checks, scoring, bands, versions, the loader."""

from __future__ import annotations

import copy
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.cases import assessments, instruments
from lk3.cases.models import Assessment, Instrument, InstrumentKind
from lk3.cases.tests.assessment_builders import (
    FAMILY,
    IN_DEPTH,
    INITIAL,
    RISK,
    family_answers,
    instrument,
    record_assessment,
    risk_answers,
)
from lk3.core.errors import DomainError


def small_schema(**scoring: Any) -> Any:
    """Two 1-4 items (the second reversed, weight 2), a yes/no and a text."""
    return {
        "schema_version": 1,
        "sections": [
            {
                "code": "utama",
                "title": "Bagian utama",
                "questions": [
                    {
                        "code": "a",
                        "type": "scale",
                        "min": 1,
                        "max": 4,
                        "required": True,
                        "label": "Kami saling mendengarkan",
                        "anchors": {"1": "Tidak pernah", "4": "Selalu"},
                    },
                    {
                        "code": "b",
                        "type": "scale",
                        "min": 1,
                        "max": 4,
                        "reverse": True,
                        "weight": 2,
                        "label": "Rumah terasa tegang",
                    },
                    {"code": "c", "type": "yes_no", "label": "Ada dukungan kerabat"},
                    {"code": "d", "type": "text", "label": "Catatan"},
                    {
                        "code": "e",
                        "type": "number",
                        "min": 0,
                        "max": 30,
                        "label": "Jumlah tanggungan",
                    },
                ],
            }
        ],
        "scoring": {
            "method": "sum",
            "higher_is": "better",
            "bands": [
                {"min": 0, "label": "Rendah", "tone": "error"},
                {"min": 8, "label": "Sedang", "tone": "warning"},
                {"min": 11, "label": "Tinggi", "tone": "ok"},
            ],
            **scoring,
        },
    }


def band_label(schema: Any, score: Decimal | None) -> str:
    band = instruments.band_for(schema, score)
    assert band is not None
    return band.label


def broken(change) -> list[str]:
    schema = small_schema()
    change(schema)
    return instruments.schema_check(schema)


def question(schema: dict[str, Any], index: int) -> dict[str, Any]:
    return schema["sections"][0]["questions"][index]


# -- schema checks ---------------------------------------------------------------------------


def test_a_well_formed_schema_has_no_problem():
    assert instruments.schema_check(small_schema()) == []


@pytest.mark.parametrize(
    "document",
    ["asesmen-awal-v1", "asesmen-mendalam-v1", "faktor-risiko-v1", "fungsi-keluarga-v1"],
)
def test_the_default_instruments_pass_the_check(document):
    data = json.loads((assessments.DATA_DIR / f"{document}.json").read_text("utf-8"))

    assert instruments.schema_check(data["schema"]) == []
    assert data["kind"] in InstrumentKind.values


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda s: s.pop("sections"), "sections: must be a non-empty list"),
        (lambda s: s.update(schema_version=2), "schema_version: must be 1"),
        (
            lambda s: question(s, 1).update(reversed=True),
            "sections[0].questions[1].reversed: unknown key",
        ),
        (
            lambda s: question(s, 0).update(max=1),
            "sections[0].questions[0].max: must be greater than min",
        ),
        (
            lambda s: question(s, 0).update(anchors={"9": "Lebih"}),
            "sections[0].questions[0].anchors.9: must be a point of the scale",
        ),
        (
            lambda s: question(s, 2).update(code="a"),
            "sections[0].questions[2].code: is used twice",
        ),
        (
            lambda s: question(s, 2).update(code="narrative"),
            "sections[0].questions[2].code: is reserved for the form",
        ),
        (
            lambda s: question(s, 2).update(code="Ada Spasi"),
            "sections[0].questions[2].code: must be lowercase letters, digits and _ "
            "(starting with a letter)",
        ),
        (
            lambda s: question(s, 0).update(type="slider"),
            "sections[0].questions[0].type: must be one of scale, yes_no, choice, number, text",
        ),
        (lambda s: question(s, 3).update(weight=2), "sections[0].questions[3].weight: unknown key"),
        (
            lambda s: question(s, 0).update(weight=0),
            "sections[0].questions[0].weight: must not be 0 (mark the question scored: false)",
        ),
        (
            lambda s: question(s, 0).update(label=""),
            "sections[0].questions[0].label: must be a non-empty text",
        ),
        (
            lambda s: s["scoring"].update(method="median"),
            "scoring.method: must be one of sum, mean, none",
        ),
        (lambda s: s["scoring"].pop("higher_is"), "scoring.higher_is: must be better or worse"),
        (
            lambda s: s["scoring"]["bands"][2].update(min=8),
            "scoring.bands[2].min: must be greater than the previous band's",
        ),
        (
            lambda s: s["scoring"]["bands"][0].update(min=4),
            "scoring.bands[0].min: must be at most the lowest possible score (3)",
        ),
        (
            lambda s: question(s, 2).update(subscale="dukungan"),
            "sections[0].questions[2].subscale: is not one of scoring.subscales",
        ),
        (
            lambda s: question(s, 4).update(scored=True, max=None) or question(s, 4).pop("max"),
            "sections[0].questions[4].scored: a scored number needs min and max",
        ),
    ],
)
def test_a_bad_schema_is_refused_with_where_and_why(change, problem):
    assert problem in broken(change)


def test_a_choice_is_scored_by_every_option_or_by_none():
    schema = small_schema()
    question(schema, 2).update(
        type="choice",
        options=[{"value": "ya", "label": "Ya", "score": 1}, {"value": "tidak", "label": "Tidak"}],
    )

    problems = instruments.schema_check(schema)

    assert (
        "sections[0].questions[2].options: either every option has a score or none has" in problems
    )


def test_a_mean_takes_no_negative_weight():
    schema = small_schema(method="mean")
    schema["scoring"]["bands"] = []
    question(schema, 1)["weight"] = -1

    problems = instruments.schema_check(schema)

    assert "sections[0].questions[1].weight: must be positive when the score is a mean" in problems


def test_a_score_needs_a_scored_question():
    schema = small_schema()
    schema["sections"][0]["questions"] = [question(schema, 3)]

    assert "scoring.method: no question is scored" in instruments.schema_check(schema)


def test_something_that_is_not_a_schema_is_refused():
    assert instruments.schema_check(["sections"]) == ["schema: must be an object"]


# -- answers ---------------------------------------------------------------------------------


def test_answers_that_fit_have_no_problem():
    schema = small_schema()

    assert instruments.answers_check(schema, {"a": 3, "b": 2, "c": True, "d": "baik"}) == {}


def test_a_missing_required_answer_names_the_question():
    with translation.override("en"):
        problems = instruments.answers_check(small_schema(), {"b": 2})

    assert problems == {"a": "“Kami saling mendengarkan” needs an answer."}


def test_a_missing_required_answer_in_indonesian():
    with translation.override("id"):
        problems = instruments.answers_check(small_schema(), {"a": ""})

    assert problems == {"a": "“Kami saling mendengarkan” wajib dijawab."}


@pytest.mark.parametrize(
    ("answers", "code", "message"),
    [
        ({"a": 5}, "a", "“Kami saling mendengarkan”: choose a value from 1 to 4."),
        ({"a": 0}, "a", "“Kami saling mendengarkan”: choose a value from 1 to 4."),
        ({"a": 2.5}, "a", "“Kami saling mendengarkan”: choose a value from 1 to 4."),
        ({"a": True}, "a", "“Kami saling mendengarkan”: choose a value from 1 to 4."),
        ({"a": 1, "c": "ya"}, "c", "“Ada dukungan kerabat”: answer yes or no."),
        ({"a": 1, "e": 31}, "e", "“Jumlah tanggungan”: enter at most 30."),
        ({"a": 1, "e": -1}, "e", "“Jumlah tanggungan”: enter at least 0."),
        ({"a": 1, "e": "dua"}, "e", "“Jumlah tanggungan”: enter a number."),
        ({"a": 1, "e": 2.5}, "e", "“Jumlah tanggungan”: enter a whole number."),
        ({"a": 1, "d": "x" * 5001}, "d", "“Catatan”: write at most 5000 characters."),
        ({"a": 1, "z": 1}, "z", "“z” is not a question of this instrument."),
    ],
)
def test_an_answer_out_of_range_is_refused_naming_the_question(answers, code, message):
    with translation.override("en"):
        problems = instruments.answers_check(small_schema(), answers)

    assert problems == {code: message}


def test_a_choice_outside_the_options_is_refused(db):
    schema = instrument(INITIAL).schema

    with translation.override("en"):
        problems = instruments.answers_check(schema, {"kebutuhan_utama": "rumah"})

    assert problems["kebutuhan_utama"] == (
        "“Kebutuhan yang paling mendesak menurut klien”: choose one of the options."
    )


def test_stored_answers_leave_out_blanks_and_trim_text():
    clean = instruments.answers_clean(small_schema(), {"a": 3, "b": None, "d": "  baik  "})

    assert clean == {"a": 3, "d": "baik"}


# -- scoring ---------------------------------------------------------------------------------


def test_a_sum_counts_reverse_items_from_the_other_end_and_weights_them():
    # a=3; b=1 reversed is 4, weight 2 -> 8; yes/no counts 1.
    score = instruments.score(small_schema(), {"a": 3, "b": 1, "c": True})

    assert score == Decimal("12.00")


def test_unanswered_optional_items_are_left_out_of_the_sum():
    assert instruments.score(small_schema(), {"a": 2}) == Decimal("2.00")


def test_a_mean_is_weighted_and_rounded_to_two_places():
    schema = small_schema(method="mean")
    schema["scoring"]["bands"] = []

    # (3*1 + 4*2 + 1*1) / (1 + 2 + 1) = 12 / 4
    assert instruments.score(schema, {"a": 3, "b": 1, "c": True}) == Decimal("3.00")
    # (2*1 + 3*2) / 3 = 2.666...
    assert instruments.score(schema, {"a": 2, "b": 2}) == Decimal("2.67")


def test_without_scoring_there_is_no_score():
    schema = small_schema(method="none")
    schema["scoring"].pop("bands")

    assert instruments.schema_check(schema) == []
    assert instruments.score(schema, {"a": 3}) is None


@pytest.mark.parametrize(
    ("score", "label"),
    [("0", "Rendah"), ("7.99", "Rendah"), ("8", "Sedang"), ("10.5", "Sedang"), ("11", "Tinggi")],
)
def test_a_band_runs_from_its_minimum_to_the_next_band(score, label):
    band = instruments.band_for(small_schema(), Decimal(score))

    assert band is not None
    assert band.label == label


def test_the_family_functioning_score_is_healthier_when_higher(db):
    schema = instrument(FAMILY).schema

    # Positive statements fully true, negative ones fully untrue: the healthiest family.
    healthiest = instruments.score(schema, family_answers(4, 1))
    struggling = instruments.score(schema, family_answers(1, 4))
    middle = instruments.score(schema, family_answers(3, 3))

    assert (healthiest, struggling, middle) == (Decimal("4.00"), Decimal("1.00"), Decimal("2.50"))
    assert band_label(schema, healthiest) == "Fungsi keluarga baik"
    assert band_label(schema, struggling) == "Fungsi keluarga bermasalah berat"
    assert instruments.higher_is_better(schema)


def test_the_risk_score_adds_risks_and_missing_protection(db):
    schema = instrument(RISK).schema

    none = instruments.score(schema, risk_answers())
    violence_alone = instruments.score(
        schema, risk_answers(r_kekerasan=True, r_anak_korban=True, p_pengasuh=False)
    )

    assert none == Decimal("0.00")
    assert violence_alone == Decimal("8.00")
    assert band_label(schema, violence_alone) == "Risiko sedang"
    assert dict(instruments.subscale_scores(schema, risk_answers(p_pengasuh=False))) == {
        "Faktor risiko yang ada": Decimal("0.00"),
        "Faktor pelindung yang tidak ada": Decimal("2.00"),
    }
    assert not instruments.higher_is_better(schema)


def test_the_score_range_follows_weights_and_methods(db):
    assert instruments.score_range(small_schema()) == (Decimal(3), Decimal(13))
    assert instruments.score_range(instrument(RISK).schema) == (Decimal(0), Decimal(23))
    assert instruments.score_range(instrument(IN_DEPTH).schema) == (Decimal(1), Decimal(5))


# -- versions and the loader -------------------------------------------------------------------


def test_the_default_instruments_are_loaded_once_each(db):
    codes = set(Instrument.objects.values_list("code", "version"))

    assert {(FAMILY, 1), (RISK, 1), (INITIAL, 1), (IN_DEPTH, 1)} <= codes


def test_loading_again_adds_nothing_and_overwrites_nothing(db):
    family = instrument(FAMILY)
    Instrument.objects.filter(pk=family.pk).update(name="Fungsi Keluarga (disesuaikan)")

    result = assessments.instruments_load()
    call_command("load_reference", verbosity=0)

    assert (result.created, result.existing) == (0, 4)
    assert Instrument.objects.filter(code=FAMILY).count() == 1
    assert Instrument.objects.get(pk=family.pk).name == "Fungsi Keluarga (disesuaikan)"


def test_the_loader_adds_a_new_version_and_retires_the_old_one(db, tmp_path):
    document = json.loads((assessments.DATA_DIR / "fungsi-keluarga-v1.json").read_text("utf-8"))
    document["version"] = 2
    document["schema"]["sections"][0]["title"] = "Keadaan keluarga dalam dua minggu terakhir"
    (tmp_path / "fungsi-keluarga-v2.json").write_text(json.dumps(document), "utf-8")

    result = assessments.instruments_load(tmp_path)

    assert (result.created, result.existing) == (1, 0)
    assert instrument(FAMILY).version == 2
    assert not Instrument.objects.get(code=FAMILY, version=1).is_active


def test_publishing_a_change_makes_the_next_version_and_old_assessments_keep_theirs(db, budi):
    first = instrument(FAMILY)
    used = record_assessment(budi, answers=family_answers(3, 2))
    schema = copy.deepcopy(first.schema)
    schema["sections"][0]["questions"][0]["label"] = (
        "Kami bisa membicarakan rasa sedih satu sama lain."
    )

    second = assessments.instrument_publish(
        actor=budi, code=FAMILY, kind=first.kind, name=first.name, schema=schema
    )

    used.refresh_from_db()
    first.refresh_from_db()
    assert second.version == 2
    assert used.instrument_id == first.pk
    assert first.schema["sections"][0]["questions"][0]["label"].startswith("Di keluarga kami")
    assert not first.is_active
    assert assessments.instrument_for_form(FAMILY) == second
    assert AuditEvent.objects.filter(
        action=actions.INSTRUMENT_PUBLISHED, target_id=FAMILY, actor=budi
    ).exists()


def test_publishing_the_same_form_again_changes_nothing(db, budi):
    first = instrument(FAMILY)

    again = assessments.instrument_publish(
        actor=budi, code=FAMILY, kind=first.kind, name=first.name, schema=first.schema
    )

    assert again == first
    assert Instrument.objects.filter(code=FAMILY).count() == 1


def test_a_used_instrument_cannot_be_changed(db, budi):
    used = record_assessment(budi).instrument
    schema = copy.deepcopy(used.schema)
    schema["scoring"]["bands"][0]["label"] = "Sangat bermasalah"

    with pytest.raises(DomainError) as refusal:
        assessments.instrument_edit(actor=budi, instrument=used, name=used.name, schema=schema)

    assert refusal.value.code == "instrument_in_use"
    used.refresh_from_db()
    assert used.schema["scoring"]["bands"][0]["label"] == "Fungsi keluarga bermasalah berat"


def test_an_unused_instrument_may_still_be_corrected(db, budi):
    unused = instrument(IN_DEPTH)
    schema = copy.deepcopy(unused.schema)
    schema["sections"][0]["title"] = "Riwayat dan peristiwa penting keluarga"

    assessments.instrument_edit(actor=budi, instrument=unused, name=unused.name, schema=schema)

    unused.refresh_from_db()
    assert unused.schema["sections"][0]["title"] == "Riwayat dan peristiwa penting keluarga"
    assert not Assessment.objects.filter(instrument=unused).exists()


def test_a_bad_schema_is_not_published(db, budi):
    with pytest.raises(DomainError) as refusal:
        assessments.instrument_publish(
            actor=budi, code="uji", kind=InstrumentKind.RISK, name="Uji", schema={"sections": []}
        )

    assert refusal.value.code == "invalid_schema"
    assert "sections: must be a non-empty list" in str(refusal.value)
    assert not Instrument.objects.filter(code="uji").exists()


def test_the_command_publishes_a_file_as_the_next_version(db, tmp_path):
    document = json.loads((assessments.DATA_DIR / "faktor-risiko-v1.json").read_text("utf-8"))
    document["schema"]["scoring"]["bands"][1]["min"] = 4
    path = tmp_path / "faktor-risiko.json"
    path.write_text(json.dumps(document), "utf-8")
    output = io.StringIO()

    call_command("instrument_publish", str(path), stdout=output)

    assert output.getvalue() == "faktor-risiko: version 2 is the active one\n"
    assert instrument(RISK).schema["scoring"]["bands"][1]["min"] == 4


def test_the_command_refuses_a_bad_file_and_publishes_nothing(db, tmp_path):
    path = tmp_path / "rusak.json"
    path.write_text(json.dumps({"code": "rusak", "kind": "risk", "name": "Rusak", "schema": {}}))

    with pytest.raises(CommandError, match="sections: must be a non-empty list"):
        call_command("instrument_publish", str(path))

    assert not Instrument.objects.filter(code="rusak").exists()
