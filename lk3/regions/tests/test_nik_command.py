import io
import json

import pytest
from django.core.management import CommandError, call_command

from lk3.regions.management.commands.nik import BAD_BIRTH_DATE, BAD_SEX


def run(*args):
    """Exit status and the printed JSON, as a shell would see them."""
    out = io.StringIO()
    try:
        call_command("nik", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, json.loads(out.getvalue())
    return 0, json.loads(out.getvalue())


def test_valid_nik_prints_its_parts_and_exits_0(db):
    assert run("6474011708900001") == (
        0,
        {
            "valid": True,
            "errors": [],
            "warnings": [],
            "region": {
                "code": "64.74.01",
                "province": "Kalimantan Timur",
                "regency": "Kota Bontang",
                "district": "Bontang Utara",
            },
            "birth_date": "1990-08-17",
            "sex": "L",
        },
    )


def test_invalid_nik_still_prints_json_and_exits_1(db):
    assert run("6474011708900000") == (
        1,
        {
            "valid": False,
            "errors": [
                {
                    "code": "serial_zero",
                    "message": "Nomor urut NIK (4 angka terakhir) tidak boleh 0000.",
                }
            ],
            "warnings": [],
            "region": {
                "code": "64.74.01",
                "province": "Kalimantan Timur",
                "regency": "Kota Bontang",
                "district": "Bontang Utara",
            },
            "birth_date": "1990-08-17",
            "sex": "L",
        },
    )


def test_unreadable_nik_has_null_parts(db):
    status, output = run("64740117089")

    assert (status, output["region"], output["birth_date"], output["sex"]) == (1, None, None, None)


def test_mismatches_are_warnings_in_indonesian(db):
    status, output = run("6474011708900001", "--birth-date", "1990-08-18", "--sex", "P")

    assert (status, [warning["code"] for warning in output["warnings"]]) == (
        0,
        ["birth_date_mismatch", "sex_mismatch"],
    )


def test_sex_warning_message_is_indonesian(db):
    _status, output = run("6474011708900001", "--sex", "P")

    assert output["warnings"][0]["message"] == (
        "Jenis kelamin pada NIK berbeda dengan jenis kelamin yang diisi "
        "(pada NIK perempuan, tanggal lahir ditambah 40)."
    )


def test_malformed_birth_date_option_exits_2(db):
    with pytest.raises(CommandError) as raised:
        call_command("nik", "6474011708900001", "--birth-date", "17-08-1990", stdout=io.StringIO())

    assert (raised.value.returncode, str(raised.value)) == (2, BAD_BIRTH_DATE)


def test_malformed_sex_option_exits_2(db):
    with pytest.raises(CommandError) as raised:
        call_command("nik", "6474011708900001", "--sex", "W", stdout=io.StringIO())

    assert (raised.value.returncode, str(raised.value)) == (2, BAD_SEX)
