"""Runs of the referral seed: demo data with cases but no network gets it on the next run."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.cases.models import Case
from lk3.referrals.models import Agreement, FieldReport, Partner, PartnerMember, Referral
from lk3.seed.catalogue import catalogue_load
from lk3.seed.persons import person_counts, person_rows, persons_write
from lk3.seed.run import _cases, _persons_audit, _structure_create
from lk3.seed.scales import DEMO
from lk3.seed.streams import DEFAULT_RANDOM_SEED, stream


def test_demo_data_with_cases_but_no_network_gets_it(db):
    persons, cases = 200, 60
    catalogue = catalogue_load()
    organisations, _users, _members = _structure_create(
        scale=DEMO, catalogue=catalogue, random_seed=DEFAULT_RANDOM_SEED
    )
    rows = person_rows(
        rng=stream(DEFAULT_RANDOM_SEED, "persons"),
        catalogue=catalogue,
        counts=person_counts(persons, regency_codes=["64.74"]),
    )
    tally = persons_write(rows=rows, organisation_ids={"64.74": organisations.bontang_lk3.pk})
    with transaction.atomic():
        _persons_audit(
            scale=DEMO, random_seed=DEFAULT_RANDOM_SEED, organisations=organisations, tally=tally
        )
    _cases(
        scale=DEMO.name,
        lk3s=organisations.lk3s,
        catalogue=catalogue,
        total=cases,
        random_seed=DEFAULT_RANDOM_SEED,
        today=timezone.localdate(),
        progress=None,
    )
    assert not Partner.objects.exists()
    output = io.StringIO()

    call_command("seed", "--scale", "demo", stdout=output)

    assert Case.objects.filter(stranded_group__isnull=True).count() == cases
    assert Referral.objects.count() == round(cases / 6)
    assert FieldReport.objects.count() == round(cases / 10)
    assert PartnerMember.objects.filter(user__username="mitra_ppa").exists()
    assert f"{Agreement.objects.count()} MoU/PKS" in output.getvalue()
    assert AuditEvent.objects.filter(action=actions.SEED_REFERRALS_GENERATED).count() == 1
    assert AuditEvent.objects.filter(action=actions.SEED_CASES_GENERATED).count() == 1
