import pytest

from lk3.regions import codes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("64", "64"),
        ("6474", "64.74"),
        ("647401", "64.74.01"),
        ("6474011002", "64.74.01.1002"),
        ("64.74.01", "64.74.01"),
        (" 64.74.01.1002 ", "64.74.01.1002"),
    ],
)
def test_dotted_accepts_dotted_and_undotted_codes(value, expected):
    assert codes.dotted(value) == expected


@pytest.mark.parametrize(
    "value", ["", "6", "647", "64741", "64.74.1", "64.7401", "6474011", "٦٤٧٤", "64-74"]
)
def test_dotted_refuses_other_shapes(value):
    assert codes.dotted(value) is None


def test_lineage_lists_ancestors_province_first():
    assert codes.lineage("64.74.01.1002") == ["64", "64.74", "64.74.01", "64.74.01.1002"]


def test_parent_of_a_province_is_none():
    assert codes.parent_of("64") is None


def test_parent_of_a_village_is_its_district():
    assert codes.parent_of("64.74.01.1002") == "64.74.01"
