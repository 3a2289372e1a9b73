import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k7Qp2-vX9mZr4Lw8Nc3Ht6Yb1Fs5Jd0Ge-Ua2Wq7Rx4Tz9Pm3Kn8Vc6Bh1Sd5Lf",
    "LK3_KEYS": '{"encryption": {"current": "k1", "keys": {"k1": "'
    + "A" * 43
    + '="}}, "lookup": "'
    + "B" * 43
    + '="}',
    "ALLOWED_HOSTS": "lk3.bontangkota.go.id",
    "DATABASE_URL": "sqlite:////tmp/lk3-deploy-check.sqlite3",
}


def manage(*args, env):
    # The test run's own switches must not leak into a production check.
    leaking = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in os.environ.items() if key not in leaking}
    return subprocess.run(  # noqa: S603 -- our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_for_a_production_configuration():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "secret", ["", "short", "insecure-local-only-do-not-use-in-production" * 2, "ab" * 40]
)
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    result = manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": secret})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_encryption_keys():
    result = manage("check", env={**PRODUCTION_ENV, "LK3_KEYS": ""})

    assert result.returncode != 0
    assert "LK3_KEYS" in result.stderr


def test_debug_refuses_a_public_host_name():
    result = manage("check", env={"DEBUG": "1", "ALLOWED_HOSTS": "lk3.bontangkota.go.id"})

    assert result.returncode != 0
    assert "DEBUG may only be on" in result.stderr


def test_pages_send_a_strict_content_security_policy(client, db):
    response = client.get(reverse("accounts:login"))

    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_send_the_other_security_headers(client, db):
    response = client.get(reverse("accounts:login"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "microphone=()" in response["Permissions-Policy"]


def test_pages_behind_login_are_not_cached(client, sari):
    client.force_login(sari)

    response = client.get(reverse("accounts:dashboard"))

    assert "no-store" in response["Cache-Control"]


def test_no_inline_script_without_the_nonce(client, sari):
    client.force_login(sari)

    page = client.get(reverse("accounts:dashboard")).content.decode()

    assert "<script>" not in page
    assert " style=" not in page


def test_health_answers_for_the_load_balancer(client, db):
    assert client.get(reverse("health")).json() == {"status": "ok"}
