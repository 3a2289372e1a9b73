"""Whether two person records are one person: the matcher behind every duplicate check.

Rules:
- A comparison adds up evidence, field by field, as log-odds (a
  Fellegi-Sunter style weight per agreement level) and turns the sum into a
  score from 0 to 1 (``Comparison``). Fields that are empty on either side
  add nothing.
- NIK helps but is never trusted alone: the same NIK with a different
  name and birth date is not a duplicate (shared and mistyped NIKs exist),
  and one mistyped NIK digit is still strong evidence.
- Names compare by canonical words (``lk3.people.names``): other
  spellings, typos, another word order, a name made longer by marriage;
  aliases count as names.
- ``find_duplicates`` runs over a whole registry: records are grouped by
  blocking keys (NIK, NIK halves with a name sound, pairs of name sounds,
  a name sound with the birth date read either way round), only records
  sharing a key are compared, and a pair is compared once. Blocks too big
  to be useful are split by birth year, then dropped.
- ``THRESHOLD`` decides a duplicate; ``WARN_THRESHOLD`` (lower) decides
  what is shown before a new record is saved.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from lk3.people import names

THRESHOLD = 0.5
WARN_THRESHOLD = 0.3
MAX_BLOCK = 60
PROGRESS_BLOCKS = 5_000

# Log-odds weights per field and agreement level.
W_NIK_SAME = 5.0
W_NIK_ONE_DIGIT = 3.0
W_NIK_DIFFERENT = -3.0
W_NAME = ((1.0, 4.0), (0.9, 3.0), (0.8, 1.8), (0.65, 0.3))
W_NAME_OTHER = -4.0
W_BIRTH_SAME = 3.0
W_BIRTH_SWAPPED = 2.0
W_BIRTH_CLOSE = 0.0
W_BIRTH_DIFFERENT = -3.5
W_SEX_DIFFERENT = -3.0
W_KELURAHAN = 0.8
W_ADDRESS = 1.2
W_BIRTH_PLACE = 0.8
# The sum at which the score is one half.
OFFSET = 5.0


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    full_name: str = ""
    birth_date: datetime.date | None = None
    sex: str = ""
    nik: str = ""
    birth_place: str = ""
    address: str = ""
    kelurahan_code: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Comparison:
    score: float
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Pair:
    id_a: str
    id_b: str
    score: float
    reasons: tuple[str, ...] = field(default=())


@dataclass(slots=True)
class _Prepared:
    """A record with what comparing needs computed once."""

    record: Record
    names: tuple[tuple[str, ...], ...]
    sounds: tuple[str, ...]
    address: str
    birth_place: str


def prepare(record: Record) -> _Prepared:
    all_names = tuple(
        tokens
        for tokens in (
            tuple(names.name_tokens(name)) for name in (record.full_name, *record.aliases)
        )
        if tokens
    )
    sounds = tuple(
        dict.fromkeys(names.phonetic(t) for t in (all_names[0] if all_names else ()) if len(t) > 1)
    )
    return _Prepared(
        record=record,
        names=all_names,
        sounds=sounds,
        address=" ".join(record.address.casefold().replace(",", " ").split()),
        birth_place=" ".join(names.name_tokens(record.birth_place)),
    )


# -- comparing two records ---------------------------------------------------------------


def _nik(a: str, b: str) -> tuple[float, str]:
    if not a or not b:
        return 0.0, ""
    if a == b:
        return W_NIK_SAME, "nik_same"
    if len(a) == len(b):
        differing = [i for i in range(len(a)) if a[i] != b[i]]
        if len(differing) == 1:
            return W_NIK_ONE_DIGIT, "nik_one_digit"
        if (
            len(differing) == 2
            and differing[1] == differing[0] + 1
            and a[differing[0]] == b[differing[1]]
            and a[differing[1]] == b[differing[0]]
        ):
            return W_NIK_ONE_DIGIT, "nik_transposed"
    return W_NIK_DIFFERENT, ""


def _name(a: _Prepared, b: _Prepared) -> tuple[float, str, float]:
    best = 0.0
    for first in a.names:
        for second in b.names:
            best = max(best, names.name_similarity(first, second))
            if best == 1.0:
                break
    if not a.names or not b.names:
        return 0.0, "", best
    if best == 1.0:
        if a.record.full_name.casefold().split() == b.record.full_name.casefold().split():
            return W_NAME[0][1], "name_exact", best
        return W_NAME[0][1], "name_variant", best
    for minimum, weight in W_NAME[1:]:
        if best >= minimum:
            return weight, _name_reason(a, b), best
    return W_NAME_OTHER, "", best


def _name_reason(a: _Prepared, b: _Prepared) -> str:
    first, second = a.names[0], b.names[0]
    shorter, longer = sorted((first, second), key=len)
    if len(shorter) < len(longer) and all(token in longer for token in shorter):
        return "married_name"
    if sorted(first) == sorted(second):
        return "name_variant"
    return "name_typo"


def _birth(a: datetime.date | None, b: datetime.date | None) -> tuple[float, str]:
    if a is None or b is None:
        return 0.0, ""
    if a == b:
        return W_BIRTH_SAME, "birth_date_same"
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return W_BIRTH_SWAPPED, "birth_date_day_month_swapped"
    if abs(a.year - b.year) <= 1 and (a.day == b.day or a.month == b.month):
        return W_BIRTH_CLOSE + 1.0, "birth_year_close"
    if abs(a.year - b.year) <= 2:
        return W_BIRTH_CLOSE, ""
    return W_BIRTH_DIFFERENT, ""


def _compare(a: _Prepared, b: _Prepared) -> Comparison:
    total = 0.0
    reasons: list[str] = []

    def add(weight: float, reason: str) -> None:
        nonlocal total
        total += weight
        if reason:
            reasons.append(reason)

    ra, rb = a.record, b.record
    nik_weight, nik_reason = _nik(ra.nik, rb.nik)
    add(nik_weight, nik_reason)
    name_weight, name_reason, _similarity = _name(a, b)
    add(name_weight, name_reason)
    add(*_birth(ra.birth_date, rb.birth_date))
    if ra.sex and rb.sex and ra.sex != rb.sex:
        add(W_SEX_DIFFERENT, "sex_differs")
    if ra.kelurahan_code and ra.kelurahan_code == rb.kelurahan_code:
        add(W_KELURAHAN, "same_kelurahan")
    if a.address and b.address and fuzz.token_set_ratio(a.address, b.address) >= 90:
        add(W_ADDRESS, "address_similar")
    if a.birth_place and a.birth_place == b.birth_place:
        add(W_BIRTH_PLACE, "birth_place_same")
    # A shared NIK with nothing else in common is not a person.
    if nik_reason == "nik_same" and name_weight < 0 and _birth(ra.birth_date, rb.birth_date)[0] < 0:
        total = min(total, OFFSET - 1.0)
    return Comparison(score=_probability(total), reasons=tuple(reasons))


def _probability(total: float) -> float:
    return round(1.0 / (1.0 + math.exp(-(total - OFFSET))), 4)


def compare(a: Record, b: Record) -> Comparison:
    return _compare(prepare(a), prepare(b))


def likely_duplicates(
    record: Record, candidates: Iterable[Record], minimum: float = WARN_THRESHOLD
) -> list[tuple[Record, Comparison]]:
    """The candidates that may be ``record``, best first."""
    prepared = prepare(record)
    found = []
    for candidate in candidates:
        comparison = _compare(prepared, prepare(candidate))
        if comparison.score >= minimum:
            found.append((candidate, comparison))
    found.sort(key=lambda item: (-item[1].score, item[0].id))
    return found


# -- a whole registry ---------------------------------------------------------------------


def blocking_keys(prepared: _Prepared) -> set[str]:
    """The keys a record is grouped under; two records are compared when they share one."""
    record = prepared.record
    keys: set[str] = set()
    first_sound = prepared.sounds[0] if prepared.sounds else ""
    if record.nik:
        keys.add(f"n{record.nik}")
        if first_sound:
            keys.add(f"a{record.nik[:8]}{first_sound}")
            keys.add(f"b{record.nik[8:]}{first_sound}")
    sounds = sorted(prepared.sounds)
    for i, first in enumerate(sounds):
        for second in sounds[i + 1 :]:
            keys.add(f"p{first}|{second}")
    if len(sounds) == 1:
        year = record.birth_date.year if record.birth_date else ""
        keys.add(f"s{sounds[0]}|{year}")
    if record.birth_date is not None:
        date = record.birth_date
        day_month = "".join(sorted((f"{date.day:02}", f"{date.month:02}")))
        for sound in sounds:
            keys.add(f"d{sound}|{date.year}{day_month}")
    return keys


def _year(prepared: _Prepared) -> int:
    date = prepared.record.birth_date
    return date.year if date else 0


def _blocks(prepared: Sequence[_Prepared]) -> Iterable[list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(prepared):
        for key in blocking_keys(item):
            groups[key].append(index)
    for members in groups.values():
        if len(members) < 2:
            continue
        if len(members) <= MAX_BLOCK:
            yield members
            continue
        by_year: dict[int, list[int]] = defaultdict(list)
        for index in members:
            by_year[_year(prepared[index])].append(index)
        for year_members in by_year.values():
            if 2 <= len(year_members) <= MAX_BLOCK:
                yield year_members


def find_duplicates(
    records: Iterable[Record],
    threshold: float = THRESHOLD,
    progress: Callable[[int, int], None] | None = None,
) -> list[Pair]:
    """Every pair of records the matcher considers one person, best first."""
    prepared = [prepare(record) for record in records]
    total = len(prepared)
    blocks = list(_blocks(prepared))
    seen: set[int] = set()
    pairs: list[Pair] = []
    for number, members in enumerate(blocks, start=1):
        for position, i in enumerate(members):
            for j in members[position + 1 :]:
                first, second = (i, j) if i < j else (j, i)
                code = first * total + second
                if code in seen:
                    continue
                seen.add(code)
                comparison = _compare(prepared[first], prepared[second])
                if comparison.score >= threshold:
                    pairs.append(
                        Pair(
                            id_a=prepared[first].record.id,
                            id_b=prepared[second].record.id,
                            score=comparison.score,
                            reasons=comparison.reasons,
                        )
                    )
        if progress is not None and number % PROGRESS_BLOCKS == 0:
            progress(number * total // len(blocks), total)
    if progress is not None:
        progress(total, total)
    pairs.sort(key=lambda pair: (-pair.score, pair.id_a, pair.id_b))
    return pairs
