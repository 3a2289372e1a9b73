"""Reading regions: by code, their path up to the province, and search.

Search ranks in tiers whose scores never overlap, so a better kind of match
always comes first: the exact code (100), the exact normalised name (95),
the name starting with the query (85-89), a later word of the name starting
with it (80-84) or a code below the code typed (80), then similar names (at
most 79) by optimal string alignment, which counts a swapped pair of
letters as one typo. Ties go to the higher level (a city before a district
of the same name), then code.

"Exact" compares names without their spaces, so "apiapi", "api api" and
"Api-api" are all the same name; typing the official name in full (title
word included) scores 96 rather than 95.

Search runs on the in-process index of ``search_index``. Retired codes are
not offered in search, but ``region_by_code`` still finds them so old NIKs
decode.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rapidfuzz import process
from rapidfuzz.distance import OSA

from lk3.regions import codes
from lk3.regions.models import Region, RegionLevel
from lk3.regions.names import fold, normalise
from lk3.regions.search_index import LEVEL_RANK, RegionIndex, current_index

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
# Sorts after every character a name can hold, to bisect the end of a prefix.
AFTER_ALL = "\uffff"


@dataclass(frozen=True)
class RegionMatch:
    region: Region
    score: int
    reason: str | Promise
    # Names from the region itself up to its province.
    path: tuple[str, ...] = ()

    @property
    def full_name(self) -> str:
        """For example "Bontang Baru, Bontang Utara, Kota Bontang, Kalimantan Timur"."""
        return ", ".join(self.path)

    @property
    def level_label(self) -> str | Promise:
        """Villages say which they are: a kelurahan (urban) or a desa."""
        if self.region.level != RegionLevel.VILLAGE:
            return self.region.get_level_display()
        return LABEL_KELURAHAN if self.region.is_kelurahan else LABEL_DESA

    @property
    def parent_names(self) -> str:
        """The path without the region: what tells same-named villages apart."""
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


# -- search -------------------------------------------------------------------------

# (score, position, reason) while searching; regions are fetched at the end.
_Hit = tuple[int, int, str | Promise]


@dataclass(frozen=True)
class _Scope:
    rank: int | None
    # A code followed by its dot: what codes below it start with.
    below: str | None

    def allows(self, index: RegionIndex, position: int) -> bool:
        if self.rank is not None and index.ranks[position] != self.rank:
            return False
        return self.below is None or index.codes[position].startswith(self.below)


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
    index = current_index()
    scope = _Scope(
        rank=LEVEL_RANK[level] if level else None,
        below=f"{within_code}." if within_code else None,
    )
    hits: dict[int, _Hit] = {}
    for tier in (_code_hits, _exact_hits, _start_hits, _similar_hits):
        if len(hits) >= limit:
            break
        for hit in tier(index, query, scope, limit - len(hits)):
            hits.setdefault(hit[1], hit)
    best = heapq.nsmallest(limit, hits.values(), key=lambda hit: _rank(index, hit))
    return _matches(index, best)


def _rank(index: RegionIndex, hit: _Hit) -> tuple[int, int, str]:
    score, position, _reason = hit
    return (-score, index.ranks[position], index.codes[position])


def _prefix_range(keys: list[str], prefix: str) -> range:
    return range(bisect.bisect_left(keys, prefix), bisect.bisect_left(keys, prefix + AFTER_ALL))


def _code_hits(index: RegionIndex, query: str, scope: _Scope, room: int) -> list[_Hit]:
    code = codes.dotted(query)
    if code is None:
        return []
    hits: list[_Hit] = []
    exact = bisect.bisect_left(index.codes, code)
    if exact < len(index) and index.codes[exact] == code and scope.allows(index, exact):
        hits.append((SCORE_CODE, exact, REASON_CODE))
    for position in _prefix_range(index.codes, f"{code}."):
        if scope.allows(index, position):
            hits.append((SCORE_CODE_PREFIX, position, REASON_CODE_PREFIX))
    return hits


def _exact_hits(index: RegionIndex, query: str, scope: _Scope, room: int) -> list[_Hit]:
    key = normalise(query).replace(" ", "")
    start = bisect.bisect_left(index.compact_keys, key)
    typed = fold(query)
    hits: list[_Hit] = []
    for entry in range(start, len(index.compact_keys)):
        if index.compact_keys[entry] != key:
            break
        position = index.compact_positions[entry]
        if scope.allows(index, position):
            literal = fold(index.names[index.codes[position]]) == typed
            score = SCORE_EXACT_FULL_NAME if literal else SCORE_EXACT_NAME
            hits.append((score, position, REASON_EXACT_NAME))
    return hits


def _start_hits(index: RegionIndex, query: str, scope: _Scope, room: int) -> list[_Hit]:
    text = normalise(query)
    if not text:
        return []
    hits: list[_Hit] = []
    for entry in _prefix_range(index.start_keys, text):
        position = index.start_positions[entry]
        if not scope.allows(index, position):
            continue
        # Shorter names are closer to what was typed.
        closeness = int(4 * len(text) / len(index.search_names[position]))
        if index.start_is_first_word[entry]:
            hits.append((SCORE_NAME_START + closeness, position, REASON_NAME_START))
        else:
            hits.append((SCORE_WORD_START + closeness, position, REASON_WORD_START))
    # A name can start with the query and have a later word that does too: best first.
    return sorted(hits, reverse=True, key=lambda hit: hit[0])


def _similar_hits(index: RegionIndex, query: str, scope: _Scope, room: int) -> list[_Hit]:
    text = normalise(query)
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


def _candidates(index: RegionIndex, scope: _Scope) -> tuple[Sequence[int], Sequence[str]]:
    """Positions the scope allows and their names, without copying when unfiltered."""
    if scope.below is None:
        if scope.rank is None:
            return range(len(index)), index.search_names
        return index.rank_positions[scope.rank], index.rank_names[scope.rank]
    positions = [
        position
        for position in _prefix_range(index.codes, scope.below)
        if scope.allows(index, position)
    ]
    return positions, [index.search_names[position] for position in positions]


def _matches(index: RegionIndex, hits: list[_Hit]) -> list[RegionMatch]:
    wanted = [index.codes[position] for _score, position, _reason in hits]
    regions = Region.objects.in_bulk(wanted, field_name="code")
    return [
        RegionMatch(
            region=regions[code],
            score=score,
            reason=reason,
            path=tuple(_path_names(index, code)),
        )
        for (score, _position, reason), code in zip(hits, wanted, strict=True)
        if code in regions
    ]


def _path_names(index: RegionIndex, code: str) -> Iterator[str]:
    for ancestor in reversed(codes.lineage(code)):
        if ancestor in index.names:
            yield index.names[ancestor]
