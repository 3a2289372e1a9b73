import datetime

import pytest
from django.core.exceptions import ValidationError

from lk3.audit import actions
from lk3.audit.models import AuditEvent
from lk3.core.errors import DomainError
from lk3.people import services
from lk3.people.diagram import Member, family_diagram_svg
from lk3.people.models import FamilyMembership, MembershipEnd, Relationship
from lk3.people.tests.builders import TODAY, make_person

KK = "6474011503100002"


@pytest.fixture
def budiman(sari):
    return make_person(sari, "Budiman", sex="L", birth_date=datetime.date(1980, 1, 1))


@pytest.fixture
def family(sari, budiman):
    return services.family_create(
        actor=sari,
        organisation=sari.organisation,
        kk_number=KK,
        head=budiman,
        started_on=TODAY,
        today=TODAY,
    )


def test_a_family_is_registered_with_its_head(family, budiman):
    membership = FamilyMembership.objects.get(family=family)

    assert (membership.person, membership.relationship) == (budiman, Relationship.HEAD)
    assert family.kk_number == KK
    assert str(family) == "Keluarga Budiman"


def test_a_malformed_kk_is_refused(sari):
    with pytest.raises(ValidationError) as refused:
        services.family_create(
            actor=sari, organisation=sari.organisation, kk_number="6474", today=TODAY
        )

    assert "kk_number" in refused.value.message_dict


def test_a_kk_registered_twice_is_refused(sari, family):
    with pytest.raises(ValidationError) as refused:
        services.family_create(
            actor=sari, organisation=sari.organisation, kk_number=KK, today=TODAY
        )

    assert refused.value.message_dict["kk_number"] == [
        "Nomor KK ini sudah terdaftar untuk Keluarga Budiman."
    ]


def test_a_second_head_is_refused(sari, family):
    other = make_person(sari, "Joko", sex="L", birth_date=datetime.date(1982, 2, 2))

    with pytest.raises(DomainError) as refused:
        services.family_member_add(
            actor=sari,
            family=family,
            person=other,
            relationship=Relationship.HEAD,
            started_on=TODAY,
        )

    assert refused.value.code == "family_has_head"


def test_a_member_of_another_family_must_be_moved_explicitly(sari, family):
    wife = make_person(sari, "Siti Aminah")
    other = services.family_create(actor=sari, organisation=sari.organisation, today=TODAY)
    services.family_member_add(
        actor=sari, family=other, person=wife, relationship=Relationship.CHILD, started_on=TODAY
    )

    with pytest.raises(DomainError) as refused:
        services.family_member_add(
            actor=sari, family=family, person=wife, relationship=Relationship.WIFE, started_on=TODAY
        )

    assert refused.value.code == "in_other_family"


def test_moving_keeps_the_history(sari, family):
    wife = make_person(sari, "Siti Aminah")
    parents = services.family_create(actor=sari, organisation=sari.organisation, today=TODAY)
    first_day = TODAY - datetime.timedelta(days=400)
    services.family_member_add(
        actor=sari,
        family=parents,
        person=wife,
        relationship=Relationship.CHILD,
        started_on=first_day,
    )

    services.family_member_add(
        actor=sari,
        family=family,
        person=wife,
        relationship=Relationship.WIFE,
        started_on=TODAY,
        move=True,
    )

    history = list(FamilyMembership.objects.filter(person=wife).order_by("started_on"))
    assert [(m.family_id, m.ended_on, m.end_reason) for m in history] == [
        (parents.pk, TODAY, MembershipEnd.MOVED),
        (family.pk, None, ""),
    ]
    assert AuditEvent.objects.filter(action=actions.FAMILY_MEMBER_ENDED).count() == 1


def test_a_membership_cannot_end_before_it_started(sari, family):
    membership = FamilyMembership.objects.get(family=family)

    with pytest.raises(ValidationError):
        services.family_member_end(
            actor=sari,
            membership=membership,
            ended_on=TODAY - datetime.timedelta(days=1),
            reason=MembershipEnd.MOVED,
        )


def test_a_person_of_another_organisation_cannot_join(sari, rudi, family):
    outsider = make_person(rudi, "Orang Samarinda")

    with pytest.raises(DomainError) as refused:
        services.family_member_add(
            actor=sari,
            family=family,
            person=outsider,
            relationship=Relationship.OTHER,
            started_on=TODAY,
        )

    assert refused.value.code == "other_organisation"


def test_the_diagram_draws_every_member_with_escaped_names():
    members = [
        Member("Budiman", Relationship.HEAD, "Kepala Keluarga", "L", 46),
        Member("Siti <Aminah>", Relationship.WIFE, "Istri", "P", 41),
        Member("Rizki", Relationship.CHILD, "Anak", "L", 12),
        Member("Nur", Relationship.CHILD, "Anak", "P", 9),
    ]

    svg = str(family_diagram_svg(members, title="Keluarga Budiman"))

    assert svg.startswith("<svg")
    assert svg.count("<rect") == 3  # two men, the head drawn with a double outline
    assert svg.count("<circle") == 2
    assert "Siti &lt;Aminah&gt;" in svg
    assert "style=" not in svg
