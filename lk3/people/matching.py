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
import multiprocessing
import os
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Hamming

from lk3.people import names

THRESHOLD = 0.5
WARN_THRESHOLD = 0.3
MAX_BLOCK = 30
WINDOW = 8
# Pairs per unit of work, and when comparing is worth extra processes.
CHUNK_PAIRS = 50_000
PARALLEL_FROM_PAIRS = 200_000
MAX_WORKERS = 4

# Log-odds weights per field and agreement level.
W_NIK_SAME = 5.0
W_NIK_ONE_DIGIT = 3.0
W_NIK_SERIAL_DIGIT = 1.0
W_NIK_DIFFERENT = -3.0
W_NAME = ((1.0, 4.0), (0.9, 3.0), (0.8, 1.8), (0.65, 0.3))
W_NAME_OTHER = -5.0
W_NAME_RARE = 6.0
W_NAME_COMMON = 1.5
W_BIRTH_SAME = 3.0
W_BIRTH_SWAPPED = 2.0
W_BIRTH_ONE_PART = 1.5
W_BIRTH_CLOSE = -1.5
W_BIRTH_FAR = -2.5
W_BIRTH_DIFFERENT = -3.5
W_SEX_DIFFERENT = -3.0
W_KELURAHAN = 0.8
W_ADDRESS = 1.2
W_BIRTH_PLACE = 0.3
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
    # The primary name's words, sorted: how common the name is.
    name_key: tuple[str, ...]
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
        name_key=tuple(sorted(all_names[0])) if all_names else (),
        sounds=sounds,
        address=" ".join(record.address.casefold().replace(",", " ").split()),
        birth_place=" ".join(names.name_tokens(record.birth_place)),
    )


# -- comparing two records ---------------------------------------------------------------


# NIK digits 7-12 are the birth date (women's day + 40).
NIK_DATE_PART = range(6, 12)
NIK_SERIAL_PART = range(12, 16)


def _nik(a: Record, b: Record) -> tuple[float, str]:
    first, second = a.nik, b.nik
    if not first or not second:
        return 0.0, ""
    if first == second:
        return W_NIK_SAME, "nik_same"
    if len(first) == len(second) and Hamming.distance(first, second, score_cutoff=2) <= 2:
        differing = [i for i in range(len(first)) if first[i] != second[i]]
        if len(differing) == 1:
            # A different birth date written into the NIK is not a typo.
            if differing[0] in NIK_DATE_PART and a.birth_date != b.birth_date:
                return 0.0, ""
            # Siblings born the same day in one kecamatan have neighbouring serials.
            if differing[0] in NIK_SERIAL_PART:
                return W_NIK_SERIAL_DIGIT, "nik_one_digit"
            return W_NIK_ONE_DIGIT, "nik_one_digit"
        if (
            len(differing) == 2
            and differing[1] == differing[0] + 1
            and first[differing[0]] == second[differing[1]]
            and first[differing[1]] == second[differing[0]]
        ):
            return W_NIK_ONE_DIGIT, "nik_transposed"
        if len(differing) == 2:
            return 0.0, ""
    return W_NIK_DIFFERENT, ""


def _exact_name_weight(a: _Prepared, counts: Mapping[tuple[str, ...], int] | None) -> float:
    """A rare name shared is stronger evidence than a common one (term frequency)."""
    if counts is None:
        return W_NAME[0][1]
    records = max(counts.get(a.name_key, 2), 2)
    return min(W_NAME_RARE, max(W_NAME_COMMON, W_NAME_RARE + 1 - math.log2(records)))


def _name(
    a: _Prepared, b: _Prepared, counts: Mapping[tuple[str, ...], int] | None = None
) -> tuple[float, str, float]:
    best = 0.0
    for first in a.names:
        for second in b.names:
            best = max(best, names.name_similarity(first, second))
            if best == 1.0:
                break
    if not a.names or not b.names:
        return 0.0, "", best
    if best == 1.0:
        weight = _exact_name_weight(a, counts) if a.name_key == b.name_key else W_NAME[0][1]
        if a.record.full_name.casefold().split() == b.record.full_name.casefold().split():
            return weight, "name_exact", best
        return weight, "name_variant", best
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


def _close_years(first: int, second: int) -> bool:
    """The same year, one apart, or one digit mistyped (1987/1981)."""
    if abs(first - second) <= 1:
        return True
    return sum(x != y for x, y in zip(str(first), str(second), strict=False)) == 1


def _birth(a: datetime.date | None, b: datetime.date | None) -> tuple[float, str]:
    if a is None or b is None:
        return 0.0, ""
    if a == b:
        return W_BIRTH_SAME, "birth_date_same"
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return W_BIRTH_SWAPPED, "birth_date_day_month_swapped"
    same_parts = (a.year == b.year) + (a.month == b.month) + (a.day == b.day)
    if same_parts == 2 and _close_years(a.year, b.year):
        return W_BIRTH_ONE_PART, "birth_date_one_part_differs"
    if abs(a.year - b.year) <= 2:
        return (W_BIRTH_CLOSE if same_parts else W_BIRTH_FAR), ""
    return W_BIRTH_DIFFERENT, ""


# At most what the address and place of birth can still add after the name.
_AFTER_NAME = W_ADDRESS + W_BIRTH_PLACE
_NOT_A_MATCH = Comparison(score=0.0)


def _compare(
    a: _Prepared,
    b: _Prepared,
    counts: Mapping[tuple[str, ...], int] | None = None,
    needed: float = -math.inf,
) -> Comparison:
    """Add up the evidence; the cheap fields first.

    With ``needed`` (the total a pair must reach), a pair that can no longer
    reach it stops early and scores 0 without reasons.
    """
    ra, rb = a.record, b.record
    reasons: list[str] = []
    nik_weight, nik_reason = _nik(ra, rb)
    birth_weight, birth_reason = _birth(ra.birth_date, rb.birth_date)
    total = nik_weight + birth_weight
    if ra.sex and rb.sex and ra.sex != rb.sex:
        total += W_SEX_DIFFERENT
        reasons.append("sex_differs")
    same_kelurahan = bool(ra.kelurahan_code) and ra.kelurahan_code == rb.kelurahan_code
    if same_kelurahan:
        total += W_KELURAHAN
    if total + W_NAME_RARE + _AFTER_NAME < needed:
        return _NOT_A_MATCH
    name_weight, name_reason, _similarity = _name(a, b, counts)
    total += name_weight
    if total + _AFTER_NAME < needed:
        return _NOT_A_MATCH
    address_similar = bool(a.address and b.address) and (
        a.address == b.address or fuzz.token_set_ratio(a.address, b.address) >= 90
    )
    if address_similar:
        total += W_ADDRESS
    birth_place_same = bool(a.birth_place) and a.birth_place == b.birth_place
    if birth_place_same:
        total += W_BIRTH_PLACE
    # A shared NIK with nothing else in common is not a person.
    if nik_reason == "nik_same" and name_weight < 0 and birth_weight < 0:
        total = min(total, OFFSET - 1.0)
    for reason, present in (
        (nik_reason, True),
        (name_reason, True),
        (birth_reason, True),
        ("same_kelurahan", same_kelurahan),
        ("address_similar", address_similar),
        ("birth_place_same", birth_place_same),
    ):
        if reason and present:
            reasons.append(reason)
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
    sounds = sorted(prepared.sounds)
    if record.nik:
        nik = record.nik
        keys.add(f"n{nik}")
        # One mistyped digit leaves two of region, birth date and serial intact.
        keys.add(f"a{nik[:12]}")
        if prepared.sounds:
            # Birth date and serial recur across regions: a name sound narrows them.
            keys.add(f"b{nik[6:]}{prepared.sounds[0]}")
            keys.add(f"c{nik[:6]}{nik[12:]}{'|'.join(sorted(prepared.sounds))}")
    for i, first in enumerate(sounds):
        for second in sounds[i + 1 :]:
            keys.add(f"p{first}|{second}")
    if len(sounds) == 1:
        keys.add(f"s{sounds[0]}")
    if record.birth_date is not None:
        date = record.birth_date
        day_month = "".join(sorted((f"{date.day:02}", f"{date.month:02}")))
        for sound in sounds:
            keys.add(f"d{sound}|{date.year}{day_month}")
    if prepared.address and record.kelurahan_code:
        keys.add(f"h{record.kelurahan_code}|{prepared.address}")
    return keys


def _order(prepared: _Prepared) -> tuple[int, str, str]:
    date = prepared.record.birth_date
    return (date.year if date else 0, prepared.record.kelurahan_code, prepared.address)


def _blocks(prepared: Sequence[_Prepared]) -> Iterable[list[int]]:
    """Groups of records to compare pairwise.

    A group too big to compare whole (a common name) is sorted by birth year,
    kelurahan and address and compared in overlapping windows: records close
    in that order meet (sorted neighbourhood).
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(prepared):
        for key in blocking_keys(item):
            groups[key].append(index)
    step = WINDOW // 2
    for members in groups.values():
        if len(members) < 2:
            continue
        if len(members) <= MAX_BLOCK:
            yield members
            continue
        members.sort(key=lambda index: _order(prepared[index]))
        for start in range(0, len(members) - step, step):
            yield members[start : start + WINDOW]


def _pair_codes(prepared: Sequence[_Prepared]) -> array[int]:
    """Every pair sharing a block, once, as ``first * len(prepared) + second``."""
    total = len(prepared)
    seen: set[int] = set()
    for members in _blocks(prepared):
        for position, i in enumerate(members):
            for j in members[position + 1 :]:
                seen.add(i * total + j if i < j else j * total + i)
    return array("q", sorted(seen))


# What the compare workers read: set before they fork, never pickled.
_shared: dict[str, Any] = {}


def _compare_chunk(bounds: tuple[int, int]) -> list[tuple[int, int, float, tuple[str, ...]]]:
    prepared = _shared["prepared"]
    codes = _shared["codes"]
    counts = _shared["counts"]
    needed = _shared["needed"]
    threshold = _shared["threshold"]
    total = len(prepared)
    found = []
    for code in codes[bounds[0] : bounds[1]]:
        first, second = divmod(code, total)
        comparison = _compare(prepared[first], prepared[second], counts, needed)
        if comparison.score >= threshold:
            found.append((first, second, comparison.score, comparison.reasons))
    return found


def _workers(pairs: int) -> int:
    if pairs < PARALLEL_FROM_PAIRS:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def find_duplicates(
    records: Iterable[Record],
    threshold: float = THRESHOLD,
    progress: Callable[[int, int], None] | None = None,
) -> list[Pair]:
    """Every pair of records the matcher considers one person, best first.

    The comparisons run in worker processes (fork) when there are many:
    the records and pairs are inherited, only the matches come back.
    """
    prepared = [prepare(record) for record in records]
    codes = _pair_codes(prepared)
    _shared.update(
        prepared=prepared,
        codes=codes,
        counts=Counter(item.name_key for item in prepared),
        needed=OFFSET + math.log(threshold / (1 - threshold)) if 0 < threshold < 1 else -math.inf,
        threshold=threshold,
    )
    chunks = [
        (start, min(start + CHUNK_PAIRS, len(codes))) for start in range(0, len(codes), CHUNK_PAIRS)
    ]
    workers = _workers(len(codes))
    found: list[tuple[int, int, float, tuple[str, ...]]] = []
    try:
        if workers == 1:
            results: Iterable[list[Any]] = map(_compare_chunk, chunks)
            _collect(results, found, len(chunks), len(prepared), progress)
        else:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.imap_unordered(_compare_chunk, chunks)
                _collect(results, found, len(chunks), len(prepared), progress)
    finally:
        _shared.clear()
    if progress is not None:
        progress(len(prepared), len(prepared))
    pairs = [
        Pair(
            id_a=prepared[first].record.id,
            id_b=prepared[second].record.id,
            score=score,
            reasons=reasons,
        )
        for first, second, score, reasons in found
    ]
    pairs.sort(key=lambda pair: (-pair.score, pair.id_a, pair.id_b))
    return pairs


def _collect(
    results: Iterable[list[Any]],
    found: list[Any],
    chunks: int,
    records: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    for done, chunk in enumerate(results, start=1):
        found.extend(chunk)
        if progress is not None:
            progress(done * records // max(chunks, 1), records)
