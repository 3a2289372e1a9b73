from __future__ import annotations

import time
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lk3.seed.cases import CASE_BATCH, CaseTally
from lk3.seed.persons import BATCH_SIZE
from lk3.seed.referrals import ReferralTally
from lk3.seed.repatriation import RepatriationTally
from lk3.seed.run import IncompleteSeedError, seed_run
from lk3.seed.scales import SCALES
from lk3.seed.streams import DEFAULT_RANDOM_SEED

PROGRESS_EVERY_BATCHES = 20
CASE_PROGRESS_EVERY_BATCHES = 10


class Command(BaseCommand):
    help = (
        "Generate deterministic demo data: organisations, the LK3 board, one demo account "
        "per role, persons and cases. Does nothing when the data is already present."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), default="demo")
        parser.add_argument("--random-seed", type=int, default=DEFAULT_RANDOM_SEED)
        parser.add_argument(
            "--persons", type=int, default=None, help="Number of persons instead of the scale's."
        )
        parser.add_argument(
            "--cases", type=int, default=None, help="Number of cases instead of the scale's."
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
                cases=options["cases"],
                progress=self._progress(total, options["verbosity"]),
                case_progress=self._case_progress(options["verbosity"]),
            )
        except (IncompleteSeedError, LookupError) as error:
            raise CommandError(str(error)) from error
        if not result.created and result.cases is not None:
            self.stdout.write(
                _("Demo data (scale %(scale)s) had no cases yet: cases were added.")
                % {"scale": result.present_scale}
            )
            self._cases_report(result.cases)
            self._referrals_report(result.referrals)
            self._repatriation_report(result.repatriation)
            return
        if not result.created and result.referrals is not None:
            self.stdout.write(
                _("Demo data (scale %(scale)s) had no referral network yet: it was added.")
                % {"scale": result.present_scale}
            )
            self._referrals_report(result.referrals)
            self._repatriation_report(result.repatriation)
            return
        if not result.created and result.repatriation is not None:
            self.stdout.write(
                _("Demo data (scale %(scale)s) had no stranded people yet: they were added.")
                % {"scale": result.present_scale}
            )
            self._repatriation_report(result.repatriation)
            return
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
        if result.cases is not None:
            self._cases_report(result.cases)
        self._referrals_report(result.referrals)
        self._repatriation_report(result.repatriation)

    def _repatriation_report(self, tally: RepatriationTally | None) -> None:
        if tally is None:
            return
        self.stdout.write(
            _(
                "Stranded people: %(intakes)d intakes of %(people)d people from %(provinces)d "
                "provinces, %(plans)d return plans (%(over)d above the ceiling), %(handovers)d "
                "handovers (%(receiver)d to Dinsos Garut, login dadang)."
            )
            % {
                "intakes": tally.intakes,
                "people": tally.people,
                "provinces": len(tally.provinces),
                "plans": tally.plans,
                "over": tally.over_ceiling,
                "handovers": tally.handovers,
                "receiver": tally.to_receiver,
            }
        )

    def _referrals_report(self, tally: ReferralTally | None) -> None:
        if tally is None:
            return
        self.stdout.write(
            _(
                "Referral network: %(partners)d partners with %(agreements)d MoU/PKS, "
                "%(referrals)d referrals (%(out)d out, %(in)d in; %(overdue)d awaiting an "
                "answer past the due date) and %(reports)d field reports."
            )
            % {
                "partners": tally.partners,
                "agreements": tally.agreements,
                "referrals": tally.referrals,
                "out": tally.by_direction["out"],
                "in": tally.by_direction["in"],
                "overdue": tally.overdue,
                "reports": tally.reports,
            }
        )

    def _cases_report(self, tally: CaseTally) -> None:
        self.stdout.write(
            _(
                "Cases: %(cases)d (%(open)d open, %(requested)d awaiting closure approval, "
                "%(closed)d closed) with %(sessions)d sessions, %(assessments)d assessments and "
                "%(tasks)d tasks; %(workers)d casework accounts added."
            )
            % {
                "cases": tally.total,
                "open": tally.by_status["open"],
                "requested": tally.by_status["closure_requested"],
                "closed": tally.by_status["closed"],
                "sessions": tally.sessions,
                "assessments": tally.assessments,
                "tasks": tally.tasks,
                "workers": tally.workers,
            }
        )

    def _case_progress(self, verbosity: int) -> Callable[[int], None] | None:
        if verbosity < 1:
            return None
        step = CASE_BATCH * CASE_PROGRESS_EVERY_BATCHES
        reported = 0

        def report(written: int) -> None:
            # Each LK3 ends with a short batch: totals are not all multiples of a batch.
            nonlocal reported
            if written // step > reported // step:
                reported = written
                self.stdout.write(_("cases: %(written)d") % {"written": written})

        return report

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
