import pytest

from lk3.regions import selectors
from lk3.regions.models import Region
from lk3.regions.search_index import current_index
from lk3.regions.selectors import region_by_code, region_path, region_search
from lk3.regions.services import regions_load
from lk3.regions.tests.builders import shipped_file


@pytest.fixture
def warm_index(db):
    """The index is built once per process; tests of query counts start warm."""
    region_search("bontang")


# -- by code ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "found"),
    [
        ("64.74.01", "64.74.01 Bontang Utara"),
        ("647401", "64.74.01 Bontang Utara"),
        ("64", "64 Kalimantan Timur"),
        ("6474", "64.74 Kota Bontang"),
        ("6474011002", "64.74.01.1002 Bontang Baru"),
        ("64.74.01.1002", "64.74.01.1002 Bontang Baru"),
    ],
)
def test_region_by_code_reads_dotted_and_undotted_codes(db, code, found):
    assert str(region_by_code(code)) == found


@pytest.mark.parametrize("code", ["99.99", "64741", "٦٤٧٤", "Bontang"])
def test_region_by_code_is_none_for_unknown_or_malformed_codes(db, code):
    assert region_by_code(code) is None


def test_region_by_code_finds_a_retired_region(db, tmp_path):
    regions_load(path=shipped_file(tmp_path, without=["64.74.02"]))

    assert str(region_by_code("64.74.02")) == "64.74.02 Bontang Selatan"


def test_region_path_runs_from_the_province(db):
    village = Region.objects.get(code="64.74.01.1002")

    assert [region.code for region in region_path(village)] == [
        "64",
        "64.74",
        "64.74.01",
        "64.74.01.1002",
    ]


def test_region_path_is_one_query(db, django_assert_num_queries):
    village = Region.objects.get(code="64.74.01.1002")

    with django_assert_num_queries(1):
        region_path(village)


# -- search -----------------------------------------------------------------------------


def _first(query, **filters):
    match = region_search(query, **filters)[0]
    return match.region.code, match.reason


def test_exact_code_comes_first(db):
    assert _first("64.74.01") == ("64.74.01", selectors.REASON_CODE)


def test_undotted_code_from_a_nik_is_found(db):
    assert _first("647401") == ("64.74.01", selectors.REASON_CODE)


def test_code_match_scores_100(db):
    assert region_search("64.74")[0].score == 100


def test_code_prefix_lists_the_children(db):
    codes = [match.region.code for match in region_search("64.74", limit=4)]

    assert codes == ["64.74", "64.74.01", "64.74.02", "64.74.03"]


def test_exact_name_is_found(db):
    assert _first("Bontang Baru") == ("64.74.01.1002", selectors.REASON_EXACT_NAME)


def test_name_without_title_word_finds_the_city(db):
    assert _first("Bontang") == ("64.74", selectors.REASON_EXACT_NAME)


def test_exact_name_ranks_before_names_that_start_with_it(db):
    reasons = [match.reason for match in region_search("Bontang", within="64", limit=3)]

    assert reasons == [
        selectors.REASON_EXACT_NAME,
        selectors.REASON_NAME_START,
        selectors.REASON_NAME_START,
    ]


def test_typo_finds_bontang_baru(db):
    assert _first("Bontang Bru") == ("64.74.01.1002", selectors.REASON_SIMILAR_NAME)


def test_typo_finds_kota_samarinda(db):
    assert _first("Samrinda") == ("64.72", selectors.REASON_SIMILAR_NAME)


def test_swapped_letters_count_as_one_typo(db):
    assert _first("Gunung Elia", within="64.74") == ("64.74.01.1005", selectors.REASON_SIMILAR_NAME)


@pytest.mark.parametrize("query", ["Api-api", "api api", "apiapi", "API API"])
def test_hyphenated_name_is_found_however_it_is_typed(db, query):
    assert _first(query, within="64.74") == ("64.74.01.1006", selectors.REASON_EXACT_NAME)


def test_word_inside_a_name_is_found(db):
    assert _first("Elai", within="64.74") == ("64.74.01.1005", selectors.REASON_WORD_START)


def test_within_keeps_only_regions_under_the_code(db):
    matches = region_search("Baru", within="64.74", limit=50)

    assert {match.region.code for match in matches} == {"64.74.01.1002"}


def test_within_accepts_an_undotted_code(db):
    assert _first("Baru", within="6474") == ("64.74.01.1002", selectors.REASON_WORD_START)


def test_within_a_malformed_code_finds_nothing(db):
    assert region_search("Baru", within="64x") == []


def test_level_filter_keeps_one_level(db):
    matches = region_search("Bontang", level="kecamatan", limit=50)

    assert {match.region.level for match in matches} == {"kecamatan"}


def test_shorter_name_starting_with_the_query_ranks_first(db):
    matches = region_search("Bontang", level="kecamatan", limit=3)

    assert [match.region.code for match in matches] == ["64.74.01", "64.74.03", "64.74.02"]


def test_unknown_level_is_refused(db):
    with pytest.raises(ValueError, match="unknown region level 'kota'"):
        region_search("Bontang", level="kota")


def test_limit_caps_the_results(db):
    assert len(region_search("Baru", limit=3)) == 3


def test_nonsense_finds_nothing(db):
    assert region_search("xqzwv") == []


def test_match_shows_the_path_that_tells_same_names_apart(db):
    match = region_search("Bontang Baru")[0]

    assert match.full_name == "Bontang Baru, Bontang Utara, Kota Bontang, Kalimantan Timur"


def test_match_shows_its_parents(db):
    match = region_search("Bontang Baru")[0]

    assert match.parent_names == "Bontang Utara, Kota Bontang, Kalimantan Timur"


def test_village_match_says_kelurahan_or_desa(db):
    match = region_search("Bontang Baru")[0]

    assert match.level_label == selectors.LABEL_KELURAHAN


def test_search_takes_two_queries_once_warm(warm_index, django_assert_num_queries):
    with django_assert_num_queries(2):
        region_search("Bontang Bru", limit=20)


def test_retired_regions_are_not_offered(db, tmp_path):
    regions_load(path=shipped_file(tmp_path, without=["64.74.02"]))

    assert [match.region.code for match in region_search("Bontang Selatan", within="64")] == []


def test_index_follows_a_new_load(db, tmp_path):
    region_search("Bontang")
    new_village = ("64.74.01.1099", "Kelurahan Uji Coba", "desa_kelurahan")
    regions_load(path=shipped_file(tmp_path, extra=[new_village]))

    assert _first("Uji Coba") == ("64.74.01.1099", selectors.REASON_EXACT_NAME)


def test_index_is_rebuilt_after_a_forced_reload(db):
    before = current_index()

    regions_load(force=True)

    assert current_index() is not before


def test_index_is_reused_while_nothing_is_loaded(db):
    assert current_index() is current_index()
