from __future__ import annotations

import time
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lk3.seed.persons import BATCH_SIZE
from lk3.seed.run import IncompleteSeedError, seed_run
from lk3.seed.scales import SCALES
from lk3.seed.streams import DEFAULT_RANDOM_SEED

PROGRESS_EVERY_BATCHES = 20


class Command(BaseCommand):
    help = (
        "Generate deterministic demo data: organisations, the LK3 board, one demo account "
        "per role and persons. Does nothing when the data is already present."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), default="demo")
        parser.add_argument("--random-seed", type=int, default=DEFAULT_RANDOM_SEED)
        parser.add_argument(
            "--persons", type=int, default=None, help="Number of persons instead of the scale's."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = SCALES[options["scale"]]
        total = scale.persons if options["persons"] is None else options["persons"]
        started = time.monotonic()
        try:
            result = seed_run(
                scale=scale,
                random_seed=options["random_seed"],
                persons=options["persons"],
                progress=self._progress(total, options["verbosity"]),
            )
        except (IncompleteSeedError, LookupError) as error:
            raise CommandError(str(error)) from error
        if not result.created:
            self.stdout.write(
                _("Demo data (scale %(scale)s) is already present; nothing was changed.")
                % {"scale": result.present_scale}
            )
            if result.present_scale != scale.name:
                self.stdout.write(
                    _("Use an empty database to seed scale %(scale)s.") % {"scale": scale.name}
                )
            return
        persons = result.persons
        self.stdout.write(
            _(
                "Seeded scale %(scale)s in %(seconds).1f s: %(organisations)d organisations, "
                "%(users)d demo accounts, %(members)d board members, %(persons)d persons "
                "(%(without_nik)d without NIK)."
            )
            % {
                "scale": scale.name,
                "seconds": time.monotonic() - started,
                "organisations": result.organisations,
                "users": result.users,
                "members": result.board_members,
                "persons": persons.total if persons else 0,
                "without_nik": persons.without_nik if persons else 0,
            }
        )

    def _progress(self, total: int, verbosity: int) -> Callable[[int], None] | None:
        step = BATCH_SIZE * PROGRESS_EVERY_BATCHES
        if verbosity < 1 or total <= step:
            return None

        def report(written: int) -> None:
            if written % step == 0 or written == total:
                self.stdout.write(
                    _("persons: %(written)d of %(total)d") % {"written": written, "total": total}
                )

        return report
