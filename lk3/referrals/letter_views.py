"""Pages of letters: issue a referral letter, download a letter, the register, and verification.

The verification page is public (no login): it is what a letter's QR code
opens, and it shows that the letter is genuine, never what it says. Every
other page checks who is asking (``letters``): a record out of reach is a
404, a forbidden action on a reached one a 403. Each download is logged
(AccessEvent ``letter``).
"""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lk3.audit.services import access_record
from lk3.core.errors import DomainError
from lk3.core.forms import apply_domain_error
from lk3.core.pagination import paginate
from lk3.referrals import letters
from lk3.referrals.models import Letter

LETTERS_PER_PAGE = 25
NOT_FOUND = 404


class SignatoryForm(forms.Form):
    signatory_name = forms.CharField(label=gettext_lazy("Signed by"), max_length=200)
    signatory_position = forms.CharField(
        label=gettext_lazy("Position"),
        max_length=200,
        help_text=gettext_lazy("As it is printed under the signature, in Indonesian."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_letter(request: HttpRequest, public_id: UUID) -> HttpResponse:
    referral = letters.referral_get_for_letter(request.user, public_id)
    name, position = letters.default_signatory(referral.organisation)
    form = SignatoryForm(
        request.POST or None, initial={"signatory_name": name, "signatory_position": position}
    )
    if request.method == "POST" and form.is_valid():
        try:
            letter = letters.referral_letter_issue(
                actor=request.user,  # type: ignore[arg-type]
                referral=referral,
                **form.cleaned_data,
            )
        except (DomainError, ValidationError) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Letter %(number)s issued.") % {"number": letter.number})
            return redirect("referrals:referral_letter", public_id=referral.public_id)
    issued = referral.letters.select_related("created_by").order_by("-year", "-sequence")
    context = {"referral": referral, "form": form, "letters": issued}
    return render(request, "referrals/letters/referral_letter.html", context)


@login_required
@require_GET
def letter_download(request: HttpRequest, public_id: UUID) -> FileResponse:
    letter = letters.letter_get_for_user(request.user, public_id)
    access_record(
        actor=request.user,
        target=letter,
        purpose="letter",
        path=request.path,
        organisation=letter.organisation,
    )
    response = FileResponse(
        letter.pdf.open("rb"),
        as_attachment=True,
        filename=letters.letter_download_name(letter),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def letter_register(request: HttpRequest) -> HttpResponse:
    if not letters.can_read_register(request.user):
        raise PermissionDenied
    listing = paginate(
        request, letters.letters_for_register(request.user), per_page=LETTERS_PER_PAGE
    )
    rows = list(listing.page.object_list)
    context = {
        "page": listing.page,
        "query_string": listing.query_string,
        "letters": rows,
        "downloadable": letters.downloadable_ids(request.user, rows),
    }
    return render(request, "referrals/letters/register.html", context)


@never_cache
@require_GET
def letter_verify(request: HttpRequest, code: str) -> HttpResponse:
    letter: Letter | None = letters.letter_for_verification(code)
    if letter is None:
        response = render(request, "referrals/letters/verify_unknown.html", status=NOT_FOUND)
    else:
        response = render(request, "referrals/letters/verify.html", {"letter": letter})
    # The address is a secret of whoever holds the letter: keep it out of search
    # engines and out of the Referer sent to other sites.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


urlpatterns: list[URLPattern] = [
    path("<uuid:public_id>/letter/", referral_letter, name="referral_letter"),
    path("letters/", letter_register, name="letter_register"),
    path("letters/<uuid:public_id>/pdf/", letter_download, name="letter_download"),
    path("v/<str:code>/", letter_verify, name="letter_verify"),
]
