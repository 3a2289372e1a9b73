"""Finding a person in the registry from one search box.

Rules:
- What is typed decides the search: 16 digits (spaces, dots and hyphens
  allowed) are a NIK, or else a family card (KK) whose current members are
  shown; other numbers are a phone number (08.., +628.., 628..), found
  exactly or, from 8 digits, by its start; anything else is a name.
- Names: titles and degrees are ignored, spelling variants (Muhammad, Muh.,
  Moh.) are one word, word order does not matter, and a word may be
  mistyped (it is expanded to the vocabulary's words within typo distance,
  and to words that sound alike). Other names (aliases) count too.
- Only active persons of the organisations whose registry the user works in
  (``registry_organisation_ids``); merged-away records are never results.
- Retrieval runs on the postings (``search_index``): one SQL statement
  counts, per person, the query words matched and how well, and keeps the
  best ``CANDIDATE_LIMIT``; Python then scores those with ``name_match``
  and ranks them, best first, ties by name and then id so pages are stable.
- A name search costs five queries whatever the number of results (one
  more when the vocabulary changed since the last search in this process).
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Sum
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from lk3.core.crypto import lookup_hash
from lk3.people import names
from lk3.people.identity import nik_lookup_hash
from lk3.people.models import (
    FamilyMembership,
    NameToken,
    Person,
    PersonAlias,
    PersonPhone,
    PersonSearchKey,
    PersonStatus,
    Relationship,
)
from lk3.people.permissions import registry_organisation_ids
from lk3.people.phones import normalise_phone
from lk3.people.search_index import (
    INITIAL_PREFIX,
    KEY_LENGTH,
    PHONETIC_PREFIX,
    TOKEN_PREFIX,
    whole_name_key,
)

QUERY_EMPTY = "empty"
QUERY_NIK = "nik"
QUERY_KK = "kk"
QUERY_PHONE = "phone"
QUERY_NAME = "name"

# Why a person matched, as the results show it (a context of their own: "KK
# number" and "phone number" are also field labels, capitalised differently).
REASON_NIK = pgettext_lazy("search reason", "NIK")
REASON_KK = pgettext_lazy("search reason", "KK number")
REASON_PHONE = pgettext_lazy("search reason", "phone number")
REASON_ALIAS = pgettext_lazy("search reason", "other name (alias)")
REASON_EXACT = pgettext_lazy("search reason", "exact name")
REASON_VARIANT = pgettext_lazy("search reason", "other spelling")
REASON_PHONETIC = pgettext_lazy("search reason", "sounds alike")
REASON_TYPO = pgettext_lazy("search reason", "typo")
REASON_INITIAL = pgettext_lazy("search reason", "initial")
REASON_REORDERED = pgettext_lazy("search reason", "different word order")
REASON_PARTIAL = pgettext_lazy("search reason", "part of the name")
NAME_REASONS: dict[str, str | Promise] = {
    names.REASON_EXACT: REASON_EXACT,
    names.REASON_VARIANT: REASON_VARIANT,
    names.REASON_PHONETIC: REASON_PHONETIC,
    names.REASON_TYPO: REASON_TYPO,
    names.REASON_INITIAL: REASON_INITIAL,
    names.REASON_REORDERED: REASON_REORDERED,
    names.REASON_PARTIAL: REASON_PARTIAL,
}

KK_HASH_PURPOSE = "kk"
NUMBER_LENGTH = 16
# Persons scored in Python per search: enough for every page anyone reads.
CANDIDATE_LIMIT = 300
# Below this a name shares too little with the query to be shown.
MIN_NAME_SCORE = 0.5
# A match on another name ranks just below the same match on the full name.
ALIAS_FACTOR = 0.98
PREFIX_PHONE_SCORE = 0.9
# What a query word earns a person, by the key it matched.
WEIGHT_EXACT = 4
WEIGHT_SOUND = 2
WEIGHT_TYPO = 1
WEIGHT_INITIAL = 2
# A whole-name match outranks any number of matched words.
WEIGHT_WHOLE_NAME = 100
# With three words or more, one may be missing from the record.
WORDS_ALL_REQUIRED_UP_TO = 2

INITIAL_LENGTH = 1
_NUMBER_SEPARATORS = re.compile(r"[\s.\-()/+]")
_ASCII_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class SearchHit:
    person: Person
    score: float
    # Translatable labels of why the person matched.
    reasons: tuple[str | Promise, ...]

    @property
    def age(self) -> int | None:
        return self.person.age_on(timezone.localdate())


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    total: int
    page: int
    num_pages: int
    query_kind: str
    # More persons matched the words than were ranked (CANDIDATE_LIMIT): only
    # the best are shown, and a narrower query would find the others.
    truncated: bool = False

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    # The names of a Django ``Page`` that templates/core/_pagination.html reads.
    @property
    def number(self) -> int:
        return self.page

    @property
    def paginator(self) -> SearchPage:
        return self

    @property
    def previous_page_number(self) -> int:
        return self.page - 1

    @property
    def next_page_number(self) -> int:
        return self.page + 1


@dataclass(frozen=True)
class _Ranked:
    person_id: int
    score: float
    reasons: tuple[str | Promise, ...]
    sort_name: str = ""


def person_search_for_user(
    *, user: Any, query: str, page: int = 1, per_page: int = 20
) -> SearchPage:
    """Active persons of the user's registry matching ``query``, best first, one page."""
    organisation_ids = sorted(registry_organisation_ids(user))
    text = query.strip()
    if not text or not organisation_ids:
        return _page([], kind=QUERY_EMPTY, page=page, per_page=per_page)
    compact = _NUMBER_SEPARATORS.sub("", text)
    if _ASCII_DIGITS.fullmatch(compact):
        ranked, kind = _by_number(text, compact, organisation_ids)
        return _page(ranked, kind=kind, page=page, per_page=per_page)
    ranked, truncated = _by_name(text, organisation_ids)
    return _page(ranked, kind=QUERY_NAME, page=page, per_page=per_page, truncated=truncated)


def _page(
    ranked: Sequence[_Ranked], *, kind: str, page: int, per_page: int, truncated: bool = False
) -> SearchPage:
    num_pages = max(1, math.ceil(len(ranked) / per_page))
    number = min(max(page, 1), num_pages)
    shown = ranked[(number - 1) * per_page : number * per_page]
    persons = (
        Person.objects.defer("nik")
        .select_related("domicile_village")
        .in_bulk([entry.person_id for entry in shown])
        if shown
        else {}
    )
    hits = [
        SearchHit(person=persons[entry.person_id], score=entry.score, reasons=entry.reasons)
        for entry in shown
        if entry.person_id in persons
    ]
    return SearchPage(
        hits=hits,
        total=len(ranked),
        page=number,
        num_pages=num_pages,
        query_kind=kind,
        truncated=truncated,
    )


# -- numbers ------------------------------------------------------------------------------


def _in_scope(organisation_id: int, status: str, organisation_ids: Sequence[int]) -> bool:
    return organisation_id in organisation_ids and status == PersonStatus.ACTIVE


# The lookups below filter on the number's own index only and check the
# scope in Python: given the organisation and status too, SQLite prefers the
# (organisation, status) index and reads the organisation's every person.


def _by_number(
    text: str, digits: str, organisation_ids: Sequence[int]
) -> tuple[list[_Ranked], str]:
    if len(digits) == NUMBER_LENGTH:
        by_nik = Person.objects.filter(nik_hash=nik_lookup_hash(digits)).values_list(
            "pk", "full_name", "organisation_id", "status"
        )
        found = sorted(
            (full_name, pk)
            for pk, full_name, organisation_id, status in by_nik
            if _in_scope(organisation_id, status, organisation_ids)
        )
        if found:
            return [_Ranked(pk, 1.0, (REASON_NIK,)) for _name, pk in found], QUERY_NIK
        members = _family_members(digits, organisation_ids)
        if members:
            return members, QUERY_KK
    phone = normalise_phone(text)
    if phone is None:
        return [], QUERY_NIK if len(digits) == NUMBER_LENGTH else QUERY_PHONE
    return _by_phone(phone, organisation_ids), QUERY_PHONE


def _family_members(digits: str, organisation_ids: Sequence[int]) -> list[_Ranked]:
    """The current members of the family with this KK number, the head first."""
    memberships = (
        FamilyMembership.objects.filter(
            family__kk_hash=lookup_hash(digits, purpose=KK_HASH_PURPOSE), ended_on__isnull=True
        )
        .order_by("family_id", "started_on", "pk")
        .values_list("person_id", "relationship", "family__organisation_id", "person__status")
    )
    rows = [
        (person_id, relationship)
        for person_id, relationship, organisation_id, status in memberships
        if _in_scope(organisation_id, status, organisation_ids)
    ]
    rows.sort(key=lambda row: row[1] != Relationship.HEAD)
    return [_Ranked(person_id, 1.0, (REASON_KK,)) for person_id, _relationship in rows]


def _by_phone(number: str, organisation_ids: Sequence[int]) -> list[_Ranked]:
    """The number itself, then longer numbers starting with it (``number`` has 8+ digits)."""
    # A range rather than LIKE, which SQLite cannot answer from the index.
    phones = (
        PersonPhone.objects.filter(number__gte=number, number__lt=_digits_after(number))
        .order_by("number", "person_id")
        .values_list("person_id", "number", "person__organisation_id", "person__status")
    )[:CANDIDATE_LIMIT]
    best: dict[int, float] = {}
    for person_id, found, organisation_id, status in phones:
        if _in_scope(organisation_id, status, organisation_ids):
            score = 1.0 if found == number else PREFIX_PHONE_SCORE
            best[person_id] = max(score, best.get(person_id, 0.0))
    ordered = sorted(best.items(), key=lambda item: (-item[1], item[0]))
    return [_Ranked(person_id, score, (REASON_PHONE,)) for person_id, score in ordered]


def _digits_after(prefix: str) -> str:
    """The first digit string after every string starting with ``prefix``."""
    stripped = prefix.rstrip("9")
    if not stripped:
        return prefix + ":"
    return stripped[:-1] + str(int(stripped[-1]) + 1)


# -- names --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Vocabulary:
    signature: tuple[Any, ...]
    tokens: tuple[str, ...]


_lock = threading.Lock()
_vocabulary: list[_Vocabulary] = []


def current_vocabulary() -> tuple[str, ...]:
    """The registry's name tokens, cached in the process until ``NameToken`` changes.

    One aggregate query checks the cache: a new token changes the row count
    and highest id (rows are never deleted); counts and lengths are in the
    signature too, so a test database rolled back to other tokens with the
    same ids is still noticed.
    """
    signature = tuple(
        NameToken.objects.aggregate(
            rows=Count("pk"),
            last=Max("pk"),
            persons=Sum("person_count"),
            letters=Sum(Length("token")),
        ).values()
    )
    with _lock:
        if not _vocabulary or _vocabulary[0].signature != signature:
            tokens = tuple(NameToken.objects.order_by("token").values_list("token", flat=True))
            _vocabulary[:] = [_Vocabulary(signature=signature, tokens=tokens)]
        return _vocabulary[0].tokens


def vocabulary_cache_clear() -> None:
    with _lock:
        _vocabulary.clear()


@dataclass(frozen=True)
class _Word:
    """The keys one query word is looked up by."""

    exact: str
    sound: str
    typos: tuple[str, ...]

    @property
    def keys(self) -> list[str]:
        return sorted({self.exact, self.sound, *self.typos})


def _words(tokens: Iterable[str], vocabulary: Sequence[str]) -> list[_Word]:
    words = []
    for token in dict.fromkeys(tokens):
        # A lone initial matches a good part of the registry: it only ranks.
        if len(token) < INITIAL_LENGTH + 1:
            continue
        typos = tuple(
            f"{TOKEN_PREFIX}{neighbour}"[:KEY_LENGTH]
            for neighbour in names.vocabulary_neighbours(token, vocabulary)
            if neighbour != token
        )
        words.append(
            _Word(
                exact=f"{TOKEN_PREFIX}{token}"[:KEY_LENGTH],
                sound=f"{PHONETIC_PREFIX}{names.phonetic(token)}"[:KEY_LENGTH],
                typos=typos,
            )
        )
    return words


def _by_name(text: str, organisation_ids: Sequence[int]) -> tuple[list[_Ranked], bool]:
    tokens = names.name_tokens(text)
    words = _words(tokens, current_vocabulary())
    if not words:
        return [], False
    required = len(words) if len(words) <= WORDS_ALL_REQUIRED_UP_TO else len(words) - 1
    initials = sorted(
        {f"{INITIAL_PREFIX}{token}" for token in tokens if len(token) == INITIAL_LENGTH}
    )
    candidates = _candidates(
        words, whole_name_key(tokens), initials, organisation_ids, required=required
    )
    return _scored(text, candidates, organisation_ids), len(candidates) >= CANDIDATE_LIMIT


# Numbers and names from our own metadata are formatted in; values are parameters.
_WORD_SQL = (
    "SELECT person_id, MAX(CASE WHEN key = %s THEN {exact} WHEN key = %s THEN {sound} "
    "ELSE {typo} END) AS weight, 1 AS words FROM {table} "
    "WHERE organisation_id IN ({organisations}) AND key IN ({keys}) GROUP BY person_id"
)
_WHOLE_NAME_SQL = (
    "SELECT person_id, {weight} AS weight, 0 AS words FROM {table} "
    "WHERE organisation_id IN ({organisations}) AND key = %s"
)
# Looked up only for the persons already matched: an index seek each.
_INITIAL_SQL = (
    " + CASE WHEN EXISTS (SELECT 1 FROM {table} AS initial "
    "WHERE initial.organisation_id IN ({organisations}) AND initial.key = %s "
    "AND initial.person_id = matched.person_id) THEN {weight} ELSE 0 END"
)
_CANDIDATES_SQL = (
    "SELECT person_id FROM ({union}) AS matched GROUP BY person_id "
    "HAVING SUM(words) >= %s ORDER BY SUM(weight){initials} DESC, person_id LIMIT %s"
)


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def _candidates(
    words: Sequence[_Word],
    whole_name: str,
    initials: Sequence[str],
    organisation_ids: Sequence[int],
    *,
    required: int,
) -> list[int]:
    """The persons matching at least ``required`` words, best first, at most CANDIDATE_LIMIT.

    Per word, a person's best key (exact, sounds alike, typo) gives its
    weight; a whole-name key outranks everything; an initial typed ("Siti
    A.") adds a little for the persons with a word of that initial. One
    statement: a UNION ALL of one index range per word, grouped by person.
    """
    table = connection.ops.quote_name(PersonSearchKey._meta.db_table)
    organisations = _placeholders(len(organisation_ids))
    parts: list[str] = []
    params: list[Any] = []
    for word in words:
        keys = word.keys
        parts.append(
            _WORD_SQL.format(
                exact=WEIGHT_EXACT,
                sound=WEIGHT_SOUND,
                typo=WEIGHT_TYPO,
                table=table,
                organisations=organisations,
                keys=_placeholders(len(keys)),
            )
        )
        params += [word.exact, word.sound, *organisation_ids, *keys]
    parts.append(
        _WHOLE_NAME_SQL.format(weight=WEIGHT_WHOLE_NAME, table=table, organisations=organisations)
    )
    params += [*organisation_ids, whole_name, required]
    initial_sql = _INITIAL_SQL.format(
        table=table, organisations=organisations, weight=WEIGHT_INITIAL
    )
    for initial in initials:
        params += [*organisation_ids, initial]
    params.append(CANDIDATE_LIMIT)
    statement = _CANDIDATES_SQL.format(
        union=" UNION ALL ".join(parts), initials=initial_sql * len(initials)
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [row[0] for row in cursor.fetchall()]


def _scored(text: str, candidates: Sequence[int], organisation_ids: Sequence[int]) -> list[_Ranked]:
    if not candidates:
        return []
    rows = Person.objects.filter(pk__in=candidates).values_list(
        "pk", "full_name", "organisation_id", "status"
    )
    full_names = {
        pk: full_name
        for pk, full_name, organisation_id, status in rows
        if _in_scope(organisation_id, status, organisation_ids)
    }
    aliases: dict[int, list[str]] = {}
    for person_id, alias in PersonAlias.objects.filter(person_id__in=full_names).values_list(
        "person_id", "name"
    ):
        aliases.setdefault(person_id, []).append(alias)
    ranked = []
    for person_id, full_name in full_names.items():
        best = _best_match(text, full_name, aliases.get(person_id, ()))
        if best is not None:
            score, reasons = best
            ranked.append(_Ranked(person_id, score, reasons, sort_name=full_name.casefold()))
    ranked.sort(key=lambda entry: (-entry.score, entry.sort_name, entry.person_id))
    return ranked


def _best_match(
    text: str, full_name: str, aliases: Iterable[str]
) -> tuple[float, tuple[str | Promise, ...]] | None:
    match = names.name_match(text, full_name)
    best: tuple[float, tuple[str | Promise, ...]] = (match.score, _labels(match.reason))
    for alias in aliases:
        alias_match = names.name_match(text, alias)
        score = alias_match.score * ALIAS_FACTOR
        if score > best[0]:
            best = (score, (*_labels(alias_match.reason), REASON_ALIAS))
    if best[0] < MIN_NAME_SCORE:
        return None
    return best


def _labels(reason: str) -> tuple[str | Promise, ...]:
    label = NAME_REASONS.get(reason)
    return (label,) if label is not None else ()
