"""Referral letters: who issues and downloads them, the register, and public verification."""

from __future__ import annotations

import datetime
import os

import pytest
from django.conf import settings
from django.urls import reverse

from lk3.audit import actions
from lk3.audit.models import AccessEvent, AuditEvent
from lk3.core.errors import DomainError
from lk3.referrals import letters
from lk3.referrals.models import Letter, LetterKind, LetterNumberCounter
from lk3.referrals.tests.letter_builders import (
    SIGNATORY,
    plain_letter,
    referral_letter,
    referral_out,
)
from lk3.referrals.tests.partner_builders import link_staff
from lk3.referrals.tests.referral_builders import revoke

DAY = datetime.date(2026, 11, 30)


@pytest.fixture
def referral(budi, sari):
    return referral_out(budi, sender=sari)


@pytest.fixture
def letter(sari, referral):
    return referral_letter(sari, referral, dated=DAY)


def _private_files() -> list[str]:
    return [
        name
        for _folder, _dirs, names in os.walk(settings.LK3_PRIVATE_ROOT)
        for name in names
        if name.endswith(".pdf")
    ]


def _letter_page(referral) -> str:
    return reverse("referrals:referral_letter", kwargs={"public_id": referral.public_id})


def _download(letter) -> str:
    return reverse("referrals:letter_download", kwargs={"public_id": letter.public_id})


def _verify(code: str) -> str:
    return reverse("referrals:letter_verify", kwargs={"code": code})


# -- issuing ----------------------------------------------------------------------------------


def test_a_referral_letter_is_registered_with_its_file_and_audit_row(letter, referral, sari):
    assert (letter.kind, letter.referral, letter.created_by) == (
        LetterKind.REFERRAL,
        referral,
        sari,
    )
    assert (letter.signatory_name, letter.signatory_position) == SIGNATORY
    assert "UPTD PPA Kota Bontang" in letter.subject
    assert len(letter.sha256) == 64
    assert len(letter.verification_code) == 32
    assert letter.pdf.name.startswith("letters/")
    event = AuditEvent.objects.get(action=actions.LETTER_ISSUED)
    assert (event.actor, event.target_id) == (sari, str(letter.public_id))
    assert event.changes["number"] == [None, letter.number]


def test_the_audit_row_holds_no_client_content(letter, referral):
    event = AuditEvent.objects.get(action=actions.LETTER_ISSUED)

    assert referral.reason not in str(event.changes)
    assert "Siti Aminah" not in str(event.changes)


def test_the_same_form_sent_twice_issues_one_letter(sari, referral, letter):
    again = referral_letter(sari, referral, dated=DAY)

    assert again == letter
    assert Letter.objects.count() == 1
    assert LetterNumberCounter.objects.get().last == 1


def test_another_signatory_gets_a_new_letter_and_number(sari, referral, letter):
    other = referral_letter(sari, referral, dated=DAY, signatory=("Budi", "Koordinator"))

    assert other.sequence == letter.sequence + 1


def test_a_revoked_referral_gets_no_letter(sari, referral):
    revoke(sari, referral)

    with pytest.raises(DomainError) as refused:
        referral_letter(sari, referral)

    assert refused.value.code == "referral_ended"
    assert not Letter.objects.exists()
    assert not LetterNumberCounter.objects.filter(last__gt=0).exists()


def test_a_letter_needs_a_signatory_and_nothing_is_kept_without_one(sari, referral):
    files_before = _private_files()

    with pytest.raises(DomainError) as refused:
        referral_letter(sari, referral, signatory=("", "Ketua"))

    assert refused.value.field == "signatory_name"
    assert not Letter.objects.exists()
    assert _private_files() == files_before


def test_an_unknown_kind_is_refused(budi):
    with pytest.raises(DomainError) as refused:
        plain_letter(budi, kind="memo")

    assert refused.value.field == "kind"


def test_the_coordinator_signs_by_default(budi, lk3_bontang):
    name, position = letters.default_signatory(lk3_bontang)

    assert name == budi.full_name
    assert lk3_bontang.short_name in position


# -- the referral letter page -----------------------------------------------------------------


def test_the_page_offers_the_coordinator_as_signatory(client, budi, sari, referral):
    client.force_login(sari)

    response = client.get(_letter_page(referral))

    assert response.status_code == 200
    assert response.context["form"].initial["signatory_name"] == budi.full_name


def test_issuing_from_the_page_registers_the_letter(client, sari, referral):
    client.force_login(sari)

    response = client.post(
        _letter_page(referral),
        {"signatory_name": SIGNATORY[0], "signatory_position": SIGNATORY[1]},
    )

    assert response.status_code == 302
    letter = Letter.objects.get()
    assert (letter.referral, letter.created_by) == (referral, sari)
    page = client.get(_letter_page(referral))
    assert letter.number in page.content.decode()


def test_a_blank_signatory_shows_the_form_again(client, sari, referral):
    client.force_login(sari)

    response = client.post(_letter_page(referral), {"signatory_name": "", "signatory_position": ""})

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"signatory_name", "signatory_position"}
    assert not Letter.objects.exists()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("dewi", 404),  # a counsellor who does not reach the case
        ("putri", 404),  # not on the case team
        ("rina", 404),  # the user administrator reads no case content
        ("rudi", 404),  # another organisation
        ("intan", 403),  # reads the case, does not work on it
        ("mitra_ppa", 403),  # the partner it is addressed to answers, never issues
    ],
)
def test_who_may_not_issue(client, request, budi, referral, username, status):
    user = request.getfixturevalue(username)
    if username == "mitra_ppa":
        link_staff(budi, referral.partner, user)
    client.force_login(user)

    shown = client.get(_letter_page(referral))
    sent = client.post(
        _letter_page(referral),
        {"signatory_name": SIGNATORY[0], "signatory_position": SIGNATORY[1]},
    )

    assert (shown.status_code, sent.status_code) == (status, status)
    assert not Letter.objects.exists()


# -- downloads --------------------------------------------------------------------------------


def test_the_case_team_downloads_the_letter_and_it_is_logged(client, sari, letter):
    client.force_login(sari)

    response = client.get(_download(letter))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    event = AccessEvent.objects.get()
    assert (event.actor, event.purpose, event.target_id) == (sari, "letter", str(letter.public_id))


def test_the_partner_it_is_addressed_to_downloads_it(client, budi, mitra_ppa, referral, letter):
    link_staff(budi, referral.partner, mitra_ppa)
    client.force_login(mitra_ppa)

    assert client.get(_download(letter)).status_code == 200


@pytest.mark.parametrize("username", ["dewi", "putri", "rina", "rudi", "pak_agus", "viewer"])
def test_who_does_not_reach_the_referral_does_not_get_its_letter(client, request, letter, username):
    client.force_login(request.getfixturevalue(username))

    response = client.get(_download(letter))

    assert response.status_code == 404
    assert not AccessEvent.objects.exists()


def test_an_unlinked_partner_account_does_not_get_the_letter(client, mitra_ppa, letter):
    client.force_login(mitra_ppa)

    assert client.get(_download(letter)).status_code == 404


def test_a_letter_about_no_referral_is_for_the_coordinator(client, budi, rina, sari):
    # Such letters (a repatriation's) name people and their NIK: the user
    # administrator sees them in the register but does not open them.
    letter = plain_letter(budi)

    for user, status in [(budi, 200), (rina, 404), (sari, 404)]:
        client.force_login(user)
        assert client.get(_download(letter)).status_code == status


# -- the register -----------------------------------------------------------------------------


def test_the_register_lists_the_organisations_letters(client, budi, letter, sari):
    client.force_login(budi)

    response = client.get(reverse("referrals:letter_register"))

    assert response.status_code == 200
    assert response.context["letters"] == [letter]
    body = response.content.decode()
    assert letter.number in body
    assert sari.full_name in body
    assert _download(letter) in body


def test_the_administrator_sees_the_register_but_not_referral_letters(client, rina, letter):
    client.force_login(rina)

    response = client.get(reverse("referrals:letter_register"))

    assert response.status_code == 200
    assert letter.number in response.content.decode()
    assert _download(letter) not in response.content.decode()


def test_the_register_shows_only_the_own_organisations_letters(client, rudi, letter):
    client.force_login(rudi)

    response = client.get(reverse("referrals:letter_register"))

    assert response.context["letters"] == []


@pytest.mark.parametrize("username", ["sari", "intan", "putri", "pak_agus", "mitra_ppa"])
def test_the_register_is_not_for_other_roles(client, request, username):
    client.force_login(request.getfixturevalue(username))

    assert client.get(reverse("referrals:letter_register")).status_code == 403


def test_the_register_needs_few_queries_however_many_letters(
    client, budi, sari, referral, django_assert_max_num_queries
):
    for index in range(6):
        referral_letter(sari, referral, signatory=(f"Penanda tangan {index}", "Ketua"))
    client.force_login(budi)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("referrals:letter_register"))

    assert len(response.context["letters"]) == 6


# -- verification -----------------------------------------------------------------------------


def test_anyone_can_check_a_real_letter(client, letter):
    response = client.get(_verify(letter.verification_code))

    assert response.status_code == 200
    body = response.content.decode()
    assert letter.number in body
    assert letter.signatory_name in body
    assert letter.organisation.name in body
    assert response["X-Robots-Tag"].startswith("noindex")


def test_verification_never_shows_the_content(client, letter, referral):
    body = client.get(_verify(letter.verification_code)).content.decode()

    assert referral.reason not in body
    for line in referral.shared_summary.splitlines():
        assert line not in body
    assert "Siti Aminah" not in body
    assert letter.subject not in body


def _changed(code: str) -> str:
    return code[:-1] + ("A" if code[-1] != "A" else "B")


@pytest.mark.parametrize(
    "tamper",
    [
        _changed,
        lambda code: code[:-1],
        lambda code: code + "A",
        lambda code: code.swapcase() if code.swapcase() != code else "x" * 32,
        lambda code: "A" * 32,
        lambda code: code[:16] + "%" + code[17:],
    ],
    ids=[
        "one-character-changed",
        "truncated",
        "lengthened",
        "case-changed",
        "made-up",
        "bad-character",
    ],
)
def test_a_tampered_code_is_an_unknown_letter(client, letter, tamper):
    response = client.get(_verify(tamper(letter.verification_code)))

    assert response.status_code == 404
    assert b'data-testid="letter-unknown"' in response.content
    assert letter.number.encode() not in response.content


def test_the_unknown_letter_page_says_so_in_english(client, letter):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(_verify(_changed(letter.verification_code)))

    assert "Unknown letter" in response.content.decode()


def test_a_signed_in_user_sees_the_same_verification(client, dewi, letter):
    client.force_login(dewi)

    assert client.get(_verify(letter.verification_code)).status_code == 200
