"""The handover package: the travellers, the plan and the letters of a return, as one file
that another deployment imports (docs/handover-package.md describes the format).

Rules:
- A package is built only for an APPROVED plan. It is a ZIP holding
  ``manifest.json`` (format, version, package id, when, and the SHA-256 of
  every other file), ``handover.json`` (``schema/handover-v1.json``) and the
  PDFs of the group's letters under ``letters/``. It carries what the
  receiver needs (names, NIK, origin, documents, health status, plan,
  letters), never the case, the health note or the circumstances.
- Reading checks, in this order, and refuses with a message naming what is
  wrong: the size (before opening), a ZIP that is whole (``testzip``), the
  total size once unpacked (a ZIP bomb), the manifest, format and version,
  that the files present are exactly the files listed, each digest (a
  changed byte is refused), the schema (naming the field's path), every
  origin region code against this deployment's regions, and every NIK.
- An organisation imports a package once (its ``package_id``). The package
  file is kept as received in the private storage (``handover-packages/``,
  named by the organisation and the package id) and the letters are read
  from it when the receiver downloads them: the PDFs are not copied into the
  database, and the stored digest shows the file is the one received. The
  people and the plan are kept in the handover's encrypted ``payload``.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re
import uuid
import zipfile
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

from lk3.accounts.models import Organisation, User
from lk3.audit import actions
from lk3.audit.services import audit_record
from lk3.cases.storage import PrivateStorage
from lk3.core.errors import DomainError
from lk3.referrals.letter_pdf import verification_url
from lk3.referrals.notifications import notify
from lk3.regions.identity import parse_nik
from lk3.regions.models import Region
from lk3.repatriation import handovers, plans
from lk3.repatriation.models import (
    Handover,
    HandoverSource,
    HandoverStatus,
    PlanStatus,
    RepatriationDocument,
    ReturnPlan,
    StrandedGroup,
)

FORMAT = "lk3-handover-package"
VERSION = 1
KNOWN_VERSIONS = (1,)
MANIFEST = "manifest.json"
HANDOVER = "handover.json"
LETTERS_DIR = "letters/"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "handover-v1.json"
MEGABYTE = 1024 * 1024
MAX_PACKAGE_BYTES = 20 * MEGABYTE
MAX_UNPACKED_BYTES = 60 * MEGABYTE
MAX_FILES = 60
STORAGE_DIR = "handover-packages"
SHA256 = re.compile(r"[0-9a-f]{64}")

TOO_LARGE = _("The package is larger than %(limit)s MB: it cannot be imported.")
NOT_A_ZIP = _(
    "This file is not a handover package: it is not a ZIP file, or it is truncated or damaged."
)
DAMAGED = _("The package is damaged: %(file)s cannot be read (the file is truncated or changed).")
TOO_MANY_FILES = _("The package holds more than %(limit)s files: it is refused.")
TOO_LARGE_UNPACKED = _("The package unpacks to more than %(limit)s MB: it is refused.")
NO_MANIFEST = _("The package has no manifest.json: it was not made by lk3 or it is incomplete.")
MANIFEST_NOT_JSON = _("manifest.json is not valid JSON.")
MANIFEST_INVALID = _("manifest.json is incomplete or wrong at %(field)s.")
UNKNOWN_FORMAT = _("This is not an lk3 handover package (format %(format)s).")
UNKNOWN_VERSION = _(
    "Version %(version)s of the handover package is not known here: "
    "this system reads version %(known)s."
)
FILE_MISSING = _("The file %(file)s listed in the package is missing from it.")
EXTRA_FILE = _("The package holds a file its manifest does not list: %(file)s.")
DIGEST_MISMATCH = _(
    "The file %(file)s was changed after the package was made (its digest does not match): "
    "the package is refused."
)
HANDOVER_NOT_JSON = _("handover.json is not valid JSON.")
SCHEMA_ERROR = _("handover.json does not follow the schema at %(path)s: %(detail)s")
UNKNOWN_REGION = _(
    "The origin region code %(code)s of traveller %(position)s is not known in this system."
)
BAD_NIK = _("The NIK %(nik)s of traveller %(position)s is not valid: %(problem)s")
ALREADY_IMPORTED = _("This package (%(package)s) was already imported here on %(date)s.")
PLAN_NOT_APPROVED = _("A handover package is made only for an approved return plan.")
PACKAGE_GONE = _("The stored package of this handover cannot be read.")

IMPORTED_TEXT = _(
    "A handover of %(count)s people from %(sender)s was imported: confirm their arrival."
)


class PackageError(DomainError):
    """A package that cannot be read or imported; ``message`` says why, in the user's language."""

    def __init__(self, message: Any, *, code: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(message, code=code, field="package", params=params)


@cache
def handover_schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def _validator() -> Draft202012Validator:
    return Draft202012Validator(
        handover_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _slug(number: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", number).strip("-")[:100] or "surat"


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


# -- building ----------------------------------------------------------------------------------


def handover_content(
    group: StrandedGroup, plan: ReturnPlan
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """``handover.json``'s content and the letters' files, by their name in the package."""
    organisation = group.organisation
    travellers = [
        {
            "full_name": member.person.full_name,
            "nik": member.person.nik or None,
            "sex": member.person.sex,
            "birth_date": _day(member.person.birth_date),
            "origin_region_code": member.origin_region_id or None,
            "stated_origin": member.stated_origin,
            "documents": list(member.documents or []),
            "health_status": member.health_status,
            "decision": member.decision,
        }
        for member in plans.travellers_of(group)
    ]
    files: dict[str, bytes] = {}
    letters = []
    documents = RepatriationDocument.objects.filter(group=group).select_related("letter")
    for document in documents.order_by("pk"):
        letter = document.letter
        name = f"{LETTERS_DIR}{_slug(letter.number)}.pdf"
        if name in files:
            name = f"{LETTERS_DIR}{_slug(letter.number)}-{document.pk}.pdf"
        with letter.pdf.open("rb") as stream:
            files[name] = stream.read()
        letters.append(
            {
                "number": letter.number,
                "kind": document.kind,
                "dated": letter.dated.isoformat(),
                "verification_url": verification_url(letter.verification_code),
                "file": name,
            }
        )
    sent = (
        group.handovers.filter(status__in=[HandoverStatus.SENT, HandoverStatus.ARRIVED])
        .order_by("-pk")
        .first()
    )
    content = {
        "version": VERSION,
        "sender": {
            "organisation": organisation.name,
            "short_name": organisation.short_name,
            "region_code": organisation.region_id or None,
        },
        "receiver": {"name": plan.receiving_agency, "via_relay": plan.via_relay},
        "group": {
            "number": group.number,
            "found_at": group.found_at,
            "found_place": group.found_place,
            "found_on": group.found_on.isoformat(),
            "police_letter_ref": group.police_letter_ref,
        },
        "sent_on": _day(sent.sent_on) if sent is not None else None,
        "travellers": travellers,
        "plan": {
            "mode": plan.mode,
            "route": plan.route,
            "departure_on": _day(plan.departure_on),
            "escort": plan.escort,
            "travellers": plan.travellers,
            "costs": {
                "tickets": int(plan.ticket_cost),
                "pocket_money": int(plan.pocket_money),
                "escort": int(plan.escort_cost),
                "other": int(plan.other_cost),
            },
            "total": int(plan.total_cost),
        },
        "letters": letters,
    }
    return content, files


def package_zip(content: dict[str, Any], files: dict[str, bytes], *, package_id: str) -> bytes:
    """The ZIP of a package: ``manifest.json`` with every other file's digest."""
    body = json.dumps(content, ensure_ascii=False, indent=2).encode()
    everything = {HANDOVER: body, **files}
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "package_id": package_id,
        "created_at": timezone.now().astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
        "files": {name: _sha256(data) for name, data in everything.items()},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2).encode())
        for name, data in everything.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@transaction.atomic
def package_build(*, actor: User | None, group: StrandedGroup) -> bytes:
    """The handover package of a group with an approved plan (audited as exported)."""
    plan = ReturnPlan.objects.filter(group=group).first()
    if plan is None or plan.status != PlanStatus.APPROVED:
        raise DomainError(PLAN_NOT_APPROVED, code="plan_not_approved")
    content, files = handover_content(group, plan)
    package_id = str(uuid.uuid4())
    data = package_zip(content, files, package_id=package_id)
    audit_record(
        actor=actor,
        action=actions.HANDOVER_EXPORTED,
        target=group,
        organisation=group.organisation,
        changes={
            "package_id": [None, package_id],
            "sha256": [None, _sha256(data)],
            "travellers": [None, len(content["travellers"])],
            "letters": [None, len(content["letters"])],
        },
    )
    return data


def package_filename(group: StrandedGroup) -> str:
    """``serah-terima-OT-2026-0001.zip``."""
    return f"serah-terima-{_slug(group.number)}.zip"


# -- reading -----------------------------------------------------------------------------------


def check_size(size: int) -> None:
    """Refuse a package too large to read (called before reading it)."""
    if size > MAX_PACKAGE_BYTES:
        raise PackageError(
            TOO_LARGE, code="too_large", params={"limit": MAX_PACKAGE_BYTES // MEGABYTE}
        )


def _open(data: bytes) -> zipfile.ZipFile:
    check_size(len(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as error:
        raise PackageError(NOT_A_ZIP, code="not_zip") from error
    infos = archive.infolist()
    if len(infos) > MAX_FILES:
        raise PackageError(TOO_MANY_FILES, code="too_many_files", params={"limit": MAX_FILES})
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise PackageError(
            TOO_LARGE_UNPACKED,
            code="too_large_unpacked",
            params={"limit": MAX_UNPACKED_BYTES // MEGABYTE},
        )
    try:
        broken = archive.testzip()
    except (
        zipfile.BadZipFile,
        zlib.error,
        RuntimeError,
        ValueError,
        EOFError,
        OSError,
        NotImplementedError,
    ):
        raise PackageError(NOT_A_ZIP, code="not_zip") from None
    if broken is not None:
        raise PackageError(DAMAGED, code="damaged", params={"file": broken})
    return archive


def _read_files(archive: zipfile.ZipFile) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for info in archive.infolist():
        if info.is_dir():
            continue
        if info.filename in found:
            raise PackageError(EXTRA_FILE, code="extra_file", params={"file": info.filename})
        try:
            found[info.filename] = archive.read(info)
        except (
            zipfile.BadZipFile,
            zlib.error,
            RuntimeError,
            ValueError,
            EOFError,
            OSError,
        ) as error:
            raise PackageError(DAMAGED, code="damaged", params={"file": info.filename}) from error
    return found


def _manifest(files: dict[str, bytes]) -> dict[str, Any]:
    if MANIFEST not in files:
        raise PackageError(NO_MANIFEST, code="no_manifest")
    try:
        manifest = json.loads(files[MANIFEST].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise PackageError(MANIFEST_NOT_JSON, code="manifest_not_json") from error
    if not isinstance(manifest, dict):
        raise PackageError(MANIFEST_INVALID, code="manifest_invalid", params={"field": "$"})
    if manifest.get("format") != FORMAT:
        raise PackageError(
            UNKNOWN_FORMAT, code="unknown_format", params={"format": manifest.get("format")}
        )
    version = manifest.get("version")
    if isinstance(version, bool) or version not in KNOWN_VERSIONS:
        raise PackageError(
            UNKNOWN_VERSION,
            code="unknown_version",
            params={"version": version, "known": ", ".join(map(str, KNOWN_VERSIONS))},
        )
    _check_manifest_fields(manifest)
    return manifest


def _check_manifest_fields(manifest: dict[str, Any]) -> None:
    def refuse(field: str) -> PackageError:
        return PackageError(MANIFEST_INVALID, code="manifest_invalid", params={"field": field})

    try:
        uuid.UUID(str(manifest.get("package_id")))
    except ValueError:
        raise refuse("package_id") from None
    try:
        datetime.datetime.fromisoformat(str(manifest.get("created_at")).replace("Z", "+00:00"))
    except ValueError:
        raise refuse("created_at") from None
    listed = manifest.get("files")
    if not isinstance(listed, dict) or HANDOVER not in listed:
        raise refuse("files")
    for name, digest in listed.items():
        if name == MANIFEST or not isinstance(digest, str) or not SHA256.fullmatch(digest):
            raise refuse(f"files.{name}")


def _check_files(manifest: dict[str, Any], files: dict[str, bytes]) -> None:
    listed: dict[str, str] = manifest["files"]
    for name in listed:
        if name not in files:
            raise PackageError(FILE_MISSING, code="file_missing", params={"file": name})
    for name in files:
        if name != MANIFEST and name not in listed:
            raise PackageError(EXTRA_FILE, code="extra_file", params={"file": name})
    for name, digest in listed.items():
        if _sha256(files[name]) != digest:
            raise PackageError(DIGEST_MISMATCH, code="digest_mismatch", params={"file": name})


def _handover(files: dict[str, bytes]) -> dict[str, Any]:
    try:
        content = json.loads(files[HANDOVER].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise PackageError(HANDOVER_NOT_JSON, code="handover_not_json") from error
    problem = best_match(_validator().iter_errors(content))
    if problem is not None:
        raise PackageError(
            SCHEMA_ERROR,
            code="schema",
            params={"path": problem.json_path, "detail": problem.message[:200]},
        )
    assert isinstance(content, dict)
    return content


def _check_letters(content: dict[str, Any], files: dict[str, bytes]) -> None:
    for letter in content["letters"]:
        if letter["file"] not in files:
            raise PackageError(FILE_MISSING, code="file_missing", params={"file": letter["file"]})


def _check_regions(content: dict[str, Any]) -> None:
    wanted = {
        traveller["origin_region_code"]
        for traveller in content["travellers"]
        if traveller["origin_region_code"]
    }
    known = set(Region.objects.filter(code__in=wanted).values_list("code", flat=True))
    for position, traveller in enumerate(content["travellers"], start=1):
        code = traveller["origin_region_code"]
        if code and code not in known:
            raise PackageError(
                UNKNOWN_REGION,
                code="unknown_region",
                params={"code": code, "position": position},
            )


def _check_niks(content: dict[str, Any]) -> None:
    for position, traveller in enumerate(content["travellers"], start=1):
        nik = traveller["nik"]
        if nik is None:
            continue
        result = parse_nik(nik)
        if not result.valid:
            raise PackageError(
                BAD_NIK,
                code="bad_nik",
                params={"nik": nik, "position": position, "problem": str(result.errors[0])},
            )


def package_read(data: bytes) -> dict[str, Any]:
    """Check a package; its manifest, ``handover.json`` content, files and digest.

    Raises ``PackageError`` naming what is wrong.
    """
    with _open(data) as archive:
        files = _read_files(archive)
    manifest = _manifest(files)
    _check_files(manifest, files)
    content = _handover(files)
    _check_letters(content, files)
    _check_regions(content)
    _check_niks(content)
    return {
        "manifest": manifest,
        "handover": content,
        "files": {name: files[name] for name in manifest["files"]},
        "package_id": uuid.UUID(str(manifest["package_id"])),
        "sha256": _sha256(data),
    }


# -- importing ---------------------------------------------------------------------------------


def stored_name(organisation: Organisation, package_id: uuid.UUID | str) -> str:
    return f"{STORAGE_DIR}/{organisation.public_id}/{package_id}.zip"


def _storage() -> PrivateStorage:
    return PrivateStorage()


def _already(organisation: Organisation, package_id: uuid.UUID) -> PackageError | None:
    earlier = Handover.objects.filter(
        receiving_organisation=organisation, source=HandoverSource.IMPORTED, package_id=package_id
    ).first()
    if earlier is None:
        return None
    return PackageError(
        ALREADY_IMPORTED,
        code="already_imported",
        params={
            "package": str(package_id),
            "date": timezone.localtime(earlier.created_at).strftime("%d-%m-%Y"),
        },
    )


@transaction.atomic
def package_import(*, actor: User, organisation: Organisation, data: bytes) -> Handover:
    """Import a package addressed to ``organisation``: a handover in its queue."""
    read = package_read(data)
    package_id: uuid.UUID = read["package_id"]
    refusal = _already(organisation, package_id)
    if refusal is not None:
        raise refusal
    content = read["handover"]
    created = datetime.datetime.fromisoformat(
        str(read["manifest"]["created_at"]).replace("Z", "+00:00")
    )
    sent_on = (
        datetime.date.fromisoformat(content["sent_on"])
        if content["sent_on"]
        else timezone.localdate(created)
    )
    storage = _storage()
    name = stored_name(organisation, package_id)
    if storage.exists(name):  # left by an import that failed after writing it
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    try:
        try:
            with transaction.atomic():
                handover = Handover.objects.create(
                    source=HandoverSource.IMPORTED,
                    group=None,
                    sending_organisation=None,
                    sender_name=content["sender"]["organisation"],
                    receiving_organisation=organisation,
                    receiver_name=content["receiver"]["name"],
                    sent_on=sent_on,
                    package_id=package_id,
                    package_sha256=read["sha256"],
                    payload=content,
                    created_by=actor,
                )
        except IntegrityError:
            raise _already(organisation, package_id) or PackageError(
                ALREADY_IMPORTED,
                code="already_imported",
                params={"package": str(package_id), "date": timezone.localdate().isoformat()},
            ) from None
        audit_record(
            actor=actor,
            action=actions.HANDOVER_IMPORTED,
            target=handover,
            organisation=organisation,
            changes={
                "package_id": [None, str(package_id)],
                "sha256": [None, read["sha256"]],
                "sender": [None, handover.sender_name],
                "group": [None, content["group"]["number"]],
                "travellers": [None, len(content["travellers"])],
                "letters": [None, len(content["letters"])],
            },
        )
        desk = handovers.desk_of(organisation)
        if desk:
            notify(
                recipients=desk,
                kind="handover_imported",
                text=IMPORTED_TEXT,
                params={
                    "count": len(content["travellers"]),
                    "sender": content["sender"]["short_name"] or handover.sender_name,
                },
                url=handovers.handover_path(handover),
            )
    except BaseException:
        storage.delete(saved)
        raise
    return handover


def imported_letter(handover: Handover, file: str) -> bytes:
    """A letter's PDF from an imported handover's stored package (checked against its digest)."""
    assert handover.receiving_organisation is not None
    assert handover.package_id is not None
    storage = _storage()
    name = stored_name(handover.receiving_organisation, handover.package_id)
    try:
        with storage.open(name, "rb") as stream:
            data = stream.read()
    except OSError:
        raise DomainError(PACKAGE_GONE, code="package_gone") from None
    if _sha256(data) != handover.package_sha256:
        raise DomainError(PACKAGE_GONE, code="package_gone")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(file)
