import datetime
import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from conftest import tiny_png
from lk3.audit import actions
from lk3.audit.models import AccessEvent, AuditEvent
from lk3.cases import attachments, services
from lk3.cases.models import Attachment
from lk3.cases.tests.builders import open_case, pending_closure
from lk3.core.errors import DomainError

# A small but well-formed PDF: header, one empty page, end-of-file marker.
PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)
MB = 1024 * 1024


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files() -> list[Path]:
    return [path for path in Path(settings.LK3_PRIVATE_ROOT).rglob("*") if path.is_file()]


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.LK3_PRIVATE_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


@pytest.fixture
def case(budi, sari):
    return open_case(budi)


def new_url(case):
    return reverse("cases:attachment_create", args=[case.public_id])


def download_url(attachment):
    return reverse(
        "cases:attachment_download", args=[attachment.case.public_id, attachment.public_id]
    )


def post(client, case, file, follow=False):
    data = {"kind": "letter", "title": "Surat dari sekolah", "file": file}
    return client.post(new_url(case), data, follow=follow)


# -- accepted files -------------------------------------------------------------------------


def test_a_pdf_is_kept_outside_the_web_root_under_a_random_name(client, sari, case):
    client.force_login(sari)

    response = post(client, case, upload("surat sekolah.pdf", PDF))

    attachment = Attachment.objects.get()
    assert response["Location"] == reverse("cases:case_detail", args=[case.public_id])
    assert (attachment.content_type, attachment.size) == ("application/pdf", len(PDF))
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.original_name == "surat sekolah.pdf"
    [path] = stored_files()
    assert path.read_bytes() == PDF
    assert "surat" not in path.name
    assert path.suffix == ".pdf"
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    assert not str(path).startswith(str(settings.STATIC_ROOT))


def test_an_upload_is_audited_and_marks_the_case_active(client, sari, case):
    client.force_login(sari)

    post(client, case, upload("surat.pdf", PDF))

    event = AuditEvent.objects.get(action=actions.ATTACHMENT_ADDED)
    assert event.changes["sha256"] == [None, hashlib.sha256(PDF).hexdigest()]
    assert event.changes["case"] == [None, case.number]
    case.refresh_from_db()
    assert case.last_activity_at > event.occurred_at - datetime.timedelta(seconds=5)


def test_pictures_are_recognised_by_their_content_not_their_name(sari, case):
    png = attachments.attachment_add(
        actor=sari, case=case, kind="photo", title="", upload=upload("foto", tiny_png(), "")
    )
    photo = attachments.attachment_add(
        actor=sari, case=case, kind="scan", title="KTP", upload=upload("ktp.pdf", jpeg())
    )

    assert (png.content_type, png.title) == ("image/png", "foto")
    assert photo.content_type == "image/jpeg"
    assert attachments.download_name(photo) == "ktp.jpg"


# -- refused files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,  # Windows .exe
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200,  # Linux program
        b"#!/bin/sh\ncurl http://x | sh\n",  # script
        b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 200,  # ZIP archive
    ],
    ids=["exe", "elf", "script", "zip"],
)
def test_a_program_disguised_as_a_pdf_is_refused(client, sari, case, content):
    client.force_login(sari)

    response = post(client, case, upload("surat_panggilan.pdf", content))

    assert response.status_code == 200
    assert "program atau arsip" in response.content.decode()
    assert Attachment.objects.count() == 0
    assert stored_files() == []


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("catatan.txt", b"Catatan biasa, bukan dokumen.", "type_not_allowed"),
        ("rusak.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n", "damaged"),
        ("rusak.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "damaged"),
        ("kosong.pdf", b"", "empty"),
    ],
)
def test_other_files_are_refused_with_the_reason(sari, case, name, content, code):
    with pytest.raises(DomainError) as refused:
        attachments.attachment_add(
            actor=sari, case=case, kind="scan", title="", upload=upload(name, content)
        )

    assert (refused.value.code, refused.value.field) == (code, "file")
    assert stored_files() == []


def test_a_file_over_the_limit_is_refused_by_the_service(settings, sari, case):
    settings.LK3_ATTACHMENT_MAX_BYTES = len(PDF) - 1

    with pytest.raises(DomainError) as refused:
        attachments.attachment_add(
            actor=sari, case=case, kind="scan", title="", upload=upload("a.pdf", PDF)
        )

    assert refused.value.code == "too_large"


class LazyBody(io.RawIOBase):
    """A multipart body of any size, made as it is read; counts what was read."""

    def __init__(self, boundary: str, file_size: int) -> None:
        head = (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="kind"\r\n\r\nscan\r\n'
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="scan.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
        ).encode()
        self.head, self.filler = head, file_size - len(b"%PDF-1.4\n")
        self.tail = f"\r\n--{boundary}--\r\n".encode()
        self.length = len(head) + self.filler + len(self.tail)
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        head, filler, tail = self.head, self.filler, self.tail
        offset, produced = self.position, b""
        if offset < len(head):
            produced = head[offset : offset + len(buffer)]
        elif offset < len(head) + filler:
            produced = b"0" * min(len(buffer), len(head) + filler - offset)
        else:
            start = offset - len(head) - filler
            produced = tail[start : start + len(buffer)]
        buffer[: len(produced)] = produced
        self.position += len(produced)
        return len(produced)


def lazy_post(client, case, body: LazyBody, boundary: str):
    return client.generic(
        "POST",
        new_url(case),
        CONTENT_LENGTH=str(body.length),
        CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
        **{"wsgi.input": io.BufferedReader(body)},
    )


def test_a_200_mb_upload_is_refused_before_its_body_is_read(client, sari, case):
    client.force_login(sari)
    body = LazyBody("lk3boundary", 200 * MB)

    response = lazy_post(client, case, body, "lk3boundary")

    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.content.decode()
    assert body.position < MB
    assert Attachment.objects.count() == 0
    assert stored_files() == []


def test_a_file_growing_past_the_limit_while_it_streams_is_dropped(settings, client, sari, case):
    settings.LK3_ATTACHMENT_MAX_BYTES = 100_000
    client.force_login(sari)
    body = LazyBody("lk3boundary", 150_000)  # within the request's allowance for other fields

    response = lazy_post(client, case, body, "lk3boundary")

    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.content.decode()
    assert Attachment.objects.count() == 0
    assert stored_files() == []


def test_the_upload_form_still_checks_the_csrf_token(sari, case):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(sari)

    response = post(browser, case, upload("surat.pdf", PDF))

    assert response.status_code == 403
    assert Attachment.objects.count() == 0


def test_a_double_submitted_upload_is_kept_once(client, sari, case):
    client.force_login(sari)
    post(client, case, upload("surat.pdf", PDF))

    response = post(client, case, upload("surat.pdf", PDF), follow=True)

    assert Attachment.objects.count() == 1
    assert len(stored_files()) == 1
    assert "tidak ditambahkan dua kali" in response.content.decode()


def test_the_same_file_later_is_a_new_attachment(sari, case):
    first = attachments.attachment_add(
        actor=sari, case=case, kind="letter", title="", upload=upload("surat.pdf", PDF)
    )
    # The first upload happened before the double-submit window.
    Attachment.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )

    attachments.attachment_add(
        actor=sari, case=case, kind="letter", title="", upload=upload("surat.pdf", PDF)
    )

    assert Attachment.objects.count() == 2


def test_a_refused_row_leaves_no_file_behind(sari, case):
    with pytest.raises(ValidationError, match="title"):
        attachments.attachment_add(
            actor=sari, case=case, kind="letter", title="x" * 201, upload=upload("a.pdf", PDF)
        )

    assert Attachment.objects.count() == 0
    assert stored_files() == []


def test_no_file_is_attached_to_a_closed_case(budi):
    closure = pending_closure(budi)
    case = services.case_closure_approve(actor=budi, request=closure)

    with pytest.raises(DomainError) as refused:
        attachments.attachment_add(
            actor=budi, case=case, kind="letter", title="", upload=upload("a.pdf", PDF)
        )

    assert refused.value.code == "case_closed"
    assert stored_files() == []


# -- downloads ------------------------------------------------------------------------------


@pytest.fixture
def letter(sari, case):
    return attachments.attachment_add(
        actor=sari, case=case, kind="letter", title="Surat", upload=upload("surat.pdf", PDF)
    )


def test_a_download_is_an_attachment_that_is_not_sniffed_and_is_logged(client, sari, letter):
    client.force_login(sari)

    response = client.get(download_url(letter))

    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="surat.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AccessEvent.objects.get(purpose="attachment")
    assert (event.actor, event.target_id) == (sari, str(letter.public_id))


def test_intake_who_reaches_the_case_may_download(client, intan, letter):
    client.force_login(intan)

    response = client.get(download_url(letter))

    assert response.status_code == 200


@pytest.mark.parametrize("who", ["dewi", "rudi"])
def test_others_do_not_find_the_file(request, client, letter, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(download_url(letter))

    assert response.status_code == 404
    assert not AccessEvent.objects.filter(purpose="attachment").exists()


def test_a_file_is_not_found_under_another_case(client, budi, sari, letter):
    other = open_case(budi)
    client.force_login(sari)

    response = client.get(
        reverse("cases:attachment_download", args=[other.public_id, letter.public_id])
    )

    assert response.status_code == 404


def test_private_files_have_no_address():
    with pytest.raises(ValueError, match="no URL"):
        attachments.private_storage().url("cases/2026/11/x.pdf")


def test_the_files_panel_lists_the_attachment(client, sari, letter):
    client.force_login(sari)

    page = client.get(reverse("cases:case_detail", args=[letter.case.public_id])).content.decode()

    assert download_url(letter) in page
    assert reverse("cases:attachment_create", args=[letter.case.public_id]) in page
