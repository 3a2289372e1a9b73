"""An organisation's repatriation rules (the cost ceiling, how often one person may be returned)."""

from __future__ import annotations

from lk3.accounts.models import Organisation
from lk3.repatriation.models import RepatriationSettings


def settings_for(organisation: Organisation) -> RepatriationSettings:
    """The organisation's settings, with the defaults until an administrator changes them."""
    found, _created = RepatriationSettings.objects.get_or_create(organisation=organisation)
    return found
