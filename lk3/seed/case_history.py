"""Where a demo case stands and how it got there: its category, its profile, its timeline.

Rules:
- A category says what the case is about: its PMKS categories, problem
  types, who the client is (a child, a woman, an old person...), whether
  it is confidential (violence and children), the intake channels and the
  risk levels it is likely to have.
- A profile says where the case stands now: its status and stage, and for
  a reopened case where its first closure was. ``PROFILES`` weighs them
  (more early stages, about a third closed); ``REQUIRED_PROFILES`` are the
  first cases of every LK3, so every stage and status is present.
- A timeline is the case's history in days from its opening: stage moves
  one step at a time (sometimes back from evaluation to intervention, with
  a note), closure requests (sometimes returned first), the approval, the
  reopening, and the episodes in between where work happens. It ends
  yesterday at the latest and goes back at most ``HISTORY_DAYS``.
- Pure functions of the caller's stream: no queries.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lk3.cases.models import (
    CaseStatus,
    ClosureOutcome,
    ClosureReason,
    ClosureStatus,
    RiskLevel,
    Stage,
)
from lk3.cases.stages import CLOSING_STAGES, ORDER, REOPEN_STAGE
from lk3.seed import case_texts as texts
from lk3.seed.streams import Weighted, pick

HISTORY_DAYS = 1_095
FAMILY_PMKS = "keluarga-bermasalah-sosial-psikologis"
INDEX = {stage: position for position, stage in enumerate(ORDER)}

INITIAL, IN_DEPTH, PLANNING, INTERVENTION, EVALUATION = (
    INDEX[Stage.INITIAL_ASSESSMENT],
    INDEX[Stage.IN_DEPTH_ASSESSMENT],
    INDEX[Stage.PLANNING],
    INDEX[Stage.INTERVENTION],
    INDEX[Stage.EVALUATION],
)

FOLLOW_UP = INDEX[Stage.FOLLOW_UP]


@dataclass(frozen=True)
class Category:
    """A kind of case: its PMKS, problem types, client, channels and risk."""

    key: str
    pmks: tuple[str, ...]
    problems: Weighted[str]
    client: str
    confidential: bool
    channels: Weighted[str]
    risks: Weighted[str]
    extra_pmks: tuple[str, float] | None = None


GENERAL_CHANNELS = Weighted(
    {
        "datang-sendiri": 38,
        "bhabinkamtibmas": 9,
        "babinsa": 3,
        "tksk": 5,
        "psm": 8,
        "sekolah": 6,
        "rumah-sakit": 4,
        "uptd-ppa": 4,
        "hotline": 9,
        "jemput-bola": 7,
        "slrt-puskesos": 4,
        "dinsos-lain": 1,
        "polisi": 2,
    }
)

VIOLENCE_CHANNELS = Weighted(
    {
        "polisi": 20,
        "uptd-ppa": 28,
        "sekolah": 8,
        "rumah-sakit": 10,
        "bhabinkamtibmas": 10,
        "datang-sendiri": 14,
        "hotline": 7,
        "psm": 3,
    }
)

WELFARE_CHANNELS = Weighted(
    {
        "slrt-puskesos": 25,
        "tksk": 20,
        "psm": 20,
        "jemput-bola": 15,
        "datang-sendiri": 15,
        "dinsos-lain": 5,
    }
)

USUAL_RISK = Weighted(
    {RiskLevel.LOW: 35, RiskLevel.MEDIUM: 45, RiskLevel.HIGH: 17, RiskLevel.URGENT: 3}
)

GRAVE_RISK = Weighted({RiskLevel.MEDIUM: 30, RiskLevel.HIGH: 48, RiskLevel.URGENT: 22})
MIDDLE_RISK = Weighted(
    {RiskLevel.LOW: 15, RiskLevel.MEDIUM: 55, RiskLevel.HIGH: 27, RiskLevel.URGENT: 3}
)


def _category(
    key: str, pmks: tuple[str, ...], problems: Mapping[str, float], **rest: Any
) -> Category:
    return Category(key=key, pmks=pmks, problems=Weighted(problems), **rest)


CATEGORIES: Weighted[Category] = Weighted(
    [
        (
            _category(
                "family",
                (FAMILY_PMKS,),
                {
                    "konflik-perkawinan": 30,
                    "perceraian": 12,
                    "pengasuhan": 14,
                    "perilaku-anak": 14,
                    "kesulitan-ekonomi": 10,
                    "kecanduan": 5,
                    "kesehatan-jiwa": 6,
                    "putus-sekolah": 3,
                    "lainnya": 2,
                },
                client="adult",
                confidential=False,
                channels=GENERAL_CHANNELS,
                risks=USUAL_RISK,
                extra_pmks=("fakir-miskin", 0.15),
            ),
            70,
        ),
        (
            _category(
                "domestic_violence",
                ("korban-tindak-kekerasan", FAMILY_PMKS),
                {"kekerasan-dalam-rumah-tangga": 1},
                client="woman",
                confidential=True,
                channels=VIOLENCE_CHANNELS,
                risks=GRAVE_RISK,
            ),
            7,
        ),
        (
            _category(
                "child_violence",
                ("anak-korban-kekerasan",),
                {"kekerasan-dalam-rumah-tangga": 50, "kekerasan-seksual": 30, "penelantaran": 20},
                client="child",
                confidential=True,
                channels=VIOLENCE_CHANNELS,
                risks=GRAVE_RISK,
            ),
            5,
        ),
        (
            _category(
                "child_law",
                ("anak-berhadapan-dengan-hukum",),
                {"perilaku-anak": 60, "kecanduan": 20, "putus-sekolah": 20},
                client="child",
                confidential=True,
                channels=Weighted(
                    {"polisi": 60, "bhabinkamtibmas": 20, "sekolah": 10, "datang-sendiri": 10}
                ),
                risks=MIDDLE_RISK,
            ),
            2,
        ),
        (
            _category(
                "child_marriage",
                ("anak-perlindungan-khusus", FAMILY_PMKS),
                {"perkawinan-anak": 1},
                client="girl",
                confidential=True,
                channels=VIOLENCE_CHANNELS,
                risks=GRAVE_RISK,
            ),
            1.5,
        ),
        (
            _category(
                "neglected_child",
                ("anak-telantar",),
                {"penelantaran": 70, "putus-sekolah": 30},
                client="child",
                confidential=True,
                channels=WELFARE_CHANNELS,
                risks=MIDDLE_RISK,
            ),
            1.5,
        ),
        (
            _category(
                "elderly",
                ("lanjut-usia-telantar",),
                {"lansia": 70, "penelantaran": 30},
                client="elder",
                confidential=False,
                channels=WELFARE_CHANNELS,
                risks=MIDDLE_RISK,
            ),
            3,
        ),
        (
            _category(
                "poor_family",
                ("fakir-miskin", FAMILY_PMKS),
                {"kesulitan-ekonomi": 75, "putus-sekolah": 25},
                client="adult",
                confidential=False,
                channels=WELFARE_CHANNELS,
                risks=USUAL_RISK,
            ),
            4,
        ),
        (
            _category(
                "vulnerable_woman",
                ("perempuan-rawan-sosial-ekonomi",),
                {"kesulitan-ekonomi": 60, "perceraian": 40},
                client="woman",
                confidential=False,
                channels=WELFARE_CHANNELS,
                risks=USUAL_RISK,
            ),
            2.5,
        ),
        (
            _category(
                "drugs",
                ("korban-napza", FAMILY_PMKS),
                {"kecanduan": 1},
                client="man",
                confidential=False,
                channels=GENERAL_CHANNELS,
                risks=MIDDLE_RISK,
            ),
            2,
        ),
        (
            _category(
                "disability",
                ("penyandang-disabilitas",),
                {"kesehatan-jiwa": 1},
                client="adult",
                confidential=False,
                channels=WELFARE_CHANNELS,
                risks=USUAL_RISK,
            ),
            1.5,
        ),
        (
            _category(
                "trafficking",
                ("korban-trafficking",),
                {"kekerasan-seksual": 50, "kesulitan-ekonomi": 50},
                client="woman",
                confidential=True,
                channels=VIOLENCE_CHANNELS,
                risks=GRAVE_RISK,
            ),
            0.5,
        ),
    ]
)

SECOND_PROBLEM_SHARE = 0.35


@dataclass(frozen=True)
class Profile:
    """A case's status and stage now; ``reopened_from``: the stage its first closure was at."""

    status: str
    stage: str
    reopened_from: str = ""


OPEN, REQUESTED, CLOSED = (
    CaseStatus.OPEN.value,
    CaseStatus.CLOSURE_REQUESTED.value,
    CaseStatus.CLOSED.value,
)

OPEN_WEIGHTS = {
    Stage.REGISTRATION: 9,
    Stage.INITIAL_ASSESSMENT: 10,
    Stage.IN_DEPTH_ASSESSMENT: 8,
    Stage.PLANNING: 6,
    Stage.INTERVENTION: 12,
    Stage.EVALUATION: 5,
    Stage.REINTEGRATION: 3,
    Stage.TERMINATION: 2,
    Stage.FOLLOW_UP: 5,
}

REQUESTED_WEIGHTS = {
    Stage.FOLLOW_UP: 2,
    Stage.TERMINATION: 1,
    Stage.INTERVENTION: 0.4,
    Stage.INITIAL_ASSESSMENT: 0.3,
    Stage.IN_DEPTH_ASSESSMENT: 0.3,
}

CLOSED_WEIGHTS = {
    Stage.FOLLOW_UP: 12,
    Stage.TERMINATION: 5,
    Stage.REINTEGRATION: 1.5,
    Stage.EVALUATION: 2,
    Stage.INTERVENTION: 4,
    Stage.PLANNING: 2,
    Stage.IN_DEPTH_ASSESSMENT: 2,
    Stage.INITIAL_ASSESSMENT: 2.5,
    Stage.REGISTRATION: 2,
}

REOPENED_WEIGHTS = {
    Stage.INITIAL_ASSESSMENT: 1.2,
    Stage.IN_DEPTH_ASSESSMENT: 0.6,
    Stage.PLANNING: 0.4,
    Stage.INTERVENTION: 0.8,
}

PROFILES: Weighted[Profile] = Weighted(
    [(Profile(OPEN, stage), weight) for stage, weight in OPEN_WEIGHTS.items()]
    + [(Profile(REQUESTED, stage), weight) for stage, weight in REQUESTED_WEIGHTS.items()]
    + [(Profile(CLOSED, stage), weight) for stage, weight in CLOSED_WEIGHTS.items()]
    + [
        (Profile(OPEN, stage, reopened_from=first), weight * share)
        for stage, weight in REOPENED_WEIGHTS.items()
        for first, share in ((Stage.FOLLOW_UP, 0.7), (Stage.INTERVENTION, 0.3))
    ]
)

# The first cases of every LK3, so that each stage and status is present at any size.
REQUIRED_PROFILES: tuple[Profile, ...] = (
    *(Profile(OPEN, stage) for stage in ORDER),
    Profile(REQUESTED, Stage.FOLLOW_UP),
    Profile(REQUESTED, Stage.INTERVENTION),
    Profile(CLOSED, Stage.FOLLOW_UP),
    Profile(CLOSED, Stage.INITIAL_ASSESSMENT),
    Profile(OPEN, Stage.INITIAL_ASSESSMENT, reopened_from=Stage.FOLLOW_UP),
)

# Days to move on from each stage (the last: follow-up until closure).
STEP_DAYS: tuple[tuple[int, int], ...] = (
    (1, 10),
    (5, 25),
    (7, 30),
    (3, 14),
    (30, 120),
    (10, 40),
    (14, 60),
    (5, 20),
    (45, 180),
)

STUCK_SHARE = 0.1
BACK_MOVE_SHARE = 0.12
ACHIEVED_REASONS = Weighted(
    {
        ClosureReason.GOALS_ACHIEVED: 80,
        ClosureReason.REFERRED: 8,
        ClosureReason.CLIENT_WITHDREW: 5,
        ClosureReason.MOVED_AWAY: 4,
        ClosureReason.OTHER: 3,
    }
)

EARLY_REASONS = Weighted(
    {
        ClosureReason.REFERRED: 30,
        ClosureReason.CLIENT_WITHDREW: 30,
        ClosureReason.MOVED_AWAY: 15,
        ClosureReason.UNREACHABLE: 20,
        ClosureReason.DECEASED: 2,
        ClosureReason.OTHER: 3,
    }
)

OUTCOMES: dict[str, Weighted[str]] = {
    ClosureReason.GOALS_ACHIEVED: Weighted(
        {ClosureOutcome.IMPROVED: 75, ClosureOutcome.PARTLY_IMPROVED: 25}
    ),
    ClosureReason.REFERRED: Weighted(
        {
            ClosureOutcome.PARTLY_IMPROVED: 40,
            ClosureOutcome.UNCHANGED: 40,
            ClosureOutcome.UNKNOWN: 20,
        }
    ),
    ClosureReason.CLIENT_WITHDREW: Weighted(
        {
            ClosureOutcome.UNCHANGED: 45,
            ClosureOutcome.PARTLY_IMPROVED: 30,
            ClosureOutcome.UNKNOWN: 20,
            ClosureOutcome.WORSENED: 5,
        }
    ),
    ClosureReason.MOVED_AWAY: Weighted(
        {
            ClosureOutcome.UNKNOWN: 60,
            ClosureOutcome.PARTLY_IMPROVED: 25,
            ClosureOutcome.UNCHANGED: 15,
        }
    ),
    ClosureReason.UNREACHABLE: Weighted({ClosureOutcome.UNKNOWN: 85, ClosureOutcome.WORSENED: 15}),
    ClosureReason.DECEASED: Weighted({ClosureOutcome.UNKNOWN: 1}),
    ClosureReason.OTHER: Weighted({ClosureOutcome.UNKNOWN: 50, ClosureOutcome.UNCHANGED: 50}),
}

RETURNED_SHARE = 0.1


@dataclass(frozen=True, slots=True)
class Move:
    day: int
    from_stage: str
    to_stage: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Closure:
    requested: int
    decided: int | None
    status: str
    reason: str
    outcome: str
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Episode:
    """From opening (or reopening) to closure (or now): where sessions and plans happen."""

    start: int
    end: int
    moves: tuple[Move, ...]
    reached: int
    # Why it ended, when it ended with a closure request (approved or pending).
    closing: str = ""
    # The stage it started at: registration, or the initial assessment after reopening.
    first: int = 0


@dataclass(slots=True)
class Timeline:
    """A case's history in days from its opening; ``age``: days from opening to today."""

    moves: list[Move]
    closures: list[Closure]
    episodes: list[Episode]
    age: int
    closed_at: int | None = None

    def stage_on(self, day: int) -> int:
        current = 0
        for move in self.moves:
            if move.day > day:
                break
            current = INDEX[move.to_stage]
        return current

    def entered(self, episode: Episode, stage: int) -> int | None:
        """The day the episode entered ``stage`` (the first time), if it did."""
        if stage == episode.first:
            return episode.start
        for move in episode.moves:
            if INDEX[move.to_stage] == stage:
                return move.day
        return None


def _days(rng: random.Random, stage: int) -> int:
    low, high = STEP_DAYS[stage]
    return low + int(rng.random() * (high - low + 1))


def _walk(rng: random.Random, start: int, reach: int) -> list[tuple[int, str, str, str]]:
    """Moves (duration before it, from, to, note) from stage ``start`` to ``reach``."""
    moves: list[tuple[int, str, str, str]] = []
    for position in range(start, reach):
        moves.append((_days(rng, position), ORDER[position], ORDER[position + 1], ""))
        if ORDER[position + 1] == Stage.EVALUATION and rng.random() < BACK_MOVE_SHARE:
            note = pick(rng, texts.BACK_TO_INTERVENTION)
            moves.append((_days(rng, EVALUATION), Stage.EVALUATION, Stage.INTERVENTION, note))
            if reach > EVALUATION:
                moves.append(
                    (_days(rng, INTERVENTION) // 2 + 1, Stage.INTERVENTION, Stage.EVALUATION, "")
                )
    return moves


def _dwell(rng: random.Random, stage: int) -> int:
    days = 1 + int(rng.random() * STEP_DAYS[stage][1])
    return days * 3 if rng.random() < STUCK_SHARE else days


def _closure_reason(rng: random.Random, stage: str) -> tuple[str, str]:
    reasons = ACHIEVED_REASONS if stage in CLOSING_STAGES else EARLY_REASONS
    reason = reasons.pick(rng)
    return reason, OUTCOMES[reason].pick(rng)


def timeline(rng: random.Random, profile: Profile) -> Timeline:
    """The history a case with ``profile`` has behind it (days counted from its opening)."""
    # Durations first, as (days since the previous event, what happens).
    events: list[tuple[int, str, Any]] = []
    first_reach = INDEX[profile.reopened_from or profile.stage]
    for days, from_stage, to_stage, note in _walk(rng, 0, first_reach):
        events.append((days, "move", (from_stage, to_stage, note)))
    closing = bool(profile.reopened_from) or profile.status != OPEN
    if closing:
        stage = profile.reopened_from or profile.stage
        reason, outcome = (
            (ClosureReason.GOALS_ACHIEVED, OUTCOMES[ClosureReason.GOALS_ACHIEVED].pick(rng))
            if profile.reopened_from and stage in CLOSING_STAGES
            else _closure_reason(rng, stage)
        )
        if stage in CLOSING_STAGES and rng.random() < RETURNED_SHARE:
            events.append((_dwell(rng, INDEX[stage]), "return", pick(rng, texts.RETURN_COMMENTS)))
        events.append((_dwell(rng, INDEX[stage]), "request", (reason, outcome)))
        if profile.status == CLOSED or profile.reopened_from:
            events.append((1 + int(rng.random() * 7), "approve", None))
    if profile.reopened_from:
        note = pick(rng, texts.REOPEN_REASONS)
        events.append((30 + int(rng.random() * 300), "reopen", note))
        for days, from_stage, to_stage, move_note in _walk(rng, INITIAL, INDEX[profile.stage]):
            events.append((days, "move", (from_stage, to_stage, move_note)))
    if profile.status == OPEN:
        tail = _dwell(rng, INDEX[profile.stage])
    elif profile.status == REQUESTED:
        tail = 1 + int(rng.random() * 20)
    else:
        tail = 1 + int(rng.random() * HISTORY_DAYS)
    span = sum(days for days, _kind, _what in events)
    room = HISTORY_DAYS - 1
    if span + 1 > room:
        scale = room / (span + 1)
        events = [(max(1, int(days * scale)), kind, what) for days, kind, what in events]
        span = sum(days for days, _kind, _what in events)
    tail = max(1, min(tail, HISTORY_DAYS - span))
    return _assemble(events, span + tail, profile)


def _assemble(events: Sequence[tuple[int, str, Any]], age: int, profile: Profile) -> Timeline:
    day = 0
    moves: list[Move] = []
    closures: list[Closure] = []
    episodes: list[Episode] = []
    episode_start, episode_moves = 0, 0
    returned: tuple[int, str] | None = None
    request: tuple[int, str, str] | None = None
    closed_at: int | None = None
    stage = Stage.REGISTRATION.value
    for days, kind, what in events:
        day += days
        if kind == "move":
            from_stage, to_stage, note = what
            moves.append(Move(day, from_stage, to_stage, note))
            stage = to_stage
        elif kind == "return":
            returned = (day, what)
        elif kind == "request":
            request = (day, *what)
        elif kind == "approve":
            assert request is not None
            if returned is not None:
                closures.append(_returned(returned, request))
            closures.append(
                Closure(request[0], day, ClosureStatus.APPROVED, request[1], request[2])
            )
            returned, closed_at = None, day
            episodes.append(
                _episode(episode_start, request[0], moves[episode_moves:], stage, request[1])
            )
        elif kind == "reopen":
            moves.append(Move(day, stage, REOPEN_STAGE, what))
            stage, closed_at = REOPEN_STAGE, None
            episode_start, episode_moves = day, len(moves)
    if request is not None and profile.status == REQUESTED:
        if returned is not None:
            closures.append(_returned(returned, request))
        closures.append(Closure(request[0], None, ClosureStatus.PENDING, request[1], request[2]))
    if profile.status != CLOSED:
        if profile.status == REQUESTED and request is not None:
            end, closing = request[0], request[1]
        else:
            end, closing = age - 1, ""
        episodes.append(_episode(episode_start, end, moves[episode_moves:], stage, closing))
    return Timeline(moves=moves, closures=closures, episodes=episodes, age=age, closed_at=closed_at)


def _returned(returned: tuple[int, str], request: tuple[int, str, str]) -> Closure:
    """A request made, then returned with a comment, before the last one."""
    day, comment = returned
    return Closure(day, day + 1, ClosureStatus.RETURNED, request[1], request[2], comment)


def _episode(start: int, end: int, moves: Sequence[Move], stage: str, closing: str) -> Episode:
    first = 0 if start == 0 else INDEX[REOPEN_STAGE]
    reached = max([INDEX[move.to_stage] for move in moves] + [first, INDEX[stage]])
    return Episode(
        start=start,
        end=max(start, end),
        moves=tuple(moves),
        reached=reached,
        closing=closing,
        first=first,
    )
