"""``manage.py handover_export --group OT-2026-0001 --organisation "LK3 Bontang" --output F.zip``.

Writes the handover package of a group whose return plan is approved (the
format: docs/handover-package.md). ``--user`` names who exports it, for the
audit log. Exit codes: 0 written, 1 the package cannot be made (the plan is
not approved), 2 usage errors (unknown organisation, group or user).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from lk3.accounts.models import Organisation, User
from lk3.core.errors import DomainError
from lk3.repatriation import packages
from lk3.repatriation.models import StrandedGroup

USAGE = 2
REFUSED = 1


def organisation_named(short_name: str) -> Organisation:
    found = list(Organisation.objects.filter(short_name=short_name)[:2])
    if len(found) != 1:
        raise CommandError(
            f"No single organisation has the short name {short_name!r}.", returncode=USAGE
        )
    return found[0]


class Command(BaseCommand):
    help = "Write the handover package of a stranded group with an approved return plan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--group", required=True, help="the intake number, OT-2026-0001")
        parser.add_argument("--organisation", required=True, help="the sender's short name")
        parser.add_argument("--output", required=True, help="the ZIP file to write")
        parser.add_argument("--user", default="", help="who exports it (username), for the audit")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_named(options["organisation"])
        group = (
            StrandedGroup.objects.select_related("organisation", "case")
            .filter(organisation=organisation, number=options["group"])
            .first()
        )
        if group is None:
            raise CommandError(
                f"{organisation.short_name} has no intake numbered {options['group']!r}.",
                returncode=USAGE,
            )
        actor = None
        if options["user"]:
            actor = User.objects.filter(
                username=options["user"], organisation=organisation, is_active=True
            ).first()
            if actor is None:
                raise CommandError(
                    f"No active user {options['user']!r} in {organisation.short_name}.",
                    returncode=USAGE,
                )
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"The folder of {output} does not exist.", returncode=USAGE)
        with translation.override(settings.LANGUAGE_CODE):
            try:
                data = packages.package_build(actor=actor, group=group)
            except DomainError as error:
                raise CommandError(str(error.message), returncode=REFUSED) from None
        output.write_bytes(data)
        if options["verbosity"] > 0:
            self.stdout.write(f"{output} ({len(data)} bytes)")
