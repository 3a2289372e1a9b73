"""Stranded people and their return home in the demo data (DOMAIN.md section 5).

Rules:
- Runs after the referral network, per LK3 (Bontang first), from its own
  streams (``"stranded:<code>"``), so the data already generated does not
  move; the same seed, cases and day give the same intakes.
- A receiving organisation in this deployment: Dinas Sosial Kabupaten Garut
  (32.05, WIB) with the demo coordinator ``dadang``; groups from Garut are
  handed over to it (its queue), the others to their origin's Dinsos
  through the provincial relay.
- About one intake per ``CASES_PER_INTAKE`` cases of the LK3 (Bontang at
  least ``MIN_INTAKES``), of one to four people from villages all over
  Indonesia (chosen from the Region table), with NIKs issued in their
  kecamatan or without documents (a police letter on lost documents).
- Every state: taken in (in the shelter, being traced), planning, awaiting
  approval (Bontang's first above the ceiling, with the reason), approved,
  handed over (in this system to Garut, or through the relay), arrived
  (the case closed as repatriated, 3-30 days after intake), settled (local
  employment), and a handover declined by Garut then planned again. Costs
  follow the distance home around the ceiling of 450,000 per person.
- The group's status is derived the way ``intake.group_status_of`` derives
  it; each intake has its case (intake channel "orang-terlantar"), closed
  when the group arrived, open otherwise. No PDF letters (too slow).
- Writing: one transaction per LK3 with ``bulk.bulk_insert`` (encrypted
  fields encrypt), then one ``seed.repatriation_generated`` audit event
  with counts only. LK3s with an intake already are left alone.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Model, Q

from lk3.accounts.models import Organisation, User
from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.audit.services import audit_record
from lk3.cases.models import (
    Case,
    CaseMember,
    CaseNumberCounter,
    CaseStatus,
    ClosureOutcome,
    ClosureReason,
    ClosureRequest,
    ClosureStatus,
    RiskLevel,
    Stage,
    StageChange,
)
from lk3.cases.services import NUMBER_FORMAT as CASE_NUMBER_FORMAT
from lk3.core.models import IntakeChannel, PmksCategory, ProblemType
from lk3.people.identity import nik_lookup_hash
from lk3.people.models import NameToken, NikAbsence, Person, Sex
from lk3.people.search_index import TOKEN_PREFIX, IndexRow, index_rows, name_keys, search_name
from lk3.regions.models import Region, RegionLevel
from lk3.repatriation.models import (
    Decision,
    FoundAt,
    GroupStatus,
    Handover,
    HandoverSource,
    HandoverStatus,
    HealthStatus,
    IdentityDocument,
    PlanStatus,
    RepatriationSettings,
    ReturnPlan,
    ShelterStay,
    StrandedGroup,
    StrandedNumberCounter,
    StrandedPerson,
    TracingContact,
    TracingMethod,
    TracingResult,
    TravelMode,
)
from lk3.seed import demo_accounts, names
from lk3.seed.bulk import bulk_insert
from lk3.seed.cases import staff_load
from lk3.seed.catalogue import BONTANG, Regency, RegionCatalogue
from lk3.seed.nik import nik_date_part
from lk3.seed.organisations import RECEIVING_OFFICE_NAME, receiving_office_create
from lk3.seed.streams import Weighted, pick, stream, uuid_from

CASES_PER_INTAKE = 100
MIN_INTAKES = 24
GARUT = "32.05"
CHANNEL = "orang-terlantar"
PROBLEM = "terlantar-perjalanan"
PMKS = "pekerja-migran-bermasalah-sosial"
CEILING = Decimal(450_000)
STRANDED_NUMBER = "OT-{year}-{sequence:04d}"
NIK_SERIAL_FROM = 5_000  # above the person seed's serials: no NIK is issued twice
ID_CHUNK = 900

# The stories of the demo: what state a group ends in and how it got there.
SHELTER = "shelter"  # taken in, in the shelter, health not settled
TRACING = "tracing"  # taken in, family being traced
PLANNING = "planning"
AWAITING = "awaiting"
AWAITING_OVER = "awaiting_over"  # above the ceiling, with the reason
APPROVED = "approved"
HANDED_LOCAL = "handed_local"  # to Dinsos Garut, in its queue
HANDED_RELAY = "handed_relay"
ARRIVED_LOCAL = "arrived_local"  # confirmed by Dinsos Garut
ARRIVED_RELAY = "arrived_relay"  # confirmed by the sender
SETTLED = "settled"
DECLINED_REPLANNED = "declined_replanned"
# Bontang's first intakes walk through every state.
REQUIRED = (
    SHELTER,
    TRACING,
    PLANNING,
    AWAITING_OVER,
    APPROVED,
    HANDED_LOCAL,
    HANDED_RELAY,
    ARRIVED_LOCAL,
    ARRIVED_RELAY,
    ARRIVED_RELAY,
    SETTLED,
    DECLINED_REPLANNED,
)
STORIES = Weighted(
    {
        SHELTER: 5,
        TRACING: 6,
        PLANNING: 7,
        AWAITING: 5,
        APPROVED: 5,
        HANDED_LOCAL: 2,
        HANDED_RELAY: 6,
        ARRIVED_LOCAL: 5,
        ARRIVED_RELAY: 45,
        SETTLED: 13,
        DECLINED_REPLANNED: 1,
    }
)
LOCAL = frozenset({HANDED_LOCAL, ARRIVED_LOCAL, DECLINED_REPLANNED})
TAKEN_IN = frozenset({SHELTER, TRACING})
# How many days before ``today`` a story's intake was found: (least, most).
FOUND_AGO: dict[str, tuple[int, int]] = {
    SHELTER: (0, 6),
    TRACING: (2, 12),
    PLANNING: (5, 18),
    AWAITING: (7, 20),
    AWAITING_OVER: (7, 20),
    APPROVED: (9, 25),
    HANDED_LOCAL: (12, 30),
    HANDED_RELAY: (12, 30),
    ARRIVED_LOCAL: (35, 330),
    ARRIVED_RELAY: (35, 330),
    SETTLED: (30, 300),
    DECLINED_REPLANNED: (25, 40),
}

# Where stranded people in East Kalimantan come from, by province (rough, for demo data).
PROVINCES = Weighted(
    {
        "32": 12,
        "33": 14,
        "35": 14,
        "36": 2,
        "31": 1,
        "34": 1,
        "73": 13,
        "74": 4,
        "72": 3,
        "71": 3,
        "75": 2,
        "76": 2,
        "53": 6,
        "52": 5,
        "51": 1,
        "63": 5,
        "62": 2,
        "61": 2,
        "12": 4,
        "13": 2,
        "16": 1,
        "18": 2,
        "11": 1,
        "81": 1,
        "82": 1,
        "91": 1,
        "94": 1,
    }
)
REGENCIES_PER_PROVINCE = 2
ETHNICITY_OF_PROVINCE: dict[str, str] = {
    "32": "sunda",
    "73": "bugis",
    "74": "bugis",
    "72": "bugis",
    "76": "bugis",
    "71": "manado",
    "75": "manado",
    "53": "ntt",
    "81": "ntt",
    "82": "ntt",
    "91": "ntt",
    "94": "ntt",
    "63": "banjar",
    "62": "banjar",
    "61": "dayak",
    "12": "batak",
}
# Distance home: (mode, ticket per person range, route through).
JAVA, SULAWESI, KALIMANTAN, NUSA, FAR = "java", "sulawesi", "kalimantan", "nusa", "far"
DISTANCE_OF_PROVINCE: dict[str, str] = {
    **dict.fromkeys(("31", "32", "33", "34", "35", "36"), JAVA),
    **dict.fromkeys(("71", "72", "73", "74", "75", "76"), SULAWESI),
    **dict.fromkeys(("61", "62", "63"), KALIMANTAN),
    **dict.fromkeys(("51", "52", "53"), NUSA),
}
TICKETS: dict[str, tuple[str, int, int]] = {
    JAVA: (TravelMode.MIXED, 240_000, 330_000),
    SULAWESI: (TravelMode.SHIP, 140_000, 230_000),
    KALIMANTAN: (TravelMode.BUS, 110_000, 190_000),
    NUSA: (TravelMode.SHIP, 290_000, 380_000),
    FAR: (TravelMode.AIR, 850_000, 1_500_000),
}
ROUTES: dict[str, str] = {
    JAVA: (
        "Bontang - Balikpapan (bus); Pelabuhan Semayang - Tanjung Perak Surabaya (kapal "
        "PELNI); Surabaya - {place} (bus)"
    ),
    SULAWESI: "Bontang - Samarinda (bus); Samarinda - Parepare (kapal); Parepare - {place} (bus)",
    KALIMANTAN: "Bontang - Samarinda - Balikpapan (bus); Balikpapan - {place} (bus)",
    NUSA: "Bontang - Balikpapan (bus); Balikpapan - Surabaya (kapal); Surabaya - {place} (kapal)",
    FAR: "Bontang - Balikpapan (bus); Bandara Sepinggan - {place} (pesawat)",
}
POCKET_MONEY = 75_000
MEALS = 25_000
ESCORT_COST = 350_000

FOUND_PLACES: tuple[tuple[str, str], ...] = (
    (FoundAt.BUS_TERMINAL, "Terminal Bus Bontang"),
    (FoundAt.BUS_TERMINAL, "Terminal Bus Bontang"),
    (FoundAt.PORT, "Pelabuhan Lok Tuan"),
    (FoundAt.PORT, "Pelabuhan Tanjung Laut"),
    (FoundAt.STREET, "Jl. Ahmad Yani, depan Pasar Rawa Indah"),
    (FoundAt.STREET, "Taman Adipura Bontang"),
    (FoundAt.POLICE, "Polsek Bontang Utara"),
    (FoundAt.OTHER, "Masjid Agung Al Hijrah Bontang"),
)
BROUGHT_BY = (
    "Polsek Bontang Utara",
    "Polsek Bontang Selatan",
    "Satpol PP Kota Bontang",
    "Petugas Terminal Bus Bontang",
    "KSOP Bontang (petugas pelabuhan)",
    "TKSK Kecamatan Bontang Utara",
    "Warga sekitar",
)
CIRCUMSTANCES = (
    "Datang ke Bontang mencari kerja di proyek, tidak diterima, uang habis.",
    "Ditipu calo tenaga kerja; dijanjikan pekerjaan di perusahaan tambang.",
    "Kehabisan ongkos dalam perjalanan pulang dari Berau.",
    "Ditinggal kenalan yang menjanjikan pekerjaan; tidur di terminal tiga malam.",
    "Kontrak kerja di kebun sawit berakhir, gaji terakhir belum dibayar.",
    "Dompet dan tas berisi KTP hilang di kapal.",
    "Mencari saudara di Bontang, alamat tidak ditemukan.",
)
HEALTH_NOTES: dict[str, tuple[str, ...]] = {
    HealthStatus.FIT: ("Sehat, siap melakukan perjalanan.", "Kondisi baik setelah istirahat."),
    HealthStatus.NEEDS_TREATMENT: (
        "Demam dan lemas; dirujuk ke Puskesmas Bontang Utara I.",
        "Tampak bingung, perlu pemeriksaan kejiwaan sebelum dipulangkan.",
    ),
    HealthStatus.IN_TREATMENT: (
        "Dirawat di RSUD Taman Husada karena dehidrasi.",
        "Kontrol rutin di poli jiwa RSUD Taman Husada.",
    ),
}
DECISION_REASONS = {
    Decision.RETURN_HOME: (
        "Keluarga di daerah asal bersedia menerima; yang bersangkutan ingin pulang.",
        "Tidak memiliki pekerjaan dan tempat tinggal di Bontang; keluarga sudah dihubungi.",
    ),
    Decision.LOCAL_EMPLOYMENT: (
        "Diterima bekerja di bengkel di Bontang Baru; tinggal di mess karyawan.",
        "Mendapat pekerjaan sebagai buruh bangunan; tidak ingin pulang.",
    ),
    Decision.OTHER: ("Tinggal bersama saudara yang ditemukan di Bontang.",),
}
OVER_CEILING_REASONS = (
    "Tidak ada jalur laut langsung; tiket pesawat adalah pilihan termurah yang tersedia.",
    "Harga tiket kapal naik menjelang hari raya; anak kecil memerlukan pendamping.",
)
DECLINED_REASONS = (
    "Alamat keluarga tidak ditemukan; mohon verifikasi ulang melalui Dukcapil.",
    "Belum ada surat pengantar dari Dinas Sosial Provinsi.",
)


@dataclass
class RepatriationTally:
    intakes: int = 0
    people: int = 0
    without_nik: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    plans: int = 0
    over_ceiling: int = 0
    handovers: int = 0
    to_receiver: int = 0
    shelter_stays: int = 0
    tracing: int = 0
    provinces: set[str] = field(default_factory=set)
    receiver_created: bool = False


@dataclass(frozen=True)
class Origin:
    village: str  # a desa/kelurahan code
    village_name: str
    regency: str
    regency_name: str
    province: str
    province_name: str

    @property
    def kecamatan(self) -> str:
        return self.village[:8]

    @property
    def place(self) -> str:
        return self.regency_name.removeprefix("Kabupaten ").removeprefix("Kota ")


@dataclass
class Origins:
    by_province: dict[str, list[Origin]]
    garut: list[Origin]

    def pick(self, rng: random.Random, *, local: bool) -> Origin:
        if local:
            return pick(rng, self.garut)
        province = PROVINCES.pick(rng)
        return pick(rng, self.by_province[province])


@dataclass
class Context:
    organisation: Organisation
    regency: Regency
    receiver: Organisation
    dadang_id: int
    dadang_name: str
    zone: ZoneInfo
    today: datetime.date
    coordinator_id: int
    intake_id: int
    leads: Weighted[Any]
    channel_id: int
    pmks_id: int
    problem_id: int
    relay: str
    origins: Origins
    serials: dict[str, int] = field(default_factory=dict)


@dataclass
class Drawn:
    """One intake's rows; children name their parents by public id."""

    story: str
    status: str
    found_on: datetime.date
    persons: list[dict[str, Any]] = field(default_factory=list)
    case: dict[str, Any] = field(default_factory=dict)
    stage_changes: list[dict[str, Any]] = field(default_factory=list)
    closures: list[dict[str, Any]] = field(default_factory=list)
    lead_id: int | None = None
    group: dict[str, Any] = field(default_factory=dict)
    members: list[dict[str, Any]] = field(default_factory=list)
    stays: list[dict[str, Any]] = field(default_factory=list)
    tracing: list[dict[str, Any]] = field(default_factory=list)
    plan: dict[str, Any] | None = None
    handovers: list[dict[str, Any]] = field(default_factory=list)


# -- the receiving organisation ---------------------------------------------------------------


def receiver_ensure() -> tuple[Organisation, User, bool]:
    """Dinas Sosial Kabupaten Garut and its coordinator ``dadang``; made when absent."""
    created = False
    receiver = Organisation.objects.filter(name=RECEIVING_OFFICE_NAME).first()
    if receiver is None:
        receiver = receiving_office_create()
        created = True
    dadang = User.objects.filter(username=demo_accounts.RECEIVER_LOGIN).first()
    if dadang is None:
        users = demo_accounts.demo_accounts_create(
            organisations={demo_accounts.RECEIVING_OFFICE: receiver}
        )
        dadang = users[demo_accounts.RECEIVER_LOGIN]
    return receiver, dadang, created


# -- origins ----------------------------------------------------------------------------------


def origins_load(rng: random.Random) -> Origins:
    """Villages of a few kab/kota of every origin province, and of Garut (two queries)."""
    regencies: dict[str, list[str]] = defaultdict(list)
    region_names: dict[str, str] = {}
    wanted_provinces = set(PROVINCES.items)
    for code, name, level in (
        Region.objects.filter(is_active=True, level__in=[RegionLevel.PROVINCE, RegionLevel.REGENCY])
        .order_by("code")
        .values_list("code", "name", "level")
    ):
        region_names[code] = name
        if level == RegionLevel.REGENCY and code[:2] in wanted_provinces:
            regencies[code[:2]].append(code)
    chosen = {GARUT}
    for province in sorted(regencies):
        codes = regencies[province]
        chosen.update(rng.sample(codes, min(REGENCIES_PER_PROVINCE, len(codes))))
    villages = (
        Region.objects.filter(is_active=True, level=RegionLevel.VILLAGE)
        .filter(reduce(or_, (Q(code__startswith=f"{code}.") for code in sorted(chosen))))
        .order_by("code")
        .values_list("code", "name")
    )
    by_province: dict[str, list[Origin]] = defaultdict(list)
    garut: list[Origin] = []
    for code, name in villages:
        regency, province = code[:5], code[:2]
        origin = Origin(
            village=code,
            village_name=name,
            regency=regency,
            regency_name=region_names.get(regency, regency),
            province=province,
            province_name=region_names.get(province, province),
        )
        if regency == GARUT:
            garut.append(origin)
        by_province[province].append(origin)
    for province in PROVINCES.items:
        if not by_province.get(province):
            raise LookupError(f"no village of province {province}: run load_reference first")
    return Origins(by_province=dict(by_province), garut=garut)


# -- drawing ----------------------------------------------------------------------------------


def _nik(
    context: Context, rng: random.Random, origin: Origin, birth: datetime.date, sex: str
) -> str:
    prefix = origin.kecamatan.replace(".", "") + nik_date_part(birth, female=sex == Sex.FEMALE)
    serial = context.serials.get(prefix, NIK_SERIAL_FROM) + 1 + int(rng.random() * 3)
    context.serials[prefix] = serial
    return f"{prefix}{serial:04d}"


def _birth(rng: random.Random, first_year: int, last_year: int) -> datetime.date:
    year = first_year + int(rng.random() * (last_year - first_year + 1))
    return datetime.date(year, 1, 1) + datetime.timedelta(days=int(rng.random() * 365))


def _ethnicity(origin: Origin) -> names.Ethnicity:
    key = ETHNICITY_OF_PROVINCE.get(origin.province, "jawa")
    if origin.regency in ("73.18", "73.26"):
        key = "toraja"
    return names.ETHNICITIES[key]


def _people(rng: random.Random, size: int) -> list[tuple[str, datetime.date, bool]]:
    """(sex, birth date, child) of each member: a worker alone, workmates or a family."""
    if size == 1:
        sex = Sex.MALE if rng.random() < 0.8 else Sex.FEMALE
        return [(sex, _birth(rng, 1965, 2004), False)]
    if rng.random() < 0.35:
        return [(Sex.MALE, _birth(rng, 1975, 2004), False) for _ in range(size)]
    people: list[tuple[str, datetime.date, bool]] = [
        (Sex.MALE, _birth(rng, 1978, 2000), False),
        (Sex.FEMALE, _birth(rng, 1982, 2002), False),
    ]
    for _ in range(size - 2):
        sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
        people.append((sex, _birth(rng, 2012, 2024), True))
    return people


SIZES = Weighted({1: 55, 2: 20, 3: 15, 4: 10})


class IntakeBuilder:
    def __init__(self, rng: random.Random, context: Context, story: str) -> None:
        self.rng, self.context, self.story = rng, context, story
        self.out = Drawn(story=story, status="", found_on=context.today)

    def at(self, day: datetime.date, hour: int | None = None) -> datetime.datetime:
        hour = 8 + int(self.rng.random() * 9) if hour is None else hour
        return datetime.datetime.combine(
            day, datetime.time(hour, int(self.rng.random() * 60)), tzinfo=self.context.zone
        )

    def days(self, least: int, most: int) -> int:
        return least + int(self.rng.random() * (most - least + 1))

    def build(self) -> Drawn:
        rng, context, story, out = self.rng, self.context, self.story, self.out
        yesterday = context.today - datetime.timedelta(days=1)
        least, most = FOUND_AGO[story]
        found_on = context.today - datetime.timedelta(days=self.days(least, most))
        out.found_on = found_on
        origin = self.origin()
        size = SIZES.pick(rng)
        found_at, place = pick(rng, FOUND_PLACES)
        brought_by = pick(rng, BROUGHT_BY)
        lead = context.leads.pick(rng)
        out.lead_id = lead.id
        opened_by = context.intake_id if rng.random() < 0.6 else context.coordinator_id
        circumstances = pick(rng, CIRCUMSTANCES)
        members = self.members(origin, size, found_on)
        no_documents = any(not person["nik"] for person, _m in members if not person["_child"])
        police_ref = ""
        if no_documents or found_at == FoundAt.POLICE or rng.random() < 0.4:
            number = 100 + int(rng.random() * 800)
            police_ref = f"B/{number}/{_roman(found_on.month)}/{found_on.year}/Sek-BTU"
        # Dates along the story.
        decided_on = min(found_on + datetime.timedelta(days=self.days(2, 5)), yesterday)
        returned_on: datetime.date | None = None
        sent_on: datetime.date | None = None
        if story in (ARRIVED_LOCAL, ARRIVED_RELAY):
            returned_on = found_on + datetime.timedelta(days=self.days(3, 30))
            returned_on = min(returned_on, yesterday)
            decided_on = min(decided_on, returned_on - datetime.timedelta(days=2))
            sent_on = returned_on - datetime.timedelta(days=self.days(1, 2))
        elif story in (HANDED_LOCAL, HANDED_RELAY):
            sent_on = context.today - datetime.timedelta(days=self.days(1, 4))
        decided_on = max(decided_on, found_on)
        status = self.status()
        out.status = status
        group_id = uuid_from(rng)
        case_id = uuid_from(rng)
        out.persons = [person for person, _m in members]
        for _person, member in members:
            member.update(self.decision(decided_on))
            member["group_id"] = group_id
        out.members = [member for _p, member in members]
        self.shelter(found_on, decided_on, sent_on, status)
        self.tracing_log(group_id, found_on, decided_on, origin, no_documents)
        if story not in TAKEN_IN and story != SETTLED:
            self.plan(group_id, origin, size, decided_on, sent_on)
        self.handover(group_id, origin, sent_on, returned_on)
        last_moment = max(
            [self.at(found_on, 9)]
            + [row["recorded_at"] for row in out.tracing]
            + [h["updated_at"] for h in out.handovers]
            + ([out.plan["updated_at"]] if out.plan else [])
        )
        out.group = {
            "public_id": group_id,
            "created_at": self.at(found_on, 9),
            "updated_at": last_moment,
            "version": 1,
            "organisation_id": context.organisation.pk,
            "case_id": case_id,
            "found_at": found_at,
            "found_place": place,
            "found_on": found_on,
            "brought_by": brought_by,
            "police_letter_ref": police_ref,
            "circumstances": circumstances,
            "status": status,
            "returned_on": returned_on,
            "created_by_id": opened_by,
        }
        self.case(
            case_id,
            found_on,
            place,
            circumstances,
            brought_by,
            opened_by,
            lead.id,
            returned_on,
            last_moment,
        )
        return out

    def origin(self) -> Origin:
        return self.context.origins.pick(self.rng, local=self.story in LOCAL)

    def status(self) -> str:
        story = self.story
        if story in TAKEN_IN:
            return GroupStatus.INTAKE
        if story == PLANNING:
            return GroupStatus.PLANNING
        if story in (AWAITING, AWAITING_OVER, DECLINED_REPLANNED):
            return GroupStatus.AWAITING_APPROVAL
        if story == APPROVED:
            return GroupStatus.APPROVED
        if story in (HANDED_LOCAL, HANDED_RELAY):
            return GroupStatus.HANDED_OVER
        if story in (ARRIVED_LOCAL, ARRIVED_RELAY):
            return GroupStatus.ARRIVED
        return GroupStatus.SETTLED

    def members(
        self, origin: Origin, size: int, found_on: datetime.date
    ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        rng, context = self.rng, self.context
        ethnicity = _ethnicity(origin)
        family = None
        rows = []
        # Where the intake stands decides how much is known of the origin.
        known = self.story not in TAKEN_IN or rng.random() < 0.5
        for sex, birth, child in _people(rng, size):
            name = names.full_name(rng, ethnicity=ethnicity, sex=sex, birth_year=birth.year)
            if child and family:
                name = f"{name.split()[0]} {family}"
            elif not child and family is None and len(name.split()) > 1:
                family = name.split()[-1]
            has_nik = (rng.random() < 0.75) if not child else (rng.random() < 0.5)
            nik = _nik(context, rng, origin, birth, sex) if has_nik else ""
            documents: list[str]
            if child:
                documents = [IdentityDocument.KK] if nik else [IdentityDocument.BIRTH_CERTIFICATE]
                if not nik and rng.random() < 0.5:
                    documents = []
            elif nik:
                documents = [IdentityDocument.KTP]
                if rng.random() < 0.4:
                    documents.append(IdentityDocument.KK)
            else:
                documents = [IdentityDocument.POLICE_LOST]
            person_id = uuid_from(rng)
            person = {
                "public_id": person_id,
                "created_at": self.at(found_on, 10),
                "updated_at": self.at(found_on, 10),
                "version": 1,
                "organisation_id": context.organisation.pk,
                "full_name": name,
                "search_name": search_name(name),
                "nik": nik,
                "nik_hash": nik_lookup_hash(nik) if nik else "",
                "nik_absence": "" if nik else (NikAbsence.LOST if not child else NikAbsence.NONE),
                "nik_region_code": origin.kecamatan if nik else "",
                "birth_date": birth,
                "birth_date_is_estimated": not nik and not child and rng.random() < 0.3,
                "sex": sex,
                "birth_place": origin.place,
                "domicile_village_id": origin.village if known else None,
                "address": "",
                "rt": "",
                "rw": "",
                "_child": child,
            }
            set_region = known and (nik == "" or rng.random() < 0.9)
            codes_from = origin.village if set_region else (origin.kecamatan if nik else "")
            province, regency = (codes_from[:2], codes_from[:5]) if codes_from else ("", "")
            health = self.health()
            member = {
                "public_id": uuid_from(rng),
                "created_at": self.at(found_on, 10),
                "updated_at": self.at(found_on, 11),
                "version": 1,
                "person_id": person_id,
                "documents": documents,
                "documents_note": ""
                if nik or child
                else "Surat keterangan kehilangan dari polisi.",
                "health_status": health,
                "health_note": pick(rng, HEALTH_NOTES[health]) if health in HEALTH_NOTES else "",
                "screened_on": found_on if health != HealthStatus.NOT_SCREENED else None,
                "stated_origin": (
                    f"{origin.village_name}, {origin.regency_name}, {origin.province_name}"
                    if known or rng.random() < 0.5
                    else f"{origin.place}, {origin.province_name}"
                ),
                "origin_region_id": origin.village if set_region else None,
                "origin_province_code": province,
                "origin_regency_code": regency,
            }
            rows.append((person, member))
        return rows

    def health(self) -> str:
        draw = self.rng.random()
        if self.story == SHELTER:
            if draw < 0.3:
                return HealthStatus.NOT_SCREENED
            if draw < 0.6:
                return HealthStatus.NEEDS_TREATMENT
            if draw < 0.8:
                return HealthStatus.IN_TREATMENT
        return HealthStatus.FIT

    def decision(self, decided_on: datetime.date) -> dict[str, Any]:
        story, rng, context = self.story, self.rng, self.context
        if story in TAKEN_IN:
            return {
                "decision": "",
                "decision_reason": "",
                "decided_on": None,
                "decided_by_id": None,
            }
        if story == SETTLED:
            choice = Decision.LOCAL_EMPLOYMENT if rng.random() < 0.8 else Decision.OTHER
        else:
            choice = Decision.RETURN_HOME
        return {
            "decision": choice,
            "decision_reason": pick(rng, DECISION_REASONS[choice]),
            "decided_on": decided_on,
            "decided_by_id": self.out.lead_id or context.coordinator_id,
        }

    def shelter(
        self,
        found_on: datetime.date,
        decided_on: datetime.date,
        sent_on: datetime.date | None,
        status: str,
    ) -> None:
        shelter = f"Rumah Singgah Dinas Sosial {self.context.regency.name}"
        for member in self.out.members:
            left: datetime.date | None = sent_on
            if status == GroupStatus.SETTLED:
                left = decided_on + datetime.timedelta(days=self.days(0, 3))
                left = min(left, self.context.today - datetime.timedelta(days=1))
            checked_in = self.at(found_on, 18)
            self.out.stays.append(
                {
                    "_member": member["public_id"],
                    "shelter": shelter,
                    "checked_in_at": checked_in,
                    "checked_out_at": max(self.at(left, 7), checked_in) if left else None,
                    "recorded_by_id": self.context.intake_id,
                }
            )

    def tracing_log(
        self,
        group_id: uuid.UUID,
        found_on: datetime.date,
        decided_on: datetime.date,
        origin: Origin,
        no_documents: bool,
    ) -> None:
        rng, context = self.rng, self.context
        steps: list[tuple[str, str, str, str]] = [
            (
                "Keluarga (nomor yang diberikan yang bersangkutan)",
                TracingMethod.PHONE,
                pick(rng, (TracingResult.NO_ANSWER, TracingResult.WRONG_CONTACT)),
                "Nomor tidak aktif atau tidak menjawab.",
            )
        ]
        if no_documents:
            steps.append(
                (
                    "Dinas Dukcapil Kota Bontang",
                    TracingMethod.DUKCAPIL,
                    TracingResult.IDENTIFIED,
                    "Identitas dicocokkan melalui sidik jari.",
                )
            )
        if self.story not in TAKEN_IN:
            settled = self.story == SETTLED
            steps.append(
                (
                    f"Dinas Sosial {origin.regency_name}",
                    TracingMethod.DINSOS,
                    TracingResult.CANNOT_RECEIVE if settled else TracingResult.WILL_RECEIVE,
                    "Keluarga belum dapat menerima."
                    if settled
                    else "Keluarga ditemukan dan bersedia menerima.",
                )
            )
        last = max(found_on, decided_on - datetime.timedelta(days=1))
        span = max((last - found_on).days, 0)
        for index, (contact, method, result, note) in enumerate(steps):
            day = found_on + datetime.timedelta(days=min(index, span))
            day = min(day, context.today)
            self.out.tracing.append(
                {
                    "_group": group_id,
                    "_member_index": None,
                    "contacted_on": day,
                    "contact": contact,
                    "method": method,
                    "result": result,
                    "note": note,
                    "recorded_by_id": self.out.lead_id,
                    "recorded_at": self.at(day, 15),
                }
            )

    def plan(
        self,
        group_id: uuid.UUID,
        origin: Origin,
        size: int,
        decided_on: datetime.date,
        sent_on: datetime.date | None,
    ) -> None:
        rng, context, story = self.rng, self.context, self.story
        if story == PLANNING and rng.random() < 0.5:
            return  # not written yet
        distance = DISTANCE_OF_PROVINCE.get(origin.province, FAR)
        if story == AWAITING_OVER:
            distance = FAR if distance not in (JAVA, NUSA) else distance
        mode, low, high = TICKETS[distance]
        ticket = low + int(rng.random() * (high - low)) // 5_000 * 5_000
        if story == AWAITING_OVER and distance != FAR:
            ticket = 420_000 + int(rng.random() * 60_000) // 5_000 * 5_000
        children = sum(1 for person in self.out.persons if person["_child"])
        escort = ESCORT_COST if children and rng.random() < 0.5 else 0
        ticket_cost = ticket * size
        total = ticket_cost + (POCKET_MONEY + MEALS) * size + escort
        status = PlanStatus.APPROVED
        if story == PLANNING:
            status = PlanStatus.DRAFT
        elif story in (AWAITING, AWAITING_OVER, DECLINED_REPLANNED):
            status = PlanStatus.SUBMITTED
        over = total > CEILING * size
        local = story in (HANDED_LOCAL, ARRIVED_LOCAL)
        receiver = context.receiver if local else None
        agency = context.receiver.name if local else f"Dinas Sosial {origin.regency_name}"
        relay = "" if local else f"{context.relay}; Dinas Sosial Provinsi {origin.province_name}"
        submitted_on = decided_on + datetime.timedelta(days=1)
        if story == DECLINED_REPLANNED:
            submitted_on = context.today - datetime.timedelta(days=self.days(1, 3))
        submitted_on = min(submitted_on, context.today)
        submitted_at = self.at(submitted_on)
        decided_at = None
        if status == PlanStatus.APPROVED:
            decided_on_plan = submitted_on + datetime.timedelta(days=1)
            if sent_on is not None:
                decided_on_plan = min(decided_on_plan, sent_on)
            decided_at = max(self.at(min(decided_on_plan, context.today)), submitted_at)
        departure = sent_on or min(
            submitted_on + datetime.timedelta(days=5), context.today + datetime.timedelta(days=7)
        )
        self.out.plan = {
            "public_id": uuid_from(rng),
            "created_at": self.at(decided_on),
            "updated_at": decided_at or submitted_at,
            "version": 1 + (status != PlanStatus.DRAFT) + (decided_at is not None),
            "group_id": group_id,
            "mode": mode,
            "route": ROUTES[distance].format(place=origin.place),
            "departure_on": departure,
            "tickets": "" if status == PlanStatus.DRAFT else "Tiket dipesan melalui agen resmi.",
            "escort": "Pekerja sosial LK3" if escort else "",
            "ticket_cost": Decimal(ticket_cost),
            "pocket_money": Decimal(POCKET_MONEY * size),
            "escort_cost": Decimal(escort),
            "other_cost": Decimal(MEALS * size),
            "travellers": size,
            "receiving_organisation_id": receiver.pk if receiver else None,
            "receiving_agency": agency,
            "via_relay": relay,
            "status": status,
            "ceiling_per_person": CEILING if status != PlanStatus.DRAFT else None,
            "over_ceiling_reason": pick(rng, OVER_CEILING_REASONS) if over else "",
            "submitted_at": submitted_at if status != PlanStatus.DRAFT else None,
            "submitted_by_id": self.out.lead_id if status != PlanStatus.DRAFT else None,
            "decided_at": decided_at,
            "decided_by_id": context.coordinator_id if decided_at else None,
            "decision_note": "Disetujui." if decided_at else "",
        }

    def handover(
        self,
        group_id: uuid.UUID,
        origin: Origin,
        sent_on: datetime.date | None,
        returned_on: datetime.date | None,
    ) -> None:
        rng, context, story = self.rng, self.context, self.story
        if story == DECLINED_REPLANNED:
            declined_sent = self.out.found_on + datetime.timedelta(days=self.days(8, 14))
            answered = self.at(declined_sent + datetime.timedelta(days=2))
            self.out.handovers.append(
                self._handover(
                    group_id,
                    declined_sent,
                    receiver=context.receiver,
                    status=HandoverStatus.DECLINED,
                    declined_reason=pick(rng, DECLINED_REASONS),
                    answered_by=context.dadang_id,
                    answered_at=answered,
                )
            )
            return
        if sent_on is None:
            return
        local = story in (HANDED_LOCAL, ARRIVED_LOCAL)
        receiver = context.receiver if local else None
        fields: dict[str, Any] = {}
        if returned_on is not None:
            fields = {
                "status": HandoverStatus.ARRIVED,
                "arrived_on": returned_on,
                "received_by_name": (
                    context.dadang_name if local else f"Petugas Dinas Sosial {origin.regency_name}"
                ),
                "answered_by": context.dadang_id if local else context.coordinator_id,
                "answered_at": self.at(returned_on),
            }
        self.out.handovers.append(
            self._handover(
                group_id,
                sent_on,
                receiver=receiver,
                receiver_name=None if local else f"Dinas Sosial {origin.regency_name}",
                **fields,
            )
        )

    def _handover(
        self,
        group_id: uuid.UUID,
        sent_on: datetime.date,
        *,
        receiver: Organisation | None,
        receiver_name: str | None = None,
        status: str = HandoverStatus.SENT,
        arrived_on: datetime.date | None = None,
        received_by_name: str = "",
        declined_reason: str = "",
        answered_by: int | None = None,
        answered_at: datetime.datetime | None = None,
    ) -> dict[str, Any]:
        organisation = self.context.organisation
        sent_at = self.at(sent_on, 8)
        return {
            "public_id": uuid_from(self.rng),
            "created_at": sent_at,
            "updated_at": answered_at or sent_at,
            "version": 1 + (answered_at is not None),
            "source": HandoverSource.LOCAL,
            "group_id": group_id,
            "sending_organisation_id": organisation.pk,
            "sender_name": organisation.name,
            "receiving_organisation_id": receiver.pk if receiver else None,
            "receiver_name": receiver.name if receiver else (receiver_name or ""),
            "sent_on": sent_on,
            "status": status,
            "arrived_on": arrived_on,
            "received_by_name": received_by_name,
            "declined_reason": declined_reason,
            "answered_by_id": answered_by,
            "answered_at": answered_at,
            "package_id": None,
            "package_sha256": "",
            "payload": None,
            "created_by_id": self.out.lead_id,
        }

    def case(
        self,
        case_id: uuid.UUID,
        found_on: datetime.date,
        place: str,
        circumstances: str,
        brought_by: str,
        opened_by: int,
        lead_id: int,
        returned_on: datetime.date | None,
        last_moment: datetime.datetime,
    ) -> None:
        context, out = self.context, self.out
        closed = returned_on is not None
        stages: dict[str, str] = {
            GroupStatus.INTAKE: Stage.INITIAL_ASSESSMENT,
            GroupStatus.PLANNING: Stage.PLANNING,
            GroupStatus.AWAITING_APPROVAL: Stage.PLANNING,
            GroupStatus.APPROVED: Stage.PLANNING,
            GroupStatus.HANDED_OVER: Stage.REINTEGRATION,
            GroupStatus.ARRIVED: Stage.REINTEGRATION,
            GroupStatus.SETTLED: Stage.REINTEGRATION,
        }
        stage = stages[out.status]
        opened_at = self.at(found_on, 9)
        out.case = {
            "public_id": case_id,
            "organisation_id": context.organisation.pk,
            "_client": out.persons[0]["public_id"],
            "family_id": None,
            "intake_channel_id": context.channel_id,
            "referrer_name": brought_by,
            "referrer_contact": "",
            "presenting_problem": (
                f"Terlantar di {place} sejak {found_on.strftime('%d-%m-%Y')}.\n{circumstances}"
            ),
            "risk_level": RiskLevel.MEDIUM if self.story == SHELTER else RiskLevel.LOW,
            "is_confidential": False,
            "stage": stage,
            "status": CaseStatus.CLOSED if closed else CaseStatus.OPEN,
            "lead_counsellor_id": lead_id,
            "kelurahan_id": None,
            "opened_on": found_on,
            "opened_by_id": opened_by,
            "closed_on": returned_on,
            "closure_reason": ClosureReason.REPATRIATED if closed else "",
            "closure_outcome": ClosureOutcome.IMPROVED if closed else "",
            "times_reopened": 0,
            "next_due_on": None,
            "last_activity_at": last_moment,
            "created_at": opened_at,
            "updated_at": last_moment,
            "version": 1 + (stage != Stage.REGISTRATION) + closed,
        }
        out.stage_changes.append(
            {
                "from_stage": "",
                "to_stage": Stage.REGISTRATION,
                "note": "",
                "changed_at": opened_at,
                "changed_by_id": opened_by,
            }
        )
        out.stage_changes.append(
            {
                "from_stage": Stage.REGISTRATION,
                "to_stage": stage,
                "note": "",
                "changed_at": max(self.at(found_on, 16), opened_at),
                "changed_by_id": lead_id,
            }
        )
        if closed:
            assert returned_on is not None
            answered = self.at(returned_on)
            out.closures.append(
                {
                    "reason": ClosureReason.REPATRIATED,
                    "outcome": ClosureOutcome.IMPROVED,
                    "summary": "Telah tiba di daerah asal dan diterima keluarga.",
                    "requested_at": answered,
                    "requested_by_id": context.dadang_id
                    if self.story == ARRIVED_LOCAL
                    else context.coordinator_id,
                    "status": ClosureStatus.APPROVED,
                    "decided_at": answered,
                    "decided_by_id": context.dadang_id
                    if self.story == ARRIVED_LOCAL
                    else context.coordinator_id,
                    "comment": "",
                }
            )


def _roman(month: int) -> str:
    return ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")[month - 1]


def _stories(rng: random.Random, total: int, *, required: bool) -> list[str]:
    chosen = list(REQUIRED[: min(total, len(REQUIRED))]) if required else []
    while len(chosen) < total:
        chosen.append(STORIES.pick(rng))
    return chosen


def intakes_draw(
    rng: random.Random, context: Context, total: int, *, required: bool
) -> list[Drawn]:
    """The LK3's intakes in order of finding (numbers follow it)."""
    drawn = [
        IntakeBuilder(rng, context, story).build()
        for story in _stories(rng, total, required=required)
    ]
    drawn.sort(key=lambda item: (item.found_on, str(item.group["public_id"])))
    return drawn


# -- writing ----------------------------------------------------------------------------------


def _ids(model: type[Model], public_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    found: dict[uuid.UUID, int] = {}
    for start in range(0, len(public_ids), ID_CHUNK):
        chunk = public_ids[start : start + ID_CHUNK]
        found.update(
            model._default_manager.filter(public_id__in=chunk).values_list("public_id", "id")
        )
    return found


def _numbers(organisation: Organisation, drawn: Sequence[Drawn]) -> None:
    """Case numbers after the LK3's last ones; intake numbers from 1, by year found."""
    case_last = dict(
        CaseNumberCounter.objects.filter(organisation=organisation).values_list("year", "last")
    )
    stranded_last = dict(
        StrandedNumberCounter.objects.filter(organisation=organisation).values_list("year", "last")
    )
    for item in drawn:
        year = item.found_on.year
        case_last[year] = case_last.get(year, 0) + 1
        stranded_last[year] = stranded_last.get(year, 0) + 1
        item.case.update(
            number=CASE_NUMBER_FORMAT.format(year=year, sequence=case_last[year]),
            year=year,
            sequence=case_last[year],
        )
        item.group.update(
            number=STRANDED_NUMBER.format(year=year, sequence=stranded_last[year]),
            year=year,
            sequence=stranded_last[year],
        )
    for year, last in case_last.items():
        CaseNumberCounter.objects.update_or_create(
            organisation=organisation, year=year, defaults={"last": last}
        )
    for year, last in stranded_last.items():
        StrandedNumberCounter.objects.update_or_create(
            organisation=organisation, year=year, defaults={"last": last}
        )


def _tokens_add(full_names: Iterable[str]) -> None:
    """Count the new persons' name tokens (``NameToken``) without recounting the registry."""
    counts: Counter[str] = Counter()
    for name in full_names:
        for key in name_keys([name]):
            if key.startswith(TOKEN_PREFIX):
                counts[key[len(TOKEN_PREFIX) :]] += 1
    if not counts:
        return
    NameToken.objects.bulk_create(
        (NameToken(token=token, person_count=0) for token in sorted(counts)), ignore_conflicts=True
    )
    by_count: dict[int, list[str]] = defaultdict(list)
    for token, count in counts.items():
        by_count[count].append(token)
    for count, tokens in sorted(by_count.items()):
        NameToken.objects.filter(token__in=sorted(tokens)).update(
            person_count=F("person_count") + count
        )


def intakes_write(organisation: Organisation, drawn: Sequence[Drawn]) -> None:
    _numbers(organisation, drawn)
    persons = [
        {k: v for k, v in person.items() if not k.startswith("_")}
        for item in drawn
        for person in item.persons
    ]
    bulk_insert(Person, persons)
    person_ids = _ids(Person, [row["public_id"] for row in persons])
    index_rows(
        [
            IndexRow(person_ids[row["public_id"]], organisation.pk, row["full_name"])
            for row in persons
        ]
    )
    _tokens_add(row["full_name"] for row in persons)
    cases = []
    for item in drawn:
        row = {k: v for k, v in item.case.items() if not k.startswith("_")}
        row["client_id"] = person_ids[item.case["_client"]]
        cases.append(row)
    bulk_insert(Case, cases)
    case_ids = _ids(Case, [row["public_id"] for row in cases])
    context_ids = {item.case["public_id"]: case_ids[item.case["public_id"]] for item in drawn}
    pmks = PmksCategory.objects.get(code=PMKS).pk
    problem = ProblemType.objects.get(code=PROBLEM).pk
    Case.pmks_categories.through.objects.bulk_create(
        Case.pmks_categories.through(case_id=case_id, pmkscategory_id=pmks)
        for case_id in context_ids.values()
    )
    Case.problem_types.through.objects.bulk_create(
        Case.problem_types.through(case_id=case_id, problemtype_id=problem)
        for case_id in context_ids.values()
    )
    bulk_insert(
        StageChange,
        [
            {**change, "case_id": context_ids[item.case["public_id"]]}
            for item in drawn
            for change in item.stage_changes
        ],
    )
    bulk_insert(
        CaseMember,
        [
            {
                "case_id": context_ids[item.case["public_id"]],
                "user_id": item.lead_id,
                "added_on": item.found_on,
                "added_by_id": item.case["opened_by_id"],
                "removed_on": None,
            }
            for item in drawn
        ],
    )
    bulk_insert(
        ClosureRequest,
        [
            {**closure, "case_id": context_ids[item.case["public_id"]]}
            for item in drawn
            for closure in item.closures
        ],
    )
    groups = [{**item.group, "case_id": context_ids[item.group["case_id"]]} for item in drawn]
    bulk_insert(StrandedGroup, groups)
    group_ids = _ids(StrandedGroup, [row["public_id"] for row in groups])
    members = [
        {
            **member,
            "group_id": group_ids[member["group_id"]],
            "person_id": person_ids[member["person_id"]],
        }
        for item in drawn
        for member in item.members
    ]
    bulk_insert(StrandedPerson, members)
    member_ids = _ids(StrandedPerson, [row["public_id"] for row in members])
    bulk_insert(
        ShelterStay,
        [
            {k: v for k, v in stay.items() if not k.startswith("_")}
            | {"member_id": member_ids[stay["_member"]]}
            for item in drawn
            for stay in item.stays
        ],
    )
    bulk_insert(
        TracingContact,
        [
            {k: v for k, v in row.items() if not k.startswith("_")}
            | {"group_id": group_ids[row["_group"]], "member_id": None}
            for item in drawn
            for row in item.tracing
        ],
    )
    bulk_insert(
        ReturnPlan,
        [
            {**item.plan, "group_id": group_ids[item.plan["group_id"]]}
            for item in drawn
            if item.plan is not None
        ],
    )
    bulk_insert(
        Handover,
        [
            {**row, "group_id": group_ids[row["group_id"]]}
            for item in drawn
            for row in item.handovers
        ],
    )


# -- the step ---------------------------------------------------------------------------------


def repatriation_present(lk3s: Mapping[str, Organisation]) -> bool:
    ids = [lk3.pk for lk3 in lk3s.values()]
    return (
        AuditEvent.objects.filter(action=actions.SEED_REPATRIATION_GENERATED).exists()
        or StrandedGroup.objects.filter(organisation_id__in=ids).exists()
    )


def intake_count(cases: int, *, first: bool) -> int:
    count = round(cases / CASES_PER_INTAKE)
    return max(MIN_INTAKES, count) if first else count


def _context(
    organisation: Organisation,
    regency: Regency,
    *,
    receiver: Organisation,
    dadang: User,
    origins: Origins,
    today: datetime.date,
) -> Context:
    staff = staff_load(organisation)
    if not staff.coordinators:
        raise LookupError("no coordinator to record stranded intakes")
    coordinator = staff.coordinators[0]
    settings, _created = RepatriationSettings.objects.get_or_create(organisation=organisation)
    return Context(
        organisation=organisation,
        regency=regency,
        receiver=receiver,
        dadang_id=dadang.pk,
        dadang_name=dadang.full_name,
        zone=ZoneInfo(organisation.time_zone),
        today=today,
        coordinator_id=coordinator.id,
        intake_id=staff.intake[0].id if staff.intake else coordinator.id,
        leads=staff.leads,
        channel_id=IntakeChannel.objects.get(code=CHANNEL).pk,
        pmks_id=PmksCategory.objects.get(code=PMKS).pk,
        problem_id=ProblemType.objects.get(code=PROBLEM).pk,
        relay=settings.provincial_relay,
        origins=origins,
    )


def repatriation_seed(
    *,
    lk3s: Mapping[str, Organisation],
    catalogue: RegionCatalogue,
    random_seed: int,
    today: datetime.date,
) -> RepatriationTally:
    """The stranded intakes of every LK3 in ``lk3s`` (Bontang first); no audit event."""
    tally = RepatriationTally()
    with transaction.atomic():
        receiver, dadang, tally.receiver_created = receiver_ensure()
    origins = origins_load(stream(random_seed, "stranded-origins"))
    ordered = sorted(lk3s, key=lambda code: (code != BONTANG, code))
    for position, code in enumerate(ordered):
        organisation = lk3s[code]
        cases = Case.objects.filter(organisation=organisation).count()
        total = intake_count(cases, first=position == 0)
        if not total:
            continue
        context = _context(
            organisation,
            catalogue.regency(code),
            receiver=receiver,
            dadang=dadang,
            origins=origins,
            today=today,
        )
        drawn = intakes_draw(
            stream(random_seed, f"stranded:{code}"), context, total, required=position == 0
        )
        with transaction.atomic():
            intakes_write(organisation, drawn)
        _tally_add(tally, drawn, receiver)
    return tally


def _tally_add(tally: RepatriationTally, drawn: Sequence[Drawn], receiver: Organisation) -> None:
    for item in drawn:
        tally.intakes += 1
        tally.people += len(item.persons)
        tally.without_nik += sum(1 for person in item.persons if not person["nik"])
        tally.by_status[item.status] += 1
        tally.shelter_stays += len(item.stays)
        tally.tracing += len(item.tracing)
        tally.handovers += len(item.handovers)
        tally.to_receiver += sum(
            1 for row in item.handovers if row["receiving_organisation_id"] == receiver.pk
        )
        if item.plan is not None:
            tally.plans += 1
            tally.over_ceiling += bool(item.plan["over_ceiling_reason"])
        tally.provinces.update(
            member["origin_province_code"]
            for member in item.members
            if member["origin_province_code"]
        )


@transaction.atomic
def repatriation_audit(
    *, target: Organisation, random_seed: int, today: datetime.date, tally: RepatriationTally
) -> None:
    """The closing event of the stranded intakes: counts only, never a name."""
    changes: dict[str, list[object]] = {
        "random_seed": [None, random_seed],
        "today": [None, today.isoformat()],
        "intakes": [0, tally.intakes],
        "people": [0, tally.people],
        "without_nik": [0, tally.without_nik],
        "plans": [0, tally.plans],
        "over_ceiling": [0, tally.over_ceiling],
        "handovers": [0, tally.handovers],
        "to_receiver": [0, tally.to_receiver],
        "shelter_stays": [0, tally.shelter_stays],
        "tracing_contacts": [0, tally.tracing],
        "provinces": [0, len(tally.provinces)],
        "receiver_created": [None, tally.receiver_created],
    }
    for status, count in sorted(tally.by_status.items()):
        changes[f"status:{status}"] = [0, count]
    audit_record(
        actor=None,
        action=actions.SEED_REPATRIATION_GENERATED,
        target=target,
        organisation=target,
        changes=changes,
    )
