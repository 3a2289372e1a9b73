"""The rows of one demo case, drawn along its timeline (``case_history``).

Rules:
- ``CaseBuilder`` draws everything of one case from the LK3's stream in a
  fixed order: its problem types, channel and referrer, risk, presenting
  problem, who opened it and who leads it over time (with transfers and a
  second worker), stage moves, closure requests, sessions, tasks,
  check-ins, assessments and the plan. It makes no queries: rows refer to
  the case, its sessions and goals by public id until they are written.
- Every row keeps the services' rules: work by the case's workers (the
  lead, the team, a coordinator), tasks due after they were given, no open
  work on a closed case, check-ins only in follow-up, plans changed only
  while the case was open, nothing after yesterday.
- Assessment answers fit the instrument's schema (free-text answers, kept
  in clear, only where required and never case content); scores come from
  ``lk3.cases.instruments.score``. A family's scores improve with the
  case's outcome.
- Plan revisions keep the snapshot ``lk3.cases.plans.plan_snapshot`` makes.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lk3.accounts.models import Function
from lk3.accounts.roles import Role
from lk3.cases import instruments as schemas
from lk3.cases.models import (
    ClosureOutcome,
    ClosureReason,
    ClosureStatus,
    Instrument,
    InstrumentKind,
    PlanItemStatus,
    RiskLevel,
    SessionKind,
    Stage,
)
from lk3.core.models import IntakeChannel, PmksCategory, ProblemType
from lk3.seed import case_texts as texts
from lk3.seed import contacts
from lk3.seed.case_history import (
    CLOSED,
    EVALUATION,
    FOLLOW_UP,
    IN_DEPTH,
    INITIAL,
    INTERVENTION,
    OPEN,
    PLANNING,
    SECOND_PROBLEM_SHARE,
    Category,
    Episode,
    Profile,
    Timeline,
)
from lk3.seed.catalogue import Regency
from lk3.seed.streams import Weighted, pick, uuid_from

OFFICE_HOURS = (8, 16)
OFFICE_MINUTES = (OFFICE_HOURS[1] - OFFICE_HOURS[0]) * 60
# How much better (0-1 of the scale) a family does by its last assessment, by outcome.
IMPROVEMENT: dict[str, float] = {
    ClosureOutcome.IMPROVED: 0.45,
    ClosureOutcome.PARTLY_IMPROVED: 0.25,
    ClosureOutcome.UNCHANGED: 0.0,
    ClosureOutcome.WORSENED: -0.15,
    ClosureOutcome.UNKNOWN: 0.1,
    "": 0.3,
}

IN_DEPTH_FORM_SHARE = 0.35
SEVERITY: dict[str, float] = {
    RiskLevel.LOW: 0.25,
    RiskLevel.MEDIUM: 0.45,
    RiskLevel.HIGH: 0.65,
    RiskLevel.URGENT: 0.85,
}


@dataclass(frozen=True, slots=True)
class Worker:
    id: int
    username: str
    full_name: str
    role: str


@dataclass
class Staff:
    coordinators: list[Worker]
    intake: list[Worker]
    leads: Weighted[Worker]
    psychologists: list[Worker]


@dataclass(frozen=True, slots=True)
class Client:
    id: int
    birth_date: datetime.date
    village: str
    female: bool


CLIENT_KINDS = ("child", "girl", "woman", "man", "elder")
CHILD_CLIENTS = frozenset({"child", "girl"})


@dataclass(frozen=True)
class InstrumentUse:
    """An instrument the seed fills in, with its scores remembered by the scored answers.

    ``schemas.score`` reads only the scored questions, so answers that agree
    on those have the same score: the short forms repeat them often.
    """

    id: int
    schema: schemas.Schema
    scored: tuple[str, ...]
    scores: dict[tuple[object, ...], Decimal | None] = field(default_factory=dict)

    def score(self, answers: Mapping[str, object]) -> Decimal | None:
        key = tuple(answers.get(code) for code in self.scored)
        if key not in self.scores:
            self.scores[key] = schemas.score(self.schema, answers)
        return self.scores[key]


@dataclass
class Vocabulary:
    channels: dict[str, int]
    pmks: dict[str, int]
    problems: dict[str, int]
    problem_names: dict[str, str]
    instruments: dict[str, InstrumentUse]

    @classmethod
    def load(cls) -> Vocabulary:
        problems = list(ProblemType.objects.values_list("code", "id", "name"))
        return cls(
            channels=dict(IntakeChannel.objects.values_list("code", "id")),
            pmks=dict(PmksCategory.objects.values_list("code", "id")),
            problems={code: pk for code, pk, _name in problems},
            problem_names={code: name for code, _pk, name in problems},
            instruments=_instruments(),
        )


def _instruments() -> dict[str, InstrumentUse]:
    """The newest active instrument of each kind whose schema checks."""
    found: dict[str, InstrumentUse] = {}
    for instrument in Instrument.objects.filter(is_active=True).order_by(
        "kind", "code", "-version"
    ):
        if instrument.kind in found or schemas.schema_check(instrument.schema):
            continue
        schema: schemas.Schema = instrument.schema
        scored = tuple(q["code"] for q in schemas.questions(schema) if schemas.is_scored(q))
        found[instrument.kind] = InstrumentUse(id=instrument.pk, schema=schema, scored=scored)
    return found


@dataclass(frozen=True, slots=True)
class Referrer:
    name: str
    phone: str


REFERRER_FUNCTIONS = {
    "bhabinkamtibmas": Function.BHABINKAMTIBMAS,
    "babinsa": Function.BABINSA,
    "tksk": Function.TKSK,
    "psm": Function.PSM,
}

REFERRER_TITLES = {
    Function.BHABINKAMTIBMAS: "Bhabinkamtibmas",
    Function.BABINSA: "Babinsa",
    Function.TKSK: "TKSK",
    Function.PSM: "PSM",
}


@dataclass
class LK3Context:
    organisation_id: int
    regency: Regency
    time_zone: datetime.tzinfo
    today: datetime.date
    staff: Staff
    vocabulary: Vocabulary
    village_names: dict[str, str]
    # (function, kelurahan code) -> board member; (function, "") -> any of that function.
    referrers: dict[tuple[str, str], list[Referrer]]
    other_regencies: list[str]
    # "Bontang" for Kota Bontang: how places are named in referrers' units.
    town: str = ""


@dataclass(slots=True)
class Skeleton:
    public_id: uuid.UUID
    profile: Profile
    category: Category
    client: Client
    timeline: Timeline
    opened_on: datetime.date
    number: str = ""
    sequence: int = 0


SESSIONS_BY_STAGE: tuple[tuple[int, int], ...] = (
    (1, 1),
    (1, 2),
    (1, 3),
    (2, 3),
    (3, 5),
    (4, 6),
    (5, 7),
    (5, 8),
    (6, 8),
)

SESSION_KINDS = {
    "assessment": Weighted(
        {SessionKind.COUNSELLING: 50, SessionKind.CONSULTATION: 25, SessionKind.HOME_VISIT: 25}
    ),
    "intervention": Weighted(
        {
            SessionKind.COUNSELLING: 55,
            SessionKind.HOME_VISIT: 20,
            SessionKind.CONSULTATION: 15,
            SessionKind.CASE_CONFERENCE: 10,
        }
    ),
    "closing": Weighted(
        {
            SessionKind.COUNSELLING: 40,
            SessionKind.HOME_VISIT: 40,
            SessionKind.CONSULTATION: 15,
            SessionKind.CASE_CONFERENCE: 5,
        }
    ),
}

DURATIONS = {
    SessionKind.COUNSELLING: (45, 60, 60, 75, 90),
    SessionKind.CONSULTATION: (30, 45, 60),
    SessionKind.HOME_VISIT: (45, 60, 90, 120),
    SessionKind.CASE_CONFERENCE: (60, 90, 120),
}

MAX_SESSIONS = 8

FOLLOW_UP_TASK_SHARE = 0.5
CHECK_IN_EVERY_DAYS = 30


def _phase(stage: int) -> str:
    if stage < INTERVENTION:
        return "assessment"
    if stage <= EVALUATION:
        return "intervention"
    return "closing"


def _referrer(
    rng: random.Random, context: LK3Context, channel: str, village: str
) -> tuple[str, str]:
    """Who referred the case: a board member of the client's kelurahan, a school, a hospital..."""
    town = context.town
    place = context.village_names.get(village, town)
    function = REFERRER_FUNCTIONS.get(channel)
    if function is not None:
        members = context.referrers.get((function, village)) or context.referrers.get(
            (function, "")
        )
        if members:
            member = pick(rng, members)
            return f"{member.name}, {REFERRER_TITLES[function]} {place}", member.phone
        return f"{REFERRER_TITLES[function]} {place}", contacts.mobile_number(rng)
    if channel == "polisi":
        name = f"Unit PPA Satreskrim Polres {town}"
    elif channel == "sekolah":
        name = f"Guru BK SMP Negeri {1 + int(rng.random() * 9)} {town}"
    elif channel == "rumah-sakit":
        name = f"RSUD {town}" if rng.random() < 0.5 else f"Puskesmas {place.split(' ', 1)[-1]}"
    elif channel == "uptd-ppa":
        name = f"UPTD PPA {context.regency.name}"
    elif channel == "dinsos-lain" and context.other_regencies:
        name = f"Dinas Sosial {pick(rng, context.other_regencies)}"
    elif channel == "slrt-puskesos":
        name = f"Puskesos {place}"
    else:
        return "", ""
    return name, contacts.mobile_number(rng)


@dataclass
class Built:
    """The rows of one case; children name their case (and session, goal) by public id."""

    case: dict[str, Any] = field(default_factory=dict)
    pmks: list[int] = field(default_factory=list)
    problems: list[int] = field(default_factory=list)
    moves: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    transfers: list[dict[str, Any]] = field(default_factory=list)
    closures: list[dict[str, Any]] = field(default_factory=list)
    check_ins: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    revisions: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    session_staff: list[tuple[uuid.UUID, int]] = field(default_factory=list)
    session_participants: list[tuple[uuid.UUID, int]] = field(default_factory=list)
    goals: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Membership:
    worker: Worker
    added: int
    removed: int | None = None

    def active(self, day: int) -> bool:
        return self.added <= day and (self.removed is None or self.removed > day)


class CaseBuilder:
    """Draws one case's people, texts and records along its timeline, in a fixed order."""

    def __init__(self, rng: random.Random, context: LK3Context, skeleton: Skeleton) -> None:
        self.rng = rng
        self.context = context
        self.skeleton = skeleton
        self.timeline = skeleton.timeline
        self.profile = skeleton.profile
        self.leads: list[tuple[int, Worker]] = []
        self.team: list[Membership] = []
        self.moments: list[datetime.datetime] = []
        self.out = Built()
        self.case_id = skeleton.public_id
        self.last_day = self.timeline.age - 1
        self.first_ordinal = skeleton.opened_on.toordinal()
        self.midnight = datetime.datetime.combine(
            skeleton.opened_on, datetime.time(), tzinfo=context.time_zone
        )

    # -- time -------------------------------------------------------------------------------

    def date(self, day: int) -> datetime.date:
        return datetime.date.fromordinal(self.first_ordinal + day)

    def at(self, day: int) -> datetime.datetime:
        """A moment in office hours of ``day``, counted as activity on the case."""
        minutes = OFFICE_HOURS[0] * 60 + int(self.rng.random() * OFFICE_MINUTES)
        moment = self.midnight + datetime.timedelta(days=day, minutes=minutes)
        self.moments.append(moment)
        return moment

    def between(self, first: int, last: int) -> int:
        return first + int(self.rng.random() * (max(first, last) - first + 1))

    # -- people -----------------------------------------------------------------------------

    def lead_on(self, day: int) -> Worker | None:
        lead = None
        for since, worker in self.leads:
            if since > day:
                break
            lead = worker
        return lead

    def coordinator(self) -> Worker:
        return pick(self.rng, self.context.staff.coordinators)

    def worker_on(self, day: int) -> Worker:
        """Who does the work that day: the lead counsellor, else a coordinator."""
        return self.lead_on(day) or self.coordinator()

    def team_on(self, day: int) -> list[Worker]:
        return [member.worker for member in self.team if member.active(day)]

    def join(self, worker: Worker, day: int, by: Worker) -> None:
        """Add ``worker`` to the team from ``day``, unless they are on it then or after."""
        if any(m.worker == worker and (m.removed is None or m.removed > day) for m in self.team):
            return
        self.team.append(Membership(worker, day))
        self.out.members.append(
            {
                "case_id": self.case_id,
                "user_id": worker.id,
                "added_on": self.date(day),
                "added_by_id": by.id,
                "removed_on": None,
            }
        )

    def other_lead(self, *not_these: Worker | None) -> Worker | None:
        for _attempt in range(8):
            worker = self.context.staff.leads.pick(self.rng)
            if worker not in not_these:
                return worker
        return None

    # -- the case ----------------------------------------------------------------------------

    def build(self) -> Built:
        rng, skeleton, context = self.rng, self.skeleton, self.context
        category, vocabulary = skeleton.category, context.vocabulary
        problems = [category.problems.pick(rng)]
        if category.key == "family" and rng.random() < SECOND_PROBLEM_SHARE:
            second = category.problems.pick(rng)
            if second != problems[0]:
                problems.append(second)
        pmks = list(category.pmks)
        if category.extra_pmks and rng.random() < category.extra_pmks[1]:
            pmks.append(category.extra_pmks[0])
        channel = category.channels.pick(rng)
        referrer, referrer_contact = _referrer(rng, context, channel, skeleton.client.village)
        risk = category.risks.pick(rng)
        presenting = texts.presenting_problem(
            rng,
            problems[0],
            female=skeleton.client.female,
            child=category.client in CHILD_CLIENTS,
        )
        opened_at = self.at(0)
        opened_by = self.staffing()
        self.stage_moves(opened_by, opened_at)
        self.closure_requests()
        sessions = self.sessions()
        self.tasks(sessions)
        self.check_ins()
        self.assessments(risk, vocabulary.problem_names[problems[0]])
        self.plan(problems)
        self.out.pmks = [vocabulary.pmks[code] for code in pmks]
        self.out.problems = [vocabulary.problems[code] for code in problems]
        self.out.case = self.case_row(
            channel=vocabulary.channels[channel],
            referrer=(referrer, referrer_contact),
            presenting=presenting,
            risk=risk,
            opened_by=opened_by,
            opened_at=opened_at,
        )
        return self.out

    def case_row(
        self,
        *,
        channel: int,
        referrer: tuple[str, str],
        presenting: str,
        risk: str,
        opened_by: Worker,
        opened_at: datetime.datetime,
    ) -> dict[str, Any]:
        skeleton, profile = self.skeleton, self.profile
        closed = profile.status == CLOSED
        approved = [row for row in self.out.closures if row["status"] == ClosureStatus.APPROVED]
        last = approved[-1] if closed else None
        dues = [row["due_on"] for row in self.out.tasks if row["completed_at"] is None]
        dues += [row["due_on"] for row in self.out.check_ins if row["done_on"] is None]
        decisions = sum(1 for row in self.out.closures if row["decided_at"] is not None)
        lead = self.lead_on(self.last_day)
        last_activity = max(self.moments)
        return {
            "public_id": skeleton.public_id,
            "organisation_id": self.context.organisation_id,
            "number": skeleton.number,
            "year": skeleton.opened_on.year,
            "sequence": skeleton.sequence,
            "client_id": skeleton.client.id,
            "family_id": None,
            "intake_channel_id": channel,
            "referrer_name": referrer[0],
            "referrer_contact": referrer[1],
            "presenting_problem": presenting,
            "risk_level": risk,
            "is_confidential": skeleton.category.confidential,
            "stage": profile.stage,
            "status": profile.status,
            "lead_counsellor_id": lead.id if lead else None,
            "kelurahan_id": skeleton.client.village,
            "opened_on": skeleton.opened_on,
            "opened_by_id": opened_by.id,
            "closed_on": self.date(self.timeline.closed_at or 0) if last else None,
            "closure_reason": last["reason"] if last else "",
            "closure_outcome": last["outcome"] if last else "",
            "times_reopened": 1 if profile.reopened_from else 0,
            "next_due_on": None if closed or not dues else min(dues),
            "last_activity_at": last_activity,
            "created_at": opened_at,
            "updated_at": last_activity,
            # Every stage move, transfer, closure request and decision added one.
            "version": 1
            + len(self.timeline.moves)
            + len(self.out.transfers)
            + len(self.out.closures)
            + decisions,
        }

    def staffing(self) -> Worker:
        """Who opened the case, its lead counsellor over time, transfers and the team."""
        rng, staff = self.rng, self.context.staff
        draw = rng.random()
        lead = staff.leads.pick(rng)
        if staff.intake and draw < 0.55:
            opened_by = pick(rng, staff.intake)
            if rng.random() < 0.5:
                self.lead_from(lead, 0, opened_by)
            else:
                self.assign(lead)
        else:
            opened_by = lead if draw < 0.9 else self.coordinator()
            self.lead_from(lead, 0, opened_by)
        if self.leads:
            self.transfer()
        self.second_worker()
        return opened_by

    def open_until(self) -> int:
        """The last day of the first stretch in which the case was open (before any closure)."""
        requests = [closure.requested for closure in self.timeline.closures]
        return min([*requests, self.last_day])

    def lead_from(self, lead: Worker, day: int, by: Worker) -> None:
        self.leads.append((day, lead))
        self.join(lead, day, by)

    def assign(self, lead: Worker) -> None:
        """An intake officer opened it; the coordinator names a lead within days, or not yet."""
        history = self.timeline
        if not history.moves and self.profile.status == OPEN and self.rng.random() < 0.4:
            return
        first_move = history.moves[0].day if history.moves else self.last_day
        day = min(1 + int(self.rng.random() * 5), first_move, self.open_until())
        coordinator = self.coordinator()
        self.out.transfers.append(
            {
                "case_id": self.case_id,
                "from_user_id": None,
                "to_user_id": lead.id,
                "reason": texts.ASSIGNMENT_REASON,
                "transferred_at": self.at(day),
                "transferred_by_id": coordinator.id,
            }
        )
        self.lead_from(lead, day, coordinator)

    def transfer(self) -> None:
        since, lead = self.leads[-1]
        last = self.open_until()
        if last - since < 30 or self.rng.random() >= 0.04:
            return
        new = self.other_lead(lead)
        if new is None:
            return
        day = self.between(since + 10, last)
        coordinator = self.coordinator()
        self.out.transfers.append(
            {
                "case_id": self.case_id,
                "from_user_id": lead.id,
                "to_user_id": new.id,
                "reason": pick(self.rng, texts.TRANSFER_REASONS),
                "transferred_at": self.at(day),
                "transferred_by_id": coordinator.id,
            }
        )
        self.lead_from(new, day, coordinator)
        if self.rng.random() < 0.5:
            leaving = day + 1 + int(self.rng.random() * 10)
            if leaving <= self.last_day:
                for member, row in zip(self.team, self.out.members, strict=True):
                    if member.worker == lead and member.removed is None:
                        member.removed = leaving
                        row["removed_on"] = self.date(leaving)

    def second_worker(self) -> None:
        """About a third of the cases past the initial assessment get a second worker."""
        first = self.timeline.episodes[0]
        day = self.timeline.entered(first, IN_DEPTH)
        if day is None or self.rng.random() >= 0.3 or day > self.open_until():
            return
        lead = self.lead_on(day)
        psychologists = [w for w in self.context.staff.psychologists if w != lead]
        worker = (
            pick(self.rng, psychologists)
            if psychologists and self.rng.random() < 0.6
            else self.other_lead(lead)
        )
        if worker is not None:
            self.join(worker, day, lead or self.coordinator())

    # -- history ----------------------------------------------------------------------------

    def stage_moves(self, opened_by: Worker, opened_at: datetime.datetime) -> None:
        rows = self.out.moves
        rows.append(
            {
                "case_id": self.case_id,
                "from_stage": "",
                "to_stage": Stage.REGISTRATION,
                "note": "",
                "changed_at": opened_at,
                "changed_by_id": opened_by.id,
            }
        )
        for move in self.timeline.moves:
            rows.append(
                {
                    "case_id": self.case_id,
                    "from_stage": move.from_stage,
                    "to_stage": move.to_stage,
                    "note": move.note,
                    "changed_at": self.at(move.day),
                    "changed_by_id": self.worker_on(move.day).id,
                }
            )

    def closure_requests(self) -> None:
        for closure in self.timeline.closures:
            decided = closure.decided is not None
            self.out.closures.append(
                {
                    "case_id": self.case_id,
                    "reason": closure.reason,
                    "outcome": closure.outcome,
                    "summary": texts.closure_summary(self.rng, closure.reason),
                    "requested_at": self.at(closure.requested),
                    "requested_by_id": self.worker_on(closure.requested).id,
                    "status": closure.status,
                    "decided_at": self.at(closure.decided) if closure.decided is not None else None,
                    "decided_by_id": self.coordinator().id if decided else None,
                    "comment": closure.comment,
                }
            )

    # -- work -------------------------------------------------------------------------------

    def sessions(self) -> list[tuple[int, uuid.UUID, Episode]]:
        """Sessions of every episode; returns (day, public id, episode) for the tasks."""
        rng, history = self.rng, self.timeline
        village = self.context.village_names.get(self.skeleton.client.village, "")
        held: list[tuple[int, uuid.UUID, Episode]] = []
        number = 0
        counts = []
        for episode in history.episodes:
            low, high = SESSIONS_BY_STAGE[episode.reached]
            counts.append(low + int(rng.random() * (high - low + 1)))
        # A reopened case keeps to the same number of sessions as any other.
        while sum(counts) > MAX_SESSIONS:
            counts[counts.index(max(counts))] -= 1
        for episode, count in zip(history.episodes, counts, strict=True):
            days = sorted(self.between(episode.start, episode.end) for _ in range(count))
            if episode.start == 0:
                days[0] = 0
            for day in days:
                number += 1
                public_id = uuid_from(rng)
                phase = _phase(history.stage_on(day))
                kind = SESSION_KINDS[phase].pick(rng)
                if day == 0:
                    kind = (
                        SessionKind.COUNSELLING if rng.random() < 0.6 else SessionKind.CONSULTATION
                    )
                staff = [self.worker_on(day)]
                others = [w for w in self.team_on(day) if w not in staff]
                if others and rng.random() < 0.4:
                    staff.append(pick(rng, others))
                outside = ""
                if kind == SessionKind.CASE_CONFERENCE:
                    outside = "\n".join(sorted(set(rng.sample(texts.OUTSIDE_PARTICIPANTS, 2))))
                else:
                    self.out.session_participants.append((public_id, self.skeleton.client.id))
                moment = self.at(day)
                self.out.sessions.append(
                    {
                        "public_id": public_id,
                        "case_id": self.case_id,
                        "kind": kind,
                        "held_on": self.date(day),
                        "duration_minutes": pick(rng, DURATIONS[kind]),
                        "outside_participants": outside,
                        "notes": texts.session_note(
                            rng, kind=kind, phase=phase, number=number, kelurahan=village
                        ),
                        "recorded_by_id": staff[0].id,
                        "created_at": moment,
                        "updated_at": moment,
                    }
                )
                self.out.session_staff.extend((public_id, worker.id) for worker in staff)
                held.append((day, public_id, episode))
        return held

    def task(
        self,
        *,
        created: int,
        due: int,
        done: int | None,
        session: uuid.UUID | None,
    ) -> None:
        rng = self.rng
        creator = self.worker_on(created)
        team = self.team_on(created)
        assignee = pick(rng, team) if team and rng.random() < 0.2 else creator
        created_at = self.at(created)
        completed_at = self.at(done) if done is not None else None
        self.out.tasks.append(
            {
                "public_id": uuid_from(rng),
                "case_id": self.case_id,
                "session_id": session,
                "title": self.task_title(),
                "assignee_id": assignee.id,
                "due_on": self.date(due),
                "completed_at": completed_at,
                "completed_by_id": assignee.id if done is not None else None,
                "created_by_id": creator.id,
                "created_at": created_at,
                "updated_at": completed_at or created_at,
            }
        )

    def task_title(self) -> str:
        """A task not yet given on this case (titles repeat only once all are used)."""
        given = {row["title"] for row in self.out.tasks}
        left = [title for title in texts.TASK_TITLES if title not in given]
        return pick(self.rng, left or texts.TASK_TITLES)

    def tasks(self, sessions: Sequence[tuple[int, uuid.UUID, Episode]]) -> None:
        """Follow-up tasks of sessions, done or (in an open case) some still open; a few more open."""
        rng = self.rng
        for day, session, episode in sessions:
            if rng.random() >= FOLLOW_UP_TASK_SHARE:
                continue
            due = day + 3 + int(rng.random() * 12)
            finish = max(day, due - 3 + int(rng.random() * 9))
            if episode.closing:
                done: int | None = max(day, min(finish, episode.end))
            elif due > self.last_day or rng.random() < 0.15:
                done = None
            else:
                done = min(finish, self.last_day)
            self.task(created=day, due=due, done=done, session=session)
        current = self.timeline.episodes[-1]
        if self.profile.status != OPEN or current.closing:
            return
        for _ in range(Weighted({0: 4, 1: 4, 2: 2}).pick(rng)):
            created = self.between(max(current.start, self.last_day - 30), self.last_day)
            self.task(
                created=created, due=created + 3 + int(rng.random() * 19), done=None, session=None
            )

    def check_ins(self) -> None:
        rng = self.rng
        for episode in self.timeline.episodes:
            since = self.timeline.entered(episode, FOLLOW_UP)
            if since is None:
                continue
            still_open = not episode.closing and self.profile.status == OPEN
            dues = list(range(since + CHECK_IN_EVERY_DAYS, episode.end + 1, CHECK_IN_EVERY_DAYS))
            if not dues and not still_open and episode.end - since >= 2:
                dues = [(since + episode.end) // 2]
            for position, due in enumerate(dues):
                latest = position == len(dues) - 1
                if still_open and latest and rng.random() < 0.25:
                    self.check_in(due, None)
                else:
                    self.check_in(
                        due, max(since, min(due - 2 + int(rng.random() * 8), episode.end))
                    )
            if still_open:
                self.check_in((dues[-1] if dues else since) + CHECK_IN_EVERY_DAYS, None)

    def check_in(self, due: int, done: int | None) -> None:
        if done is not None:
            self.at(done)
        self.out.check_ins.append(
            {
                "case_id": self.case_id,
                "due_on": self.date(due),
                "done_on": self.date(done) if done is not None else None,
                "note": texts.check_in_note(self.rng) if done is not None else "",
                "done_by_id": self.worker_on(done).id if done is not None else None,
            }
        )

    # -- assessments and plan ------------------------------------------------------------------

    def assessments(self, risk: str, problem_name: str) -> None:
        instruments = self.context.vocabulary.instruments
        if not instruments:
            return
        rng = self.rng
        outcome = self.timeline.closures[-1].outcome if self.timeline.closures else ""
        severity = SEVERITY[risk] + (rng.random() - 0.5) * 0.16
        improvement = IMPROVEMENT[outcome if self.profile.status != OPEN else ""]
        # The family-functioning score at the in-depth assessment and the
        # evaluation, to show progress; the risk instrument for violence,
        # children and urgent cases; the long in-depth form for a third.
        confidential = self.skeleton.category.confidential
        with_risk = confidential or risk == RiskLevel.URGENT
        in_depth = rng.random() < IN_DEPTH_FORM_SHARE
        plan = (
            (INITIAL, [InstrumentKind.INITIAL] + ([InstrumentKind.RISK] if with_risk else [])),
            (
                IN_DEPTH,
                [InstrumentKind.FAMILY_FUNCTIONING]
                + ([InstrumentKind.IN_DEPTH] if in_depth else []),
            ),
            (
                EVALUATION,
                [InstrumentKind.FAMILY_FUNCTIONING]
                + ([InstrumentKind.RISK] if confidential else []),
            ),
        )
        for episode in self.timeline.episodes:
            for stage, kinds in plan:
                entered = self.timeline.entered(episode, stage)
                if entered is None:
                    continue
                day = min(entered + int(rng.random() * 7), episode.end)
                progress = (stage - INITIAL) / (EVALUATION - INITIAL)
                badness = min(1.0, max(0.0, severity - improvement * progress))
                for kind in kinds:
                    use = instruments.get(kind)
                    if use is not None:
                        self.assessment(use, kind, day, badness, problem_name)

    def assessment(
        self, use: InstrumentUse, kind: str, day: int, badness: float, problem_name: str
    ) -> None:
        rng = self.rng
        assessor = self.worker_on(day)
        if (
            kind in (InstrumentKind.IN_DEPTH, InstrumentKind.FAMILY_FUNCTIONING)
            and rng.random() < 0.3
        ):
            psychologists = [w for w in self.team_on(day) if w.role == Role.PSYCHOLOGIST]
            if psychologists:
                assessor = psychologists[0]
        answers = answers_for(rng, use.schema, badness, first_text=problem_name)
        wants_narrative = 0.7 if kind in (InstrumentKind.IN_DEPTH, InstrumentKind.RISK) else 0.4
        moment = self.at(day)
        self.out.assessments.append(
            {
                "public_id": uuid_from(rng),
                "case_id": self.case_id,
                "instrument_id": use.id,
                "assessed_on": self.date(day),
                "assessed_by_id": assessor.id,
                "answers": answers,
                "score": use.score(answers),
                "narrative": texts.narrative(rng) if rng.random() < wants_narrative else "",
                "created_at": moment,
                "updated_at": moment,
            }
        )

    def plan(self, problems: Sequence[str]) -> None:
        """Goals and activities for a case that reached planning, with one or two revisions."""
        rng = self.rng
        episode = next((e for e in self.timeline.episodes if e.reached >= PLANNING), None)
        if episode is None:
            return
        entered = self.timeline.entered(episode, PLANNING)
        assert entered is not None
        day = min(entered + int(rng.random() * 5), episode.end)
        goal_texts = list(texts.GOALS[problems[0]][: 1 + int(rng.random() * 2)])
        for problem in problems[1:]:
            extra = texts.GOALS[problem][0]
            if extra not in goal_texts:
                goal_texts.append(extra)
        lead = self.worker_on(day)
        team = [w for w in self.team_on(day) if w != lead]
        planned: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
        for position, goal_text in enumerate(goal_texts):
            goal = {
                "public_id": uuid_from(rng),
                "case_id": self.case_id,
                "description": goal_text.goal,
                "status": PlanItemStatus.PLANNED,
                "position": position,
            }
            activities: list[dict[str, Any]] = []
            for description in goal_text.activities:
                responsible: Worker | None = lead
                other = ""
                draw = rng.random()
                if draw < 0.15 and team:
                    responsible = pick(rng, team)
                elif draw < 0.45:
                    responsible, other = None, pick(rng, texts.OUTSIDE_RESPONSIBLE)
                elif draw < 0.55:
                    other = pick(rng, texts.OUTSIDE_RESPONSIBLE)
                activities.append(
                    {
                        "public_id": uuid_from(rng),
                        "goal_id": goal["public_id"],
                        "description": description,
                        "responsible": responsible,
                        "responsible_other": other,
                        "due_on": self.date(day + 14 + int(rng.random() * 77)),
                        "status": PlanItemStatus.PLANNED,
                    }
                )
            planned.append((goal, activities))
        created = self.at(day)
        self.revision(1, planned, day, created)
        changed = self.progress(planned, episode)
        if changed:
            later = self.between(min(day + 1, episode.end), episode.end)
            updated = max(self.at(later), created + datetime.timedelta(minutes=5))
            self.moments.append(updated)
            self.revision(2, planned, later, updated)
        else:
            updated = created
        for goal, activities in planned:
            self.out.goals.append({**goal, "created_at": created, "updated_at": updated})
            for activity in activities:
                doer: Worker | None = activity["responsible"]
                self.out.activities.append(
                    {
                        **{key: value for key, value in activity.items() if key != "responsible"},
                        "responsible_id": doer.id if doer else None,
                        "created_at": created,
                        "updated_at": updated,
                    }
                )

    def progress(
        self, planned: Sequence[tuple[dict[str, Any], list[dict[str, Any]]]], episode: Episode
    ) -> bool:
        """Set the statuses the plan has by the end of the episode; whether any changed."""
        rng = self.rng
        reached, closing = episode.reached, episode.closing
        if reached <= PLANNING and not closing:
            return False
        today = self.context.today
        for goal, activities in planned:
            for activity in activities:
                if reached >= EVALUATION:
                    activity["status"] = (
                        PlanItemStatus.DONE if rng.random() < 0.85 else PlanItemStatus.DROPPED
                    )
                elif reached == INTERVENTION:
                    if activity["due_on"] < today:
                        activity["status"] = (
                            PlanItemStatus.DONE
                            if rng.random() < 0.5
                            else PlanItemStatus.IN_PROGRESS
                        )
                    else:
                        activity["status"] = (
                            PlanItemStatus.IN_PROGRESS
                            if rng.random() < 0.5
                            else PlanItemStatus.PLANNED
                        )
                if (
                    closing
                    and closing != ClosureReason.GOALS_ACHIEVED
                    and activity["status"]
                    in (
                        PlanItemStatus.PLANNED,
                        PlanItemStatus.IN_PROGRESS,
                    )
                ):
                    activity["status"] = PlanItemStatus.DROPPED
            statuses = {activity["status"] for activity in activities}
            if PlanItemStatus.DONE in statuses and statuses <= {
                PlanItemStatus.DONE,
                PlanItemStatus.DROPPED,
            }:
                goal["status"] = PlanItemStatus.DONE
            elif statuses == {PlanItemStatus.DROPPED}:
                goal["status"] = PlanItemStatus.DROPPED
            elif statuses != {PlanItemStatus.PLANNED}:
                goal["status"] = PlanItemStatus.IN_PROGRESS
        return True

    def revision(
        self,
        number: int,
        planned: Sequence[tuple[dict[str, Any], list[dict[str, Any]]]],
        day: int,
        moment: datetime.datetime,
    ) -> None:
        self.out.revisions.append(
            {
                "case_id": self.case_id,
                "number": number,
                "snapshot": plan_snapshot(planned),
                "note": "",
                "created_at": moment,
                "created_by_id": self.worker_on(day).id,
            }
        )


def plan_snapshot(
    planned: Sequence[tuple[Mapping[str, Any], Sequence[Mapping[str, Any]]]],
) -> dict[str, Any]:
    """The plan as ``lk3.cases.plans.plan_snapshot`` keeps it (activities by due date)."""

    def who(activity: Mapping[str, Any]) -> str:
        responsible: Worker | None = activity["responsible"]
        people = [responsible.full_name] if responsible else []
        if activity["responsible_other"]:
            people.append(activity["responsible_other"])
        return ", ".join(people)

    return {
        "goals": [
            {
                "id": str(goal["public_id"]),
                "description": goal["description"],
                "status": str(goal["status"]),
                "activities": [
                    {
                        "id": str(activity["public_id"]),
                        "description": activity["description"],
                        "who": who(activity),
                        "responsible": activity["responsible"].username
                        if activity["responsible"]
                        else None,
                        "responsible_other": activity["responsible_other"],
                        "due_on": activity["due_on"].isoformat(),
                        "status": str(activity["status"]),
                    }
                    for activity in sorted(activities, key=lambda row: row["due_on"])
                ],
            }
            for goal, activities in planned
        ]
    }


def answers_for(
    rng: random.Random, schema: schemas.Schema, badness: float, *, first_text: str
) -> dict[str, object]:
    """Answers that fit ``schema``: ``badness`` (0-1) says how bad things are for the family.

    Only a required free-text question gets text (answers are encrypted
    like the narrative).
    """
    worse = not schemas.higher_is_better(schema)
    target = badness if worse else 1 - badness
    answers: dict[str, object] = {}
    texted = False
    for question in schemas.questions(schema):
        kind, code = question["type"], question["code"]
        if kind == "text":
            if question.get("required"):
                answers[code] = pick(rng, texts.PLAIN_ANSWERS) if texted else first_text
                texted = True
            continue
        if not question.get("required") and rng.random() < 0.15:
            continue
        if kind == "scale":
            low, high = int(question["min"]), int(question["max"])
            spread = (rng.random() - 0.5) * (high - low) * 0.5
            scored = low + round(min(high - low, max(0.0, target * (high - low) + spread)))
            answers[code] = low + high - scored if question.get("reverse") else scored
        elif kind == "yes_no":
            present = rng.random() < target
            answers[code] = present != bool(question.get("reverse"))
        elif kind == "choice":
            answers[code] = _choice(rng, question, target)
        elif kind == "number":
            answers[code] = _number(rng, question)
    return answers


def _choice(rng: random.Random, question: schemas.Question, target: float) -> str:
    options = question.get("options", [])
    if all("score" in option for option in options):
        ranked = sorted(options, key=lambda option: option.get("score", 0))
        position = round(
            min(1.0, max(0.0, target + (rng.random() - 0.5) * 0.3)) * (len(ranked) - 1)
        )
        return ranked[position]["value"]
    return pick(rng, options)["value"]


def _number(rng: random.Random, question: schemas.Question) -> int:
    low = int(question.get("min", 0))
    high = int(question.get("max", low + 10))
    if high - low > 1_000_000:
        # A monthly income in rupiah, rounded to Rp50.000.
        return min(high, max(low, (10 + int(rng.random() * 110)) * 50_000))
    return low + int(rng.random() * (min(high - low, 6) + 1))
