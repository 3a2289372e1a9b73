"""The LK3 boards (pengurus), appointed by decree (SK) of the mayor or regent.

Rules (DOMAIN.md section 1):
- Bontang has exactly ``BONTANG_ACTIVE_MEMBERS`` (149) active members: the
  current SK (15 January 2024 to 14 January 2027) plus a 2026 SK that
  appointed a few more with a later term. About ten members of the
  2020-2023 SK stay on record, inactive, because members are never deleted.
- Every Bontang kelurahan has one Bhabinkamtibmas (police, from the Polsek
  of its kecamatan), one Babinsa (army, from the Koramil) and PSM; every
  kecamatan one TKSK. The kelurahan network members are assigned their
  kelurahan.
- Other kab/kota (province scale) have 40-90 members of the same shape over
  a sample of their own villages, with a TKSK in every kecamatan.
- Ranks go before police and army names; academic titles after names.
- Specs are built as plain data (``MemberSpec``) from a random stream, then
  written through ``board_member_create``, which audits each member.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lk3.accounts.models import Function, Institution, Organisation, Position, User
from lk3.accounts.services import board_member_create
from lk3.regions.models import Region
from lk3.seed import contacts, names
from lk3.seed.catalogue import BONTANG, Place, Regency
from lk3.seed.demo_accounts import DEMO_ACCOUNTS_BY_USERNAME
from lk3.seed.streams import Weighted, pick

BONTANG_ACTIVE_MEMBERS = 149
PSM_PER_KELURAHAN = 3
OTHER_BOARD_SIZES = (40, 90)
POLICE_RANKS = ("Aipda", "Bripka", "Brigpol", "Aiptu", "Briptu")
ARMY_RANKS = ("Serka", "Sertu", "Serda", "Kopda", "Pelda", "Serma")
# Kodim (army district command) of each kab/kota; its Koramil are numbered
# after the kecamatan.
KODIM: dict[str, str] = {
    "64.01": "0904",
    "64.02": "0906",
    "64.03": "0902",
    "64.07": "0912",
    "64.08": "0909",
    "64.09": "0913",
    "64.11": "0912",
    "64.71": "0905",
    "64.72": "0901",
    "64.74": "0908",
}
SUFFIXES: dict[str, tuple[str, ...]] = {
    Function.SOCIAL_WORKER: ("S.Sos.", "S.Tr.Sos.", "S.Sos., M.Si."),
    Function.PSYCHOLOGIST: ("S.Psi., M.Psi., Psikolog",),
    Function.COUNSELLOR: ("S.Psi.", "S.Pd.", "S.Sos."),
    Function.LAWYER: ("S.H.", "S.H., M.H."),
    Function.EDUCATOR: ("S.Pd.", "S.Pd., M.Pd.", "S.Pd., Gr."),
    Function.CIVIL_SERVANT: ("S.Sos., M.Si.", "S.E., M.M.", "S.STP., M.Si.", "S.AP.", "S.E."),
    Function.TKSK: ("S.Sos.", "", "S.E.", ""),
    Function.PSM: ("",),
    Function.COMMUNITY_LEADER: ("", "S.E.", "S.Pd."),
}
MUSLIM_RELIGIOUS_SUFFIXES = ("S.Ag.", "S.Sos.", "Lc.", "S.Pd.I.")
CHRISTIAN_RELIGIOUS_SUFFIXES = ("S.Th.", "M.Th.")

BONTANG_CURRENT_DECREE_NUMBER = "Keputusan Wali Kota Bontang Nomor 100.3.3.2/15/HK/2024"


@dataclass(frozen=True)
class Decree:
    number: str
    date: datetime.date
    term_start: datetime.date
    term_end: datetime.date


BONTANG_CURRENT = Decree(
    number=BONTANG_CURRENT_DECREE_NUMBER,
    date=datetime.date(2024, 1, 10),
    term_start=datetime.date(2024, 1, 15),
    term_end=datetime.date(2027, 1, 14),
)
BONTANG_PREVIOUS = Decree(
    # Before Permendagri 83/2022, decrees were classified 188.45.
    number="Keputusan Wali Kota Bontang Nomor 188.45/068/HK/2020",
    date=datetime.date(2020, 3, 2),
    term_start=datetime.date(2020, 3, 9),
    term_end=datetime.date(2023, 3, 8),
)
BONTANG_2026 = Decree(
    number="Keputusan Wali Kota Bontang Nomor 100.3.3.2/41/HK/2026",
    date=datetime.date(2026, 3, 2),
    term_start=datetime.date(2026, 3, 9),
    term_end=datetime.date(2029, 3, 8),
)


@dataclass(frozen=True)
class Term:
    """Which decree appointed a member (None: the board's current one) and whether still active."""

    decree: Decree | None = None
    is_active: bool = True


CURRENT = Term()
PREVIOUS = Term(decree=BONTANG_PREVIOUS, is_active=False)
APPOINTED_2026 = Term(decree=BONTANG_2026)


@dataclass(frozen=True)
class MemberSpec:
    full_name: str
    position: str
    institution: str
    function: str
    unit: str
    phone: str
    decree: Decree
    kelurahan: tuple[str, ...] = ()
    is_active: bool = True
    account: str = ""


class _Members:
    """Draws names, titles and phone numbers for one board."""

    def __init__(self, rng: random.Random, mix: Mapping[str, float], decree: Decree) -> None:
        self.rng = rng
        peoples = [(names.ETHNICITIES[key], share) for key, share in mix.items()]
        self.mix = Weighted(peoples)
        # Who can fill a post that needs a given religion (a church's counsellor).
        self.christian_mix = Weighted([(p, s) for p, s in peoples if p.muslim_share < 0.5])
        self.muslim_mix = Weighted([(p, s) for p, s in peoples if p.muslim_share >= 0.5])
        self.decree = decree
        self.specs: list[MemberSpec] = []
        self._phones: set[str] = set()

    def phone(self) -> str:
        while (number := contacts.mobile_number(self.rng)) in self._phones:
            pass
        self._phones.add(number)
        return number

    def name(
        self,
        *,
        female: bool | None = None,
        prefix: str = "",
        suffix: str = "",
        christian: bool | None = None,
    ) -> str:
        if female is None:
            female = self.rng.random() < 0.45
        mix = {None: self.mix, True: self.christian_mix, False: self.muslim_mix}[christian]
        ethnicity = mix.pick(self.rng)
        name = names.full_name(
            self.rng,
            ethnicity=ethnicity,
            sex=names.FEMALE if female else names.MALE,
            birth_year=self.rng.randrange(1966, 1997),
            christian=christian,
        )
        return f"{prefix} {name}".strip() + (f", {suffix}" if suffix else "")

    def add(
        self,
        position: str,
        institution: str,
        function: str,
        unit: str,
        *,
        full_name: str = "",
        kelurahan: Sequence[str] = (),
        account: str = "",
        term: Term = CURRENT,
        female: bool | None = None,
        prefix: str = "",
    ) -> None:
        phone = self.phone()
        if account:
            full_name = DEMO_ACCOUNTS_BY_USERNAME[account].full_name
            phone = DEMO_ACCOUNTS_BY_USERNAME[account].phone or phone
        if not full_name:
            suffix = pick(self.rng, SUFFIXES.get(function, ("",)))
            full_name = self.name(female=female, prefix=prefix, suffix=suffix)
        self.specs.append(
            MemberSpec(
                full_name=full_name,
                position=position,
                institution=institution,
                function=function,
                unit=unit,
                phone=phone,
                decree=term.decree or self.decree,
                kelurahan=tuple(kelurahan),
                is_active=term.is_active,
                account=account,
            )
        )

    def police(
        self, unit: str, kelurahan: Sequence[str], *, account: str = "", term: Term = CURRENT
    ) -> None:
        prefix = pick(self.rng, POLICE_RANKS)
        female = self.rng.random() < 0.05
        self.add(
            Position.KELURAHAN_MEMBER,
            Institution.POLICE,
            Function.BHABINKAMTIBMAS,
            unit,
            kelurahan=kelurahan,
            female=female,
            prefix=prefix,
            account=account,
            term=term,
        )

    def army(self, unit: str, kelurahan: Sequence[str], *, term: Term = CURRENT) -> None:
        self.add(
            Position.KELURAHAN_MEMBER,
            Institution.ARMY,
            Function.BABINSA,
            unit,
            kelurahan=kelurahan,
            female=False,
            prefix=pick(self.rng, ARMY_RANKS),
            term=term,
        )

    def health(self, unit: str, kelurahan: Sequence[str] = (), *, term: Term = CURRENT) -> None:
        kind = self.rng.random()
        if kind < 0.4:
            full_name = self.name(prefix="dr.", suffix=pick(self.rng, ("", "", "M.Kes.")))
        elif kind < 0.7:
            full_name = self.name(suffix="S.Kep., Ns.")
        else:
            full_name = self.name(female=True, suffix=pick(self.rng, ("A.Md.Keb.", "S.Tr.Keb.")))
        self.add(
            Position.PROFESSIONAL,
            Institution.HEALTH,
            Function.HEALTH_WORKER,
            unit,
            full_name=full_name,
            kelurahan=kelurahan,
            term=term,
        )

    def psm(self, village: Place, *, term: Term = CURRENT) -> None:
        self.add(
            Position.KELURAHAN_MEMBER,
            Institution.COMMUNITY,
            Function.PSM,
            f"PSM {village.title}",
            kelurahan=[village.code],
            term=term,
        )

    def religious(self, unit: str, *, christian: bool) -> None:
        if christian:
            suffix = pick(self.rng, CHRISTIAN_RELIGIOUS_SUFFIXES)
            prefix = "Pdt." if self.rng.random() < 0.5 else ""
        else:
            suffix = pick(self.rng, MUSLIM_RELIGIOUS_SUFFIXES)
            prefix = "H." if self.rng.random() < 0.4 else ""
        female = False if prefix else None
        full_name = self.name(female=female, prefix=prefix, suffix=suffix, christian=christian)
        self.add(
            Position.PROFESSIONAL,
            Institution.RELIGIOUS,
            Function.RELIGIOUS_COUNSELLOR,
            unit,
            full_name=full_name,
        )


def _koramil(regency_code: str, kecamatan: Place) -> str:
    return f"Koramil {KODIM[regency_code]}-{kecamatan.code[-2:]}/{kecamatan.name}"


def _kelurahan_network(
    members: _Members,
    regency: Regency,
    villages: Sequence[Place],
    *,
    police_accounts: Mapping[str, str] | None = None,
) -> None:
    """A TKSK per kecamatan; Bhabinkamtibmas, Babinsa and PSM for each of ``villages``.

    ``police_accounts`` maps a village code to the demo account of its
    Bhabinkamtibmas.
    """
    chosen = {village.code for village in villages}
    accounts = police_accounts or {}
    for kecamatan in regency.kecamatan:
        in_kecamatan = regency.villages[kecamatan.code]
        members.add(
            Position.KELURAHAN_MEMBER,
            Institution.SOCIAL_OFFICE,
            Function.TKSK,
            f"TKSK Kecamatan {kecamatan.name}",
            kelurahan=[village.code for village in in_kecamatan],
        )
        for village in in_kecamatan:
            if village.code not in chosen:
                continue
            police_unit = f"Polsek {kecamatan.name}"
            members.police(police_unit, [village.code], account=accounts.get(village.code, ""))
            members.army(_koramil(regency.code, kecamatan), [village.code])
            for _ in range(PSM_PER_KELURAHAN):
                members.psm(village)


# -- Bontang --------------------------------------------------------------------------

BONTANG_OFFICE_UNIT = "Dinas Sosial dan Pemberdayaan Masyarakat Kota Bontang"
BONTANG_LK3_UNIT = "LK3 Kota Bontang"
RSUD = "RSUD Taman Husada Bontang"
SAKTI_PEKSOS = "Sakti Peksos Kementerian Sosial"
PUSPAGA = "Puspaga Kota Bontang"
LOK_TUAN = "64.74.01.1003"
BONTANG_BARU = "64.74.01.1002"
BONTANG_PUSKESMAS: tuple[tuple[str, str], ...] = (
    ("Puskesmas Bontang Utara I", BONTANG_BARU),
    ("Puskesmas Bontang Utara I", "64.74.01.1006"),
    ("Puskesmas Bontang Utara II", "64.74.01.1001"),
    ("Puskesmas Lok Tuan", LOK_TUAN),
    ("Puskesmas Bontang Selatan I", "64.74.02.1001"),
    ("Puskesmas Bontang Selatan I", "64.74.02.1006"),
    ("Puskesmas Bontang Selatan II", "64.74.02.1002"),
    ("Puskesmas Bontang Lestari", "64.74.02.1005"),
    ("Puskesmas Bontang Barat", "64.74.03.1001"),
)
DIVISIONS = (
    ("Konseling dan Konsultasi", Institution.SOCIAL_OFFICE, Function.COUNSELLOR),
    ("Pendampingan dan Advokasi", Institution.LEGAL, Function.LAWYER),
    ("Penjangkauan dan Rujukan", Institution.SOCIAL_OFFICE, Function.SOCIAL_WORKER),
    ("Pemberdayaan dan Edukasi", Institution.EDUCATION, Function.EDUCATOR),
    ("Data dan Informasi", Institution.SOCIAL_OFFICE, Function.CIVIL_SERVANT),
)
WRONG_BONTANG_SIZE = "The Bontang board has %(count)d active members instead of %(expected)d."


def _bontang_leadership(members: _Members) -> None:
    civil, government = Function.CIVIL_SERVANT, Institution.LOCAL_GOVERNMENT
    social = Institution.SOCIAL_OFFICE
    # The mayor chairs the board herself (DOMAIN.md section 1).
    mayor = members.name(female=True, prefix="Hj.", suffix="S.E., M.Si.", christian=False)
    members.add(Position.GENERAL_CHAIR, government, civil, "Wali Kota Bontang", full_name=mayor)
    members.add(Position.PATRON, government, civil, "Sekretariat Daerah Kota Bontang")
    members.add(Position.CHAIR, social, civil, f"Kepala {BONTANG_OFFICE_UNIT}")
    members.add(Position.VICE_CHAIR, social, civil, BONTANG_LK3_UNIT, account="budi")
    members.add(
        Position.VICE_CHAIR, social, civil, f"Bidang Rehabilitasi Sosial, {BONTANG_OFFICE_UNIT}"
    )
    members.add(Position.SECRETARY, social, civil, BONTANG_OFFICE_UNIT)
    members.add(Position.SECRETARY, social, civil, BONTANG_LK3_UNIT)
    members.add(Position.TREASURER, social, civil, BONTANG_OFFICE_UNIT)
    for division, institution, function in DIVISIONS:
        unit = f"{BONTANG_LK3_UNIT}, Bidang {division}"
        members.add(Position.DIVISION_COORDINATOR, institution, function, unit)


def _bontang_professionals(members: _Members) -> None:
    professional, social = Position.PROFESSIONAL, Institution.SOCIAL_OFFICE
    worker, counsellor = Function.SOCIAL_WORKER, Function.COUNSELLOR
    lk3 = BONTANG_LK3_UNIT
    members.add(professional, social, worker, lk3, account="sari", kelurahan=[BONTANG_BARU])
    members.add(professional, social, worker, lk3, account="intan")
    for unit in (BONTANG_OFFICE_UNIT,) * 4 + (SAKTI_PEKSOS,) * 2:
        members.add(professional, social, worker, unit)
    members.add(professional, social, counsellor, lk3, account="dewi")
    for unit, institution in (
        (lk3, social),
        (lk3, social),
        (PUSPAGA, Institution.LOCAL_GOVERNMENT),
        ("SMA Negeri 1 Bontang", Institution.EDUCATION),
        ("Forum Konselor Keluarga Bontang", Institution.COMMUNITY),
    ):
        members.add(professional, institution, counsellor, unit)
    members.add(professional, social, Function.PSYCHOLOGIST, lk3, account="putri")
    for unit, institution in (
        (RSUD, Institution.HEALTH),
        (RSUD, Institution.HEALTH),
        ("UPTD PPA Kota Bontang", Institution.LOCAL_GOVERNMENT),
        ("Himpsi Wilayah Kalimantan Timur", Institution.COMMUNITY),
    ):
        members.add(professional, institution, Function.PSYCHOLOGIST, unit)
    for unit, kelurahan in BONTANG_PUSKESMAS:
        members.health(unit, [kelurahan])
    for unit in (RSUD, RSUD, "RS Pupuk Kaltim"):
        members.health(unit)
    for unit in (
        "Posbakum Pengadilan Negeri Bontang",
        "DPC Peradi Bontang",
        "LBH Bontang Bersatu",
        "Bagian Hukum Sekretariat Daerah Kota Bontang",
        "Biro Bantuan Hukum Kota Bontang",
    ):
        members.add(professional, Institution.LEGAL, Function.LAWYER, unit)
    for unit, christian in (
        ("Kantor Kementerian Agama Kota Bontang", False),
        ("KUA Kecamatan Bontang Utara", False),
        ("KUA Kecamatan Bontang Selatan", False),
        ("KUA Kecamatan Bontang Barat", False),
        ("MUI Kota Bontang", False),
        ("Kantor Kementerian Agama Kota Bontang", True),
        ("Badan Kerja Sama Gereja-Gereja Kota Bontang", True),
    ):
        members.religious(unit, christian=christian)
    for unit in (
        "Dinas Pendidikan dan Kebudayaan Kota Bontang",
        "SD Negeri 001 Bontang Utara",
        "SD Negeri 003 Bontang Selatan",
        "SMP Negeri 1 Bontang",
        "SMP Negeri 4 Bontang",
        "SMA Negeri 2 Bontang",
        "SMK Negeri 1 Bontang",
    ):
        members.add(professional, Institution.EDUCATION, Function.EDUCATOR, unit)
    for unit in (
        "Tim Penggerak PKK Kota Bontang",
        "Karang Taruna Kota Bontang",
        "CSR PT Pupuk Kalimantan Timur",
        "CSR PT Badak NGL",
    ):
        members.add(professional, Institution.COMMUNITY, Function.COMMUNITY_LEADER, unit)


def _bontang_2026(members: _Members) -> None:
    """Appointed by the 2026 SK, with a term running past the current one."""
    professional, term = Position.PROFESSIONAL, APPOINTED_2026
    members.add(professional, Institution.HEALTH, Function.PSYCHOLOGIST, RSUD, term=term)
    social = Institution.SOCIAL_OFFICE
    members.add(professional, social, Function.SOCIAL_WORKER, SAKTI_PEKSOS, term=term)
    government = Institution.LOCAL_GOVERNMENT
    members.add(professional, government, Function.COUNSELLOR, PUSPAGA, term=term)
    members.health("Puskesmas Bontang Lestari", ["64.74.02.1005"], term=term)


def _bontang_previous(members: _Members, bontang: Regency) -> None:
    """Members of the 2020-2023 SK who were not reappointed, kept inactive."""
    kecamatan = bontang.kecamatan
    for index, village_code in enumerate(("64.74.01.1004", "64.74.02.1003", "64.74.03.1002")):
        members.police(f"Polsek {kecamatan[index].name}", [village_code], term=PREVIOUS)
    for index, village_code in ((0, "64.74.01.1005"), (1, "64.74.02.1004")):
        members.army(_koramil(BONTANG, kecamatan[index]), [village_code], term=PREVIOUS)
    members.psm(bontang.villages[kecamatan[0].code][0], term=PREVIOUS)
    members.psm(bontang.villages[kecamatan[2].code][2], term=PREVIOUS)
    social, civil = Institution.SOCIAL_OFFICE, Function.CIVIL_SERVANT
    members.add(Position.VICE_CHAIR, social, civil, BONTANG_OFFICE_UNIT, term=PREVIOUS)
    worker = Function.SOCIAL_WORKER
    members.add(Position.PROFESSIONAL, social, worker, BONTANG_OFFICE_UNIT, term=PREVIOUS)
    health, psychologist = Institution.HEALTH, Function.PSYCHOLOGIST
    members.add(Position.PROFESSIONAL, health, psychologist, RSUD, term=PREVIOUS)


def bontang_board(rng: random.Random, bontang: Regency) -> list[MemberSpec]:
    members = _Members(rng, names.COASTAL_MIX, BONTANG_CURRENT)
    _bontang_leadership(members)
    # pak_agus is the Bhabinkamtibmas of Lok Tuan (the cast in conftest.py).
    _kelurahan_network(
        members, bontang, bontang.all_villages(), police_accounts={LOK_TUAN: "pak_agus"}
    )
    _bontang_professionals(members)
    _bontang_2026(members)
    _bontang_previous(members, bontang)
    active = sum(spec.is_active for spec in members.specs)
    if active != BONTANG_ACTIVE_MEMBERS:
        raise RuntimeError(
            WRONG_BONTANG_SIZE % {"count": active, "expected": BONTANG_ACTIVE_MEMBERS}
        )
    return members.specs


# -- other kab/kota --------------------------------------------------------------------


def _regency_decree(rng: random.Random, regency: Regency) -> Decree:
    head = "Wali Kota" if regency.is_city else "Bupati"
    year = pick(rng, (2023, 2024, 2025))
    signed = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(0, 330))
    start = signed + datetime.timedelta(days=rng.randrange(3, 15))
    end = start.replace(year=start.year + 3) - datetime.timedelta(days=1)
    serial, office = rng.randrange(8, 420), pick(rng, ("HK", "Huk", "Dinsos"))
    number = f"Keputusan {head} {regency.short_name} Nomor 100.3.3.2/{serial}/{office}/{year}"
    return Decree(number=number, date=signed, term_start=start, term_end=end)


def _regency_leadership_and_professionals(members: _Members, regency: Regency) -> None:
    civil, social = Function.CIVIL_SERVANT, Institution.SOCIAL_OFFICE
    government = Institution.LOCAL_GOVERNMENT
    head = "Wali Kota" if regency.is_city else "Bupati"
    office_unit, lk3_unit = f"Dinas Sosial {regency.name}", f"LK3 {regency.name}"
    members.add(Position.GENERAL_CHAIR, government, civil, f"{head} {regency.short_name}")
    members.add(Position.PATRON, government, civil, f"Sekretariat Daerah {regency.name}")
    members.add(Position.CHAIR, social, civil, f"Kepala {office_unit}")
    members.add(Position.SECRETARY, social, civil, office_unit)
    members.add(Position.TREASURER, social, civil, office_unit)
    for division, institution, function in DIVISIONS[:2]:
        unit = f"{lk3_unit}, Bidang {division}"
        members.add(Position.DIVISION_COORDINATOR, institution, function, unit)
    professional = Position.PROFESSIONAL
    for _ in range(3):
        members.add(professional, social, Function.SOCIAL_WORKER, office_unit)
    for unit in (f"RSUD {regency.short_name}", f"UPTD PPA {regency.name}"):
        members.add(professional, Institution.HEALTH, Function.PSYCHOLOGIST, unit)
    for _ in range(2):
        members.add(professional, social, Function.COUNSELLOR, lk3_unit)
    for kecamatan in _sample(members.rng, regency.kecamatan, 3):
        members.health(f"Puskesmas {kecamatan.name}")
    court = f"Posbakum Pengadilan Negeri {regency.short_name}"
    members.add(professional, Institution.LEGAL, Function.LAWYER, court)
    members.religious(f"Kantor Kementerian Agama {regency.name}", christian=False)
    members.religious(f"Kantor Kementerian Agama {regency.name}", christian=True)
    for _ in range(2):
        unit = f"Dinas Pendidikan {regency.name}"
        members.add(professional, Institution.EDUCATION, Function.EDUCATOR, unit)


def _sample(rng: random.Random, items: Sequence[Place], count: int) -> list[Place]:
    return rng.sample(list(items), min(count, len(items)))


def regency_board(rng: random.Random, regency: Regency) -> list[MemberSpec]:
    """A board of 40-90 members over a sample of the kab/kota's villages."""
    members = _Members(rng, names.mix_for_regency(regency.code), _regency_decree(rng, regency))
    _regency_leadership_and_professionals(members, regency)
    fixed = len(members.specs) + len(regency.kecamatan)
    per_village = 2 + PSM_PER_KELURAHAN
    smallest, largest = OTHER_BOARD_SIZES
    size = rng.randrange(max(smallest, fixed + per_village), largest - per_village + 2)
    villages = _sample(rng, regency.all_villages(), -(-(size - fixed) // per_village))
    _kelurahan_network(members, regency, villages)
    return members.specs


# -- writing ----------------------------------------------------------------------------


def board_create(
    *,
    organisation: Organisation,
    specs: Sequence[MemberSpec],
    users: Mapping[str, User],
) -> int:
    """Write ``specs`` through ``board_member_create``; linked accounts come from ``users``."""
    codes = {code for spec in specs for code in spec.kelurahan}
    regions = Region.objects.in_bulk(list(codes), field_name="code")
    for spec in specs:
        board_member_create(
            actor=None,
            organisation=organisation,
            kelurahan=[regions[code] for code in spec.kelurahan],
            user=users.get(spec.account) if spec.account else None,
            full_name=spec.full_name,
            position=spec.position,
            institution=spec.institution,
            function=spec.function,
            unit=spec.unit,
            phone=spec.phone,
            decree_number=spec.decree.number,
            decree_date=spec.decree.date,
            term_start=spec.decree.term_start,
            term_end=spec.decree.term_end,
            is_active=spec.is_active,
        )
    return len(specs)
