"""Letters on paper: the letterhead, the Indonesian date, the QR code, and the PDF.

Rules:
- A letter is written in Indonesian whatever the language of the person who
  issues it (``LETTER_LANGUAGE``): its template is rendered with that
  language active, and dates read "30 November 2026".
- Everything the PDF shows is inside the HTML given to WeasyPrint: the logo
  and the QR code are ``data:`` URIs and the fetcher refuses every other
  address, so rendering never touches the network or the disk.
- The QR code holds the letter's absolute verification address, built from
  the ``LK3_PUBLIC_URL`` setting (the address people reach the site at).
- The same letter renders to the same bytes (no dates or random ids of the
  renderer's own), so a re-rendered letter can be compared with the stored one.
"""

from __future__ import annotations

import base64
import datetime
import io
from collections.abc import Mapping
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from PIL import Image, UnidentifiedImageError

from lk3.accounts.models import Organisation
from lk3.regions.models import Region, RegionLevel

LETTER_LANGUAGE = "id"
LETTER_TEMPLATE = "referrals/letters/letter.html"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
# Logos larger than this are left off the letterhead rather than read into memory.
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
REGION_TITLES = ("Kota Administrasi ", "Kota ", "Kabupaten ", "Kab. ")


def public_url() -> str:
    """Where people reach the site (``LK3_PUBLIC_URL``), without a trailing slash."""
    return str(getattr(settings, "LK3_PUBLIC_URL", DEFAULT_PUBLIC_URL)).rstrip("/")


def verification_url(code: str) -> str:
    return public_url() + reverse("referrals:letter_verify", kwargs={"code": code})


def indonesian_date(day: datetime.date) -> str:
    """``30 November 2026``, whatever language is active."""
    with translation.override(LETTER_LANGUAGE):
        return str(date_format(day, "j F Y"))


def city_of(organisation: Organisation) -> str:
    """The city or regency an organisation sits in, as a letter's place line names it ("Bontang")."""
    region: Region | None = organisation.region
    while region is not None and region.level not in (RegionLevel.REGENCY, RegionLevel.PROVINCE):
        region = region.parent
    if region is None:
        return ""
    name = region.name
    for title in REGION_TITLES:
        if name.startswith(title):
            return name[len(title) :]
    return name


def qr_svg_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG ``data:`` URI (medium error correction)."""
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return _data_uri("image/svg+xml", buffer.getvalue())


def logo_data_uri(organisation: Organisation) -> str:
    """The organisation's logo as a ``data:`` URI; empty when there is none or it is unreadable."""
    if not organisation.logo:
        return ""
    try:
        with organisation.logo.open("rb") as stream:
            content = stream.read(LOGO_MAX_BYTES + 1)
        if len(content) > LOGO_MAX_BYTES:
            return ""
        with Image.open(io.BytesIO(content)) as image:
            content_type = LOGO_TYPES.get(image.format or "")
    except (OSError, UnidentifiedImageError, ValueError):
        return ""
    return _data_uri(content_type, content) if content_type else ""


def _data_uri(content_type: str, content: bytes) -> str:
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def letterhead_lines(organisation: Organisation) -> list[str]:
    """The lines at the top of the letter: the organisation's own, else its agency and name."""
    lines = [line.strip() for line in organisation.letterhead_text.splitlines() if line.strip()]
    return lines or [line for line in (organisation.agency_name, organisation.name) if line]


def letter_html(
    *,
    organisation: Organisation,
    number: str,
    dated: datetime.date,
    subject: str,
    signatory_name: str,
    signatory_position: str,
    verification_code: str,
    body_template: str,
    context: Mapping[str, Any],
) -> str:
    """The whole letter as one self-contained HTML document, in ``LETTER_LANGUAGE``."""
    address = verification_url(verification_code)
    values = {
        **context,
        "organisation": organisation,
        "letterhead_lines": letterhead_lines(organisation),
        "logo": logo_data_uri(organisation),
        "number": number,
        "dated_text": indonesian_date(dated),
        "city": city_of(organisation),
        "subject": subject,
        "signatory_name": signatory_name,
        "signatory_position": signatory_position,
        "verification_url": address,
        "qr_code": qr_svg_data_uri(address),
        "body_template": body_template,
    }
    with translation.override(LETTER_LANGUAGE):
        return render_to_string(LETTER_TEMPLATE, values)


def pdf_from_html(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only letters need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf())
