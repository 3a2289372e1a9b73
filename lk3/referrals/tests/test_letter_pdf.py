"""Letters on paper: what the PDF says, in Indonesian, and its QR code."""

from __future__ import annotations

import base64
import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.utils import translation

from conftest import tiny_png
from lk3.cases.tests.builders import PROBLEM
from lk3.referrals import letter_pdf
from lk3.referrals.tests.letter_builders import (
    SIGNATORY,
    first_page_png,
    image_count,
    pdf_text,
    plain_letter,
    qr_codes,
    referral_letter,
    referral_out,
    stored_pdf,
)

AUGUST_17 = datetime.date(2026, 8, 17)
PUBLIC = "https://lk3.bontangkota.go.id"


@pytest.fixture
def referral(budi, sari):
    return referral_out(budi, sender=sari)


@pytest.fixture
def letter(sari, referral):
    return referral_letter(sari, referral, dated=AUGUST_17)


def test_the_letter_names_its_number_date_partner_and_signatory(letter):
    text = pdf_text(stored_pdf(letter))

    assert letter.number == "001/LK3-BTG/VIII/2026"
    assert letter.number in text
    assert "Bontang, 17 Agustus 2026" in text
    assert "UPTD PPA Kota Bontang" in text
    assert SIGNATORY[0] in text
    assert SIGNATORY[1] in text


def test_the_letter_is_in_indonesian_whatever_the_issuer_reads(sari, referral):
    with translation.override("en"):
        letter = referral_letter(sari, referral, dated=AUGUST_17)

    text = pdf_text(stored_pdf(letter))

    assert "17 Agustus 2026" in text
    assert "August" not in text


def test_the_letter_carries_the_reason_and_only_the_shared_snapshot(letter, referral):
    text = pdf_text(stored_pdf(letter))

    assert " ".join(referral.reason.split()) in text
    for line in referral.shared_summary.splitlines():
        assert " ".join(line.split()) in text
    # The case's own account of the problem is not part of what was shared.
    assert " ".join(PROBLEM.split()) not in text


def test_the_lead_counsellor_is_the_contact(letter, sari):
    assert sari.full_name in pdf_text(stored_pdf(letter))


def test_the_qr_code_leads_to_the_verification_page(letter):
    codes = qr_codes(first_page_png(stored_pdf(letter)))

    assert codes == [f"http://127.0.0.1:8000/referrals/v/{letter.verification_code}/"]


@override_settings(LK3_PUBLIC_URL=PUBLIC + "/")
def test_the_verification_address_uses_the_public_url(sari, referral):
    letter = referral_letter(sari, referral)
    pdf = stored_pdf(letter)
    address = f"{PUBLIC}/referrals/v/{letter.verification_code}/"

    assert qr_codes(first_page_png(pdf)) == [address]
    assert address in pdf_text(pdf).replace(" ", "")


def test_the_letterhead_prints_the_organisation_lines_and_contacts(budi):
    organisation = budi.organisation
    organisation.letterhead_text = (
        "PEMERINTAH KOTA BONTANG\nLEMBAGA KONSULTASI KESEJAHTERAAN KELUARGA"
    )
    organisation.address = "Jl. Awang Long No. 1, Bontang"
    organisation.phone = "0548-21234"
    organisation.save()

    text = pdf_text(stored_pdf(plain_letter(budi)))

    assert "PEMERINTAH KOTA BONTANG" in text
    assert "LEMBAGA KONSULTASI KESEJAHTERAAN KELUARGA" in text
    assert "Jl. Awang Long No. 1, Bontang" in text
    assert "0548-21234" in text


def test_the_logo_is_on_the_letterhead_when_there_is_one(budi):
    without = plain_letter(budi)
    budi.organisation.logo.save("logo.png", ContentFile(tiny_png()))

    with_logo = plain_letter(budi, subject="Laporan bulanan")

    assert image_count(stored_pdf(without)) == 0
    assert image_count(stored_pdf(with_logo)) == 1


def test_a_damaged_logo_is_left_off(budi):
    budi.organisation.logo.save("logo.png", ContentFile(b"not a picture"))

    letter = plain_letter(budi)

    assert image_count(stored_pdf(letter)) == 0
    assert letter.number in pdf_text(stored_pdf(letter))


def test_the_stored_pdf_matches_its_recorded_fingerprint(letter):
    pdf = stored_pdf(letter)

    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == letter.sha256


def test_the_same_letter_renders_to_the_same_bytes(lk3_bontang):
    def render() -> bytes:
        return letter_pdf.pdf_from_html(
            letter_pdf.letter_html(
                organisation=lk3_bontang,
                number="007/LK3-BTG/VIII/2026",
                dated=AUGUST_17,
                subject="Undangan",
                signatory_name=SIGNATORY[0],
                signatory_position=SIGNATORY[1],
                verification_code="x" * 32,
                body_template="referrals/letters/_body_text.html",
                context={"paragraphs": ["Dengan hormat."]},
            )
        )

    assert render() == render()


def test_rendering_fetches_nothing_but_data_uris(tmp_path):
    picture = tmp_path / "logo.png"
    picture.write_bytes(tiny_png())
    inline = "data:image/png;base64," + base64.b64encode(tiny_png()).decode()
    page = '<html><body><img src="{}" width="20"><p>Halo</p></body></html>'

    from_disk = letter_pdf.pdf_from_html(page.format(picture.as_uri()))
    from_data = letter_pdf.pdf_from_html(page.format(inline))

    assert image_count(from_disk) == 0
    assert image_count(from_data) == 1


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (datetime.date(2026, 11, 30), "30 November 2026"),
        (datetime.date(2026, 5, 1), "1 Mei 2026"),
        (datetime.date(2027, 2, 14), "14 Februari 2027"),
    ],
)
def test_dates_are_written_in_indonesian_even_in_english(day, written):
    with translation.override("en"):
        assert letter_pdf.indonesian_date(day) == written


def test_the_place_line_names_the_city_without_its_title(lk3_bontang, lk3_samarinda):
    assert letter_pdf.city_of(lk3_bontang) == "Bontang"
    assert letter_pdf.city_of(lk3_samarinda) == "Samarinda"
