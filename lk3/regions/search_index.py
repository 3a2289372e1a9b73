"""The in-process index region search runs on.

Built from the Region table on first use and rebuilt after every load of
the region file; one small query per search checks it. It holds only
active regions for matching, and every code's name (retired too) so a
match's path up to the province needs no query. Positions and flags are
kept in arrays rather than lists of ints: the index lives in every worker
process, and 91,599 regions would otherwise cost several times the memory.
"""

from __future__ import annotations

import threading
from array import array
from dataclasses import dataclass

from lk3.core.models import ReferenceDataLoad
from lk3.regions.models import Region, RegionLevel
from lk3.regions.services import DATA_SET

# Higher levels first when scores tie: a city before a district of the same name.
LEVEL_RANK = {
    RegionLevel.PROVINCE.value: 0,
    RegionLevel.REGENCY.value: 1,
    RegionLevel.DISTRICT.value: 2,
    RegionLevel.VILLAGE.value: 3,
}


@dataclass(frozen=True)
class RegionIndex:
    # The loaded file's checksum and load time: a new one means a new index.
    version: str
    # Active regions in code order; a region's position in these is its id here.
    codes: list[str]
    search_names: list[str]
    ranks: bytes
    # Names without spaces ("apiapi"), sorted, for exact matches however spaced.
    compact_keys: list[str]
    compact_positions: array[int]
    # Every word start of every name ("bontang baru", "baru"), sorted, for prefixes.
    start_keys: list[str]
    start_positions: array[int]
    start_is_first_word: bytes
    # Positions and names of each level, in code order, for filtered similarity.
    rank_positions: dict[int, array[int]]
    rank_names: dict[int, list[str]]
    # Every code, retired too, to its official name.
    names: dict[str, str]

    def __len__(self) -> int:
        return len(self.codes)


_lock = threading.Lock()
_cache: list[RegionIndex] = []


def current_index() -> RegionIndex:
    # The load time changes on a forced reload of the same file, the checksum does not.
    load = ReferenceDataLoad.objects.filter(name=DATA_SET).values_list("checksum", "loaded_at")
    version = "{}@{}".format(*load.first() or ("", ""))
    with _lock:
        if not _cache or _cache[0].version != version:
            _cache[:] = [_build(version)]
        return _cache[0]


def _build(version: str) -> RegionIndex:
    names: dict[str, str] = {}
    codes: list[str] = []
    search_names: list[str] = []
    ranks = bytearray()
    rows = Region.objects.order_by("code").values_list(
        "code", "name", "search_name", "level", "is_active"
    )
    for code, name, search_name, level, is_active in rows:
        names[code] = name
        if is_active:
            codes.append(code)
            search_names.append(search_name)
            ranks.append(LEVEL_RANK[level])
    compacts = sorted(
        (name.replace(" ", ""), position) for position, name in enumerate(search_names)
    )
    starts = sorted(_word_starts(search_names))
    rank_positions = {rank: array("i") for rank in LEVEL_RANK.values()}
    for position, rank in enumerate(ranks):
        rank_positions[rank].append(position)
    return RegionIndex(
        version=version,
        codes=codes,
        search_names=search_names,
        ranks=bytes(ranks),
        compact_keys=[key for key, _position in compacts],
        compact_positions=array("i", (position for _key, position in compacts)),
        start_keys=[key for key, _position, _first in starts],
        start_positions=array("i", (position for _key, position, _first in starts)),
        start_is_first_word=bytes(first for _key, _position, first in starts),
        rank_positions=rank_positions,
        rank_names={
            rank: [search_names[position] for position in positions]
            for rank, positions in rank_positions.items()
        },
        names=names,
    )


def _word_starts(search_names: list[str]) -> list[tuple[str, int, int]]:
    starts = []
    for position, name in enumerate(search_names):
        starts.append((name, position, 1))
        for offset, character in enumerate(name):
            if character == " ":
                starts.append((name[offset + 1 :], position, 0))
    return starts
