"""The partner directory: services, pages and who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from lk3.accounts.roles import Role
from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.core.errors import DomainError, StaleEditError
from lk3.core.models import PsksCategory
from lk3.referrals import partners
from lk3.referrals.models import Agreement, Partner, PartnerContact, PartnerMember
from lk3.referrals.partners import AgreementState, partner_agreement_state
from lk3.referrals.permissions import partner_of
from lk3.referrals.tests.partner_builders import (
    add_agreement,
    link_staff,
    make_partner,
    service_types,
)
from lk3.regions.models import Region

LIST = reverse("referrals:partner_list")
CREATE = reverse("referrals:partner_create")
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def url(name, partner, **kwargs):
    return reverse(f"referrals:{name}", kwargs={"public_id": partner.public_id, **kwargs})


def valid_mou(actor, partner, **kw):
    return add_agreement(
        actor, partner, valid_from=TODAY - 100 * DAY, valid_until=TODAY + 300 * DAY, **kw
    )


def expiring_mou(actor, partner, **kw):
    return add_agreement(
        actor, partner, valid_from=TODAY - 300 * DAY, valid_until=TODAY + 10 * DAY, **kw
    )


def expired_mou(actor, partner, **kw):
    return add_agreement(
        actor, partner, valid_from=TODAY - 400 * DAY, valid_until=TODAY - DAY, **kw
    )


def form_data(partner, **changes):
    data = {
        "name": partner.name,
        "short_name": partner.short_name,
        "kind": partner.kind,
        "psks_category": partner.psks_category_id or "",
        "services": [service.pk for service in partner.services.all()],
        "service_area": [region.pk for region in partner.service_area.all()],
        "description": partner.description,
        "address": partner.address,
        "phone": partner.phone,
        "email": partner.email,
        "version": partner.version,
    }
    data.update(changes)
    return data


@pytest.fixture
def ppa(budi):
    return make_partner(budi, services=["perlindungan", "konseling"], phone="0548 21234")


@pytest.fixture
def samarinda_partner(rudi):
    return make_partner(rudi, "UPTD PPA Kota Samarinda")


# -- partner services ---------------------------------------------------------------------------


def test_partner_create_keeps_the_details_and_is_audited(budi):
    kelurahan = Region.objects.get(code="64.74.01.1003")
    partner = make_partner(
        budi,
        "  Puskesmas   Bontang Utara I ",
        short_name="",
        kind="government",
        services=["konseling"],
        service_area=[kelurahan],
        email="pkm@bontangkota.go.id",
    )
    assert partner.name == "Puskesmas Bontang Utara I"
    assert partner.short_name == "Puskesmas Bontang Utara I"  # empty short name: the name
    assert [s.code for s in partner.services.all()] == ["konseling"]
    assert list(partner.service_area.all()) == [kelurahan]
    event = AuditEvent.objects.get(action=actions.PARTNER_CREATED)
    assert event.target_id == str(partner.public_id)
    assert event.changes["name"] == [None, "Puskesmas Bontang Utara I"]


def test_partner_name_is_unique_per_organisation(budi, rudi, ppa):
    with pytest.raises(DomainError) as refused:
        make_partner(budi, "uptd ppa kota bontang")
    assert refused.value.field == "name"
    assert Partner.objects.filter(organisation=budi.organisation).count() == 1
    # Another LK3 keeps its own network: the same name is fine there.
    assert make_partner(rudi, "UPTD PPA Kota Bontang").organisation == rudi.organisation


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": "   "}, "name"),
        ({"kind": "alien"}, "kind"),
        ({"kind": "psks"}, "psks_category"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_partner_create_refuses_bad_input_on_the_field(budi, values, field):
    name = values.pop("name", "Yayasan Harapan")
    with pytest.raises(DomainError) as refused:
        make_partner(budi, name, **values)
    assert refused.value.field == field
    assert not Partner.objects.exists()
    assert not AuditEvent.objects.filter(action=actions.PARTNER_CREATED).exists()


def test_a_psks_partner_keeps_its_category_and_others_drop_it(budi):
    tksk = PsksCategory.objects.get(code="tksk")
    psks = make_partner(budi, "TKSK Bontang Utara", kind="psks", psks_category=tksk)
    other = make_partner(budi, "Puskesmas Lok Tuan", psks_category=tksk)
    assert psks.psks_category == tksk
    assert other.psks_category is None


@pytest.mark.parametrize("username", ["sari", "intan", "rudi"])
def test_only_the_organisations_directory_managers_write(request, budi, username):
    actor = request.getfixturevalue(username)
    with pytest.raises(PermissionDenied):
        partners.partner_create(
            actor=actor,
            organisation=budi.organisation,
            name="Yayasan Harapan",
            short_name="",
            kind="community",
        )
    assert not Partner.objects.exists()


def test_the_user_administrator_manages_the_directory(rina):
    assert make_partner(rina).organisation == rina.organisation


def test_partner_update_changes_versions_and_audits(budi, ppa):
    updated = partners.partner_update(
        actor=budi,
        partner=ppa,
        expected_version=1,
        phone="0548 99999",
        services=service_types("konseling"),
    )
    assert updated.version == 2
    assert updated.phone == "0548 99999"
    assert [s.code for s in updated.services.all()] == ["konseling"]
    event = AuditEvent.objects.get(action=actions.PARTNER_UPDATED)
    assert event.changes["phone"] == ["0548 21234", "0548 99999"]
    assert event.changes["version"] == [1, 2]


def test_a_stale_partner_edit_is_refused_with_what_changed(budi, rina, ppa):
    partners.partner_update(actor=rina, partner=ppa, expected_version=1, phone="0548 11111")
    with pytest.raises(StaleEditError) as refused:
        partners.partner_update(actor=budi, partner=ppa, expected_version=1, address="Jl. Baru")
    assert refused.value.current_version == 2
    assert refused.value.changed_fields == {"phone": ["0548 21234", "0548 11111"]}
    ppa.refresh_from_db()
    assert ppa.address == ""


def test_an_edit_that_changes_nothing_is_a_no_op_even_when_stale(budi, ppa):
    partners.partner_update(actor=budi, partner=ppa, expected_version=1, phone="0548 1")
    same = partners.partner_update(actor=budi, partner=ppa, expected_version=1, phone="0548 1")
    assert same.version == 2
    assert AuditEvent.objects.filter(action=actions.PARTNER_UPDATED).count() == 1


def test_partner_update_refuses_a_name_taken_by_another_partner(budi, ppa):
    other = make_partner(budi, "Puskesmas Bontang Selatan")
    with pytest.raises(DomainError) as refused:
        partners.partner_update(actor=budi, partner=other, expected_version=1, name=ppa.name)
    assert refused.value.field == "name"


def test_partner_deactivate_is_audited_and_harmless_twice(budi, ppa):
    partners.partner_deactivate(actor=budi, partner=ppa, expected_version=1)
    again = partners.partner_deactivate(actor=budi, partner=ppa, expected_version=1)
    assert again.is_active is False
    assert AuditEvent.objects.filter(action=actions.PARTNER_DEACTIVATED).count() == 1
    assert partners.agreement_refusal(again, TODAY) is not None


# -- contacts -----------------------------------------------------------------------------------


def test_contact_add_and_remove(budi, ppa):
    contact = partners.contact_add(
        actor=budi, partner=ppa, name="Ibu Ratna", position="Kepala UPTD", phone="0812 555"
    )
    twice = partners.contact_add(
        actor=budi, partner=ppa, name="Ibu Ratna", position="Kepala UPTD", phone="0812 555"
    )
    assert twice.pk == contact.pk
    partners.contact_remove(actor=budi, contact=contact)
    partners.contact_remove(actor=budi, contact=contact)
    assert not PartnerContact.objects.exists()
    assert AuditEvent.objects.filter(action=actions.PARTNER_CONTACT_ADDED).count() == 1
    assert AuditEvent.objects.filter(action=actions.PARTNER_CONTACT_REMOVED).count() == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [({"name": "", "phone": "0812"}, "name"), ({"name": "Ibu Ratna"}, "phone")],
)
def test_contact_add_refuses_bad_input(budi, ppa, values, field):
    with pytest.raises(DomainError) as refused:
        partners.contact_add(actor=budi, partner=ppa, **values)
    assert refused.value.field == field
    assert not PartnerContact.objects.exists()


# -- agreements ---------------------------------------------------------------------------------


def test_agreement_add_and_states(budi, ppa):
    assert partner_agreement_state(ppa, TODAY) == AgreementState.NONE
    expired_mou(budi, ppa)
    assert partner_agreement_state(ppa, TODAY) == AgreementState.EXPIRED
    expiring_mou(budi, ppa)
    assert partner_agreement_state(ppa, TODAY) == AgreementState.EXPIRING
    valid_mou(budi, ppa, kind="pks")
    assert partner_agreement_state(ppa, TODAY) == AgreementState.VALID
    assert AuditEvent.objects.filter(action=actions.AGREEMENT_ADDED).count() == 3


def test_agreement_end_before_start_is_refused_on_the_field(budi, ppa):
    with pytest.raises(DomainError) as refused:
        add_agreement(budi, ppa, valid_from=TODAY, valid_until=TODAY - DAY)
    assert refused.value.field == "valid_until"
    assert not Agreement.objects.exists()


def test_agreement_needs_a_number_and_a_known_kind(budi, ppa):
    with pytest.raises(DomainError) as refused:
        add_agreement(budi, ppa, valid_from=TODAY, valid_until=TODAY, number="  ")
    assert refused.value.field == "number"
    with pytest.raises(DomainError) as refused:
        add_agreement(budi, ppa, valid_from=TODAY, valid_until=TODAY, kind="letter")
    assert refused.value.field == "kind"


def test_the_same_agreement_twice_is_kept_once(budi, ppa):
    first = valid_mou(budi, ppa, number="400/12/LK3")
    second = valid_mou(budi, ppa, number="400/12/LK3")
    assert first.pk == second.pk
    with pytest.raises(DomainError) as refused:
        expiring_mou(budi, ppa, number="400/12/lk3")
    assert refused.value.field == "number"
    assert Agreement.objects.count() == 1


# -- staff accounts -----------------------------------------------------------------------------


def test_staff_link_gives_the_account_its_partner(budi, ppa, mitra_ppa):
    assert partner_of(mitra_ppa) is None
    link_staff(budi, ppa, mitra_ppa)
    link_staff(budi, ppa, mitra_ppa)  # a double submit
    assert partner_of(mitra_ppa) == ppa
    assert PartnerMember.objects.count() == 1
    assert AuditEvent.objects.filter(action=actions.PARTNER_STAFF_LINKED).count() == 1
    partners.staff_unlink(actor=budi, partner=ppa, user=mitra_ppa)
    partners.staff_unlink(actor=budi, partner=ppa, user=mitra_ppa)
    assert partner_of(mitra_ppa) is None
    assert AuditEvent.objects.filter(action=actions.PARTNER_STAFF_UNLINKED).count() == 1


def test_staff_link_refuses_other_roles(budi, ppa, dewi):
    with pytest.raises(DomainError) as refused:
        link_staff(budi, ppa, dewi)
    assert refused.value.field == "user"
    assert refused.value.code == "not_partner_role"
    assert not PartnerMember.objects.exists()


def test_staff_link_refuses_an_inactive_account(budi, ppa, mitra_ppa):
    type(mitra_ppa).objects.filter(pk=mitra_ppa.pk).update(is_active=False)
    mitra_ppa.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        link_staff(budi, ppa, mitra_ppa)
    assert refused.value.code == "inactive"


def test_staff_link_refuses_another_organisations_account(budi, ppa, lk3_samarinda):
    stranger = make_user("mitra_smd", Role.PARTNER, lk3_samarinda)
    with pytest.raises(DomainError) as refused:
        link_staff(budi, ppa, stranger)
    assert refused.value.code == "other_organisation"


def test_staff_link_refuses_an_account_linked_elsewhere(budi, ppa, mitra_ppa):
    puskesmas = make_partner(budi, "Puskesmas Bontang Utara I", short_name="PKM BU I")
    link_staff(budi, ppa, mitra_ppa)
    with pytest.raises(DomainError) as refused:
        link_staff(budi, puskesmas, mitra_ppa)
    assert refused.value.code == "linked_elsewhere"
    assert "UPTD PPA Kota Bontang" in str(refused.value.message)
    assert partner_of(mitra_ppa) == ppa


def test_staff_candidates_are_active_unlinked_partner_accounts(budi, ppa, mitra_ppa, dewi):
    other = make_user("mitra_dua", Role.PARTNER, budi.organisation)
    link_staff(budi, ppa, other)
    assert list(partners.staff_candidates(ppa)) == [mitra_ppa]


# -- the list -----------------------------------------------------------------------------------


def test_the_directory_lists_the_organisations_partners(client, sari, ppa, samarinda_partner):
    client.force_login(sari)
    response = client.get(LIST)
    assert response.status_code == 200
    assert [partner for partner, _state in response.context["rows"]] == [ppa]
    assert b"UPTD PPA Kota Samarinda" not in response.content
    assert 'href="/referrals/partners/new/"' not in response.content.decode()  # a reader


def test_the_directory_flags_expiring_and_expired_agreements(client, budi, ppa):
    expiring_mou(budi, ppa)
    ended = make_partner(budi, "Puskesmas Lok Tuan")
    expired_mou(budi, ended)
    fine = make_partner(budi, "RSUD Taman Husada")
    valid_mou(budi, fine)
    client.force_login(budi)
    html = client.get(LIST).content.decode()
    assert html.count('data-testid="mou-expiring"') == 1
    assert html.count('data-testid="mou-expired"') == 1
    assert html.count('data-testid="mou-valid"') == 1
    assert "badge-warning" in html
    assert "badge-error" in html


def _names(response):
    return [partner.name for partner, _state in response.context["rows"]]


@pytest.fixture
def network(budi, ppa):
    """Four partners with different kinds, services, areas and agreements."""
    bontang_utara = Region.objects.get(code="64.74.01")
    loktuan = Region.objects.get(code="64.74.01.1003")
    other_kelurahan = Region.objects.get(code="64.74.02.1001")
    expiring_mou(budi, ppa)  # whole city, government, perlindungan + konseling
    pkm = make_partner(budi, "Puskesmas Bontang Utara I", services=["konseling"])
    pkm.service_area.set([bontang_utara])
    expired_mou(budi, pkm)
    csr = make_partner(budi, "CSR PT Pupuk Kaltim", kind="business", services=["pemberdayaan"])
    csr.service_area.set([loktuan])
    valid_mou(budi, csr)
    lks = make_partner(budi, "LKSA Harapan Bangsa", kind="community", services=["pendampingan"])
    lks.service_area.set([other_kelurahan])
    return {"ppa": ppa, "pkm": pkm, "csr": csr, "lks": lks}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "business"}, ["CSR PT Pupuk Kaltim"]),
        ({"service": "konseling"}, ["Puskesmas Bontang Utara I", "UPTD PPA Kota Bontang"]),
        (
            {"kelurahan": "64.74.01.1003"},
            ["CSR PT Pupuk Kaltim", "Puskesmas Bontang Utara I", "UPTD PPA Kota Bontang"],
        ),
        ({"kelurahan": "64.74.02.1001"}, ["LKSA Harapan Bangsa", "UPTD PPA Kota Bontang"]),
        ({"agreement": "valid"}, ["CSR PT Pupuk Kaltim"]),
        ({"agreement": "expiring"}, ["UPTD PPA Kota Bontang"]),
        ({"agreement": "expired"}, ["Puskesmas Bontang Utara I"]),
        ({"agreement": "none"}, ["LKSA Harapan Bangsa"]),
        ({"query": "pupuk"}, ["CSR PT Pupuk Kaltim"]),
    ],
)
def test_the_directory_filters(client, sari, network, query, expected):
    client.force_login(sari)
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert _names(response) == expected


def test_an_expiring_mou_next_to_a_valid_one_counts_as_valid(client, budi, ppa):
    expiring_mou(budi, ppa)
    valid_mou(budi, ppa)
    client.force_login(budi)
    assert _names(client.get(LIST, {"agreement": "valid"})) == [ppa.name]
    assert _names(client.get(LIST, {"agreement": "expiring"})) == []


def test_inactive_partners_are_hidden_unless_asked(client, budi, ppa):
    partners.partner_deactivate(actor=budi, partner=ppa, expected_version=1)
    client.force_login(budi)
    assert _names(client.get(LIST)) == []
    assert _names(client.get(LIST, {"include_inactive": "on"})) == [ppa.name]


def test_the_directory_is_paginated(client, budi):
    for number in range(27):
        make_partner(budi, f"Posyandu Melati {number:02d}")
    client.force_login(budi)
    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})
    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 2
    assert first.context["page"].paginator.count == 27


def test_the_htmx_filter_returns_only_the_rows(client, budi, ppa):
    client.force_login(budi)
    response = client.get(LIST, {"kind": "government"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "referrals/partner_rows.html"


def _fill(actor, count, start=0):
    for number in range(start, start + count):
        partner = make_partner(actor, f"Posyandu Mawar {number:02d}", services=["konseling"])
        expiring_mou(actor, partner)
        valid_mou(actor, partner)


def test_the_directory_query_count_does_not_grow_with_partners(client, budi):
    _fill(budi, 2)
    client.force_login(budi)
    client.get(LIST)  # the first request of a session loads more than the page needs
    with CaptureQueriesContext(connection) as few:
        few_rows = len(client.get(LIST).context["rows"])
    _fill(budi, 8, start=2)
    with CaptureQueriesContext(connection) as many:
        many_rows = len(client.get(LIST).context["rows"])
    assert many_rows > few_rows
    assert len(many) == len(few)


def test_the_directory_query_count_is_pinned(client, budi, django_assert_num_queries):
    _fill(budi, 5)
    client.force_login(budi)
    client.get(LIST)
    # session, user, organisation, warning days, the chosen service, the count, the page,
    # its agreements, its services, then the service and kelurahan choices of the filters
    with django_assert_num_queries(11):
        client.get(LIST, {"agreement": "valid", "service": "konseling"})


# -- who reaches the directory ------------------------------------------------------------------


@pytest.mark.parametrize("username", ["budi", "rina", "sari", "putri", "intan"])
def test_casework_roles_and_admin_read_the_directory(client, request, ppa, username):
    client.force_login(request.getfixturevalue(username))
    assert client.get(LIST).status_code == 200
    assert client.get(url("partner_detail", ppa)).status_code == 200


@pytest.mark.parametrize("username", ["pak_agus", "mitra_ppa", "viewer", "pak_hendra"])
def test_others_do_not_reach_the_directory(client, request, ppa, username):
    user = request.getfixturevalue(username)
    client.force_login(user)
    assert client.get(LIST).status_code == 403
    assert client.get(url("partner_detail", ppa)).status_code == 404


def test_linked_partner_staff_do_not_reach_the_directory_either(client, budi, ppa, mitra_ppa):
    link_staff(budi, ppa, mitra_ppa)
    client.force_login(mitra_ppa)
    assert client.get(LIST).status_code == 403
    assert client.get(url("partner_detail", ppa)).status_code == 404
    assert client.get(url("partner_edit", ppa)).status_code == 404


def test_another_organisations_partner_is_not_found(client, budi, samarinda_partner):
    client.force_login(budi)
    for name in ("partner_detail", "partner_edit", "partner_contact_add", "partner_staff_link"):
        assert client.get(url(name, samarinda_partner)).status_code == 404
    response = client.post(url("partner_deactivate", samarinda_partner), {"version": 1})
    assert response.status_code == 404
    samarinda_partner.refresh_from_db()
    assert samarinda_partner.is_active


@pytest.mark.parametrize("username", ["sari", "putri", "intan"])
def test_readers_may_not_change_the_directory(client, request, ppa, username):
    client.force_login(request.getfixturevalue(username))
    assert client.get(CREATE).status_code == 403
    for name in (
        "partner_edit",
        "partner_contact_add",
        "partner_agreement_add",
        "partner_staff_link",
    ):
        assert client.get(url(name, ppa)).status_code == 403
        assert client.post(url(name, ppa), {}).status_code == 403
    assert client.post(url("partner_deactivate", ppa), {"version": 1}).status_code == 403
    ppa.refresh_from_db()
    assert ppa.is_active
    assert ppa.version == 1


# -- pages: detail and forms --------------------------------------------------------------------


def test_the_partner_page_shows_its_details(client, budi, sari, ppa, mitra_ppa):
    partners.contact_add(actor=budi, partner=ppa, name="Ibu Ratna", phone="0812 555")
    expiring_mou(budi, ppa, number="400/7/UPTD")
    link_staff(budi, ppa, mitra_ppa)
    client.force_login(sari)
    response = client.get(url("partner_detail", ppa))
    html = response.content.decode()
    assert "Ibu Ratna" in html
    assert "400/7/UPTD" in html
    assert "mitra_ppa" in html
    assert 'data-testid="mou-expiring"' in html
    assert response.context["score"].sent == 0
    # A reader sees no change buttons.
    assert url("partner_edit", ppa) not in html
    client.force_login(budi)
    assert url("partner_edit", ppa) in client.get(url("partner_detail", ppa)).content.decode()


def test_create_a_partner_through_the_form(client, budi):
    client.force_login(budi)
    area = Region.objects.get(code="64.74.01")
    response = client.post(
        CREATE,
        {
            "name": "Puskesmas Bontang Utara I",
            "short_name": "PKM BU I",
            "kind": "government",
            "services": [s.pk for s in service_types("konseling")],
            "service_area": [area.pk],
            "phone": "0548 1",
        },
    )
    partner = Partner.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("partner_detail", partner)
    assert list(partner.service_area.all()) == [area]


def test_the_create_form_shows_a_taken_name_on_the_field(client, budi, ppa):
    client.force_login(budi)
    response = client.post(CREATE, {"name": ppa.name, "kind": "community"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert 'id="id_name_errors"' in response.content.decode()
    assert Partner.objects.count() == 1


def test_the_create_form_asks_a_psks_category(client, budi):
    client.force_login(budi)
    response = client.post(CREATE, {"name": "TKSK Bontang Barat", "kind": "psks"})
    assert response.context["form"].errors["psks_category"]
    assert not Partner.objects.exists()


def test_edit_a_partner_through_the_form(client, budi, ppa):
    client.force_login(budi)
    assert client.get(url("partner_edit", ppa)).status_code == 200
    response = client.post(url("partner_edit", ppa), form_data(ppa, address="Jl. Awang Long"))
    assert response.status_code == 302
    ppa.refresh_from_db()
    assert ppa.address == "Jl. Awang Long"
    assert ppa.version == 2


def test_a_stale_edit_shows_what_changed(client, budi, rina, ppa):
    stale_data = form_data(ppa, address="Jl. Awang Long")
    partners.partner_update(actor=rina, partner=ppa, expected_version=1, phone="0548 77777")
    client.force_login(budi)
    response = client.post(url("partner_edit", ppa), stale_data)
    assert response.status_code == 409
    assert "0548 77777" in response.content.decode()
    assert response.context["form"].data["version"] == "2"
    ppa.refresh_from_db()
    assert ppa.address == ""
    # Saving again is a deliberate choice and goes through.
    again = client.post(url("partner_edit", ppa), response.context["form"].data)
    assert again.status_code == 302
    ppa.refresh_from_db()
    assert ppa.address == "Jl. Awang Long"
    assert ppa.phone == "0548 21234"


def test_deactivate_through_the_page(client, budi, ppa):
    client.force_login(budi)
    response = client.post(url("partner_deactivate", ppa), {"version": 1})
    assert response.status_code == 302
    ppa.refresh_from_db()
    assert not ppa.is_active


def test_add_and_remove_a_contact_through_the_pages(client, budi, ppa):
    client.force_login(budi)
    bad = client.post(url("partner_contact_add", ppa), {"name": "Ibu Ratna"})
    assert bad.status_code == 200
    assert bad.context["form"].errors["phone"]
    good = client.post(url("partner_contact_add", ppa), {"name": "Ibu Ratna", "phone": "0812"})
    assert good.status_code == 302
    contact = PartnerContact.objects.get()
    removed = client.post(url("partner_contact_remove", ppa, contact_id=contact.pk))
    assert removed.status_code == 302
    assert not PartnerContact.objects.exists()


def test_a_contact_of_another_partner_is_not_removed(client, budi, ppa):
    other = make_partner(budi, "Puskesmas Lok Tuan")
    contact = partners.contact_add(actor=budi, partner=other, name="Pak Rudi", phone="0812")
    client.force_login(budi)
    client.post(url("partner_contact_remove", ppa, contact_id=contact.pk))
    assert PartnerContact.objects.filter(pk=contact.pk).exists()


def test_record_an_agreement_through_the_page(client, budi, ppa):
    client.force_login(budi)
    data = {"kind": "mou", "number": "400/1/UPTD", "valid_from": "2026-01-01"}
    bad = client.post(url("partner_agreement_add", ppa), data | {"valid_until": "2025-12-31"})
    assert bad.status_code == 200
    assert bad.context["form"].errors["valid_until"]
    good = client.post(url("partner_agreement_add", ppa), data | {"valid_until": "2027-12-31"})
    assert good.status_code == 302
    assert Agreement.objects.get().valid_until == datetime.date(2027, 12, 31)


def test_link_and_unlink_a_staff_account_through_the_pages(client, budi, ppa, mitra_ppa, dewi):
    client.force_login(budi)
    page = client.get(url("partner_staff_link", ppa))
    choices = list(page.context["form"].fields["user"].queryset)
    assert choices == [mitra_ppa]  # not dewi, a counsellor
    refused = client.post(url("partner_staff_link", ppa), {"user": str(dewi.public_id)})
    assert refused.status_code == 200
    assert refused.context["form"].errors["user"]
    linked = client.post(url("partner_staff_link", ppa), {"user": str(mitra_ppa.public_id)})
    assert linked.status_code == 302
    assert partner_of(mitra_ppa) == ppa
    unlinked = client.post(url("partner_staff_unlink", ppa, user_id=mitra_ppa.public_id))
    assert unlinked.status_code == 302
    assert partner_of(mitra_ppa) is None
