"""The editable vocabularies and their first contents (DOMAIN.md sections 2-3).

Loading is idempotent: an entry is created when its code is missing and
never overwritten afterwards, because an administrator may have renamed,
reordered or retired it. Spelling follows the 2019 texts ("telantar").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from lk3.core.models import (
    IntakeChannel,
    PmksCategory,
    ProblemType,
    PsksCategory,
    ReferenceTerm,
    ServiceType,
)

PMKS = [
    ("anak-balita-telantar", "Anak Balita Telantar"),
    ("anak-telantar", "Anak Telantar"),
    ("anak-berhadapan-dengan-hukum", "Anak yang Berhadapan dengan Hukum"),
    ("anak-jalanan", "Anak Jalanan"),
    ("anak-dengan-kedisabilitasan", "Anak dengan Kedisabilitasan"),
    ("anak-korban-kekerasan", "Anak yang menjadi Korban Tindak Kekerasan atau Diperlakukan Salah"),
    ("anak-perlindungan-khusus", "Anak yang Memerlukan Perlindungan Khusus"),
    ("lanjut-usia-telantar", "Lanjut Usia Telantar"),
    ("penyandang-disabilitas", "Penyandang Disabilitas"),
    ("tuna-susila", "Tuna Susila"),
    ("gelandangan", "Gelandangan"),
    ("pengemis", "Pengemis"),
    ("pemulung", "Pemulung"),
    ("kelompok-minoritas", "Kelompok Minoritas"),
    ("bekas-warga-binaan-lapas", "Bekas Warga Binaan Lembaga Pemasyarakatan"),
    ("odha", "Orang dengan HIV/AIDS"),
    ("korban-napza", "Korban Penyalahgunaan NAPZA"),
    ("korban-trafficking", "Korban Trafficking"),
    ("korban-tindak-kekerasan", "Korban Tindak Kekerasan"),
    ("pekerja-migran-bermasalah-sosial", "Pekerja Migran Bermasalah Sosial"),
    ("korban-bencana-alam", "Korban Bencana Alam"),
    ("korban-bencana-sosial", "Korban Bencana Sosial"),
    ("perempuan-rawan-sosial-ekonomi", "Perempuan Rawan Sosial Ekonomi"),
    ("fakir-miskin", "Fakir Miskin"),
    ("keluarga-bermasalah-sosial-psikologis", "Keluarga Bermasalah Sosial Psikologis"),
    ("komunitas-adat-terpencil", "Komunitas Adat Terpencil"),
]

PSKS = [
    ("pekerja-sosial-profesional", "Pekerja Sosial Profesional"),
    ("psm", "Pekerja Sosial Masyarakat (PSM)"),
    ("tagana", "Taruna Siaga Bencana (Tagana)"),
    ("lks", "Lembaga Kesejahteraan Sosial (LKS)"),
    ("karang-taruna", "Karang Taruna"),
    ("lk3", "Lembaga Konsultasi Kesejahteraan Keluarga (LK3)"),
    ("keluarga-pioner", "Keluarga Pioner"),
    ("wksbm", "Wahana Kesejahteraan Sosial Keluarga Berbasis Masyarakat (WKSBM)"),
    ("wanita-pemimpin-kesos", "Wanita Pemimpin Kesejahteraan Sosial"),
    ("penyuluh-sosial", "Penyuluh Sosial"),
    ("tksk", "Tenaga Kesejahteraan Sosial Kecamatan (TKSK)"),
    ("dunia-usaha", "Dunia Usaha"),
]

SERVICE_TYPES = [
    ("informasi", "Informasi"),
    ("konsultasi", "Konsultasi"),
    ("konseling", "Konseling"),
    ("advokasi", "Advokasi"),
    ("pendampingan", "Pendampingan"),
    ("penjangkauan", "Penjangkauan"),
    ("perlindungan", "Perlindungan"),
    ("pemberdayaan", "Pemberdayaan"),
    ("edukasi", "Pembelajaran/Edukasi"),
    ("rujukan", "Rujukan"),
]

INTAKE_CHANNELS = [
    ("datang-sendiri", "Datang sendiri (walk-in)"),
    ("jemput-bola", "Penjangkauan (jemput bola)"),
    ("bhabinkamtibmas", "Rujukan Bhabinkamtibmas"),
    ("babinsa", "Rujukan Babinsa"),
    ("tksk", "Rujukan TKSK"),
    ("psm", "Rujukan PSM"),
    ("polisi", "Rujukan kepolisian"),
    ("sekolah", "Rujukan sekolah"),
    ("rumah-sakit", "Rujukan rumah sakit/puskesmas"),
    ("uptd-ppa", "Rujukan UPTD PPA"),
    ("dinsos-lain", "Rujukan Dinas Sosial lain"),
    ("slrt-puskesos", "Rujukan SLRT/Puskesos"),
    ("lembaga-lain", "Rujukan lembaga lain"),
    ("hotline", "Hotline/telepon"),
    ("orang-terlantar", "Penemuan orang terlantar (terminal, pelabuhan, jalan)"),
]

PROBLEM_TYPES = [
    ("konflik-perkawinan", "Konflik suami-istri"),
    ("kekerasan-dalam-rumah-tangga", "Kekerasan dalam rumah tangga"),
    ("perilaku-anak", "Masalah perilaku anak"),
    ("pengasuhan", "Masalah pengasuhan"),
    ("penelantaran", "Penelantaran"),
    ("kecanduan", "Kecanduan (NAPZA, alkohol, judi, gawai)"),
    ("kesulitan-ekonomi", "Kesulitan ekonomi"),
    ("kesehatan-jiwa", "Masalah kesehatan jiwa"),
    ("perceraian", "Perceraian dan hak asuh"),
    ("kekerasan-seksual", "Kekerasan seksual"),
    ("putus-sekolah", "Putus sekolah"),
    ("perkawinan-anak", "Perkawinan anak"),
    ("lansia", "Perawatan lanjut usia"),
    ("terlantar-perjalanan", "Terlantar dalam perjalanan, tidak dapat pulang"),
    ("lainnya", "Lainnya"),
]

VOCABULARIES: list[tuple[type[ReferenceTerm], list[tuple[str, str]]]] = [
    (PmksCategory, PMKS),
    (PsksCategory, PSKS),
    (ServiceType, SERVICE_TYPES),
    (IntakeChannel, INTAKE_CHANNELS),
    (ProblemType, PROBLEM_TYPES),
]


@dataclass(frozen=True)
class VocabularyLoad:
    model: str
    created: int
    existing: int


@transaction.atomic
def vocabularies_load() -> list[VocabularyLoad]:
    results = []
    for model, entries in VOCABULARIES:
        existing = set(model._default_manager.values_list("code", flat=True))
        missing = [
            model(code=code, name=name, sort_order=position)
            for position, (code, name) in enumerate(entries, start=1)
            if code not in existing
        ]
        model._default_manager.bulk_create(missing)
        results.append(
            VocabularyLoad(
                model=str(model._meta.verbose_name_plural),
                created=len(missing),
                existing=len(existing),
            )
        )
    return results
