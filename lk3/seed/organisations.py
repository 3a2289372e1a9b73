"""The organisations of the demo: social offices and LK3s of East Kalimantan.

Rules:
- Every scale has the province social office (region 64), the Bontang
  social office (64.74, supervised by the province office) and LK3 Kota
  Bontang (64.74, supervised by the Bontang office).
- The province scale adds a social office and an LK3 for each of the other
  nine kab/kota, supervised the same way.
- The agency's name is data (it has changed over the years), written into
  ``agency_name`` and the letterhead, never read back by code.
- Created through ``organisation_create``, which audits each one.
- Addresses and phone numbers are plausible, not the offices' real ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lk3.accounts.models import Organisation, OrganisationKind, TimeZone
from lk3.accounts.services import organisation_create
from lk3.seed.catalogue import BONTANG, EAST_KALIMANTAN, EAST_KALIMANTAN_REGENCIES

PROVINCE_OFFICE_NAME = "Dinas Sosial Provinsi Kalimantan Timur"
BONTANG_OFFICE_NAME = "Dinas Sosial dan Pemberdayaan Masyarakat Kota Bontang"
BONTANG_LK3_NAME = "LK3 Kota Bontang"
# Where stranded people from Garut are handed over: a social office far away in this deployment.
RECEIVING_OFFICE_NAME = "Dinas Sosial Kabupaten Garut"
RECEIVING_OFFICE_REGION = "32.05"
RECEIVING_OFFICE_ADDRESS = "Jl. Patriot No. 12, Sukagalih, Tarogong Kidul, Kabupaten Garut 44151"
BONTANG_AGENCY = "Dinas Sosial dan Pemberdayaan Masyarakat"
BONTANG_ADDRESS = (
    "Gedung Graha Taman Praja Blok III Lantai 2, Jl. Moh. Roem, Bontang Lestari, "
    "Kecamatan Bontang Selatan, Kota Bontang 75325"
)


@dataclass(frozen=True)
class RegencyOffice:
    """Where a kab/kota's social office and LK3 sit, and their phone numbers."""

    seat: str
    street: str
    office_phone: str
    lk3_phone: str


OFFICES: dict[str, RegencyOffice] = {
    "64.01": RegencyOffice(
        "Tanah Grogot", "Jl. Kusuma Bangsa No. 12", "(0543) 21406", "(0543) 21418"
    ),
    "64.02": RegencyOffice(
        "Tenggarong", "Jl. Wolter Monginsidi No. 1", "(0541) 661092", "(0541) 661107"
    ),
    "64.03": RegencyOffice("Tanjung Redeb", "Jl. Pemuda No. 21", "(0554) 21135", "(0554) 21187"),
    "64.07": RegencyOffice(
        "Sendawar", "Komplek Perkantoran Sendawar", "(0545) 41260", "(0545) 41274"
    ),
    "64.08": RegencyOffice(
        "Sangatta", "Kawasan Perkantoran Bukit Pelangi", "(0549) 23016", "(0549) 23058"
    ),
    "64.09": RegencyOffice(
        "Penajam", "Jl. Provinsi Km 9, Nipah-Nipah", "(0542) 7211043", "(0542) 7211059"
    ),
    "64.11": RegencyOffice(
        "Ujoh Bilang", "Jl. Poros Ujoh Bilang-Long Bagun", "(0545) 4042106", "(0545) 4042118"
    ),
    "64.71": RegencyOffice(
        "Balikpapan", "Jl. Jend. Sudirman No. 45", "(0542) 421503", "(0542) 421577"
    ),
    "64.72": RegencyOffice("Samarinda", "Jl. Dahlia No. 81", "(0541) 742215", "(0541) 742290"),
    "64.74": RegencyOffice("Bontang", "Jl. Moh. Roem", "(0548) 3035412", "(0548) 3035420"),
}


@dataclass
class SeededOrganisations:
    province_office: Organisation
    social_offices: dict[str, Organisation]
    lk3s: dict[str, Organisation]

    @property
    def bontang_lk3(self) -> Organisation:
        return self.lk3s[BONTANG]

    @property
    def bontang_office(self) -> Organisation:
        return self.social_offices[BONTANG]


def regency_codes(*, all_regencies: bool) -> tuple[str, ...]:
    return EAST_KALIMANTAN_REGENCIES if all_regencies else (BONTANG,)


def organisation_names(*, all_regencies: bool, regency_names: dict[str, str]) -> list[str]:
    """Names of every organisation a scale creates: how a second run finds them."""
    names = [PROVINCE_OFFICE_NAME]
    for code in regency_codes(all_regencies=all_regencies):
        names += [_office_name(code, regency_names[code]), _lk3_name(code, regency_names[code])]
    return names


def _office_name(code: str, regency_name: str) -> str:
    return BONTANG_OFFICE_NAME if code == BONTANG else f"Dinas Sosial {regency_name}"


def _lk3_name(code: str, regency_name: str) -> str:
    return BONTANG_LK3_NAME if code == BONTANG else f"LK3 {regency_name}"


def _agency(code: str) -> str:
    return BONTANG_AGENCY if code == BONTANG else "Dinas Sosial"


def _letterhead(code: str, regency_name: str, address: str) -> str:
    government = f"PEMERINTAH {regency_name.upper()}"
    return "\n".join([government, _agency(code).upper(), address])


def _regency_fields(code: str, regency_name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    office = OFFICES[code]
    if code == BONTANG:
        address = BONTANG_ADDRESS
    else:
        address = f"{office.street}, {office.seat}, {regency_name}"
    common: dict[str, Any] = {
        "agency_name": _agency(code),
        "region_id": code,
        "address": address,
        "letterhead_text": _letterhead(code, regency_name, address),
        "time_zone": TimeZone.WITA,
    }
    short = regency_name.removeprefix("Kabupaten ").removeprefix("Kota ")
    social_office = {
        **common,
        "name": _office_name(code, regency_name),
        "short_name": f"Dinsos {short}",
        "kind": OrganisationKind.CITY_SOCIAL_OFFICE,
        "phone": office.office_phone,
    }
    lk3 = {
        **common,
        "name": _lk3_name(code, regency_name),
        "short_name": f"LK3 {short}",
        "kind": OrganisationKind.LK3,
        "phone": office.lk3_phone,
    }
    return social_office, lk3


def organisations_create(
    *, all_regencies: bool, regency_names: dict[str, str]
) -> SeededOrganisations:
    province_address = "Jl. Basuki Rahmat No. 92, Samarinda 75117"
    province_office = organisation_create(
        actor=None,
        name=PROVINCE_OFFICE_NAME,
        short_name="Dinsos Kaltim",
        kind=OrganisationKind.PROVINCE_SOCIAL_OFFICE,
        agency_name="Dinas Sosial",
        region_id=EAST_KALIMANTAN,
        address=province_address,
        phone="(0541) 736582",
        letterhead_text="\n".join(
            ["PEMERINTAH PROVINSI KALIMANTAN TIMUR", "DINAS SOSIAL", province_address]
        ),
        time_zone=TimeZone.WITA,
    )
    seeded = SeededOrganisations(province_office=province_office, social_offices={}, lk3s={})
    for code in regency_codes(all_regencies=all_regencies):
        office_fields, lk3_fields = _regency_fields(code, regency_names[code])
        office = organisation_create(actor=None, supervisor=province_office, **office_fields)
        seeded.social_offices[code] = office
        seeded.lk3s[code] = organisation_create(actor=None, supervisor=office, **lk3_fields)
    return seeded


def receiving_office_create() -> Organisation:
    """Dinas Sosial Kabupaten Garut (West Java, WIB): receives people returned to Garut.

    Not supervised by anyone in this deployment (its province's office is not here).
    """
    return organisation_create(
        actor=None,
        name=RECEIVING_OFFICE_NAME,
        short_name="Dinsos Garut",
        kind=OrganisationKind.CITY_SOCIAL_OFFICE,
        agency_name="Dinas Sosial",
        region_id=RECEIVING_OFFICE_REGION,
        address=RECEIVING_OFFICE_ADDRESS,
        phone="(0262) 233524",
        letterhead_text="\n".join(
            ["PEMERINTAH KABUPATEN GARUT", "DINAS SOSIAL", RECEIVING_OFFICE_ADDRESS]
        ),
        time_zone=TimeZone.WIB,
    )
