"""``manage.py handover_import F.zip --organisation "Dinsos Garut" --user dadang``.

Imports a handover package (docs/handover-package.md) into the queue of the
receiving organisation, as the named user of its desk (coordinator or intake
officer). Exit codes: 0 imported, 1 the package was refused (the reason is
printed, with its code in brackets), 2 usage errors (no such file,
organisation or user, or a user who may not receive handovers).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from lk3.accounts.models import User
from lk3.core.errors import DomainError
from lk3.repatriation import packages
from lk3.repatriation.management.commands.handover_export import (
    REFUSED,
    USAGE,
    organisation_named,
)
from lk3.repatriation.permissions import can_receive_handovers


class Command(BaseCommand):
    help = "Import a handover package from another deployment into an organisation's queue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("package", help="the package (.zip)")
        parser.add_argument("--organisation", required=True, help="the receiver's short name")
        parser.add_argument("--user", required=True, help="who imports it (username)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["package"])
        if not path.is_file():
            raise CommandError(f"No file {path}.", returncode=USAGE)
        organisation = organisation_named(options["organisation"])
        actor = User.objects.filter(
            username=options["user"], organisation=organisation, is_active=True
        ).first()
        if actor is None or not can_receive_handovers(actor):
            raise CommandError(
                f"{options['user']!r} is not on the receiving desk of {organisation.short_name}.",
                returncode=USAGE,
            )
        with translation.override(settings.LANGUAGE_CODE):
            try:
                packages.check_size(path.stat().st_size)
                handover = packages.package_import(
                    actor=actor, organisation=organisation, data=path.read_bytes()
                )
            except DomainError as error:
                raise CommandError(f"{error.message} [{error.code}]", returncode=REFUSED) from None
        if options["verbosity"] > 0:
            self.stdout.write(f"{handover.public_id}")
