import pytest
from django.db import DatabaseError, connection, transaction

from conftest import make_board_member
from lk3.accounts import services as account_services
from lk3.audit import actions
from lk3.audit.models import AccessEvent, AuditEvent
from lk3.audit.services import OUTSIDE_TRANSACTION, access_record, audit_record
from lk3.core.errors import StaleEditError


def test_the_audit_row_is_written_with_the_change(budi, member_agus):
    account_services.board_member_update(
        actor=budi, member=member_agus, expected_version=1, unit="Polres Bontang"
    )

    event = AuditEvent.objects.get(action=actions.BOARD_MEMBER_UPDATED)
    assert (event.actor, event.organisation_id, event.target_id) == (
        budi,
        member_agus.organisation_id,
        str(member_agus.public_id),
    )
    assert event.changes == {"unit": ["Polsek Bontang Utara", "Polres Bontang"], "version": [1, 2]}


def test_the_audit_row_rolls_back_with_the_change(budi, member_agus):
    before = AuditEvent.objects.count()

    def update_then_fail():
        with transaction.atomic():
            account_services.board_member_update(
                actor=budi, member=member_agus, expected_version=1, unit="Polres Bontang"
            )
            raise RuntimeError("the caller's work failed after the service")

    with pytest.raises(RuntimeError):
        update_then_fail()

    member_agus.refresh_from_db()
    assert (member_agus.unit, AuditEvent.objects.count()) == ("Polsek Bontang Utara", before)


def test_no_audit_row_when_the_action_is_refused(budi, rina, member_agus):
    account_services.board_member_update(
        actor=rina, member=member_agus, expected_version=1, phone="08"
    )
    before = AuditEvent.objects.count()

    with pytest.raises(StaleEditError):
        account_services.board_member_update(
            actor=budi, member=member_agus, expected_version=1, unit="X"
        )

    assert AuditEvent.objects.count() == before


def test_no_audit_row_when_validation_fails(lk3_bontang):
    before = AuditEvent.objects.count()

    with pytest.raises(Exception, match="full_name"):
        make_board_member(lk3_bontang, "")

    assert AuditEvent.objects.count() == before


def test_audit_record_refuses_to_run_outside_a_transaction(transactional_db, budi):
    with pytest.raises(RuntimeError, match=OUTSIDE_TRANSACTION):
        audit_record(actor=budi, action=actions.LOGOUT, target=budi)


def test_request_id_is_stored(client, sari):
    client.force_login(sari)

    response = client.post("/logout/")

    event = AuditEvent.objects.get(action=actions.LOGOUT)
    assert event.request_id == response["X-Request-ID"]
    assert len(event.request_id) == 32


def test_a_plausible_request_id_from_the_proxy_is_kept(client, sari):
    client.force_login(sari)

    client.post("/logout/", headers={"X-Request-ID": "proxy-abc-12345"})

    assert AuditEvent.objects.get(action=actions.LOGOUT).request_id == "proxy-abc-12345"


@pytest.fixture
def audit_row(budi):
    with transaction.atomic():
        return audit_record(actor=budi, action=actions.LOGOUT, target=budi)


@pytest.fixture
def access_row(budi, member_agus):
    return access_record(actor=budi, target=member_agus, purpose="view")


@pytest.mark.parametrize("model", [AuditEvent, AccessEvent])
def test_orm_update_is_refused_by_the_database(model, audit_row, access_row):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        model.objects.update(target_label="diubah")


@pytest.mark.parametrize("model", [AuditEvent, AccessEvent])
def test_orm_delete_is_refused_by_the_database(model, audit_row, access_row):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        model.objects.all().delete()


@pytest.mark.parametrize("table", ["audit_auditevent", "audit_accessevent"])
def test_raw_sql_update_and_delete_are_refused(table, audit_row, access_row):
    for statement in (f"UPDATE {table} SET target_label = 'x'", f"DELETE FROM {table}"):  # noqa: S608
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            connection.cursor().execute(statement)

    assert AuditEvent.objects.filter(target_label="x").count() == 0
