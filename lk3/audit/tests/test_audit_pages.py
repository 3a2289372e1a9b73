from django.db import transaction
from django.urls import reverse

from lk3.accounts import services as account_services
from lk3.audit import actions
from lk3.audit.services import audit_record

EVENTS = reverse("audit:event_list")


def test_coordinator_filters_events_by_action(client, budi, rina, member_agus):
    account_services.board_member_update(
        actor=rina, member=member_agus, expected_version=1, phone="08"
    )
    client.force_login(budi)

    response = client.get(EVENTS, {"action": actions.BOARD_MEMBER_UPDATED})

    rows = [event for event, _label, _changes in response.context["rows"]]
    assert [(e.action, e.actor) for e in rows] == [(actions.BOARD_MEMBER_UPDATED, rina)]
    assert "Anggota pengurus diperbarui" in response.content.decode()


def test_events_of_another_organisation_are_not_listed(client, budi, rudi, member_samarinda):
    account_services.board_member_update(
        actor=rudi, member=member_samarinda, expected_version=1, phone="08"
    )
    client.force_login(budi)

    response = client.get(EVENTS, {"action": actions.BOARD_MEMBER_UPDATED})

    assert list(response.context["rows"]) == []


def test_access_log_lists_who_opened_a_member(client, budi, sari, member_agus):
    client.force_login(sari)
    client.get(reverse("accounts:board_member_detail", args=[member_agus.public_id]))
    client.force_login(budi)

    response = client.get(reverse("audit:access_list"), {"target_id": str(member_agus.public_id)})

    assert [event.actor for event in response.context["page"]] == [sari]


def test_a_bad_date_filter_is_reported_not_ignored(client, budi):
    client.force_login(budi)

    response = client.get(EVENTS, {"date_from": "2026-13-45"})

    assert "Masukkan tanggal yang valid." in response.content.decode()


def test_changes_named_after_a_reverse_relation_are_shown(client, budi, lk3_bontang):
    with transaction.atomic():
        audit_record(
            actor=None,
            action=actions.SEED_PERSONS_GENERATED,
            target=lk3_bontang,
            organisation=lk3_bontang,
            changes={"persons": [None, 2000]},
        )
    client.force_login(budi)

    response = client.get(EVENTS, {"action": actions.SEED_PERSONS_GENERATED})

    assert response.status_code == 200
    assert "persons" in response.content.decode()
