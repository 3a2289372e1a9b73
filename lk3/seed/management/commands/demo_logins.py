from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from lk3.accounts.roles import Role
from lk3.seed.demo_accounts import DEMO_PASSWORD, demo_accounts_present


class Command(BaseCommand):
    help = "Print the demo accounts that exist, with their role, organisation and password."

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("id"):
            users = demo_accounts_present()
            if not users:
                self.stdout.write(_("No demo accounts yet: run `manage.py seed --scale demo`."))
                return
            header = (_("Username"), _("Role"), _("Organisation"), _("Password"))
            rows = [
                (
                    user.username,
                    str(Role(user.role).label),
                    user.organisation.short_name if user.organisation else "",
                    DEMO_PASSWORD,
                )
                for user in users
            ]
            self.stdout.write(_("Demo accounts (demo data only):"))
            widths = [max(len(row[column]) for row in [header, *rows]) for column in range(4)]
            for row in [header, *rows]:
                line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
                self.stdout.write(f"  {line}".rstrip())
