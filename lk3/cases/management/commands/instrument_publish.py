"""Publish an assessment instrument from a JSON file: the next version of its code.

The file has the shape of ``lk3/cases/data/instruments/*.json`` (code,
kind, name, schema; a ``version`` in it is ignored: the next one is
taken). Versions already used in assessments are never changed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lk3.cases.assessments import instrument_publish
from lk3.core.errors import DomainError


class Command(BaseCommand):
    help = "Publish an assessment instrument (JSON file) as the next version of its code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The instrument's JSON file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            document = json.loads(options["path"].read_text("utf-8"))
            instrument = instrument_publish(
                actor=None,
                code=document["code"],
                kind=document["kind"],
                name=document["name"],
                schema=document["schema"],
            )
        except (OSError, ValueError, KeyError, DomainError, ValidationError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{instrument.code}: version {instrument.version} is the active one")
