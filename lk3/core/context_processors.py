from django.http import HttpRequest


def csp_nonce(request: HttpRequest) -> dict[str, str]:
    """Expose the CSP nonce under both names in use.

    django-csp 4 calls it ``CSP_NONCE``; django-htmx's script tags read
    ``csp_nonce``. Reading it here is what adds the nonce to the header.
    """
    nonce = str(getattr(request, "csp_nonce", ""))
    return {"CSP_NONCE": nonce, "csp_nonce": nonce}
