"""Cases for the demo data: every stage and status, with what happens in them.

Rules:
- Each LK3 gets cases for a share of its registered persons (``Scale.cases``,
  spread over the LK3s like the persons), drawn from its own stream
  (``"cases:<kab/kota code>"``); the accounts it needs from
  ``"case-workers:<code>"``. The same seed, persons and day give the same
  cases. Dates are counted back from the day of the seed (``today``), so
  the demo always has work due this week and tasks overdue.
- Each case is drawn in two steps: first its skeleton (category, client,
  profile and timeline, ``case_history``) for all of an LK3's cases, so
  that they can be numbered ``KS-<year>-<sequence>`` in order of opening
  (``CaseNumberCounter`` ends at the last number given); then its rows
  (``case_records.CaseBuilder``), a batch at a time.
- Clients are the LK3's active persons, by age and sex as the category
  needs (``Pools``); each is taken once before any is taken twice.
- LK3s without enough casework accounts get them (``case_workers_create``,
  through ``user_create``, audited, without a usable password): a
  coordinator, an intake officer, and a counsellor or psychologist per
  ``CASES_PER_WORKER`` cases.
- Writing goes in batches of ``CASE_BATCH`` cases, one transaction each
  (``bulk.bulk_insert``, which encrypts what the fields encrypt); one
  ``seed.cases_generated`` audit event with the counts closes the load.
"""

from __future__ import annotations

import datetime
import gc
import math
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Model
from django.utils.text import slugify

from lk3.accounts.models import BoardMember, Organisation, User
from lk3.accounts.roles import Role
from lk3.accounts.services import user_create
from lk3.audit import actions
from lk3.audit.services import audit_record
from lk3.cases.models import (
    Activity,
    Assessment,
    Case,
    CaseMember,
    CaseNumberCounter,
    CaseSession,
    CaseTransfer,
    CheckIn,
    ClosureRequest,
    Goal,
    PlanRevision,
    StageChange,
    Task,
)
from lk3.cases.services import NUMBER_FORMAT
from lk3.people.models import Person, PersonStatus, Sex
from lk3.seed import contacts, names
from lk3.seed.bulk import bulk_insert
from lk3.seed.case_history import (
    CATEGORIES,
    INDEX,
    OPEN,
    PROFILES,
    REQUIRED_PROFILES,
    timeline,
)
from lk3.seed.case_records import (
    CLIENT_KINDS,
    REFERRER_FUNCTIONS,
    Built,
    CaseBuilder,
    Client,
    LK3Context,
    Referrer,
    Skeleton,
    Staff,
    Vocabulary,
    Worker,
)
from lk3.seed.catalogue import Regency, RegionCatalogue
from lk3.seed.persons import apportion
from lk3.seed.streams import Weighted, pick, stream, uuid_from

CASES_PER_WORKER = 1_500
MIN_WORKERS = 3
CASE_BATCH = 2_000
SQLITE_CACHE_KIB = 262_144
# How often each role leads a case: the coordinator mostly supervises.
LEAD_WEIGHT: dict[str, float] = {
    Role.COUNSELLOR: 1.0,
    Role.PSYCHOLOGIST: 0.6,
    Role.COORDINATOR: 0.1,
}
CASEWORK_ROLES = (Role.COORDINATOR, Role.COUNSELLOR, Role.PSYCHOLOGIST, Role.INTAKE)


def staff_load(organisation: Organisation) -> Staff:
    rows = (
        User.objects.filter(organisation=organisation, is_active=True, role__in=CASEWORK_ROLES)
        .order_by("username")
        .values_list("id", "username", "full_name", "role")
    )
    workers = [Worker(*row) for row in rows]
    by_role: dict[str, list[Worker]] = defaultdict(list)
    for worker in workers:
        by_role[worker.role].append(worker)
    return Staff(
        coordinators=by_role[Role.COORDINATOR],
        intake=by_role[Role.INTAKE],
        leads=Weighted([(w, LEAD_WEIGHT[w.role]) for w in workers if w.role in LEAD_WEIGHT]),
        psychologists=by_role[Role.PSYCHOLOGIST],
    )


WORKER_SUFFIXES = {
    Role.COUNSELLOR: ("S.Sos.", "S.Tr.Sos.", "S.Psi.", "S.Sos., M.Si."),
    Role.PSYCHOLOGIST: ("S.Psi., M.Psi., Psikolog",),
    Role.COORDINATOR: ("S.Sos., M.Si.", "S.Psi., M.Si."),
    Role.INTAKE: ("S.Sos.", "A.Md.", "S.Kom."),
}

USERNAME_ROLE = {
    Role.COUNSELLOR: "konselor",
    Role.PSYCHOLOGIST: "psikolog",
    Role.COORDINATOR: "koordinator",
    Role.INTAKE: "intake",
}

PSYCHOLOGIST_EVERY = 4


def workers_needed(cases: int) -> int:
    return max(MIN_WORKERS, math.ceil(cases / CASES_PER_WORKER))


def case_workers_create(
    *, organisation: Organisation, regency: Regency, cases: int, rng: random.Random
) -> int:
    """Accounts the LK3 lacks for ``cases`` cases; those already there (by username) are kept."""
    roles = Counter(
        User.objects.filter(organisation=organisation, is_active=True).values_list(
            "role", flat=True
        )
    )
    slug = slugify(regency.short_name)
    wanted: list[tuple[str, Role]] = []
    if not roles[Role.COORDINATOR]:
        wanted.append((f"{slug}.{USERNAME_ROLE[Role.COORDINATOR]}", Role.COORDINATOR))
    if not roles[Role.INTAKE]:
        wanted.append((f"{slug}.{USERNAME_ROLE[Role.INTAKE]}", Role.INTAKE))
    missing = workers_needed(cases) - roles[Role.COUNSELLOR] - roles[Role.PSYCHOLOGIST]
    for number in range(1, missing + 1):
        role = Role.PSYCHOLOGIST if number % PSYCHOLOGIST_EVERY == 0 else Role.COUNSELLOR
        wanted.append((f"{slug}.{USERNAME_ROLE[role]}{number:02d}", role))
    existing = set(
        User.objects.filter(username__in=[name for name, _ in wanted]).values_list(
            "username", flat=True
        )
    )
    mix = Weighted(
        {
            names.ETHNICITIES[key]: share
            for key, share in names.mix_for_regency(regency.code).items()
        }
    )
    created = 0
    for username, role in wanted:
        female = rng.random() < 0.7
        full_name = names.full_name(
            rng,
            ethnicity=mix.pick(rng),
            sex=names.FEMALE if female else names.MALE,
            birth_year=rng.randrange(1970, 1999),
        )
        phone = contacts.mobile_number(rng)
        if username in existing:
            continue
        user_create(
            actor=None,
            username=username,
            full_name=f"{full_name}, {pick(rng, WORKER_SUFFIXES[role])}",
            role=role,
            organisation=organisation,
            password=None,
            phone=phone,
        )
        created += 1
    return created


class Pools:
    """The LK3's persons by age and sex, shuffled; each case takes the next of its kind."""

    def __init__(
        self,
        rows: Iterable[tuple[int, datetime.date | None, str, Any]],
        today: datetime.date,
        rng: random.Random,
    ) -> None:
        pools: dict[str, list[Client]] = {kind: [] for kind in CLIENT_KINDS}
        for person_id, birth_date, sex, village in rows:
            if birth_date is None:
                continue
            age = (
                today.year
                - birth_date.year
                - ((today.month, today.day) < (birth_date.month, birth_date.day))
            )
            female = sex == Sex.FEMALE
            if 4 <= age <= 16:
                kind = "girl" if female and age >= 13 else "child"
            elif 21 <= age <= 59:
                kind = "woman" if female else "man"
            elif age >= 63:
                kind = "elder"
            else:
                continue
            pools[kind].append(Client(person_id, birth_date, village, female))
        for pool in pools.values():
            rng.shuffle(pool)
        self.pools = pools
        self.next = dict.fromkeys(CLIENT_KINDS, 0)

    def take(self, rng: random.Random, kind: str) -> Client:
        if kind == "adult":
            kind = "woman" if rng.random() < 0.65 else "man"
        elif kind == "child" and rng.random() < 0.3:
            kind = "girl"
        order = [
            kind,
            *(other for other in ("woman", "man", "child", "girl", "elder") if other != kind),
        ]
        for candidate in order:
            pool = self.pools[candidate]
            if pool:
                client = pool[self.next[candidate] % len(pool)]
                self.next[candidate] += 1
                return client
        raise LookupError("no persons to open cases for")


def _referrers(organisation: Organisation) -> dict[tuple[str, str], list[Referrer]]:
    found: dict[tuple[str, str], list[Referrer]] = defaultdict(list)
    rows = (
        BoardMember.objects.filter(
            organisation=organisation,
            is_active=True,
            function__in=list(REFERRER_FUNCTIONS.values()),
        )
        .order_by("full_name", "id")
        .values_list("function", "full_name", "phone", "kelurahan__code")
    )
    for function, full_name, phone, village in rows:
        referrer = Referrer(full_name, phone)
        if village:
            found[(function, village)].append(referrer)
        if referrer not in found[(function, "")]:
            found[(function, "")].append(referrer)
    return found


def _fixed_offset(name: str) -> datetime.tzinfo:
    """The zone as a fixed offset: Indonesia has no daylight saving, and it is cheaper per row."""
    offset = ZoneInfo(name).utcoffset(datetime.datetime(2026, 1, 1))
    assert offset is not None
    return datetime.timezone(offset, name)


def context_load(
    *,
    organisation: Organisation,
    regency: Regency,
    catalogue: RegionCatalogue,
    today: datetime.date,
    vocabulary: Vocabulary,
) -> LK3Context:
    return LK3Context(
        organisation_id=organisation.pk,
        regency=regency,
        time_zone=_fixed_offset(organisation.time_zone),
        today=today,
        staff=staff_load(organisation),
        vocabulary=vocabulary,
        village_names={place.code: place.title for place in regency.all_villages()},
        referrers=_referrers(organisation),
        town=regency.short_name,
        other_regencies=[
            r.name
            for code, r in sorted(catalogue.regencies.items())
            if code.startswith("64.") and code != regency.code
        ],
    )


def skeletons(
    rng: random.Random, *, count: int, pools: Pools, today: datetime.date
) -> list[Skeleton]:
    """``count`` cases in order of opening (the order their numbers follow)."""
    drawn: list[Skeleton] = []
    for index in range(count):
        profile = REQUIRED_PROFILES[index] if index < len(REQUIRED_PROFILES) else PROFILES.pick(rng)
        category = CATEGORIES.pick(rng)
        client = pools.take(rng, category.client)
        history = timeline(rng, profile)
        opened_on = today - datetime.timedelta(days=history.age)
        drawn.append(Skeleton(uuid_from(rng), profile, category, client, history, opened_on))
    drawn.sort(key=lambda skeleton: skeleton.opened_on)
    counters: Counter[int] = Counter()
    for skeleton in drawn:
        year = skeleton.opened_on.year
        counters[year] += 1
        skeleton.sequence = counters[year]
        skeleton.number = NUMBER_FORMAT.format(year=year, sequence=counters[year])
    return drawn


@dataclass
class CaseTally:
    total: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    open_by_stage: Counter[str] = field(default_factory=Counter)
    reopened: int = 0
    confidential: int = 0
    sessions: int = 0
    assessments: int = 0
    goals: int = 0
    activities: int = 0
    plan_revisions: int = 0
    tasks: int = 0
    open_tasks: int = 0
    check_ins: int = 0
    workers: int = 0
    by_regency: Counter[str] = field(default_factory=Counter)

    def add(self, built: Built, regency_code: str) -> None:
        case = built.case
        self.total += 1
        self.by_status[case["status"]] += 1
        if case["status"] == OPEN:
            self.open_by_stage[case["stage"]] += 1
        self.reopened += bool(case["times_reopened"])
        self.confidential += bool(case["is_confidential"])
        self.sessions += len(built.sessions)
        self.assessments += len(built.assessments)
        self.goals += len(built.goals)
        self.activities += len(built.activities)
        self.plan_revisions += len(built.revisions)
        self.tasks += len(built.tasks)
        self.open_tasks += sum(1 for task in built.tasks if task["completed_at"] is None)
        self.check_ins += len(built.check_ins)
        self.by_regency[regency_code] += 1


def _link(
    rows: list[dict[str, Any]], key: str, ids: Mapping[uuid.UUID, int]
) -> list[dict[str, Any]]:
    for row in rows:
        if row[key] is not None:
            row[key] = ids[row[key]]
    return rows


def _public_ids(model: type[Model], **filters: Any) -> dict[uuid.UUID, int]:
    return dict(model._default_manager.filter(**filters).order_by().values_list("public_id", "id"))


def _m2m_insert(relation: Any, pairs: Iterable[tuple[int, int]]) -> None:
    """Rows of a many-to-many table (``Case.pmks_categories``, ``CaseSession.staff``...)."""
    source, target = relation.field.m2m_column_name(), relation.field.m2m_reverse_name()
    bulk_insert(relation.through, [{source: one, target: other} for one, other in pairs])


def _rows(batch: Sequence[Built], attribute: str) -> list[dict[str, Any]]:
    return [row for built in batch for row in getattr(built, attribute)]


CHILDREN = (
    (StageChange, "moves"),
    (CaseMember, "members"),
    (CaseTransfer, "transfers"),
    (ClosureRequest, "closures"),
    (CheckIn, "check_ins"),
    (Assessment, "assessments"),
    (PlanRevision, "revisions"),
    (CaseSession, "sessions"),
    (Goal, "goals"),
)

CASE_RELATIONS: tuple[tuple[Any, str], ...] = (
    (Case.pmks_categories, "pmks"),
    (Case.problem_types, "problems"),
)

SESSION_RELATIONS: tuple[tuple[Any, str], ...] = (
    (CaseSession.staff, "session_staff"),
    (CaseSession.participants, "session_participants"),
)


def cases_write(batch: Sequence[Built], *, organisation_id: int) -> None:
    """Insert one batch of built cases and everything in them, in one transaction."""
    with transaction.atomic():
        bulk_insert(Case, [built.case for built in batch])
        ids = _public_ids(
            Case,
            organisation_id=organisation_id,
            public_id__in=[built.case["public_id"] for built in batch],
        )
        for relation, attribute in (
            (Case.pmks_categories, "pmks"),
            (Case.problem_types, "problems"),
        ):
            _m2m_insert(
                relation,
                (
                    (ids[built.case["public_id"]], term)
                    for built in batch
                    for term in getattr(built, attribute)
                ),
            )
        for model, attribute in CHILDREN:
            bulk_insert(model, _link(_rows(batch, attribute), "case_id", ids))
        case_ids = list(ids.values())
        sessions = _public_ids(CaseSession, case_id__in=case_ids)
        for relation, attribute in SESSION_RELATIONS:
            _m2m_insert(
                relation,
                (
                    (sessions[session], other)
                    for built in batch
                    for session, other in getattr(built, attribute)
                ),
            )
        goals = _public_ids(Goal, case_id__in=case_ids)
        bulk_insert(Activity, _link(_rows(batch, "activities"), "goal_id", goals))
        tasks = _link(_rows(batch, "tasks"), "case_id", ids)
        bulk_insert(Task, _link(tasks, "session_id", sessions))


def _counters_write(organisation_id: int, drawn: Sequence[Skeleton]) -> None:
    last: dict[int, int] = {}
    for skeleton in drawn:
        last[skeleton.opened_on.year] = max(last.get(skeleton.opened_on.year, 0), skeleton.sequence)
    with transaction.atomic():
        for year, sequence in sorted(last.items()):
            CaseNumberCounter.objects.update_or_create(
                organisation_id=organisation_id, year=year, defaults={"last": sequence}
            )


CASE_TABLES: tuple[type[Model], ...] = (
    Case,
    StageChange,
    CaseMember,
    CaseTransfer,
    ClosureRequest,
    CheckIn,
    Assessment,
    PlanRevision,
    CaseSession,
    Goal,
    Activity,
    Task,
)


def _statistics_refresh() -> None:
    """PostgreSQL plans caseload queries from table statistics, stale after a bulk load."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    tables = ", ".join(quote(model._meta.db_table) for model in CASE_TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def case_counts(total: int, *, lk3s: Mapping[str, Organisation]) -> dict[str, int]:
    """How many of ``total`` cases each LK3 gets: as many per person everywhere."""
    persons = {
        code: Person.objects.filter(organisation=lk3, status=PersonStatus.ACTIVE).count()
        for code, lk3 in lk3s.items()
    }
    if not any(persons.values()):
        return dict.fromkeys(lk3s, 0)
    return apportion(total, {code: count for code, count in persons.items() if count}) | {
        code: 0 for code, count in persons.items() if not count
    }


def cases_seed(
    *,
    lk3s: Mapping[str, Organisation],
    catalogue: RegionCatalogue,
    total: int,
    random_seed: int,
    today: datetime.date,
    batch_size: int = CASE_BATCH,
    progress: Callable[[int], None] | None = None,
) -> CaseTally:
    """Generate and write ``total`` cases over ``lk3s`` (by kab/kota code); no audit event."""
    counts = case_counts(total, lk3s=lk3s)
    tally = CaseTally()
    for code in sorted(lk3s):
        with transaction.atomic():
            tally.workers += case_workers_create(
                organisation=lk3s[code],
                regency=catalogue.regency(code),
                cases=counts[code],
                rng=stream(random_seed, f"case-workers:{code}"),
            )
    vocabulary = Vocabulary.load()
    with _sqlite_cache():
        for code in sorted(lk3s):
            if not counts[code]:
                continue
            _lk3_cases_write(
                organisation=lk3s[code],
                regency=catalogue.regency(code),
                catalogue=catalogue,
                count=counts[code],
                rng=stream(random_seed, f"cases:{code}"),
                today=today,
                vocabulary=vocabulary,
                batch_size=batch_size,
                tally=tally,
                progress=progress,
            )
    _statistics_refresh()
    return tally


@contextmanager
def _sqlite_cache() -> Iterator[None]:
    """A larger SQLite page cache while cases are written, then the connection's own again.

    Public ids are random, so every insert lands somewhere in their indexes:
    with the default 2 MiB of cache, pages are read and written back over
    and over (a tenth less time at the province scale with 256 MiB).
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while batches are built (they make no cycles).

    The collector otherwise rescans the batch's many live rows again and
    again: a sixth of the time at the city scale.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _lk3_cases_write(
    *,
    organisation: Organisation,
    regency: Regency,
    catalogue: RegionCatalogue,
    count: int,
    rng: random.Random,
    today: datetime.date,
    vocabulary: Vocabulary,
    batch_size: int,
    tally: CaseTally,
    progress: Callable[[int], None] | None,
) -> None:
    persons = Person.objects.filter(organisation=organisation, status=PersonStatus.ACTIVE)
    rows = persons.order_by("id").values_list("id", "birth_date", "sex", "domicile_village_id")
    drawn = skeletons(rng, count=count, pools=Pools(rows, today, rng), today=today)
    context = context_load(
        organisation=organisation,
        regency=regency,
        catalogue=catalogue,
        today=today,
        vocabulary=vocabulary,
    )
    for batch in _chunks(drawn, batch_size):
        with _collector_paused():
            built = [CaseBuilder(rng, context, skeleton).build() for skeleton in batch]
            cases_write(built, organisation_id=organisation.pk)
        for item in built:
            tally.add(item, regency.code)
        if progress is not None:
            progress(tally.total)
    _counters_write(organisation.pk, drawn)


def _chunks(items: Sequence[Skeleton], size: int) -> Iterator[Sequence[Skeleton]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def cases_audit(
    *,
    target: Organisation,
    scale: str,
    random_seed: int,
    today: datetime.date,
    tally: CaseTally,
    lk3s: Mapping[str, Organisation],
) -> None:
    """The closing event of a seed: counts only, never case content."""
    changes: dict[str, list[object]] = {
        "scale": [None, scale],
        "random_seed": [None, random_seed],
        "today": [None, today.isoformat()],
        "cases": [0, tally.total],
        "reopened": [0, tally.reopened],
        "confidential": [0, tally.confidential],
        "sessions": [0, tally.sessions],
        "assessments": [0, tally.assessments],
        "goals": [0, tally.goals],
        "activities": [0, tally.activities],
        "plan_revisions": [0, tally.plan_revisions],
        "tasks": [0, tally.tasks],
        "open_tasks": [0, tally.open_tasks],
        "check_ins": [0, tally.check_ins],
        "case_workers": [0, tally.workers],
    }
    for status, count in sorted(tally.by_status.items()):
        changes[f"status:{status}"] = [0, count]
    for stage, count in sorted(tally.open_by_stage.items(), key=lambda item: INDEX[item[0]]):
        changes[f"open:{stage}"] = [0, count]
    for code, count in sorted(tally.by_regency.items()):
        changes[f"cases:{lk3s[code].short_name}"] = [0, count]
    audit_record(
        actor=None,
        action=actions.SEED_CASES_GENERATED,
        target=target,
        organisation=target,
        changes=changes,
    )
