"""Keeping the person search postings current.

Rules:
- A person's postings are the ``index_keys`` (``lk3.people.names``) of their
  full name and of every other name (alias), plus one whole-name key per
  name (``f:`` and the name's canonical tokens, sorted) so an exact or
  reordered full name is found with one index seek. Each posting carries the
  person's organisation, so a search reads only its own organisation's part
  of the index.
- ``Person.search_name`` holds the full name's canonical tokens.
- ``NameToken`` counts, per canonical token, the persons with that token in
  any of their names; it is the vocabulary a mistyped search word is
  expanded against. Counts change with ``F()`` updates on rows locked in
  token order, so concurrent saves neither lose counts nor deadlock. Rows
  are never deleted (a token may reach 0): the search's vocabulary cache
  notices a new token by the table's row count and highest id.
- ``person_index``/``person_unindex`` run inside the caller's transaction
  (the services'); a merged-away person leaves the index.
- Bulk loads (the seed) write postings with ``index_rows`` and then
  recount the vocabulary once with ``name_tokens_rebuild``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import F

from lk3.people.models import NameToken, Person, PersonSearchKey, PersonStatus
from lk3.people.names import index_keys, name_tokens

TOKEN_PREFIX = "t:"  # noqa: S105 (a name token, not a secret)
PHONETIC_PREFIX = "p:"
INITIAL_PREFIX = "i:"
WHOLE_NAME_PREFIX = "f:"
# PersonSearchKey.key and NameToken.token are 48 characters.
KEY_LENGTH = 48


class IndexRow(NamedTuple):
    """One person for ``index_rows``: what the postings are computed from."""

    person_id: int
    organisation_id: int
    full_name: str
    aliases: Sequence[str] = ()


def search_name(full_name: str) -> str:
    """What ``Person.search_name`` holds: the canonical tokens of the full name."""
    return " ".join(name_tokens(full_name))[:200]


def whole_name_key(tokens: Iterable[str]) -> str:
    """The key of a whole name, whatever the order of its words."""
    return (WHOLE_NAME_PREFIX + " ".join(sorted(set(tokens))))[:KEY_LENGTH]


def name_keys(names: Iterable[str]) -> set[str]:
    """Every posting key of a person with these names (full name and aliases)."""
    keys: set[str] = set()
    for name in names:
        tokens = name_tokens(name)
        if not tokens:
            continue
        keys.update(key[:KEY_LENGTH] for key in index_keys(name))
        keys.add(whole_name_key(tokens))
    return keys


def _tokens_of(keys: Iterable[str]) -> set[str]:
    return {key[len(TOKEN_PREFIX) :] for key in keys if key.startswith(TOKEN_PREFIX)}


# -- one person, inside the caller's transaction --------------------------------------


def person_index(person: Person) -> None:
    """Recompute the person's search name, postings and token counts."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("person_index runs inside a transaction")
    wanted_name = search_name(person.full_name)
    if person.search_name != wanted_name:
        person.search_name = wanted_name
        person.save(update_fields=["search_name"])
    if person.status != PersonStatus.ACTIVE:
        person_unindex(person)
        return
    aliases = list(person.aliases.values_list("name", flat=True))
    wanted = name_keys([person.full_name, *aliases])
    present = dict(
        PersonSearchKey.objects.filter(person=person).values_list("key", "organisation_id")
    )
    kept = {
        key
        for key, organisation_id in present.items()
        if key in wanted and organisation_id == person.organisation_id
    }
    if stale := set(present) - kept:
        PersonSearchKey.objects.filter(person=person, key__in=stale).delete()
    PersonSearchKey.objects.bulk_create(
        PersonSearchKey(person=person, organisation_id=person.organisation_id, key=key)
        for key in sorted(wanted - kept)
    )
    before = _tokens_of(present)
    after = _tokens_of(wanted)
    _tokens_count(added=after - before, removed=before - after)


def person_unindex(person: Person) -> None:
    """Remove the person from the index (a merged-away record is no search result)."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("person_unindex runs inside a transaction")
    postings = PersonSearchKey.objects.filter(person=person)
    removed = _tokens_of(postings.values_list("key", flat=True))
    postings.delete()
    _tokens_count(added=set(), removed=removed)


def _tokens_count(*, added: set[str], removed: set[str]) -> None:
    if not added and not removed:
        return
    if added:
        NameToken.objects.bulk_create(
            (NameToken(token=token, person_count=0) for token in sorted(added)),
            ignore_conflicts=True,
        )
    # Lock the rows in one order before changing them: two saves touching the
    # same tokens then queue instead of deadlocking.
    list(
        NameToken.objects.select_for_update()
        .filter(token__in=added | removed)
        .order_by("token")
        .values_list("pk", flat=True)
    )
    if added:
        NameToken.objects.filter(token__in=added).update(person_count=F("person_count") + 1)
    if removed:
        NameToken.objects.filter(token__in=removed, person_count__gt=0).update(
            person_count=F("person_count") - 1
        )


# -- bulk loads --------------------------------------------------------------------------


def index_rows(rows: Sequence[IndexRow]) -> int:
    """Write the postings of persons that have none yet; the number of postings written.

    For bulk loads of new persons (the seed): no deletes, no token counts —
    call ``name_tokens_rebuild`` once the load is done. The caller owns the
    transaction.
    """
    # In the index's order: each batch then touches the index's pages once.
    postings = sorted(
        (
            (row.person_id, row.organisation_id, key)
            for row in rows
            for key in name_keys([row.full_name, *row.aliases])
        ),
        key=lambda posting: (posting[1], posting[2], posting[0]),
    )
    if not postings:
        return 0
    table = connection.ops.quote_name(PersonSearchKey._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = f"COPY {table} (person_id, organisation_id, key) FROM STDIN"
            with cursor.copy(statement) as copy:
                for posting in postings:
                    copy.write_row(posting)
        else:
            # Table name from the model's metadata, never from input.
            statement = f"INSERT INTO {table} (person_id, organisation_id, key) VALUES (%s, %s, %s)"  # noqa: S608
            cursor.executemany(statement, postings)
    return len(postings)


def name_tokens_rebuild() -> None:
    """Recount ``NameToken`` from the postings: new tokens are added, gone ones reach 0.

    For after a bulk load: a save indexed while this runs may be counted
    wrongly. A person has each key once, so a key's rows are its persons.
    """
    keys = connection.ops.quote_name(PersonSearchKey._meta.db_table)
    tokens = connection.ops.quote_name(NameToken._meta.db_table)
    start = len(TOKEN_PREFIX) + 1
    # Table names come from the models' metadata; the prefix is a parameter.
    # Grouping by organisation first follows the (organisation, key, person)
    # index, so neither database sorts millions of rows. SQLite needs the
    # WHERE to read ON CONFLICT as an upsert rather than a join constraint.
    upsert = f"""
        INSERT INTO {tokens} (token, person_count)
        SELECT SUBSTR(key, {start}), SUM(persons) FROM (
            SELECT key, COUNT(*) AS persons FROM {keys}
            WHERE SUBSTR(key, 1, {len(TOKEN_PREFIX)}) = %s
            GROUP BY organisation_id, key
        ) AS per_organisation
        WHERE true
        GROUP BY key
        ON CONFLICT (token) DO UPDATE SET person_count = excluded.person_count
    """  # noqa: S608
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {tokens} SET person_count = 0 WHERE person_count > 0")  # noqa: S608
        cursor.execute(upsert, [TOKEN_PREFIX])
