import hashlib

import pytest

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.core.models import ReferenceDataLoad
from lk3.regions.models import Region
from lk3.regions.services import (
    FILE_BAD_HEADER,
    FILE_BAD_ROW,
    PROBLEM_CODE,
    PROBLEM_DUPLICATE,
    PROBLEM_LEVEL,
    PROBLEM_ORPHAN,
    RegionFileError,
    RegionLoadResult,
    regions_load,
)
from lk3.regions.tests.builders import BONTANG_ROWS, region_file, shipped_file

TOTAL_ROWS = 91_599
NEW_VILLAGE = ("64.74.01.1099", "Kelurahan Uji Coba", "desa_kelurahan")


def test_loading_the_shipped_file_again_is_skipped(db):
    result = regions_load()

    assert result == RegionLoadResult(skipped=True, unchanged=TOTAL_ROWS)


def test_the_shipped_file_is_fully_loaded(db):
    assert Region.objects.filter(is_active=True).count() == TOTAL_ROWS


def test_loaded_region_has_parent_and_search_name(db):
    region = Region.objects.get(code="64.74.01.1006")

    assert (region.name, region.level, region.parent_id, region.search_name) == (
        "Api-api",
        "desa_kelurahan",
        "64.74.01",
        "api api",
    )


def test_changed_name_is_updated(db, tmp_path):
    regions_load(path=shipped_file(tmp_path, renamed={"64.74.01.1002": "Bontang Baru Indah"}))

    region = Region.objects.get(code="64.74.01.1002")
    assert (region.name, region.search_name) == ("Bontang Baru Indah", "bontang baru indah")


def test_counts_of_a_changed_file(db, tmp_path):
    path = shipped_file(
        tmp_path,
        without=["64.74.01.1001"],
        renamed={"64.74.01.1002": "Bontang Baru Indah"},
        extra=[NEW_VILLAGE],
    )

    result = regions_load(path=path)

    assert result == RegionLoadResult(created=1, updated=1, retired=1, unchanged=TOTAL_ROWS - 2)


def test_new_code_is_created_under_its_parent(db, tmp_path):
    regions_load(path=shipped_file(tmp_path, extra=[NEW_VILLAGE]))

    region = Region.objects.get(code="64.74.01.1099")
    assert (region.parent_id, region.search_name, region.is_active) == (
        "64.74.01",
        "uji coba",
        True,
    )


def test_code_missing_from_the_file_is_retired_not_deleted(db, tmp_path):
    regions_load(path=shipped_file(tmp_path, without=["64.74.01.1001"]))

    assert (
        Region.objects.filter(code="64.74.01.1001").values_list("is_active", flat=True).get()
        is False
    )


def test_small_file_retires_everything_else_and_deletes_nothing(db, tmp_path):
    regions_load(path=region_file(tmp_path, BONTANG_ROWS))

    assert (Region.objects.count(), Region.objects.filter(is_active=True).count()) == (
        TOTAL_ROWS,
        4,
    )


def test_retired_code_that_returns_is_reactivated(db, tmp_path):
    regions_load(path=shipped_file(tmp_path, without=["64.74.01.1001"], name="first.csv"))

    result = regions_load(path=shipped_file(tmp_path, name="second.csv"))

    assert (result.updated, Region.objects.get(code="64.74.01.1001").is_active) == (1, True)


def test_second_load_of_the_same_file_is_skipped(db, tmp_path):
    path = shipped_file(tmp_path, extra=[NEW_VILLAGE])
    regions_load(path=path)

    assert regions_load(path=path) == RegionLoadResult(skipped=True, unchanged=TOTAL_ROWS + 1)


def test_load_stores_the_file_checksum(db, tmp_path):
    path = shipped_file(tmp_path, extra=[NEW_VILLAGE])

    regions_load(path=path)

    load = ReferenceDataLoad.objects.get(name="wilayah")
    assert (load.rows, load.checksum) == (
        TOTAL_ROWS + 1,
        hashlib.sha256(path.read_bytes()).hexdigest(),
    )


def test_load_writes_one_audit_row(db, tmp_path):
    before = AuditEvent.objects.filter(action=actions.REFERENCE_DATA_LOADED).count()

    regions_load(path=shipped_file(tmp_path, extra=[NEW_VILLAGE]))

    assert AuditEvent.objects.filter(action=actions.REFERENCE_DATA_LOADED).count() == before + 1


def test_audit_row_names_the_actor_and_the_load(db, tmp_path, budi):
    regions_load(actor=budi, path=shipped_file(tmp_path, extra=[NEW_VILLAGE]))

    event = AuditEvent.objects.filter(action=actions.REFERENCE_DATA_LOADED).latest("id")
    assert (event.actor, event.target_type, event.target_label) == (
        budi,
        "core.referencedataload",
        "wilayah (91600)",
    )


def test_audit_row_records_before_and_after_counts(db, tmp_path):
    previous = ReferenceDataLoad.objects.get(name="wilayah").checksum
    path = shipped_file(tmp_path, without=["64.74.01.1001"], extra=[NEW_VILLAGE])

    regions_load(path=path)

    event = AuditEvent.objects.filter(action=actions.REFERENCE_DATA_LOADED).latest("id")
    assert event.changes == {
        "checksum": [previous, hashlib.sha256(path.read_bytes()).hexdigest()],
        "rows": [TOTAL_ROWS, TOTAL_ROWS],
        "created": [0, 1],
        "updated": [0, 0],
        "retired": [0, 1],
        "unchanged": [0, TOTAL_ROWS - 1],
    }


def test_forced_load_of_the_same_file_recomputes(db):
    result = regions_load(force=True)

    assert result == RegionLoadResult(unchanged=TOTAL_ROWS)


def test_skipped_load_writes_no_audit_row(db):
    before = AuditEvent.objects.count()

    regions_load()

    assert AuditEvent.objects.count() == before


def test_result_reads_as_counts():
    result = RegionLoadResult(created=1, updated=2, retired=3, unchanged=4)

    assert str(result) == "1 created, 2 updated, 3 retired, 4 unchanged"


def test_skipped_result_says_so():
    result = RegionLoadResult(skipped=True, unchanged=91_599)

    assert str(result) == "file unchanged since the last load, skipped (91599 regions)"


def test_file_without_the_header_is_refused(db, tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("code,name,level\n64,Kalimantan Timur,provinsi\n", encoding="utf-8")

    with pytest.raises(RegionFileError, match=f"^{FILE_BAD_HEADER}$"):
        regions_load(path=path)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (("64.74.01.1099", "Uji", "desa"), PROBLEM_LEVEL % {"level": "desa"}),
        (
            ("64.74.011", "Uji", "kecamatan"),
            PROBLEM_CODE % {"code": "64.74.011", "level": "kecamatan"},
        ),
        (
            ("64.74.01", "Uji", "desa_kelurahan"),
            PROBLEM_CODE % {"code": "64.74.01", "level": "desa_kelurahan"},
        ),
        (("64.74.01", "Bontang Utara", "kecamatan"), PROBLEM_DUPLICATE % {"code": "64.74.01"}),
        (("64.99.01", "Uji", "kecamatan"), PROBLEM_ORPHAN % {"code": "64.99.01"}),
    ],
)
def test_malformed_row_is_refused_with_its_line(db, tmp_path, row, problem):
    path = region_file(tmp_path, [*BONTANG_ROWS, row])

    with pytest.raises(RegionFileError) as raised:
        regions_load(path=path)

    assert str(raised.value) == FILE_BAD_ROW % {"line": 6, "problem": problem}


def test_refused_file_changes_nothing(db, tmp_path):
    path = region_file(tmp_path, [*BONTANG_ROWS, ("64.99.01", "Uji", "kecamatan")])

    with pytest.raises(RegionFileError):
        regions_load(path=path)

    assert Region.objects.filter(is_active=True).count() == TOTAL_ROWS
