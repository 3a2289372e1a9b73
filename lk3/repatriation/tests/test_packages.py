"""The handover package: built, read, imported, answered; and every bad package refused."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.cases.storage import PrivateStorage
from lk3.core.errors import DomainError
from lk3.people.tests.builders import TODAY
from lk3.referrals.models import Notification
from lk3.repatriation import handover_selectors, handovers, packages
from lk3.repatriation.models import (
    DocumentKind,
    Handover,
    HandoverSource,
    HandoverStatus,
    PlanStatus,
)
from lk3.repatriation.packages import PackageError
from lk3.repatriation.tests.builders import NIK_ASEP, take_in
from lk3.repatriation.tests.handover_builders import (
    GARUT_AGENCY,
    approved_group,
    decide_return,
    issue_letter,
    make_plan,
    rezip,
    unzip,
    with_handover,
    with_manifest,
)

LATER = TODAY + datetime.timedelta(days=2)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def package(budi) -> bytes:
    """Bontang's package for the Garut family, with a covering letter and a statement."""
    group = approved_group(budi)
    issue_letter(budi, group, DocumentKind.COVERING)
    issue_letter(budi, group, DocumentKind.STATEMENT)
    handovers.handover_send(actor=budi, group=group, sent_on=TODAY, today=TODAY)
    return packages.package_build(actor=budi, group=group)


def _refused(data: bytes, code: str) -> PackageError:
    with pytest.raises(PackageError) as caught:
        packages.package_read(data)
    assert caught.value.code == code, caught.value.message
    assert caught.value.field == "package"
    return caught.value


# -- building ------------------------------------------------------------------------------------


def test_the_package_holds_a_manifest_the_handover_and_the_letters(budi, package):
    files = unzip(package)
    manifest = json.loads(files["manifest.json"])

    assert manifest["format"] == "lk3-handover-package"
    assert manifest["version"] == 1
    assert manifest["created_at"].endswith("Z")
    assert sorted(files) == sorted(["manifest.json", *manifest["files"]])
    letters = [name for name in files if name.startswith("letters/")]
    assert len(letters) == 2
    assert all(files[name].startswith(b"%PDF") for name in letters)
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(files[name]).hexdigest() == digest
    content = json.loads(files["handover.json"])
    Draft202012Validator(packages.handover_schema()).validate(content)
    assert content["sender"] == {
        "organisation": "LK3 Kota Bontang",
        "short_name": "LK3 Bontang",
        "region_code": "64.74",
    }
    assert content["receiver"] == {"name": GARUT_AGENCY, "via_relay": ""}
    assert content["group"]["found_place"] == "Terminal Bus Bontang"
    assert content["group"]["police_letter_ref"] == "B/123/XI/2026/Sek-BTU"
    assert content["sent_on"] == TODAY.isoformat()
    asep = content["travellers"][0]
    assert asep["full_name"] == "Asep Saepudin"
    assert asep["nik"] == NIK_ASEP
    assert asep["origin_region_code"] == "32.05.01.1001"
    assert asep["documents"] == ["ktp", "kk"]
    assert asep["health_status"] == "fit"
    assert content["travellers"][2]["nik"] is None
    assert content["plan"]["total"] == 1_170_000
    assert [letter["kind"] for letter in content["letters"]] == ["covering", "statement"]
    assert content["letters"][0]["verification_url"].startswith("http")
    # Never the health note, the circumstances or the case.
    assert "health_note" not in files["handover.json"].decode()
    assert "circumstances" not in files["handover.json"].decode()
    exported = AuditEvent.objects.get(action=actions.HANDOVER_EXPORTED)
    assert exported.changes["package_id"][1] == manifest["package_id"]


def test_no_package_without_an_approved_plan(budi):
    group = take_in(budi)
    decide_return(group)
    make_plan(group, budi, status=PlanStatus.SUBMITTED)

    with pytest.raises(DomainError) as caught:
        packages.package_build(actor=budi, group=group)

    assert caught.value.code == "plan_not_approved"
    assert not AuditEvent.objects.filter(action=actions.HANDOVER_EXPORTED).exists()


def test_the_schema_file_is_a_valid_versioned_schema():
    schema = packages.handover_schema()

    Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith(":v1")
    assert schema["properties"]["version"] == {"const": 1}


# -- the round trip ------------------------------------------------------------------------------


def test_round_trip_build_read_import_confirm(package, dinsos_garut, dadang):
    read = packages.package_read(package)
    assert read["handover"]["group"]["number"].startswith("OT-2026-")

    handover = packages.package_import(actor=dadang, organisation=dinsos_garut, data=package)

    assert handover.source == HandoverSource.IMPORTED
    assert handover.group is None
    assert handover.sending_organisation is None
    assert handover.sender_name == "LK3 Kota Bontang"
    assert handover.receiving_organisation == dinsos_garut
    assert handover.receiver_name == GARUT_AGENCY
    assert handover.sent_on == TODAY
    assert str(handover.package_id) == read["manifest"]["package_id"]
    assert handover.package_sha256 == hashlib.sha256(package).hexdigest()
    assert [t["full_name"] for t in handover.payload["travellers"]] == [
        "Asep Saepudin",
        "Eneng Nurhayati",
        "Dede Saepudin",
    ]
    assert PrivateStorage().exists(packages.stored_name(dinsos_garut, str(handover.package_id)))
    assert AuditEvent.objects.filter(
        action=actions.HANDOVER_IMPORTED, organisation=dinsos_garut
    ).exists()
    assert Notification.objects.filter(recipient=dadang, kind="handover_imported").exists()
    # The receiver reads it as a local one, and its letters from the stored package.
    shown = handover_selectors.handover_view(handover, today=LATER)
    assert next(t.full_name for t in shown["travellers"]) == "Asep Saepudin"
    assert shown["travellers"][0].origin[:2] == ["Jawa Barat", "Kabupaten Garut"]
    assert shown["plan"].total == 1_170_000
    first = shown["letters"][0]
    assert packages.imported_letter(handover, first["file"]) == unzip(package)[first["file"]]
    # Then the desk confirms the arrival in its queue.
    handovers.handover_confirm_arrival(
        actor=dadang, handover=handover, arrived_on=LATER, received_by_name="Euis", today=LATER
    )
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ARRIVED


def test_an_imported_handover_can_be_declined(package, dinsos_garut, dadang):
    handover = packages.package_import(actor=dadang, organisation=dinsos_garut, data=package)

    handovers.handover_decline(actor=dadang, handover=handover, reason="Bukan warga Garut")

    handover.refresh_from_db()
    assert handover.status == HandoverStatus.DECLINED


def test_a_package_is_imported_once(package, dinsos_garut, dadang):
    packages.package_import(actor=dadang, organisation=dinsos_garut, data=package)

    with pytest.raises(PackageError) as caught:
        packages.package_import(actor=dadang, organisation=dinsos_garut, data=package)

    assert caught.value.code == "already_imported"
    assert "already imported" in str(caught.value.message)
    assert Handover.objects.filter(source=HandoverSource.IMPORTED).count() == 1


def test_a_refused_import_saves_nothing(package, dinsos_garut, dadang):
    bad = with_handover(package, lambda content: content["travellers"][0].update(nik="1234"))

    with pytest.raises(PackageError):
        packages.package_import(actor=dadang, organisation=dinsos_garut, data=bad)

    assert not Handover.objects.filter(source=HandoverSource.IMPORTED).exists()
    assert not AuditEvent.objects.filter(action=actions.HANDOVER_IMPORTED).exists()
    folder = Path(PrivateStorage().path(packages.STORAGE_DIR)) / str(dinsos_garut.public_id)
    assert not folder.exists() or not any(folder.iterdir())


# -- bad packages --------------------------------------------------------------------------------


def test_a_tampered_letter_is_refused(package):
    files = unzip(package)
    name = next(name for name in files if name.startswith("letters/"))
    changed = bytearray(files[name])
    changed[len(changed) // 2] ^= 0x01
    files[name] = bytes(changed)

    error = _refused(rezip(files), "digest_mismatch")

    assert name in str(error.message)
    assert "changed" in str(error.message)


def test_a_tampered_handover_is_refused(package):
    files = unzip(package)
    files["handover.json"] = files["handover.json"].replace(b"Asep", b"Asap")

    error = _refused(rezip(files), "digest_mismatch")

    assert "handover.json" in str(error.message)


def test_a_changed_byte_in_the_zip_itself_is_refused(package):
    changed = bytearray(package)
    start = package.index(b"letters/") + 200  # inside a compressed letter
    changed[start] ^= 0xFF

    with pytest.raises(PackageError) as caught:
        packages.package_read(bytes(changed))

    assert caught.value.code in {"damaged", "not_zip", "digest_mismatch"}


@pytest.mark.parametrize("keep", [0.5, 0.95, 0.999])
def test_a_truncated_package_is_refused(package, keep):
    error = _refused(package[: int(len(package) * keep)], "not_zip")

    assert "truncated" in str(error.message)


def test_something_that_is_not_a_zip_is_refused():
    _refused(b"%PDF-1.4 not a package", "not_zip")


def test_a_missing_manifest_is_refused(package):
    files = unzip(package)
    del files["manifest.json"]

    error = _refused(rezip(files), "no_manifest")

    assert "manifest.json" in str(error.message)


def test_a_manifest_that_is_not_json_is_refused(package):
    files = unzip(package)
    files["manifest.json"] = b"{format: lk3"

    _refused(rezip(files), "manifest_not_json")


def test_an_unknown_version_is_refused(package):
    error = _refused(with_manifest(package, lambda m: m.update(version=2)), "unknown_version")

    assert "Version 2" in str(error.message)


def test_an_unknown_format_is_refused(package):
    _refused(with_manifest(package, lambda m: m.update(format="other")), "unknown_format")


def test_a_listed_file_that_is_missing_is_refused(package):
    files = unzip(package)
    name = next(name for name in files if name.startswith("letters/"))
    del files[name]

    error = _refused(rezip(files), "file_missing")

    assert name in str(error.message)


def test_a_file_not_listed_is_refused(package):
    files = unzip(package)
    files["letters/extra.pdf"] = b"%PDF-1.4 extra"

    error = _refused(rezip(files), "extra_file")

    assert "letters/extra.pdf" in str(error.message)


def test_a_schema_failure_names_the_field(package):
    bad = with_handover(package, lambda content: content["travellers"][1].update(sex="X"))

    error = _refused(bad, "schema")

    assert "$.travellers[1].sex" in str(error.message)


def test_a_missing_field_is_a_schema_failure(package):
    bad = with_handover(package, lambda content: content["plan"].pop("route"))

    error = _refused(bad, "schema")

    assert "$.plan" in str(error.message)
    assert "route" in str(error.message)


def test_an_impossible_date_is_a_schema_failure(package):
    bad = with_handover(package, lambda content: content["group"].update(found_on="2026-02-30"))

    error = _refused(bad, "schema")

    assert "$.group.found_on" in str(error.message)


def test_an_unknown_origin_code_is_refused(package):
    bad = with_handover(
        package, lambda content: content["travellers"][2].update(origin_region_code="99.99.99")
    )

    error = _refused(bad, "unknown_region")

    assert "99.99.99" in str(error.message)
    assert "traveller 3" in str(error.message)


def test_a_malformed_nik_is_refused(package):
    # 16 digits (the schema's pattern) but month 13 and serial 0000.
    bad = with_handover(
        package, lambda content: content["travellers"][0].update(nik="3205011213900000")
    )

    error = _refused(bad, "bad_nik")

    assert "3205011213900000" in str(error.message)
    assert "traveller 1" in str(error.message)


def test_a_package_too_large_is_refused_before_reading():
    error = _refused(b"\0" * (packages.MAX_PACKAGE_BYTES + 1), "too_large")

    assert "20 MB" in str(error.message)


def test_a_zip_bomb_is_refused(package):
    files = unzip(package)
    files["letters/bomb.pdf"] = b"\0" * (packages.MAX_UNPACKED_BYTES + 1)
    data = rezip(files)
    assert len(data) < packages.MAX_PACKAGE_BYTES  # small on the wire

    _refused(data, "too_large_unpacked")


def test_a_zip_lying_about_its_sizes_is_refused(package):
    # The central directory says a file is small; its data unpacks larger.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", b"{}")
    data = bytearray(buffer.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = (1).to_bytes(4, "little")  # uncompressed size: 1

    with pytest.raises(PackageError) as caught:
        packages.package_read(bytes(data))

    assert caught.value.code in {"not_zip", "damaged"}


# -- the commands ----------------------------------------------------------------------------------


def test_export_and_import_commands(budi, dinsos_garut, dadang, tmp_path):
    group = approved_group(budi)
    issue_letter(budi, group)
    output = tmp_path / "paket.zip"

    call_command(
        "handover_export",
        "--group",
        group.number,
        "--organisation",
        "LK3 Bontang",
        "--output",
        str(output),
        "--user",
        "budi",
        verbosity=0,
    )
    call_command(
        "handover_import",
        str(output),
        "--organisation",
        "Dinsos Garut",
        "--user",
        "dadang",
        verbosity=0,
    )

    assert Handover.objects.filter(
        source=HandoverSource.IMPORTED, receiving_organisation=dinsos_garut
    ).exists()
    with pytest.raises(CommandError) as caught:
        call_command(
            "handover_import", str(output), "--organisation", "Dinsos Garut", "--user", "dadang"
        )
    assert caught.value.returncode == 1
    assert "[already_imported]" in str(caught.value)


def test_command_usage_errors_exit_2(budi, dinsos_garut, dadang, tmp_path):
    group = approved_group(budi)
    for arguments in (
        ["handover_export", "--group", "OT-1999-0001", "--organisation", "LK3 Bontang"],
        ["handover_export", "--group", group.number, "--organisation", "Nowhere"],
    ):
        with pytest.raises(CommandError) as caught:
            call_command(*arguments, "--output", str(tmp_path / "x.zip"))
        assert caught.value.returncode == 2
    with pytest.raises(CommandError) as caught:
        call_command(
            "handover_import",
            str(tmp_path / "none.zip"),
            "--organisation",
            "Dinsos Garut",
            "--user",
            "dadang",
        )
    assert caught.value.returncode == 2


def test_export_command_refuses_a_plan_not_approved(budi, tmp_path):
    group = take_in(budi)
    decide_return(group)
    make_plan(group, budi, status=PlanStatus.DRAFT)

    with pytest.raises(CommandError) as caught:
        call_command(
            "handover_export",
            "--group",
            group.number,
            "--organisation",
            "LK3 Bontang",
            "--output",
            str(tmp_path / "x.zip"),
        )

    assert caught.value.returncode == 1
    assert not (tmp_path / "x.zip").exists()
