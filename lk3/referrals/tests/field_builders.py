"""Test data for field-officer reports, made through the services."""

from __future__ import annotations

import uuid
from typing import Any

from lk3.accounts.models import User
from lk3.referrals import field_reports
from lk3.referrals.models import FieldReport, Urgency

# Pak Agus's kelurahan (Bontang Utara) in the root conftest.
KELURAHAN = "64.74.01.1003"
WHAT_HAPPENED = (
    "Anak usia 9 tahun sering terlihat sendirian malam hari; ibunya bekerja ke luar kota."
)


def file_report(officer: User, **overrides: Any) -> FieldReport:
    """A report filed by ``officer`` (a new draft each time unless ``draft_key`` is given)."""
    assigned = officer.kelurahan.values_list("code", flat=True).first()
    values: dict[str, Any] = {
        "draft_key": uuid.uuid4(),
        "person_name": "Ibu Wati",
        "kelurahan": assigned or KELURAHAN,
        "rt": "004",
        "rw": "002",
        "address": "Belakang masjid, pagar hijau",
        "what_happened": WHAT_HAPPENED,
        "urgency": Urgency.NORMAL,
    }
    values.update(overrides)
    return field_reports.field_report_file(actor=officer, **values)
