"""Indonesian personal names for East Kalimantan's mix of peoples.

Rules:
- A name is built from the person's ethnicity, religion, sex and birth
  year: Javanese, Sundanese, Bugis, Banjar and Kutai names are mostly
  Muslim; Dayak, Toraja, Batak, Minahasa (Manado), Flores/NTT and
  Chinese-Indonesian names mostly Christian, with a family name or marga.
- Women's names come from women's lists only, so sex and name agree.
- Older Javanese often have a single name (``Sukarni``, ``Paijo``); people
  born from 2005 get the names popular since then.
- The Javanese given names and second names reuse Faker's ``id_ID`` lists,
  read once as data (no Faker instance, no per-row calls), without the
  entries that are not personal names.
- Full names of real public figures are refused and drawn again.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from faker.providers.person.id_ID import Provider as _FakerNames

from lk3.seed.streams import pick

FEMALE = "P"
MALE = "L"
OLD_BEFORE_YEAR = 1965
YOUNG_FROM_YEAR = 2005


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Faker entries that are words, foreign names or another sex's names.
_NOT_GIVEN_NAMES = frozenset(
    _words(
        """Aurora Azalea Belinda Betania Calista Carla Chelsea Ciaobella Cici Gilda Janet Jane
    Karen Michelle Ophelia Oliva Olivia Paris Queen Sakura Syahrini Uchita Usyi Vicky Victoria
    Violet Zalindra Zelaya Zelda Zizi Zamira Ilsa Kiandra Keisha Kayla Raisa
    Bajragin Bancar Cagak Cager Caket Capa Carub Cawuk Cemani Cemeti Cemplunk Cengkal Cengkir
    Dadap Dagel Dariati Darsirah Daryani Edison Edward Elon Eluh Elvin Embuh Emong Empluk
    Enteng Erik Emil Galak Gamblang Ganjaran Garang Jabal Jail Kacung Kairav Kenzie Labuh Lamar
    Lembah Leo Luis Luluh Lurhur Manah Nrima Olga Opung Oskar Simon Uda Umay Umaya Upik Vega
    Vero Viktor Vinsen Xanana Ibrani Ibun Ikin Ozy Opan Okto Okta Paris Cakrabirawa"""
    )
)
_BATAK_MARGA_IN_FAKER = frozenset(
    _words(
        """Damanik Dongoran Dabukke Hutagalung Hutapea Hutasoit Mangunsong Manullang Marpaung
    Marbun Nainggolan Nababan Napitupulu Siregar Sihombing Samosir Saragih Sihotang
    Simanjuntak Sinaga Simbolon Sitompul Sitorus Sirait Situmorang Tampubolon Tamba
    Tarihoran"""
    )
)


def _clean(names: Sequence[str], *, refuse: frozenset[str] = _NOT_GIVEN_NAMES) -> tuple[str, ...]:
    return tuple(sorted({name for name in names if name not in refuse}))


JAVANESE_MALE = _clean(_FakerNames.first_names_male)
GENERAL_FEMALE = _clean(_FakerNames.first_names_female)
JAVANESE_SECOND_MALE = _clean(
    _FakerNames.last_names_male, refuse=_BATAK_MARGA_IN_FAKER | {"Latupono"}
)
JAVANESE_SECOND_FEMALE = _clean(_FakerNames.last_names_female)

JAVANESE_FEMALE = _words(
    """Sri Endang Sulastri Suryani Wahyuningsih Retno Rini Tri Dwi Eko Yuli Lestari Puji
    Sumarni Sumiyati Ningsih Kusmiati Setyowati Suharti Indah Wulan Ratna Dewi Ayu Sekar
    Ajeng Kartika Nuryati Purwanti Suwarni Yuliani Wartini Sukarti Mujiati Rahayu Winarti"""
)
OLD_JAVANESE_MALE = _words(
    """Sukarjo Paimin Sumarno Wagiman Sugiyono Tukiran Karyono Suparno Slamet Sunarto Mujiono
    Ngadiman Kasiman Parjo Sutrisno Darmo Sarmin Jumadi Kartono Paijo Sukirman Ngatijo
    Tarmuji Supardi Sarijo Kasmani Wiryo Sastro Marjuki Samijan Poniman Sukadi"""
)
OLD_JAVANESE_FEMALE = _words(
    """Sumiyati Tukiyem Painem Suparmi Sulastri Ngatinah Kasiyah Sumini Wartini Sarinah
    Jumiati Suwarni Paini Sukarti Tumini Katemi Sukarni Ngatini Rukiyah Sarmi Partini
    Tuginem Mursiyah Wagini Sarbini Kastini Suratmi Wakinem Legiyem Sutini"""
)
MUSLIM_MALE = _words(
    """Muhammad Ahmad Abdul Rizky Fajar Arif Ilham Hidayat Ridwan Syaiful Taufik Yusuf Rahmat
    Hasan Husein Ali Umar Fadli Fikri Hafiz Rafi Zaki Irfan Ikhsan Nur Amin Anwar Ismail
    Ibrahim Hamzah Jamal Lukman Mahmud Nasrullah Saiful Sofyan Syamsul Zainal Zulkifli
    Akbar Firdaus Hendra Hermansyah Iskandar Kurniawan Rudi Wahyu Andi Agus Budi Eko Dedi"""
)
MUSLIM_FEMALE = _words(
    """Siti Nur Nurul Fatimah Aisyah Khadijah Zahra Nabila Aulia Salsabila Annisa Rahma Fitri
    Laila Hasanah Mariam Zainab Syifa Nadia Putri Ayu Dewi Rahmawati Nurhayati Hasnah
    Halimah Rukayah Jamilah Maimunah Sa'diyah Kamariah Salmah Farida Husna Latifah Mutiara
    Sari Wulan Indah Intan Rina Yuni Rosita Lilis Ernawati Suryani"""
)
MODERN_MALE = _words(
    """Alfarizi Rafa Arkan Abizar Azka Alvaro Rayyan Kenzo Arsenio Daffa Fathan Ghazi Haidar
    Zidan Raffi Arka Bima Dzaky Elvano Athar Alby Satria Rafandra Zayyan Akhtar Gibran
    Naufal Fadhil Keenan Sultan Arjuna Barra"""
)
MODERN_FEMALE = _words(
    """Alesha Naura Adiba Khanza Nayla Shakila Azzahra Alya Aqila Kirana Zahira Humaira
    Syakira Nadhira Almira Arsyila Kiara Aira Hana Qirani Aurelia Alula Shanum Btari Rania
    Nafisa Inara Fayola Kalila Zea"""
)
MUSLIM_MIDDLE_MALE = _words(
    """Rizki Nur Fajar Aditya Akbar Ramadhan Hidayat Saputra Pratama Maulana Firmansyah
    Alfian Rahman Hakim Kurniawan Syahputra Habibi Ilham Fadillah Rasyid"""
)
MUSLIM_MIDDLE_FEMALE = _words(
    """Nur Ayu Putri Aulia Fitri Rahma Dwi Indah Kurnia Amalia Ramadhani Safitri Azzahra
    Salsabila Puspita Maharani Oktaviani Anggraini Permatasari Lestari"""
)
CHRISTIAN_MALE = _words(
    """Yohanes Petrus Paulus Markus Lukas Matius Stefanus Agustinus Fransiskus Yosef Daniel
    Samuel David Simon Yakobus Andreas Timotius Kornelius Benediktus Antonius Ignatius
    Yulius Hendrik Frans Robert Albertus Gabriel Natanael Elia Mikael Theodorus Viktor"""
)
CHRISTIAN_FEMALE = _words(
    """Maria Magdalena Yuliana Theresia Agustina Fransiska Margaretha Bernadeta Katarina
    Veronika Helena Elisabet Lusia Martha Debora Ribka Ruth Rahel Sarlota Dorkas Yohana
    Kristina Monika Anastasia Natalia Angelina Klara Priska Febiola Grace Selvi Herlina"""
)
MODERN_CHRISTIAN_MALE = _words(
    "Nathan Jovan Kenzie Gavin Kevin Jonathan Jason Reynard Evan Christian Joshua Axel Darren"
)
MODERN_CHRISTIAN_FEMALE = _words(
    "Clarissa Gracia Kezia Angel Michelle Jessica Felicia Cherry Gabriella Keisha Nathania Olivia"
)

SUNDANESE_MALE = _words(
    "Asep Ujang Dede Cecep Dadang Iwan Yayan Deden Agus Endang Ade Jajang Ujang Dadan Encep Aep"
)
SUNDANESE_FEMALE = _words(
    "Eneng Euis Neneng Imas Tini Yati Cucu Entin Rina Nining Iis Lilis Enok Ai Titin Yeni Elis"
)
SUNDANESE_SECOND = _words(
    """Setiawan Hidayat Permana Kurniawan Sudrajat Supriatna Gunawan Suryana Sumarna Mulyana
    Rahmat Hermawan Ruhiyat Saepudin Sobari"""
)
SUNDANESE_SECOND_FEMALE = _words(
    "Nurhasanah Rohmawati Sumiati Hermawati Rosmiati Nurjanah Komalasari Rahmawati Yulianti"
)
BUGIS_MALE = _words(
    """Syamsuddin Baharuddin Amiruddin Nasruddin Syarifuddin Hasanuddin Jufri Basri Ramli
    Nasrul Haris Irwan Arsyad Mappa Bakri Darwis Hamka Kaharuddin Muhlis Sabri Rahim
    Rusdi Sudirman Tajuddin Arifin Jamaluddin Saharuddin Alimuddin Mansyur Zulkarnain Asri"""
)
BUGIS_FEMALE = _words(
    """Sitti Hasnah Nurhayati Rosmini Hasriani Sukmawati Nurlaela Sahriani Irmawati Rahmawati
    Jumriati Hartina Asmawati Murniati Hasmiah Nurhaedah Marwah Haslinda Suriani Nurjannah
    Ratnawati Hamsiah Kartini Sumarni Rostina Darmawati Mardiana Hajrah Asriani Sunarti"""
)
BUGIS_SECOND_MALE = _words(
    """Pasinringi Lamba Lamusu Hamid Rahman Arsyad Latif Sultan Ismail Hakim
    Usman Malik Tahir Baso Muhammad Ali Rauf Sabir Saleh"""
)
BUGIS_NOBLE = "Andi"
# Written before a man's name ("Muh. Arsyad", "Abdul Rahim"), never alone.
MUSLIM_MALE_PREFIXES = ("Muhammad", "Muh.", "Ahmad", "Abdul")
BANJAR_MALE = _words(
    """Rusdiansyah Rahmadiansyah Hendriansyah Riduansyah Fauzi
    Rifani Hadi Syahrani Rahmadi Jailani Anshari Bahrani Zainuddin Arsyad Rusmadi Fahriansyah
    Norhadi Saidi Ramli Hairani Mursyidi Basuni Hasbullah Ridha Syarifuddin Masrani"""
)
BANJAR_FEMALE = _words(
    """Norhayati Noor Aini Siti Rahmah Mahmudah Rusmilawati Arbainah Mahrita Jumiati     Norma Hairiah Raudah Fatmawati Rusmini Noorjannah Nadiah Hamidah Mastiah
    Masliani Rabiah Nurhalisa Rusdiana Aslamiah Norlaila Fitriani"""
)
BANJAR_SECOND = _words(
    """Rahman Effendi Hidayat Arsyad Syahrani Fauzi Ramadhani Ansyari Rahmadi Jamhari Hakim
    Noor Yusuf Zakaria Husin Idris Saleh Syarif Mahmud"""
)
KUTAI_MALE = _words(
    """Junaidi Saipul Hamdani Syahrani Sahrani Jumran Aspiansyah Sarkawi Zulkifli Rusdi Bahtiar
    Mukhlis Mahyudin Jumadi Fahmi Hairil Rudiansyah Irwansyah Suriansyah Samsuri Hamsyah"""
)
KUTAI_FEMALE = _words(
    """Aspiah Masitah Salmah Rusmini Hamidah Rahmah Nurhidayah Jamilah Fatimah     Kamsiah Mardiah Sumiati Hasanah Nurbaiti Sahriah Syamsiah Noorhayati Rosidah Maslianah"""
)
KUTAI_NOBLE_MALE = "Awang"
KUTAI_NOBLE_FEMALE = "Dayang"
DAYAK_NAMES = _words(
    """Lawing Ajang Ding Lahang Ibau Lirung Juk Anyeq Bilung Usat Jalung Ngang Hanyeq Lung
    Uyang Lenjau Ului Bulan Ping Lawai Ubung Lejau Apui Ngau Irang Lian Hibau Tingang Belawan
    Nyaq Aran Jau Ledo Laing Uvang Sahun Hunyang Adjang Ubang"""
)
TORAJA_FAMILY = _words(
    """Tandi Pasulu Sampe Rante Palayukan Pakiding Parinding Paembonan Tandirerung Sarungallo
    Patandianan Palinggi Tangkeallo Bungin Kombong Sambara Rupang Toding Pabendon Limbong
    Sumule Batara Pagiling Tangdiembong Allo Rerung Layuk Tonglo Salurapa Kondolele"""
)
BATAK_MARGA = tuple(
    sorted(
        _BATAK_MARGA_IN_FAKER
        | set(_words("Pardede Panjaitan Lubis Nasution Harahap Pasaribu Purba Ginting Tarigan"))
    )
)
BATAK_MUSLIM_MARGA = _words("Lubis Nasution Harahap Siregar Hasibuan Daulay Rangkuti Pulungan")
BATAK_MALE = _words(
    "Hotman Parlindungan Togar Ronald Rinto Benget Hotma Marihot Tumpal Sahat Jhonson Bonar"
)
BATAK_FEMALE = _words(
    "Lamtiur Tiurma Friska Dame Rosmawati Lasma Hotnida Nurmaida Tiara Rotua Sondang Romauli"
)
MINAHASA_FAMILY = _words(
    """Rumondor Wenas Sumampouw Mandagi Lumentut Pangemanan Tumbelaka Wowor Kaunang
    Rondonuwu Sondakh Lengkong Supit Tumewu Pontoh Mamahit Karundeng Tambuwun Walangitan
    Rumengan Kalalo Rompas Tumiwa Lumanauw Moningka Sompie Kawengian Runtuwene"""
)
MINAHASA_MALE = _words(
    "Jefry Stenly Ferdy Ronny Meiky Glen Fandy Rivo Marcel Novly Hendry Deddy Alfian Frangky"
)
MINAHASA_FEMALE = _words(
    "Jeane Vivi Novita Deysi Marlyn Grace Olvy Sintia Feibe Christy Meyke Stevi Lenny Juwita"
)
NTT_FAMILY = _words(
    """Wea Lado Bhoka Goa Djawa Meo Soge Nggai Fernandez Parera Kolo Laka Manuk Tukan Sabon
    Pati Beda Kelen Mukin Ola Bolen Nahak Seran Bria Tefa Taneo Nenabu Kase Mau Koten Lewar
    Sogen Hurint Lamanepa Making Ruing Dasilva Rosari Nuwa"""
)
NTT_MALE = _words(
    """Yohanes Fransiskus Aloysius Blasius Kornelis Yosef Petrus Florianus Emanuel Benediktus
    Gregorius Vinsensius Yakobus Paulus Markus Servasius Hironimus Wilhelmus Laurensius"""
)
NTT_FEMALE = _words(
    """Maria Yasinta Yuliana Theresia Agustina Fransiska Margareta Bernadeta Skolastika
    Katarina Veronika Helena Yosefina Florentina Serafina Emerensiana Kristina"""
)
CHINESE_FAMILY = _words(
    """Wijaya Halim Gunawan Santoso Kurniawan Tanjaya Tanuwijaya Sutanto Lim Tan Liem Gozali
    Setiadi Susanto Chandra Hadinata Lukito Widjaja Kusuma Tjahjadi Tanudjaja Wibisono
    Hartanto Sugianto Limanto Tandiono Halim Winata Kosasih Suryadinata"""
)
CHINESE_MALE = _words(
    """Hendra Hendrik Steven Kevin Michael William Jonathan Andreas Yohanes Felix Vincent
    Richard Budi Teddy Johan Hengky Aliong Rudy Darwin Herman Ferry Edwin Ricky Anton"""
)
CHINESE_FEMALE = _words(
    """Stefani Jessica Natalia Yuliana Lisa Meilani Meiliana Lili Susanti Linda Fenny Cynthia
    Vivian Melisa Evelyn Lenny Mery Juliana Sherly Silvia Yenny Lydia Fransiska Mei Ling"""
)

# Full names of real public figures that the lists above could produce.
REFUSED_FULL_NAMES = frozenset(
    name.casefold()
    for name in (
        "Joko Widodo",
        "Prabowo Subianto",
        "Megawati Soekarnoputri",
        "Susilo Bambang Yudhoyono",
        "Agus Harimurti Yudhoyono",
        "Ganjar Pranowo",
        "Anies Baswedan",
        "Siti Nurhaliza",
        "Sri Mulyani",
        "Agus Salim",
        "Dewi Lestari",
        "Hendra Gunawan",
        "Andi Mallarangeng",
        "Awang Faroek Ishak",
        "Isran Noor",
        "Neni Moerniaeni",
        "Basri Rase",
        "Raisa Andriana",
        "Rizky Febian",
        "Ahmad Dhani",
        "Gibran Rakabuming",
        "Budi Gunawan",
        "Sandiaga Uno",
        "Siti Nurbaya",
        "Jusuf Kalla",
        "Tan Malaka",
        "Yohanes Surya",
    )
)


@dataclass(frozen=True)
class Ethnicity:
    """A people of East Kalimantan's mix and where its migrants' NIKs come from.

    ``origin_prefixes`` are region-code prefixes (``"73."``, ``"73.18."``)
    of the kecamatan where a migrant's NIK was first issued.
    """

    key: str
    muslim_share: float
    origin_prefixes: tuple[str, ...]


ETHNICITIES: dict[str, Ethnicity] = {
    ethnicity.key: ethnicity
    for ethnicity in (
        Ethnicity("jawa", 0.92, ("33.", "35.")),
        Ethnicity("sunda", 0.97, ("32.",)),
        Ethnicity(
            "bugis",
            0.99,
            (
                *("73.02.", "73.07.", "73.08.", "73.09.", "73.10.", "73.11.", "73.12."),
                *("73.13.", "73.14.", "73.15.", "73.17.", "73.22.", "73.71.", "73.72."),
            ),
        ),
        Ethnicity("banjar", 0.99, ("63.",)),
        Ethnicity("kutai", 0.98, ("64.02.", "64.08.", "64.07.")),
        Ethnicity("dayak", 0.15, ("64.07.", "64.11.", "64.02.")),
        Ethnicity("toraja", 0.12, ("73.18.", "73.26.")),
        Ethnicity("batak", 0.30, ("12.",)),
        Ethnicity("manado", 0.08, ("71.",)),
        Ethnicity("ntt", 0.05, ("53.",)),
        Ethnicity("tionghoa", 0.05, ("64.72.", "64.71.", "35.78.")),
    )
}

# Shares in the coastal cities (Bontang, Samarinda, Balikpapan); the
# interior regencies override them. Rough, for demo data only.
COASTAL_MIX: dict[str, float] = {
    "jawa": 30,
    "bugis": 22,
    "banjar": 13,
    "kutai": 9,
    "toraja": 5,
    "dayak": 4,
    "ntt": 4,
    "sunda": 3,
    "batak": 3,
    "manado": 3,
    "tionghoa": 2,
}
INTERIOR_MIX: dict[str, float] = {
    "dayak": 50,
    "kutai": 18,
    "jawa": 12,
    "banjar": 8,
    "bugis": 6,
    "toraja": 3,
    "ntt": 2,
    "batak": 1,
}
RURAL_MIX: dict[str, float] = {
    "jawa": 28,
    "kutai": 20,
    "bugis": 20,
    "banjar": 14,
    "dayak": 8,
    "toraja": 4,
    "sunda": 3,
    "ntt": 2,
    "batak": 1,
}


INTERIOR_REGENCIES = frozenset({"64.07", "64.11"})
COASTAL_REGENCIES = frozenset({"64.71", "64.72", "64.74"})


def mix_for_regency(code: str) -> dict[str, float]:
    """The ethnic mix of a kab/kota of East Kalimantan (rough, for demo data)."""
    if code in COASTAL_REGENCIES:
        return COASTAL_MIX
    if code in INTERIOR_REGENCIES:
        return INTERIOR_MIX
    return RURAL_MIX


@dataclass(frozen=True)
class NameContext:
    """What decides the shape of a name."""

    female: bool
    christian: bool
    birth_year: int

    @property
    def young(self) -> bool:
        return self.birth_year >= YOUNG_FROM_YEAR

    @property
    def old(self) -> bool:
        return self.birth_year < OLD_BEFORE_YEAR


def _muslim_given(rng: random.Random, person: NameContext) -> str:
    if person.young and rng.random() < 0.6:
        return pick(rng, MODERN_FEMALE if person.female else MODERN_MALE)
    return pick(rng, MUSLIM_FEMALE if person.female else MUSLIM_MALE)


def _christian_given(rng: random.Random, person: NameContext) -> str:
    if person.young and rng.random() < 0.5:
        return pick(rng, MODERN_CHRISTIAN_FEMALE if person.female else MODERN_CHRISTIAN_MALE)
    return pick(rng, CHRISTIAN_FEMALE if person.female else CHRISTIAN_MALE)


def _christian_in_muslim_majority(rng: random.Random, person: NameContext) -> list[str]:
    """A Christian among a mostly Muslim people: baptismal name and a common second name."""
    second = JAVANESE_SECOND_FEMALE if person.female else JAVANESE_SECOND_MALE
    return [_christian_given(rng, person), pick(rng, second)]


def _muslim_middle(rng: random.Random, person: NameContext) -> str:
    return pick(rng, MUSLIM_MIDDLE_FEMALE if person.female else MUSLIM_MIDDLE_MALE)


def _male_prefix(rng: random.Random) -> list[str]:
    return [pick(rng, MUSLIM_MALE_PREFIXES)] if rng.random() < 0.3 else []


def _javanese(rng: random.Random, person: NameContext) -> list[str]:
    if person.old and rng.random() < 0.6:
        return [pick(rng, OLD_JAVANESE_FEMALE if person.female else OLD_JAVANESE_MALE)]
    given = JAVANESE_FEMALE + GENERAL_FEMALE if person.female else JAVANESE_MALE
    second = JAVANESE_SECOND_FEMALE if person.female else JAVANESE_SECOND_MALE
    if person.christian:
        return [_christian_given(rng, person), pick(rng, given)]
    draw = rng.random()
    if draw < 0.45:
        return [pick(rng, given), pick(rng, second)]
    if draw < 0.75:
        return [_muslim_given(rng, person), pick(rng, second)]
    if draw < 0.9:
        return [_muslim_given(rng, person), _muslim_middle(rng, person), pick(rng, second)]
    return [pick(rng, given)]


def _sundanese(rng: random.Random, person: NameContext) -> list[str]:
    given = pick(rng, SUNDANESE_FEMALE if person.female else SUNDANESE_MALE)
    second = pick(rng, SUNDANESE_SECOND_FEMALE if person.female else SUNDANESE_SECOND)
    if person.christian:
        return [_christian_given(rng, person), second]
    if person.young:
        return [_muslim_given(rng, person), second]
    return [given, second] if rng.random() < 0.8 else [given]


def _bugis(rng: random.Random, person: NameContext) -> list[str]:
    if person.christian:
        return _christian_in_muslim_majority(rng, person)
    noble = [BUGIS_NOBLE] if rng.random() < 0.12 else []
    if person.young:
        return [*noble, _muslim_given(rng, person), _muslim_middle(rng, person)]
    if person.female:
        woman = pick(rng, BUGIS_FEMALE)
        if rng.random() < 0.35:
            return [*noble, woman]
        return [*noble, woman, pick(rng, BUGIS_FEMALE)]
    man = [*_male_prefix(rng), pick(rng, BUGIS_MALE)]
    if rng.random() < 0.5:
        return [*noble, *man]
    return [*noble, *man, pick(rng, BUGIS_SECOND_MALE)]


def _banjar(rng: random.Random, person: NameContext) -> list[str]:
    given = pick(rng, BANJAR_FEMALE if person.female else BANJAR_MALE)
    if person.christian:
        return _christian_in_muslim_majority(rng, person)
    if person.young:
        return [_muslim_given(rng, person), _muslim_middle(rng, person)]
    if person.female:
        return [given] if rng.random() < 0.3 else [given, pick(rng, BANJAR_FEMALE)]
    if rng.random() < 0.7:
        return [*_male_prefix(rng), given, pick(rng, BANJAR_SECOND)]
    return [*_male_prefix(rng), given]


def _kutai(rng: random.Random, person: NameContext) -> list[str]:
    given = pick(rng, KUTAI_FEMALE if person.female else KUTAI_MALE)
    if person.christian:
        return _christian_in_muslim_majority(rng, person)
    noble: list[str] = []
    if rng.random() < 0.15:
        noble = [KUTAI_NOBLE_FEMALE if person.female else KUTAI_NOBLE_MALE]
    if person.young:
        return [*noble, _muslim_given(rng, person), _muslim_middle(rng, person)]
    return [*noble, given] if rng.random() < 0.35 else [*noble, _muslim_given(rng, person), given]


def _dayak(rng: random.Random, person: NameContext) -> list[str]:
    own = pick(rng, DAYAK_NAMES)
    if not person.christian:
        return [_muslim_given(rng, person), own]
    if person.old and rng.random() < 0.3:
        return [own]
    return [_christian_given(rng, person), own]


def _with_family(family: Sequence[str]) -> Callable[[random.Random, NameContext], list[str]]:
    def build(rng: random.Random, person: NameContext) -> list[str]:
        given = (_christian_given if person.christian else _muslim_given)(rng, person)
        return [given, pick(rng, family)]

    return build


def _batak(rng: random.Random, person: NameContext) -> list[str]:
    if not person.christian:
        return [_muslim_given(rng, person), pick(rng, BATAK_MUSLIM_MARGA)]
    own = BATAK_FEMALE if person.female else BATAK_MALE
    given = pick(rng, own) if rng.random() < 0.4 else _christian_given(rng, person)
    return [given, pick(rng, BATAK_MARGA)]


def _manado(rng: random.Random, person: NameContext) -> list[str]:
    if not person.christian:
        return [_muslim_given(rng, person), pick(rng, MINAHASA_FAMILY)]
    own = MINAHASA_FEMALE if person.female else MINAHASA_MALE
    given = pick(rng, own) if rng.random() < 0.5 else _christian_given(rng, person)
    return [given, pick(rng, MINAHASA_FAMILY)]


def _ntt(rng: random.Random, person: NameContext) -> list[str]:
    if not person.christian:
        return [_muslim_given(rng, person), pick(rng, NTT_FAMILY)]
    given = pick(rng, NTT_FEMALE if person.female else NTT_MALE)
    if person.young and rng.random() < 0.4:
        given = _christian_given(rng, person)
    return [given, pick(rng, NTT_FAMILY)]


def _chinese(rng: random.Random, person: NameContext) -> list[str]:
    given = pick(rng, CHINESE_FEMALE if person.female else CHINESE_MALE)
    if person.young and rng.random() < 0.5:
        given = _christian_given(rng, person)
    return [given, pick(rng, CHINESE_FAMILY)]


_BUILDERS: dict[str, Callable[[random.Random, NameContext], list[str]]] = {
    "jawa": _javanese,
    "sunda": _sundanese,
    "bugis": _bugis,
    "banjar": _banjar,
    "kutai": _kutai,
    "dayak": _dayak,
    "toraja": _with_family(TORAJA_FAMILY),
    "batak": _batak,
    "manado": _manado,
    "ntt": _ntt,
    "tionghoa": _chinese,
}


def full_name(
    rng: random.Random,
    *,
    ethnicity: Ethnicity,
    sex: str,
    birth_year: int,
    christian: bool | None = None,
) -> str:
    """A full name fitting the person; never a refused public figure's name.

    ``christian`` fixes the religion (a church's counsellor); by default it
    is drawn from the ethnicity's share.
    """
    if christian is None:
        christian = rng.random() >= ethnicity.muslim_share
    person = NameContext(female=sex == FEMALE, christian=christian, birth_year=birth_year)
    build = _BUILDERS[ethnicity.key]
    while True:
        parts = build(rng, person)
        # A repeated word ("Nur Nur") happens when two lists share a name.
        name = " ".join(dict.fromkeys(parts))
        if name.casefold() not in REFUSED_FULL_NAMES:
            return name
