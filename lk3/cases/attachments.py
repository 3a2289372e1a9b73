"""Files of a case (scans, letters, photos): what is accepted, where it is kept, who gets it.

Rules:
- Only documents and pictures, recognised by their content, never by the
  file name or the browser's claim: PDF (``%PDF-`` header and an
  end-of-file marker), JPEG, PNG and WebP (opened and checked with Pillow).
  Programs, scripts and archives (ELF, MZ/PE, Mach-O, ``#!``, ZIP) are
  refused with their own message even when renamed to ``.pdf``.
- At most ``LK3_ATTACHMENT_MAX_BYTES`` (10 MB unless set). A request whose
  declared length is already larger is refused before its body is read,
  and ``UploadLimit`` stops a file that grows past the limit while it
  streams in; nothing of it is kept.
- Files live in the "private" storage (``LK3_PRIVATE_ROOT``), outside the
  web root and without a URL, under random names; the original name, the
  detected type, the size and the SHA-256 are recorded.
- The same file uploaded to the same case again within
  ``work.DOUBLE_SUBMIT_WINDOW`` is refused (a double-submitted form):
  nothing is stored twice.
- Nothing is half-saved: the file is written inside the transaction that
  writes its row and audit event, and removed again if that fails.
- Files are served only to users who reach the case
  (``case_get_for_user``), as downloads, and each download is logged
  (AccessEvent ``attachment``) by the view.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import secrets
from dataclasses import dataclass
from typing import Any, BinaryIO
from uuid import UUID

from django.conf import settings
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import transaction
from django.http import Http404, HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image

from lk3.accounts.models import User
from lk3.audit import actions
from lk3.audit.services import audit_record
from lk3.cases import work
from lk3.cases.models import Attachment, AttachmentKind, Case
from lk3.core.concurrency import lock_for_edit
from lk3.core.errors import DomainError

ATTACHMENT_NEEDS_FILE = _("Choose the file to attach.")
ATTACHMENT_EMPTY = _("The file is empty.")
ATTACHMENT_TOO_LARGE = _("The file is too large: at most %(limit)s may be attached.")
ATTACHMENT_NOT_ALLOWED = _("Only PDF documents and JPEG, PNG or WebP pictures can be attached.")
ATTACHMENT_PROGRAM = _(
    "This file is a program or an archive, whatever its name says: it was not attached."
)
ATTACHMENT_DAMAGED = _("This file is damaged or not really a %(type)s: it was not attached.")
ATTACHMENT_NEEDS_KIND = _("Choose what kind of file this is.")
ATTACHMENT_DUPLICATE = _("This file was just attached to the case: it was not added a second time.")

# Room for the form's other fields around the file in a multipart body.
REQUEST_OVERHEAD_BYTES = 64 * 1024
HEAD_BYTES = 16
# Readers accept a little trailing data after the end marker; so do we.
PDF_TAIL_BYTES = 8192
PROGRAM_SIGNATURES = (
    b"\x7fELF",  # Linux programs
    b"MZ",  # Windows programs and DLLs
    b"\xfe\xed\xfa\xce",  # Mach-O (macOS), 32 and 64 bit, both byte orders
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal binaries and Java classes
    b"#!",  # scripts
    b"PK\x03\x04",  # ZIP, and what is built on it (JAR, APK, Office files)
    b"Rar!",
    b"7z\xbc\xaf\x27\x1c",
)


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]  # the first is given to stored and downloaded files
    label: str

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = FileType("application/pdf", (".pdf",), "PDF")
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), "JPEG")
PNG = FileType("image/png", (".png",), "PNG")
WEBP = FileType("image/webp", (".webp",), "WebP")
FILE_TYPES = {file_type.content_type: file_type for file_type in (PDF, JPEG, PNG, WEBP)}
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}


def private_storage() -> Storage:
    # Attachments live under LK3_PRIVATE_ROOT, outside anything the web server serves.
    return Attachment._meta.get_field("file").storage


def max_bytes() -> int:
    return int(settings.LK3_ATTACHMENT_MAX_BYTES)


def too_large_error() -> DomainError:
    return DomainError(
        ATTACHMENT_TOO_LARGE,
        code="too_large",
        field="file",
        params={"limit": filesizeformat(max_bytes())},
    )


# -- upload limits -----------------------------------------------------------------------


def declared_too_large(request: HttpRequest) -> bool:
    """Whether the request says, before its body is read, that it is over the limit."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_bytes() + REQUEST_OVERHEAD_BYTES


class UploadLimit(FileUploadHandler):
    """First upload handler of the attachment form: drops a file the moment it passes the limit.

    The rest of the body is read and thrown away in chunks (never held in
    memory), so the other fields still arrive and the page can answer.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > max_bytes():
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


# -- content checks ----------------------------------------------------------------------


def _read_at(stream: BinaryIO, offset: int, size: int) -> bytes:
    stream.seek(offset)
    return stream.read(size)


def sniff(head: bytes) -> FileType | None:
    """The accepted type the first bytes of a file announce, if any."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def file_type_check(upload: UploadedFile) -> FileType:
    """The file's real type, or a refusal naming what is wrong with it."""
    if upload.size is None or upload.size == 0:
        raise DomainError(ATTACHMENT_EMPTY, code="empty", field="file")
    if upload.size > max_bytes():
        raise too_large_error()
    stream: Any = upload.file
    head = _read_at(stream, 0, HEAD_BYTES)
    if head.startswith(PROGRAM_SIGNATURES):
        raise DomainError(ATTACHMENT_PROGRAM, code="program", field="file")
    file_type = sniff(head)
    if file_type is None:
        raise DomainError(ATTACHMENT_NOT_ALLOWED, code="type_not_allowed", field="file")
    if not _content_holds_up(stream, upload.size, file_type):
        raise DomainError(
            ATTACHMENT_DAMAGED,
            code="damaged",
            field="file",
            params={"type": file_type.label},
        )
    stream.seek(0)
    return file_type


def _content_holds_up(stream: Any, size: int, file_type: FileType) -> bool:
    if file_type == PDF:
        return b"%%EOF" in _read_at(stream, max(0, size - PDF_TAIL_BYTES), PDF_TAIL_BYTES)
    stream.seek(0)
    try:
        with Image.open(stream, formats=[PILLOW_FORMATS[file_type]]) as image:
            image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return True


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


# -- writes ------------------------------------------------------------------------------


def _storage_name(when: datetime.datetime, file_type: FileType) -> str:
    return f"cases/{when:%Y/%m}/{secrets.token_hex(16)}{file_type.extension}"


def _original_name(upload: UploadedFile) -> str:
    name = os.path.basename((upload.name or "").replace("\\", "/")).strip()
    return name[-255:] or "file"


@transaction.atomic
def attachment_add(
    *, actor: User, case: Case, kind: str, title: str, upload: UploadedFile | None
) -> Attachment:
    if upload is None:
        raise DomainError(ATTACHMENT_NEEDS_FILE, code="needs_file", field="file")
    if kind not in AttachmentKind.values:
        raise DomainError(ATTACHMENT_NEEDS_KIND, code="needs_kind", field="kind")
    file_type = file_type_check(upload)
    digest = sha256_of(upload)
    current = lock_for_edit(case)
    work.require_not_closed(current)
    now = timezone.now()
    recent = Attachment.objects.filter(
        case=current, sha256=digest, created_at__gte=now - work.DOUBLE_SUBMIT_WINDOW
    )
    if recent.exists():
        raise DomainError(ATTACHMENT_DUPLICATE, code="duplicate_upload", field="file")
    original_name = _original_name(upload)
    storage = private_storage()
    stored_name = storage.save(_storage_name(now, file_type), upload)
    try:
        attachment = _attachment_row(
            actor=actor,
            case=current,
            kind=kind,
            title=title.strip() or original_name[:200],
            stored_name=stored_name,
            original_name=original_name,
            file_type=file_type,
            size=int(upload.size or 0),
            digest=digest,
        )
        work.activity_touch(current, now)
    except BaseException:
        storage.delete(stored_name)
        raise
    return attachment


def _attachment_row(
    *,
    actor: User,
    case: Case,
    kind: str,
    title: str,
    stored_name: str,
    original_name: str,
    file_type: FileType,
    size: int,
    digest: str,
) -> Attachment:
    attachment = Attachment(
        case=case,
        kind=kind,
        title=title,
        original_name=original_name,
        content_type=file_type.content_type,
        size=size,
        sha256=digest,
        uploaded_by=actor,
    )
    attachment.file.name = stored_name
    attachment.full_clean()
    attachment.save()
    audit_record(
        actor=actor,
        action=actions.ATTACHMENT_ADDED,
        target=attachment,
        organisation=case.organisation,
        changes={
            "case": [None, case.number],
            "kind": [None, kind],
            "title": [None, title],
            "original_name": [None, original_name],
            "content_type": [None, file_type.content_type],
            "size": [None, size],
            "sha256": [None, digest],
        },
    )
    return attachment


# -- reads -------------------------------------------------------------------------------


def attachment_list_for_case(case: Case) -> list[Attachment]:
    return list(Attachment.objects.filter(case=case).select_related("uploaded_by"))


def attachment_get_for_case(case: Case, public_id: UUID) -> Attachment:
    """An attachment of a case the caller already fetched through ``case_get_for_user``."""
    found = Attachment.objects.filter(case=case, public_id=public_id).first()
    if found is None:
        raise Http404
    return found


def attachment_open(attachment: Attachment) -> Any:
    return private_storage().open(attachment.file.name, "rb")


def download_name(attachment: Attachment) -> str:
    """The original name, with an extension that says what the file really is."""
    stem, extension = os.path.splitext(attachment.original_name)
    file_type = FILE_TYPES[attachment.content_type]
    if extension.lower() in file_type.extensions:
        return attachment.original_name
    return f"{stem or 'file'}{file_type.extension}"
