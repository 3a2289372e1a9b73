"""Test data for letters, made through the services, and ways to read a PDF back."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image

from lk3.accounts.models import User
from lk3.referrals import letters
from lk3.referrals.models import Letter, LetterKind, Referral
from lk3.referrals.tests.partner_builders import make_partner
from lk3.referrals.tests.referral_builders import send_referral

SIGNATORY = ("Dra. Hj. Rahmawati, M.Si.", "Ketua LK3 Kota Bontang")


def referral_out(coordinator: User, sender: User | None = None, **kw: Any) -> Referral:
    """A referral out to the UPTD PPA, sent by ``sender`` (the coordinator unless given).

    The partner joins the directory through the coordinator, who manages it.
    """
    partner = kw.pop("partner", None) or make_partner(coordinator)
    return send_referral(sender or coordinator, partner=partner, **kw)


def referral_letter(
    actor: User, referral: Referral, dated: datetime.date | None = None, **kw: Any
) -> Letter:
    name, position = kw.pop("signatory", SIGNATORY)
    return letters.referral_letter_issue(
        actor=actor,
        referral=referral,
        signatory_name=name,
        signatory_position=position,
        dated=dated,
        **kw,
    )


def plain_letter(actor: User, dated: datetime.date | None = None, **kw: Any) -> Letter:
    """A letter of the actor's organisation that is not about a referral (an invitation)."""
    values: dict[str, Any] = {
        "kind": LetterKind.OTHER,
        "subject": "Undangan rapat koordinasi jejaring",
        "signatory_name": SIGNATORY[0],
        "signatory_position": SIGNATORY[1],
        "body_template": letters.TEXT_LETTER_BODY,
        "context": {"paragraphs": ["Dengan hormat, kami mengundang Bapak/Ibu."]},
    }
    values.update(kw)
    assert actor.organisation is not None
    return letters.letter_issue(
        actor=actor,
        organisation=actor.organisation,
        dated=dated or datetime.date(2026, 11, 30),
        **values,
    )


def _tool(name: str) -> str:
    """The full path of a poppler-utils program (``scripts/bootstrap test`` installs them)."""
    path = shutil.which(name)
    assert path is not None, f"{name} is missing: run scripts/bootstrap test"
    return path


def stored_pdf(letter: Letter) -> bytes:
    with letter.pdf.open("rb") as stream:
        return stream.read()


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as poppler's pdftotext reads it, lines joined by spaces."""
    result = subprocess.run(  # noqa: S603 -- poppler reading a PDF the test made
        [_tool("pdftotext"), "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode("utf-8").split())


def first_page_png(pdf: bytes, resolution: int = 150) -> bytes:
    """Page 1 rendered by poppler's pdftoppm, as a PNG."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "letter.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # noqa: S603 -- poppler reading a PDF the test made
            [
                _tool("pdftoppm"),
                "-png",
                "-r",
                str(resolution),
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(source),
                str(Path(folder) / "page"),
            ],
            check=True,
            capture_output=True,
        )
        return (Path(folder) / "page.png").read_bytes()


def qr_codes(png: bytes) -> list[str]:
    """The texts of the QR codes found on a picture."""
    with Image.open(io.BytesIO(png)) as image:
        found = zxingcpp.read_barcodes(image.convert("L"))
    return [code.text for code in found if code.format == zxingcpp.BarcodeFormat.QRCode]


def image_count(pdf: bytes) -> int:
    """How many raster pictures the PDF holds (poppler's pdfimages)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        result = subprocess.run(  # noqa: S603 -- poppler reading a PDF the test made
            [_tool("pdfimages"), "-list", handle.name], capture_output=True, check=True
        )
    lines = result.stdout.decode().splitlines()
    return max(0, len(lines) - 2)  # two header lines
