"""The stranded-people list, the take-in pages and the group page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lk3.audit.models import AccessEvent
from lk3.cases.models import Case
from lk3.core.models import PmksCategory
from lk3.people.tests.builders import TODAY, make_person
from lk3.repatriation import members
from lk3.repatriation.models import GroupStatus, StrandedGroup
from lk3.repatriation.tests.builders import STRANDED_PMKS, stranded_family, take_in
from lk3.repatriation.tests.member_builders import decide_return


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# -- the list --------------------------------------------------------------------------------


def test_the_list_shows_the_intakes_newest_first_with_origin(client, budi):
    older = take_in(budi, [make_person(budi, "Udin")], found_on=TODAY.replace(day=1))
    newer = take_in(budi)
    client.force_login(budi)
    response = client.get(reverse("repatriation:group_list"))
    assert response.status_code == 200
    rows = [group for group, _origin in response.context["rows"]]
    assert rows == [newer, older]
    origins = {group.number: origin for group, origin in response.context["rows"]}
    assert origins[newer.number] == "Kabupaten Garut"
    assert origins[older.number] == ""
    assert response.context["rows"][0][0].people == 3


def test_the_list_filters_by_status_and_number(client, budi):
    first = take_in(budi)
    second = take_in(budi, [make_person(budi, "Udin")])
    decide_return(budi, first.members.order_by("pk")[0])
    client.force_login(budi)
    url = reverse("repatriation:group_list")
    by_status = client.get(url, {"status": GroupStatus.PLANNING})
    assert [group for group, _ in by_status.context["rows"]] == [first]
    by_number = client.get(url, {"q": second.number[-4:]})
    assert [group for group, _ in by_number.context["rows"]] == [second]


def test_the_list_is_refused_to_roles_without_cases(client, pak_agus):
    client.force_login(pak_agus)
    assert client.get(reverse("repatriation:group_list")).status_code == 403


def test_the_list_holds_only_the_users_organisation(client, budi, rudi):
    take_in(rudi, [make_person(rudi, "Yohanes")])
    client.force_login(budi)
    response = client.get(reverse("repatriation:group_list"))
    assert response.context["rows"] == []


# -- taking in -------------------------------------------------------------------------------


def test_take_in_from_registry_search_to_the_group_page(english, budi, sari):
    asep, eneng, dede = stranded_family(budi)
    english.force_login(budi)
    choose = reverse("repatriation:take_in_choose")
    found = english.get(choose, {"q": "Asep Saepudin"})
    assert found.status_code == 200
    assert asep in [hit.person for hit, _link in found.context["candidates"]]
    picked = english.get(choose, {"person": [str(asep.public_id), str(eneng.public_id)]})
    assert [person for person, _ in picked.context["chosen"]] == [asep, eneng]
    form_url = reverse("repatriation:take_in") + "?" + picked.context["chosen_query"]
    page = english.get(form_url)
    assert page.status_code == 200
    pmks = PmksCategory.objects.get(code=STRANDED_PMKS)
    assert pmks in page.context["form"].initial["pmks_categories"]
    response = english.post(form_url, _intake_data(page, lead=sari))
    group = StrandedGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("repatriation:group_detail", args=[group.public_id])
    assert {member.person for member in group.members.all()} == {asep, eneng}
    assert group.case.lead_counsellor == sari
    assert group.found_place == "Terminal Bus Bontang"
    assert dede.strandings.count() == 0


def test_searching_for_someone_already_chosen_says_so(english, budi):
    asep, _eneng, _dede = stranded_family(budi)
    english.force_login(budi)
    choose = reverse("repatriation:take_in_choose")
    response = english.get(choose, {"person": str(asep.public_id), "q": "Asep Saepudin"})
    assert response.context["candidates"] == []
    assert "already chosen" in response.content.decode()


def _intake_data(page, lead=None, **overrides):
    form = page.context["form"]
    data = {
        "token": form.initial["token"],
        "found_at": "bus_terminal",
        "found_place": "Terminal Bus Bontang",
        "found_on": TODAY.isoformat(),
        "brought_by": "Polsek Bontang Utara",
        "police_letter_ref": "B/123/XI/2026",
        "circumstances": "Uang habis, tidak bisa membeli tiket pulang.",
        "pmks_categories": [PmksCategory.objects.get(code=STRANDED_PMKS).pk],
        "lead_counsellor": str(lead.public_id) if lead else "",
    }
    data.update(overrides)
    return data


def test_a_double_submitted_take_in_makes_one_intake(client, budi):
    asep = make_person(budi, "Asep Saepudin", sex="L")
    client.force_login(budi)
    url = reverse("repatriation:take_in") + f"?person={asep.public_id}"
    page = client.get(url)
    data = _intake_data(page)
    first = client.post(url, data)
    second = client.post(url, data)
    group = StrandedGroup.objects.get()
    assert first["Location"] == second["Location"]
    assert second["Location"] == reverse("repatriation:group_detail", args=[group.public_id])
    assert Case.objects.count() == 1


def test_a_bad_intake_is_shown_again_naming_the_field(english, budi):
    asep = make_person(budi, "Asep Saepudin", sex="L")
    english.force_login(budi)
    url = reverse("repatriation:take_in") + f"?person={asep.public_id}"
    page = english.get(url)
    tomorrow = TODAY.replace(year=TODAY.year + 1).isoformat()
    response = english.post(url, _intake_data(page, found_on=tomorrow))
    assert response.status_code == 200
    assert response.context["form"].errors["found_on"]
    assert not StrandedGroup.objects.exists()


def test_taking_in_a_person_out_of_reach_is_a_404(client, budi, rudi):
    stranger = make_person(rudi, "Yohanes")
    client.force_login(budi)
    url = reverse("repatriation:take_in") + f"?person={stranger.public_id}"
    assert client.get(url).status_code == 404


def test_a_newly_registered_person_comes_back_as_a_pick(client, intan):
    registered = make_person(intan, "Ujang Sutisna")
    client.force_login(intan)
    response = client.get(reverse("repatriation:take_in_choose"))
    assert registered in [person for person, _link in response.context["recent"]]
    assert "next=" in response.content.decode()


# -- the group page --------------------------------------------------------------------------


# The page's own reads: session, user, organisation, group, access event (3 with its
# savepoint), members, stays, region names, tracing. The plan, documents and handover
# cards (other modules) add theirs; the whole page stays under this.
PAGE_QUERIES = 24


def test_the_group_page_decodes_the_nik_region_and_records_the_view(
    english, budi, django_assert_max_num_queries
):
    group = take_in(budi)
    english.force_login(budi)
    url = reverse("repatriation:group_detail", args=[group.public_id])
    english.get(url)  # warm the session and the caches
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = english.get(url)
    assert response.status_code == 200
    asep = response.context["member_rows"][0]
    assert asep.nik_region == ["Jawa Barat", "Kabupaten Garut", "Garut Kota"]
    assert "Garut Kota" in response.content.decode()
    assert AccessEvent.objects.filter(purpose="stranded_group").count() == 2


def _page_queries(client, group):
    url = reverse("repatriation:group_detail", args=[group.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_group_page_costs_the_same_whatever_the_number_of_members(client, budi):
    small = take_in(budi)
    family = [member.person for member in small.members.all()]
    large = take_in(budi, [*family, make_person(budi, "Udin"), make_person(budi, "Ujang")])
    for member in large.members.all():
        members.shelter_check_in(actor=budi, member=member, shelter="Rumah Singgah")
        members.tracing_record(
            actor=budi,
            group=large,
            member=member,
            contacted_on=TODAY,
            contact="Keluarga",
            method="phone",
            result="no_answer",
            today=TODAY,
        )
    client.force_login(budi)
    assert _page_queries(client, large) == _page_queries(client, small)


def test_another_organisations_group_is_a_404(client, budi, rudi):
    group = take_in(rudi, [make_person(rudi, "Yohanes")])
    client.force_login(budi)
    assert (
        client.get(reverse("repatriation:group_detail", args=[group.public_id])).status_code == 404
    )


def test_adding_a_member_from_the_registry(client, budi):
    group = take_in(budi, [make_person(budi, "Udin")])
    brother = make_person(budi, "Ujang")
    client.force_login(budi)
    url = reverse("repatriation:member_add", args=[group.public_id])
    response = client.post(url, {"person": str(brother.public_id)})
    assert response.status_code == 302
    again = client.post(url, {"person": str(brother.public_id)})
    assert again.status_code == 302
    assert group.members.count() == 2


def test_a_counsellor_not_on_the_case_may_not_add_members(client, dewi, sari):
    group = take_in(dewi, [make_person(dewi, "Udin")])  # opened by dewi, led by sari
    brother = make_person(dewi, "Ujang")
    client.force_login(dewi)
    assert (
        client.get(reverse("repatriation:group_detail", args=[group.public_id])).status_code == 200
    )
    url = reverse("repatriation:member_add", args=[group.public_id])
    assert client.post(url, {"person": str(brother.public_id)}).status_code == 403
    assert group.members.count() == 1


def test_the_case_page_leads_to_the_intake(client, budi):
    group = take_in(budi)
    client.force_login(budi)
    response = client.get(reverse("cases:case_detail", args=[group.case.public_id]))
    assert response.context["stranded_group"] == group
    link = reverse("repatriation:group_detail", args=[group.public_id])
    assert f'href="{link}"' in response.content.decode()
