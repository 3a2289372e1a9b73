"""Pages of the people registry: persons, consents, families, duplicates and merges."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lk3.accounts.models import User
from lk3.audit.services import access_record
from lk3.core.errors import DomainError, StaleEditError
from lk3.core.forms import apply_domain_error, carry_current_version, change_rows
from lk3.core.pagination import paginate
from lk3.people import duplicates, merging, selectors, services
from lk3.people.diagram import family_diagram_svg, members_for_diagram
from lk3.people.forms import (
    CandidateFilterForm,
    ConsentForm,
    FamilyForm,
    KkCheckForm,
    MemberForm,
    MembershipEndForm,
    NikCheckForm,
    PersonForm,
)
from lk3.people.identity import nik_lookup_hash
from lk3.people.models import (
    Consent,
    DuplicateCandidate,
    Family,
    FamilyMembership,
    Person,
    PersonStatus,
    Relationship,
)
from lk3.people.permissions import (
    can_merge,
    can_undo_merge,
    can_use_registry,
    family_get_for_user,
    merge_get_for_user,
    person_get_for_user,
)
from lk3.people.search import person_search_for_user
from lk3.regions.identity import parse_kk, parse_nik
from lk3.regions.selectors import region_path

QUEUE_PAGE_SIZE = 25


def _registry_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_use_registry(user):
        raise PermissionDenied
    return user


# -- persons -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    user = _registry_user(request)
    assert user.organisation is not None
    today = timezone.localdate()
    form = PersonForm(
        request.POST or None,
        request.FILES or None,
        villages=selectors.villages_of(user.organisation),
        with_consent=True,
    )
    matches: list[duplicates.DraftMatch] = []
    if request.method == "POST" and form.is_valid():
        details = form.details(today)
        if not request.POST.get("confirm_new"):
            matches = _draft_matches(user, details)
        if not matches:
            try:
                person = services.person_create(
                    actor=user,
                    organisation=user.organisation,
                    aliases=form.aliases(),
                    phones=form.phone_numbers(),
                    consents=form.consents(today),
                    today=today,
                    **details,
                )
            except (ValidationError, DomainError) as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Person registered."))
                back = _return_to(request)
                if back:
                    return redirect(back)
                return redirect("people:person_detail", public_id=person.public_id)
    return render(
        request, "people/person_form.html", {"form": form, "matches": matches, "person": None}
    )


def _return_to(request: HttpRequest) -> str:
    """The page that sent the user here to register someone (``?next=``), if it is ours."""
    target = request.GET.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _draft_matches(user: User, details: dict[str, object]) -> list[duplicates.DraftMatch]:
    assert user.organisation is not None
    village = details.get("domicile_village")
    return duplicates.likely_duplicates_for_draft(
        organisation=user.organisation,
        full_name=str(details["full_name"]),
        birth_date=details["birth_date"],  # type: ignore[arg-type]
        sex=str(details["sex"]),
        nik=str(details["nik"]),
        birth_place=str(details["birth_place"]),
        address=str(details["address"]),
        kelurahan_code=getattr(village, "code", ""),
    )


@login_required
def person_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _registry_user(request)
    person = person_get_for_user(user, public_id)
    access_record(
        actor=user,
        target=person,
        purpose="view",
        path=request.path,
        organisation=person.organisation,
    )
    today = timezone.localdate()
    context = {
        "person": person,
        "age": person.age_on(today),
        "is_child": person.is_child_on(today),
        "nik_region": _nik_region(person),
        "aliases": person.aliases.all(),
        "phones": person.phones.all(),
        "consents": selectors.consents_of(person),
        "memberships": selectors.memberships_of(person),
        "candidates": selectors.open_candidates_of(person),
        "merges": selectors.merges_into(person),
        "can_merge": can_merge(user),
        "can_undo_merge": can_undo_merge(user),
        "is_active": person.status == PersonStatus.ACTIVE,
    }
    return render(request, "people/person_detail.html", context)


def _nik_region(person: Person) -> str:
    if not person.nik_region_code:
        return ""
    result = parse_nik(person.nik) if person.nik else None
    if result is None or result.region is None:
        return person.nik_region_code
    return ", ".join(region.name for region in reversed(region_path(result.region)))


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _registry_user(request)
    person = person_get_for_user(user, public_id, for_edit=True)
    if person.status != PersonStatus.ACTIVE:
        raise PermissionDenied
    form = PersonForm(
        request.POST or None,
        request.FILES or None,
        initial=PersonForm.initial_for(person),
        villages=selectors.villages_of(person.organisation),
        with_consent=False,
    )
    stale: StaleEditError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=user,
                person=person,
                expected_version=form.cleaned_data["version"] or 0,
                aliases=form.aliases(),
                phones=form.phone_numbers(),
                **form.details(timezone.localdate()),
            )
        except StaleEditError as error:
            stale = error
            carry_current_version(form, error.current_version)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:person_detail", public_id=person.public_id)
    context = {
        "form": form,
        "person": person,
        "stale": stale,
        "stale_rows": change_rows(Person, stale.changed_fields) if stale else [],
    }
    return render(request, "people/person_form.html", context, status=409 if stale else 200)


@login_required
@require_GET
def person_photo(request: HttpRequest, public_id: UUID) -> FileResponse:
    person = person_get_for_user(_registry_user(request), public_id)
    if not person.photo:
        raise Http404
    return FileResponse(person.photo.open("rb"))


@login_required
@require_GET
def nik_check(request: HttpRequest) -> HttpResponse:
    """Live feedback while a NIK is typed: what it says, and whether it is registered."""
    user = _registry_user(request)
    form = NikCheckForm(request.GET)
    result = holder = None
    if form.is_valid() and form.cleaned_data["nik"].strip():
        result = parse_nik(
            form.cleaned_data["nik"],
            birth_date=form.cleaned_data["birth_date"],
            sex=form.cleaned_data["sex"] or None,
        )
        if result.valid:
            holder = Person.objects.filter(
                organisation=user.organisation,
                nik_hash=nik_lookup_hash(result.number),
                status=PersonStatus.ACTIVE,
            ).first()
    path = region_path(result.region) if result and result.region else []
    context = {
        "form": form,
        "result": result,
        "path": list(reversed(path)),
        "kind": "nik",
        "holder": holder,
    }
    return render(request, "people/_nik_check.html", context)


@login_required
@require_GET
def kk_check(request: HttpRequest) -> HttpResponse:
    user = _registry_user(request)
    form = KkCheckForm(request.GET)
    result = holder = None
    if form.is_valid() and form.cleaned_data["kk_number"].strip():
        result = parse_kk(form.cleaned_data["kk_number"])
        if result.valid:
            holder = Family.objects.filter(
                organisation=user.organisation,
                kk_hash=services.kk_lookup_hash(result.number),
            ).first()
    path = region_path(result.region) if result and result.region else []
    context = {
        "form": form,
        "result": result,
        "path": list(reversed(path)),
        "kind": "kk",
        "family": holder,
    }
    return render(request, "people/_kk_check.html", context)


# -- consent ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _registry_user(request)
    person = person_get_for_user(user, public_id, for_edit=True)
    form = ConsentForm(request.POST or None, initial={"given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(actor=user, person=person, consent=form.consent())
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("people:person_detail", public_id=person.public_id)
    return render(request, "people/consent_form.html", {"form": form, "person": person})


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _registry_user(request)
    consent = get_object_or_404(Consent.objects.select_related("person"), public_id=public_id)
    person = person_get_for_user(user, consent.person.public_id, for_edit=True)
    try:
        services.consent_withdraw(actor=user, consent=consent)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("people:person_detail", public_id=person.public_id)


# -- families ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def family_create(request: HttpRequest) -> HttpResponse:
    user = _registry_user(request)
    assert user.organisation is not None
    head = _head_from(request, user)
    form = FamilyForm(
        request.POST or None,
        villages=selectors.villages_of(user.organisation),
        initial=_family_initial(head),
    )
    existing: list[Family] = []
    if request.method == "POST" and form.is_valid():
        details = form.details()
        if not request.POST.get("confirm_new"):
            village = details.get("domicile_village")
            existing = selectors.likely_families(
                organisation=user.organisation,
                head=head,
                address=str(details.get("address") or ""),
                village_code=getattr(village, "code", None),
            )
    if request.method == "POST" and form.is_valid() and not existing:
        try:
            family = services.family_create(
                actor=user,
                organisation=user.organisation,
                head=head,
                move_head=bool(request.POST.get("move_head")),
                **form.details(),
            )
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Family registered."))
            return redirect("people:family_detail", public_id=family.public_id)
    return render(
        request,
        "people/family_form.html",
        {"form": form, "head": head, "family": None, "existing": existing},
    )


def _head_from(request: HttpRequest, user: User) -> Person | None:
    head_id = request.GET.get("head") or request.POST.get("head")
    if not head_id:
        return None
    try:
        return person_get_for_user(user, UUID(head_id))
    except ValueError as error:
        raise Http404 from error


def _family_initial(head: Person | None) -> dict[str, object]:
    if head is None:
        return {}
    return {
        "address": head.address,
        "rt": head.rt,
        "rw": head.rw,
        "domicile_village": head.domicile_village_id,
    }


@login_required
def family_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _registry_user(request)
    family = family_get_for_user(user, public_id)
    access_record(
        actor=user,
        target=family,
        purpose="view",
        path=request.path,
        organisation=family.organisation,
    )
    memberships = list(selectors.members_of(family))
    current = [membership for membership in memberships if membership.ended_on is None]
    today = timezone.localdate()
    context = {
        "family": family,
        "current": current,
        "former": [membership for membership in memberships if membership.ended_on is not None],
        "diagram": family_diagram_svg(members_for_diagram(current, today), title=str(family)),
        "member_form": MemberForm(initial={"started_on": today}),
        "end_form": MembershipEndForm(initial={"ended_on": today}),
    }
    return render(request, "people/family_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def family_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _registry_user(request)
    family = family_get_for_user(user, public_id)
    initial = {
        "kk_number": family.kk_number,
        "address": family.address,
        "rt": family.rt,
        "rw": family.rw,
        "domicile_village": family.domicile_village_id,
        "version": family.version,
    }
    form = FamilyForm(
        request.POST or None, initial=initial, villages=selectors.villages_of(family.organisation)
    )
    stale: StaleEditError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.family_update(
                actor=user,
                family=family,
                expected_version=form.cleaned_data["version"] or 0,
                **form.details(),
            )
        except StaleEditError as error:
            stale = error
            carry_current_version(form, error.current_version)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:family_detail", public_id=family.public_id)
    context = {
        "form": form,
        "family": family,
        "stale": stale,
        "stale_rows": change_rows(type(family), stale.changed_fields) if stale else [],
    }
    return render(request, "people/family_form.html", context, status=409 if stale else 200)


@login_required
@require_GET
def family_member_candidates(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Persons to add, found with the registry search, each with its own small form."""
    user = _registry_user(request)
    family = family_get_for_user(user, public_id)
    query = request.GET.get("q", "").strip()[:100]
    hits = person_search_for_user(user=user, query=query, per_page=8).hits if query else []
    context = {
        "family": family,
        "hits": hits,
        "query": query,
        "relationships": Relationship.choices,
        "today": timezone.localdate(),
    }
    return render(request, "people/_member_candidates.html", context)


@login_required
@require_POST
def family_member_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _registry_user(request)
    family = family_get_for_user(user, public_id)
    form = MemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the person, the relationship and the date."))
        return redirect("people:family_detail", public_id=family.public_id)
    person = person_get_for_user(user, form.cleaned_data["person"])
    try:
        services.family_member_add(
            actor=user,
            family=family,
            person=person,
            relationship=form.cleaned_data["relationship"],
            started_on=form.cleaned_data["started_on"],
            move=form.cleaned_data["move"],
        )
    except (ValidationError, DomainError) as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("%(name)s added to the family.") % {"name": person.full_name})
    return redirect("people:family_detail", public_id=family.public_id)


def _message(error: ValidationError | DomainError) -> str:
    if isinstance(error, DomainError):
        return str(error.message)
    return " ".join(error.messages)


@login_required
@require_POST
def family_member_end(request: HttpRequest, public_id: UUID, membership_id: int) -> HttpResponse:
    user = _registry_user(request)
    family = family_get_for_user(user, public_id)
    membership = get_object_or_404(FamilyMembership, pk=membership_id, family=family)
    form = MembershipEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the end date and the reason."))
    else:
        try:
            services.family_member_end(
                actor=user,
                membership=membership,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, DomainError) as error:
            messages.error(request, _message(error))
        else:
            messages.success(request, _("Membership ended; it stays in the family's history."))
    return redirect("people:family_detail", public_id=family.public_id)


# -- duplicates and merges --------------------------------------------------------------------


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    user = _registry_user(request)
    assert user.organisation is not None
    form = CandidateFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    listing = paginate(
        request,
        selectors.candidate_queue(organisation=user.organisation, status=status),
        per_page=QUEUE_PAGE_SIZE,
    )
    context = {
        "form": form,
        "page": listing.page,
        "rows": [(pair, duplicates.reason_labels(pair.reasons)) for pair in listing.page],
        "query_string": listing.query_string,
        "run": selectors.latest_run(user.organisation),
        "can_merge": can_merge(user),
    }
    return render(request, "people/duplicate_list.html", context)


@login_required
@require_POST
def dedup_run_start(request: HttpRequest) -> HttpResponse:
    user = _registry_user(request)
    if not can_merge(user):
        raise PermissionDenied
    assert user.organisation is not None
    try:
        duplicates.dedup_run_request(actor=user, organisation=user.organisation)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The duplicate search has started; you can keep working."))
    return redirect("people:duplicate_list")


@login_required
@require_GET
def dedup_run_progress(request: HttpRequest) -> HttpResponse:
    user = _registry_user(request)
    assert user.organisation is not None
    return render(
        request, "people/_run_progress.html", {"run": selectors.latest_run(user.organisation)}
    )


@login_required
@require_POST
def candidate_dismiss(request: HttpRequest, candidate_id: int) -> HttpResponse:
    user = _registry_user(request)
    if not can_merge(user):
        raise PermissionDenied
    candidate = get_object_or_404(
        DuplicateCandidate, pk=candidate_id, organisation_id=user.organisation_id
    )
    try:
        duplicates.candidate_dismiss(actor=user, candidate=candidate)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Marked as two different persons."))
    return redirect("people:duplicate_list")


@login_required
@require_http_methods(["GET", "POST"])
def person_merge(request: HttpRequest, first: UUID, second: UUID) -> HttpResponse:
    user = _registry_user(request)
    one, other = person_get_for_user(user, first), person_get_for_user(user, second)
    if not can_merge(user):
        raise PermissionDenied
    survivor, merged = (
        (other, one) if request.POST.get("keep") == str(other.public_id) else (one, other)
    )
    if request.method == "POST":
        taken = {
            name
            for name in merging.CHOOSABLE_FIELDS
            if request.POST.get(f"field_{name}") == "merged"
        }
        try:
            record = merging.person_merge(
                actor=user, survivor=survivor, merged=merged, take_from_merged=taken
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request, _("Records merged. The coordinator can undo this from the person's page.")
            )
            return redirect("people:person_detail", public_id=record.survivor.public_id)
    context = {"one": one, "other": other, "rows": _comparison_rows(one, other)}
    return render(request, "people/merge.html", context)


def _comparison_rows(one: Person, other: Person) -> list[tuple[str, str, object, object, bool]]:
    rows = []
    for name in merging.CHOOSABLE_FIELDS:
        field = Person._meta.get_field(name)
        left, right = _display(one, name), _display(other, name)
        rows.append((name, str(field.verbose_name), left, right, left != right))  # type: ignore[union-attr]
    return rows


def _display(person: Person, name: str) -> object:
    getter = getattr(person, f"get_{name}_display", None)
    if getter is not None:
        return getter()
    value = getattr(person, name)
    if name == "photo":
        return value.name or ""
    return "" if value is None else value


@login_required
@require_http_methods(["GET", "POST"])
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    user = request.user
    merge = merge_get_for_user(user, merge_id)
    if request.method == "POST":
        try:
            result = merging.person_merge_undo(actor=user, merge=merge)  # type: ignore[arg-type]
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The merge was undone: there are two records again."))
            if result.kept_fields:
                messages.warning(
                    request,
                    _("Changed after the merge and therefore kept: %(fields)s.")
                    % {"fields": ", ".join(result.kept_fields)},
                )
            if can_use_registry(user):
                return redirect("people:person_detail", public_id=merge.survivor.public_id)
            return redirect("people:merge_list")
    return render(request, "people/merge_undo.html", {"merge": merge})


@login_required
def merge_list(request: HttpRequest) -> HttpResponse:
    """Recent merges, for the coordinator and the user administrator to undo one."""
    user = request.user
    if not isinstance(user, User) or not can_undo_merge(user):
        raise PermissionDenied
    assert user.organisation is not None
    listing = paginate(request, selectors.merges_of(user.organisation), per_page=QUEUE_PAGE_SIZE)
    context = {"page": listing.page, "query_string": listing.query_string}
    return render(request, "people/merge_list.html", context)
