import datetime

from django.db import transaction
from django.urls import reverse

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.audit.services import audit_record


def test_times_are_stored_in_utc_and_shown_in_wita(client, budi):
    with transaction.atomic():
        event = audit_record(
            actor=budi, action=actions.LOGOUT, target=budi, organisation=budi.organisation
        )
    stored = AuditEvent.objects.get(pk=event.pk).occurred_at
    wita = stored.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    client.force_login(budi)

    page = client.get(reverse("audit:event_list")).content.decode()

    assert stored.utcoffset() == datetime.timedelta(0)
    assert wita.strftime("%H:%M") in page
    assert stored.strftime("%H:%M") not in page
