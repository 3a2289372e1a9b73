"""Building NIK / KK numbers and small region files for the tests."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

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


def region_file(directory: Path, rows: list[tuple[str, str, str]], name: str = "w.csv") -> Path:
    path = directory / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path
