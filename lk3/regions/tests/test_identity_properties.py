"""Properties of NIK decoding over generated numbers."""

import csv
import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lk3.regions import identity
from lk3.regions.identity import parse_nik
from lk3.regions.services import DEFAULT_PATH
from lk3.regions.tests.builders import nik

TODAY = datetime.date(2026, 6, 1)
# Without a known birth date the century is unambiguous only within the last 100 years.
LAST_CENTURY = datetime.date(1926, 6, 2)
ERROR_CODES = {
    identity.DAY_INVALID,
    identity.MONTH_INVALID,
    identity.DATE_INVALID,
    identity.SERIAL_ZERO,
}
WARNING_CODES = {identity.REGION_UNKNOWN, identity.REGION_RETIRED}
ASCII_DIGITS = "0123456789"

with DEFAULT_PATH.open(encoding="utf-8") as handle:
    DISTRICTS = [
        row["kode"].replace(".", "")
        for row in csv.DictReader(handle)
        if row["tingkat"] == "kecamatan"
    ]


def code_of(region):
    return region.code if region else None


# The db fixture only reads here, so sharing it across examples is safe.
database_examples = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, max_examples=150
)
districts = st.sampled_from(DISTRICTS)
serials = st.integers(min_value=1, max_value=9999).map("{:04d}".format)
sexes = st.sampled_from([identity.MALE, identity.FEMALE])
foreign_digits = st.characters(categories=["Nd"]).filter(
    lambda character: character not in ASCII_DIGITS
)


@database_examples
@given(value=st.text(alphabet=ASCII_DIGITS, min_size=16, max_size=16))
def test_any_sixteen_ascii_digits_parse_or_give_named_problems(db, value):
    result = parse_nik(value, today=TODAY)

    unnamed = (set(result.error_codes) - ERROR_CODES, set(result.warning_codes) - WARNING_CODES)
    assert unnamed == (set(), set())


@database_examples
@given(before=st.text(max_size=10), digit=foreign_digits, after=st.text(max_size=10))
def test_text_with_a_non_ascii_digit_is_rejected_as_such(db, before, digit, after):
    result = parse_nik(before + digit + after, today=TODAY)

    assert identity.NON_ASCII_DIGIT in result.error_codes


@database_examples
@given(born=st.dates(min_value=LAST_CENTURY, max_value=TODAY), region=districts, serial=serials)
def test_woman_nik_decodes_as_p_and_the_day_round_trips(db, born, region, serial):
    value = nik(born, sex=identity.FEMALE, region=region, serial=serial)

    result = parse_nik(value, today=TODAY)

    assert (result.sex, result.birth_date, int(value[6:8])) == ("P", born, born.day + 40)


@database_examples
@given(
    born=st.dates(min_value=LAST_CENTURY, max_value=TODAY),
    sex=sexes,
    region=districts,
    serial=serials,
)
def test_nik_built_from_its_parts_decodes_to_them(db, born, sex, region, serial):
    result = parse_nik(nik(born, sex=sex, region=region, serial=serial), today=TODAY)

    assert (result.valid, result.birth_date, result.sex, code_of(result.region), result.serial) == (
        True,
        born,
        sex,
        f"{region[0:2]}.{region[2:4]}.{region[4:6]}",
        serial,
    )


@database_examples
@given(born=st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY), sex=sexes)
def test_known_birth_date_decodes_any_century_without_warning(db, born, sex):
    result = parse_nik(nik(born, sex=sex), birth_date=born, sex=sex, today=TODAY)

    assert (result.birth_date, result.warnings) == (born, ())
