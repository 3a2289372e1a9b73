import pytest
from django.urls import reverse

from lk3.accounts import services as account_services
from lk3.accounts.roles import Role

HTMX = {"HTTP_HX_REQUEST": "true"}
URL_NAMES = ["regions:search", "regions:nik_check", "regions:kk_check"]


def templates_used(response):
    return [template.name for template in response.templates]


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_login_is_required(client, db, url_name):
    url = reverse(url_name)

    response = client.get(url)

    assert (response.status_code, response.url) == (302, f"{reverse('accounts:login')}?next={url}")


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_user_without_organisation_is_refused(client, db, url_name):
    outsider = account_services.user_create(
        actor=None,
        username="tamu",
        full_name="Tamu",
        role=Role.COUNSELLOR,
        organisation=None,
        password=None,
    )
    client.force_login(outsider)

    assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_partner_staff_may_use_them(client, mitra_ppa, url_name):
    client.force_login(mitra_ppa)

    assert client.get(reverse(url_name)).status_code == 200


def test_post_is_not_allowed(client, sari):
    client.force_login(sari)

    assert client.post(reverse("regions:search")).status_code == 405


def test_search_page_is_a_full_page(client, sari):
    client.force_login(sari)

    response = client.get(reverse("regions:search"), {"q": "Bontang Bru"})

    assert templates_used(response)[:2] == ["regions/search.html", "base.html"]


def test_search_page_shows_the_match_and_its_parents(client, sari):
    client.force_login(sari)

    response = client.get(reverse("regions:search"), {"q": "Bontang Bru"})

    assert "Bontang Utara, Kota Bontang, Kalimantan Timur" in response.content.decode()


def test_htmx_search_returns_only_the_results(client, sari):
    client.force_login(sari)

    response = client.get(reverse("regions:search"), {"q": "Bontang Bru"}, **HTMX)

    assert templates_used(response) == ["regions/_results.html"]


def test_search_honours_the_level(client, sari):
    client.force_login(sari)

    response = client.get(reverse("regions:search"), {"q": "Bontang", "level": "kecamatan"})

    assert {match.region.level for match in response.context["matches"]} == {"kecamatan"}


def test_search_without_match_says_so_in_indonesian(client, sari):
    client.force_login(sari)

    response = client.get(reverse("regions:search"), {"q": "xqzwv"}, **HTMX)

    assert "Tidak ada wilayah yang cocok dengan pencarian ini." in response.content.decode()


def test_nik_check_shows_region_birth_date_and_sex(client, sari):
    client.force_login(sari)

    response = client.get(reverse("regions:nik_check"), {"value": "6474015708900001"})

    content = response.content.decode()
    assert (
        "Bontang Utara, Kota Bontang, Kalimantan Timur" in content,
        "17 Agustus 1990" in content,
        "Perempuan" in content,
    ) == (
        True,
        True,
        True,
    )


def test_nik_check_shows_errors_in_indonesian(client, sari):
    client.force_login(sari)

    response = client.get(reverse("regions:nik_check"), {"value": "6474011708900000"})

    assert "Nomor urut NIK (4 angka terakhir) tidak boleh 0000." in response.content.decode()


def test_nik_check_shows_a_mismatch_warning(client, sari):
    client.force_login(sari)

    response = client.get(
        reverse("regions:nik_check"), {"value": "6474011708900001", "birth_date": "1990-08-18"}
    )

    assert "Tanggal lahir pada NIK (17-08-90) berbeda dengan tanggal lahir yang diisi." in (
        response.content.decode()
    )


def test_nik_check_is_a_fragment(client, sari):
    client.force_login(sari)

    response = client.get(reverse("regions:nik_check"), {"value": "6474011708900001"})

    assert templates_used(response) == ["regions/_identity.html"]


def test_nik_check_with_a_malformed_birth_date_reports_it(client, sari):
    client.force_login(sari)

    response = client.get(
        reverse("regions:nik_check"), {"value": "6474011708900001", "birth_date": "kemarin"}
    )

    assert response.context["form"].errors == {"birth_date": ["Masukkan tanggal yang valid."]}


def test_kk_check_warns_of_a_future_date_in_indonesian(client, sari):
    client.force_login(sari)

    response = client.get(reverse("regions:kk_check"), {"value": "6474010101990001"})

    assert "Tanggal pada nomor KK (angka ke-7 sampai ke-12) ada di masa depan" in (
        response.content.decode()
    )
