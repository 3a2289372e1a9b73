"""List exports (cases, persons, referrals) as CSV or XLSX, by role.

Rules:
- A list holds only the records the user reaches, through the permission
  helper of its app (``cases_for_user``, ``registry_organisation_ids``,
  ``referrals_for_user``): an export never widens what a page shows.
- Who exports which list: cases and referrals, the casework roles
  (coordinator, intake officers, counsellors, psychologists); persons, the
  roles that use the registry. Partners, field officers, supervisors,
  aggregate viewers and user administrators export nothing.
- Which columns a role gets is one table, ``COLUMNS[kind]``: each column
  names the roles that receive it. Some cells are further blanked by row:
  the client's name of a confidential case or of a child is given only to
  the coordinator, the lead counsellor and the case team (as in the
  caseload, where it is masked); a person's name likewise when the person
  is a child or the client of a confidential case the user does not work on.
- Never exported: the presenting problem, notes and narratives, the
  reason for a referral and what was shared with the partner, a full NIK
  (masked to its region and last four digits: ``6474********0003``). The
  full birth date is the coordinator's (letters to Dukcapil and the
  courts); other roles get the birth year, since the full date with the
  name and kelurahan singles a person out, and it is half of the NIK.
- A text cell a spreadsheet would read as a formula (``= + - @``, tab,
  carriage return) is prefixed with ``'``.
- Large lists are read in chunks of ``CHUNK`` rows with a fixed number of
  queries per chunk (everything a row needs is joined or annotated).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from lk3.accounts.roles import Role
from lk3.audit import actions
from lk3.audit.services import access_record, audit_record
from lk3.cases.models import Case, CaseMember, CaseStatus, Stage
from lk3.cases.permissions import can_use_cases, cases_for_user
from lk3.cases.stages import stage_labels
from lk3.core.models import PmksCategory
from lk3.people.models import (
    CHILD_AGE_LIMIT,
    FamilyMembership,
    Person,
    PersonStatus,
    Relationship,
)
from lk3.people.permissions import can_use_registry, registry_organisation_ids
from lk3.referrals.models import Referral, ReferralStatus
from lk3.referrals.permissions import referrals_for_user

CHUNK = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CASEWORK = frozenset({Role.COORDINATOR, Role.INTAKE, Role.COUNSELLOR, Role.PSYCHOLOGIST})
COORDINATOR = frozenset({Role.COORDINATOR})

CASES, PERSONS, REFERRALS = "cases", "persons", "referrals"
CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)


@dataclass(frozen=True)
class ExportContext:
    """What the getters need besides the row: who exports, and lookups made once."""

    user: Any
    today: datetime.date
    stage_names: Mapping[str, str]


Getter = Callable[[Any, ExportContext], Any]


@dataclass(frozen=True)
class Column:
    code: str
    header: Promise | str
    value: Getter
    roles: frozenset[str]


# -- cells ----------------------------------------------------------------------------------------


def safe_text(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def mask_nik(nik: str) -> str:
    """``6474014508850003`` -> ``6474********0003``: region and last four digits only."""
    digits = "".join(character for character in nik if character.isdigit())
    if not digits:
        return ""
    if len(digits) <= 8:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def _is_child(birth_date: datetime.date | None, today: datetime.date) -> bool:
    if birth_date is None:
        return False
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - int(before_birthday) < CHILD_AGE_LIMIT


def _display(choices: Any, value: str) -> str:
    return str(dict(choices).get(value, value)) if value else ""


# -- cases ----------------------------------------------------------------------------------------


def _case_client(case: Case, context: ExportContext) -> str:
    """The client's (or family head's) name, blank where the caseload would mask it."""
    client = case.client
    sensitive = case.is_confidential or _is_child(
        client.birth_date if client is not None else None, context.today
    )
    user = context.user
    on_team = getattr(case, "on_team", False)
    sees = user.role == Role.COORDINATOR or case.lead_counsellor_id == user.pk or on_team
    if sensitive and not sees:
        return ""
    if client is not None:
        return client.full_name
    return getattr(case, "family_head", None) or ""


def _person_name(person: Person, context: ExportContext) -> str:
    """The name, blank for a child or a confidential case's client unless the user works on a
    case of theirs (or is the coordinator)."""
    sensitive = getattr(person, "confidential_client", True) or _is_child(
        person.birth_date, context.today
    )
    sees = context.user.role == Role.COORDINATOR or getattr(person, "works_on", False)
    if sensitive and not sees:
        return ""
    return person.full_name


def _date(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


CASE_COLUMNS = [
    Column("number", gettext_lazy("Case number"), lambda case, _c: case.number, CASEWORK),
    Column("opened_on", gettext_lazy("Opened on"), lambda case, _c: case.opened_on, CASEWORK),
    Column("client", gettext_lazy("Client"), _case_client, CASEWORK),
    Column(
        "status",
        gettext_lazy("Status"),
        lambda case, _c: _display(CaseStatus.choices, case.status),
        CASEWORK,
    ),
    Column(
        "stage",
        gettext_lazy("Stage"),
        lambda case, context: context.stage_names.get(case.stage, case.stage),
        CASEWORK,
    ),
    Column(
        "lead_counsellor",
        gettext_lazy("Lead counsellor"),
        lambda case, _c: case.lead_counsellor.full_name if case.lead_counsellor else "",
        CASEWORK,
    ),
    Column(
        "pmks",
        gettext_lazy("PMKS categories"),
        lambda case, _c: "; ".join(category.name for category in case.pmks_categories.all()),
        CASEWORK,
    ),
    Column(
        "channel",
        gettext_lazy("Intake channel"),
        lambda case, _c: case.intake_channel.name,
        CASEWORK,
    ),
    Column(
        "kelurahan",
        gettext_lazy("Kelurahan"),
        lambda case, _c: case.kelurahan.name if case.kelurahan else "",
        CASEWORK,
    ),
    Column(
        "risk",
        gettext_lazy("Risk level"),
        lambda case, _c: case.get_risk_level_display(),
        CASEWORK,
    ),
    Column("closed_on", gettext_lazy("Closed on"), lambda case, _c: case.closed_on, CASEWORK),
    Column(
        "closure_reason",
        gettext_lazy("Closure reason"),
        lambda case, _c: case.get_closure_reason_display() if case.closure_reason else "",
        CASEWORK,
    ),
    Column(
        "closure_outcome",
        gettext_lazy("Outcome"),
        lambda case, _c: case.get_closure_outcome_display() if case.closure_outcome else "",
        CASEWORK,
    ),
]

PERSON_COLUMNS = [
    Column("name", gettext_lazy("Full name"), _person_name, CASEWORK),
    Column("sex", gettext_lazy("Sex"), lambda person, _c: person.get_sex_display(), CASEWORK),
    Column(
        "birth_year",
        gettext_lazy("Birth year"),
        lambda person, _c: person.birth_date.year if person.birth_date else "",
        CASEWORK,
    ),
    Column(
        "birth_date",
        gettext_lazy("Birth date"),
        lambda person, _c: person.birth_date,
        COORDINATOR,
    ),
    Column(
        "kelurahan",
        gettext_lazy("Kelurahan"),
        lambda person, _c: person.domicile_village.name if person.domicile_village else "",
        CASEWORK,
    ),
    Column("nik", gettext_lazy("NIK (masked)"), lambda person, _c: mask_nik(person.nik), CASEWORK),
    Column(
        "registered_on",
        gettext_lazy("Registered on"),
        lambda person, _c: _date(person.created_at),
        CASEWORK,
    ),
]


def _partner(referral: Referral, _context: ExportContext) -> str:
    if referral.partner is not None:
        return referral.partner.name
    return referral.referrer_name


REFERRAL_COLUMNS = [
    Column("number", gettext_lazy("Referral number"), lambda ref, _c: ref.number, CASEWORK),
    Column(
        "direction",
        gettext_lazy("Direction"),
        lambda ref, _c: ref.get_direction_display(),
        CASEWORK,
    ),
    Column(
        "case",
        gettext_lazy("Case number"),
        lambda ref, _c: ref.case.number if ref.case else "",
        CASEWORK,
    ),
    Column("partner", gettext_lazy("Partner or referrer"), _partner, CASEWORK),
    Column(
        "service",
        gettext_lazy("Service"),
        lambda ref, _c: ref.service.name if ref.service else "",
        CASEWORK,
    ),
    Column("status", gettext_lazy("Status"), lambda ref, _c: ref.get_status_display(), CASEWORK),
    Column("sent_on", gettext_lazy("Sent on"), lambda ref, _c: _date(ref.sent_at), CASEWORK),
    Column(
        "answer_due_on", gettext_lazy("Answer due on"), lambda ref, _c: ref.answer_due_on, CASEWORK
    ),
    Column(
        "answered_on",
        gettext_lazy("First answered on"),
        lambda ref, _c: _date(ref.first_answer_at),
        CASEWORK,
    ),
    Column("closed_on", gettext_lazy("Closed on"), lambda ref, _c: _date(ref.closed_at), CASEWORK),
]

COLUMNS: dict[str, list[Column]] = {
    CASES: CASE_COLUMNS,
    PERSONS: PERSON_COLUMNS,
    REFERRALS: REFERRAL_COLUMNS,
}


# -- the lists ------------------------------------------------------------------------------------

Filters = Mapping[str, str]


def _cases(user: Any, filters: Filters) -> QuerySet[Case]:
    team = CaseMember.objects.filter(case=OuterRef("pk"), user=user, removed_on__isnull=True)
    head = FamilyMembership.objects.filter(
        family=OuterRef("family_id"), relationship=Relationship.HEAD, ended_on__isnull=True
    ).values("person__full_name")[:1]
    cases = (
        cases_for_user(user)
        .select_related("client", "lead_counsellor", "intake_channel", "kelurahan")
        .prefetch_related(
            Prefetch("pmks_categories", queryset=PmksCategory.objects.order_by("name"))
        )
        .annotate(on_team=Exists(team), family_head=Subquery(head))
    )
    if filters.get("status"):
        cases = cases.filter(status=filters["status"])
    if filters.get("stage"):
        cases = cases.filter(stage=filters["stage"])
    return cases.order_by("opened_on", "sequence", "pk")


def _persons(user: Any, _filters: Filters) -> QuerySet[Person]:
    works_on = Case.objects.filter(client=OuterRef("pk")).filter(
        Q(lead_counsellor=user) | Q(members__user=user, members__removed_on__isnull=True)
    )
    confidential = Case.objects.filter(client=OuterRef("pk"), is_confidential=True)
    return (
        Person.objects.filter(
            organisation_id__in=registry_organisation_ids(user), status=PersonStatus.ACTIVE
        )
        .select_related("domicile_village")
        .annotate(works_on=Exists(works_on), confidential_client=Exists(confidential))
        .order_by("full_name", "pk")
    )


def _referrals(user: Any, filters: Filters) -> QuerySet[Referral]:
    referrals = referrals_for_user(user).select_related("case", "partner", "service")
    if filters.get("status"):
        referrals = referrals.filter(status=filters["status"])
    return referrals.order_by("sent_at", "pk")


@dataclass(frozen=True)
class ExportKind:
    code: str
    label: Promise
    may_export: Callable[[Any], bool]
    records: Callable[[Any, Filters], QuerySet[Any]]
    # Filter name -> its label and allowed values (an empty value means "all").
    filters: Mapping[str, tuple[Promise, Sequence[tuple[str, Any]]]]


KINDS: dict[str, ExportKind] = {
    CASES: ExportKind(
        CASES,
        gettext_lazy("Cases"),
        can_use_cases,
        _cases,
        {
            "status": (gettext_lazy("Status"), CaseStatus.choices),
            "stage": (gettext_lazy("Stage"), Stage.choices),
        },
    ),
    PERSONS: ExportKind(PERSONS, gettext_lazy("Persons"), can_use_registry, _persons, {}),
    REFERRALS: ExportKind(
        REFERRALS,
        gettext_lazy("Referrals"),
        can_use_cases,
        _referrals,
        {"status": (gettext_lazy("Status"), ReferralStatus.choices)},
    ),
}

UNKNOWN_FILTER = gettext_lazy("%(field)s: “%(value)s” is not one of the choices.")


def kinds_for_user(user: Any) -> list[ExportKind]:
    return [kind for kind in KINDS.values() if kind.may_export(user)]


def columns_for(kind: str, user: Any) -> list[Column]:
    """The columns of ``kind`` that the user's role receives, in order."""
    return [column for column in COLUMNS[kind] if user.role in column.roles]


def clean_filters(kind: ExportKind, data: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The kind's filters from the query string, and an error per unknown value."""
    cleaned: dict[str, str] = {}
    errors: list[str] = []
    for name, (label, choices) in kind.filters.items():
        value = data.get(name, "")
        if not value:
            continue
        if value not in {str(code) for code, _label in choices}:
            errors.append(str(UNKNOWN_FILTER % {"field": label, "value": value}))
            continue
        cleaned[name] = value
    return cleaned, errors


# -- writing --------------------------------------------------------------------------------------


def export_context(user: Any, today: datetime.date) -> ExportContext:
    return ExportContext(user=user, today=today, stage_names=stage_labels(user.organisation_id))


def rows(kind: str, user: Any, filters: Filters, context: ExportContext) -> Iterator[list[Any]]:
    """The export's data rows, raw values (dates as dates), read in chunks."""
    columns = columns_for(kind, user)
    records = KINDS[kind].records(user, filters)
    for record in records.iterator(chunk_size=CHUNK):
        yield [column.value(record, context) for column in columns]


def row_count(kind: str, user: Any, filters: Filters) -> int:
    return KINDS[kind].records(user, filters).count()


def headers(kind: str, user: Any) -> list[str]:
    return [str(column.header) for column in columns_for(kind, user)]


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_text(value)


class _Line:
    """A file-like sink for ``csv.writer`` that hands back each line written."""

    def write(self, text: str) -> str:
        return text


def csv_lines(header: Sequence[str], data: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV, line by line: a byte-order mark first so spreadsheets read UTF-8."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([safe_text(name) for name in header])
    for line in data:
        yield writer.writerow([_csv_value(value) for value in line])


def xlsx_bytes(title: str, header: Sequence[str], data: Iterable[Sequence[Any]]) -> bytes:
    """The workbook: one sheet, bold frozen header row, columns wide enough for their header."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    for position, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = max(12, len(name) + 4)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=safe_text(name))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for line in data:
        sheet.append([_xlsx_value(sheet, value) for value in line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_value(sheet: Any, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return safe_text(value)


def filename(kind: str, today: datetime.date, file_format: str) -> str:
    """``ekspor-cases-20261128.csv``."""
    return f"ekspor-{kind}-{today:%Y%m%d}.{file_format}"


@transaction.atomic
def export_record(
    *, actor: Any, kind: str, file_format: str, row_count: int, filters: Filters, path: str
) -> None:
    """Every export is an access to the organisation's records, and an audited event."""
    organisation = actor.organisation
    access_record(
        actor=actor,
        target=organisation,
        purpose=f"export_{kind}",
        path=path,
        organisation=organisation,
    )
    audit_record(
        actor=actor,
        action=actions.LIST_EXPORTED,
        target=organisation,
        organisation=organisation,
        changes={
            "kind": [None, kind],
            "format": [None, file_format],
            "rows": [None, row_count],
            "filters": [None, dict(filters)],
        },
    )
