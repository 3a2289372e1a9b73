from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lk3.cases.assessments import instruments_load
from lk3.core.vocabularies import vocabularies_load
from lk3.regions.services import regions_load


class Command(BaseCommand):
    help = (
        "Load the regions (Kepmendagri 2025), the vocabularies and the default assessment "
        "instruments. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Reload the regions even when the file has not changed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        regions = regions_load(actor=None, force=options["force"])
        vocabularies = vocabularies_load()
        instruments = instruments_load()
        if options["verbosity"] < 1:
            return
        self.stdout.write(f"regions: {regions}")
        for result in vocabularies:
            self.stdout.write(f"{result.model}: {result.created} added, {result.existing} kept")
        self.stdout.write(
            f"assessment instruments: {instruments.created} added, {instruments.existing} kept"
        )
