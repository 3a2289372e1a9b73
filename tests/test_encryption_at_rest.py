"""Sensitive text is encrypted at rest: its plaintext is nowhere in the database's bytes.

Demo data is seeded into a real database (the referral network included),
a session note and an assessment narrative are added through the services
(so their audit rows are searched too), and sensitive texts are read back
through the ORM: a seeded session note, presenting problem, assessment
narrative, closing summary and check-in note, a referral's reason and the
partner's feedback, a field report's account, the two texts written through
the services, and a person's NIK. Their UTF-8 bytes are then looked for in the SQLite file
with its WAL (before and after a checkpoint) or in a ``pg_dump`` of the
PostgreSQL database. A client's name, stored in clear, is looked for the
same way and must be found: the search sees the data.

On SQLite the database is a file under ``tmp_path`` set up by ``manage.py``
in a subprocess (the tests' own database is in memory); on PostgreSQL
(``scripts/with-postgres``) the seed goes into the test database itself,
committed, and ``pg_dump`` reads it. Each part runs on its own database's
pass of ``make test``.
"""

from __future__ import annotations

import glob
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from lk3.cases.assessments import assessment_record
from lk3.cases.models import (
    Assessment,
    Case,
    CaseSession,
    CaseStatus,
    CheckIn,
    ClosureRequest,
    Instrument,
    InstrumentKind,
    SessionKind,
)
from lk3.cases.sessions import session_record
from lk3.core.models import ProblemType
from lk3.people.models import Person
from lk3.referrals.models import FieldReport, Referral
from lk3.seed.run import seed_run
from lk3.seed.scales import DEMO

ROOT = Path(__file__).resolve().parent.parent
PERSONS = 300
CASES = 60
SERVICE_NOTE = (
    "Kunjungan rumah sore hari: ibu klien bercerita bahwa suaminya kembali minum "
    "dan mengancam akan membawa anak-anak ke Tenggarong."
)
SERVICE_NARRATIVE = (
    "Anak sulung menyaksikan pertengkaran hampir setiap malam; nenek dari pihak ibu "
    "bersedia menampung sementara."
)
TIMEOUT_SECONDS = 180


def _text_answer() -> str:
    """A seeded free-text answer of an assessment (answers are case content too).

    Not one that repeats a vocabulary name, which the reference tables hold in clear.
    """
    vocabulary = set(ProblemType.objects.values_list("name", flat=True))
    for assessment in Assessment.objects.select_related("instrument").order_by("id")[:200]:
        text_questions = {
            question["code"]
            for section in assessment.instrument.schema["sections"]
            for question in section["questions"]
            if question["type"] == "text"
        }
        for code in sorted(text_questions):
            value = assessment.answers.get(code)
            if isinstance(value, str) and len(value) >= 12 and value not in vocabulary:
                return value
    raise AssertionError("no seeded assessment has a free-text answer")


def written_and_read() -> dict[str, list[str]]:
    """Write a note and a narrative through the services, then read texts back through the ORM.

    ``secret``: texts that must be encrypted; ``clear``: a text stored as it is.
    """
    case = (
        Case.objects.filter(status=CaseStatus.OPEN, lead_counsellor__isnull=False)
        .select_related("lead_counsellor", "client")
        .order_by("number")
        .first()
    )
    assert case is not None
    assert case.lead_counsellor is not None
    assert case.client is not None
    lead, today = case.lead_counsellor, timezone.localdate()
    session_record(
        actor=lead,
        case=case,
        kind=SessionKind.HOME_VISIT,
        held_on=today,
        duration_minutes=60,
        staff=[lead],
        notes=SERVICE_NOTE,
    )
    instrument = Instrument.objects.filter(kind=InstrumentKind.FAMILY_FUNCTIONING).first()
    assert instrument is not None
    answers = {
        question["code"]: 2
        for section in instrument.schema["sections"]
        for question in section["questions"]
    }
    assessment_record(
        actor=lead,
        case=case,
        instrument=instrument,
        assessed_on=today,
        answers=answers,
        narrative=SERVICE_NARRATIVE,
    )
    seeded = {
        "session note": CaseSession.objects.exclude(notes="").exclude(notes=SERVICE_NOTE),
        "narrative": Assessment.objects.exclude(narrative="").exclude(narrative=SERVICE_NARRATIVE),
        "closing summary": ClosureRequest.objects.all(),
        "check-in note": CheckIn.objects.exclude(note=""),
    }
    texts = [
        getattr(records.order_by("id").first(), name)
        for records, name in (
            (seeded["session note"], "notes"),
            (seeded["narrative"], "narrative"),
            (seeded["closing summary"], "summary"),
            (seeded["check-in note"], "note"),
        )
    ]
    person = Person.objects.exclude(nik="").order_by("id").first()
    assert person is not None
    return {
        "secret": [
            case.presenting_problem,
            *texts,
            _text_answer(),
            SERVICE_NOTE,
            SERVICE_NARRATIVE,
            person.nik,
            *_network_texts(),
        ],
        "clear": [case.client.full_name],
    }


def _network_texts() -> list[str]:
    """A seeded referral's reason and partner feedback and a field report's account."""
    referral = Referral.objects.exclude(feedback="").order_by("id").first()
    report = FieldReport.objects.order_by("id").first()
    assert referral is not None
    assert report is not None
    return [referral.reason, referral.feedback, report.what_happened]


def _assert_hidden(found: dict[str, list[str]], blob: bytes, where: str) -> None:
    assert all(found["secret"]), found
    for text in found["clear"]:
        assert text.encode() in blob, f"{text!r} (stored in clear) not found in {where}"
    for text in found["secret"]:
        assert text.encode() not in blob, f"{text!r} is readable in {where}"


# -- SQLite: a database file ---------------------------------------------------------------------


def _manage(*arguments: str, env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 -- our interpreter and our arguments
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _file_bytes(path: Path) -> bytes:
    return b"".join(
        Path(f"{path}{suffix}").read_bytes()
        for suffix in ("", "-wal", "-shm")
        if Path(f"{path}{suffix}").exists()
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the PostgreSQL pass dumps PostgreSQL")
def test_sensitive_text_is_not_in_the_sqlite_file(tmp_path):
    path = tmp_path / "lk3.sqlite3"
    env = dict(
        os.environ, DATABASE_URL=f"sqlite:///{path}", DJANGO_SETTINGS_MODULE="config.settings"
    )
    _manage("migrate", "--no-input", "-v", "0", env=env)
    _manage("load_reference", "-v", "0", env=env)
    _manage(
        "seed",
        "--scale",
        "demo",
        "--persons",
        str(PERSONS),
        "--cases",
        str(CASES),
        "-v",
        "0",
        env=env,
    )
    script = "import json; from tests.test_encryption_at_rest import written_and_read as f; print(json.dumps(f()))"
    found = json.loads(_manage("shell", "-c", script, env=env).strip().splitlines()[-1])

    _assert_hidden(found, _file_bytes(path), "the SQLite file or its WAL")
    with sqlite3.connect(path) as database:
        database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _assert_hidden(found, _file_bytes(path), "the SQLite file after a checkpoint")


# -- PostgreSQL: pg_dump -------------------------------------------------------------------------


def _pg_dump() -> str:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_dump"),
        key=lambda candidate: int(Path(candidate).parent.parent.name),
    )
    if not found:
        pytest.fail("pg_dump not found under /usr/lib/postgresql/*/bin")
    return found[-1]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="runs in the PostgreSQL pass")
def test_sensitive_text_is_not_in_a_pg_dump(transactional_db):
    seed_run(scale=DEMO, persons=PERSONS, cases=CASES)
    found = written_and_read()
    settings = connection.settings_dict
    command = [_pg_dump(), "--no-owner", "--dbname", settings["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [option, str(settings[key])]
    env = dict(os.environ, PGPASSWORD=str(settings.get("PASSWORD") or ""))

    dump = subprocess.run(  # noqa: S603 -- pg_dump of the test database
        command, env=env, capture_output=True, timeout=TIMEOUT_SECONDS, check=True
    ).stdout

    _assert_hidden(found, dump, "pg_dump")
