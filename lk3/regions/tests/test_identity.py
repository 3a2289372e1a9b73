import datetime

import pytest
from django.utils import translation

from lk3.regions import identity
from lk3.regions.identity import parse_kk, parse_nik
from lk3.regions.selectors import region_path
from lk3.regions.services import regions_load
from lk3.regions.tests.builders import kk, nik, shipped_file

TODAY = datetime.date(2026, 6, 1)
# Digits that look right on screen but are not ASCII (written as escapes: they fool the eye).
ARABIC_INDIC = str.maketrans(
    "0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
)
FULLWIDTH = str.maketrans(
    "0123456789", "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19"
)
BORN = datetime.date(1990, 8, 17)


def path_names(region):
    return [ancestor.name for ancestor in region_path(region)]


# -- NIK: what a good number says -------------------------------------------------------


def test_valid_nik_has_no_problems(db):
    result = parse_nik(nik(BORN), today=TODAY)

    assert (result.valid, result.errors, result.warnings) == (True, (), ())


def test_nik_gives_its_issuing_district(db):
    result = parse_nik(nik(BORN), today=TODAY)

    assert (result.region_code, str(result.region)) == ("64.74.01", "64.74.01 Bontang Utara")


def test_nik_gives_birth_date_sex_and_serial(db):
    result = parse_nik(nik(BORN, serial="0042"), today=TODAY)

    assert (result.birth_date, result.sex, result.serial) == (BORN, "L", "0042")


def test_woman_nik_adds_forty_to_the_day(db):
    result = parse_nik("6474015708900001", today=TODAY)

    assert (result.birth_date, result.sex) == (BORN, "P")


def test_region_comes_from_kemendagri_codes_not_bps(db):
    # Kemendagri 64.02 is Kutai Kartanegara; BPS gives 6402 to another regency.
    result = parse_nik(nik(BORN, region="640201"), today=TODAY)

    assert path_names(result.region) == [
        "Kalimantan Timur",
        "Kabupaten Kutai Kartanegara",
        "Muara Muntai",
    ]


@pytest.mark.parametrize(
    "value",
    ["6474 0117 0890 0001", "64.74.01.170890.0001", "647401-170890-0001", " 6474011708900001 "],
)
def test_spaces_dots_and_hyphens_are_ignored(db, value):
    assert parse_nik(value, today=TODAY).number == "6474011708900001"


# -- NIK: characters and length ---------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "6474011708900001".translate(ARABIC_INDIC),
        "6474011708900001".translate(FULLWIDTH),
        "647401170890000" + "1".translate(ARABIC_INDIC),
    ],
)
def test_non_ascii_digits_are_their_own_error(db, value):
    result = parse_nik(value, today=TODAY)

    assert (result.error_codes, result.errors[0].message) == (
        (identity.NON_ASCII_DIGIT,),
        identity.NIK_NON_ASCII_DIGIT,
    )


@pytest.mark.parametrize("value", ["647401170890000A", "6474011708900001\t", "6474/0117/0890/0001"])
def test_other_characters_are_an_error(db, value):
    result = parse_nik(value, today=TODAY)

    assert (result.error_codes, result.errors[0].message) == (
        (identity.INVALID_CHARACTER,),
        identity.NIK_INVALID_CHARACTER,
    )


def test_letters_and_foreign_digits_give_both_errors(db):
    result = parse_nik("64740117089000A" + "1".translate(ARABIC_INDIC), today=TODAY)

    assert result.error_codes == (identity.NON_ASCII_DIGIT, identity.INVALID_CHARACTER)


@pytest.mark.parametrize("value", ["", "647401170890001", "64740117089000011"])
def test_wrong_length_is_an_error(db, value):
    assert parse_nik(value, today=TODAY).error_codes == (identity.WRONG_LENGTH,)


def test_wrong_length_message_gives_the_count(db):
    result = parse_nik("647401170890001", today=TODAY)

    assert str(result.errors[0].message) == str(identity.NIK_WRONG_LENGTH) % {"count": 15}


# -- NIK: dates -------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["00", "32", "35", "40", "72", "99"])
def test_impossible_day_is_an_error(db, day):
    result = parse_nik(f"647401{day}08900001", today=TODAY)

    assert result.error_codes == (identity.DAY_INVALID,)


@pytest.mark.parametrize("month", ["00", "13", "99"])
def test_impossible_month_is_an_error(db, month):
    result = parse_nik(f"64740117{month}900001", today=TODAY)

    assert result.error_codes == (identity.MONTH_INVALID,)


@pytest.mark.parametrize("day_month", ["3002", "7002", "3104", "2902"])
def test_day_missing_from_the_calendar_is_an_error(db, day_month):
    # 29 February 2001 (and 1901) never existed.
    result = parse_nik(f"647401{day_month}010001", today=TODAY)

    assert result.error_codes == (identity.DATE_INVALID,)


def test_29_february_of_a_leap_year_is_accepted(db):
    result = parse_nik("6474016902000001", today=TODAY)

    assert (result.birth_date, result.sex) == (datetime.date(2000, 2, 29), "P")


def test_impossible_day_leaves_sex_unknown(db):
    result = parse_nik("6474013508900001", today=TODAY)

    assert (result.birth_date, result.sex) == (None, None)


def test_century_is_the_latest_not_in_the_future(db):
    assert parse_nik(nik(datetime.date(2026, 5, 31)), today=TODAY).birth_date == datetime.date(
        2026, 5, 31
    )


def test_century_goes_back_when_the_date_would_be_in_the_future(db):
    assert parse_nik(nik(datetime.date(1926, 6, 2)), today=TODAY).birth_date == datetime.date(
        1926, 6, 2
    )


def test_known_birth_date_resolves_the_century(db):
    born = datetime.date(1920, 1, 5)

    result = parse_nik(nik(born), birth_date=born, today=TODAY)

    assert (result.birth_date, result.warnings) == (born, ())


def test_serial_zero_is_an_error(db):
    result = parse_nik(nik(BORN, serial="0000"), today=TODAY)

    assert (result.error_codes, result.errors[0].message) == (
        (identity.SERIAL_ZERO,),
        identity.NIK_SERIAL_ZERO,
    )


def test_several_errors_are_all_reported(db):
    result = parse_nik("6474010013900000", today=TODAY)

    assert result.error_codes == (
        identity.DAY_INVALID,
        identity.MONTH_INVALID,
        identity.SERIAL_ZERO,
    )


# -- NIK: what is only a warning ----------------------------------------------------------


def test_unknown_region_is_a_warning_not_an_error(db):
    result = parse_nik(nik(BORN, region="999999"), today=TODAY)

    assert (result.valid, result.warning_codes, result.region, result.region_code) == (
        True,
        (identity.REGION_UNKNOWN,),
        None,
        "99.99.99",
    )


def test_unknown_region_message_names_the_code(db):
    result = parse_nik(nik(BORN, region="999999"), today=TODAY)

    assert str(result.warnings[0].message) == str(identity.NIK_REGION_UNKNOWN) % {
        "code": "99.99.99"
    }


def test_retired_region_is_a_warning_and_still_decodes(db, tmp_path):
    regions_load(path=shipped_file(tmp_path, without=["64.74.01"]))

    result = parse_nik(nik(BORN), today=TODAY)

    assert (result.valid, result.warning_codes, str(result.region)) == (
        True,
        (identity.REGION_RETIRED,),
        "64.74.01 Bontang Utara",
    )


def test_birth_date_that_disagrees_is_a_warning(db):
    result = parse_nik(nik(BORN), birth_date=datetime.date(1990, 8, 18), today=TODAY)

    assert (result.valid, result.warning_codes) == (True, (identity.BIRTH_DATE_MISMATCH,))


def test_birth_date_warning_shows_the_nik_date(db):
    result = parse_nik(nik(BORN), birth_date=datetime.date(1991, 8, 17), today=TODAY)

    assert str(result.warnings[0].message) == str(identity.NIK_BIRTH_DATE_MISMATCH) % {
        "nik_date": "17-08-90"
    }


def test_birth_date_that_agrees_gives_no_warning(db):
    result = parse_nik(nik(BORN), birth_date=BORN, today=TODAY)

    assert result.warnings == ()


def test_sex_that_disagrees_is_a_warning(db):
    result = parse_nik(nik(BORN, sex="L"), sex="P", today=TODAY)

    assert (result.valid, result.warning_codes, result.warnings[0].message) == (
        True,
        (identity.SEX_MISMATCH,),
        identity.NIK_SEX_MISMATCH,
    )


def test_sex_that_agrees_gives_no_warning(db):
    assert parse_nik(nik(BORN, sex="P"), sex="p", today=TODAY).warnings == ()


def test_sex_other_than_l_or_p_is_a_programming_error(db):
    with pytest.raises(ValueError, match=identity.SEX_NOT_A_CHOICE):
        parse_nik(nik(BORN), sex="X", today=TODAY)


def test_messages_are_translated_to_indonesian_when_shown(db):
    result = parse_nik(nik(BORN, serial="0000"), today=TODAY)

    with translation.override("id"):
        assert str(result.errors[0].message) == (
            "Nomor urut NIK (4 angka terakhir) tidak boleh 0000."
        )


# -- KK ---------------------------------------------------------------------------------


def test_valid_kk_gives_region_recorded_date_and_serial(db):
    result = parse_kk(kk(datetime.date(2015, 3, 12), serial="0007"), today=TODAY)

    assert (result.valid, str(result.region), result.recorded_date, result.serial) == (
        True,
        "64.74.01 Bontang Utara",
        datetime.date(2015, 3, 12),
        "0007",
    )


def test_kk_day_has_no_forty_added(db):
    result = parse_kk("6474015203150001", today=TODAY)

    assert (result.error_codes, result.errors[0].message) == (
        (identity.RECORDED_DATE_INVALID,),
        identity.KK_RECORDED_DATE_INVALID,
    )


@pytest.mark.parametrize("ddmmyy", ["000115", "011315", "300215", "290215"])
def test_impossible_recorded_date_is_an_error(db, ddmmyy):
    assert parse_kk(f"647401{ddmmyy}0001", today=TODAY).error_codes == (
        identity.RECORDED_DATE_INVALID,
    )


def test_recorded_date_in_the_future_is_a_warning(db):
    result = parse_kk(kk(datetime.date(2026, 6, 2)), today=TODAY)

    assert (result.valid, result.warning_codes, result.warnings[0].message) == (
        True,
        (identity.RECORDED_DATE_FUTURE,),
        identity.KK_RECORDED_DATE_FUTURE,
    )


def test_kk_serial_zero_is_an_error(db):
    result = parse_kk(kk(datetime.date(2015, 3, 12), serial="0000"), today=TODAY)

    assert (result.error_codes, result.errors[0].message) == (
        (identity.SERIAL_ZERO,),
        identity.KK_SERIAL_ZERO,
    )


def test_kk_unknown_region_is_a_warning(db):
    result = parse_kk(kk(datetime.date(2015, 3, 12), region="999999"), today=TODAY)

    assert (result.valid, result.warning_codes) == (True, (identity.REGION_UNKNOWN,))


def test_kk_messages_name_the_kk(db):
    result = parse_kk("647401", today=TODAY)

    with translation.override("id"):
        assert str(result.errors[0].message) == "Nomor KK harus 16 angka; yang diisi 6 angka."


def test_kk_non_ascii_digits_are_their_own_error(db):
    assert parse_kk("6474011203150001".translate(FULLWIDTH), today=TODAY).error_codes == (
        identity.NON_ASCII_DIGIT,
    )
