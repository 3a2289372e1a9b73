"""One seed run: organisations, demo accounts, boards, then persons.

Rules:
- A database that already has the scale's organisations is left alone:
  the run reports which scale is present and changes nothing. A run that
  stopped half-way (organisations but no ``seed.persons_generated`` event)
  is refused, because adding to it would not give the seeded data.
- Organisations, accounts and boards are written in one transaction;
  persons in batches of their own; the closing audit event (counts only)
  last, so its presence marks a complete seed.
- Each part draws from its own named stream (``streams.stream``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import Organisation
from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.audit.services import audit_record
from lk3.seed import demo_accounts
from lk3.seed.board import board_create, bontang_board, regency_board
from lk3.seed.catalogue import BONTANG, RegionCatalogue, catalogue_load
from lk3.seed.organisations import (
    SeededOrganisations,
    organisation_names,
    organisations_create,
    regency_codes,
)
from lk3.seed.persons import BATCH_SIZE, PersonTally, person_counts, person_rows, persons_write
from lk3.seed.scales import Scale
from lk3.seed.streams import DEFAULT_RANDOM_SEED, stream

INCOMPLETE_SEED = _(
    "The demo organisations exist but the person load never finished (no %(action)s "
    "event). Start again from an empty database."
)


class IncompleteSeedError(RuntimeError):
    pass


@dataclass(frozen=True)
class SeedResult:
    created: bool
    present_scale: str
    organisations: int = 0
    board_members: int = 0
    users: int = 0
    persons: PersonTally | None = None


def present_scale(*, scale: Scale, catalogue: RegionCatalogue) -> str | None:
    """The scale already seeded here, or None when the scale's organisations are absent."""
    regency_names = {code: regency.name for code, regency in catalogue.regencies.items()}
    wanted = organisation_names(all_regencies=scale.all_regencies, regency_names=regency_names)
    if not Organisation.objects.filter(name__in=wanted).exists():
        return None
    event = (
        AuditEvent.objects.filter(action=actions.SEED_PERSONS_GENERATED)
        .order_by("-occurred_at", "-id")
        .first()
    )
    if event is None:
        raise IncompleteSeedError(INCOMPLETE_SEED % {"action": actions.SEED_PERSONS_GENERATED})
    return str(event.changes["scale"][1])


@transaction.atomic
def _structure_create(
    *, scale: Scale, catalogue: RegionCatalogue, random_seed: int
) -> tuple[SeededOrganisations, int, int]:
    regency_names = {code: regency.name for code, regency in catalogue.regencies.items()}
    organisations = organisations_create(
        all_regencies=scale.all_regencies, regency_names=regency_names
    )
    users = demo_accounts.demo_accounts_create(
        organisations={
            demo_accounts.LK3: organisations.bontang_lk3,
            demo_accounts.CITY_OFFICE: organisations.bontang_office,
            demo_accounts.PROVINCE_OFFICE: organisations.province_office,
        }
    )
    members = 0
    for code, lk3 in organisations.lk3s.items():
        rng = stream(random_seed, f"board:{code}")
        regency = catalogue.regency(code)
        specs = bontang_board(rng, regency) if code == BONTANG else regency_board(rng, regency)
        members += board_create(organisation=lk3, specs=specs, users=users)
    return organisations, len(users), members


@transaction.atomic
def _persons_audit(
    *, scale: Scale, random_seed: int, organisations: SeededOrganisations, tally: PersonTally
) -> None:
    changes: dict[str, list[object]] = {
        "scale": [None, scale.name],
        "random_seed": [None, random_seed],
        "persons": [0, tally.total],
        "with_nik": [0, tally.with_nik],
        "without_nik": [0, tally.without_nik],
    }
    for code, count in sorted(tally.by_regency.items()):
        changes[f"persons:{organisations.lk3s[code].short_name}"] = [0, count]
    audit_record(
        actor=None,
        action=actions.SEED_PERSONS_GENERATED,
        target=organisations.bontang_lk3,
        organisation=organisations.bontang_lk3,
        changes=changes,
    )


def seed_run(
    *,
    scale: Scale,
    random_seed: int = DEFAULT_RANDOM_SEED,
    persons: int | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> SeedResult:
    """Seed an empty database at ``scale``; ``persons`` overrides the scale's count.

    ``progress(written)`` is called after each batch of persons.
    """
    catalogue = catalogue_load()
    already = present_scale(scale=scale, catalogue=catalogue)
    if already is not None:
        return SeedResult(created=False, present_scale=already)
    organisations, users, members = _structure_create(
        scale=scale, catalogue=catalogue, random_seed=random_seed
    )
    counts = person_counts(
        scale.persons if persons is None else persons,
        regency_codes=regency_codes(all_regencies=scale.all_regencies),
    )
    rows = person_rows(rng=stream(random_seed, "persons"), catalogue=catalogue, counts=counts)
    tally = persons_write(
        rows=rows,
        organisation_ids={code: lk3.pk for code, lk3 in organisations.lk3s.items()},
        batch_size=batch_size,
        progress=progress,
    )
    _persons_audit(scale=scale, random_seed=random_seed, organisations=organisations, tally=tally)
    return SeedResult(
        created=True,
        present_scale=scale.name,
        organisations=len(organisations.lk3s) * 2 + 1,
        board_members=members,
        users=users,
        persons=tally,
    )
