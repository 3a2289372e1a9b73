"""Building NIK / KK numbers and region files for the tests."""

from __future__ import annotations

import csv
import datetime
import functools
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from lk3.regions.services import DEFAULT_PATH

HEADER = ["kode", "nama", "tingkat"]
# The real rows of Kalimantan Timur down to Bontang Baru, as in the decree.
BONTANG_ROWS = [
    ("64", "Kalimantan Timur", "provinsi"),
    ("64.74", "Kota Bontang", "kabupaten_kota"),
    ("64.74.01", "Bontang Utara", "kecamatan"),
    ("64.74.01.1002", "Bontang Baru", "desa_kelurahan"),
]


def nik(
    born: datetime.date, *, sex: str = "L", region: str = "647401", serial: str = "0001"
) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{region}{day:02d}{born:%m%y}{serial}"


def kk(recorded: datetime.date, *, region: str = "647401", serial: str = "0001") -> str:
    return f"{region}{recorded:%d%m%y}{serial}"


def region_file(directory: Path, rows: Iterable[Sequence[str]], name: str = "w.csv") -> Path:
    path = directory / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@functools.cache
def shipped_lines() -> tuple[tuple[str, str], ...]:
    """(code, line) for each row of the shipped file, header left out."""
    lines = DEFAULT_PATH.read_text(encoding="utf-8").splitlines()[1:]
    return tuple((line.split(",", 1)[0], line) for line in lines)


def shipped_file(
    directory: Path,
    *,
    without: Iterable[str] = (),
    renamed: Mapping[str, str] | None = None,
    extra: Iterable[Sequence[str]] = (),
    name: str = "w.csv",
) -> Path:
    """The shipped file with a few edits; ``without`` drops codes with all below them.

    Retiring most of the table is slow on PostgreSQL (a 91,599-row update
    through nine indexes), so tests edit the full file rather than load a
    tiny one, except where a tiny file is the point. Unedited lines are
    copied as they are, which is much faster than rewriting them.
    """
    dropped = tuple(without)
    names = renamed or {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    out.write(",".join(HEADER) + "\n")
    for code, line in shipped_lines():
        if code in dropped or code.startswith(tuple(f"{gone}." for gone in dropped)):
            continue
        if code in names:
            writer.writerow([code, names[code], line.rsplit(",", 1)[1]])
        else:
            out.write(line + "\n")
    writer.writerows(extra)
    path = directory / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path
