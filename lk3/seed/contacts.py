"""Phone numbers and street addresses that read like East Kalimantan's.

Rules:
- Mobile numbers are ``08`` + an operator prefix + 8 digits (12 digits in
  all), Telkomsel's prefixes weighted highest as in Kalimantan.
- Bontang addresses use streets of the person's kecamatan; elsewhere a
  common set of street names. Addresses read ``Jl. <street> No. <n>, RT 0xx``.
- Cities and towns of East Kalimantan number RT (neighbourhood units)
  without an RW level, unlike Java, so ``rw`` stays empty here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

MOBILE_PREFIXES = (
    # Telkomsel, twice: the largest network outside Java.
    *("0811", "0812", "0813", "0821", "0822", "0852", "0853") * 2,
    *("0814", "0815", "0816", "0855", "0856", "0857", "0858"),  # Indosat
    *("0817", "0818", "0819", "0859", "0877", "0878"),  # XL
    *("0831", "0832", "0838"),  # Axis
    *("0895", "0896", "0897", "0898"),  # Tri
    *("0881", "0882", "0887", "0888"),  # Smartfren
)

BONTANG_STREETS: dict[str, tuple[str, ...]] = {
    "64.74.01": (
        "Letjend S. Parman",
        "Ahmad Yani",
        "Pattimura",
        "Imam Bonjol",
        "KS Tubun",
        "Pupuk Raya",
        "Bhayangkara",
        "Yos Sudarso",
        "Awang Long",
        "Mulawarman",
        "RE Martadinata",
        "Kapten Pierre Tendean",
        "Jend. Sudirman",
        "Gajah Mada",
        "Selat Bali",
        "Selat Makassar",
        "Hayam Wuruk",
        "Agus Salim",
        "Cendana",
        "Pelabuhan",
    ),
    "64.74.02": (
        "MT Haryono",
        "Brigjend Katamso",
        "DI Panjaitan",
        "Cipto Mangunkusumo",
        "Urip Sumoharjo",
        "Soekarno-Hatta",
        "Slamet Riyadi",
        "Tanjung Laut",
        "Pulau Sulawesi",
        "Pulau Kalimantan",
        "Pulau Sumatera",
        "Pulau Irian",
        "Pulau Flores",
        "Pulau Sebatik",
        "Bukit Indah",
        "Ir. H. Juanda",
        "Marsma R. Iswahyudi",
        "Lestari Raya",
        "Nusantara",
        "Mawar",
    ),
    "64.74.03": (
        "Poros Bontang-Samarinda",
        "Cut Nyak Dien",
        "Rawa Indah",
        "Kanaan",
        "Gunung Telihan",
        "Arief Rahman Hakim",
        "Padat Karya",
        "Belimbing Raya",
        "HM Ardans",
        "Flamboyan",
        "Sejahtera",
        "Gotong Royong",
    ),
}
COMMON_STREETS = (
    "Poros",
    "Pendidikan",
    "Masjid Raya",
    "Pahlawan",
    "Merdeka",
    "Mawar",
    "Melati",
    "Anggrek",
    "Kenanga",
    "Cendana",
    "Gotong Royong",
    "Kesehatan",
    "Pramuka",
    "Diponegoro",
    "Jend. Sudirman",
    "Ahmad Yani",
    "Trans Kalimantan",
    "Pembangunan",
    "Sejahtera",
    "Mulawarman",
    "Adi Sucipto",
    "Pangeran Antasari",
    "Bhayangkara",
    "Veteran",
    "Kenari",
    "Durian",
    "Rambutan",
    "Pelita",
    "Kartini",
    "Sungai",
)
LANES = ("Damai", "Rukun", "Sepakat", "Keluarga", "Harapan", "Mufakat", "Baru", "Buntu", "Masjid")
MAX_RT = 45


@dataclass(frozen=True)
class Address:
    line: str
    rt: str
    rw: str = ""


def mobile_number(rng: random.Random) -> str:
    prefix = MOBILE_PREFIXES[int(rng.random() * len(MOBILE_PREFIXES))]
    return f"{prefix}{rng.randrange(10_000_000, 100_000_000)}"


def street_address(rng: random.Random, *, kecamatan_code: str) -> Address:
    streets = BONTANG_STREETS.get(kecamatan_code, COMMON_STREETS)
    street = streets[int(rng.random() * len(streets))]
    lane = ""
    if rng.random() < 0.3:
        lane = f" Gg. {LANES[int(rng.random() * len(LANES))]}"
    rt = f"{rng.randrange(1, MAX_RT + 1):03d}"
    return Address(line=f"Jl. {street}{lane} No. {rng.randrange(1, 120)}, RT {rt}", rt=rt)
