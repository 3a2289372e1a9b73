"""Pages of a case: opening, the case page (header, quick actions, timeline, panels), editing,
and the organisation's stage names.

Quick actions are plain POST forms that redirect back to the case page;
htmx only swaps the page's main part instead of reloading it. A refused
action (bad input, a stale version) shows its form again, with the input
kept and, when stale, what the other person changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lk3.accounts.models import User
from lk3.audit.services import access_record
from lk3.cases import selectors, services, stages
from lk3.cases.forms import (
    CaseForm,
    CheckInRecordForm,
    CheckInScheduleForm,
    ClosureRequestForm,
    ClosureReturnForm,
    MemberForm,
    ReasonForm,
    StageLabelsForm,
    StageMoveForm,
    TransferForm,
)
from lk3.cases.models import (
    Case,
    CaseMember,
    CaseStatus,
    CheckIn,
    ClosureRequest,
    RiskLevel,
)
from lk3.cases.permissions import (
    can_lead,
    can_open_case,
    can_use_cases,
    can_work_on,
    case_get_for_coordinator,
    case_get_for_user,
    is_coordinator,
)
from lk3.core.errors import DomainError, StaleEditError
from lk3.core.forms import apply_domain_error, carry_current_version
from lk3.core.models import IntakeChannel
from lk3.people.models import Family, Person
from lk3.people.permissions import family_get_for_user, person_get_for_user
from lk3.people.selectors import villages_of
from lk3.referrals import referral_selectors
from lk3.repatriation.intake import CHANNEL_CODE as STRANDED_CHANNEL
from lk3.repatriation.models import StrandedGroup

# The one-time tokens of the last cases this browser session opened.
OPENED_SESSION_KEY = "cases_opened"
OPENED_KEPT = 20
TIMELINE_STEP = 30

ALREADY_OPENED = _("This case was already opened: here it is.")


def _case_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_use_cases(user):
        raise PermissionDenied
    return user


# -- opening --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    user = _case_user(request)
    organisation = user.organisation
    if organisation is None or not can_open_case(user):
        raise PermissionDenied
    client, family = _subject(request, user)
    if client is None and family is None:
        return render(request, "cases/case_open.html", {"form": None})
    opened = _opened_with(request, request.POST.get("token", ""))
    if opened is not None:
        messages.info(request, ALREADY_OPENED)
        return redirect("cases:case_detail", public_id=opened)
    form = CaseForm(
        request.POST or None,
        leads=selectors.lead_candidates(organisation.pk),
        members=selectors.members_of(family) if family is not None else None,
        initial=_open_initial(user, client),
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(
                actor=user,
                organisation=organisation,
                client=form.cleaned_data.get("client") or client,
                family=family,
                lead_counsellor=form.cleaned_data["lead_counsellor"],
                **form.details(),
            )
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            _remember_opened(request, form.cleaned_data["token"], case)
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect("cases:case_detail", public_id=case.public_id)
    context = {"form": form, "client": client, "family": family}
    return render(request, "cases/case_open.html", context)


def _subject(request: HttpRequest, user: User) -> tuple[Person | None, Family | None]:
    """The person or family picked in the registry (``?person=`` or ``?family=``)."""
    person_id, family_id = request.GET.get("person"), request.GET.get("family")
    try:
        client = person_get_for_user(user, UUID(person_id)) if person_id else None
        family = family_get_for_user(user, UUID(family_id)) if family_id else None
    except ValueError as error:
        raise Http404 from error
    return client, family


def _open_initial(user: User, client: Person | None) -> dict[str, Any]:
    initial: dict[str, Any] = {"risk_level": RiskLevel.MEDIUM}
    if can_lead(user):
        initial["lead_counsellor"] = user.public_id
    if client is not None:
        initial["client"] = client.public_id
    return initial


def _opened_with(request: HttpRequest, token: str) -> str | None:
    """The case a double-submitted opening form already opened, if any."""
    return request.session.get(OPENED_SESSION_KEY, {}).get(token) if token else None


def _remember_opened(request: HttpRequest, token: str, case: Case) -> None:
    if not token:
        return
    opened = dict(request.session.get(OPENED_SESSION_KEY, {}))
    opened[token] = str(case.public_id)
    request.session[OPENED_SESSION_KEY] = dict(list(opened.items())[-OPENED_KEPT:])


# -- the case page --------------------------------------------------------------------------


@login_required
@require_GET
def case_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _case_user(request)
    case = case_get_for_user(user, public_id)
    access_record(
        actor=user,
        target=case,
        purpose="case_file",
        path=request.path,
        organisation=case.organisation,
    )
    context = _case_page(user, case, length=_timeline_length(request))
    return render(request, "cases/case_detail.html", context)


def _timeline_length(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("events", selectors.TIMELINE_LENGTH))
    except ValueError:
        return selectors.TIMELINE_LENGTH


def _case_page(user: User, case: Case, *, length: int) -> dict[str, Any]:
    labels = stages.stage_labels(case.organisation_id)
    team = selectors.team_of(case)
    timeline = _with_referral_events(case, selectors.case_timeline(case, length=length))
    following, previous = stages.next_stage(case.stage), stages.previous_stage(case.stage)
    check_ins = selectors.check_ins_of(case)
    return {
        "case": case,
        "labels": labels,
        "steps": [(stage, labels[stage]) for stage in stages.ORDER],
        "next_stage": following,
        "previous_stage": previous,
        "team": team,
        "pmks": list(case.pmks_categories.all()),
        "problem_types": list(case.problem_types.all()),
        "pending_closure": selectors.pending_closure_of(case),
        "check_ins": check_ins,
        "can_work": can_work_on(user, case),
        "is_coordinator": is_coordinator(user),
        "is_open": case.status == CaseStatus.OPEN,
        "timeline": timeline,
        "more_events": timeline.length + TIMELINE_STEP,
        **_action_forms(case, team, check_ins, following=following, previous=previous),
        **selectors.panels_of(case),
        **_referrals_card(case),
        "stranded_group": _stranded_group_of(case),
    }


def _stranded_group_of(case: Case) -> StrandedGroup | None:
    """The stranded intake a case was opened for (only such cases pay the query)."""
    if case.intake_channel.code != STRANDED_CHANNEL:
        return None
    return StrandedGroup.objects.filter(case=case).only("public_id", "number", "status").first()


def _referrals_card(case: Case) -> dict[str, Any]:
    """The referrals card: the case's referrals out, each flagged when its answer is overdue."""
    today = timezone.localdate()
    return {
        "referrals": referral_selectors.flag_overdue(
            referral_selectors.referrals_of_case(case), today
        )
    }


def _with_referral_events(case: Case, timeline: selectors.Timeline) -> selectors.Timeline:
    """The timeline with the status changes of the case's referrals merged in, still cut.

    The newest ``length`` of both lists hold the newest ``length`` of their union.
    """
    length = timeline.length
    found = [
        selectors.TimelineEvent("referral", event.at, event)
        for event in referral_selectors.case_referral_events(case, length + 1)
    ]
    if not found:
        return timeline
    events = sorted([*timeline.events, *found], key=lambda event: event.at, reverse=True)
    return selectors.Timeline(
        events=events[:length],
        has_more=timeline.has_more or len(events) > length,
        length=length,
    )


def _action_forms(
    case: Case,
    team: list[CaseMember],
    check_ins: list[CheckIn],
    *,
    following: str | None,
    previous: str | None,
) -> dict[str, Any]:
    """The quick actions' forms, each with its own ids (several share field names)."""
    version = {"version": case.version}
    leads = selectors.lead_candidates(case.organisation_id)
    today = timezone.localdate()
    pending = [check_in for check_in in check_ins if check_in.done_on is None]
    return {
        "forward_form": StageMoveForm(initial={**version, "to_stage": following}, auto_id="fw-%s"),
        "back_form": StageMoveForm(initial={**version, "to_stage": previous}, auto_id="bk-%s"),
        "closure_form": ClosureRequestForm(initial=version, auto_id="cl-%s"),
        "return_form": ClosureReturnForm(auto_id="rt-%s"),
        "reopen_form": ReasonForm(initial=version, auto_id="ro-%s"),
        "transfer_form": TransferForm(
            leads=leads.exclude(led_cases=case), initial=version, auto_id="tr-%s"
        ),
        "member_form": MemberForm(
            users=leads.exclude(pk__in=[member.user_id for member in team]), auto_id="tm-%s"
        ),
        "check_in_form": CheckInScheduleForm(auto_id="ci-%s"),
        "record_forms": [
            (
                check_in,
                CheckInRecordForm(initial={"done_on": today}, auto_id=f"rc{check_in.pk}-%s"),
            )
            for check_in in pending
        ],
    }


# -- quick actions ----------------------------------------------------------------------------


def _act(
    request: HttpRequest,
    case: Case,
    form: forms.Form,
    perform: Callable[[dict[str, Any]], object],
    *,
    title: str | Promise,
    done: str | Promise,
) -> HttpResponse:
    """Run a quick action: back to the case page, or its form again with what went wrong."""
    stale: StaleEditError | None = None
    if form.is_valid():
        try:
            perform(form.cleaned_data)
        except StaleEditError as error:
            stale = error
            carry_current_version(form, error.current_version)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, str(done))
            return redirect("cases:case_detail", public_id=case.public_id)
    context = {
        "case": case,
        "form": form,
        "title": title,
        "stale": stale,
        "stale_rows": _stale_rows(case, stale) if stale else [],
    }
    # htmx swaps only successful responses, so it gets the form again as a 200.
    status = 409 if stale and not getattr(request, "htmx", False) else 200
    return render(request, "cases/case_action.html", context, status=status)


def _stale_rows(case: Case, stale: StaleEditError) -> list[tuple[str, Any, Any]]:
    """What the other person changed, in words (stage names, choices), not codes.

    Encrypted text is not in the audit trail: its current value is shown.
    """
    rows = []
    for name, values in stale.changed_fields.items():
        before, after = values if isinstance(values, list | tuple) else ("", values)
        words = _words_for(case, name)
        if name in services.REDACTED:
            before, after = "", getattr(case, name)
        label = capfirst(getattr(_case_field(name), "verbose_name", name))
        rows.append((str(label), _in_words(before, words), _in_words(after, words)))
    return rows


def _case_field(name: str) -> Any:
    try:
        return Case._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _words_for(case: Case, name: str) -> dict[Any, Any]:
    if name == "stage":
        return stages.stage_labels(case.organisation_id)
    if name == "is_confidential":
        return {True: _("Yes"), False: _("No")}
    field = _case_field(name)
    if field is None:
        return {}
    if field.choices:
        return dict(field.choices)
    if name == "intake_channel":
        return dict(IntakeChannel.objects.values_list("pk", "name"))
    if name in services.MANY_FIELDS:
        return dict(field.related_model._default_manager.values_list("code", "name"))
    return {}


def _in_words(value: Any, words: dict[Any, Any]) -> Any:
    if isinstance(value, list):
        return ", ".join(str(words.get(item, item)) for item in value)
    return words.get(value, value)


def _work_case(request: HttpRequest, public_id: UUID) -> tuple[User, Case]:
    user = _case_user(request)
    return user, case_get_for_user(user, public_id, for_work=True)


@login_required
@require_POST
def case_stage_move(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, case = _work_case(request, public_id)
    form = StageMoveForm(request.POST, labels=stages.stage_labels(case.organisation_id))

    def perform(data: dict[str, Any]) -> object:
        return services.case_stage_move(
            actor=user,
            case=case,
            to_stage=data["to_stage"],
            note=data["note"],
            expected_version=data["version"],
        )

    return _act(request, case, form, perform, title=_("Move the case"), done=_("Stage changed."))


@login_required
@require_POST
def case_closure_request(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, case = _work_case(request, public_id)

    def perform(data: dict[str, Any]) -> object:
        return services.case_closure_request(
            actor=user,
            case=case,
            reason=data["reason"],
            outcome=data["outcome"],
            summary=data["summary"],
            expected_version=data["version"],
        )

    return _act(
        request,
        case,
        ClosureRequestForm(request.POST),
        perform,
        title=_("Request closure"),
        done=_("Closure requested: the coordinator will approve it or return it."),
    )


def _closure_of(request: HttpRequest, public_id: UUID, closure_id: int) -> tuple[User, Case, Any]:
    user = _case_user(request)
    case = case_get_for_coordinator(user, public_id)
    return user, case, get_object_or_404(ClosureRequest, pk=closure_id, case=case)


@login_required
@require_POST
def case_closure_approve(request: HttpRequest, public_id: UUID, closure_id: int) -> HttpResponse:
    user, case, closure = _closure_of(request, public_id, closure_id)
    return _act(
        request,
        case,
        forms.Form(request.POST),
        lambda data: services.case_closure_approve(actor=user, request=closure),
        title=_("Approve the closure"),
        done=_("Closure approved: the case is closed."),
    )


@login_required
@require_POST
def case_closure_return(request: HttpRequest, public_id: UUID, closure_id: int) -> HttpResponse:
    user, case, closure = _closure_of(request, public_id, closure_id)
    return _act(
        request,
        case,
        ClosureReturnForm(request.POST),
        lambda data: services.case_closure_return(
            actor=user, request=closure, comment=data["comment"]
        ),
        title=_("Return the closure request"),
        done=_("Closure returned: the case goes on."),
    )


@login_required
@require_POST
def case_reopen(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, case = _work_case(request, public_id)
    return _act(
        request,
        case,
        ReasonForm(request.POST),
        lambda data: services.case_reopen(
            actor=user, case=case, reason=data["reason"], expected_version=data["version"]
        ),
        title=_("Reopen the case"),
        done=_("Case reopened at the initial assessment."),
    )


@login_required
@require_POST
def case_transfer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _case_user(request)
    case = case_get_for_coordinator(user, public_id)
    form = TransferForm(request.POST, leads=selectors.lead_candidates(case.organisation_id))

    def perform(data: dict[str, Any]) -> object:
        return services.case_transfer(
            actor=user,
            case=case,
            to_user=data["to_user"],
            reason=data["reason"],
            expected_version=data["version"],
        )

    return _act(
        request, case, form, perform, title=_("Transfer the case"), done=_("Case transferred.")
    )


@login_required
@require_POST
def case_member_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, case = _work_case(request, public_id)
    form = MemberForm(request.POST, users=selectors.lead_candidates(case.organisation_id))
    return _act(
        request,
        case,
        form,
        lambda data: services.case_member_add(actor=user, case=case, user=data["user"]),
        title=_("Add a worker to the team"),
        done=_("Worker added to the team."),
    )


@login_required
@require_POST
def case_member_remove(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, case = _work_case(request, public_id)
    form = MemberForm(request.POST, users=selectors.team_users(case))
    return _act(
        request,
        case,
        form,
        lambda data: services.case_member_remove(actor=user, case=case, user=data["user"]),
        title=_("Remove a worker from the team"),
        done=_("Worker removed from the team."),
    )


@login_required
@require_POST
def check_in_schedule(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, case = _work_case(request, public_id)
    return _act(
        request,
        case,
        CheckInScheduleForm(request.POST),
        lambda data: services.check_in_schedule(actor=user, case=case, due_on=data["due_on"]),
        title=_("Schedule a follow-up check-in"),
        done=_("Check-in scheduled."),
    )


@login_required
@require_POST
def check_in_record(request: HttpRequest, public_id: UUID, check_in_id: int) -> HttpResponse:
    user, case = _work_case(request, public_id)
    check_in = get_object_or_404(CheckIn, pk=check_in_id, case=case)

    def perform(data: dict[str, Any]) -> object:
        return services.check_in_record(
            actor=user, check_in=check_in, done_on=data["done_on"], note=data["note"]
        )

    return _act(
        request,
        case,
        CheckInRecordForm(request.POST),
        perform,
        title=_("Record a follow-up check-in"),
        done=_("Check-in recorded."),
    )


# -- editing --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, case = _work_case(request, public_id)
    form = CaseForm(
        request.POST or None,
        initial=CaseForm.initial_for(case),
        villages=villages_of(case.organisation),
        editing=True,
    )
    stale: StaleEditError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                actor=user,
                case=case,
                expected_version=form.cleaned_data["version"],
                **form.details(),
            )
        except StaleEditError as error:
            stale = error
            carry_current_version(form, error.current_version)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("cases:case_detail", public_id=case.public_id)
    context = {
        "form": form,
        "case": case,
        "stale": stale,
        "stale_rows": _stale_rows(case, stale) if stale else [],
    }
    return render(request, "cases/case_edit.html", context, status=409 if stale else 200)


# -- stage names ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def stage_labels(request: HttpRequest) -> HttpResponse:
    user = _case_user(request)
    organisation = user.organisation
    if organisation is None or not is_coordinator(user):
        raise PermissionDenied
    standard = stages.stage_labels(None)
    own = stages.stage_labels(organisation.pk)
    form = StageLabelsForm(
        request.POST if request.method == "POST" else None,
        standard=standard,
        initial={stage: label for stage, label in own.items() if label != standard[stage]},
    )
    if request.method == "POST" and form.is_valid():
        services.stage_labels_update(
            actor=user, organisation=organisation, labels=form.cleaned_data
        )
        messages.success(request, _("Stage names saved."))
        return redirect("cases:stage_labels")
    return render(request, "cases/case_stage_labels.html", {"form": form})


urlpatterns: list[URLPattern] = [
    path("new/", case_open, name="case_open"),
    path("stage-names/", stage_labels, name="stage_labels"),
    path("<uuid:public_id>/", case_detail, name="case_detail"),
    path("<uuid:public_id>/edit/", case_edit, name="case_edit"),
    path("<uuid:public_id>/stage/", case_stage_move, name="case_stage_move"),
    path("<uuid:public_id>/closure/", case_closure_request, name="case_closure_request"),
    path(
        "<uuid:public_id>/closure/<int:closure_id>/approve/",
        case_closure_approve,
        name="case_closure_approve",
    ),
    path(
        "<uuid:public_id>/closure/<int:closure_id>/return/",
        case_closure_return,
        name="case_closure_return",
    ),
    path("<uuid:public_id>/reopen/", case_reopen, name="case_reopen"),
    path("<uuid:public_id>/transfer/", case_transfer, name="case_transfer"),
    path("<uuid:public_id>/team/add/", case_member_add, name="case_member_add"),
    path("<uuid:public_id>/team/remove/", case_member_remove, name="case_member_remove"),
    path("<uuid:public_id>/check-ins/", check_in_schedule, name="check_in_schedule"),
    path(
        "<uuid:public_id>/check-ins/<int:check_in_id>/",
        check_in_record,
        name="check_in_record",
    ),
]
