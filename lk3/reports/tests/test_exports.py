"""List exports: which records and columns each role gets, and the files themselves."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from lk3.cases.models import CaseStatus
from lk3.cases.tests.builders import open_case
from lk3.people.tests.builders import NIK_SITI, TODAY, guardian_consent, make_person
from lk3.referrals.tests.referral_builders import send_referral
from lk3.reports import exports

pytestmark = pytest.mark.django_db


def _table(kind: str, user, **filters: str) -> list[dict[str, object]]:
    """The export as the user gets it: one dict per row, by column code."""
    codes = [column.code for column in exports.columns_for(kind, user)]
    context = exports.export_context(user, TODAY)
    return [
        dict(zip(codes, line, strict=True)) for line in exports.rows(kind, user, filters, context)
    ]


def _csv_text(kind: str, user, **filters: str) -> str:
    context = exports.export_context(user, TODAY)
    lines = exports.csv_lines(
        exports.headers(kind, user), exports.rows(kind, user, filters, context)
    )
    return "".join(lines)


def _child(actor):
    return make_person(
        actor,
        "Putri Lestari",
        birth_date=datetime.date(2015, 6, 15),
        consents=[guardian_consent()],
    )


@pytest.fixture
def cases(budi, sari, dewi):
    """An ordinary case and a confidential one led by ``sari``, and one led by ``dewi``."""
    ordinary = open_case(budi, make_person(budi, "Siti Aminah"))
    confidential = open_case(budi, make_person(budi, "Wulan Sari"), is_confidential=True)
    others = open_case(budi, make_person(budi, "Rizki Pratama"), lead_counsellor=dewi)
    return ordinary, confidential, others


# -- cases ----------------------------------------------------------------------------------------


def test_a_counsellors_case_export_has_only_their_cases(cases, dewi):
    # given
    _ordinary, _confidential, others = cases
    # when
    table = _table(exports.CASES, dewi)
    # then
    assert [row["number"] for row in table] == [others.number]
    assert table[0]["client"] == "Rizki Pratama"


def test_the_lead_counsellor_sees_the_client_of_her_confidential_case(cases, sari):
    # given
    ordinary, confidential, _others = cases
    # when
    table = _table(exports.CASES, sari)
    # then
    assert {row["number"]: row["client"] for row in table} == {
        ordinary.number: "Siti Aminah",
        confidential.number: "Wulan Sari",
    }


def test_the_intake_officer_gets_no_confidential_client_name(cases, intan):
    # given
    ordinary, confidential, others = cases
    # when
    table = _table(exports.CASES, intan)
    text = _csv_text(exports.CASES, intan)
    # then: the confidential case is not reached at all, the others carry their names
    assert {row["number"]: row["client"] for row in table} == {
        ordinary.number: "Siti Aminah",
        others.number: "Rizki Pratama",
    }
    assert "Wulan Sari" not in text
    assert confidential.number not in text


def test_the_intake_officer_who_opened_a_confidential_case_gets_it_without_the_name(
    budi, intan, sari
):
    # given: an unassigned confidential case the intake officer opened keeps reaching her
    case = open_case(intan, make_person(intan, "Wulan Sari"), is_confidential=True)
    case.lead_counsellor = None
    case.save(update_fields=["lead_counsellor"])
    # when
    table = _table(exports.CASES, intan)
    # then
    assert [(row["number"], row["client"]) for row in table] == [(case.number, "")]


def test_a_childs_name_is_only_for_the_team_and_the_coordinator(budi, sari, intan):
    # given
    child = _child(budi)
    case = open_case(budi, child)
    # when
    for_intake = _table(exports.CASES, intan)
    for_lead = _table(exports.CASES, sari)
    for_coordinator = _table(exports.CASES, budi)
    # then
    assert [row["client"] for row in for_intake] == [""]
    assert [row["client"] for row in for_lead] == ["Putri Lestari"]
    assert [(row["number"], row["client"]) for row in for_coordinator] == [
        (case.number, "Putri Lestari")
    ]


def test_the_coordinators_case_export_has_every_name(cases, budi):
    # when
    table = _table(exports.CASES, budi)
    # then
    assert sorted(str(row["client"]) for row in table) == [
        "Rizki Pratama",
        "Siti Aminah",
        "Wulan Sari",
    ]


def test_a_case_export_never_holds_the_presenting_problem(cases, budi):
    # given
    ordinary, _confidential, _others = cases
    # when
    text = _csv_text(exports.CASES, budi)
    # then
    assert ordinary.presenting_problem
    assert ordinary.presenting_problem not in text


def test_the_case_export_columns_are_the_case_facts(cases, budi, sari):
    # when
    with translation.override("en"):
        header = exports.headers(exports.CASES, budi)
        table = _table(exports.CASES, budi)
    ordinary = next(row for row in table if row["client"] == "Siti Aminah")
    # then
    assert header == [
        "Case number",
        "Opened on",
        "Client",
        "Status",
        "Stage",
        "Lead counsellor",
        "PMKS categories",
        "Intake channel",
        "Kelurahan",
        "Risk level",
        "Closed on",
        "Closure reason",
        "Outcome",
    ]
    assert ordinary["status"] == "Open"
    assert ordinary["lead_counsellor"] == sari.full_name
    assert ordinary["pmks"]
    assert ordinary["closed_on"] is None
    assert isinstance(ordinary["opened_on"], datetime.date)


def test_cases_filtered_by_status(cases, budi):
    # given
    ordinary, _confidential, _others = cases
    ordinary.status = CaseStatus.CLOSED
    ordinary.save(update_fields=["status"])
    # when
    table = _table(exports.CASES, budi, status=CaseStatus.CLOSED)
    # then
    assert [row["number"] for row in table] == [ordinary.number]


def test_an_unknown_filter_value_names_the_field():
    # when
    with translation.override("en"):
        cleaned, errors = exports.clean_filters(
            exports.KINDS[exports.CASES], {"status": "lost", "stage": ""}
        )
    # then
    assert cleaned == {}
    assert errors == ["Status: “lost” is not one of the choices."]


# -- persons --------------------------------------------------------------------------------------


def test_no_full_nik_leaves_the_system(budi):
    # given
    make_person(budi, "Siti Aminah", nik=NIK_SITI, nik_absence="")
    # when
    table = _table(exports.PERSONS, budi)
    text = _csv_text(exports.PERSONS, budi)
    workbook = exports.xlsx_bytes(
        "Persons",
        exports.headers(exports.PERSONS, budi),
        [list(row.values()) for row in table],
    )
    # then
    assert table[0]["nik"] == "6474********0003"
    assert NIK_SITI not in text
    assert NIK_SITI.encode() not in workbook
    assert NIK_SITI not in _xlsx_text(workbook)


def test_only_the_coordinator_gets_the_full_birth_date(budi, intan):
    # given
    make_person(budi, "Siti Aminah")
    # when
    for_coordinator = _table(exports.PERSONS, budi)
    for_intake = _table(exports.PERSONS, intan)
    # then
    assert for_coordinator[0]["birth_date"] == datetime.date(1985, 8, 5)
    assert for_coordinator[0]["birth_year"] == 1985
    assert for_intake[0]["birth_year"] == 1985
    assert "birth_date" not in for_intake[0]


def test_a_confidential_clients_name_is_blank_for_those_off_the_case(budi, sari, dewi):
    # given
    victim = make_person(budi, "Wulan Sari")
    open_case(budi, victim, is_confidential=True)
    make_person(budi, "Siti Aminah")
    # when
    for_dewi = {row["name"] for row in _table(exports.PERSONS, dewi)}
    for_sari = {row["name"] for row in _table(exports.PERSONS, sari)}
    # then
    assert for_dewi == {"", "Siti Aminah"}
    assert for_sari == {"Wulan Sari", "Siti Aminah"}


def test_a_childs_name_is_blank_in_the_registry_export_for_those_off_the_case(budi, dewi):
    # given
    _child(budi)
    # when
    for_dewi = _table(exports.PERSONS, dewi)
    for_coordinator = _table(exports.PERSONS, budi)
    # then
    assert [row["name"] for row in for_dewi] == [""]
    assert [row["name"] for row in for_coordinator] == ["Putri Lestari"]


def test_persons_of_another_organisation_are_not_exported(budi, rudi):
    # given
    make_person(rudi, "Andi Samarinda")
    # when
    table = _table(exports.PERSONS, budi)
    # then
    assert table == []


# -- referrals ------------------------------------------------------------------------------------


def test_a_referral_export_has_no_reason_and_only_reached_referrals(budi, sari, dewi):
    # given
    referral = send_referral(budi, open_case(budi, make_person(budi, "Siti Aminah")))
    # when
    for_sari = _table(exports.REFERRALS, sari)
    for_dewi = _table(exports.REFERRALS, dewi)
    text = _csv_text(exports.REFERRALS, budi)
    # then
    assert [row["number"] for row in for_sari] == [referral.number]
    assert referral.partner is not None
    assert for_sari[0]["partner"] == referral.partner.name
    assert for_dewi == []
    assert referral.reason not in text


# -- the files ------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_would_be_a_formula_is_kept_as_text(start):
    # when
    text = "".join(exports.csv_lines(["Name"], [[f"{start}SUM(A1:A9)", 5]]))
    # then
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[1] == [f"'{start}SUM(A1:A9)", "5"]


def test_a_name_that_would_be_a_formula_is_exported_as_text(budi):
    # given
    make_person(budi, '=HYPERLINK("http://x")')
    # when
    text = _csv_text(exports.PERSONS, budi)
    # then
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'


def test_the_csv_starts_with_a_byte_order_mark_and_uses_commas(cases, budi):
    # when
    text = _csv_text(exports.CASES, budi)
    # then
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == 4
    assert len(rows[0]) == len(exports.columns_for(exports.CASES, budi))


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    sheet = load_workbook(io.BytesIO(data)).active
    return "\n".join(
        ",".join("" if value is None else str(value) for value in row)
        for row in sheet.iter_rows(values_only=True)
    )


def test_the_xlsx_reads_back_with_a_bold_frozen_header(cases, budi):
    from openpyxl import load_workbook

    # given
    context = exports.export_context(budi, TODAY)
    header = exports.headers(exports.CASES, budi)
    # when
    data = exports.xlsx_bytes("Cases", header, exports.rows(exports.CASES, budi, {}, context))
    # then
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == header
    assert len(rows) == 4
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 12
    opened = rows[1][1]
    assert isinstance(opened, datetime.datetime)
    assert sorted(row[2] for row in rows[1:]) == ["Rizki Pratama", "Siti Aminah", "Wulan Sari"]


def test_an_xlsx_formula_cell_is_kept_as_text(budi):
    from openpyxl import load_workbook

    # when
    data = exports.xlsx_bytes("Persons", ["Name"], [["=1+1"]])
    # then
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'=1+1"
    assert sheet["A2"].data_type == "s"


def test_the_mask_keeps_region_and_last_four_digits():
    assert exports.mask_nik("6474014508850003") == "6474********0003"
    assert exports.mask_nik("") == ""
    assert exports.mask_nik("1234") == "****"


def _queries_for(user, kind: str) -> int:
    context = exports.export_context(user, TODAY)
    with CaptureQueriesContext(connection) as queries:
        text = "".join(
            exports.csv_lines(exports.headers(kind, user), exports.rows(kind, user, {}, context))
        )
    assert text
    return len(queries)


def test_the_case_export_reads_a_fixed_number_of_queries(budi):
    # given
    client = make_person(budi, "Siti Aminah")
    for _ in range(3):
        open_case(budi, client)
    few = _queries_for(budi, exports.CASES)
    for _ in range(27):
        open_case(budi, client)
    # when
    many = _queries_for(budi, exports.CASES)
    # then
    assert many == few


def test_the_person_export_reads_a_fixed_number_of_queries(budi):
    # given
    for index in range(3):
        make_person(budi, f"Siti Aminah {index}")
    few = _queries_for(budi, exports.PERSONS)
    for index in range(3, 30):
        make_person(budi, f"Siti Aminah {index}")
    # when
    many = _queries_for(budi, exports.PERSONS)
    # then
    assert many == few
