"""What the demo cases say: presenting problems, session notes, narratives, plans.

Rules:
- The texts are data written in Indonesian, the way an LK3 counsellor
  writes them (short, third person, "klien"), not interface strings: they
  are not translated.
- Each text is built from a template and slot phrases drawn from the
  caller's stream, several sentences per note, so two notes rarely read
  the same and a note's plaintext can be looked for in a database dump.
- Sentences of the encrypted texts (problems, notes, narratives,
  summaries) are never reused by the plain columns (stage notes, task
  titles, goals), so finding a note's text in clear always means a leak.
- Templates name their slots; ``SLOTS`` holds the phrases. A slot used
  twice in one template gets the same phrase.
"""

from __future__ import annotations

import random
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lk3.seed.streams import pick

SLOTS: dict[str, tuple[str, ...]] = {
    # Filled in by the caller from the client's sex; these are for anyone else.
    "pasangan": ("pasangannya",),
    "pelaku": ("ayah tirinya", "ayahnya", "ibunya", "pamannya", "kakak iparnya"),
    "durasi": (
        "dua minggu",
        "sebulan",
        "tiga bulan",
        "enam bulan",
        "hampir setahun",
        "setahun",
        "dua tahun",
        "awal tahun ini",
    ),
    "durasi_pendek": ("seminggu", "dua minggu", "sebulan", "dua bulan", "tiga bulan"),
    "frekuensi": ("hari", "minggu", "akhir pekan", "kali gajian"),
    "topik_konflik": (
        "keuangan keluarga",
        "penghasilan yang tidak mencukupi",
        "campur tangan mertua",
        "kecurigaan adanya orang ketiga",
        "pembagian pekerjaan rumah",
        "utang pinjaman online",
        "kebiasaan berjudi daring",
        "cara mengasuh anak",
        "pekerjaan suami yang sering ke luar kota",
        "kiriman uang untuk keluarga di kampung",
    ),
    "kejadian_terakhir": (
        "terjadi tiga hari lalu",
        "terjadi minggu lalu",
        "terjadi saat malam tahun baru",
        "terjadi setelah suami pulang dari tempat kerja",
        "terjadi di depan anak-anak",
    ),
    "bagian_tubuh": ("lengan", "wajah", "punggung", "kaki", "leher"),
    "pelapor": (
        "Bhabinkamtibmas kelurahan",
        "Ketua RT",
        "Unit PPA Polres",
        "UPTD PPA",
        "bidan Puskesmas",
        "tetangga",
    ),
    "anak": (
        "anak sulungnya",
        "anak keduanya",
        "anak bungsunya",
        "anak laki-lakinya",
        "anak perempuannya",
    ),
    "usia_anak": ("6", "8", "9", "11", "12", "13", "14", "15", "16"),
    "perilaku": (
        "sering membolos sekolah",
        "mudah marah dan membanting barang",
        "kecanduan bermain gim di gawai hingga larut malam",
        "pulang larut malam bersama teman-teman nongkrong",
        "menolak berbicara dengan orang tua",
        "terlibat perkelahian di sekolah",
        "mengambil uang orang tua tanpa izin",
        "menarik diri dan jarang keluar kamar",
    ),
    "tindakan_sekolah": (
        "memanggil orang tua dua kali",
        "memberikan surat peringatan",
        "merujuk ke guru BK",
        "mengancam akan mengeluarkan anak",
    ),
    "zat": ("sabu", "minuman keras oplosan", "lem", "obat daftar G", "judi daring"),
    "kebutuhan": (
        "biaya sekolah anak",
        "sewa rumah yang menunggak",
        "kebutuhan makan sehari-hari",
        "biaya berobat",
        "modal usaha kecil",
    ),
    "pekerjaan": (
        "buruh harian lepas",
        "pedagang sayur keliling",
        "tukang ojek",
        "buruh bangunan",
        "nelayan",
        "pekerja kontrak yang baru diberhentikan",
        "asisten rumah tangga",
    ),
    "gejala": (
        "sulit tidur",
        "sering menangis tanpa sebab",
        "tidak mau makan",
        "berbicara sendiri",
        "merasa putus asa",
        "menarik diri dari keluarga",
    ),
    "pihak_lain": ("ibu kandungnya", "kakaknya", "mertuanya", "pamannya", "neneknya"),
    "afek": (
        "tenang dan kooperatif",
        "cemas, beberapa kali meremas tangan",
        "sempat menangis ketika menceritakan kejadian",
        "lebih terbuka dibanding pertemuan sebelumnya",
        "lelah dan mengaku kurang tidur",
        "bersemangat dan banyak bertanya",
        "murung dan menjawab singkat",
        "marah ketika membahas keluarganya",
    ),
    "suasana": (
        "berlangsung lancar",
        "berjalan cukup terbuka",
        "sempat terhenti karena klien emosional",
        "berlangsung di ruang konseling yang tenang",
        "diawali dengan meninjau kesepakatan sesi lalu",
    ),
    "anggota": ("pasangannya", "ibu klien", "anak-anak", "mertua", "kakak klien"),
    "mitra": (
        "UPTD PPA",
        "Puskesmas",
        "guru BK sekolah",
        "Bhabinkamtibmas",
        "TKSK kecamatan",
        "pendamping PKH",
        "psikolog RSUD",
    ),
    "kekuatan": (
        "dukungan dari keluarga besar",
        "kemauan klien untuk berubah",
        "hubungan baik dengan tokoh agama setempat",
        "anak-anak yang tetap bersekolah",
        "penghasilan tetap meski kecil",
        "tetangga yang peduli",
    ),
    "risiko": (
        "kekerasan yang berulang",
        "tidak ada penghasilan tetap",
        "pasangan menolak terlibat",
        "penggunaan alkohol di rumah",
        "tinggal jauh dari keluarga besar",
        "riwayat percobaan menyakiti diri",
    ),
    "kemajuan": (
        "pertengkaran berkurang menjadi sekali dalam dua minggu",
        "anak kembali masuk sekolah secara teratur",
        "klien sudah berani menyampaikan keberatan dengan tenang",
        "keluarga mulai membuat catatan pengeluaran bulanan",
        "klien rutin mengikuti pengajian dan merasa lebih tenang",
        "klien sudah mendapatkan pekerjaan sebagai pramuniaga",
        "pasangan bersedia ikut sesi bersama",
        "klien mengikuti rawat jalan di Puskesmas",
    ),
    "hambatan": (
        "pasangan belum bersedia hadir",
        "klien sering berhalangan karena bekerja",
        "biaya transportasi ke kantor LK3",
        "keluarga besar tidak mendukung",
        "klien kembali berutang",
    ),
    "rencana": (
        "kunjungan rumah pekan depan",
        "sesi bersama pasangan bulan depan",
        "koordinasi dengan sekolah",
        "rujukan pemeriksaan ke Puskesmas",
        "pendampingan pengurusan dokumen kependudukan",
        "sesi lanjutan dua minggu lagi",
        "menghubungi pendamping PKH",
    ),
    "ke": ("pertama", "kedua", "ketiga", "keempat", "kelima", "keenam", "ketujuh", "kedelapan"),
}

_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class Template:
    text: str
    fields: tuple[str, ...]

    def fill(self, rng: random.Random, given: Mapping[str, str] | None = None) -> str:
        values = {
            name: pick(rng, SLOTS[name]) for name in self.fields if not given or name not in given
        }
        if given:
            values.update({name: given[name] for name in self.fields if name in given})
        return self.text.format(**values)


def _templates(*texts: str) -> tuple[Template, ...]:
    result = []
    for text in texts:
        fields = tuple(
            dict.fromkeys(name for _literal, name, _spec, _conv in _FORMATTER.parse(text) if name)
        )
        for name in fields:
            if name not in SLOTS and name not in GIVEN_SLOTS:
                raise KeyError(name)
        result.append(Template(text, fields))
    return tuple(result)


# Slots the caller fills (a place name, the session's number).
GIVEN_SLOTS = frozenset({"kelurahan"})


def _one(rng: random.Random, templates: Sequence[Template], **given: str) -> str:
    return pick(rng, templates).fill(rng, given)


# -- presenting problems, by problem type --------------------------------------------------

PRESENTING: dict[str, tuple[Template, ...]] = {
    "konflik-perkawinan": _templates(
        "Klien mengeluh sering bertengkar dengan {pasangan} sejak {durasi} terakhir, terutama soal {topik_konflik}.",
        "Klien dan {pasangan} sudah pisah rumah selama {durasi_pendek}; klien ingin mencoba rukun kembali demi anak-anak.",
        "Klien merasa tidak dihargai oleh {pasangan}; pertengkaran terjadi hampir setiap {frekuensi} dan mulai didengar anak-anak.",
    ),
    "kekerasan-dalam-rumah-tangga": _templates(
        "Klien mengaku mengalami kekerasan fisik dari {pasangan} sejak {durasi}; kejadian terakhir {kejadian_terakhir} dan meninggalkan memar di {bagian_tubuh}.",
        "Klien dirujuk setelah melapor ke {pelapor}: {pasangan} kerap membentak, mengancam, dan membatasi uang belanja.",
        "Klien datang diantar {pihak_lain} setelah dipukul {pasangan}; klien takut pulang dan bingung soal nasib anak-anak.",
    ),
    "perilaku-anak": _templates(
        "Klien khawatir karena {anak} berusia {usia_anak} tahun {perilaku}; sekolah sudah {tindakan_sekolah}.",
        "Klien meminta bantuan menghadapi {anak} yang {perilaku} sejak {durasi}.",
    ),
    "pengasuhan": _templates(
        "Klien kesulitan mengasuh {anak} sejak bercerai; anak {perilaku} dan klien merasa kewalahan.",
        "Klien bekerja sebagai {pekerjaan} sehingga anak-anak sering ditinggal bersama {pihak_lain}; kini {anak} {perilaku}.",
    ),
    "penelantaran": _templates(
        "Anak dilaporkan {pelapor} sering ditinggal sendirian di rumah tanpa makanan selama {durasi_pendek}.",
        "Klien ditinggal {pasangan} tanpa nafkah sejak {durasi}; kebutuhan anak-anak tidak tercukupi.",
    ),
    "kecanduan": _templates(
        "Keluarga melaporkan klien menggunakan {zat} sejak {durasi}; uang belanja sering habis dan klien mudah marah.",
        "Klien datang atas kemauan sendiri karena ingin berhenti dari {zat} setelah terlilit utang.",
    ),
    "kesulitan-ekonomi": _templates(
        "Klien bekerja sebagai {pekerjaan} dan tidak mampu memenuhi {kebutuhan}; keluarga sering bertengkar soal uang.",
        "Sejak {pasangan} kehilangan pekerjaan {durasi} lalu, klien menanggung {kebutuhan} sendirian.",
    ),
    "kesehatan-jiwa": _templates(
        "Keluarga melaporkan klien {gejala} sejak {durasi}; belum pernah diperiksakan ke tenaga kesehatan.",
        "Klien mengaku {gejala} dan merasa tidak sanggup mengurus anak sejak {durasi}.",
    ),
    "perceraian": _templates(
        "Klien sedang dalam proses perceraian di Pengadilan Agama dan berselisih dengan {pasangan} tentang hak asuh anak.",
        "Klien bercerai {durasi} lalu; mantan pasangan tidak memberi nafkah anak dan melarang klien bertemu {anak}.",
    ),
    "kekerasan-seksual": _templates(
        "Anak diduga mengalami kekerasan seksual oleh orang yang dikenal keluarga; kasus dilaporkan oleh {pelapor}.",
        "Klien didampingi {pihak_lain} setelah mengalami pelecehan seksual; klien {gejala} sejak kejadian.",
    ),
    "putus-sekolah": _templates(
        "Anak berhenti sekolah sejak {durasi} karena membantu orang tua bekerja sebagai {pekerjaan}.",
        "Anak tidak lagi bersekolah setelah {perilaku}; orang tua belum tahu cara mendaftarkan kembali.",
    ),
    "perkawinan-anak": _templates(
        "Anak perempuan berusia {usia_anak} tahun hendak dinikahkan oleh keluarga karena alasan ekonomi; dilaporkan oleh {pelapor}.",
        "Anak sudah dinikahkan secara siri {durasi} lalu dan berhenti sekolah; keluarga meminta pendampingan.",
    ),
    "lansia": _templates(
        "Klien lanjut usia tinggal sendirian sejak {durasi}; anak-anaknya merantau dan jarang mengirim kabar.",
        "Klien lanjut usia {gejala} dan tidak ada anggota keluarga yang merawat; dilaporkan oleh {pelapor}.",
    ),
    "lainnya": _templates(
        "Klien membutuhkan bantuan mengurus dokumen kependudukan dan akses layanan kesehatan bagi keluarganya.",
        "Klien meminta konsultasi tentang masalah keluarga yang belum bisa ia ceritakan secara rinci.",
    ),
}

REQUESTS = _templates(
    "Klien berharap mendapat pendampingan agar keluarga kembali tenang.",
    "Klien meminta bantuan konseling dan informasi layanan yang tersedia.",
    "Keluarga meminta LK3 membantu mencari jalan keluar.",
    "Klien bersedia mengikuti sesi konseling secara rutin.",
    "Klien belum tahu harus ke mana dan meminta arahan.",
)


# A child client's problem, told by whoever brought the child.
CHILD_PRESENTING: dict[str, tuple[Template, ...]] = {
    "kekerasan-dalam-rumah-tangga": _templates(
        "Anak mengalami kekerasan fisik dari {pelaku} sejak {durasi}; dilaporkan oleh {pelapor}.",
        "Anak sering menyaksikan orang tuanya bertengkar dan pernah dipukul {pelaku}; guru melihat memar di {bagian_tubuh}.",
    ),
    "kekerasan-seksual": PRESENTING["kekerasan-seksual"][:1],
    "penelantaran": _templates(
        "Anak dilaporkan {pelapor} sering ditinggal sendirian di rumah tanpa makanan selama {durasi_pendek}.",
        "Anak tinggal bersama {pihak_lain} karena orang tuanya merantau; kebutuhan sekolah dan makan tidak tercukupi.",
    ),
    "perilaku-anak": _templates(
        "Anak berusia {usia_anak} tahun {perilaku}; sekolah sudah {tindakan_sekolah}.",
        "Anak diamankan polisi karena ikut tawuran antarpelajar; orang tua meminta pendampingan.",
    ),
    "kecanduan": _templates(
        "Anak kedapatan menghirup lem bersama teman-temannya; orang tua baru mengetahuinya {durasi_pendek} lalu.",
    ),
    "putus-sekolah": PRESENTING["putus-sekolah"],
    "perkawinan-anak": PRESENTING["perkawinan-anak"],
}
CHILD_REQUESTS = _templates(
    "Orang tua meminta pendampingan untuk anak.",
    "Pelapor meminta LK3 segera melakukan asesmen.",
    "Wali anak bersedia mengikuti sesi konseling keluarga.",
)
SPOUSES = {True: ("suaminya", "suami"), False: ("istrinya", "istri")}


def presenting_problem(rng: random.Random, problem: str, *, female: bool, child: bool) -> str:
    """What brought the case, told of the client (an adult) or of the child."""
    if child and problem in CHILD_PRESENTING:
        return f"{_one(rng, CHILD_PRESENTING[problem])} {_one(rng, CHILD_REQUESTS)}"
    spouse = pick(rng, SPOUSES[female])
    return f"{_one(rng, PRESENTING[problem], pasangan=spouse)} {_one(rng, REQUESTS)}"


# -- session notes --------------------------------------------------------------------------

OPENINGS: dict[str, tuple[Template, ...]] = {
    "counselling": _templates(
        "Sesi konseling {ke} dengan klien di kantor LK3 {suasana}.",
        "Konseling individu {ke} {suasana}.",
        "Pertemuan konseling {ke}; sesi {suasana}.",
    ),
    "consultation": _templates(
        "Konsultasi bersama klien dan {anggota} di kantor LK3.",
        "Klien datang berkonsultasi ditemani {anggota}.",
        "Konsultasi melalui telepon karena klien berhalangan hadir; pembicaraan {suasana}.",
    ),
    "home_visit": _templates(
        "Kunjungan rumah ke {kelurahan}; klien ditemui bersama {anggota}.",
        "Kunjungan rumah ke {kelurahan} didampingi Ketua RT; rumah klien tampak sederhana dan cukup bersih.",
        "Kunjungan rumah ke {kelurahan} untuk melihat kondisi keluarga secara langsung.",
    ),
    "case_conference": _templates(
        "Konferensi kasus bersama {mitra} untuk menyepakati pembagian peran pendampingan.",
        "Pertemuan koordinasi kasus dengan {mitra}; perkembangan klien dipaparkan oleh konselor.",
    ),
}

BODIES: dict[str, tuple[Template, ...]] = {
    "assessment": _templates(
        "Klien menceritakan riwayat masalah dan menyebut {kekuatan} sebagai penopang utama.",
        "Digali faktor risiko: {risiko}; faktor pelindung: {kekuatan}.",
        "Klien menjelaskan bahwa masalah memburuk sejak {durasi} dan belum pernah meminta bantuan.",
        "Dilakukan pemetaan genogram keluarga; {pihak_lain} disebut paling dekat dengan klien.",
    ),
    "intervention": _templates(
        "Klien melaporkan bahwa {kemajuan}, meski {hambatan}.",
        "Dilatih teknik komunikasi asertif dan pengelolaan emosi; klien mempraktikkannya dengan baik.",
        "Dibahas kembali kesepakatan keluarga; {hambatan} masih menjadi kendala.",
        "Klien menyampaikan bahwa {kemajuan}.",
        "Konselor memberi penguatan atas usaha klien; {kekuatan} dapat terus dimanfaatkan.",
    ),
    "closing": _templates(
        "Klien menilai kondisinya jauh lebih baik: {kemajuan}.",
        "Ditinjau pencapaian tujuan rencana intervensi bersama klien; sebagian besar sudah tercapai.",
        "Klien siap menjalani kehidupan sehari-hari tanpa pendampingan rutin; {kekuatan} menjadi bekal.",
    ),
}

OBSERVATIONS = _templates(
    "Klien tampak {afek}.",
    "Selama sesi klien tampak {afek}.",
    "Pengamatan konselor: klien {afek}.",
)

PLANS = _templates(
    "Tindak lanjut: {rencana}.",
    "Disepakati {rencana}.",
    "Rencana berikutnya: {rencana}.",
)


def session_note(rng: random.Random, *, kind: str, phase: str, number: int, kelurahan: str) -> str:
    """A note of three or four sentences; ``phase`` is assessment, intervention or closing."""
    ke = SLOTS["ke"][min(number, len(SLOTS["ke"])) - 1]
    parts = [_one(rng, OPENINGS[kind], kelurahan=kelurahan, ke=ke), _one(rng, BODIES[phase])]
    if rng.random() < 0.6:
        parts.append(_one(rng, OBSERVATIONS))
    parts.append(_one(rng, PLANS))
    return " ".join(parts)


OUTSIDE_PARTICIPANTS = (
    "Petugas UPTD PPA",
    "Guru BK sekolah",
    "Bhabinkamtibmas kelurahan",
    "Bidan Puskesmas",
    "TKSK kecamatan",
    "Pendamping PKH",
    "Psikolog RSUD",
    "Ketua RT",
)


# -- assessments, closure, follow-up ---------------------------------------------------------------

NARRATIVES = _templates(
    "Masalah utama keluarga berakar pada {topik_konflik}. Faktor risiko: {risiko}. Faktor pelindung: {kekuatan}.",
    "Klien memiliki {kekuatan}, tetapi {risiko} membuat situasi rawan. Perlu pemantauan berkala.",
    "Dari wawancara dan kunjungan rumah, {risiko} menjadi perhatian utama; klien menunjukkan kemauan untuk berubah.",
    "Hasil asesmen: {kemajuan}. Risiko yang masih ada: {risiko}.",
)


def narrative(rng: random.Random) -> str:
    return _one(rng, NARRATIVES)


SUMMARIES: dict[str, tuple[Template, ...]] = {
    "goals_achieved": _templates(
        "Tujuan rencana intervensi tercapai: {kemajuan}. Keluarga mampu menyelesaikan masalah secara mandiri.",
        "Klien dan keluarga sudah stabil; {kemajuan}. Bimbingan lanjut selesai tanpa catatan baru.",
    ),
    "referred": _templates(
        "Klien dirujuk ke {mitra} untuk penanganan lanjutan; berkas rujukan sudah diterima.",
        "Penanganan dilanjutkan oleh {mitra} sesuai kesepakatan konferensi kasus.",
    ),
    "client_withdrew": _templates(
        "Klien memutuskan berhenti mengikuti pendampingan karena {hambatan}.",
        "Klien menyatakan tidak ingin melanjutkan; klien tahu dapat kembali kapan saja.",
    ),
    "moved_away": _templates(
        "Klien pindah mengikuti {pasangan} ke luar daerah; informasi layanan di tempat baru sudah diberikan.",
        "Keluarga pindah ke kampung halaman; kontak LK3 setempat sudah disampaikan.",
    ),
    "unreachable": _templates(
        "Klien tidak dapat dihubungi selama tiga bulan; dua kali kunjungan rumah tidak menemukan klien.",
        "Nomor telepon klien tidak aktif dan tetangga tidak tahu keberadaan keluarga.",
    ),
    "deceased": _templates(
        "Klien meninggal dunia karena sakit; keluarga sudah mendapat pendampingan duka.",
    ),
    "other": _templates(
        "Kasus ditutup atas kesepakatan bersama koordinator dan klien.",
    ),
}


def closure_summary(rng: random.Random, reason: str) -> str:
    return _one(rng, SUMMARIES[reason])


CHECK_IN_NOTES = _templates(
    "Dihubungi melalui telepon: klien dalam keadaan baik dan {kemajuan}.",
    "Kunjungan singkat: keluarga tampak rukun; klien menyebut {kekuatan} sangat membantu.",
    "Klien melaporkan sempat ada masalah kecil karena {hambatan}, tetapi dapat diatasi sendiri.",
    "Klien tidak mengangkat telepon; dihubungi ulang esok harinya dan menyatakan baik-baik saja.",
)


def check_in_note(rng: random.Random) -> str:
    return _one(rng, CHECK_IN_NOTES)


# -- plain texts: stage notes, returns, transfers, tasks, plans -----------------------------------
# Stored in clear: these never reuse a sentence of the encrypted texts above.

BACK_TO_INTERVENTION = (
    "Evaluasi menunjukkan tujuan belum tercapai; intervensi dilanjutkan.",
    "Hasil evaluasi belum memadai, perlu sesi tambahan.",
    "Muncul masalah baru saat evaluasi; kembali ke tahap intervensi.",
)
REOPEN_REASONS = (
    "Klien datang kembali karena masalah yang sama muncul lagi.",
    "Dirujuk ulang oleh kelurahan: kondisi keluarga memburuk.",
    "Klien meminta pendampingan lagi setelah pindah kembali ke kota ini.",
)
RETURN_COMMENTS = (
    "Lengkapi evaluasi akhir sebelum kasus ditutup.",
    "Jadwalkan satu kunjungan rumah lagi untuk memastikan kondisi anak.",
    "Ringkasan penutupan belum menjelaskan hasil untuk anak-anak.",
)
TRANSFER_REASONS = (
    "Pembagian ulang beban kasus.",
    "Konselor sebelumnya cuti melahirkan.",
    "Klien meminta konselor perempuan.",
    "Konselor sebelumnya dimutasi ke unit lain.",
)
TASK_TITLES = (
    "Kunjungan rumah ke keluarga klien",
    "Hubungi guru BK sekolah anak",
    "Siapkan surat rujukan ke Puskesmas",
    "Koordinasi dengan Bhabinkamtibmas",
    "Jadwalkan sesi konseling pasangan",
    "Lengkapi asesmen mendalam",
    "Pantau kehadiran anak di sekolah",
    "Bantu pengurusan KIS/BPJS Kesehatan",
    "Usulkan keluarga masuk DTKS lewat Puskesos",
    "Telepon klien untuk konfirmasi jadwal",
    "Siapkan bahan konferensi kasus",
    "Antar klien ke UPTD PPA",
)


@dataclass(frozen=True)
class GoalText:
    goal: str
    activities: tuple[str, ...]


GOALS: dict[str, tuple[GoalText, ...]] = {
    "konflik-perkawinan": (
        GoalText(
            "Pasangan mampu membicarakan masalah tanpa pertengkaran",
            ("Konseling pasangan dua minggu sekali", "Latihan komunikasi di rumah"),
        ),
        GoalText(
            "Keluarga menyusun kesepakatan keuangan bersama",
            ("Menyusun catatan pengeluaran bulanan", "Konsultasi dengan pendamping keuangan"),
        ),
    ),
    "kekerasan-dalam-rumah-tangga": (
        GoalText(
            "Klien dan anak-anak aman dari kekerasan",
            ("Menyusun rencana keselamatan", "Pendampingan pelaporan ke UPTD PPA"),
        ),
        GoalText(
            "Klien pulih dari trauma",
            ("Konseling psikologis", "Pemeriksaan di Puskesmas"),
        ),
    ),
    "perilaku-anak": (
        GoalText(
            "Anak kembali bersekolah dengan teratur",
            ("Pertemuan dengan guru BK", "Kesepakatan jadwal harian anak"),
        ),
        GoalText(
            "Orang tua menerapkan pengasuhan positif",
            ("Kelas pengasuhan untuk orang tua", "Kunjungan rumah bulanan"),
        ),
    ),
    "pengasuhan": (
        GoalText(
            "Orang tua menerapkan pengasuhan positif",
            ("Kelas pengasuhan untuk orang tua", "Kunjungan rumah bulanan"),
        ),
    ),
    "penelantaran": (
        GoalText(
            "Kebutuhan dasar anak terpenuhi",
            ("Pengusulan bantuan sembako", "Pendampingan pengurusan akta kelahiran"),
        ),
    ),
    "kecanduan": (
        GoalText(
            "Klien berhenti menggunakan zat adiktif",
            ("Rujukan rehabilitasi rawat jalan", "Pertemuan kelompok dukungan"),
        ),
    ),
    "kesulitan-ekonomi": (
        GoalText(
            "Keluarga memiliki penghasilan tetap",
            ("Pelatihan keterampilan usaha", "Pengusulan bantuan modal usaha"),
        ),
        GoalText(
            "Keluarga terdaftar di program perlindungan sosial",
            ("Pendaftaran DTKS lewat Puskesos", "Pengurusan KIS"),
        ),
    ),
    "kesehatan-jiwa": (
        GoalText(
            "Klien mendapat penanganan kesehatan jiwa",
            ("Rujukan ke psikolog RSUD", "Pemantauan minum obat oleh keluarga"),
        ),
    ),
    "perceraian": (
        GoalText(
            "Hak anak terpenuhi setelah perceraian",
            ("Mediasi pengasuhan bersama", "Pendampingan ke Posbakum"),
        ),
    ),
    "kekerasan-seksual": (
        GoalText(
            "Anak mendapat perlindungan dan pemulihan",
            ("Pendampingan visum dan pelaporan", "Konseling trauma oleh psikolog"),
        ),
    ),
    "putus-sekolah": (
        GoalText(
            "Anak kembali bersekolah",
            ("Pendaftaran ke sekolah atau kejar paket", "Pengusulan Program Indonesia Pintar"),
        ),
    ),
    "perkawinan-anak": (
        GoalText(
            "Perkawinan anak dicegah",
            ("Edukasi keluarga tentang dampak perkawinan anak", "Koordinasi dengan KUA"),
        ),
    ),
    "lansia": (
        GoalText(
            "Lansia mendapat perawatan yang layak",
            ("Menghubungi anak-anak klien", "Pengusulan bantuan ATENSI lansia"),
        ),
    ),
    "lainnya": (
        GoalText(
            "Dokumen kependudukan keluarga lengkap",
            ("Pendampingan ke Disdukcapil", "Pengurusan KK baru"),
        ),
    ),
}
OUTSIDE_RESPONSIBLE = (
    "Puskesmas",
    "Guru BK sekolah",
    "UPTD PPA",
    "Pendamping PKH",
    "TKSK kecamatan",
    "Disdukcapil",
    "Posbakum Pengadilan Agama",
)
ASSIGNMENT_REASON = "Penugasan konselor oleh koordinator."
# Required free-text answers of an instrument (stored with the answers, in clear).
PLAIN_ANSWERS = (
    "Lihat narasi asesmen.",
    "Sudah dibahas bersama klien.",
    "Dicatat pada berkas kasus.",
)
