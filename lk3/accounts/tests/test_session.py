import time

from django.test import override_settings
from django.urls import reverse

from lk3.accounts.middleware import LAST_ACTIVITY_KEY
from lk3.audit import actions
from lk3.audit.models import AuditEvent

DASHBOARD = reverse("accounts:dashboard")


def idle_for(client, seconds):
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - seconds
    session.save()


@override_settings(LK3_IDLE_TIMEOUT_MINUTES=30)
def test_an_idle_session_is_logged_out(client, sari):
    client.force_login(sari)
    client.get(DASHBOARD)
    idle_for(client, 31 * 60)

    response = client.get(DASHBOARD, follow=True)

    assert response.redirect_chain[0] == (reverse("accounts:login"), 302)
    assert "Sesi Anda berakhir setelah 30 menit tanpa aktivitas." in response.content.decode()
    assert AuditEvent.objects.filter(action=actions.SESSION_EXPIRED, actor=sari).count() == 1


@override_settings(LK3_IDLE_TIMEOUT_MINUTES=30)
def test_an_active_session_continues(client, sari):
    client.force_login(sari)
    client.get(DASHBOARD)
    idle_for(client, 29 * 60)

    response = client.get(DASHBOARD)

    assert response.status_code == 200


@override_settings(LK3_IDLE_TIMEOUT_MINUTES=30)
def test_an_idle_htmx_request_navigates_to_login(client, sari):
    client.force_login(sari)
    client.get(DASHBOARD)
    idle_for(client, 31 * 60)

    response = client.get(DASHBOARD, headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("accounts:login")
