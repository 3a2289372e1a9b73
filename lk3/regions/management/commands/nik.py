"""``manage.py nik NIK [--birth-date YYYY-MM-DD] [--sex L|P]``: decode a NIK.

Prints one JSON object on stdout, messages in Indonesian, so scripts and
people at a terminal read the same thing. Exit status: 0 valid, 1 not
valid (the JSON still says why), 2 a malformed option.
"""

from __future__ import annotations

import datetime
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from lk3.regions.identity import SEX_CHOICES, parse_nik
from lk3.regions.summaries import identity_summary

BAD_BIRTH_DATE = "--birth-date must be a date written YYYY-MM-DD, for example 1990-08-17"
BAD_SEX = "--sex must be L (male) or P (female)"
USAGE_ERROR = 2


class Command(BaseCommand):
    help = "Decode a NIK and print what it says as one JSON object (exit 1 when not valid)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("nik")
        parser.add_argument("--birth-date", dest="birth_date", metavar="YYYY-MM-DD")
        parser.add_argument("--sex", metavar="L|P")

    def handle(self, *args: Any, **options: Any) -> None:
        birth_date = _birth_date_option(options["birth_date"])
        sex = _sex_option(options["sex"])
        with translation.override("id"):
            result = parse_nik(options["nik"], birth_date=birth_date, sex=sex)
            self.stdout.write(json.dumps(identity_summary(result), ensure_ascii=False))
        if not result.valid:
            sys.exit(1)


def _birth_date_option(value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(BAD_BIRTH_DATE, returncode=USAGE_ERROR) from error


def _sex_option(value: str | None) -> str | None:
    if value is None:
        return None
    if value.upper() not in SEX_CHOICES:
        raise CommandError(BAD_SEX, returncode=USAGE_ERROR)
    return value.upper()
