"""``manage.py case_digest [--date YYYY-MM-DD] [--now]``: the daily task reminders, for cron.

By default the reminders are queued for the task worker (``manage.py
db_worker``), so cron returns at once and a mail server that is slow or
down does not hold it; ``--now`` sends them in this process and says how
many went out. Running it twice on one day sends nothing new
(``lk3.cases.tasks``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lk3.cases.tasks import reminders_send, task_reminders_send

USAGE_ERROR = 2
BAD_DATE = gettext_lazy("--date must be a date written as YYYY-MM-DD.")


def _day(value: str | None) -> datetime.date:
    if not value:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(str(BAD_DATE), returncode=USAGE_ERROR) from error


class Command(BaseCommand):
    help = "Email each worker one reminder of their tasks due today or overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="the day (default: today)")
        parser.add_argument(
            "--now", action="store_true", help="send in this process instead of queueing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = _day(options["date"])
        if options["now"]:
            sent = reminders_send(day=day)
            if options["verbosity"] > 0:
                self.stdout.write(
                    ngettext(
                        "%(count)d reminder email sent for %(day)s.",
                        "%(count)d reminder emails sent for %(day)s.",
                        sent,
                    )
                    % {"count": sent, "day": day.isoformat()}
                )
            return
        result = task_reminders_send.enqueue(day=day.isoformat())
        if options["verbosity"] > 0:
            self.stdout.write(
                _("Reminders for %(day)s queued (task %(id)s).")
                % {"day": day.isoformat(), "id": result.id}
            )
