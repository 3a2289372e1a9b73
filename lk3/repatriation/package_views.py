"""Pages of the handover package: download a group's package, import one from elsewhere.

Downloading is for whoever may work on the group's case (404 out of reach,
403 without work rights) and is audited and recorded as an access. Importing
is for the receiving desk (``can_receive_handovers``, else 403); a refused
package shows the reason on the form and saves nothing.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lk3.accounts.models import User
from lk3.audit.services import access_record
from lk3.core.errors import DomainError
from lk3.core.forms import apply_domain_error
from lk3.repatriation import handovers, packages
from lk3.repatriation.handover_forms import PackageImportForm
from lk3.repatriation.permissions import can_receive_handovers, group_get_for_user


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


@login_required
@require_GET
def package_export(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    group = group_get_for_user(user, public_id, for_work=True)
    try:
        data = packages.package_build(actor=user, group=group)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(handovers.group_path(group))
    access_record(
        actor=user,
        target=group,
        purpose="handover_package",
        path=request.path,
        organisation=group.organisation,
    )
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{packages.package_filename(group)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def package_import(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can_receive_handovers(user) or user.organisation is None:
        raise PermissionDenied
    form = PackageImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["package"]
        try:
            handover = packages.package_import(
                actor=user, organisation=user.organisation, data=upload.read()
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("The handover from %(sender)s is imported: confirm the arrival here.")
                % {"sender": handover.sender_name},
            )
            return redirect("repatriation:handover_detail", public_id=handover.public_id)
    return render(request, "repatriation/package_import.html", {"form": form})


urlpatterns: list[URLPattern] = [
    path("handovers/import/", package_import, name="package_import"),
    path("<uuid:public_id>/handover/package/", package_export, name="package_export"),
]
