import pytest

from lk3.regions.names import compact, normalise


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kota Bontang", "bontang"),
        ("Kabupaten Kutai Kartanegara", "kutai kartanegara"),
        ("Kab. Paser", "paser"),
        ("Kec Bontang Utara", "bontang utara"),
        ("Kel. Api-api", "api api"),
        ("Desa Sumber Rejo", "sumber rejo"),
        ("Provinsi Kalimantan Timur", "kalimantan timur"),
        ("Prov. Kalimantan Timur", "kalimantan timur"),
        ("Kelurahan Bontang Baru", "bontang baru"),
        ("Kecamatan Bontang Selatan", "bontang selatan"),
        ("Kota Administrasi Jakarta Pusat", "jakarta pusat"),
    ],
)
def test_title_words_are_dropped(name, expected):
    assert normalise(name) == expected


def test_hyphen_becomes_a_space():
    assert normalise("Api-api") == "api api"


def test_compact_form_joins_the_words():
    assert compact("Api-api") == "apiapi"


@pytest.mark.parametrize("name", ["Nuapu\u2019u", "Nuapu'u", "Nuapuu"])
def test_apostrophes_vanish_inside_a_word(name):
    assert normalise(name) == "nuapuu"


def test_accents_fold_to_ascii():
    assert normalise("Sémarang Éndah") == "semarang endah"


def test_punctuation_becomes_space_and_whitespace_collapses():
    assert normalise("  Lubuk Pakam I,II\t(Lama)  ") == "lubuk pakam i ii lama"


def test_name_made_only_of_title_words_keeps_them():
    assert normalise("Kota") == "kota"
