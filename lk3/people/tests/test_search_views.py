"""The person search page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from lk3.people import search
from lk3.people.tests.builders import NIK_SITI, make_person

HTMX = {"HTTP_HX_REQUEST": "true"}
URL = "people:search"


@pytest.fixture(autouse=True)
def fresh_vocabulary():
    search.vocabulary_cache_clear()


@pytest.fixture
def siti(intan):
    return make_person(intan, "Siti Aminah", nik=NIK_SITI, nik_absence="")


def templates_used(response):
    return [template.name for template in response.templates]


def test_login_is_required(client, db):
    url = reverse(URL)

    response = client.get(url)

    assert (response.status_code, response.url) == (302, f"{reverse('accounts:login')}?next={url}")


@pytest.mark.parametrize("user", ["mitra_ppa", "rina", "viewer", "pak_agus", "pak_hendra"])
def test_users_outside_the_registry_are_refused(client, request, siti, user):
    client.force_login(request.getfixturevalue(user))

    response = client.get(reverse(URL), {"q": "Siti Aminah"})

    assert response.status_code == 403
    assert "Siti Aminah" not in response.content.decode()


@pytest.mark.parametrize("user", ["budi", "sari", "intan", "putri"])
def test_registry_users_may_search(client, request, siti, user):
    client.force_login(request.getfixturevalue(user))

    response = client.get(reverse(URL), {"q": "Siti Aminah"})

    assert response.status_code == 200
    assert [hit.person for hit in response.context["results"].hits] == [siti]


def test_post_is_not_allowed(client, intan):
    client.force_login(intan)

    assert client.post(reverse(URL)).status_code == 405


def test_the_page_is_a_full_page_with_the_search_box(client, intan, siti):
    client.force_login(intan)

    response = client.get(reverse(URL))

    assert templates_used(response)[:2] == ["people/search.html", "base.html"]
    html = response.content.decode()
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert f'href="{reverse("people:person_create")}"' in html
    assert "<script>" not in html
    assert "style=" not in html


def test_htmx_gets_only_the_results(client, intan, siti):
    client.force_login(intan)

    response = client.get(reverse(URL), {"q": "Siti Aminh"}, **HTMX)

    assert templates_used(response)[0] == "people/_search_results.html"
    assert "base.html" not in templates_used(response)
    assert reverse("people:person_detail", args=[siti.public_id]) in response.content.decode()


def test_a_result_says_who_and_why_in_indonesian(client, intan, siti):
    client.force_login(intan)

    response = client.get(reverse(URL), {"q": "Siti Aminh"})

    html = response.content.decode()
    assert "Siti Aminah" in html
    assert f"Perempuan · {siti.age_on(timezone.localdate())} tahun" in html
    assert '<span class="badge">salah ketik</span>' in html
    assert "1 orang ditemukan" in html


def test_a_nik_result_says_it_matched_the_nik(client, intan, siti):
    client.force_login(intan)

    response = client.get(reverse(URL), {"q": "6474 0145 0885 0003"}, **HTMX)

    assert '<span class="badge">NIK</span>' in response.content.decode()


def test_no_result_offers_to_register_the_person(client, intan, siti):
    client.force_login(intan)

    response = client.get(reverse(URL), {"q": "Yohanes Lado"}, **HTMX)

    html = response.content.decode()
    assert "Tidak ada orang dalam registri yang cocok dengan pencarian ini." in html
    assert "Daftarkan orang baru" in html


def test_pages_link_to_the_next_page_with_the_query(client, intan):
    for _ in range(21):
        make_person(intan, "Siti Aminah")
    client.force_login(intan)

    response = client.get(reverse(URL), {"q": "Siti Aminah"})

    html = response.content.decode()
    assert "Halaman 1 dari 2" in html
    assert 'href="?q=Siti+Aminah&amp;page=2"' in html


def test_a_page_number_that_is_not_a_number_shows_the_first(client, intan, siti):
    client.force_login(intan)

    response = client.get(reverse(URL), {"q": "Siti Aminah", "page": "dua"})

    assert response.context["results"].page == 1
