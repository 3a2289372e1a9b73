"""A package exported by one deployment imports into a second, separate database.

The package is built from the test database; a second deployment is a fresh
SQLite file set up by ``manage.py`` in subprocesses (migrate, reference
data, the receiving organisation and its desk user), where
``manage.py handover_import`` brings it in. The second database is then read
with the ``sqlite3`` module. A tampered and a truncated copy are refused with
exit code 1 and the reason. Runs in the SQLite pass only: the PostgreSQL pass
has no second database to make.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from lk3.people.tests.builders import TODAY
from lk3.repatriation import handovers, packages
from lk3.repatriation.models import DocumentKind
from lk3.repatriation.tests.handover_builders import (
    approved_group,
    issue_letter,
    rezip,
    unzip,
)

ROOT = Path(__file__).resolve().parents[3]
TIMEOUT_SECONDS = 120
RECEIVER_SETUP = (
    "from lk3.accounts import services as s; from lk3.accounts.models import OrganisationKind; "
    "from lk3.accounts.roles import Role; from lk3.regions.models import Region; "
    "o = s.organisation_create(actor=None, name='Dinas Sosial Kabupaten Garut', "
    "short_name='Dinsos Garut', kind=OrganisationKind.CITY_SOCIAL_OFFICE, "
    "agency_name='Dinas Sosial Kabupaten Garut', region=Region.objects.get(code='32.05'), "
    "time_zone='Asia/Jakarta'); "
    "s.user_create(actor=None, username='euis', full_name='Euis Komariah', "
    "role=Role.INTAKE, organisation=o, password='kata-sandi-garut-2026', kelurahan=[])"
)
TRAVELLERS = (
    "import json; from lk3.repatriation.models import Handover; "
    "h = Handover.objects.get(); "
    "print(json.dumps([t['full_name'] for t in h.payload['travellers']]))"
)


def _manage(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 -- our interpreter and our arguments
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def _ok(*arguments: str, env: dict[str, str]) -> str:
    result = _manage(*arguments, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="a second SQLite deployment; runs in the SQLite pass"
)
def test_a_package_imports_into_a_separate_database(budi, tmp_path):
    group = approved_group(budi)
    issue_letter(budi, group, DocumentKind.COVERING)
    handovers.handover_send(actor=budi, group=group, sent_on=TODAY, today=TODAY)
    package = tmp_path / "paket.zip"
    package.write_bytes(packages.package_build(actor=budi, group=group))
    files = unzip(package.read_bytes())
    letter = next(name for name in files if name.startswith("letters/"))
    tampered = tmp_path / "diubah.zip"
    files[letter] = files[letter].replace(b"%PDF", b"%PDX", 1)
    tampered.write_bytes(rezip(files))
    truncated = tmp_path / "terpotong.zip"
    truncated.write_bytes(package.read_bytes()[:-300])

    database = tmp_path / "garut.sqlite3"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{database}",
        LK3_VAR_DIR=str(tmp_path / "var"),
        LK3_PRIVATE_ROOT=str(tmp_path / "private"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    _ok("migrate", "--no-input", "-v", "0", env=env)
    _ok("load_reference", "-v", "0", env=env)
    _ok("shell", "-c", RECEIVER_SETUP, env=env)
    importing = ("--organisation", "Dinsos Garut", "--user", "euis")

    _ok("handover_import", str(package), *importing, env=env)

    for refused, code in ((tampered, "digest_mismatch"), (truncated, "not_zip")):
        result = _manage("handover_import", str(refused), *importing, env=env)
        assert result.returncode == 1, result.stderr
        assert f"[{code}]" in result.stderr
    again = _manage("handover_import", str(package), *importing, env=env)
    assert again.returncode == 1
    assert "[already_imported]" in again.stderr
    usage = _manage(
        "handover_import", str(package), "--organisation", "Nowhere", "--user", "x", env=env
    )
    assert usage.returncode == 2

    with sqlite3.connect(database) as second:
        rows = second.execute(
            "SELECT h.source, h.status, h.sender_name, h.receiver_name, h.package_id, "
            "o.short_name, h.group_id FROM repatriation_handover h "
            "JOIN accounts_organisation o ON o.id = h.receiving_organisation_id"
        ).fetchall()
    assert len(rows) == 1
    source, status, sender, receiver, package_id, organisation, group_id = rows[0]
    assert (source, status, sender, organisation, group_id) == (
        "imported",
        "sent",
        "LK3 Kota Bontang",
        "Dinsos Garut",
        None,
    )
    assert receiver == "Dinas Sosial Kabupaten Garut"
    manifest = json.loads(unzip(package.read_bytes())["manifest.json"])
    assert package_id.replace("-", "") == manifest["package_id"].replace("-", "")
    travellers = json.loads(_ok("shell", "-c", TRAVELLERS, env=env).strip().splitlines()[-1])
    assert travellers == ["Asep Saepudin", "Eneng Nurhayati", "Dede Saepudin"]
    stored = list((tmp_path / "private" / packages.STORAGE_DIR).rglob("*.zip"))
    assert [path.read_bytes() for path in stored] == [package.read_bytes()]
