"""Pages of a return's documents: issue one from the group page, download its PDF.

Issuing is for whoever works on the group's case. A document's PDF is for
whoever reaches the group (``group_get_for_user``); anything else is a 404.
Each download is logged (AccessEvent ``repatriation_document``) and never
cached.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lk3.accounts.models import User
from lk3.audit.services import access_record
from lk3.core.errors import DomainError
from lk3.referrals.letters import letter_download_name
from lk3.repatriation import documents
from lk3.repatriation.models import RepatriationDocument, StrandedPerson
from lk3.repatriation.permissions import group_get_for_user
from lk3.repatriation.plan_forms import DocumentForm


def _messages_of(error: DomainError | ValidationError) -> list[str]:
    if isinstance(error, DomainError):
        return [str(error.message)]
    return [str(message) for message in error.messages]


@login_required
@require_POST
def document_issue(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    group = group_get_for_user(user, public_id, for_work=True)
    back = reverse("repatriation:group_detail", kwargs={"public_id": group.public_id})
    form = DocumentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back + "#documents")
    data = form.cleaned_data
    member = (
        get_object_or_404(StrandedPerson, group=group, public_id=data["member"])
        if data["member"]
        else None
    )
    name, position = documents.default_signatory(user)
    try:
        document = documents.document_issue(
            actor=user,
            group=group,
            kind=data["kind"],
            member=member,
            signatory_name=data["signatory_name"] or name,
            signatory_position=data["signatory_position"] or position,
        )
    except (DomainError, ValidationError) as error:
        for text in _messages_of(error):
            messages.error(request, text)
    else:
        messages.success(
            request, _("Letter %(number)s issued.") % {"number": document.letter.number}
        )
    return redirect(back + "#documents")


@login_required
@require_GET
def document_download(request: HttpRequest, public_id: UUID) -> FileResponse:
    document = (
        RepatriationDocument.objects.select_related("letter", "group")
        .filter(letter__public_id=public_id)
        .first()
    )
    if document is None:
        raise Http404
    group = group_get_for_user(request.user, document.group.public_id)
    letter = document.letter
    access_record(
        actor=request.user,
        target=letter,
        purpose="repatriation_document",
        path=request.path,
        organisation=group.organisation,
    )
    response = FileResponse(
        letter.pdf.open("rb"),
        as_attachment=True,
        filename=letter_download_name(letter),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns: list[URLPattern] = [
    path("<uuid:public_id>/documents/", document_issue, name="document_issue"),
    path("document/<uuid:public_id>/", document_download, name="document_download"),
]
