"""``manage.py dedup_csv --input persons.csv --output pairs.csv [--threshold 0.5]``.

Runs the record matcher over a CSV file (``lk3.people.dedup_csv``) without
touching the database. Exit status 2, with the reason on stderr and no
output file, when the input or the options are not usable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lk3.people.dedup_csv import DedupFileError, dedup_csv_run
from lk3.people.matching import THRESHOLD

USAGE_ERROR = 2
BAD_THRESHOLD = gettext_lazy("--threshold must be a number from 0 to 1.")


class Command(BaseCommand):
    help = (
        "Find the records of a CSV file (id,full_name,birth_date,sex,nik,birth_place,address,"
        "kelurahan_code) that are one person; write the pairs as id_a,id_b,score."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path, metavar="PERSONS.CSV")
        parser.add_argument("--output", required=True, type=Path, metavar="PAIRS.CSV")
        parser.add_argument("--threshold", type=float, default=THRESHOLD, metavar="0..1")

    def handle(self, *args: Any, **options: Any) -> None:
        threshold = options["threshold"]
        if not 0 <= threshold <= 1:
            raise CommandError(str(BAD_THRESHOLD), returncode=USAGE_ERROR)
        try:
            result = dedup_csv_run(
                input_path=options["input"], output_path=options["output"], threshold=threshold
            )
        except DedupFileError as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from error
        self.stdout.write(
            _("%(pairs)d pairs among %(records)d records written to %(path)s.")
            % {"pairs": result.pairs, "records": result.records, "path": options["output"]}
        )
