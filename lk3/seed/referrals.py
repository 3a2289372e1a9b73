"""The referral network of the demo: partners, MoU/PKS, partner staff, referrals, field reports.

Rules:
- Runs after the cases, per LK3 (Bontang first), from its own streams
  (``"partners:<code>"``, ``"field-officers:<code>"``, ``"referrals:<code>"``,
  ``"field-reports:<code>"``), so the data already generated does not move
  and the same seed, cases and day give the same network.
- Bontang's network is its real partners (UPTD PPA, Puskesmas, RSUD Taman
  Husada, Polres, Pengadilan Agama, Kemenag, schools, offices, BAZNAS, MUI,
  PT Badak NGL, PT Pupuk Kaltim, Karang Taruna, TKSK, an LBH); the other
  LK3s get a generic set named after their kab/kota. Agreements are valid,
  ending within the warning window, ended, or absent, counted from ``today``.
- The demo partner account (``mitra_ppa``) is staff of Bontang's UPTD PPA.
- Referrals: about one per ``CASES_PER_REFERRAL`` cases, a fifth of them in.
  Out: every status (the first of each LK3 walk through them all), dated
  inside the case's life and the partner's agreement, events for each step
  by the worker who sent it and the partner (its staff account when it has
  one, else the worker who recorded the answer), ``first_answer_at`` the
  first answer, some sent/received past ``answer_due_on``. A referral on
  the client's consent has a data-sharing consent of the client given on or
  before it (by a parent for a child); another legal basis has a note. The
  shared snapshot holds exactly the shared items. In: waiting at the intake
  desk, accepted into the case they became (the case's agency channel) or
  declined. Numbers ``RJ-<year>-<NNNN>`` in order of sending, both
  directions, with ``ReferralNumberCounter`` at the last one.
- Field reports: about one per ``CASES_PER_FIELD_REPORT`` cases, from the
  field-officer accounts (the demo's ``pak_agus`` and a few accounts given to
  board members of the kelurahan network, through ``user_create``), in every
  status: received, handled (with the open case it became), done (a closed
  case, or marked done without one).
- Writing: the directory and accounts in one transaction, referrals and
  reports in batches through ``bulk.bulk_insert`` (texts encrypted by their
  fields), then one ``seed.referrals_generated`` audit event with counts.
  An LK3 with a partner, a referral or a field report already is left alone.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify

from lk3.accounts.models import BoardMember, Function, Organisation, User
from lk3.accounts.roles import Role
from lk3.accounts.services import user_create
from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.audit.services import audit_record
from lk3.cases.models import Case, CaseStatus
from lk3.core.models import ProblemType, PsksCategory, ServiceType
from lk3.people.models import (
    CHILD_AGE_LIMIT,
    Consent,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    Person,
    PersonPhone,
    Sex,
)
from lk3.referrals.models import (
    Agreement,
    AgreementKind,
    Direction,
    FieldReport,
    FieldReportStatus,
    LegalBasis,
    Partner,
    PartnerContact,
    PartnerKind,
    PartnerMember,
    Referral,
    ReferralEvent,
    ReferralNumberCounter,
    ReferralSettings,
    ReferralStatus,
    SharedItem,
    Urgency,
)
from lk3.regions.models import Region
from lk3.seed import contacts, names
from lk3.seed.bulk import bulk_insert
from lk3.seed.catalogue import BONTANG, Regency, RegionCatalogue
from lk3.seed.streams import Weighted, pick, stream, uuid_from

# Not in lk3.audit.actions yet (the lead adds it with its label).
NUMBER_FORMAT = "RJ-{year}-{sequence:04d}"
CASES_PER_REFERRAL = 6
CASES_PER_FIELD_REPORT = 10
IN_SHARE = 0.2
BATCH = 2_000
ANSWER_DAYS = 3
WARNING_DAYS = 60
DEMO_PARTNER_ACCOUNT = "mitra_ppa"
DEMO_PARTNER = "UPTD PPA Kota Bontang"
DEMO_FIELD_OFFICER = "pak_agus"
PARTNERS_SINCE_DAYS = 1_200
S = ReferralStatus
OUT_REQUIRED = (
    S.SENT,
    S.RECEIVED,
    S.ACCEPTED,
    S.DECLINED,
    S.IN_SERVICE,
    S.COMPLETED,
    S.REVOKED,
)
OPEN_CASE_STATUSES = Weighted(
    {
        S.SENT: 8,
        S.RECEIVED: 8,
        S.ACCEPTED: 10,
        S.DECLINED: 8,
        S.IN_SERVICE: 14,
        S.COMPLETED: 28,
        S.REVOKED: 5,
    }
)
CLOSED_CASE_STATUSES = Weighted({S.COMPLETED: 70, S.DECLINED: 18, S.REVOKED: 12})
IN_KINDS = ("accepted", "waiting", "declined")
IN_WEIGHTS = Weighted({"accepted": 50, "waiting": 25, "declined": 25})
FIELD_STATUSES = Weighted(
    {FieldReportStatus.RECEIVED: 30, FieldReportStatus.HANDLED: 40, FieldReportStatus.DONE: 30}
)
URGENCIES = Weighted({Urgency.NORMAL: 55, Urgency.SOON: 30, Urgency.URGENT: 15})
# How long after the case opened a referral may go, and how recent an unfinished step is.
RECENT_DAYS: dict[str, int] = {S.SENT: 8, S.RECEIVED: 10, S.ACCEPTED: 14, S.IN_SERVICE: 60}
REQUIRED_AGO: dict[str, int] = {S.SENT: 0, S.RECEIVED: ANSWER_DAYS + 2}
STEP_DAYS: dict[str, tuple[int, int]] = {
    S.RECEIVED: (0, 2),
    S.ACCEPTED: (0, 3),
    S.DECLINED: (1, 4),
    S.IN_SERVICE: (1, 7),
    S.COMPLETED: (14, 90),
    S.REVOKED: (2, 20),
}
AGENCY_CHANNELS = ("uptd-ppa", "polisi", "sekolah", "rumah-sakit", "slrt-puskesos", "dinsos-lain")
FIELD_CHANNELS = ("bhabinkamtibmas", "babinsa", "tksk", "psm")
FIELD_FUNCTIONS = (Function.BHABINKAMTIBMAS, Function.BABINSA, Function.TKSK, Function.PSM)
EXTRA_FIELD_OFFICERS = (Function.BABINSA, Function.TKSK, Function.PSM, Function.BHABINKAMTIBMAS)

GOVERNMENT, COMMUNITY, BUSINESS, PSKS = (
    PartnerKind.GOVERNMENT,
    PartnerKind.COMMUNITY,
    PartnerKind.BUSINESS,
    PartnerKind.PSKS,
)
VALID, EXPIRING, EXPIRED, RENEWED, NONE = "valid", "expiring", "expired", "renewed", "none"

VIOLENCE = ("kekerasan-dalam-rumah-tangga", "kekerasan-seksual", "penelantaran")
MARRIAGE = ("konflik-perkawinan", "perceraian", "perkawinan-anak")
CHILDREN = ("perilaku-anak", "putus-sekolah", "pengasuhan")
POVERTY = ("kesulitan-ekonomi", "lansia")
HEALTH = ("kesehatan-jiwa", "kecanduan", "lansia")


# -- the directory ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerSpec:
    name: str
    short_name: str
    kind: str
    services: tuple[str, ...]
    need: str
    agreement: str
    topics: tuple[str, ...] = ()
    description: str = ""
    address: str = ""
    phone: str = ""
    positions: tuple[str, ...] = ("Kepala Kantor",)
    psks: str = ""
    villages: tuple[str, ...] = ()
    channel: str = ""


BONTANG_PARTNERS: tuple[PartnerSpec, ...] = (
    PartnerSpec(
        DEMO_PARTNER,
        "UPTD PPA",
        GOVERNMENT,
        ("pendampingan", "perlindungan", "konseling", "advokasi", "penjangkauan"),
        "ppa",
        VALID,
        (*VIOLENCE, "perkawinan-anak"),
        "Pengaduan, penjangkauan, pengelolaan kasus, rumah aman, mediasi, dan pendampingan "
        "hukum, kesehatan dan psikologis bagi perempuan dan anak korban kekerasan.",
        "Jl. Awang Long No. 2, Bontang Baru, Bontang Utara",
        "(0548) 3031120",
        ("Kepala UPTD", "Konselor", "Manajer Kasus"),
        channel="uptd-ppa",
    ),
    PartnerSpec(
        "Puskesmas Bontang Utara I",
        "PKM Bontang Utara I",
        GOVERNMENT,
        ("konsultasi", "pendampingan"),
        "health",
        VALID,
        HEALTH + VIOLENCE,
        "Pemeriksaan kesehatan, layanan psikolog puskesmas, dan kunjungan rumah.",
        "Jl. Letjen S. Parman, Bontang Baru, Bontang Utara",
        "(0548) 3035601",
        ("Kepala Puskesmas", "Psikolog Puskesmas"),
        villages=("64.74.01.1002", "64.74.01.1006"),
        channel="rumah-sakit",
    ),
    PartnerSpec(
        "Puskesmas Bontang Selatan I",
        "PKM Bontang Selatan I",
        GOVERNMENT,
        ("konsultasi", "pendampingan"),
        "health",
        EXPIRING,
        HEALTH + VIOLENCE,
        "Pemeriksaan kesehatan, konseling gizi dan kesehatan jiwa, kunjungan rumah lansia.",
        "Jl. Brigjend Katamso, Tanjung Laut, Bontang Selatan",
        "(0548) 3035602",
        ("Kepala Puskesmas", "Perawat Jiwa"),
        villages=("64.74.02.1001", "64.74.02.1006"),
        channel="rumah-sakit",
    ),
    PartnerSpec(
        "RSUD Taman Husada Bontang",
        "RSUD Taman Husada",
        GOVERNMENT,
        ("konsultasi", "pendampingan"),
        "hospital",
        RENEWED,
        HEALTH + VIOLENCE,
        "Pelayanan medis rujukan, poli jiwa, psikolog klinis, dan visum et repertum.",
        "Jl. Letjen S. Parman No. 1, Belimbing, Bontang Barat",
        "(0548) 3035650",
        ("Kepala Instalasi Rawat Jalan", "Psikolog Klinis"),
        channel="rumah-sakit",
    ),
    PartnerSpec(
        "Unit PPA Satreskrim Polres Bontang",
        "Unit PPA Polres",
        GOVERNMENT,
        ("perlindungan", "advokasi"),
        "police",
        NONE,
        VIOLENCE,
        "Penerimaan laporan dan penyidikan perkara kekerasan terhadap perempuan dan anak.",
        "Jl. Bhayangkara No. 1, Bontang Utara",
        "(0548) 3035110",
        ("Kanit PPA", "Penyidik Pembantu"),
        channel="polisi",
    ),
    PartnerSpec(
        "Pengadilan Agama Bontang",
        "PA Bontang",
        GOVERNMENT,
        ("informasi", "advokasi"),
        "court",
        NONE,
        MARRIAGE,
        "Perkara perceraian, hak asuh anak, dispensasi kawin; pos bantuan hukum (Posbakum).",
        "Jl. Bhayangkara, Bontang Utara",
        "(0548) 3035800",
        ("Panitera Muda Hukum", "Petugas Posbakum"),
    ),
    PartnerSpec(
        "Kantor Kementerian Agama Kota Bontang",
        "Kemenag Bontang (KUA)",
        GOVERNMENT,
        ("konseling", "edukasi"),
        "religion",
        EXPIRING,
        MARRIAGE,
        "Bimbingan perkawinan, mediasi keluarga oleh penyuluh agama, layanan KUA.",
        "Jl. Pupuk Raya, Gunung Elai, Bontang Utara",
        "(0548) 3035850",
        ("Kepala Seksi Bimas Islam", "Penyuluh Agama"),
    ),
    PartnerSpec(
        "SMP Negeri 1 Bontang",
        "SMPN 1 Bontang",
        GOVERNMENT,
        ("edukasi", "konseling"),
        "school",
        VALID,
        CHILDREN,
        "Pendampingan guru bimbingan konseling bagi murid dan keluarganya.",
        "Jl. Awang Long, Bontang Baru, Bontang Utara",
        "(0548) 3035901",
        ("Kepala Sekolah", "Guru BK"),
        channel="sekolah",
    ),
    PartnerSpec(
        "SMA Negeri 1 Bontang",
        "SMAN 1 Bontang",
        GOVERNMENT,
        ("edukasi", "konseling"),
        "school",
        EXPIRED,
        CHILDREN,
        "Pendampingan guru bimbingan konseling bagi murid dan keluarganya.",
        "Jl. Cut Nyak Dien, Api-Api, Bontang Utara",
        "(0548) 3035902",
        ("Wakil Kepala Sekolah Bidang Kesiswaan", "Guru BK"),
        channel="sekolah",
    ),
    PartnerSpec(
        "Dinas Pendidikan Kota Bontang",
        "Disdik Bontang",
        GOVERNMENT,
        ("edukasi", "pemberdayaan"),
        "education",
        NONE,
        CHILDREN,
        "Penempatan kembali anak putus sekolah, pendidikan kesetaraan, bantuan pendidikan.",
        "Jl. Moh. Roem, Bontang Lestari, Bontang Selatan",
        "(0548) 3035920",
        ("Kepala Bidang Pembinaan", "Pengawas Sekolah"),
    ),
    PartnerSpec(
        "Dinas Kesehatan Kota Bontang",
        "Dinkes Bontang",
        GOVERNMENT,
        ("informasi", "pendampingan"),
        "health_office",
        NONE,
        HEALTH,
        "Jaminan kesehatan (JKN PBI), program kesehatan jiwa dan lansia.",
        "Jl. Moh. Roem, Bontang Lestari, Bontang Selatan",
        "(0548) 3035930",
        ("Kepala Seksi Kesehatan Jiwa",),
    ),
    PartnerSpec(
        "Dinas Kependudukan dan Pencatatan Sipil Kota Bontang",
        "Disdukcapil Bontang",
        GOVERNMENT,
        ("informasi", "pendampingan"),
        "civil",
        VALID,
        POVERTY,
        "KTP, Kartu Keluarga, akta kelahiran, layanan jemput bola bagi warga rentan.",
        "Jl. Moh. Roem, Bontang Lestari, Bontang Selatan",
        "(0548) 3035940",
        ("Kepala Bidang Pelayanan", "Petugas Jemput Bola"),
    ),
    PartnerSpec(
        "BAZNAS Kota Bontang",
        "BAZNAS Bontang",
        COMMUNITY,
        ("pemberdayaan",),
        "charity",
        VALID,
        POVERTY,
        "Bantuan zakat konsumtif dan produktif, beasiswa, bantuan kesehatan.",
        "Jl. Pupuk Raya, Gunung Elai, Bontang Utara",
        "(0548) 3035960",
        ("Wakil Ketua Bidang Pendistribusian", "Staf Pelaksana"),
    ),
    PartnerSpec(
        "MUI Kota Bontang",
        "MUI Bontang",
        COMMUNITY,
        ("konseling", "edukasi"),
        "mui",
        NONE,
        MARRIAGE,
        "Konseling keagamaan dan pembinaan keluarga oleh para ulama.",
        "Masjid Agung Al-Hijrah, Jl. Jend. Sudirman, Bontang Utara",
        "(0548) 3035970",
        ("Ketua Komisi Pemberdayaan Perempuan, Remaja dan Keluarga",),
    ),
    PartnerSpec(
        "PT Badak NGL (CSR)",
        "PT Badak NGL",
        BUSINESS,
        ("pemberdayaan", "edukasi"),
        "csr",
        VALID,
        POVERTY + CHILDREN,
        "Program tanggung jawab sosial: pelatihan keterampilan, modal usaha, beasiswa.",
        "Jl. Raya Kawasan Industri, Satimpo, Bontang Selatan",
        "(0548) 552000",
        ("Staf CSR", "Koordinator Program Pemberdayaan"),
    ),
    PartnerSpec(
        "PT Pupuk Kalimantan Timur (CSR)",
        "PT Pupuk Kaltim",
        BUSINESS,
        ("pemberdayaan",),
        "csr",
        EXPIRED,
        POVERTY,
        "Program tanggung jawab sosial: usaha mikro binaan dan bantuan pendidikan.",
        "Jl. James Simandjuntak No. 1, Guntung, Bontang Utara",
        "(0548) 41202",
        ("Staf CSR",),
    ),
    PartnerSpec(
        "Karang Taruna Kota Bontang",
        "Karang Taruna",
        PSKS,
        ("penjangkauan", "pemberdayaan"),
        "community",
        NONE,
        CHILDREN + POVERTY,
        "Relawan muda untuk penjangkauan remaja dan kegiatan pemberdayaan di kelurahan.",
        "Jl. Jend. Sudirman, Bontang Utara",
        "",
        ("Ketua", "Sekretaris"),
        psks="karang-taruna",
    ),
    PartnerSpec(
        "Forum TKSK Kota Bontang",
        "Forum TKSK",
        PSKS,
        ("penjangkauan", "pendampingan"),
        "community",
        NONE,
        POVERTY,
        "Tenaga Kesejahteraan Sosial Kecamatan: pendataan, pendampingan bansos, kunjungan rumah.",
        "Jl. Moh. Roem, Bontang Lestari, Bontang Selatan",
        "",
        ("Koordinator",),
        psks="tksk",
    ),
    PartnerSpec(
        "LBH Bontang Bersatu",
        "LBH Bontang",
        COMMUNITY,
        ("advokasi", "pendampingan"),
        "legal",
        EXPIRING,
        VIOLENCE + MARRIAGE,
        "Bantuan hukum cuma-cuma bagi warga tidak mampu (pemberi bantuan hukum terakreditasi).",
        "Jl. Imam Bonjol, Bontang Baru, Bontang Utara",
        "",
        ("Direktur", "Advokat"),
    ),
)


def regency_partners(regency: Regency) -> tuple[PartnerSpec, ...]:
    """The generic network of an LK3 outside Bontang, named after its kab/kota."""
    name, short = regency.name, regency.short_name
    seat = regency.kecamatan[0].name if regency.kecamatan else short
    return (
        PartnerSpec(
            f"UPTD PPA {name}",
            "UPTD PPA",
            GOVERNMENT,
            ("pendampingan", "perlindungan", "konseling", "advokasi"),
            "ppa",
            VALID,
            VIOLENCE,
            "Layanan perlindungan perempuan dan anak korban kekerasan.",
            positions=("Kepala UPTD", "Konselor"),
            channel="uptd-ppa",
        ),
        PartnerSpec(
            f"Puskesmas {seat}",
            f"PKM {seat}",
            GOVERNMENT,
            ("konsultasi", "pendampingan"),
            "health",
            EXPIRING,
            HEALTH,
            "Pemeriksaan kesehatan dan kunjungan rumah.",
            positions=("Kepala Puskesmas",),
            channel="rumah-sakit",
        ),
        PartnerSpec(
            f"RSUD {short}",
            f"RSUD {short}",
            GOVERNMENT,
            ("konsultasi", "pendampingan"),
            "hospital",
            RENEWED,
            HEALTH + VIOLENCE,
            "Pelayanan medis rujukan dan poli jiwa.",
            positions=("Kepala Instalasi Rawat Jalan",),
            channel="rumah-sakit",
        ),
        PartnerSpec(
            f"Unit PPA Satreskrim Polres {short}",
            "Unit PPA Polres",
            GOVERNMENT,
            ("perlindungan", "advokasi"),
            "police",
            NONE,
            VIOLENCE,
            positions=("Kanit PPA",),
            channel="polisi",
        ),
        PartnerSpec(
            f"Pengadilan Agama {short}",
            f"PA {short}",
            GOVERNMENT,
            ("informasi", "advokasi"),
            "court",
            NONE,
            MARRIAGE,
            positions=("Petugas Posbakum",),
        ),
        PartnerSpec(
            f"Kantor Kementerian Agama {name}",
            f"Kemenag {short}",
            GOVERNMENT,
            ("konseling", "edukasi"),
            "religion",
            VALID,
            MARRIAGE,
            positions=("Penyuluh Agama",),
        ),
        PartnerSpec(
            f"SMA Negeri 1 {short}",
            f"SMAN 1 {short}",
            GOVERNMENT,
            ("edukasi", "konseling"),
            "school",
            EXPIRED,
            CHILDREN,
            positions=("Guru BK",),
            channel="sekolah",
        ),
        PartnerSpec(
            f"Dinas Pendidikan {name}",
            f"Disdik {short}",
            GOVERNMENT,
            ("edukasi",),
            "education",
            NONE,
            CHILDREN,
            positions=("Kepala Bidang Pembinaan",),
        ),
        PartnerSpec(
            f"Dinas Kependudukan dan Pencatatan Sipil {name}",
            f"Disdukcapil {short}",
            GOVERNMENT,
            ("informasi",),
            "civil",
            VALID,
            POVERTY,
            positions=("Kepala Bidang Pelayanan",),
        ),
        PartnerSpec(
            f"BAZNAS {name}",
            f"BAZNAS {short}",
            COMMUNITY,
            ("pemberdayaan",),
            "charity",
            NONE,
            POVERTY,
            positions=("Staf Pelaksana",),
        ),
        PartnerSpec(
            f"Karang Taruna {name}",
            "Karang Taruna",
            PSKS,
            ("penjangkauan", "pemberdayaan"),
            "community",
            NONE,
            CHILDREN,
            positions=("Ketua",),
            psks="karang-taruna",
        ),
        PartnerSpec(
            f"LBH {short}",
            f"LBH {short}",
            COMMUNITY,
            ("advokasi", "pendampingan"),
            "legal",
            EXPIRING,
            VIOLENCE + MARRIAGE,
            positions=("Advokat",),
        ),
    )


# -- texts (Indonesian data; reasons, notes and feedback are encrypted by their fields) --------

REASONS: dict[str, tuple[str, ...]] = {
    "ppa": (
        "Klien membutuhkan pendampingan hukum dan psikologis terkait kekerasan yang dialaminya.",
        "Mohon penjangkauan dan penilaian kebutuhan rumah aman bagi klien.",
        "Klien bersedia melapor; mohon pendampingan saat pemeriksaan di kepolisian.",
    ),
    "health": (
        "Mohon pemeriksaan kesehatan jiwa dan tindak lanjut oleh psikolog puskesmas.",
        "Klien perlu pemeriksaan kesehatan menyeluruh dan kunjungan rumah oleh perawat.",
        "Mohon pemantauan tumbuh kembang dan gizi anak klien.",
    ),
    "hospital": (
        "Mohon pemeriksaan dan penanganan lanjutan di poli jiwa.",
        "Klien membutuhkan pemeriksaan medis dan visum et repertum.",
        "Mohon rawat jalan dan pemantauan untuk ketergantungan zat.",
    ),
    "police": (
        "Klien ingin membuat laporan polisi dan meminta diperiksa oleh penyidik perempuan.",
        "Mohon perlindungan segera karena pelaku masih mengancam klien.",
    ),
    "court": (
        "Klien membutuhkan informasi prosedur gugatan cerai dan hak asuh anak.",
        "Mohon informasi perkara prodeo (pembebasan biaya perkara) bagi klien.",
    ),
    "religion": (
        "Pasangan membutuhkan bimbingan perkawinan dan mediasi oleh penyuluh agama.",
        "Mohon konseling keagamaan bagi keluarga klien.",
    ),
    "mui": (
        "Mohon pembinaan keluarga oleh tokoh agama yang dihormati keluarga klien.",
        "Keluarga meminta nasihat keagamaan dalam menyelesaikan perselisihan.",
    ),
    "school": (
        "Anak klien membutuhkan pendampingan guru BK agar tetap bersekolah.",
        "Mohon koordinasi dengan wali kelas terkait ketidakhadiran anak di sekolah.",
    ),
    "education": (
        "Anak putus sekolah membutuhkan jalur kembali bersekolah atau program kesetaraan.",
        "Mohon bantuan biaya pendidikan bagi anak klien.",
    ),
    "health_office": (
        "Mohon pendaftaran klien dan keluarganya sebagai peserta JKN PBI.",
        "Klien membutuhkan akses layanan kesehatan jiwa yang berkelanjutan.",
    ),
    "civil": (
        "Klien belum memiliki KTP dan Kartu Keluarga; mohon pelayanan administrasi kependudukan.",
        "Mohon penerbitan akta kelahiran bagi anak klien.",
    ),
    "charity": (
        "Keluarga klien membutuhkan bantuan kebutuhan pokok untuk sementara waktu.",
        "Mohon bantuan modal usaha kecil agar klien dapat menghidupi keluarganya.",
    ),
    "csr": (
        "Klien membutuhkan pelatihan keterampilan dan modal usaha melalui program CSR.",
        "Mohon dukungan beasiswa bagi anak klien.",
    ),
    "community": (
        "Mohon pendampingan keluarga klien di lingkungan tempat tinggalnya.",
        "Mohon kunjungan rumah berkala oleh relawan untuk memantau keadaan keluarga.",
    ),
    "legal": (
        "Klien membutuhkan bantuan hukum cuma-cuma untuk perkaranya.",
        "Mohon pendampingan hukum dalam sengketa hak asuh anak.",
    ),
}
CONTEXT_SENTENCES = (
    "Klien didampingi LK3 sejak {month}.",
    "Konselor penanggung jawab siap berkoordinasi bila ada pertanyaan.",
    "Klien sudah dijelaskan tujuan rujukan ini dan bersedia dihubungi.",
)
IN_REASONS = (
    "Keluarga membutuhkan konseling dan pendampingan psikososial lanjutan.",
    "Pasangan suami istri sering bertengkar; anak-anak terdampak dan perlu didampingi.",
    "Anak menunjukkan perubahan perilaku setelah orang tuanya berpisah.",
    "Keluarga miskin dengan masalah pengasuhan; mohon asesmen dan pendampingan.",
    "Korban membutuhkan pendampingan keluarga setelah penanganan awal selesai.",
)
FEEDBACK = (
    "Klien telah mengikuti {sessions} kali sesi pendampingan; kondisinya membaik dan tindak "
    "lanjut dikembalikan ke LK3.",
    "Layanan selesai diberikan. Klien dan keluarganya disarankan tetap mengikuti konseling di LK3.",
    "Pemeriksaan selesai; hasilnya sudah disampaikan kepada klien secara langsung.",
    "Bantuan sudah diterima keluarga klien; pemantauan selanjutnya oleh LK3.",
    "Klien hadir pada {sessions} kali pertemuan dan tujuan rujukan tercapai.",
)
ACCEPTED_NOTES = (
    "Klien dijadwalkan datang pada {date}.",
    "Petugas kami akan menghubungi klien minggu ini.",
    "",
)
IN_SERVICE_NOTES = ("Layanan dimulai; petugas pendamping sudah ditunjuk.", "")
REVOKE_REASONS = (
    "Klien memilih layanan lain yang lebih dekat dengan tempat tinggalnya.",
    "Keluarga menolak dirujuk setelah dijelaskan ulang.",
    "Rujukan dikirim ke mitra yang kurang tepat; akan dirujuk ulang.",
    "Kebutuhan klien sudah terpenuhi sebelum rujukan dijawab.",
)
# Plain columns: never case content, and never a sentence of an encrypted text.
DECLINE_REASONS = (
    "Di luar wilayah layanan kami.",
    "Kuota layanan bulan ini sudah penuh; mohon dirujuk kembali bulan depan.",
    "Layanan yang diminta tidak tersedia di unit kami.",
    "Persyaratan administrasi belum lengkap; mohon dilengkapi lalu dikirim ulang.",
)
IN_DECLINE_REASONS = (
    "Bukan ranah LK3; keluarga diarahkan ke Puskesos kelurahan.",
    "Keluarga sudah ditangani lembaga lain; tidak perlu layanan ganda.",
    "Data yang dirujuk tidak lengkap dan perujuk tidak dapat dihubungi.",
)
LEGAL_BASIS_NOTES = {
    LegalBasis.VITAL_INTEREST: (
        "Keselamatan klien terancam; rujukan segera tanpa menunggu persetujuan tertulis.",
    ),
    LegalBasis.LEGAL_OBLIGATION: (
        "Kewajiban melaporkan kekerasan terhadap anak (UU 35/2014 tentang Perlindungan Anak).",
        "Kewajiban penanganan korban kekerasan (UU 12/2022 tentang TPKS).",
    ),
}
FIELD_REPORTS = (
    "Warga melaporkan pertengkaran suami istri yang terdengar hampir setiap malam; anak-anak "
    "sering terlihat menangis di teras.",
    "Seorang nenek tinggal sendiri, jarang makan dan rumahnya tidak terurus; tetangga "
    "khawatir dengan kesehatannya.",
    "Anak usia sekolah terlihat berkeliaran di pasar pada jam sekolah selama dua minggu.",
    "Seorang ibu datang ke pos kamling dengan luka memar dan meminta pertolongan.",
    "Keluarga dengan empat anak kehilangan penghasilan setelah ayahnya diberhentikan dari "
    "pekerjaan; mereka terancam keluar dari kontrakan.",
    "Remaja putri kabarnya akan dinikahkan setelah lulus SMP; ibunya meminta saran.",
    "Seorang bapak diduga kecanduan judi daring dan menjual barang-barang rumah.",
    "Anak balita sering ditinggal sendirian di rumah sampai malam.",
)
DONE_NOTES = (
    "Keluarga sudah ditangani Puskesos kelurahan; tidak perlu kasus baru.",
    "Setelah dikunjungi, keadaan keluarga sudah membaik dan tidak membutuhkan layanan LK3.",
    "Warga yang dilaporkan sudah pindah ke luar kota.",
)
FIELD_OPENINGS = ("Laporan ketua RT setempat: ", "Hasil patroli sambang: ", "", "")
RISK_WORDS = {"low": "rendah", "medium": "sedang", "high": "tinggi", "urgent": "mendesak"}
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
SLRT_NAMES = ("SLRT/Puskesos {town}", "Dinas Sosial {other}")


def _month(day: datetime.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def _date(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# -- tallies ---------------------------------------------------------------------------------


@dataclass
class ReferralTally:
    partners: int = 0
    agreements: int = 0
    contacts: int = 0
    partner_staff: int = 0
    field_officers: int = 0
    consents: int = 0
    events: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_direction: Counter[str] = field(default_factory=Counter)
    overdue: int = 0
    field_reports: Counter[str] = field(default_factory=Counter)
    by_lk3: Counter[str] = field(default_factory=Counter)

    @property
    def referrals(self) -> int:
        return sum(self.by_direction.values())

    @property
    def reports(self) -> int:
        return sum(self.field_reports.values())


# -- the LK3's data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    id: int
    client_id: int
    opened_on: datetime.date
    closed_on: datetime.date | None
    status: str
    lead_id: int | None
    risk: str
    kelurahan: str | None
    channel: str
    referrer_name: str
    referrer_contact: str

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


@dataclass
class PartnerRow:
    id: int
    spec: PartnerSpec
    services: list[int]
    agreements: list[tuple[datetime.date, datetime.date]]
    staff_id: int | None = None

    def open_on(self, day: datetime.date) -> bool:
        """Whether a referral may go to the partner on ``day`` (no agreement, or one valid)."""
        if not self.agreements:
            return True
        return any(start <= day <= end for start, end in self.agreements)


@dataclass
class Officer:
    id: int
    full_name: str
    kelurahan: list[str]


@dataclass
class Network:
    organisation: Organisation
    regency: Regency
    today: datetime.date
    zone: datetime.tzinfo
    partners: list[PartnerRow]
    officers: list[Officer]
    coordinator_id: int
    intake_id: int
    services: dict[str, int]
    problem_names: dict[str, str]
    other_regencies: list[str]


def _fixed_offset(name: str) -> datetime.tzinfo:
    offset = ZoneInfo(name).utcoffset(datetime.datetime(2026, 1, 1))
    assert offset is not None
    return datetime.timezone(offset, name)


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _public_ids(model: type[Model], public_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    found: dict[uuid.UUID, int] = {}
    for chunk in _chunks(public_ids, 900):
        found.update(
            model._default_manager.filter(public_id__in=chunk)
            .order_by()
            .values_list("public_id", "id")
        )
    return found


# -- the directory and accounts -----------------------------------------------------------------


def _agreement_dates(
    rng: random.Random, state: str, today: datetime.date
) -> list[tuple[str, datetime.date, datetime.date]]:
    days = datetime.timedelta
    if state == NONE:
        return []
    if state == VALID:
        start = today - days(rng.randrange(100, 600))
        return [(AgreementKind.MOU, start, start + days(365 * 3 - 1))]
    if state == EXPIRING:
        end = today + days(rng.randrange(10, WARNING_DAYS - 5))
        return [(AgreementKind.PKS, end - days(365 * 2 - 1), end)]
    if state == EXPIRED:
        end = today - days(rng.randrange(30, 300))
        return [(AgreementKind.MOU, end - days(365 * 3 - 1), end)]
    # renewed: an MoU that ended and the PKS that followed it
    end = today - days(rng.randrange(60, 400))
    return [
        (AgreementKind.MOU, end - days(365 * 3 - 1), end),
        (AgreementKind.PKS, end + days(1), end + days(365 * 3)),
    ]


def _person_name(rng: random.Random, mix: Weighted[Any], *, female: bool | None = None) -> str:
    if female is None:
        female = rng.random() < 0.5
    return names.full_name(
        rng,
        ethnicity=mix.pick(rng),
        sex=names.FEMALE if female else names.MALE,
        birth_year=rng.randrange(1968, 1998),
    )


def _mix(regency: Regency) -> Weighted[Any]:
    return Weighted(
        {
            names.ETHNICITIES[key]: share
            for key, share in names.mix_for_regency(regency.code).items()
        }
    )


def directory_create(
    *, organisation: Organisation, regency: Regency, rng: random.Random, today: datetime.date
) -> tuple[int, int, int]:
    """The LK3's partners with services, service area, contacts and agreements; its settings."""
    ReferralSettings.objects.get_or_create(
        organisation=organisation,
        defaults={"answer_days": ANSWER_DAYS, "agreement_warning_days": WARNING_DAYS},
    )
    specs = BONTANG_PARTNERS if regency.code == BONTANG else regency_partners(regency)
    services = dict(ServiceType.objects.values_list("code", "id"))
    psks = dict(PsksCategory.objects.values_list("code", "id"))
    mix = _mix(regency)
    since = datetime.datetime.combine(
        today - datetime.timedelta(days=PARTNERS_SINCE_DAYS),
        datetime.time(9),
        tzinfo=_fixed_offset(organisation.time_zone),
    )
    tag = slugify(regency.short_name)[:3].upper()
    contacts_made = agreements_made = 0
    for number, spec in enumerate(specs, start=1):
        partner = Partner(
            public_id=uuid_from(rng),
            organisation=organisation,
            name=spec.name,
            short_name=spec.short_name,
            kind=spec.kind,
            psks_category_id=psks.get(spec.psks),
            description=spec.description,
            address=spec.address or f"{regency.name}",
            phone=spec.phone,
        )
        partner.save()
        Partner.objects.filter(pk=partner.pk).update(created_at=since, updated_at=since)
        partner.services.set([services[code] for code in spec.services if code in services])
        if spec.villages:
            partner.service_area.set(Region.objects.filter(code__in=spec.villages))
        people = [
            PartnerContact(
                partner=partner,
                name=_person_name(rng, mix),
                position=position,
                phone=contacts.mobile_number(rng),
            )
            for position in spec.positions
        ]
        PartnerContact.objects.bulk_create(people)
        contacts_made += len(people)
        dated = _agreement_dates(rng, spec.agreement, today)
        Agreement.objects.bulk_create(
            [
                Agreement(
                    public_id=uuid_from(rng),
                    partner=partner,
                    kind=kind,
                    number=f"{number:03d}/{kind.upper()}/LK3-{tag}/{start.year}",
                    title=f"Kerja sama layanan rujukan dan pendampingan keluarga dengan {spec.name}",
                    valid_from=start,
                    valid_until=end,
                )
                for kind, start, end in dated
            ]
        )
        agreements_made += len(dated)
    return len(specs), contacts_made, agreements_made


def partner_staff_link(*, organisation: Organisation, today: datetime.date) -> int:
    """The demo partner account works for Bontang's UPTD PPA."""
    user = User.objects.filter(
        username=DEMO_PARTNER_ACCOUNT, role=Role.PARTNER, organisation=organisation
    ).first()
    partner = Partner.objects.filter(organisation=organisation, name=DEMO_PARTNER).first()
    if user is None or partner is None or PartnerMember.objects.filter(user=user).exists():
        return 0
    member = PartnerMember.objects.create(
        partner=partner, user=user, added_on=today - datetime.timedelta(days=200)
    )
    audit_record(
        actor=None,
        action=actions.PARTNER_STAFF_LINKED,
        target=member,
        organisation=organisation,
        changes={"user": [None, user.username], "partner": [None, partner.name]},
    )
    return 1


def field_officers_create(
    *, organisation: Organisation, regency: Regency, rng: random.Random
) -> int:
    """Accounts for a few board members of the kelurahan network (one per function)."""
    slug = slugify(regency.short_name)
    members = (
        BoardMember.objects.filter(
            organisation=organisation,
            is_active=True,
            user__isnull=True,
            function__in=FIELD_FUNCTIONS,
        )
        .order_by("full_name", "id")
        .prefetch_related("kelurahan")
    )
    by_function: dict[str, list[BoardMember]] = defaultdict(list)
    for member in members:
        if member.kelurahan.all():
            by_function[member.function].append(member)
    already = User.objects.filter(
        organisation=organisation, role=Role.FIELD_OFFICER, is_active=True
    ).exists()
    wanted = [f for f in EXTRA_FIELD_OFFICERS if not (already and f == Function.BHABINKAMTIBMAS)]
    created = 0
    for number, function in enumerate(wanted, start=1):
        candidates = by_function[function]
        if not candidates:
            continue
        member = pick(rng, candidates)
        username = f"{slug}.lapangan{number:02d}"
        if User.objects.filter(username=username).exists():
            continue
        kelurahan = list(member.kelurahan.all())
        user = user_create(
            actor=None,
            username=username,
            full_name=member.full_name,
            role=Role.FIELD_OFFICER,
            organisation=organisation,
            password=None,
            phone=member.phone,
            kelurahan=kelurahan,
        )
        BoardMember.objects.filter(pk=member.pk).update(user=user)
        audit_record(
            actor=None,
            action=actions.BOARD_MEMBER_UPDATED,
            target=member,
            organisation=organisation,
            changes={"user": [None, user.username]},
        )
        created += 1
    return created


def _network_load(
    *,
    organisation: Organisation,
    regency: Regency,
    catalogue: RegionCatalogue,
    today: datetime.date,
) -> Network:
    partners = []
    staff = dict(
        PartnerMember.objects.filter(partner__organisation=organisation)
        .order_by("id")
        .values_list("partner_id", "user_id")
    )
    services: dict[int, list[int]] = defaultdict(list)
    for partner_id, service_id in Partner.services.through.objects.filter(
        partner__organisation=organisation
    ).values_list("partner_id", "servicetype_id"):
        services[partner_id].append(service_id)
    agreements: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    for partner_id, start, end in Agreement.objects.filter(
        partner__organisation=organisation
    ).values_list("partner_id", "valid_from", "valid_until"):
        agreements[partner_id].append((start, end))
    specs = {
        spec.name: spec
        for spec in (BONTANG_PARTNERS if regency.code == BONTANG else regency_partners(regency))
    }
    for partner_id, name in (
        Partner.objects.filter(organisation=organisation).order_by("id").values_list("id", "name")
    ):
        if name in specs:
            partners.append(
                PartnerRow(
                    partner_id,
                    specs[name],
                    sorted(services[partner_id]),
                    agreements[partner_id],
                    staff.get(partner_id),
                )
            )
    officers = [
        Officer(user.pk, user.full_name, sorted(region.code for region in user.kelurahan.all()))
        for user in User.objects.filter(
            organisation=organisation, role=Role.FIELD_OFFICER, is_active=True
        )
        .order_by("username")
        .prefetch_related("kelurahan")
    ]
    workers = User.objects.filter(organisation=organisation, is_active=True).order_by("username")
    coordinator = workers.filter(role=Role.COORDINATOR).values_list("id", flat=True).first()
    intake = workers.filter(role=Role.INTAKE).values_list("id", flat=True).first()
    if coordinator is None:
        raise LookupError("no coordinator to record referrals")
    return Network(
        organisation=organisation,
        regency=regency,
        today=today,
        zone=_fixed_offset(organisation.time_zone),
        partners=partners,
        officers=officers,
        coordinator_id=coordinator,
        intake_id=intake or coordinator,
        services=dict(ServiceType.objects.values_list("code", "id")),
        problem_names=dict(ProblemType.objects.values_list("code", "name")),
        other_regencies=[
            r.name
            for code, r in sorted(catalogue.regencies.items())
            if code.startswith("64.") and code != regency.code
        ],
    )


def _cases_load(organisation: Organisation) -> tuple[list[CaseRow], dict[int, list[str]]]:
    rows = [
        CaseRow(*cast(tuple[Any, ...], row))
        for row in Case.objects.filter(organisation=organisation, stranded_group__isnull=True)
        .order_by("year", "sequence", "id")
        .values_list(
            "id",
            "client_id",
            "opened_on",
            "closed_on",
            "status",
            "lead_counsellor_id",
            "risk_level",
            "kelurahan_id",
            "intake_channel__code",
            "referrer_name",
            "referrer_contact",
        )
    ]
    problems: dict[int, list[str]] = defaultdict(list)
    through = Case.problem_types.through
    for case_id, code in (
        through.objects.filter(case__organisation=organisation)
        .order_by("case_id", "problemtype__sort_order")
        .values_list("case_id", "problemtype__code")
    ):
        problems[case_id].append(code)
    return rows, problems


@dataclass(frozen=True)
class Client:
    full_name: str
    birth_date: datetime.date | None
    sex: str
    address: str
    village: str | None
    nik: str
    phone: str


def _clients_load(person_ids: Sequence[int]) -> dict[int, Client]:
    phones: dict[int, str] = {}
    found: dict[int, Client] = {}
    for chunk in _chunks(sorted(set(person_ids)), 900):
        for person_id, number in (
            PersonPhone.objects.filter(person_id__in=chunk)
            .order_by("-id")
            .values_list("person_id", "number")
        ):
            phones[person_id] = number
        for person in Person.objects.filter(id__in=chunk).only(
            "id", "full_name", "birth_date", "sex", "address", "domicile_village_id", "nik"
        ):
            found[person.pk] = Client(
                person.full_name,
                person.birth_date,
                person.sex,
                person.address,
                person.domicile_village_id,
                person.nik,
                phones.get(person.pk, ""),
            )
    return found


# -- referrals --------------------------------------------------------------------------------


@dataclass
class Drawn:
    """One referral's rows, before its number and ids are known."""

    sent_at: datetime.datetime
    referral: dict[str, Any]
    events: list[dict[str, Any]]
    consent: dict[str, Any] | None = None


class ReferralBuilder:
    def __init__(
        self,
        rng: random.Random,
        network: Network,
        clients: Mapping[int, Client],
        problems: Mapping[int, list[str]],
    ) -> None:
        self.rng = rng
        self.network = network
        self.clients = clients
        self.problems = problems
        self.yesterday = network.today - datetime.timedelta(days=1)
        self.mix = _mix(network.regency)

    # time
    def at(self, day: datetime.date, after: datetime.datetime | None = None) -> datetime.datetime:
        moment = datetime.datetime.combine(
            day,
            datetime.time(8 + int(self.rng.random() * 8), int(self.rng.random() * 60)),
            tzinfo=self.network.zone,
        )
        if after is not None and moment <= after:
            moment = after + datetime.timedelta(minutes=20 + int(self.rng.random() * 90))
        return moment

    def _path(self, status: str) -> list[str]:
        if status == S.SENT:
            return [S.SENT]
        if status == S.RECEIVED:
            return [S.SENT, S.RECEIVED]
        if status == S.ACCEPTED:
            return [S.SENT, *([S.RECEIVED] if self.rng.random() < 0.6 else []), S.ACCEPTED]
        if status == S.DECLINED:
            return [S.SENT, *([S.RECEIVED] if self.rng.random() < 0.5 else []), S.DECLINED]
        if status in (S.IN_SERVICE, S.COMPLETED):
            before = self._path(S.ACCEPTED)
            return [*before, S.IN_SERVICE, *([S.COMPLETED] if status == S.COMPLETED else [])]
        # revoked from wherever the referral had got to
        reached = pick(self.rng, (S.SENT, S.SENT, S.RECEIVED, S.ACCEPTED, S.IN_SERVICE))
        return [*self._path(reached), S.REVOKED]

    def _days(
        self, path: Sequence[str], case: CaseRow, status: str, *, required: bool
    ) -> list[datetime.date] | None:
        """The day of each step, inside the case's life (None when it cannot fit).

        The required referral sent is not yet due; the required received one is overdue.
        """
        steps = [0]
        for target in path[1:]:
            low, high = STEP_DAYS[target]
            steps.append(steps[-1] + self.rng.randrange(low, high + 1))
        first = case.opened_on + datetime.timedelta(days=min(7, int(self.rng.random() * 10)))
        end = case.closed_on or self.yesterday
        end = min(end, self.yesterday)
        if first > end:
            first = case.opened_on
        if first > end:
            return None
        span = steps[-1]
        if required and status in REQUIRED_AGO:
            last = self.yesterday - datetime.timedelta(days=REQUIRED_AGO[status])
        elif status in RECENT_DAYS:
            last = self.yesterday - datetime.timedelta(
                days=int(self.rng.random() * RECENT_DAYS[status])
            )
        else:
            room = (end - first).days - span
            last = first + datetime.timedelta(days=span + int(self.rng.random() * max(room, 0)))
        last = min(max(last, first), end)
        start = last - datetime.timedelta(days=span)
        if start < first:
            available = (last - first).days
            steps = [step * available // span if span else 0 for step in steps]
            start = first
        return [start + datetime.timedelta(days=step) for step in steps]

    def _partner(self, case: CaseRow, day: datetime.date, *, required: bool) -> PartnerRow | None:
        codes = set(self.problems.get(case.id, ()))
        open_partners = [p for p in self.network.partners if p.open_on(day)]
        with_staff = [p for p in open_partners if p.staff_id is not None]
        if required and with_staff:
            return pick(self.rng, with_staff)
        suited = [p for p in open_partners if codes & set(p.spec.topics)]
        choices = suited or open_partners
        return pick(self.rng, choices) if choices else None

    def _shared(self, case: CaseRow) -> list[str]:
        items = [SharedItem.NAME, SharedItem.BIRTH_DATE, SharedItem.SEX]
        extra = (
            (SharedItem.CONTACT, 0.6),
            (SharedItem.ADDRESS, 0.35),
            (SharedItem.NIK, 0.15),
            (SharedItem.PROBLEM, 0.5),
            (SharedItem.RISK, 0.5 if case.risk in ("high", "urgent") else 0.15),
        )
        items += [item for item, share in extra if self.rng.random() < share]
        return [str(item) for item in items]

    def snapshot(self, client: Client, items: Sequence[str], case: CaseRow) -> str:
        """What the partner is told: exactly the shared items, as they stood when sent."""
        lines = []
        for item in items:
            if item == SharedItem.NAME:
                lines.append(f"Nama: {client.full_name}")
            elif item == SharedItem.BIRTH_DATE:
                if client.birth_date is None:
                    lines.append("Tanggal lahir: tidak diketahui")
                else:
                    age = _age(client.birth_date, self.network.today)
                    lines.append(f"Tanggal lahir: {_date(client.birth_date)} ({age} tahun)")
            elif item == SharedItem.SEX:
                sex = "Perempuan" if client.sex == Sex.FEMALE else "Laki-laki"
                lines.append(f"Jenis kelamin: {sex}")
            elif item == SharedItem.CONTACT:
                lines.append(f"Nomor HP: {client.phone or '-'}")
            elif item == SharedItem.ADDRESS:
                lines.append(f"Alamat: {client.address or '-'}")
            elif item == SharedItem.NIK:
                lines.append(f"NIK: {client.nik or 'belum memiliki NIK'}")
            elif item == SharedItem.PROBLEM:
                problems = [
                    self.network.problem_names.get(code, code)
                    for code in self.problems.get(case.id, ())
                ]
                lines.append(f"Masalah: {', '.join(problems) or '-'}")
            elif item == SharedItem.RISK:
                lines.append(f"Tingkat risiko: {RISK_WORDS.get(case.risk, case.risk)}")
        return "\n".join(lines)

    def _consent(
        self, case: CaseRow, client: Client, sent_on: datetime.date, by: int
    ) -> dict[str, Any]:
        given_on = max(
            case.opened_on, sent_on - datetime.timedelta(days=int(self.rng.random() * 10))
        )
        child = (
            client.birth_date is not None and _age(client.birth_date, given_on) < CHILD_AGE_LIMIT
        )
        given_by = (
            (ConsentGiver.PARENT if self.rng.random() < 0.85 else ConsentGiver.GUARDIAN)
            if child
            else ConsentGiver.SELF
        )
        method = pick(
            self.rng,
            (ConsentMethod.WRITTEN,) * 6 + (ConsentMethod.THUMBPRINT, ConsentMethod.ORAL),
        )
        moment = self.at(given_on)
        return {
            "public_id": uuid_from(self.rng),
            "created_at": moment,
            "updated_at": moment,
            "version": 1,
            "person_id": case.client_id,
            "purpose": ConsentPurpose.DATA_SHARING,
            "given_by": given_by,
            "giver_name": "" if given_by == ConsentGiver.SELF else _person_name(self.rng, self.mix),
            "giver_person_id": None,
            "method": method,
            "given_on": given_on,
            "recorded_by_id": by,
            "withdrawn_on": None,
            "note": "",
        }

    def _event(
        self, at: datetime.datetime, source: str, target: str, by: int, note: str = ""
    ) -> dict[str, Any]:
        return {"from_status": source, "to_status": target, "at": at, "by_id": by, "note": note}

    def _row(self, **fields: Any) -> dict[str, Any]:
        row: dict[str, Any] = {
            "public_id": uuid_from(self.rng),
            "version": 1,
            "organisation_id": self.network.organisation.pk,
            "number": "",
            "case_id": None,
            "person_id": None,
            "partner_id": None,
            "service_id": None,
            "referrer_name": "",
            "referrer_contact": "",
            "external_reference": "",
            "client_name": "",
            "client_nik": "",
            "client_birth_date": None,
            "client_sex": "",
            "send_token": None,
            "shared_items": [],
            "shared_summary": "",
            "legal_basis": "",
            "legal_basis_note": "",
            "consent_id": None,
            "first_answer_at": None,
            "closed_at": None,
            "decline_reason": "",
            "feedback": "",
        }
        row.update(fields)
        row["created_at"] = row["sent_at"]
        return row

    def out(self, case: CaseRow, status: str, *, required: bool = False) -> Drawn | None:
        """A referral out of ``case`` now at ``status``.

        ``required``: one of the first of the LK3, which go to the partner with staff accounts.
        """
        path = self._path(status)
        days = self._days(path, case, status, required=required)
        if days is None:
            return None
        partner = self._partner(case, days[0], required=required)
        client = self.clients.get(case.client_id)
        if partner is None or client is None:
            return None
        worker = case.lead_id or self.network.coordinator_id
        answerer = partner.staff_id or worker
        moments: list[datetime.datetime] = []
        for day in days:
            moments.append(self.at(day, moments[-1] if moments else None))
        events = [self._event(moments[0], "", S.SENT, worker)]
        first_answer = None
        feedback = ""
        for index in range(1, len(path)):
            source, target, moment = path[index - 1], path[index], moments[index]
            note = ""
            by = answerer
            if target == S.ACCEPTED:
                note = pick(self.rng, ACCEPTED_NOTES).format(
                    date=_date(days[index] + datetime.timedelta(days=2))
                )
            elif target == S.IN_SERVICE:
                note = pick(self.rng, IN_SERVICE_NOTES)
            elif target == S.COMPLETED:
                feedback = pick(self.rng, FEEDBACK).format(sessions=2 + int(self.rng.random() * 6))
                note = feedback
            elif target == S.REVOKED:
                note = pick(self.rng, REVOKE_REASONS)
                by = worker
            if target != S.REVOKED and first_answer is None:
                first_answer = moment
            events.append(self._event(moment, source, target, by, note))
        final = path[-1]
        items = self._shared(case)
        sent_on = days[0]
        consent = None
        if self.rng.random() < 0.8:
            basis, note = LegalBasis.CONSENT, ""
            consent = self._consent(case, client, sent_on, worker)
        else:
            basis = (
                LegalBasis.VITAL_INTEREST
                if case.risk in ("high", "urgent")
                else LegalBasis.LEGAL_OBLIGATION
            )
            note = pick(self.rng, LEGAL_BASIS_NOTES[basis])
        reasons = REASONS.get(partner.spec.need, REASONS["community"])
        reason = " ".join(
            (
                pick(self.rng, reasons),
                pick(self.rng, CONTEXT_SENTENCES).format(month=_month(case.opened_on)),
            )
        )
        service_ids = partner.services or [self.network.services["rujukan"]]
        row = self._row(
            direction=Direction.OUT,
            case_id=case.id,
            person_id=case.client_id,
            partner_id=partner.id,
            service_id=pick(self.rng, service_ids),
            reason=reason,
            shared_items=items,
            shared_summary=self.snapshot(client, items, case),
            legal_basis=basis,
            legal_basis_note=note,
            status=final,
            sent_at=moments[0],
            answer_due_on=sent_on + datetime.timedelta(days=ANSWER_DAYS),
            first_answer_at=first_answer,
            closed_at=moments[-1] if final in (S.DECLINED, S.COMPLETED, S.REVOKED) else None,
            decline_reason=pick(self.rng, DECLINE_REASONS) if final == S.DECLINED else "",
            feedback=feedback,
            created_by_id=worker,
            updated_at=moments[-1],
        )
        return Drawn(moments[0], row, events, consent)

    def _agency(self, case: CaseRow | None) -> tuple[PartnerRow | None, str, str]:
        channel = case.channel if case is not None else pick(self.rng, AGENCY_CHANNELS)
        partners = [p for p in self.network.partners if p.spec.channel == channel]
        if partners:
            partner = pick(self.rng, partners)
            return partner, "", ""
        town = self.network.regency.short_name
        other = pick(self.rng, self.network.other_regencies or [town])
        name = (case.referrer_name if case is not None else "") or pick(
            self.rng, SLRT_NAMES
        ).format(town=town, other=other)
        contact = (case.referrer_contact if case is not None else "") or contacts.mobile_number(
            self.rng
        )
        return None, name, contact

    def incoming(self, kind: str, case: CaseRow | None) -> Drawn | None:
        desk = self.network.intake_id
        if kind == "accepted":
            assert case is not None
            client = self.clients.get(case.client_id)
            if client is None:
                return None
            opened = self.at(case.opened_on)
            sent_on = case.opened_on - datetime.timedelta(days=int(self.rng.random() * 4))
            sent = self.at(sent_on) if sent_on < case.opened_on else opened
            if sent >= opened:
                sent = opened - datetime.timedelta(hours=2)
            received = sent + datetime.timedelta(minutes=30)
            accepted = max(opened, received + datetime.timedelta(minutes=10))
            events = [
                self._event(received, "", S.RECEIVED, desk),
                self._event(accepted, S.RECEIVED, S.ACCEPTED, desk),
            ]
            status, closed_at, decline = S.ACCEPTED, None, ""
            client_name = client.full_name
            birth_date, sex = client.birth_date, client.sex
            nik = client.nik if self.rng.random() < 0.6 else ""
            fields: dict[str, Any] = {"case_id": case.id, "person_id": case.client_id}
        else:
            sent_on = self.yesterday - datetime.timedelta(
                days=int(self.rng.random() * (8 if kind == "waiting" else 120))
            )
            sent = self.at(sent_on)
            received = sent + datetime.timedelta(minutes=30)
            events = [self._event(received, "", S.RECEIVED, desk)]
            status, closed_at, decline = S.RECEIVED, None, ""
            if kind == "declined":
                done = self.at(sent_on + datetime.timedelta(days=1), received)
                events.append(self._event(done, S.RECEIVED, S.DECLINED, desk))
                status, closed_at, decline = S.DECLINED, done, pick(self.rng, IN_DECLINE_REASONS)
            female = self.rng.random() < 0.6
            client_name = _person_name(self.rng, self.mix, female=female)
            sex = Sex.FEMALE if female else Sex.MALE
            birth_date = sent_on - datetime.timedelta(days=int(365.25 * self.rng.randrange(8, 70)))
            nik = ""
            fields = {}
        partner, name, contact = self._agency(case)
        row = self._row(
            direction=Direction.IN,
            partner_id=partner.id if partner else None,
            referrer_name=name,
            referrer_contact=contact,
            external_reference=(
                f"{100 + int(self.rng.random() * 800)}/{self.network.regency.short_name[:3].upper()}"
                f"/{sent.year}"
            ),
            client_name=client_name,
            client_nik=nik,
            client_birth_date=birth_date,
            client_sex=sex,
            reason=pick(self.rng, IN_REASONS),
            service_id=self.network.services.get("konseling"),
            status=status,
            sent_at=sent,
            answer_due_on=sent.date() + datetime.timedelta(days=ANSWER_DAYS),
            first_answer_at=received,
            closed_at=closed_at,
            decline_reason=decline,
            created_by_id=desk,
            updated_at=events[-1]["at"],
            **fields,
        )
        return Drawn(sent, row, events)


def _age(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _referrals_draw(
    rng: random.Random,
    network: Network,
    cases: Sequence[CaseRow],
    problems: Mapping[int, list[str]],
) -> list[Drawn]:
    """The LK3's referrals in order of sending, numbered; the cases are chosen first."""
    total = round(len(cases) / CASES_PER_REFERRAL)
    if not total or not network.partners:
        return []
    incoming = max(len(IN_KINDS), round(total * IN_SHARE)) if total >= 10 else 0
    outgoing = total - incoming
    order = list(range(len(cases)))
    rng.shuffle(order)
    agency = [case for case in cases if case.channel in AGENCY_CHANNELS]
    in_kinds = list(IN_KINDS)[:incoming] + [
        IN_WEIGHTS.pick(rng) for _ in range(incoming - len(IN_KINDS))
    ]
    accepted = rng.sample(agency, min(in_kinds.count("accepted"), len(agency)))
    used = {case.id for case in accepted}
    chosen: list[tuple[CaseRow, str, bool]] = []
    # Every status first, from open cases, to the partner with staff accounts (the demo
    # partner's inbox has them all); then the rest as the case allows.
    open_cases = (cases[index] for index in order if cases[index].is_open)
    for status in OUT_REQUIRED[: min(outgoing, len(OUT_REQUIRED))]:
        case = next((c for c in open_cases if c.id not in used), None)
        if case is None:
            break
        used.add(case.id)
        chosen.append((case, status, True))
    for index in order:
        if len(chosen) >= outgoing:
            break
        case = cases[index]
        if case.id in used:
            continue
        used.add(case.id)
        weights = OPEN_CASE_STATUSES if case.is_open else CLOSED_CASE_STATUSES
        chosen.append((case, weights.pick(rng), False))
    clients = _clients_load(
        [case.client_id for case, *_ in chosen] + [c.client_id for c in accepted]
    )
    builder = ReferralBuilder(rng, network, clients, problems)
    drawn = [
        item
        for case, status, required in chosen
        if (item := builder.out(case, status, required=required)) is not None
    ]
    for kind in in_kinds:
        case = accepted.pop() if kind == "accepted" and accepted else None
        item = builder.incoming("waiting" if kind == "accepted" and case is None else kind, case)
        if item is not None:
            drawn.append(item)
    drawn.sort(key=lambda item: (item.sent_at, str(item.referral["public_id"])))
    counters: Counter[int] = Counter()
    for item in drawn:
        year = item.sent_at.astimezone(network.zone).year
        counters[year] += 1
        item.referral["number"] = NUMBER_FORMAT.format(year=year, sequence=counters[year])
    return drawn


def _referrals_write(batch: Sequence[Drawn]) -> None:
    with transaction.atomic():
        consents = [item.consent for item in batch if item.consent is not None]
        bulk_insert(Consent, consents)
        consent_ids = _public_ids(Consent, [row["public_id"] for row in consents])
        rows = []
        for item in batch:
            row = dict(item.referral)
            row["consent_id"] = (
                consent_ids[item.consent["public_id"]] if item.consent is not None else None
            )
            rows.append(row)
        bulk_insert(Referral, rows)
        ids = _public_ids(Referral, [row["public_id"] for row in rows])
        bulk_insert(
            ReferralEvent,
            [
                {**event, "referral_id": ids[item.referral["public_id"]]}
                for item in batch
                for event in item.events
            ],
        )


def _counters_write(organisation: Organisation, drawn: Sequence[Drawn]) -> None:
    last: dict[int, int] = {}
    for item in drawn:
        _prefix, year, sequence = item.referral["number"].split("-")
        last[int(year)] = max(last.get(int(year), 0), int(sequence))
    for year, sequence in sorted(last.items()):
        counter, _created = ReferralNumberCounter.objects.get_or_create(
            organisation=organisation, year=year
        )
        if counter.last < sequence:
            counter.last = sequence
            counter.save(update_fields=["last"])


# -- field reports -----------------------------------------------------------------------------


def _field_reports_draw(
    rng: random.Random, network: Network, cases: Sequence[CaseRow]
) -> list[dict[str, Any]]:
    total = round(len(cases) / CASES_PER_FIELD_REPORT)
    if not total or not network.officers:
        return []
    villages = [place.code for place in network.regency.all_villages()]
    demo = [o for o in network.officers if o.id in _demo_officer_ids()]
    required = [FieldReportStatus.RECEIVED, FieldReportStatus.HANDLED, FieldReportStatus.DONE]
    plan: list[tuple[Officer, str]] = []
    first = demo[0] if demo else network.officers[0]
    plan += [(first, status) for status in required[: min(total, len(required))]]
    while len(plan) < total:
        plan.append((pick(rng, network.officers), FIELD_STATUSES.pick(rng)))
    field_cases = [case for case in cases if case.channel in FIELD_CHANNELS] or list(cases)
    by_referrer: dict[str, list[CaseRow]] = defaultdict(list)
    for row in field_cases:
        by_referrer[row.referrer_name.split(",")[0]].append(row)
    used: set[int] = set()
    # Cases in a shuffled order per state, each taken once: no scan per report.
    shuffled = list(field_cases)
    rng.shuffle(shuffled)
    queues = {state: iter([c for c in shuffled if c.is_open == state]) for state in (True, False)}
    client_ids: list[int] = []
    picks: list[tuple[Officer, str, CaseRow | None]] = []
    for officer, status in plan:
        case: CaseRow | None = None
        if status != FieldReportStatus.RECEIVED and not (
            status == FieldReportStatus.DONE and rng.random() < 0.25
        ):
            wanted_open = status == FieldReportStatus.HANDLED
            own = [
                c
                for c in by_referrer.get(officer.full_name, ())
                if c.id not in used and c.is_open == wanted_open
            ]
            case = (
                pick(rng, own)
                if own
                else next((c for c in queues[wanted_open] if c.id not in used), None)
            )
            if case is not None:
                used.add(case.id)
                client_ids.append(case.client_id)
            elif status == FieldReportStatus.HANDLED:
                status = FieldReportStatus.RECEIVED
        picks.append((officer, status, case))
    clients = _clients_load(client_ids)
    mix = _mix(network.regency)
    yesterday = network.today - datetime.timedelta(days=1)
    rows = []
    for officer, status, case in picks:
        if case is not None:
            reported_on = case.opened_on - datetime.timedelta(days=int(rng.random() * 3))
            village = case.kelurahan or pick(rng, officer.kelurahan or villages)
            name = clients[case.client_id].full_name if case.client_id in clients else ""
        else:
            back = 10 if status == FieldReportStatus.RECEIVED else 200
            reported_on = yesterday - datetime.timedelta(days=int(rng.random() * back))
            village = pick(rng, officer.kelurahan or villages)
            name = ""
        name = name or _person_name(rng, mix)
        reported = datetime.datetime.combine(
            reported_on,
            datetime.time(7 + int(rng.random() * 12), int(rng.random() * 60)),
            tzinfo=network.zone,
        )
        changed = None
        handled_by = None
        if status == FieldReportStatus.HANDLED and case is not None:
            changed = max(
                reported + datetime.timedelta(hours=1),
                datetime.datetime.combine(case.opened_on, datetime.time(10), tzinfo=network.zone),
            )
            handled_by = network.intake_id
        elif status == FieldReportStatus.DONE:
            done_on = case.closed_on if case is not None and case.closed_on else None
            done_on = done_on or min(
                yesterday, reported_on + datetime.timedelta(days=1 + int(rng.random() * 5))
            )
            changed = max(
                reported + datetime.timedelta(hours=1),
                datetime.datetime.combine(done_on, datetime.time(14), tzinfo=network.zone),
            )
            handled_by = network.intake_id
        address = contacts.street_address(rng, kecamatan_code=village[:8])
        what = pick(rng, FIELD_OPENINGS) + pick(rng, FIELD_REPORTS)
        rows.append(
            {
                "public_id": uuid_from(rng),
                "created_at": reported,
                "updated_at": changed or reported,
                "version": 1,
                "organisation_id": network.organisation.pk,
                "reported_by_id": officer.id,
                "draft_key": uuid_from(rng),
                "person_name": name,
                "kelurahan_id": village,
                "rt": address.rt,
                "rw": "",
                "address": address.line,
                "what_happened": what,
                "done_note": (
                    pick(rng, DONE_NOTES)
                    if status == FieldReportStatus.DONE and case is None
                    else ""
                ),
                "urgency": URGENCIES.pick(rng),
                "photo": "",
                "status": status,
                "status_changed_at": changed,
                "case_id": case.id if case is not None else None,
                "handled_by_id": handled_by,
            }
        )
    return rows


def _demo_officer_ids() -> set[int]:
    return set(User.objects.filter(username=DEMO_FIELD_OFFICER).values_list("id", flat=True))


# -- the step ----------------------------------------------------------------------------------


def network_present(lk3s: Mapping[str, Organisation]) -> bool:
    """Whether any of the LK3s has a network already (seeded, or its own)."""
    ids = [lk3.pk for lk3 in lk3s.values()]
    return (
        AuditEvent.objects.filter(action=actions.SEED_REFERRALS_GENERATED).exists()
        or Partner.objects.filter(organisation_id__in=ids).exists()
        or Referral.objects.filter(organisation_id__in=ids).exists()
        or FieldReport.objects.filter(organisation_id__in=ids).exists()
    )


def referrals_seed(
    *,
    lk3s: Mapping[str, Organisation],
    catalogue: RegionCatalogue,
    random_seed: int,
    today: datetime.date,
    batch_size: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> ReferralTally:
    """The network of every LK3 in ``lk3s`` (Bontang first); no audit event."""
    tally = ReferralTally()
    for code in sorted(lk3s, key=lambda code: (code != BONTANG, code)):
        organisation, regency = lk3s[code], catalogue.regency(code)
        with transaction.atomic():
            partners, people, agreements = directory_create(
                organisation=organisation,
                regency=regency,
                rng=stream(random_seed, f"partners:{code}"),
                today=today,
            )
            tally.partners += partners
            tally.contacts += people
            tally.agreements += agreements
            tally.partner_staff += partner_staff_link(organisation=organisation, today=today)
            tally.field_officers += field_officers_create(
                organisation=organisation,
                regency=regency,
                rng=stream(random_seed, f"field-officers:{code}"),
            )
        network = _network_load(
            organisation=organisation, regency=regency, catalogue=catalogue, today=today
        )
        cases, problems = _cases_load(organisation)
        drawn = _referrals_draw(stream(random_seed, f"referrals:{code}"), network, cases, problems)
        for batch in _chunks(drawn, batch_size):
            _referrals_write(batch)
            if progress is not None:
                progress(len(batch))
        with transaction.atomic():
            _counters_write(organisation, drawn)
        reports = _field_reports_draw(stream(random_seed, f"field-reports:{code}"), network, cases)
        for batch in _chunks(reports, batch_size):
            with transaction.atomic():
                bulk_insert(FieldReport, batch)
        for item in drawn:
            row = item.referral
            tally.by_status[row["status"]] += 1
            tally.by_direction[row["direction"]] += 1
            tally.events += len(item.events)
            tally.consents += item.consent is not None
            tally.overdue += row["status"] in (S.SENT, S.RECEIVED) and row["answer_due_on"] < today
            tally.by_lk3[organisation.short_name] += 1
        for report in reports:
            tally.field_reports[report["status"]] += 1
    return tally


@transaction.atomic
def referrals_audit(
    *,
    target: Organisation,
    random_seed: int,
    today: datetime.date,
    tally: ReferralTally,
) -> None:
    """The closing event of the network: counts only, never case content."""
    changes: dict[str, list[object]] = {
        "random_seed": [None, random_seed],
        "today": [None, today.isoformat()],
        "partners": [0, tally.partners],
        "agreements": [0, tally.agreements],
        "partner_contacts": [0, tally.contacts],
        "partner_staff": [0, tally.partner_staff],
        "field_officers": [0, tally.field_officers],
        "referrals": [0, tally.referrals],
        "consents": [0, tally.consents],
        "referral_events": [0, tally.events],
        "overdue": [0, tally.overdue],
        "field_reports": [0, tally.reports],
    }
    for direction, count in sorted(tally.by_direction.items()):
        changes[f"direction:{direction}"] = [0, count]
    for status, count in sorted(tally.by_status.items()):
        changes[f"status:{status}"] = [0, count]
    for status, count in sorted(tally.field_reports.items()):
        changes[f"field_report:{status}"] = [0, count]
    for name, count in sorted(tally.by_lk3.items()):
        changes[f"referrals:{name}"] = [0, count]
    audit_record(
        actor=None,
        action=actions.SEED_REFERRALS_GENERATED,
        target=target,
        organisation=target,
        changes=changes,
    )
