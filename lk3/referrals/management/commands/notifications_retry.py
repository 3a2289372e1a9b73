"""``manage.py notifications_retry [--older-than MIN] [--max-age HOURS]``: for cron.

Emails and pushes (SMS/WhatsApp gateway) the notifications whose delivery
failed or never ran: unread ones, older than ``--older-than`` minutes (the
queued task gets its chance first) and younger than ``--max-age`` hours (a
stale message helps nobody; the inbox still has it). Runs in this process;
running it twice at once sends nothing twice (``lk3.referrals.tasks``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from lk3.referrals.tasks import retry_pending


class Command(BaseCommand):
    help = "Email and push again the notifications whose delivery failed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=5,
            metavar="MINUTES",
            help="only notifications at least this old (default 5)",
        )
        parser.add_argument(
            "--max-age",
            type=int,
            default=72,
            metavar="HOURS",
            help="only notifications at most this old (default 72)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = retry_pending(
            older_than=datetime.timedelta(minutes=max(0, options["older_than"])),
            max_age=datetime.timedelta(hours=max(0, options["max_age"])),
        )
        if options["verbosity"] > 0:
            self.stdout.write(
                _(
                    "Emailed %(emailed)d, pushed %(pushed)d; "
                    "%(email_failed)d emails and %(push_failed)d pushes still wait."
                )
                % result.as_dict()
            )
