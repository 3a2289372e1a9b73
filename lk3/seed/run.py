"""One seed run: organisations, demo accounts, boards, persons, cases, then the referral network.

Rules:
- A database that already has the scale's organisations is left alone:
  the run reports which scale is present and changes nothing. A run that
  stopped half-way (organisations but no ``seed.persons_generated`` event)
  is refused, because adding to it would not give the seeded data.
- Demo data seeded before cases were generated (a ``seed.persons_generated``
  event, no ``seed.cases_generated`` event and no case at all) gets its
  cases, from the seed and the persons recorded in that event; a database
  with cases of its own is left alone.
- Organisations, accounts and boards are written in one transaction;
  persons and cases in batches of their own; each part closes with its
  audit event (counts only), so the last one marks a complete seed.
- Each part draws from its own named stream (``streams.stream``).
- The referral network (``referrals.py``) follows the cases; demo data
  with cases but no network (no partner, referral or field report, no
  ``seed.referrals_generated`` event) gets it on the next run.
- Stranded people and their return (``repatriation.py``) follow the
  network, the same way: demo data with a network but no intake (no
  ``seed.repatriation_generated`` event) gets them on the next run.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import Organisation, OrganisationKind
from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.audit.services import audit_record
from lk3.cases.models import Case
from lk3.seed import demo_accounts
from lk3.seed.board import board_create, bontang_board, regency_board
from lk3.seed.cases import CaseTally, cases_audit, cases_seed
from lk3.seed.catalogue import BONTANG, RegionCatalogue, catalogue_load
from lk3.seed.organisations import (
    SeededOrganisations,
    organisation_names,
    organisations_create,
    regency_codes,
)
from lk3.seed.persons import BATCH_SIZE, PersonTally, person_counts, person_rows, persons_write
from lk3.seed.referrals import ReferralTally, network_present, referrals_audit, referrals_seed
from lk3.seed.repatriation import (
    RepatriationTally,
    repatriation_audit,
    repatriation_present,
    repatriation_seed,
)
from lk3.seed.scales import SCALES, Scale
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
    cases: CaseTally | None = None
    referrals: ReferralTally | None = None
    repatriation: RepatriationTally | None = None


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
    cases: int | None = None,
    today: datetime.date | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    case_progress: Callable[[int], None] | None = None,
) -> SeedResult:
    """Seed an empty database at ``scale``; ``persons`` and ``cases`` override the scale's counts.

    Case dates count back from ``today`` (the local date by default).
    ``progress(written)`` is called after each batch of persons,
    ``case_progress(written)`` after each batch of cases.
    """
    catalogue = catalogue_load()
    today = today or timezone.localdate()
    already = present_scale(scale=scale, catalogue=catalogue)
    if already is not None:
        result = _cases_add(
            present=already, catalogue=catalogue, today=today, progress=case_progress
        )
        result = _referrals_add(result, catalogue=catalogue, today=today)
        return _repatriation_add(result, catalogue=catalogue, today=today)
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
    case_tally = _cases(
        scale=scale.name,
        lk3s=organisations.lk3s,
        catalogue=catalogue,
        total=scale.cases_for(persons) if cases is None else cases,
        random_seed=random_seed,
        today=today,
        progress=case_progress,
    )
    referral_tally = _referrals(
        lk3s=organisations.lk3s, catalogue=catalogue, random_seed=random_seed, today=today
    )
    repatriation_tally = _repatriation(
        lk3s=organisations.lk3s, catalogue=catalogue, random_seed=random_seed, today=today
    )
    return SeedResult(
        created=True,
        present_scale=scale.name,
        organisations=len(organisations.lk3s) * 2 + 1,
        board_members=members,
        users=users,
        persons=tally,
        cases=case_tally,
        referrals=referral_tally,
        repatriation=repatriation_tally,
    )


def _cases(
    *,
    scale: str,
    lk3s: Mapping[str, Organisation],
    catalogue: RegionCatalogue,
    total: int,
    random_seed: int,
    today: datetime.date,
    progress: Callable[[int], None] | None,
) -> CaseTally:
    tally = cases_seed(
        lk3s=lk3s,
        catalogue=catalogue,
        total=total,
        random_seed=random_seed,
        today=today,
        progress=progress,
    )
    cases_audit(
        target=lk3s[BONTANG],
        scale=scale,
        random_seed=random_seed,
        today=today,
        tally=tally,
        lk3s=lk3s,
    )
    return tally


def _cases_add(
    *,
    present: str,
    catalogue: RegionCatalogue,
    today: datetime.date,
    progress: Callable[[int], None] | None,
) -> SeedResult:
    """Cases for demo data seeded before there were any; anything else is left alone."""
    unchanged = SeedResult(created=False, present_scale=present)
    if AuditEvent.objects.filter(action=actions.SEED_CASES_GENERATED).exists():
        return unchanged
    if Case.objects.exists() or present not in SCALES:
        return unchanged
    persons_event = (
        AuditEvent.objects.filter(action=actions.SEED_PERSONS_GENERATED)
        .order_by("-occurred_at", "-id")
        .first()
    )
    assert persons_event is not None  # present_scale found it
    scale = SCALES[present]
    regency_names = {code: regency.name for code, regency in catalogue.regencies.items()}
    names = organisation_names(all_regencies=scale.all_regencies, regency_names=regency_names)
    lk3s = {
        str(lk3.region_id): lk3
        for lk3 in Organisation.objects.filter(kind=OrganisationKind.LK3, name__in=names)
    }
    tally = _cases(
        scale=scale.name,
        lk3s=lk3s,
        catalogue=catalogue,
        total=scale.cases_for(int(persons_event.changes["persons"][1])),
        random_seed=int(persons_event.changes["random_seed"][1]),
        today=today,
        progress=progress,
    )
    return SeedResult(created=False, present_scale=present, cases=tally)


def _referrals(
    *,
    lk3s: Mapping[str, Organisation],
    catalogue: RegionCatalogue,
    random_seed: int,
    today: datetime.date,
) -> ReferralTally:
    tally = referrals_seed(lk3s=lk3s, catalogue=catalogue, random_seed=random_seed, today=today)
    referrals_audit(target=lk3s[BONTANG], random_seed=random_seed, today=today, tally=tally)
    return tally


def _referrals_add(
    result: SeedResult, *, catalogue: RegionCatalogue, today: datetime.date
) -> SeedResult:
    """The referral network for demo data seeded before there was one; else nothing."""
    lk3s = _seeded_lk3s(result, catalogue, after=actions.SEED_CASES_GENERATED)
    if lk3s is None or network_present(lk3s):
        return result
    tally = _referrals(
        lk3s=lk3s, catalogue=catalogue, random_seed=_persons_random_seed(), today=today
    )
    return replace(result, referrals=tally)


def _seeded_lk3s(
    result: SeedResult, catalogue: RegionCatalogue, *, after: str
) -> dict[str, Organisation] | None:
    """The seeded scale's LK3s by region, once the step audited as ``after`` has run; else None."""
    if result.present_scale not in SCALES:
        return None
    if not AuditEvent.objects.filter(action=after).exists():
        return None
    scale = SCALES[result.present_scale]
    regency_names = {code: regency.name for code, regency in catalogue.regencies.items()}
    names = organisation_names(all_regencies=scale.all_regencies, regency_names=regency_names)
    lk3s = {
        str(lk3.region_id): lk3
        for lk3 in Organisation.objects.filter(kind=OrganisationKind.LK3, name__in=names)
    }
    return lk3s if BONTANG in lk3s else None


def _persons_random_seed() -> int:
    """The random seed the registry was generated with (later steps draw from it too)."""
    persons_event = (
        AuditEvent.objects.filter(action=actions.SEED_PERSONS_GENERATED)
        .order_by("-occurred_at", "-id")
        .first()
    )
    assert persons_event is not None  # present_scale found it
    return int(persons_event.changes["random_seed"][1])


def _repatriation(
    *,
    lk3s: Mapping[str, Organisation],
    catalogue: RegionCatalogue,
    random_seed: int,
    today: datetime.date,
) -> RepatriationTally:
    tally = repatriation_seed(lk3s=lk3s, catalogue=catalogue, random_seed=random_seed, today=today)
    repatriation_audit(target=lk3s[BONTANG], random_seed=random_seed, today=today, tally=tally)
    return tally


def _repatriation_add(
    result: SeedResult, *, catalogue: RegionCatalogue, today: datetime.date
) -> SeedResult:
    """Stranded intakes for demo data seeded before there were any; else nothing."""
    lk3s = _seeded_lk3s(result, catalogue, after=actions.SEED_REFERRALS_GENERATED)
    if lk3s is None or repatriation_present(lk3s):
        return result
    tally = _repatriation(
        lk3s=lk3s, catalogue=catalogue, random_seed=_persons_random_seed(), today=today
    )
    return replace(result, repatriation=tally)
