from django.urls import reverse


def test_region_search_finds_a_misspelled_kelurahan(client, sari):
    client.force_login(sari)

    response = client.get(reverse("api:region_search"), {"q": "Bontang Bru", "within": "64.74"})

    first = response.json()[0]
    assert (first["code"], first["name"]) == ("64.74.01.1002", "Bontang Baru")
    assert first["path"] == "Bontang Utara, Kota Bontang, Kalimantan Timur"


def test_region_search_without_a_query_names_the_field(client, sari):
    client.force_login(sari)

    response = client.get(reverse("api:region_search"))

    assert response.status_code == 400
    assert response.json() == {"q": ["Bidang ini harus diisi."]}


def test_region_detail_gives_the_path(client, sari):
    client.force_login(sari)

    response = client.get(reverse("api:region_detail", args=["64.74.01"]))

    assert [item["code"] for item in response.json()["path"]] == ["64", "64.74", "64.74.01"]


def test_unknown_region_is_not_found(client, sari):
    client.force_login(sari)

    assert client.get(reverse("api:region_detail", args=["99.99"])).status_code == 404


def test_nik_check_decodes_a_woman_from_bontang_utara(client, sari):
    client.force_login(sari)

    response = client.post(
        reverse("api:nik_check"),
        {"nik": "6474015708900001", "birth_date": "1990-08-17", "sex": "P"},
    )

    assert response.json() == {
        "valid": True,
        "errors": [],
        "warnings": [],
        "region": {
            "code": "64.74.01",
            "province": "Kalimantan Timur",
            "regency": "Kota Bontang",
            "district": "Bontang Utara",
        },
        "birth_date": "1990-08-17",
        "sex": "P",
    }


def test_nik_check_reports_a_malformed_nik(client, sari):
    client.force_login(sari)

    response = client.post(reverse("api:nik_check"), {"nik": "64740157089"})

    body = response.json()
    assert body["valid"] is False
    assert [problem["code"] for problem in body["errors"]] == ["wrong_length"]


def test_kk_check_gives_the_recorded_date(client, sari):
    client.force_login(sari)

    response = client.post(reverse("api:kk_check"), {"kk": "6474011503100002"})

    assert response.json()["recorded_date"] == "2010-03-15"


def test_partner_staff_may_use_the_checks_which_hold_no_case_data(client, mitra_ppa):
    client.force_login(mitra_ppa)

    assert client.post(reverse("api:nik_check"), {"nik": "6474015708900001"}).status_code == 200


def test_the_schema_documents_the_endpoints(client, sari):
    client.force_login(sari)

    schema = client.get(reverse("api:schema")).content.decode()

    assert "/api/v1/identity/nik/" in schema
