from django.urls import reverse

LOGIN = reverse("accounts:login")


def test_indonesian_is_the_default_even_for_an_english_browser(client, db):
    response = client.get(LOGIN, headers={"Accept-Language": "en-US,en;q=0.9"})

    assert response["Content-Language"] == "id"
    assert "Masuk ke lk3" in response.content.decode()


def test_the_switch_turns_the_interface_to_english(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})

    response = client.get(LOGIN)

    assert "Log in to lk3" in response.content.decode()


def test_an_unknown_language_falls_back_to_indonesian(client, db):
    client.cookies["lk3_language"] = "fr"

    response = client.get(LOGIN)

    assert response["Content-Language"] == "id"
