"""The record matcher over a CSV file: ``manage.py dedup_csv`` and ``bench/dedup_bench``.

Rules:
- The input's first line names the columns ``INPUT_COLUMNS`` (any order,
  other columns ignored). Every field may be empty except ``id``; ids are
  unique; ``birth_date`` is ``YYYY-MM-DD``; ``sex`` is ``L``, ``P`` or empty.
- The whole file is checked before anything is matched: the first problem
  raises ``DedupFileError`` with a message naming the line, and nothing is
  written.
- The output is ``id_a,id_b,score``, one row per pair that
  ``matching.find_duplicates`` considers one person, best first. It is
  written to a hidden file beside the target and renamed, so a failed run
  never leaves half a file.
- Nothing here touches the database: a file from another office is matched
  without being imported.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.utils.translation import gettext_lazy as _

from lk3.people.matching import THRESHOLD, Pair, Record, find_duplicates

INPUT_COLUMNS = (
    "id",
    "full_name",
    "birth_date",
    "sex",
    "nik",
    "birth_place",
    "address",
    "kelurahan_code",
)
OUTPUT_COLUMNS = ("id_a", "id_b", "score")
SEXES = frozenset({"L", "P", ""})
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A spreadsheet saving "UTF-8 CSV" starts the file with a byte-order mark.
ENCODING = "utf-8-sig"

CANNOT_READ = _("Cannot read %(path)s: %(error)s")
NOT_UTF8 = _("%(path)s is not UTF-8 text; save it as CSV UTF-8.")
MISSING_COLUMNS = _("The first line must name the columns %(columns)s; missing: %(missing)s.")
WRONG_FIELD_COUNT = _("Line %(line)d: expected %(expected)d fields, found %(found)d.")
MISSING_ID = _("Line %(line)d: the id is empty.")
DUPLICATE_ID = _("Line %(line)d: the id %(id)s already appears on line %(first)d.")
BAD_BIRTH_DATE = _("Line %(line)d: the birth date %(value)s is not a date written YYYY-MM-DD.")
BAD_SEX = _("Line %(line)d: the sex %(value)s must be L, P or empty.")
CANNOT_WRITE = _("Cannot write %(path)s: %(error)s")


class DedupFileError(ValueError):
    """The input file cannot be matched as it is; the message says where and why."""


@dataclass(frozen=True)
class DedupResult:
    records: int
    pairs: int


def records_read(lines: Iterable[str]) -> list[Record]:
    """The records of a CSV file (its lines, as ``open(..., newline="")`` gives them)."""
    reader = csv.reader(lines)
    header = [name.strip() for name in next(reader, [])]
    missing = [column for column in INPUT_COLUMNS if column not in header]
    if missing:
        raise DedupFileError(
            MISSING_COLUMNS % {"columns": ",".join(INPUT_COLUMNS), "missing": ",".join(missing)}
        )
    positions = [header.index(column) for column in INPUT_COLUMNS]
    first_line: dict[str, int] = {}
    records: list[Record] = []
    for row in reader:
        line = reader.line_num
        if not any(field.strip() for field in row):
            continue
        if len(row) != len(header):
            raise DedupFileError(
                WRONG_FIELD_COUNT % {"line": line, "expected": len(header), "found": len(row)}
            )
        record_id, full_name, birth_date, sex, nik, birth_place, address, kelurahan = (
            row[position].strip() for position in positions
        )
        if not record_id:
            raise DedupFileError(MISSING_ID % {"line": line})
        if record_id in first_line:
            raise DedupFileError(
                DUPLICATE_ID % {"line": line, "id": record_id, "first": first_line[record_id]}
            )
        first_line[record_id] = line
        records.append(
            Record(
                id=record_id,
                full_name=full_name,
                birth_date=_birth_date(birth_date, line),
                sex=_sex(sex, line),
                nik=nik,
                birth_place=birth_place,
                address=address,
                kelurahan_code=kelurahan,
            )
        )
    return records


def _birth_date(value: str, line: int) -> datetime.date | None:
    if not value:
        return None
    if ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise DedupFileError(BAD_BIRTH_DATE % {"line": line, "value": value})


def _sex(value: str, line: int) -> str:
    if value.upper() not in SEXES:
        raise DedupFileError(BAD_SEX % {"line": line, "value": value})
    return value.upper()


def pairs_write(stream: TextIO, pairs: Iterable[Pair]) -> int:
    """Write the header and one row per pair; how many pairs were written."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    count = 0
    for pair in pairs:
        writer.writerow((pair.id_a, pair.id_b, f"{pair.score:.4f}"))
        count += 1
    return count


def _lines(path: Path) -> Iterator[str]:
    try:
        with path.open(newline="", encoding=ENCODING) as source:
            yield from source
    except OSError as error:
        problem = {"path": path, "error": error.strerror or error}
        raise DedupFileError(CANNOT_READ % problem) from error
    except UnicodeDecodeError as error:
        raise DedupFileError(NOT_UTF8 % {"path": path}) from error


def dedup_csv_run(
    *, input_path: Path, output_path: Path, threshold: float = THRESHOLD
) -> DedupResult:
    """Match every record of ``input_path`` against the others; write the pairs found."""
    records = records_read(_lines(input_path))
    pairs = find_duplicates(records, threshold=threshold)
    partial = output_path.with_name(f".{output_path.name}.partial")
    try:
        with partial.open("w", newline="", encoding="utf-8") as target:
            written = pairs_write(target, pairs)
        partial.replace(output_path)
    except BaseException as error:
        partial.unlink(missing_ok=True)
        if isinstance(error, OSError):
            problem = {"path": output_path, "error": error.strerror or error}
            raise DedupFileError(CANNOT_WRITE % problem) from error
        raise
    return DedupResult(records=len(records), pairs=written)
