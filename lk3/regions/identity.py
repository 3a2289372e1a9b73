"""Decoding a NIK or a family card (KK) number (DOMAIN.md section 4).

Rules:
- Only ASCII spaces, dots and hyphens are separators and are removed. What
  remains must be 16 ASCII digits: other Unicode digits (Arabic-Indic,
  fullwidth, ...) look right on screen but match no register, so they are
  their own error; any other character is another; a wrong count a third.
- NIK: ``PPKKCC DDMMYY SSSS``. Women add 40 to the day (41-71). A day of
  00, 32-40 or above 71, a month of 00 or above 12, or a date that does not
  exist (30 February, 29 February outside a leap year) is an error.
- The NIK's century is not written: take the latest century that does not
  put the birth after ``today``, unless a known birth date with the same
  two-digit year says which century it is.
- KK: ``PPKKCC DDMMYY SSSS`` with the date the card was recorded (no +40).
  16-digit numbers came with SIAK in the 2000s, so the century is the
  current one and a recorded date after ``today`` is a warning (a typo, or
  a number from a source we do not know).
- Serial 0000 is never issued: an error.
- The issuing region is read from the Kemendagri table, never BPS (their
  codes differ). An unknown or retired region is only a warning: a NIK
  never changes when its region is split or renumbered.
- A birth date or sex recorded elsewhere that disagrees with the number is
  a warning, not an error: either may be the wrong one, and a person
  decides.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from lk3.regions.models import Region
from lk3.regions.selectors import region_by_code

LENGTH = 16
SEPARATORS = frozenset(" .-")
ASCII_DIGITS = frozenset("0123456789")
FEMALE_DAY_OFFSET = 40
MALE = "L"
FEMALE = "P"
SEX_CHOICES = (MALE, FEMALE)
SEX_LABELS = {MALE: _("Male"), FEMALE: _("Female")}

# Problem codes: a public contract for forms and tests; never renamed.
NON_ASCII_DIGIT = "non_ascii_digit"
INVALID_CHARACTER = "invalid_character"
WRONG_LENGTH = "wrong_length"
DAY_INVALID = "day_invalid"
MONTH_INVALID = "month_invalid"
DATE_INVALID = "date_invalid"
SERIAL_ZERO = "serial_zero"
REGION_UNKNOWN = "region_unknown"
REGION_RETIRED = "region_retired"
BIRTH_DATE_MISMATCH = "birth_date_mismatch"
SEX_MISMATCH = "sex_mismatch"
RECORDED_DATE_INVALID = "recorded_date_invalid"
RECORDED_DATE_FUTURE = "recorded_date_future"

NIK_NON_ASCII_DIGIT = _("The NIK contains digits from another script; type it with the digits 0-9.")
NIK_INVALID_CHARACTER = _(
    "The NIK may contain only the digits 0-9 (spaces, dots and hyphens are ignored)."
)
NIK_WRONG_LENGTH = _("The NIK must be 16 digits; %(count)d were entered.")
NIK_DAY_INVALID = _(
    "The birth day in the NIK (digits 7-8) must be 01 to 31, or 41 to 71 for a woman."
)
NIK_MONTH_INVALID = _("The birth month in the NIK (digits 9-10) must be 01 to 12.")
NIK_DATE_INVALID = _("The birth date in the NIK does not exist (for example 30 February).")
NIK_SERIAL_ZERO = _("The serial number in the NIK (last 4 digits) cannot be 0000.")
NIK_REGION_UNKNOWN = _(
    "The region code %(code)s in the NIK is not in the Kemendagri region list; "
    "check the first 6 digits."
)
NIK_REGION_RETIRED = _(
    "The region code %(code)s in the NIK is no longer in use (the region was split "
    "or renumbered); the NIK itself stays valid."
)
NIK_BIRTH_DATE_MISMATCH = _(
    "The birth date in the NIK (%(nik_date)s) differs from the birth date entered."
)
NIK_SEX_MISMATCH = _(
    "The sex in the NIK differs from the sex entered (for women the NIK adds 40 to the birth day)."
)
KK_NON_ASCII_DIGIT = _(
    "The KK number contains digits from another script; type it with the digits 0-9."
)
KK_INVALID_CHARACTER = _(
    "The KK number may contain only the digits 0-9 (spaces, dots and hyphens are ignored)."
)
KK_WRONG_LENGTH = _("The KK number must be 16 digits; %(count)d were entered.")
KK_RECORDED_DATE_INVALID = _("The date in the KK number (digits 7-12) is not a real date.")
KK_RECORDED_DATE_FUTURE = _(
    "The date in the KK number (digits 7-12) is in the future; check the number."
)
KK_SERIAL_ZERO = _("The serial number in the KK number (last 4 digits) cannot be 0000.")
KK_REGION_UNKNOWN = _(
    "The region code %(code)s in the KK number is not in the Kemendagri region list; "
    "check the first 6 digits."
)
KK_REGION_RETIRED = _(
    "The region code %(code)s in the KK number is no longer in use (the region was "
    "split or renumbered); the number itself stays valid."
)
SEX_NOT_A_CHOICE = "sex must be 'L' or 'P'"

NIK_MESSAGES = {
    NON_ASCII_DIGIT: NIK_NON_ASCII_DIGIT,
    INVALID_CHARACTER: NIK_INVALID_CHARACTER,
    WRONG_LENGTH: NIK_WRONG_LENGTH,
    SERIAL_ZERO: NIK_SERIAL_ZERO,
    REGION_UNKNOWN: NIK_REGION_UNKNOWN,
    REGION_RETIRED: NIK_REGION_RETIRED,
}
KK_MESSAGES = {
    NON_ASCII_DIGIT: KK_NON_ASCII_DIGIT,
    INVALID_CHARACTER: KK_INVALID_CHARACTER,
    WRONG_LENGTH: KK_WRONG_LENGTH,
    SERIAL_ZERO: KK_SERIAL_ZERO,
    REGION_UNKNOWN: KK_REGION_UNKNOWN,
    REGION_RETIRED: KK_REGION_RETIRED,
}


def _interpolate(message: Promise, params: dict[str, object]) -> str:
    return str(message) % params


# Translated when shown, not when parsed: a result may be built in one
# language and displayed in another.
interpolate_lazy = lazy(_interpolate, str)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str | Promise

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class IdentityResult:
    """What a NIK or KK number says, and what is wrong with it.

    ``number`` is the 16 digits without separators ("" when the characters
    were wrong); the decoded parts are None when they could not be read.
    """

    number: str
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    region: Region | None = None
    region_code: str | None = None
    birth_date: datetime.date | None = None
    sex: str | None = None
    serial: str | None = None
    recorded_date: datetime.date | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def error_codes(self) -> tuple[str, ...]:
        return tuple(problem.code for problem in self.errors)

    @property
    def warning_codes(self) -> tuple[str, ...]:
        return tuple(problem.code for problem in self.warnings)

    @property
    def sex_label(self) -> str | Promise:
        return SEX_LABELS[self.sex] if self.sex else ""


# -- NIK ----------------------------------------------------------------------------


def parse_nik(
    value: str,
    *,
    birth_date: datetime.date | None = None,
    sex: str | None = None,
    today: datetime.date | None = None,
) -> IdentityResult:
    expected_sex = _clean_sex(sex)
    number, problems = _digits(value, NIK_MESSAGES)
    if problems:
        return IdentityResult(number="", errors=problems)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    region_code, region = _issuing_region(number, NIK_MESSAGES, warnings)
    day, decoded_sex = _day_and_sex(int(number[6:8]))
    born = _birth_date(
        day,
        int(number[8:10]),
        int(number[10:12]),
        today or timezone.localdate(),
        birth_date,
        errors,
    )
    if number[12:] == "0000":
        errors.append(_problem(SERIAL_ZERO, NIK_MESSAGES))
    if born is not None:
        _compare(born, decoded_sex, birth_date, expected_sex, warnings)
    return IdentityResult(
        number=number,
        errors=tuple(errors),
        warnings=tuple(warnings),
        region=region,
        region_code=region_code,
        birth_date=born,
        sex=decoded_sex if _day_in_range(day) else None,
        serial=number[12:],
    )


def _day_and_sex(digits: int) -> tuple[int, str]:
    if digits > FEMALE_DAY_OFFSET:
        return digits - FEMALE_DAY_OFFSET, FEMALE
    return digits, MALE


def _day_in_range(day: int) -> bool:
    return 1 <= day <= 31


def _clean_sex(sex: str | None) -> str | None:
    if sex is None or sex == "":
        return None
    if sex.upper() not in SEX_CHOICES:
        raise ValueError(SEX_NOT_A_CHOICE)
    return sex.upper()


def _birth_date(
    day: int,
    month: int,
    short_year: int,
    today: datetime.date,
    known: datetime.date | None,
    errors: list[Problem],
) -> datetime.date | None:
    problems = []
    if not _day_in_range(day):
        problems.append(Problem(DAY_INVALID, NIK_DAY_INVALID))
    if not 1 <= month <= 12:
        problems.append(Problem(MONTH_INVALID, NIK_MONTH_INVALID))
    if problems:
        errors.extend(problems)
        return None
    for year in _candidate_years(short_year, today, known):
        candidate = _date_or_none(year, month, day)
        if candidate is not None and candidate <= today:
            return candidate
    errors.append(Problem(DATE_INVALID, NIK_DATE_INVALID))
    return None


def _candidate_years(
    short_year: int, today: datetime.date, known: datetime.date | None
) -> list[int]:
    century = today.year - today.year % 100
    years = [century + short_year, century - 100 + short_year]
    if known is not None and known.year % 100 == short_year:
        years.insert(0, known.year)
    return years


def _compare(
    born: datetime.date,
    decoded_sex: str,
    birth_date: datetime.date | None,
    expected_sex: str | None,
    warnings: list[Problem],
) -> None:
    if birth_date is not None and (
        (born.day, born.month, born.year % 100)
        != (birth_date.day, birth_date.month, birth_date.year % 100)
    ):
        nik_date = born.strftime("%d-%m-%y")
        message = interpolate_lazy(NIK_BIRTH_DATE_MISMATCH, {"nik_date": nik_date})
        warnings.append(Problem(BIRTH_DATE_MISMATCH, message))
    if expected_sex is not None and expected_sex != decoded_sex:
        warnings.append(Problem(SEX_MISMATCH, NIK_SEX_MISMATCH))


# -- KK -----------------------------------------------------------------------------


def parse_kk(value: str, *, today: datetime.date | None = None) -> IdentityResult:
    number, problems = _digits(value, KK_MESSAGES)
    if problems:
        return IdentityResult(number="", errors=problems)
    today = today or timezone.localdate()
    errors: list[Problem] = []
    warnings: list[Problem] = []
    region_code, region = _issuing_region(number, KK_MESSAGES, warnings)
    century = today.year - today.year % 100
    recorded = _date_or_none(century + int(number[10:12]), int(number[8:10]), int(number[6:8]))
    if recorded is None:
        errors.append(Problem(RECORDED_DATE_INVALID, KK_RECORDED_DATE_INVALID))
    elif recorded > today:
        warnings.append(Problem(RECORDED_DATE_FUTURE, KK_RECORDED_DATE_FUTURE))
    if number[12:] == "0000":
        errors.append(_problem(SERIAL_ZERO, KK_MESSAGES))
    return IdentityResult(
        number=number,
        errors=tuple(errors),
        warnings=tuple(warnings),
        region=region,
        region_code=region_code,
        serial=number[12:],
        recorded_date=recorded,
    )


# -- shared -------------------------------------------------------------------------


def _digits(value: str, messages: Mapping[str, Promise]) -> tuple[str, tuple[Problem, ...]]:
    """The number without separators, or the problems with its characters."""
    number = "".join(character for character in value if character not in SEPARATORS)
    others = {character for character in number if character not in ASCII_DIGITS}
    problems = []
    # isdigit() is true for every script's digits (and superscripts): the ones that fool the eye.
    if any(character.isdigit() for character in others):
        problems.append(_problem(NON_ASCII_DIGIT, messages))
    if any(not character.isdigit() for character in others):
        problems.append(_problem(INVALID_CHARACTER, messages))
    if not problems and len(number) != LENGTH:
        message = interpolate_lazy(messages[WRONG_LENGTH], {"count": len(number)})
        problems.append(Problem(WRONG_LENGTH, message))
    return number, tuple(problems)


def _issuing_region(
    number: str, messages: Mapping[str, Promise], warnings: list[Problem]
) -> tuple[str, Region | None]:
    code = f"{number[0:2]}.{number[2:4]}.{number[4:6]}"
    region = region_by_code(code)
    if region is None:
        message = interpolate_lazy(messages[REGION_UNKNOWN], {"code": code})
        warnings.append(Problem(REGION_UNKNOWN, message))
    elif not region.is_active:
        message = interpolate_lazy(messages[REGION_RETIRED], {"code": code})
        warnings.append(Problem(REGION_RETIRED, message))
    return code, region


def _problem(code: str, messages: Mapping[str, Promise]) -> Problem:
    return Problem(code, messages[code])


def _date_or_none(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None
