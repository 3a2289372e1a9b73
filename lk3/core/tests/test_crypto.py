import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from lk3.core import crypto


def test_text_round_trips():
    token = crypto.encrypt("Konseling keluarga Ibu S.", context="cases.session.notes")

    assert crypto.decrypt(token, context="cases.session.notes") == "Konseling keluarga Ibu S."


def test_ciphertext_does_not_contain_the_text():
    assert "Ibu" not in crypto.encrypt("Ibu", context="x")


def test_the_same_text_encrypts_differently_each_time():
    assert crypto.encrypt("sama", context="x") != crypto.encrypt("sama", context="x")


def test_a_value_moved_to_another_column_does_not_decrypt():
    token = crypto.encrypt("6474014101900001", context="people.person.nik")

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="cases.session.notes")


def test_a_tampered_value_does_not_decrypt():
    token = crypto.encrypt("rahasia", context="x")
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered, context="x")


def test_old_keys_still_decrypt_after_rotation():
    first = json.loads(crypto.generate_keys_json())
    with override_settings(LK3_KEYS=json.dumps(first)):
        token = crypto.encrypt("lama", context="x")
    second = json.loads(crypto.generate_keys_json())["encryption"]["keys"]["k1"]
    rotated = {
        "encryption": {"current": "k2", "keys": {**first["encryption"]["keys"], "k2": second}},
        "lookup": first["lookup"],
    }

    with override_settings(LK3_KEYS=json.dumps(rotated)):
        assert crypto.decrypt(token, context="x") == "lama"
        assert crypto.key_id_of(crypto.encrypt("baru", context="x")) == "k2"


def test_lookup_hash_is_stable_and_keyed():
    keys = crypto.generate_keys_json()
    with override_settings(LK3_KEYS=keys):
        first = crypto.lookup_hash("6474014101900001", purpose="nik")
        again = crypto.lookup_hash("6474014101900001", purpose="nik")
        as_kk = crypto.lookup_hash("6474014101900001", purpose="kk")
    with override_settings(LK3_KEYS=crypto.generate_keys_json()):
        other_key = crypto.lookup_hash("6474014101900001", purpose="nik")

    assert first == again
    assert len({first, as_kk, other_key}) == 3


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        '{"encryption": {"current": "k9", "keys": {"k1": "AAAA"}}, "lookup": "AAAA"}',
        json.dumps(
            {"encryption": {"current": "k1", "keys": {"k1": "c2hvcnQ="}}, "lookup": "c2hvcnQ="}
        ),
    ],
)
def test_bad_keys_are_a_configuration_error(raw):
    with override_settings(LK3_KEYS=raw), pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x", context="x")


def test_encrypted_field_stores_ciphertext(lk3_bontang):
    from lk3.people.models import Person

    Person.objects.create(
        organisation=lk3_bontang, full_name="Siti Aminah", sex="P", nik="6474014101900001"
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT nik FROM people_person")
        (stored,) = cursor.fetchone()
    assert stored.startswith("v1:")
    assert "6474014101900001" not in stored
    assert Person.objects.get().nik == "6474014101900001"
