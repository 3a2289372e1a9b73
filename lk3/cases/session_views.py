"""Pages of a case's sessions: record one (with follow-up tasks), read it, change it, list them.

Notes are shown only to people who may work on the case, and showing them
is logged (AccessEvent ``session_notes``); others who reach the case see
when, what kind, how long and who was there.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lk3.audit.services import access_record
from lk3.cases import sessions, work
from lk3.cases.permissions import can_work_on
from lk3.cases.work_forms import SessionForm
from lk3.cases.work_views import reached_case, stale_rows
from lk3.core.errors import DomainError, StaleEditError
from lk3.core.forms import apply_domain_error, carry_current_version
from lk3.core.pagination import paginate

SESSIONS_PER_PAGE = 20


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=True)
    form = SessionForm(
        request.POST or None,
        workers=work.case_workers(case),
        people=sessions.session_participant_choices(case),
        with_follow_ups=True,
        initial={"held_on": timezone.localdate(), "staff": [user]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            sessions.session_record(
                actor=user, case=case, follow_up_tasks=form.follow_ups(), **form.session_values()
            )
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Session recorded."))
            return redirect("cases:case_detail", public_id=case.public_id)
    return render(request, "cases/session_form.html", {"form": form, "case": case, "session": None})


@login_required
@require_GET
def session_detail(request: HttpRequest, public_id: UUID, session_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=False)
    session = sessions.session_get_for_case(case, session_id)
    can_work = can_work_on(user, case)
    if can_work:
        access_record(
            actor=user,
            target=session,
            purpose="session_notes",
            path=request.path,
            organisation=case.organisation,
        )
    context = {"case": case, "session": session, "can_work": can_work}
    return render(request, "cases/session_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, public_id: UUID, session_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=True)
    session = sessions.session_get_for_case(case, session_id)
    form = SessionForm(
        request.POST or None,
        workers=work.case_workers(case),
        people=sessions.session_participant_choices(case, session),
        initial=SessionForm.initial_for(session),
    )
    stale: StaleEditError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            sessions.session_update(
                actor=user,
                session=session,
                expected_version=form.cleaned_data["version"] or 0,
                **form.session_values(),
            )
        except StaleEditError as error:
            stale = error
            carry_current_version(form, error.current_version)
        except (ValidationError, DomainError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(
                "cases:session_detail", public_id=case.public_id, session_id=session.public_id
            )
    context = {
        "form": form,
        "case": case,
        "session": session,
        "stale": stale,
        "stale_rows": stale_rows(session, stale) if stale else [],
    }
    return render(request, "cases/session_form.html", context, status=409 if stale else 200)


@login_required
@require_GET
def session_list(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=False)
    listing = paginate(request, sessions.session_list_for_case(case), per_page=SESSIONS_PER_PAGE)
    context = {
        "case": case,
        "page": listing.page,
        "query_string": listing.query_string,
        "can_work": can_work_on(user, case),
    }
    return render(request, "cases/session_list.html", context)


urlpatterns: list[URLPattern] = [
    path("<uuid:public_id>/sessions/", session_list, name="session_list"),
    path("<uuid:public_id>/sessions/new/", session_create, name="session_create"),
    path("<uuid:public_id>/sessions/<uuid:session_id>/", session_detail, name="session_detail"),
    path("<uuid:public_id>/sessions/<uuid:session_id>/edit/", session_edit, name="session_edit"),
]
