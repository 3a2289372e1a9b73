"""Pages of a case's files: attach one, download one.

The upload page checks who is asking and how large the request says it is
before anything reads the body: a request over the limit is answered at
once, and a file that grows past the limit while it streams in is dropped
by ``attachments.UploadLimit``. The CSRF check runs after that handler is
in place, because it is what first reads the body (Django's documented
pattern for per-view upload handlers).
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from lk3.accounts.models import User
from lk3.audit.services import access_record
from lk3.cases import attachments
from lk3.cases.models import Case
from lk3.cases.work_forms import AttachmentForm
from lk3.cases.work_views import reached_case
from lk3.core.errors import DomainError
from lk3.core.forms import apply_domain_error

TOO_LARGE = 413


@csrf_exempt  # checked by _attachment_create once the upload limit is installed
@login_required
@require_http_methods(["GET", "POST"])
def attachment_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user, case = reached_case(request, public_id, for_work=True)
    if request.method == "POST" and attachments.declared_too_large(request):
        return _form_page(request, case, AttachmentForm(limit=_limit()), too_large=True)
    limit = attachments.UploadLimit(request)
    request.upload_handlers = [limit, *request.upload_handlers]
    return _attachment_create(request, user=user, case=case, limit=limit)


@csrf_protect
def _attachment_create(
    request: HttpRequest, *, user: User, case: Case, limit: attachments.UploadLimit
) -> HttpResponse:
    form = AttachmentForm(request.POST or None, request.FILES or None, limit=_limit())
    if request.method == "POST" and limit.exceeded:
        return _form_page(request, case, form, too_large=True)
    if request.method == "POST" and form.is_valid():
        try:
            attachments.attachment_add(
                actor=user,
                case=case,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as error:
            if error.code == "duplicate_upload":
                messages.info(request, str(error.message))
                return redirect("cases:case_detail", public_id=case.public_id)
            apply_domain_error(form, error)
        except ValidationError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("File attached."))
            return redirect("cases:case_detail", public_id=case.public_id)
    return _form_page(request, case, form)


def _limit() -> str:
    return str(filesizeformat(attachments.max_bytes()))


def _form_page(
    request: HttpRequest, case: Case, form: AttachmentForm, *, too_large: bool = False
) -> HttpResponse:
    # Shown above the form: the form may be unbound (its body was never read).
    refusal = attachments.too_large_error().message if too_large else None
    context = {"form": form, "case": case, "refusal": refusal}
    return render(
        request, "cases/attachment_form.html", context, status=TOO_LARGE if too_large else 200
    )


@login_required
@require_GET
def attachment_download(request: HttpRequest, public_id: UUID, attachment_id: UUID) -> FileResponse:
    user, case = reached_case(request, public_id, for_work=False)
    attachment = attachments.attachment_get_for_case(case, attachment_id)
    access_record(
        actor=user,
        target=attachment,
        purpose="attachment",
        path=request.path,
        organisation=case.organisation,
    )
    response = FileResponse(
        attachments.attachment_open(attachment),
        as_attachment=True,
        filename=attachments.download_name(attachment),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns: list[URLPattern] = [
    path("<uuid:public_id>/attachments/new/", attachment_create, name="attachment_create"),
    path(
        "<uuid:public_id>/attachments/<uuid:attachment_id>/",
        attachment_download,
        name="attachment_download",
    ),
]
