"""Reading regions: by code, their path up to the province, and search.

Search ranks in tiers whose scores never overlap, so a better kind of match
always comes first: the exact code (100), the exact normalised name (95),
the name starting with the query (85-89), a later word of the name starting
with it (80-84), then similar names (at most 79) by optimal string
alignment, which counts a swapped pair of letters as one typo. Ties go
to the higher level (a city before a district of the same name), then code.

Search works on an in-process index of every active region, built on first
use and rebuilt when the loaded file's checksum changes (one small query per
search checks it). Retired codes are not offered in search, but
``region_by_code`` still finds them so old NIKs decode.
"""

from __future__ import annotations

import bisect
import heapq
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rapidfuzz import process
from rapidfuzz.distance import OSA

from lk3.core.models import ReferenceDataLoad
from lk3.regions import codes
from lk3.regions.models import Region, RegionLevel
from lk3.regions.names import compact, fold, normalise
from lk3.regions.services import DATA_SET

REASON_CODE = _("code")
REASON_CODE_PREFIX = _("code prefix")
REASON_EXACT_NAME = _("exact name")
REASON_NAME_START = _("start of name")
REASON_WORD_START = _("word in name")
REASON_SIMILAR_NAME = _("similar name")
LABEL_KELURAHAN = _("Kelurahan")
LABEL_DESA = _("Desa")

SCORE_CODE = 100
SCORE_EXACT_NAME = 95
# "Kota Baru" typed in full: the village called "Kota Baru" before those called "Baru".
SCORE_EXACT_FULL_NAME = 96
SCORE_NAME_START = 85
SCORE_WORD_START = 80
SCORE_CODE_PREFIX = 80
SIMILAR_SCALE = 79
SIMILAR_CUTOFF = 0.7
# Below three letters almost every short name is "similar".
SIMILAR_MIN_LENGTH = 3
LEVEL_RANK = {
    RegionLevel.PROVINCE.value: 0,
    RegionLevel.REGENCY.value: 1,
    RegionLevel.DISTRICT.value: 2,
    RegionLevel.VILLAGE.value: 3,
}


@dataclass(frozen=True)
class RegionMatch:
    region: Region
    score: int
    reason: str | Promise
    # Names from the region itself up to its province.
    path: tuple[str, ...] = field(default=())

    @property
    def full_name(self) -> str:
        """ "Bontang Baru, Bontang Utara, Kota Bontang, Kalimantan Timur"."""
        return ", ".join(self.path)

    @property
    def level_label(self) -> str | Promise:
        """Villages say which they are: a kelurahan (urban) or a desa."""
        if self.region.level != RegionLevel.VILLAGE:
            return self.region.get_level_display()
        return LABEL_KELURAHAN if self.region.is_kelurahan else LABEL_DESA

    @property
    def parent_names(self) -> str:
        """ "Bontang Utara, Kota Bontang, Kalimantan Timur": tells same-named villages apart."""
        return ", ".join(self.path[1:])


# -- by code ----------------------------------------------------------------------


def region_by_code(code: str) -> Region | None:
    """The region, retired or not, for a dotted (64.74.01) or undotted (647401) code."""
    dotted = codes.dotted(code)
    if dotted is None:
        return None
    return Region.objects.filter(code=dotted).first()


def region_path(region: Region) -> list[Region]:
    """Province first, ending with ``region``; one query."""
    # Ancestor codes are prefixes of the code, so code order is level order.
    return list(Region.objects.filter(code__in=codes.lineage(region.code)).order_by("code"))


# -- the search index -----------------------------------------------------------------


@dataclass(frozen=True)
class _Index:
    checksum: str | None
    # Active regions in code order; a region's position is its id here.
    codes: list[str]
    search_names: list[str]
    levels: list[str]
    # Normalised and compact name -> positions.
    by_name: dict[str, list[int]]
    # Every word start of every name ("bontang baru", "baru"), sorted, for prefix bisects.
    starts: list[str]
    start_positions: list[int]
    start_is_first_word: list[bool]
    # Positions of each level, in code order (for filtered similarity search).
    level_positions: dict[str, list[int]]
    level_names: dict[str, list[str]]
    # Every code, retired too, to its name: paths never need a query.
    names: dict[str, str]


_lock = threading.Lock()
_cache: list[_Index] = []


def _current_checksum() -> str | None:
    return (
        ReferenceDataLoad.objects.filter(name=DATA_SET).values_list("checksum", flat=True).first()
    )


def _index() -> _Index:
    checksum = _current_checksum()
    with _lock:
        if not _cache or _cache[0].checksum != checksum:
            _cache[:] = [_build_index(checksum)]
        return _cache[0]


def _build_index(checksum: str | None) -> _Index:
    rows = Region.objects.order_by("code").values_list(
        "code", "name", "search_name", "level", "is_active"
    )
    names: dict[str, str] = {}
    active_codes: list[str] = []
    search_names: list[str] = []
    levels: list[str] = []
    for code, name, search_name, level, is_active in rows:
        names[code] = name
        if is_active:
            active_codes.append(code)
            search_names.append(search_name)
            levels.append(level)
    by_name: dict[str, list[int]] = {}
    starts: list[tuple[str, int, bool]] = []
    level_positions: dict[str, list[int]] = {level: [] for level in LEVEL_RANK}
    for position, search_name in enumerate(search_names):
        by_name.setdefault(search_name, []).append(position)
        if compact(search_name) != search_name:
            by_name.setdefault(compact(search_name), []).append(position)
        words = search_name.split(" ")
        for number in range(len(words)):
            starts.append((" ".join(words[number:]), position, number == 0))
        level_positions[levels[position]].append(position)
    starts.sort()
    return _Index(
        checksum=checksum,
        codes=active_codes,
        search_names=search_names,
        levels=levels,
        by_name=by_name,
        starts=[start for start, _position, _first in starts],
        start_positions=[position for _start, position, _first in starts],
        start_is_first_word=[first for _start, _position, first in starts],
        level_positions=level_positions,
        level_names={
            level: [search_names[position] for position in positions]
            for level, positions in level_positions.items()
        },
        names=names,
    )


# -- search -------------------------------------------------------------------------

# (score, position, reason) while searching; regions are fetched at the end.
_Hit = tuple[int, int, str | Promise]


@dataclass(frozen=True)
class _Filter:
    level: str | None
    within: str | None

    def allows(self, index: _Index, position: int) -> bool:
        if self.level is not None and index.levels[position] != self.level:
            return False
        return self.within is None or index.codes[position].startswith(self.within)


def region_search(
    query: str, *, level: str | None = None, within: str | None = None, limit: int = 10
) -> list[RegionMatch]:
    """Active regions best matching ``query`` (a name, with typos, or a code); two queries.

    ``within`` keeps regions under a code (``64.74`` or ``6474``); ``level``
    is a ``RegionLevel`` value.
    """
    if level is not None and level not in LEVEL_RANK:
        raise ValueError(f"unknown region level {level!r}")
    within_code = codes.dotted(within) if within else None
    if (within and within_code is None) or limit <= 0:
        return []
    text = normalise(query)
    index = _index()
    scope = _Filter(level=level, within=f"{within_code}." if within_code else None)
    hits: dict[int, _Hit] = {}
    for tier in (_code_hits, _exact_hits, _start_hits, _similar_hits):
        if len(hits) >= limit:
            break
        for hit in tier(index, query, text, scope, limit - len(hits)):
            hits.setdefault(hit[1], hit)
    best = heapq.nsmallest(limit, hits.values(), key=lambda hit: _rank(index, hit))
    return _matches(index, best)


def _rank(index: _Index, hit: _Hit) -> tuple[int, int, str]:
    score, position, _reason = hit
    return (-score, LEVEL_RANK[index.levels[position]], index.codes[position])


def _code_hits(index: _Index, query: str, text: str, scope: _Filter, room: int) -> list[_Hit]:
    code = codes.dotted(query)
    if code is None:
        return []
    lo = bisect.bisect_left(index.codes, code)
    hits: list[_Hit] = []
    if lo < len(index.codes) and index.codes[lo] == code and scope.allows(index, lo):
        hits.append((SCORE_CODE, lo, REASON_CODE))
    below = f"{code}."
    for position in range(lo, bisect.bisect_left(index.codes, below + "\uffff")):
        if index.codes[position].startswith(below) and scope.allows(index, position):
            hits.append((SCORE_CODE_PREFIX, position, REASON_CODE_PREFIX))
    return hits


def _exact_hits(index: _Index, query: str, text: str, scope: _Filter, room: int) -> list[_Hit]:
    found = set(index.by_name.get(text, ())) | set(index.by_name.get(text.replace(" ", ""), ()))
    typed = fold(query)
    return [
        (
            SCORE_EXACT_FULL_NAME
            if fold(index.names[index.codes[position]]) == typed
            else SCORE_EXACT_NAME,
            position,
            REASON_EXACT_NAME,
        )
        for position in found
        if scope.allows(index, position)
    ]


def _start_hits(index: _Index, query: str, text: str, scope: _Filter, room: int) -> list[_Hit]:
    if not text:
        return []
    hits: list[_Hit] = []
    lo = bisect.bisect_left(index.starts, text)
    hi = bisect.bisect_left(index.starts, text + "\uffff")
    for entry in range(lo, hi):
        position = index.start_positions[entry]
        if not scope.allows(index, position):
            continue
        # Shorter names are closer to what was typed.
        closeness = len(text) / len(index.search_names[position])
        if index.start_is_first_word[entry]:
            hits.append((SCORE_NAME_START + int(4 * closeness), position, REASON_NAME_START))
        else:
            hits.append((SCORE_WORD_START + int(4 * closeness), position, REASON_WORD_START))
    # A name can start with the query and also have a later word that does: keep the best.
    return sorted(hits, reverse=True, key=lambda hit: hit[0])


def _similar_hits(index: _Index, query: str, text: str, scope: _Filter, room: int) -> list[_Hit]:
    if len(text) < SIMILAR_MIN_LENGTH:
        return []
    positions, choices = _candidates(index, scope)
    found = process.extract(
        text, choices, scorer=OSA.normalized_similarity, score_cutoff=SIMILAR_CUTOFF, limit=room
    )
    return [
        (int(similarity * SIMILAR_SCALE), positions[choice], REASON_SIMILAR_NAME)
        for _name, similarity, choice in found
    ]


def _candidates(index: _Index, scope: _Filter) -> tuple[Sequence[int], Sequence[str]]:
    """Positions the scope allows and their names, without copying when unfiltered."""
    if scope.within is None:
        if scope.level is None:
            return range(len(index.codes)), index.search_names
        return index.level_positions[scope.level], index.level_names[scope.level]
    lo = bisect.bisect_left(index.codes, scope.within)
    hi = bisect.bisect_left(index.codes, scope.within + "\uffff")
    positions = [position for position in range(lo, hi) if scope.allows(index, position)]
    return positions, [index.search_names[position] for position in positions]


def _matches(index: _Index, hits: list[_Hit]) -> list[RegionMatch]:
    wanted = [index.codes[position] for _score, position, _reason in hits]
    regions = Region.objects.in_bulk(wanted, field_name="code")
    return [
        RegionMatch(
            region=regions[index.codes[position]],
            score=score,
            reason=reason,
            path=tuple(_path_names(index, index.codes[position])),
        )
        for score, position, reason in hits
        if index.codes[position] in regions
    ]


def _path_names(index: _Index, code: str) -> Iterator[str]:
    for ancestor in reversed(codes.lineage(code)):
        if ancestor in index.names:
            yield index.names[ancestor]
